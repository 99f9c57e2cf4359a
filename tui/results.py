"""The results list: one row a matching file, date, number of matches and title."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets.option_list import Option

from search import Hit
from search.text import visible
from tui.paged_list import PagedOptionList

__all__ = ["ResultsList", "format_hit"]


def date_label(hit: Hit) -> str:
    if hit.date is None:
        return "undated    "
    return hit.date.isoformat() + ("~" if hit.date_inferred else " ")


def format_hit(hit: Hit, width: int) -> Text:
    """``2024-04-03   12  Title…`` cut to ``width`` cells (a ~ marks an inferred date)."""
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(date_label(hit), style="bold")
    # Blank, not 0, where nothing in the text is marked (browsing, date- or title-only hits).
    matches = f"{len(hit.matches):,}" if hit.matches else ""
    row.append(f"{matches:>5}  ", style="dim")
    row.append(" ".join(visible(hit.title or hit.path).split()))
    row.truncate(max(1, width), overflow="ellipsis")
    return row


class ResultsList(PagedOptionList):
    """The hits of the current search; highlighting one opens it in the reader."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []

    def make_option(self, index: int, width: int) -> Option:
        return Option(format_hit(self.hits[index], width))

    def show_hits(self, hits: Sequence[Hit], keep: str | None = None) -> None:
        """Replace the list; the cursor goes to ``keep`` (a path) if present, else the top."""
        self.hits = list(hits)
        index = self.index_of(keep) if keep is not None else None
        self.show_rows(len(self.hits), index or 0)

    def index_of(self, path: str) -> int | None:
        return next((i for i, h in enumerate(self.hits) if h.path == path), None)
