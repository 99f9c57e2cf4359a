"""Officials, provinces, dates, titles and boilerplate from news articles.

Pure functions over a string; built once at first use; never raise on any input.
"""

from __future__ import annotations

from .core import extract
from .gazetteer import resolve_province
from .model import Extraction, Official, Province, Span
from .textutil import fold

__all__ = ["Extraction", "Official", "Province", "Span", "extract", "fold", "resolve_province"]
