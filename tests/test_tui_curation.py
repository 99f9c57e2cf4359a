"""Corrections made in the side panel (keys x, m, r, a, u), driven through Pilot at 80x24 on
a real index: each writes the curation file through the library, and the panel shows it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_support import app_for, indexed_corpus, settle  # noqa: E402

from search import CorpusIndex  # noqa: E402
from search.curation import CURATION_FILE  # noqa: E402
from tui.merge_picker import MergePicker  # noqa: E402
from tui.text_prompt import TextPrompt  # noqa: E402

SIZE = (80, 24)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("tui-curation"))


@pytest.fixture
def indexed(built: CorpusIndex) -> CorpusIndex:
    (built.corpus / CURATION_FILE).unlink(missing_ok=True)
    return built


def curation_text(index: CorpusIndex) -> str:
    return (index.corpus / CURATION_FILE).read_text(encoding="utf-8")


def panel_names(app, field: str = "official") -> dict[str, int]:
    return {f.name: f.count for f in app.results.facets[field]}


async def on_entry(pilot, name: str) -> None:
    """Focus the panel with its cursor on the entry shown as ``name``."""
    app = pilot.app
    await settle(pilot)
    panel = app.panel
    panel.focus()
    field = "official"
    index = next(i for i, f in enumerate(app.results.facets[field]) if f.name == name)
    panel.highlighted = [o.id for o in panel.options].index(f"{field}-{index}")
    await pilot.pause()


async def answer(pilot, key: str, screen: type, typed: str, last: str = "enter") -> None:
    """Press ``key`` in the panel, check that ``screen`` asks, type ``typed`` (in place of
    any offered text), then ``last`` (Enter or Esc) and wait for the edit to land."""
    app = pilot.app
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, screen)
    app.screen.query_one("Input").value = ""
    await pilot.press(*typed, last)
    await settle(pilot)


async def test_x_hides_the_entry_and_u_undoes_it(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await on_entry(pilot, "Pham Minh Chinh")
        await pilot.press("x")
        await settle(pilot)
        assert "Pham Minh Chinh" not in panel_names(app)
        assert "hide = true" in curation_text(indexed)
        await pilot.press("u")
        await settle(pilot)
        assert "Pham Minh Chinh" in panel_names(app)
        assert not (indexed.corpus / CURATION_FILE).exists(), "undo: as before, no file"


async def test_m_merges_into_an_entry_picked_by_typing(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await on_entry(pilot, "Lan Tianli")
        before = panel_names(app)
        both = indexed.search('official:"Lan Tianli" OR official:"Liu Ning"', limit=None)
        await answer(pilot, "m", MergePicker, "liu n")
        after = panel_names(app)
        assert "Lan Tianli" not in after
        assert after["Liu Ning"] == both.total > before["Liu Ning"]
        assert 'merge_into = "Liu Ning"' in curation_text(indexed)


async def test_r_renames_the_entry(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await on_entry(pilot, "Xi Jinping")
        count = panel_names(app)["Xi Jinping"]
        await answer(pilot, "r", TextPrompt, "Tap Can Binh")
        names = panel_names(app)
        assert "Xi Jinping" not in names and names["Tap Can Binh"] == count
        assert 'name = "Tap Can Binh"' in curation_text(indexed)


async def test_a_adds_an_alias_and_esc_cancels(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await on_entry(pilot, "Lan Tianli")
        count = panel_names(app)["Lan Tianli"]
        await answer(pilot, "a", TextPrompt, "Guangxi", last="escape")
        assert not isinstance(app.screen, TextPrompt)
        assert not (indexed.corpus / CURATION_FILE).exists(), "Esc writes nothing"
        await on_entry(pilot, "Lan Tianli")
        await answer(pilot, "a", TextPrompt, "Guangxi leader")
        assert panel_names(app)["Lan Tianli"] == count + 1
        assert 'aliases = ["Guangxi leader"]' in curation_text(indexed)


async def test_a_broken_file_is_a_notice_naming_its_line(indexed: CorpusIndex) -> None:
    path = indexed.corpus / CURATION_FILE
    path.write_text('[official."Xi Jinping"]\nhide = "yes"\n', encoding="utf-8")
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = [str(n.message) for n in app._notifications]
        assert f"{path}:1: hide must be true or false" in notices
        assert "Xi Jinping" in panel_names(app), "the rest works, without the broken file"
