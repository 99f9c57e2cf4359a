"""The private PostgreSQL cluster the PostgreSQL tests share: it starts, answers on loopback
as a database of its own per test, and leaves nothing behind."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pg_cluster as pgc
import pytest


def test_cluster_answers_on_loopback_and_lives_in_a_private_folder(pg_cluster: Any) -> None:
    import psycopg

    with psycopg.connect(pg_cluster.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        addr = conn.execute("SELECT inet_server_addr()::text").fetchone()[0]
    assert addr.startswith("127.0.0.1")
    assert (pg_cluster.socket_dir / f".s.PGSQL.{pg_cluster.port}").exists()
    if os.geteuid() == 0:
        assert pg_cluster.data_dir.stat().st_uid != 0


def test_each_test_gets_its_own_empty_database(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE t (x int)")
        conn.commit()
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
    assert tables == (1,)


def test_a_cluster_is_removed_after_use_even_when_the_body_fails() -> None:
    try:
        pgc.find_bin_dir()
    except pgc.ClusterUnavailable as exc:
        pytest.skip(str(exc))
    seen: list[Path] = []
    with pytest.raises(ZeroDivisionError), pgc.start_cluster() as cluster:
        seen.append(cluster.socket_dir)
        assert cluster.psql("postgres", "SELECT 42").strip() == "42"
        1 / 0  # noqa: B018
    assert seen and not seen[0].exists()


@pytest.mark.parametrize("require", ["", "1"])
def test_without_binaries_pg_tests_skip_or_fail_when_required(require: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, pgc.BIN_ENV: str(tmp_path / "nowhere"), pgc.REQUIRE_ENV: require}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
        + ["-rs", f"{Path(__file__)}::test_each_test_gets_its_own_empty_database"],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parent.parent,
        timeout=120,
    )
    if require:
        assert proc.returncode == 1, proc.stdout
        assert "CORPUS_BROWSER_REQUIRE_PG=1" in proc.stdout
    else:
        assert proc.returncode == 0, proc.stdout
        assert "1 skipped" in proc.stdout and "no PostgreSQL binaries" in proc.stdout
