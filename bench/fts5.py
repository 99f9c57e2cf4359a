"""The SQLite FTS5 peer: the same corpus in one FTS5 table, the same queries, timed in Python.

Table: ``docs(path UNINDEXED, title, body, date UNINDEXED)`` with ``tokenize='porter unicode61'``.
Each query does what ``search`` does for a page of results: count all hits and fetch the ten
best by BM25 with a snippet. A date range is a ``date BETWEEN`` filter (alone or with MATCH).
"""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from pathlib import Path

from bench.corpora import HEADER_RE, corpus_files, decode
from bench.querymix import Query

SCHEMA = (
    "CREATE VIRTUAL TABLE docs USING fts5("
    "path UNINDEXED, title, body, date UNINDEXED, tokenize='porter unicode61')"
)
TOP = (
    "SELECT path, title, date, bm25(docs) AS score, snippet(docs, 2, '[', ']', '…', 12) "
    "FROM docs WHERE {where} ORDER BY score LIMIT ?"
)
TOP_BY_DATE = "SELECT path, title, date FROM docs WHERE {where} ORDER BY date DESC LIMIT ?"


def build(corpus: Path, db_path: Path) -> tuple[float, sqlite3.Connection]:
    """Index the corpus into a fresh database; return (seconds, open connection)."""
    t0 = time.perf_counter()
    con = sqlite3.connect(db_path)
    con.execute(SCHEMA)
    rows = []
    for path in corpus_files(corpus):
        text = unicodedata.normalize("NFC", decode(path.read_bytes()).replace("\r\n", "\n"))
        first, _, rest = text.partition("\n")
        header = HEADER_RE.match(first)
        date, title = (header.group(1), header.group(2)) if header else (None, first)
        rows.append((str(path.relative_to(corpus)), title, rest, date))
    con.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows)
    con.commit()
    return time.perf_counter() - t0, con


def _where(q: Query) -> tuple[str, list[str]]:
    clauses, params = [], []
    if q.fts_match is not None:
        clauses.append("docs MATCH ?")
        params.append(q.fts_match)
    if q.date_from is not None:
        clauses.append("date BETWEEN ? AND ?")
        params += [q.date_from, q.date_to or q.date_from]
    return " AND ".join(clauses), params


def run_query(con: sqlite3.Connection, q: Query, limit: int = 10) -> tuple[float, int]:
    """Run one query (count + top ``limit``); return (milliseconds, total hits)."""
    where, params = _where(q)
    top = (TOP if q.fts_match is not None else TOP_BY_DATE).format(where=where)
    t0 = time.perf_counter()
    total = con.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()[0]
    con.execute(top, [*params, limit]).fetchall()
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
