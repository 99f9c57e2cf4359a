"""The PostgreSQL engine against a real private cluster (tests/pg_cluster.py) and real
files: ingestion, incremental updates, several corpora in one database, the atomic
rebuild, the one-writer lock, a killed connection, and credentials never shown."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from search.errors import IndexLockedError, IndexMissingError, IndexUnusableError
from search.query import tree as T

pytest.importorskip("psycopg")

from search.engine.postgres import PostgresEngine, corpus_names, ingest, redact  # noqa: E402
from search.engine.postgres import tables as pg_tables  # noqa: E402
from search.engine.postgres.analysis import stem_of  # noqa: E402
from search.engine.postgres.connect import connect  # noqa: E402


def _article(day: int, title: str, body: str) -> str:
    return f"date 2024-03-{day:02d} {title}\n\n{body}\n"


FILES = {
    "a.txt": _article(1, "Border trade", "Trade at the border gate grew. Cooperation deepened."),
    "b.txt": _article(2, "Rice harvest", "The rice harvest in Hanoi was large."),
    "sub/c.txt": _article(3, "Gate news", "A new gate opened near the border."),
}


def _word(word: str) -> T.Node:
    """A plain query word: its stem, in titles or text."""
    stem = stem_of(word)
    return T.Or((T.Term("title", stem), T.Term("body", stem)))


def _paths(snapshot: Any, tree: T.Node) -> set[str]:
    return {snapshot.record(d)["path"] for d in snapshot.matching(tree)}


# -- credentials ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("postgresql://ann:s3cret@db.example:5433/news", "postgresql://ann@db.example:5433/news"),
        (
            "postgres://ann:p%40ss@h1,h2/news?sslmode=require",
            "postgres://ann@h1,h2/news?sslmode=require",
        ),
        (
            "postgresql://h/news?password=s3cret&sslmode=verify-full",
            "postgresql://h/news?password=***&sslmode=verify-full",
        ),
        (
            "host=db user=ann password=s3cret dbname=news",
            "host=db user=ann password=*** dbname=news",
        ),
        ("host=db password='a b\\' c' dbname=news", "host=db password=*** dbname=news"),
        ("postgresql:///news", "postgresql:///news"),
    ],
)
def test_redact_removes_every_password(given: str, shown: str) -> None:
    assert redact(given) == shown


def test_an_unreachable_database_is_one_line_without_the_password(pg_cluster: Any) -> None:
    url = f"postgresql://postgres:hunter2@127.0.0.1:{pg_cluster.port}/no_such_db"
    with pytest.raises(IndexUnusableError) as info:
        PostgresEngine(url, "x").exists()
    message = str(info.value)
    assert "hunter2" not in message and "\n" not in message
    assert "no_such_db" in message


# -- ingestion and search ------------------------------------------------------------------
def test_index_then_search_with_documents_in_the_database(make_corpus, pg_url: str) -> None:
    corpus = make_corpus(FILES)
    engine = PostgresEngine(pg_url, "news")
    assert not engine.exists()
    with pytest.raises(IndexMissingError):
        engine.open()
    report = engine.update(corpus, procs=0)
    assert (report.documents, report.added, report.rebuilt) == (3, 3, True)
    snap = engine.open()
    assert _paths(snap, _word("border")) == {"a.txt", "sub/c.txt"}
    assert _paths(snap, T.Phrase("body", ("border", "gate"))) == {"a.txt"}
    assert _paths(snap, T.Prefix("body", "coop")) == {"a.txt"}
    assert _paths(snap, T.Fuzzy("body", "harvast", 1)) == {"b.txt"}
    assert _paths(snap, T.Entity("province", "hanoi")) == {"b.txt"}
    assert _paths(snap, T.Term("path", "sub/c.txt")) == {"sub/c.txt"}
    day = T.DateRange(pg_dt(2024, 3, 2), pg_dt(2024, 3, 2, 23, 59, 59))
    assert _paths(snap, day) == {"b.txt"}
    newest = snap.find(T.Every(), sort="newest", limit=2).listed
    assert [snap.record(d)["path"] for d, _ in newest] == ["sub/c.txt", "b.txt"]
    # the text comes from the database: the folder can go
    for path in corpus.rglob("*.txt"):
        path.unlink()
    doc = snap.doc_of("a.txt")
    spans = snap.spans([T.Highlight("phrase", ("border", "gate"))], [doc], {})
    text = snap.texts([doc])[doc]
    assert [text[s:e] for s, e in spans[doc]] == ["border gate"]


def pg_dt(*parts: int) -> Any:
    import datetime

    return datetime.datetime(*parts)


def test_incremental_update_and_snapshots_that_never_change(make_corpus, pg_url: str) -> None:
    corpus = make_corpus(FILES)
    engine = PostgresEngine(pg_url, "news")
    engine.update(corpus, procs=0)
    before = engine.open()
    (corpus / "b.txt").write_text(_article(2, "Rice", "Border rice trade."), encoding="utf-8")
    (corpus / "sub/c.txt").unlink()
    (corpus / "d.txt").write_text(_article(4, "New", "The border again."), encoding="utf-8")
    report = engine.update(corpus, procs=0)
    assert (report.added, report.updated, report.removed, report.rebuilt) == (1, 1, 1, False)
    assert report.documents == 3
    assert _paths(before, _word("border")) == {"a.txt", "sub/c.txt"}  # its own state
    assert not before.up_to_date()
    after = engine.open()
    assert _paths(after, _word("border")) == {"a.txt", "b.txt", "d.txt"}
    assert _paths(after, _word("harvest")) == set()
    assert engine.update(corpus, procs=0).unchanged == 3


def test_several_corpora_in_one_database_by_name(make_corpus, pg_url: str) -> None:
    one = make_corpus({"x.txt": _article(1, "Alpha", "walrus")})
    two = make_corpus({"y.txt": _article(1, "Beta", "narwhal")})
    PostgresEngine(pg_url, "one").update(one, procs=0)
    PostgresEngine(pg_url, "two").update(two, procs=0)
    assert corpus_names(pg_url) == ["one", "two"]
    assert _paths(PostgresEngine(pg_url, "one").open(), _word("walrus")) == {"x.txt"}
    assert _paths(PostgresEngine(pg_url, "two").open(), _word("walrus")) == set()


def test_rebuild_is_swapped_in_whole(make_corpus, pg_url: str) -> None:
    corpus = make_corpus(FILES)
    engine = PostgresEngine(pg_url, "news")
    engine.update(corpus, procs=0)
    old = engine.open()
    report = engine.update(corpus, procs=0, rebuild=True)
    assert report.rebuilt and report.rebuild_reason == "requested"
    assert _paths(old, _word("border")) == {"a.txt", "sub/c.txt"}  # the old one still answers
    new = engine.open()
    assert new.gen != old.gen
    assert _paths(new, _word("border")) == {"a.txt", "sub/c.txt"}


# -- one writer ------------------------------------------------------------------------------
def test_a_second_writer_waits_then_fails_naming_the_holder(make_corpus, pg_url: str) -> None:
    corpus = make_corpus(FILES)
    holder = connect(pg_url, "index")
    try:
        pg_tables.ensure_base(holder)
        pg_tables.acquire_writer_lock(holder, "news", 0)
        started = time.monotonic()
        with pytest.raises(IndexLockedError) as info:
            PostgresEngine(pg_url, "news").update(corpus, procs=0, lock_timeout=0.6)
        assert time.monotonic() - started >= 0.6
        assert "corpus-browser index" in str(info.value)
        assert f"pid {holder.info.backend_pid}" in str(info.value)
        assert info.value.exit_code == 3
    finally:
        holder.close()
    assert PostgresEngine(pg_url, "news").update(corpus, procs=0, lock_timeout=0).documents == 3


# -- faults ----------------------------------------------------------------------------------
def test_a_killed_build_keeps_its_commits_and_the_next_run_resumes(
    make_corpus, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {f"f{i:03d}.txt": _article(1 + i % 28, f"T{i}", f"walrus {i}") for i in range(300)}
    corpus = make_corpus(files)
    monkeypatch.setattr(ingest, "_BATCH_DOCS", 10)
    engine = PostgresEngine(pg_url, "big")
    failure: list[BaseException] = []

    def build() -> None:
        try:
            engine.update(corpus, procs=0)
        except BaseException as exc:  # noqa: BLE001 - the test looks at it
            failure.append(exc)

    watcher = connect(pg_url, "test")
    pg_tables.ensure_base(watcher)
    writer = threading.Thread(target=build)
    writer.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT version FROM corpus_browser.generations WHERE state = 'building'"
            ).fetchone()
            if row and row[0] >= 3:
                break
            time.sleep(0.01)
        killed = watcher.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name LIKE 'corpus-browser index%'"
        ).fetchall()
    finally:
        watcher.close()
    writer.join(30)
    assert killed and failure, "the writer was not cut off mid-build"
    assert isinstance(failure[0], IndexUnusableError)
    assert not engine.exists()  # the cut-off build was never swapped in
    report = engine.update(corpus, procs=0)
    assert report.documents == 300
    assert 0 < report.added < 300  # what the killed run committed was not read again
    assert len(engine.open().matching(_word("walrus"))) == 300


def test_a_killed_search_connection_is_one_line_and_the_next_search_reconnects(
    make_corpus, pg_url: str
) -> None:
    corpus = make_corpus(FILES)
    engine = PostgresEngine(pg_url, "news")
    engine.update(corpus, procs=0)
    snap = engine.open()
    killer = connect(pg_url, "test")
    try:
        killer.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name LIKE 'corpus-browser search%'"
        )
    finally:
        killer.close()
    with pytest.raises(IndexUnusableError) as info:
        snap.matching(_word("border"))
    assert "\n" not in str(info.value) and "search again" in str(info.value)
    assert _paths(engine.open(), _word("border")) == {"a.txt", "sub/c.txt"}
