"""The results list paged to its end, sort orders, the layout at each terminal size, the
panes' resize keys and the side panel's rows: the real app through Pilot, on real files
and a real index."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_support import app_for, harbour_notes, indexed_corpus, settle  # noqa: E402

from search import CorpusIndex  # noqa: E402
from tui.results import ResultsList  # noqa: E402

FILES = 3000  # fifteen pages of results, more than the 2,000 a search used to stop at


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("layout"))


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    """FILES harbour notes (``harbour_notes``)."""
    return harbour_notes(tmp_path_factory.mktemp("large"), FILES)


async def run_query(pilot, query: str) -> None:
    app = pilot.app
    app.search_bar.focus()
    app.search_bar.value = ""
    app.search_bar.insert_text_at_cursor(query)
    await pilot.press("enter")
    await settle(pilot)


def screen_rows(widget) -> list[str]:
    """The widget's lines as drawn on screen, without styles."""
    return [
        "".join(segment.text for segment in widget.render_line(y))
        for y in range(widget.scrollable_content_region.height)
    ]


# -- paging ----------------------------------------------------------------------------------


async def test_lists_page_on_demand_to_the_end_and_n_walks_every_match(large) -> None:
    app = app_for(large)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = app.results_list
        listing.focus()
        await pilot.press("G")  # browsing: straight to the end (not the 500th file)
        await settle(pilot)
        assert app.reader.document.path == f"f{FILES - 1:04d}.txt"  # the newest, opened
        assert f"Note {FILES - 1}" in "\n".join(screen_rows(listing))
        assert listing.highlighted == FILES - 1 == app.results.total - 1
        assert str(listing.border_title).endswith(f" · {FILES:,}/{FILES:,}")  # where it is
        assert listing.loaded < FILES  # the pages in between were never made
        app.run_search()  # as when the index changed: the place is kept, pages away
        await settle(pilot)
        assert listing.highlighted == FILES - 1
        assert app.reader.document.path == f"f{FILES - 1:04d}.txt"
        listing.scroll_to(y=1000, animate=False)  # as the mouse wheel does
        await settle(pilot)
        assert screen_rows(listing)[0].split()[-1] == "1000"  # its page came

        app.sort = "date"
        await run_query(pilot, "harbour")
        assert "oldest first" in str(listing.border_title)
        listing.focus()
        await pilot.press("G")  # the newest file, not the 2,000th
        await settle(pilot)
        assert app.reader.document.path == f"f{FILES - 1:04d}.txt"
        assert f"file {FILES:,}/{FILES:,}" in str(app.reader.border_title)
        await pilot.press("N")  # back into the file before, at its last match
        await settle(pilot)
        assert app.reader.document.path == f"f{FILES - 2:04d}.txt"
        assert listing.highlighted == FILES - 2
        await pilot.press("n")
        await settle(pilot)
        assert app.reader.document.path == f"f{FILES - 1:04d}.txt"
        assert listing.count == app.results.total == FILES
        assert listing.loaded < FILES

        # n past the last file loaded goes on into a page not loaded yet: the list's order.
        await pilot.press("g")  # the oldest file, whose place a new sort keeps
        await settle(pilot)
        app.sort = "relevance"
        await run_query(pilot, "harbour")
        assert app.reader.document.path == "f0000.txt"
        assert listing.hit(listing.highlighted).path == "f0000.txt"
        row = listing.loaded
        assert listing.hit(row) is None  # its page is not loaded
        listing.highlighted = row - 1  # opens that file
        await settle(pilot)
        expected = large.search("harbour", limit=None, sort="relevance").hits[row]
        app.reader.go_to_match(app.reader.match_count - 1)
        app.reader.focus()
        await pilot.press("n")
        await settle(pilot)
        assert app.reader.document.path == expected.path
        assert listing.highlighted == row
        assert app.reader.current == 0  # on its first match
        assert str(app.reader.border_title).startswith(f"match 1/{expected.match_count}, ")


def test_the_library_orders_every_hit_and_makes_them_a_page_at_a_time(large) -> None:
    from search import StaleResultsError

    every = large.search("harbour", limit=None, sort="newest")
    paged = large.search("harbour", limit=10, sort="newest", every=True)
    assert paged.total == len(paged.order) == FILES and len(paged.hits) == 10
    tail = large.hits(paged.order, FILES - 10, FILES)
    assert [h.path for h in tail] == [h.path for h in every.hits[-10:]]
    assert every.hits[0].path == f"f{FILES - 1:04d}.txt"  # newest first
    (large.corpus / "new.txt").write_text(" date 2030-01-01 New\nharbour\n", encoding="utf-8")
    try:
        large.update(procs=0)
        with pytest.raises(StaleResultsError):  # its document numbers mean other files now
            large.hits(paged.order, 0, 10)
    finally:
        (large.corpus / "new.txt").unlink()
        large.update(procs=0)


# -- sort ------------------------------------------------------------------------------------


async def test_s_cycles_the_sorts_and_while_browsing_toggles_oldest_newest(indexed) -> None:
    """Browsing has no relevance: s used to say "Sorted by relevance" and change nothing."""
    app = app_for(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = app.results_list
        listing.focus()
        oldest = [h.path for h in indexed.search("*", limit=None, sort="date").hits]
        newest = [h.path for h in indexed.search("*", limit=None, sort="newest").hits]
        assert oldest != newest
        assert [h.path for h in listing.hits] == oldest
        for paths, name in ((newest, "newest first"), (oldest, "oldest first")):
            await pilot.press("s")
            await settle(pilot)
            assert [h.path for h in listing.hits] == paths
            assert name in str(listing.border_title)
            # the file being read stays under the cursor
            assert listing.hit(listing.highlighted).path == app.reader.document.path

        await run_query(pilot, "guangxi")
        assert "relevance" in str(listing.border_title)
        listing.focus()
        expected = {"date": "oldest first", "newest": "newest first", "relevance": "relevance"}
        for sort, name in expected.items():
            await pilot.press("s")
            await settle(pilot)
            wanted = indexed.search("guangxi", limit=None, sort=sort)
            assert [h.path for h in listing.hits] == [h.path for h in wanted.hits]
            assert name in str(listing.border_title)
        await run_query(pilot, "")  # back to browsing, in the order chosen for it
        assert str(listing.border_title).startswith("All files · oldest first · 1/")


# -- the side panel --------------------------------------------------------------------------


async def test_no_blank_rows_in_the_side_panel_after_a_filter(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(pilot, "border trade")
        panel = app.panel
        row = next(
            i
            for i in range(panel.option_count)
            if "Liu Ning" in str(panel.get_option_at_index(i).prompt)
        )
        panel.focus()
        panel.highlighted = row
        await pilot.press("enter")
        await settle(pilot)
        assert app.filters
        lines = [line.rstrip() for line in screen_rows(panel)]
        used = len(lines) - next(i for i, line in enumerate(reversed(lines)) if line)
        assert "" not in lines[:used], lines[:used]
        assert any("✓ Liu Ning" in line for line in lines)


# -- the layout ------------------------------------------------------------------------------


async def test_a_wide_terminal_puts_the_results_beside_the_reader(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=(200, 50)) as pilot:
        await run_query(pilot, "border trade")
        results, reader, panel = app.results_list.region, app.reader.region, app.panel.region
        assert results.y == reader.y and results.right <= reader.x  # side by side
        assert reader.right <= panel.x and panel.width > 25  # the panel on the right
        assert reader.width >= 80 and results.height > 40  # both use the whole height
        assert "At the conference" in "\n".join(screen_rows(app.results_list))
        await pilot.click(ResultsList, offset=(5, 2))  # the second row (under the title)
        await settle(pilot)
        assert app.reader.document.path == app.results_list.hit(1).path
        # narrower: stacked again, the panel still there
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        results, reader = app.results_list.region, app.reader.region
        assert results.x == reader.x and results.bottom <= reader.y
        assert app.panel.region.width > 0


async def test_a_narrow_terminal_folds_the_panel_and_keeps_titles_legible(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=(60, 20)) as pilot:
        await run_query(pilot, "border trade")
        assert app.panel.region.width == 0  # folded by itself
        assert app.results_list.region.width == 60
        rows = screen_rows(app.results_list)
        assert any("At the conference, the two sides ink" in row for row in rows), rows
        await pilot.press("e")  # unfolded by the user: kept while the terminal is narrow
        await pilot.pause()
        assert app.panel.region.width > 0
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert app.panel.region.width > 0
        app.panel.focus()
        await pilot.press("e")
        assert app.focused is app.reader  # not left on a folded panel
        await pilot.resize_terminal(120, 40)  # past 80 columns: shown by itself again
        await pilot.pause()
        assert app.panel.region.width > 0
        await pilot.press("e")  # folded by the user: kept while the terminal is wide
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        assert app.panel.region.width == 0
        await pilot.press("e")
        app.panel.focus()
        await pilot.resize_terminal(60, 20)  # folded by the terminal, focus and all
        await settle(pilot)
        assert app.panel.region.width == 0 and app.focused is app.reader


async def test_brackets_resize_the_panes_and_the_split_is_kept(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_query(pilot, "border trade")
        tall = app.results_list.region.height
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.results_list.region.height > tall  # ] grows the results pane
        await pilot.press("left_square_bracket")
        stacked = app.results_list.region.height
        assert tall < stacked
        await pilot.resize_terminal(200, 50)  # side by side: [ and ] move the split sideways
        await pilot.pause()
        wide = app.results_list.region.width
        app.split["wide"] = 20  # as far as [ goes, the reader keeps some room
        await pilot.press("left_square_bracket")
        narrow = app.results_list.region.width
        assert 20 <= narrow < wide and app.reader.region.width > wide
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.results_list.region.height == stacked  # each split kept for the session
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert app.results_list.region.width == narrow
        # in the search box, brackets are typed (date ranges need them)
        app.search_bar.focus()
        await pilot.press("left_square_bracket")
        assert app.search_bar.value.endswith("[")
        assert app.results_list.region.width == narrow
