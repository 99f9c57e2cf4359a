"""The ``E`` dialog: what to export (the results list or the article) and to which file.

The extension picks the format (``search.export.FORMATS``).  Enter writes; on a file that
exists, the first Enter says so and a second one replaces it.  Esc cancels.  In a browser
session (``corpus-browser serve``) Enter downloads the file to the browser instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioButton, RadioSet, Static

from search.export import FORMATS, ExportError, export_format
from search.text import visible
from tui.dialog import Dialog

__all__ = ["ExportRequest", "ExportScreen"]


@dataclass(frozen=True)
class ExportRequest:
    path: Path
    article: bool  # the article in the reader, else the results list
    overwrite: bool


class ExportScreen(Dialog[ExportRequest | None]):
    """Dismissed with an ``ExportRequest``, or None."""

    DEFAULT_CSS = """
    ExportScreen RadioSet, ExportScreen RadioSet:focus {
        border: none; padding: 0; width: 100%; height: auto; background: $surface;
    }
    """

    def __init__(
        self,
        results: str | None,
        article: str | None,
        names: tuple[str, str],
        table: str | None = None,
    ) -> None:
        """``results`` / ``article``: what each choice is, in words (None: nothing to
        export); ``names``: the default file names for each.  ``table``: a view's table
        instead (what it is, in words), no choice; written to ``names[0]``."""
        super().__init__()
        self.results = results
        self.article = article
        self.names = names
        self.table = table
        self._confirmed: Path | None = None  # the existing file a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            writes = "downloads" if self.app.is_web else "writes"
            box.border_title = f"Export (Enter {writes}, Esc cancels)"
            if self.table is not None:
                yield Static(Text(visible(self.table)), id="what")
            with RadioSet(id="what-choice") as choice:
                choice.display = self.table is None
                yield RadioButton(
                    Text(visible(f"Results list: {self.results or 'no search'}")),
                    value=self.results is not None,
                    disabled=self.results is None,
                    id="export-results",
                )
                yield RadioButton(
                    Text(visible(f"Article: {self.article or 'no file open'}")),
                    value=self.results is None,
                    disabled=self.article is None,
                    id="export-article",
                )
            path = Input(value=self._default(), placeholder="file (.csv .jsonl .md)", id="path")
            path.cursor_blink = False  # each blink is a repaint sent over SSH
            yield path
            formats = ", ".join(f"{ext} {name}" for ext, name in FORMATS.items())
            yield Static(Text(f"the extension picks the format: {formats}"), classes="what")
            yield Static(Text(""), id="note")

    @property
    def wants_article(self) -> bool:
        return self.table is None and self.query_one("#export-article", RadioButton).value

    def _default(self) -> str:
        return self.names[1] if self.results is None and self.table is None else self.names[0]

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        box = self.query_one(Input)
        if box.value in self.names:  # still a default: follow the choice
            box.value = self.names[1] if self.wants_article else self.names[0]
        self._note("")
        box.focus()  # chosen: back to the file name, where Enter writes

    def on_input_changed(self, event: Input.Changed) -> None:
        self._confirmed = None
        self._note("")

    def _note(self, text: str) -> None:
        self.query_one("#note", Static).update(Text(visible(text), style="bold"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.app.bell()
            return
        path = Path(value).expanduser().absolute()
        try:
            export_format(path, article=self.wants_article)
        except ExportError as exc:
            self._note(str(exc))
            self.app.bell()
            return
        if self.app.is_web:  # a download: the serving machine's files do not matter
            self.dismiss(ExportRequest(path, self.wants_article, overwrite=False))
            return
        if path.is_dir():
            self._note(f"{path} is a folder: add a file name")
            self.app.bell()
            return
        exists = path.exists()
        if exists and path != self._confirmed:
            self._confirmed = path
            self._note(f"{path} exists: Enter again replaces it")
            return
        self.dismiss(ExportRequest(path, self.wants_article, overwrite=exists))
