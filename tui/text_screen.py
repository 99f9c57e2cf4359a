"""A modal screen of text that scrolls: the base of the help and skipped-files screens."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Static

from tui.actions import bindings

__all__ = ["TextScreen"]


class TextScreen(ModalScreen[None]):
    """Shows ``parts()`` in a bordered box titled ``heading``; Esc (or q) closes it."""

    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > VerticalScroll {
        width: 84; max-width: 100%; height: auto; max-height: 100%; overflow-x: hidden;
        border: round $accent; background: $surface; padding: 0 1;
        border-title-align: left; border-subtitle-align: right;
    }
    """

    BINDINGS = bindings("screen")
    heading = ""

    def parts(self) -> list[RenderableType | Widget]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = f"{self.heading} (Esc closes)"
            scroll.border_subtitle = "j k space b scroll"
            # One Static for each run of text between widgets: a widget a line would cost
            # a layout pass each (the help opened in seconds on a loaded machine).
            run: list[RenderableType] = []
            for part in [*self.parts(), None]:
                if isinstance(part, Widget) or part is None:
                    if run:
                        texts = all(isinstance(r, Text) for r in run)
                        yield Static(Text("\n").join(run) if texts else Group(*run))
                        run = []
                    if part is not None:
                        yield part
                else:
                    run.append(part)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_line(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        scroll = self.query_one(VerticalScroll)
        step = max(1, scroll.scrollable_content_region.height - 1)
        scroll.scroll_relative(y=pages * step, animate=False)

    def action_top(self) -> None:
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one(VerticalScroll).scroll_end(animate=False)
