"""Dates from the body when there is no header.

Only evidence that dates the article itself is used: a dateline with its year ("HANOI, March
30, 2024 (VNA)", "Bangkok, 3 May 2022 -", "Hà Nội, ngày 29/4/2021"), or a publication line
near the top (a line that is only a date, or "Published:", "Cập nhật:", "Thứ Năm, 29/04/2021
08:15"). A full date inside
a sentence is an event, a deadline, a maturity, a fiscal-year end, a registration or a
caption's day, never the article's: the article is left undated. So is a month-day without a
year ("29-4", "ngày 26/4"). Boilerplate is never read (the caller passes only the body).
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
_NUM = re.compile(r"\b(?P<d>[0-3]?\d)([/.-])(?P<m>[01]?\d)\2(?P<y>(?:19|20)\d\d)\b")
# "HANOI, March 30 (VNA)" / "Beijing, May 8 (Xinhua) --" with the year somewhere on that line
_DATELINE = re.compile(
    r"^[A-ZÀ-Ỹ][\w .'-]{1,40},\s+" + _MON + r"\s+(?P<d>[0-3]?\d)(?:,?\s+(?P<y>(?:19|20)\d\d))?",
    re.MULTILINE,
)

# "Bangkok, 3 May 2022 -", "VIENTIANE, 12 June 2024 (KPL)": day first, the year and a dash or
# a bracket after it (a sentence "In Hanoi, 3 May 2022 was ..." has neither)
_DATELINE_DMY = re.compile(
    r"^[A-ZÀ-Ỹ][\w .'-]{1,40},\s+(?P<d>[0-3]?\d)\s+" + _MON + r",?\s+(?P<y>(?:19|20)\d\d)"
    r"\s*(?:\(|[-–—])",
    re.MULTILINE,
)


def _mk(y: str, m: int, d: str) -> datetime.date | None:
    try:
        return datetime.date(int(y), m, int(d))
    except (ValueError, TypeError):
        return None


# A Vietnamese dateline opening the text: "Hà Nội, ngày 29/4/2021", "TP.HCM, ngày 29 tháng 4
# năm 2021" (a capitalised place: "Bộ GTVT thông tin, ngày 24/2/2020" is a sentence).
_VI_DATELINE = re.compile(
    r"\s*(?P<place>[^\W\d_][\w .'-]{1,40}),\s+[Nn]gày\s+(?P<d>[0-3]?\d)"
    r"(?:[/.-](?P<m>[01]?\d)[/.-]|\s+tháng\s+(?P<m2>[01]?\d)\s+năm\s+)(?P<y>(?:19|20)\d\d)\b",
)
_DAY_NAMES = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"
    r"|thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật)"
)
_PUB_LABEL = (
    r"(?:published|posted|updated|last\s+updated|date|dated|cập\s+nhật|ngày\s+đăng|đăng\s+ngày"
    r"|đăng\s+lúc|xuất\s+bản)"
)
# A line that is a publication stamp: an optional label or weekday, a full date, a time.
_PUB_LINE = re.compile(
    rf"^\s*(?:{_PUB_LABEL}\s*:?\s*)?(?:{_DAY_NAMES}\s*,?\s*)?(?:ngày\s+)?"
    r"(?P<date>.{6,40}?)"
    r"(?:\s*[,|-]?\s*(?:lúc\s+)?\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:am|pm|gmt[+-]?\d*|\(?gmt[^)]*\)?)?)?"
    r"\s*$",
    re.IGNORECASE,
)


def _full_date(s: str) -> datetime.date | None:
    """``s`` is exactly one full date with its year, in any of the forms used here."""
    s = s.strip(" ,.")
    for rx in (_ISO, _NUM, _MDY, _DMY):
        m = rx.fullmatch(s)
        if m:
            mon = m.group("m") if "m" in m.groupdict() else None
            month = int(mon) if mon else _MONTHS[m.group("mon").lower().rstrip(".")]
            return _mk(m.group("y"), month, m.group("d"))
    return None


def infer_date(body: str) -> datetime.date | None:
    """The article's own date from a dateline or a publication line at the top, else None."""
    head = body[:3000]
    if not _YEAR.search(head):
        return None  # every pattern below returns only with a year; the month ones are slow
    for m in _DATELINE.finditer(head):
        if m.group("y"):
            got = _mk(m.group("y"), _MONTHS[m.group("mon").lower().rstrip(".")], m.group("d"))
            if got:
                return got
    for m in _DATELINE_DMY.finditer(head):
        got = _mk(m.group("y"), _MONTHS[m.group("mon").lower().rstrip(".")], m.group("d"))
        if got:
            return got
    m = _VI_DATELINE.match(head)
    if m and all(w[0].isupper() for w in m.group("place").split()):
        got = _mk(m.group("y"), int(m.group("m") or m.group("m2")), m.group("d"))
        if got:
            return got
    lines = head.split("\n")[:8]  # a publication stamp is one of the first lines
    for i, line in enumerate(lines):
        if len(line) > 80 or not _YEAR.search(line) or line.rstrip().endswith("."):
            continue  # "Feb 26, 1992." ends a hard-wrapped sentence
        prev = lines[i - 1].rstrip() if i else ""
        if prev and not prev.endswith((".", "!", "?", ":", '"', "”")):
            continue  # the line goes on from the one before
        m = _PUB_LINE.match(line)
        got = _full_date(m.group("date")) if m else None
        if got:
            return got
    return None
