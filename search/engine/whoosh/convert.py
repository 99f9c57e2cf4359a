"""The product's query tree as a Whoosh query, with bounded expansions.

The same node always gives the same Whoosh object (a small cache): a wildcard's expansion
is kept on its object per reader, and the checks, the matchers and the highlighter all ask
for it.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from whoosh import query as wq
from whoosh.util.times import datetime_to_long

from search.engine.whoosh.expansion import (
    BoundedPrefix,
    BoundedTermRange,
    BoundedWildcard,
    FastFuzzyTerm,
)
from search.engine.whoosh.schema import EXACT_FIELD
from search.query import tree

__all__ = ["whoosh_query"]

# Fields whose terms are words (UTF-8), so the lexicon reader can expand over them.
_WORD_FIELDS = set(tree.WORD_FIELDS) | set(EXACT_FIELD.values())


@lru_cache(maxsize=512)
def whoosh_query(node: tree.Node) -> wq.Query:
    """``node`` as Whoosh's query over this engine's schema."""
    boost = node.boost
    if isinstance(node, tree.Term):
        return wq.Term(node.field, node.word, boost=boost)
    if isinstance(node, tree.Entity):
        return wq.Term(node.field, node.key, boost=boost)
    if isinstance(node, tree.Phrase):
        return wq.Phrase(node.field, list(node.words), slop=node.slop, boost=boost)
    if isinstance(node, (tree.Prefix, tree.Wildcard, tree.Fuzzy, tree.WordRange)):
        return _expanding(node)
    if isinstance(node, tree.DateRange):
        start, end = _ticks(node.start), _ticks(node.end)
        return wq.NumericRange("date", start, end, node.start_excl, node.end_excl, boost=boost)
    if isinstance(node, tree.Every):
        return wq.Every(node.field, boost=boost)
    if isinstance(node, tree.And):
        return wq.And([whoosh_query(sub) for sub in node.children], boost=boost)
    if isinstance(node, tree.Or):
        return wq.Or([whoosh_query(sub) for sub in node.children], boost=boost)
    if isinstance(node, tree.Not):
        return wq.Not(whoosh_query(node.child), boost=boost)
    if isinstance(node, tree.AndNot):
        return _binary(wq.AndNot, node.positive, node.negative, boost)
    if isinstance(node, tree.AndMaybe):
        return _binary(wq.AndMaybe, node.required, node.optional, boost)
    raise TypeError(f"not a query node: {node!r}")


def _expanding(node: tree.Node) -> wq.Query:
    field = node.field
    if field in EXACT_FIELD and not node.stemmed:
        field = EXACT_FIELD[field]
    bounded = field in _WORD_FIELDS
    boost = node.boost
    if isinstance(node, tree.Prefix):
        return (BoundedPrefix if bounded else wq.Prefix)(field, node.prefix, boost=boost)
    if isinstance(node, tree.Wildcard):
        return (BoundedWildcard if bounded else wq.Wildcard)(field, node.pattern, boost=boost)
    if isinstance(node, tree.Fuzzy):
        fuzzy = FastFuzzyTerm if bounded else wq.FuzzyTerm
        return fuzzy(field, node.word, boost, node.distance, node.prefix_length)
    ranged = BoundedTermRange if bounded else wq.TermRange
    return ranged(field, node.start, node.end, node.start_excl, node.end_excl, boost=boost)


def _binary(kind: type, a: tree.Node, b: tree.Node, boost: float) -> wq.Query:
    made = kind(whoosh_query(a), whoosh_query(b))
    if boost != 1.0:
        made.boost = boost
    return made


def _ticks(when: datetime.datetime | None) -> int | None:
    return None if when is None else datetime_to_long(when)
