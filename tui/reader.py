"""The reader: one document, every match marked, drawn a visible line at a time.

It is a ``ScrollView`` on Textual's line API: ``render_line`` slices the rows on screen out
of the document text and styles them from sorted span lists, so a 5 MB file with thousands
of matches costs one wrap (a few lists of ints) and then only what is visible.  The text is
only ever turned into ``Segment``s, never parsed as markup.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from search.spans import Span
from search.text import visible
from tui.actions import bindings
from tui.wrap import MODES, Layout, expand_tabs, lay_out, row_cells, wrap_rows

__all__ = [
    "WRAP_NAMES", "HeaderRow", "Place", "Reader", "ReaderDocument", "SpanLayer", "moved_offset",
]  # fmt: skip


class SpanLayer:
    """Sorted spans of one kind, with a fast "which of these touch [a, b)" lookup."""

    def __init__(self, spans: Sequence[Span] = ()) -> None:
        self.spans = sorted((s, e) for s, e in spans if e > s)
        self.starts = [s for s, _ in self.spans]
        self._max_end = list(accumulate((e for _, e in self.spans), max))

    def __len__(self) -> int:
        return len(self.spans)

    def touching(self, a: int, b: int) -> list[Span]:
        hi = bisect_left(self.starts, b)
        lo = bisect_right(self._max_end, a, 0, hi)  # first span that may end after a
        return [(s, e) for s, e in self.spans[lo:hi] if e > a]


@dataclass
class ReaderDocument:
    """What the reader shows; built from a ``search.DocumentView`` by the app."""

    path: str
    title: str
    date: datetime.date | None
    date_inferred: bool
    text: str
    matches: list[Span] = field(default_factory=list)
    title_matches: list[Span] = field(default_factory=list)  # offsets into ``title``
    mentions: list[Span] = field(default_factory=list)  # of the entities filtered on
    boilerplate_start: int | None = None
    captions: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


WRAP_NAMES = {"wrap": "wrap", "reflow": "reflow paragraphs", "nowrap": "no wrap"}


@dataclass
class Place:
    """Where the reader was in a document, to find it again in the file read anew."""

    document: ReaderDocument
    current: int | None  # the current match's number
    top: int | None  # the offset of the first text row on screen
    screen_row: int | None  # how far down the pane the current match was


def moved_offset(old: str, offset: int, new: str, probe: int = 64) -> int:
    """Where the text at ``offset`` of ``old`` is in ``new``: the copy of the text after it
    (failing that, before it) nearest the same offset; else the same offset."""
    for start, end in ((offset, offset + probe), (max(0, offset - probe), offset)):
        piece = old[start:end]
        if len(piece.strip()) < 8:
            continue
        found: list[int] = []
        at = new.find(piece)
        while at != -1 and len(found) < 64:
            found.append(at)
            at = new.find(piece, at + 1)
        if found:
            return min(found, key=lambda at: abs(at - start)) + offset - start
    return min(offset, len(new))


@dataclass
class HeaderRow:
    """A row above the text: its words, style, and the title matches in it as (start, end,
    match number) in the row."""

    text: str
    component: str
    marks: list[tuple[int, int, int]] = field(default_factory=list)


class Reader(ScrollView, can_focus=True):
    """Scrolls through one document; ``current`` is the match shown bold and reversed.

    Matches are numbered as they are read: those in the title first, then those in the
    text; ``current`` is that number (``matches`` and ``title_matches`` hold the spans).
    """

    COMPONENT_CLASSES = {
        "reader--match",
        "reader--current",
        "reader--mention",
        "reader--boilerplate",
        "reader--caption",
        "reader--heading",
        "reader--path",
    }

    DEFAULT_CSS = """
    Reader {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }
    Reader > .reader--match { background: $warning 35%; text-style: underline; }
    Reader > .reader--current { text-style: bold reverse; }
    Reader > .reader--mention { color: $accent; text-style: bold italic; }
    Reader > .reader--boilerplate { color: $text-muted; text-style: dim; }
    Reader > .reader--caption { text-style: italic; }
    Reader > .reader--heading { text-style: bold; }
    Reader > .reader--path { color: $text-muted; }
    """

    BINDINGS = bindings("reader")

    class CurrentChanged(Message):
        """A document was loaded, so the match counter must change.

        ``go_to_match`` posts nothing: only its caller moves the current match, and it
        updates what it shows at once (a message costs a frame per ``n``)."""

        def __init__(self, reader: Reader) -> None:
            super().__init__()
            self.reader = reader

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.document: ReaderDocument | None = None
        self.placeholder = "Type a query; Enter runs it, then n / N walk the matches."
        self.current: int | None = None
        self.wrap_mode = "wrap"
        self._matches = SpanLayer()
        self._title_matches: list[Span] = []
        self._mentions = SpanLayer()
        self._captions = SpanLayer()
        self._layout = Layout("", [], [], -1, "wrap", 0)
        self._header: list[HeaderRow] = []
        self._tail = 0  # blank rows after the text, so a match on its last row can rise
        # Pressing n redraws the whole pane, but only the rows holding the old and the new
        # current match changed: rows are cached with the current match they show, if any.
        self._row_cache: LRUCache[tuple[int, int, int, Span | None], Strip] = LRUCache(1024)
        self._style_cache: dict[str, Style] = {}

    # -- content -------------------------------------------------------------------------
    @property
    def matches(self) -> list[Span]:
        """The matches in the text."""
        return self._matches.spans

    @property
    def title_matches(self) -> list[Span]:
        return self._title_matches

    @property
    def match_count(self) -> int:
        return len(self._title_matches) + len(self._matches.spans)

    def current_span(self) -> tuple[str, Span] | None:
        """("title" or "text", span) of the current match."""
        if self.current is None:
            return None
        titled = len(self._title_matches)
        if self.current < titled:
            return "title", self._title_matches[self.current]
        return "text", self._matches.spans[self.current - titled]

    @property
    def text_width(self) -> int:
        return max(10, self.scrollable_content_region.width)

    @property
    def _starts(self) -> list[int]:
        return self._layout.starts

    @property
    def _ends(self) -> list[int]:
        return self._layout.ends

    def set_document(
        self,
        document: ReaderDocument | None,
        current: int | None = None,
        layout: Layout | None = None,
    ) -> None:
        """Show ``document`` (None: the placeholder) with match ``current`` in view.

        ``layout`` is one computed off the event loop (see ``lay_out``); it is used if it
        still fits the pane's width and wrap mode.
        """
        self.document = document
        self._row_cache.clear()
        self._matches = SpanLayer(document.matches if document else ())
        self._title_matches = sorted(document.title_matches) if document else []
        self._mentions = SpanLayer(document.mentions if document else ())
        self._captions = SpanLayer(document.captions if document else ())
        self.current = None
        if layout is not None and (layout.width, layout.mode) == self._wanted_layout():
            self._use_layout(layout)
        else:
            self._relayout()
        self.scroll_to(0, 0, animate=False, immediate=True, force=True)
        if current is not None and self.match_count:
            self.go_to_match(current)
        self.refresh()
        self.post_message(self.CurrentChanged(self))

    def set_mentions(self, mentions: Sequence[Span]) -> None:
        self._mentions = SpanLayer(mentions)
        self._row_cache.clear()
        if self.document:
            self.document.mentions = list(mentions)
        self.refresh()

    def lay_out(self, document: ReaderDocument, width: int) -> Layout:
        """``document``'s rows at ``width`` in the current wrap mode; safe in a thread."""
        return lay_out(document.text, width, self.wrap_mode)

    def _wanted_layout(self) -> tuple[int, str]:
        return self.text_width, self.wrap_mode

    def _relayout(self) -> None:
        width = self.text_width
        text = self.document.text if self.document is not None else ""
        self._use_layout(lay_out(text, width, self.wrap_mode))

    def _use_layout(self, layout: Layout) -> None:
        self._layout = layout
        self._row_cache.clear()
        self._layout_header()
        self._tail = 0
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        rows = len(self._header) + len(self._layout.starts) + self._tail
        self.virtual_size = Size(self._layout.max_cells, rows)

    def cycle_wrap(self) -> str:
        """Go on to the next wrap mode, keeping the current match (or the top row) in view;
        the new mode's name.  The rows are laid out in a thread (reflowing a 5 MB file
        takes about a second) and shown when ready."""
        self.wrap_mode = MODES[(MODES.index(self.wrap_mode) + 1) % len(MODES)]
        if self.document is not None:
            self._layout_worker(self.document, self.text_width, self.wrap_mode)
        return WRAP_NAMES[self.wrap_mode]

    @work(thread=True, exclusive=True, group="reader-layout", exit_on_error=False)
    def _layout_worker(self, document: ReaderDocument, width: int, mode: str) -> None:
        layout = lay_out(document.text, width, mode)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._layout_ready, document, layout)

    def _layout_ready(self, document: ReaderDocument, layout: Layout) -> None:
        if document is self.document and (layout.width, layout.mode) == self._wanted_layout():
            self._relayout_in_place(layout)
            self.post_message(self.CurrentChanged(self))

    def _relayout_in_place(self, layout: Layout | None = None) -> None:
        anchor = self._top_offset()
        if layout is None:
            self._relayout()
        else:
            self._use_layout(layout)
        self.scroll_to(x=0, animate=False, immediate=True, force=True)
        if anchor is not None:
            self.scroll_to(y=self.row_of(anchor), animate=False, immediate=True, force=True)
        if self.current is not None:
            self.go_to_match(self.current)
        self.refresh()

    def _layout_header(self) -> None:
        width = self._layout.width
        doc = self.document
        if doc is None:
            self._header = [
                HeaderRow(line, "reader--path") for line in _wrap_plain(self.placeholder, width)
            ]
            return
        if doc.date is None:
            date = "undated"
        else:
            date = doc.date.isoformat() + (" (date inferred)" if doc.date_inferred else "")
        lead = len(date) + 2
        marks = [(lead + s, lead + e, i) for i, (s, e) in enumerate(self._title_matches)]
        header = _marked_rows(visible(f"{date}  {doc.title}"), width, "reader--heading", marks)
        header += [
            HeaderRow(line, "reader--path") for line in _wrap_plain(visible(doc.path), width)
        ]
        for warning in doc.warnings:
            lines = _wrap_plain(visible(f"! {warning}"), width)
            header += [HeaderRow(line, "reader--path") for line in lines]
        header.append(HeaderRow("─" * width, "reader--path"))
        self._header = header

    def on_resize(self) -> None:
        if self.text_width != self._layout.width:
            self._relayout_in_place()
        self.refresh()

    def _top_offset(self) -> int | None:
        row = int(self.scroll_y) - len(self._header)
        if self.document is None or row < 0 or row >= len(self._starts):
            return None
        return self._starts[row]

    # -- matches -------------------------------------------------------------------------
    def row_of(self, offset: int) -> int:
        """The virtual line (header included) that shows character ``offset``."""
        row = max(0, bisect_right(self._starts, offset) - 1)
        return len(self._header) + row

    def go_to_match(self, index: int) -> None:
        """Make match ``index`` current and scroll it into view if it is not."""
        if not self.match_count:
            return
        self.current = max(0, min(index, self.match_count - 1))
        self.scroll_to_current()
        self.refresh()

    def current_rows(self) -> tuple[int, int] | None:
        """The first and last virtual line showing the current match."""
        found = self.current_span()
        if found is None:
            return None
        where, (start, end) = found
        if where == "title":
            rows = [
                y
                for y, row in enumerate(self._header)
                if any(i == self.current for *_, i in row.marks)
            ]
            return (rows[0], rows[-1]) if rows else (0, 0)
        return self.row_of(start), self.row_of(max(start, end - 1))

    def scroll_to_current(self, keep_clear: int = 0) -> None:
        """Scroll the current match into view, down and across (in nowrap), if it is not.

        ``keep_clear``: that many rows at the bottom of the pane count as hidden (a notice
        covers them)."""
        rows = self.current_rows()
        if rows is None:
            return
        top, bottom = rows
        height = max(1, (self.scrollable_content_region.height or 1) - keep_clear)
        if keep_clear > self._tail:
            self._tail = keep_clear
            self._update_virtual_size()
        if not (self.scroll_y <= top and bottom < self.scroll_y + height):
            y = max(0, top - height // 3) if height > 3 else top
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
        found = self.current_span()
        if self._layout.mode == "nowrap" and found is not None and found[0] == "text":
            self._scroll_across_to(*found[1])

    def _scroll_across_to(self, start: int, end: int) -> None:
        row = self.row_of(start) - len(self._header)
        row_start = self._starts[row]
        text = self._layout.display
        left = row_cells(text, row_start, start)
        right = row_cells(text, row_start, min(end, self._ends[row]))
        width = self.scrollable_content_region.width or 1
        if not (self.scroll_x <= left and right <= self.scroll_x + width):
            x = max(0, left - width // 3)
            self.scroll_to(x=x, animate=False, immediate=True, force=True)

    # -- drawing -------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache.clear()
        self._row_cache.clear()

    def _style(self, component: str) -> Style:
        """A component's style (or "" for the widget's own), computed once per CSS change:
        looking styles up costs more than drawing the row."""
        style = self._style_cache.get(component)
        if style is None:
            style = self.rich_style if not component else self.get_component_rich_style(component)
            self._style_cache[component] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style("")
        line = int(self.scroll_y) + y
        if line < len(self._header):
            return self._render_header(self._header[line], base).crop_extend(0, width, base)
        row = line - len(self._header)
        if row >= len(self._starts) or self.document is None:
            return Strip.blank(width, base)
        a, b = self._starts[row], self._ends[row]
        current = self._current_in(a, b)
        key = (a, b, self._layout.width, current)
        strip = self._row_cache.get(key)
        if strip is None:
            strip = self._render_row(a, b, base, current)
            self._row_cache[key] = strip
        left = int(self.scroll_x) if self._layout.mode == "nowrap" else 0
        return strip.crop_extend(left, left + width, base)

    def _render_header(self, row: HeaderRow, base: Style) -> Strip:
        style = base + self._style(row.component)
        if not row.marks:
            return Strip([Segment(row.text, style)])
        match, current = self._style("reader--match"), self._style("reader--current")
        segments, pos = [], 0
        for start, end, number in row.marks:
            segments.append(Segment(row.text[pos:start], style))
            mark = style + match + (current if number == self.current else Style())
            segments.append(Segment(row.text[start:end], mark))
            pos = end
        segments.append(Segment(row.text[pos:], style))
        return Strip([s for s in segments if s.text])

    def _current_in(self, a: int, b: int) -> Span | None:
        """The current match if it is in the text and shows in row [a, b)."""
        found = self.current_span()
        if found is None or found[0] != "text":
            return None
        s, e = found[1]
        return (s, e) if s < b and e > a else None

    def _render_row(self, a: int, b: int, base: Style, current: Span | None) -> Strip:
        doc = self.document
        assert doc is not None
        text = self._layout.display[a:b]
        layers: list[tuple[int, int, Style]] = []
        boiler = doc.boilerplate_start
        if boiler is not None and boiler < b:
            layers.append((max(a, boiler), b, self._style("reader--boilerplate")))
        caption = self._style("reader--caption")
        layers += [(s, e, caption) for s, e in self._captions.touching(a, b)]
        mention = self._style("reader--mention")
        layers += [(s, e, mention) for s, e in self._mentions.touching(a, b)]
        match = self._style("reader--match")
        layers += [(s, e, match) for s, e in self._matches.touching(a, b)]
        if current is not None:
            layers.append((*current, self._style("reader--current")))
        if not layers:
            return Strip([Segment(expand_tabs(text)[0], base)])
        cuts = {0, len(text)}
        for s, e, _style in layers:
            cuts.add(min(max(s - a, 0), len(text)))
            cuts.add(min(max(e - a, 0), len(text)))
        points = sorted(cuts)
        segments = []
        column = 0
        for x, z in zip(points, points[1:], strict=False):
            style = base
            for s, e, layer_style in layers:
                if s - a <= x and e - a >= z:
                    style += layer_style
            piece, column = expand_tabs(text[x:z], column)
            segments.append(Segment(piece, style))
        return Strip(segments)

    # -- keys ----------------------------------------------------------------------------
    def action_line(self, delta: int) -> None:
        self.scroll_to(y=self.scroll_y + delta, animate=False, immediate=True, force=True)

    def action_page(self, delta: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + delta * height, animate=False, immediate=True, force=True)

    def action_columns(self, delta: int) -> None:
        """Scroll sideways a third of the pane (nowrap)."""
        step = max(1, self.scrollable_content_region.width // 3)
        self.scroll_to(x=self.scroll_x + delta * step, animate=False, immediate=True, force=True)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    @property
    def rows(self) -> list[tuple[int, int]]:
        """Where each row of the document starts and ends (character offsets)."""
        return list(zip(self._starts, self._ends, strict=True))

    def render_row(self, start: int, end: int) -> Strip:
        """Row ``[start, end)`` of the document as drawn, before cropping to the width."""
        return self._render_row(start, end, self._style(""), self._current_in(start, end))

    def place(self) -> Place | None:
        """Where the reader is, for ``go_to_place`` once the file was read anew."""
        if self.document is None:
            return None
        rows = self.current_rows()
        screen_row = rows[0] - int(self.scroll_y) if rows is not None else None
        return Place(self.document, self.current, self._top_offset(), screen_row)

    def go_to_place(self, place: Place) -> None:
        """After ``set_document`` of the same file changed on disk: the same match (found by
        its text, wherever the edit moved it) at the same height in the pane; with no
        match, the same text at the top."""
        old, new = place.document, self.document
        if new is None:
            return
        titles = len(old.title_matches)
        if place.current is not None and self.match_count:
            index = min(place.current, self.match_count - 1)
            if place.current >= titles and self.matches:
                where = moved_offset(old.text, old.matches[place.current - titles][0], new.text)
                starts = [s for s, _ in self.matches]
                nearest = min(range(len(starts)), key=lambda i: abs(starts[i] - where))
                index = len(self._title_matches) + nearest
            self.current = index
            rows = self.current_rows()
            if rows is not None and place.screen_row is not None:
                y = max(0, rows[0] - place.screen_row)
                self.scroll_to(y=y, animate=False, immediate=True, force=True)
            else:
                self.scroll_to_current()
        elif place.top is not None:
            y = self.row_of(moved_offset(old.text, place.top, new.text))
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
        self.refresh()

    def top_offset(self) -> int | None:
        """The offset of the first document row on screen (None: the header shows, or
        no document)."""
        return self._top_offset()

    def visible_text(self) -> list[str]:
        """The rows on screen as plain text (for tests and the tmux check)."""
        return [self.render_line(y).text for y in range(self.scrollable_content_region.height)]


def _wrap_plain(text: str, width: int) -> list[str]:
    starts, ends = wrap_rows(text.replace("\n", " "), width)
    flat = text.replace("\n", " ")
    return [flat[s:e] for s, e in zip(starts, ends, strict=True)] or [""]


def _marked_rows(
    text: str, width: int, component: str, marks: list[tuple[int, int, int]]
) -> list[HeaderRow]:
    """``text`` wrapped to rows, each with the marks (start, end, number) that fall in it,
    cut to the row and counted from its start."""
    flat = text.replace("\n", " ")
    starts, ends = wrap_rows(flat, width)
    rows = []
    for a, b in zip(starts, ends, strict=True):
        inside = [(max(s, a) - a, min(e, b) - a, i) for s, e, i in marks if s < b and e > a]
        rows.append(HeaderRow(flat[a:b], component, inside))
    return rows or [HeaderRow("", component)]
