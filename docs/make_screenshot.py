"""Make the README's screenshot: ``.venv/bin/python docs/make_screenshot.py``.

Runs the real app headless (``App.run_test``) at a fixed size on a private copy of
``sample_corpus/`` with its own index, runs a representative query, walks three matches
with ``n``, and saves Textual's SVG as docs/screenshot.svg and, through ``rsvg-convert``
(librsvg; Debian: ``apt install librsvg2-bin``), docs/screenshot.png.

rsvg collapses runs of spaces in SVG text unless the ``<svg>`` element says
``xml:space="preserve"`` (without it a row reads "Guangxiis" and "^ppalette"), so that
attribute is added before converting.  Options: ``--size 80x24``, ``--query``, ``--next``,
``--keys`` (pressed after, for a view's screenshot: ``--keys t --out docs/timeline``);
``--profile NAME`` opens a profile (``--query '' --next 0 --profile 'Liu Ning' --out
docs/screenshot-profile``); ``--watch`` runs the app in watch mode and, once the matches
are walked, saves a new article into the corpus and waits for the app to list it
(docs/watch.png: ``--watch --out docs/watch``).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from search import CorpusIndex  # noqa: E402
from tui.app import CorpusBrowserApp  # noqa: E402

QUERY = '"border gate" OR guangxi'
NEW_ARTICLE = (
    " date 2025-06-02 Guangxi opens a second border gate for fruit trucks\n"
    "NANNING, June 2 - Guangxi opened a second border gate for fruit trucks on Monday.\n"
)


def preserve_spaces(svg: str) -> str:
    """The SVG with ``xml:space="preserve"`` on its root element (once)."""
    head, sep, rest = svg.partition("<svg ")
    if not sep:
        raise ValueError("not an SVG document")
    if 'xml:space="preserve"' in rest.split(">", 1)[0]:
        return svg
    return f'{head}<svg xml:space="preserve" {rest}'


async def _quiet(pilot, app: CorpusBrowserApp) -> None:
    """Until no worker runs for a few frames (searches and file loads are workers)."""
    calm = 0
    while calm < 3:
        await pilot.pause(0.05)
        busy = [w for w in app.workers if w.is_running and w.group != "watch"]
        calm = 0 if busy else calm + 1
        if busy:
            await app.workers.wait_for_complete(busy)


async def _until(pilot, test) -> None:  # noqa: ANN001
    for _ in range(600):
        if test():
            return
        await pilot.pause(0.05)
    raise TimeoutError("the app did not get there in 30 s")


async def screenshot_svg(corpus: Path, index_dir: Path, size: tuple[int, int], query: str,
                         steps: int, keys: tuple[str, ...] = (),
                         watch: bool = False, profile: str = "") -> str:  # fmt: skip
    index = CorpusIndex(corpus, index_dir)
    app = CorpusBrowserApp(index=index, background_index=watch, watch=watch)
    async with app.run_test(size=size, notifications=watch) as pilot:
        if watch:
            await _until(pilot, lambda: "watching" in app.status.index_state)
        await _quiet(pilot, app)
        app.search_bar.focus()
        app.search_bar.value = query
        await pilot.press("enter")
        await _quiet(pilot, app)
        for key in ("n",) * steps + keys:
            await pilot.press(key)
            await _quiet(pilot, app)
        if profile:
            field, _, name = profile.rpartition(":")
            app.show_profile(field or "official", name)
            await _quiet(pilot, app)
        if watch:
            (corpus / "guangxi-fruit.txt").write_text(NEW_ARTICLE, encoding="utf-8")
            listed = app.results_list.index_of
            told = app._notifications
            await _until(pilot, lambda: listed("guangxi-fruit.txt") is not None)
            # No _quiet here: on a busy machine it may outlast the notice (4 s).
            await _until(pilot, lambda: any("added" in str(n.message) for n in told))
            await pilot.pause(0.3)
        return app.export_screenshot(title="corpus-browser")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="80x24", help="COLSxROWS (default: %(default)s)")
    parser.add_argument("--query", default=QUERY, help="default: %(default)s")
    parser.add_argument("--next", type=int, default=3, help="n presses (default: %(default)s)")
    parser.add_argument("--keys", default="", help="comma-separated keys pressed after")
    parser.add_argument(
        "--profile", default="", metavar="NAME", help="then open NAME's profile (province:NAME)"
    )
    parser.add_argument("--out", type=Path, default=DOCS / "screenshot", help="path stem")
    parser.add_argument("--watch", action="store_true", help="watch mode, a file added")
    args = parser.parse_args(argv)
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    converter = shutil.which("rsvg-convert")
    if converter is None:
        parser.error("rsvg-convert is not installed (Debian: apt install librsvg2-bin)")
    with tempfile.TemporaryDirectory(prefix="corpus-browser-shot-") as tmp:
        corpus = Path(shutil.copytree(ROOT / "sample_corpus", Path(tmp) / "sample_corpus"))
        index = CorpusIndex(corpus, Path(tmp) / "index")
        index.update(procs=0)
        index.close()
        svg = asyncio.run(
            screenshot_svg(
                corpus,
                Path(tmp) / "index",
                (cols, rows),
                args.query,
                args.next,
                tuple(k for k in args.keys.split(",") if k),
                args.watch,
                args.profile,
            )  # fmt: skip
        )
    svg_path, png_path = args.out.with_suffix(".svg"), args.out.with_suffix(".png")
    svg_path.write_text(preserve_spaces(svg), encoding="utf-8")
    subprocess.run([converter, str(svg_path), "-o", str(png_path)], check=True)
    print(f"wrote {svg_path} and {png_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
