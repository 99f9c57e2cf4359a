"""Bringing an index up to date with its corpus folder.

``update_index`` is the only writer.  It touches only what changed (size or mtime differ and
the content hash too), rebuilds into a fresh generation when asked, when there is no index,
when the schema changed or when the live index is damaged, and reports every file it passed
over.  The work is pure Python and CPU-bound, so it runs in worker processes: in a rebuild
each worker reads, extracts and writes whole segments of its own (``segment_writer``),
and this process only lists the finished segments in the index's table of contents; in an
incremental update the workers read and extract while this process feeds the one writer
that also deletes.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import functools
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from search import ctrl_c
from search.collector import quieten_collector
from search.corpus.read import (
    DEFAULT_GLOBS,
    DEFAULT_MAX_BYTES,
    CorpusFile,
    Document,
    Skipped,
    UnreadableError,
    read_document,
    scan_corpus,
)
from search.engine.base import Progress, UpdateReport
from search.engine.whoosh.postings import field_postings
from search.engine.whoosh.schema import FACET_COLUMNS, facet_column_value, make_schema
from search.engine.whoosh.segment_writer import GroupingSegmentWriter
from search.errors import CorpusError, IndexUnusableError, Interrupted
from search.excludes import CORPUSIGNORE, Excludes, Rule
from search.extract.model import title_rank
from search.index.generations import (
    CATALOGUE,
    IndexStore,
    clear_pending,
    mark_pending,
    newest_toc,
    read_checksums,
    record_checksums,
    verify_files,
    was_pending,
    write_json_atomic,
)
from search.stored import encode_extraction

__all__ = ["update_index"]

# Below this many files to read, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 64


def _workers(procs: int, files: int) -> int:
    """How many worker processes to start for ``files`` files (0: work in this process)."""
    return procs if procs >= 1 and files >= _PARALLEL_THRESHOLD else 0


@dataclass
class Prepared:
    """What a worker sends back for one article: postings and facts, never the text."""

    path: str
    sha1: str
    warnings: list[str]
    fields: dict[str, Any]
    date: str  # ISO date or ""
    officials: list[tuple[str, str, str | None, list[str]]]  # key, name, country, titles
    provinces: list[tuple[str, str, str, str]]  # key, name, country, kind


_SCHEMA = make_schema()


def _prepare(args: tuple[str, str, int]) -> Prepared | Skipped:
    root, rel, max_bytes = args
    try:
        doc = read_document(root, rel, max_bytes)
    except UnreadableError as exc:
        return Skipped(rel, str(exc))
    ext = doc.extraction
    return Prepared(
        path=doc.path,
        sha1=doc.sha1,
        warnings=doc.warnings,
        fields=field_postings(_SCHEMA, document_fields(doc)),
        date=doc.date.isoformat() if doc.date else "",
        officials=[(o.key, o.name, o.country, o.titles) for o in ext.officials if o.key],
        provinces=[(p.key, p.name, p.country, p.kind) for p in ext.provinces if p.key],
    )


def _worker_init(parent: int | None, done: Any, stop: Any) -> None:
    """Make a worker die with the indexer, leave Ctrl-C to the indexer, and set its cycle
    collector as the CLI's (``search.collector``): a segment writer holds millions of objects.

    A worker forked from the indexer holds copies of its lock descriptors; if it outlived a
    ``kill -9`` of the indexer it would hold the writer lock forever.
    """
    global _DONE, _STOP
    _DONE, _STOP = done, stop
    quieten_collector()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the indexer died before we could ask to follow it


_PR_SET_PDEATHSIG = 1
# In a worker: how many files all workers have finished (for progress), and the indexer's
# request to stop (Ctrl-C, an error elsewhere).
_DONE: Any = None
_STOP: Any = None


@dataclass
class _Pool:
    executor: ProcessPoolExecutor
    done: Any  # multiprocessing.Value
    stop: Any  # multiprocessing.Event


def _pool_context() -> Any:
    """fork is cheapest (workers inherit the loaded extractor) but unsafe once threads run."""
    alone = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if alone else "forkserver")


def _start_pool(procs: int, ctx: Any = None) -> _Pool:
    ctx = ctx or _pool_context()
    alone = ctx.get_start_method() == "fork"
    if alone:
        import search.extract.core  # noqa: F401 - loaded once here, inherited by every worker
    done, stop = ctx.Value("q", 0), ctx.Event()
    executor = ProcessPoolExecutor(
        max_workers=procs,
        mp_context=ctx,
        initializer=_worker_init,
        initargs=(os.getpid() if alone else None, done, stop),
    )
    # Start every worker now (fork starts them all at the first submit, forkserver one per
    # submit), while the caller holds SIGINT: a worker whose start was interrupted was never
    # joined, and died later with a traceback of its own.
    for _ in range(procs):
        executor.submit(os.getpid)
    return _Pool(executor, done, stop)


@contextlib.contextmanager
def _running_pool(procs: int) -> Iterator[_Pool]:
    """A pool of ``procs`` workers, shut down on leaving; on an error or Ctrl-C its workers
    stop at their next file and the queued work is dropped.

    The processes start with SIGINT held (``ctrl_c.Held``): a worker, multiprocessing's
    resource tracker or the fork server interrupted before it set Ctrl-C aside printed a
    traceback of its own.  A Ctrl-C meanwhile is raised when the pool exists, so it is
    shut down too.
    """
    ctx = _pool_context()
    if ctx.get_start_method() != "fork":
        # The resource tracker that forkserver needs unblocks SIGINT in this thread once it
        # has started itself (multiprocessing.resource_tracker): start it before the hold.
        resource_tracker.ensure_running()
    pool: _Pool | None = None
    try:
        with ctrl_c.Held():
            pool = _start_pool(procs, ctx)
        yield pool
    except BaseException:
        if pool is not None:
            pool.stop.set()
        raise
    finally:
        if pool is not None:
            pool.executor.shutdown(wait=True, cancel_futures=True)


def _prepared(
    root: Path,
    rels: Sequence[str],
    max_bytes: int,
    procs: int,
    prepare: Callable[[tuple[str, str, int]], Any] | None = None,
) -> Iterator[Prepared | Skipped]:
    """Each file read and prepared, in order, by ``prepare`` (a module-level function, so
    workers can run it; this engine's ``_prepare`` unless another engine brings its own)."""
    prepare = prepare or _prepare
    jobs = [(str(root), rel, max_bytes) for rel in rels]
    workers = _workers(procs, len(jobs))
    if not workers:
        yield from map(prepare, jobs)
        return
    with _running_pool(workers) as pool:
        yield from _bounded_map(pool.executor, jobs, window=_WINDOW, prepare=prepare)


_CHUNK = 32
# Chunks in flight: about a segment commit's worth of work, so workers keep going while
# this process flushes postings, and memory stays bounded.
_WINDOW = 32


def _prepare_chunk(
    jobs: Sequence[tuple[str, str, int]],
    prepare: Callable[[tuple[str, str, int]], Any] = _prepare,
) -> list[Prepared | Skipped]:
    return [prepare(job) for job in jobs]


def _bounded_map(
    pool: ProcessPoolExecutor,
    jobs: Sequence[tuple[str, str, int]],
    window: int,
    prepare: Callable[[tuple[str, str, int]], Any] = _prepare,
) -> Iterator[Prepared | Skipped]:
    """``pool.map`` in order, with at most ``window`` chunks in flight.

    ``Executor.map`` submits every job at once; when this process writes postings slower than
    the workers prepare them, the finished results pile up (6 GB at 100,000 articles).  A
    window keeps memory flat whatever the corpus size.
    """
    chunks = [jobs[i : i + _CHUNK] for i in range(0, len(jobs), _CHUNK)]
    pending: deque[Future[list[Prepared | Skipped]]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(_prepare_chunk, chunk, prepare))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


@dataclass
class _SegmentJob:
    """Files a rebuild worker reads, extracts and writes into one segment of its own."""

    index_dir: str
    root: str
    rels: list[str]
    max_bytes: int


class _Stopped(Exception):
    """The indexer asked its workers to stop."""


# Text per rebuild segment.  A segment writer keeps its postings in memory until it writes
# the segment, about 16 bytes per byte of text (Reuters), so this bounds a worker's memory:
# about 100 MB above its own 60 MB, and a worker cuts a segment before it passes 1.5 times
# this (files that grew since the scan).  Reuters (18 MB) makes four segments, so a search
# visits few.
_SEGMENT_TEXT_BYTES = 6 * 2**20
SegmentResult = tuple[list[Any], list["Prepared | Skipped"]]  # (whoosh Segments, facts)


def _write_segment(
    job: _SegmentJob, tick: Callable[[], None], stopped: Callable[[], bool]
) -> SegmentResult:
    """Index ``job``'s files into new segments of an unpublished generation.

    Each rebuild worker writes segments of its own, as Whoosh's MpWriter does, so writing
    postings (most of a build's time, pure Python) runs on every core instead of in the
    indexer alone.  The segments become part of the index only when the indexer lists them
    in the table of contents, after every worker finished.  Usually a job is one segment;
    a job with more text than planned (files grew since the scan) is cut into several, so
    a worker's memory stays bounded.  Returns the segments and what the indexer must know
    of each file: never the postings.
    """
    writer: GroupingSegmentWriter | None = None
    segments: list[Any] = []
    facts: list[Prepared | Skipped] = []
    text = 0
    for rel in job.rels:
        if stopped():
            raise _Stopped
        item = _prepare((job.root, rel, job.max_bytes))
        if isinstance(item, Prepared):
            size = _text_bytes(item.fields["size"], job.max_bytes)
            if writer is not None and text + size > _SEGMENT_TEXT_BYTES * 3 // 2:
                segments.append(writer._finalize_segment())  # files grew since the scan
                writer, text = None, 0
            if writer is None:  # not before: see below
                writer = GroupingSegmentWriter(
                    whoosh_index.open_dir(job.index_dir), _lk=False, compound=False
                )
            writer.add_document(**item.fields)
            text += size
            item.fields = {"size": item.fields["size"], "mtime_ns": item.fields["mtime_ns"]}
        facts.append(item)
        tick()
    # A writer with nothing to write is never opened: cancelling one would remove the
    # temporary folder that every worker's writer shares (Whoosh names it after the index).
    if writer is not None:
        segments.append(writer._finalize_segment())
    return segments, facts


def _text_bytes(size: int, max_bytes: int) -> int:
    """How much of a file a segment holds, for sizing segments (an empty file counts 1)."""
    return min(max(size, 1), max_bytes)


def _segment_in_worker(job: _SegmentJob) -> SegmentResult:
    def tick() -> None:
        with _DONE.get_lock():
            _DONE.value += 1

    return _write_segment(job, tick, _STOP.is_set)


def _segment_jobs(
    gen: Path, root: Path, files: Sequence[CorpusFile], max_bytes: int, workers: int
) -> list[_SegmentJob]:
    """Contiguous slices of about equal text, for a whole number of rounds per worker, each
    about ``_SEGMENT_TEXT_BYTES`` or less, so that each is written as one segment.  A file
    bigger than a slice ends its slice; the next cut is then where the plan resumes."""
    sizes = [_text_bytes(f.size, max_bytes) for f in files]
    total = sum(sizes)
    slices = workers * max(1, -(-total // (workers * _SEGMENT_TEXT_BYTES)))
    bounds, done, cut = [0], 0, 1  # cut: the slice boundary (in slices) to reach next
    for i, size in enumerate(sizes[:-1], 1):
        done += size
        if done * slices >= total * cut:
            bounds.append(i)
            cut = done * slices // total + 1
    bounds.append(len(files))
    return [
        _SegmentJob(str(gen), str(root), [f.path for f in files[a:b]], max_bytes)
        for a, b in zip(bounds, bounds[1:], strict=False)
        if b > a
    ]


def _write_segments(
    jobs: list[_SegmentJob], workers: int, progress: Progress | None
) -> list[SegmentResult]:
    """Run the jobs in ``workers`` processes (0: here); results in job order."""
    total = sum(len(job.rels) for job in jobs)
    if not workers:
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total)

        return [_write_segment(job, tick, lambda: False) for job in jobs]
    results: list[SegmentResult | None] = [None] * len(jobs)
    with _running_pool(workers) as pool:
        order = {pool.executor.submit(_segment_in_worker, job): i for i, job in enumerate(jobs)}
        pending = set(order)
        while pending:
            finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                results[order[future]] = future.result()
            if progress is not None:
                progress(pool.done.value, total)
            ctrl_c.check()  # one swallowed in a finaliser: stop now, not after the rebuild
    return [r for r in results if r is not None]


@functools.lru_cache(maxsize=4096)
def _facet_row(fieldname: str, value: str) -> bytes:
    """The facet column's row for a keyword value.  Remembered: most articles name the same
    few officials and provinces, or none, and Whoosh's keyword analyzer costs 6-10 us a
    call even for ""."""
    return facet_column_value(_SCHEMA, fieldname, value)


def document_fields(doc: Document) -> dict[str, Any]:
    """What one article contributes to the index."""
    ext = doc.extraction
    officials = [o for o in ext.officials if o.key]
    provinces = [p for p in ext.provinces if p.key]
    values: dict[str, Any] = {
        "path": doc.path,
        "title": doc.title,
        "_stored_title": doc.title,
        "title_exact": doc.title,
        "body": doc.text,
        "body_exact": doc.text,
        "date_inferred": doc.date_inferred,
        "official": ",".join(o.key.replace(",", " ") for o in officials),
        "province": ",".join(p.key.replace(",", " ") for p in provinces),
        "size": doc.size,
        "mtime_ns": doc.mtime_ns,
        "sha1": doc.sha1,
        "entities": encode_extraction(ext),
    }
    for fieldname, column in FACET_COLUMNS.items():
        values[column] = _facet_row(fieldname, values[fieldname])
    if doc.date is not None:
        values["date"] = datetime.datetime(doc.date.year, doc.date.month, doc.date.day)
    return values


class _Catalogue:
    """Display facts (name, country, latest title) per entity key, for the side panel.

    Counts always come from the index; this only says how to show a key, so it may keep
    entries whose documents are gone.
    """

    def __init__(self, data: dict[str, dict[str, Any]] | None = None) -> None:
        self.data = data or {"official": {}, "province": {}}

    def add(self, doc: Prepared) -> None:
        for key, name, country, titles in doc.officials:
            entry = self.data["official"].setdefault(
                key, {"name": name, "country": country, "title": "", "title_date": ""}
            )
            shown = (entry["title_date"], entry.get("title_path", ""))
            if titles and (
                not entry["title"] or title_rank(doc.date, doc.path) >= title_rank(*shown)
            ):
                entry.update(title=titles[0], title_date=doc.date, title_path=doc.path)
        for key, name, country, kind in doc.provinces:
            entry = self.data["province"].setdefault(
                key, {"name": name, "country": country, "kind": kind}
            )
            # the panel shows the spelling the corpus uses most ("Điện Biên" in a Vietnamese
            # corpus, "Dien Bien" in an English one): counted per document
            seen = entry.setdefault("spellings", {})
            seen[name] = seen.get(name, 0) + 1
            entry["name"] = max(seen.items(), key=lambda kv: (kv[1], kv[0]))[0]


def update_index(
    corpus: Path,
    store: IndexStore,
    *,
    rebuild: bool = False,
    globs: Sequence[str] = DEFAULT_GLOBS,
    excludes: Sequence[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    lock_timeout: float = 10.0,
    progress: Progress | None = None,
    procs: int | None = None,
    verify: bool = False,
) -> UpdateReport:
    """Make the index match ``corpus``; see the module docstring for the rules.

    ``excludes`` are gitignore-style patterns applied after the corpus's own
    ``.corpusignore`` (``search.excludes``); what they leave out is counted in the report.

    ``verify`` reads every index file against its checksum before trusting the index (see
    ``_trust_problem`` for what is read otherwise).
    """
    started = time.perf_counter()
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise CorpusError(f"corpus folder {corpus} does not exist or is not a folder")
    if procs is None:  # workers do most of the CPU work; this process mostly writes postings
        procs = os.cpu_count() or 1
    report = UpdateReport(corpus=str(corpus), index_dir=str(store.root))
    with store.writer_lock(lock_timeout):
        remove_failed_writes(store)
        files = _scan(corpus, globs, excludes, report)
        reason = "requested" if rebuild else None
        try:
            live = store.current()
        except IndexUnusableError as exc:  # a damaged CURRENT: a rebuild replaces it
            live, reason = None, reason or f"{exc}; rebuilt"
        ix = None
        if live is None or not live.is_dir():
            reason = reason or "no index yet"
        elif reason is None:
            wrong_corpus = store.corpus_problem(live, corpus)
            if wrong_corpus:
                raise IndexUnusableError(wrong_corpus)
            reason = store.schema_problem(live)
        if reason is None:
            try:
                ix = whoosh_index.open_dir(str(live))
                reason = _trust_problem(live, ix, verify)
                if reason is None:
                    stored = _stored_state(ix, live)
            except Exception:  # noqa: BLE001 - any failure to read means damaged
                reason = "index is damaged (a file of it cannot be read); rebuilt"
        before = index_state(store)
        try:
            if reason is not None or ix is None:
                report.rebuilt, report.rebuild_reason = True, reason
                _rebuild(corpus, store, files, report, max_bytes, procs, progress, globs)
            else:
                _incremental(
                    corpus, store, live, ix, stored, files, report, max_bytes, procs, progress
                )
            ctrl_c.check()  # a Ctrl-C swallowed on the way (in a finaliser) still ends the run
        except OSError as exc:
            remove_failed_writes(store)
            raise IndexUnusableError(
                f"could not write the index in {store.root}: {exc.strerror or exc}; "
                f"{stop_outcome(store, before)}"
            ) from exc
        except KeyboardInterrupt:
            remove_failed_writes(store)
            raise Interrupted(f"interrupted; {stop_outcome(store, before)}") from None
        except Exception:
            remove_failed_writes(store)
            raise
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _scan(
    corpus: Path, globs: Sequence[str], patterns: Sequence[str], report: UpdateReport
) -> list[CorpusFile]:
    """The files to index; skips and exclusions go into ``report``."""
    excludes = Excludes.load(corpus, patterns)
    if excludes.problem:
        report.warnings.append({"path": CORPUSIGNORE, "message": excludes.problem})
    files: list[CorpusFile] = []
    tally: dict[Rule, dict[str, Any]] = {}
    for item in scan_corpus(corpus, globs, excludes):
        if type(item) is CorpusFile:
            files.append(item)
        elif isinstance(item, Skipped):
            report.skipped.append({"path": item.path, "reason": item.reason})
        else:
            entry = tally.setdefault(
                item.rule,
                {"pattern": item.rule.pattern, "source": item.rule.source, "files": 0,
                 "folders": 0},
            )  # fmt: skip
            entry["folders" if item.is_dir else "files"] += 1
    report.excluded = list(tally.values())
    return files


# -- what a failed or interrupted run leaves, and what it says ---------------------------------
IndexState = tuple[str, int] | None  # (live generation, its Whoosh commit), None: no index


def index_state(store: IndexStore) -> IndexState:
    """Which index is live now, to tell afterwards whether a run changed it."""
    try:
        live = store.current()
        if live is None or not live.is_dir():
            return None
        return live.name, newest_toc(live)
    except IndexUnusableError:  # a damaged CURRENT: there is an index, whatever it holds
        return "", -1


def stop_outcome(store: IndexStore, before: IndexState) -> str:
    """What a run that stopped early did to the index, in words for the user."""
    after = index_state(store)
    if after != before and after is not None:
        return "the index was updated"  # the stop came after the commit
    return "no index was built" if before is None else "the previous index is unchanged"


def remove_failed_writes(store: IndexStore) -> None:
    """Remove what failed or killed runs wrote (call with the writer lock held): abandoned
    generations and temporary files (``IndexStore.clean``), and in the live generation the
    files its table of contents does not name.

    A failed update leaves the new segment it was writing in the live generation; Whoosh
    removes such files only at its next successful commit, so on a full disk every failed run
    added more and a freed disk was filled again before any run could succeed.  Called at
    the start of every run and at once when a run fails.
    """
    store.clean()
    with contextlib.suppress(IndexUnusableError):
        live = store.current()
        if live is not None and live.is_dir():
            for path in _unlisted_files(live):
                _remove(path)


_INDEXNAME = "MAIN"  # Whoosh's default index name, the prefix of every file it writes


def _unlisted_files(gen: Path) -> list[Path]:
    """Files of a generation that its latest table of contents does not name: the segments
    and the half-written table of contents of a failed commit, the writer's temporary
    folder, the sidecars' temporary files, and tables of contents of earlier commits.
    Nothing when the table of contents cannot be read: a damaged index is rebuilt whole."""
    from whoosh.index import TOC

    try:
        toc = TOC.read(FileStorage(str(gen)), _INDEXNAME)
        paths = list(gen.iterdir())
    except Exception:  # noqa: BLE001 - unreadable: leave it to the damage check
        return []
    listed = {segment.segment_id() for segment in toc.segments}
    toc_name = f"_{_INDEXNAME}_{toc.generation}.toc"
    unlisted = []
    for path in paths:
        name = path.name
        if name.startswith(f"_{_INDEXNAME}_"):
            stale = name != toc_name
        elif name.startswith(f"{_INDEXNAME}_"):
            stale = name != f"{_INDEXNAME}_WRITELOCK" and name.split(".")[0] not in listed
        else:
            stale = name.endswith(".tmp")
        if stale:
            unlisted.append(path)
    return unlisted


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


_FILES = "files.json"
FileState = dict[str, tuple[int, int, str]]  # path -> (size, mtime_ns, sha1)


def _trust_problem(gen: Path, ix: whoosh_index.Index, full: bool) -> str | None:
    """Why the live generation must be rebuilt instead of updated, or None.

    Checks what ``verify_files`` checks, every checksum when ``full`` or after an update
    that stopped mid-commit.  An index without a record of its files (an earlier version
    built it, or an update stopped between its commit and its record) cannot be vouched for:
    it is rebuilt once, which also records it.
    """
    recorded = read_checksums(gen)
    if recorded is None:
        return "the index records no checksums of its files (an earlier version built it); rebuilt"
    toc, files = recorded
    if toc != ix.latest_generation():
        return "the last update stopped before it recorded its files' checksums; rebuilt"
    problem = verify_files(gen, files, full=full or was_pending(gen))
    if problem:
        return f"index is damaged ({problem}); rebuilt"
    clear_pending(gen)
    return None


def _record_files(gen: Path, ix: whoosh_index.Index) -> None:
    """Record the checksums of the files the latest table of contents uses."""
    toc = whoosh_index.TOC.read(ix.storage, ix.indexname)
    names = [whoosh_index.TOC._filename(ix.indexname, toc.generation)]
    for segment in toc.segments:
        names.extend(segment.list_files(ix.storage))
    record_checksums(gen, toc.generation, names)


def _stored_state(ix: whoosh_index.Index, gen: Path) -> FileState:
    """What the index holds, from the sidecar when it matches the index's commit.

    The sidecar is only a cache (reading 20,000 stored records costs most of a second); a
    writer killed between commit and sidecar leaves a mismatched generation, and then the
    stored fields are read instead.
    """
    try:
        data = json.loads((gen / _FILES).read_text(encoding="utf-8"))
        if data.get("generation") != ix.latest_generation():
            raise ValueError("sidecar from another commit")
        return {path: tuple(value) for path, value in data["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    with ix.reader() as reader:
        return {
            f["path"]: (f.get("size", -1), f.get("mtime_ns", -1), f.get("sha1", ""))
            for f in reader.all_stored_fields()
        }


def _write_state(gen: Path, ix: whoosh_index.Index, state: FileState) -> None:
    write_json_atomic(gen / _FILES, {"generation": ix.latest_generation(), "files": state})
    _record_files(gen, ix)


class _Ledger:
    """What an update learns of each file besides its postings: the report, the side
    panel's catalogue and the files sidecar."""

    def __init__(self, report: UpdateReport, catalogue: _Catalogue, state: FileState) -> None:
        self.report, self.catalogue, self.state = report, catalogue, state
        self.failed: set[str] = set()

    def note(self, item: Prepared | Skipped) -> Prepared | None:
        """Record one file; returns it when it is an article to index."""
        if isinstance(item, Skipped):
            self.report.skipped.append({"path": item.path, "reason": item.reason})
            self.failed.add(item.path)
            return None
        self.report.warnings.extend({"path": item.path, "message": w} for w in item.warnings)
        self.catalogue.add(item)
        self.state[item.path] = (item.fields["size"], item.fields["mtime_ns"], item.sha1)
        return item


def _rebuild(
    corpus: Path,
    store: IndexStore,
    files: list[CorpusFile],
    report: UpdateReport,
    max_bytes: int,
    procs: int,
    progress: Progress | None,
    globs: Sequence[str],
) -> None:
    store.clean(keep_previous=False)
    gen = store.new_generation()
    ix = whoosh_index.create_in(str(gen), make_schema())
    ledger = _Ledger(report, _Catalogue(), {})
    workers = _workers(procs, len(files))
    jobs = _segment_jobs(gen, corpus, files, max_bytes, max(workers, 1))
    results = _write_segments(jobs, workers, progress)
    for _, facts in results:
        for item in facts:
            ledger.note(item)
    segments = [segment for written, _ in results for segment in written]
    ctrl_c.check()
    # One table of contents lists every worker's segment: the merge-policy hook is Whoosh's
    # public way to say which segments a commit keeps.
    ix.writer().commit(mergetype=lambda _writer, existing: [*existing, *segments])
    report.added = len(files) - len(ledger.failed)
    report.documents = report.added
    write_json_atomic(gen / CATALOGUE, ledger.catalogue.data)
    _write_state(gen, ix, ledger.state)
    store.write_meta(gen, corpus, {"globs": list(globs), "max_bytes": max_bytes})
    store.publish(gen)


def _incremental(
    corpus: Path,
    store: IndexStore,
    gen: Path,
    ix: whoosh_index.Index,
    stored: FileState,
    files: list[CorpusFile],
    report: UpdateReport,
    max_bytes: int,
    procs: int,
    progress: Progress | None,
) -> None:
    changed = [f for f in files if stored.get(f.path, (None, None))[:2] != (f.size, f.mtime_ns)]
    present = {f.path for f in files}
    gone = [p for p in stored if p not in present]
    report.unchanged = len(files) - len(changed)
    if not changed and not gone:
        report.documents = len(stored)
        return
    catalogue = _Catalogue(_read_catalogue(gen))
    state = dict(stored)

    def count(doc: Prepared) -> None:
        old = stored.get(doc.path)
        if old is None:
            report.added += 1
        elif old[2] == doc.sha1:
            report.unchanged += 1  # touched, not changed; re-added so the mtime matches
        else:
            report.updated += 1

    writer = ix.writer(limitmb=128, compound=False)
    ledger = _Ledger(report, catalogue, state)
    try:
        # Closed here, not when the garbage collector gets to it: that may run in the
        # pool's own manager thread, whose shutdown cannot join itself.
        with contextlib.closing(
            _prepared(corpus, [f.path for f in changed], max_bytes, procs)
        ) as docs:
            for done, item in enumerate(docs, 1):
                ctrl_c.check()  # one swallowed in a finaliser: stop now, not after the update
                doc = ledger.note(item)
                if doc is not None:
                    count(doc)
                    writer.update_document(**doc.fields)
                if progress is not None:
                    progress(done, len(changed))
        failed = ledger.failed
        for path in gone:
            writer.delete_by_term("path", path)
        # A file that became binary is no longer an article; one that could not be opened
        # (permissions, a transient error) keeps its last indexed version.
        for path in failed:
            reason = next(s["reason"] for s in report.skipped if s["path"] == path)
            if path in stored and reason.startswith("not text"):
                writer.delete_by_term("path", path)
                gone.append(path)
        ctrl_c.check()
        mark_pending(gen)  # removed once the commit's files are recorded
        writer.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    for path in gone:
        state.pop(path, None)
    report.removed = len(gone)
    report.documents = len(state)
    # The update is committed.  The sidecars are caches (a stale one is detected and read
    # around) or the checksums (a stale record makes the next run rebuild), so failing to
    # write them (a full disk) must not fail the run with a message that claims the index
    # is unchanged.
    try:
        write_json_atomic(gen / CATALOGUE, catalogue.data)
        _write_state(gen, ix, state)
        clear_pending(gen)
    except OSError as exc:
        report.warnings.append(
            {
                "path": str(gen),
                "message": f"index updated; caches and checksums not written: {exc.strerror}; "
                "the next run rebuilds the index",
            }
        )


def _read_catalogue(gen: Path) -> dict[str, dict[str, Any]] | None:
    try:
        return json.loads((gen / CATALOGUE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
