"""The analyst views' speed: timeline, concordance, collocates for a broad query.

    python -m bench.views --corpus /tmp/corpora/reuters21578 --index-dir /tmp/ix [--query said]

The corpus must be indexed already (``corpus-browser index CORPUS --index-dir DIR``).
Library figures are what the app's workers run; app figures are from a key press in a real
app (``run_test``) to the rows on screen: the timeline's bars (documents), then its match
counts; the concordance's first screen, then every line; the collocates.  Medians of
``--runs``; each run on a newly opened index after the app's opening search.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.util import median


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def library(corpus: Path, index_dir: Path, query: str) -> dict[str, float]:
    from search import CorpusIndex
    from search.views.concordance import collocates, lines, sort_lines
    from search.views.timeline import count_matches, make_timeline

    ix = CorpusIndex(corpus, index_dir)
    ix.search("*", limit=10, sort="date", facets=True)  # as the app starts
    out: dict[str, float] = {}
    t = time.perf_counter()
    results = ix.search(query, limit=0, sort="date", snippets=False, every=True)
    line = make_timeline(results.query, ix.hit_dates(results.order))
    out["timeline_bars_ms"] = _ms(t)
    for _ in count_matches(ix, results.order, line):
        pass
    out["timeline_matches_ms"] = _ms(t)
    out["hits"] = results.total
    t = time.perf_counter()
    results = ix.search(query, limit=0, sort="date", snippets=False, every=True)
    stream = lines(ix, results.order)
    found = [next(stream) for _ in range(60)]
    out["concordance_first_screen_ms"] = _ms(t)
    found += list(stream)
    out["concordance_all_ms"] = _ms(t)
    out["lines"] = len(found)
    t = time.perf_counter()
    sort_lines(ix, found, "left")
    out["sort_left_ms"] = _ms(t)
    t = time.perf_counter()
    collocates(ix, found, 5)
    out["collocates_ms"] = _ms(t)
    ix.close()
    return out


async def _until(
    pilot: Any, ready: Callable[[], bool], start: float | None = None, timeout: float = 300.0
) -> float:
    """Milliseconds from ``start`` (default: now) until ``ready()``."""
    start = time.perf_counter() if start is None else start
    while not ready():
        if time.perf_counter() - start > timeout:
            return float("nan")
        await pilot.pause(0.005)
    return _ms(start)


async def _app(corpus: Path, index_dir: Path, query: str) -> dict[str, float]:
    from search import CorpusIndex
    from tui.app import CorpusBrowserApp
    from tui.collocates_table import CollocatesTable
    from tui.concordance_screen import ConcordanceScreen
    from tui.kwic_list import KwicList
    from tui.timeline_chart import TimelineChart
    from tui.timeline_screen import TimelineScreen

    app = CorpusBrowserApp(index=CorpusIndex(corpus, index_dir), background_index=False)
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: app.results is not None)
        app.query_text = query
        app.run_search()
        await _until(pilot, lambda: app.results is not None and app.results.query == query)
        pressed = time.perf_counter()
        await pilot.press("t")
        out["app_timeline_bars_ms"] = await _until(
            pilot,
            lambda: (
                isinstance(app.screen, TimelineScreen)
                and app.screen.query_one(TimelineChart).count > 0
            ),
            pressed,
        )
        out["app_timeline_matches_ms"] = await _until(
            pilot,
            lambda: app.screen.timeline is not None and app.screen.timeline.matches_counted,
            pressed,
        )
        await pilot.press("escape")
        await pilot.pause(0.05)
        pressed = time.perf_counter()
        await pilot.press("c")
        out["app_concordance_first_screen_ms"] = await _until(
            pilot,
            lambda: (
                isinstance(app.screen, ConcordanceScreen)
                and app.screen.query_one(KwicList).count >= 30
            ),
            pressed,
        )
        out["app_concordance_all_ms"] = await _until(pilot, lambda: app.screen.done, pressed)
        done = time.perf_counter()
        out["app_collocates_after_all_ms"] = await _until(
            pilot, lambda: app.screen.query_one(CollocatesTable).collocates is not None, done
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--query", default="said")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-app", action="store_true", help="library figures only")
    args = parser.parse_args(argv)
    runs = [library(args.corpus, args.index_dir, args.query) for _ in range(args.runs)]
    if not args.no_app:
        for i in range(args.runs):
            runs[i].update(asyncio.run(_app(args.corpus, args.index_dir, args.query)))
    figures = {key: median([r[key] for r in runs]) for key in runs[0]}
    print(json.dumps({"query": args.query, "runs": args.runs, **figures}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
