"""Wildcard, prefix, fuzzy and range words, expanded over the index's words and bounded.

Each stands for the index words it matches, read from the field's lexicon
(``search.engine.whoosh.lexicon``) instead of Whoosh's walk over its terms, and never more
than ``MAX_EXPANSION`` of them: past that the query is refused, before any posting list is
read.
"""

from __future__ import annotations

import bisect
import fnmatch
import re
import weakref
from collections import Counter
from collections.abc import Iterable
from itertools import islice
from typing import Any

from whoosh import matching, query
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

from search.engine.whoosh.docsets import posting_ids
from search.engine.whoosh.lexicon import field_words
from search.errors import QueryError
from search.query.tree import MAX_EXPANSION

__all__ = [
    "BoundedExpansion",
    "BoundedPrefix",
    "BoundedTermRange",
    "BoundedWildcard",
    "FastFuzzyTerm",
    "check_expansion",
]


class BoundedExpansion:
    """A query word that stands for the index words it matches (a wildcard, a prefix, a
    fuzzy word, a range of words), read from the field's lexicon (``search.engine.whoosh.lexicon``)
    instead of Whoosh's walk over its terms, and never more than MAX_EXPANSION of them:
    past that the query is refused, before any posting list is read.
    """

    fieldname: str

    def expansion(self, reader: IndexReader) -> list[str]:
        """The words this stands for in ``reader``, in order.

        Kept per reader: ``check_expansion``, the matchers and the highlighter all ask
        for the same reader's, and a leading wildcard reads every word of the field.
        """
        known = self.__dict__.setdefault("_expansions", {})
        entry = known.get(id(reader))
        if entry is not None and entry[0]() is reader:
            return entry[1]  # type: ignore[no-any-return]
        found = list(islice(self._matches(reader), MAX_EXPANSION + 1))
        if len(found) > MAX_EXPANSION:
            raise QueryError(
                f"{self.typed()} stands for more than {MAX_EXPANSION:,} words of the index, "
                f"the limit; {self.advice()}"
            )
        for key in [key for key, (ref, _words) in known.items() if ref() is None]:
            del known[key]
        known[id(reader)] = (weakref.ref(reader), found)
        return found

    def _btexts(self, ixreader: IndexReader) -> list[bytes]:
        return [w.encode("utf-8") for w in self.expansion(ixreader)]

    def matcher(self, searcher: Searcher, context: Any = None) -> matching.Matcher:
        """The documents of all the words at once, each scored as Whoosh's union of the
        words' matchers scores it.

        Whoosh unions one matcher per word, a Python step per posting and per word: 12 s
        for the 2,000 words of ``*s`` on Reuters.  Here each posting list is read a block
        at a time and counted in C.  A field that ranks each word by its frequency (the
        stemmed title and body, entity names) keeps Whoosh's union.
        """
        if searcher.schema[self.fieldname].scorable:
            return super().matcher(searcher, context)  # type: ignore[misc]
        reader = searcher.reader()
        counts: Counter[int] = Counter()
        present = 0
        # A search runs once per segment: the words are those of the whole index, already
        # expanded (check_expansion), each looked up in this segment.
        whole = searcher.get_parent() or searcher
        for word in self.expansion(whole.reader()):
            try:
                postings = reader.postings(self.fieldname, word.encode("utf-8"))
            except TermNotFound:
                continue
            present += 1
            counts.update(posting_ids(postings))
        if not counts:
            return matching.NullMatcher()
        ids = sorted(counts)
        return matching.ListMatcher(
            ids,
            weights=_union_scores(
                ids, counts, present, searcher, context, getattr(self, "boost", 1.0)
            ),
        )

    def _matches(self, reader: IndexReader) -> Iterable[str]:
        """The words this stands for, in order, lazily: only MAX_EXPANSION + 1 are taken."""
        raise NotImplementedError

    def _words(self, reader: IndexReader, prefix: str = "") -> Iterable[str]:
        """The field's words that start with ``prefix``, in order.  With a prefix, only
        those are read (a process's first search need not read the whole lexicon)."""
        if not prefix:
            return field_words(reader, self.fieldname)
        found = reader.expand_prefix(self.fieldname, prefix)
        return (word.decode("utf-8") for word in found)

    def typed(self) -> str:
        raise NotImplementedError

    def advice(self) -> str:
        return "type more letters before the * or ?, or use fewer wildcards"


def _union_scores(
    ids: list[int],
    counts: Counter[int],
    words: int,
    searcher: Searcher,
    context: Any,
    boost: float,
) -> list[float]:
    """The scores Whoosh's ``Or`` of ``words`` constant-score terms gives ``ids``.

    Usually the sum of its terms': the boost once per word a document holds.  But for
    more than two words in a segment of at most 5,000 documents, when the collector does
    not need the current match, Whoosh preloads the union unscored, and every document
    scores 1 (``Or._matcher``, ``ArrayUnionMatcher``).
    """
    needs_current = context.needs_current if context else True
    if words > 2 and not needs_current and searcher.doc_count_all() <= 5000:
        return [1.0] * len(ids)
    return [counts[d] * boost for d in ids]


class BoundedPrefix(BoundedExpansion, query.Prefix):
    def _matches(self, reader: IndexReader) -> Iterable[str]:
        return self._words(reader, self.text)

    def typed(self) -> str:
        return f"{self.text}*"


class BoundedWildcard(BoundedExpansion, query.Wildcard):
    def _matches(self, reader: IndexReader) -> Iterable[str]:
        pattern = re.compile(fnmatch.translate(self.text))
        return filter(pattern.match, self._words(reader, self._find_prefix(self.text)))

    def normalize(self) -> query.Query:
        return self  # already normalised by the parser; Whoosh's would drop the bound

    def typed(self) -> str:
        return self.text


class BoundedTermRange(BoundedExpansion, query.TermRange):
    def _matches(self, reader: IndexReader) -> Iterable[str]:
        words = field_words(reader, self.fieldname)
        lo = 0
        if self.start is not None:
            find = bisect.bisect_right if self.startexcl else bisect.bisect_left
            lo = find(words, self.start)
        hi = len(words)
        if self.end is not None:
            find = bisect.bisect_left if self.endexcl else bisect.bisect_right
            hi = find(words, self.end)
        return islice(words, lo, max(lo, hi))

    def typed(self) -> str:
        return f"[{self.start or ''} to {self.end or ''}]"

    def advice(self) -> str:
        return "narrow the range"


class FastFuzzyTerm(BoundedExpansion, query.FuzzyTerm):
    """A fuzzy term expanded by rapidfuzz's C Levenshtein over the field's lexicon.

    Whoosh walks the lexicon through a Python automaton: 4 s for ``tonnes~`` over the
    40,000 words of Reuters.  The words each segment holds are read once per segment
    reader (``search.engine.whoosh.lexicon``).
    """

    def _matches(self, reader: IndexReader) -> Iterable[str]:
        from rapidfuzz import process as rf_process
        from rapidfuzz.distance import Levenshtein

        found = rf_process.extract(
            self.text,
            list(self._words(reader, self.text[: self.prefixlength])),
            scorer=Levenshtein.distance,
            score_cutoff=self.maxdist,
            limit=MAX_EXPANSION + 1,
        )
        return (w for w, _dist, _i in found)

    def typed(self) -> str:
        return f"{self.text}~{self.maxdist}"

    def advice(self) -> str:
        return f"type a longer word, or allow fewer edits ({self.text}~1)"


def check_expansion(q: query.Query, reader: IndexReader) -> None:
    """Refuse ``q`` when its wildcard, fuzzy and range words stand for more than
    MAX_EXPANSION distinct words of ``reader``'s index together (each alone is bounded
    where it expands).  Run before searching, so no posting list is read in vain."""
    words: set[str] = set()
    stack = [q]
    while stack:
        node = stack.pop()
        stack.extend(node.children())
        if isinstance(node, BoundedExpansion):
            words.update(node.expansion(reader))
            if len(words) > MAX_EXPANSION:
                raise QueryError(
                    f"the wildcard and fuzzy words of this query stand for more than "
                    f"{MAX_EXPANSION:,} words of the index together, the limit; type more "
                    "letters before each * or ?, or use fewer of them"
                )
