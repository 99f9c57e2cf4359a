"""The ``W`` view: who with where, over the hits of the search on screen.

The article counts come first (the index's columns, tens of milliseconds on Reuters); the
paragraph counts follow when the texts of the articles with both have been read.  Enter on
a pair dismisses the view with it: the app filters the search by both.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from search import CorpusBrowserError, CorpusIndex, Results
from search.text import count, visible
from search.views.cooccur import Cooccurrence, Pair, matrix_lines, of_results, with_paragraphs
from tui.actions import bindings

__all__ = ["CooccurView"]

SHOWN = 2000  # pairs listed; the export writes them all


class CooccurView(ModalScreen[Pair | None]):
    """Dismissed with the pair to filter by, or None."""

    DEFAULT_CSS = """
    CooccurView { align: center top; }
    CooccurView > Vertical {
        width: 100%; height: 100%; border: round $accent; background: $surface; padding: 0 1;
        border-title-align: left;
    }
    CooccurView Static { height: auto; }
    CooccurView #co-matrix { margin: 1 0; }
    CooccurView OptionList, CooccurView OptionList:focus {
        height: 1fr; border: none; padding: 0; background: $surface;
    }
    """

    BINDINGS = bindings("views")

    def __init__(self, index: CorpusIndex, results: Results, filters: list[str]) -> None:
        super().__init__()
        self.index = index
        self.results = results
        self.filter_names = filters
        self.found: Cooccurrence | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(visible(f"Who with where · {self._what()}"))
            yield Static(Text("counting…"), id="co-head")
            yield Static(Text(""), id="co-matrix")
            yield Static(Text(f"{'files':>6} {'paras':>6}  official · province", style="bold"))
            yield OptionList(id="co-pairs")
        yield Footer(compact=True, show_command_palette=False)

    def _what(self) -> str:
        words = self.results.query.strip()
        words = "every file" if words in ("", "*") else words
        return " + ".join([words, *self.filter_names])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._count()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _count(self) -> None:
        try:
            found = of_results(self.index, self.results, self.filter_names)
            self.app.call_from_thread(self.show, found)
            self.app.call_from_thread(self.show, with_paragraphs(self.index, found))
        except CorpusBrowserError as exc:
            self.app.call_from_thread(self._failed, str(exc))

    def _failed(self, message: str) -> None:
        self.query_one("#co-head", Static).update(Text(visible(message), style="bold"))

    def on_resize(self) -> None:
        if self.found is not None:
            self._draw_matrix(self.found)

    def show(self, found: Cooccurrence) -> None:
        """Draw ``found`` (again when its paragraphs are counted), keeping the cursor."""
        self.found = found
        head = Text(
            f"{count(found.total, 'file')} · {found.both:,} with an official and a province"
            f" · {count(len(found.pairs), 'pair')}"
        )
        if not found.paragraphs_counted:
            head.append(" · counting paragraphs…", style="italic")
        elif found.paragraph_files < found.both:
            head.append(f" · paragraphs in the first {found.paragraph_files:,}")
        if found.complete_above:
            head.append(f" · every pair in over {found.complete_above:,} files")
        head.append("\nfiles/paragraphs together; Enter on a pair filters the search by both",
                    style="dim")  # fmt: skip
        self.query_one("#co-head", Static).update(head)
        self._draw_matrix(found)
        pairs = self.query_one(OptionList)
        keep = pairs.highlighted
        pairs.clear_options()
        pairs.add_options([self._option(p, i) for i, p in enumerate(found.pairs[:SHOWN])])
        if len(found.pairs) > SHOWN:
            more = f"… {len(found.pairs) - SHOWN:,} more: E exports them all"
            pairs.add_option(Option(Text(more, style="dim"), disabled=True))
        if found.pairs:
            pairs.highlighted = min(keep or 0, len(found.pairs[:SHOWN]) - 1)

    def _draw_matrix(self, found: Cooccurrence) -> None:
        width = max(40, self.size.width - 4)
        lines = matrix_lines(found, width)
        if not lines:
            self.query_one("#co-matrix", Static).update(Text("no official with a province"))
            return
        text = Text("\n".join(lines))
        text.stylize("bold", 0, len(lines[0]))
        self.query_one("#co-matrix", Static).update(text)

    def _option(self, pair: Pair, index: int) -> Option:
        paragraphs = (
            f"{pair.paragraphs:>6,}" if self.found and self.found.paragraphs_counted else "     …"
        )
        row = Text(f"{pair.articles:>6,} {paragraphs}  ")
        row.append(visible(pair.official.name), style="bold")
        row.append(" · ")
        row.append(visible(pair.province.name))
        return Option(row, id=f"pair-{index}")

    def _pair(self) -> Pair | None:
        pairs = self.query_one(OptionList)
        if self.found is None or pairs.highlighted is None:
            return None
        if pairs.highlighted >= len(self.found.pairs[:SHOWN]):
            return None
        return self.found.pairs[pairs.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        pair = self._pair()
        if pair is not None:
            self.dismiss(pair)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_profile(self) -> None:
        pair = self._pair()
        if pair is not None:
            self.app.show_profile("official", pair.official.name)  # type: ignore[attr-defined]

    def action_export(self) -> None:
        if self.found is None or not self.found.paragraphs_counted:
            self.notify("Still counting: export in a moment.", timeout=3)
            return
        self.app.export_table(  # type: ignore[attr-defined]
            self.found.to_table(), f"who with where · {self._what()}", self._what()
        )
