"""A tiny driver that runs the app headless with ``App.run_test`` and prints one JSON object.

Run in a fresh process by the app figures, so imports, start-up and memory are the app's own:

    python -m bench.app_driver start  --corpus C (--index-dir D | --db URL) [--query Q]
    python -m bench.app_driver reader --corpus C --index-dir D --query W --big PATH --small PATH
    python -m bench.app_driver lists  --corpus C --index-dir D --query Q

``start``: seconds from entering this script to the app interactive (first screen mounted and
idle), then, with --query, to the first results shown; peak RSS. ``reader``: time from asking
the app to open the big document to the reader's first painted line, and the cost of ``n``.
``lists``: seconds to the first screen (every file listed, the oldest open in the reader),
then for browsing and for the search Q, from ``G`` in the results to the last file of the
list open in the reader; how many hits were made on the way; peak RSS.
"""

from __future__ import annotations

import time

T_ENTRY = time.perf_counter()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (120, 40)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _until(pilot: Any, predicate: Any, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)
    await pilot.pause()


async def _search(pilot: Any, app: Any, query: str) -> None:
    """Run ``query`` in the app and wait until its own results (not earlier ones) are shown."""
    before = app.results
    app.query_text = query
    app.run_search()
    await _until(
        pilot,
        lambda: (
            app.results is not None
            and app.results is not before
            and app.results.query == query
            and app.reader.document is not None
        ),
    )


async def start(args: argparse.Namespace) -> dict[str, Any]:
    from tui.app import CorpusBrowserApp

    t_import = time.perf_counter()
    if args.db:  # an analyst's app on the team's database: it only reads
        from bench.server_client import open_index

        index = open_index(args.corpus, args.db, full_check=True)
        app = CorpusBrowserApp(index=index, background_index=False)
    else:
        app = CorpusBrowserApp(corpus=args.corpus, index_dir=args.index_dir)
    out: dict[str, Any] = {"import_s": t_import - T_ENTRY}
    async with app.run_test(size=SIZE) as pilot:
        out["mounted_s"] = time.perf_counter() - T_ENTRY
        await pilot.pause()
        out["interactive_s"] = time.perf_counter() - T_ENTRY
        out["rss_open_mb"] = peak_rss_mb()
        if args.query:
            t0 = time.perf_counter()
            await _search(pilot, app, args.query)
            out["first_search_s"] = time.perf_counter() - t0
            out["total"] = app.results.total
            out["rss_search_mb"] = peak_rss_mb()
    out["peak_rss_mb"] = peak_rss_mb()
    return out


async def reader(args: argparse.Namespace) -> dict[str, Any]:
    from tui.app import CorpusBrowserApp
    from tui.reader import Reader

    painted: dict[str, float] = {}
    original = Reader.render_line

    def render_line(self: Reader, y: int) -> Any:
        doc = self.document
        if doc is not None and doc.path not in painted:
            painted[doc.path] = time.perf_counter()
        return original(self, y)

    Reader.render_line = render_line  # type: ignore[method-assign]
    app = CorpusBrowserApp(corpus=args.corpus, index_dir=args.index_dir, background_index=False)
    opens, paints, presses = [], [], []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _search(pilot, app, args.query)

        def showing(path: str) -> bool:
            doc = app.reader.document
            return doc is not None and doc.path == path

        for _ in range(args.runs):
            app.open_path(args.small)
            await _until(pilot, lambda: showing(args.small))
            painted.pop(args.big, None)
            t0 = time.perf_counter()
            app.open_path(args.big)
            await _until(pilot, lambda: showing(args.big) and args.big in painted)
            opens.append(time.perf_counter() - t0)
            paints.append(painted[args.big] - t0)
        matches = len(app.reader.matches)
        app.reader.focus()
        await pilot.pause()
        start_at = app.reader.current
        # Pilot.press waits for the screen to settle; a key bound to nothing measures that
        # overhead, so the app's own cost of 'n' is the difference.
        # Wall time can hide work that finishes inside Pilot's wait, so CPU time is kept too.
        idle_presses, idle_cpu, cpu = [], [], []
        for key, walls, cpus in (("f12", idle_presses, idle_cpu), ("n", presses, cpu)):
            for _ in range(args.presses):
                t0, c0 = time.perf_counter(), time.process_time()
                await pilot.press(key)
                walls.append((time.perf_counter() - t0) * 1000)
                cpus.append((time.process_time() - c0) * 1000)
        moved = (app.reader.current or 0) - (start_at or 0)
    return {
        "matches": matches,
        "first_paint_s": statistics.median(paints),
        "first_paint_first_s": paints[0],
        "open_idle_s": statistics.median(opens),
        "n_ms": statistics.median(presses),
        "noop_press_ms": statistics.median(idle_presses),
        "n_cpu_ms": statistics.median(cpu),
        "noop_cpu_ms": statistics.median(idle_cpu),
        "n_max_ms": max(presses),
        "n_presses": len(presses),
        "n_moved": moved,
        "peak_rss_mb": peak_rss_mb(),
    }


async def lists(args: argparse.Namespace) -> dict[str, Any]:
    from tui.app import CorpusBrowserApp

    # CPU time beside wall time: on a shared machine it varies less.
    t0, c0 = time.perf_counter(), time.process_time()
    app = CorpusBrowserApp(corpus=args.corpus, index_dir=args.index_dir, background_index=False)
    out: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: app.results is not None and app.reader.document is not None)
        out["first_screen_s"] = time.perf_counter() - t0
        out["first_screen_cpu_s"] = time.process_time() - c0
        out["browse_total"] = app.results.total
        for name in ("browse", "search"):
            if name == "search":
                t0 = time.perf_counter()
                await _search(pilot, app, args.query)
                out["search_s"] = time.perf_counter() - t0
                out["search_total"] = app.results.total
            listing = app.results_list  # the same widget each time round
            listing.focus()
            await pilot.pause()
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press("G")

            def at_end() -> bool:
                last = app.results_list.hit(app.results_list.count - 1)
                doc = app.reader.document
                return last is not None and doc is not None and doc.path == last.path

            await _until(pilot, at_end)
            out[f"{name}_end_s"] = time.perf_counter() - t0
            out[f"{name}_end_cpu_s"] = time.process_time() - c0
            out[f"{name}_hits_made"] = listing.loaded
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.app_driver")
    parser.add_argument("mode", choices=["start", "reader", "lists"])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--db", default="", help="start: the app on this database instead")
    parser.add_argument("--query", default="")
    parser.add_argument("--big", default="")
    parser.add_argument("--small", default="")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--presses", type=int, default=30)
    args = parser.parse_args(argv)
    run = {"start": start, "reader": reader, "lists": lists}[args.mode]
    out = asyncio.run(run(args))
    print(json.dumps(out))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
