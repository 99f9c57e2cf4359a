"""Writers and readers at the same time: one writer at a time, readers never blocked.

Real ``index`` subprocesses against one index folder, and a ``CorpusIndex`` (what the app
holds) searching in a loop in this process while they run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the package need not be installed
from hostile import (  # noqa: E402
    QUERIES,
    batch_answers,
    cli_argv,
    cli_env,
    generations,
    indexed_news_corpus,
    run_cli,
)

from search.index.facade import CorpusIndex  # noqa: E402

ARTICLES = 150
LOCKED = "being written by another process"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return indexed_news_corpus(tmp_path_factory.mktemp("concurrency"), ARTICLES)


def start_index(built: dict[str, Any], *extra: Any) -> tuple[subprocess.Popen[bytes], Path]:
    err = built["root"] / f"index-{time.monotonic_ns()}.stderr"
    with open(err, "wb") as fh:
        proc = subprocess.Popen(
            cli_argv("index", built["corpus"], "--index-dir", built["index_dir"], *extra),
            cwd=REPO,
            env=cli_env(),
            stdout=subprocess.DEVNULL,
            stderr=fh,
        )
    return proc, err


def wait_for_progress(proc: subprocess.Popen[bytes], err: Path) -> None:
    """Until the writer reports its first document: it holds the lock from then on."""
    deadline = time.monotonic() + 60
    while b'"done"' not in err.read_bytes():
        assert proc.poll() is None, err.read_text()
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.fixture
def lock_held(built: dict[str, Any]):
    """Another writer holding the lock, for as long as the test wants: the same flock on
    ``writer.lock`` that a running ``index`` holds (its timing is then in our hands)."""
    import filelock

    lock = filelock.FileLock(str(built["index_dir"] / "writer.lock"), thread_local=False)
    lock.acquire()
    (built["index_dir"] / "writer.pid").write_text("424242")
    yield lock
    lock.release()


def test_second_writer_exits_3_with_a_clear_message(built: dict[str, Any], lock_held) -> None:
    second = run_cli(
        "index", built["corpus"], "--index-dir", built["index_dir"], "--rebuild", "--wait", "0.3"
    )
    assert second.returncode == 3, second.stderr
    assert LOCKED in second.stderr and "--wait" in second.stderr, second.stderr
    assert "pid 424242" in second.stderr
    assert "Traceback" not in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1, second.stderr
    assert batch_answers(built["corpus"], built["index_dir"]) == built["answers"]


def test_second_writer_waits_then_succeeds(built: dict[str, Any], lock_held) -> None:
    import threading

    threading.Timer(1.5, lock_held.release).start()
    started = time.monotonic()
    second = run_cli(
        "index",
        built["corpus"],
        "--index-dir",
        built["index_dir"],
        "--wait",
        "60",
        "--rebuild",
        "--json",
        timeout=300,
    )
    assert second.returncode == 0, second.stderr
    assert time.monotonic() - started > 1.5
    assert batch_answers(built["corpus"], built["index_dir"]) == built["answers"]


@pytest.mark.slow
def test_a_real_second_index_run_during_a_rebuild(built: dict[str, Any]) -> None:
    first, err = start_index(built, "--rebuild", "--progress-jsonl")
    wait_for_progress(first, err)
    second = run_cli("index", built["corpus"], "--index-dir", built["index_dir"], "--wait", "0")
    assert first.wait(timeout=300) == 0, err.read_text()
    # The first may have finished before the second looked; either outcome is a clear one.
    assert second.returncode in (0, 3), second.stderr
    assert "Traceback" not in second.stderr
    if second.returncode == 3:
        assert LOCKED in second.stderr
    assert batch_answers(built["corpus"], built["index_dir"]) == built["answers"]


@pytest.mark.slow
def test_two_writers_started_together_on_a_new_index(built: dict[str, Any]) -> None:
    index_dir = built["root"] / "fresh-index"
    procs = [
        subprocess.Popen(
            cli_argv("index", built["corpus"], "--index-dir", index_dir, "--wait", "0"),
            cwd=REPO,
            env=cli_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read().decode()) for p in procs]  # type: ignore[union-attr]
    codes = sorted(code for code, _err in results)
    assert codes in ([0, 0], [0, 3]), results
    for code, err in results:
        assert "Traceback" not in err
        if code == 3:
            assert LOCKED in err
    assert batch_answers(built["corpus"], index_dir) == built["answers"]
    live, gens = generations(index_dir)
    assert live in gens


def test_searches_never_fail_during_a_rebuild_and_see_the_new_index(
    built: dict[str, Any],
) -> None:
    """What the app does: one CorpusIndex, opened before the rebuild, searching throughout."""
    index = CorpusIndex(built["corpus"], built["index_dir"])
    expected = {a["query"]: a["total"] for a in built["answers"] if "total" in a}
    word = "zqxfreshlyadded"
    assert index.search(word).total == 0
    fresh = built["corpus"] / "fresh.txt"
    fresh.write_text(f" date 2024-09-09 {word}\n{word}\n")
    searches = 0
    try:
        writer, err = start_index(built, "--rebuild")
        while writer.poll() is None:
            for query, total in expected.items():
                assert index.search(query, limit=5).total == total, query
                searches += 1
            assert index.search(word).total in (0, 1)
        assert writer.returncode == 0, err.read_text()
        # The searcher opened on the old generation notices CURRENT moved.
        assert index.search(word).total == 1
        # One more rebuild deletes the generation it first opened: still fine.
        for _ in range(1):
            proc = run_cli(
                "index",
                built["corpus"],
                "--index-dir",
                built["index_dir"],
                "--rebuild",
                "--quiet",
                timeout=300,
            )
            assert proc.returncode == 0, proc.stderr
            assert index.search(word).total == 1
            assert index.search(QUERIES[0]).total == expected[QUERIES[0]]
    finally:
        index.close()
        fresh.unlink()
        # A rebuild, not an update: deleted documents still count in an index's BM25
        # statistics, and the other tests compare scores with the first build's.
        proc = run_cli(
            "index", built["corpus"], "--index-dir", built["index_dir"], "--quiet", "--rebuild"
        )
        assert proc.returncode == 0, proc.stderr
    assert searches > len(expected), "the rebuild was over before any search ran"


@pytest.mark.slow
def test_cli_searches_during_a_rebuild(built: dict[str, Any]) -> None:
    writer, err = start_index(built, "--rebuild")
    runs = 0
    while writer.poll() is None or runs == 0:
        assert batch_answers(built["corpus"], built["index_dir"]) == built["answers"]
        runs += 1
    assert writer.wait() == 0, err.read_text()
