"""Snapshots of the app's key screens at 80x24, 200x50 and 60x20 (pytest-textual-snapshot).

Deterministic: a copy of sample_corpus with a fixed extra file, an index built before the
app starts, no background indexer, and nothing on screen that depends on the clock or on
where the test runs (paths are relative to the corpus).  Update with --snapshot-update.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_support import app_for, indexed_corpus, settle  # noqa: E402

from search import CorpusIndex  # noqa: E402

SIZE = (80, 24)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("snap"))


def searched(query: str, *keys: str):
    async def run_before(pilot) -> None:
        await pilot.press("slash")  # the app starts in the results
        pilot.app.search_bar.insert_text_at_cursor(query)
        await pilot.press("enter")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_snapshot_search_and_reader(snap_compare, indexed) -> None:
    assert snap_compare(app_for(indexed), terminal_size=SIZE, run_before=searched("border gate"))


def test_snapshot_panel_folded_current_match_moved(snap_compare, indexed) -> None:
    run_before = searched('"border gate"', "e", "n", "n")
    assert snap_compare(app_for(indexed), terminal_size=SIZE, run_before=run_before)


def test_snapshot_help(snap_compare, indexed) -> None:
    run_before = searched("guangxi", "question_mark")
    assert snap_compare(app_for(indexed), terminal_size=SIZE, run_before=run_before)


def test_snapshot_wide_side_by_side(snap_compare, indexed) -> None:
    """200x50: the results beside the reader, the side panel on the right."""
    run_before = searched("border trade", "n")
    assert snap_compare(app_for(indexed), terminal_size=(200, 50), run_before=run_before)


def test_snapshot_narrow_panel_folded(snap_compare, indexed) -> None:
    """60x20: the side panel folded by itself, so the titles keep their room."""
    run_before = searched("border trade")
    assert snap_compare(app_for(indexed), terminal_size=(60, 20), run_before=run_before)


def test_snapshot_title_match_current_and_reflowed(snap_compare, indexed) -> None:
    """A match in the title is the first one, marked in the reader's title line."""
    walked = searched("cooperation", "e", "w")

    async def run_before(pilot) -> None:
        await walked(pilot)
        pilot.app.clear_notifications()  # "Wrap: reflow…" would time out on a slow run
        await settle(pilot)

    assert snap_compare(app_for(indexed), terminal_size=SIZE, run_before=run_before)


def test_snapshot_save_search_dialog(snap_compare, indexed) -> None:
    run_before = searched("guangxi", "S")
    assert snap_compare(app_for(indexed), terminal_size=SIZE, run_before=run_before)


def test_snapshot_export_dialog(snap_compare, indexed) -> None:
    run_before = searched("guangxi", "E")
    assert snap_compare(app_for(indexed), terminal_size=SIZE, run_before=run_before)
