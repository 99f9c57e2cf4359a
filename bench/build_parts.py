"""Where a build's CPU time goes, stage by stage, in one process on N Reuters articles.

    .venv/bin/python -m bench.build_parts            # the first 3,000 articles
    .venv/bin/python -m bench.build_parts --n 6000

Stages, as a rebuild worker runs them: read + decode + extract (``read_document``), the
document's fields, postings (ours, ``postings``; beside it Whoosh's own analyzers on
the same fields, for the ratio), adding to the rebuild's segment writer
(``segment_writer``), and writing the segment. Each stage is timed once over all
articles, after one untimed pass that warms the caches a long build keeps warm (the word
cache, the stemmer's). A full build runs these on every core; this says which stage a
faster build must shrink.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index

from bench.context import DEFAULT_REUTERS
from bench.corpora import extract_reuters
from search.corpus.read import read_document
from search.engine.whoosh.indexer import _SCHEMA, document_fields
from search.engine.whoosh.postings import field_postings
from search.engine.whoosh.schema import PreAnalyzed, PreAnalyzedText, make_schema
from search.engine.whoosh.segment_writer import GroupingSegmentWriter


def _whoosh_postings(values: dict) -> dict:
    out = dict(values)
    for name, value in values.items():
        if (
            name in _SCHEMA
            and isinstance(value, str)
            and isinstance(_SCHEMA[name], PreAnalyzedText)
        ):
            out[name] = PreAnalyzed(whoosh_fields.TEXT.index(_SCHEMA[name], value))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.build_parts")
    parser.add_argument("--n", type=int, default=3000, help="articles (the first N by NEWID)")
    parser.add_argument("--reuters", type=Path, default=DEFAULT_REUTERS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="build-parts-") as tmp:
        root = extract_reuters(args.reuters, Path(tmp), limit=args.n)
        rels = sorted(p.name for p in root.glob("reut-*.txt"))
        times: dict[str, float] = {}

        def timed(label: str, fn):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            result = fn()
            times[label] = time.perf_counter() - started
            return result

        [read_document(root, rel, 2**30) for rel in rels]  # warm: imports, lazy tables
        docs = timed("read + extract", lambda: [read_document(root, r, 2**30) for r in rels])
        values = timed("fields", lambda: [document_fields(d) for d in docs])
        [field_postings(_SCHEMA, v) for v in values]  # warm the word cache
        posted = timed("postings (ours)", lambda: [field_postings(_SCHEMA, v) for v in values])
        timed("postings (Whoosh's analyzers)", lambda: [_whoosh_postings(v) for v in values])
        ix = whoosh_index.create_in(tmp, make_schema())
        writer = GroupingSegmentWriter(ix, _lk=False, compound=False)  # as a rebuild does
        timed("add to the segment writer", lambda: [writer.add_document(**p) for p in posted])
        timed("write the segment", writer._finalize_segment)
    build = sum(v for k, v in times.items() if k != "postings (Whoosh's analyzers)")
    print(f"{len(rels):,} Reuters articles, one process")
    for label, seconds in times.items():
        share = "" if "Whoosh's" in label else f"{100 * seconds / build:4.0f}%"
        print(f"  {label:32s} {seconds:6.2f} s  {share}")
    ours, theirs = times["postings (ours)"], times["postings (Whoosh's analyzers)"]
    print(f"  postings: ours {theirs / ours:.1f}x faster than Whoosh's analyzers")
    print(f"  build stages total {build:.2f} s = {1000 * build / len(rels):.2f} ms per article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
