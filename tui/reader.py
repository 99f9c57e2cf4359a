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
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from search.text import visible
from tui.wrap import wrap_rows

__all__ = ["Reader", "ReaderDocument", "SpanLayer"]

Span = tuple[int, int]


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
    mentions: list[Span] = field(default_factory=list)  # of the entities filtered on
    boilerplate_start: int | None = None
    captions: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Reader(ScrollView, can_focus=True):
    """Scrolls through one document; ``current`` is the match shown bold and reversed."""

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

    BINDINGS = [
        Binding("j,down", "line(1)", "Down", show=False),
        Binding("k,up", "line(-1)", "Up", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", show=False),
    ]

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
        self._matches = SpanLayer()
        self._mentions = SpanLayer()
        self._captions = SpanLayer()
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._header: list[tuple[str, str]] = []  # (text, component class)
        self._wrapped_width = -1
        # Pressing n redraws the whole pane, but only the rows holding the old and the new
        # current match changed: rows are cached with the current match they show, if any.
        self._row_cache: LRUCache[tuple[int, int, int, Span | None], Strip] = LRUCache(1024)
        self._style_cache: dict[str, Style] = {}

    # -- content -------------------------------------------------------------------------
    @property
    def matches(self) -> list[Span]:
        return self._matches.spans

    @property
    def text_width(self) -> int:
        return max(10, self.scrollable_content_region.width)

    def set_document(
        self,
        document: ReaderDocument | None,
        current: int | None = None,
        rows: tuple[list[int], list[int], int] | None = None,
    ) -> None:
        """Show ``document`` (None: the placeholder) with match ``current`` in view.

        ``rows`` is a wrap computed off the event loop for ``text_width`` (see ``wrap``).
        """
        self.document = document
        self._row_cache.clear()
        self._matches = SpanLayer(document.matches if document else ())
        self._mentions = SpanLayer(document.mentions if document else ())
        self._captions = SpanLayer(document.captions if document else ())
        self.current = None
        if rows is not None and rows[2] == self.text_width:
            self._starts, self._ends, self._wrapped_width = rows
            self._layout_header()
            self._update_virtual_size()
        else:
            self._rewrap()
        self.scroll_to(0, 0, animate=False, immediate=True)
        if current is not None and self._matches.spans:
            self.go_to_match(current)
        self.refresh()
        self.post_message(self.CurrentChanged(self))

    def set_mentions(self, mentions: Sequence[Span]) -> None:
        self._mentions = SpanLayer(mentions)
        self._row_cache.clear()
        if self.document:
            self.document.mentions = list(mentions)
        self.refresh()

    def wrap(self, document: ReaderDocument, width: int) -> tuple[list[int], list[int], int]:
        """The row offsets of ``document`` at ``width``; safe to call from a thread."""
        starts, ends = wrap_rows(document.text, width)
        return starts, ends, width

    def _rewrap(self) -> None:
        width = self.text_width
        if self.document is None:
            self._starts, self._ends = [], []
        else:
            self._starts, self._ends, _ = self.wrap(self.document, width)
        self._wrapped_width = width
        self._layout_header()
        self._update_virtual_size()

    def _layout_header(self) -> None:
        width = self._wrapped_width
        doc = self.document
        if doc is None:
            self._header = [(line, "reader--path") for line in _wrap_plain(self.placeholder, width)]
            return
        if doc.date is None:
            date = "undated"
        else:
            date = doc.date.isoformat() + (" (date inferred)" if doc.date_inferred else "")
        title = _wrap_plain(visible(f"{date}  {doc.title}"), width)
        header = [(line, "reader--heading") for line in title]
        header += [(line, "reader--path") for line in _wrap_plain(visible(doc.path), width)]
        for warning in doc.warnings:
            lines = _wrap_plain(visible(f"! {warning}"), width)
            header += [(line, "reader--path") for line in lines]
        header.append(("─" * width, "reader--path"))
        self._header = header

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._wrapped_width, len(self._header) + len(self._starts))

    def on_resize(self) -> None:
        if self.text_width != self._wrapped_width:
            anchor = self._top_offset()
            self._rewrap()
            if anchor is not None:
                self.scroll_to(y=self.row_of(anchor), animate=False, immediate=True)
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
        if not self._matches.spans:
            return
        index = max(0, min(index, len(self._matches.spans) - 1))
        self.current = index
        start, end = self._matches.spans[index]
        top, bottom = self.row_of(start), self.row_of(max(start, end - 1))
        height = self.scrollable_content_region.height or 1
        visible = self.scroll_y <= top and bottom < self.scroll_y + height
        if not visible:
            self.scroll_to(y=max(0, top - height // 3), animate=False, immediate=True)
        self.refresh()

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
            text, component = self._header[line]
            style = base + self._style(component)
            return Strip([Segment(text, style)]).crop_extend(0, width, base)
        row = line - len(self._header)
        if row >= len(self._starts) or self.document is None:
            return Strip.blank(width, base)
        a, b = self._starts[row], self._ends[row]
        current = self._current_in(a, b)
        key = (a, b, width, current)
        strip = self._row_cache.get(key)
        if strip is None:
            strip = self._render_row(a, b, base, current).crop_extend(0, width, base)
            self._row_cache[key] = strip
        return strip

    def _current_in(self, a: int, b: int) -> Span | None:
        """The current match if it shows in row [a, b)."""
        if self.current is None or not self._matches.spans:
            return None
        s, e = self._matches.spans[self.current]
        return (s, e) if s < b and e > a else None

    def _render_row(self, a: int, b: int, base: Style, current: Span | None) -> Strip:
        doc = self.document
        assert doc is not None
        text = doc.text[a:b].replace("\t", " ")
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
            return Strip([Segment(text, base)])
        cuts = {0, len(text)}
        for s, e, _style in layers:
            cuts.add(min(max(s - a, 0), len(text)))
            cuts.add(min(max(e - a, 0), len(text)))
        points = sorted(cuts)
        segments = []
        for x, z in zip(points, points[1:], strict=False):
            style = base
            for s, e, layer_style in layers:
                if s - a <= x and e - a >= z:
                    style += layer_style
            segments.append(Segment(text[x:z], style))
        return Strip(segments)

    # -- keys ----------------------------------------------------------------------------
    def action_line(self, delta: int) -> None:
        self.scroll_to(y=self.scroll_y + delta, animate=False, immediate=True)

    def action_page(self, delta: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + delta * height, animate=False, immediate=True)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    @property
    def rows(self) -> list[tuple[int, int]]:
        """Where each wrapped row of the document starts and ends (character offsets)."""
        return list(zip(self._starts, self._ends, strict=True))

    def render_row(self, start: int, end: int) -> Strip:
        """Row ``[start, end)`` of the document as drawn, before cropping to the width."""
        return self._render_row(start, end, self._style(""), self._current_in(start, end))

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
