"""The ``p`` view: an official's or a province's profile, as one list.

Sections: titles with the first and last date of each (an official's), the provinces or
officials most often with it, articles per month as bars, then its articles, newest first.
Enter on an article opens it in the reader; on a province or an official, its profile.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from search import CorpusBrowserError, CorpusIndex, Hit
from search.text import count, visible
from search.views.profile import Profile, month_rows, profile
from tui.actions import bindings

__all__ = ["ProfileView"]

ASSOCIATED = 30  # provinces or officials listed; the export writes them all
ARTICLES = 500  # articles listed
BAR = 30  # cells of the longest month's bar


class ProfileView(ModalScreen[tuple[str, str, str] | None]):
    """Dismissed with ("open", path, "") or ("profile", field, name), or None."""

    DEFAULT_CSS = """
    ProfileView { align: center top; }
    ProfileView > Vertical {
        width: 100%; height: 100%; border: round $accent; background: $surface; padding: 0 1;
        border-title-align: left;
    }
    ProfileView #pr-head { height: auto; }
    ProfileView OptionList, ProfileView OptionList:focus {
        height: 1fr; border: none; padding: 0; background: $surface;
    }
    ProfileView OptionList > .option-list--option-disabled { color: $text; text-style: bold; }
    """

    BINDINGS = bindings("views")

    def __init__(self, index: CorpusIndex, fieldname: str, name: str) -> None:
        super().__init__()
        self.index = index
        self.fieldname = fieldname
        self.name_asked = name
        self.found: Profile | None = None
        self.articles: list[Hit] = []
        self._targets: dict[str, tuple[str, str, str]] = {}

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(visible(f"Profile · {self.name_asked}"))
            yield Static(Text("reading…"), id="pr-head")
            yield OptionList(id="pr-rows")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        try:
            found = profile(self.index, self.fieldname, self.name_asked)
            assert found.order is not None
            articles = self.index.hits(found.order, 0, ARTICLES)
        except CorpusBrowserError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.show, found, articles)

    def _failed(self, message: str) -> None:
        self.query_one("#pr-head", Static).update(Text(visible(message), style="bold"))

    def on_resize(self) -> None:
        if self.found is not None:
            self.show(self.found, self.articles)

    def show(self, found: Profile, articles: list[Hit]) -> None:
        self.found, self.articles = found, articles
        e = found.entity
        self.query_one(Vertical).border_title = Text(visible(f"Profile · {e.name}"))
        head = Text(visible(e.name), style="bold")
        if e.detail:
            head.append(f"  {visible(e.detail)}", style="dim")
        head.append(f"\n{count(e.count, 'file')} · {visible(found.query)}")
        self.query_one("#pr-head", Static).update(head)
        rows = self.query_one(OptionList)
        rows.clear_options()
        rows.add_options(self._rows(found, articles))
        first = next(
            (i for i in range(rows.option_count) if not rows.get_option_at_index(i).disabled), None
        )
        rows.highlighted = first

    def _rows(self, found: Profile, articles: list[Hit]) -> list[Option]:
        out: list[Option] = []
        self._targets = {}

        def heading(text: str) -> None:
            out.append(Option(Text(text), disabled=True))

        # One row each, cut to the list's width (a scroll bar may take a column).
        width = max(20, self.query_one(OptionList).size.width - 2)

        def entry(text: Text, target: tuple[str, str, str] | None) -> None:
            text.truncate(width, overflow="ellipsis")
            option_id = f"row-{len(out)}"
            if target is not None:
                self._targets[option_id] = target
            out.append(Option(text, id=option_id))

        if found.field == "official":
            heading(f"Titles ({len(found.titles):,}), first .. last file")
            for t in found.titles:
                span = f"{_day(t.first)} .. {_day(t.last)}"
                entry(Text(f"  {span:<24} {t.articles:>5,}  ") + Text(visible(t.title)), None)
        other = found.other
        heading(
            f"{'Provinces' if other == 'province' else 'Officials'} ({len(found.associated):,})"
        )
        for f in found.associated[:ASSOCIATED]:
            row = Text(f"  {f.count:>5,}  ") + Text(visible(f.name), style="bold")
            if f.detail:
                row.append(f"  {visible(f.detail)}", style="dim")
            entry(row, ("profile", other, f.name))
        if len(found.associated) > ASSOCIATED:
            heading(f"  … {len(found.associated) - ASSOCIATED:,} more: E exports them all")
        heading("Files per month")
        top = max((n for _m, n in found.months), default=0)
        for month, n in month_rows(found.months):
            bar = "█" * (max(1, round(BAR * n / top)) if n and top else 0)
            entry(Text(f"  {month:<18} {n:>5,}  {bar}"), None)
        if found.undated:
            entry(Text(f"  {'undated':<18} {found.undated:>5,}"), None)
        heading(f"Files ({found.entity.count:,}), newest first")
        for h in articles:
            row = Text(f"  {_day(h.date):<10}  ") + Text(visible(h.title or h.path))
            entry(row, ("open", h.path, ""))
        if found.entity.count > len(articles):
            heading(f"  … {found.entity.count - len(articles):,} more: E exports them all")
        return out

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._targets.get(event.option.id or "")
        if target is not None:
            self.dismiss(target)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_profile(self) -> None:
        self.app.bell()  # already one; Enter on a name opens its own

    def action_export(self) -> None:
        if self.found is None:
            self.notify("Still reading: export in a moment.", timeout=3)
            return
        found = self.found
        self._export(found)

    @work(thread=True, exclusive=True, group="profile-export", exit_on_error=False)
    def _export(self, found: Profile) -> None:
        from search.export import every_hit

        assert found.order is not None
        try:
            articles: list[Any] = list(every_hit(self.index, found.order))
        except CorpusBrowserError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        table = found.to_table(articles)
        self.app.call_from_thread(
            self.app.export_table,  # type: ignore[attr-defined]
            table,
            f"profile of {found.entity.name}",
            found.entity.name,
        )


def _day(day: Any) -> str:
    return day.isoformat() if day else "undated"
