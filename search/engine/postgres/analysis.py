"""A document's words as this engine stores them, analysed by the product's own analyzers.

PostgreSQL's text search has its own parser, stemmer and accent folding; using them would
give other hit sets than the Whoosh engine.  So the analysis runs here, in Python, with the
same tokens and terms the Whoosh index is built from (``search.postings``), and the
database stores only terms: the stemmed words with their positions, the unstemmed words
and the entity keys, per field.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from search.engine.whoosh.postings import _tokens
from search.engine.whoosh.schema import EXACT, STEMMED


class Analysed(NamedTuple):
    """One text's terms: stemmed term -> positions, and the set of unstemmed words."""

    stemmed: dict[str, list[int]]
    exact: set[str]
    length: int


class Token(NamedTuple):
    pos: int
    start: int
    end: int
    stem: str
    word: str


def tokens(text: str) -> list[Token]:
    """Every token of ``text`` with its position, character span, term and word."""
    fast = _tokens(text)
    if fast is not None:
        return [
            Token(i, s, e, st.decode("utf-8"), ex.decode("utf-8"))
            for i, (ex, st, s, e) in enumerate(zip(*fast, strict=True))
        ]
    # A word the fast path cannot take alone: Whoosh's analyzer chain, as the index does.
    words = [t.text for t in EXACT(text, mode="index")]
    stems = STEMMED(text, positions=True, chars=True, mode="index")
    return [
        Token(t.pos, t.startchar, t.endchar, t.text, w) for t, w in zip(stems, words, strict=False)
    ]


def analyse(text: str) -> Analysed:
    stemmed: dict[str, list[int]] = {}
    exact: set[str] = set()
    toks = tokens(text)
    for tok in toks:
        found = stemmed.get(tok.stem)
        if found is None:
            stemmed[tok.stem] = [tok.pos]
        else:
            found.append(tok.pos)
        exact.add(tok.word)
    return Analysed(stemmed, exact, len(toks))


def analysed_fields(title: str, body: str) -> dict[str, Any]:
    """The term fields of one document (see ``tables``): b/t with positions, B/T without."""
    title_terms, body_terms = analyse(title), analyse(body)
    return {
        "b": body_terms.stemmed,
        "t": title_terms.stemmed,
        "B": body_terms.exact,
        "T": title_terms.exact,
        "body_len": body_terms.length,
        "title_len": title_terms.length,
    }


def stem_of(word: str) -> str | None:
    """The stemmed term of one unstemmed word (None if it is not one token)."""
    terms = [t.text for t in STEMMED(word, mode="index")]
    return terms[0] if len(terms) == 1 else None


def word_of(written: str) -> str:
    """A word as the unstemmed field holds it (folded), from its form in the text."""
    terms = [t.text for t in EXACT(written, mode="index")]
    return terms[0] if terms else ""


def occurrences(text: str, stems: set[str]) -> dict[str, list[tuple[int, int, int]]]:
    """(position, start, end) of each token of ``text`` whose term is one of ``stems``:
    what match spans need, without an object per token of a long text."""
    found: dict[str, list[tuple[int, int, int]]] = {}
    fast = _tokens(text)
    if fast is None:
        for tok in tokens(text):
            if tok.stem in stems:
                found.setdefault(tok.stem, []).append((tok.pos, tok.start, tok.end))
        return found
    wanted = {s.encode("utf-8"): s for s in stems}
    _exact, stemmed, starts, ends = fast
    for pos, term in enumerate(stemmed):
        stem = wanted.get(term)
        if stem is not None:
            found.setdefault(stem, []).append((pos, starts[pos], ends[pos]))
    return found
