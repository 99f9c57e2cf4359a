"""A private PostgreSQL cluster for tests: Debian's postgresql-15 binaries, ``initdb`` run as
the ``postgres`` user in a temporary folder it owns, a free loopback port, the unix socket in
that folder, started with ``pg_ctl`` and removed afterwards (also when a test fails).

Used by the session fixture ``pg_cluster`` in conftest.py; other modules (the bench, the
replica test) may start their own with :func:`start_cluster`.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PG_BIN_CANDIDATES = ("/usr/lib/postgresql/15/bin",)
REQUIRE_ENV = "CORPUS_BROWSER_REQUIRE_PG"
BIN_ENV = "CORPUS_BROWSER_PG_BIN"  # another folder of initdb/pg_ctl, tried alone
SUPERUSER = "postgres"
START_TIMEOUT_S = 60


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL binaries, or no ``postgres`` user to run them as; the reason is the text."""


@dataclass(frozen=True)
class Cluster:
    """A running private cluster: connect with :attr:`url` (TCP on loopback, trust auth)."""

    bin_dir: Path
    data_dir: Path
    socket_dir: Path
    port: int
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, dbname: str, user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` (dropping one left over) and return its URL."""
        self.psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def psql(self, dbname: str, sql: str) -> str:
        """Run ``sql`` with psql as the superuser; returns its unaligned output."""
        proc = subprocess.run(
            [str(self.bin_dir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
            + ["-h", self.host, "-p", str(self.port), "-U", SUPERUSER, "-d", dbname, "-c", sql],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if proc.returncode:
            raise RuntimeError(f"psql failed: {proc.stderr.strip()}")
        return proc.stdout


def find_bin_dir() -> Path:
    """The folder of ``initdb``/``pg_ctl``, or :class:`ClusterUnavailable` saying why not."""
    chosen = os.environ.get(BIN_ENV)
    for candidate in (chosen,) if chosen else PG_BIN_CANDIDATES:
        if (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    raise ClusterUnavailable(
        f"no PostgreSQL binaries in {chosen or PG_BIN_CANDIDATES[0]}"
        " (apt-get install postgresql-15, or set CORPUS_BROWSER_PG_BIN)"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    """``args`` run as the postgres user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return args
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError as exc:
        raise ClusterUnavailable("running as root and there is no 'postgres' user") from exc
    return ["runuser", "-u", SUPERUSER, "--", *args]


def _run(args: list[str], timeout: float = START_TIMEOUT_S) -> None:
    proc = subprocess.run(
        _as_postgres(args), capture_output=True, text=True, timeout=timeout, cwd="/"
    )
    if proc.returncode:
        raise RuntimeError(f"{Path(args[0]).name} failed: {proc.stderr.strip()[-2000:]}")


def _private_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="corpus-browser-pg-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SUPERUSER)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    folder.chmod(0o700)
    return folder


@contextlib.contextmanager
def start_cluster(extra_conf: str = "") -> Iterator[Cluster]:
    """Init, start, yield and finally stop and remove one private cluster."""
    bin_dir = find_bin_dir()
    root = _private_folder()
    data_dir = root / "data"
    started = False
    try:
        _run(
            [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", SUPERUSER, "-A", "trust"]
            + ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        )
        cluster = Cluster(bin_dir, data_dir, root, free_port())
        conf = (
            f"listen_addresses = '127.0.0.1'\nport = {cluster.port}\n"
            f"unix_socket_directories = '{root}'\nfsync = off\nshared_buffers = 128MB\n"
            f"max_connections = 100\n{extra_conf}"
        )
        with open(data_dir / "postgresql.auto.conf", "a", encoding="utf-8") as fh:
            fh.write(conf)
        _run(
            [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(root / "log"), "-w"]
            + ["-t", str(START_TIMEOUT_S), "start"]
        )
        started = True
        yield cluster
    finally:
        if started:
            with contextlib.suppress(Exception):
                _run(
                    [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "-w"]
                    + ["stop"]
                )
        shutil.rmtree(root, ignore_errors=True)


def require_pg() -> bool:
    """Whether a missing cluster must fail the run rather than skip (CI sets it)."""
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")
