"""What the schema's two costly parts cost a build, on N Reuters articles in one process.

    .venv/bin/python -m bench.schema_cost             # 3,000 articles, 5 rounds
    .venv/bin/python -m bench.schema_cost --rounds 3

The index keeps an unstemmed copy of the title and body for wildcard and fuzzy queries
(``title_exact``, ``body_exact``) and the body's character offsets, so that match offsets
come from the index (issue 2 asks for both). This runs a rebuild worker's stages (read +
extract, postings, adding to the segment writer, writing the segment) with the product's
schema, with one that lacks the character offsets ("no chars") and with a lean one that
has neither, alternated round by round because this machine's speed drifts by 10-30% within
minutes, and prints the medians: the share of a build's CPU time each costs, which says how
far the build is from its target because of them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index

from bench.context import DEFAULT_REUTERS
from bench.corpora import extract_reuters
from search.corpus.read import read_document
from search.engine.whoosh.indexer import document_fields
from search.engine.whoosh.postings import field_postings
from search.engine.whoosh.schema import STEMMED, PreAnalyzedText, make_schema
from search.engine.whoosh.segment_writer import GroupingSegmentWriter

EXACT_FIELDS = ("title_exact", "body_exact")


def lean_schema(*, exact: bool = False) -> whoosh_fields.Schema:
    """The product's schema without the body's character offsets and, unless ``exact``,
    without the unstemmed copies."""
    schema = make_schema()
    if not exact:
        for name in EXACT_FIELDS:
            schema.remove(name)
    schema.remove("body")
    schema.add(
        "body",
        PreAnalyzedText(analyzer=STEMMED, phrase=True, chars=False, multitoken_query="phrase"),
    )
    return schema


def stages(root: Path, rels: list[str], schema: whoosh_fields.Schema, lean: bool) -> dict[str, Any]:
    """One worker's stages over ``rels`` with ``schema``: seconds each, and the segment's size."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    docs = [read_document(root, rel, 2**30) for rel in rels]
    times["read + extract"] = time.perf_counter() - started
    values = [document_fields(doc) for doc in docs]
    if lean:
        for value in values:
            for name in EXACT_FIELDS:
                value.pop(name)
    [field_postings(schema, value) for value in values]  # warm the word cache, as a long build
    started = time.perf_counter()
    posted = [field_postings(schema, value) for value in values]
    times["postings"] = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="schema-cost-") as tmp:
        writer = GroupingSegmentWriter(
            whoosh_index.create_in(tmp, schema), _lk=False, compound=False
        )
        started = time.perf_counter()
        for fields in posted:
            writer.add_document(**fields)
        times["add to the writer"] = time.perf_counter() - started
        started = time.perf_counter()
        writer._finalize_segment()
        times["write the segment"] = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    return {"times": times, "total": sum(times.values()), "bytes": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.schema_cost")
    parser.add_argument("--n", type=int, default=3000, help="articles (the first N by NEWID)")
    parser.add_argument("--rounds", type=int, default=5, help="alternated rounds per schema")
    parser.add_argument("--reuters", type=Path, default=DEFAULT_REUTERS)
    args = parser.parse_args(argv)
    schemas = {
        "product": (make_schema(), False),
        "no chars": (lean_schema(exact=True), False),
        "lean": (lean_schema(), True),
    }
    with tempfile.TemporaryDirectory(prefix="schema-cost-") as tmp:
        root = extract_reuters(args.reuters, Path(tmp), limit=args.n)
        rels = sorted(p.name for p in root.glob("reut-*.txt"))
        [read_document(root, rel, 2**30) for rel in rels]  # warm: imports, page cache
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in schemas}
        for _ in range(args.rounds):
            for name, (schema, lean) in schemas.items():
                runs[name].append(stages(root, rels, schema, lean))
    print(f"{len(rels):,} Reuters articles, one process, median of {args.rounds} alternated rounds")
    medians = {}
    for name, results in runs.items():
        total = medians[name] = statistics.median(r["total"] for r in results)
        parts = ", ".join(
            f"{label} {statistics.median(r['times'][label] for r in results):.2f}"
            for label in results[0]["times"]
        )
        size = statistics.median(r["bytes"] for r in results) / 1e6
        print(f"  {name:8s} {total:5.2f} s ({parts}); segment {size:.1f} MB")
    chars = 1 - medians["no chars"] / medians["product"]
    both = 1 - medians["lean"] / medians["product"]
    print(f"  the character offsets cost {chars:.0%} of the build's CPU")
    print(f"  the unstemmed copies and character offsets together {both:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
