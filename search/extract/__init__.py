"""Officials, provinces, dates, titles and boilerplate from news articles.

Pure functions over a string; built once at first use; never raise on any input.
The extractor and its gazetteer load on first use (``__getattr__``): the app and the
read-only commands mostly show what the index already holds and start faster without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Extraction, Official, Province, Span

if TYPE_CHECKING:
    from search.fold import fold

    from .core import extract
    from .gazetteer import resolve_province

__all__ = ["Extraction", "Official", "Province", "Span", "extract", "fold", "resolve_province"]

_LAZY = {"extract": ".core", "resolve_province": ".gazetteer", "fold": "search.fold"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        # Kept as a module attribute, so later look-ups (one per article read) skip this.
        value = globals()[name] = getattr(import_module(_LAZY[name], __name__), name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
