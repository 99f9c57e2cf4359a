"""The scripted command line: every JSON shape of issue 2, date order and limits, exit codes,
and data on stdout with messages on stderr."""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import cli_env, json_out, run, write_corpus

from search.index.generations import IndexStore

FILES = {
    "b.txt": " date 2024-05-02 Second\nHarbour trade grew in May.\n",
    "a.txt": " date 2023-01-09 First\nHarbour works began in January.\n",
    "sub/c.txt": " date 2024-11-30 Third\nThe harbour froze in November.\n",
    "undated.txt": "No date\nA harbour story without a date.\n",
    "bad.bin.txt": b"\x7fELF\x02\x01\x01" + bytes(300),
    "big.txt": "Long harbour file\n" + "padding words here. " * 80 + "\n",
}
DATES = {"a.txt": "2023-01-09", "b.txt": "2024-05-02", "sub/c.txt": "2024-11-30"}
HARBOUR = {p for p, t in FILES.items() if isinstance(t, str) and "harbour" in t.lower()}
ISSUE_REPORT_KEYS = {
    "corpus", "index_dir", "documents", "added", "updated", "removed", "unchanged",
    "skipped", "warnings", "seconds",
}  # fmt: skip
ISSUE_HIT_KEYS = {"path", "title", "date", "score", "snippet", "matches"}
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("cli")
    root = write_corpus(tmp / "corpus", FILES)
    ix = tmp / "ix"
    proc = run(tmp, "index", root, "--index-dir", ix, "--json", "--max-mb", str(1024 / 2**20))
    return {"tmp": tmp, "root": root, "ix": ix, "index": proc}


def call(cli: dict[str, Any], *args: Any, input: str | None = None):
    return run(cli["tmp"], *args, "--corpus", cli["root"], "--index-dir", cli["ix"], input=input)


def test_index_json_shape(cli: dict[str, Any]) -> None:
    proc = cli["index"]
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", "not a terminal: nothing but errors"
    report = json_out(proc)
    assert set(report) >= ISSUE_REPORT_KEYS
    assert report["corpus"] == str(cli["root"]) and report["index_dir"] == str(cli["ix"])
    texts = [p for p, t in FILES.items() if isinstance(t, str)]
    assert (report["documents"], report["added"]) == (len(texts), len(texts))
    assert (report["updated"], report["removed"], report["unchanged"]) == (0, 0, 0)
    assert isinstance(report["seconds"], (int, float)) and report["seconds"] >= 0
    assert report["skipped"] == [{"path": "bad.bin.txt", "reason": report["skipped"][0]["reason"]}]
    assert "ELF" in report["skipped"][0]["reason"]
    assert [set(w) for w in report["warnings"]] == [{"path", "message"}]
    assert report["warnings"][0]["path"] == "big.txt"


def test_search_json_shape(cli: dict[str, Any]) -> None:
    proc = call(cli, "search", "harbour", "--json", "--limit", "0")
    assert proc.returncode == 0 and proc.stderr == ""
    data = json_out(proc)
    assert {"query", "total", "hits"} <= set(data)
    assert data["query"] == "harbour" and data["total"] == len(HARBOUR)
    assert {h["path"] for h in data["hits"]} == HARBOUR
    for hit in data["hits"]:
        assert set(hit) >= ISSUE_HIT_KEYS
        assert hit["date"] == DATES.get(hit["path"])
        assert hit["date"] is None or DATE_RE.fullmatch(hit["date"])
        assert isinstance(hit["score"], (int, float)) and hit["score"] > 0
        assert isinstance(hit["snippet"], str) and "harbour" in hit["snippet"].lower()
        assert "\n" not in hit["snippet"]
        assert hit["matches"] and all(
            isinstance(m, list) and len(m) == 2 and 0 <= m[0] < m[1] for m in hit["matches"]
        )
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True), "relevance order by default"


def test_sort_date_is_oldest_first_with_undated_last(cli: dict[str, Any]) -> None:
    data = json_out(call(cli, "search", "harbour", "--json", "--sort", "date", "--limit", "0"))
    dated = sorted((d, p) for p, d in DATES.items() if p in HARBOUR)
    got = [(h["date"], h["path"]) for h in data["hits"]]
    assert got[: len(dated)] == dated
    assert {p for d, p in got[len(dated) :]} == HARBOUR - set(DATES)
    assert all(d is None for d, _p in got[len(dated) :])


def test_sort_newest_is_newest_first_with_undated_last(cli: dict[str, Any]) -> None:
    data = json_out(call(cli, "search", "harbour", "--json", "--sort", "newest", "--limit", "0"))
    dated = sorted(((d, p) for p, d in DATES.items() if p in HARBOUR), reverse=True)
    got = [(h["date"], h["path"]) for h in data["hits"]]
    assert [d for d, _p in got[: len(dated)]] == [d for d, _p in dated]
    assert {p for d, p in got[len(dated) :]} == HARBOUR - set(DATES)


def test_limit(cli: dict[str, Any]) -> None:
    data = json_out(call(cli, "search", "harbour", "--json", "--limit", "2", "--sort", "date"))
    assert data["total"] == len(HARBOUR), "total counts every match, not just those shown"
    assert [h["path"] for h in data["hits"]] == ["a.txt", "b.txt"]


def test_batch_lines_with_took_ms(cli: dict[str, Any]) -> None:
    queries = ["harbour", "nothingmatcheszzz", "date:2024", '"unclosed']
    proc = call(cli, "search", "--batch", "-", input="\n".join(queries) + "\n\n")
    assert proc.returncode == 2, "a bad query in the batch makes the run exit 2"
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [d["query"] for d in lines] == [*queries, ""], "one answer per line of the input"
    assert [d["line"] for d in lines] == [1, 2, 3, 4, 5]
    assert lines[4]["skipped"] == "blank line" and "error" not in lines[4]
    for data in lines:
        assert isinstance(data["took_ms"], (int, float)) and data["took_ms"] >= 0
    assert {"query", "total", "hits", "took_ms"} <= set(lines[0])
    assert lines[0]["total"] == len(HARBOUR) and lines[1]["total"] == 0
    assert {h["path"] for h in lines[2]["hits"]} == {p for p, d in DATES.items() if "2024" in d}
    assert set(lines[3]) == {"query", "error", "line", "took_ms"}


def batch_run(cli: dict[str, Any], source: str, stdin: bytes | None = None):
    """``search --batch SOURCE`` with raw bytes on stdin (``run`` sends text)."""
    argv = [sys.executable, "-m", "search", "search", "--batch", source]
    return subprocess.run(
        [*argv, "--corpus", str(cli["root"]), "--index-dir", str(cli["ix"])],
        input=stdin or b"", capture_output=True, timeout=60, env=cli_env(cli["tmp"]),
        cwd=cli["tmp"],
    )  # fmt: skip


def test_batch_one_answer_per_line_of_the_file(cli: dict[str, Any]) -> None:
    """Lines end at \\n only: a form feed, U+2028 or U+0085 inside a line, or a \\r\\n
    ending, never makes an extra query (str.splitlines split 5 lines into 9 queries)."""
    batch = cli["tmp"] / "separators.txt"
    lines = ["\ufeffharbour", "harbour\x0cMay", "harbour\u2028froze\r", "harbour\x85Jan\x1cuary",
             "", "nothingmatcheszzz"]  # fmt: skip
    batch.write_bytes("\n".join(lines).encode() + b"\n")
    proc = batch_run(cli, str(batch))
    assert proc.returncode == 0 and proc.stderr == b""
    answers = [json.loads(line) for line in proc.stdout.decode().split("\n") if line]
    assert [a["query"] for a in answers] == [
        "harbour",
        "harbour\x0cMay",
        "harbour\u2028froze",
        "harbour\x85Jan\x1cuary",
        "",
        "nothingmatcheszzz",
    ], "one answer per line of the file, in order (a byte order mark is dropped)"
    assert [a["line"] for a in answers] == [1, 2, 3, 4, 5, 6]
    assert answers[4]["skipped"] == "blank line"
    assert answers[0]["total"] == len(HARBOUR) and answers[5]["total"] == 0


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_batch_line_that_is_not_utf8_is_answered_in_its_place(
    cli: dict[str, Any], source: str
) -> None:
    data = b"harbour\nhar\xffbour\n\xe9t\xe9\r\nharbour\n"
    batch = cli["tmp"] / "latin1.txt"
    batch.write_bytes(data)
    if source == "file":
        proc, name = batch_run(cli, str(batch)), str(batch)
    else:
        proc, name = batch_run(cli, "-", stdin=data), "standard input"
    assert proc.returncode == 2, "an unreadable line makes the run exit 2, as a bad query does"
    assert proc.stderr == b""
    answers = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [a.get("total") for a in answers] == [len(HARBOUR), None, None, len(HARBOUR)]
    assert [a["query"] for a in answers[1:3]] == ["har\ufffdbour", "\ufffdt\ufffd"]
    assert [a["error"] for a in answers[1:3]] == [
        f"line 2 of {name} is not valid UTF-8 (byte 0xff at byte 4 of the line)",
        f"line 3 of {name} is not valid UTF-8 (byte 0xe9 at byte 1 of the line)",
    ]


def test_show_json_shape(cli: dict[str, Any]) -> None:
    proc = call(cli, "show", "sub/c.txt", "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    shown = json_out(proc)
    assert {"path", "title", "date", "text"} <= set(shown)
    assert (shown["path"], shown["title"], shown["date"]) == ("sub/c.txt", "Third", "2024-11-30")
    assert shown["text"] == FILES["sub/c.txt"].split("\n", 1)[1]
    datetime.date.fromisoformat(shown["date"])


def test_human_output_data_on_stdout_messages_on_stderr(cli: dict[str, Any]) -> None:
    proc = call(cli, "search", "harbour", "--limit", "2")
    assert proc.returncode == 0
    listed = [line for line in proc.stdout.splitlines() if not line.startswith(" ")]
    assert len(listed) == 2 and all(any(p in line for p in HARBOUR) for line in listed)
    assert proc.stderr.strip() == f"{len(HARBOUR)} files match (showing 2)"
    # big.txt also has harbour in its title: a title match counts too
    want = {line: "(2 matches)" if "big.txt" in line else "(1 match)" for line in listed}
    assert all(line.endswith(end) for line, end in want.items()), "singular for one match"
    one = call(cli, "search", "froze")
    assert one.returncode == 0 and one.stderr.strip() == "1 file matches"
    proc = call(cli, "show", "a.txt")
    assert proc.returncode == 0 and FILES["a.txt"].split("\n", 1)[1].strip() in proc.stdout


def test_exit_1_for_no_hits(cli: dict[str, Any]) -> None:
    proc = call(cli, "search", "nothingmatcheszzz", "--json")
    assert proc.returncode == 1
    data = json_out(proc)
    assert (data["query"], data["total"], data["hits"]) == ("nothingmatcheszzz", 0, [])
    assert proc.stderr == ""


def test_exit_2_for_bad_queries_and_usage(cli: dict[str, Any], run_cli) -> None:
    proc = call(cli, "search", "date:2024-13", "--json")
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("corpus-browser: ") and "date" in line
    proc = call(cli, "show", "missing.txt", "--json")
    assert proc.returncode == 2 and proc.stdout == "" and "missing.txt" in proc.stderr
    proc = run_cli("search", "harbour", "--corpus", cli["tmp"] / "nope", "--index-dir", cli["ix"])
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    for proc in (
        run_cli("search", "--index-dir", cli["ix"]),  # no --corpus
        run_cli("search", "harbour", "--corpus", cli["root"], "--sort", "size"),
    ):
        assert proc.returncode == 2 and proc.stdout == ""
        assert "Traceback" not in proc.stderr


def test_exit_3_without_an_index_with_advice(cli: dict[str, Any], run_cli) -> None:
    empty = cli["tmp"] / "no-index"
    proc = run_cli("search", "harbour", "--corpus", cli["root"], "--index-dir", empty, "--json")
    assert proc.returncode == 3 and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert f"corpus-browser index {cli['root']}" in line, "says what to do"
    assert not empty.exists(), "a reader never creates an index"


def test_exit_3_when_locked(cli: dict[str, Any], run_cli) -> None:
    with IndexStore(cli["ix"]).writer_lock(timeout=1):
        proc = run_cli("index", cli["root"], "--index-dir", cli["ix"], "--wait", "0.2")
    assert proc.returncode == 3 and proc.stdout == ""
    assert "another process" in proc.stderr and "Traceback" not in proc.stderr


def test_search_update_indexes_changes_then_searches_in_one_run(
    make_corpus, run_cli, tmp_path: Path
) -> None:
    root = make_corpus(
        {"a.txt": " date 2024-01-02 Harbour\nThe harbour opened.\n", "b.txt": "Quiet day.\n"}
    )
    ix = tmp_path / "ix"

    def search(*extra: str) -> subprocess.CompletedProcess[str]:
        return run_cli("search", "walrus", "--corpus", root, "--index-dir", ix, "--json", *extra)

    fresh = search("--update")  # no index yet: it is built, then searched
    assert fresh.returncode == 1 and json_out(fresh)["update"]["added"] == 2
    (root / "a.txt").write_text(" date 2024-01-02 Harbour\nA walrus in the harbour.\n")
    (root / "c.txt").write_text("A walrus arrived.\n")
    (root / "b.txt").unlink()
    assert search().returncode == 1, "without --update the index is as it was"
    proc = search("--update")
    assert proc.returncode == 0, proc.stderr
    data = json_out(proc)
    assert {h["path"] for h in data["hits"]} == {"a.txt", "c.txt"}
    update = data["update"]
    assert (update["added"], update["updated"], update["removed"]) == (1, 1, 1)
    assert search().returncode == 0, "the index itself was brought up to date"
    with IndexStore(ix).writer_lock(timeout=1):
        locked = search("--update", "--wait", "0.2")
    assert locked.returncode == 3 and locked.stdout == ""
    assert "another process" in locked.stderr and "Traceback" not in locked.stderr


def test_batch_with_update_reports_the_update_on_its_first_line(
    make_corpus, run_cli, tmp_path: Path
) -> None:
    root = make_corpus({"a.txt": "The harbour opened.\n", "b.txt": "Quiet day.\n"})
    ix = tmp_path / "ix"
    assert run_cli("index", root, "--index-dir", ix, "--quiet").returncode == 0
    (root / "a.txt").write_text("A walrus in the harbour.\n")
    batch = tmp_path / "queries.txt"
    batch.write_text("walrus\nharbour\n")
    where = ("--corpus", root, "--index-dir", ix)
    proc = run_cli("search", "--batch", batch, "--update", *where)
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["total"] == 1 and first["update"]["updated"] == 1
    assert second["total"] == 1 and "update" not in second
    batch.write_text("\n")  # no query: the report alone
    (root / "b.txt").write_text("A walrus too.\n")
    lines = run_cli("search", "--batch", batch, "--update", *where).stdout.splitlines()
    assert [json.loads(line)["update"]["updated"] for line in lines] == [1]


def test_console_script_help(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "corpus-browser"
    if not script.exists():
        script = Path(shutil.which("corpus-browser") or "corpus-browser")
    proc = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=60,
        env=cli_env(tmp_path), cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for verb in ("index", "search", "show"):
        assert verb in proc.stdout
    assert proc.stderr == ""


def test_show_without_a_query_needs_no_index(tmp_path: Path, run_cli) -> None:
    root = write_corpus(tmp_path / "corpus", {"a.txt": " date 2024-01-02 Alone\nLang Son talks.\n"})
    proc = run_cli("show", "a.txt", "--json", "--corpus", root, "--index-dir", tmp_path / "none")
    assert proc.returncode == 0, proc.stderr
    shown = json_out(proc)
    assert (shown["title"], shown["text"]) == ("Alone", "Lang Son talks.\n")
    assert [p["name"] for p in shown["provinces"]] == ["Lang Son"]
    proc = run_cli(
        "show", "a.txt", "--query", "talks", "--corpus", root, "--index-dir", tmp_path / "none"
    )
    assert proc.returncode == 3 and len(proc.stderr.strip().splitlines()) == 1


def test_index_json_into_a_file_with_progress_at_the_terminal(tmp_path: Path) -> None:
    """`index --json > report.json` at a terminal: the progress bar goes to the terminal
    (stderr), and the file holds the JSON report alone."""
    import os
    import pty

    root = write_corpus(tmp_path / "corpus", {"a.txt": FILES["a.txt"], "b.txt": FILES["b.txt"]})
    main_fd, tty_fd = pty.openpty()
    report = tmp_path / "report.json"
    with report.open("wb") as out:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "search",
                "index",
                str(root),
                "--index-dir",
                str(tmp_path / "ix"),
                "--json",
            ],  # fmt: skip
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=tty_fd,
            env=cli_env(tmp_path),
            timeout=60,
        )
    os.close(tty_fd)
    seen = b""
    with contextlib.suppress(OSError):  # EIO once the pty's other end is closed
        while chunk := os.read(main_fd, 65536):
            seen += chunk
    os.close(main_fd)
    assert proc.returncode == 0
    assert report.read_bytes().startswith(b'{"corpus"'), report.read_bytes()[:80]
    assert json.loads(report.read_text(encoding="utf-8"))["documents"] == 2
    assert b"indexing" in seen, seen[:200]


def test_human_output_writes_counts_with_thousands_separators(tmp_path: Path, run_cli) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"many.txt": "Walruses\n" + "walrus " * 1200})
    index_dir = tmp_path / "index"
    assert run_cli("index", corpus, "--index-dir", index_dir, "--quiet").returncode == 0
    proc = run_cli("search", "walrus", "--corpus", corpus, "--index-dir", index_dir)
    assert proc.stdout.splitlines()[0].endswith("(1,200 matches)"), proc.stdout
    data = json_out(
        run_cli("search", "walrus", "--corpus", corpus, "--index-dir", index_dir, "--json")
    )
    assert len(data["hits"][0]["matches"]) == 1200  # JSON keeps plain numbers


VERB_NAMES = ("index", "search", "show", "entities", "curate", "saved")


def test_version(run_cli) -> None:
    from importlib.metadata import version

    for args in (["--version"], ["sample_corpus", "--version"]):
        proc = run_cli(*args)
        assert proc.returncode == 0 and proc.stderr == ""
        assert proc.stdout.strip() == f"corpus-browser {version('corpus-browser')}"


@pytest.mark.parametrize("verb", [None, *VERB_NAMES])
def test_help_on_every_verb_ends_with_examples_of_that_verb(
    verb: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    from search.cli import main

    try:
        code = main([*([verb] if verb else []), "--help"])
    except SystemExit as exc:  # argparse's own --help
        code = exc.code
    out = capsys.readouterr()
    assert code in (0, None) and out.err == ""
    examples = out.out.split("\nexamples:\n", 1)[1].splitlines()
    commands = [line.strip() for line in examples if line.startswith("  corpus-browser")]
    assert commands, out.out
    if verb:
        assert all(c.startswith(f"corpus-browser {verb} ") for c in commands)


OFFICIAL_FILES = {
    "a.txt": " date 2024-03-01 Visit\n"
    "Liu Ning, Secretary of the Guangxi Party Committee, met traders in Nanning.\n",
    "b.txt": " date 2023-01-01 Fair\nLiu Ning, Governor of Guangxi, spoke at the fair.\n",
    "c.txt": " date 2023-06-01 Gate\n"
    "Lan Tianli, Chairman of Guangxi, opened the border gate with Liu Ning, Governor of "
    "Guangxi.\n",
    "undated.txt": "Undated story\nLiu Ning, Vice Governor of Guangxi, toured a farm.\n",
}


@pytest.fixture(scope="module")
def officials(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A corpus with officials and provinces, indexed once by the CLI."""
    tmp = tmp_path_factory.mktemp("officials")
    lang_son = {"d.txt": " date 2022-05-05 Trade\nTrade through Lang Son province grew.\n"}
    root = write_corpus(tmp / "corpus", {**OFFICIAL_FILES, **lang_son})
    assert run(tmp, "index", root, "--index-dir", tmp / "ix").returncode == 0
    return {"tmp": tmp, "root": root, "ix": tmp / "ix"}


def test_cli_and_panel_agree_on_the_latest_title(officials: dict[str, Any]) -> None:
    """The latest dated article gives the title, not an undated one (which may be years
    old); the CLI, its JSON and the side panel's facets say the same; "1 file", singular."""
    latest = "Secretary of the Guangxi Party Committee"
    lines = call(officials, "entities").stdout.splitlines()
    liu_line = next(line for line in lines if "Liu Ning" in line)
    lan_line = next(line for line in lines if "Lan Tianli" in line)
    assert latest in liu_line and " 4 files " in liu_line
    assert " 1 file " in lan_line and "1 files" not in "\n".join(lines)
    data = json_out(call(officials, "entities", "--json"))
    liu = next(o for o in data["officials"] if o["name"] == "Liu Ning")
    assert liu["title"] == latest
    assert [t["date"] for t in liu["titles"]][-1] is None, "the undated title is in the history"
    from search.index.facade import CorpusIndex

    index = CorpusIndex(officials["root"], officials["ix"])
    try:
        panel = index.search("*", facets=True).facets["official"]
    finally:
        index.close()
    assert {f.name: f.detail for f in panel}["Liu Ning"] == latest


def test_misspelt_provinces_find_the_province(officials: dict[str, Any]) -> None:
    from search.index.facade import CorpusIndex

    index = CorpusIndex(officials["root"], officials["ix"])
    try:

        def paths(query: str) -> set[str]:
            return {h.path for h in index.search(query, limit=None).hits}

        right = paths("province:guangxi")
        assert right == set(OFFICIAL_FILES)
        typos = {"Guangxy": right, "Quangxi": right, "gaungxi": right, "Guangxii": right}
        for typo, expected in {**typos, '"Lang Sonn"': {"d.txt"}}.items():
            assert paths(f"province:{typo}") == expected, typo
    finally:
        index.close()
    proc = call(officials, "search", "province:Guangxy", "--json", "--limit", "0")
    assert {h["path"] for h in json_out(proc)["hits"]} == right


def test_did_you_mean_for_an_official_or_province_no_file_has(officials: dict[str, Any]) -> None:
    proc = call(officials, "search", "official:liu")
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "0 files match; no official 'liu'; did you mean official:\"Liu Ning\"?"
    )
    data = json_out(call(officials, "search", "official:liu", "--json"))
    assert data["did_you_mean"] == [
        {"field": "official", "typed": "liu", "queries": ['official:"Liu Ning"']}
    ]
    from search.index.facade import CorpusIndex

    index = CorpusIndex(officials["root"], officials["ix"])
    try:
        # a name a few edits away, a word of a province's name, and nothing to suggest
        found = index.search('official:"lan tainli" OR province:Gnangxoo OR province:lang')
        assert [s.queries for s in found.suggestions] == [
            ['official:"Lan Tianli"'],
            ['province:"Lang Son"'],
        ]
        assert index.search("province:Guangxi").suggestions == []
    finally:
        index.close()
