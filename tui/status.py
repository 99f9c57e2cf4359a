"""The status line: what is shown, and the state of the index (with a progress bar)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import ProgressBar, Static

from search.text import visible

__all__ = ["StatusLine"]


class StatusLine(Horizontal):
    """``17 matches in 9 files, 2023-02-23 .. 2025-05-08`` on the left, the index on the right.

    One row, or two (three for an error) when the text does not fit the width.

    ``summary`` and ``index_state`` are plain text; ``error`` (a one-line message) replaces
    the summary until the next search; ``progress`` (0..1, or None) shows the bar.
    """

    DEFAULT_CSS = """
    StatusLine { height: auto; background: $panel; }
    StatusLine > #summary {
        width: 1fr; height: auto; max-height: 3; padding: 0 1;
        text-wrap: wrap; text-overflow: ellipsis;
    }
    StatusLine > #summary.error { color: $text-error; text-style: bold; max-height: 3; }
    StatusLine > #index-state {
        width: auto; max-width: 45%; height: auto; max-height: 3; padding: 0 1;
        color: $text-muted; text-wrap: wrap; text-overflow: ellipsis;
    }
    StatusLine > #index-state.error { color: $text-error; }
    StatusLine > ProgressBar { width: 14; display: none; }
    StatusLine > ProgressBar Bar { width: 12; }
    StatusLine > ProgressBar.building { display: block; }
    """

    summary: reactive[str] = reactive("")
    error: reactive[str] = reactive("")
    index_state: reactive[str] = reactive("")
    index_error: reactive[bool] = reactive(False)
    progress: reactive[float | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Static(id="summary", markup=False)
        yield ProgressBar(total=100, show_eta=False, show_percentage=False)
        yield Static(id="index-state", markup=False)

    def _refresh_summary(self) -> None:
        label = self.query_one("#summary", Static)
        label.set_class(bool(self.error), "error")
        text = visible(self.error or self.summary)
        # Wrapped, not cut: the end of a message ("..., province, path") or of a date range
        # is as useful as its start, so a narrow terminal gives it a second line.
        label.update(Text(text))

    def watch_summary(self) -> None:
        self._refresh_summary()

    def watch_error(self) -> None:
        self._refresh_summary()

    def watch_index_state(self) -> None:
        state = self.query_one("#index-state", Static)
        state.update(Text(visible(self.index_state)))

    def watch_index_error(self, value: bool) -> None:
        self.query_one("#index-state", Static).set_class(value, "error")

    def watch_progress(self, value: float | None) -> None:
        bar = self.query_one(ProgressBar)
        bar.set_class(value is not None, "building")
        if value is not None:
            bar.update(progress=round(value * 100, 1))
