"""The timeline (t) and the concordance (c) in the app: real index, real app, Pilot; and
their snapshots at 80x24 and 200x50 (pytest-textual-snapshot; --snapshot-update).
Who with where (W) and profiles (p): test_tui_cooccur_profile.py."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_snapshots import searched  # noqa: E402
from test_tui_support import app_for, indexed_corpus, settle  # noqa: E402

from search import CorpusIndex  # noqa: E402
from tui.collocates_table import CollocatesTable  # noqa: E402
from tui.concordance_screen import ConcordanceScreen  # noqa: E402
from tui.kwic_list import KwicList  # noqa: E402
from tui.timeline_chart import TimelineChart  # noqa: E402
from tui.timeline_screen import TimelineScreen  # noqa: E402


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("views"))


async def test_timeline_narrows_the_date_range_and_goes_back(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await searched("border", "t")(pilot)
        assert isinstance(app.screen, TimelineScreen)
        chart = app.screen.query_one(TimelineChart)
        line = chart.timeline
        assert line is not None and line.unit == "month" and line.matches_counted
        # The 2024-11-07 file holds "border" 10 times (grep -oiw border, by hand).
        row = next(i for i, b in enumerate(line.buckets) if b.label == "2024-11")
        assert "1 file" in chart.row_text(row) and "10 matches" in chart.row_text(row)
        assert "undated" in chart.row_text(chart.count - 1)  # the two undated files, said
        chart.highlighted = row
        await pilot.press("enter")
        await settle(pilot)
        assert app.date_ranges == [(datetime.date(2024, 11, 1), datetime.date(2024, 11, 30))]
        assert app.results is not None and app.results.total == 1
        assert "2024-11-01 .. 2024-11-30" in str(app.query_one("#filters").render())
        narrowed = app.screen.query_one(TimelineChart).timeline
        assert narrowed is not None and narrowed.unit == "day" and narrowed.total == 1
        await pilot.press("backspace")
        await settle(pilot)
        assert app.date_ranges == [] and app.results.total == 5
        # A range of bars: Space on the first, Enter on the last.
        chart = app.screen.query_one(TimelineChart)
        line = chart.timeline
        first = next(i for i, b in enumerate(line.buckets) if b.label == "2023-02")
        last = next(i for i, b in enumerate(line.buckets) if b.label == "2024-04")
        chart.highlighted = first
        await pilot.press("space")
        chart.highlighted = last
        await pilot.press("enter")
        await settle(pilot)
        assert app.date_ranges[-1] == (datetime.date(2023, 2, 1), datetime.date(2024, 4, 30))
        assert app.results.total == 2
        await pilot.press("escape")  # back to the results; the range stays
        await settle(pilot)
        assert not isinstance(app.screen, TimelineScreen) and app.results.total == 2
        await pilot.press("escape")  # Esc there clears it with the filters
        await settle(pilot)
        assert app.date_ranges == [] and app.results.total == 5


async def test_concordance_opens_the_article_at_that_match(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await searched("border", "c")(pilot)
        screen = app.screen
        assert isinstance(screen, ConcordanceScreen) and screen.done
        kwic = screen.query_one(KwicList)
        assert kwic.count == 36  # 11 + 4 + 10 + 6 + 5, counted by hand
        kwic.highlighted = 13  # the 2024-04-03 file's 3rd "border"
        line = kwic.line(13)
        assert line is not None and line.path.startswith("000_") and line.number == 3
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ConcordanceScreen)
        assert app.reader.document.path == line.path
        assert app.reader.current_span() == ("text", (line.start, line.end))
        await pilot.press("c")  # the same concordance, at the same line
        await settle(pilot)
        assert app.screen is screen and screen.query_one(KwicList).highlighted == 13
        await pilot.press("escape")
        await pilot.press("slash")
        app.search_bar.value = "guangxi"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")  # another query: its own concordance
        await settle(pilot)
        assert app.screen is not screen and app.screen.search_text == "guangxi"


async def test_concordance_sorts_and_shows_collocates(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await searched("border", "c", "s")(pilot)
        kwic = app.screen.query_one(KwicList)
        # "and" is the first left word, once: "at border crossings and border gates" (003_)
        assert "border" in kwic.row_text(0) and kwic.line(0).left.endswith("crossings and ")
        assert "by the word left" in str(kwic.border_title)
        await pilot.press("c")
        await settle(pilot)
        table = app.screen.query_one(CollocatesTable)
        assert table.collocates is not None and table.count > 0
        await pilot.press("minus", "minus", "minus", "minus")
        await settle(pilot)
        assert table.collocates.window == 1
        assert table.collocates.found[0].term == "gate"  # 9 of 9, counted by hand


def test_snapshot_timeline(snap_compare, indexed) -> None:
    assert snap_compare(
        app_for(indexed), terminal_size=(80, 24), run_before=searched("border", "t")
    )


def test_snapshot_timeline_wide(snap_compare, indexed) -> None:
    run_before = searched("cooperation", "t", "u")  # by year
    assert snap_compare(app_for(indexed), terminal_size=(200, 50), run_before=run_before)


def test_snapshot_concordance(snap_compare, indexed) -> None:
    assert snap_compare(
        app_for(indexed), terminal_size=(80, 24), run_before=searched("border", "c")
    )


def test_snapshot_concordance_wide(snap_compare, indexed) -> None:
    run_before = searched("guangxi", "c", "s", "s")  # by the word right
    assert snap_compare(app_for(indexed), terminal_size=(200, 50), run_before=run_before)


def test_snapshot_collocates(snap_compare, indexed) -> None:
    run_before = searched("guangxi", "c", "c")
    assert snap_compare(app_for(indexed), terminal_size=(80, 24), run_before=run_before)
