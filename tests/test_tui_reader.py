"""The reader and the match counter driven through Pilot, on real files and a real index.

Long lines, CJK text, hard-wrapped paragraphs, tabs, title matches, filter-only queries,
walking in the list's order, wrap modes, toasts and a broken query (issue 18).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import write_corpus  # noqa: E402
from test_tui_support import build_index, search, settle  # noqa: E402

from search import CorpusIndex  # noqa: E402
from tui.app import CorpusBrowserApp  # noqa: E402
from tui.reader import Reader  # noqa: E402

SIZE = (80, 24)
WIDE = (200, 50)

# 7,000 characters on one line, a match in its middle and one at its end
LONG_LINE = "word " * 700 + "zanzibar " + "word " * 700 + "zanzibar at the end."
FILES: dict[str, str | bytes] = {
    "a_short.txt": " date 2024-01-01 A short note\nNothing much here at all.\n",
    "b_long.txt": " date 2024-02-01 One very long line\n" + LONG_LINE + "\n",
    "c_zh.txt": (
        " date 2020-02-02 山西新增9例累计56例\n"
        "2月1日0时至24时，山西省报告新型冠状病毒感染的肺炎新增确诊病例9例。"
        + "其中：太原市2例（迎泽区1例、万柏林区1例），大同市2例（云冈区1例、天镇县1例）。" * 12
        + "当日解除医学观察95人，共计。\n"
    ),
    "d_opec.txt": (
        " date 2024-03-01 OPEC ministers meet in Vienna\n"
        "The ministers of the cartel met on Monday.\n"
    ),
    "e_opec.txt": " date 2024-03-02 Oil prices\nOPEC said output would rise.\n",
    "f_hard.txt": (
        " date 2024-04-01 Hard wrapped\n"
        "    The cartel said on Monday that it would keep\n"
        "its output ceiling unchanged until the end of the\n"
        "year, delegates said.\n"
        "    A second paragraph starts here and it goes on\n"
        "for two lines.\n"
    ),
    "g_tabs.txt": " date 2024-05-01 Tabs\nname\tvalue\tunit\nab\tzanzibar\tkg\n",
    "h_coop.txt": (
        " date 2024-06-01 Mixed forms\n"
        "They cooperate; cooperating partners cooperated. Mr Cooper and the coop.\n"
    ),
}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    root = tmp_path_factory.mktemp("reader")
    return build_index(write_corpus(root / "corpus", FILES), root / "index")


def app_on(index: CorpusIndex) -> CorpusBrowserApp:
    return CorpusBrowserApp(
        index=CorpusIndex(index.corpus, index.index_dir), background_index=False
    )


def current_on_screen(reader: Reader) -> bool:
    """The current match's first character is in the reader's visible rows and columns."""
    start, _end = reader.matches[reader.current]
    top = int(reader.scroll_y)
    row = reader.row_of(start)
    if not top <= row < top + reader.scrollable_content_region.height:
        return False
    line = reader.render_line(row - top).text
    return reader.document.text[start] in line


@pytest.mark.parametrize("size", [SIZE, pytest.param(WIDE, marks=pytest.mark.slow)])
async def test_a_match_at_the_end_of_a_7000_character_line_is_in_view_in_every_wrap_mode(
    indexed: CorpusIndex, size: tuple[int, int]
) -> None:
    app = app_on(indexed)
    async with app.run_test(size=size) as pilot:
        # A short file first: its reader has no scroll bar, the long one's must still scroll.
        await search(pilot, "path:a_short*")
        await search(pilot, "zanzibar path:b_long*")
        reader = app.reader
        assert reader.document.path == "b_long.txt" and reader.current == 0
        assert reader.wrap_mode == "wrap" and current_on_screen(reader)
        assert "zanzibar" in "\n".join(reader.visible_text())
        await press_w(pilot)
        assert reader.wrap_mode == "reflow" and current_on_screen(reader)
        assert "reflow" in reader.border_title
        await press_w(pilot)
        assert reader.wrap_mode == "nowrap"
        assert len(reader.rows) == 2, "one row a line"
        assert 3000 < reader.scroll_x < 3600, "scrolled across to the middle of the line"
        assert current_on_screen(reader)
        assert "zanzibar" in "\n".join(reader.visible_text())
        await pilot.press("n")
        assert reader.scroll_x > 6500, "and on to its end"
        assert current_on_screen(reader)
        assert "zanzibar at the end" in "\n".join(reader.visible_text())
        await pilot.press("N")
        assert 3000 < reader.scroll_x < 3600 and current_on_screen(reader)
        await pilot.press("enter")  # from the results list into the reader
        assert app.focused is reader
        before = reader.scroll_x
        await pilot.press("left", "left")  # a third of the pane each
        assert reader.scroll_x == before - 2 * (reader.scrollable_content_region.width // 3)
        await press_w(pilot)
        assert reader.wrap_mode == "wrap" and reader.scroll_x == 0
        assert current_on_screen(reader)


async def test_a_cjk_match_far_down_a_long_paragraph_is_scrolled_into_view(
    indexed: CorpusIndex,
) -> None:
    app = app_on(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "path:a_short*")
        await search(pilot, "path:c_zh* 解除医学观察")
        reader = app.reader
        assert reader.current == 0 and reader.matches
        assert current_on_screen(reader)
        reader.scroll_to(y=0, animate=False, immediate=True)
        await pilot.press("n")  # the last match of the last file: n brings it back into view
        assert current_on_screen(reader)


def marked_title(reader: Reader) -> list[tuple[str, bool]]:
    """The title's marked words as drawn: (text, is the current match)."""
    found = []
    for y in range(3):
        for segment in reader.render_line(y):
            style = segment.style
            if style is not None and style.underline:
                found.append((segment.text, bool(style.bold and style.reverse)))
    return found


async def test_title_matches_are_counted_marked_and_walked_first(indexed: CorpusIndex) -> None:
    app = app_on(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "title:opec")
        assert app.status.summary.startswith("1 match in 1 file, "), app.status.summary
        reader = app.reader
        assert reader.document.path == "d_opec.txt"
        assert reader.title_matches and not reader.matches
        assert marked_title(reader) == [("OPEC", True)]
        assert app.reader.border_title.startswith("match 1/1, file 1/1")
        row = app.results_list.row_text(0)
        assert row.split()[1] == "1", row

        await search(pilot, "opec")  # in d's title and e's text
        assert app.status.summary.startswith("2 matches in 2 files, ")
        assert {h.path: h.match_count for h in app.results_list.hits} == {
            "d_opec.txt": 1,
            "e_opec.txt": 1,
        }


async def test_a_query_of_filters_only_counts_files_not_matches(indexed: CorpusIndex) -> None:
    app = app_on(indexed)
    async with app.run_test(size=SIZE) as pilot:
        for query in ("date:2024", "path:d_*", "date:<2025"):
            await search(pilot, query)
            summary = app.status.summary
            assert "match" not in summary, summary
            total = len(app.results_list.hits)
            assert summary.startswith(f"{total} file"), summary
            assert " .. " in summary, "the date span is given"
            assert "match" not in app.reader.border_title


async def test_the_next_file_note_goes_away_after_a_new_search_or_esc(
    indexed: CorpusIndex,
) -> None:
    app = app_on(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "opec")
        await pilot.press("n")
        await settle(pilot)
        assert "(next file, by relevance)" in app.reader.border_title
        await pilot.press("escape")
        assert "next file" not in app.reader.border_title
        await pilot.press("n", "N")
        await settle(pilot)
        assert "(previous file" in app.reader.border_title
        await search(pilot, "ministers")
        assert "file," not in app.reader.border_title.split("(")[-1]
        assert "(" not in app.reader.border_title


async def test_n_walks_files_in_the_order_the_list_shows(indexed: CorpusIndex) -> None:
    app = app_on(indexed)
    async with app.run_test(size=SIZE) as pilot:
        for sort_keys in ((), ("s",)):
            await search(pilot, "zanzibar OR opec")
            for key in sort_keys:
                await pilot.press(key)
                await settle(pilot)
            listed = [h.path for h in app.results_list.hits]
            order = app.walk_order()
            assert order.removeprefix("by ") in app.results_list.border_title
            visited = [app.reader.document.path]
            for _ in range(sum(h.match_count for h in app.results_list.hits) - 1):
                await pilot.press("n")
                await settle(pilot, rounds=1)
                if app.reader.document.path != visited[-1]:
                    here = listed.index(app.reader.document.path) + 1
                    counter = app.reader.border_title
                    assert f"file {here}/{len(listed)}" in counter
                    assert f"(next file, {order})" in counter
                    visited.append(app.reader.document.path)
            assert visited == listed, order


async def press_w(pilot) -> None:
    """w, and wait for the reader's rows, laid out in a thread."""
    await pilot.press("w")
    await settle(pilot, rounds=1)


def screen_region_of_current(reader: Reader):
    from textual.geometry import Region

    first, last = reader.current_rows()
    pane = reader.scrollable_content_region
    return Region(pane.x, pane.y + first - int(reader.scroll_y), pane.width, last - first + 1)


async def test_reflow_joins_hard_wrapped_lines_and_keeps_marks_exact(
    indexed: CorpusIndex,
) -> None:
    app = app_on(indexed)
    async with app.run_test(size=WIDE) as pilot:
        await search(pilot, '"keep its output"')  # a phrase across a hard line break
        reader = app.reader
        await press_w(pilot)
        text = "\n".join(reader.visible_text())
        assert "would keep its output ceiling" in text
        start, end = reader.matches[0]
        marked = "".join(
            segment.text
            for y in range(reader.scrollable_content_region.height)
            for segment in reader.render_line(y)
            if segment.style is not None and segment.style.underline
        )
        assert marked == reader.document.text[start:end].replace("\n", " ") == "keep its output"


async def test_tabs_keep_their_columns_and_the_match_its_mark(indexed: CorpusIndex) -> None:
    app = app_on(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "zanzibar path:g_*")
        reader = app.reader
        rows = [row.rstrip() for row in reader.visible_text()]
        assert "name    value   unit" in rows
        assert "ab      zanzibar        kg" in rows
        strip = reader.render_line(rows.index("ab      zanzibar        kg"))
        column = 0
        for segment in strip:
            if segment.style is not None and segment.style.underline:
                assert (column, segment.text) == (8, "zanzibar")
                break
            column += len(segment.text)
        else:
            raise AssertionError("the match is not marked")


async def test_a_notice_never_covers_the_current_match(indexed: CorpusIndex) -> None:
    app = app_on(indexed)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await search(pilot, "zanzibar path:b_long*")
        reader = app.reader
        reader.go_to_match(reader.match_count - 1)
        first, _last = reader.current_rows()
        height = reader.scrollable_content_region.height
        reader.scroll_to(y=first - height + 1, animate=False, immediate=True, force=True)
        assert current_on_screen(reader)  # on the pane's last row, where notices appear
        await pilot.press("n")  # the last match: a notice says so
        await settle(pilot)
        toasts = list(app.screen.query("Toast"))
        assert toasts, "the notice is shown"
        match = screen_region_of_current(reader)
        assert current_on_screen(reader)
        assert not any(toast.region.overlaps(match) for toast in toasts)


async def test_a_broken_query_marks_the_old_results_stale(indexed: CorpusIndex) -> None:
    app = app_on(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "opec")
        listed = [h.path for h in app.results_list.hits]
        await search(pilot, '"opec')
        assert app.status.error and "\n" not in app.status.error
        assert [h.path for h in app.results_list.hits] == listed
        assert app.results_list.has_class("stale") and "stale" in app.results_list.border_title
        assert "stale" in app.reader.border_title
        await search(pilot, "opec")
        assert not app.results_list.has_class("stale")
        assert "stale" not in app.results_list.border_title + app.reader.border_title
