"""Answering queries: one fixed version of one generation (see ``tables``).

Matching runs on posting arrays: a word is one indexed row per commit (a few rows in all),
read whole as packed int32 and intersected in Python, never one row per document.  The
hit set is needed anyway (totals, dates, facets), so boolean logic over sets costs no more
than SQL would, and gives exactly the Whoosh engine's semantics.  Phrases read the words'
positions only for the documents holding every word.  Ranking is BM25F (Whoosh's formula
and constants) from the term frequencies those same rows carry, with document lengths
read once per snapshot.  Facets come from the entity keys' posting arrays, read once per
snapshot.  Every statement is parameterised; table names come from ``tables.table``.
"""

from __future__ import annotations

import bisect
import datetime
import fnmatch
import heapq
import math
import re
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from psycopg import sql

from search.engine.base import Found, Span, StoredRecord
from search.engine.postgres import tables
from search.engine.postgres.analysis import occurrences, tokens
from search.engine.whoosh.matches import _phrase_spans
from search.errors import IndexUnusableError, QueryError
from search.query import tree as T
from search.spans import merge_spans

_TERM_FIELD = {"body": "b", "title": "t", "official": "o", "province": "p"}
_WORD_FIELD = {"body": "B", "title": "T", "official": "o", "province": "p"}
_EPOCH = datetime.date(1970, 1, 1)
_PAGE = 50  # results read ahead with their texts (the app lists 20 or so at a time)
# Whoosh's BM25F defaults and the title's field boost (search.schema)
_K1, _B = 1.2, 0.75
_FIELD_BOOST = {"b": 1.0, "t": 2.0}


def _ints(data: bytes | None) -> array:
    out = array("i")
    if data:
        out.frombytes(data)
    return out


def _without_nul(value: Any) -> Any:
    """A query's word, pattern or path as PostgreSQL text, which cannot hold NUL.  No term or
    path of the index holds one (a token is letters and digits; ingestion replaces NUL), so
    U+FFFD, which no token holds either, keeps the answer: nothing matches."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list) and any(isinstance(v, str) for v in value):
        return [_without_nul(v) for v in value]
    return value


class Postings:
    """One term's rows at a version, joined: ``docs`` ascending; for the stemmed fields
    ``offs`` (len(docs) + 1: where each doc's positions start in the joined positions,
    so ``offs[i + 1] - offs[i]`` is its term frequency) and ``pos`` once read."""

    __slots__ = ("docs", "offs", "pos")

    def __init__(self) -> None:
        self.docs = array("i")
        self.offs = array("i")
        self.pos: array | None = None

    def add_row(self, docs: bytes, offs: bytes | None, pos: bytes | None) -> None:
        self.docs.extend(_ints(docs))
        if offs is None:
            return
        row = _ints(offs)
        if self.offs:  # the joined offsets end where this row's positions begin
            base = self.offs.pop()
            row = array("i", [o + base for o in row])
        self.offs.extend(row)
        if pos is not None:
            if self.pos is None:
                self.pos = array("i")
            self.pos.extend(_ints(pos))

    def freq(self, i: int) -> int:
        offs = self.offs
        return offs[i + 1] - offs[i] if offs else 1


class PgSnapshot:
    """One consistent state of one corpus in the database (``search.engine.base.Snapshot``)."""

    def __init__(self, conn: Any, name: str, gen: int, version: int, catalogue: Any) -> None:
        self.conn, self.name, self.gen, self.v = conn, name, gen, version
        self._catalogue = catalogue or {"official": {}, "province": {}}
        self.docs_t, self.terms_t = tables.table(gen, "docs"), tables.table(gen, "terms")
        self._live_cond = sql.SQL("add_v <= {v} AND (del_v IS NULL OR del_v > {v})").format(
            v=sql.Literal(version)
        )
        self.dead = {d for (d,) in self._q("SELECT doc FROM {docs} WHERE del_v <= %s", (version,))}
        self._postings: dict[tuple[str, str], Postings] = {}
        self._expansions: dict[T.Node, list[str]] = {}
        self._all: set[int] | None = None
        self._dates: dict[int, int] | None = None
        self._lengths: dict[str, dict[int, int]] = {}
        self._avg: dict[str, float] = {}
        self._entities: dict[str, dict[str, set[int]]] = {}
        self._records: dict[int, StoredRecord] = {}
        self._texts: dict[str, tuple[str, int]] = {}  # path -> (text, first line), a page's

    # -- plumbing -----------------------------------------------------------------------
    def _q(self, query: str, params: Sequence[Any] = (), **parts: Any) -> list[tuple[Any, ...]]:
        import psycopg

        stmt = sql.SQL(query).format(docs=self.docs_t, terms=self.terms_t, **parts)
        try:
            return self.conn.execute(stmt, [_without_nul(p) for p in params]).fetchall()
        except (psycopg.OperationalError, psycopg.errors.UndefinedTable) as exc:
            # The server went away, the connection was killed, or a rebuild's swap retired
            # these tables: one line; the engine reconnects and reopens on the next search.
            raise IndexUnusableError(
                f"lost the database while searching ({' '.join(str(exc).split())[:160]}); "
                "search again to reconnect"
            ) from None

    def postings(self, field: str, words: Iterable[str], positions: bool = False) -> dict:
        """Each word's postings in ``field`` (cached; positions read only when asked)."""
        words = list(dict.fromkeys(words))
        wanted = [w for w in words if (field, w) not in self._postings]
        if positions:
            wanted = [w for w in words if not self._has_positions(field, w)]
        if wanted:
            cols = "term, docs, offs, pos" if positions else "term, docs, offs, NULL"
            rows = self._q(
                "SELECT " + cols + " FROM {terms} WHERE field = %s AND term = ANY(%s) "
                "AND v <= %s ORDER BY term, v",
                (field, wanted, self.v),
            )
            fresh: dict[str, Postings] = {w: Postings() for w in wanted}
            for term, docs, offs, pos in rows:
                fresh[term].add_row(docs, offs, pos)
            for w, p in fresh.items():
                self._postings[(field, w)] = p
        return {w: self._postings[(field, w)] for w in words}

    def _has_positions(self, field: str, word: str) -> bool:
        p = self._postings.get((field, word))
        return p is not None and (p.pos is not None or not p.docs)

    def _docs_of(self, field: str, words: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for p in self.postings(field, words).values():
            found.update(p.docs)
        return found - self.dead

    def all_docs(self) -> set[int]:
        if self._all is None:
            rows = self._q("SELECT doc FROM {docs} WHERE {live}", live=self._live_cond)
            self._all = {d for (d,) in rows}
        return self._all

    # -- expanding words ----------------------------------------------------------------
    def expansion(self, node: T.Node) -> list[str]:
        """The index words an expanding leaf stands for, bounded by MAX_EXPANSION."""
        found = self._expansions.get(node)
        if found is None:
            found = self._expansions[node] = self._expand(node)
        return found

    def _expand(self, node: Any) -> list[str]:
        limit = T.MAX_EXPANSION + 1
        if node.field == "path":
            words = self._expand_paths(node, limit)
        else:
            field = (_TERM_FIELD if getattr(node, "stemmed", False) else _WORD_FIELD)[node.field]
            words = self._expand_field(field, node, limit)
        if len(words) > T.MAX_EXPANSION:
            raise QueryError(
                f"{_typed(node)} stands for more than {T.MAX_EXPANSION:,} words of the index, "
                f"the limit; {_advice(node)}"
            )
        return words

    def _lexicon(self, field: str, where: str, params: Sequence[Any], limit: int) -> list[str]:
        rows = self._q(
            "SELECT DISTINCT term FROM {terms} WHERE field = %s AND v <= %s AND "
            + where
            + " ORDER BY term LIMIT %s",
            (field, self.v, *params, limit),
        )
        return [t for (t,) in rows]

    def _expand_field(self, field: str, node: Any, limit: int) -> list[str]:
        if isinstance(node, T.Prefix):
            return self._lexicon(field, "term LIKE %s", (_like_prefix(node.prefix),), limit)
        if isinstance(node, T.Wildcard):
            words = self._lexicon(field, "term LIKE %s", (_like(node.pattern),), limit)
            test = re.compile(fnmatch.translate(node.pattern)).match
            return [w for w in words if test(w)]
        if isinstance(node, T.WordRange):
            where, params = _range_sql("term", node)
            return self._lexicon(field, where, params, limit)
        if isinstance(node, T.Fuzzy):
            head = node.word[: node.prefix_length]
            words = self._lexicon(field, "term LIKE %s", (_like_prefix(head),), 10**9)
            return _fuzzy(node, words, limit)
        raise TypeError(f"not an expanding leaf: {node!r}")

    def _expand_paths(self, node: Any, limit: int) -> list[str]:
        live = self._live_cond
        if isinstance(node, (T.Prefix, T.Wildcard, T.Fuzzy)):
            pattern = (
                _like_prefix(node.prefix)
                if isinstance(node, T.Prefix)
                else _like(node.pattern)
                if isinstance(node, T.Wildcard)
                else _like_prefix(node.word[: node.prefix_length])
            )
            rows = self._q(
                "SELECT path FROM {docs} WHERE path LIKE %s AND {live} ORDER BY path LIMIT %s",
                (pattern, 10**9 if isinstance(node, T.Fuzzy) else limit),
                live=live,
            )
            words = [p for (p,) in rows]
            if isinstance(node, T.Wildcard):
                test = re.compile(fnmatch.translate(node.pattern)).match
                words = [w for w in words if test(w)]
            if isinstance(node, T.Fuzzy):
                words = _fuzzy(node, words, limit)
            return words
        where, params = _range_sql("path", node)
        rows = self._q(
            "SELECT path FROM {docs} WHERE " + where + " AND {live} ORDER BY path LIMIT %s",
            (*params, limit),
            live=live,
        )
        return [p for (p,) in rows]

    def check(self, tree: T.Node) -> None:
        words: set[tuple[str, str]] = set()
        for node in T.expanding(tree):
            words.update((node.field, w) for w in self.expansion(node))
            if len(words) > T.MAX_EXPANSION:
                raise QueryError(
                    f"the wildcard and fuzzy words of this query stand for more than "
                    f"{T.MAX_EXPANSION:,} words of the index together, the limit; type more "
                    "letters before each * or ?, or use fewer of them"
                )

    # -- matching -----------------------------------------------------------------------
    def matching(self, tree: T.Node) -> set[int]:
        self.check(tree)
        return self._match(tree)

    def _match(self, node: Any) -> set[int]:
        if isinstance(node, T.Term):
            if node.field == "path":
                return self._paths([node.word])
            return self._docs_of(_TERM_FIELD[node.field], [node.word])
        if isinstance(node, T.Entity):
            return self._docs_of(_TERM_FIELD[node.field], [node.key])
        if isinstance(node, T.Phrase):
            return self._phrase(node)
        if isinstance(node, T.EXPANDING):
            words = self.expansion(node)
            if node.field == "path":
                return self._paths(words)
            field = (_TERM_FIELD if getattr(node, "stemmed", False) else _WORD_FIELD)[node.field]
            return self._docs_of(field, words)
        if isinstance(node, T.DateRange):
            return self._dated(node)
        if isinstance(node, T.Every):
            return self._every(node.field)
        if isinstance(node, T.And):
            return self._and(node.children)
        if isinstance(node, T.Or):
            out: set[int] = set()
            for child in node.children:
                out |= self._match(child)
            return out
        if isinstance(node, T.Not):
            return self.all_docs() - self._match(node.child)
        if isinstance(node, T.AndNot):
            return self._match(node.positive) - self._match(node.negative)
        if isinstance(node, T.AndMaybe):
            return self._match(node.required)
        raise TypeError(f"unknown query node {node!r}")

    def _and(self, children: Sequence[Any]) -> set[int]:
        positive = [c for c in children if not isinstance(c, T.Not)]
        negative = [c.child for c in children if isinstance(c, T.Not)]
        if positive:
            sets = sorted((self._match(c) for c in positive), key=len)
            out = set(sets[0])
            for other in sets[1:]:
                out &= other
        else:
            out = set(self.all_docs())
        for child in negative:
            if not out:
                break
            out -= self._match(child)
        return out

    def _paths(self, paths: Sequence[str]) -> set[int]:
        if not paths:
            return set()
        rows = self._q(
            "SELECT doc FROM {docs} WHERE path = ANY(%s) AND {live}",
            (list(paths),),
            live=self._live_cond,
        )
        return {d for (d,) in rows}

    def _every(self, field: str | None) -> set[int]:
        if field is None or field == "path":
            return set(self.all_docs())
        if field in ("title", "body"):
            column = sql.Identifier(f"{field}_len")
            rows = self._q(
                "SELECT doc FROM {docs} WHERE {col} > 0 AND {live}",
                col=column,
                live=self._live_cond,
            )
            return {d for (d,) in rows}
        return set().union(*self.entity_documents(field).values()) - self.dead

    def _dated(self, node: T.DateRange) -> set[int]:
        lo, hi = _day_bounds(node)
        if lo is not None and hi is not None and lo > hi:
            return set()
        rows = self._q(
            "SELECT doc FROM {docs} WHERE date IS NOT NULL "
            "AND date >= coalesce(%s, '-infinity'::date) "
            "AND date <= coalesce(%s, 'infinity'::date) AND {live}",
            (lo, hi),
            live=self._live_cond,
        )
        return {d for (d,) in rows}

    def _phrase(self, node: T.Phrase) -> set[int]:
        field = _TERM_FIELD[node.field]
        words = list(node.words)
        if not words:
            return set()
        candidates = self._docs_of(field, words[:1])
        for w in words[1:]:
            candidates &= self._docs_of(field, [w])
        if len(words) == 1 or not candidates:
            return candidates
        per_word = self.postings(field, words, positions=True)
        found = set()
        for doc in candidates:
            lists = [_positions_of(per_word[w], doc) for w in words]
            if _in_a_row(lists, node.slop):
                found.add(doc)
        return found

    # -- ranking and order --------------------------------------------------------------
    def find(self, tree: T.Node, *, sort: str, limit: int | None) -> Found:
        docs = self.matching(tree)
        if sort == "relevance":
            listed = self.rank(tree, docs, limit)
        else:
            listed = [(d, 0.0) for d in self._by_date(docs, newest=sort == "newest", limit=limit)]
        # A page of results is shown next: its records and texts in one round trip.
        self.prefetch([d for d, _ in listed[:_PAGE]])
        return Found(docs, listed)

    def _by_date(self, docs: set[int], newest: bool, limit: int | None) -> list[int]:
        dates = self._all_dates()
        dated = [d for d in docs if d in dates]
        undated = sorted(d for d in docs if d not in dates)
        sign = -1 if newest else 1
        key: Callable[[int], tuple[int, int]] = lambda d: (sign * dates[d], d)  # noqa: E731
        if limit is not None and limit < len(dated):
            return heapq.nsmallest(limit, dated, key=key)
        out = sorted(dated, key=key) + undated
        return out if limit is None else out[:limit]

    def rank(self, tree: T.Node, among: set[int], limit: int | None) -> list[tuple[int, float]]:
        scores = dict.fromkeys(among, 0.0)
        total = max(len(self.all_docs()), 1)
        for node, boost in _scored_leaves(tree):
            self._score(node, boost, scores, total)
        key: Callable[[tuple[int, float]], tuple[float, int]] = lambda kv: (-kv[1], kv[0])  # noqa: E731
        if limit is not None and limit < len(scores):
            return heapq.nsmallest(limit, scores.items(), key=key)
        return sorted(scores.items(), key=key)

    def _score(self, node: Any, boost: float, scores: dict[int, float], total: int) -> None:
        if isinstance(node, (T.Term, T.Phrase)) and node.field in ("title", "body"):
            field = _TERM_FIELD[node.field]
            words = [node.word] if isinstance(node, T.Term) else list(node.words)
            lengths, avg = self._field_lengths(field)
            for p in self.postings(field, words).values():
                df = len(p.docs)
                if not df:
                    continue
                idf = math.log(1.0 + (total - df + 0.5) / (df + 0.5))
                weight = boost * node.boost * idf
                for i, doc in self._present(p, scores):
                    tf = p.freq(i) * _FIELD_BOOST[field]
                    norm = _K1 * (1 - _B + _B * lengths.get(doc, avg) / avg)
                    scores[doc] += weight * tf * (_K1 + 1) / (tf + norm)
        elif isinstance(node, (T.Entity, *T.EXPANDING)) and node.field != "path":
            hits = self._match(node)
            for doc in hits & scores.keys():
                scores[doc] += boost * node.boost

    @staticmethod
    def _present(p: Postings, scores: dict[int, float]) -> Iterable[tuple[int, int]]:
        """(index in ``p.docs``, doc) for the docs of ``p`` that are being scored."""
        if len(scores) < len(p.docs) // 8:
            docs = p.docs
            for doc in scores:
                i = bisect.bisect_left(docs, doc)
                if i < len(docs) and docs[i] == doc:
                    yield i, doc
            return
        for i, doc in enumerate(p.docs):
            if doc in scores:
                yield i, doc

    def _field_lengths(self, field: str) -> tuple[dict[int, int], float]:
        if field not in self._lengths:
            column = sql.Identifier("body_len" if field == "b" else "title_len")
            rows = self._q(
                "SELECT doc, {col} FROM {docs} WHERE {live}", col=column, live=self._live_cond
            )
            self._lengths[field] = dict(rows)
            self._avg[field] = max(sum(self._lengths[field].values()) / max(len(rows), 1), 1.0)
        return self._lengths[field], self._avg[field]

    # -- per-document facts -------------------------------------------------------------
    def _all_dates(self) -> dict[int, int]:
        if self._dates is None:
            rows = self._q(
                "SELECT doc, date - DATE '1970-01-01' FROM {docs} WHERE date IS NOT NULL "
                "AND {live}",
                live=self._live_cond,
            )
            self._dates = dict(rows)
        return self._dates

    def dates(self, docs: Iterable[int]) -> dict[int, datetime.date | None]:
        all_dates = self._all_dates()
        return {
            d: _EPOCH + datetime.timedelta(days=all_dates[d]) if d in all_dates else None
            for d in docs
        }

    def date_span(self, docs: Iterable[int]) -> tuple[datetime.date | None, datetime.date | None]:
        all_dates = self._all_dates()
        days = [all_dates[d] for d in docs if d in all_dates]
        if not days:
            return None, None
        return (
            _EPOCH + datetime.timedelta(days=min(days)),
            _EPOCH + datetime.timedelta(days=max(days)),
        )

    def term_totals(self, field: str, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        code, terms = _TERM_FIELD[field], list(terms)
        lengths, _avg = self._field_lengths(code)
        found = self.postings(code, terms)
        totals = {}
        for term in terms:
            p = found.get(term)
            totals[term] = (
                0
                if p is None
                else sum(
                    p.offs[i + 1] - p.offs[i]
                    for i, doc in enumerate(p.docs)
                    if doc not in self.dead
                )
            )
        return totals, sum(lengths.values())

    def entity_documents(self, field: str) -> Mapping[str, set[int]]:
        code = _TERM_FIELD[field]
        if code not in self._entities:
            rows = self._q(
                "SELECT term, docs FROM {terms} WHERE field = %s AND v <= %s", (code, self.v)
            )
            found: dict[str, set[int]] = {}
            for term, docs in rows:
                found.setdefault(term, set()).update(_ints(docs))
            self._entities[code] = found
        return self._entities[code]

    def entity_frequency(self, field: str, key: str) -> int:
        return len(self.entity_documents(field).get(key, set()) - self.dead)

    def entity_keys(self, field: str) -> list[str]:
        return sorted(k for k, docs in self.entity_documents(field).items() if docs - self.dead)

    def doc_of(self, path: str) -> int | None:
        rows = self._q(
            "SELECT doc FROM {docs} WHERE path = %s AND {live}", (path,), live=self._live_cond
        )
        return rows[0][0] if rows else None

    _RECORD = "doc, path, title, date, date_inferred, size, mtime_ns, sha1, entities"

    def _record(self, row: tuple[Any, ...]) -> StoredRecord:
        _doc, path, title, date, inferred, size, mtime_ns, sha1, entities = row
        record: dict[str, Any] = {
            "path": path,
            "title": title,
            "date_inferred": inferred,
            "size": size,
            "mtime_ns": mtime_ns,
            "sha1": sha1,
            "entities": entities,
        }
        if date is not None:
            record["date"] = datetime.datetime(date.year, date.month, date.day)
        return record

    def record(self, doc: int) -> StoredRecord:
        if doc not in self._records:
            self.prefetch([doc])
        return self._records[doc]

    def prefetch(self, docs: Iterable[int]) -> None:
        """Read the records of ``docs`` and their texts in one statement (a page of
        results: the facade asks for each record, and for each text when the file is not
        here)."""
        wanted = [d for d in docs if d not in self._records]
        if not wanted:
            return
        rows = self._q(
            "SELECT " + self._RECORD + ", body, first_line FROM {docs} WHERE doc = ANY(%s)",
            (wanted,),
        )
        if len(self._texts) > _PAGE * 4:
            self._texts.clear()
        for row in rows:
            record = self._records[row[0]] = self._record(row[:-2])
            self._texts[record["path"]] = (row[-2], row[-1])
        missing = set(wanted) - self._records.keys()
        if missing:
            raise KeyError(f"no document {min(missing)}")

    def records(self) -> Iterable[StoredRecord]:
        rows = self._q(
            "SELECT " + self._RECORD + " FROM {docs} WHERE {live} ORDER BY doc",
            live=self._live_cond,
        )
        return [self._record(row) for row in rows]

    def texts(self, docs: Iterable[int]) -> dict[int, str]:
        """The bodies of ``docs`` as indexed: the database holds them, no file is read."""
        rows = self._q("SELECT doc, body FROM {docs} WHERE doc = ANY(%s)", (list(docs),))
        return dict(rows)

    def stored_text(self, path: str) -> tuple[str, int] | None:
        """The text of ``path`` as indexed and the file line it starts on, from the
        database (None: no such live document): the reader needs no file."""
        if path in self._texts:
            return self._texts[path]
        rows = self._q(
            "SELECT body, first_line FROM {docs} WHERE path = %s AND {live}",
            (path,),
            live=self._live_cond,
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def catalogue(self) -> Mapping[str, Mapping[str, Any]]:
        return self._catalogue

    # -- match spans --------------------------------------------------------------------
    def _highlight_words(self, highlight: T.Highlight) -> tuple[set[str], set[str]]:
        from search.engine.postgres.analysis import stem_of

        assert highlight.node is not None
        words = set(self.expansion(highlight.node))
        return words, {s for s in map(stem_of, words) if s}

    def spans(
        self, highlights: Sequence[T.Highlight], docs: Sequence[int], texts: Mapping[int, str]
    ) -> dict[int, list[Span]]:
        missing = [d for d in docs if d not in texts]
        texts = {**texts, **(self.texts(missing) if missing else {})}
        expansions = self._expansion_map(highlights, "body")
        return {d: _text_spans(texts[d], highlights, "body", expansions) for d in docs}

    def text_spans(
        self, text: str, highlights: Sequence[T.Highlight], field: str = "body"
    ) -> list[Span]:
        from search.engine.postgres.analysis import stem_of

        expansions = self._expansion_map(highlights, field)
        if field == "body":  # a changed file: its own words count too
            own = {t.word for t in tokens(text)}
            for h, (words, _stems) in list(expansions.items()):
                assert h.node is not None
                more = words | {w for w in own if _node_matches(h.node, w)}
                expansions[h] = (more, {s for s in map(stem_of, more) if s})
        return _text_spans(text, highlights, field, expansions)

    def title_spans(
        self, highlights: Sequence[T.Highlight], titles: Mapping[int, str]
    ) -> dict[int, list[Span]]:
        if not any(h.field == "title" for h in highlights):
            return {}
        expansions = self._expansion_map(highlights, "title")
        out = {}
        for doc, title in titles.items():
            spans = _text_spans(title, highlights, "title", expansions)
            if spans:
                out[doc] = spans
        return out

    def _expansion_map(self, highlights: Sequence[T.Highlight], field: str) -> dict:
        return {
            h: self._highlight_words(h)
            for h in highlights
            if h.kind == "expand" and h.field == field
        }

    # -- life ---------------------------------------------------------------------------
    def up_to_date(self) -> bool:
        """False also when this snapshot's connection is gone: the facade then opens a
        new snapshot, on a new connection."""
        import psycopg

        try:
            return current_state(self.conn, self.name)[:2] == (self.gen, self.v)
        except psycopg.Error:
            return False

    def close(self) -> None:
        self._postings.clear()


def current_state(conn: Any, name: str) -> tuple[int, int, Any] | tuple[None, None, None]:
    """(live generation, its version, its catalogue) of corpus ``name``; Nones if none."""
    s = sql.Identifier(tables.SCHEMA)
    try:
        row = conn.execute(
            sql.SQL(
                "SELECT g.gen, g.version, g.catalogue FROM {s}.corpora c "
                "JOIN {s}.generations g ON g.gen = c.live_gen WHERE c.name = %s"
            ).format(s=s),
            (name,),
        ).fetchone()
    except Exception as exc:  # noqa: BLE001 - no schema yet: nothing indexed
        from psycopg import errors

        if isinstance(exc, errors.UndefinedTable):
            return None, None, None
        raise
    return (row[0], row[1], row[2]) if row else (None, None, None)


# -- helpers ----------------------------------------------------------------------------
def _text_spans(
    text: str, highlights: Sequence[T.Highlight], field: str, expansions: dict
) -> list[Span]:
    """Where ``field``'s highlights match ``text``: the same rules as the Whoosh engine's
    ``spans_in_text`` (terms by stem, phrases as one span, wildcard words by their stems
    kept where the written word itself is one of the expansion's words)."""
    from search.engine.postgres.analysis import word_of

    wanted = [h for h in highlights if h.field == field and h.kind != "entity"]
    if not wanted:
        return []
    stems: set[str] = set()
    for h in wanted:
        stems.update(expansions[h][1] if h.kind == "expand" else h.words)
    by_stem = occurrences(text, stems)
    spans: set[tuple[int, int]] = set()
    for h in wanted:
        if h.kind == "term":
            spans.update((s, e) for _p, s, e in by_stem.get(h.words[0], []))
        elif h.kind == "phrase":
            spans.update(_phrase_spans([by_stem.get(w, []) for w in h.words]))
        elif h.kind == "expand":
            words, stems = expansions[h]
            for stem in stems & by_stem.keys():
                spans.update((s, e) for _p, s, e in by_stem[stem] if word_of(text[s:e]) in words)
    return merge_spans(spans)


def _positions_of(p: Postings, doc: int) -> list[int]:
    i = bisect.bisect_left(p.docs, doc)
    if i >= len(p.docs) or p.docs[i] != doc or p.pos is None:
        return []
    return p.pos[p.offs[i] : p.offs[i + 1]].tolist()


def _in_a_row(lists: list[list[int]], slop: int) -> bool:
    """Whether positions p0 < p1 < ... exist, one from each list, each within ``slop`` of
    the one before (slop 1: adjacent)."""
    reachable = set(lists[0])
    for nxt in lists[1:]:
        following = set(nxt)
        reachable = {q for p in reachable for q in range(p + 1, p + slop + 1) if q in following}
        if not reachable:
            return False
    return True


def _scored_leaves(node: Any, boost: float = 1.0) -> Iterable[tuple[Any, float]]:
    """The positive leaves of the tree with their boosts (NOT branches add nothing)."""
    if isinstance(node, T.Not):
        return
    if isinstance(node, T.AndNot):
        yield from _scored_leaves(node.positive, boost * node.boost)
        return
    kids = T.children(node)
    if not kids:
        yield node, boost
        return
    for child in kids:
        yield from _scored_leaves(child, boost * node.boost)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_prefix(prefix: str) -> str:
    return _like_escape(prefix) + "%"


def _like(pattern: str) -> str:
    return _like_escape(pattern).replace("*", "%").replace("?", "_")


def _range_sql(column: str, node: T.WordRange) -> tuple[str, list[str]]:
    parts, params = ["TRUE"], []
    if node.start is not None:
        parts.append(f"{column} {'>' if node.start_excl else '>='} %s")
        params.append(node.start)
    if node.end is not None:
        parts.append(f"{column} {'<' if node.end_excl else '<='} %s")
        params.append(node.end)
    return " AND ".join(parts), params


def _fuzzy(node: T.Fuzzy, words: list[str], limit: int) -> list[str]:
    from rapidfuzz import process as rf_process
    from rapidfuzz.distance import Levenshtein

    found = rf_process.extract(
        node.word, words, scorer=Levenshtein.distance, score_cutoff=node.distance, limit=limit
    )
    return sorted(w for w, _d, _i in found)


def _node_matches(node: Any, word: str) -> bool:
    """Whether one word is among those an expanding leaf stands for."""
    if isinstance(node, T.Prefix):
        return word.startswith(node.prefix)
    if isinstance(node, T.Wildcard):
        return re.match(fnmatch.translate(node.pattern), word) is not None
    if isinstance(node, T.Fuzzy):
        from rapidfuzz.distance import Levenshtein

        head = node.word[: node.prefix_length]
        return word.startswith(head) and Levenshtein.distance(node.word, word) <= node.distance
    if isinstance(node, T.WordRange):
        lo_ok = node.start is None or (word > node.start if node.start_excl else word >= node.start)
        hi_ok = node.end is None or (word < node.end if node.end_excl else word <= node.end)
        return lo_ok and hi_ok
    return False


def _typed(node: Any) -> str:
    if isinstance(node, T.Prefix):
        return f"{node.prefix}*"
    if isinstance(node, T.Wildcard):
        return node.pattern
    if isinstance(node, T.Fuzzy):
        return f"{node.word}~{node.distance}"
    return f"[{node.start or ''} to {node.end or ''}]"


def _advice(node: Any) -> str:
    if isinstance(node, T.Fuzzy):
        return f"type a longer word, or allow fewer edits ({node.word}~1)"
    if isinstance(node, T.WordRange):
        return "narrow the range"
    return "type more letters before the * or ?, or use fewer wildcards"


def _day_bounds(node: T.DateRange) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last day whose midnight lies in the range."""
    lo = hi = None
    if node.start is not None:
        day = node.start.date()
        at = datetime.datetime(day.year, day.month, day.day)
        if at < node.start or (node.start_excl and at == node.start):
            day += datetime.timedelta(days=1)
        lo = day
    if node.end is not None:
        day = node.end.date()
        at = datetime.datetime(day.year, day.month, day.day)
        if node.end_excl and at == node.end:
            day -= datetime.timedelta(days=1)
        hi = day
    return lo, hi
