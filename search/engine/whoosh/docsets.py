"""Every document a query matches, as a set of docnums, without scoring.

The side panel, the hit count and the date range need all matching documents, not the
best ten.  Whoosh's ``docs_for_query`` walks a tree of matchers one document at a time in
Python (40 ms for a 15,000-hit word on Reuters, plus as much again to count the hits).
Words, AND, OR and NOT are set algebra over posting lists instead: each list is read once,
segment by segment, and combined in C.  Anything else (phrases, ranges, wildcards) is
handed to Whoosh, so the answer is always exactly what Whoosh's ``search`` finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

__all__ = ["matching_docs", "posting_ids"]


def matching_docs(
    searcher: Searcher, q: wq.Query, date_ticks: Sequence[int | None] | None = None
) -> set[int]:
    """The live docnums ``q`` matches in ``searcher``'s reader.

    ``date_ticks`` is the ``date`` column by docnum (None: undated); with it a date range
    is a scan of a list instead of Whoosh's walk over its numeric trie terms.
    """
    return _Evaluator(searcher, date_ticks).docs(q)


def _by_sets(q: wq.Query, with_dates: bool) -> bool:
    """Whether the evaluator works out this node itself (else Whoosh's matchers do)."""
    kind = type(q)
    if q is wq.NullQuery or kind in (wq.Term, wq.And, wq.Not, wq.AndNot):
        return True
    if kind is wq.Or:
        return not q.minmatch
    if kind is wq.Every:
        return not q.fieldname
    if kind is wq.NumericRange:
        return with_dates and q.fieldname == "date"
    return False


def needs_matchers(q: wq.Query) -> bool:
    """Whether some part of ``q`` (a phrase, a wildcard...) must run Whoosh's matchers
    (when ``matching_docs`` is given the date column)."""
    return not _by_sets(q, with_dates=True) or any(needs_matchers(sub) for sub in q.children())


def scoring_part(q: wq.Query) -> wq.Query | None:
    """``q`` without the date ranges that only narrow it (None: nothing left to rank by).

    A date range scores every document alike, so ranking by the rest among the documents
    ``matching_docs`` found gives the same order, without Whoosh expanding the range.
    """
    if isinstance(q, wq.NumericRange):
        return None
    if type(q) is wq.And:
        rest = [sub for sub in q.subqueries if not isinstance(sub, wq.NumericRange)]
        if not rest or all(type(sub) is wq.Not for sub in rest):
            return None
        return rest[0] if len(rest) == 1 else wq.And(rest, boost=q.boost)
    return q


class _Evaluator:
    def __init__(self, searcher: Searcher, date_ticks: Sequence[int | None] | None) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.date_ticks = date_ticks
        self._live: set[int] | None = None

    def live(self) -> set[int]:
        if self._live is None:
            reader = self.reader
            if reader.has_deletions():
                self._live = set(reader.all_doc_ids())
            else:
                self._live = set(range(reader.doc_count_all()))
        return self._live

    def docs(self, q: wq.Query) -> set[int]:
        if not _by_sets(q, with_dates=self.date_ticks is not None):
            found = set(self.searcher.docs_for_query(q))
            # docs_for_query can yield deleted documents (under a Not, for one).
            return found & self.live() if self.reader.has_deletions() else found
        kind = type(q)
        if q is wq.NullQuery:
            return set()
        if kind is wq.Term:
            return self._term(q.fieldname, q.text)
        if kind is wq.Every:
            return set(self.live())
        if kind is wq.Or:
            out: set[int] = set()
            for sub in q.subqueries:
                out |= self.docs(sub)
            return out
        if kind is wq.And:
            return self._and(q.subqueries)
        if kind is wq.Not:
            return self.live() - self.docs(q.query)
        if kind is wq.AndNot:
            return self.docs(q.a) - self.docs(q.b)
        return self._date_range(q)

    def _and(self, subqueries: list[wq.Query]) -> set[int]:
        wanted = [s for s in subqueries if type(s) is not wq.Not]
        unwanted = [s.query for s in subqueries if type(s) is wq.Not]
        if not wanted:
            out = set(self.live())
        else:
            sets = sorted((self.docs(s) for s in wanted), key=len)
            out = sets[0].intersection(*sets[1:])
        for sub in unwanted:
            if not out:
                break
            out -= self.docs(sub)
        return out

    def _date_range(self, q: wq.NumericRange) -> set[int]:
        lo = float("-inf") if q.start is None else q.start + (1 if q.startexcl else 0)
        hi = float("inf") if q.end is None else q.end - (1 if q.endexcl else 0)
        found = {d for d, t in enumerate(self.date_ticks or ()) if t is not None and lo <= t <= hi}
        return found & self.live() if self.reader.has_deletions() else found

    def _term(self, fieldname: str, text: str | bytes) -> set[int]:
        schema = self.searcher.schema
        if fieldname not in schema:
            return set()
        field = schema[fieldname]
        btext = field.to_bytes(text) if not isinstance(text, bytes) else text
        out: set[int] = set()
        for segment, offset in self.reader.leaf_readers():
            if (fieldname, btext) not in segment:
                continue
            ids = posting_ids(segment.postings(fieldname, btext))
            if segment.has_deletions():
                out.update(d + offset for d in ids if not segment.is_deleted(d))
            else:
                out.update(map(offset.__add__, ids) if offset else ids)
        return out


def posting_ids(matcher: object) -> list[int]:
    """Every id of a fresh leaf matcher, a block at a time.

    ``Matcher.all_ids`` steps through ids one call at a time (about 2 µs each: 0.2 s for a
    word in all of 100,000 articles).  Whoosh 2.7's (and whoosh3's) ``W3LeafMatcher`` holds
    each decoded block of ids as a sequence, so whole blocks are taken at once; any other
    matcher (an inlined posting list, another codec) is stepped through as before.
    """
    if type(matcher).__name__ == "W3LeafMatcher":
        try:
            return _block_ids(matcher)
        except AttributeError:
            pass
    return list(matcher.all_ids())  # type: ignore[attr-defined]


def _block_ids(m: Any) -> list[int]:
    out: list[int] = []
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        out.extend(m._ids[m._i : m._blocklength])
        m._i = m._blocklength
        m._next_block()
    return out
