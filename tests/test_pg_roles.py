"""``corpus-browser db init``: a reader role that cannot write, a writer role that indexes.

Against the session's private PostgreSQL cluster (tests/pg_cluster.py); roles are global to
a cluster, so each test names its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_corpus"

# Minutes of a private cluster per run: with the heavy tests (.ci/run runs them).
pytestmark = pytest.mark.heavy


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "search", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )


def psql_as(cluster: Any, url: str, statement: str) -> subprocess.CompletedProcess[str]:
    """``statement`` through psql connected as the URL's role (trust auth in the cluster)."""
    return subprocess.run(
        [str(cluster.bin_dir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        + ["-d", url, "-c", statement],
        capture_output=True,
        text=True,
        timeout=60,
    )


def index_as(url: str, name: str) -> subprocess.CompletedProcess[str]:
    """Our own ``index`` of the sample corpus into the database, as the URL's role."""
    return cli("index", str(SAMPLE), "--db", url, "--name", name, "--quiet", "--procs", "0")


@pytest.fixture
def roles(pg_cluster: Any, pg_url: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """A database with its two roles made by ``db init``; their URLs and names."""
    tag = "".join(c for c in request.node.name.lower() if c.isalnum())[-20:]
    reader, writer = f"r_{tag}", f"w_{tag}"
    done = cli("db", "init", "--db", pg_url, "--reader", reader, "--writer", writer, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["created"] == [reader, writer]
    dbname = pg_url.rsplit("/", 1)[1]
    return {
        "admin": pg_url,
        "reader": pg_cluster.url_for(dbname, reader),
        "writer": pg_cluster.url_for(dbname, writer),
        "reader_name": reader,
        "writer_name": writer,
    }


WRITES = [
    "INSERT INTO corpus_browser.corpora (name, live_gen) VALUES ('mine', 1)",
    "UPDATE corpus_browser.corpora SET live_gen = live_gen + 1",
    "DELETE FROM corpus_browser.corpora",
    "CREATE TABLE corpus_browser.mine (a int)",
    "CREATE TABLE public.mine (a int)",
    "DROP TABLE corpus_browser.corpora",
    "TRUNCATE corpus_browser.generations",
]


def test_reader_reads_and_cannot_write(pg_cluster: Any, roles: dict[str, str]) -> None:
    done = index_as(roles["writer"], "sample")
    assert done.returncode == 0, done.stderr
    reader = roles["reader"]
    count = "SELECT count(*) FROM corpus_browser.corpora"
    seen = psql_as(pg_cluster, reader, count)
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.strip() == "1"
    for statement in WRITES:
        # Two walls: its sessions are read-only, and it holds no right to write even in a
        # transaction it declares read-write.
        for attempt in (statement, f"BEGIN READ WRITE; {statement}; COMMIT"):
            done = psql_as(pg_cluster, reader, attempt)
            assert done.returncode != 0, attempt
            assert any(
                why in done.stderr
                for why in ("read-only transaction", "permission denied", "must be owner")
            ), done.stderr
    assert psql_as(pg_cluster, reader, count).stdout.strip() == "1"
    # The writer's tables, made after db init, are readable by the reader too.
    tables = psql_as(
        pg_cluster,
        reader,
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'corpus_browser' "
        "AND NOT has_table_privilege(current_user, schemaname || '.' || tablename, 'SELECT')",
    )
    assert tables.stdout.strip() == "0"


def test_index_as_the_reader_fails_with_one_line(roles: dict[str, str]) -> None:
    assert index_as(roles["writer"], "sample").returncode == 0
    for name in ("sample", "another"):  # into the corpus there, and a new one
        done = index_as(roles["reader"], name)
        assert done.returncode == 3, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert roles["reader_name"] in lines[0] and "read-only" in lines[0]
        assert "index as the writer role" in lines[0]
    # and the reader searches what the writer indexed
    found = cli("search", "border", "--db", roles["reader"], "--name", "sample", "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["total"] > 0


def test_db_init_again_changes_nothing_and_hashes_passwords(
    pg_cluster: Any, roles: dict[str, str]
) -> None:
    secret = "correct horse battery"
    done = cli(
        "db", "init", "--db", roles["admin"], "--reader", roles["reader_name"],
        "--writer", roles["writer_name"], env={"CORPUS_BROWSER_WRITER_PASSWORD": secret},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "already there" in done.stdout and secret not in done.stdout + done.stderr
    stored = pg_cluster.psql(
        "postgres",
        f"SELECT rolname, coalesce(left(rolpassword, 14), '-') FROM pg_authid "
        f"WHERE rolname IN ('{roles['reader_name']}', '{roles['writer_name']}') ORDER BY 1",
    )
    assert stored.split() == [f"{roles['reader_name']}|-", f"{roles['writer_name']}|SCRAM-SHA-256$"]


def test_db_init_refuses_a_role_without_rights(pg_cluster: Any, roles: dict[str, str]) -> None:
    done = cli("db", "init", "--db", roles["reader"], "--reader", "r_x", "--writer", "w_x")
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("corpus-browser: ")
    assert "Traceback" not in done.stderr
