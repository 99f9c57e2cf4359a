"""A streaming replica of a private test cluster: ``pg_basebackup -R`` of the primary into a
temporary folder owned by ``postgres``, started on its own free loopback port as a hot
standby, stopped and removed afterwards."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator

import pg_cluster as pgc


@contextlib.contextmanager
def start_replica(primary: pgc.Cluster) -> Iterator[pgc.Cluster]:
    root = pgc._private_folder()
    data = root / "data"
    bin_dir = primary.bin_dir
    started = False
    try:
        pgc._run(
            [str(bin_dir / "pg_basebackup"), "-D", str(data), "-R", "-X", "stream"]
            + ["-c", "fast", "-h", primary.host, "-p", str(primary.port), "-U", pgc.SUPERUSER]
        )
        replica = pgc.Cluster(bin_dir, data, root, pgc.free_port())
        # The copy carries the primary's settings; the last line of a setting wins.
        with open(data / "postgresql.auto.conf", "a", encoding="utf-8") as fh:
            fh.write(
                f"\nport = {replica.port}\nunix_socket_directories = '{root}'\nhot_standby = on\n"
            )
        pgc._run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w"]
            + ["-t", str(pgc.START_TIMEOUT_S), "start"]
        )
        started = True
        yield replica
    finally:
        if started:
            with contextlib.suppress(Exception):
                pgc._run(
                    [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
                )
        shutil.rmtree(root, ignore_errors=True)


def wait_for_replay(primary: pgc.Cluster, replica: pgc.Cluster, timeout: float = 60.0) -> None:
    """Until the replica has replayed everything the primary had written when called."""
    lsn = primary.psql("postgres", "SELECT pg_current_wal_lsn()").strip()
    deadline = time.monotonic() + timeout
    query = f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"
    while replica.psql("postgres", query).strip() != "t":
        if time.monotonic() > deadline:
            raise TimeoutError(f"the replica did not replay up to {lsn} in {timeout:.0f} s")
        time.sleep(0.05)
