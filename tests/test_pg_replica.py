"""Searches go to a read replica, writes to the primary: a streaming replica of the session's
private cluster (``pg_basebackup -R``, tests/pg_replica.py) on its own loopback port."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pg_cluster as pgc
import pg_replica
import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_corpus"

# Minutes of a private cluster per run: with the heavy tests (.ci/run runs them).
pytestmark = pytest.mark.heavy


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "search", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k != "CORPUS_BROWSER_DB"},
    )


def search(word: str, primary: str, replica: str | None = None) -> list[str]:
    """The paths a JSON search for ``word`` finds, sent with ``--db`` and ``--db-replica``."""
    extra = ["--db-replica", replica] if replica else []
    return hits(cli("search", word, "--db", primary, *extra, "--name", "news", "--json"))


def hits(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode in (0, 1), done.stderr
    return sorted(hit["path"] for hit in json.loads(done.stdout)["hits"])


@pytest.fixture
def replica(pg_cluster: Any, pg_url: str) -> Iterator[Any]:
    """A hot standby of the session cluster, made after ``pg_url``'s database exists."""
    with pg_replica.start_replica(pg_cluster) as standby:
        yield standby


def test_search_goes_to_the_replica_and_index_to_the_primary(
    pg_cluster: Any, pg_url: str, replica: Any, tmp_path: Path
) -> None:
    corpus = tmp_path / "news"
    shutil.copytree(SAMPLE, corpus)
    dbname = pg_url.rsplit("/", 1)[1]
    replica_url = replica.url_for(dbname)
    done = cli("index", corpus, "--db", pg_url, "--db-replica", replica_url, "--quiet")
    assert done.returncode == 0, done.stderr
    pg_replica.wait_for_replay(pg_cluster, replica)
    assert replica.psql(dbname, "SELECT pg_is_in_recovery()").strip() == "t"

    on_primary = search("border", pg_url)
    assert on_primary
    assert search("border", pg_url, replica_url) == on_primary
    # With the primary unreachable the search still answers: it never went there.
    nowhere = f"postgresql://postgres@127.0.0.1:{pgc.free_port()}/{dbname}?connect_timeout=2"
    assert search("border", nowhere, replica_url) == on_primary

    # A file indexed on the primary reaches a search on the replica once replayed.
    (corpus / "walrus.txt").write_text(" date 2024-05-01 A walrus at the border gate\nWalrus.\n")
    done = cli("index", corpus, "--db", pg_url, "--db-replica", replica_url, "--quiet")
    assert done.returncode == 0, done.stderr
    pg_replica.wait_for_replay(pg_cluster, replica)
    assert search("walrus", nowhere, replica_url) == ["walrus.txt"]


def test_index_given_only_a_replica_fails_with_one_line(
    pg_url: str, replica: Any, tmp_path: Path
) -> None:
    dbname = pg_url.rsplit("/", 1)[1]
    done = cli("index", SAMPLE, "--db", replica.url_for(dbname), "--name", "news")
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr


def test_a_replica_without_a_primary_is_refused_in_one_line() -> None:
    done = cli("search", "border", "--corpus", SAMPLE, "--db-replica", "postgresql://h/db")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "corpus-browser: --db-replica goes with --db URL (the primary, where index writes)"
    )
