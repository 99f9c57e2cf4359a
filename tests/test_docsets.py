"""The set-algebra evaluator (``docsets``) matches exactly the live documents Whoosh's
own matchers match, for every query shape the language produces, on an index with deleted
documents; and no search ever lists a deleted (removed) file.

(Whoosh's matchers alone are not the reference: under a ``Not`` they match deleted
documents, and ``Searcher.search`` returns them too.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE

from search.engine.whoosh.convert import whoosh_query
from search.engine.whoosh.docsets import matching_docs
from search.index.facade import CorpusIndex

QUERIES = [
    "guangxi",
    "guangxi cooperation",
    "guangxi OR yunnan",
    "cooperation NOT kunming",
    "NOT guangxi",
    "(trade OR border) AND NOT (china OR vietnam)",
    '"border gate"',
    "coop*",
    "date:2024",
    "date:[2024-01-01 to 2024-06-30]",
    "date:[2024-11-07 to 2024-12-31]",
    "date:>2024-05-08",
    "date:<2024-05-08",
    "guangxi date:2024",
    "date:2024 NOT guangxi",
    'province:"lang son"',
    'NOT "border gate"',
    "NOT date:2024",
    "*",
    "title:minister",
    "zzzunknownword",
    "zzzunknownword OR guangxi",
    "guangxi NOT zzzunknownword",
    "cooperatoin~2",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    tmp = tmp_path_factory.mktemp("docsets")
    root = tmp / "corpus"
    shutil.copytree(SAMPLE, root)
    index = CorpusIndex(root, tmp / "ix")
    index.update(procs=0)
    first = sorted(p.name for p in root.iterdir())[0]
    (root / first).unlink()  # a deleted document in the first segment
    (root / "extra.txt").write_text("Guangxi trade and a border gate.\n", encoding="utf-8")
    index.update(procs=0)
    yield index
    index.close()


@pytest.mark.parametrize("text", QUERIES)
def test_same_documents_as_whoosh(index: CorpusIndex, text: str) -> None:
    searcher = index._get_snapshot().searcher
    assert searcher.reader().has_deletions()
    query = whoosh_query(index.parse(text).query)
    live = set(searcher.reader().all_doc_ids())
    expected = set(searcher.docs_for_query(query)) & live
    assert matching_docs(searcher, query) == expected
    assert matching_docs(searcher, query, index._get_snapshot()._date_ticks()) == expected


@pytest.mark.parametrize("text", [q for q in QUERIES if "date:" in q])
def test_ranking_without_the_date_range_keeps_whooshs_order(index: CorpusIndex, text: str) -> None:
    searcher = index._get_snapshot().searcher
    live = set(searcher.reader().all_doc_ids())
    whoosh = [h.docnum for h in searcher.search(whoosh_query(index.parse(text).query), limit=None)]
    ours = [searcher.document_number(path=h.path) for h in index.search(text, limit=None).hits]
    assert ours == [d for d in whoosh if d in live]


def test_results_never_list_a_removed_file(index: CorpusIndex) -> None:
    present = {p.relative_to(index.corpus).as_posix() for p in index.corpus.rglob("*.txt")}
    searcher = index._get_snapshot().searcher
    live = set(searcher.reader().all_doc_ids())
    for text in QUERIES:
        for sort in ("relevance", "date"):
            results = index.search(text, limit=None, sort=sort)
            assert {hit.path for hit in results.hits} <= present, (text, sort)
            expected = set(searcher.docs_for_query(whoosh_query(index.parse(text).query))) & live
            assert results.total == len(results.hits) == len(expected), (text, sort)


def test_a_query_matching_only_removed_files_lists_nothing(
    tmp_path: Path,
) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in (
        ("a.txt", "A red fox.\n"),
        ("b.txt", "The red fox.\n"),
        ("c.txt", "Cats.\n"),
    ):
        (root / name).write_text(text, encoding="utf-8")
    index = CorpusIndex(root, tmp_path / "ix")
    try:
        index.update(procs=0)
        (root / "c.txt").unlink()
        (root / "d.txt").write_text("Another red fox.\n", encoding="utf-8")
        index.update(procs=0)
        assert index._get_snapshot().searcher.reader().has_deletions()  # c.txt still in a segment
        for sort in ("relevance", "date"):
            results = index.search('NOT "red fox"', limit=None, sort=sort)
            assert (results.total, results.hits) == (0, []), sort
    finally:
        index.close()
