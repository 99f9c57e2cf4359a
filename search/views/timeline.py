"""The timeline of a search: matching documents (and their matches) per day, week, month
or year, with the undated documents counted apart.

Documents per bucket come from the index's date column (``CorpusIndex.hit_dates``), so
they cost one pass over the hits' dates; matches need each hit's spans, so they are counted
a page of hits at a time (``count_matches``), which the app runs after drawing the bars.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from search.index.facade import CorpusIndex, HitOrder, Results

__all__ = [
    "UNITS",
    "Bucket",
    "Timeline",
    "bar",
    "bucket_start",
    "choose_unit",
    "count_matches",
    "date_range_query",
    "make_timeline",
    "timeline",
]

UNITS = ("day", "week", "month", "year")
PAGE = 500  # hits whose matches are counted at a time
# The widest span (in days) drawn with each unit: at most about 60 bars.
_SPAN_LIMITS = (("day", 62), ("week", 7 * 40), ("month", 366 * 5))


def choose_unit(first: datetime.date | None, last: datetime.date | None) -> str:
    """The bucket for a span: days up to two months, weeks up to about nine months,
    months up to five years, then years."""
    if first is None or last is None:
        return "month"
    days = (last - first).days
    for unit, limit in _SPAN_LIMITS:
        if days <= limit:
            return unit
    return "year"


def bucket_start(day: datetime.date, unit: str) -> datetime.date:
    """The first day of the bucket holding ``day`` (weeks start on Monday, ISO 8601)."""
    if unit == "day":
        return day
    if unit == "week":
        return day - datetime.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _next_start(start: datetime.date, unit: str) -> datetime.date:
    if unit == "day":
        return start + datetime.timedelta(days=1)
    if unit == "week":
        return start + datetime.timedelta(days=7)
    if unit == "month":
        return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def _label(start: datetime.date, unit: str) -> str:
    if unit == "day":
        return start.isoformat()
    if unit == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return start.strftime("%Y-%m")
    return str(start.year)


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(n: int, peak: int, width: int) -> str:
    """A bar of ``n`` against ``peak`` in ``width`` cells, in eighths of a cell; any
    non-zero count shows at least a sliver.  Block characters: legible without colour."""
    if n <= 0 or peak <= 0:
        return ""
    eighths = max(1, round(n / peak * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def date_range_query(first: datetime.date, last: datetime.date) -> str:
    """The query clause for the days ``first`` to ``last``, both included."""
    if first == last:
        return f"date:{first.isoformat()}"
    return f"date:[{first.isoformat()} to {last.isoformat()}]"


@dataclass
class Bucket:
    start: datetime.date
    end: datetime.date  # the last day, included
    label: str
    documents: int = 0
    matches: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "documents": self.documents,
            "matches": self.matches,
        }


@dataclass
class Timeline:
    query: str
    unit: str
    buckets: list[Bucket]
    total: int  # matching documents, dated or not
    undated: int = 0  # matching documents without a date
    undated_matches: int = 0
    matches_counted: bool = False  # False until count_matches has run to its end
    _index: dict[datetime.date, int] = field(default_factory=dict, repr=False)

    def bucket_of(self, day: datetime.date) -> Bucket | None:
        i = self._index.get(bucket_start(day, self.unit))
        return None if i is None else self.buckets[i]

    @property
    def peak(self) -> int:
        return max((b.documents for b in self.buckets), default=0)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "by": self.unit,
            "total": self.total,
            "matches": sum(b.matches for b in self.buckets) + self.undated_matches,
            "undated": {"documents": self.undated, "matches": self.undated_matches},
            "buckets": [b.to_json() for b in self.buckets],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["label", "start", "end", "documents", "matches"])
        for b in self.buckets:
            writer.writerow(
                [b.label, b.start.isoformat(), b.end.isoformat(), b.documents, b.matches]
            )
        writer.writerow(["undated", "", "", self.undated, self.undated_matches])
        return out.getvalue()


def make_timeline(
    query: str, dates: Sequence[datetime.date | None], unit: str | None = None
) -> Timeline:
    """The documents per bucket of hits dated ``dates``, every bucket from the first to
    the last present (empty ones too: time runs evenly down the chart)."""
    present = [d for d in dates if d is not None]
    first, last = (min(present), max(present)) if present else (None, None)
    unit = unit or choose_unit(first, last)
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; units are {', '.join(UNITS)}")
    buckets: list[Bucket] = []
    index: dict[datetime.date, int] = {}
    if first is not None and last is not None:
        start = bucket_start(first, unit)
        while start <= last:
            following = _next_start(start, unit)
            index[start] = len(buckets)
            buckets.append(
                Bucket(start, following - datetime.timedelta(days=1), _label(start, unit))
            )
            start = following
    counted: dict[datetime.date, int] = {}
    for day in present:
        key = bucket_start(day, unit)
        counted[key] = counted.get(key, 0) + 1
    for key, n in counted.items():
        buckets[index[key]].documents = n
    return Timeline(query, unit, buckets, len(dates), len(dates) - len(present), _index=index)


def count_matches(
    index: CorpusIndex, order: HitOrder, line: Timeline, page: int = PAGE
) -> Iterator[int]:
    """Add each hit's matches (title and text, as the results list counts them) to its
    bucket, a page of hits at a time; yields how many hits are counted so far."""
    for start in range(0, len(order), page):
        for hit in index.hits(order, start, start + page):
            bucket = line.bucket_of(hit.date) if hit.date else None
            if bucket is None:
                line.undated_matches += hit.match_count
            else:
                bucket.matches += hit.match_count
        done = min(start + page, len(order))
        line.matches_counted = done == len(order)
        yield done
    line.matches_counted = True


def timeline(
    index: CorpusIndex,
    query: str,
    *,
    filters: dict[str, Sequence[str]] | None = None,
    unit: str | None = None,
    matches: bool = True,
) -> tuple[Timeline, Results]:
    """The timeline of ``query`` (with the side panel's ``filters``); ``matches``: count
    them too (a page of hits at a time), else only documents."""
    results = index.search(query, limit=0, sort="date", filters=filters, snippets=False, every=True)
    assert results.order is not None
    line = make_timeline(results.query, index.hit_dates(results.order), unit)
    if matches:
        for _done in count_matches(index, results.order, line):
            pass
    return line, results
