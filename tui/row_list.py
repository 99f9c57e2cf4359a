"""A list of ``count`` rows drawn on the line API, with a cursor: the base of the
results list, the timeline's bars, the concordance's lines and the collocates.

Only the rows on screen are drawn, so a concordance of 50,000 lines costs what a screen
costs; rows may be added while it is shown (``grow``), as a streaming view needs.
"""

from __future__ import annotations

from rich.text import Text
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.actions import bindings

__all__ = ["RowList"]


class RowList(ScrollView, can_focus=True):
    """Subclasses give ``row(index, width)``; the cursor is ``highlighted``."""

    COMPONENT_CLASSES = {"row-list--cursor"}

    DEFAULT_CSS = """
    RowList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    RowList > .row-list--cursor {
        color: $foreground;
        background: $block-cursor-blurred-background;
    }
    RowList:focus > .row-list--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """

    BINDINGS = bindings("rows")

    highlighted: reactive[int | None] = reactive(None, always_update=True)

    class Selected(Message):
        """Enter (or a double click) on row ``index`` of ``rows``."""

        def __init__(self, rows: RowList, index: int) -> None:
            super().__init__()
            self.rows = rows
            self.index = index

        @property
        def control(self) -> RowList:
            return self.rows

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = 0

    def row(self, index: int, width: int) -> Text:
        raise NotImplementedError

    # -- contents ------------------------------------------------------------------------
    def set_count(self, count: int, cursor: int | None = 0) -> None:
        self.count = count
        self.virtual_size = Size(self.size.width, count)
        self.highlighted = cursor if count else None
        self.refresh()

    def grow(self, count: int) -> None:
        """More rows came; the cursor stays where it is (on the first once there is one)."""
        self.count = count
        self.virtual_size = Size(self.size.width, count)
        if self.highlighted is None and count:
            self.highlighted = 0
        self.refresh()

    # -- the cursor ----------------------------------------------------------------------
    def _height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.count:
            return None
        return max(0, min(value, self.count - 1))

    def watch_highlighted(self, new: int | None) -> None:
        self._keep_in_view(new)
        self.refresh()

    def _keep_in_view(self, index: int | None) -> None:
        if index is None:
            return
        height = self._height()
        if index < self.scroll_y:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= self.scroll_y + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def action_move(self, delta: int) -> None:
        if self.count:
            here = self.highlighted
            self.highlighted = 0 if here is None else here + delta

    def action_first(self) -> None:
        if self.count:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.count:
            self.highlighted = self.count - 1

    def action_page(self, direction: int) -> None:
        if self.count:
            self.highlighted = (self.highlighted or 0) + direction * self._height()

    def action_select(self) -> None:
        if self.highlighted is not None:
            self._select(self.highlighted)

    def _select(self, index: int) -> None:
        self.post_message(RowList.Selected(self, index))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)  # None on the border (the pane's title)
        if offset is None:
            return
        index = int(self.scroll_y) + offset.y
        if 0 <= index < self.count:
            self.highlighted = index
            if event.chain > 1:
                self._select(index)

    # -- drawing -------------------------------------------------------------------------
    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.count)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = int(self.scroll_y) + y
        if index >= self.count:
            return Strip.blank(width, base)
        style = base
        if index == self.highlighted:
            style = base + self.get_component_rich_style("row-list--cursor")
        text = self.row(index, width - 1)
        text.truncate(max(1, width - 1), overflow="ellipsis")
        strip = Strip(text.render(self.app.console), text.cell_len)
        return strip.apply_style(style).crop_extend(0, width, style)

    def row_text(self, index: int) -> str:
        """Row ``index`` as drawn, without styles (for tests)."""
        return self.row(index, self.scrollable_content_region.width - 1).plain
