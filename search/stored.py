"""The extractor's findings as the index stores them, and back.

Each document's ``entities`` stored field keeps everything the reader needs besides the text:
officials and provinces with their mention spans, where the boilerplate starts, the captions
and the extracted title.  With it the reader shows a file the index already knows without
running the extractor again, which is most of the cost of opening a large file (1.3 s of
1.4 s on a 5 MB article).

The record is compact JSON of lists, not objects: it is stored once per document and read
per hit when a query names an entity.  Spans are flat, ``[start, end, start, end, ...]``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from typing import Any

from search.extract.model import Extraction, Official, Province, Span

__all__ = ["encode_extraction", "decode_extraction", "mention_spans", "flat_pairs"]


def _flat(spans: Iterable[Span]) -> list[int]:
    return [offset for span in spans for offset in (span.start, span.end)]


def flat_pairs(flat: Sequence[int]) -> list[tuple[int, int]]:
    return list(zip(flat[::2], flat[1::2], strict=True))


def _spans(flat: Sequence[int]) -> list[Span]:
    return [Span(a, b) for a, b in flat_pairs(flat)]


def encode_extraction(ext: Extraction) -> str:
    """The ``entities`` field of one document (entities without a key are not kept)."""
    record = {
        "o": [
            [o.key, o.name, o.aliases, o.titles, o.country, _flat(o.mentions)]
            for o in ext.officials
            if o.key
        ],
        "p": [
            [p.key, p.name, p.aliases, p.country, p.kind, _flat(p.mentions)]
            for p in ext.provinces
            if p.key
        ],
        "b": ext.boilerplate_start,
        "c": _flat(ext.captions),
        "t": ext.title,
    }
    # mentions in a lead-sentence header line (offsets into the file), kept apart: the
    # lists above hold offsets into the text the reader shows
    heads = {
        f"{short}:{e.key}": _flat(e.header_mentions)
        for short, group in (("o", ext.officials), ("p", ext.provinces))
        for e in group
        if e.key and e.header_mentions
    }
    if heads:
        record["h"] = heads
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def decode_extraction(stored: dict[str, Any]) -> Extraction:
    """The Extraction an indexed document had, from its stored fields."""
    record = json.loads(stored.get("entities") or "{}")
    date = stored.get("date")
    heads = record.get("h", {})
    return Extraction(
        title=record.get("t", ""),
        date=date.date() if isinstance(date, datetime.datetime) else None,
        date_inferred=bool(stored.get("date_inferred")),
        boilerplate_start=record.get("b"),
        captions=_spans(record.get("c", [])),
        officials=[
            Official(
                key, name, aliases, titles, country, _spans(flat), _spans(heads.get(f"o:{key}", []))
            )
            for key, name, aliases, titles, country, flat in record.get("o", [])
        ],
        provinces=[
            Province(
                key, name, aliases, country, kind, _spans(flat), _spans(heads.get(f"p:{key}", []))
            )
            for key, name, aliases, country, kind, flat in record.get("p", [])
        ],
    )


def mention_spans(stored: dict[str, Any], wanted: set[tuple[str, str]]) -> list[tuple[int, int]]:
    """Mention spans of the wanted (field, key) entities, without building whole objects."""
    record = json.loads(stored.get("entities") or "{}")
    spans: list[tuple[int, int]] = []
    for field_name, short in (("official", "o"), ("province", "p")):
        for entry in record.get(short, []):
            if (field_name, entry[0]) in wanted:
                spans.extend(flat_pairs(entry[-1]))
    return spans
