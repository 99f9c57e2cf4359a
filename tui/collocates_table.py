"""The collocates of the concordance: one row a word, most over-represented first, with
how often it stands near a match, how often in the whole corpus, and its log-likelihood."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from search.text import visible
from search.views.concordance import Collocates, fit_right
from tui.row_list import RowList

__all__ = ["CollocatesTable", "HEADER"]

HEADER = f"{'word':<24}{'near':>9}{'corpus':>11}{'log-lik.':>11}"


class CollocatesTable(RowList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.collocates: Collocates | None = None

    def show(self, found: Collocates) -> None:
        self.collocates = found
        self.set_count(len(found.found))

    def row(self, index: int, width: int) -> Text:
        assert self.collocates is not None
        c = self.collocates.found[index]
        word = fit_right(visible(c.word), 23)
        text = Text(no_wrap=True)
        text.append(word + " " * (24 - cell_len(word)), style="bold")
        text.append(f"{c.observed:>9,}{c.corpus:>11,}{c.log_likelihood:>11.1f}")
        return text
