"""No document and no file or folder name can send a control sequence to the terminal
(issues 6 and 16).

The real app runs in a pseudo-terminal (TERM=xterm-256color, 80x24) on the hostile corpus;
every byte it writes is captured while it searches for every hostile document, opens them
one after another in the reader and quits.  Documents carry unique sequences (a 256-colour
CSI code and ``CSI 7777 m``, OSC 52 clipboard writes, an OSC 0 title, an OSC 8 link, a DCS
string, 8-bit C1 codes, bidi overrides); none of them may appear in the output.  File and
folder names carry the same kinds of sequences, line breaks, tabs and Rich markup, and every
CLI verb's human output at a terminal and its JSON output are checked the same way.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import shutil
import struct
import sys
import termios
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the package need not be installed
from hostile import (  # noqa: E402
    BAD_UTF8_NAME,
    CSI_MARK_256,
    CSI_MARK_ODD,
    HOSTILE_NAMES,
    NAME_OSC52,
    cli_env,
    make_hostile_corpus,
    run_cli,
)

from search.cli import main as cli_main  # noqa: E402
from search.text import visible  # noqa: E402

pytestmark = [
    pytest.mark.skipif(
        not (REPO / "tui" / "app.py").exists(), reason="the app (tui/app.py) has not landed"
    ),
    pytest.mark.heavy,  # a whole app session in a pty: CI runs it, the default suite does not
]
DOWN, ENTER = b"\x1b[B", b"\r"


class Pty:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import pty

        self.output = bytearray()
        pid, fd = pty.fork()
        if pid == 0:  # pragma: no cover - the child
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.chdir(REPO)
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: the app exited
                return
            if not chunk:
                return
            self.output += chunk

    def send(self, data: bytes, settle: float = 0.3) -> None:
        os.write(self.fd, data)
        self.pump(settle)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while text.encode() not in self.output and time.monotonic() < end:
            self.pump(0.2)
        assert text.encode() in self.output, f"{text!r} never appeared"

    def close(self) -> int:
        end = time.monotonic() + 10
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            self.pump(0.1)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)
        return -9


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("terminal")
    expect = make_hostile_corpus(root)
    index_dir = root / "index"
    proc = run_cli(
        "index",
        expect["corpus"],
        "--index-dir",
        index_dir,
        "--quiet",
        "--max-mb",
        str(expect["max_mb"]),
    )
    assert proc.returncode == 0, proc.stderr
    env = {**cli_env(), "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    env.pop("NO_COLOR", None)
    app = Pty(
        [
            sys.executable,
            "-m",
            "search",
            str(expect["corpus"]),
            "--index-dir",
            str(index_dir),
            "--no-mouse",
            "--max-mb",
            str(expect["max_mb"]),
        ],
        env,
    )
    try:
        app.pump(3)
        app.send(b"/zqx*", 0.5)  # the app starts in the results: / goes to the box
        app.send(ENTER, 2)
        # Every result, one after another: highlighting one opens it in the reader.
        for _ in range(len(expect["indexed"]) + 2):
            app.send(DOWN, 0.2)
        app.send(ENTER, 0.3)
        app.send(b"/", 0.3)
        app.send(b"\x15\x7f" * 1 + b"\x08" * 10, 0.3)  # clear the box, however it is edited
        app.send(b"title:title", 0.3)
        app.send(ENTER, 2)
        for _ in range(4):
            app.send(DOWN, 0.15)
            app.send(ENTER, 0.4)
        app.send(b"\x1b", 0.3)
        app.send(b"q", 0.5)
    finally:
        code = app.close()
    return {"output": bytes(app.output), "code": code, "expect": expect, "index_dir": index_dir}


def test_the_app_ran_and_showed_hostile_documents(session: dict[str, Any]) -> None:
    text = session["output"].decode("utf-8", "replace")
    assert "zqx" in text, "the search never showed a hostile document"
    # Control characters are shown as visible symbols, so they did reach the screen.
    assert "\u241b" in text, "no document with an escape character was ever displayed"


def test_output_is_valid_utf8_without_c1_controls(session: dict[str, Any]) -> None:
    text = session["output"].decode("utf-8")  # strict: a raw 0x80-0x9f byte would fail
    c1 = sorted({f"U+{ord(c):04X}" for c in text if 0x80 <= ord(c) <= 0x9F})
    assert not c1, c1
    bidi = sorted(
        {
            f"U+{ord(c):04X}"
            for c in text
            if c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        }
    )
    assert not bidi, bidi


def test_no_planted_sequence_reaches_the_terminal(session: dict[str, Any]) -> None:
    out = session["output"]
    for planted in (CSI_MARK_256, CSI_MARK_ODD):
        assert planted.encode() not in out, repr(planted)
    assert b"\x1b]52" not in out, "a clipboard write (OSC 52) reached the terminal"
    assert b"\x1bP" not in out, "a DCS string reached the terminal"
    assert not re.search(rb"\x1b\]8;[^\x07\x1b]*evil\.example", out), "a document's OSC 8 link"


def test_no_sequence_from_a_file_or_folder_name_reaches_the_terminal(
    session: dict[str, Any],
) -> None:
    assert_no_name_sequence(session["output"], "the app")
    # The reader's header showed the path itself, its escape as a visible symbol.
    assert visible(NAME_OSC52).encode() in session["output"]


def test_titles_set_only_by_the_app(session: dict[str, Any]) -> None:
    titles = re.findall(rb"\x1b\][012];([^\x07\x1b]*)", session["output"])
    for title in titles:
        assert title.startswith(b"corpus-browser") or title == b"", title
    assert b"HOSTILE-TITLE" not in b"".join(titles)


def test_the_app_quit_cleanly(session: dict[str, Any]) -> None:
    assert session["code"] == 0, session["output"][-2000:]
    assert b"Traceback" not in session["output"]


# -- file and folder names (issue 16) -----------------------------------------------------------
# What a terminal obeys: C1 controls (U+0080-U+009F), bidi controls and line separators.
_UNSAFE_CHARS = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")


# The sequences planted in names (hostile.HOSTILE_NAMES, BAD_UTF8_NAME), by their starts: a
# sequence cut short would still be obeyed.
PLANTED_IN_NAMES = [
    b"\x1b]52;c;",  # OSC 52: the clipboard
    b"\x1b]0;HOSTILE-TITLE",  # OSC 0: the window title
    b"\x1b]8;;https:evil",  # OSC 8: a link
    b"\x1b[2J",  # clear the screen
    b"\x1b[10;10H",  # move the cursor
    CSI_MARK_ODD.encode(),
]


def assert_no_name_sequence(out: bytes, what: str) -> None:
    """No sequence planted in a name, no C1, bidi or line-separator character, valid UTF-8."""
    for seq in PLANTED_IN_NAMES:
        assert seq not in out, f"{what}: {seq!r} from a file name reached the terminal"
    text = out.decode("utf-8")  # strict: a raw byte of a name that is not UTF-8 would fail
    unsafe = sorted({f"U+{ord(c):04X}" for c in _UNSAFE_CHARS.findall(text)})
    assert not unsafe, (what, unsafe)


def at_terminal(*args: Any) -> tuple[int, bytes]:
    """``corpus-browser ARGS`` with stdout and stderr on a pty: its exit code and bytes."""
    return _on_pty(["-m", "search", *map(str, args)])


def at_terminal_python(script: str, *args: Any) -> tuple[int, bytes]:
    return _on_pty(["-c", script, *map(str, args)])


def _on_pty(args: list[str], timeout: float = 60) -> tuple[int, bytes]:
    env = {**cli_env(), "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = Pty([sys.executable, *args], env)
    proc.pump(timeout)
    return proc.close(), bytes(proc.output)


def _where(session: dict[str, Any]) -> list[str]:
    corpus = session["expect"]["corpus"]
    return ["--corpus", str(corpus), "--index-dir", str(session["index_dir"])]


NAME_WARNED = "fn-warn-\x1b]52;c;V0FSTg==\x07.txt"


@pytest.fixture(scope="module")
def names_corpus(session: dict[str, Any]) -> Path:
    """The hostile-named files alone (indexing the whole hostile corpus again would take
    seconds), the name that is not UTF-8, and one whose header date draws a warning."""
    corpus = session["index_dir"].parent / "names"
    for rel in HOSTILE_NAMES:
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(session["expect"]["corpus"] / rel, corpus / rel)
    (corpus / NAME_WARNED).write_text(" date 2024-13-01 A month thirteen\nOil.\n")
    with open(os.path.join(os.fsencode(corpus), BAD_UTF8_NAME), "wb") as fh:
        fh.write(b"oil\n")
    return corpus


def test_index_at_a_terminal_shows_names_as_symbols(
    session: dict[str, Any], names_corpus: Path
) -> None:
    """The progress bar, the summary (whose index folder has a hostile name) and the skipped
    and warning lines; the name that is not UTF-8 is among the skipped."""
    index_dir = session["index_dir"].parent / "idx-\x1b]0;HOSTILE-TITLE-idx\x07-\u202e"
    code, out = at_terminal("index", names_corpus, "--index-dir", index_dir)
    assert code == 0, out[-2000:]
    assert b"documents in idx-" not in out and b"documents in" in out
    assert f"skipped {visible('fn-bad-??-')}".encode() in out, out
    assert f"warning {visible(NAME_WARNED)}".encode() in out, out
    assert b"\x1b]0;HOSTILE-TITLE-idx" not in out
    assert_no_name_sequence(out, "index")


def _hostile_names_query(session: dict[str, Any]) -> str:
    """A query matching the hostile-named files only (their marker words)."""
    indexed = session["expect"]["indexed"]
    return " OR ".join(indexed[rel]["marker"] for rel in HOSTILE_NAMES)


def test_search_at_a_terminal_shows_names_as_symbols(session: dict[str, Any]) -> None:
    code, out = at_terminal(
        "search", _hostile_names_query(session), *_where(session), "--limit", "0"
    )
    assert code == 0, out[-2000:]
    assert b"\x1b" not in out, "search wrote an escape character"
    assert_no_name_sequence(out, "search")
    # A line break in a name does not split its result line.
    assert visible("fn-newline-\nsecond line.txt").encode() in out


# `show` of every hostile name at a terminal, through the CLI's entry point in one process
# (fifteen interpreter starts would cost seconds); the exit code is the worst of them.
_SHOW_EACH = """
import sys
from search.cli import main
where, names = sys.argv[1:5], sys.argv[5:]
sys.exit(max(main(["show", *where, "--", name]) for name in names))
"""


def test_show_at_a_terminal_shows_names_as_symbols(session: dict[str, Any]) -> None:
    code, out = at_terminal_python(_SHOW_EACH, *_where(session), *HOSTILE_NAMES)
    assert code == 0, out[-2000:]
    assert b"\x1b" not in out, "show wrote an escape character"
    assert_no_name_sequence(out, "show")
    for rel in HOSTILE_NAMES:
        assert visible(rel).encode() in out, rel


def test_entities_and_error_messages_at_a_terminal(session: dict[str, Any]) -> None:
    code, out = at_terminal("entities", *_where(session))
    assert code == 0, out[-2000:]
    assert b"\x1b" not in out
    missing = "gone-\x1b]52;c;R09ORQ==\x07-\x9b7777m-\u202e.txt"
    code, out = at_terminal("show", *_where(session), "--", missing)
    assert code == 2 and out.startswith(b"corpus-browser: gone-"), out
    assert b"\x1b" not in out and visible(missing).encode() in out
    assert_no_name_sequence(out, "show of a missing file")
    folder = session["index_dir"].parent / "corpus-\x1b]0;HOSTILE-TITLE-corpus\x07"
    code, out = at_terminal("search", "x", "--corpus", folder)
    assert code == 2 and b"does not exist" in out, out
    assert b"\x1b" not in out
    assert_no_name_sequence(out, "search in a missing corpus folder")


def _assert_safe_json(stdout: bytes, what: str) -> Any:
    assert_no_name_sequence(stdout, what)
    assert b"\x1b" not in stdout and b"\x7f" not in stdout, what
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def test_json_escapes_what_a_terminal_obeys_and_keeps_names_exact(
    session: dict[str, Any], names_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    def cli(*args: Any) -> bytes:
        argv = [sys.executable, "-m", "search", *map(str, args)]
        proc = subprocess.run(argv, capture_output=True, env=cli_env(), cwd=REPO, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert b"Traceback" not in proc.stderr
        return proc.stdout

    where = _where(session)
    index_dir = session["index_dir"].parent / "idx-json"
    report = _assert_safe_json(
        cli("index", names_corpus, "--index-dir", index_dir, "--json"), "index --json"
    )[0]
    assert {item["path"] for item in report["skipped"]} == {"fn-bad-??-\x1b]52;c;QkFE\x07.txt"}
    assert {item["path"] for item in report["warnings"]} == {NAME_WARNED}
    query = _hostile_names_query(session)
    hits = _assert_safe_json(cli("search", query, *where, "--json", "--limit", "0"), "search")
    paths = {hit["path"] for hit in hits[0]["hits"]}
    assert set(HOSTILE_NAMES) <= paths, set(HOSTILE_NAMES) - paths
    for rel in HOSTILE_NAMES:  # the CLI's entry point in-process: one start, not fifteen
        assert cli_main(["show", *where, "--json", "--", rel]) == 0
        out = capsys.readouterr().out.encode("utf-8")
        assert _assert_safe_json(out, f"show {rel!r}")[0]["path"] == rel
    _assert_safe_json(cli("entities", *where, "--json"), "entities --json")
