"""The ``t`` screen: the timeline of the current search, and choosing a date range on it.

The bars (documents per bucket) come first, from the index's date column; the matches per
bucket are counted after, a page of hits at a time, in the same worker.  Enter narrows the
search's date range to the bucket under the cursor (or the range Space began), and the
timeline redraws for it with finer buckets; Backspace goes back to the range before.
"""

from __future__ import annotations

import datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from search.text import count, visible
from search.views.timeline import UNITS, Timeline, count_matches, make_timeline
from tui.actions import bindings
from tui.row_list import RowList
from tui.timeline_chart import TimelineChart

__all__ = ["TimelineScreen"]


class TimelineScreen(Screen[None]):
    DEFAULT_CSS = """
    TimelineScreen #timeline-head { height: auto; padding: 0 1; background: $boost; }
    TimelineScreen TimelineChart { height: 1fr; border: round $accent; border-title-align: left; }
    """

    BINDINGS = bindings("timeline")

    class Narrow(Message):
        """Narrow the search's date range to ``first`` .. ``last`` (both included)."""

        def __init__(self, first: datetime.date, last: datetime.date) -> None:
            super().__init__()
            self.first = first
            self.last = last

    class Back(Message):
        """Go back to the date range before the last narrowing."""

    def __init__(self, query: str, filters: dict[str, list[str]], ranges: int) -> None:
        super().__init__()
        self.search_text = query
        self.filters = filters
        self.ranges = ranges  # date ranges narrowed so far (Backspace has one to undo)
        self.unit: str | None = None  # None: chosen from the span
        self.timeline: Timeline | None = None
        self.counting = ""
        self.error = ""

    def compose(self) -> ComposeResult:
        yield Static(id="timeline-head", markup=False)
        yield TimelineChart(id="timeline-chart")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def chart(self) -> TimelineChart:
        return self.query_one(TimelineChart)

    def on_mount(self) -> None:
        self.chart.border_title = "Timeline"
        self.chart.focus()
        self._head()
        self.load(self.search_text, self.filters, self.ranges)

    def load(self, query: str, filters: dict[str, list[str]], ranges: int) -> None:
        self.search_text, self.filters, self.ranges = query, filters, ranges
        self.counting = "searching…"
        self._head()
        self._work(query, filters, self.unit)

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def _work(self, query: str, filters: dict[str, list[str]], unit: str | None) -> None:
        worker = get_current_worker()
        index = self.app.index  # type: ignore[attr-defined]
        try:
            results = index.search(
                query, limit=0, sort="date", filters=filters, snippets=False, every=True
            )
            line = make_timeline(results.query, index.hit_dates(results.order), unit)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._show, line)
            for done in count_matches(index, results.order, line):
                if worker.is_cancelled:
                    return
                self.app.call_from_thread(self._progress, done, results.total)
        except Exception as exc:  # noqa: BLE001 - one line, the screen stays usable
            if not worker.is_cancelled:
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                self.app.call_from_thread(self._failed, message)

    def _show(self, line: Timeline) -> None:
        self.timeline = line
        self.error = ""
        self.chart.show(line)
        self._head()

    def _progress(self, done: int, total: int) -> None:
        self.counting = "" if done >= total else f"counting matches {done:,}/{total:,}"
        self.chart.refresh_counts()
        self._head()

    def _failed(self, message: str) -> None:
        self.error = message
        self.counting = ""
        self._head()

    def _head(self) -> None:
        head = Text()
        head.append("Timeline ", style="bold")
        head.append(visible(self.search_text))
        line = self.timeline
        if line is not None:
            head.append(f" · by {line.unit} · {count(line.total, 'file')}")
            if line.matches_counted:
                total = sum(b.matches for b in line.buckets) + line.undated_matches
                head.append(f", {count(total, 'match')}")
            if line.undated:
                head.append(f" · {count(line.undated, 'file')} undated (last row)")
        if self.counting:
            head.append(f" · {self.counting}", style="dim")
        if self.error:
            head.append(f"\n{visible(self.error)}", style="bold")
        hint = "Enter narrows to the bar · Space starts a range · u bucket"
        if self.ranges:
            hint += " · Backspace: the range before"
        head.append(f"\n{hint}", style="dim")
        self.query_one("#timeline-head", Static).update(head)

    # -- actions -------------------------------------------------------------------------
    def on_row_list_selected(self, event: RowList.Selected) -> None:
        event.stop()
        self.action_narrow()

    def action_narrow(self) -> None:
        chosen = self.chart.chosen()
        if chosen is None:
            self.notify("The undated files have no date range to narrow to.", timeout=3)
            return
        first, last = chosen
        self.unit = None  # the narrower span chooses its own bucket
        self.post_message(self.Narrow(first.start, last.end))

    def action_anchor(self) -> None:
        chart = self.chart
        chart.anchor = None if chart.anchor is not None else chart.highlighted
        chart.refresh()

    def action_back(self) -> None:
        if not self.ranges:
            self.notify("No narrower range to go back from.", timeout=2)
            return
        self.unit = None
        self.post_message(self.Back())

    def action_unit(self) -> None:
        line = self.timeline
        current = self.unit or (line.unit if line else "month")
        self.unit = UNITS[(UNITS.index(current) + 1) % len(UNITS)]
        self.load(self.search_text, self.filters, self.ranges)

    def action_close(self) -> None:
        self.dismiss(None)
