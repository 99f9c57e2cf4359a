"""The look and the Esc of the app's small dialogs (save search, saved searches, history):
a box in the middle, one-row inputs and borderless lists, drawn alike at 80x24."""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

__all__ = ["Dialog"]

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal box (a ``Vertical`` child) that Esc dismisses with None."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    Dialog Input, Dialog Input:focus {
        border: none; height: 1; padding: 0 1; background: $boost;
    }
    Dialog OptionList, Dialog OptionList:focus {
        height: auto; max-height: 16; border: none; padding: 0;
    }
    Dialog .what { color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Close")]

    def action_cancel(self) -> None:
        self.dismiss(None)
