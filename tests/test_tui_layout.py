"""The results list paged to its end, sort orders, the layout at each terminal size, the
panes' resize keys and the side panel's rows: the real app through Pilot, on real files
and a real index."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_support import app_for, build_index, indexed_corpus, settle  # noqa: E402

from search import CorpusIndex, StaleResultsError  # noqa: E402

FILES = 3000  # fifteen pages of results, more than the 2,000 a search used to stop at


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("layout"))


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    """FILES small dated files (one a day from 2000-01-01), every one about a harbour,
    once, twice or three times: ranked by relevance, neighbours in date order lie far
    apart in the list."""
    root = tmp_path_factory.mktemp("large")
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(FILES):
        day = f"{2000 + i // 336}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}"
        (corpus / f"f{i:04d}.txt").write_text(
            f" date {day} Note {i}\nA harbour note, number {i}." + " The harbour." * (i % 3),
            encoding="utf-8",
        )
    return build_index(corpus, root / "index")


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


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_browsing_pages_on_demand_to_the_last_of_every_file(large, size) -> None:
    app = app_for(large)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        listing = app.results_list
        listing.focus()
        await pilot.press("G")  # straight to the end (not the 500th file), loaded on demand
        await settle(pilot)
        assert app.reader.document.path == f"f{FILES - 1:04d}.txt"  # the newest, opened
        assert f"Note {FILES - 1}" in "\n".join(screen_rows(listing))
        assert listing.highlighted == FILES - 1 == app.results.total - 1
        assert listing.loaded < FILES  # the pages in between were never made
        await pilot.press("g")
        await settle(pilot)
        assert app.reader.document.path == "f0000.txt"


async def test_a_search_lists_and_walks_every_match_past_the_first_pages(large) -> None:
    app = app_for(large)
    async with app.run_test(size=(120, 40)) as pilot:
        app.sort = "date"
        await run_query(pilot, "harbour")
        listing = app.results_list
        assert "oldest first" in str(listing.border_title)
        listing.focus()
        await pilot.press("G")  # the newest file, not the 2,000th
        await settle(pilot)
        assert app.reader.document.path == f"f{FILES - 1:04d}.txt"
        assert f"file {FILES}/{FILES}" in str(app.reader.border_title)
        # N walks back into the file before, and n on again, each one match
        await pilot.press("N")
        await settle(pilot)
        assert app.reader.document.path == f"f{FILES - 2:04d}.txt"
        assert listing.highlighted == FILES - 2
        await pilot.press("n")
        await settle(pilot)
        assert app.reader.document.path == f"f{FILES - 1:04d}.txt"
        assert listing.count == app.results.total == FILES
        assert listing.loaded < FILES


async def test_n_walks_into_a_file_whose_page_is_not_loaded_yet(large) -> None:
    """By relevance, the file before the top one in date order lies pages further down."""
    app = app_for(large)
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(pilot, "harbour")
        listing, order = app.results_list, app.results.order
        row = order.list_position(order.walk_position(0) - 1)
        assert listing.hit(row) is None  # its page is not loaded
        expected = large.search("harbour", limit=None, sort="relevance").hits[row]
        app.reader.focus()
        await pilot.press("N")  # from the first match of the top file: back one file
        await settle(pilot)
        assert app.reader.document.path == expected.path
        assert listing.highlighted == row
        count = len(expected.matches)
        assert app.reader.current == count - 1  # on its last match
        assert str(app.reader.border_title).startswith(f"match {count}/{count}, ")


def test_the_library_orders_every_hit_and_makes_them_a_page_at_a_time(large) -> None:
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


async def test_s_cycles_relevance_oldest_newest_and_says_so(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_query(pilot, "guangxi")
        listing = app.results_list
        assert "relevance" in str(listing.border_title)
        listing.focus()
        expected = {
            "date": "oldest first",
            "newest": "newest first",
            "relevance": "relevance",
        }
        for sort, name in expected.items():
            await pilot.press("s")
            await settle(pilot)
            wanted = indexed.search("guangxi", limit=None, sort=sort)
            assert [h.path for h in listing.hits] == [h.path for h in wanted.hits]
            assert name in str(listing.border_title)


async def test_s_while_browsing_toggles_oldest_and_newest_first(indexed) -> None:
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
