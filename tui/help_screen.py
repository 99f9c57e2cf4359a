"""The ``?`` screen: every key (from ``tui.actions``), the reader's marks, and the query
language by example (from ``search.query_forms``)."""

from __future__ import annotations

import re

from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from search.query_forms import FORMS, INTRO, NOTES
from tui.actions import KEYS, SCOPES
from tui.text_screen import TextScreen

__all__ = ["MARKS", "HelpScreen", "code_text"]

MARKS: list[tuple[str, str, str]] = [
    ("underlined, tinted", "underline", "a match of the query"),
    ("bold, reversed", "bold reverse", "the current match (n / N)"),
    ("bold italic", "bold italic", "a mention of an official or province you filtered on"),
    ("dim", "dim", "boilerplate (bylines, related links, copyright)"),
    ("2024-04-03~", "bold", "a date the extractor inferred from the text"),
]

KEY_WIDTH = max(len(key.display) for key in KEYS)  # one key column for every table
_CODE = re.compile(r"`([^`]*)`")


def code_text(text: str) -> Text:
    """Our own help text with its `code spans` shown bold (never markup: corpus-free)."""
    out = Text()
    pos = 0
    for found in _CODE.finditer(text):
        out.append(text[pos : found.start()])
        out.append(found.group(1), style="bold")
        pos = found.end()
    out.append(text[pos:])
    return out


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def key_table(scope: str) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=KEY_WIDTH)
    table.add_column()
    for key in KEYS:
        if key.scope == scope and key.keys:
            table.add_row(Text(" ".join(key.keys)), Text(key.help))
    return table


class HelpScreen(TextScreen):
    heading = "Help: keys and the query language"

    def __init__(self, at_query_language: bool = False) -> None:
        super().__init__()
        self.at_query_language = at_query_language

    def on_mount(self) -> None:
        super().on_mount()
        if self.at_query_language:
            self.query_one("#query-language").scroll_visible(top=True, animate=False)

    def parts(self) -> list[RenderableType | Widget]:
        first = ("any", "app", "search")
        later = [scope for scope in SCOPES if scope not in first]
        parts: list[RenderableType | Widget] = [
            Text("The query language follows the keys: space pages down.", style="italic"),
            Text(),
        ]
        for scope in first:
            parts += _keys(scope)
        heading = Static(Text("The query language", style="bold underline"), id="query-language")
        parts += [heading, code_text(INTRO)]
        parts.append(Text())
        for example, finds in FORMS:
            parts += [
                code_text(f"`{example.replace('`', '')}`"),
                Padding(code_text(finds), (0, 0, 0, 4)),
            ]
        parts.append(Text())
        parts += [code_text(f"• {note}") for note in NOTES]
        marks = Table.grid(padding=(0, 2))
        marks.add_column(no_wrap=True)
        marks.add_column()
        for mark, style, what in MARKS:
            marks.add_row(Text(mark, style=style), Text(what))
        parts += [_heading("Marks in the reader"), marks, Text()]
        for scope in later:
            parts += _keys(scope)
        return parts


def _keys(scope: str) -> list[RenderableType | Widget]:
    return [Text(f"Keys {SCOPES[scope]}", style="bold underline"), key_table(scope), Text()]
