"""Errors a user can act on.  Each carries the CLI exit code and a one-line message.

Anything else escaping the library is a bug; the CLI and the app show these messages as they
are, so they must say what is wrong and what to do, in one line.
"""

from __future__ import annotations

__all__ = [
    "CorpusBrowserError",
    "CorpusError",
    "IndexLockedError",
    "IndexMissingError",
    "IndexUnusableError",
    "Interrupted",
    "QueryError",
    "StaleResultsError",
]


class CorpusBrowserError(Exception):
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class CorpusError(CorpusBrowserError):
    """The corpus folder is missing or not a folder."""


class QueryError(CorpusBrowserError):
    """The query cannot be used; the message says which part and why."""


class IndexMissingError(CorpusBrowserError):
    exit_code = 3


class IndexLockedError(CorpusBrowserError):
    exit_code = 3


class IndexUnusableError(CorpusBrowserError):
    """Damaged, from another schema version, or unwritable."""

    exit_code = 3


def damaged_index(
    corpus: object, problem: str = "a file of it cannot be read"
) -> IndexUnusableError:
    """The one-line error for an index that cannot be read, naming the fix."""
    # Our own words: what an engine or a codec raises on a damaged file says nothing to users.
    return IndexUnusableError(
        f"the index is damaged ({problem}); "
        f"rebuild it with: corpus-browser index {corpus} --rebuild"
    )


class Interrupted(CorpusBrowserError):
    """Ctrl-C stopped the run; the message says what became of the index."""

    exit_code = 130


class StaleResultsError(CorpusBrowserError):
    """The index changed since the search whose further hits were asked for: search again."""
