"""The results list: one row a matching file, date, number of matches and title.

A list of every hit, however many: 21,578 Reuters files browse as one list.  It is a
``ScrollView`` on the line API, like the reader, so only the rows on screen are drawn (an
``OptionList`` lays out every row it holds, about 0.15 ms each: three seconds for Reuters).
The hits themselves arrive a page at a time: the list knows how many rows it has, asks for
the pages it is about to show (``PageWanted``) and draws a dim placeholder until a page is
there, so ``G`` goes to the last row at once and the rows fill in a moment later.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from search import Hit
from search.text import visible
from tui.actions import bindings
from tui.row_list import RowList

__all__ = ["ResultsList", "format_hit"]


def date_label(hit: Hit) -> str:
    if hit.date is None:
        return "undated    "
    return hit.date.isoformat() + ("~" if hit.date_inferred else " ")


def format_hit(hit: Hit, width: int) -> Text:
    """``2024-04-03   12  Title…`` cut to ``width`` cells (a ~ marks an inferred date)."""
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(date_label(hit), style="bold")
    # Blank, not 0, where nothing is marked (browsing, a query of filters only).
    matches = f"{hit.match_count:,}" if hit.match_count else ""
    row.append(f"{matches:>5}  ", style="dim")
    row.append(" ".join(visible(hit.title or hit.path).split()))
    row.truncate(max(1, width), overflow="ellipsis")
    return row


class ResultsList(RowList):
    """``count`` rows, of which the loaded pages are drawn; the cursor is ``highlighted``."""

    PAGE = 200  # hits made at a time: 11-25 ms of the library's time on Reuters

    # The cursor's look and the list's box come from RowList's CSS.
    COMPONENT_CLASSES = {"results-list--loading"}

    DEFAULT_CSS = """
    ResultsList > .results-list--loading { color: $text-muted; text-style: dim; }
    """

    BINDINGS = bindings("results")

    class Highlighted(Message):
        """The cursor is on ``hit`` (row ``index``): sent once that row's page is loaded."""

        def __init__(self, index: int, hit: Hit) -> None:
            super().__init__()
            self.index = index
            self.hit = hit

    class Selected(Message):
        """Enter (or a click) on row ``index``."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class PageWanted(Message):
        """Page ``page`` (rows ``page * PAGE`` on) is about to be shown: load it."""

        def __init__(self, page: int) -> None:
            super().__init__()
            self.page = page

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pages: dict[int, list[Hit]] = {}
        self._asked: set[int] = set()
        self._positions: dict[str, int] = {}
        self._announced: int | None = None  # the row a Highlighted was last sent for
        self._rows: dict[tuple[int, int, bool], Strip] = {}
        self.caption = "Results"  # the pane's title, before the cursor's position

    def _retitle(self) -> None:
        """The caption and where the cursor is: "Results · relevance · 12/1,544"."""
        where = (
            f" · {self.highlighted + 1:,}/{self.count:,}" if self.highlighted is not None else ""
        )
        self.border_title = Text(self.caption + where)

    def set_caption(self, caption: str) -> None:
        self.caption = caption
        self._retitle()

    # -- contents ------------------------------------------------------------------------
    def show_hits(
        self,
        hits: Sequence[Hit],
        count: int | None = None,
        keep: str | None = None,
        page: tuple[int, list[Hit]] | None = None,
        near: int | None = None,
    ) -> None:
        """Replace the list with ``count`` rows (default: ``len(hits)``), of which ``hits``
        are the first, and ``page`` (number, hits) a later page if given; the cursor goes
        to ``keep`` (a path) if among them, else to row ``near`` (or the last), else the
        top.  Sends no ``Highlighted`` for that row: the caller opens what it wants."""
        self.count = len(hits) if count is None else count
        self._pages, self._asked, self._positions = {}, set(), {}
        self._rows.clear()
        for start in range(0, len(hits), self.PAGE):
            self._store(start // self.PAGE, list(hits[start : start + self.PAGE]))
        if page is not None:
            self._store(*page)
        self.virtual_size = Size(self.size.width, self.count)
        index = self.index_of(keep) if keep is not None else None
        if index is None and near is not None:
            index = min(near, self.count - 1)
        target = (index or 0) if self.count else None
        self._announced = target
        self.set_reactive(ResultsList.highlighted, target)
        self._retitle()
        self.scroll_to(y=max(0, (target or 0) - self._height() // 3), animate=False)
        self.refresh()

    def add_page(self, page: int, hits: list[Hit]) -> None:
        """The hits of ``page``, as asked for by ``PageWanted``."""
        self._store(page, hits)
        self.refresh()
        self._announce()

    def _store(self, page: int, hits: list[Hit]) -> None:
        self._pages[page] = hits
        self._asked.add(page)
        base = page * self.PAGE
        for offset, hit in enumerate(hits):
            self._positions.setdefault(hit.path, base + offset)

    @property
    def loaded(self) -> int:
        """How many rows have their hit loaded."""
        return sum(len(hits) for hits in self._pages.values())

    def hit(self, index: int) -> Hit | None:
        """The hit of row ``index``, or None while its page is not loaded."""
        page = self._pages.get(index // self.PAGE)
        offset = index % self.PAGE
        return page[offset] if page is not None and offset < len(page) else None

    @property
    def hits(self) -> list[Hit]:
        """The loaded hits, in list order (every hit once the list has been paged through)."""
        return [hit for page in sorted(self._pages) for hit in self._pages[page]]

    def index_of(self, path: str) -> int | None:
        """The row of ``path`` if its page is loaded."""
        return self._positions.get(path)

    def want(self, index: int) -> None:
        """Ask for the page holding row ``index`` unless it is loaded or asked for."""
        page = index // self.PAGE
        if 0 <= index < self.count and page not in self._asked:
            self._asked.add(page)
            self.post_message(self.PageWanted(page))

    def forget_requests(self) -> None:
        """Pages asked for will not come (the index changed): ask again when shown."""
        self._asked = set(self._pages)

    # -- the cursor ----------------------------------------------------------------------
    def watch_highlighted(self, new: int | None) -> None:
        self._retitle()
        if new is None:
            return
        self._keep_in_view(new)
        self.want(new)
        self._announce()
        self.refresh()

    def _announce(self) -> None:
        """Send ``Highlighted`` for the cursor's row once its hit is there."""
        index = self.highlighted
        if index is None or index == self._announced:
            return
        hit = self.hit(index)
        if hit is not None:
            self._announced = index
            self.post_message(self.Highlighted(index, hit))

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` without announcing it (the app opened it)."""
        self._announced = index
        self.highlighted = index

    def _select(self, index: int) -> None:
        self.post_message(self.Selected(index))

    # -- drawing -------------------------------------------------------------------------
    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        top = int(new)
        self.want(top)
        self.want(top + self._height())  # the page after the screen, before it is reached

    def on_resize(self) -> None:
        self._rows.clear()
        self.virtual_size = Size(self.size.width, self.count)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rows.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = int(self.scroll_y) + y
        if index >= self.count:
            return Strip.blank(width, base)
        cursor = index == self.highlighted
        key = (index, width, cursor)
        strip = self._rows.get(key)
        if strip is not None:
            return strip
        style = base + self.get_component_rich_style("row-list--cursor") if cursor else base
        hit = self.hit(index)
        if hit is None:
            self.want(index)
            loading = style + self.get_component_rich_style("results-list--loading")
            return Strip([Segment("  …", loading)]).crop_extend(0, width, style)
        row = format_hit(hit, width - 1)
        strip = Strip(row.render(self.app.console), row.cell_len)
        strip = strip.apply_style(style).crop_extend(0, width, style)
        if len(self._rows) > 512:
            self._rows.clear()
        self._rows[key] = strip
        return strip

    def row_text(self, index: int) -> str:
        """Row ``index`` as drawn, without styles (for tests and screen readers)."""
        hit = self.hit(index)
        return format_hit(hit, self.scrollable_content_region.width - 1).plain if hit else "…"
