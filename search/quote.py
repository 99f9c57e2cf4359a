"""A passage of a document to quote, with its citation, and where an offset is in the file.

``quote`` picks the paragraph around a match (the sentence, when the paragraph is long),
joins hard-wrapped lines, and adds a citation line (title, date, path and line).  The result
is for the clipboard, so it goes through ``text.pasteable``: nothing in it can act on a
terminal it is pasted into.
"""

from __future__ import annotations

import datetime
import re

from search.text import pasteable

__all__ = ["QUOTE_LIMIT", "line_and_column", "passage", "passage_bounds", "quote"]

QUOTE_LIMIT = 600  # characters of passage; past it, the sentence, then a window
# A line this long is a paragraph of its own: text that was not hard-wrapped.
_SOFT_LINE = 100
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|(?<=[。！？])")


def line_and_column(text: str, first_line: int, offset: int) -> tuple[int, int]:
    """The 1-based line of the file and character column holding ``text[offset]``, where
    ``text`` starts on line ``first_line`` of the file (after a header line)."""
    offset = max(0, min(offset, len(text)))
    line = first_line + text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph holding [start, end): lines up to a blank line, an indented line (a
    wire story's new paragraph) or a long line (text not hard-wrapped: one line each)."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", max(start, end - 1))
    b = len(text) if b < 0 else b

    def breaks(prev: str, line: str) -> bool:
        return (
            not prev.strip()
            or not line.strip()
            or line[:1].isspace()
            or len(prev) > _SOFT_LINE
            or len(line) > _SOFT_LINE
        )

    while a > 0:
        prev_start = text.rfind("\n", 0, a - 1) + 1
        if breaks(text[prev_start : a - 1], text[a:].split("\n", 1)[0]):
            break
        a = prev_start
    while b < len(text):
        nxt = text.find("\n", b + 1)
        nxt = len(text) if nxt < 0 else nxt
        line_start = text.rfind("\n", 0, b) + 1
        if breaks(text[line_start:b], text[b + 1 : nxt]):
            break
        b = nxt
    return a, b


def _sentence(text: str, a: int, b: int, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) of text[a:b] overlapping [start, end)."""
    cuts = [a] + [m.end() + a for m in _SENTENCE_END.finditer(text[a:b])] + [b]
    first = max(c for c in cuts if c <= start)
    last = min((c for c in cuts if c >= end and c > first), default=b)
    return first, last


def _window(text: str, a: int, b: int, start: int, end: int) -> tuple[int, int]:
    """About QUOTE_LIMIT characters around the match, cut at spaces where there are any."""
    room = max(0, QUOTE_LIMIT - (end - start)) // 2
    lo, hi = max(a, start - room), min(b, end + room)
    if lo > a:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < b:
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return lo, hi


def passage_bounds(text: str, start: int, end: int) -> tuple[int, int, bool, bool]:
    """Where ``passage`` cuts ``text`` (a, b) and whether a window cut into its sentence
    before a and after b."""
    start = max(0, min(start, len(text)))  # a span outside the text (a title's) is clamped
    end = max(start + 1, min(end, len(text)))
    a, b = _paragraph(text, start, end)
    if b - a > QUOTE_LIMIT:
        a, b = _sentence(text, a, b, start, end)
    if b - a <= QUOTE_LIMIT:
        return a, b, False, False
    lo, hi = _window(text, a, b, start, end)
    return lo, hi, lo > a, hi < b


def passage(text: str, start: int, end: int) -> str:
    """The paragraph around [start, end), or its sentence, or a window, on one line."""
    a, b, cut_before, cut_after = passage_bounds(text, start, end)
    words = " ".join(text[a:b].split())
    return ("… " if cut_before else "") + words + (" …" if cut_after else "")


def quote(
    text: str,
    start: int,
    end: int,
    *,
    title: str,
    date: datetime.date | None,
    date_inferred: bool,
    path: str,
    first_line: int,
) -> str:
    """The passage in quotes, then a citation line; safe to put on the clipboard."""
    line, _column = line_and_column(text, first_line, start)
    when = date.isoformat() if date else "undated"
    if date and date_inferred:
        when += " (date inferred)"
    citation = f"— {' '.join(title.split())}, {when}, {path}, line {line}"
    return pasteable(f"“{passage(text, start, end)}”\n{citation}")
