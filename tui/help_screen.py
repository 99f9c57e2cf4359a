"""The ``?`` screen: every key, and what the marks in the reader mean."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["HelpScreen", "KEYS"]

KEYS: list[tuple[str, str]] = [
    ("/", "focus the search box (typing there runs the search after a pause)"),
    ("Enter", "run the search now; in the results: read that file; in the panel: filter"),
    ("n / N", "next / previous match (title first); on to the next / previous file as listed"),
    ("Tab / Shift+Tab", "move between search, results, reader and side panel"),
    ("j k, arrows", "move in the results and the panel, scroll the reader"),
    ("g / G", "top / bottom (Home / End too, where the terminal sends them)"),
    ("space / b", "page down / up in the reader"),
    ("s", "sort: relevance, oldest first, newest first (browsing: oldest / newest)"),
    ("w", "wrap mode: wrap, reflow hard-wrapped paragraphs, no wrap (then ← → scroll)"),
    ("e", "fold / unfold the officials and provinces panel"),
    ("[ / ]", "less / more room for the results pane, the rest to the reader"),
    ("Esc", "clear the side-panel filters"),
    ("Ctrl+P", "command palette: every action, and rebuilding the index"),
    ("?", "this help"),
    ("q", "quit"),
]

MARKS: list[tuple[str, str]] = [
    ("underlined, tinted", "a match of the query"),
    ("bold, reversed", "the current match (n / N)"),
    ("bold italic", "a mention of an official or province you filtered on"),
    ("dim", "boilerplate (bylines, related links, copyright)"),
    ("2024-04-03~", "a date the extractor inferred from the text"),
]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 100%; overflow-x: hidden;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", show=True),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def compose(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for key, what in KEYS:
            keys.add_row(Text(key), Text(what))
        marks = Table.grid(padding=(0, 2))
        marks.add_column(no_wrap=True)
        marks.add_column()
        styles = ["underline", "bold reverse", "bold italic", "dim", "bold"]
        for (mark, what), style in zip(MARKS, styles, strict=True):
            marks.add_row(Text(mark, style=style), Text(what))
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys (Esc closes)"
            yield Static(keys)
            yield Static(Text("\nIn the reader", style="bold"))
            yield Static(marks)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)
