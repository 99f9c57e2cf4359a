"""``CorpusIndex``: the one object the app, the CLI and the benchmarks talk to.

A thin facade over an engine (``search.engine.base``; Whoosh's by default): it parses
queries into the product's tree, applies the analyst's curation, and makes hits, facets,
suggestions and the reader's view from what one snapshot of the engine answers.  It keeps
one long-lived snapshot (opening one per query costs more than most queries), reopens it
when a writer commits or a rebuild is published, and serialises access with a lock because
a snapshot is used by one thread at a time and the app searches from worker threads.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from search.corpus.read import DEFAULT_GLOBS, DEFAULT_MAX_BYTES, Document, read_document
from search.curation import (
    Curation,
    CurationError,
    Edit,
    compile_curation,
    curate_extraction,
    curation_path,
    edit_curation,
    find_curation,
    parse_entries,
    restore_curation,
    shown_name,
)
from search.engine.base import SORTS, Engine, Progress, Snapshot, UpdateReport
from search.errors import CorpusBrowserError, QueryError, StaleResultsError, damaged_index
from search.extract.model import Extraction, latest_title
from search.index.generations import IndexStore, default_index_dir
from search.query import tree
from search.query.parser import analyse, analysed_words, parse_query
from search.query.tree import Highlight, ParsedQuery, needs_text
from search.spans import Span, merge_spans
from search.stored import decode_extraction, mention_spans
from search.suggest import Candidate, Suggestion, suggest

__all__ = ["SORTS", "CorpusIndex", "Facet", "Hit", "HitEntities", "HitOrder", "Results"]

FACET_FIELDS = ("official", "province")
_T = TypeVar("_T")
# Tries of one read while writers keep committing under it (each retry sees a newer state).
_TRIES = 3
# An entity key no document holds: what a hidden entity's query asks for.
_NOTHING = "\x00hidden"


@dataclass
class Hit:
    path: str
    title: str
    date: datetime.date | None
    date_inferred: bool
    score: float
    matches: list[Span]  # in the text
    snippet: str = ""
    title_matches: list[Span] = field(default_factory=list)  # in the title

    @property
    def match_count(self) -> int:
        return len(self.title_matches) + len(self.matches)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_inferred": self.date_inferred,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "matches": [list(m) for m in self.matches],
            "title_matches": [list(m) for m in self.title_matches],
        }


@dataclass
class Facet:
    key: str  # what the index stores; filter with {"official": [key]}
    name: str
    detail: str  # latest title for officials, country for provinces
    country: str | None
    count: int  # matching documents


class HitOrder:
    """Every hit of one search as document numbers of the index state it read, in the
    list's order, which is also the order n / N walk files in.
    ``CorpusIndex.hits`` turns a slice of the list into ``Hit`` objects, so a list of
    20,000 files costs a sort, not 20,000 stored-field reads."""

    def __init__(self, state: int, parsed: ParsedQuery, listed: list[tuple[int, float]]) -> None:
        self.state = state
        self.parsed = parsed
        self.listed = listed
        self._list_pos: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.listed)

    def row_of(self, docnum: int) -> int | None:
        """Where document ``docnum`` sits in the list (None: not a hit)."""
        if self._list_pos is None:
            self._list_pos = {d: i for i, (d, _s) in enumerate(self.listed)}
        return self._list_pos.get(docnum)


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    took_ms: float = 0.0
    order: HitOrder | None = None  # every hit, with ``search(..., every=True)``
    marks_words: bool = True  # False for a query of filters only (date:2024, path:a*)
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def did_you_mean(self) -> str:
        """One line for a person ("" when there is nothing to suggest)."""
        return "; ".join(s.message for s in self.suggestions)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [h.to_json() for h in self.hits],
            "did_you_mean": [s.to_json() for s in self.suggestions],
            "took_ms": round(self.took_ms, 2),
        }


@dataclass
class HitEntities:
    """``CorpusIndex.hit_entities``: per field, key -> (its facet over the hits, the set of
    hits holding it as a bit mask); ``dates`` by row (None: undated).  Masks combine with
    ``&`` and ``|`` and count with ``int.bit_count``: at 100,000 hits a pair's count is one
    C-level AND, not a Python step per hit."""

    order: HitOrder
    dates: list[datetime.date | None]
    masks: dict[str, dict[str, tuple[Facet, int]]] = field(default_factory=dict)

    def rows(self, mask: int, limit: int | None = None) -> list[int]:
        """The list positions of the hits in ``mask``, in the list's order (the first
        ``limit`` of them)."""
        held = _mask_members(mask)
        out = []
        for row, (docnum, _score) in enumerate(self.order.listed):
            if docnum in held:
                out.append(row)
                if limit is not None and len(out) >= limit:
                    break
        return out


@dataclass
class DocumentView:
    """A document as the reader shows it, with the matches of a query if one was given."""

    document: Document
    matches: list[Span]
    title_matches: list[Span] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        doc, ext = self.document, self.document.extraction
        return {
            "path": doc.path,
            "title": doc.title,
            "date": doc.date.isoformat() if doc.date else None,
            "date_inferred": doc.date_inferred,
            "text": doc.text,
            "boilerplate_start": ext.boilerplate_start,
            "captions": [[c.start, c.end] for c in ext.captions],
            "officials": [
                {
                    "name": o.name,
                    "key": o.key,
                    "titles": o.titles,
                    "country": o.country,
                    "mentions": [[m.start, m.end] for m in o.mentions],
                    "header_mentions": [[m.start, m.end] for m in o.header_mentions],
                }
                for o in ext.officials
            ],
            "provinces": [
                {
                    "name": p.name,
                    "key": p.key,
                    "country": p.country,
                    "mentions": [[m.start, m.end] for m in p.mentions],
                    "header_mentions": [[m.start, m.end] for m in p.header_mentions],
                }
                for p in ext.provinces
            ],
            "matches": [list(m) for m in self.matches],
            "title_matches": [list(m) for m in self.title_matches],
            "warnings": doc.warnings,
        }


class CorpusIndex:
    def __init__(
        self,
        corpus: Path,
        index_dir: Path | None = None,
        *,
        globs: Sequence[str] = DEFAULT_GLOBS,
        excludes: Sequence[str] = (),
        max_bytes: int = DEFAULT_MAX_BYTES,
        full_check: bool = False,
        engine: Engine | None = None,
    ) -> None:
        """``full_check``: read every index file against its checksum each time a new
        state of the index is opened (42 ms on Reuters' 68 MB index), not only the small
        ones; worth it for a long-lived app, not for each one-shot search.  ``engine``:
        the index engine (default: Whoosh's, in ``index_dir``)."""
        self.corpus = Path(corpus)
        self.store = IndexStore(Path(index_dir) if index_dir else default_index_dir(self.corpus))
        self.globs = tuple(globs)
        self.excludes = tuple(excludes)  # beside the corpus's own .corpusignore
        self.max_bytes = max_bytes
        self.full_check = full_check
        if engine is None:
            from search.engine.whoosh.engine import WhooshEngine

            engine = WhooshEngine(self.store)
        self.engine = engine
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._facet_cache: dict[Any, Any] = {}
        self._catalogue: dict[str, dict[str, Any]] = {}
        self._catalogue_loads = 0
        # The curation file in force (the last good one), what it last said was wrong,
        # and the (file, its stamp, catalogue) it was compiled for.
        self._curation = Curation()
        self._curation_stamp: tuple[Any, ...] | None = None
        self.curation_problems: list[str] = []
        self._opened = 0  # snapshots opened so far: the index state a HitOrder refers to

    @property
    def index_dir(self) -> Path:
        return self.store.root

    # -- writing -------------------------------------------------------------------------
    def update(
        self,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        lock_timeout: float = 10.0,
        procs: int | None = None,
        verify: bool = False,
        hold: Collection[str] = (),
    ) -> UpdateReport:
        """``hold``: files still being written, left as they were indexed."""
        report = self.engine.update(
            self.corpus,
            rebuild=rebuild,
            globs=self.globs,
            excludes=self.excludes,
            max_bytes=self.max_bytes,
            lock_timeout=lock_timeout,
            progress=progress,
            procs=procs,
            verify=verify,
            hold=hold,
        )
        self.refresh()
        return report

    def exists(self) -> bool:
        return self.engine.exists()

    # -- the snapshot --------------------------------------------------------------------
    def refresh(self) -> None:
        """Drop the snapshot so the next search sees the newest committed index."""
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.close()
            self._snapshot = None

    def close(self) -> None:
        self.refresh()

    def _get_snapshot(self) -> Snapshot:
        if self._snapshot is not None and self._snapshot.up_to_date():
            return self._snapshot
        # A new snapshot also brings the catalogue an incremental update rewrote.
        self.refresh()
        self._snapshot = self.engine.open(self.corpus, full_check=self.full_check)
        self._opened += 1
        self._facet_cache.clear()
        self._catalogue = dict(self._snapshot.catalogue())
        self._catalogue_loads += 1
        return self._snapshot

    # -- searching -----------------------------------------------------------------------
    def parse(self, text: str) -> ParsedQuery:
        return parse_query(text)

    def search(
        self,
        text: str,
        *,
        limit: int | None = 10,
        sort: str = "relevance",
        filters: dict[str, Sequence[str]] | None = None,
        facets: bool = False,
        snippets: bool = True,
        every: bool = False,
    ) -> Results:
        """Run a query.  ``sort`` is one of ``SORTS``: ``"date"`` is oldest first,
        ``"newest"`` newest first, undated files last in both.

        ``filters`` narrows to documents holding every given entity key (the side panel).
        ``every``: order all the hits (``Results.order``), of which ``limit`` are made
        into ``Hit`` objects now and the rest by ``hits`` when they are needed.
        """
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}; sorts are {', '.join(SORTS)}")
        started = time.perf_counter()
        parsed = self.parse(text)
        return self._read(
            lambda snap: self._search(
                snap, parsed, limit, sort, filters, facets, snippets, started, every
            )
        )

    def hits(self, order: HitOrder, start: int, stop: int) -> list[Hit]:
        """The hits at list positions ``start:stop`` of an earlier search's ``order``.

        Raises ``StaleResultsError`` when the index changed since that search: its
        document numbers may now name other files."""

        def work(snap: Snapshot) -> list[Hit]:
            self._check_state(order)
            return self._make_hits(snap, order.parsed, order.listed[start:stop], False)

        return self._read(work)

    def position(self, order: HitOrder, path: str) -> int | None:
        """Where ``path`` sits in an earlier search's list (None: not among its hits);
        ``StaleResultsError`` as for ``hits``."""

        def work(snap: Snapshot) -> int | None:
            self._check_state(order)
            docnum = snap.doc_of(path)
            return None if docnum is None else order.row_of(docnum)

        return self._read(work)

    def _check_state(self, order: HitOrder) -> None:
        if self._opened != order.state:
            raise StaleResultsError("the index changed since this search; search again")

    def _read(self, work: Callable[[Snapshot], _T]) -> _T:
        """``work`` on one snapshot, the same for its whole duration.

        A commit that lands meanwhile does not disturb that snapshot, except
        that Whoosh opens some segment files only when first read, and the commit may have
        merged those segments and deleted their files.  So an error while the index moved
        on is retried on the new state; an error on an index that stayed put is damage.
        """
        with self._lock:
            for attempt in range(1, _TRIES + 1):
                before = self.engine.version()
                try:
                    snap = self._get_snapshot()
                    self._load_curation()
                    return work(snap)
                except QueryError:
                    raise  # the query's fault, not the index's: keep the snapshot
                except Exception as exc:  # noqa: BLE001 - a damaged segment surfaces here
                    self.refresh()
                    if attempt < _TRIES and self.engine.version() != before:
                        continue  # a writer committed or published meanwhile
                    if isinstance(exc, CorpusBrowserError):
                        raise
                    raise damaged_index(self.corpus) from exc
        raise AssertionError("unreachable")

    def _search(
        self,
        snap: Snapshot,
        parsed: ParsedQuery,
        limit: int | None,
        sort: str,
        filters: dict[str, Sequence[str]] | None,
        facets: bool,
        snippets: bool,
        started: float,
        every: bool = False,
    ) -> Results:
        snap.check(parsed.query)
        parsed = self._curated_query(parsed)
        terms = [self._entity_query(f, k) for f, keys in (filters or {}).items() for k in keys]
        q = tree.And((parsed.query, tree.And(tuple(terms)))) if terms else parsed.query
        found = snap.find(q, sort=sort, limit=None if every else limit)
        docs, scored = found.docs, found.listed
        order = None
        if every:
            order = HitOrder(self._opened, parsed, scored)
            scored = scored[:limit]
        hits = self._make_hits(snap, parsed, scored, snippets)
        results = Results(
            parsed.text, len(docs), hits, order=order, marks_words=marks_words(parsed)
        )
        results.first_date, results.last_date = snap.date_span(docs)
        if facets:
            results.facets = {f: self._facets(snap, f, docs) for f in FACET_FIELDS}
        results.suggestions = self._suggestions(snap, parsed)
        results.took_ms = (time.perf_counter() - started) * 1000
        return results

    def _make_hits(
        self,
        snap: Snapshot,
        parsed: ParsedQuery,
        scored: Sequence[tuple[int, float]],
        snippets: bool,
    ) -> list[Hit]:
        """``Hit`` objects for (docnum, score) pairs, with their matches marked."""
        texts: dict[int, str] = {}
        changed: set[int] = set()  # files edited since they were indexed: stale postings
        hits: list[Hit] = []
        records: dict[int, dict[str, Any]] = {}
        # A wildcard's spans are checked against the words of the text.
        read_texts = snippets or needs_text(parsed.highlights)
        for docnum, score in scored:
            stored = records[docnum] = snap.record(docnum)
            if read_texts:
                text, sha1 = self._current_text(stored, snap)
                texts[docnum] = text
                if sha1 is not None and sha1 != stored.get("sha1"):
                    changed.add(docnum)
            hits.append(_hit(stored, score))
        spans = snap.spans(parsed.highlights, [d for d, _ in scored], texts)
        titles = {docnum: hit.title for hit, (docnum, _s) in zip(hits, scored, strict=True)}
        title_spans = snap.title_spans(parsed.highlights, titles)
        wanted = _entity_keys(parsed)
        for hit, (docnum, _score) in zip(hits, scored, strict=True):
            hit.matches = spans.get(docnum, [])
            hit.title_matches = title_spans.get(docnum, [])
            if docnum in changed:  # the same spans document() gives the reader
                hit.matches = self._changed_matches(snap, hit.path, parsed, texts[docnum])
            elif wanted:
                hit.matches = merge_spans(hit.matches + mention_spans(records[docnum], wanted))
            if snippets:
                hit.snippet = _snippet(texts.get(docnum, ""), hit.matches)
        return hits

    def _facets(self, snap: Snapshot, fieldname: str, docs: set[int]) -> list[Facet]:
        """How many of ``docs`` hold each key of ``fieldname``: most first, then by name.

        The documents of each key are sets the snapshot keeps, so counting is one C-level
        set intersection per key instead of a Python step per matching document.
        """
        by_key = snap.entity_documents(fieldname)
        if self._curation:
            by_key = self._curated_sets(snap, fieldname, by_key)
        facets = []
        for key, ids in by_key.items():
            count = len(ids & docs)
            if count:
                name, detail, country = self._facet_detail(fieldname, key)
                facets.append(Facet(key, name, detail, country, count))
        facets.sort(key=lambda f: (-f.count, f.name.casefold(), f.key))
        return facets

    def _suggestions(self, snap: Snapshot, parsed: ParsedQuery) -> list[Suggestion]:
        """ "Did you mean" for each ``official:`` or ``province:`` value no document has."""
        out = []
        for fieldname, key in sorted(_unknown_entities(snap, parsed.query)):
            if fieldname == "province":
                from search.extract.gazetteer import province_aliases

                aliases = province_aliases()
            else:
                aliases = {}
            info = self._catalogue.get(fieldname, {})
            candidates = [
                Candidate(
                    known,
                    info.get(known, {}).get("name") or known.replace("_", " "),
                    snap.entity_frequency(fieldname, known),
                    aliases.get(known, ()),
                )
                for known in snap.entity_keys(fieldname)
            ]
            found = suggest(fieldname, key.replace("_", " "), candidates)
            if found.names:
                out.append(found)
        return out

    def _current_text(
        self, stored: dict[str, Any], snap: Snapshot | None = None
    ) -> tuple[str, str | None]:
        """The file's text as the reader shows it now, and its SHA-1 (None: unreadable, or
        not here but kept by an engine that stores texts, as a database does)."""
        try:
            from search.corpus.read import load_text

            full, sha1, _st, _w = load_text(self.corpus, stored["path"], self.max_bytes)
        except OSError:
            kept = snap.stored_text(stored["path"]) if snap is not None else None
            return (kept[0] if kept else ""), None
        from search.corpus.header import split_header

        return split_header(full)[1], sha1

    def current_text(self, path: str) -> str:
        """The text of ``path`` (relative to the corpus) as the reader shows it now, which
        is what a hit's match offsets count in; "" when it cannot be read.  No extraction:
        for reading many files' passages (an export, the concordance).  A file not here is
        read from an engine that keeps texts (PostgreSQL)."""
        try:
            return self._current_text({"path": path})[0] or self._read(
                lambda snap: self._current_text({"path": path}, snap)[0]
            )
        except CorpusBrowserError:
            return ""

    # -- what the analyst views read (search/views/) --------------------------------------
    def hit_entities(self, order: HitOrder) -> HitEntities:
        """For an earlier search's hits: each official and province among them, as the
        curation counts them, with the names the panel shows and the hits holding it (a
        mask), and each row's date.  From the index's columns: no document is read.
        ``StaleResultsError`` as for ``hits``."""

        def work(snap: Snapshot) -> HitEntities:
            self._check_state(order)
            hits = _mask_of(d for d, _s in order.listed)
            dates = snap.dates(d for d, _s in order.listed)
            found = HitEntities(order, [dates[d] for d, _s in order.listed])
            for fieldname in FACET_FIELDS:
                table = found.masks[fieldname] = {}
                for key, mask in self._key_masks(snap, fieldname).items():
                    held = mask & hits
                    count = held.bit_count()
                    if count:
                        name, detail, country = self._facet_detail(fieldname, key)
                        table[key] = (Facet(key, name, detail, country, count), held)
            return found

        return self._read(work)

    def _key_masks(self, snap: Snapshot, fieldname: str) -> dict[str, int]:
        """Each entity's documents as a bit mask, curated, cached like the facet sets."""
        cached = self._facet_cache.get(("masks", fieldname))
        if cached is None:
            by_key = snap.entity_documents(fieldname)
            if self._curation:
                by_key = self._curated_sets(snap, fieldname, by_key)
            cached = {key: _mask_of(ids) for key, ids in by_key.items()}
            self._facet_cache[("masks", fieldname)] = cached
        return cached  # type: ignore[no-any-return]

    def hit_findings(self, order: HitOrder, rows: Sequence[int]) -> list[tuple[Hit, Extraction]]:
        """The hits at list positions ``rows`` of an earlier search's ``order``, each with
        the extractor's findings as the index stored them and the curation shows them
        (an alias's mentions are not among them: they need the text).  No file is read."""

        def work(snap: Snapshot) -> list[tuple[Hit, Extraction]]:
            self._check_state(order)
            out = []
            for row in rows:
                docnum, score = order.listed[row]
                stored = dict(snap.record(docnum))
                found = decode_extraction(stored)
                if self._curation:
                    found = curate_extraction(found, self._curation, self._catalogue, {})
                out.append((_hit(stored, score), found))
            return out

        return self._read(work)

    # -- one document --------------------------------------------------------------------
    def document(self, path: str, query: str | None = None) -> DocumentView:
        """The document as the reader shows it, with the matches of ``query``.

        When the file is as it was indexed, its findings and match offsets come from the
        index; when it changed since, the extractor runs and offsets come from the text.
        """
        try:
            stored = self._read(lambda snap: self._stored(snap, path)[1])
        except CorpusBrowserError:
            if query:
                raise
            stored = {}  # no usable index: the file is still shown, extracted afresh

        def known(sha1: str) -> Extraction | None:
            return decode_extraction(stored) if stored.get("sha1") == sha1 else None

        try:
            doc = read_document(self.corpus, path, self.max_bytes, known=known)
        except OSError:
            kept = self._read(lambda snap: snap.stored_text(path)) if stored else None
            if kept is None:
                raise
            doc = _kept_document(stored, *kept)
        if stored:
            doc = self._read(lambda snap: self._curated_document(snap, doc))
        if not query:
            return DocumentView(doc, [])
        parsed = self.parse(query)
        # Maybe a newer snapshot: the document is looked up again.
        return self._read(lambda snap: _checked_view(snap, doc, self._curated_query(parsed)))

    def _changed_matches(
        self, snap: Snapshot, path: str, parsed: ParsedQuery, text: str
    ) -> list[Span]:
        """The matches of a hit edited since it was indexed, as the reader will show them,
        found with the search's own snapshot (opening another would close the search's)."""
        try:
            doc = read_document(self.corpus, path, self.max_bytes)
        except OSError:  # gone or unreadable since its text was read: match that text
            return snap.text_spans(text, parsed.highlights)
        return _matches(snap, doc, parsed)

    @staticmethod
    def _stored(snap: Snapshot, path: str) -> tuple[int | None, dict[str, Any]]:
        docnum = snap.doc_of(path)
        return docnum, (dict(snap.record(docnum)) if docnum is not None else {})

    # -- the curation file ----------------------------------------------------------------
    @property
    def curation_file(self) -> Path:
        """The curation file in force, or where a first edit will write it."""
        return curation_path(self.corpus, self.store.root)

    def curation(self) -> Curation:
        """The curation in force (the last good one), read again if its file changed;
        ``curation_problems`` says what of the file could not be applied."""
        return self._read(lambda _snap: self._curation)

    def curation_key(self, fieldname: str, name: str) -> str | None:
        """The index key of the entity called ``name`` (as the index or the curation file
        names it), or None."""
        from search.curation import Resolver
        from search.extract import fold, resolve_province

        def key(_snap: Snapshot) -> str | None:
            path = self.curation_file
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            names = Resolver(path, text, self._catalogue, fold, resolve_province)
            return names.key(fieldname, name)

        return self._read(key)

    def curate(self, op: str, fieldname: str, name: str, value: str | None = None) -> Edit:
        """Make one edit to the curation file (see ``search.curation.edit_curation``) and
        apply it; CurationError (one line) when it cannot be made."""
        from search.extract import fold, resolve_province

        known = self._read(lambda _snap: self._catalogue)
        with self._lock:
            edit = edit_curation(
                self.curation_file, known, fold, resolve_province, op, fieldname, name, value
            )
            self._curation_stamp = None
        return edit

    def undo_curation(self, edit: Edit) -> None:
        """Put back the text ``edit`` replaced."""
        with self._lock:
            restore_curation(edit.path, edit.previous)
            self._curation_stamp = None

    def _load_curation(self) -> None:
        """Compile the curation file again when it or the catalogue changed (called under
        the lock, after the snapshot).  A broken file leaves the last good curation."""
        path = find_curation(self.corpus, self.store.root)
        stamp = (path, _file_stamp(path), self._catalogue_loads)
        if stamp == self._curation_stamp:
            return
        self._curation_stamp = stamp
        for name in [n for n in self._facet_cache if isinstance(n, tuple)]:
            del self._facet_cache[name]  # curated facet sets
        if path is None:
            self._curation, self.curation_problems = Curation(), []
            return
        from search.extract import fold, resolve_province

        try:
            text = path.read_text(encoding="utf-8")
            entries = parse_entries(path, text)
            curation = compile_curation(path, entries, self._catalogue, fold, resolve_province)
        except CurationError as exc:
            self.curation_problems = [str(exc)]
        except (OSError, UnicodeDecodeError) as exc:
            self.curation_problems = [f"{path}:1: cannot read the curation file ({exc})"]
        except Exception as exc:  # noqa: BLE001 - never taken for damage of the index
            self.curation_problems = [f"{path}:1: cannot apply the curation file ({exc!r})"]
        else:
            self._curation, self.curation_problems = curation, curation.problems

    def _entity_parts(self, fieldname: str, key: str) -> tuple[list[str], list[Highlight]]:
        """The index keys that count as entity ``key`` under the curation, and the
        highlights of its aliases (nothing at all: hidden)."""
        cur = self._curation
        if key not in self._catalogue.get(fieldname, {}):
            from search.extract import fold

            key = cur.resolve_name(fieldname, fold(key.replace("_", " "))) or key
        if cur.is_hidden(fieldname, key):
            return [], []
        target = cur.target(fieldname, key)
        spellings = cur.spellings.get(fieldname, {}).get(target, [])
        return cur.members(fieldname, target), [h for h in map(_alias, spellings) if h]

    def _entity_query(self, fieldname: str, key: str, boost: float = 1.0) -> tree.Node:
        """What ``fieldname:key`` matches under the curation."""
        members, aliases = self._entity_parts(fieldname, key)
        if not members:
            return tree.Entity(fieldname, _NOTHING, boost)
        parts = [tree.Entity(fieldname, m) for m in members] + [_alias_query(h) for h in aliases]
        if len(parts) == 1:
            return dataclasses.replace(parts[0], boost=boost)
        return tree.Or(tuple(parts), boost)

    def _curated_query(self, parsed: ParsedQuery) -> ParsedQuery:
        """``parsed`` with its entity terms as the curation reads them."""
        if not self._curation:
            return parsed

        def rewrite(q: tree.Node) -> tree.Node:
            if isinstance(q, tree.Entity):
                return self._entity_query(q.field, q.key, q.boost)
            return tree.replace_children(q, rewrite)

        highlights: list[Highlight] = []
        for h in parsed.highlights:
            if h.kind != "entity":
                highlights.append(h)
                continue
            members, aliases = self._entity_parts(*h.words)
            highlights.extend(Highlight("entity", (h.words[0], m)) for m in members)
            highlights.extend(aliases)
        return ParsedQuery(parsed.text, rewrite(parsed.query), tuple(highlights))

    def _curated_document(self, snap: Snapshot, doc: Document) -> Document:
        """``doc`` with its findings as the curation shows them (the aliases' mentions
        from the index when the file is as indexed, else from its text)."""
        cur = self._curation
        if not cur:
            return doc
        docnum, stored = self._stored(snap, doc.path)
        as_indexed = docnum is not None and stored.get("sha1") == doc.sha1
        alias_spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for fieldname, table in cur.spellings.items():
            for key, spellings in table.items():
                found = [h for h in map(_alias, spellings) if h]
                if as_indexed:
                    spans = snap.spans(found, [docnum], {docnum: doc.text})[docnum]
                else:
                    spans = snap.text_spans(doc.text, found)
                alias_spans[(fieldname, key)] = spans
        curated = curate_extraction(doc.extraction, cur, self._catalogue, alias_spans)
        return dataclasses.replace(doc, extraction=curated)

    def _curated_sets(
        self, snap: Snapshot, fieldname: str, by_key: dict[str, set[int]]
    ) -> dict[str, set[int]]:
        """The documents of each entity as the curation counts them, cached per snapshot
        and curation: merged keys together, hidden ones gone, aliases' documents added."""
        cached = self._facet_cache.get(("curated", fieldname))
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        cur = self._curation
        out: dict[str, set[int]] = {}
        for key, ids in by_key.items():
            target = cur.target(fieldname, key)
            if not cur.is_hidden(fieldname, target):
                out[target] = out.get(target, set()) | ids
        for target, spellings in cur.spellings.get(fieldname, {}).items():
            if cur.is_hidden(fieldname, target):
                continue
            for h in filter(None, map(_alias, spellings)):
                found = snap.matching(_alias_query(h))
                out[target] = out.get(target, set()) | found
        self._facet_cache[("curated", fieldname)] = out
        return out

    def _facet_detail(self, fieldname: str, key: str) -> tuple[str, str, str | None]:
        """(name, detail, country) the panel shows for ``key``: an official's latest title
        among the keys merged into it, unless the curation gives one."""
        cur, info = self._curation, self._catalogue.get(fieldname, {})
        entry = info.get(key, {})
        if not cur:
            detail = entry.get("title") or entry.get("country") or ""
            return entry.get("name") or key, detail, entry.get("country")
        name = shown_name(cur, self._catalogue, fieldname, key, key)
        if fieldname == "official":
            title = cur.titles.get(key)
            if title is None:
                held = [info.get(m, {}) for m in cur.members(fieldname, key)]
                latest = max(held, key=lambda e: (bool(e.get("title")), e.get("title_date", "")))
                title = latest.get("title", "")
            return name, title or entry.get("country") or "", entry.get("country")
        return name, entry.get("country") or "", entry.get("country")

    # -- entities ------------------------------------------------------------------------
    def entities(self) -> dict[str, list[dict[str, Any]]]:
        """Every official and province across the corpus, merged by key, for `entities`;
        as the curation file shows them."""
        stored_docs, cur, aliased = self._read(self._entities_read)
        officials: dict[str, dict[str, Any]] = {}
        provinces: dict[str, dict[str, Any]] = {}
        ordered = sorted(
            stored_docs, key=lambda d: (d[0].get("date") is None, d[0].get("date"), d[0]["path"])
        )
        for stored, found in ordered:
            date = found.date.isoformat() if found.date else None
            path = stored["path"]
            for o in found.officials:
                entry = _tally(officials, o.key, path, o.aliases, len(o.mentions),
                               name=o.name, country=o.country)  # fmt: skip
                entry.setdefault("titles", []).extend(
                    {"title": title, "date": date, "path": path} for title in o.titles
                )
            for p in found.provinces:
                _tally(provinces, p.key, path, p.aliases, len(p.mentions),
                       name=p.name, country=p.country, kind=p.kind)  # fmt: skip
        if cur:
            place = {stored["path"]: i for i, (stored, _found) in enumerate(ordered)}
            officials = self._curated_entities("official", officials, cur, aliased, place)
            provinces = self._curated_entities("province", provinces, cur, aliased, place)
        for entry in officials.values():
            # As the side panel shows it; a title the analyst gave in the curation file wins.
            titles = entry.get("titles", [])
            curated = [t["title"] for t in titles if t.get("curated")]
            entry["title"] = curated[-1] if curated else latest_title(titles)
        order = lambda e: (-len(e["documents"]), e["name"])  # noqa: E731
        return {
            "officials": sorted(officials.values(), key=order),
            "provinces": sorted(provinces.values(), key=order),
        }

    def _entities_read(
        self, snap: Snapshot
    ) -> tuple[list[tuple[dict[str, Any], Extraction]], Curation, dict[tuple[str, str], Any]]:
        """Every document's findings, the curation, and for each entity with aliases the
        documents and mention counts of those aliases (path -> count)."""
        docs = [(dict(f), decode_extraction(f)) for f in snap.records()]
        cur = self._curation
        aliased: dict[tuple[str, str], dict[str, int]] = {}
        for fieldname, table in cur.spellings.items():
            for key, spellings in table.items():
                found = [h for h in map(_alias, spellings) if h]
                docnums: set[int] = set()
                for h in found:
                    docnums |= snap.matching(_alias_query(h))
                spans = snap.spans(found, sorted(docnums), {})
                aliased[(fieldname, key)] = {
                    snap.record(d)["path"]: len(spans[d]) for d in sorted(docnums)
                }
        return docs, cur, aliased

    def _curated_entities(
        self,
        fieldname: str,
        table: dict[str, dict[str, Any]],
        cur: Curation,
        aliased: dict[tuple[str, str], dict[str, int]],
        place: dict[str, int],
    ) -> dict[str, dict[str, Any]]:
        """``entities()``'s table for one field as the curation shows it."""
        out: dict[str, dict[str, Any]] = {}
        for key, entry in table.items():
            target = cur.target(fieldname, key)
            if cur.is_hidden(fieldname, target):
                continue
            if target not in out:
                out[target] = self._curated_entry(fieldname, target, table.get(target, entry))
            into = out[target]
            if key != target:
                into.setdefault("merged", []).append(key)
            _combine(into, entry["documents"], entry["aliases"], entry["mentions"], place)
            into.setdefault("titles", []).extend(entry.get("titles", []))
        for (field_of, target), counts in aliased.items():
            if field_of != fieldname or cur.is_hidden(fieldname, target) or not counts:
                continue
            if target not in out:
                out[target] = self._curated_entry(fieldname, target, {})
            spellings = cur.spellings[fieldname][target]
            _combine(out[target], list(counts), spellings, sum(counts.values()), place)
        for key, into in out.items():
            if "titles" in into:
                into["titles"].sort(key=lambda t: (t["date"] is None, t["date"] or ""))
            if fieldname == "official" and key in cur.titles:
                into["titles"] = [
                    *into.get("titles", []),
                    {"title": cur.titles[key], "date": None, "path": None, "curated": True},
                ]
        return out

    # -- for the analyst views (search/views): whole-result columns and word counts -----
    def hit_dates(self, order: HitOrder) -> list[datetime.date | None]:
        """The date of every hit of an earlier search's ``order``, in its order (None:
        undated), from the index's date column: a timeline reads no stored record.
        ``StaleResultsError`` as for ``hits``."""

        def work(snap: Snapshot) -> list[datetime.date | None]:
            self._check_state(order)
            dates = snap.dates(doc for doc, _score in order.listed)
            return [dates[doc] for doc, _score in order.listed]

        return self._read(work)

    @staticmethod
    def words(text: str) -> list[tuple[int, int, str]]:
        """The words of ``text`` as the index cuts them: (start, end, term), the term
        being what searches match on (folded case and diacritics, stemmed; a CJK
        character is a word)."""
        return analysed_words(text)

    def word_totals(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """How often each term of ``words`` occurs in the corpus's texts, and how many
        words those texts hold in all."""
        return self._read(lambda snap: snap.term_totals("body", set(terms)))

    # -------------------------------------------------------------------------------------
    def _curated_entry(self, fieldname: str, key: str, first: dict[str, Any]) -> dict[str, Any]:
        known = self._catalogue.get(fieldname, {}).get(key, {})
        entry = {
            "name": shown_name(self._curation, self._catalogue, fieldname, key, key),
            "country": first.get("country", known.get("country")),
            "key": key,
            "aliases": [],
            "documents": [],
            "mentions": 0,
        }
        if fieldname == "province":
            entry["kind"] = first.get("kind", known.get("kind", "province"))
        else:
            entry["titles"] = []
        if key in self._curation.added.get(fieldname, {}):
            entry["added"] = True
        return entry


def _kept_document(stored: dict[str, Any], text: str, first_line: int) -> Document:
    """The document as indexed, from what the engine keeps, for a file not here."""
    date = stored.get("date")
    return Document(
        path=stored["path"],
        title=stored.get("title", ""),
        date=date.date() if date is not None else None,
        date_inferred=bool(stored.get("date_inferred")),
        text=text,
        sha1=stored.get("sha1", ""),
        size=stored.get("size", 0),
        mtime_ns=stored.get("mtime_ns", 0),
        extraction=decode_extraction(stored),
        first_line=first_line,
    )


def _mask_of(docnums: Iterable[int]) -> int:
    """A set of document numbers as an int whose bit ``d`` is set for each ``d``."""
    bits = bytearray()
    for d in docnums:
        byte = d >> 3
        if byte >= len(bits):
            bits.extend(bytes(byte + 1 - len(bits)))
        bits[byte] |= 1 << (d & 7)
    return int.from_bytes(bits, "little")


def _mask_members(mask: int) -> set[int]:
    """The document numbers of a mask."""
    out: set[int] = set()
    for i, byte in enumerate(mask.to_bytes((mask.bit_length() + 7) // 8, "little")):
        if byte:
            out.update(i * 8 + b for b in range(8) if byte >> b & 1)
    return out


def _file_stamp(path: Path | None) -> tuple[int, int, int] | None:
    """What an edit of a file changes: (inode, size, mtime)."""
    try:
        st = os.stat(path) if path is not None else None
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns) if st else None


def _alias(spelling: str) -> Highlight | None:
    """A spelling that counts as an entity, as the quoted phrase of a search would match it."""
    words = analyse(spelling)
    if not words:
        return None
    return Highlight("term", words) if len(words) == 1 else Highlight("phrase", words)


def _alias_query(h: Highlight) -> tree.Node:
    if h.kind == "term":
        return tree.Term("body", h.words[0])
    return tree.Phrase("body", h.words)


def _checked_view(snap: Snapshot, doc: Document, parsed: ParsedQuery) -> DocumentView:
    """``doc`` with the matches of a query that no search has checked yet (its expansion is
    bounded): in its text and in its title."""
    snap.check(parsed.query)
    matches = _matches(snap, doc, parsed)
    return DocumentView(doc, matches, snap.text_spans(doc.title, parsed.highlights, "title"))


def marks_words(parsed: ParsedQuery) -> bool:
    """Whether the query has words to mark, in titles, texts or as entity mentions; a query
    of filters only (``date:2024``, ``path:00*``) selects files and marks nothing."""
    return bool(parsed.highlights)


def _matches(snap: Snapshot, doc: Document, parsed: ParsedQuery) -> list[Span]:
    """Where ``parsed`` matches ``doc``: from the index when the file is as indexed, else
    from its text; with the mentions of the entities the query names."""
    docnum, stored = CorpusIndex._stored(snap, doc.path)
    if docnum is not None and stored.get("sha1") == doc.sha1:
        found = snap.spans(parsed.highlights, [docnum], {docnum: doc.text})[docnum]
    else:
        found = snap.text_spans(doc.text, parsed.highlights)
    wanted = _entity_keys(parsed)
    if wanted:
        found = merge_spans(found + doc.extraction.mentions_of(wanted))
    return found


def _tally(
    table: dict[str, dict[str, Any]],
    key: str,
    path: str,
    aliases: list[str],
    mentions: int,
    **first_seen: Any,
) -> dict[str, Any]:
    """Add one document's findings for an entity to its corpus-wide entry."""
    entry = table.setdefault(
        key, {**first_seen, "key": key, "aliases": [], "documents": [], "mentions": 0}
    )
    entry["documents"].append(path)
    entry["mentions"] += mentions
    entry["aliases"].extend(a for a in aliases if a not in entry["aliases"])
    return entry


def _combine(
    into: dict[str, Any], paths: list[str], aliases: list[str], mentions: int, place: dict[str, int]
) -> None:
    """Add documents, aliases and mentions to a curated ``entities()`` entry, the documents
    in the corpus's date order."""
    merged = set(into["documents"]) | set(paths)
    into["documents"] = sorted(merged, key=lambda p: place.get(p, len(place)))
    into["aliases"].extend(a for a in aliases if a not in into["aliases"])
    into["mentions"] += mentions


def _unknown_entities(snap: Snapshot, q: tree.Node) -> set[tuple[str, str]]:
    """The (field, key) of each entity the query names that no document holds."""
    return {
        (leaf.field, leaf.key)
        for leaf in tree.leaves(q)
        if isinstance(leaf, tree.Entity) and not snap.entity_frequency(leaf.field, leaf.key)
    }


def _entity_keys(parsed: ParsedQuery) -> set[tuple[str, str]]:
    return {(h.words[0], h.words[1]) for h in parsed.highlights if h.kind == "entity"}


def _hit(stored: dict[str, Any], score: float) -> Hit:
    date = stored.get("date")
    return Hit(
        path=stored["path"],
        title=stored.get("title", ""),
        date=date.date() if isinstance(date, datetime.datetime) else None,
        date_inferred=bool(stored.get("date_inferred")),
        score=score,
        matches=[],
    )


def _snippet(text: str, matches: list[Span], width: int = 160) -> str:
    """One line of context around the first match (or the start), whitespace folded."""
    if not text:
        return ""
    start = matches[0][0] if matches else 0
    left = max(0, start - width // 3)
    piece = text[left : left + width]
    piece = " ".join(piece.split())
    return ("…" if left else "") + piece + ("…" if left + width < len(text) else "")
