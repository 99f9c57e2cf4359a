"""The query input: debounces typing, and says when a query should run."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from tui.actions import bindings, empty_box_keys

__all__ = ["SearchBar"]

DEBOUNCE_SECONDS = 0.35
EMPTY_BOX_KEYS = empty_box_keys()


class SearchBar(Input):
    """An ``Input`` that posts ``Query`` after a pause in typing, or at once on Enter.

    Esc leaves it; in an empty box ``?`` opens the help and ``/`` does nothing, since a new
    user presses them expecting the keys the footer shows, not to type them.
    """

    BINDINGS = bindings("search")

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

    async def _on_key(self, event: events.Key) -> None:
        if not self.value and event.character in EMPTY_BOX_KEYS:
            event.stop()
            event.prevent_default()
            action = EMPTY_BOX_KEYS[event.character]
            if action:
                # Called directly: run_action would ask the app's check_action, which
                # hides the letter keys from the footer while this box has focus.
                owner, _, name = action.rpartition(".")
                getattr(self.app if owner == "app" else self, f"action_{name}")()
            return
        await super()._on_key(event)

    def action_leave(self) -> None:
        self.screen.focus_next()

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
