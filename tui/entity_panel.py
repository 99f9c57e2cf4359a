"""The side panel: officials and provinces of the matching files, with counts.

Counts follow the current query (the library's facets).  Selecting an entry toggles a
filter; the app narrows the results to files that mention it and marks its mentions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from search import Facet
from tui.keyed_list import KeyedOptionList

__all__ = ["EntityPanel", "GROUPS"]

GROUPS = (("official", "Officials"), ("province", "Provinces"))
# Rows per group.  A broad query on 20,000 articles finds ~1,900 officials, and OptionList
# lays out every row at once (1 s of start-up on Reuters); past the first hundred the
# tail is one file each, better reached by narrowing the query.
SHOWN = 100


class EntityPanel(KeyedOptionList):
    """Two groups of facets; Enter (or a click) on one toggles it as a filter."""

    DEFAULT_CSS = """
    EntityPanel > .option-list--option-disabled { color: $text; text-style: bold; }
    """

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
        self._drawn_width = 0

    def show_facets(
        self, facets: Mapping[str, Sequence[Facet]], active: Iterable[tuple[str, str]]
    ) -> None:
        self._facets = facets
        self._active = set(active)
        self._redraw()

    def _redraw(self) -> None:
        keep = self.highlighted_option.id if self.highlighted_option else None
        width = self._drawn_width = max(8, self.scrollable_content_region.width - 1)
        self._entries = {}
        options: list[Option] = []
        for field, heading in GROUPS:
            items = list(self._facets.get(field, ()))
            options.append(Option(Text(f"{heading} ({len(items):,})"), disabled=True))
            if not items:
                options.append(Option(Text("  none in these files", style="dim"), disabled=True))
            # The top rows, and any active filter further down so it can be switched off.
            shown = [
                (i, f) for i, f in enumerate(items) if i < SHOWN or (field, f.key) in self._active
            ]
            for index, facet in shown:
                option_id = f"{field}-{index}"
                self._entries[option_id] = (field, facet.key, facet.name)
                options.append(Option(self._row(field, facet, width), id=option_id))
            if len(items) > len(shown):
                more = f"  … {len(items) - len(shown):,} more: narrow the search"
                options.append(Option(Text(more, style="dim"), disabled=True))
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            ids = [o.id for o in options]
            if keep in ids:
                self.highlighted = ids.index(keep)
            else:
                self.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    def _row(self, field: str, facet: Facet, width: int) -> Text:
        on = (field, facet.key) in self._active
        count = f" {facet.count}"
        name = Text(("✓ " if on else "  ") + facet.name, style="bold" if on else "")
        name.truncate(max(1, width - len(count)), overflow="ellipsis", pad=True)
        row = Text.assemble(name, (count, "dim"))
        if facet.detail:
            detail = Text("\n    " + facet.detail, style="dim")
            detail.truncate(width + 1, overflow="ellipsis")
            row.append_text(detail)
        return row

    def on_resize(self) -> None:
        if self._facets and max(8, self.scrollable_content_region.width - 1) != self._drawn_width:
            self._redraw()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self._entries.get(event.option.id or "")
        if entry:
            self.post_message(self.Toggled(*entry))
