"""The who-with-where (W) and profile (p) views in the real app through Pilot, at 80x24 and
200x50, on the sample corpus and a real index; snapshots of each view."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_support import app_for, indexed_corpus, screen_text, search, settle  # noqa: E402

from search import CorpusIndex  # noqa: E402
from tui.cooccur_view import CooccurView  # noqa: E402
from tui.export_screen import ExportScreen  # noqa: E402
from tui.profile_view import ProfileView  # noqa: E402

SMALL, LARGE = (80, 24), (200, 50)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("views"))


def _highlight(panel, name: str) -> None:
    for row in range(panel.option_count):
        panel.highlighted = row
        entry = panel.highlighted_entry()
        if entry is not None and entry[2] == name:
            return
    raise AssertionError(f"{name} is not in the panel")


async def _open_cooccur(pilot) -> CooccurView:
    await settle(pilot)
    await pilot.press("W")
    await settle(pilot)
    view = pilot.app.screen
    assert isinstance(view, CooccurView)
    return view


async def test_cooccur_view_counts_exports_and_filters_by_a_pair(
    indexed: CorpusIndex, tmp_path: Path
) -> None:
    app = app_for(indexed)
    out = tmp_path / "pairs.csv"
    async with app.run_test(size=SMALL) as pilot:
        await search(pilot, '"border gate"')
        view = await _open_cooccur(pilot)
        found = view.found
        assert found is not None and found.paragraphs_counted
        # "border gate": 000, 001, 002 and 003 (grep); each names an official and a province
        assert (found.total, found.both) == (4, 4)
        rows = screen_text(app)
        # Liu Ning with Guangxi: 000, 002, 003; in lines 2 and 9 of 000, 3 and 22 of 002,
        # 27 and 35 of 003 (read by hand)
        listed = [r.strip("│ ").split() for r in rows if "Liu Ning · Guangxi" in r]
        assert listed and listed[0][:2] == ["3", "6"]
        assert [r for r in rows if "Liu Ning" in r and "3/6" in r], "the matrix's cell"
        assert max(len(r) for r in rows) <= SMALL[0]
        # E: the table to a file
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("Input").value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CooccurView)
        # Enter on the first pair (Liu Ning x Guangxi) filters the search by both
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CooccurView)
        assert set(app.filters) == {("official", "liu ning"), ("province", "guangxi")}
        assert app.results.total == 3  # 000, 002, 003
        await pilot.press("escape")  # back
        await settle(pilot)
        assert app.filters == {} and app.results.total == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("official,official_key,official_title,province")
    assert any(line.startswith("Liu Ning,") and line.endswith(",CN,3,6") for line in lines)


async def test_profile_view_from_the_palette_and_the_panel(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.action_profile()  # the palette's entry: asks for a name
        await settle(pilot)
        app.screen.query_one("Input").value = "liu"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileView)
        assert 'did you mean official:"Liu Ning"?' in "\n".join(screen_text(app))
        await pilot.press("escape")
        await settle(pilot)
        app.panel.focus()
        await settle(pilot)
        _highlight(app.panel, "Bui Thanh Son")
        await pilot.press("p")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, ProfileView) and view.found is not None
        text = "\n".join(screen_text(app))
        # 000 (2024-04-03) calls him Vietnamese Minister of Foreign Affairs; 002 (undated)
        # Foreign Minister
        assert "2024-04-03 .. 2024-04-03" in text
        assert "Vietnamese Minister of Foreign Affairs" in text
        assert "undated .. undated" in text and "Foreign Minister" in text
        assert "2 files" in text
        # Enter on a file opens it in the reader
        rows = view.query_one("#pr-rows")
        rows.highlighted = rows.option_count - 1
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ProfileView)
        assert app.reader.document is not None
        assert app.reader.document.path == "002_d41862e290118f8e.txt"  # undated: listed last


def _views(*keys: str, query: str = ""):
    async def run_before(pilot) -> None:
        if query:
            await search(pilot, query)
        await settle(pilot)
        for key in keys:
            if key == "panel-bui":
                pilot.app.panel.focus()
                await settle(pilot)
                _highlight(pilot.app.panel, "Bui Thanh Son")
            else:
                await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "200x50"])
def test_snapshot_cooccur(snap_compare, indexed, size) -> None:
    assert snap_compare(app_for(indexed), terminal_size=size, run_before=_views("W"))


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "200x50"])
def test_snapshot_profile(snap_compare, indexed, size) -> None:
    assert snap_compare(app_for(indexed), terminal_size=size, run_before=_views("panel-bui", "p"))
