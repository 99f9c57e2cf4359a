"""The base of the side panel's list: an ``OptionList`` with vi keys."""

from __future__ import annotations

from textual.widgets import OptionList

from tui.actions import bindings

__all__ = ["KeyedOptionList"]


class KeyedOptionList(OptionList):
    """``j``/``k`` move, ``g``/``G`` jump (Home/End often fail inside tmux); plain text only."""

    DEFAULT_CSS = """
    KeyedOptionList {
        border: none;
        padding: 0;
        scrollbar-size-vertical: 1;
    }
    KeyedOptionList:focus { border: none; }
    """

    BINDINGS = bindings("lists")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
