"""Side-panel counts (facets): for any query, each official's and province's count is the
number of matching files whose findings hold it, across segments, deletions and edits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_corpus

from search.engine.whoosh.columns import column_rows
from search.index.facade import CorpusIndex

FILES = {
    "a.txt": " date 2024-01-05 Trade\nLeaders of Lang Son and Guangxi discussed border trade.\n",
    "b.txt": " date 2024-02-06 Rail\nYunnan and Guangxi officials opened a rail link for trade.\n",
    "c.txt": " date 2024-03-07 Tea\nTea growers in Yunnan met buyers.\n",
    "d.txt": "Undated note on trade in Lang Son province.\n",
}


def expected(index: CorpusIndex, query: str) -> dict[str, Counter[str]]:
    """Counts worked out from each matching file's own findings."""
    counts: dict[str, Counter[str]] = {"official": Counter(), "province": Counter()}
    for hit in index.search(query, limit=None).hits:
        view = index.document(hit.path).to_json()
        counts["province"].update({p["key"] for p in view["provinces"]})
        counts["official"].update({o["key"] for o in view["officials"]})
    return counts


def shown(index: CorpusIndex, query: str) -> dict[str, Counter[str]]:
    facets = index.search(query, limit=1, facets=True).facets
    return {field: Counter({f.key: f.count for f in values}) for field, values in facets.items()}


@pytest.fixture
def index(tmp_path: Path) -> Iterator[CorpusIndex]:
    index = CorpusIndex(write_corpus(tmp_path / "corpus", FILES), tmp_path / "ix")
    index.update(procs=0)
    yield index
    index.close()


def test_counts_follow_the_query_through_updates(index: CorpusIndex) -> None:
    root = index.corpus
    for query in ("trade", "*", "yunnan", "tea OR rail", "nothing-matches-this"):
        assert shown(index, query) == expected(index, query), query
    assert sum(shown(index, "trade")["province"].values()) >= 4

    (root / "a.txt").unlink()  # a deletion
    (root / "c.txt").write_text("Tea growers in Lang Son met buyers.\n", encoding="utf-8")
    (root / "e.txt").write_text("Guangxi and Yunnan trade fair.\n", encoding="utf-8")
    index.update(procs=0)  # a second segment, with a deleted document in the first
    for query in ("trade", "*", "tea", "guangxi"):
        assert shown(index, query) == expected(index, query), query


def test_most_files_first_then_by_name(index: CorpusIndex) -> None:
    provinces = index.search("*", limit=1, facets=True).facets["province"]
    order = [(-f.count, f.name.casefold()) for f in provinces]
    assert order == sorted(order) and len(provinces) >= 3


def test_whole_columns_read_as_whoosh_reads_them(index: CorpusIndex) -> None:
    """The one-read column path gives Whoosh's own values, segment gaps included."""
    (index.corpus / "f.txt").write_text("Undated, and no province at all.\n", encoding="utf-8")
    index.update(procs=0)  # a second segment with no date column
    searcher = index._get_snapshot().searcher
    for name in ("date", "official_keys", "province_keys"):
        slow: list[object] = []
        for segment, _offset in searcher.reader().leaf_readers():
            if segment.has_column(name):
                slow.extend(iter(segment.column_reader(name, translate=False)))
            else:
                slow.extend([None] * segment.doc_count_all())
        assert column_rows(searcher, name) == slow, name
    assert any(row for row in column_rows(searcher, "province_keys"))
