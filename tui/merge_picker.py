"""Pick the entity another one merges into: a list narrowed by typing, or any name typed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from search.extract import fold
from search.text import visible
from tui.actions import bindings

__all__ = ["MergePicker"]


class MergePicker(ModalScreen[str | None]):
    """Dismissed with the name of the target (the highlighted entry, else the typed text),
    or None on Esc.  ``names`` are the candidates, most frequent first."""

    DEFAULT_CSS = """
    MergePicker { align: center middle; }
    MergePicker > Vertical {
        width: 64; max-width: 100%; height: 80%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    MergePicker Input, MergePicker Input:focus {
        border: none; height: 1; padding: 0 1; background: $boost;
    }
    MergePicker OptionList { height: 1fr; border: none; padding: 0; }
    MergePicker .hint { color: $text-muted; }
    """

    BINDINGS = [*bindings("prompt"), *bindings("picker")]

    def __init__(self, source: str, names: Sequence[str]) -> None:
        super().__init__()
        self.source = source
        self.names = [n for n in names if n != source]
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(visible(f"Merge {self.source} into …"))
            yield Input(placeholder="type to narrow, or a name not listed", id="target")
            yield OptionList(id="candidates", markup=False)
            yield Static(Text("↑↓ choose · Enter merges into it · Esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self._narrow("")
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._narrow(event.value)

    def _narrow(self, typed: str) -> None:
        wanted = fold(typed)
        self.shown = [n for n in self.names if wanted in fold(n)]
        options = self.query_one(OptionList)
        options.set_options([Option(Text(visible(n))) for n in self.shown])
        options.highlighted = 0 if self.shown and wanted else None

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if not self.shown:
            return
        here = options.highlighted
        options.highlighted = 0 if here is None else max(0, min(len(self.shown) - 1, here + delta))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        here = self.query_one(OptionList).highlighted
        if here is not None and here < len(self.shown):
            self.dismiss(self.shown[here])
        else:
            self.dismiss(" ".join(event.value.split()) or None)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
