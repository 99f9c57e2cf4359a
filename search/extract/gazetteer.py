"""Provincial-level units: the shipped gazetteer, an Aho-Corasick automaton over folded
variants, and the context rules that keep cities, border gates and roads out.

Everything is built once, lazily, and then only read: callers never see mutable state.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from search.fold import fold, fold1

from .names import CN_SURNAMES, STOP, VN_SURNAMES
from .textutil import vietnamese_text

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
    senses: dict[str, tuple[Sense, ...]]  # folded variant -> senses (empty: a "not unit" name)
    upper_only: frozenset[str]  # folded variants that must be written in capitals (HCMC)
    automaton: ahocorasick.Automaton
    spellings: dict[str, frozenset[Signature]]  # folded variant -> its known spellings


# A spelling as syllables: (letters with their vowel marks, lower case; tone mark; capitalised).
Signature = tuple[tuple[str, str, bool], ...]
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SYLLABLE = re.compile(r"[^\W_]+")


def signature(spelling: str) -> Signature:
    """How a spelling is written, syllable by syllable, with the tone mark wherever it sits
    ("Hoà" and "Hòa" are one spelling; "Hòa" and "Hóa", "Điện" and "Diễn" are not)."""
    out = []
    for word in _SYLLABLE.findall(spelling):
        parts = unicodedata.normalize("NFD", word)
        tone = next((c for c in parts if c in _TONE_MARKS), "")
        base = "".join(c for c in parts if c not in _TONE_MARKS)
        out.append((unicodedata.normalize("NFC", base).lower(), tone, word[0].isupper()))
    return tuple(out)


def _agrees(surface: str, known: frozenset[Signature]) -> bool:
    """Same letters, marks and tones as a known spelling, and each syllable capitalised as
    there (a text in capitals, "HÀ NỘI", agrees with any capitalisation)."""
    sig = signature(surface)
    if surface.isupper():
        return any(
            len(k) == len(sig) and all(a[:2] == b[:2] for a, b in zip(sig, k, strict=True))
            for k in known
        )
    return sig in known


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


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
    spellings: dict[str, set[Signature]] = {}

    def add(unit: Unit, variants: list[str], vfrom=None, vto=None) -> None:
        for v in [unit.name, *variants]:
            fv = fold(v)
            if not fv:
                continue
            spellings.setdefault(fv, set()).add(signature(v))
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
    for name in data.get("not_units", []):  # "Thái Bình Dương" (the Pacific) holds Thái Bình
        senses.setdefault(fold(name), [])
        spellings.setdefault(fold(name), set()).add(signature(name))

    auto = ahocorasick.Automaton()
    for fv in senses:
        auto.add_word(fv, fv)
    auto.make_automaton()
    return Gazetteer(
        units=units,
        senses={k: tuple(v) for k, v in senses.items()},
        upper_only=frozenset(upper),
        automaton=auto,
        spellings={k: frozenset(v) for k, v in spellings.items()},
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
# A firm named after a place ("Saitama Bank", "Saga Petroleum A/S", "Chiba Kogyo Bank",
# "Dong Nai Rubber Corp") is not the place.
_FIRM_AFTER = re.compile(  # on the text as written: "có" (has) folds to "co" (Co)
    r"(?:[ \t]+[A-Z][a-z]+){0,2}[ \t]+"
    r"(?:Bank|Petroleum|Corp|Corporation|Co|Inc|Ltd|Plc|PLC|Electric|Motors?|Industries|"
    r"Industrial|Securities|Steel|Chemicals?|Trust|Insurance|Airlines?|Airways|Holdings|Group|"
    r"Brewery|Oil|Gas|Power|Shipping|Trading|Heavy|Shinkin|Sogo|Finance|Leasing|Cement|Paper|"
    r"Mining|Textiles?|Life|BANK|CORP|CO|INC|LTD)\b"
)
# Vietnamese words before a name that make it a district, town, street, club... of that
# name: "thị xã Vĩnh Châu", "TP. Lào Cai" (the city), "CLB Bình Định", "đường Hà Nội".
_VI_NOT_UNIT_BEFORE = re.compile(
    r"(?:^|[^\w.])(?:thị xã|thị trấn|huyện|quận|xã|phường|đường|phố|sông|cầu|núi|đèo|chùa|"
    r"đền|làng|thôn|bến xe|sân bay|ga|cửa khẩu|vịnh|thành cổ|chợ|bãi biển|clb|câu lạc bộ|"
    r"clb bóng đá|câu lạc bộ bóng đá|đội bóng|đội tuyển|đội|cầu thủ)\s+$",
    re.IGNORECASE,
)
_VI_CITY_BEFORE = re.compile(r"(?:^|[^\w.])(?:thành phố|tp\.?)\s*$", re.IGNORECASE)
_VI_PROVINCE_BEFORE = re.compile(r"(?:^|[^\w.])tỉnh\s+$", re.IGNORECASE)
# Football clubs and firms named after their province, by the sponsor or nickname before the
# name or "FC" after it ("Becamex Bình Dương", "Hoàng Anh Gia Lai", "Hà Nội FC", "Thép Hòa
# Phát Hải Dương"): the club or firm, not the province (as written, in both scripts; scraped
# text glues words: "củaHA Gia Lai").
_CLUB_BEFORE = re.compile(
    r"(?<![A-Z0-9])(?:HA|SHB|SLNA|HAGL|CLB|FC|Becamex|Hoàng Anh|Hoang Anh|Sông Lam|Song Lam|"
    r"Hồng Lĩnh|Hong Linh|Thép Xanh|"
    r"Thep Xanh|Đông Á|Topenland|MerryLand|Sanna|XSKT|LPBank|Dược Nam Hà|Than|Hòa Phát|"
    r"Hoà Phát|Hoa Phat|Quy Nhơn|Quy Nhon)\s+$"
)
_CLUB_AFTER = re.compile(r"[ \t]+(?:FC|F\.C\.|T&T)(?!\w)")
# Words before a Japanese prefecture's name that are not a given name ("Koichi Miyazaki")
_PLACE_QUALIFIERS = frozenset(
    "central greater northern southern eastern western north south east west metropolitan "
    "prefectural rural urban coastal".split()
)


def find_places(
    text: str, folded: str, day: datetime.date | None, strict: bool | None = None
) -> list[PlaceHit]:
    """All province mentions, longest leftmost, word-bounded, capitalised, in context.

    ``strict`` (by default: the text is Vietnamese with its diacritics) makes a match agree
    with a known spelling, diacritics and each syllable's capital included, so "Diễn biến"
    is not Điện Biên and "Hòa bình" (peace) is not Hòa Bình; a spelling with diacritics is
    always held to that. Text without diacritics keeps the folded match."""
    gz = gazetteer()
    if strict is None:
        strict = vietnamese_text(text)
    cands: list[tuple[int, int, str]] = []
    n = len(folded)
    for end, fv in gz.automaton.iter(folded):
        start = end - len(fv) + 1
        stop = end + 1
        first = text[start]
        if _is_cjk(first):  # Chinese has no spaces and no capitals: the longest match wins
            cands.append((start, stop, fv))
            continue
        if start > 0 and folded[start - 1].isalnum():
            continue
        if stop < n and folded[stop].isalnum():
            continue
        surface = text[start:stop]
        if (strict or not surface.isascii()) and not _agrees(surface, gz.spellings[fv]):
            continue
        if not first.isupper() and not (strict or not surface.isascii()):
            continue
        if fv in gz.upper_only and not surface.replace("-", "").isupper():
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
            last_end = stop  # bare "Hue" before 2025, "Thái Bình Dương": not a unit
            continue
        unit = sense.unit
        if _is_cjk(text[start]):
            if unit.kind != "municipality" and text.startswith("市", stop):
                last_end = stop  # 吉林市: the city
                continue
            hits.append(PlaceHit(start, stop, unit))
            last_end = stop
            continue
        if _not_a_unit(text, folded, start, stop, unit, strict):
            last_end = stop
            continue
        window = folded[stop : stop + 40]
        m = _PROVINCE_AFTER.match(window)
        if m:
            stop += m.end()
        elif not _VI_PROVINCE_BEFORE.search(text, max(0, start - 8), start) and _name_goes_on(
            text, folded, stop
        ):
            last_end = stop
            continue
        hits.append(PlaceHit(start, stop, unit))
        last_end = stop
    return hits


def _not_a_unit(text: str, folded: str, start: int, stop: int, unit: Unit, strict: bool) -> bool:
    """Context that makes a name a city, a road, a firm, a club, a ticker or a surname."""
    window = folded[stop : stop + 40]
    if unit.kind == "municipality":
        m = _NOT_UNIT_AFTER.match(window)
        if m and not _CITY_AFTER.match(window):
            return True
    elif _NOT_UNIT_AFTER.match(window):
        return True
    if (
        _FIRM_AFTER.match(text, stop)
        or text[start - 1 : start] == "<"
        or text[stop : stop + 1] == ">"
    ):
        return True  # "Saitama Bank", the ticker "<KEP>"
    before = text[max(0, start - 24) : start]
    if _CLUB_BEFORE.search(before) or _CLUB_AFTER.match(text, stop):
        return True  # "Becamex Bình Dương", "Hà Nội FC": a club
    if strict or not before.isascii():
        if _VI_CITY_BEFORE.search(before):  # "thành phố Hà Nội" is the unit; "TP. Lào Cai"
            return unit.kind != "municipality"  # is the city of that name
        if _VI_NOT_UNIT_BEFORE.search(before):
            return True
        if _expressway(text, start):
            return True
    if unit.country == "JP":
        prev = re.search(r"([A-Z][a-z]+) $", before)
        if prev and fold(prev.group(1)) not in STOP | _PLACE_QUALIFIERS:
            k = start - len(prev.group(0)) - 1
            if k < 0 or text[k] not in '.!?\n"(':  # "Koichi Miyazaki": a surname
                return True
    return False


def _expressway(text: str, start: int) -> bool:
    """ "cao tốc Hà Nội - Hải Phòng - Quảng Ninh": an expressway named after its ends."""
    before = text[max(0, start - 60) : start]
    at = before.rfind("cao tốc ")
    if at < 0:
        return False
    words = before[at + len("cao tốc ") :].split()
    return all(w in ("-", "–") or w[0].isupper() for w in words)


def _name_goes_on(text: str, folded: str, stop: int) -> bool:
    """ "Dien Bien Phu", "Thai Binh Duong": the name goes on, so it is another place (but a
    title before a name is fine: "... Region Lan Tianli", "... Phú Yên Trần Hữu Thế")."""
    nxt = _NEXT_WORD.match(text, stop)
    if not (nxt and nxt.group(1)[0].isupper()):
        return False
    word = folded[nxt.start(1) : nxt.end(1)]
    after = _NEXT_WORD.match(text, nxt.end(1))
    name_follows = (
        word in VN_SURNAMES
        or word in CN_SURNAMES
        or (after is not None and after.group(1)[0].isupper())
    )
    return word not in STOP and not name_follows


_QUERY_AFFIX = re.compile(
    r"^(?:tinh|thanh pho|tp\.?|province of|city of)\s+|"
    r"\s+(?:province|autonomous region|region|municipality|prefecture|city|capital)$"
)


@lru_cache(maxsize=1)
def province_aliases() -> dict[str, tuple[str, ...]]:
    """Unit key -> every folded spelling that names it (for "did you mean")."""
    out: dict[str, list[str]] = {}
    for alias, senses in gazetteer().senses.items():
        for key in {sense.unit.key for sense in senses}:
            out.setdefault(key, []).append(alias)
    return {key: tuple(aliases) for key, aliases in out.items()}


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
        from search.suggest import closest  # only for misspelt queries

        keys = {alias: _best(senses).unit.key for alias, senses in gz.senses.items() if senses}
        near = closest(q, keys)
        if len(near) == 1:  # two names equally near: a guess would hide the other
            return near[0]
    except Exception:  # noqa: BLE001 - a query helper must never raise
        return None
    return None


def _best(senses: tuple[Sense, ...]) -> Sense:
    """Prefer the sense valid today (post-2025 Hue over Thua Thien Hue)."""
    return next((s for s in senses if s.valid_to is None), senses[0])


def unit_of(key: str) -> Unit | None:
    """Look a unit up by key."""
    return gazetteer().units.get(key)


__all__ = [
    "PlaceHit",
    "Unit",
    "find_places",
    "fold1",
    "gazetteer",
    "resolve_province",
    "signature",
    "unit_of",
]
