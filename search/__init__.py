"""corpus-browser's search library: corpus reading, extraction, the Whoosh index, queries.

The app (``tui``) and the command line (``search.cli``) are thin clients of this public API.
This package never imports Textual; ``tests/test_layering.py`` keeps it that way.

The names below are imported on first use: ``python -m search`` and the ``corpus-browser``
command import this package before their first line runs, and they must be able to take
over Ctrl-C before the half second of imports the library needs (``search.ctrl_c``).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: importing typing costs time before Ctrl-C is handled
if TYPE_CHECKING:
    from search.corpus.read import CorpusFile, Document, Skipped, read_document, scan_corpus
    from search.engine.base import UpdateReport
    from search.errors import (
        CorpusBrowserError,
        CorpusError,
        IndexLockedError,
        IndexMissingError,
        IndexUnusableError,
        QueryError,
        StaleResultsError,
    )
    from search.index.facade import SORTS, CorpusIndex, DocumentView, Facet, Hit, HitOrder, Results
    from search.index.generations import default_index_dir

_HOMES = {
    "search.corpus.read": ("CorpusFile", "Document", "Skipped", "read_document", "scan_corpus"),
    "search.index.facade": (
        "SORTS",
        "CorpusIndex",
        "DocumentView",
        "Facet",
        "Hit",
        "HitOrder",
        "Results",
    ),
    "search.errors": (
        "CorpusBrowserError",
        "CorpusError",
        "IndexLockedError",
        "IndexMissingError",
        "IndexUnusableError",
        "QueryError",
        "StaleResultsError",
    ),
    "search.engine.base": ("UpdateReport",),
    "search.index.generations": ("default_index_dir",),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "SORTS",
    "CorpusBrowserError",
    "CorpusError",
    "CorpusFile",
    "CorpusIndex",
    "Document",
    "DocumentView",
    "Facet",
    "Hit",
    "HitOrder",
    "IndexLockedError",
    "IndexMissingError",
    "IndexUnusableError",
    "QueryError",
    "Results",
    "Skipped",
    "StaleResultsError",
    "UpdateReport",
    "default_index_dir",
    "read_document",
    "scan_corpus",
]
assert sorted(__all__) == sorted(_HOME_OF)


def __getattr__(name: str) -> object:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    __import__(module)  # not importlib: see above
    value = getattr(sys.modules[module], name)
    globals()[name] = value
    return value
