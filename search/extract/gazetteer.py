"""Provincial-level units: the shipped gazetteer, an Aho-Corasick automaton over folded
variants, and the context rules that keep cities, border gates and roads out.

Everything is built once, lazily, and then only read: callers never see mutable state.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from .names import CN_SURNAMES, STOP, VN_SURNAMES
from .textutil import fold, fold1

HUE_CITY_FROM = datetime.date(2025, 1, 1)
MERGER_FROM = datetime.date(2025, 7, 1)


@dataclass(frozen=True)
class Unit:
    """One provincial-level unit as shown to users."""

    key: str
    name: str
    country: str
    kind: str


@dataclass(frozen=True)
class Sense:
    """One reading of a variant: which unit, and the dates it is valid for."""

    unit: Unit
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None  # exclusive

    def valid(self, day: datetime.date | None) -> bool:
        """Undated articles are read as current, so the newest sense wins."""
        if day is None:
            return self.valid_to is None
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_to is not None and day >= self.valid_to)


@dataclass(frozen=True)
class Gazetteer:
    """Read-only lookup tables built from ``search/data/gazetteer.json``."""

    units: dict[str, Unit]
    senses: dict[str, tuple[Sense, ...]]  # folded variant -> senses
    upper_only: frozenset[str]  # folded variants that must be written in capitals (HCMC)
    automaton: ahocorasick.Automaton


def _load_json() -> dict:
    ref = resources.files("search.data").joinpath("gazetteer.json")
    return json.loads(ref.read_text(encoding="utf-8"))


def _display(entry: dict) -> str:
    return entry.get("display") or entry.get("name_en") or entry["id"]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build the gazetteer once (about 10 ms) and share it read-only."""
    data = _load_json()
    units: dict[str, Unit] = {}
    senses: dict[str, list[Sense]] = {}
    upper: set[str] = set()

    def add(unit: Unit, variants: list[str], vfrom=None, vto=None) -> None:
        for v in [unit.name, *variants]:
            fv = fold(v)
            if not fv:
                continue
            if len(v) <= 5 and v.replace("-", "").replace(".", "").isupper():
                upper.add(fv)
            lst = senses.setdefault(fv, [])
            if not any(s.unit.key == unit.key for s in lst):
                lst.append(Sense(unit, vfrom, vto))

    post = {e["id"]: e for e in data["vietnam_post2025"]}
    for e in data["vietnam_pre2025"]:
        if e["id"] == "thua_thien_hue":
            unit = Unit(e["id"], _display(e), "VN", e["kind"])
            units[unit.key] = unit
            add(unit, e["variants"], None, HUE_CITY_FROM)
            continue
        kind = post[e["id"]]["kind"] if e["id"] in post else e["kind"]
        unit = Unit(e["id"], _display(e), "VN", kind)
        units[unit.key] = unit
        add(unit, e["variants"])
    for e in data["vietnam_post2025"]:
        if e["id"] in units:
            add(units[e["id"]], e["variants"])
            continue
        unit = Unit(e["id"], _display(e), "VN", e["kind"])  # Hue, a city from 2025-01-01
        units[unit.key] = unit
        add(unit, e["variants"], HUE_CITY_FROM, None)
    for country, entries in (
        ("CN", data["china"]),
        ("LA", data["supplementary"]["laos"]),
        ("KH", data["supplementary"]["cambodia"]),
        ("JP", data["supplementary"]["japan"]),
    ):
        for e in entries:
            unit = Unit(e["id"], _display(e), country, e["kind"])
            units[unit.key] = unit
            add(unit, e["variants"])

    auto = ahocorasick.Automaton()
    for fv in senses:
        auto.add_word(fv, fv)
    auto.make_automaton()
    return Gazetteer(
        units=units,
        senses={k: tuple(v) for k, v in senses.items()},
        upper_only=frozenset(upper),
        automaton=auto,
    )


@dataclass(frozen=True)
class PlaceHit:
    """A province mention found in the text."""

    start: int
    end: int
    unit: Unit


# Words after a name that make it a city, a gate, a road... rather than the province.
_NOT_UNIT_AFTER = re.compile(
    r"[ \t]+(?:international[ \t]+)?(?:city|town|township|district|commune|ward|county|"
    r"border[ \t]+gate|border[ \t]+crossing|(?:railway[ \t]+)?station|airport|street|road|"
    r"bridge|pass|waterfalls?|river|lake|temple|bay|port|university|hospital|stadium|"
    r"mausoleum|trail)\b"
)
_CITY_AFTER = re.compile(r"[ \t]+(?:city|town|township|district|commune|ward|county)\b")
_PROVINCE_AFTER = re.compile(r"[ \t]+(?:province|prefecture)\b")
_NEXT_WORD = re.compile(r" ([^\W\d_]+)")


def find_places(text: str, folded: str, day: datetime.date | None) -> list[PlaceHit]:
    """All province mentions, longest leftmost, word-bounded, capitalised, in context."""
    gz = gazetteer()
    cands: list[tuple[int, int, str]] = []
    n = len(folded)
    for end, fv in gz.automaton.iter(folded):
        start = end - len(fv) + 1
        stop = end + 1
        if start > 0 and folded[start - 1].isalnum():
            continue
        if stop < n and folded[stop].isalnum():
            continue
        first = text[start]
        if not first.isupper():
            continue
        if fv in gz.upper_only and not text[start:stop].replace("-", "").isupper():
            continue
        cands.append((start, stop, fv))
    cands.sort(key=lambda c: (c[0], c[0] - c[1]))
    hits: list[PlaceHit] = []
    last_end = -1
    for start, stop, fv in cands:
        if start < last_end:
            continue
        sense = next((s for s in gz.senses[fv] if s.valid(day)), None)
        if sense is None:
            last_end = stop  # e.g. bare "Hue" before 2025: the city, not a province
            continue
        unit = sense.unit
        window = folded[stop : stop + 40]
        if unit.kind == "municipality":
            m = _NOT_UNIT_AFTER.match(window)
            if m and not _CITY_AFTER.match(window):
                last_end = stop
                continue
        elif _NOT_UNIT_AFTER.match(window):
            last_end = stop
            continue
        m = _PROVINCE_AFTER.match(window)
        if m:
            stop += m.end()
        else:
            # "Dien Bien Phu", "Thai Binh Duong": the name goes on, so it is another place
            # (but a title before a name is fine: "... Region Lan Tianli")
            nxt = _NEXT_WORD.match(text, stop)
            if nxt and nxt.group(1)[0].isupper():
                word = folded[nxt.start(1) : nxt.end(1)]
                after = _NEXT_WORD.match(text, nxt.end(1))
                name_follows = (
                    word in VN_SURNAMES
                    or word in CN_SURNAMES
                    or (after is not None and after.group(1)[0].isupper())
                )
                if word not in STOP and not name_follows:
                    last_end = stop
                    continue
        hits.append(PlaceHit(start, stop, unit))
        last_end = stop
    return hits


_QUERY_AFFIX = re.compile(
    r"^(?:tinh|thanh pho|tp\.?|province of|city of)\s+|"
    r"\s+(?:province|autonomous region|region|municipality|prefecture|city|capital)$"
)


def resolve_province(name: str) -> str | None:
    """Alias (any spelling, case- and diacritics-insensitive) -> unit key, or None."""
    if not isinstance(name, str):
        return None
    try:
        gz = gazetteer()
        q = fold(name).replace("_", " ")
        if not q:
            return None
        for attempt in (q, _QUERY_AFFIX.sub("", q), _QUERY_AFFIX.sub("", _QUERY_AFFIX.sub("", q))):
            if attempt in gz.senses:
                return _best(gz.senses[attempt]).unit.key
            key = attempt.replace(" ", "_")
            if key in gz.units:
                return key
        from rapidfuzz import fuzz, process  # only for misspelt queries

        best = process.extractOne(q, list(gz.senses), scorer=fuzz.ratio, score_cutoff=88)
        if best is not None:
            return _best(gz.senses[best[0]]).unit.key
    except Exception:  # noqa: BLE001 - a query helper must never raise
        return None
    return None


def _best(senses: tuple[Sense, ...]) -> Sense:
    """Prefer the sense valid today (post-2025 Hue over Thua Thien Hue)."""
    return next((s for s in senses if s.valid_to is None), senses[0])


def unit_of(key: str) -> Unit | None:
    """Look a unit up by key."""
    return gazetteer().units.get(key)


__all__ = ["PlaceHit", "Unit", "find_places", "fold1", "gazetteer", "resolve_province", "unit_of"]
