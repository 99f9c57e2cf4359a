"""The engine protocol (``search.engine.base``), held to the same answers on every engine.

Each test runs once per engine in ``conftest.ENGINES``.  The corpus is written here and
every expectation is derived from its files (dates, words, paths), never from an engine;
the query trees come from the real parser, as the facade gets them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE, open_index, write_corpus
from test_queries import NEWS, file_text

from search.engine.base import Snapshot
from search.errors import QueryError
from search.query import tree
from search.query.parser import parse_query
from search.query.tree import MAX_EXPANSION, Highlight

# Words enough for a wildcard past the expansion limit, in one file.
MANY = " ".join(f"zq{n:04d}" for n in range(MAX_EXPANSION + 50))
FILES: dict[str, str] = {p: file_text(*v) for p, v in NEWS.items()}
FILES["many.txt"] = f"Many words\n{MANY}.\n"
FILES.update({f"sample/{p.name}": p.read_text(encoding="utf-8") for p in SAMPLE.glob("*.txt")})
DATES = {p: d for p, (d, _t, _b) in NEWS.items()}
QUERIES = [
    "harbour",
    "border trade",
    '"border gate"',
    "coop*",
    "cooperatoin~2",
    "harbour NOT trade",
    "harbour OR 湖北",
    "date:2024",
    "date:[2023-12-31 to 2024-06-01] border",
    "title:year",
    "path:sub*",
    "province:guangxi",
    "*",
]


@pytest.fixture(scope="module")
def engine_index(tmp_path_factory: pytest.TempPathFactory, engine_name: str) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("contract")
    root = write_corpus(tmp / "corpus", FILES)
    index = open_index(engine_name, root, tmp / "ix")
    index.update(procs=0)
    yield index
    index.close()


@pytest.fixture(scope="module")
def snap(engine_index: Any) -> Iterator[Snapshot]:
    snapshot = engine_index.engine.open(engine_index.corpus)
    yield snapshot
    snapshot.close()


def tree_of(text: str) -> tree.Node:
    return parse_query(text).query


def paths(snap: Snapshot, docs: Any) -> set[str]:
    return {snap.record(d)["path"] for d in docs}


@pytest.mark.parametrize("text", QUERIES)
def test_find_gives_every_match_and_the_first_in_each_order(snap: Snapshot, text: str) -> None:
    q = tree_of(text)
    every = snap.matching(q)
    for sort in ("relevance", "date", "newest"):
        found = snap.find(q, sort=sort, limit=None)
        assert found.docs == every, sort
        listed = [d for d, _score in found.listed]
        assert sorted(listed) == sorted(every), sort
        assert [d for d, _s in snap.find(q, sort=sort, limit=3).listed] == listed[:3], sort
        if sort != "relevance":
            dates = snap.dates(listed)
            dated = [dates[d] for d in listed if dates[d] is not None]
            assert dated == sorted(dated, reverse=sort == "newest"), sort
            assert all(dates[d] is None for d in listed[len(dated) :]), "undated last"
    ranked = snap.rank(q, every, None)
    assert sorted(d for d, _s in ranked) == sorted(every)


def test_hit_sets_are_the_files_that_hold_the_words(snap: Snapshot) -> None:
    def holding(pattern: str) -> set[str]:
        return {p for p, text in FILES.items() if re.search(pattern, text, re.IGNORECASE)}

    assert paths(snap, snap.matching(tree_of("harbour"))) == holding(r"\bharbour\b")
    assert paths(snap, snap.matching(tree_of('"border gate"'))) == holding(r"border gate")
    assert paths(snap, snap.matching(tree_of("path:sub*"))) == {"sub/undated.txt", "sub/zh.txt"}
    in_2024 = {p for p, d in DATES.items() if d and d.year == 2024}
    assert paths(snap, snap.matching(tree_of("date:2024"))) & set(NEWS) == in_2024
    assert paths(snap, snap.matching(tree_of("*"))) == set(FILES)


def test_records_and_lookup_by_path_agree(snap: Snapshot) -> None:
    records = list(snap.records())
    assert {r["path"] for r in records} == set(FILES)
    for record in records:
        doc = snap.doc_of(record["path"])
        assert doc is not None and snap.record(doc)["path"] == record["path"]
        assert record["sha1"] and record["size"] == len(FILES[record["path"]].encode("utf-8"))
    assert snap.doc_of("no/such/file.txt") is None


def test_dates_and_the_date_span(snap: Snapshot) -> None:
    every = snap.matching(tree.Every())
    dates = snap.dates(every)
    for doc, date in dates.items():
        path = snap.record(doc)["path"]
        if path in DATES:
            assert date == DATES[path], path
    news = [snap.doc_of(p) for p in NEWS]
    known = [d for d in DATES.values() if d]
    assert snap.date_span(news) == (min(known), max(known))
    assert snap.date_span([snap.doc_of("sub/undated.txt")]) == (None, None)


@pytest.mark.parametrize("field", ["official", "province"])
def test_entity_documents_are_what_an_entity_query_finds(snap: Snapshot, field: str) -> None:
    table = snap.entity_documents(field)
    assert table, f"the sample corpus names some {field}s"
    keys = set(snap.entity_keys(field))
    live = snap.matching(tree.Every())
    for key, docs in table.items():
        assert key in keys
        found = snap.matching(tree.Entity(field, key))
        assert found == docs & live, key
        assert snap.entity_frequency(field, key) == len(found), key
    assert snap.entity_frequency(field, "\x00none") == 0


def test_spans_from_the_index_equal_spans_from_the_text(engine_index: Any, snap: Snapshot) -> None:
    parsed = parse_query('border "border gate" coop*')
    docs = sorted(snap.matching(tree_of("border")))
    texts = {d: engine_index.current_text(snap.record(d)["path"]) for d in docs}
    spans = snap.spans(parsed.highlights, docs, texts)
    for doc in docs:
        text = texts[doc]
        marked = [text[s:e].lower() for s, e in spans[doc]]
        assert marked and all(m.startswith(("border", "coop")) for m in marked), marked
        assert spans[doc] == snap.text_spans(text, parsed.highlights), snap.record(doc)["path"]


def test_title_spans_mark_the_title_words(snap: Snapshot) -> None:
    highlights = parse_query("title:year").highlights
    docs = sorted(snap.matching(tree_of("title:year")))
    titles = {d: snap.record(d)["title"] for d in docs}
    spans = snap.title_spans(highlights, titles)
    for doc in docs:
        assert [titles[doc][s:e] for s, e in spans[doc]] == ["Year"]
        assert snap.text_spans(titles[doc], highlights, "title") == spans[doc]


def test_check_refuses_a_query_past_the_expansion_limit(snap: Snapshot) -> None:
    snap.check(tree_of("zq000*"))  # 10 words
    with pytest.raises(QueryError, match=f"more than {MAX_EXPANSION:,} words"):
        snap.check(tree_of("zq*"))


def test_a_snapshot_keeps_its_state_and_knows_when_it_is_stale(
    tmp_path: Path, engine_name: str
) -> None:
    root = write_corpus(tmp_path / "corpus", {"a.txt": "A\nThe harbour.\n"})
    index = open_index(engine_name, root, tmp_path / "ix")
    try:
        index.update(procs=0)
        before = index.engine.open(root)
        assert before.up_to_date()
        (root / "b.txt").write_text("B\nAnother harbour.\n", encoding="utf-8")
        index.update(procs=0)
        assert not before.up_to_date()
        assert paths(before, before.matching(tree_of("harbour"))) == {"a.txt"}
        before.close()
        after = index.engine.open(root)
        assert paths(after, after.matching(tree_of("harbour"))) == {"a.txt", "b.txt"}
        after.close()
    finally:
        index.close()


def test_highlights_come_from_the_tree() -> None:
    parsed = parse_query('trade NOT harbour "border gate" coop* province:guangxi')
    kinds = {(h.kind, h.words) for h in parsed.highlights if h.kind != "expand"}
    assert kinds == {
        ("term", ("trade",)),
        ("phrase", ("border", "gate")),
        ("entity", ("province", "guangxi")),
    }
    assert Highlight("expand", node=tree.Prefix("body", "coop"), field="body") in (
        parsed.highlights
    )
