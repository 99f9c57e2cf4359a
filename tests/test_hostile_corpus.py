"""Indexing and showing a hostile corpus through the real command line (issue 6).

One module-scoped index of the corpus from ``tests/hostile.py`` (built by a real
``corpus-browser index`` subprocess with a timeout, so a FIFO that blocked would fail the
test instead of hanging it), then checks of what was indexed, what was skipped and why, and
that nothing ``show`` or ``search`` prints can carry a control sequence to a terminal.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the package need not be installed
from hostile import RICH_MARKUP, make_hostile_corpus, run_cli  # noqa: E402

from search.cli import main as cli_main  # noqa: E402

# Nothing a terminal obeys: C0 but \n and \t, DEL, C1, bidi embeddings/overrides/isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def unsafe_chars(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(text)})


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("hostile")
    expect = make_hostile_corpus(root)
    index_dir = root / "index"
    proc = run_cli(
        "index",
        str(expect["corpus"]),
        "--index-dir",
        str(index_dir),
        "--json",
        "--max-mb",
        str(expect["max_mb"]),
    )
    expect["index_dir"] = index_dir
    expect["proc"] = proc
    expect["report"] = json.loads(proc.stdout) if proc.returncode == 0 else None
    return expect


def search_json(h: dict[str, Any], query: str, *extra: str) -> tuple[int, dict[str, Any]]:
    proc = run_cli(
        "search",
        query,
        "--corpus",
        str(h["corpus"]),
        "--index-dir",
        str(h["index_dir"]),
        "--json",
        "--limit",
        "0",
        "--max-mb",
        str(h["max_mb"]),
        *extra,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout) if proc.stdout else {}


def test_index_exits_0_without_traceback(hostile: dict[str, Any]) -> None:
    proc = hostile["proc"]
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert hostile["report"]["rebuilt"] is True


def test_every_readable_text_file_is_indexed_and_nothing_else(hostile: dict[str, Any]) -> None:
    code, data = search_json(hostile, "*")
    assert code == 0
    paths = {h["path"] for h in data["hits"]}
    expected = set(hostile["indexed"])
    assert sorted(expected - paths) == [], "readable files missing from the index"
    assert sorted(paths - expected) == [], "files indexed that should not be"
    assert hostile["report"]["documents"] == len(expected)


def test_every_skipped_file_is_reported_with_its_reason(hostile: dict[str, Any]) -> None:
    skipped = {s["path"]: s["reason"] for s in hostile["report"]["skipped"]}
    for rel, why in hostile["skipped"].items():
        assert rel in skipped, f"{rel} was not reported as skipped"
        assert why.lower() in skipped[rel].lower(), (rel, skipped[rel])
    for rel, reason in skipped.items():
        assert reason.strip() and "\n" not in reason, (rel, reason)
        assert rel not in hostile["indexed"]
    # Nothing is reported that we did not plant (a skip must mean something).
    assert set(skipped) == set(hostile["skipped"])


def test_warnings_for_truncated_and_impossible_dates(hostile: dict[str, Any]) -> None:
    warnings: dict[str, list[str]] = {}
    for w in hostile["report"]["warnings"]:
        warnings.setdefault(w["path"], []).append(w["message"])
    for rel, part in hostile["warned"].items():
        assert any(part in m for m in warnings.get(rel, [])), (rel, warnings.get(rel))


def test_links_out_and_loops_are_never_followed(hostile: dict[str, Any]) -> None:
    code, data = search_json(hostile, hostile["secret"])
    assert code == 1 and data["total"] == 0, "text from outside the corpus was indexed"
    _code, everything = search_json(hostile, "*")
    paths = {h["path"] for h in everything["hits"]}
    for rel in hostile["absent"]:
        assert rel not in paths
    # Round a loop, a path would repeat a folder name; nothing indexed goes through a link.
    assert not any(re.search(r"(^|/)(up|self|to_a|to_b|link_out[^/]*)/", p) for p in paths)


def test_each_file_is_found_by_its_marker_with_its_date(hostile: dict[str, Any]) -> None:
    wanted = {rel: e for rel, e in hostile["indexed"].items() if e.get("marker")}
    batch = hostile["index_dir"].parent / "markers.txt"
    markers = sorted({e["marker"] for e in wanted.values()})
    extra = [e["beyond"] for e in wanted.values() if e.get("beyond")]
    batch.write_text("\n".join(markers + extra) + "\n", encoding="utf-8")
    proc = run_cli(
        "search",
        "--batch",
        str(batch),
        "--corpus",
        str(hostile["corpus"]),
        "--index-dir",
        str(hostile["index_dir"]),
        "--limit",
        "0",
    )
    assert proc.returncode == 0, proc.stderr
    results = {r["query"]: r for r in map(json.loads, proc.stdout.splitlines())}
    for rel, e in wanted.items():
        hits = {h["path"]: h for h in results[e["marker"]]["hits"]}
        assert rel in hits, f"{rel} not found by {e['marker']}"
        if "date" in e:
            assert hits[rel]["date"] == e["date"], rel
        assert not unsafe_chars(hits[rel]["title"] + hits[rel]["snippet"]), rel
    for word in extra:  # text beyond --max-mb is not indexed
        assert results[word]["total"] == 0


def test_show_json_of_every_indexed_file_is_terminal_safe(
    hostile: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """The real CLI entry point, in-process (one subprocess per file would take a minute)."""
    base = [
        "--corpus",
        str(hostile["corpus"]),
        "--index-dir",
        str(hostile["index_dir"]),
        "--max-mb",
        str(hostile["max_mb"]),
        "--json",
    ]
    for rel, e in hostile["indexed"].items():
        code = cli_main(["show", *base, "--", rel])
        out, err = capsys.readouterr()
        assert code == 0, (rel, err)
        doc = json.loads(out)
        assert doc["path"] == rel
        for key in ("text", "title"):
            assert not unsafe_chars(doc[key]), (rel, key, unsafe_chars(doc[key]))
            assert "\r" not in doc[key]
        for part in e.get("contains", []):
            assert part in doc["text"], (rel, part)
        if "date" in e:
            assert doc["date"] == e["date"], rel


def test_markup_stays_literal_and_planted_sequences_are_defused(
    hostile: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--corpus", str(hostile["corpus"]), "--index-dir", str(hostile["index_dir"]), "--json"]
    assert cli_main(["show", "rich_markup.txt", *base]) == 0
    assert RICH_MARKUP in json.loads(capsys.readouterr().out)["text"]
    assert cli_main(["show", "osc52_bel.txt", *base]) == 0
    text = json.loads(capsys.readouterr().out)["text"]
    # One visible symbol for each control character, so offsets still line up.
    assert "\u241b]52;c;aGFja2VkIGNsaXBib2FyZA==\u2407" in text


def test_human_output_of_search_and_show_is_terminal_safe(hostile: dict[str, Any]) -> None:
    args = ["--corpus", str(hostile["corpus"]), "--index-dir", str(hostile["index_dir"])]
    proc = run_cli("search", "zqx*", *args, "--limit", "0")
    assert proc.returncode == 0, proc.stderr
    assert not unsafe_chars(proc.stdout.replace("\n", " "))
    for rel in ("ansi_csi.txt", "osc0_title.txt", "esc_in_title.txt", "bidi.txt", "c1_unicode.txt"):
        proc = run_cli("show", rel, *args)
        assert proc.returncode == 0, proc.stderr
        assert not unsafe_chars(proc.stdout.replace("\n", " ")), rel


@pytest.mark.parametrize("rel", ["-rf --leading-dash.txt", "$(touch PWNED) `id`.txt"])
def test_odd_names_work_as_arguments(hostile: dict[str, Any], rel: str) -> None:
    proc = run_cli(
        "show",
        "--corpus",
        str(hostile["corpus"]),
        "--index-dir",
        str(hostile["index_dir"]),
        "--json",
        "--",
        rel,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["path"] == rel
    assert not (REPO / "PWNED").exists()


def test_second_run_is_incremental_and_clean(hostile: dict[str, Any]) -> None:
    proc = run_cli(
        "index",
        str(hostile["corpus"]),
        "--index-dir",
        str(hostile["index_dir"]),
        "--json",
        "--max-mb",
        str(hostile["max_mb"]),
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert report["rebuilt"] is False
    assert report["added"] == report["updated"] == report["removed"] == 0
    assert report["documents"] == len(hostile["indexed"])


def test_unreadable_file_is_skipped_for_an_unprivileged_user(tmp_path_factory) -> None:
    """chmod 000 does not stop root, so when running as root the indexer runs in a child
    that has dropped to ``nobody``: there the file is truly unreadable."""
    if not hasattr(os, "fork"):
        pytest.skip("needs fork")
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="cb-unreadable-"))
    try:
        base.chmod(0o777)
        corpus = base / "corpus"
        corpus.mkdir()
        (corpus / "fine.txt").write_text(" date 2024-01-02 Fine\nreadable words\n")
        secret = corpus / "locked.txt"
        secret.write_text(" date 2024-01-03 Locked\nlocked words\n")
        secret.chmod(0)
        index_dir = base / "index"
        out = base / "out.json"
        uid = os.geteuid()
        # Modules the CLI loads on first use are loaded now: the child runs as nobody, who
        # may not be allowed to read the interpreter's library (a pyenv under /root).
        import filelock  # noqa: F401

        import search.engine.whoosh.indexer  # noqa: F401
        import search.extract.core  # noqa: F401

        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 99
            try:
                if uid == 0:
                    os.setgroups([])
                    os.setgid(65534)
                    os.setuid(65534)
                with open(out, "w", encoding="utf-8") as fh:
                    sys.stdout = fh
                    code = cli_main(
                        [
                            "index",
                            str(corpus),
                            "--index-dir",
                            str(index_dir),
                            "--json",
                            "--procs",
                            "1",
                        ]
                    )
            finally:
                os._exit(code)
        _pid, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        report = json.loads(out.read_text())
        skipped = {s["path"]: s["reason"] for s in report["skipped"]}
        assert "cannot open" in skipped.get("locked.txt", ""), skipped
        assert report["documents"] == 1
    finally:
        import shutil

        shutil.rmtree(base, ignore_errors=True)
