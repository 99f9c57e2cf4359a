"""Word-wrapping a document into rows of character offsets, fast enough for 5 MB.

The reader never builds a wrapped copy of the text: it keeps two lists of ints, where each
row of the screen starts and ends in the document, and slices the text when a row is drawn.
Most paragraphs are all single-cell characters, so a row is ``width`` characters and the
break is one ``str.rfind`` for a space; only paragraphs holding wide (CJK) or zero-width
characters pay for per-character cell widths.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from rich.cells import get_character_cell_size

__all__ = ["wrap_rows"]


def wrap_rows(text: str, width: int) -> tuple[list[int], list[int]]:
    """Row start and end offsets for ``text`` wrapped at ``width`` cells.

    Breaks after a space where one falls inside the row, else mid-word.  The space a row
    breaks at belongs to no row; a newline ends a row and belongs to none.
    """
    width = max(1, width)
    starts: list[int] = []
    ends: list[int] = []
    pos, n = 0, len(text)
    find = text.find
    widths: dict[str, int] = {}
    odd = None
    if not text.isascii():
        # A document uses few distinct characters outside printable ASCII: measure each
        # once, then find the paragraphs holding an odd-width one with a small class.
        widths = {c: get_character_cell_size(c) for c in set(_UNUSUAL.findall(text))}
        widths.update(dict.fromkeys(_PRINTABLE_ASCII, 1))
        widths["\t"] = 1
        wide = "".join(re.escape(c) for c, w in widths.items() if w != 1 and c != "\n")
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


_UNUSUAL = re.compile(r"[^\x20-\x7e\n]")
_PRINTABLE_ASCII = "".join(map(chr, range(0x20, 0x7F)))


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
    cum = list(accumulate(map(widths.__getitem__, para)))  # cells through char i
    p, n = 0, len(para)
    while p < n:
        before = cum[p - 1] if p else 0
        q = bisect_right(cum, before + width, p)  # first char that does not fit
        if q >= n:
            break
        q = max(q, p + 1)  # a character wider than the row still goes somewhere
        cut = para.rfind(" ", p + 1, q + 1)
        if cut < 0:
            starts.append(pos + p)
            ends.append(pos + q)
            p = q
        else:
            starts.append(pos + p)
            ends.append(pos + cut)
            p = cut + 1
    starts.append(pos + p)
    ends.append(end)
