"""Result types of the extractor.

They are plain dataclasses so the index, CLI and TUI can store and render them without
importing anything heavier; the field set is a contract with those callers.
"""

from __future__ import annotations

import datetime
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from search.spans import Span


@dataclass
class Official:
    """A person holding public office at the time of the article."""

    key: str
    name: str
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    mentions: list[Span] = field(default_factory=list)
    # in the header line when it is a lead sentence: offsets into the file (see Extraction)
    header_mentions: list[Span] = field(default_factory=list)


def title_rank(date: str | None, path: str) -> tuple[bool, str, str]:
    """How recent the titles an article gives an official are, across the corpus.

    A dated article outranks an undated one (an undated article's title may be years old),
    then the later date wins, then the later path, so that every reader of the index (the
    side panel, ``entities``) settles a tie the same way.  Within one article its first
    title for the official is the one to show.
    """
    return (bool(date), date or "", path)


def latest_title(history: Iterable[Mapping[str, Any]]) -> str | None:
    """The title to show from a role history (``{"title", "date", "path"}`` entries)."""
    best: tuple[tuple[bool, str, str], str] | None = None
    for entry in history:
        rank = title_rank(entry["date"], entry["path"])
        if best is None or rank > best[0]:  # strictly: an article's first title stays
            best = (rank, entry["title"])
    return best[1] if best else None


@dataclass
class Province:
    """A first-level administrative unit (VN, CN, LA, KH, JP)."""

    key: str
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str = ""
    kind: str = "province"
    mentions: list[Span] = field(default_factory=list)
    header_mentions: list[Span] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything the reader and the index need to know about one article.

    ``mentions`` are offsets into the text given to :func:`extract` (the body the reader
    shows). A header line whose title is a lead sentence is read too; what it names carries
    ``header_mentions``: offsets into the file, whose first line the header is (its title
    starts at ``header_title_at``). An entity named only there has no body mention."""

    title: str
    date: datetime.date | None
    date_inferred: bool
    boilerplate_start: int | None
    captions: list[Span] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    provinces: list[Province] = field(default_factory=list)

    def mentions_of(self, wanted: Container[tuple[str, str]]) -> list[tuple[int, int]]:
        """Mention spans of the entities named by ("official" | "province", key) pairs:
        what a query or a side-panel filter on them marks in the reader."""
        groups = (("official", self.officials), ("province", self.provinces))
        return [
            (m.start, m.end)
            for field_name, entities in groups
            for entity in entities
            if (field_name, entity.key) in wanted
            for m in entity.mentions
        ]
