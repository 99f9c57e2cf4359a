"""corpus-browser's search library: corpus reading, extraction, the Whoosh index, queries.

The app (``tui``) and the command line (``search.cli``) are thin clients of this public API.
This package never imports Textual; ``tests/test_layering.py`` keeps it that way.
"""

from search.corpus import CorpusFile, Document, Skipped, read_document, scan_corpus
from search.corpus_index import CorpusIndex, DocumentView, Facet, Hit, Results
from search.errors import (
    CorpusBrowserError,
    CorpusError,
    IndexLockedError,
    IndexMissingError,
    IndexUnusableError,
    QueryError,
)
from search.store import default_index_dir

__all__ = [
    "CorpusBrowserError",
    "CorpusError",
    "CorpusFile",
    "CorpusIndex",
    "Document",
    "DocumentView",
    "Facet",
    "Hit",
    "IndexLockedError",
    "IndexMissingError",
    "IndexUnusableError",
    "QueryError",
    "Results",
    "Skipped",
    "UpdateReport",
    "default_index_dir",
    "read_document",
    "scan_corpus",
]


def __getattr__(name: str) -> object:
    """``UpdateReport`` on first use: the indexer pulls in multiprocessing, which the app
    and read-only commands do not need at start-up."""
    if name == "UpdateReport":
        from search.indexer import UpdateReport

        return UpdateReport
    raise AttributeError(f"module 'search' has no attribute {name!r}")
