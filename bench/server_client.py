"""One client of the server figure, run in a fresh process; prints one JSON object.

    python -m bench.server_client facets  --corpus C (--db URL | --index-dir D) --query Q
    python -m bench.server_client clients --corpus C (--db URL | --index-dir D)
        --batch FILE --start EPOCH --seconds S --seed N

``facets``: as the app meets a broad query: a newly opened index, the app's opening search
(every file by date, with the side panel), then the query with facets, first and warm,
and without facets. ``clients``: one analyst of many: waits for the shared start time, then
runs the batch's queries (a page of 20, as ``search --batch`` does) in a seeded random order
until ``seconds`` have passed, counting answers and errors and timing each.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.fts5 import PAGE


def open_index(corpus: Path, db: str = "", index_dir: Path | None = None, **options: Any) -> Any:
    """The product's facade on the database (the corpus named after its folder, as the CLI
    names it) or on the Whoosh index folder."""
    from search import CorpusIndex

    if db:
        from search.engine.postgres import PostgresEngine

        engine = PostgresEngine(db, corpus.resolve().name)
        return CorpusIndex(corpus, engine=engine, **options)
    return CorpusIndex(corpus, index_dir, **options)


def facets(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    ix = open_index(args.corpus, args.db, args.index_dir)
    try:
        ix.search("*", limit=PAGE, sort="date", facets=True)  # as the app starts
        opened_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        first = ix.search(args.query, limit=PAGE, facets=True)
        first_ms = (time.perf_counter() - t0) * 1000
        warm, plain = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            ix.search(args.query, limit=PAGE, facets=True)
            warm.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            ix.search(args.query, limit=PAGE, facets=False)
            plain.append((time.perf_counter() - t0) * 1000)
    finally:
        ix.close()
    return {
        "query": args.query,
        "total": first.total,
        "open_and_browse_s": opened_s,
        "first_ms": first_ms,
        "warm_ms": sorted(warm)[1],
        "without_facets_ms": sorted(plain)[1],
        "values": {name: len(values) for name, values in (first.facets or {}).items()},
    }


def clients(args: argparse.Namespace) -> dict[str, Any]:
    queries = [q for q in Path(args.batch).read_text(encoding="utf-8").splitlines() if q]
    random.Random(args.seed).shuffle(queries)
    ix = open_index(args.corpus, args.db, args.index_dir)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    first_error = ""
    try:
        time.sleep(max(0.0, args.start - time.time()))
        deadline = time.perf_counter() + args.seconds
        i = 0
        while time.perf_counter() < deadline:
            query = queries[i % len(queries)]
            i += 1
            t0 = time.perf_counter()
            try:
                ix.search(query, limit=PAGE)
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                kind = type(exc).__name__
                errors[kind] = errors.get(kind, 0) + 1
                first_error = first_error or f"{kind}: {exc}".splitlines()[0][:200]
                continue
            latencies.append((time.perf_counter() - t0) * 1000)
        late_s = max(0.0, time.time() - args.start - args.seconds)
    finally:
        ix.close()
    return {
        "answered": len(latencies),
        "latencies_ms": [round(ms, 3) for ms in latencies],
        "errors": errors,
        "first_error": first_error,
        "late_s": late_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server_client")
    parser.add_argument("mode", choices=["facets", "clients"])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--db", default="")
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--query", default="")
    parser.add_argument("--batch", default="")
    parser.add_argument("--start", type=float, default=0.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    out = {"facets": facets, "clients": clients}[args.mode](args)
    print(json.dumps(out))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
