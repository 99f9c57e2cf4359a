"""Ctrl+R in the search box: this corpus's earlier queries, newest first, narrowed as you
type (case-insensitive, anywhere in the query); Enter runs one, Esc goes back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from search.text import visible
from tui.dialog import Dialog

__all__ = ["HistoryScreen"]


class HistoryScreen(Dialog[str | None]):
    """Dismissed with the chosen query, or None."""

    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, history: list[str], typed: str = "") -> None:
        super().__init__()
        self.history = list(reversed(history))  # newest first
        self.typed = typed
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Earlier queries (type to narrow, Enter runs, Esc goes back)"
            narrow = Input(value=self.typed, placeholder="part of a query", id="narrow")
            narrow.cursor_blink = False  # each blink is a repaint sent over SSH
            yield narrow
            yield OptionList()

    def on_mount(self) -> None:
        self._show(self.typed)
        self.query_one(Input).focus()

    def _show(self, needle: str) -> None:
        needle = needle.strip().casefold()
        self.shown = [q for q in self.history if needle in q.casefold()]
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(Text(visible(q))) for q in self.shown])
        if not self.shown:
            listing.add_option(Option(Text("no earlier query contains this"), disabled=True))
        listing.highlighted = 0 if self.shown else None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.query_one(OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.shown):
            self.dismiss(self.shown[index])
        else:
            self.app.bell()

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if self.shown:
            current = listing.highlighted or 0
            listing.highlighted = max(0, min(len(self.shown) - 1, current + step))
