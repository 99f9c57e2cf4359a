"""The SQLite FTS5 peer: the same corpus, the same queries, timed in Python, at its best.

Tables: ``docs(title, body)``, an FTS5 table with ``tokenize='porter unicode61'``, and
``meta(id INTEGER PRIMARY KEY, path, date, title)`` with an index on ``date``. Documents are
inserted in date order (undated ones last), so a document's FTS5 rowid is its place in that
order and a date range is a contiguous range of rowids: the range is looked up in ``meta``'s
date index, then given to FTS5 as ``rowid BETWEEN``, which it answers by seeking in its
posting lists rather than by visiting every match (a date in an ``UNINDEXED`` FTS5 column,
as this peer once had it, is a scan of every row).

Each query does what ``search`` does for a page of results: count every hit and fetch the
``PAGE`` best (by BM25, with a snippet; by date, newest first, for a date range alone).
"""

from __future__ import annotations

import json
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from bench.corpora import HEADER_RE, corpus_files, decode
from bench.querymix import Query

PAGE = 20

SCHEMA = (
    "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')",
    "CREATE TABLE meta(id INTEGER PRIMARY KEY, path TEXT NOT NULL, date TEXT, title TEXT)",
)
DATE_INDEX = "CREATE INDEX meta_date ON meta(date)"
ROWID_RANGE = "SELECT min(id), max(id) FROM meta WHERE date BETWEEN ? AND ?"
COUNT = "SELECT count(*) FROM docs WHERE {where}"
# The page in two steps: the best rowids by BM25, then snippets and records for those alone
# (a snippet in the ranking statement is made for every hit, before the sort; FTS5's own
# ``ORDER BY rank`` measured slower than ordering by ``bm25()`` on Reuters' frequent words).
TOP_IDS = "SELECT rowid, bm25(docs) AS score FROM docs WHERE {where} ORDER BY score LIMIT ?"
PAGE_ROWS = (
    "SELECT m.path, m.date, m.title, snippet(docs, 1, '[', ']', '…', 12) "
    "FROM docs JOIN meta AS m ON m.id = docs.rowid "
    "WHERE docs MATCH ? AND docs.rowid IN (SELECT value FROM json_each(?))"
)
DATE_COUNT = "SELECT count(*) FROM meta WHERE date BETWEEN ? AND ?"
DATE_TOP = (
    "SELECT path, date, title FROM meta WHERE date BETWEEN ? AND ? ORDER BY date DESC LIMIT ?"
)


def _records(corpus: Path) -> Iterator[tuple[str, str | None, str, str]]:
    """(path, date or None, title, body) of every file, read as the floor reads it."""
    for path in corpus_files(corpus):
        text = unicodedata.normalize("NFC", decode(path.read_bytes()).replace("\r\n", "\n"))
        first, _, rest = text.partition("\n")
        header = HEADER_RE.match(first)
        date, title = (header.group(1), header.group(2)) if header else (None, first)
        yield str(path.relative_to(corpus)), date, title, rest


def build(corpus: Path, db_path: Path) -> tuple[float, sqlite3.Connection]:
    """Index the corpus into a fresh database; return (seconds, open connection)."""
    t0 = time.perf_counter()
    db_path.unlink(missing_ok=True)
    con = sqlite3.connect(db_path)
    for statement in SCHEMA:
        con.execute(statement)
    # Date order, undated last: a date range becomes a range of rowids.
    records = sorted(_records(corpus), key=lambda r: (r[1] is None, r[1] or "", r[0]))
    con.executemany(
        "INSERT INTO meta(id, path, date, title) VALUES (?, ?, ?, ?)",
        ((i, path, date, title) for i, (path, date, title, _body) in enumerate(records, 1)),
    )
    con.executemany(
        "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
        ((i, title, body) for i, (_path, _date, title, body) in enumerate(records, 1)),
    )
    con.execute(DATE_INDEX)
    con.execute(
        "INSERT INTO docs(docs) VALUES ('optimize')"
    )  # one b-tree per term, as after a merge
    con.commit()
    con.execute("ANALYZE")
    return time.perf_counter() - t0, con


def _match_where(con: sqlite3.Connection, q: Query) -> tuple[str, list[object]] | None:
    """The WHERE clause and parameters of a MATCH query; None when its date range is empty."""
    assert q.fts_match is not None
    if q.date_from is None:
        return "docs MATCH ?", [q.fts_match]
    lo, hi = con.execute(ROWID_RANGE, (q.date_from, q.date_to or q.date_from)).fetchone()
    if lo is None:
        return None
    return "docs MATCH ? AND rowid BETWEEN ? AND ?", [q.fts_match, lo, hi]


def run_query(con: sqlite3.Connection, q: Query, limit: int = PAGE) -> tuple[float, int]:
    """Run one query (count + top ``limit``); return (milliseconds, total hits)."""
    t0 = time.perf_counter()
    if q.fts_match is None:
        bounds = (q.date_from, q.date_to or q.date_from)
        total = con.execute(DATE_COUNT, bounds).fetchone()[0]
        con.execute(DATE_TOP, (*bounds, limit)).fetchall()
    elif (found := _match_where(con, q)) is None:
        total = 0
    else:
        where, params = found
        total = con.execute(COUNT.format(where=where), params).fetchone()[0]
        ids = [row[0] for row in con.execute(TOP_IDS.format(where=where), [*params, limit])]
        con.execute(PAGE_ROWS, (q.fts_match, json.dumps(ids))).fetchall()
    return (time.perf_counter() - t0) * 1000, total


def run_mix(con: sqlite3.Connection, queries: list[Query]) -> tuple[list[float], list[int]]:
    times, totals = [], []
    for q in queries:
        try:
            ms, total = run_query(con, q)
        except sqlite3.OperationalError:
            ms, total = float("nan"), -1
        times.append(ms)
        totals.append(total)
    return times, totals
