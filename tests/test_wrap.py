"""The reader's word wrap (``tui.wrap``) against a plain character-by-character reference.

``wrap_rows`` takes shortcuts for speed (whole-row slices for narrow paragraphs, a cached
width per distinct character, one search for the next odd-width character); the reference
here takes none, so any shortcut that changes a row shows up as a difference.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, get_character_cell_size

from tui.wrap import NO_END, NO_START, TAB, expand_tabs, lay_out, reflowed, wrap_rows


def reference(text: str, width: int) -> tuple[list[int], list[int]]:
    width = max(1, width)
    starts: list[int] = []
    ends: list[int] = []
    offset = 0

    def cells(char: str, column: int) -> int:
        return TAB - column % TAB if char == "\t" else get_character_cell_size(char)

    def may_break_before(para: str, k: int) -> bool:
        a, b = para[k - 1], para[k]
        wide = get_character_cell_size(a) == 2 or get_character_cell_size(b) == 2
        return a != " " and wide and b not in NO_START and a not in NO_END

    for para in text.split("\n"):
        p = 0
        while True:
            q, used = p, 0  # q: the first character that does not fit
            while q < len(para) and used + cells(para[q], used) <= width:
                used += cells(para[q], used)
                q += 1
            if q == len(para):
                break
            q = max(q, p + 1)
            end, p_next = q, q
            for k in range(q, p, -1) if q < len(para) else ():
                if para[k] == " ":
                    end, p_next = k, k + 1
                    break
                if may_break_before(para, k):
                    end, p_next = k, k
                    break
            starts.append(offset + p)
            ends.append(offset + end)
            p = p_next
        starts.append(offset + p)
        ends.append(offset + len(para))
        offset += len(para) + 1
    return starts, ends


TEXT = st.lists(
    st.sampled_from(
        [
            "a",
            "bc",
            " ",
            "  ",
            "\n",
            "\t",
            "é",
            "e\u0301",
            "中",
            "文字",
            "’",
            "😀",
            "，",
            "。",
            "（",
            "」",
            ",",
        ]
    ),
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


ZH = "其中：太原市2例（迎泽区1例、万柏林区1例），大同市2例（云冈区1例、天镇县1例），晋中市2例。"


def rows_of(text: str, width: int) -> list[str]:
    return [text[s:e] for s, e in zip(*wrap_rows(text, width), strict=True)]


def test_cjk_rows_never_start_with_closing_punctuation_nor_end_with_opening() -> None:
    for width in range(8, 41):  # narrower, "1例），" may not fit a row and is cut
        rows = rows_of(ZH * 3, width)
        assert "".join(rows) == ZH * 3, "CJK rows break between characters, losing none"
        assert not any(row[0] in "，。、）》」：" for row in rows[1:] if row), (width, rows)
        assert not any(row[-1] in "（《「" for row in rows if row), (width, rows)


def test_cjk_text_with_an_ascii_space_fills_its_rows() -> None:
    """A space early in a row of CJK text is not the only place it may break."""
    text = "新冠 " + "病毒感染的肺炎新增确诊病例" * 4
    rows = rows_of(text, 20)
    assert rows[0] == "新冠 病毒感染的肺炎", rows  # 20 cells, not "新冠" alone
    assert all(cell_len(row) <= 20 for row in rows)


def test_tabs_reach_the_next_tab_stop_and_rows_fit() -> None:
    text = "name\tvalue\tunit\nab\tzanzibar\tkg\n" + "x\t" * 30
    for width in (10, 17, 24, 80):
        for start, end in zip(*wrap_rows(text, width), strict=True):
            shown, column = expand_tabs(text[start:end])
            assert column == len(shown) <= width, (width, text[start:end])
    assert expand_tabs("ab\tzanzibar\tkg") == ("ab      zanzibar        kg", 26)
    assert expand_tabs("\tx", 3) == ("     x", 9)


REUTERS = (
    "CLEVELAND, Feb 26 - Standard Oil Co and BP North America\n"
    "Inc said they plan to form a venture to manage the money market\n"
    "borrowing and investment activities of both companies.\n"
    "    BP North America is a subsidiary of British Petroleum Co\n"
    "Plc <BP>, which also owns a 55 pct interest in Standard Oil.\n"
    "    The venture will be called BP/Standard Financial Trading\n"
    "and will be operated by Standard Oil under the oversight of a\n"
    "joint management committee.\n"
    "\n"
    "- one item\n"
    "- another item\n"
)


def test_reflow_joins_the_lines_of_a_hard_wrapped_paragraph_only() -> None:
    shown = reflowed(REUTERS)
    assert len(shown) == len(REUTERS), "offsets into the text stay exact"
    assert [i for i, (a, b) in enumerate(zip(REUTERS, shown, strict=True)) if a != b] == [
        i for i, c in enumerate(REUTERS) if c == "\n" and shown[i] == " "
    ]
    paragraphs = shown.split("\n")
    assert paragraphs[0].startswith("CLEVELAND") and paragraphs[0].endswith("companies.")
    assert paragraphs[1].startswith("    BP North") and paragraphs[1].endswith("Standard Oil.")
    assert paragraphs[2].endswith("committee.")
    assert paragraphs[3:6] == ["", "- one item", "- another item"]
    one_a_line = "A paragraph of one long line. " * 8 + "\nAnother one. " * 8 + "\nA third.\n"
    assert reflowed(one_a_line * 3) == one_a_line * 3


def test_nowrap_gives_each_line_one_row_and_measures_the_widest() -> None:
    text = "short\n" + "中" * 50 + "\nab\tc\n"
    layout = lay_out(text, 20, "nowrap")
    rows = [text[s:e] for s, e in zip(layout.starts, layout.ends, strict=True)]
    assert rows == ["short", "中" * 50, "ab\tc", ""]
    assert layout.max_cells == 100
