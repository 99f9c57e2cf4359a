"""Parity of the PostgreSQL engine with the Whoosh engine on one corpus: for each query the
same hit set, and the same match offsets in every hit's text and title.

A test (tests/test_pg_parity.py) runs it on a small corpus; for a real one::

    .venv/bin/python tests/pg_parity.py CORPUS POSTGRES_URL [--index-dir DIR]

prints one line per differing query and the totals (with the top-10 overlap of ranking).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from search.engine.postgres import PostgresEngine  # noqa: E402
from search.errors import QueryError  # noqa: E402
from search.index.facade import CorpusIndex  # noqa: E402
from search.spans import merge_spans  # noqa: E402
from search.stored import mention_spans  # noqa: E402

# Every part of the query language, beside the bench's mix.
EXTRA = [
    "*",
    "border",
    "border trade",
    '"border gate"',
    "Guangxi OR Yunnan",
    "Guangxi NOT Liu",
    "Guangxi -Liu",
    "(Hanoi OR Beijing) trade",
    "coop*",
    "localit?",
    "Guangxy~",
    "cooperatoin~2",
    "title:guangxi",
    "path:0*",
    'official:"Liu Ning"',
    "province:guangxi",
    'province:"Lạng Sơn"',
    "province:湖北",
    "date:2024",
    "date:2024-04",
    "date:[2024-01-01 to 2024-06-30]",
    "date:>2024-06-01",
    "date:<2024",
    "湖北省",
    "Phuoc",
    "trade ANDMAYBE border",
    "trade ANDNOT border",
    "title:[a to c]",
    "officials",
    "said",
    "the",
    "u.s",
]


@dataclass
class Outcome:
    queries: int = 0
    refused_alike: int = 0
    same_hits: int = 0
    same_offsets: int = 0
    top10_overlap: list[float] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)


def _pg_hits(snap: Any, parsed: Any) -> dict[str, tuple[list[Any], list[Any]]]:
    docs = sorted(snap.matching(parsed.query))
    hls = list(parsed.highlights)
    wanted = {tuple(h.words) for h in hls if h.kind == "entity"}
    spans = snap.spans(hls, docs, {})
    snap.prefetch(docs)
    titles = {d: snap.record(d)["title"] for d in docs}
    title_spans = snap.title_spans(hls, titles)
    out = {}
    for d in docs:
        record = snap.record(d)
        matches = spans.get(d, [])
        if wanted:
            matches = merge_spans(list(matches) + mention_spans(record, wanted))
        out[record["path"]] = (
            [tuple(s) for s in matches],
            [tuple(s) for s in title_spans.get(d, [])],
        )
    return out


def compare(index: CorpusIndex, engine: PostgresEngine, queries: list[str]) -> Outcome:
    outcome = Outcome()
    snap = engine.open()
    for text in queries:
        outcome.queries += 1
        try:
            parsed = index.parse(text)
            whoosh = index.search(text, limit=None, snippets=False)
        except QueryError as exc:
            try:
                snap.check(index.parse(text).query)
                outcome.differences.append(f"{text!r}: Whoosh refuses ({exc}), PostgreSQL not")
            except QueryError:
                outcome.refused_alike += 1
            continue
        try:
            pg = _pg_hits(snap, parsed)
        except QueryError as exc:
            outcome.differences.append(f"{text!r}: PostgreSQL refuses ({exc})")
            continue
        w = {h.path: ([tuple(s) for s in h.matches], [tuple(s) for s in h.title_matches])
             for h in whoosh.hits}  # fmt: skip
        if set(w) != set(pg):
            only_w, only_pg = sorted(set(w) - set(pg))[:3], sorted(set(pg) - set(w))[:3]
            outcome.differences.append(
                f"{text!r}: hits differ: Whoosh {len(w)}, PostgreSQL {len(pg)}, "
                f"only Whoosh {only_w}, only PostgreSQL {only_pg}"
            )
            continue
        outcome.same_hits += 1
        bad = [p for p in w if w[p] != pg[p]]
        if bad:
            p = bad[0]
            outcome.differences.append(
                f"{text!r}: offsets differ in {len(bad)} files, e.g. {p}: "
                f"Whoosh {w[p][0][:4]}/{w[p][1]}, PostgreSQL {pg[p][0][:4]}/{pg[p][1]}"
            )
        else:
            outcome.same_offsets += 1
        top_w = [h.path for h in whoosh.hits[:10]]
        ranked = snap.find(parsed.query, sort="relevance", limit=10).listed
        top_pg = [snap.record(d)["path"] for d, _ in ranked]
        if top_w:
            outcome.top10_overlap.append(len(set(top_w) & set(top_pg)) / len(top_w))
    return outcome


def query_mix(corpus: Path) -> list[str]:
    from bench.corpora import corpus_files, scan
    from bench.querymix import build_mix

    return [q.text for q in build_mix(scan(corpus_files(corpus)))] + EXTRA


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("url")
    parser.add_argument("--name", default="parity")
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--skip-index", action="store_true")
    args = parser.parse_args()
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="pg-parity-"))
    index = CorpusIndex(args.corpus, index_dir)
    engine = PostgresEngine(args.url, args.name)
    if not args.skip_index:
        index.update()
        engine.update(args.corpus)
    outcome = compare(index, engine, query_mix(args.corpus))
    for line in outcome.differences:
        print(line)
    overlap = sum(outcome.top10_overlap) / max(len(outcome.top10_overlap), 1)
    print(
        f"{outcome.queries} queries: {outcome.refused_alike} refused by both, "
        f"{outcome.same_hits} identical hit sets, {outcome.same_offsets} identical offsets; "
        f"top-10 overlap {overlap:.2f}"
    )


if __name__ == "__main__":
    main()
