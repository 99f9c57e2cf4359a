"""Result types of the extractor.

They are plain dataclasses so the index, CLI and TUI can store and render them without
importing anything heavier; the field set is a contract with those callers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """Character offsets into the text given to :func:`extract` (end exclusive)."""

    start: int
    end: int


@dataclass
class Official:
    """A person holding public office at the time of the article."""

    key: str
    name: str
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Province:
    """A first-level administrative unit (VN, CN, LA, KH, JP)."""

    key: str
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str = ""
    kind: str = "province"
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything the reader and the index need to know about one article."""

    title: str
    date: datetime.date | None
    date_inferred: bool
    boilerplate_start: int | None
    captions: list[Span] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    provinces: list[Province] = field(default_factory=list)
