"""The concordance of a search (keyword in context) and its collocates.

Every match is one ``Line``: the words before it, the match, the words after, read from
the text the reader shows (``CorpusIndex.current_text``), so a line's offsets open the
article at that very match.  ``lines`` streams them hit by hit in the search's order;
sorting by the word left or right of the match needs them all (``sort_lines``).
Widths are terminal cells (rich's ``cell_len``), so Chinese and Vietnamese align.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, get_character_cell_size

from search.export import csv_cell, every_hit
from search.index.facade import CorpusIndex, Hit, HitOrder

__all__ = [
    "CONTEXT",
    "SORTS",
    "Collocate",
    "Collocates",
    "Line",
    "collocates",
    "concordance_csv",
    "fit_left",
    "fit_right",
    "lines",
    "sort_lines",
]

SORTS = ("date", "left", "right")
CONTEXT = 240  # characters kept each side of a match: room for a wide line and a window
_SPACES = re.compile(r"\s+")


@dataclass
class Line:
    path: str
    title: str
    date: datetime.date | None
    field: str  # "title" or "text"
    start: int  # the match's offsets in that field
    end: int
    number: int  # the match's number in its file, as the reader counts (title first)
    left: str  # whitespace runs made one space
    match: str
    right: str

    def to_json(self, width: int | None = None) -> dict[str, Any]:
        return {
            "path": self.path,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "left": fit_left(self.left, width) if width else self.left,
            "match": self.match,
            "right": fit_right(self.right, width) if width else self.right,
        }


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)


def _hit_lines(hit: Hit, text: str) -> Iterator[Line]:
    places = [("title", hit.title, s, e) for s, e in hit.title_matches]
    places += [("text", text, s, e) for s, e in hit.matches]
    for number, (field, source, s, e) in enumerate(places, 1):
        yield Line(
            hit.path, hit.title, hit.date, field, s, e, number,
            _flat(source[max(0, s - CONTEXT) : s]), _flat(source[s:e]),
            _flat(source[e : e + CONTEXT]),
        )  # fmt: skip


# Characters first tried for each word wanted (English averages about 6 with its space);
# doubled while too few words come out of the slice.
_CHARS_PER_WORD = 8


def words_near(index: CorpusIndex, line: Line, side: str, n: int) -> list[tuple[str, str]]:
    """The ``n`` words nearest the match on ``side`` ("left" or "right"), nearest first,
    as (term the index counts, form as written in lower case)."""
    context = line.left if side == "left" else line.right
    size = n * _CHARS_PER_WORD
    while True:
        text = context[-size:] if side == "left" else context[:size]
        found = index.words(text)
        cut = len(text) < len(context)
        if not cut or len(found) > n:
            break
        size *= 2
    if side == "left":
        if cut and found and found[0][0] == 0:
            found = found[1:]  # a word cut by the slice
        found = found[::-1]
    elif cut and found and found[-1][1] == len(text):
        found = found[:-1]
    return [(term, text[s:e].lower()) for s, e, term in found[:n]]


def lines(index: CorpusIndex, order: HitOrder) -> Iterator[Line]:
    """Every match of a search as a line, hit after hit in the list's order (a page of
    hits is read at a time, so the first lines come before the last hit is read)."""
    for hit in every_hit(index, order):
        text = index.current_text(hit.path) if hit.matches else ""
        yield from _hit_lines(hit, text)


def sort_lines(index: CorpusIndex, found: list[Line], by: str) -> list[Line]:
    """``date``: as found (the search's date order); ``left``: by the word just before
    the match, then the one before it...; ``right``: by the words after it."""
    if by not in SORTS:
        raise ValueError(f"unknown sort {by!r}; sorts are {', '.join(SORTS)}")
    if by == "date":
        return list(found)
    keys = {id(line): tuple(t for t, _f in words_near(index, line, by, 3)) for line in found}
    return sorted(found, key=lambda line: keys[id(line)])


def fit_left(text: str, width: int) -> str:
    """The end of ``text`` in at most ``width`` cells (a wide character never halved)."""
    if cell_len(text) <= width:
        return text
    cells, i = 0, len(text)
    while i > 0 and cells + get_character_cell_size(text[i - 1]) <= width:
        i -= 1
        cells += get_character_cell_size(text[i])
    return text[i:]


def fit_right(text: str, width: int) -> str:
    """The start of ``text`` in at most ``width`` cells."""
    if cell_len(text) <= width:
        return text
    cells, i = 0, 0
    while i < len(text) and cells + get_character_cell_size(text[i]) <= width:
        cells += get_character_cell_size(text[i])
        i += 1
    return text[:i]


def concordance_csv(found: Iterable[Line], width: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "date", "title", "field", "start", "end", "left", "match", "right"])
    for line in found:
        writer.writerow(
            [
                csv_cell(line.path),
                line.date.isoformat() if line.date else "",
                csv_cell(line.title),
                line.field,
                line.start,
                line.end,
                csv_cell(fit_left(line.left, width)),
                csv_cell(line.match),
                csv_cell(fit_right(line.right, width)),
            ]
        )
    return out.getvalue()


# -- collocates ----------------------------------------------------------------------------
@dataclass
class Collocate:
    word: str  # the form seen most often in the windows
    term: str  # what the index counts (folded, stemmed)
    observed: int  # occurrences within the window of a match
    corpus: int  # occurrences in every text of the corpus
    expected: float  # occurrences in the windows were the word spread evenly
    log_likelihood: float

    def to_json(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "term": self.term,
            "observed": self.observed,
            "corpus": self.corpus,
            "expected": round(self.expected, 3),
            "log_likelihood": round(self.log_likelihood, 3),
        }


@dataclass
class Collocates:
    window: int
    matches: int  # text matches whose windows were read
    window_words: int
    corpus_words: int
    found: list[Collocate]

    def to_json(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "matches": self.matches,
            "window_words": self.window_words,
            "corpus_words": self.corpus_words,
            "collocates": [c.to_json() for c in self.found],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["word", "term", "observed", "corpus", "expected", "log_likelihood"])
        for c in self.found:
            writer.writerow(
                [csv_cell(c.word), csv_cell(c.term), c.observed, c.corpus,
                 f"{c.expected:.3f}", f"{c.log_likelihood:.3f}"]
            )  # fmt: skip
        return out.getvalue()


def _g2(a: int, window_words: int, total: int, corpus_words: int) -> float:
    """Dunning's log-likelihood of ``a`` of ``window_words`` against the rest of the
    corpus (``total - a`` of ``corpus_words - window_words``)."""
    rest_words = max(corpus_words - window_words, 1)
    c = max(total - a, 0)
    g = 0.0
    for observed, size in ((a, window_words), (c, rest_words)):
        expected = size * (a + c) / (window_words + rest_words)
        if observed:
            g += observed * math.log(observed / expected)
    return 2 * g


def collocates(
    index: CorpusIndex, found: Iterable[Line], window: int = 5, top: int = 50, min_count: int = 2
) -> Collocates:
    """The words most over-represented within ``window`` words of the text matches:
    ranked by log-likelihood against the whole corpus, over-represented only, seen at
    least ``min_count`` times.  Title matches are left out (the corpus counts are of texts)."""
    counts: Counter[str] = Counter()
    forms: Counter[tuple[str, str]] = Counter()
    matches = 0
    for line in found:
        if line.field != "text":
            continue
        matches += 1
        for side in ("left", "right"):
            for term, form in words_near(index, line, side, window):
                counts[term] += 1
                forms[term, form] += 1
    shown: dict[str, str] = {}
    for (term, form), _n in sorted(forms.items(), key=lambda item: -item[1]):
        shown.setdefault(term, form)  # the form seen most often
    window_words = sum(counts.values())
    totals, corpus_words = index.word_totals(t for t, n in counts.items() if n >= min_count)
    out = []
    for term, total in totals.items():
        a = counts[term]
        total = max(total, a)  # a file edited since it was indexed may hold more
        expected = window_words * total / corpus_words if corpus_words else 0.0
        if a <= expected:
            continue
        word = shown[term]
        out.append(
            Collocate(word, term, a, total, expected, _g2(a, window_words, total, corpus_words))
        )
    out.sort(key=lambda c: (-c.log_likelihood, c.term))
    return Collocates(window, matches, window_words, corpus_words, out[:top])
