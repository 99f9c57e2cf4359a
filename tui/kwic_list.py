"""The concordance's lines: each match on one row, its left context right-aligned to the
match's column, so the matches stand one under another (widths in terminal cells, so
Chinese and Vietnamese align as English does)."""

from __future__ import annotations

from rich.text import Text

from search.text import visible
from search.views.concordance import Line, fit_left, fit_right
from tui.row_list import RowList

__all__ = ["KwicList", "kwic_row"]

DATE = 11  # "1987-03-02 "


def kwic_row(line: Line, width: int) -> Text:
    """``date  …left context match right context…`` in ``width`` cells, the match at a
    fixed column (about 45% across), bold and underlined (visible without colour)."""
    room = max(10, width - DATE)
    match = visible(line.match)
    left_room = max(4, (room - min(len(match), room // 3)) * 45 // 100)
    left = visible(fit_left(line.left, left_room))
    text = Text(no_wrap=True)
    text.append(line.date.isoformat() if line.date else "undated", style="dim")
    text.pad_right(DATE - text.cell_len)
    text.append(" " * (left_room - Text(left).cell_len) + left)
    text.append(match, style="bold underline")
    right_room = max(0, room - left_room - Text(match).cell_len)
    text.append(visible(fit_right(line.right, right_room)))
    if line.field == "title":
        text.stylize("italic", DATE)
    return text


class KwicList(RowList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[Line] = []

    def show(self, lines: list[Line]) -> None:
        self.lines = lines
        self.set_count(len(lines))

    def add(self, lines: list[Line]) -> None:
        self.lines.extend(lines)
        self.grow(len(self.lines))

    def line(self, index: int) -> Line | None:
        return self.lines[index] if 0 <= index < len(self.lines) else None

    def row(self, index: int, width: int) -> Text:
        return kwic_row(self.lines[index], width)
