"""The ``c`` screen: the concordance of the current search, and its collocates.

Lines stream in: a worker reads the hits a page at a time (in date order) and hands each
batch to the list, so the first screen shows while later files are still being read.
Sorting by the word left or right of the match needs every line, so it waits for the
last; so do the collocates (``c`` here switches to them), computed in a worker too.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static
from textual.worker import get_current_worker

from search.text import count, visible
from search.views.concordance import SORTS, Line, collocates, lines, sort_lines
from tui.actions import bindings
from tui.collocates_table import HEADER, CollocatesTable
from tui.kwic_list import KwicList
from tui.row_list import RowList

__all__ = ["ConcordanceScreen"]

BATCH_SECONDS = 0.1  # lines are handed to the list at most this often
FIRST = 60  # ... or as soon as this many are read
SORT_NAMES = {"date": "by date", "left": "by the word left", "right": "by the word right"}


class ConcordanceScreen(Screen[None]):
    DEFAULT_CSS = """
    ConcordanceScreen #kwic-head { height: auto; padding: 0 1; background: $boost; }
    ConcordanceScreen ContentSwitcher { height: 1fr; }
    ConcordanceScreen RowList { height: 1fr; border: round $accent; border-title-align: left; }
    """

    BINDINGS = bindings("concordance")

    class Open(Message):
        """Open ``path`` in the reader at its match number ``number``."""

        def __init__(self, path: str, number: int) -> None:
            super().__init__()
            self.path = path
            self.number = number

    def __init__(self, query: str, filters: dict[str, list[str]]) -> None:
        super().__init__()
        self.search_text = query
        self.filters = filters
        self.sort = "date"
        self.window = 5
        self.found: list[Line] = []  # every line read so far, in date order
        self.files = 0
        self.done = False
        self.error = ""
        self.busy = ""

    def compose(self) -> ComposeResult:
        yield Static(id="kwic-head", markup=False)
        with ContentSwitcher(initial="kwic-lines"):
            yield KwicList(id="kwic-lines")
            yield CollocatesTable(id="kwic-collocates")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def kwic(self) -> KwicList:
        return self.query_one(KwicList)

    @property
    def table(self) -> CollocatesTable:
        return self.query_one(CollocatesTable)

    @property
    def showing_collocates(self) -> bool:
        return self.query_one(ContentSwitcher).current == "kwic-collocates"

    def on_mount(self) -> None:
        self._titles()
        self.kwic.focus()
        self._head()
        self._stream(self.search_text, self.filters)

    # -- the lines -----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="kwic", exit_on_error=False)
    def _stream(self, query: str, filters: dict[str, list[str]]) -> None:
        worker = get_current_worker()
        index = self.app.index  # type: ignore[attr-defined]
        try:
            results = index.search(
                query, limit=0, sort="date", filters=filters, snippets=False, every=True
            )
            self.app.call_from_thread(self._searched, results.total)
            batch: list[Line] = []
            sent, first = time.perf_counter(), True
            for line in lines(index, results.order):
                if worker.is_cancelled:
                    return
                batch.append(line)
                # A screenful at once first, then whatever came in each interval: each
                # hand-over waits for the event loop, so they must be few.
                if (first and len(batch) >= FIRST) or time.perf_counter() - sent >= BATCH_SECONDS:
                    self.app.call_from_thread(self._more, batch)
                    batch, sent, first = [], time.perf_counter(), False
            self.app.call_from_thread(self._more, batch, True)
        except Exception as exc:  # noqa: BLE001 - one line, the screen stays usable
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, _one_line(exc))

    def _searched(self, files: int) -> None:
        self.files = files
        self._head()

    def _more(self, batch: list[Line], last: bool = False) -> None:
        self.found.extend(batch)
        if self.sort == "date":
            self.kwic.add(batch)
        if last:
            self.done = True
            if self.sort != "date":
                self._sort(self.sort)
            self._collocates(self.window)
        self._titles()
        self._head()

    def _failed(self, message: str) -> None:
        self.error = message
        self.busy = ""
        self._head()

    @work(thread=True, exclusive=True, group="kwic-sort", exit_on_error=False)
    def _sort(self, by: str) -> None:
        index = self.app.index  # type: ignore[attr-defined]
        ordered = sort_lines(index, self.found, by)
        self.app.call_from_thread(self._sorted, by, ordered)

    def _sorted(self, by: str, ordered: list[Line]) -> None:
        if by == self.sort:
            self.kwic.show(ordered)
            self.busy = ""
            self._titles()
            self._head()

    # -- the collocates ------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="kwic-collocates", exit_on_error=False)
    def _collocates(self, window: int) -> None:
        self.app.call_from_thread(self._busy, f"collocates of {window} words each side…")
        index = self.app.index  # type: ignore[attr-defined]
        try:
            found = collocates(index, list(self.found), window)
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self._failed, _one_line(exc))
            return
        self.app.call_from_thread(self._collocated, window, found)

    def _busy(self, what: str) -> None:
        self.busy = what
        self._head()

    def _collocated(self, window: int, found: object) -> None:
        if window == self.window:
            self.table.show(found)  # type: ignore[arg-type]
            self.busy = ""
            self._titles()
            self._head()

    # -- the head and titles -------------------------------------------------------------
    def _titles(self) -> None:
        self.kwic.border_title = f"Concordance · {SORT_NAMES[self.sort]} · {len(self.found):,}"
        table = self.table
        table.border_title = f"Collocates · {self.window} words each side"

    def _head(self) -> None:
        head = Text()
        head.append("Concordance ", style="bold")
        head.append(visible(self.search_text))
        head.append(f" · {count(len(self.found), 'match')} in {count(self.files, 'file')}")
        if not self.done and not self.error:
            head.append(" · reading…", style="dim")
        if self.busy:
            head.append(f" · {self.busy}", style="dim")
        if self.error:
            head.append(f"\n{visible(self.error)}", style="bold")
        if self.showing_collocates:
            hint = "c the lines · + - window · near: within the window; corpus: in all texts"
            head.append(f"\n{hint}", style="dim")
            head.append(f"\n{HEADER}", style="bold")
        else:
            hint = "Enter opens the match in the reader · s sort · c collocates"
            head.append(f"\n{hint}", style="dim")
        self.query_one("#kwic-head", Static).update(head)

    # -- actions -------------------------------------------------------------------------
    def on_row_list_selected(self, event: RowList.Selected) -> None:
        event.stop()
        if event.rows is self.kwic:
            line = self.kwic.line(event.index)
            if line is not None:
                self.post_message(self.Open(line.path, line.number))

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        if self.sort == "date":
            self.kwic.show(list(self.found))
        elif self.done:
            self.busy = "sorting…"
            self._sort(self.sort)
        else:
            self.busy = "sorts when every line is read"
        self._titles()
        self._head()

    def action_switch(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "kwic-lines" if self.showing_collocates else "kwic-collocates"
        (self.table if self.showing_collocates else self.kwic).focus()
        self._head()

    def action_window(self, delta: int) -> None:
        window = max(1, min(20, self.window + delta))
        if window != self.window:
            self.window = window
            self._titles()
            if self.done:
                self._collocates(window)

    def action_close(self) -> None:
        self.dismiss(None)


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
