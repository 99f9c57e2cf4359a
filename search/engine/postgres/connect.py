"""Reaching the database: which one (``--db`` or ``CORPUS_BROWSER_DB``), how to say which
one without its secrets, and one connection opened the libpq way.

The URL or conninfo goes to libpq untouched, so everything libpq reads on its own still
applies: ``PGHOST``, ``PGUSER``, ``PGPASSWORD``, ``~/.pgpass``, ``sslmode``, service files.
Messages, errors and JSON only ever show :func:`redact`'s form of it.
"""

from __future__ import annotations

import os
import re
import socket
from typing import Any
from urllib.parse import urlsplit

from search.errors import IndexUnusableError

__all__ = ["DB_ENV", "connect", "is_database_url", "psycopg_module", "redact", "unreachable"]

DB_ENV = "CORPUS_BROWSER_DB"
_URL_SCHEMES = ("postgresql://", "postgres://")
# conninfo keys whose value is a secret (libpq's own list of password-like settings)
_SECRET_KEYS = ("password", "sslpassword", "sslkey")
_KV_SECRET = re.compile(
    r"\b(" + "|".join(_SECRET_KEYS) + r")\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE
)
_URL_SECRET_PARAM = re.compile(r"([?&](?:" + "|".join(_SECRET_KEYS) + r")=)[^&#]*", re.I)


def is_database_url(text: str | None) -> bool:
    """Whether ``text`` names a PostgreSQL database (a URL, or a libpq ``key=value`` string)."""
    if not text:
        return False
    return text.startswith(_URL_SCHEMES) or "=" in text and not os.path.exists(text)


def redact(conninfo: str) -> str:
    """``conninfo`` with every password removed: safe for messages, logs and JSON.

    ``postgresql://ann:secret@db/news`` -> ``postgresql://ann@db/news``;
    ``host=db password=secret`` -> ``host=db password=***``.
    """
    if conninfo.startswith(_URL_SCHEMES):
        try:
            parts = urlsplit(conninfo)
            netloc = parts.netloc
            if "@" in netloc:
                userinfo, hosts = netloc.rsplit("@", 1)
                netloc = f"{userinfo.split(':', 1)[0]}@{hosts}"
            query = _URL_SECRET_PARAM.sub(r"\1***", "?" + parts.query)[1:]
            # by hand: urlunsplit drops the "//" of an empty host (postgresql:///news)
            return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")
        except ValueError:
            return conninfo.split("://", 1)[0] + "://***"
    return _KV_SECRET.sub(lambda m: f"{m.group(1)}=***", conninfo)


def _application_name(role: str) -> str:
    return f"corpus-browser {role} {socket.gethostname()} pid {os.getpid()}"[:63]


def unreachable(conninfo: str, exc: BaseException) -> IndexUnusableError:
    """One line for a database that cannot be reached or used, with no secret in it."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    for secret in _secrets(conninfo):
        reason = reason.replace(secret, "***")
    if type(exc).__name__ in _NO_WRITE_RIGHTS:
        reason += "; this role may only read: index as the writer role (docs/server.md)"
    return IndexUnusableError(f"cannot use the database {redact(conninfo)}: {reason}")


# psycopg's classes for SQLSTATE 25006 and 42501 (by name: psycopg is imported only here when
# a database is used): the reader role, or a role without rights on the schema, indexing.
_NO_WRITE_RIGHTS = {"ReadOnlySqlTransaction", "InsufficientPrivilege"}


def _secrets(conninfo: str) -> list[str]:
    found = [m.group(2).strip("'") for m in _KV_SECRET.finditer(conninfo)]
    if conninfo.startswith(_URL_SCHEMES):
        try:
            password = urlsplit(conninfo).password
        except ValueError:
            password = None
        if password:
            found.append(password)
    return [s for s in found if s]


def psycopg_module() -> Any:
    """psycopg, or one line saying how to install it (it is an optional extra)."""
    try:
        import psycopg
    except ImportError:
        raise IndexUnusableError(
            "a PostgreSQL database needs psycopg: pip install 'corpus-browser[postgres]'"
        ) from None
    return psycopg


def connect(conninfo: str, role: str, *, autocommit: bool = True, timeout: int = 10) -> Any:
    """A psycopg connection, named so that ``pg_stat_activity`` tells who holds what."""
    psycopg = psycopg_module()

    try:
        return psycopg.connect(
            conninfo,
            autocommit=autocommit,
            application_name=_application_name(role),
            connect_timeout=timeout,
        )
    except psycopg.Error as exc:
        raise unreachable(conninfo, exc) from None
