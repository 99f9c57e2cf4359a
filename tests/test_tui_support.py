"""Set-up shared by the app tests (no tests here): a real corpus and a real index."""

from __future__ import annotations

import shutil
from pathlib import Path

from search import CorpusIndex
from tui.app import CorpusBrowserApp

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_corpus"

HOSTILE = (
    " date 2025-01-02 Markup and escapes [bold]in the title[/]\n"
    "Plain line with [bold]x[/] and [@click=app.quit]x[/] and [link=http://e]y[/link] markup.\n"
    "Escapes: \x1b[31mred\x1b[0m then \x1b]52;c;SGVsbG8=\x07 then \x1b]0;title\x07 done.\n"
    "The hostile file mentions Guangxi once.\n"
)


def make_corpus(root: Path, hostile: bool = True) -> Path:
    corpus = root / "corpus"
    shutil.copytree(SAMPLE, corpus)
    if hostile:
        (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    return corpus


def build_index(corpus: Path, index_dir: Path) -> CorpusIndex:
    index = CorpusIndex(corpus, index_dir)
    index.update(procs=0)
    return index


def indexed_corpus(root: Path) -> CorpusIndex:
    """sample_corpus plus the hostile file, indexed, under ``root``."""
    return build_index(make_corpus(root), root / "index")


def harbour_notes(root: Path, files: int, title: str = "Note") -> CorpusIndex:
    """``files`` small dated files (one a day from 2000-01-01), every one about a harbour,
    once, twice or three times, indexed under ``root``: ranked by relevance, neighbours
    in date order lie far apart in the list."""
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(files):
        day = f"{2000 + i // 336}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}"
        (corpus / f"f{i:04d}.txt").write_text(
            f" date {day} {title} {i}\nA harbour note, number {i}." + " The harbour." * (i % 3),
            encoding="utf-8",
        )
    return build_index(corpus, root / "index")


def app_for(index: CorpusIndex) -> CorpusBrowserApp:
    """An app on its own CorpusIndex over ``index``'s files, without the background indexer."""
    return CorpusBrowserApp(
        index=CorpusIndex(index.corpus, index.index_dir), background_index=False
    )


async def settle(pilot, rounds: int = 3) -> None:
    """Wait until debounce timers have fired and no worker is running."""
    app = pilot.app
    quiet = 0
    for _ in range(200):
        await pilot.pause(0.05)
        busy = [w for w in app.workers if w.is_running]
        if busy:
            quiet = 0
            await app.workers.wait_for_complete(busy)
        else:
            quiet += 1
            if quiet >= rounds:
                return


async def search(pilot, query: str, type_it: bool = False) -> None:
    """Focus the search box with /, enter ``query`` (typed key by key, or pasted), Enter."""
    app = pilot.app
    await pilot.press("slash")
    app.search_bar.value = ""
    if type_it:
        await pilot.press(*query)
    else:
        app.search_bar.insert_text_at_cursor(query)
    await pilot.press("enter")
    await settle(pilot)


def screen_text(app: CorpusBrowserApp) -> list[str]:
    """The rows of text the app's current screen draws, as the terminal would show them
    (Textual's compositor: the same strips it writes to the terminal)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]
