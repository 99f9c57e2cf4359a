"""Who with where and profiles, timed as the app and the CLI run them.

``python -m bench.who_where CORPUS INDEX_DIR [--query Q ...] [--runs N]`` prints, for each
query, the app's W view (the article counts over the search already on screen, then the
paragraph counts, which read the texts of the files with an official and a province), the
CLI's whole ``cooccur`` (search included), and the profiles of the most frequent official
and province (the profile and its first page of articles).  Milliseconds, median and max of
``--runs`` warm runs, after one run that warms the index as the app's first search does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(work: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    out: Any = None
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = work()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.who_where", description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--query", action="append", help="default: said, and * (every file)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    from search import CorpusIndex
    from search.views.cooccur import cooccur, of_results, with_paragraphs
    from search.views.profile import profile

    ix = CorpusIndex(args.corpus, args.index_dir)
    first = ix.search("*", limit=200, sort="date", facets=True, every=True)  # as the app starts
    print(f"{args.corpus}: {first.total:,} files")
    for query in args.query or ["said", "*"]:
        results = ix.search(query, limit=200, facets=True, every=True)  # the search on screen
        of_results(ix, results)  # the first W of a session fills the per-key sets
        med_a, max_a, found = _timed(lambda r=results: of_results(ix, r), args.runs)
        med_p, max_p, done = _timed(lambda f=found: with_paragraphs(ix, f), args.runs)
        med_c, max_c, _ = _timed(lambda q=query: cooccur(ix, q), args.runs)
        print(
            f"  cooccur {query!r}: {results.total:,} hits, {found.both:,} with both, "
            f"{len(done.pairs):,} pairs\n"
            f"    app W, article counts: median {med_a:.0f} ms, max {max_a:.0f} ms\n"
            f"    app W, paragraph counts after: median {med_p:.0f} ms, max {max_p:.0f} ms\n"
            f"    CLI cooccur (search + both): median {med_c:.0f} ms, max {max_c:.0f} ms"
        )
    for field in ("official", "province"):
        top = (first.facets.get(field) or [None])[0]
        if top is None:
            continue

        def one(name: str = top.name, f: str = field) -> Any:
            found = profile(ix, f, name)
            ix.hits(found.order, 0, 200)
            return found

        med, worst, found = _timed(one, args.runs)
        print(
            f"  profile {field} {top.name!r} ({found.entity.count:,} files, "
            f"{len(found.titles)} titles, {len(found.months)} months): "
            f"median {med:.0f} ms, max {worst:.0f} ms"
        )
    ix.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
