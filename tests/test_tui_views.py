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


async def _open_cooccur(pilot, query: str = "") -> CooccurView:
    if query:
        await search(pilot, query)
    else:
        await settle(pilot)
    await pilot.press("W")
    await settle(pilot)
    view = pilot.app.screen
    assert isinstance(view, CooccurView)
    return view


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_cooccur_view_lists_pairs_and_a_matrix(indexed: CorpusIndex, size) -> None:
    app = app_for(indexed)
    async with app.run_test(size=size) as pilot:
        view = await _open_cooccur(pilot, '"border gate"')
        found = view.found
        assert found is not None and found.paragraphs_counted
        # "border gate": 000, 001, 002 and 003 (grep); each names an official and a province
        assert (found.total, found.both) == (4, 4)
        text = "\n".join(screen_text(app))
        # Liu Ning with Guangxi: 000, 002, 003; in lines 2 and 9 of 000, 3 and 22 of 002,
        # 27 and 35 of 003 (read by hand)
        assert "Liu Ning · Guangxi Zhuang Autonomous Region" in text
        assert any(
            line.strip("│ ").split()[:2] == ["3", "6"] and "Liu Ning" in line
            for line in text.splitlines()
        )
        matrix = [line for line in text.splitlines() if "Liu Ning" in line and "3/6" in line]
        assert matrix, "the matrix's cell for Liu Ning x Guangxi"
        assert max(len(line) for line in screen_text(app)) <= size[0]


async def test_choosing_a_pair_filters_by_both_and_esc_goes_back(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SMALL) as pilot:
        await search(pilot, "cooperation")
        before = app.results.total
        await _open_cooccur(pilot)
        await pilot.press("enter")  # the first pair: Liu Ning x Guangxi
        await settle(pilot)
        assert not isinstance(app.screen, CooccurView)
        assert set(app.filters) == {("official", "liu ning"), ("province", "guangxi")}
        assert app.results.total == 3  # 000, 002, 003 each say "cooperation"
        await pilot.press("escape")
        await settle(pilot)
        assert app.filters == {} and app.results.total == before


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_profile_from_the_panel(indexed: CorpusIndex, size) -> None:
    app = app_for(indexed)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.panel.focus()
        await settle(pilot)
        _highlight(app.panel, "Bui Thanh Son")
        entry = app.panel.highlighted_entry()
        assert entry is not None and entry[2] == "Bui Thanh Son"
        await pilot.press("p")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, ProfileView) and view.found is not None
        text = "\n".join(screen_text(app))
        # 000 (2024-04-03) calls him Vietnamese Minister of Foreign Affairs; 002 (undated)
        # Foreign Minister
        assert (
            "2024-04-03 .. 2024-04-03" in text and "Vietnamese Minister of Foreign Affairs" in text
        )
        assert "undated .. undated" in text and "Foreign Minister" in text
        assert "2 files" in text
        # Enter on a file opens it in the reader
        rows = view.query_one("#pr-rows")
        last = rows.option_count - 1
        rows.highlighted = last
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ProfileView)
        assert app.reader.document is not None
        assert app.reader.document.path == "002_d41862e290118f8e.txt"  # undated: listed last


async def test_profile_from_the_palette_with_a_misspelt_name(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.action_profile()
        await settle(pilot)
        app.screen.query_one("Input").value = "liu"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileView)
        assert 'did you mean official:"Liu Ning"?' in "\n".join(screen_text(app))


async def test_export_from_the_cooccur_view(indexed: CorpusIndex, tmp_path: Path) -> None:
    app = app_for(indexed)
    out = tmp_path / "pairs.csv"
    async with app.run_test(size=SMALL) as pilot:
        await _open_cooccur(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("Input").value = str(out)
        await pilot.press("enter")
        await settle(pilot)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("official,official_key,official_title,province")
    assert any(line.startswith("Liu Ning,") and line.endswith(",CN,3,6") for line in lines)


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
