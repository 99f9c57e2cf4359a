"""The Whoosh engine's parsed query turned into the product's query tree, for the parity
tests of the PostgreSQL engine until the parser gives the tree itself."""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.util.times import long_to_datetime

from search.query import tree as T

_EXACT = {"title_exact": "title", "body_exact": "body"}


def _field(name: str) -> tuple[str, bool]:
    """(tree field, over stems) of a Whoosh field name."""
    if name in _EXACT:
        return _EXACT[name], False
    return name, name in ("title", "body")


def to_tree(q: Any) -> T.Node:
    boost = getattr(q, "boost", 1.0)
    if isinstance(q, wq.Every):
        return T.Every(q.fieldname or None, boost)
    if isinstance(q, wq.DateRange):
        return T.DateRange(q.startdate, q.enddate, q.startexcl, q.endexcl, boost)
    if isinstance(q, wq.NumericRange) and q.fieldname == "date":
        start = long_to_datetime(q.start) if q.start is not None else None
        end = long_to_datetime(q.end) if q.end is not None else None
        return T.DateRange(start, end, q.startexcl, q.endexcl, boost)
    if isinstance(q, wq.FuzzyTerm):
        field, _ = _field(q.fieldname)
        return T.Fuzzy(field, q.text, q.maxdist, q.prefixlength, boost)
    if isinstance(q, wq.Prefix):
        field, stemmed = _field(q.fieldname)
        return T.Prefix(field, q.text, boost, stemmed=stemmed)
    if isinstance(q, wq.Wildcard):
        field, stemmed = _field(q.fieldname)
        return T.Wildcard(field, q.text, boost, stemmed=stemmed)
    if isinstance(q, wq.TermRange):
        field, stemmed = _field(q.fieldname)
        return T.WordRange(field, q.start, q.end, q.startexcl, q.endexcl, boost, stemmed=stemmed)
    if isinstance(q, wq.Term):
        if q.fieldname in ("official", "province"):
            return T.Entity(q.fieldname, q.text, boost)
        return T.Term(q.fieldname, q.text, boost)
    if isinstance(q, wq.Phrase):
        return T.Phrase(q.fieldname, tuple(q.words), q.slop, boost)
    if isinstance(q, wq.AndNot):
        return T.AndNot(to_tree(q.a), to_tree(q.b), boost)
    if isinstance(q, wq.AndMaybe):
        return T.AndMaybe(to_tree(q.a), to_tree(q.b), boost)
    if isinstance(q, wq.Not):
        return T.Not(to_tree(q.query), boost)
    if isinstance(q, wq.And):
        return T.And(tuple(map(to_tree, q.subqueries)), boost)
    if isinstance(q, wq.Or):
        return T.Or(tuple(map(to_tree, q.subqueries)), boost)
    raise TypeError(f"no tree for {q!r}")


def highlights(parsed: Any) -> list[T.Highlight]:
    out = []
    for h in parsed.highlights:
        node = to_tree(h.query) if h.query is not None else None
        out.append(T.Highlight(h.kind, tuple(h.words), node, h.field))
    return out
