"""``corpus-browser db init``: the two roles a team's database needs, and their rights.

- The writer (default ``corpus_writer``) owns the schema ``corpus_browser`` and everything
  in it: ``corpus-browser index`` runs as the writer (from cron, say).
- The reader (default ``corpus_reader``) may connect, and read the schema's tables, those
  there now and those the writer creates later (default privileges): analysts search as
  the reader.  Its sessions are also read-only by default in this database, so that a
  right granted by mistake later still cannot write.

Run once by an administrator (the ``postgres`` superuser, or a role with CREATEROLE) on
the database the team uses; running it again changes nothing that is already right.
Passwords are taken from ``CORPUS_BROWSER_READER_PASSWORD`` / ``CORPUS_BROWSER_WRITER_PASSWORD``
when set and sent only as SCRAM hashes; otherwise set them with psql's ``\\password``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from psycopg import errors, sql

from search.engine.postgres.connect import connect, redact, unreachable
from search.engine.postgres.tables import SCHEMA
from search.errors import CorpusBrowserError

__all__ = ["PASSWORD_ENV", "RolesReport", "init_roles"]

PASSWORD_ENV = {
    "reader": "CORPUS_BROWSER_READER_PASSWORD",
    "writer": "CORPUS_BROWSER_WRITER_PASSWORD",
}


@dataclass
class RolesReport:
    database: str
    reader: str
    writer: str
    created: list[str] = field(default_factory=list)
    passwords_set: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "reader": self.reader,
            "writer": self.writer,
            "schema": SCHEMA,
            "created": self.created,
            "passwords_set": self.passwords_set,
        }


def init_roles(conninfo: str, reader: str, writer: str) -> RolesReport:
    """Create or repair the reader and writer roles of the database ``conninfo`` names."""
    if reader == writer:
        raise CorpusBrowserError("the reader and the writer must be two roles")
    report = RolesReport(redact(conninfo), reader, writer)
    conn = connect(conninfo, "db init", autocommit=False)
    try:
        with conn.transaction():
            for kind, name in (("reader", reader), ("writer", writer)):
                if _ensure_login_role(conn, name):
                    report.created.append(name)
                if _set_password(conn, name, os.environ.get(PASSWORD_ENV[kind])):
                    report.passwords_set.append(name)
            _grant(conn, reader, writer)
    except errors.InsufficientPrivilege as exc:
        raise CorpusBrowserError(
            f"db init needs an administrator (the postgres superuser, or a role with "
            f"CREATEROLE that owns the database): {' '.join(str(exc).split())}"
        ) from None
    except errors.Error as exc:
        raise unreachable(conninfo, exc) from None
    finally:
        conn.close()
    return report


def _ensure_login_role(conn: Any, name: str) -> bool:
    """Make ``name`` a login role; True when it was created now."""
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    verb = "ALTER ROLE {} LOGIN" if exists else "CREATE ROLE {} LOGIN"
    conn.execute(sql.SQL(verb).format(sql.Identifier(name)))
    return exists is None


def _set_password(conn: Any, name: str, password: str | None) -> bool:
    if not password:
        return False
    # Hashed here, so the password itself never reaches the server's statement log.
    hashed = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    conn.execute(
        sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(hashed.decode())
        )
    )
    return True


def _grant(conn: Any, reader: str, writer: str) -> None:
    r, w, s = sql.Identifier(reader), sql.Identifier(writer), sql.Identifier(SCHEMA)
    database = sql.Identifier(conn.execute("SELECT current_database()").fetchone()[0])
    superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not superuser.fetchone()[0]:
        # A CREATEROLE administrator must act as the writer to hand it the schema and to
        # set the writer's default privileges.
        conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(w))
    statements = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}, {}").format(database, r, w),
        # The writer creates the schema's tables; ``index`` also makes sure the schema is there.
        sql.SQL("GRANT CREATE, TEMPORARY ON DATABASE {} TO {}").format(database, w),
        sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(s, w),
        sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(s, w),
        sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(s),
        # Before PostgreSQL 15 every role could create tables in ``public``.
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT ON TABLES TO {}"
        ).format(w, s, r),
        sql.SQL("ALTER ROLE {} IN DATABASE {} SET default_transaction_read_only = on").format(
            r, database
        ),
    ]
    for statement in statements:
        conn.execute(statement)
    # Tables an earlier ``index`` made as another role (an administrator, say) pass to the
    # writer, and every table the schema holds becomes readable by the reader.
    owned_elsewhere = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') "
        "AND pg_get_userbyid(c.relowner) <> %s",
        (SCHEMA, writer),
    ).fetchall()
    for (table,) in owned_elsewhere:
        conn.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(SCHEMA, table), w))
    conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(s, r))
