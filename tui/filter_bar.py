"""The active side-panel filters, in a line of their own (hidden when there are none)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from search.text import visible

__all__ = ["FilterBar"]


class FilterBar(Static):
    """The active side-panel filters; hidden when there are none."""

    DEFAULT_CSS = """
    FilterBar { height: auto; max-height: 2; padding: 0 1; background: $accent 25%; display: none; }
    FilterBar.active { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def show_filters(self, names: list[str]) -> None:
        self.set_class(bool(names), "active")
        text = Text("Filters: ", style="bold")
        text.append(visible(" + ".join(names)))
        text.append("   (Enter in the panel removes one, Esc clears)", style="dim")
        self.update(text)
