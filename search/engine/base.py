"""The engine protocol: what ``CorpusIndex`` (the facade) needs from an index engine.

An engine stores, for each article of one corpus, its analysed words (``search.query.tree``
says how a word is analysed), its date, the entity keys the extractor found and a stored
record; it answers queries given as our own tree (``search.query.tree.Node``), never as
text.  Parsing, curation (merged, hidden and aliased entities), facets' names, snippets
and the reader's view are the facade's, the same for every engine.

Two engines must give the same hit sets for the same tree, and the same match spans for
the same text; ranking may differ.

Life cycle::

    engine = SomeEngine(...)                 # one corpus (an index folder, a database + name)
    report = engine.update(corpus, ...)      # rebuild or incremental, one writer at a time
    snapshot = engine.open()                 # one consistent state of the index
    found = snapshot.find(tree, sort="relevance", limit=20)
    ...
    if not snapshot.up_to_date(): snapshot.close(); snapshot = engine.open()

Document numbers (``DocId``) are the snapshot's own: ints, valid only for the snapshot that
gave them (the facade's ``HitOrder`` records which one).  A snapshot is used from one
thread at a time (the facade holds a lock).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from search.query.tree import Highlight, Node
from search.spans import Span

__all__ = [
    "SORTS",
    "DocId",
    "Engine",
    "Found",
    "Progress",
    "Snapshot",
    "Span",
    "StoredRecord",
    "UpdateReport",
]

DocId = int
# Orders a result list can take: by score, oldest first, newest first (undated last in both).
SORTS = ("relevance", "date", "newest")

# What an engine keeps per document and gives back by ``Snapshot.record``:
#   path (str, relative to the corpus, "/"-separated, unique), title (str),
#   date (datetime.datetime at midnight, or absent: undated), date_inferred (bool),
#   size (int), mtime_ns (int), sha1 (str: of the file's bytes when indexed),
#   entities (str: the extractor's findings, ``search.stored.encode_extraction``).
StoredRecord = Mapping[str, Any]
# Called during an update with (files done, files to do).
Progress = Callable[[int, int], None]


@dataclass
class UpdateReport:
    """What an update did, for the command line's report and its JSON."""

    corpus: str
    index_dir: str
    documents: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    # one entry per exclude pattern that left something out, in the order first used
    excluded: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    rebuilt: bool = False
    rebuild_reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Found:
    """One query's answer: every matching document (for the total, the date span and the
    facets) and the first ``limit`` of them in the order asked, as (doc, score); scores
    are 0.0 in date orders."""

    docs: set[DocId]
    listed: list[tuple[DocId, float]]


class Snapshot(Protocol):
    """One state of the index; it never changes under its user."""

    # -- matching and order ------------------------------------------------------------
    def check(self, tree: Node) -> None:
        """Raise ``QueryError`` (one line) when the expanding leaves of ``tree`` together
        stand for more than ``search.query.tree.MAX_EXPANSION`` words of this index; before any
        posting is read."""

    def matching(self, tree: Node) -> set[DocId]:
        """Every live document ``tree`` matches."""

    def find(self, tree: Node, *, sort: str, limit: int | None) -> Found:
        """Every live match, and the best ``limit`` (None: all) in ``sort`` order
        (``SORTS``; date orders put undated documents last, ties by DocId)."""

    def rank(self, tree: Node, among: set[DocId], limit: int | None) -> list[tuple[DocId, float]]:
        """``among`` (documents ``tree`` matched), best first by this engine's score."""

    # -- per-document facts ------------------------------------------------------------
    def date_span(self, docs: Iterable[DocId]) -> tuple[datetime.date | None, datetime.date | None]:
        """The first and last date among ``docs`` (undated ones ignored)."""

    def dates(self, docs: Iterable[DocId]) -> dict[DocId, datetime.date | None]:
        """Each document's date (None: undated)."""

    def term_totals(self, field: str, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """How often each analysed term occurs in ``field`` over the whole index, and how
        many words the field holds in all (the collocates' expected counts)."""

    def entity_documents(self, field: str) -> Mapping[str, set[DocId]]:
        """Entity key -> the documents holding it, for "official" or "province" (cached per
        snapshot; may include deleted documents, which never match)."""

    def entity_frequency(self, field: str, key: str) -> int:
        """How many documents hold entity ``key`` (0: none; for "did you mean")."""

    def entity_keys(self, field: str) -> list[str]:
        """Every key of ``field`` the index holds."""

    def doc_of(self, path: str) -> DocId | None:
        """The live document of ``path``, or None."""

    def record(self, doc: DocId) -> StoredRecord:
        """What was stored for ``doc`` (see ``StoredRecord``)."""

    def records(self) -> Iterable[StoredRecord]:
        """Every live document's record, in DocId order."""

    def catalogue(self) -> Mapping[str, Mapping[str, Any]]:
        """The catalogue the last update wrote: field -> key -> {name, country, title, ...}."""

    # -- match spans -------------------------------------------------------------------
    def spans(
        self,
        highlights: Sequence[Highlight],
        docs: Sequence[DocId],
        texts: Mapping[DocId, str],
    ) -> dict[DocId, list[Span]]:
        """Where ``highlights`` match each of ``docs`` in its body, from the index (the
        text as indexed), sorted and merged (``search.spans.merge_spans``); ``texts[doc]``
        is the text, needed when ``needs_text(highlights)``."""

    def text_spans(
        self, text: str, highlights: Sequence[Highlight], field: str = "body"
    ) -> list[Span]:
        """Where the ``field`` highlights match ``text`` (a file changed since it was
        indexed, or a title), found by analysing it; expanding highlights expand against
        this index's words, and for the body against the text's own words too."""

    def title_spans(
        self, highlights: Sequence[Highlight], titles: Mapping[DocId, str]
    ) -> dict[DocId, list[Span]]:
        """Where the title highlights match each indexed title (by DocId; titles that hold
        no query word may be left out)."""

    def stored_text(self, path: str) -> tuple[str, int] | None:
        """The text of ``path`` as indexed and the file line it starts on, for an engine
        that keeps texts (a database: the reader needs no file); None when it keeps none."""

    # -- life --------------------------------------------------------------------------
    def up_to_date(self) -> bool:
        """False once a writer committed or published a newer state."""

    def close(self) -> None: ...


class Engine(Protocol):
    """One corpus's index in one engine."""

    def exists(self) -> bool:
        """Whether there is an index to open."""

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
        """Bring the index up to date with ``corpus``: incrementally by file state (size,
        mtime, then content hash), or a full rebuild (asked, missing, schema changed,
        damaged) built beside the live one and swapped in atomically.  One writer at a time
        (``IndexLockedError`` after ``lock_timeout``); ``verify`` checks every stored byte
        before trusting the index; ``hold`` names files still being written, left as they were
        indexed (or out, if new) by an incremental update.  Readers never see half an update."""

    def open(self, corpus: Path, *, full_check: bool = False) -> Snapshot:
        """The newest committed state; ``IndexMissingError`` / ``IndexUnusableError`` (one
        line naming the fix) when there is none or it is damaged or another corpus's."""

    def version(self) -> Any:
        """Changes whenever a writer commits or publishes (the facade retries a read that
        failed while it changed)."""
