"""The optional first line `` date YYYY-MM-DD Title`` that scrapers put on articles.

Real files bend the form (no leading space, several spaces, ``DATE``, ``2024/4/3``,
``20240403``), so the parser is tolerant about shape and strict about the calendar: a date
that cannot exist (month 13, 30 February, year 0) or is implausible for news (year 9999) is
reported as a problem and never trusted.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

__all__ = ["Header", "parse_header", "split_header"]

_HEADER = re.compile(
    r"^[ \t]*date[ \t]+"
    r"(?P<y>\d{1,4})(?:(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})|(?P<m2>\d{2})(?P<d2>\d{2}))"
    r"(?=[ \t]|$)[ \t]*(?P<title>.*)$",
    re.IGNORECASE,
)
PLAUSIBLE_YEARS = range(1800, 2201)


@dataclass(frozen=True)
class Header:
    date: datetime.date | None
    title: str
    raw_date: str
    problem: str | None  # why the date was not trusted, for the warnings report
    title_at: int = 0  # where the title starts in the line (so in the file it begins)


def parse_header(line: str) -> Header | None:
    """The header in ``line``, or None when the line is not a header at all."""
    match = _HEADER.match(line)
    if match is None:
        return None
    year = int(match["y"])
    month = int(match["m"] or match["m2"])
    day = int(match["d"] or match["d2"])
    raw = match.group(0).split(None, 2)[1]
    title = match["title"].strip()
    at = match.start("title") + len(match["title"]) - len(match["title"].lstrip())
    try:
        date = datetime.date(year, month, day)
    except ValueError as exc:
        return Header(None, title, raw, f"impossible date {raw!r} in header ({exc})", at)
    if year not in PLAUSIBLE_YEARS:
        return Header(None, title, raw, f"implausible year {year} in header date {raw!r}", at)
    return Header(date, title, raw, None, at)


def split_header(text: str) -> tuple[Header | None, str]:
    """Split normalised text into its header (if the first line is one) and the rest."""
    first, newline, rest = text.partition("\n")
    header = parse_header(first)
    if header is None:
        return None, text
    return header, rest if newline else ""
