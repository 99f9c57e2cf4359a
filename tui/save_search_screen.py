"""The ``S`` dialog: a name for the current search; Enter saves, Esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from search.text import visible

__all__ = ["SaveSearchScreen"]


class SaveSearchScreen(ModalScreen[str | None]):
    """Dismissed with the name typed, or None."""

    DEFAULT_CSS = """
    SaveSearchScreen { align: center middle; }
    SaveSearchScreen > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    SaveSearchScreen Input, SaveSearchScreen Input:focus {
        border: none; height: 1; padding: 0 1; background: $boost;
    }
    SaveSearchScreen .what { color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

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

    def action_cancel(self) -> None:
        self.dismiss(None)
