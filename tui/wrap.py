"""Laying a document out in rows of character offsets, fast enough for 5 MB.

The reader never builds a wrapped copy of the text: it keeps two lists of ints, where each
row of the screen starts and ends in the document, and slices the text when a row is drawn.
Most paragraphs are all single-cell characters, so a row is ``width`` characters and the
break is one ``str.rfind`` for a space; only paragraphs holding wide (CJK) or zero-width
characters, or tabs, pay for per-character cell widths.

Three modes (``MODES``): ``wrap`` breaks each line of the file to the width; ``reflow``
first shows the line breaks inside a hard-wrapped paragraph as spaces (the text keeps its
length, so match offsets stay exact), then wraps; ``nowrap`` gives each line one row, to be
scrolled sideways like ``less -S``.

Where a row may break: after a space, and between two characters of which one is wide
(CJK text has no spaces), except before closing punctuation (``，。、）》」``) and after opening
punctuation (``（《「``), which would otherwise start or end a row (kinsoku).  A tab reaches
the next multiple of ``TAB`` columns, counted from the row's start, in the wrap and in the
drawing alike (``expand_tabs``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rich.cells import cell_len, get_character_cell_size

__all__ = ["MODES", "TAB", "Layout", "expand_tabs", "lay_out", "reflowed", "wrap_rows"]

MODES = ("wrap", "reflow", "nowrap")
TAB = 8

# Never the first character of a row: closing brackets and quotes, stops and commas,
# small kana and the prolonged sound mark; never the last: opening brackets and quotes.
NO_START = frozenset(
    "，。、．：；！？）〕］｝〉》」』】〙〗〟’”｠»‼⁇⁈⁉・ー々〻゠–〜～"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    ",.;:!?)]}%"
)
NO_END = frozenset("（〔［｛〈《「『【〘〖〝‘“｟«([{")


@dataclass(frozen=True)
class Layout:
    """A document's rows for one width and mode; ``display`` is the text as drawn."""

    display: str
    starts: list[int]
    ends: list[int]
    width: int
    mode: str
    max_cells: int  # the widest row (for sideways scrolling in nowrap)


def lay_out(text: str, width: int, mode: str = "wrap") -> Layout:
    """The rows of ``text`` at ``width`` cells in ``mode``; safe to call from a thread."""
    if mode == "nowrap":
        starts, ends = line_rows(text)
        return Layout(text, starts, ends, width, mode, _widest(text, starts, ends))
    display = reflowed(text) if mode == "reflow" else text
    starts, ends = wrap_rows(display, width)
    return Layout(display, starts, ends, width, mode, width)


def line_rows(text: str) -> tuple[list[int], list[int]]:
    """One row a line."""
    starts, ends, pos = [], [], 0
    for line in text.split("\n"):
        starts.append(pos)
        ends.append(pos + len(line))
        pos += len(line) + 1
    return starts, ends


def _widest(text: str, starts: list[int], ends: list[int]) -> int:
    """The cells of the widest row."""
    if text.isascii() and "\t" not in text:
        return max((e - s for s, e in zip(starts, ends, strict=True)), default=0)
    widths = _cell_widths(text)
    widest = 0
    for s, e in zip(starts, ends, strict=True):
        row = text[s:e]
        cells = row_cells(text, s, e) if "\t" in row else sum(map(widths.__getitem__, row))
        widest = max(widest, cells)
    return widest


def _cell_widths(text: str) -> dict[str, int]:
    """The cells each distinct character of ``text`` takes (a tab: 1, see TAB)."""
    widths = {c: get_character_cell_size(c) for c in set(text) - _ONE_CELL}
    widths.update(dict.fromkeys(_PRINTABLE_ASCII, 1))
    widths["\t"] = 1
    return widths


def row_cells(text: str, start: int, end: int) -> int:
    """How many cells ``text[start:end]`` takes as one row."""
    row = text[start:end]
    if row.isascii() and "\t" not in row:
        return len(row)
    return cell_len(expand_tabs(row)[0])


def expand_tabs(text: str, column: int = 0) -> tuple[str, int]:
    """``text`` with each tab as the spaces to the next tab stop, when it starts at
    ``column`` cells into its row; and the column it ends at."""
    if "\t" not in text:
        return text, column + (len(text) if text.isascii() else cell_len(text))
    out = []
    for part in re.split("(\t)", text):
        if part == "\t":
            part = " " * (TAB - column % TAB)
        out.append(part)
        column += len(part) if part.isascii() else cell_len(part)
    return "".join(out), column


# -- reflow ------------------------------------------------------------------------------
_LIST_ITEM = re.compile(r"\s|[-*•·–—>|#]|\d+[.)]\s|[A-Za-z][.)]\s")
# A wrapper breaks a line when the next word would pass its column; some leave a few
# columns unused, so a line ending this close to the column counts as broken there.
_SLACK = 5
_MAX_WRAP_COLUMN = 100  # longer lines: the file's paragraphs are lines, nothing to join


def reflowed(text: str) -> str:
    """``text`` with the line breaks inside hard-wrapped paragraphs replaced by spaces.

    A break is joined when both lines hold text, the next line does not start a new
    paragraph (indented, a list item, a table row) and its first word would not have fitted
    on the line: the file was wrapped at that column.  The column is the length most lines
    reach (the 90th percentile), so a file of one paragraph a line is left as it is.
    """
    lines = text.split("\n")
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 3:
        return text
    column = lengths[len(lengths) * 9 // 10]
    if column > _MAX_WRAP_COLUMN:
        return text
    out = list(text)
    pos = 0
    for line, following in zip(lines, lines[1:], strict=False):
        pos += len(line)  # the newline after ``line``
        if _continues(line, following, column):
            out[pos] = " "
        pos += 1
    return "".join(out)


def _continues(line: str, following: str, column: int) -> bool:
    body = line.rstrip()
    if not body or not following.strip() or _LIST_ITEM.match(following):
        return False
    if body.endswith("-"):  # a hyphen at the break: joining would put a space after it
        return False
    first_word = following.split(None, 1)[0]
    return len(body) + 1 + len(first_word) > column - _SLACK


# -- wrapping ----------------------------------------------------------------------------
def wrap_rows(text: str, width: int) -> tuple[list[int], list[int]]:
    """Row start and end offsets for ``text`` wrapped at ``width`` cells.

    Breaks after a space where one falls inside the row, or between wide characters (see
    the module's docstring), else mid-word.  The space a row breaks at belongs to no row;
    a newline ends a row and belongs to none.
    """
    width = max(1, width)
    starts: list[int] = []
    ends: list[int] = []
    pos, n = 0, len(text)
    find = text.find
    widths: dict[str, int] = {}
    odd = None
    if not text.isascii() or "\t" in text:
        # A document uses few distinct characters outside printable ASCII: measure each
        # once, then find the paragraphs holding an odd-width one (or a tab) with a small
        # class.  A tab's width is worked out by the column arithmetic in _wrap_wide.
        widths = _cell_widths(text)
        odd_chars = [c for c, w in widths.items() if (w != 1 and c != "\n") or c == "\t"]
        wide = "".join(re.escape(c) for c in odd_chars)
        odd = re.compile(f"[{wide}]").search if wide else None
    next_odd = n if odd is None else -1  # where the next odd-width character is
    while True:
        nl = find("\n", pos)
        end = n if nl < 0 else nl
        if next_odd < pos:
            found = odd(text, pos)  # type: ignore[misc]
            next_odd = found.start() if found else n
        narrow = next_odd >= end
        if narrow and end - pos <= width:
            starts.append(pos)
            ends.append(end)
        elif narrow:
            _wrap_narrow(text, pos, end, width, starts, ends)
        else:
            _wrap_wide(text, pos, end, width, widths, starts, ends)
        if nl < 0:
            return starts, ends
        pos = nl + 1


_PRINTABLE_ASCII = "".join(map(chr, range(0x20, 0x7F)))
_ONE_CELL = frozenset(_PRINTABLE_ASCII)


def _wrap_narrow(
    text: str, pos: int, end: int, width: int, starts: list[int], ends: list[int]
) -> None:
    while end - pos > width:
        cut = text.rfind(" ", pos + 1, pos + width + 1)
        if cut < 0:
            starts.append(pos)
            ends.append(pos + width)
            pos += width
        else:
            starts.append(pos)
            ends.append(cut)
            pos = cut + 1
    starts.append(pos)
    ends.append(end)


def _wrap_wide(
    text: str,
    pos: int,
    end: int,
    width: int,
    widths: dict[str, int],
    starts: list[int],
    ends: list[int],
) -> None:
    para = text[pos:end]
    tabs = "\t" in para
    cum = [] if tabs else list(accumulate(map(widths.__getitem__, para)))  # cells to char i
    p, n = 0, len(para)
    while p < n:
        if tabs:
            q = _fit_with_tabs(para, p, width, widths)
        else:
            before = cum[p - 1] if p else 0
            q = bisect_right(cum, before + width, p)  # first char that does not fit
        if q >= n:
            break
        q = max(q, p + 1)  # a character wider than the row still goes somewhere
        row_end, p_next = _break(para, p, q, widths)
        starts.append(pos + p)
        ends.append(pos + row_end)
        p = p_next
    starts.append(pos + p)
    ends.append(end)


def _fit_with_tabs(para: str, p: int, width: int, widths: dict[str, int]) -> int:
    """The first character from ``p`` that does not fit in a row of ``width`` cells."""
    column, n = 0, len(para)
    while p < n:
        char = para[p]
        cells = TAB - column % TAB if char == "\t" else widths[char]
        if column + cells > width:
            return p
        column += cells
        p += 1
    return n


def _break(para: str, p: int, q: int, widths: dict[str, int]) -> tuple[int, int]:
    """Where the row from ``p`` ends and the next starts, ``para[q]`` not fitting: at the
    last break opportunity, else at ``q``."""
    if q >= len(para):  # one character wider than the row, the paragraph's last
        return q, q
    for k in range(q, p, -1):
        after = para[k]
        if after == " ":
            return k, k + 1
        before = para[k - 1]
        if (
            before != " "
            and (widths[before] == 2 or widths[after] == 2)
            and after not in NO_START
            and before not in NO_END
        ):
            return k, k
    return q, q
