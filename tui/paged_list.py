"""An option list that lays out its rows a page at a time (the side panel).

``OptionList`` measures and renders every option it holds as soon as it is given them: on
Reuters the start-up screen's 300 panel rows (and the 200 result rows it had then) cost
about 150 ms of CPU, for rows nobody has scrolled to yet.  Like toolong, which only renders
the lines on screen, this keeps the rows as cheap specifications and turns them into
options a page ahead of the cursor and the scroll position.  (The results list, which may
hold every file of a corpus, is a line-API ``ScrollView`` instead: ``tui/results.py``.)
"""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.keyed_list import KeyedOptionList

__all__ = ["PagedOptionList"]


class PagedOptionList(KeyedOptionList):
    """Subclasses make row ``index`` at a given width (``make_option``), say how many
    screen lines the first rows take if not one each (``lines``), and replace all the rows
    with ``show_rows``.  In a pane taller than a page, the cursor's row being near the end
    adds pages at once, until the list scrolls."""

    PAGE = 50  # rows laid out at a time: two screens of a pane in a 120x40 terminal

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.row_count = 0
        self.drawn_width = 0
        # set_options scrolls to the top of an empty list before adding the new rows; a
        # page added by that scroll would be followed by the same rows again.
        self._replacing = False

    def make_option(self, index: int, width: int) -> Option:
        raise NotImplementedError

    def row_width(self, scrollbar: bool | None = None) -> int:
        """Cells a row may fill, beside the vertical scrollbar if ``scrollbar`` (None: if
        it shows now).  Predicting it saves laying every row out again, one cell narrower,
        when a list grows past one screen."""
        if scrollbar is None:
            scrollbar = self.show_vertical_scrollbar
        gutter = self.styles.scrollbar_size_vertical if scrollbar else 0
        return max(8, self.content_region.width - gutter - 1)

    def lines(self, count: int) -> int:
        """Screen lines the first ``count`` rows take (one each, unless a subclass says)."""
        return count

    def show_rows(self, count: int, highlight: int | None) -> None:
        """Replace the rows with ``count`` new ones; the cursor goes to ``highlight``."""
        self.row_count = count
        self.drawn_width = self.row_width(self.lines(count) > self.content_region.height)
        stop = max(self.PAGE, (highlight or 0) + 1)
        self._replace(self._make_options(0, stop))
        self.highlighted = highlight if count else None

    def _make_options(self, start: int, stop: int) -> list[Option]:
        width = self.drawn_width
        return [self.make_option(i, width) for i in range(start, min(stop, self.row_count))]

    def _replace(self, options: list[Option]) -> None:
        self._replacing = True
        try:
            self.set_options(options)
        finally:
            self._replacing = False

    def show_row(self, index: int) -> None:
        """Make sure row ``index`` is laid out (a later page), so it can be highlighted."""
        if index >= self.option_count:
            self.add_options(self._make_options(self.option_count, index + self.PAGE))

    def _near_end(self, row: float) -> None:
        if self._replacing:
            return
        if row >= self.option_count - self.scrollable_content_region.height - 1:
            self.show_row(self.option_count)

    def watch_highlighted(self, highlighted: int | None) -> None:
        if highlighted is not None and self.option_count < self.row_count:
            self._near_end(highlighted)
        super().watch_highlighted(highlighted)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.option_count < self.row_count:
            self._near_end(new_value + self.scrollable_content_region.height)

    def action_last(self) -> None:
        self.show_row(self.row_count - 1)
        super().action_last()

    def on_resize(self) -> None:
        width = self.row_width()
        if width != self.drawn_width and self.row_count:
            highlighted = self.highlighted
            self.drawn_width = width
            with self.prevent(OptionList.OptionHighlighted):
                self._replace(self._make_options(0, self.option_count))
                self.highlighted = highlighted
