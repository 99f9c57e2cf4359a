"""Dates from the body when there is no header.

Only explicit evidence is used: a dateline or a full date with a year near the top of the
body. A month-day without any year is left undated rather than guessed; boilerplate is never
read (the caller passes only the body).
"""

from __future__ import annotations

import datetime
import re

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_MDY = re.compile(_MON + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b")
_DMY = re.compile(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MON + r",?\s+(?P<y>(?:19|20)\d\d)\b")
_NUM = re.compile(r"\b(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>(?:19|20)\d\d)\b")
# "HANOI, March 30 (VNA)" / "Beijing, May 8 (Xinhua) --" with the year somewhere on that line
_DATELINE = re.compile(
    r"^[A-ZÀ-Ỹ][\w .'-]{1,40},\s+" + _MON + r"\s+(?P<d>[0-3]?\d)(?:,?\s+(?P<y>(?:19|20)\d\d))?",
    re.MULTILINE,
)


def _mk(y: str, m: int, d: str) -> datetime.date | None:
    try:
        return datetime.date(int(y), m, int(d))
    except (ValueError, TypeError):
        return None


def infer_date(body: str) -> datetime.date | None:
    """A date with its year from the top of the body, else None."""
    head = body[:3000]
    if not _YEAR.search(head):
        return None  # every pattern below returns only with a year; the month ones are slow
    for m in _DATELINE.finditer(head):
        if m.group("y"):
            got = _mk(m.group("y"), _MONTHS[m.group("mon").lower().rstrip(".")], m.group("d"))
            if got:
                return got
    best: tuple[int, datetime.date] | None = None
    for rx in (_MDY, _DMY):
        for m in rx.finditer(head):
            got = _mk(m.group("y"), _MONTHS[m.group("mon").lower().rstrip(".")], m.group("d"))
            if got and (best is None or m.start() < best[0]):
                best = (m.start(), got)
            break
    for rx in (_ISO, _NUM):
        for m in rx.finditer(head):
            got = _mk(m.group("y"), int(m.group("m")), m.group("d"))
            if got and (best is None or m.start() < best[0]):
                best = (m.start(), got)
            break
    return best[1] if best else None
