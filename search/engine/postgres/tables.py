"""The database layout, and the one-writer lock.

Everything lives in the schema ``corpus_browser``; several corpora share it by name::

    corpora(name PK, live_gen)                 which generation answers for each corpus
    generations(gen PK, corpus, state, version, schema_version, root, options, catalogue)
    g<gen>_docs(doc PK, path, title, date, date_inferred, size, mtime_ns, sha1, entities,
                body, first_line, body_len, title_len, add_v, del_v)
    g<gen>_terms(field, term, v, docs, offs, pos)   PK (field, term, v)

A generation is one full build of one corpus.  ``version`` counts its commits; each commit
adds documents (``add_v``), retires documents (``del_v``) and adds one posting row per term
it touched (``v``), never changing a row another commit wrote.  A reader fixes the version
when it opens and filters every read by it, so it sees exactly the commits before it, with
no transaction held open and no lock taken: readers never block writers or each other, and
never see half a commit.

Postings are packed int32 arrays (bytea): ``docs`` ascending, ``offs`` where each doc's
positions start in ``pos`` (for the stemmed title and body: phrases and term frequencies);
the unstemmed words and entity keys keep ``docs`` alone.  Term fields: ``b``/``t`` the
stemmed body/title, ``B``/``T`` their unstemmed words (what wildcards and fuzzy words
expand over), ``o``/``p`` official and province keys.
"""

from __future__ import annotations

import time
import zlib
from typing import Any

from psycopg import sql

from search.errors import IndexLockedError

SCHEMA = "corpus_browser"
# Bumped whenever what is written changes; with search.index.generations.SCHEMA_VERSION (the
# extractor's findings) it decides whether a generation must be rebuilt.
LAYOUT_VERSION = 1
_LOCK_CLASS = 0x636F7262  # "corb": the advisory lock namespace of corpus-browser writers

_BASE_DDL = [
    "CREATE SCHEMA IF NOT EXISTS {s}",
    """CREATE TABLE IF NOT EXISTS {s}.corpora (
        name text PRIMARY KEY,
        live_gen integer
    )""",
    """CREATE TABLE IF NOT EXISTS {s}.generations (
        gen serial PRIMARY KEY,
        corpus text NOT NULL,
        state text NOT NULL CHECK (state IN ('building', 'live', 'retired')),
        version integer NOT NULL DEFAULT 0,
        schema_version text NOT NULL,
        root text NOT NULL,
        options jsonb NOT NULL DEFAULT '{{}}',
        catalogue jsonb NOT NULL DEFAULT '{{}}',
        created timestamptz NOT NULL DEFAULT now()
    )""",
]

_GEN_DDL = [
    """CREATE TABLE {docs} (
        doc integer PRIMARY KEY,
        path text COLLATE "C" NOT NULL,
        title text NOT NULL,
        date date,
        date_inferred boolean NOT NULL,
        size bigint NOT NULL,
        mtime_ns bigint NOT NULL,
        sha1 text NOT NULL,
        entities text NOT NULL,
        body text NOT NULL,
        first_line integer NOT NULL,
        body_len integer NOT NULL,
        title_len integer NOT NULL,
        add_v integer NOT NULL,
        del_v integer
    )""",
    "CREATE INDEX ON {docs} (path)",
    "CREATE INDEX ON {docs} (del_v) WHERE del_v IS NOT NULL",
    "CREATE INDEX ON {docs} (date)",
    """CREATE TABLE {terms} (
        field text COLLATE "C" NOT NULL,
        term text COLLATE "C" NOT NULL,
        v integer NOT NULL,
        docs bytea NOT NULL,
        offs bytea,
        pos bytea,
        PRIMARY KEY (field, term, v)
    )""",
]


def schema_version() -> str:
    from search.index.generations import SCHEMA_VERSION

    return f"{SCHEMA_VERSION}.{LAYOUT_VERSION}"


def table(gen: int, kind: str) -> sql.Identifier:
    return sql.Identifier(SCHEMA, f"g{gen}_{kind}")


def ensure_base(conn: Any) -> None:
    """Create the shared tables when they are not there (idempotent)."""
    with conn.transaction():
        # Two first writers at once would both try CREATE: serialise them.
        conn.execute("SELECT pg_advisory_xact_lock(%s, 0)", (_LOCK_CLASS,))
        for ddl in _BASE_DDL:
            conn.execute(sql.SQL(ddl).format(s=sql.Identifier(SCHEMA)))


def create_generation(conn: Any, corpus: str, root: str, options: Any) -> int:
    from psycopg.types.json import Jsonb

    with conn.transaction():
        gen = conn.execute(
            sql.SQL(
                "INSERT INTO {}.generations (corpus, state, schema_version, root, options) "
                "VALUES (%s, 'building', %s, %s, %s) RETURNING gen"
            ).format(sql.Identifier(SCHEMA)),
            (corpus, schema_version(), root, Jsonb(options)),
        ).fetchone()[0]
        for ddl in _GEN_DDL:
            conn.execute(sql.SQL(ddl).format(docs=table(gen, "docs"), terms=table(gen, "terms")))
    return int(gen)


def drop_retired(conn: Any, corpus: str, keep: set[int]) -> None:
    """Drop the tables of this corpus's retired generations that no reader may still need.

    A reader of a retired generation reopens once it sees the swap; a generation retired by
    an earlier run has had that chance.  A lock wait gives up quickly (a reader's query in
    flight) rather than queue readers behind it; the next run tries again."""
    rows = conn.execute(
        sql.SQL("SELECT gen FROM {}.generations WHERE corpus = %s AND state = 'retired'").format(
            sql.Identifier(SCHEMA)
        ),
        (corpus,),
    ).fetchall()
    for (gen,) in rows:
        if gen in keep:
            continue
        try:
            with conn.transaction():
                conn.execute("SET LOCAL lock_timeout = '500ms'")
                for kind in ("docs", "terms"):
                    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table(gen, kind)))
                conn.execute(
                    sql.SQL("DELETE FROM {}.generations WHERE gen = %s").format(
                        sql.Identifier(SCHEMA)
                    ),
                    (gen,),
                )
        except Exception:  # noqa: BLE001,S110 - a busy table: dropped by a later run
            pass


def lock_key(corpus: str) -> tuple[int, int]:
    return _LOCK_CLASS, zlib.crc32(corpus.encode("utf-8")) - 2**31


def acquire_writer_lock(conn: Any, corpus: str, timeout: float) -> None:
    """Hold this corpus's writer lock on ``conn`` (session level: released when the
    connection ends, however it ends).  After ``timeout`` seconds, ``IndexLockedError``
    naming the holder from ``pg_stat_activity``."""
    key = lock_key(corpus)
    deadline = time.monotonic() + max(timeout, 0.0)
    while True:
        got = conn.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()[0]
        if got:
            return
        if time.monotonic() >= deadline:
            raise IndexLockedError(
                f"another writer is updating corpus {corpus!r} in this database "
                f"({holder(conn, corpus)}); wait for it, or pass --wait SECONDS"
            )
        time.sleep(min(0.2, max(deadline - time.monotonic(), 0.01)))


def holder(conn: Any, corpus: str) -> str:
    classid, objid = lock_key(corpus)
    row = conn.execute(
        "SELECT a.application_name, host(a.client_addr), a.pid FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
        "AND l.granted AND l.classid::bigint = %s AND l.objid::bigint = %s "
        "AND l.objsubid = 2 LIMIT 1",
        (classid, objid & 0xFFFFFFFF),
    ).fetchone()
    if row is None:
        return "the holder has just finished"
    name, addr, pid = row
    where = f"from {addr}" if addr else "over a local socket"
    return f"{name or 'an unnamed client'}, {where}, server pid {pid}"


def release_writer_lock(conn: Any, corpus: str) -> None:
    conn.execute("SELECT pg_advisory_unlock(%s, %s)", lock_key(corpus))
