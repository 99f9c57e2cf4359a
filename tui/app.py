"""corpus-browser's Textual app: a thin client of ``search.CorpusIndex``.

Data flows one way: the search bar posts a query, a thread worker runs it, the results list,
side panel and status line are told what to show, and highlighting a result loads it (in
another worker) into the reader.  Indexing runs in a child process (``tui.indexer``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.worker import get_current_worker

from search import (
    CorpusBrowserError,
    CorpusIndex,
    DocumentView,
    Hit,
    IndexMissingError,
    Results,
)
from search.collector import quieten_collector
from search.text import visible
from tui.entity_panel import EntityPanel
from tui.filter_bar import FilterBar
from tui.help_screen import HelpScreen
from tui.indexer import run_indexer
from tui.reader import Reader, ReaderDocument
from tui.results import ResultsList
from tui.search_bar import SearchBar
from tui.status import StatusLine
from tui.wrap import wrap_rows

__all__ = ["SEARCH_LIMIT", "CorpusBrowserApp", "run_app", "summarise", "walk_key"]

SEARCH_LIMIT = 2000  # files listed (and walked by n/N); the status line gives the total
# Browsing lists fewer: OptionList lays out every row up front (about 0.15 ms a row).
BROWSE_LIMIT = 500
HINT = "Type a query, Enter to run it; ? for keys"


def walk_key(hit: Hit) -> tuple[bool, str, str]:
    """Date order, oldest first, undated last: the order n / N go through files."""
    return (hit.date is None, hit.date.isoformat() if hit.date else "", hit.path)


def summarise(results: Results) -> str:
    matches = sum(len(h.matches) for h in results.hits)
    files = f"{results.total} file" + ("" if results.total == 1 else "s")
    if len(results.hits) < results.total:
        files = f"{len(results.hits)} of {results.total} files"
    text = (
        files
        if results.query == "*"
        else f"{matches} match{'' if matches == 1 else 'es'} in {files}"
    )
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

    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("n", "next_match", "Next"),
        Binding("N", "previous_match", "Prev"),
        Binding("s", "toggle_sort", "Sort"),
        Binding("e", "toggle_panel", "Panel"),
        Binding("escape", "clear_filters", "Clear filters", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

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
                from search.cli import SAMPLE_CORPUS

                corpus = SAMPLE_CORPUS
            index = CorpusIndex(Path(corpus), index_dir, full_check=True)
        self.index = index
        self.mouse = mouse
        self.background_index = background_index
        self.animation_level = "none"  # no smooth scrolling: each frame costs bytes over SSH
        self.query_text = ""
        self.sort = "relevance"
        self.filters: dict[tuple[str, str], str] = {}  # (field, key) -> name, in order added
        self.results: Results | None = None
        self.walk: list[Hit] = []  # the hits in date order
        self.view: DocumentView | None = None
        self.indexing = False
        self._check_after_first_search = False
        self._search_seq = 0
        self._open_seq = 0
        self._crossed = ""  # "next"/"previous" after n/N went on to another file
        self._loading: str | None = None  # the path being opened
        self._queued = 0  # n (+1) / N (-1) presses made while a file was opening

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
        yield Footer()

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

    def on_mount(self) -> None:
        self.results_list.border_title = border_title("Results")
        self.panel.border_title = border_title("Officials & provinces")
        self._update_counter()
        self.search_bar.focus()
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

        def progress(done: int, total: int) -> None:
            fraction = done / total if total else 1.0
            status.progress = fraction
            status.index_state = f"indexing {fraction:.0%}"

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
        status.index_state = outcome.message
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

    def run_search(self) -> None:
        """Search in a worker; an empty query browses every file, oldest first."""
        self._search_seq += 1
        query = self.query_text or "*"
        sort = self.sort if self.query_text else "date"
        filters: dict[str, list[str]] = {}
        for field, key in self.filters:
            filters.setdefault(field, []).append(key)
        self.status.error = ""
        self._search_worker(query, sort, filters, self._search_seq)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_worker(
        self, query: str, sort: str, filters: dict[str, list[str]], seq: int
    ) -> None:
        worker = get_current_worker()
        try:
            results = self.index.search(
                query, limit=SEARCH_LIMIT if query != "*" else BROWSE_LIMIT, sort=sort,
                filters=filters, facets=True,
                snippets=False,
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - every failure becomes a one-line message
            if not worker.is_cancelled:
                self.call_from_thread(self._search_failed, seq, exc)
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._show_results, seq, results)

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

    def show_error(self, message: str) -> None:
        self.status.error = message

    def _close_document(self) -> None:
        self._open_seq += 1  # a file still opening is not shown
        self._loading, self._queued = None, 0
        self.view = None
        self.reader.set_document(None)

    def _clear_results(self, summary: str) -> None:
        self.results = None
        self.walk = []
        self.status.summary = summary
        self.results_list.show_hits([])
        self.results_list.border_title = border_title("Results")
        self.panel.show_facets({}, self.filters)
        self.reader.placeholder = HINT
        self._close_document()
        self._update_counter()

    def _show_results(self, seq: int, results: Results) -> None:
        self._first_search_done()
        if seq != self._search_seq:
            return
        self.results = results
        self.walk = sorted(results.hits, key=walk_key)
        self.status.error = ""
        self.status.summary = summarise(results)
        shown = self.reader.document.path if self.reader.document else None
        if self._view_query != self.query_text:
            shown = None  # a new query opens its own top hit; a re-run keeps the place
        listing = self.results_list
        with listing.prevent(OptionList.OptionHighlighted):
            listing.show_hits(results.hits, keep=shown)
        listing.border_title = border_title(
            f"Results · {self.sort}" if self.query_text else "All files · date"
        )
        self.panel.show_facets(results.facets, self.filters)
        if not results.hits:
            self.reader.placeholder = "No file matches this query."
            self._close_document()
            self._update_counter()
            return
        hit = results.hits[listing.highlighted or 0]
        if self.view is not None and hit.path == shown and self._view_query == self.query_text:
            self._apply_mentions()
            self._update_counter()
        else:
            self.open_path(hit.path, at="first")

    # -- opening files -------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#results")
    def _result_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        hits = self.results_list.hits
        if 0 <= event.option_index < len(hits):
            path = hits[event.option_index].path
            if not (self.reader.document and self.reader.document.path == path):
                self._crossed = ""
                self.open_path(path, at="first")

    @on(OptionList.OptionSelected, "#results")
    def _result_selected(self, event: OptionList.OptionSelected) -> None:
        self.reader.focus()

    def open_path(self, path: str, at: str = "first") -> None:
        """Load ``path`` off the event loop; ``at`` is "first" or "last" match."""
        self._open_seq += 1
        self._loading = path
        self.reader.border_title = border_title(f"opening {path}")
        self._load_worker(path, self.query_text, at, self._open_seq, self.reader.text_width)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _load_worker(self, path: str, query: str, at: str, seq: int, width: int) -> None:
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
                boilerplate_start=ext.boilerplate_start,
                captions=[(c.start, c.end) for c in ext.captions],
                warnings=list(view.document.warnings),
            )
            starts, ends = wrap_rows(doc.text, width)
        except FileNotFoundError:
            message = f"{path} is no longer in the corpus"
        except Exception as exc:  # noqa: BLE001
            message = f"{path}: {_one_line(exc)}"
        else:
            if not worker.is_cancelled:
                self.call_from_thread(
                    self._show_document, seq, query, view, doc, (starts, ends, width), at
                )
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
        rows: tuple[list[int], list[int], int],
        at: str,
    ) -> None:
        if seq != self._open_seq:
            return
        self._loading = None
        self.view = view
        self._view_query = query
        doc.mentions = self._mentions(view)
        current = (len(doc.matches) - 1 if at == "last" else 0) if doc.matches else None
        self.reader.set_document(doc, current=current, rows=rows)
        index = self.results_list.index_of(doc.path)
        if index is not None and self.results_list.highlighted != index:
            with self.results_list.prevent(OptionList.OptionHighlighted):
                self.results_list.show_row(index)
                self.results_list.highlighted = index
        self._update_counter()
        self._apply_queued_steps()

    def _mentions(self, view: DocumentView) -> list[tuple[int, int]]:
        return view.document.extraction.mentions_of(self.filters)

    def _apply_mentions(self) -> None:
        if self.view is not None:
            self.reader.set_mentions(self._mentions(self.view))

    _view_query = ""

    # -- walking matches -----------------------------------------------------------------
    def _walk_index(self) -> int | None:
        doc = self.reader.document
        if doc is None:
            return None
        return next((i for i, h in enumerate(self.walk) if h.path == doc.path), None)

    def action_next_match(self) -> None:
        self._step(+1)

    def action_previous_match(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if self._loading is not None:
            self._queued += delta  # applied when the file being opened is shown
            return
        reader = self.reader
        count = len(reader.matches)
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
        if not self.walk:
            self.notify("No matches to walk: run a search first.", timeout=3)
            return
        here = self._walk_index()
        first = 0 if delta > 0 else len(self.walk) - 1
        target_file = first if here is None else here + delta
        if not 0 <= target_file < len(self.walk):
            where = "last match of the last" if delta > 0 else "first match of the first"
            self.notify(f"This is the {where} file (in date order).", timeout=3)
            self.bell()
            return
        hit = self.walk[target_file]
        self._crossed = "next" if delta > 0 else "previous"
        date = hit.date.isoformat() if hit.date else "undated"
        where = f"{target_file + 1}/{len(self.walk)}, {date}"
        self.notify(
            f"{self._crossed.capitalize()} file by date: {where}",
            timeout=2,
            markup=False,
        )
        self.open_path(hit.path, at="first" if delta > 0 else "last")

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
        files = f"file {here + 1}/{len(self.walk)}" if here is not None else "not in the results"
        count = len(reader.matches)
        if count == 0:
            text = f"no matches, {files}" if self.query_text else files
        elif reader.current is None:
            text = f"{count} matches, {files}"
        else:
            text = f"match {reader.current + 1}/{count}, {files}"
        if self._crossed:
            text += f" ({self._crossed} file, by date)"
        return text

    def _update_counter(self) -> None:
        self.reader.border_title = border_title(self.counter_text())

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

    def action_clear_filters(self) -> None:
        if self.filters:
            self.filters.clear()
            self._filters_changed()
        elif self.focused is self.search_bar and self.results_list.hits:
            self.results_list.focus()

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"
        self.notify(f"Sorted by {self.sort}", timeout=2)
        self.run_search()

    def action_toggle_panel(self) -> None:
        panel = self.panel
        folding = not panel.has_class("folded")
        if folding and self.focused is panel:
            self.reader.focus()
        panel.set_class(folding, "folded")

    def action_focus_search(self) -> None:
        self.search_bar.focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_rebuild_index(self) -> None:
        self.start_indexer(rebuild=True)

    def action_update_index(self) -> None:
        self.start_indexer(rebuild=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = [
            ("Search", "Focus the search box (/)", self.action_focus_search),
            ("Next match", "Next match, on to the next file in date order (n)",
             self.action_next_match),
            ("Previous match", "Previous match, back to the previous file (N)",
             self.action_previous_match),
            ("Toggle sort", "Sort results by relevance or by date (s)", self.action_toggle_sort),
            ("Toggle side panel", "Fold or unfold officials and provinces (e)",
             self.action_toggle_panel),
            ("Clear filters", "Remove every side-panel filter (Esc)", self.action_clear_filters),
            ("Focus results", "Move to the results list", self.results_list.focus),
            ("Focus reader", "Move to the reader", self.reader.focus),
            ("Update index", "Pick up added, changed and removed files",
             self.action_update_index),
            ("Rebuild index", "Build the index afresh in the background, swap it in when done",
             self.action_rebuild_index),
            ("Keys", "Show every key (?)", self.action_help),
        ]  # fmt: skip
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)


def border_title(text: str) -> Text:
    """A border title from plain text: Textual parses a ``str`` border title as markup, so
    a file name holding ``[link=...]`` or ``[@click=...]`` would be obeyed (or crash it)."""
    return Text(visible(text))


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, CorpusBrowserError):
        return str(exc)
    text = " ".join(str(exc).split()) or "no details"
    return f"{type(exc).__name__}: {text}"


def run_app(index: CorpusIndex, mouse: bool = True) -> int:
    """Run the app on ``index`` until the user quits; the CLI's exit code."""
    app = CorpusBrowserApp(index=index, mouse=mouse)
    app.run(mouse=mouse)
    return app.return_code or 0
