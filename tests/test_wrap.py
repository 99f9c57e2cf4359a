"""The reader's word wrap (``tui.wrap``) against a plain character-by-character reference.

``wrap_rows`` takes shortcuts for speed (whole-row slices for narrow paragraphs, a cached
width per distinct character, one search for the next odd-width character); the reference
here takes none, so any shortcut that changes a row shows up as a difference.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import get_character_cell_size

from tui.wrap import wrap_rows


def reference(text: str, width: int) -> tuple[list[int], list[int]]:
    width = max(1, width)
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for para in text.split("\n"):
        cells = [1 if c == "\t" else get_character_cell_size(c) for c in para]
        p = 0
        while sum(cells[p:]) > width:
            q, used = p, 0
            while used + cells[q] <= width:  # q: the first character that does not fit
                used += cells[q]
                q += 1
            q = max(q, p + 1)
            cut = para.rfind(" ", p + 1, q + 1)
            starts.append(offset + p)
            ends.append(offset + (q if cut < 0 else cut))
            p = q if cut < 0 else cut + 1
        starts.append(offset + p)
        ends.append(offset + len(para))
        offset += len(para) + 1
    return starts, ends


TEXT = st.lists(
    st.sampled_from(["a", "bc", " ", "  ", "\n", "\t", "é", "e\u0301", "中", "文字", "’", "😀"]),
    max_size=120,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(min_value=1, max_value=30))
def test_wrap_matches_the_reference(text: str, width: int) -> None:
    assert wrap_rows(text, width) == reference(text, width)


def test_long_mixed_document() -> None:
    para = "Lạng Sơn and 广西 leaders met " * 40 + "x" * 300
    text = "\n".join([para, "plain ascii words " * 50, "", "e\u0301" * 90] * 20)
    for width in (1, 9, 80, 133):
        assert wrap_rows(text, width) == reference(text, width)
