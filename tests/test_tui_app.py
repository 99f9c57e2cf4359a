"""The app driven through Textual's Pilot at 80x24, on real files and a real index (issue 3)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile import NAME_MARKUP_CLICK, NAME_MARKUP_LINK, NAME_OSC52  # noqa: E402
from test_tui_support import (  # noqa: E402
    app_for,
    build_index,
    indexed_corpus,
    make_corpus,
    search,
    settle,
)
from textual.widgets import Static  # noqa: E402

from search import CorpusIndex  # noqa: E402
from search.text import visible  # noqa: E402
from tui.app import CorpusBrowserApp  # noqa: E402
from tui.filter_bar import FilterBar  # noqa: E402
from tui.help_screen import HelpScreen  # noqa: E402
from tui.reader import Reader, ReaderDocument  # noqa: E402

SIZE = (80, 24)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("tui"))


def styled_offsets(reader: Reader, test) -> set[int]:
    """Offsets of the characters the reader draws in a style for which ``test`` is true."""
    found: set[int] = set()
    for start, end in reader.rows:
        pos = start
        for segment in reader.render_row(start, end):
            if segment.style is not None and test(segment.style):
                found.update(range(pos, pos + len(segment.text)))
            pos += len(segment.text)
    return found


def drawn_offsets(reader: Reader) -> set[int]:
    return {i for start, end in reader.rows for i in range(start, end)}


def expected_offsets(spans, reader: Reader) -> set[int]:
    drawn = drawn_offsets(reader)
    return {i for s, e in spans for i in range(s, e) if i in drawn}


def is_match(style) -> bool:
    return bool(style.underline)


def is_current(style) -> bool:
    return bool(style.bold and style.reverse)


async def test_search_lists_results_and_opens_the_first(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "guangxi", type_it=True)
        expected = indexed.search("guangxi", limit=None)
        listing = app.results_list
        assert [h.path for h in listing.hits] == [h.path for h in expected.hits]
        matches = sum(h.match_count for h in expected.hits)  # titles' and texts'
        assert app.status.summary.startswith(f"{matches} matches in {expected.total} files, ")
        assert app.focused is listing
        first = expected.hits[0]
        assert app.reader.document is not None and app.reader.document.path == first.path
        assert app.reader.current == 0
        assert app.reader.border_title.startswith(f"match 1/{first.match_count}, file ")


async def test_highlights_sit_exactly_at_the_index_offsets(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        for query in ("border gate", '"border gate"', "cooperat*"):
            await search(pilot, query)
            reader = app.reader
            assert reader.document is not None
            view = indexed.document(reader.document.path, query)
            assert reader.matches == sorted(view.matches)
            assert view.matches, query
            expected = expected_offsets(view.matches, reader)
            assert styled_offsets(reader, is_match) == expected
            for _ in view.title_matches:  # title matches are walked first
                assert reader.current_span()[0] == "title"
                assert styled_offsets(reader, is_current) == set()
                await pilot.press("n")
            first = view.matches[0]
            assert reader.current_span() == ("text", first)
            assert styled_offsets(reader, is_current) == expected_offsets([first], reader)


async def test_n_and_N_walk_matches_within_and_across_files_in_the_lists_order(
    indexed: CorpusIndex,
) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "guangxi")
        walk = indexed.search("guangxi", limit=None).hits  # by relevance, as listed
        walked = [app.results_list.hit(i) for i in range(len(walk))]
        assert [h.path for h in walked] == [h.path for h in walk]
        # start from the oldest file: select it in the results list
        listing = app.results_list
        listing.highlighted = listing.index_of(walk[0].path)
        await settle(pilot)
        reader = app.reader
        assert reader.document.path == walk[0].path and reader.current == 0
        count = reader.match_count
        for step in range(1, count):
            await pilot.press("n")
            assert reader.current == step
            assert app.reader.border_title == f"match {step + 1}/{count}, file 1/{len(walk)}"
        await pilot.press("n")
        await settle(pilot)
        assert reader.document.path == walk[1].path
        assert reader.current == 0
        assert reader.border_title.startswith(f"match 1/{reader.match_count}, file 2/")
        assert "(next file, by relevance)" in reader.border_title
        assert listing.hits[listing.highlighted].path == walk[1].path
        await pilot.press("N")
        await settle(pilot)
        assert reader.document.path == walk[0].path
        assert reader.current == count - 1  # back at the last match of the previous file
        # the current match is on screen
        top = int(reader.scroll_y)
        row, _last = reader.current_rows()
        assert top <= row < top + reader.scrollable_content_region.height


async def test_a_side_panel_filter_narrows_results_and_marks_mentions(
    indexed: CorpusIndex,
) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "cooperation")
        before = app.results.total
        panel = app.panel
        officials = app.results.facets["official"]
        target = next(f for f in officials if f.count < before)
        option_id = f"official-{officials.index(target)}"
        panel.focus()
        panel.highlighted = [o.id for o in panel.options].index(option_id)
        await pilot.press("enter")
        await settle(pilot)
        narrowed = indexed.search("cooperation", limit=None, filters={"official": [target.key]})
        assert app.results.total == narrowed.total == target.count < before
        assert [h.path for h in app.results_list.hits] == [h.path for h in narrowed.hits]
        bar = app.query_one(FilterBar)
        assert bar.display and target.name in str(bar.render())
        reader = app.reader
        view = indexed.document(reader.document.path, "cooperation")
        official = next(o for o in view.document.extraction.officials if o.key == target.key)
        mentions = [(m.start, m.end) for m in official.mentions]
        marked = styled_offsets(reader, lambda st: bool(st.italic and st.bold))
        assert marked == expected_offsets(mentions, reader)
        # Esc removes the filter
        await pilot.press("escape")
        await settle(pilot)
        assert app.results.total == before
        assert not bar.display


async def test_e_folds_the_side_panel_and_the_reader_takes_the_room(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "guangxi")
        narrow = app.reader.size.width
        assert app.panel.display and app.panel.region.width > 0
        await pilot.press("e")
        await pilot.pause()
        assert app.panel.region.width == 0
        assert app.reader.size.width == 80
        assert app.reader.size.width > narrow
        assert max(len(line.rstrip()) for line in app.reader.visible_text()) > narrow
        await pilot.press("e")
        await pilot.pause()
        assert app.panel.region.width > 0
        assert app.reader.size.width == narrow


async def test_markup_and_escape_sequences_in_a_document_are_shown_literally(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "hostile")
        await pilot.press("e")  # the whole width, so each line is one row
        await settle(pilot)
        reader = app.reader
        assert reader.document is not None and reader.document.path == "hostile.txt"
        screen = "\n".join(reader.visible_text())
        assert "[bold]x[/]" in screen
        assert "[@click=app.quit]x[/]" in screen
        assert "[link=http://e]y[/link]" in screen
        assert "Markup and escapes [bold]in the title[/]" in screen
        assert "␛[31mred␛[0m" in screen
        assert "␛]52;c;SGVsbG8=␇" in screen
        assert "␛]0;title␇" in screen
        assert "\x1b" not in screen and "\x07" not in screen
        # the results row too, and nothing was run by the "[@click=app.quit]" text
        assert "[bold]in the title[/]" in app.results_list.row_text(0)
        await pilot.click(Reader, offset=(30, 5))
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_a_bad_query_is_a_one_line_message(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, '"border gate')
        assert "unclosed quote" in app.status.error
        assert "\n" not in app.status.error and "Traceback" not in app.status.error
        await search(pilot, "border gate")
        assert app.status.error == ""


async def test_a_missing_index_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, hostile=False)
    app = CorpusBrowserApp(corpus, tmp_path / "none", background_index=False)
    async with app.run_test(size=SIZE) as pilot:
        assert "no index" in app.status.error
        await search(pilot, "guangxi")
        assert "index" in app.status.error and "\n" not in app.status.error
        assert app.is_running


async def test_help_screen_and_palette_commands(indexed: CorpusIndex) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for title in (
            "Rebuild index",
            "Next match",
            "Previous match",
            "Toggle sort",
            "Toggle side panel",
            "Clear filters",
            "Search",
            "Help: keys and query language",
            "Quit",
        ):
            assert title in titles
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_background_indexer_builds_a_missing_index_then_searches(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, hostile=False)
    app = CorpusBrowserApp(corpus, tmp_path / "index")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"guangxi", "enter")
        for _ in range(300):
            await pilot.pause(0.05)
            if app.results is not None and not app.indexing:
                break
        await settle(pilot)
        assert app.results is not None and app.results.total > 0
        assert app.status.index_state.startswith("built: ") and not app.status.index_error
        assert CorpusIndex(corpus, tmp_path / "index").exists()


async def test_changes_made_while_closed_appear_after_the_first_results(tmp_path: Path) -> None:
    """With an index, the app browses it at once and then checks the corpus for changes
    (the check waits for the first results, so the two do not share the CPU at start)."""
    corpus = make_corpus(tmp_path, hostile=False)
    build_index(corpus, tmp_path / "index").close()
    (corpus / "walrus.txt").write_text(" date 2024-03-01 Walrus\nA walrus reached Hanoi.\n")
    app = CorpusBrowserApp(corpus, tmp_path / "index")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(300):
            await pilot.pause(0.05)
            if app.status.index_state.startswith("updated"):
                break
        await settle(pilot)
        assert not app.status.index_error, app.status.index_state
        assert "walrus.txt" in {hit.path for hit in app.results.hits}


async def test_a_5mb_document_with_thousands_of_matches_opens_at_once(indexed) -> None:
    paragraph = "The border gate at Huu Nghi handles trade with Guangxi every day. " * 12
    text = "\n".join(paragraph for _ in range(6500))
    assert len(text) > 5_000_000
    matches = []
    start = 0
    while len(matches) < 20000:
        start = text.index("border", start)
        matches.append((start, start + 6))
        start += 6
    document = ReaderDocument("big.txt", "Big", None, False, text, matches=matches)
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # the start-up browse search opens a file of its own first
        reader = app.reader
        reader.set_document(document, current=10000)
        lines = reader.visible_text()
        await pilot.pause()
        # How fast this is belongs to bench/ (timing thresholds stay out of tests).
        assert any("border" in line for line in lines)
        assert reader.current == 10000


async def test_the_side_panel_shows_the_top_entries_and_any_active_filter(indexed) -> None:
    from search import Facet
    from tui.entity_panel import SHOWN

    facets = {
        "official": [Facet(f"k{i}", f"Name {i}", "", None, 500 - i) for i in range(SHOWN + 50)],
        "province": [],
    }
    few = {"official": facets["official"][:2], "province": []}  # 5 rows: fits the pane
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.panel

        async def show(shown: dict, active: list) -> None:
            """Each list is laid out once, for the width it is shown at: beside the
            scrollbar a long list brings, the whole width for one that fits the pane."""
            panel.show_facets(shown, active)
            laid_out_for = panel.drawn_width
            await settle(pilot)
            assert laid_out_for == panel.row_width()

        await show({}, [])
        assert panel.highlighted is None  # nothing to choose
        await show(few, [])
        assert not panel.highlighted_option.disabled  # on an entry, not on the heading
        await show(facets, [("official", f"k{SHOWN + 20}")])
        assert panel.option_count < SHOWN  # laid out a page at a time
        panel.focus()
        await pilot.press("G")  # the last row: every row is laid out on the way
        await settle(pilot)
        assert panel.option_count == panel.row_count
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        rows = [p for p in prompts if p.lstrip("✓ ").startswith("Name ")]
        assert len(rows) == SHOWN + 1  # the top entries and the active filter below them
        assert any(f"Name {SHOWN + 20}" in p and "✓" in p for p in prompts)
        assert f"Officials ({SHOWN + 50:,})" in prompts[0]
        assert any("49 more" in p for p in prompts)


START_COLLECTIONS = """
import asyncio, gc, sys
from pathlib import Path
from tui.app import CorpusBrowserApp

collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))


async def main():
    app = CorpusBrowserApp(Path(sys.argv[1]), Path(sys.argv[2]), background_index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.results is not None and app.results.total > 0


asyncio.run(main())
print(len(collections), gc.get_freeze_count())
"""


def test_the_cycle_collector_stays_out_of_the_way_of_start_up(indexed: CorpusIndex) -> None:
    """A fresh app process keeps its start-up objects out of the collector and collects
    young objects rarely: at Python's default settings, starting on these six files ran it
    about 50 times (about 200 times, 80-110 ms, on Reuters)."""
    proc = subprocess.run(
        [sys.executable, "-c", START_COLLECTIONS, str(indexed.corpus), str(indexed.index_dir)],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    collections, frozen = map(int, proc.stdout.split())
    assert collections <= 5
    assert frozen > 10_000, "the objects alive at start are frozen out of collection"


async def test_hostile_file_and_folder_names_are_shown_not_obeyed(tmp_path: Path) -> None:
    """Names holding Rich markup, an action, escapes and a line break (issue 16): the app
    neither crashes (a MarkupError) nor gains a live ``@click`` action, and every place that
    shows a name shows its control characters as visible symbols."""
    corpus = tmp_path / "corpus-\x1b]0;HOSTILE-TITLE\x07-[bold]"
    names = [
        NAME_MARKUP_LINK,
        NAME_MARKUP_CLICK,
        NAME_OSC52,
        "fn-newline-\nsecond.txt",
        "dir-[link=https:||x]/[@click=app.quit]z.txt",
    ]
    for name in names:
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text("")  # no text, no header: the title is the file name
    index = build_index(corpus, tmp_path / "index")
    app = app_for(index)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listed = app.results_list
        assert sorted(h.path for h in listed.hits) == sorted(names)
        for row in range(len(names)):
            listed.highlighted = row
            path = listed.hits[row].path
            app.open_path(path)  # what highlighting does; the title shows the path at once
            title = app.reader._border_title
            assert title is not None and title.plain == visible(f"opening {path}")
            assert not title.spans, f"{path!r}: markup in the name was applied"
            await pilot.click(Reader, offset=(12, 0))  # where "[@click=...]" text is drawn
            await settle(pilot)
            assert app.is_running and app.return_code is None, path
            prompt = listed.row_text(row)
            assert "\x1b" not in prompt and "\n" not in prompt, prompt
            header = "\n".join(app.reader.visible_text())
            assert visible(path) in header.replace("\n", ""), (path, header)
            assert "\x1b" not in header
    # The corpus folder's own name, in the message for a missing index.
    app = CorpusBrowserApp(corpus, tmp_path / "none", background_index=False)
    async with app.run_test(size=SIZE) as pilot:
        summary = app.status.query_one("#summary", Static).render()
        assert "no index for" in str(summary)
        assert "\x1b" not in str(summary) and visible(str(corpus)) in str(summary)


async def test_the_status_line_suggests_an_official_when_none_matches(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "official:liu")
        assert app.status.error == ""
        assert 'did you mean official:"Liu Ning"?' in app.status.summary
