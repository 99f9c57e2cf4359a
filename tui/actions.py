"""Every key of the app, in one registry: bindings, footer, help screen, palette and docs.

Each ``Key`` says which keys run which action, where (``scope``), the footer's short label,
the help screen's line and the palette's name.  The widgets take their ``BINDINGS`` from
``bindings(scope)``, the help screen lists ``KEYS``, the app's palette lists the entries
with a ``palette`` name, and docs/app.md's key table is ``markdown_table()`` (rewrite it
with ``python -m tui.actions docs/app.md``; a test fails when the two differ).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding

__all__ = [
    "KEYS",
    "SCOPES",
    "Key",
    "bindings",
    "empty_box_keys",
    "markdown_table",
    "palette_entries",
    "printable_actions",
    "textual_key",
    "with_table",
]

# Where a key works.  "app" keys work everywhere except while typing in the search box.
SCOPES: dict[str, str] = {
    "any": "everywhere",
    "app": "anywhere but the search box",
    "search": "in the search box",
    "results": "in the results list",
    "lists": "in the side panel's lists",
    "panel": "in the side panel (corrections, kept in the curation file)",
    "reader": "in the reader",
    "screen": "on the help and skipped-files screens",
    "prompt": "in a correction's question (merge, rename, alias)",
    "picker": "in the merge question",
    "rows": "in the timeline's bars, the concordance and the collocates",
    "timeline": "on the timeline (t)",
    "concordance": "on the concordance (c)",
    "views": "in the who-with-where and profile views",
}

# Keys as people read them -> Textual's key names.
_TEXTUAL_NAMES = {
    "?": "question_mark",
    "/": "slash",
    "!": "exclamation_mark",
    "'": "apostrophe",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
    "Esc": "escape",
    "Enter": "enter",
    "Space": "space",
    "Tab": "tab",
    "Shift+Tab": "shift+tab",
    "Up": "up",
    "Down": "down",
    "Home": "home",
    "Left": "left",
    "Right": "right",
    "End": "end",
    "Backspace": "backspace",
    "+": "plus",
    "-": "minus",
    "PgUp": "pageup",
    "PgDn": "pagedown",
}


def textual_key(key: str) -> str:
    """``"?"`` -> ``"question_mark"``, ``"Ctrl+P"`` -> ``"ctrl+p"``, ``"n"`` -> ``"n"``."""
    if key in _TEXTUAL_NAMES:
        return _TEXTUAL_NAMES[key]
    return key.lower() if "+" in key else key


@dataclass(frozen=True)
class Key:
    """One action and the keys that run it.

    ``action`` is a Textual action string run in the scope's widget (``app.`` for the app's
    own); an empty ``action`` documents a key that Textual or a widget handles itself.
    ``footer`` is the footer label ("" keeps it out of the footer); ``palette`` the
    command palette's name ("" keeps it out of the palette). A ``priority`` binding is
    checked before the focused widget sees the key (the app's ``check_action`` can still
    hand it on to that widget).
    """

    keys: tuple[str, ...]
    action: str
    help: str
    scope: str = "app"
    footer: str = ""
    palette: str = ""
    priority: bool = False

    @property
    def display(self) -> str:
        return " ".join(self.keys)


def _scrolling(scope: str) -> tuple[Key, ...]:
    """The keys of a pane that scrolls (the widget has line, page, top, bottom actions)."""
    return (
        Key(("j", "Down"), "line(1)", "scroll down a line", scope=scope),
        Key(("k", "Up"), "line(-1)", "scroll up a line", scope=scope),
        Key(("Space", "PgDn"), "page(1)", "page down", scope=scope),
        Key(("b", "PgUp"), "page(-1)", "page up", scope=scope),
        Key(("g", "Home"), "top", "top (Home often fails inside tmux)", scope=scope),
        Key(("G", "End"), "bottom", "bottom", scope=scope),
    )


def _rows(scope: str, last: str, enter: str) -> tuple[Key, ...]:
    """The keys of a list on the line API (the widget has move, page, first, last, select)."""
    return (
        Key(("j", "Down"), "move(1)", "next row", scope=scope),
        Key(("k", "Up"), "move(-1)", "previous row", scope=scope),
        Key(("PgDn",), "page(1)", "a page down", scope=scope),
        Key(("PgUp",), "page(-1)", "a page up", scope=scope),
        Key(("g", "Home"), "first", "first row", scope=scope),
        Key(("G", "End"), "last", last, scope=scope),
        Key(("Enter",), "select", enter, scope=scope),
    )


KEYS: tuple[Key, ...] = (
    Key(("Tab", "Shift+Tab"), "", "move between search box, results, reader and panel",
        scope="any"),
    Key(("Ctrl+P",), "", "the command palette: every action by name, index update and rebuild",
        scope="any"),
    # app: the footer shows these in this order, so help and quit survive any width
    Key(("?",), "help", "help: every key, and the query language", footer="Help",
        palette="Help: keys and query language"),
    Key(("q",), "quit_app", "quit", footer="Quit", palette="Quit"),
    # priority: checked before the focused widget takes the keys typed just after it
    Key(("/",), "focus_search", "go to the search box", footer="Find", palette="Search",
        priority=True),
    Key(("n",), "next_match",
        "next match (a title's first); past a file's last match, on to the next file in the "
        "list's order (the counter says so)",
        footer="Next", palette="Next match"),
    Key(("N",), "previous_match", "previous match; before the first, the previous file",
        footer="Prev", palette="Previous match"),
    Key(("s",), "toggle_sort",
        "sort: relevance, oldest first, newest first (browsing: oldest / newest first)",
        footer="Sort", palette="Toggle sort"),
    Key(("w",), "cycle_wrap",
        "reader: wrap, reflow hard-wrapped paragraphs, or no wrap (then Left / Right scroll)",
        palette="Wrap mode"),
    Key(("e",), "toggle_panel", "fold / unfold the officials and provinces panel",
        footer="Panel", palette="Toggle side panel"),
    Key(("[",), "split(-1)", "less room for the results pane, more for the reader",
        palette="Smaller results pane"),
    Key(("]",), "split(1)", "more room for the results pane, less for the reader",
        palette="Larger results pane"),
    Key(("y",), "copy_passage",
        "copy the passage around the current match, with its citation (OSC 52)",
        palette="Copy passage"),
    Key(("Y",), "copy_path", "copy the path of the file in the reader (OSC 52)",
        palette="Copy path"),
    Key(("o",), "open_in_editor",
        "open the file in $VISUAL / $EDITOR at the current match's line; the edit is indexed",
        palette="Open in editor"),
    Key(("S",), "save_search", "save the query, filters and sort under a name",
        palette="Save search"),
    Key(("E",), "export",
        "export the results list (every hit: .csv, .jsonl, .md) or the article in the reader "
        "(.md, .jsonl) to a file",
        palette="Export"),
    Key(("W",), "cooccur",
        "who with where: officials x provinces named together in the matching files, per "
        "file and per paragraph, as a ranked list and a matrix",
        palette="Who with where"),
    Key((), "profile",
        "an official's or a province's profile (asks the name; in the panel, p takes the "
        "entry's)",
        palette="Profile of an official or province"),
    Key(("'",), "saved_searches", "run or delete a saved search", palette="Saved searches"),
    Key(("t",), "timeline",
        "timeline: matching files and matches per day, week, month or year; Enter on a bar "
        "narrows the date range", palette="Timeline"),
    Key(("c",), "concordance",
        "concordance: every match on one line, aligned, sortable; and its collocates",
        palette="Concordance and collocates"),
    Key((), "search_history", "pick an earlier query of this corpus (Ctrl+R in the box)",
        palette="Search history"),
    Key(("!",), "skipped", "files skipped or read with a warning by the last indexing",
        footer="Skipped", palette="Skipped files and warnings"),
    Key(("Esc",), "clear_filters", "clear the side-panel filters and the date range",
        palette="Clear filters"),
    Key((), "query_help", "the query language, by example", palette="Query language"),
    Key((), "update_index", "pick up added, changed and removed files", palette="Update index"),
    Key((), "rebuild_index", "build the index afresh in the background, swap it in when done",
        palette="Rebuild index"),
    Key((), "toggle_watch", "watch the corpus: index files as they are saved (again: stop)",
        palette="Watch for changes"),
    Key((), "screenshot", "save an SVG screenshot in the current folder",
        palette="Screenshot"),
    Key((), "focus_results", "go to the results list", palette="Focus results"),
    Key((), "focus_reader", "go to the reader", palette="Focus reader"),
    # the search box
    Key(("Enter",), "", "run the search now and go to the results", scope="search"),
    Key(("Esc",), "leave", "leave the search box (to the results)", scope="search",
        footer="Leave box"),
    Key(("?",), "app.help", "in an empty box: help (after other text it is typed)",
        scope="search"),
    Key(("/",), "", "in an empty box: nothing, you are there (after other text it is typed)",
        scope="search"),
    Key(("Up",), "history(-1)",
        "an earlier query of this corpus (what is typed narrows the walk)", scope="search"),
    Key(("Down",), "history(1)", "a later query; past the newest, what you were typing",
        scope="search"),
    Key(("Ctrl+R",), "search_history", "pick from this corpus's earlier queries",
        scope="search"),
    Key(("Ctrl+Q",), "app.quit", "quit (works everywhere)", scope="search", footer="Quit",
        priority=True),
    # the results list and the side panel
    Key(("Enter",), "", "filter on the entry (again: unfilter)", scope="lists"),
    Key(("j", "Down"), "cursor_down", "next row", scope="lists"),
    Key(("k", "Up"), "cursor_up", "previous row", scope="lists"),
    Key(("g",), "first", "first row (Home too, where the terminal sends it)", scope="lists"),
    Key(("G",), "last", "last row (End too)", scope="lists"),
    # the results list (rows are made as they come into view)
    *_rows("results", "last row, however long the list", "read the file"),
    # the side panel's corrections (docs/curation.md)
    Key(("x",), "curate('hide')", "hide the entry", scope="panel"),
    Key(("m",), "curate('merge')",
        "merge it into another: pick from the list narrowed as you type, or type a name",
        scope="panel"),
    Key(("r",), "curate('rename')", "rename it (the current name is offered to edit)",
        scope="panel"),
    Key(("a",), "curate('alias')", "add an alias (a spelling in the text)", scope="panel"),
    Key(("u",), "curate('undo')", "undo the last correction made in this session",
        scope="panel"),
    Key(("p",), "profile",
        "the entry's profile: titles over time, provinces or officials, months, articles",
        scope="panel"),
    # the who-with-where and profile views (tui/cooccur_view.py, tui/profile_view.py)
    Key(("Enter",), "",
        "a pair: filter the search by both (Esc in the results: back); an article: open it; "
        "an official or a province: its profile",
        scope="views"),
    Key(("p",), "profile", "who with where: the profile of the pair's official", scope="views"),
    Key(("E",), "export", "export the view's table to .csv, .jsonl or .md", scope="views",
        footer="Export"),
    Key(("Esc", "q", "W"), "close", "close the view", scope="views", footer="Close"),
    *_scrolling("reader"),
    Key(("Left",), "columns(-1)", "no-wrap mode: scroll left", scope="reader"),
    Key(("Right",), "columns(1)", "no-wrap mode: scroll right", scope="reader"),
    # the help and skipped-files screens
    Key(("Esc", "q", "?", "!"), "close", "close the screen", scope="screen", footer="Close"),
    *_scrolling("screen"),
    # the rows of the timeline, the concordance and the collocates (tui/row_list.py)
    *_rows("rows", "last row", "timeline: narrow to the bar; concordance: open the match"),
    # the timeline (tui/timeline_screen.py)
    Key(("Enter",), "narrow",
        "narrow the search's date range to the bar (or the range Space began); the "
        "timeline redraws with finer bars", scope="timeline", footer="Narrow"),
    Key(("Space",), "anchor", "begin (again: drop) a range of bars, ended where Enter is "
        "pressed", scope="timeline", footer="Range"),
    Key(("Backspace",), "back", "back to the date range before the last narrowing",
        scope="timeline", footer="Back"),
    Key(("u",), "unit", "bars by day, week, month, year in turn", scope="timeline",
        footer="Bucket"),
    Key(("Esc", "q", "t"), "close", "back to the results (the date range stays; Esc there "
        "clears it)", scope="timeline", footer="Close"),
    # the concordance (tui/concordance_screen.py)
    Key(("Enter",), "", "open the article in the reader at that match", scope="concordance"),
    Key(("s",), "sort", "sort by date, by the word left of the match, by the word right",
        scope="concordance", footer="Sort"),
    Key(("c",), "switch", "the collocates, or back to the lines", scope="concordance",
        footer="Collocates"),
    Key(("+",), "window(1)", "collocates: one more word each side", scope="concordance"),
    Key(("-",), "window(-1)", "collocates: one word fewer each side", scope="concordance"),
    Key(("Esc", "q"), "close", "back to the results", scope="concordance", footer="Close"),
    # a correction's question (tui/text_prompt.py, tui/merge_picker.py)
    Key(("Enter",), "", "take the answer (merge: the highlighted name, or the one typed)",
        scope="prompt"),
    Key(("Esc",), "cancel", "cancel, changing nothing", scope="prompt"),
    # the merge question's list, moved while the typing stays in its box
    Key(("Down",), "move(1)", "next name", scope="picker"),
    Key(("Up",), "move(-1)", "previous name", scope="picker"),
)  # fmt: skip


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of one scope, footer labels included."""
    return [
        Binding(
            ",".join(textual_key(k) for k in key.keys),
            key.action,
            key.footer or key.help,
            show=bool(key.footer),
            priority=key.priority,
        )
        for key in KEYS
        if key.scope == scope and key.action and key.keys and not _typed_in_box(key)
    ]


def _typed_in_box(key: Key) -> bool:
    # The search box takes every character before any binding sees it: these run only in
    # an empty box, through ``empty_box_keys``.
    return key.scope == "search" and all(len(k) == 1 for k in key.keys)


def empty_box_keys() -> dict[str, str]:
    """Characters that do something in an empty search box -> their action ("" = nothing)."""
    return {k: key.action for key in KEYS if _typed_in_box(key) for k in key.keys}


def palette_entries() -> list[Key]:
    return [key for key in KEYS if key.palette]


def printable_actions() -> set[str]:
    """App actions whose keys are all characters: the search box types them instead."""
    return {
        key.action
        for key in KEYS
        if key.scope == "app" and key.action and all(len(k) == 1 for k in key.keys)
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table() -> str:
    """docs/app.md's key table."""
    lines = ["| key | where | does |", "| --- | --- | --- |"]
    for key in KEYS:
        if not key.keys:
            continue  # palette only
        keys = " ".join(f"`{_cell(k)}`" for k in key.keys)
        lines.append(f"| {keys} | {SCOPES[key.scope]} | {_cell(key.help)} |")
    return "\n".join(lines) + "\n"


BEGIN = "<!-- keys: generated by `python -m tui.actions docs/app.md` -->\n"
END = "<!-- end of keys -->\n"


def with_table(doc: str) -> str:
    """``doc`` with the text between BEGIN and END replaced by ``markdown_table()``."""
    head, _, rest = doc.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head + BEGIN + markdown_table() + END + tail


def main(argv: list[str]) -> int:
    if not argv:
        sys.stdout.write(markdown_table())
        return 0
    path = Path(argv[0])
    doc = path.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        sys.stderr.write(f"{path} has no key table markers\n")
        return 2
    path.write_text(with_table(doc), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
