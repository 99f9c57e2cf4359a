"""Searches that race a writer: a commit that lands while a search runs never fails it,
and never makes the product call a healthy index damaged.

The fast tests run a real ``index`` at a chosen moment inside a search (between reading
the hits and reading the current text of an edited hit, where the old code reopened the
searcher under its own feet).  The slow test is the experiment of issue 16: ``search
--json`` loops while ``index`` runs over files that keep changing.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the package need not be installed
from hostile import cli_argv, cli_env, make_news_corpus, run_cli  # noqa: E402

from search.index.facade import CorpusIndex  # noqa: E402

WORD = "cooperation"


@pytest.fixture
def indexed(tmp_path: Path) -> dict[str, Any]:
    corpus = make_news_corpus(tmp_path / "corpus", 60)
    index_dir = tmp_path / "index"
    update(corpus, index_dir)
    return {"corpus": corpus, "index_dir": index_dir}


def update(corpus: Path, index_dir: Path) -> dict[str, Any]:
    """A real update by another writer (another ``CorpusIndex``, in this process: faster
    than a subprocess, the same commit)."""
    writer = CorpusIndex(corpus, index_dir)
    try:
        return writer.update(procs=0).to_json()
    finally:
        writer.close()


def commit_at_first_text_read(
    index: CorpusIndex, corpus: Path, index_dir: Path
) -> list[dict[str, Any]]:
    """Make another writer commit an update the first time ``index``'s search reads a hit's
    current text: the commit then lands after the search opened its searcher."""
    original = index._current_text
    runs: list[dict[str, Any]] = []

    def current_text(stored: dict[str, Any], snap: Any = None) -> tuple[str, str | None]:
        if not runs:
            runs.append(update(corpus, index_dir))
        return original(stored, snap)

    index._current_text = current_text  # type: ignore[method-assign]
    return runs


def test_a_commit_during_a_search_over_edited_hits_does_not_fail_it(
    indexed: dict[str, Any],
) -> None:
    corpus, index_dir = indexed["corpus"], indexed["index_dir"]
    index = CorpusIndex(corpus, index_dir)
    before = index.search(WORD, limit=None)
    assert before.total > 3
    # Hits edited since they were indexed: the search finds their matches in the text.
    edited = [corpus / hit.path for hit in before.hits[:3]]
    for path in edited:
        path.write_text(path.read_text(encoding="utf-8") + f"\n{WORD} appended\n", "utf-8")
    runs = commit_at_first_text_read(index, corpus, index_dir)
    try:
        after = index.search(WORD, limit=None)
        assert runs and runs[0]["updated"] == 3, "the commit did not land mid-search"
        assert after.total == before.total
        by_path = {hit.path: hit for hit in after.hits}
        for path in edited:
            view = index.document(str(path.relative_to(corpus)), WORD)
            # The reader's matches, the appended word among them.
            assert by_path[view.document.path].matches == view.matches
            a, b = view.matches[-1]
            assert view.document.text[a:b] == WORD and a > len(view.document.text) - 30
    finally:
        index.close()


def test_a_commit_that_merges_segments_during_a_search_does_not_fail_it(
    indexed: dict[str, Any],
) -> None:
    """Whoosh opens a segment's column files when first read; a commit that merged that
    segment away deleted them.  The search retries on the new state instead of calling
    the index damaged."""
    corpus, index_dir = indexed["corpus"], indexed["index_dir"]
    # Five small segments, one update per edited file: Whoosh merges them at the next commit.
    files = sorted(corpus.rglob("*.txt"))
    for path in files[:5]:
        path.write_text(path.read_text(encoding="utf-8") + f"\n{WORD}\n", "utf-8")
        update(corpus, index_dir)
    index = CorpusIndex(corpus, index_dir)
    expected = index.search(WORD, limit=None, sort="date", facets=True).total
    index.close()
    files[5].write_text(files[5].read_text(encoding="utf-8") + f"\n{WORD}\n", "utf-8")
    index = CorpusIndex(corpus, index_dir)
    runs = commit_at_first_text_read(index, corpus, index_dir)
    try:
        results = index.search(WORD, limit=None, sort="date", facets=True)
    finally:
        index.close()
    assert runs
    assert results.total in (expected, expected + 1)


@pytest.mark.slow
def test_search_loops_during_index_runs_over_changing_files(tmp_path: Path) -> None:
    """Issue 16's experiment: three ``search --json`` loops of broad queries, for a minute,
    while ``index`` runs over and over and a third party keeps editing, adding and
    deleting files that those searches hit.  No search may fail."""
    corpus = make_news_corpus(tmp_path / "corpus", 400)
    index_dir = tmp_path / "index"
    assert run_cli("index", corpus, "--index-dir", index_dir, "--quiet").returncode == 0
    files = sorted(corpus.rglob("*.txt"))
    stop = threading.Event()
    updates: list[subprocess.CompletedProcess[str]] = []
    failures: list[str] = []
    searches = [0]

    def edit() -> None:
        rng = random.Random(16)
        extra = corpus / "extra"
        extra.mkdir()
        while not stop.is_set():
            path = rng.choice(files)
            text = path.read_text(encoding="utf-8")
            path.write_text(text + f"\n{rng.choice(QUERY_WORDS)} trade border market\n", "utf-8")
            new = extra / f"new_{rng.randrange(20)}.txt"
            if new.exists():
                new.unlink()
            else:
                new.write_text(f" date 2024-05-05 Trade note\ntrade cooperation {new.name}\n")
            time.sleep(0.05)

    def index() -> None:
        while not stop.is_set():
            proc = run_cli("index", corpus, "--index-dir", index_dir, "--json", timeout=300)
            updates.append(proc)

    def search(worker: int) -> None:
        for n in range(10**6):
            if stop.is_set():
                return
            word = QUERY_WORDS[(n + worker) % len(QUERY_WORDS)]
            args = ["search", word, "--json", "--corpus", corpus, "--index-dir", index_dir]
            if n % 3 == 0:
                args += ["--limit", "0"]
            proc = subprocess.run(
                cli_argv(*args), capture_output=True, text=True, env=cli_env(), timeout=120
            )
            searches[0] += 1
            if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
                failures.append(f"{word}: exit {proc.returncode}: {proc.stderr.strip()}")

    threads = [threading.Thread(target=edit), threading.Thread(target=index)]
    threads += [threading.Thread(target=search, args=(w,)) for w in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(60)
    stop.set()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, f"{len(failures)} of {searches[0]} searches failed: {failures[:5]}"
    assert all(p.returncode == 0 for p in updates), [p.stderr for p in updates]
    changed = [json.loads(p.stdout) for p in updates]
    assert sum(r["updated"] + r["added"] + r["removed"] for r in changed) > 0
    # Nor does a writer take its own commits, recorded as they land, for damage.
    assert not [r["rebuild_reason"] for r in changed if r["rebuilt"]]
    assert searches[0] >= 30 and len(updates) >= 5, (searches[0], len(updates))


QUERY_WORDS = ["trade", "border", "cooperation", "market", "province"]
