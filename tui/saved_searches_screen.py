"""The ``'`` list of saved searches: Enter runs one, ``d`` deletes one, Esc closes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from search.text import visible
from search.user_state import SavedSearch, describe_saved
from tui.dialog import Dialog

__all__ = ["SavedSearchesScreen"]


class SavedSearchesScreen(Dialog[SavedSearch | None]):
    """Dismissed with the search to run, or None.  Deleting posts ``Delete`` to the app,
    which owns the file; the row goes at once."""

    BINDINGS = [Binding("d,delete", "delete", "Delete")]

    class Delete(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, searches: list[SavedSearch]) -> None:
        super().__init__()
        self.searches = list(searches)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Saved searches (Enter runs, d deletes, Esc closes)"
            yield OptionList(*self._options())
            yield Static(Text(""), classes="what", id="empty")

    def _options(self) -> list[Option]:
        options = []
        for search in self.searches:
            row = Text(visible(search.name), style="bold")
            row.append("  ")
            row.append(visible(describe_saved(search)), style="dim")
            options.append(Option(row))
        return options

    def on_mount(self) -> None:
        self._show_empty()
        self.query_one(OptionList).focus()

    def _show_empty(self) -> None:
        note = self.query_one("#empty", Static)
        note.update(Text("No saved searches yet: S saves the current search."))
        note.display = not self.searches

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.searches[event.option_index])

    def action_delete(self) -> None:
        listing = self.query_one(OptionList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.searches):
            return
        search = self.searches.pop(index)
        listing.remove_option_at_index(index)
        self._show_empty()
        self.post_message(self.Delete(search.name))
