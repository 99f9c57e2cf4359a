"""The PostgreSQL engine's query mix, facets and snapshot opening on a corpus already
ingested (``corpus-browser index DIR --db URL --name NAME``), through the facade as the app
and the CLI use it (a page of 20 hits with snippets and offsets, the total, the dates).

    python -m bench.pg_engine CORPUS URL NAME [--runs 3]

Prints p50 / p95 / max of the mix (bench/querymix.py over the corpus), the slowest
queries, facets for the broadest query, and the time to open the first snapshot.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    from bench.corpora import corpus_files, scan
    from bench.querymix import build_mix
    from search.engine.postgres import PostgresEngine
    from search.index.facade import CorpusIndex

    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("url")
    parser.add_argument("name")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    queries = list(dict.fromkeys(q.text for q in build_mix(scan(corpus_files(args.corpus)))))
    started = time.perf_counter()
    index = CorpusIndex(
        Path(args.name), Path("/nonexistent"), engine=PostgresEngine(args.url, args.name)
    )
    index.search("*", limit=20)
    print(f"first search (connect, open, every document): {time.perf_counter() - started:.3f} s")
    times: dict[str, list[float]] = {q: [] for q in queries}
    totals: dict[str, int] = {}
    for _ in range(args.runs):
        for q in queries:
            t = time.perf_counter()
            totals[q] = index.search(q, limit=20).total
            times[q].append(time.perf_counter() - t)
    med = [statistics.median(v) * 1000 for v in times.values()]
    print(
        f"{len(queries)} queries x {args.runs}: p50 {_pct(med, 0.5):.1f} ms, "
        f"p95 {_pct(med, 0.95):.1f} ms, max {max(med):.1f} ms (medians per query)"
    )
    for q, ms in sorted(zip(queries, med, strict=True), key=lambda x: -x[1])[:5]:
        print(f"  {ms:8.1f} ms  {totals[q]:>7,} hits  {q}")
    broad = max(totals, key=lambda q: totals[q])
    facet_times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        found = index.search(broad, limit=20, facets=True)
        facet_times.append(time.perf_counter() - t)
    print(
        f"facets for {broad!r} ({found.total:,} hits): "
        f"{statistics.median(facet_times) * 1000:.0f} ms (first {facet_times[0] * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
