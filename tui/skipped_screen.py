"""The ``!`` screen: the files the last indexing skipped, and those it read with a warning."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from search.text import visible
from tui.text_screen import TextScreen

__all__ = ["Problem", "SkippedScreen"]

Problem = tuple[str, str]  # (path, reason or warning)


NOTE = (
    "Skipped files are listed at every indexing; warnings only for the files it read "
    "(added or changed): a rebuild (palette: Rebuild index) lists them all."
)
SHOWN = 1000  # rows drawn; the rest are counted (the CLI's index --json lists them all)


def _listing(title: str, problems: Sequence[Problem]) -> list[RenderableType]:
    text = Text(f"{title} ({len(problems):,})", style="bold underline")
    for path, reason in problems[:SHOWN]:
        # Names and reasons come from the corpus: shown as visible text, never as markup.
        text.append("\n")
        text.append(visible(path), style="bold")
        text.append(f"\n  {visible(reason)}")
    if len(problems) > SHOWN:
        text.append(f"\n… {len(problems) - SHOWN:,} more: corpus-browser index --json lists them")
    return [text]


class SkippedScreen(TextScreen):
    heading = "Skipped files and warnings"

    def __init__(self, skipped: Sequence[Problem], warnings: Sequence[Problem]) -> None:
        super().__init__()
        self.skipped = list(skipped)
        self.warnings = list(warnings)

    def parts(self) -> list[RenderableType | Widget]:
        parts: list[RenderableType | Widget] = []
        if self.skipped:
            parts += [*_listing("Skipped, not indexed", self.skipped), Text()]
        if self.warnings:
            parts += [*_listing("Indexed, with a warning", self.warnings), Text()]
        if not parts:
            parts = [Text("The last indexing skipped no file and warned about none."), Text()]
        return [*parts, Text(NOTE, style="dim")]
