"""The side panel: officials and provinces of the matching files, with counts.

Counts follow the current query (the library's facets).  Selecting an entry toggles a
filter; the app narrows the results to files that mention it and marks its mentions.
Corrections (hide, merge, rename, alias, undo) are asked for here and made by the app,
which writes the corpus's curation file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from search import Facet
from search.text import visible
from tui.actions import bindings
from tui.paged_list import PagedOptionList

__all__ = ["EntityPanel", "GROUPS"]

GROUPS = (("official", "Officials"), ("province", "Provinces"))
# Rows per group.  A broad query on 20,000 articles finds ~1,900 officials; past the first
# hundred the tail is one file each, better reached by narrowing the query.
SHOWN = 100
# A row: a heading or a note (disabled), or an entry (option id, field, facet).
_Row = Text | tuple[str, str, Facet]


class EntityPanel(PagedOptionList):
    """Two groups of facets; Enter (or a click) on one toggles it as a filter."""

    DEFAULT_CSS = """
    EntityPanel > .option-list--option-disabled { color: $text; text-style: bold; }
    """

    BINDINGS = bindings("panel")

    class Curate(Message):
        """The user asked for a correction ``op`` of ``field``:``key`` (shown as ``name``;
        empty for "undo")."""

        def __init__(self, op: str, field: str, key: str, name: str) -> None:
            super().__init__()
            self.op = op
            self.field = field
            self.key = key
            self.name = name

    class ProfileWanted(Message):
        """The user asked for the profile of ``field``:``name``."""

        def __init__(self, field: str, name: str) -> None:
            super().__init__()
            self.field = field
            self.name = name

    class Toggled(Message):
        """The user toggled the filter on ``field``:``key`` (shown as ``name``)."""

        def __init__(self, field: str, key: str, name: str) -> None:
            super().__init__()
            self.field = field
            self.key = key
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: dict[str, tuple[str, str, str]] = {}  # option id -> (field, key, name)
        self._facets: Mapping[str, Sequence[Facet]] = {}
        self._active: set[tuple[str, str]] = set()
        self._rows: list[_Row] = []

    def show_facets(
        self, facets: Mapping[str, Sequence[Facet]], active: Iterable[tuple[str, str]]
    ) -> None:
        self._facets = facets
        self._active = set(active)
        self._redraw()

    def _redraw(self) -> None:
        keep = self.highlighted_option.id if self.highlighted_option else None
        self._entries = {}
        rows: list[_Row] = []
        for field, heading in GROUPS:
            items = list(self._facets.get(field, ()))
            rows.append(Text(f"{heading} ({len(items):,})"))
            if not items:
                rows.append(Text("  none in these files", style="dim"))
            # The top rows, and any active filter further down so it can be switched off.
            shown = [
                (i, f) for i, f in enumerate(items) if i < SHOWN or (field, f.key) in self._active
            ]
            for index, facet in shown:
                option_id = f"{field}-{index}"
                self._entries[option_id] = (field, facet.key, facet.name)
                rows.append((option_id, field, facet))
            if len(items) > len(shown):
                more = f"  … {len(items) - len(shown):,} more: narrow the search"
                rows.append(Text(more, style="dim"))
        self._rows = rows
        ids = [row[0] if isinstance(row, tuple) else None for row in rows]
        if keep is not None and keep in ids:  # headings and notes have no id
            highlight: int | None = ids.index(keep)
        else:
            highlight = next((i for i, option_id in enumerate(ids) if option_id), None)
        with self.prevent(OptionList.OptionHighlighted):
            self.show_rows(len(rows), highlight)

    def make_option(self, index: int, width: int) -> Option:
        row = self._rows[index]
        if isinstance(row, Text):  # a heading or a note
            return Option(row, disabled=True)
        option_id, field, facet = row
        return Option(self._row(field, facet, width), id=option_id)

    def lines(self, count: int) -> int:
        return sum(
            1 + (isinstance(row, tuple) and bool(row[2].detail)) for row in self._rows[:count]
        )

    def _row(self, field: str, facet: Facet, width: int) -> Text:
        on = (field, facet.key) in self._active
        count = f" {facet.count:,}"
        name = Text(("✓ " if on else "  ") + visible(facet.name), style="bold" if on else "")
        name.truncate(max(1, width - len(count)), overflow="ellipsis", pad=True)
        row = Text.assemble(name, (count, "dim"))
        if facet.detail:
            # As wide as the first line (the newline takes no cell): a line one cell wider
            # wraps while the list is laid out beside a scrollbar about to go, and the
            # list then keeps a blank row under it.
            detail = Text("\n    " + visible(facet.detail), style="dim")
            detail.truncate(width, overflow="ellipsis")
            row.append_text(detail)
        return row

    def names(self, field: str) -> list[str]:
        """Every entry of ``field`` the panel holds, most frequent first."""
        return [facet.name for facet in self._facets.get(field, ())]

    def highlighted_entry(self) -> tuple[str, str, str] | None:
        """(field, key, name) of the entry under the cursor, or None (a heading, nothing)."""
        option = self.highlighted_option
        return self._entries.get(option.id or "") if option is not None else None

    def action_profile(self) -> None:
        entry = self.highlighted_entry()
        if entry is None:
            self.notify("Move to an official or a province first.", timeout=3)
        else:
            self.post_message(self.ProfileWanted(entry[0], entry[2]))

    def action_curate(self, op: str) -> None:
        entry = (
            self._entries.get(self.highlighted_option.id or "") if self.highlighted_option else None
        )
        if op == "undo":
            self.post_message(self.Curate(op, "", "", ""))
        elif entry is None:
            self.notify("Move to an official or a province first.", timeout=3)
        else:
            self.post_message(self.Curate(op, *entry))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self._entries.get(event.option.id or "")
        if entry:
            self.post_message(self.Toggled(*entry))
