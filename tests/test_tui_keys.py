"""The keys a new user tries first, the footer, the status line, the palette, the help that
teaches the query language, and the skipped-files screen: Pilot at 80x24 and 60x20 on a
real corpus and a real index; the key registry against docs/app.md and the README."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_support import app_for, indexed_corpus, make_corpus, screen_text, settle  # noqa: E402
from textual.containers import VerticalScroll  # noqa: E402
from textual.widgets import Footer  # noqa: E402
from textual.widgets._footer import FooterKey  # noqa: E402

from search import CorpusIndex  # noqa: E402
from search.query_forms import FORMS, NOTES  # noqa: E402
from search.text import count  # noqa: E402
from tui.actions import KEYS, bindings, markdown_table, with_table  # noqa: E402
from tui.app import CorpusBrowserApp  # noqa: E402
from tui.help_screen import HelpScreen  # noqa: E402
from tui.indexer import ProgressClock  # noqa: E402
from tui.search_bar import SearchBar  # noqa: E402
from tui.skipped_screen import SkippedScreen  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(80, 24), (60, 20)]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("keys"))


def footer_keys(app: CorpusBrowserApp, width: int) -> dict[str, str]:
    """Footer key -> label, for the keys drawn whole inside the terminal's width."""
    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    # The palette key is docked on the right, over whatever the others would draw there.
    palette = [k.region.x for k in keys if k.has_class("-command-palette")]
    end = min([width, *palette])
    return {
        k.key: k.description
        for k in keys
        if k.region.width and k.region.right <= end and not k.has_class("-command-palette")
    }


def drawn_text(app: CorpusBrowserApp, selector: str) -> str:
    """The words a widget draws on screen, its rows joined by spaces."""
    region = app.screen.query_one(selector).region
    rows = screen_text(app)[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right] for row in rows).split())


@pytest.mark.parametrize("size", SIZES)
async def test_the_first_screen_footer_and_status_line(indexed, size) -> None:
    """At start ? opens the help and q quits; the footer shows both at any width; the
    status line shows a long error and a summary's date range whole."""
    width = size[0]
    app = app_for(indexed)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert not isinstance(app.focused, SearchBar)
        shown = footer_keys(app, width)
        assert shown.get("q") == "Quit" and shown.get("question_mark") == "Help", shown
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen) and app.search_bar.value == ""

        await pilot.press("slash", *"autor:x")
        await pilot.pause()
        # While typing, q is a letter: the footer says how to leave and how to quit.
        shown = footer_keys(app, width)
        assert "q" not in shown and "question_mark" not in shown, shown
        assert shown.get("ctrl+q") == "Quit" and shown.get("escape") == "Leave box", shown
        await pilot.press("enter")
        await settle(pilot)
        message = app.status.error
        assert message.endswith("province, path"), message
        assert message in drawn_text(app, "#summary")

        app.status.index_state = "up to date: 21,579 files · 3 skipped (!)"
        await pilot.press("slash")
        app.search_bar.value = "guangxi OR trade OR border"
        await pilot.press("enter")
        await settle(pilot)
        summary = app.status.summary
        assert re.search(r"\d{4}-\d\d-\d\d$", summary), summary
        assert summary in drawn_text(app, "#summary")
        assert drawn_text(app, "#index-state") == app.status.index_state

        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_slash_and_question_mark_in_the_search_box_and_the_palette(
    indexed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/Downloads here
    monkeypatch.delenv("XDG_PICTURES_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    app = app_for(indexed)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        await pilot.press("slash", "slash")
        assert app.focused is app.search_bar and app.search_bar.value == ""
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.search_bar.value == ""
        await pilot.press("escape")
        await pilot.pause()
        # After other text both are typed: paths hold "/", and a query may hold "?".
        await pilot.press(*"path:a/b?")
        assert app.search_bar.value == "path:a/b?"
        await pilot.press("escape")
        assert app.focused is app.results_list
        # Keys typed at once after "/" land in the box, not in the list it left.
        app.search_bar.value = ""
        await pilot.press("slash", *"trade")
        assert app.search_bar.value == "trade"
        await pilot.press("escape")

        # The palette: one entry per name, no Textual "Keys" panel; what opens, Esc closes.
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        assert len(titles) == len(set(titles)), titles
        assert "Keys" not in titles
        for title, screen in (
            ("Help: keys and query language", HelpScreen),
            ("Skipped files and warnings", SkippedScreen),
        ):
            next(c for c in commands if c.title == title).callback()
            await pilot.pause()
            assert isinstance(app.screen, screen)
            await pilot.press("escape")
            await pilot.pause()
            assert not app.screen.is_modal
        next(c for c in commands if c.title == "Query language").callback()
        await pilot.pause(0.2)
        assert isinstance(app.screen, HelpScreen)
        assert screen_text(app)[1].strip("│ ").startswith("The query language")
        await pilot.press("escape")
        await pilot.pause()
        next(c for c in commands if c.title == "Screenshot").callback()
        await pilot.pause(0.3)
        saved = list(tmp_path.glob("*.svg"))
        assert len(saved) == 1
        messages = [n.message for n in app._notifications]
        assert any(str(saved[0]) in m for m in messages), messages


async def test_during_the_first_build_esc_leaves_the_box_and_q_quits(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, hostile=False)
    app = CorpusBrowserApp(corpus, tmp_path / "index")
    # Holding the writer lock keeps the app's first build waiting, so the keys below surely
    # land while it runs and nothing is listed yet.
    with CorpusIndex(corpus, tmp_path / "index").store.writer_lock(5):
        async with app.run_test(size=SIZES[0]) as pilot:
            await pilot.press("slash", *"guangxi", "escape")
            assert app.indexing and not app.results_list.hits
            assert app.focused is not app.search_bar
            await pilot.press("q")
            await pilot.pause()
    assert app.return_code == 0


def test_progress_says_files_done_of_total_and_the_time_left() -> None:
    times = iter([100.0, 102.0, 104.0])
    clock = ProgressClock(lambda: next(times))
    assert clock.text(100, 21579) == "indexing 100/21,579"  # no rate yet
    # 1,000 files in 2 s: 20,479 left take 41 s; then 2,000 in 4 s: 19,479 take 39 s
    assert clock.text(1100, 21579) == "indexing 1,100/21,579 · 0:41 left"
    assert clock.text(2100, 21579) == "indexing 2,100/21,579 · 0:39 left"


def test_bindings_come_from_the_registry() -> None:
    from tui.entity_panel import EntityPanel
    from tui.keyed_list import KeyedOptionList
    from tui.merge_picker import MergePicker
    from tui.reader import Reader
    from tui.text_prompt import TextPrompt
    from tui.text_screen import TextScreen

    owners = {
        ("app",): CorpusBrowserApp,
        ("search",): SearchBar,
        ("lists",): KeyedOptionList,
        ("panel",): EntityPanel,
        ("reader",): Reader,
        ("screen",): TextScreen,
        ("prompt",): TextPrompt,
        ("prompt", "picker"): MergePicker,
    }
    for scopes, owner in owners.items():
        # Every binding the class declares, and nothing more, is the registry's.
        declared = [(b.key, b.action, b.description) for b in owner.BINDINGS]
        registry = [(b.key, b.action, b.description) for s in scopes for b in bindings(s)]
        assert declared == registry, scopes
    bound = {b.action for scopes in owners for s in scopes for b in bindings(s)}
    assert {"help", "quit_app", "focus_search", "next_match", "skipped"} <= bound


def test_docs_key_table_is_the_registry() -> None:
    doc = (ROOT / "docs" / "app.md").read_text(encoding="utf-8")
    assert markdown_table() in doc
    assert with_table(doc) == doc, "run: python -m tui.actions docs/app.md"


def _readme_query_rows() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The query language", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith(("| you type", "| ---")):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows.append((cells[0], cells[1]))
    return rows


def test_readme_query_table_and_the_help_agree() -> None:
    assert _readme_query_rows() == list(FORMS)


async def test_help_teaches_every_query_form_at_80x24(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        seen: list[str] = []
        scroll = app.screen.query_one(VerticalScroll)
        for _ in range(30):  # page down to the end, reading each screen
            seen += screen_text(app)
            if scroll.scroll_y >= scroll.max_scroll_y:
                break
            await pilot.press("space")
            await pilot.pause()
        text = " ".join(" ".join(seen).split())
    for example, _ in FORMS:
        for code in re.findall(r"`([^`]*)`", example):
            assert code in text, code
    for note in NOTES:
        assert re.findall(r"`([^`]*)`", note)[0] in text
    for key in KEYS:
        if key.keys:
            assert key.help.split(";")[0][:30] in text, key


def test_counts_have_thousands_separators() -> None:
    assert count(21579, "file") == "21,579 files"
    assert count(1, "file") == "1 file"
    assert count(2258, "match") == "2,258 matches"


async def test_a_first_build_counts_files_then_lists_what_it_skipped(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, hostile=False)
    (corpus / "image\x1b[31m.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (corpus / "bad-date.txt").write_text(" date 2024-02-30 An impossible date\nGuangxi.\n")
    app = CorpusBrowserApp(corpus, tmp_path / "index")
    states: list[str] = []
    async with app.run_test(size=SIZES[0]) as pilot:
        app.status.watch(app.status, "index_state", lambda state: states.append(state))
        for _ in range(300):
            await pilot.pause(0.05)
            if not app.indexing and app.status.index_state.startswith("built"):
                break
        await settle(pilot)
        assert "1 skipped, 1 warned (!)" in app.status.index_state, app.status.index_state
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, SkippedScreen)
        text = "\n".join(screen_text(app))
        assert "image␛[31m.txt" in text and "bad-date.txt" in text
        assert "\x1b" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.is_modal
    # The build said how far it was: files done of the total (later also the time left).
    total = len(list(corpus.iterdir())) - 1  # the binary file is not an article
    done_of_total = re.compile(rf"indexing \d+/({total}|{total + 1})( · \d+:\d\d left)?")
    assert any(done_of_total.fullmatch(state) for state in states), states
