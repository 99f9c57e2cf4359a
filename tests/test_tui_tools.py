"""Copy (y, Y), $EDITOR (o), search history (Up/Down) and saved searches (S, ') through
Pilot, on a real corpus and index; what the app writes to the terminal is captured from its
driver, and history and saved searches are read back by a second app run."""

from __future__ import annotations

import base64
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_support import app_for, indexed_corpus, settle  # noqa: E402
from textual.widgets import Input  # noqa: E402

from search import CorpusIndex  # noqa: E402
from search.quote import quote  # noqa: E402
from search.user_state import QueryHistory, SavedSearches, state_dir  # noqa: E402
from tui.history_screen import HistoryScreen  # noqa: E402
from tui.save_search_screen import SaveSearchScreen  # noqa: E402
from tui.saved_searches_screen import SavedSearchesScreen  # noqa: E402

SIZE = (80, 24)
OSC52 = re.compile(r"\x1b\]52;c;([^\x07\x1b]*)\x07")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("tools"))


async def run_query(pilot, query: str) -> None:
    app = pilot.app
    await pilot.press("slash")
    app.search_bar.value = ""
    app.search_bar.insert_text_at_cursor(query)
    await pilot.press("enter")
    await settle(pilot)


def capture_writes(app) -> list[str]:
    """What the app writes to its terminal (the headless driver would drop it)."""
    written: list[str] = []
    app._driver.write = written.append
    return written


def clipboard_writes(written: list[str]) -> list[str]:
    """The text of every OSC 52 clipboard write, decoded."""
    payloads = [m.group(1) for chunk in written for m in OSC52.finditer(chunk)]
    for payload in payloads:
        assert re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", payload), payload
    return [base64.b64decode(p).decode("utf-8") for p in payloads]


def assert_pasteable(text: str) -> None:
    bad = [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs")]
    assert not bad, f"controls in the clipboard text: {bad!r}"


async def test_y_copies_the_quoted_passage_with_a_citation_by_osc52(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await run_query(pilot, "Escapes")
        assert app.reader.document.path == "hostile.txt"
        written = capture_writes(app)
        await pilot.press("y")
        copies = clipboard_writes(written)
        assert len(copies) == 1
        doc = indexed.document("hostile.txt", "Escapes").document
        kind, (start, end) = app.reader.current_span()
        if kind == "title":  # a match in the title: y quotes the text's first match
            start, end = app.reader.matches[0]
        expected = quote(
            doc.text, start, end, title=doc.title, date=doc.date,
            date_inferred=doc.date_inferred, path=doc.path, first_line=doc.first_line,
        )  # fmt: skip
        assert copies[0] == expected == app.clipboard
        passage, citation = copies[0].split("\n")
        # The file's own OSC 52 and escape bytes are quoted as symbols, never as controls.
        assert "␛]52;c;SGVsbG8=␇" in passage and "\x1b" not in copies[0]
        assert_pasteable(copies[0])
        assert citation == f"— {' '.join(doc.title.split())}, 2025-01-02, hostile.txt, line 3"
        assert any("Copied the passage" in str(n.title) for n in app._notifications)


async def test_Y_copies_the_file_path_and_says_when_tmux_drops_it(
    indexed, tmp_path, monkeypatch
) -> None:
    # A tmux whose set-clipboard is the default, "external": it ignores applications' OSC 52.
    fake = tmp_path / "tmux"
    fake.write_text('#!/bin/sh\n[ "$*" = "show-options -gv set-clipboard" ] && echo external\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await run_query(pilot, "guangxi")
        app.reader.focus()
        written = capture_writes(app)
        await pilot.press("Y")
        path = os.path.abspath(indexed.corpus / app.reader.document.path)
        assert clipboard_writes(written) == [path]
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert warnings == [
            "tmux passes a copy on only with: set -g set-clipboard on (it is 'external')"
        ]


async def test_o_without_an_editor_says_what_to_set(indexed, monkeypatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await run_query(pilot, "guangxi")
        await pilot.press("o")
        messages = [n.message for n in app._notifications]
        assert any("set $VISUAL or $EDITOR" in m for m in messages), messages


@pytest.mark.heavy
async def test_history_walks_with_up_and_down_and_persists_across_runs(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        for query in ("guangxi", "guangxi border", "border trade", "cooperation", "guangxi"):
            await pilot.press("slash")  # Enter remembers it; the search need not finish
            app.search_bar.value = query
            await pilot.press("enter")
        await settle(pilot)
    history = json.loads((state_dir(indexed.corpus) / "history.json").read_text())
    older = ["guangxi border", "border trade", "cooperation"]
    assert history == {"queries": [*older, "guangxi"]}  # once each, the last run last

    app = app_for(indexed)  # a second run of the app reads it back
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.search_bar
        bar.focus()
        bar.insert_text_at_cursor("draft")
        await pilot.press("up")
        assert bar.value == "draft"  # no earlier query contains "draft": it stays
        bar.value = ""
        await pilot.press("up")
        assert bar.value == "guangxi"
        await pilot.press(" ", "b", "o", "up")  # an edit starts a new walk from its text
        assert bar.value == "guangxi border"
        await pilot.press("down")
        assert bar.value == "guangxi bo"
        await pilot.press("up", "ctrl+u", "up")  # emptied while walking: from the newest
        assert bar.value == "guangxi"
        bar.value = ""
        for expected in ["guangxi", *reversed(older)]:
            await pilot.press("up")
            assert bar.value == expected
        await pilot.press("up")  # nothing older: it stays
        assert bar.value == older[0]
        await pilot.press("down", "down", "down", "down")
        assert bar.value == ""  # past the newest: back to what was typed
        bar.insert_text_at_cursor("ORD")  # typed text narrows the walk (case-insensitive)
        await pilot.press("up")
        assert bar.value == "border trade"
        await pilot.press("up")
        assert bar.value == "guangxi border"
        await pilot.press("down", "down")
        assert bar.value == "ORD"
        await pilot.pause(0.5)  # the query shown after a pause is run, as if typed
        await settle(pilot)
        assert app.query_text == "ORD"


async def test_ctrl_r_lists_earlier_queries_narrowed_as_typed_and_runs_one(indexed) -> None:
    history = QueryHistory.for_corpus(indexed.corpus)
    for query in ("guangxi", "border trade", "cooperation", "border gate"):
        history.add(query)
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.search_bar.focus()
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.shown == ["border gate", "cooperation", "border trade", "guangxi"]
        await pilot.press(*"BORD")  # narrows, case-insensitive
        assert screen.shown == ["border gate", "border trade"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, HistoryScreen)
        assert app.query_text == app.search_bar.value == app.results.query == "border trade"
        assert app.focused is app.results_list
        await pilot.press("slash", "ctrl+r", "escape")  # Esc: back in the box, nothing run
        assert app.focused is app.search_bar and app.query_text == "border trade"
    assert QueryHistory.for_corpus(indexed.corpus).entries[-1] == "border trade"


async def test_a_damaged_history_file_is_ignored_and_replaced(indexed) -> None:
    path = state_dir(indexed.corpus) / "history.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"queries": ["half a fi\xff')
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.search_bar.history == []
        assert any("history.json" in n.message for n in app._notifications)
        await run_query(pilot, "guangxi")
    assert json.loads(path.read_text()) == {"queries": ["guangxi"]}


@pytest.mark.heavy
async def test_saved_searches_are_saved_listed_run_and_deleted(indexed) -> None:
    app = app_for(indexed)
    async with app.run_test(size=SIZE) as pilot:
        await run_query(pilot, "cooperation")
        official = app.results.facets["official"][0]
        app.filters[("official", official.key)] = official.name
        app._filters_changed()
        await settle(pilot)
        await pilot.press("s")  # sort by date
        await settle(pilot)
        expected = [h.path for h in app.results_list.hits]
        await pilot.press("S")
        assert isinstance(app.screen, SaveSearchScreen)
        name_box = app.screen.query_one(Input)
        assert name_box.value == "cooperation"
        name_box.value = "coop by date"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("S")  # a second one, then Esc: not saved
        app.screen.query_one(Input).value = "cancelled"
        await pilot.press("escape")
        await run_query(pilot, "guangxi")
        await pilot.press("S")
        await pilot.press("enter")  # under its default name, the query
        await settle(pilot)

    saved = SavedSearches.for_corpus(indexed.corpus)
    assert saved.names() == ["coop by date", "guangxi"]
    coop = saved.get("coop by date")
    assert (coop.query, coop.sort) == ("cooperation", "date")
    assert coop.filters == [("official", official.key, official.name)]

    app = app_for(indexed)  # a new run lists them, runs one, deletes the other
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.results_list.focus()
        await pilot.press("apostrophe")
        screen = app.screen
        assert isinstance(screen, SavedSearchesScreen)
        assert [s.name for s in screen.searches] == ["coop by date", "guangxi"]
        await pilot.press("down", "d")  # delete "guangxi"
        await settle(pilot)
        await pilot.press("up", "enter")  # run "coop by date"
        await settle(pilot)
        assert not isinstance(app.screen, SavedSearchesScreen)
        assert app.query_text == "cooperation" and app.search_bar.value == "cooperation"
        assert app.sort == "date"
        assert list(app.filters) == [("official", official.key)]
        assert [h.path for h in app.results_list.hits] == expected
        await pilot.press("apostrophe", "escape")  # Esc closes the list, nothing runs
        assert not isinstance(app.screen, SavedSearchesScreen)
    assert SavedSearches.for_corpus(indexed.corpus).names() == ["coop by date"]
