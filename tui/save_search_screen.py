"""The ``S`` dialog: a name for the current search; Enter saves, Esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from search.text import visible
from tui.dialog import Dialog

__all__ = ["SaveSearchScreen"]


class SaveSearchScreen(Dialog[str | None]):
    """Dismissed with the name typed, or None."""

    def __init__(self, description: str, name: str, taken: list[str]) -> None:
        super().__init__()
        self.description = description  # the query, filters and sort, in words
        self.default_name = name
        self.taken = taken

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Save search (Enter saves, Esc cancels)"
            yield Static(Text(visible(self.description)), classes="what")
            name = Input(value=self.default_name, placeholder="a name for it", id="name")
            name.cursor_blink = False  # each blink is a repaint sent over SSH
            yield name
            yield Static(Text(""), id="note", classes="what")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        name = " ".join(event.value.split())
        note = f"replaces the saved search '{name}'" if name in self.taken else ""
        self.query_one("#note", Static).update(Text(visible(note)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        if name:
            self.dismiss(name)
        else:
            self.app.bell()
