"""Ingestion: the corpus walk and extraction workers the Whoosh indexer uses
(``search.engine.whoosh.indexer``), their output analysed into terms (``analysis``) and
sent with COPY.

- A full build goes into a new generation beside the live one, committed a batch at a
  time, and is swapped in by one transaction at the end.  A build cut off (a killed
  connection, a restarted server, Ctrl-C) keeps its committed batches: the next run
  carries on with that generation and reads only the files it does not hold yet.
- An incremental update (files added, changed or removed, by size and mtime, then content
  hash) commits into the live generation in one transaction.
- One writer per corpus at a time, across hosts: a session advisory lock (``tables``).
"""

from __future__ import annotations

import contextlib
import datetime
import time
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from psycopg import sql

from search import ctrl_c
from search.corpus.read import DEFAULT_GLOBS, DEFAULT_MAX_BYTES, UnreadableError, read_document
from search.corpus.read import Skipped as SkippedFile
from search.engine.base import Progress, UpdateReport
from search.engine.postgres import tables
from search.engine.postgres.analysis import analysed_fields
from search.engine.postgres.connect import connect, redact
from search.engine.whoosh.indexer import (
    Prepared,
    _Catalogue,
    _prepared,
    _scan,
    document_fields,
)
from search.engine.whoosh.schema import make_schema
from search.errors import CorpusError, Interrupted
from search.stored import encode_extraction

__all__ = ["prepare", "update"]

_SCHEMA = make_schema()
# A batch is flushed (and, in a build, committed) at this many documents or text bytes:
# large enough that COPY runs at full speed, small enough that a cut-off build loses little.
_BATCH_DOCS = 5_000
_BATCH_BYTES = 24 * 2**20
_DOC_COLUMNS = (
    "doc path title date date_inferred size mtime_ns sha1 entities body first_line body_len "
    "title_len add_v"
).split()


def _entity_terms(fieldname: str, value: str) -> list[str]:
    """The terms the Whoosh engine's keyword field makes of ``value``: the same keys."""
    return list(dict.fromkeys(_SCHEMA[fieldname].process_text(value, mode="index")))


def _clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL; the same length keeps every offset.
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def prepare(args: tuple[str, str, int]) -> Prepared | SkippedFile:
    """One file read, extracted and analysed (in a worker process)."""
    root, rel, max_bytes = args
    try:
        doc = read_document(root, rel, max_bytes)
    except UnreadableError as exc:
        return SkippedFile(rel, str(exc))
    values = document_fields(doc)
    ext = doc.extraction
    fields = {
        "size": doc.size,
        "mtime_ns": doc.mtime_ns,
        "title": _clean(doc.title),
        "body": _clean(doc.text),
        "first_line": doc.first_line,
        "date_inferred": bool(doc.date_inferred),
        "entities": encode_extraction(ext),
        "o": _entity_terms("official", values["official"]),
        "p": _entity_terms("province", values["province"]),
        **analysed_fields(doc.title, doc.text),
    }
    return Prepared(
        path=doc.path,
        sha1=doc.sha1,
        warnings=doc.warnings,
        fields=fields,
        date=doc.date.isoformat() if doc.date else "",
        officials=[(o.key, o.name, o.country, o.titles) for o in ext.officials if o.key],
        provinces=[(p.key, p.name, p.country, p.kind) for p in ext.provinces if p.key],
    )


class _Batch:
    """Documents and their postings gathered for one COPY."""

    def __init__(self) -> None:
        self.docs: list[tuple[Any, ...]] = []
        self.positional: dict[tuple[str, str], tuple[array, array, array]] = {}
        self.plain: dict[tuple[str, str], array] = {}
        self.retire: list[int] = []
        self.text_bytes = 0

    def add(self, doc: int, item: Prepared) -> None:
        f = item.fields
        date = datetime.date.fromisoformat(item.date) if item.date else None
        self.docs.append(
            (doc, item.path, f["title"], date, f["date_inferred"], f["size"], f["mtime_ns"])
            + (item.sha1, f["entities"], f["body"], f["first_line"], f["body_len"])
            + (f["title_len"],)
        )
        self.text_bytes += len(f["body"])
        for field in ("b", "t"):
            for term, positions in f[field].items():
                entry = self.positional.get((field, term))
                if entry is None:
                    entry = self.positional[(field, term)] = (array("i"), array("i"), array("i"))
                docs, offs, pos = entry
                docs.append(doc)
                offs.append(len(pos))
                pos.extend(positions)
        for field in ("B", "T", "o", "p"):
            for term in f[field]:
                found = self.plain.get((field, term))
                if found is None:
                    self.plain[(field, term)] = array("i", (doc,))
                else:
                    found.append(doc)

    def full(self) -> bool:
        return len(self.docs) >= _BATCH_DOCS or self.text_bytes >= _BATCH_BYTES

    def write(self, conn: Any, gen: int, v: int) -> None:
        """COPY the batch as commit ``v`` of generation ``gen`` (in the caller's transaction)."""
        docs_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
            tables.table(gen, "docs"), sql.SQL(", ").join(map(sql.Identifier, _DOC_COLUMNS))
        )
        with conn.cursor() as cur:
            with cur.copy(docs_sql) as copy:
                for row in self.docs:
                    copy.write_row((*row, v))
            terms_sql = sql.SQL(
                "COPY {} (field, term, v, docs, offs, pos) FROM STDIN (FORMAT BINARY)"
            ).format(tables.table(gen, "terms"))
            with cur.copy(terms_sql) as copy:
                copy.set_types(["text", "text", "int4", "bytea", "bytea", "bytea"])
                for (field, term), (docs, offs, pos) in self.positional.items():
                    offs.append(len(pos))
                    copy.write_row((field, term, v, docs.tobytes(), offs.tobytes(), pos.tobytes()))
                for (field, term), docs in self.plain.items():
                    copy.write_row((field, term, v, docs.tobytes(), None, None))
            if self.retire:
                cur.execute(
                    sql.SQL(
                        "UPDATE {} SET del_v = %s WHERE doc = ANY(%s) AND del_v IS NULL"
                    ).format(tables.table(gen, "docs")),
                    (v, self.retire),
                )


def _gen_row(conn: Any, corpus: str, state: str) -> tuple[int, str] | None:
    return conn.execute(
        sql.SQL(
            "SELECT gen, schema_version FROM {}.generations WHERE corpus = %s AND state = %s "
            "ORDER BY gen DESC LIMIT 1"
        ).format(sql.Identifier(tables.SCHEMA)),
        (corpus, state),
    ).fetchone()


def update(
    conninfo: str,
    name: str,
    corpus: Path,
    *,
    rebuild: bool = False,
    globs: Sequence[str] = DEFAULT_GLOBS,
    excludes: Sequence[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    lock_timeout: float = 10.0,
    progress: Progress | None = None,
    procs: int | None = None,
) -> UpdateReport:
    """Bring corpus ``name`` in the database up to date with the folder ``corpus``."""
    import os

    started = time.perf_counter()
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise CorpusError(f"corpus folder {corpus} does not exist or is not a folder")
    if procs is None:
        procs = os.cpu_count() or 1
    report = UpdateReport(corpus=str(corpus), index_dir=f"{redact(conninfo)} (corpus {name})")
    conn = connect(conninfo, "index")
    try:
        tables.ensure_base(conn)
        tables.acquire_writer_lock(conn, name, lock_timeout)
        files = _scan(corpus, globs, excludes, report)
        live = _gen_row(conn, name, "live")
        building = _gen_row(conn, name, "building")
        reason = "requested" if rebuild else None
        if live is None:
            reason = reason or "no index yet"
        elif live[1] != tables.schema_version():
            reason = reason or "the index was built by another version; rebuilt"
        keep = {row[0] for row in (live, building) if row is not None}
        tables.drop_retired(conn, name, keep)
        options = {"globs": list(globs), "max_bytes": max_bytes}
        if reason is None:
            assert live is not None
            _apply(conn, live[0], corpus, files, report, max_bytes, procs, progress, False)
        else:
            report.rebuilt, report.rebuild_reason = True, reason
            if building is None or building[1] != tables.schema_version() or rebuild:
                gen = tables.create_generation(conn, name, str(corpus), options)
            else:
                gen = building[0]  # a build cut off earlier: carry on with it
            _apply(conn, gen, corpus, files, report, max_bytes, procs, progress, True)
            _swap(conn, name, gen)
        ctrl_c.check()
    except KeyboardInterrupt:
        raise Interrupted(
            "interrupted; what was committed stays, and the next run carries on from it"
        ) from None
    finally:
        with contextlib.suppress(Exception):
            conn.close()  # also releases the writer lock
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _stored_state(conn: Any, gen: int) -> dict[str, tuple[int, int, str, int]]:
    rows = conn.execute(
        sql.SQL("SELECT path, size, mtime_ns, sha1, doc FROM {} WHERE del_v IS NULL").format(
            tables.table(gen, "docs")
        )
    ).fetchall()
    return {path: (size, mtime, sha1, doc) for path, size, mtime, sha1, doc in rows}


def _apply(
    conn: Any,
    gen: int,
    corpus: Path,
    files: list[Any],
    report: UpdateReport,
    max_bytes: int,
    procs: int,
    progress: Progress | None,
    commit_each: bool,
) -> None:
    """Make generation ``gen`` hold ``files``: a commit per batch (``commit_each``, a build)
    or one commit for the whole run (the live generation)."""
    stored = _stored_state(conn, gen)
    changed = [f for f in files if stored.get(f.path, (None, None))[:2] != (f.size, f.mtime_ns)]
    present = {f.path for f in files}
    gone = [stored[p][3] for p in stored if p not in present]
    report.unchanged = len(files) - len(changed)
    report.removed = len(gone)
    if not changed and not gone:
        report.documents = len(stored)
        return
    gens = sql.Identifier(tables.SCHEMA, "generations")
    version, catalogue_data, next_doc = conn.execute(
        sql.SQL("SELECT version, catalogue, (SELECT coalesce(max(doc), 0) + 1 FROM {}) "
                "FROM {} WHERE gen = %s").format(tables.table(gen, "docs"), gens),
        (gen,),
    ).fetchone()  # fmt: skip
    catalogue = _Catalogue(catalogue_data or None)
    outer = contextlib.nullcontext() if commit_each else conn.transaction()
    batch = _Batch()
    with outer:
        for done, item in enumerate(
            _prepared(corpus, [f.path for f in changed], max_bytes, procs, prepare=prepare), 1
        ):
            ctrl_c.check()
            old = stored.get(item.path)
            if isinstance(item, SkippedFile):
                report.skipped.append({"path": item.path, "reason": item.reason})
                # A file that became binary is no longer an article; one that could not be
                # opened keeps its last indexed version.
                if old is not None and item.reason.startswith("not text"):
                    batch.retire.append(old[3])
                    report.removed += 1
            else:
                report.warnings.extend({"path": item.path, "message": w} for w in item.warnings)
                catalogue.add(item)
                if old is None:
                    report.added += 1
                elif old[2] == item.sha1:
                    report.unchanged += 1
                else:
                    report.updated += 1
                if old is not None:
                    batch.retire.append(old[3])
                batch.add(next_doc, item)
                next_doc += 1
            if progress is not None:
                progress(done, len(changed))
            if batch.full():
                version = _flush(conn, gen, batch, version, catalogue, commit_each)
                batch = _Batch()
        batch.retire.extend(gone)
        version = _flush(conn, gen, batch, version, catalogue, commit_each)
    report.documents = conn.execute(
        sql.SQL("SELECT count(*) FROM {} WHERE del_v IS NULL").format(tables.table(gen, "docs"))
    ).fetchone()[0]
    if commit_each:
        with contextlib.suppress(Exception):
            conn.execute(
                sql.SQL("ANALYZE {}, {}").format(
                    tables.table(gen, "docs"), tables.table(gen, "terms")
                )
            )


def _flush(
    conn: Any, gen: int, batch: _Batch, version: int, catalogue: _Catalogue, commit: bool
) -> int:
    """Write ``batch`` as the next commit; returns its version."""
    from psycopg.types.json import Jsonb

    v = version + 1
    with conn.transaction() if commit else contextlib.nullcontext():
        batch.write(conn, gen, v)
        conn.execute(
            sql.SQL("UPDATE {} SET version = %s, catalogue = %s WHERE gen = %s").format(
                sql.Identifier(tables.SCHEMA, "generations")
            ),
            (v, Jsonb(catalogue.data), gen),
        )
    return v


def _swap(conn: Any, name: str, gen: int) -> None:
    """Make ``gen`` the live generation of ``name`` in one transaction."""
    s = sql.Identifier(tables.SCHEMA)
    with conn.transaction():
        conn.execute(
            sql.SQL(
                "UPDATE {}.generations SET state = 'retired' WHERE corpus = %s AND state = 'live'"
            ).format(s),
            (name,),
        )
        conn.execute(
            sql.SQL("UPDATE {}.generations SET state = 'live' WHERE gen = %s").format(s), (gen,)
        )
        conn.execute(
            sql.SQL(
                "INSERT INTO {}.corpora (name, live_gen) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET live_gen = excluded.live_gen"
            ).format(s),
            (name, gen),
        )
