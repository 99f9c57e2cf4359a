"""An official's or a province's profile: titles over time, who or where goes with it,
mentions per month, and its articles.

The name is resolved as an ``official:`` or ``province:`` query resolves it (aliases, any
script, diacritics ignored, the curation file's names); an unknown one raises
``ProfileError`` with the did-you-mean the search gives.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from search.errors import QueryError
from search.export import Table
from search.index.facade import CorpusIndex, Facet, HitOrder

__all__ = ["Profile", "ProfileError", "TitleSpan", "month_counts", "month_rows", "profile"]

FIELDS = ("official", "province")
TITLE_FILES = 2_000  # files read for an official's titles: the newest and oldest half each


class ProfileError(QueryError):
    """No such official or province; the message says what was meant, if anything."""


@dataclass(frozen=True)
class TitleSpan:
    title: str
    first: datetime.date | None  # None: only in undated articles
    last: datetime.date | None
    articles: int

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "articles": self.articles,
        }


@dataclass
class Profile:
    field: str  # "official" or "province"
    entity: Facet  # name, detail (latest title or country), articles
    query: str  # the search that lists its articles
    titles: list[TitleSpan] = field(default_factory=list)  # an official's, earliest first
    associated: list[Facet] = field(default_factory=list)  # provinces, or officials
    months: list[tuple[str, int]] = field(default_factory=list)  # ("YYYY-MM", articles)
    undated: int = 0
    title_files: int = 0  # the files its titles were read from (of entity.count)
    order: HitOrder | None = None  # its articles, newest first
    took_ms: float = 0.0

    @property
    def other(self) -> str:
        return "province" if self.field == "official" else "official"

    def to_table(self, articles: Sequence[Any] = ()) -> Table:
        """One table of sections: title, province or official, month, article."""
        rows: list[list[object]] = []
        for t in self.titles:
            rows.append(["title", t.title, "", _iso(t.first), _iso(t.last), t.articles, ""])
        for f in self.associated:
            rows.append([self.other, f.name, f.detail, "", "", f.count, ""])
        for month, n in self.months:
            rows.append(["month", month, "", "", "", n, ""])
        if self.undated:
            rows.append(["month", "undated", "", "", "", self.undated, ""])
        for h in articles:
            rows.append(["article", h.title, "", _iso(h.date), _iso(h.date), "", h.path])
        e = self.entity
        facts = [
            (self.field, e.name),
            ("title" if self.field == "official" else "country", e.detail or "-"),
            ("query", self.query),
            ("articles", f"{e.count:,}"),
        ]
        columns = ["section", "name", "detail", "first", "last", "articles", "path"]
        return Table(f"Profile: {e.name}", columns, rows, facts)

    def to_json(self, articles: Sequence[Any] = ()) -> dict[str, Any]:
        e = self.entity
        out: dict[str, Any] = {
            "field": self.field,
            "name": e.name,
            "key": e.key,
            "detail": e.detail,
            "country": e.country,
            "articles": e.count,
            "query": self.query,
        }
        if self.field == "official":
            out["titles"] = [t.to_json() for t in self.titles]
            out["title_files"] = self.title_files
        out[f"{self.other}s"] = [
            {"name": f.name, "key": f.key, "detail": f.detail, "articles": f.count}
            for f in self.associated
        ]
        out["months"] = [{"month": m, "articles": n} for m, n in self.months]
        out["undated"] = self.undated
        out["took_ms"] = round(self.took_ms, 2)
        if articles:
            out["documents"] = [
                {"path": h.path, "date": h.date.isoformat() if h.date else None, "title": h.title}
                for h in articles
            ]
        return out


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def entity_query(fieldname: str, name: str) -> str:
    """``official:"Bui Thanh Son"``: the query that finds the articles of an entity."""
    return f'{fieldname}:"{name.replace(chr(34), "")}"'


def month_counts(dates: Sequence[datetime.date | None]) -> tuple[list[tuple[str, int]], int]:
    """Articles per month from the first dated month to the last (empty months as 0), and
    how many are undated."""
    dated = [d for d in dates if d is not None]
    if not dated:
        return [], len(dates)
    per: dict[tuple[int, int], int] = {}
    for d in dated:
        per[(d.year, d.month)] = per.get((d.year, d.month), 0) + 1
    (y, m), end = min(per), max(per)
    out = []
    while (y, m) <= end:
        out.append((f"{y:04d}-{m:02d}", per.get((y, m), 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out, len(dates) - len(dated)


def month_rows(months: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """``months`` for a person: a run of two or more empty months as one row
    ("2023-03 .. 2024-03", 0), so a sparse timeline stays short."""
    rows: list[tuple[str, int]] = []
    i = 0
    while i < len(months):
        j = i
        while months[i][1] == 0 and j + 1 < len(months) and months[j + 1][1] == 0:
            j += 1
        label = months[i][0] if j == i else f"{months[i][0]} .. {months[j][0]}"
        rows.append((label, months[i][1]))
        i = j + 1
    return rows


def profile(index: CorpusIndex, fieldname: str, name: str) -> Profile:
    """The profile of the official or province ``name``."""
    if fieldname not in FIELDS:
        raise ProfileError(f"a profile is of an official or a province, not {fieldname!r}")
    if not name.strip().strip('"'):
        raise ProfileError(f"which {fieldname}? give a name")
    started = time.perf_counter()
    query = entity_query(fieldname, name.strip())
    results = index.search(query, limit=0, sort="newest", every=True, snippets=False)
    if not results.total or results.order is None:
        raise ProfileError(
            results.did_you_mean or f"no {fieldname} {name.strip()!r} in this corpus"
        )
    found = index.hit_entities(results.order)
    facets = _ranked(found.masks.get(fieldname, {}))
    entity = _the_entity(index, fieldname, name.strip(), query, facets, results.total)
    out = Profile(fieldname, entity, query, order=results.order)
    out.associated = _ranked(found.masks.get(out.other, {}))
    out.months, out.undated = month_counts(found.dates)
    if fieldname == "official":
        # Titles from the newest and the oldest files (all of them, up to TITLE_FILES):
        # where a title's first and last dates are.
        rows = list(range(len(found.dates)))
        if len(rows) > TITLE_FILES:
            rows = rows[: TITLE_FILES // 2] + rows[-TITLE_FILES // 2 :]
        out.title_files = len(rows)
        out.titles = _titles(index, results.order, rows, entity.key)
    out.took_ms = (time.perf_counter() - started) * 1000
    return out


def _ranked(table: dict[str, tuple[Facet, int]]) -> list[Facet]:
    """Most files first, then by name, as the side panel lists them."""
    return sorted(
        (f for f, _m in table.values()), key=lambda f: (-f.count, f.name.casefold(), f.key)
    )


def _the_entity(
    index: CorpusIndex, fieldname: str, name: str, query: str, facets: Sequence[Facet], total: int
) -> Facet:
    """The entry the name resolves to, as the query resolved it (an alias, another script,
    a misspelt province, a curated name): its key, then the key it counts as."""
    key = index.curation_key(fieldname, name)
    if key is None:
        asked = [h.words[1] for h in index.parse(query).highlights if h.kind == "entity"]
        key = asked[0] if asked else ""
    target = index.curation().target(fieldname, key)
    for facet in facets:
        if facet.key in (target, key):
            return facet
    every = [f for f in facets if f.count == total] or list(facets[:1])
    return every[0]


def _titles(index: CorpusIndex, order: HitOrder, rows: Sequence[int], key: str) -> list[TitleSpan]:
    """Each title the articles give the official, with the first and last date of it."""
    seen: dict[str, list[Any]] = {}
    for hit, found in index.hit_findings(order, rows):
        for o in found.officials:
            if o.key != key:
                continue
            for title in o.titles:
                span = seen.setdefault(title, [None, None, 0])
                span[2] += 1
                if hit.date is not None:
                    span[0] = hit.date if span[0] is None else min(span[0], hit.date)
                    span[1] = hit.date if span[1] is None else max(span[1], hit.date)
    spans = [TitleSpan(t, a, b, n) for t, (a, b, n) in seen.items()]
    spans.sort(key=lambda s: (s.first is None, s.first or datetime.date.min, s.title))
    return spans
