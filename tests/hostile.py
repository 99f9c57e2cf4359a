"""A hostile corpus, generated into a temporary folder (issue 6).

``make_hostile_corpus(root)`` writes every kind of file a scraper, a mail export or an
attacker can leave in a corpus folder and returns what corpus-browser must do with each:

    {
      "corpus": Path,                 # the corpus folder (root / "corpus")
      "outside": Path,                # a folder beside it that links point into
      "indexed": {rel: Expect},       # must be indexed (and `show` must work on them)
      "skipped": {rel: reason_part},  # must be reported as skipped, reason containing this
      "absent": [rel, ...],           # must be neither indexed nor reached (behind links)
      "warned": {rel: message_part},  # must appear among the warnings
      "secret": str,                  # a word only files outside the corpus contain
      "planted": [str, ...],          # escape sequences planted in documents (unique ones)
      "max_mb": float,                # pass as --max-mb so the big file is over the limit
      "unreadable_is_readable": bool, # True when running as root (chmod 000 does not stop it)
    }

``Expect`` is a dict: ``marker`` (a word only that file contains, to find it by search),
``contains`` (strings the shown text must contain literally), ``date`` (the expected
``YYYY-MM-DD``, None for undated, or the key missing when the extractor may decide).
"""

from __future__ import annotations

import codecs
import gzip
import os
import unicodedata
from pathlib import Path
from typing import Any

# Sequences that must never reach a terminal.  The first two are unique markers: an app that
# uses 256 colours itself could emit other CSI codes, but never these exact ones.
CSI_MARK_256 = "\x1b[38;5;199m"
CSI_MARK_ODD = "\x1b[7777m"
OSC52_BEL = "\x1b]52;c;aGFja2VkIGNsaXBib2FyZA==\x07"
OSC52_ST = "\x1b]52;c;cHduZWQ=\x1b\\"
OSC0_TITLE = "\x1b]0;HOSTILE-TITLE-7f3a\x07"
OSC8_LINK = "\x1b]8;;https://evil.example/x\x1b\\click me\x1b]8;;\x1b\\"
DCS_SEQ = "\x1bP1$qm\x1b\\"
PLANTED = [CSI_MARK_256, CSI_MARK_ODD, OSC52_BEL, OSC52_ST, OSC0_TITLE, OSC8_LINK, DCS_SEQ]
# File and folder names that try to drive the terminal or the app (issue 16).  Each escape
# is unique to names, so a leak is traced to a name; OSC 0 titles hold "HOSTILE-TITLE".
NAME_OSC52 = "fn-osc52-\x1b]52;c;Rk5hbWU=\x07.txt"
NAME_CSI = "fn-csi-\x1b[2J\x1b[10;10H\x1b[7777m.txt"  # clears the screen, moves the cursor
NAME_MARKUP_LINK = "b-[link=https:||x]y.txt"
NAME_MARKUP_CLICK = "[reverse]x[@click=app.quit]y.txt"
_LONG_HEAD = "fn-long-\x1b]52;c;TE9ORw==\x07"
HOSTILE_NAMES = [
    NAME_OSC52,
    "fn-osc0-\x1b]0;HOSTILE-TITLE-name\x07.txt",
    "fn-osc8-\x1b]8;;https:evil.example\x07link\x1b]8;;\x07.txt",
    NAME_CSI,
    "fn-c1-\x9b38;5;199m\x9d0;HOSTILE-TITLE-c1\x07.txt",
    "fn-bidi-\u202etxt.exe.txt",
    "fn-newline-\nsecond line.txt",
    "fn-tab-\there.txt",
    "fn-ls-\u2028after.txt",
    # 255 bytes, the longest name Linux allows, an escape in it.
    _LONG_HEAD + "x" * (255 - len(_LONG_HEAD) - len(".txt")) + ".txt",
    NAME_MARKUP_LINK,
    NAME_MARKUP_CLICK,
    "dir-\x1b]0;HOSTILE-TITLE-dir\x07/in-osc0-folder.txt",
    "dir-\u202e\x9b7777m/in-c1-folder.txt",
    "dir-[link=https:||x]/in-markup-folder.txt",
]
# A name that is not UTF-8 holding an escape: skipped, and the report names it safely.
BAD_UTF8_NAME = b"fn-bad-\xff\xfe-\x1b]52;c;QkFE\x07.txt"
RICH_MARKUP = (
    "[bold]bold?[/bold] stray [/] [link=https://evil.example]link[/link] [@click=app.quit]quit[/]"
)

_FILLER = (
    "The provincial delegation met local officials to discuss trade, border gates and "
    "cooperation in agriculture, tourism and education. "
)


def _article(
    marker: str, extra: str = "", header: str | None = " date 2024-04-03 {m} story"
) -> str:
    head = (header.format(m=marker) + "\n") if header is not None else ""
    return f"{head}{marker.capitalize()} report\n\n{_FILLER}{extra}\nKeyword {marker} ends here.\n"


def make_hostile_corpus(root: Path, big: bool = False) -> dict[str, Any]:
    root = Path(root)
    corpus = root / "corpus"
    outside = root / "outside"
    corpus.mkdir(parents=True)
    outside.mkdir()
    indexed: dict[str, dict[str, Any]] = {}
    skipped: dict[str, str] = {}
    warned: dict[str, str] = {}
    absent: list[str] = []
    counter = iter(range(1000))

    def marker() -> str:
        return f"zqx{next(counter):03d}hostile"

    def put(rel: str, data: bytes | str, **expect: Any) -> Path:
        path = corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        indexed[rel] = expect
        return path

    def text_file(rel: str, extra: str = "", encoding: str = "utf-8", **kw: Any) -> Path:
        m = marker()
        header = kw.pop("header", " date 2024-04-03 {m} story")
        body = _article(m, extra, header)
        kw.setdefault("contains", [])
        kw.setdefault(
            "date", "2024-04-03" if header and header.startswith(" date 2024-04-03") else None
        )
        return put(rel, body.encode(encoding), marker=m, **kw)

    # -- empty and near-empty ---------------------------------------------------------------
    put("empty.txt", b"", marker=None, contains=[])
    put("whitespace.txt", b"  \n\t\n   \r\n  \n", marker=None, contains=[])
    m = marker()
    put("header_only.txt", f" date 2024-05-06 Header only {m}\n", marker=m, date="2024-05-06")

    # -- encodings --------------------------------------------------------------------------
    accents = "Café crème, Zürich, señor, déjà vu, naïve façade, Ærø, Ångström. " * 8
    text_file("bom_utf8.txt", "Hà Nội và Phước", encoding="utf-8-sig", contains=["Hà Nội"])
    m = marker()
    body = _article(m, "Hà Nội và Phước Long")
    put(
        "utf16le.txt",
        codecs.BOM_UTF16_LE + body.encode("utf-16-le"),
        marker=m,
        contains=["Hà Nội"],
        date="2024-04-03",
    )
    m = marker()
    body = _article(m, "Hà Nội và Phước Long")
    put(
        "utf16be.txt",
        codecs.BOM_UTF16_BE + body.encode("utf-16-be"),
        marker=m,
        contains=["Hà Nội"],
        date="2024-04-03",
    )
    text_file("latin1.txt", accents, encoding="latin-1", contains=["Café crème", "Zürich"])
    text_file(
        "cp1252.txt",
        "“Smart quotes” cost 5 € — or so they said… " * 6 + accents,
        encoding="cp1252",
        contains=["“Smart quotes”", "€"],
    )
    m = marker()
    good = _article(m, "Tiếng Việt có dấu, " * 40).encode("utf-8")
    put(
        "invalid_utf8.txt",
        good[:200] + b"\xff\xfe\xc3(" + good[200:] + b"\xed\xa0\x80",
        marker=m,
        contains=["\ufffd", "Tiếng Việt"],
        date="2024-04-03",
    )
    warned["invalid_utf8.txt"] = "undecodable"
    text_file("nul_few.txt", "a NUL\x00here and\x00there", contains=["\u2400"])
    put("nul_many.bin.txt", b"\x00\x01\x02\x03" * 4096, marker=None)
    indexed.pop("nul_many.bin.txt")
    skipped["nul_many.bin.txt"] = "not text"

    # -- line endings ---------------------------------------------------------------------------
    m = marker()
    put("crlf.txt", _article(m).replace("\n", "\r\n"), marker=m, date="2024-04-03")
    m = marker()
    put("cr_only.txt", _article(m).replace("\n", "\r"), marker=m, date="2024-04-03")
    m = marker()
    mixed = _article(m, "one\r\ntwo\rthree\nfour\r\n\r\nfive")
    put(
        "mixed_eol.txt",
        mixed,
        marker=m,
        contains=["one\ntwo\nthree\nfour\n\nfive"],
        date="2024-04-03",
    )

    # -- binaries named .txt ------------------------------------------------------------------
    (corpus / "program.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 64)
    skipped["program.txt"] = "ELF"
    (corpus / "archive.txt").write_bytes(gzip.compress(b"hello gzip world " * 1000))
    skipped["archive.txt"] = "gzip"

    # -- size ---------------------------------------------------------------------------------
    m_head, m_tail = marker(), marker()
    if big:
        max_mb, size = 20.0, 50 * 2**20
    else:
        max_mb, size = 1.0, int(1.5 * 2**20)
    line = ("word " * 15 + "\n").encode()
    head = f" date 2024-02-02 Huge file {m_head}\n{m_head} starts here\n".encode()
    tail = f"\n{m_tail} lies beyond the limit\n".encode()
    filler = line * ((size - len(head) - len(tail)) // len(line) + 1)
    put(
        "huge.txt",
        head + filler[: size - len(head) - len(tail)] + tail,
        marker=m_head,
        date="2024-02-02",
        beyond=m_tail,
    )
    warned["huge.txt"] = "only the first"
    m = marker()
    put("one_long_line.txt", f"{m} " + "longline " * (2**20 // 9 - 500), marker=m, contains=[])

    # -- headers --------------------------------------------------------------------------------
    for rel, header, date, problem in [
        ("hdr_month13.txt", " date 2024-13-01 Month thirteen {m}", None, "impossible"),
        ("hdr_feb30.txt", " date 2024-02-30 February thirtieth {m}", None, "impossible"),
        ("hdr_year0.txt", " date 0000-01-01 Year zero {m}", None, "impossible"),
        ("hdr_year9999.txt", " date 9999-01-01 Year 9999 {m}", None, "implausible"),
        ("hdr_compact.txt", " date 20240101 Compact date {m}", "2024-01-01", None),
        ("hdr_no_title.txt", " date 2024-03-03", "2024-03-03", None),
        ("hdr_upper.txt", "DATE 2024-06-07 Upper case {m}", "2024-06-07", None),
        ("hdr_no_space.txt", "date 2024-06-08 No leading space {m}", "2024-06-08", None),
    ]:
        m = marker()
        expect: dict[str, Any] = {"contains": []}
        if date is not None:
            expect["date"] = date
        put(rel, _article(m, header=header.format(m=m)), marker=m, **expect)
        if problem:
            warned[rel] = problem
    m = marker()
    put(
        "hdr_line2.txt",
        f"A headline first\n date 2024-07-08 Not a header {m}\n{_FILLER}",
        marker=m,
        contains=["date 2024-07-08 Not a header"],
    )

    # -- markup, escapes and invisible characters ------------------------------------------
    text_file("rich_markup.txt", RICH_MARKUP, contains=[RICH_MARKUP])
    text_file(
        "rich_title.txt",
        header=" date 2024-04-03 [bold red]Title[/] [@click=app.quit]x[/]",
        contains=[],
        date="2024-04-03",
    )
    text_file(
        "ansi_csi.txt", f"{CSI_MARK_256}pink{CSI_MARK_ODD} odd \x1b[2J\x1b[H\x1b[31mred\x1b[0m"
    )
    text_file("osc52_bel.txt", f"copy {OSC52_BEL} this")
    text_file("osc52_st.txt", f"copy {OSC52_ST} this")
    text_file("osc0_title.txt", f"title {OSC0_TITLE} set")
    text_file("osc8_link.txt", f"link {OSC8_LINK} here")
    text_file("dcs.txt", f"dcs {DCS_SEQ} here")
    text_file(
        "esc_in_title.txt", header=f" date 2024-04-03 {CSI_MARK_ODD}Title{OSC0_TITLE}", contains=[]
    )
    text_file("c1_unicode.txt", "csi\u009b31m osc\u009d0;t\u0007 dcs\u0090x\u009c end")
    m = marker()
    put(
        "c1_raw_bytes.txt",
        (_article(m, "raw C1 ") + "\n").encode("ascii")
        + b"\x9b31m red \x9d0;title\x07 \x90q\x9c\n",
        marker=m,
        date="2024-04-03",
    )
    text_file("backspace.txt", "harmless\x08\x08\x08\x08\x08\x08\x08\x08EVIL and safe\rOVERWRITE")
    text_file(
        "bidi.txt", "user\u202etxt.exe\u202c and \u2066iso\u2069 \u200fRLM \u061cALM \u202dLRO"
    )
    text_file("zero_width.txt", "zero\u200bwidth\u2060joiner\ufeffbom\u180emongolian")

    # -- file names -------------------------------------------------------------------------
    for rel in [
        "with spaces in name.txt",
        "Tin tức Việt Nam.txt",
        unicodedata.normalize("NFD", "Phước Long nfd.txt"),
        "新闻报道.txt",
        "📰 news 🎉.txt",
        "-rf --leading-dash.txt",
        'it\'s "quoted".txt',
        "$(touch PWNED) `id`.txt",
        "semi;colon&amp|pipe.txt",
        "x.txt/inside folder named x.txt.txt",
        "notes.md",
    ]:
        text_file(rel)
    for rel in HOSTILE_NAMES:
        text_file(rel)
    with open(os.path.join(os.fsencode(corpus), BAD_UTF8_NAME), "wb") as fh:
        fh.write(_article(marker()).encode())
    skipped[
        BAD_UTF8_NAME.decode("utf-8", "surrogateescape").encode("utf-8", "replace").decode()
    ] = "not UTF-8"
    deep = "/".join(f"d{i:02d}" for i in range(60))
    text_file(f"{deep}/deep.txt")
    m = marker()
    (corpus / ".hidden.txt").write_text(_article(m))
    skipped[".hidden.txt"] = "hidden"
    (corpus / ".hidden_dir").mkdir()
    (corpus / ".hidden_dir" / "inside.txt").write_text(_article(marker()))
    skipped[".hidden_dir"] = "hidden"
    absent.append(".hidden_dir/inside.txt")
    (corpus / "not_indexed.pdf.bin").write_bytes(b"%PDF-1.4 ignored by glob")

    # An unreadable file: chmod 000 stops everybody but root.
    unreadable = text_file("unreadable.txt")
    unreadable.chmod(0)
    unreadable_is_readable = os.geteuid() == 0
    if not unreadable_is_readable:
        indexed.pop("unreadable.txt")
        skipped["unreadable.txt"] = "cannot open"
    # A file name that is not UTF-8 (Latin-1 bytes): reported, not crashed on.
    os.makedirs(corpus, exist_ok=True)
    with open(os.path.join(os.fsencode(corpus), b"latin1-name-\xe9.txt"), "wb") as fh:
        fh.write(_article(marker()).encode())
    skipped["latin1-name-?.txt"] = "not UTF-8"

    # -- special files and links -------------------------------------------------------------
    os.mkfifo(corpus / "fifo.txt")
    skipped["fifo.txt"] = "not a regular file"
    secret = "zqxsecretoutside"
    (outside / "secret.txt").write_text(_article(secret))
    (outside / "sub").mkdir()
    (outside / "sub" / "also_secret.txt").write_text(_article(secret))
    os.symlink(outside / "secret.txt", corpus / "link_out.txt")
    skipped["link_out.txt"] = "out of the corpus"
    os.symlink(outside, corpus / "link_out_dir")
    skipped["link_out_dir"] = "out of the corpus"
    absent += ["link_out_dir/secret.txt", "link_out_dir/sub/also_secret.txt"]
    os.symlink("../..", corpus / "link_out_relative")
    skipped["link_out_relative"] = "out of the corpus"
    os.symlink("does-not-exist.txt", corpus / "dangling.txt")
    skipped["dangling.txt"] = "dangling"
    os.symlink("selfloop.txt", corpus / "selfloop.txt")
    skipped["selfloop.txt"] = "loop"
    os.symlink("mutual_b.txt", corpus / "mutual_a.txt")
    os.symlink("mutual_a.txt", corpus / "mutual_b.txt")
    skipped["mutual_a.txt"] = "loop"
    skipped["mutual_b.txt"] = "loop"
    (corpus / "loopdir").mkdir()
    text_file("loopdir/real.txt")
    os.symlink("..", corpus / "loopdir" / "up")
    skipped["loopdir/up"] = "loop"
    os.symlink(".", corpus / "loopdir" / "self")
    skipped["loopdir/self"] = "loop"
    absent += ["loopdir/up/loopdir/real.txt", "loopdir/self/real.txt"]
    (corpus / "pair_a").mkdir()
    (corpus / "pair_b").mkdir()
    text_file("pair_a/a.txt")
    text_file("pair_b/b.txt")
    os.symlink("../pair_b", corpus / "pair_a" / "to_b")
    os.symlink("../pair_a", corpus / "pair_b" / "to_a")
    skipped["pair_a/to_b"] = "loop"
    skipped["pair_b/to_a"] = "loop"
    absent += ["pair_a/to_b/b.txt", "pair_b/to_a/a.txt"]
    m = marker()
    put("plain_target.txt", _article(m), marker=m, date="2024-04-03")
    os.symlink("plain_target.txt", corpus / "zz_alias_inside.txt")
    indexed["zz_alias_inside.txt"] = {"marker": m, "date": "2024-04-03", "contains": []}

    return {
        "corpus": corpus,
        "outside": outside,
        "indexed": indexed,
        "skipped": skipped,
        "absent": absent,
        "warned": warned,
        "secret": secret,
        "planted": PLANTED,
        "max_mb": max_mb,
        "unreadable_is_readable": unreadable_is_readable,
    }


# -- an ordinary corpus, big enough that a rebuild takes a moment -------------------------------
_WORDS = (
    "province border trade cooperation minister delegation agriculture tourism education "
    "investment railway harbour festival river mountain village school hospital farmers "
    "exports imports bridge highway market election budget reform climate flood drought "
    "culture museum university students workers factory energy solar wind coal rice tea"
).split()
_NAMES = ["Hanoi", "Guangxi", "Yunnan", "Lang Son", "Cao Bang", "Nanning", "Kunming", "Hue"]

QUERIES = [
    "cooperation",
    "border trade",
    '"border trade"',
    "railway OR harbour",
    "agriculture NOT tourism",
    "minist*",
    "delegaton~",
    "title:festival",
    "date:2023",
    "date:[2024-01-01 to 2024-06-30]",
    "Guangxi",
    "zqxnothinghere",
]


def make_news_corpus(folder: Path, n: int, seed: int = 7) -> Path:
    """``n`` small dated articles in 20 sub-folders, deterministic for ``seed``."""
    import random

    rng = random.Random(seed)
    folder = Path(folder)
    for i in range(n):
        sub = folder / f"batch{i % 20:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        year = 2022 + i % 3
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        title = " ".join(rng.choice(_WORDS) for _ in range(5)).capitalize()
        place = rng.choice(_NAMES)
        paras = [
            " ".join(rng.choice(_WORDS) for _ in range(rng.randint(25, 60))) + "."
            for _ in range(rng.randint(2, 4))
        ]
        body = f"{place} ({date}) - " + "\n\n".join(paras)
        (sub / f"article_{i:05d}.txt").write_text(f" date {date} {title}\n{body}\n", "utf-8")
    return folder


# -- running the real command line -------------------------------------------------------------
REPO = Path(__file__).resolve().parent.parent


def cli_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def cli_argv(*args: str) -> list[str]:
    import sys

    return [sys.executable, "-m", "search", *map(str, args)]


def run_cli(*args: Any, timeout: float = 120, **kw: Any) -> Any:
    """``corpus-browser ARGS`` in a subprocess; a CompletedProcess with text output."""
    import subprocess

    return subprocess.run(
        cli_argv(*args),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_env(),
        **kw,
    )


def batch_answers(corpus: Path, index_dir: Path, queries: list[str] = QUERIES) -> list[Any]:
    """What the index answers to ``queries`` (one ``search --batch`` run), timings removed.

    Raises AssertionError with stderr when the run fails."""
    import json
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(queries) + "\n")
    try:
        proc = run_cli(
            "search",
            "--batch",
            fh.name,
            "--corpus",
            corpus,
            "--index-dir",
            index_dir,
            "--limit",
            "0",
        )
    finally:
        os.unlink(fh.name)
    assert proc.returncode in (0, 2), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    for a in answers:
        a.pop("took_ms", None)
    return answers


def indexed_news_corpus(root: Path, articles: int) -> dict[str, Any]:
    """A news corpus under ``root``, indexed through the CLI, with the answers its query set
    gives (to compare against after a fault) and how long the build took."""
    import time

    corpus = make_news_corpus(root / "corpus", articles)
    index_dir = root / "index"
    started = time.monotonic()
    proc = run_cli("index", corpus, "--index-dir", index_dir, "--quiet", timeout=300)
    assert proc.returncode == 0, proc.stderr
    return {
        "root": root,
        "corpus": corpus,
        "index_dir": index_dir,
        "duration": time.monotonic() - started,
        "answers": batch_answers(corpus, index_dir),
    }


def generations(index_dir: Path) -> tuple[str | None, list[str]]:
    """(live generation name, every gen-* folder present)."""
    try:
        live = (Path(index_dir) / "CURRENT").read_text().strip()
    except FileNotFoundError:
        live = None
    return live, sorted(p.name for p in Path(index_dir).glob("gen-*"))
