"""corpus-browser's Textual app: a thin client of ``search.CorpusIndex``.

Data flows one way: the search bar posts a query, a thread worker runs it, the results list,
side panel and status line are told what to show, and highlighting a result loads it (in
another worker) into the reader.  Indexing runs in a child process (``tui.indexer``).
"""

from __future__ import annotations

import ast
import asyncio
import functools
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SuspendNotSupported, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from search import (
    CorpusBrowserError,
    CorpusIndex,
    DocumentView,
    Hit,
    IndexMissingError,
    Results,
    StaleResultsError,
)
from search.collector import quieten_collector
from search.curation import Edit
from search.export import (
    ExportHeader,
    article_jsonl,
    article_markdown,
    default_name,
    every_hit,
    export_format,
    results_csv,
    results_jsonl,
    results_markdown,
    write_export,
)
from search.quote import line_and_column, quote
from search.text import count, pasteable, visible
from search.user_state import QueryHistory, SavedSearch, SavedSearches, describe_saved
from tui.actions import bindings, palette_entries, printable_actions
from tui.editor import EditorError, editor_command
from tui.entity_panel import EntityPanel
from tui.export_screen import ExportRequest, ExportScreen
from tui.filter_bar import FilterBar
from tui.help_screen import HelpScreen
from tui.history_screen import HistoryScreen
from tui.indexer import ProgressClock, problems_of, run_indexer
from tui.merge_picker import MergePicker
from tui.reader import WRAP_NAMES, Reader, ReaderDocument
from tui.results import ResultsList
from tui.save_search_screen import SaveSearchScreen
from tui.saved_searches_screen import SavedSearchesScreen
from tui.search_bar import SearchBar
from tui.skipped_screen import Problem, SkippedScreen
from tui.status import StatusLine
from tui.text_prompt import TextPrompt
from tui.wrap import Layout

__all__ = ["ORDER_NAMES", "SORT_NAMES", "CorpusBrowserApp", "run_app", "summarise"]

HINT = "/ search · ? help and the query language · q quit"
NARROW = 70  # columns below which the footer leaves out the palette key
TYPED_IN_BOX = printable_actions()  # the search box types these keys instead
# Terminal widths from which the results sit beside the reader, and under which the side
# panel folds by itself (app.tcss styles the screen classes these set).
WIDE_AT = 160
NARROW_BELOW = 80
SPLIT_STEP = 5  # percent of the room the results pane gains or loses with ] and [
SPLIT_RANGE = (15, 80)
# What each sort is called on screen; ``s`` goes through them in this order.
SORT_NAMES = {"relevance": "relevance", "date": "oldest first", "newest": "newest first"}
# How the list's sorts are named where the app says which order n / N walk files in.
ORDER_NAMES = {**SORT_NAMES, "relevance": "by relevance"}


def summarise(results: Results) -> str:
    """``52 matches in 5 files, 2023-02-23 .. 2024-11-07``; ``2 files, …`` for a query of
    filters only (``date:2024``), which marks nothing."""
    matches = sum(h.match_count for h in results.hits)
    files = count(results.total, "file")
    counted = count(matches, "match")
    if not results.marks_words:
        text = files
    elif len(results.hits) < results.total:  # the rest are counted as their pages load
        text = f"{files}, {counted} in the first {len(results.hits):,}"
    else:
        text = f"{counted} in {files}"
    if results.first_date and results.last_date:
        text += f", {results.first_date.isoformat()} .. {results.last_date.isoformat()}"
    if results.did_you_mean:
        text += f"; {results.did_you_mean}"
    return text


class CorpusBrowserApp(App[int]):
    """Search a corpus, read its files with every match marked, walk matches by date."""

    TITLE = "corpus-browser"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-stacked"), (WIDE_AT, "-wide")]

    BINDINGS = bindings("app")

    def __init__(
        self,
        corpus: Path | None = None,
        index_dir: Path | None = None,
        *,
        index: CorpusIndex | None = None,
        mouse: bool = True,
        background_index: bool = True,
    ) -> None:
        quieten_collector()  # if the CLI has not already (tests and the bench start here)
        super().__init__()
        if index is None:
            if corpus is None:
                from search.corpus.read import SAMPLE_CORPUS

                corpus = SAMPLE_CORPUS
            index = CorpusIndex(Path(corpus), index_dir, full_check=True)
        self.index = index
        self.mouse = mouse
        self.background_index = background_index
        self.animation_level = "none"  # no smooth scrolling: each frame costs bytes over SSH
        self.query_text = ""
        self.sort = "relevance"  # the order of search results, one of SORT_NAMES
        self.browse_sort = "date"  # browsing has no relevance: oldest or newest first
        self.listed_sort = "date"  # the sort of the results on screen
        self.filters: dict[tuple[str, str], str] = {}  # (field, key) -> name, in order added
        self.results: Results | None = None
        self._pending: tuple[int, str] | None = None  # (row, "first"/"last") to open once loaded
        self.view: DocumentView | None = None
        self.indexing = False
        self._check_after_first_search = False
        self._search_seq = 0
        self._open_seq = 0
        self._crossed = ""  # "next"/"previous" after n/N went on to another file, till a search
        self._loading: str | None = None  # the path being opened
        self._queued = 0  # n (+1) / N (-1) presses made while a file was opening
        self.skipped: list[Problem] = []  # what the last indexing skipped, and why
        self.warnings: list[Problem] = []  # files it indexed with a warning
        self._edits: list[Edit] = []  # curation edits made here, newest last (for undo)
        self._curation_said: list[str] = []  # the curation problems last shown
        # The results pane's share of the room it shares with the reader, in percent, for
        # each arrangement; [ and ] change it for the rest of the session.
        self.split = {"stacked": 34, "wide": 40}
        self._width = 0
        self._reindex = False  # a file changed while the indexer ran: run it again after
        # Per corpus, in the user's state dir; small files, read once here.
        self.history = QueryHistory.for_corpus(index.corpus)
        self.saved = SavedSearches.for_corpus(index.corpus)
        self._state_warned = False
        self._tmux_clipboard: str | None = None  # tmux's set-clipboard, asked at the 1st copy

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        yield StatusLine(id="status")
        yield FilterBar(id="filters")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield ResultsList(id="results")
                yield Reader(id="reader")
            yield EntityPanel(id="panel")
        yield Footer(compact=True)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def results_list(self) -> ResultsList:
        return self.query_one("#results", ResultsList)

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    @property
    def panel(self) -> EntityPanel:
        return self.query_one("#panel", EntityPanel)

    @property
    def arrangement(self) -> str:
        """Whether the results sit beside the reader ("wide") or over it ("stacked")."""
        return "wide" if self._width >= WIDE_AT else "stacked"

    def on_resize(self, event: events.Resize) -> None:
        if (self._width < NARROW_BELOW) != (event.size.width < NARROW_BELOW):
            # Folding or unfolding with e holds on one side of the line; across it the
            # terminal decides again.
            self.panel.remove_class("folded", "shown")
        self._width = event.size.width  # the app's own size is not updated yet
        self._apply_split()
        # Below 70 columns the footer needs every cell for its keys (Ctrl+P still works,
        # and the help lists it); Textual also leaves a stray cell beside the docked key.
        footer = self.query_one(Footer)
        wide = event.size.width >= NARROW
        if footer.show_command_palette != wide:
            footer.show_command_palette = wide
            footer.refresh(recompose=True)  # Footer reads it only when it composes

    @on(events.DescendantBlur, "#panel")
    def _panel_blurred(self) -> None:
        """Keys go on working when a narrower terminal folds the panel that had focus:
        Textual takes the focus off a hidden widget and gives it to nothing."""
        self.call_after_refresh(self._leave_folded_panel)

    def _leave_folded_panel(self) -> None:
        if self.focused is None and not self.panel.display:
            self.reader.focus()

    def _apply_split(self) -> None:
        """The user's split, on the axis the panes share in the current arrangement (the
        other axis is left to app.tcss)."""
        share = self.split[self.arrangement]
        results, reader = self.results_list.styles, self.reader.styles
        if self.arrangement == "wide":
            results.width, reader.width = f"{share}fr", f"{100 - share}fr"
            results.height = reader.height = None
        else:
            results.height, reader.height = f"{share}fr", f"{100 - share}fr"
            results.width = reader.width = None

    def action_split(self, direction: int) -> None:
        low, high = SPLIT_RANGE
        share = self.split[self.arrangement] + direction * SPLIT_STEP
        self.split[self.arrangement] = max(low, min(high, share))
        self._apply_split()

    def on_mount(self) -> None:
        self._width = self.size.width
        self._apply_split()
        self.panel.border_title = border_title("Officials & provinces")
        self._update_counter()
        self.search_bar.history = list(self.history.entries)
        for problem in (self.history.problem, self.saved.problem):
            if problem:
                self.notify(visible(problem), severity="warning", markup=False, timeout=6)
        # Start where keys work (q, ?, n): the search box is one / away, as in docfd or less.
        self.results_list.focus()
        self.status.summary = HINT
        try:
            exists = self.index.exists()
        except (OSError, CorpusBrowserError) as exc:
            exists = False
            self.status.index_state = f"index: {exc}"
        if exists:
            self.status.index_state = "index ready"
            self.run_search()  # browse: every file by date, the whole corpus in the panel
        else:
            self.status.index_state = "no index yet"
        if self.background_index and exists:
            # The check for changes starts once the first results are on screen: on two
            # cores its process start and corpus scan would slow the app's own start.
            self._check_after_first_search = True
        elif self.background_index:
            self.start_indexer(rebuild=False)
        elif not exists:
            self.show_error(
                f"no index for {self.index.corpus}; build it with: "
                f"corpus-browser index {self.index.corpus}"
            )

    # -- the background indexer ----------------------------------------------------------
    def start_indexer(self, rebuild: bool = False) -> None:
        self.indexing = True
        self.status.index_error = False
        self.status.index_state = "rebuilding index" if rebuild else "checking for changes"
        self.run_worker(
            self._index_task(rebuild), group="index", exclusive=True, exit_on_error=False
        )

    async def _index_task(self, rebuild: bool) -> None:
        status = self.status
        clock = ProgressClock(time.monotonic)

        def progress(done: int, total: int) -> None:
            status.progress = done / total if total else 1.0
            status.index_state = clock.text(done, total)

        try:
            outcome = await run_indexer(self.index, progress, rebuild=rebuild)
        finally:
            self.indexing = False
            status.progress = None
        if not outcome.ok:
            status.index_error = True
            status.index_state = "index: error"
            self.notify(
                visible(outcome.message), title="Indexing failed", severity="error", markup=False
            )
            return
        self.skipped, self.warnings = problems_of(outcome.report)
        status.index_state = outcome.message + self._problems_note()
        if self._reindex:  # a file edited while this run was scanning may have been missed
            self._reindex = False
            self.call_after_refresh(self.start_indexer)
        if outcome.changed:  # else the results on screen are already the index's
            await asyncio.to_thread(self.index.refresh)  # waits for a search holding the lock
            self.run_search()

    # -- searching -----------------------------------------------------------------------
    @on(SearchBar.Query)
    def _query(self, message: SearchBar.Query) -> None:
        text = message.text.strip()
        if text != self.query_text or message.submitted:
            self.query_text = text
            self.run_search()
        if message.submitted:
            self.results_list.focus()

    @property
    def list_sort(self) -> str:
        """The order the list is in: the search's, or the browsing one."""
        return self.sort if self.query_text else self.browse_sort

    @on(SearchBar.Settled)
    def _settled(self, message: SearchBar.Settled) -> None:
        self.remember(message.text)

    @on(SearchBar.HistoryWanted)
    def _history_wanted(self, message: SearchBar.HistoryWanted) -> None:
        screen = HistoryScreen(self.search_bar.history, message.text)
        self.push_screen(screen, self._history_chosen)

    def _history_chosen(self, query: str | None) -> None:
        bar = self.search_bar
        if query is None:
            bar.focus()
            return
        bar.value = query
        bar.cursor_position = len(query)
        self.query_text = query.strip()
        self.run_search()
        self.results_list.focus()
        self.remember(query)

    def remember(self, query: str) -> None:
        """Add ``query`` to this corpus's history (written off the event loop)."""
        if query.strip():
            self._remember_worker(query)

    @work(thread=True, group="state", exit_on_error=False)
    def _remember_worker(self, query: str) -> None:
        try:
            self.history.add(query)
        except OSError as exc:
            self.call_from_thread(self._state_failed, "the search history", exc, once=True)
        self.call_from_thread(self._set_history, list(self.history.entries))

    def _set_history(self, entries: list[str]) -> None:
        self.search_bar.history = entries

    def _state_failed(self, what: str, exc: Exception, once: bool = False) -> None:
        if once and self._state_warned:
            return
        self._state_warned = self._state_warned or once
        self.notify(
            visible(f"could not save {what}: {exc}"), severity="warning", markup=False, timeout=6
        )

    def run_search(self) -> None:
        """Search in a worker; an empty query browses every file, oldest first."""
        self._search_seq += 1
        query = self.query_text or "*"
        sort = self.list_sort
        filters: dict[str, list[str]] = {}
        for field, key in self.filters:
            filters.setdefault(field, []).append(key)
        self.status.error = ""
        shown = self.reader.document.path if self.reader.document else None
        self._crossed = ""  # a new search (or Esc) is not a walk on to another file
        self._search_worker(query, sort, filters, self._search_seq, shown)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_worker(
        self, query: str, sort: str, filters: dict[str, list[str]], seq: int, shown: str | None
    ) -> None:
        """``shown``: the file in the reader; if it is a hit past the first page, its page
        comes too, so a search run again (the index changed, the sort) keeps the place."""
        worker = get_current_worker()
        page: tuple[int, list[Hit]] | None = None
        try:
            results = self.index.search(
                query, limit=ResultsList.PAGE, sort=sort, filters=filters, facets=True,
                snippets=False, every=True,
            )  # fmt: skip
            row = self.index.position(results.order, shown) if shown and results.order else None
            if row is not None and row >= len(results.hits):
                start = row - row % ResultsList.PAGE
                page = (
                    row // ResultsList.PAGE,
                    self.index.hits(results.order, start, start + ResultsList.PAGE),
                )
        except Exception as exc:  # noqa: BLE001 - every failure becomes a one-line message
            if not worker.is_cancelled:
                self.call_from_thread(self._search_failed, seq, exc)
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._show_results, seq, results, sort, page)

    def _first_search_done(self) -> None:
        if self._check_after_first_search:
            self._check_after_first_search = False
            self.call_after_refresh(self.start_indexer)

    def _search_failed(self, seq: int, exc: Exception) -> None:
        self._first_search_done()
        if seq != self._search_seq:
            return
        if isinstance(exc, IndexMissingError) and self.indexing:
            self.status.error = ""
            self._clear_results("The index is being built; the search runs when it is ready.")
            return
        self.show_error(_one_line(exc))
        self._mark_stale(True)

    def _mark_stale(self, stale: bool) -> None:
        """Dim the results and the reader, and say so in their titles, while the query
        in the box failed: what they show is the previous query's."""
        listing = self.results_list
        if listing.has_class("stale") == stale:
            return
        listing.set_class(stale, "stale")
        self.reader.set_class(stale, "stale")
        self._title_results()
        self._update_counter()

    def show_error(self, message: str) -> None:
        self.status.error = message

    def _close_document(self) -> None:
        self._open_seq += 1  # a file still opening is not shown
        self._loading, self._queued = None, 0
        self.view = None
        self.reader.set_document(None)

    def _clear_results(self, summary: str) -> None:
        self.results = None
        self._pending = None
        self.status.summary = summary
        self.results_list.set_caption("Results")
        self.results_list.show_hits([])
        self._mark_stale(False)
        self.panel.show_facets({}, self.filters)
        self.reader.placeholder = HINT
        self._close_document()
        self._update_counter()

    def _show_results(
        self, seq: int, results: Results, sort: str, page: tuple[int, list[Hit]] | None = None
    ) -> None:
        self._first_search_done()
        if seq != self._search_seq:
            return
        self.results = results
        self._pending = None
        self.listed_sort = sort
        self.status.error = ""
        self.status.summary = summarise(results)
        shown = self.reader.document.path if self.reader.document else None
        if self._view_query != self.query_text:
            shown = None  # a new query opens its own top hit; a re-run keeps the place
        listing = self.results_list
        listing.show_hits(results.hits, count=results.total, keep=shown, page=page)
        self._mark_stale(False)
        self._title_results()
        self.panel.show_facets(results.facets, self.filters)
        self._say_curation_problems()
        if not results.hits:
            self.reader.placeholder = "No file matches this query."
            self._close_document()
            self._update_counter()
            return
        hit = listing.hit(listing.highlighted or 0) or results.hits[0]
        if self.view is not None and hit.path == shown and self._view_query == self.query_text:
            self._apply_mentions()
            self._update_counter()
        else:
            self.open_path(hit.path, at="first")

    def _title_results(self) -> None:
        results = self.results
        if results is not None:  # what the list holds, though the box may say otherwise
            label = "All files" if results.query == "*" else "Results"
            sort = self.listed_sort
        else:
            label = "Results" if self.query_text else "All files"
            sort = self.list_sort
        caption = f"{label} · {SORT_NAMES[sort]}"
        if self.results_list.has_class("stale"):
            caption += " · stale: the query has an error"
        self.results_list.set_caption(caption)

    # -- pages of the list ---------------------------------------------------------------
    @on(ResultsList.PageWanted)
    def _page_wanted(self, message: ResultsList.PageWanted) -> None:
        if self.results is not None and self.results.order is not None:
            self._page_worker(self.results, message.page)

    @work(thread=True, group="pages", exit_on_error=False)
    def _page_worker(self, results: Results, page: int) -> None:
        assert results.order is not None
        start = page * ResultsList.PAGE
        try:
            hits = self.index.hits(results.order, start, start + ResultsList.PAGE)
        except StaleResultsError:
            self.call_from_thread(self._pages_stale, results)
            return
        except Exception as exc:  # noqa: BLE001
            self.call_from_thread(self._page_failed, results, _one_line(exc))
            return
        self.call_from_thread(self._page_loaded, results, page, hits)

    def _page_failed(self, results: Results, message: str) -> None:
        if results is self.results:
            if self._pending is not None:  # the file n / N went on to cannot be opened
                self._pending, self._loading, self._queued = None, None, 0
            self.show_error(message)

    def _page_loaded(self, results: Results, page: int, hits: list[Hit]) -> None:
        if results is not self.results:
            return  # a newer search replaced the list meanwhile
        self.results_list.add_page(page, hits)
        pending = self._pending
        if pending is not None:
            hit = self.results_list.hit(pending[0])
            if hit is not None:
                self._pending = None
                self.open_path(hit.path, at=pending[1])

    def _pages_stale(self, results: Results) -> None:
        if results is self.results:
            self._pending, self._loading, self._queued = None, None, 0
            self.results_list.forget_requests()
            self.run_search()  # the index changed under the list: list it again

    # -- opening files -------------------------------------------------------------------
    @on(ResultsList.Highlighted)
    def _result_highlighted(self, event: ResultsList.Highlighted) -> None:
        path = event.hit.path
        if not (self.reader.document and self.reader.document.path == path):
            self._crossed = ""
            self._pending = None
            self.open_path(path, at="first")

    @on(ResultsList.Selected)
    def _result_selected(self, event: ResultsList.Selected) -> None:
        self.reader.focus()

    def open_path(self, path: str, at: str | int = "first") -> None:
        """Load ``path`` off the event loop; ``at`` is "first" or "last" match, or a
        match's number (kept when the file is opened again after an edit)."""
        self._open_seq += 1
        self._loading = path
        self.reader.border_title = border_title(f"opening {path}")
        self._load_worker(path, self.query_text, at, self._open_seq, self.reader.text_width)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _load_worker(self, path: str, query: str, at: str | int, seq: int, width: int) -> None:
        worker = get_current_worker()
        try:
            view = self.index.document(path, query or None)
            ext = view.document.extraction
            doc = ReaderDocument(
                path=view.document.path,
                title=view.document.title,
                date=view.document.date,
                date_inferred=view.document.date_inferred,
                text=view.document.text,
                matches=[(s, e) for s, e in view.matches],
                title_matches=[(s, e) for s, e in view.title_matches],
                boilerplate_start=ext.boilerplate_start,
                captions=[(c.start, c.end) for c in ext.captions],
                warnings=list(view.document.warnings),
            )
            layout = self.reader.lay_out(doc, width)
        except FileNotFoundError:
            message = f"{path} is no longer in the corpus"
        except Exception as exc:  # noqa: BLE001
            message = f"{path}: {_one_line(exc)}"
        else:
            if not worker.is_cancelled:
                self.call_from_thread(self._show_document, seq, query, view, doc, layout, at)
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._open_failed, seq, message)

    def _open_failed(self, seq: int, message: str) -> None:
        if seq == self._open_seq:
            self._loading = None
            self._queued = 0
            self.reader.border_title = border_title("could not open the file")
            self.show_error(message)

    def _show_document(
        self,
        seq: int,
        query: str,
        view: DocumentView,
        doc: ReaderDocument,
        layout: Layout,
        at: str | int,
    ) -> None:
        if seq != self._open_seq:
            return
        self._loading = None
        self.view = view
        self._view_query = query
        doc.mentions = self._mentions(view)
        count = len(doc.title_matches) + len(doc.matches)
        current = _match_number(at, count)
        self.reader.set_document(doc, current=current, layout=layout)
        index = self.results_list.index_of(doc.path)
        if index is not None and self.results_list.highlighted != index:
            self.results_list.move_to(index)
        self._update_counter()
        self._apply_queued_steps()

    def _mentions(self, view: DocumentView) -> list[tuple[int, int]]:
        return view.document.extraction.mentions_of(self.filters)

    def _apply_mentions(self) -> None:
        if self.view is not None:
            self.reader.set_mentions(self._mentions(self.view))

    _view_query = ""

    # -- walking matches -----------------------------------------------------------------
    def walk_order(self) -> str:
        """The order n / N go through files in, the list's sort: "by relevance"…"""
        return ORDER_NAMES[self.listed_sort]

    def _walk_index(self) -> int | None:
        """Where the file in the reader comes among every hit, in the list's order."""
        doc, results = self.reader.document, self.results
        if doc is None or results is None or results.order is None:
            return None
        return self.results_list.index_of(doc.path)

    @property
    def walk_count(self) -> int:
        """How many files n / N walk through: every hit of the search."""
        return self.results.total if self.results is not None else 0

    def action_next_match(self) -> None:
        self._step(+1)

    def action_previous_match(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if self._loading is not None:
            self._queued += delta  # applied when the file being opened is shown
            return
        reader = self.reader
        count = reader.match_count
        if reader.document is not None and count:
            if reader.current is None:
                target = 0 if delta > 0 else count - 1
            else:
                target = reader.current + delta
            if 0 <= target < count:
                self._crossed = ""
                reader.go_to_match(target)
                self._update_counter()  # the app moved it: no message round trip needed
                return
        results = self.results
        if results is None or results.order is None or not self.walk_count:
            self.notify("No matches to walk: run a search first.", timeout=3)
            return
        here = self._walk_index()
        first = 0 if delta > 0 else self.walk_count - 1
        target_file = first if here is None else here + delta
        if not 0 <= target_file < self.walk_count:
            if reader.current is not None:
                reader.go_to_match(reader.current)  # at least show where the walk stands
            where = "last match of the last" if delta > 0 else "first match of the first"
            self.notify(f"This is the {where} file ({self.walk_order()}).", timeout=3)
            self.bell()
            return
        self._crossed = "next" if delta > 0 else "previous"
        self.notify(
            f"{self._crossed.capitalize()} file, {self.walk_order()}: "
            f"{target_file + 1}/{self.walk_count}",
            timeout=2,
            markup=False,
        )
        row = target_file  # n / N walk the list's own order
        at = "first" if delta > 0 else "last"
        hit = self.results_list.hit(row)
        if hit is not None:
            self.open_path(hit.path, at=at)
        else:  # its page is loading: open it when it comes
            self._pending = (row, at)
            self._loading = ""
            self.results_list.want(row)

    def _apply_queued_steps(self) -> None:
        while self._queued and self._loading is None:
            delta = 1 if self._queued > 0 else -1
            self._queued -= delta
            self._step(delta)

    @on(Reader.CurrentChanged)
    def _current_changed(self) -> None:
        self._update_counter()

    def counter_text(self) -> str:
        reader = self.reader
        if reader.document is None:
            return "Reader"
        here = self._walk_index()
        files = (
            f"file {here + 1:,}/{self.walk_count:,}" if here is not None else "not in the results"
        )
        total = reader.match_count
        marks = self.results.marks_words if self.results is not None else bool(self.query_text)
        if total == 0:
            text = f"no matches, {files}" if marks else files
        elif reader.current is None:
            text = f"{count(total, 'match')}, {files}"
        else:
            text = f"match {reader.current + 1:,}/{total:,}, {files}"
        if self._crossed:
            text += f" ({self._crossed} file, {self.walk_order()})"
        if reader.wrap_mode != "wrap":
            text += f" · {WRAP_NAMES[reader.wrap_mode]}"
        if reader.has_class("stale"):
            text += " · stale"
        return text

    def _update_counter(self) -> None:
        self.reader.border_title = border_title(self.counter_text())
        self.call_after_refresh(self._keep_current_clear)

    def notify(self, *args: Any, **kwargs: Any) -> None:
        super().notify(*args, **kwargs)
        # The notice is laid out a frame or two later: then make it leave the match clear.
        self.set_timer(0.1, self._keep_current_clear)

    def _keep_current_clear(self) -> None:
        """Scroll the reader so that no notice covers the current match: notices sit at
        the bottom right, over the reader's last rows."""
        try:
            reader = self.reader
        except NoMatches:  # another screen is on top (help), or the app is closing
            return
        rows = reader.current_rows()
        if rows is None:
            return
        pane = reader.scrollable_content_region
        first, last = rows
        top = pane.y + first - int(reader.scroll_y)
        bottom = pane.y + last - int(reader.scroll_y)
        covered = [
            toast.region
            for toast in self.screen.query("Toast")
            if toast.region.y <= bottom and toast.region.bottom > top
            and toast.region.x < pane.right and toast.region.right > pane.x
        ]  # fmt: skip
        if covered:
            hidden = pane.bottom - min(region.y for region in covered)
            reader.scroll_to_current(keep_clear=max(0, hidden))

    def action_cycle_wrap(self) -> None:
        name = self.reader.cycle_wrap()
        self._update_counter()
        self.notify(f"Wrap: {name} (w for the next)", timeout=2)

    # -- filters, sort, panel ------------------------------------------------------------
    @on(EntityPanel.Toggled)
    def _toggled(self, message: EntityPanel.Toggled) -> None:
        key = (message.field, message.key)
        if key in self.filters:
            del self.filters[key]
        else:
            self.filters[key] = message.name
        self._filters_changed()

    def _filters_changed(self) -> None:
        self.query_one(FilterBar).show_filters(list(self.filters.values()))
        self.run_search()

    # -- corrections (the curation file) ---------------------------------------------------
    @on(EntityPanel.Curate)
    def _curate(self, message: EntityPanel.Curate) -> None:
        field, key, name = message.field, message.key, message.name
        if message.op == "undo":
            self._undo_curation()
        elif message.op == "hide":
            self._write_curation("hide", field, key, None)
        elif message.op == "merge":
            picker = MergePicker(name, self.panel.names(field))
            self.push_screen(picker, lambda into: self._write_curation("merge", field, key, into))
        elif message.op == "rename":
            prompt = TextPrompt(f"Rename {name}", "Show it as:", value=name)
            self.push_screen(prompt, lambda new: self._write_curation("rename", field, key, new))
        elif message.op == "alias":
            prompt = TextPrompt(f"Alias of {name}", "A spelling in the text that means it:")
            self.push_screen(prompt, lambda text: self._write_curation("alias", field, key, text))

    def _write_curation(self, op: str, field: str, key: str, value: str | None) -> None:
        if op != "hide" and not value:
            return  # cancelled
        self._curation_worker(op, field, key, value)

    @work(thread=True, group="curate", exit_on_error=False)
    def _curation_worker(self, op: str, field: str, key: str, value: str | None) -> None:
        # In a thread: the library waits for a search that holds the index.
        try:
            edit = self.index.curate(op, field, key, value)
        except Exception as exc:  # noqa: BLE001 - one line, the app goes on
            self.call_from_thread(self.show_error, _one_line(exc))
            return
        self.call_from_thread(self._curated, edit, op, (field, key), value)

    def _curated(self, edit: Edit, op: str, entity: tuple[str, str], value: str | None) -> None:
        self._edits.append(edit)
        self.notify(f"{edit.message} (u undoes)", title="Curation", timeout=4, markup=False)
        if entity in self.filters and op in ("hide", "merge", "rename"):
            if op == "rename" and value:
                self.filters[entity] = value
            else:
                del self.filters[entity]  # it no longer has files of its own
            self.query_one(FilterBar).show_filters(list(self.filters.values()))
        self.run_search()

    def _undo_curation(self) -> None:
        if not self._edits:
            self.notify("Nothing to undo.", timeout=3)
            return
        self._undo_worker(self._edits.pop())

    @work(thread=True, group="curate", exit_on_error=False)
    def _undo_worker(self, edit: Edit) -> None:
        try:
            self.index.undo_curation(edit)
        except Exception as exc:  # noqa: BLE001 - one line, the app goes on
            self.call_from_thread(self.show_error, _one_line(exc))
            return
        self.call_from_thread(self._undone, edit)

    def _undone(self, edit: Edit) -> None:
        self.notify(f"undone: {edit.message}", title="Curation", timeout=4, markup=False)
        self.run_search()

    def _say_curation_problems(self) -> None:
        problems = self.index.curation_problems
        if problems != self._curation_said:
            self._curation_said = list(problems)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                self.notify(
                    visible(problems[0] + more),
                    title="Curation file",
                    severity="warning",
                    timeout=8,
                    markup=False,
                )

    def action_clear_filters(self) -> None:
        if self._crossed:
            self._crossed = ""
            self._update_counter()
        if self.filters:
            self.filters.clear()
            self._filters_changed()

    def action_toggle_sort(self) -> None:
        """Relevance, oldest first, newest first in turn; browsing has no relevance, so
        there it toggles oldest / newest first."""
        if self.query_text:
            names = list(SORT_NAMES)
            self.sort = names[(names.index(self.sort) + 1) % len(names)]
        else:
            self.browse_sort = "newest" if self.browse_sort == "date" else "date"
        self.notify(f"Sorted: {SORT_NAMES[self.list_sort]}", timeout=2)
        self._title_results()
        self.run_search()

    def action_toggle_panel(self) -> None:
        """Fold or unfold the panel, whichever it is now (narrow terminals fold it by
        themselves); the choice holds until the terminal crosses the narrow line."""
        panel = self.panel
        folding = panel.display
        if folding and self.focused is panel:
            self.reader.focus()
        panel.set_class(folding, "folded")
        panel.set_class(not folding, "shown")

    def action_focus_search(self) -> None:
        # At once, not after the queued keys (as focus() would): "/guangxi" typed fast, or
        # pasted by tmux, must all land in the box.
        self.set_focus(self.search_bar)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search_history(self) -> None:
        self.search_bar.action_search_history()

    def action_query_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(at_query_language=True))

    def action_quit_app(self) -> None:
        # Not Textual's "quit": check_action hides this one in the search box, where q is a
        # letter, and Ctrl+Q (Textual's quit) must keep working there.
        self.exit(return_code=0)

    def action_skipped(self) -> None:
        if not isinstance(self.screen, SkippedScreen):
            self.push_screen(SkippedScreen(self.skipped, self.warnings))

    def _problems_note(self) -> str:
        notes = []
        if self.skipped:
            notes.append(f"{len(self.skipped):,} skipped")
        if self.warnings:
            notes.append(f"{len(self.warnings):,} warned")
        return f" · {', '.join(notes)} (!)" if notes else ""

    def action_focus_results(self) -> None:
        self.results_list.focus()

    def action_focus_reader(self) -> None:
        self.reader.focus()

    def action_screenshot(self) -> None:
        # After a frame: the palette that asked for it must be gone from the picture.
        self.set_timer(0.1, self._save_screenshot)

    def _save_screenshot(self) -> None:
        folder = screenshot_folder()
        try:
            path = self.save_screenshot(path=str(folder))
        except OSError as exc:
            self.notify(
                visible(f"not saved in {folder}: {exc.strerror or exc}"),
                title="Screenshot",
                severity="error",
                markup=False,
            )
            return
        self.notify(visible(f"saved as {path}"), title="Screenshot", markup=False, timeout=6)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keep the footer honest: while typing, letter keys are letters."""
        if action in TYPED_IN_BOX and isinstance(self.focused, SearchBar):
            return False
        # "/" is a priority binding: on another screen (help, the palette's own input) it
        # must reach that screen.
        return not (action == "focus_search" and self.screen.is_modal)

    # -- copy, the editor -----------------------------------------------------------------
    def _place(self) -> tuple[int, int] | None:
        """What y and o act on: the current match; for a match in the title, the text's
        first match; else the first row on screen."""
        reader = self.reader
        if reader.document is None or self.view is None:
            self.notify("No file is open.", timeout=3)
            return None
        current = reader.current_span()
        if current is not None and current[0] == "text":
            return current[1]
        if current is not None and reader.matches:
            return reader.matches[0]
        offset = reader.top_offset() or 0
        return offset, offset

    def _file_path(self, rel: str) -> str:
        return os.path.abspath(os.path.join(self.index.corpus, rel))

    def action_copy_passage(self) -> None:
        place = self._place()
        if place is None or self.view is None:
            return
        doc = self.view.document
        text = quote(
            doc.text, *place, title=doc.title, date=doc.date, date_inferred=doc.date_inferred,
            path=doc.path, first_line=doc.first_line,
        )  # fmt: skip
        self._copy(text, "the passage")

    def action_copy_path(self) -> None:
        if self._place() is not None and self.reader.document is not None:
            self._copy(self._file_path(self.reader.document.path), "the path")

    def _copy(self, text: str, what: str) -> None:
        """To the clipboard by OSC 52 (base64 inside the sequence, which Textual writes);
        ``pasteable`` keeps anything a terminal would obey out of what gets pasted."""
        text = pasteable(text)
        self.copy_to_clipboard(text)
        first = text.split("\n", 1)[0]
        preview = first if len(first) <= 60 else first[:59] + "…"
        self.notify(visible(preview), title=f"Copied {what} (OSC 52)", markup=False, timeout=4)
        if self._tmux_clipboard is None:
            self._tmux_clipboard = tmux_clipboard_setting()
        if self._tmux_clipboard not in (None, "on"):
            self.notify(
                "tmux passes a copy on only with: set -g set-clipboard on "
                f"(it is {self._tmux_clipboard!r})",
                severity="warning", markup=False, timeout=8,
            )  # fmt: skip

    def action_open_in_editor(self) -> None:
        """Hand the terminal to $VISUAL / $EDITOR at the place shown; index the file again
        if it changed."""
        place = self._place()
        if place is None or self.view is None:
            return
        doc = self.view.document
        line, column = line_and_column(doc.text, doc.first_line, place[0])
        path = self._file_path(doc.path)
        try:
            command = editor_command(path, line, column)
        except EditorError as exc:
            self.notify(visible(str(exc)), severity="error", markup=False, timeout=6)
            return
        before = _signature(path)
        try:
            code, failure = self._run_suspended(command.argv)
        except SuspendNotSupported:
            self.notify("This terminal cannot be handed to an editor.", severity="error")
            return
        if failure is not None:
            message = f"cannot run {command.name}: {failure}"
            self.notify(visible(message), severity="error", markup=False, timeout=6)
        elif code:
            message = f"{command.name} exited with status {code}"
            self.notify(visible(message), severity="warning", markup=False)
        elif not command.places_cursor:
            message = f"{command.name} was given the file alone: the match is on line {line}"
            self.notify(visible(message), markup=False, timeout=6)
        if _signature(path) != before:
            self._edited(doc.path)

    def _run_suspended(self, argv: list[str]) -> tuple[int, OSError | None]:
        """Run ``argv`` in the terminal the app hands over; its exit status or why it did
        not start.  Nothing may escape the ``suspend`` block: the app would stay suspended."""
        # Ctrl+C in the editor reaches this process too (the terminal is in cooked mode);
        # a Python handler (not SIG_IGN, which the editor would inherit) keeps it alive.
        previous = signal.signal(signal.SIGINT, lambda _signum, _frame: None)
        try:
            with self.suspend():
                try:
                    return subprocess.call(argv), None
                except OSError as exc:
                    return 127, exc
        finally:
            signal.signal(signal.SIGINT, previous)

    def _edited(self, rel: str) -> None:
        """Show the edited file again at the same match, and index it (an update)."""
        self.notify(visible(f"{rel} changed: indexing it"), markup=False, timeout=3)
        self.open_path(rel, at=self.reader.current if self.reader.current is not None else 0)
        if self.indexing:
            self._reindex = True
        else:
            self.start_indexer(rebuild=False)

    # -- saved searches -------------------------------------------------------------------
    def _current_search(self) -> SavedSearch:
        filters = [(field, key, name) for (field, key), name in self.filters.items()]
        name = " ".join(self.query_text.split())[:80]
        return SavedSearch(name=name, query=self.query_text, sort=self.sort, filters=filters)

    def action_save_search(self) -> None:
        search = self._current_search()
        if not search.query and not search.filters:
            self.notify("Nothing to save: run a query or pick a filter first.", timeout=3)
            return

        def save(name: str | None) -> None:
            if name:
                search.name = name
                self._save_worker(search)

        screen = SaveSearchScreen(describe_saved(search), search.name, self.saved.names())
        self.push_screen(screen, save)

    @work(thread=True, group="state", exit_on_error=False)
    def _save_worker(self, search: SavedSearch) -> None:
        try:
            self.saved.save(search)
        except (OSError, ValueError) as exc:
            self.call_from_thread(self._state_failed, "the saved search", exc)
            return
        self.call_from_thread(
            self.notify, visible(f"Saved search '{search.name}'"), markup=False, timeout=3
        )

    def action_saved_searches(self) -> None:
        if not isinstance(self.screen, SavedSearchesScreen):
            self.push_screen(SavedSearchesScreen(self.saved.searches), self._run_saved)

    def _run_saved(self, search: SavedSearch | None) -> None:
        if search is not None:
            self.run_saved(search)

    def run_saved(self, search: SavedSearch) -> None:
        """Run a saved search: its query in the box, its filters and sort."""
        self.filters = {(field, key): name for field, key, name in search.filters}
        self.sort = search.sort
        self.query_text = search.query.strip()
        self.search_bar.value = search.query
        self.query_one(FilterBar).show_filters(list(self.filters.values()))
        self.remember(search.query)
        self.run_search()
        self.results_list.focus()
        self.notify(visible(f"Saved search '{search.name}'"), markup=False, timeout=2)

    @on(SavedSearchesScreen.Delete)
    def _delete_saved(self, message: SavedSearchesScreen.Delete) -> None:
        self._delete_worker(message.name)

    @work(thread=True, group="state", exit_on_error=False)
    def _delete_worker(self, name: str) -> None:
        try:
            self.saved.delete(name)
        except OSError as exc:
            self.call_from_thread(self._state_failed, "the saved searches", exc)
            return
        self.call_from_thread(
            self.notify, visible(f"Deleted saved search '{name}'"), markup=False, timeout=3
        )

    # -- export ---------------------------------------------------------------------------
    def action_export(self) -> None:
        results = self.results if self.results is not None and self.results.order else None
        view = self.view
        if results is None and view is None:
            self.notify("Nothing to export: run a search or open a file first.", timeout=3)
            return
        words = self.query_text or " ".join(self.filters.values())
        listed = None
        if results is not None:
            listed = f"{count(results.total, 'file')} · {words or '(every file)'}"
        article = view.document.path if view is not None else None
        stem = Path(view.document.path).stem if view is not None else words
        names = (default_name(words, ".csv"), default_name(stem, ".md"))
        header = ExportHeader(
            query=self.query_text,
            sort=SORT_NAMES[self.list_sort],
            total=results.total if results is not None else 0,
            filters=list(self.filters.values()),
        )
        scored = self.list_sort == "relevance" and bool(results and results.marks_words)

        def export(request: ExportRequest | None) -> None:
            if request is None:
                return
            if not request.article and header.total > ResultsList.PAGE:  # seconds, not a blink
                self.notify(f"exporting {count(header.total, 'file')}…", timeout=3)
            self._export_worker(request, results, view, header, scored)

        self.push_screen(ExportScreen(listed, article, names), export)

    @work(thread=True, group="export", exit_on_error=False)
    def _export_worker(
        self,
        request: ExportRequest,
        results: Results | None,
        view: DocumentView | None,
        header: ExportHeader,
        scored: bool,
    ) -> None:
        """Read every hit a page at a time (or take the article), write the file."""
        try:
            suffix = export_format(request.path, article=request.article)
            if request.article:
                assert view is not None
                files = 1
                text = (article_markdown if suffix == ".md" else article_jsonl)(view)
            else:
                assert results is not None and results.order is not None
                hits = list(every_hit(self.index, results.order))
                files = len(hits)
                text = self._results_text(suffix, hits, header, scored)
            write_export(request.path, text, overwrite=request.overwrite)
        except (CorpusBrowserError, OSError) as exc:
            message = f"not exported: {exc}".splitlines()[0]
            self.call_from_thread(
                self.notify, visible(message), title="Export", severity="error", markup=False
            )
            return
        message = f"{count(files, 'file')} to {request.path}"
        self.call_from_thread(
            self.notify, visible(message), title="Exported", markup=False, timeout=6
        )

    def _results_text(
        self, suffix: str, hits: list[Hit], header: ExportHeader, scored: bool
    ) -> str:
        if suffix == ".csv":
            return results_csv(hits, scored)
        if suffix == ".jsonl":
            return results_jsonl(hits)

        return results_markdown(header, hits, lambda hit: self.index.current_text(hit.path))

    def action_rebuild_index(self) -> None:
        self.start_indexer(rebuild=True)

    def action_update_index(self) -> None:
        self.start_indexer(rebuild=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        ours = palette_entries()
        titles = {key.palette for key in ours}
        for command in super().get_system_commands(screen):
            # Textual's "Keys" panel duplicates the help (and Esc does not close it); its
            # "Screenshot" saves to ~/Downloads, which may not exist.
            if command.title not in titles and command.title != "Keys":
                yield command
        for key in ours:
            keys = f" ({', '.join(key.keys)})" if key.keys else ""
            # The method itself, not run_action: the palette may be called from the search
            # box, where check_action hides these actions from the footer.
            callback = _action_method(self, key.action)
            yield SystemCommand(key.palette, key.help[:1].upper() + key.help[1:] + keys, callback)


def _action_method(app: App[int], action: str) -> Callable[[], object]:
    """``"split(1)"`` -> a callable running ``app.action_split(1)``."""
    name, _, args = action.partition("(")
    method = getattr(app, f"action_{name}")
    if not args:
        return method
    values = ast.literal_eval(f"({args.rstrip(')')},)")
    return functools.partial(method, *values)


def screenshot_folder() -> Path:
    """$XDG_PICTURES_DIR when it is a folder, else the current one."""
    pictures = os.environ.get("XDG_PICTURES_DIR")
    if pictures and Path(pictures).is_dir():
        return Path(pictures)
    return Path.cwd()


def _match_number(at: str | int, count: int) -> int | None:
    if not count:
        return None
    if at == "last":
        return count - 1
    return min(at, count - 1) if isinstance(at, int) else 0


def tmux_clipboard_setting() -> str | None:
    """Inside tmux, its ``set-clipboard`` option: anything but ``on`` drops an application's
    OSC 52 (the default, ``external``, keeps the clipboard to tmux's own copy mode)."""
    if not os.environ.get("TMUX"):
        return None
    try:
        done = subprocess.run(
            ["tmux", "show-options", "-gv", "set-clipboard"],
            capture_output=True, text=True, timeout=2, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _signature(path: str) -> tuple[int, int, int] | None:
    """What an editor's save changes (a save by rename changes the inode)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def border_title(text: str) -> Text:
    """A border title from plain text: Textual parses a ``str`` border title as markup, so
    a file name holding ``[link=...]`` or ``[@click=...]`` would be obeyed (or crash it)."""
    return Text(visible(text))


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "no details"
    if isinstance(exc, CorpusBrowserError):
        return text
    return f"{type(exc).__name__}: {text}"


def run_app(index: CorpusIndex, mouse: bool = True) -> int:
    """Run the app on ``index`` until the user quits; the CLI's exit code."""
    # With a database and no folder here (an analyst on another machine), there is
    # nothing to index from: the app only reads.
    app = CorpusBrowserApp(index=index, mouse=mouse, background_index=index.corpus.is_dir())
    app.run(mouse=mouse)
    return app.return_code or 0
