"""The query input: debounces typing, and says when a query should run."""

from __future__ import annotations

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

__all__ = ["SearchBar"]

DEBOUNCE_SECONDS = 0.35


class SearchBar(Input):
    """An ``Input`` that posts ``Query`` after a pause in typing, or at once on Enter."""

    DEFAULT_CSS = """
    SearchBar, SearchBar:focus {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    SearchBar:focus { background: $primary 20%; }
    """

    class Query(Message):
        """Run this query; ``submitted`` is True for Enter (move on to the results)."""

        def __init__(self, text: str, submitted: bool) -> None:
            super().__init__()
            self.text = text
            self.submitted = submitted

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='/ search: border trade · "border gate" · province:guangxi · date:2024',
            id=id,
        )
        self._timer: Timer | None = None

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._cancel()
        text = event.value
        self._timer = self.set_timer(
            DEBOUNCE_SECONDS, lambda: self.post_message(self.Query(text, submitted=False))
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._cancel()
        self.post_message(self.Query(event.value, submitted=True))
