"""Every verb against PostgreSQL (``--db URL`` or ``CORPUS_BROWSER_DB``), as a subprocess:
the same JSON as the Whoosh engine, no local files needed to search and read, the
one-writer lock's exit 3 naming the holder, and the password never printed."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from conftest import json_out

pytest.importorskip("psycopg")

from search.engine.postgres import tables as pg_tables  # noqa: E402
from search.engine.postgres.connect import connect  # noqa: E402

SECRET = "hunter2-not-needed"  # the cluster trusts loopback: a password is sent, never used

# Minutes of a private cluster per run: with the heavy tests (.ci/run runs them).
pytestmark = pytest.mark.heavy


def _with_password(url: str) -> str:
    return url.replace("postgres@", f"postgres:{SECRET}@", 1)


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    """Search JSON alike but for the time taken and the scores (ranking may differ)."""
    for data in (a, b):
        data.pop("took_ms", None)
        for hit in data.get("hits", []):
            hit.pop("score", None)
    a_hits = sorted(a.pop("hits"), key=lambda h: h["path"])
    b_hits = sorted(b.pop("hits"), key=lambda h: h["path"])
    assert a_hits == b_hits
    assert a == b


def test_verbs_on_postgres_give_the_whoosh_json_without_the_folder(
    sample_corpus, tmp_path, run_cli, pg_url: str
) -> None:
    db = _with_password(pg_url)
    ix = tmp_path / "ix"
    assert run_cli("index", sample_corpus, "--index-dir", ix, "--json").returncode == 0
    proc = run_cli("index", sample_corpus, "--db", db, "--name", "sample", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json_out(proc)
    assert report["documents"] == 5 and report["rebuilt"]
    assert SECRET not in proc.stdout + proc.stderr
    assert report["index_dir"].startswith("postgresql://postgres@127.0.0.1")

    query = 'province:guangxi "border gate"'
    whoosh = {
        "search": json_out(
            run_cli("search", query, "--corpus", sample_corpus, "--index-dir", ix, "--json")
        ),
        "entities": json_out(
            run_cli("entities", "--corpus", sample_corpus, "--index-dir", ix, "--json")
        ),
    }
    path = whoosh["search"]["hits"][0]["path"]
    whoosh["show"] = json_out(
        run_cli("show", path, "--corpus", sample_corpus, "--index-dir", ix, "--json", "--query",
                query)
    )  # fmt: skip
    shutil.rmtree(sample_corpus)  # an analyst elsewhere: only the connection
    where = ["--db", db, "--name", "sample"]
    runs = {
        "search": run_cli("search", query, *where, "--json"),
        "entities": run_cli("entities", *where, "--json"),
        "show": run_cli("show", path, *where, "--json", "--query", query),
    }
    for verb, proc in runs.items():
        assert proc.returncode == 0, f"{verb}: {proc.stderr}"
        assert SECRET not in proc.stdout + proc.stderr
    _same(json_out(runs["search"]), whoosh["search"])
    assert json_out(runs["entities"]) == whoosh["entities"]
    shown, expected = json_out(runs["show"]), whoosh["show"]
    assert shown["matches"] == expected["matches"] and shown["text"] == expected["text"]


@pytest.mark.heavy  # three more CLI runs; the verbs' JSON is checked in the default suite
def test_the_database_from_the_environment_and_a_missing_corpus(
    sample_corpus, run_cli, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORPUS_BROWSER_DB", _with_password(pg_url))
    proc = run_cli("search", "border", "--name", "nowhere", "--json")
    assert proc.returncode == 3
    assert "'nowhere' is not in the database" in proc.stderr and SECRET not in proc.stderr
    assert run_cli("index", sample_corpus, "--name", "s", "--quiet").returncode == 0
    found = json_out(run_cli("search", "border", "--name", "s", "--json"))
    assert found["total"] == 5


def test_a_second_writer_exits_3_naming_the_holder(sample_corpus, run_cli, pg_url: str) -> None:
    holder = connect(pg_url, "index")
    pid = holder.info.backend_pid
    try:
        pg_tables.ensure_base(holder)
        pg_tables.acquire_writer_lock(holder, "sample", 0)
        proc = run_cli("index", sample_corpus, "--db", pg_url, "--name", "sample", "--wait", "0.5")
    finally:
        holder.close()
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1
    assert "corpus-browser index" in proc.stderr and f"pid {pid}" in proc.stderr


def test_an_unreachable_server_is_one_line_and_exit_3(sample_corpus, run_cli, pg_cluster) -> None:
    dead = f"postgresql://postgres:{SECRET}@127.0.0.1:1/x?connect_timeout=2"
    proc = run_cli("search", "border", "--db", dead, "--name", "s")
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert SECRET not in proc.stderr and "postgresql://postgres@127.0.0.1:1/x" in proc.stderr
