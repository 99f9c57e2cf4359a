"""Where the article is: captions, the trailing boilerplate, and the best title.

Rules are line based because the sources are scraped pages: a caption or a related-news list
is always its own line.
"""

from __future__ import annotations

import re
from itertools import accumulate
from operator import add
from typing import NamedTuple

from .model import Span


class Line(NamedTuple):
    """One line of the text with its offsets (a tuple: built by the thousand per article)."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Lines with offsets; cheap enough to run on 1 MB."""
    raws = text.split("\n")
    lens = list(map(len, raws))
    starts = list(accumulate(map((1).__add__, lens[:-1]), initial=0))  # +1 for each "\n"
    return list(map(Line._make, zip(starts, map(add, starts, lens), raws, strict=True)))


_CAPTION = re.compile(
    r"(?:\(\s*(?:photo|photos|image|source|ảnh|file photo)\s*:[^)]{0,80}\)\s*$)"
    r"|(?:^\s*(?:photo|photos|image|ảnh)\s*:)"
    r"|(?:[.!]\s*(?:photo|photos|ảnh)\s*:\s*\S[^.]{0,60}$)"
    r"|(?:\((?:xinhua|vna|vns|afp|reuters|ap|ttxvn|vnp|kpl|akp)(?:/[^)]{0,60})?\)\s*$)"
    r"|(?:\s-\d{1,2}\s*$)",
    re.IGNORECASE,
)
_IMAGE_FILE = re.compile(r"^\s*[\w.\-()% ]{1,120}\.(?:jpe?g|png|gif|webp|bmp|tiff?|svg)\s*$", re.I)
# credit parts of a caption line whose names are photographers, never officials
CREDIT = re.compile(
    r"\((?:photo|photos|image|source|ảnh)\s*:[^)]{0,80}\)|(?:photo|photos|ảnh)\s*:\s*[^\n.]{0,60}"
    r"|\((?:xinhua|vna|vns|afp|reuters|ap|ttxvn|vnp)/[^)]{0,60}\)",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^\s*(?:by|written by|reported by|reporter|reporters|story|text|photos?|translated by|"
    r"editor|edited by)\s*[:\-]?\s+[^\n]{0,80}$",
    re.IGNORECASE,
)


def is_caption(line: str) -> bool:
    """Photo captions, photo credits and image file names."""
    s = line.strip()
    if not s or len(s) > 600:
        return False
    # Every pattern needs a colon, a closing ")" at the end, " -9" at the end or an image
    # extension at the end; most lines have none, and each regex below costs a scan.
    if ":" not in s and s[-1] != ")" and "-" not in s[-3:] and "." not in s[-5:-2]:
        return False
    return bool(_IMAGE_FILE.match(s) or _CAPTION.search(s))


# Explicit "more to read" markers: everything from here on is someone else's article.
_TAIL_MARKER = re.compile(
    r"^\s*(?:see more|see also|read more|related news|related articles?|related stories|"
    r"related|more news|other news|latest news|most read|most viewed|recommended|"
    r"you may also like|you might also like|also read|tags?\s*:.*|keywords?\s*:.*|"
    r"comments?|your comment|leave a comment|tin liên quan|xem thêm|tin khác|"
    r"bài liên quan|share this article|print|back to top)\s*:?\s*$",
    re.IGNORECASE,
)
_LABEL_WORDS = frozenset(
    """politics diplomacy business economy society culture sports sport world sci-tech science
    technology environment travel tourism law health education life lifestyle video videos
    photo photos opinion national asean vietnam military defence investment finance markets
    market multimedia infographics entertainment features feature asia-pacific americas europe
    africa middle east region domestic international news trade energy agriculture
    overseas vietnamese community economic integration and & national-assembly legal
    party-state""".split()
)
_LABEL_SPLIT = re.compile(r"[\s\-–—&,/|]+")
_SOURCE_CREDIT = re.compile(
    r"^\s*(?:\(?(?:vna|vns|vnp|xinhua|afp|reuters?|ap|kpl|akp|ttxvn|vov|vnexpress|nhan dan|"
    r"vietnamplus|sggp|tuoi tre|thanh nien|cna|people's daily|global times)\)?"
    r"(?:\s*[/,]\s*[\w. ]{1,40})?|source\s*:.*|-?\s*[A-Z]{2,6}(?:/[A-Z]{2,6})?\s*-?)\s*\.?\s*$",
    re.IGNORECASE,
)
END_MARK = re.compile(r"(?:/\.|\./\.)\s*$")


def is_label(line: str) -> bool:
    """A section label such as 'Politics-Diplomacy' or 'Culture - Sports'."""
    s = line.strip()
    if not s or len(s) > 40:
        return False
    words = [w for w in _LABEL_SPLIT.split(s.lower()) if w]
    return bool(words) and len(words) <= 4 and all(w in _LABEL_WORDS for w in words)


def _is_headline_like(s: str) -> bool:
    words = s.split()
    return 3 <= len(words) <= 25 and s[:1].isupper() and not s.rstrip().endswith((".", ",", ";"))


def find_boilerplate(lines: list[Line]) -> int | None:
    """Index of the first boilerplate line, or None.

    Signals, strongest first: an explicit marker ('See more', 'Related news') after some
    body; the VNA end mark '/.' followed by more than credits; a section label repeated or
    followed by a headline that is repeated (scraped related-news cards)."""
    body_seen = 0
    n = len(lines)
    for i, ln in enumerate(lines):
        s = ln.text.strip()
        if not s:
            continue
        if body_seen >= 1 and _TAIL_MARKER.match(s):
            return i
        if body_seen >= 1 and is_label(s) and _label_starts_tail(lines, i):
            return i
        if len(s) > 40 and "/." in s and END_MARK.search(s):
            j = _next_content(lines, i + 1)
            while j is not None and (
                _SOURCE_CREDIT.match(lines[j].text) or BYLINE.match(lines[j].text)
            ):
                j = _next_content(lines, j + 1)
            if j is not None and j < n:
                return j
            return None
        if len(s) >= 120 and not is_caption(s):
            body_seen += 1
    return None


def _next_content(lines: list[Line], i: int) -> int | None:
    while i < len(lines):
        if lines[i].text.strip():
            return i
        i += 1
    return None


def _label_starts_tail(lines: list[Line], i: int) -> bool:
    """A label starts the tail when it recurs below, or is followed by a headline-like line
    that recurs within the next few lines (a related-news card)."""
    label = lines[i].text.strip()
    following = [ln.text.strip() for ln in lines[i + 1 : i + 40] if ln.text.strip()]
    if following.count(label) >= 1:
        return True
    if following and _is_headline_like(following[0]) and following[0] in following[1:5]:
        return True
    # a label just before another label-card: headline, label
    return len(following) >= 2 and _is_headline_like(following[0]) and is_label(following[1])


def caption_spans(lines: list[Line], limit: int) -> list[Span]:
    """Caption and image-file lines before ``limit`` (the boilerplate start)."""
    return [Span(ln.start, ln.end) for ln in lines if ln.start < limit and is_caption(ln.text)]


_FRAGMENT = re.compile(r"^\W*$")


def choose_title(header_title: str | None, lines: list[Line], limit: int) -> str:
    """The header's title unless it is a caption or lead and a real headline exists."""
    header = (header_title or "").strip()
    first_body: str | None = None
    headline: str | None = None
    for ln in lines:
        if ln.start >= limit:
            break
        s = ln.text.strip()
        if not s or _FRAGMENT.match(s) or is_caption(s) or BYLINE.match(s):
            continue
        if first_body is None:
            first_body = s
        if _is_headline_like(s) and len(s) <= 200 and "(VNA)" not in s and " – " not in s[:40]:
            headline = s
        break
    if header:
        header_bad = is_caption(header) or (len(header.split()) > 25 and header.endswith("."))
        if header_bad and headline:
            return headline
        return header
    if headline:
        return headline
    if first_body:
        first = re.split(r"(?<=[.!?])\s", first_body, maxsplit=1)[0]
        return first[:200].strip()
    for ln in lines:
        if ln.text.strip():
            return ln.text.strip()[:200]
    return ""
