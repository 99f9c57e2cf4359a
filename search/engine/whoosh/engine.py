"""The Whoosh engine, implementing ``search.engine.base``: an index folder of generations
(``search.index.generations``) and one searcher per snapshot.

A snapshot keeps one long-lived Whoosh searcher (opening one per query costs more than most
queries); Whoosh searchers are not thread-safe, so the facade serialises access.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from search.engine.base import DocId, Found, Span, StoredRecord
from search.engine.whoosh.columns import column_rows
from search.engine.whoosh.convert import whoosh_query
from search.engine.whoosh.docsets import matching_docs, needs_matchers, scoring_part
from search.engine.whoosh.expansion import check_expansion
from search.engine.whoosh.matches import spans_from_index, spans_in_text, spans_in_titles
from search.engine.whoosh.schema import FACET_COLUMNS, KEY_SEPARATOR
from search.errors import IndexUnusableError, damaged_index
from search.index.generations import CATALOGUE, IndexStore, read_checksums, verify_files
from search.query.tree import Highlight, Node

if TYPE_CHECKING:
    from search.engine.base import Progress, UpdateReport

__all__ = ["WhooshEngine", "WhooshSnapshot"]


class WhooshEngine:
    """One corpus's index in a folder of generations."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store

    def exists(self) -> bool:
        gen = self.store.current()
        return gen is not None and gen.is_dir()

    def version(self) -> Any:
        return self.store.version()

    def update(
        self,
        corpus: Path,
        *,
        rebuild: bool = False,
        globs: Sequence[str],
        excludes: Sequence[str],
        max_bytes: int,
        lock_timeout: float = 10.0,
        progress: Progress | None = None,
        procs: int | None = None,
        verify: bool = False,
        hold: Collection[str] = (),
    ) -> UpdateReport:
        from search.engine.whoosh.indexer import update_index  # loads multiprocessing

        return update_index(
            corpus,
            self.store,
            rebuild=rebuild,
            globs=globs,
            excludes=excludes,
            max_bytes=max_bytes,
            lock_timeout=lock_timeout,
            progress=progress,
            procs=procs,
            verify=verify,
            hold=hold,
        )

    def open(self, corpus: Path, *, full_check: bool = False) -> WhooshSnapshot:
        stamp = self.store.stamp()
        gen = self.store.require_current(corpus)
        wrong_corpus = self.store.corpus_problem(gen, corpus)
        if wrong_corpus:
            raise IndexUnusableError(wrong_corpus)
        problem = self.store.schema_problem(gen)
        if problem:
            raise IndexUnusableError(
                f"{problem}; rebuild it with: corpus-browser index {corpus} --rebuild"
            )
        try:
            searcher = whoosh_index.open_dir(str(gen)).searcher()
        except Exception as exc:  # noqa: BLE001
            raise damaged_index(corpus) from exc
        problem = _file_problem(gen, searcher, full_check)
        if problem:
            searcher.close()
            raise damaged_index(corpus, problem)
        try:
            catalogue = json.loads((gen / CATALOGUE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            catalogue = {}
        return WhooshSnapshot(self.store, stamp, searcher, catalogue)


def _file_problem(gen: Path, searcher: Searcher, full: bool) -> str | None:
    """What is wrong with the files of the state ``searcher`` reads, or None.

    Without this, a deleted or damaged column gives wrong answers and exit 0.  Only a
    state whose files are recorded can be checked: an index of an earlier version has
    no record, and a commit that just landed records its files a moment later (the next
    search checks it).
    """
    recorded = read_checksums(gen)
    if recorded is None or recorded[0] != searcher.reader().generation():
        return None
    return verify_files(gen, recorded[1], full=full)


class WhooshSnapshot:
    """One committed state of a Whoosh index."""

    def __init__(
        self,
        store: IndexStore,
        stamp: Any,
        searcher: Searcher,
        catalogue: Mapping[str, Mapping[str, Any]],
    ) -> None:
        self._store = store
        self._stamp = stamp
        self.searcher = searcher
        self._catalogue = catalogue
        self._cache: dict[str, Any] = {}

    def stored_text(self, path: str) -> tuple[str, int] | None:
        return None  # the body is not stored: the reader reads the file

    # -- life --------------------------------------------------------------------------
    def up_to_date(self) -> bool:
        # Reopened rather than Searcher.refresh(): Whoosh reuses the reader of a segment
        # whose deletions changed, so removed and replaced documents went on matching.
        return self._store.stamp() == self._stamp and self.searcher.up_to_date()

    def close(self) -> None:
        self.searcher.close()

    # -- matching and order ------------------------------------------------------------
    def check(self, tree: Node) -> None:
        check_expansion(whoosh_query(tree), self.searcher.reader())

    def matching(self, tree: Node) -> set[DocId]:
        return matching_docs(self.searcher, whoosh_query(tree), self._date_ticks())

    def find(self, tree: Node, *, sort: str, limit: int | None) -> Found:
        """Every matching docnum (for the total, the date range and the facets), and the
        ``limit`` first, in one pass over the postings where possible."""
        searcher, q = self.searcher, whoosh_query(tree)
        if sort == "relevance" and needs_matchers(q):
            # Phrases and the like run Whoosh's own matchers; scoring them all at once
            # gives the documents too, instead of matching twice.  Deleted documents are
            # dropped: Whoosh matches them under a Not.
            reader = searcher.reader()
            every = [
                (h.docnum, h.score)
                for h in searcher.search(q, limit=None)
                if not reader.is_deleted(h.docnum)
            ]
            return Found({d for d, _ in every}, every[:limit])
        docs = matching_docs(searcher, q, self._date_ticks())
        if not docs:
            return Found(docs, [])
        if sort != "relevance":
            return Found(docs, self._in_order(docs, sort)[:limit])
        return Found(docs, self._ranked(q, docs, limit))

    def rank(self, tree: Node, among: set[DocId], limit: int | None) -> list[tuple[DocId, float]]:
        return self._ranked(whoosh_query(tree), among, limit)

    def _ranked(self, q: Any, docs: set[DocId], limit: int | None) -> list[tuple[DocId, float]]:
        ranked = scoring_part(q)
        if ranked is None:  # every match scores alike: Whoosh's order is docnum order
            return [(d, 1.0) for d in sorted(docs)[:limit]]
        # Whoosh ranks, among the documents found (the filter also keeps out deleted ones).
        found = self.searcher.search(ranked, limit=limit, filter=docs)
        return [(h.docnum, h.score) for h in found]

    def _in_order(self, docs: set[DocId], sort: str) -> list[tuple[DocId, float]]:
        """``docs`` oldest first (``"date"``) or newest first, undated last in both."""
        dates = self._dates()
        dated = sorted((d for d in docs if dates[d] is not None), key=lambda d: (dates[d], d))
        if sort == "newest":
            dated.reverse()
        undated = sorted(d for d in docs if dates[d] is None)
        return [(d, 0.0) for d in dated + undated]

    # -- per-document facts ------------------------------------------------------------
    def date_span(self, docs: Iterable[DocId]) -> tuple[datetime.date | None, datetime.date | None]:
        dates = self._dates()
        present = [dates[d] for d in docs if dates[d] is not None]
        return (min(present), max(present)) if present else (None, None)

    def dates(self, docs: Iterable[DocId]) -> dict[DocId, datetime.date | None]:
        dates = self._dates()
        return {d: dates[d] for d in docs}

    def _date_ticks(self) -> list[int | None]:
        """The raw date column by docnum (None: undated), as date ranges compare it."""
        return self._date_column()[1]

    def _dates(self) -> tuple[datetime.date | None, ...]:
        return self._date_column()[0]

    def _date_column(self) -> tuple[tuple[datetime.date | None, ...], list[int | None]]:
        """The date column by docnum, as dates and as raw ticks, read once.

        Read raw: undated documents hold a sentinel that Whoosh's own translation turns
        into an OverflowError.
        """
        cached = self._cache.get("dates")
        if cached is None:
            known: dict[int | None, datetime.date | None] = {None: None}
            for raw in set(rows := column_rows(self.searcher, "date")):  # few distinct days
                known.setdefault(raw, _column_date(raw))
            dates = tuple(map(known.__getitem__, rows))
            ticks = [
                raw if date is not None else None for raw, date in zip(rows, dates, strict=True)
            ]
            cached = self._cache["dates"] = (dates, ticks)
        return cached  # type: ignore[no-any-return]

    def term_totals(self, field: str, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        reader = self.searcher.reader()
        totals = {t: int(reader.frequency(field, t)) for t in terms}
        return totals, int(reader.field_length(field))

    def entity_documents(self, field: str) -> Mapping[str, set[DocId]]:
        """Read from the facet column in one pass: reading the keyword field's postings
        costs a term-table probe per key per segment."""
        by_key = self._cache.get(field)
        if by_key is None:
            # Deleted documents stay in the sets: they never match, so never count.
            by_key = {}
            for docnum, row in enumerate(column_rows(self.searcher, FACET_COLUMNS[field])):
                if row:
                    for key in row.decode("utf-8").split(KEY_SEPARATOR):
                        by_key.setdefault(key, set()).add(docnum)
            self._cache[field] = by_key
        return by_key  # type: ignore[no-any-return]

    def entity_frequency(self, field: str, key: str) -> int:
        return int(self.searcher.reader().doc_frequency(field, key))

    def entity_keys(self, field: str) -> list[str]:
        """Deleted documents' keys too: a suggestion without live documents ranks last."""
        lexicon = self.searcher.reader().lexicon(field)
        return [raw.decode("utf-8") if isinstance(raw, bytes) else raw for raw in lexicon]

    def doc_of(self, path: str) -> DocId | None:
        return self.searcher.document_number(path=path)  # type: ignore[no-any-return]

    def record(self, doc: DocId) -> StoredRecord:
        return dict(self.searcher.stored_fields(doc))

    def records(self) -> Iterator[StoredRecord]:
        return (dict(fields) for _n, fields in self.searcher.reader().iter_docs())

    def catalogue(self) -> Mapping[str, Mapping[str, Any]]:
        return self._catalogue

    # -- match spans -------------------------------------------------------------------
    def spans(
        self,
        highlights: Sequence[Highlight],
        docs: Sequence[DocId],
        texts: Mapping[DocId, str],
    ) -> dict[DocId, list[Span]]:
        return spans_from_index(self.searcher.reader(), highlights, docs, texts)

    def text_spans(
        self, text: str, highlights: Sequence[Highlight], field: str = "body"
    ) -> list[Span]:
        own_words = field == "body"
        return spans_in_text(text, highlights, self.searcher.reader(), field, own_words)

    def title_spans(
        self, highlights: Sequence[Highlight], titles: Mapping[DocId, str]
    ) -> dict[DocId, list[Span]]:
        return spans_in_titles(self.searcher.reader(), highlights, titles)


def _column_date(raw: int) -> datetime.date | None:
    try:
        return long_to_datetime(raw).date()
    except (OverflowError, ValueError, TypeError):
        return None
