"""The PostgreSQL engine: corpora, their documents and their analysed words in one database
that a whole team reaches over the network.  Nothing outside this package imports psycopg.

``PostgresEngine(conninfo, name)`` is one corpus of that database (``search.engine.base``):
``update`` ingests a folder (``ingest``), ``open`` gives a snapshot (``snapshot``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from search.engine.postgres.connect import (
    DB_ENV,
    connect,
    is_database_url,
    psycopg_module,
    redact,
    unreachable,
)
from search.errors import IndexMissingError, IndexUnusableError

__all__ = ["DB_ENV", "PostgresEngine", "corpus_names", "is_database_url", "redact"]


def corpus_names(conninfo: str) -> list[str]:
    """The corpora the database holds, by name."""
    from search.engine.postgres.tables import SCHEMA

    conn = connect(conninfo, "list")
    try:
        from psycopg import errors, sql

        try:
            rows = conn.execute(
                sql.SQL("SELECT name FROM {}.corpora ORDER BY name").format(sql.Identifier(SCHEMA))
            ).fetchall()
        except errors.UndefinedTable:
            return []
        return [name for (name,) in rows]
    finally:
        conn.close()


class PostgresEngine:
    """One corpus, by name, in one PostgreSQL database."""

    def __init__(self, conninfo: str, name: str, replicas: Sequence[str] = ()) -> None:
        """``conninfo`` is the primary, where ``update`` writes; searches read from the
        first of ``replicas`` that answers (each process starts at a random one, so a team
        spreads over them), and from the primary when none does."""
        self.conninfo, self.name = conninfo, name
        self.replicas = list(replicas)
        self._conn: Any = None

    def describe(self) -> str:
        """Where this index lives, with no secret: for messages and JSON."""
        return f"{redact(self.conninfo)} (corpus {self.name})"

    def index_arguments(self) -> list[str]:
        """What an ``index`` child process needs on its command line to write here."""
        return ["--name", self.name]

    def index_environment(self) -> dict[str, str]:
        """The database for an ``index`` child, by the environment: a command line is
        readable by every user of the machine, a password in it would be too."""
        return {DB_ENV: self.conninfo}

    def _reader(self) -> Any:
        """The reading connection, reopened when the last one was lost."""
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = self._connect_for_reading()
        return self._conn

    def _connect_for_reading(self) -> Any:
        start = random.randrange(len(self.replicas)) if self.replicas else 0
        for replica in self.replicas[start:] + self.replicas[:start]:
            try:
                return connect(replica, "search")
            except IndexUnusableError:
                continue  # the next replica, and last the primary
        return connect(self.conninfo, "search")

    def _state(self) -> tuple[Any, Any, Any]:
        psycopg = psycopg_module()
        from search.engine.postgres.snapshot import current_state

        for attempt in (1, 2):
            try:
                return current_state(self._reader(), self.name)
            except psycopg.OperationalError as exc:
                # An idle connection the server dropped (restarted, or killed it): one
                # fresh connection is tried before saying so.
                self.close()
                if attempt == 2:
                    raise unreachable(self.conninfo, exc) from None
            except psycopg.Error as exc:
                self.close()
                raise unreachable(self.conninfo, exc) from None
        raise AssertionError("unreachable")

    def exists(self) -> bool:
        return self._state()[0] is not None

    def version(self) -> Any:
        return self._state()[:2]

    def update(self, corpus: Path, **options: Any) -> Any:
        import psycopg

        from search.engine.postgres.ingest import update

        options.pop("verify", None)  # every commit is checked by the server itself
        try:
            return update(self.conninfo, self.name, corpus, **options)
        except psycopg.Error as exc:
            raise unreachable(self.conninfo, exc) from None

    def open(self, corpus: Path | None = None, *, full_check: bool = False) -> Any:
        from search.engine.postgres.snapshot import PgSnapshot

        gen, version, catalogue = self._state()
        if gen is None:
            raise IndexMissingError(
                f"corpus {self.name!r} is not in the database {redact(self.conninfo)}; "
                f"build it with: corpus-browser index DIR --db URL --name {self.name}"
            )
        return PgSnapshot(self._reader(), self.name, gen, version, catalogue)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
