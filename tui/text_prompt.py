"""A one-line question in a modal screen: the new name of an entity, or a spelling of it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from search.text import visible
from tui.actions import bindings

__all__ = ["TextPrompt"]


class TextPrompt(ModalScreen[str | None]):
    """Asks ``question``; dismissed with the typed text (Enter) or None (Esc, or nothing)."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    TextPrompt Input, TextPrompt Input:focus {
        border: none; height: 1; padding: 0 1; background: $boost;
    }
    TextPrompt .hint { color: $text-muted; }
    """

    BINDINGS = bindings("prompt")

    def __init__(
        self,
        title: str,
        question: str,
        value: str = "",
        hint: str = "Enter saves to the curation file · Esc cancels",
    ) -> None:
        super().__init__()
        self.hint = hint
        self.title_text = title
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(visible(self.title_text))
            yield Static(Text(visible(self.question)))
            yield Input(value=self.value, id="answer")
            yield Static(Text(self.hint), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
