"""The query input: debounces typing, says when a query should run, and walks history.

Up and Down walk earlier queries as a shell does, newest first, and Down past the newest
brings back what was being typed.  With new text in the box, Up walks only the queries
that contain it (case-insensitive, as fish does).  Ctrl+R asks the app for the whole
list to pick from (``HistoryWanted``).  The app owns the history (``history``) and is
told, by ``Settled``, which queries to remember: one run with Enter, or left by moving away.
"""

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

    class HistoryWanted(Message):
        """Ctrl+R: show the history to pick from, narrowed by what is typed."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Settled(Message):
        """The person is done with this query (Enter, or focus moved away): remember it."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='/ search: border trade · "border gate" · province:guangxi · date:2024',
            id=id,
        )
        self._timer: Timer | None = None
        self.history: list[str] = []  # oldest first; set by the app
        self._walk: list[str] = []  # the entries Up/Down go through, newest last
        self._at: int | None = None  # where in _walk the box is; None: not walking
        self._draft = ""  # what was typed before the walk began
        self._shown = ""  # what the walk last put in the box

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

    def action_history(self, step: int) -> None:
        if self._at is not None and self.value != self._shown:
            self._at = None  # edited since the walk's last step: a new walk from this text
        if self._at is None:
            if step > 0:
                return  # not walking: nothing is newer than the draft
            self._draft = self._shown = self.value
            # Text typed but not yet remembered narrows the walk; a query already in the
            # history (the one just run) does not: Up then means "the one before".
            typed = self.value.strip()
            needle = "" if typed in self.history else typed.casefold()
            self._walk = [q for q in self.history if needle in q.casefold() and q != typed]
            self._at = len(self._walk)
        target = self._at + step
        if target < 0:
            self.app.bell()  # no older query
            return
        if target >= len(self._walk):
            self._show(self._draft)
            self._at = None
            return
        self._at = target
        self._show(self._walk[target])

    def action_search_history(self) -> None:
        self._at = None
        self.post_message(self.HistoryWanted(self.value))

    def _show(self, text: str) -> None:
        self._shown = text
        self.value = text
        self.cursor_position = len(text)

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
        self._at = None
        self.post_message(self.Query(event.value, submitted=True))
        self.post_message(self.Settled(event.value))

    def on_input_blurred(self, event: Input.Blurred) -> None:
        event.stop()
        self._at = None
        self.post_message(self.Settled(event.value))
