"""``extract()``: zones first (boilerplate, captions), then places, then officials, then the
date and title. Each step only reads the body, so nothing in a related-news tail leaks in.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections import Counter

from search.fold import fold1

from .dates import infer_date
from .gazetteer import find_places
from .model import Extraction, Official, Province, Span
from .officials import find_officials, may_name_officials
from .officials_vi import find_officials_vi
from .textutil import vietnamese_text
from .zones import (
    BYLINE,
    CREDIT,
    caption_spans,
    choose_title,
    find_boilerplate,
    is_caption,
    split_lines,
)

MAX_CHARS = 2_000_000  # beyond this only the head is analysed: articles are never this long


def extract(
    text: str,
    *,
    header_title: str | None = None,
    header_date: datetime.date | None = None,
    header_title_at: int = 0,
) -> Extraction:
    """Title, date, boilerplate start, captions, officials and provinces of one article.

    ``header_title_at`` is where ``header_title`` starts in the file (its header line): a
    title that is a lead sentence is read for entities too, their ``header_mentions`` are
    offsets into the file. Never raises: on any internal failure an empty-ish Extraction with
    the header values is returned, so indexing one odd file cannot stop a corpus."""
    if not isinstance(text, str):
        text = ""
    if not isinstance(header_date, datetime.date):
        header_date = None
    if header_title is not None and not isinstance(header_title, str):
        header_title = None
    if not isinstance(header_title_at, int) or header_title_at < 0:
        header_title_at = 0
    try:
        return _extract(text, header_title, header_date, header_title_at)
    except Exception:  # noqa: BLE001 - the index must survive any input
        first = next((ln.strip() for ln in text[:10_000].split("\n") if ln.strip()), "")
        return Extraction((header_title or "").strip() or first[:200], header_date, False, None)


def _extract(
    text: str, header_title: str | None, header_date: datetime.date | None, header_at: int
) -> Extraction:
    work = text[:MAX_CHARS]
    lines = split_lines(work)
    bp_line = find_boilerplate(lines)
    boilerplate_start = lines[bp_line].start if bp_line is not None else None
    limit = boilerplate_start if boilerplate_start is not None else len(work)
    body = work[:limit]

    if header_date is not None:
        day, inferred = header_date, False
    else:
        day = infer_date(body)
        inferred = day is not None

    captions = caption_spans(lines, limit)
    masked: list[tuple[int, int]] = []
    for sp in captions:
        for m in CREDIT.finditer(work, sp.start, sp.end):
            masked.append((m.start(), m.end()))
    prev = ""
    for ln in lines:
        if ln.start >= limit:
            break
        # a line of wrapped text that begins "by ..." goes on from the line before it
        if len(ln.text) < 100 and BYLINE.match(ln.text) and not _runs_on(prev):
            masked.append((ln.start, ln.end))
        if ln.text.strip():
            prev = ln.text

    vietnamese = vietnamese_text(body)
    # A header title that is the lead sentence is read with the body, before it and set off
    # by a blank line; its findings are moved back to the header's own offsets at the end.
    lead = header_title if header_title and lead_sentence(header_title) else ""
    shift = len(lead) + 2 if lead else 0
    if lead:
        work, limit = f"{lead}\n\n{work}", limit + shift
        body = work[:limit]
        masked = [(a + shift, b + shift) for a, b in masked]
    folded = fold1(body)
    places = find_places(body, folded, day, strict=vietnamese)
    if vietnamese:  # Vietnamese-language text has its own title words and name order
        officials, name_places = find_officials_vi(
            work, limit, places, masked, day, None if lead else header_title
        )
    elif places or may_name_officials(folded):
        officials, name_places = find_officials(work, limit, places, masked, day)
    else:  # no title word: no official; no place: no name that hides one
        officials, name_places = [], set()

    official_spans = sorted((m.start, m.end) for o in officials for m in o.mentions)
    provinces: dict[str, Province] = {}
    written: dict[str, Counter[str]] = {}
    for idx, hit in enumerate(places):
        if idx in name_places or _inside(official_spans, hit.start, hit.end):
            continue
        surface = body[hit.start : hit.end]
        prov = provinces.get(hit.unit.key)
        if prov is None:
            prov = provinces[hit.unit.key] = Province(
                key=hit.unit.key,
                name=hit.unit.name,
                aliases=[],
                country=hit.unit.country,
                kind=hit.unit.kind,
                mentions=[],
            )
        if surface not in prov.aliases:
            prov.aliases.append(surface)
        prov.mentions.append(Span(hit.start, hit.end))
        written.setdefault(hit.unit.key, Counter())[surface] += 1
    for key, prov in provinces.items():
        prov.name = own_spelling(prov.name, written[key])
    if lead:
        for entity in [*officials, *provinces.values()]:
            _to_header(entity, shift, header_at)
        officials.sort(key=lambda o: o.mentions[0].start if o.mentions else -1)

    title = choose_title(header_title, lines, limit - shift)
    return Extraction(
        title=title,
        date=day,
        date_inferred=inferred,
        boilerplate_start=boilerplate_start,
        captions=captions,
        officials=officials,
        provinces=list(provinces.values()),
    )


_SUFFIX = re.compile(r"[ \t]+(?:province|prefecture)$", re.IGNORECASE)


def own_spelling(name: str, written: Counter[str]) -> str:
    """The name as the article writes it when it writes it in its own script ("Điện Biên",
    "湖北省", not "Dien Bien", "Hubei"): its most frequent such spelling; else ``name``."""
    own = Counter()
    for surface, n in written.items():
        bare = _SUFFIX.sub("", surface)
        if not bare.isascii() and not bare.isupper():
            own[bare] += n
    return max(own.items(), key=lambda kv: (kv[1], kv[0]))[0] if own else name


def lead_sentence(title: str) -> bool:
    """Whether a header title is a sentence of the article (scrapers often put the lead
    there) rather than a headline: it ends like a sentence or is long; never a caption."""
    s = title.strip()
    if not s or is_caption(s):
        return False
    return s.endswith((".", "!", "?", "…", '"', "”")) or len(s.split()) >= 15


def _to_header(entity: Official | Province, shift: int, header_at: int) -> None:
    """Split the mentions found in header + body into the body's and the header's own."""
    body, head = [], []
    for m in entity.mentions:
        if m.start >= shift:
            body.append(Span(m.start - shift, m.end - shift))
        else:
            head.append(Span(m.start + header_at, m.end + header_at))
    entity.mentions, entity.header_mentions = body, head


def _runs_on(prev: str) -> bool:
    """Whether the next line continues ``prev`` mid-sentence (hard-wrapped text)."""
    tail = prev.rstrip()
    return bool(tail) and len(tail) >= 40 and tail[-1].isalnum()


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps a name mention (a short form is never a place).

    ``spans`` is sorted and non-overlapping, so a binary search keeps 1 MB inputs linear."""
    i = bisect.bisect_right(spans, (start, 1 << 62))
    if i > 0 and spans[i - 1][1] > start:
        return True
    return i < len(spans) and spans[i][0] < end
