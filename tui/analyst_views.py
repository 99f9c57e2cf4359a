"""The app's side of the analyst views: opening them over the search on screen, what a
choice in them does, and exporting a view's table.  A mixin of ``CorpusBrowserApp``, kept
apart so each view adds its glue here rather than to the app's module."""

from __future__ import annotations

import io
from collections.abc import Callable

from textual import work

from search.errors import CorpusBrowserError
from search.export import Table, default_name, download_name, table_text, write_export
from search.text import count, visible
from search.views.cooccur import Pair
from tui.cooccur_view import CooccurView
from tui.entity_panel import EntityPanel
from tui.export_screen import ExportRequest, ExportScreen
from tui.profile_view import ProfileView
from tui.text_prompt import TextPrompt

__all__ = ["AnalystViews"]


class AnalystViews:
    """``W`` who with where, ``p`` profiles, and E inside them (``self`` is the app)."""

    filters: dict[tuple[str, str], str]

    # The filters before a pair chosen in who-with-where replaced them: Esc goes back.
    _before_pair: dict[tuple[str, str], str] | None = None

    def action_cooccur(self) -> None:
        results = self.results
        if results is None or results.order is None:
            self.notify("No search to count: run one first.", timeout=3)
            return
        filters = list(self.filters.values())
        self.push_screen(CooccurView(self.index, results, filters), self._pair_chosen)

    def _pair_chosen(self, pair: Pair | None) -> None:
        if pair is None:
            return
        if self._before_pair is None:
            self._before_pair = dict(self.filters)
        self.filters[("official", pair.official.key)] = pair.official.name
        self.filters[("province", pair.province.key)] = pair.province.name
        self._filters_changed()
        self.results_list.focus()

    def back_from_pair(self) -> bool:
        """Esc after a pair was chosen: the filters of before (True), else False."""
        if self._before_pair is None:
            return False
        self.filters = self._before_pair
        self._before_pair = None
        self._filters_changed()
        return True

    # -- profiles ------------------------------------------------------------------------
    # By name, not @on: the decorator's handlers are collected only from the app's own class.
    def on_entity_panel_profile_wanted(self, message: EntityPanel.ProfileWanted) -> None:
        self.show_profile(message.field, message.name)

    def action_profile(self) -> None:
        entry = self.panel.highlighted_entry() if self.focused is self.panel else None
        if entry is not None:
            self.show_profile(entry[0], entry[2])
            return
        prompt = TextPrompt(
            "Profile",
            "An official's name, or province: and a province's (province:Guangxi)",
            hint="Enter shows the profile · Esc cancels",
        )
        self.push_screen(prompt, self._profile_asked)

    def _profile_asked(self, text: str | None) -> None:
        if not text:
            return
        field, _, name = text.partition(":")
        if field.strip().casefold() in ("official", "province") and name.strip():
            self.show_profile(field.strip().casefold(), name.strip())
        else:
            self.show_profile("official", text)

    def show_profile(self, field: str, name: str) -> None:
        self.push_screen(ProfileView(self.index, field, name), self._profile_done)

    def _profile_done(self, choice: tuple[str, str, str] | None) -> None:
        if choice is None:
            return
        what, a, b = choice
        if what == "open":
            while len(self.screen_stack) > 1:  # a profile opened from who-with-where
                self.pop_screen()
            self.open_path(a)
            self.reader.focus()
        else:
            self.show_profile(a, b)

    # -- a view's table, exported --------------------------------------------------------
    def export_table(self, table: Table, what: str, words: str) -> None:
        """Ask for a file (the E dialog, its table mode), then write ``table`` to it."""
        described = f"{what} · {count(len(table.rows), 'row')}"
        names = (default_name(words, ".csv"), default_name(words, ".md"))

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self._write_table(request, table)

        self.push_screen(ExportScreen(None, None, names, table=described), chosen)

    @work(thread=True, group="export", exit_on_error=False)
    def _write_table(self, request: ExportRequest, table: Table) -> None:
        def made() -> tuple[str, str]:
            text = table_text(table, request.path.suffix.lower())
            return text, count(len(table.rows), "row")

        self.write_and_say(request, made)

    def write_and_say(self, request: ExportRequest, made: Callable[[], tuple[str, str]]) -> None:
        """In an export's worker: write what ``made()`` gives (the text, and what it holds
        in words) to the requested file, then say so, or say in one line why not."""
        try:
            text, what = made()
            if self.is_web:
                # A browser session: the file goes to the reader's browser as a download,
                # never onto the disk of the machine serving the app.
                name = download_name(request.path)
                self.call_from_thread(self.deliver_text, io.StringIO(text), save_filename=name)
                where = f"your browser's downloads: {name}"
            else:
                write_export(request.path, text, overwrite=request.overwrite)
                where = str(request.path)
        except (CorpusBrowserError, OSError) as exc:
            message = f"not exported: {exc}".splitlines()[0]
            self.call_from_thread(
                self.notify, visible(message), title="Export", severity="error", markup=False
            )
            return
        self.call_from_thread(
            self.notify,
            visible(f"{what} to {where}"),
            title="Exported",
            markup=False,
            timeout=6,
        )
