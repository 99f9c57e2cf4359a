"""The results list: one row a matching file, date, number of matches and title."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from search import Hit
from tui.keyed_list import KeyedOptionList

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
    row.append(f"{len(hit.matches) or '':>5}  ", style="dim")
    row.append(" ".join((hit.title or hit.path).split()))
    row.truncate(max(1, width), overflow="ellipsis")
    return row


class ResultsList(KeyedOptionList):
    """The hits of the current search; highlighting one opens it in the reader.

    Rows are added a page at a time as the cursor or the scroll position nears the end:
    OptionList lays out every row it holds, which cost 170 ms for 500 rows and most of
    a second for the 2,000 a broad query lists.
    """

    PAGE = 200

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []
        self._drawn_width = 0
        # set_options scrolls to the top of an empty list before adding the new rows; a
        # page added by that scroll would be followed by the same rows again.
        self._replacing = False

    def _row_width(self) -> int:
        return max(10, self.scrollable_content_region.width - 1)

    def _rows(self, start: int, stop: int) -> list[Option]:
        return [Option(format_hit(hit, self._drawn_width)) for hit in self.hits[start:stop]]

    def show_hits(self, hits: Sequence[Hit], keep: str | None = None) -> None:
        """Replace the list; the cursor goes to ``keep`` (a path) if present, else the top."""
        self.hits = list(hits)
        self._drawn_width = self._row_width()
        index = self.index_of(keep) if keep is not None else None
        self._replace(self._rows(0, max(self.PAGE, (index or 0) + 1)))
        self.highlighted = (index or 0) if self.hits else None

    def _replace(self, rows: list[Option]) -> None:
        self._replacing = True
        try:
            self.set_options(rows)
        finally:
            self._replacing = False

    def index_of(self, path: str) -> int | None:
        return next((i for i, h in enumerate(self.hits) if h.path == path), None)

    def show_row(self, index: int) -> None:
        """Make sure row ``index`` exists (a later page), so it can be highlighted."""
        if index >= self.option_count:
            self.add_options(self._rows(self.option_count, index + self.PAGE))

    def _near_end(self, row: float) -> None:
        if self._replacing:
            return
        if row >= self.option_count - self.scrollable_content_region.height - 1:
            self.show_row(self.option_count)

    def watch_highlighted(self, highlighted: int | None) -> None:
        if highlighted is not None and self.option_count < len(self.hits):
            self._near_end(highlighted)
        super().watch_highlighted(highlighted)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.option_count < len(self.hits):
            self._near_end(new_value + self.scrollable_content_region.height)

    def action_last(self) -> None:
        self.show_row(len(self.hits) - 1)
        super().action_last()

    def on_resize(self) -> None:
        width = self._row_width()
        if width != self._drawn_width and self.hits:
            highlighted = self.highlighted
            self._drawn_width = width
            with self.prevent(OptionList.OptionHighlighted):
                self._replace(self._rows(0, self.option_count))
                self.highlighted = highlighted
