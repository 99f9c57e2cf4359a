"""Searches that race a writer: a commit that lands while a search runs never fails it,
and never makes the product call a healthy index damaged.

The fast tests run a real ``index`` at a chosen moment inside a search (between reading
the hits and reading the current text of an edited hit, where the old code reopened the
searcher under its own feet).  The slow test is the experiment of issue 16: ``search
--json`` loops while ``index`` runs over files that keep changing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the package need not be installed
from hostile import make_news_corpus, run_cli  # noqa: E402

from search.corpus_index import CorpusIndex  # noqa: E402

WORD = "cooperation"


@pytest.fixture
def indexed(tmp_path: Path) -> dict[str, Any]:
    corpus = make_news_corpus(tmp_path / "corpus", 60)
    index_dir = tmp_path / "index"
    proc = run_cli("index", corpus, "--index-dir", index_dir, "--quiet")
    assert proc.returncode == 0, proc.stderr
    return {"corpus": corpus, "index_dir": index_dir}


def commit_at_first_text_read(index: CorpusIndex, corpus: Path, index_dir: Path) -> list[str]:
    """Make ``index`` run a real ``index`` update the first time a search reads a hit's
    current text: the commit then lands after the search opened its searcher."""
    original = index._current_text
    runs: list[str] = []

    def current_text(stored: dict[str, Any]) -> tuple[str, str | None]:
        if not runs:
            proc = run_cli("index", corpus, "--index-dir", index_dir, "--json")
            assert proc.returncode == 0, proc.stderr
            runs.append(proc.stdout)
        return original(stored)

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
        assert runs and json.loads(runs[0])["updated"] == 3, "the commit did not land mid-search"
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
        assert run_cli("index", corpus, "--index-dir", index_dir, "--quiet").returncode == 0
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
