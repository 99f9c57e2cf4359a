"""Officials: personal names tied to a title in the same article.

A name is found by shape (Vietnamese syllables with a known surname, Chinese pinyin, or any
other run of capitalised words that are not title, organisation or place words). It is an
official when a title phrase stands right before it ("Vice Chairman Liao Pinhuo") or right
after it as an apposition ("Liu Ning, Secretary of ..."). Once tied, every other full-name
mention counts, and so does the short form its country uses (Vietnamese: last given name;
Chinese: surname; Lao: given name) where it stands alone and is not part of a place.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field

from .gazetteer import PlaceHit
from .model import Official, Span
from .names import (
    COUNTRY_WORDS,
    ENGLISH_SHORT_CLASH,
    FORMER_WORDS,
    HONORIFICS,
    STOP,
    TITLE_HEADS,
    VN_SURNAMES,
    is_cn_name,
    is_syllable,
    is_vn_name,
)

_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_CONNECTORS = frozenset("of the and for to in on s at".split())
_LOWER_TITLE = frozenset(
    """provincial municipal city district party committee people council deputy standing
    permanent vice minister secretary chairman chairwoman member members general chief head
    director ambassador government ministry commission department central national communist
    autonomous region province ruling state extraordinary plenipotentiary foreign affairs
    executive senior acting politburo secretariat affairs defence defense public security
    prime president delegation front fatherland""".split()
)
_NAME_SYLLABLE_STOPS = frozenset("viet thai nam lao han trung hoa quoc".split())
_GAP_OK = re.compile(r"[ ,()'’&/]*")
_APPOS = re.compile(
    r"\s*(?:\([^()\n]{0,20}\)\s*)?,\s*(?:(?:who|is|currently|also|concurrently|the|a|an)\s+){0,3}"
)
_APPOS_END = re.compile(
    r"[,.;:()\n\"“”]|\s(?:said|says|told|who|has|had|and his|and her|on|at|in)\s"
)
_SPEECH = frozenset(
    """said says noted stressed affirmed added asked highlighted emphasised emphasized
    suggested proposed expressed thanked welcomed congratulated called urged agreed briefed
    hoped wished underlined underscored praised lauded spoke told reaffirmed pledged informed
    shared applauded appreciated acknowledged requested recommended visited met received held
    also and for his her s""".split()
)
# Persons who are historical or died in office: (folded name, date of death or None=always).
_HISTORICAL: dict[str, datetime.date | None] = {
    "ho chi minh": None,
    "vo nguyen giap": None,
    "ton duc thang": None,
    "le duan": None,
    "truong chinh": None,
    "pham van dong": None,
    "nguyen van linh": None,
    "do muoi": None,
    "le kha phieu": None,
    "vo van kiet": None,
    "phan van khai": None,
    "le duc anh": None,
    "vo chi cong": None,
    "nguyen van thieu": None,
    "mao zedong": None,
    "zhou enlai": None,
    "deng xiaoping": None,
    "hu yaobang": None,
    "kaysone phomvihane": None,
    "souphanouvong": None,
    "nouhak phoumsavanh": None,
    "norodom sihanouk": None,
    "chea sim": None,
    "lee kuan yew": None,
    "tran dai quang": datetime.date(2018, 9, 21),
    "nguyen phu trong": datetime.date(2024, 7, 19),
    "tran duc luong": datetime.date(2025, 5, 20),
    "jiang zemin": datetime.date(2022, 11, 30),
    "li keqiang": datetime.date(2023, 10, 27),
    "abe shinzo": datetime.date(2022, 7, 8),
    "shinzo abe": datetime.date(2022, 7, 8),
}


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    low: str  # folded lower-case
    cap: bool  # Capitalised word (not an acronym)
    acr: bool  # ACRONYM, allowed inside a title ("(CPC) Central Committee")


@dataclass
class _Cand:
    i: int  # first token index
    j: int  # one past last token index
    key: str
    shape: str  # vn, cn, other


@dataclass
class _Person:
    key: str
    name: str
    shape: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    former: bool = False
    surfaces: list[str] = field(default_factory=list)
    first_title_country: str | None = None
    place_country: str | None = None


def _tokens(text: str, folded: str, limit: int) -> list[_Tok]:
    """Word tokens of ``text[:limit]``; findall + str.find is about twice as fast as
    building a Match object per word, and tokenising is the largest cost per article."""
    out: list[_Tok] = []
    body = text[:limit]
    pos = 0
    find = body.find
    for s in _TOKEN.findall(body):
        start = find(s, pos)
        pos = start + len(s)
        up = s.isupper()
        many = len(s) > 1
        out.append(
            _Tok(
                start, pos, s, folded[start:pos], s[0].isupper() and not (many and up), many and up
            )
        )
    return out


def _comma_ok(t: _Tok, is_place: bool) -> bool:
    """A comma may sit inside a list of titles ("Politburo member, Secretary of ...") but not
    between a clause and the title ("trip to China, Prime Minister ...")."""
    return not is_place and t.low not in COUNTRY_WORDS and (t.low in TITLE_HEADS or t.low in STOP)


def _historical(key: str, day: datetime.date | None) -> bool:
    if key not in _HISTORICAL:
        return False
    died = _HISTORICAL[key]
    return died is None or (day is not None and day >= died)


def find_officials(
    text: str,
    folded: str,
    limit: int,
    places: list[PlaceHit],
    masked: list[tuple[int, int]],
    day: datetime.date | None,
) -> tuple[list[Official], set[int]]:
    """Officials in ``text[:limit]`` and the indexes of place hits that were really names."""
    toks = _tokens(text, folded, limit)
    n = len(toks)
    place_of: dict[int, int] = {}
    hi = 0
    for ti, t in enumerate(toks):
        while hi < len(places) and places[hi].end <= t.start:
            hi += 1
        if hi < len(places) and places[hi].start <= t.start < places[hi].end:
            place_of[ti] = hi

    def joined(a: int, b: int) -> bool:
        return text[toks[a].end : toks[b].start] == " "

    # --- name candidates from runs of capitalised tokens
    cands: list[_Cand] = []
    cand_of: dict[int, int] = {}
    suppressed: set[int] = set()
    i = 0
    while i < n:
        if not toks[i].cap:
            i += 1
            continue
        j = i + 1
        while j < n and toks[j].cap and joined(j - 1, j):
            j += 1
        _run_candidates(toks, i, j, place_of, cands, suppressed)
        i = j
    masked_sorted = sorted(masked)
    masked_starts = [a for a, _ in masked_sorted]
    for ci, c in enumerate(cands):
        for k in range(c.i, c.j):
            cand_of[k] = ci

    def is_masked(pos: int) -> bool:
        i = bisect.bisect_right(masked_starts, pos) - 1
        return i >= 0 and masked_sorted[i][0] <= pos < masked_sorted[i][1]

    # --- title cues
    persons: dict[str, _Person] = {}
    for c in cands:
        if is_masked(toks[c.i].start):
            continue
        p = persons.get(c.key)
        if p is None:
            name = text[toks[c.i].start : toks[c.j - 1].end]
            p = persons[c.key] = _Person(c.key, name, c.shape)
        p.mentions.append((toks[c.i].start, toks[c.j - 1].end))
        surface = text[toks[c.i].start : toks[c.j - 1].end]
        if surface not in p.surfaces:
            p.surfaces.append(surface)
        for title, former, country, pcountry in (
            _pre_title(text, toks, c, cand_of, place_of, places),
            _post_title(text, toks, c, limit),
        ):
            if title is None:
                continue
            if former:
                p.former = True
                continue
            if title not in p.titles:
                p.titles.append(title)
            if country and p.first_title_country is None:
                p.first_title_country = country
            if pcountry and p.place_country is None:
                p.place_country = pcountry

    officials = [
        p
        for p in persons.values()
        if p.titles and not _historical(p.key, day) and not (p.former and not p.titles)
    ]
    # --- short forms
    taken = {k for c in cands for k in range(c.i, c.j)}
    shorts: dict[str, list[_Person]] = {}
    for p in officials:
        p_country = _country(p)
        for s in _short_forms(p.name, p_country):
            shorts.setdefault(s, []).append(p)
    if shorts:
        for ti, t in enumerate(toks):
            if not t.cap or ti in taken or ti in place_of or t.low not in shorts:
                continue
            if is_masked(t.start):
                continue
            if ti > 0 and toks[ti - 1].cap and joined(ti - 1, ti) and toks[ti - 1].low not in STOP:
                continue
            if ti + 1 < n and toks[ti + 1].cap and joined(ti, ti + 1):
                continue  # "Son La", "Viet Nam", "Lan Tianli": part of another name
            if t.low in ENGLISH_SHORT_CLASH and _sentence_initial(text, t.start):
                nxt = toks[ti + 1].low if ti + 1 < n else ""
                after = text[t.end : t.end + 2]
                if nxt not in _SPEECH and not after.startswith((",", "'", "’")):
                    continue
            owners = shorts[t.low]
            owner = _nearest(owners, t.start)
            owner.mentions.append((t.start, t.end))
            if t.text not in owner.surfaces:
                owner.surfaces.append(t.text)

    result: list[Official] = []
    for p in officials:
        spans = sorted(set(p.mentions))
        result.append(
            Official(
                key=p.key,
                name=p.name,
                aliases=p.surfaces,
                titles=p.titles,
                country=_country(p),
                mentions=[Span(a, b) for a, b in spans],
            )
        )
    result.sort(key=lambda o: o.mentions[0].start if o.mentions else 0)
    return result, suppressed


def _run_candidates(
    toks: list[_Tok],
    i: int,
    j: int,
    place_of: dict[int, int],
    cands: list[_Cand],
    suppressed: set[int],
) -> None:
    """Split a capitalised run at stop words and places; keep name-shaped pieces."""
    seg: list[int] = []
    k = i
    while k <= j:
        t = toks[k] if k < j else None
        if t is not None and k in place_of:
            # a place name that completes a Vietnamese name: "Vuong Dinh Hue", "Nguyen Thai Binh"
            h = place_of[k]
            m = k
            while m < j and place_of.get(m) == h:
                m += 1
            if seg and toks[seg[0]].low in VN_SURNAMES:
                lows = [toks[x].low for x in seg] + [toks[x].low for x in range(k, m)]
                if is_vn_name(lows) and (m >= j or toks[m].low in STOP):
                    suppressed.add(h)
                    seg.extend(range(k, m))
                    k = m
                    continue
            _emit(toks, seg, cands)
            seg = []
            k = m
            continue
        if t is not None and seg and t.low in _NAME_SYLLABLE_STOPS:
            seg.append(k)  # "Do Hung Viet", "Tan Yang Thai": a country word inside a name
        elif t is not None and seg and len(t.text) == 1 and t.cap:
            seg.append(k)  # a one-letter middle name: "Hau A Lenh", "Giang A Chu"
        elif t is None or t.low in STOP or len(t.text) < 2:
            _emit(toks, seg, cands)
            seg = []
        else:
            seg.append(k)
        k += 1


def _emit(toks: list[_Tok], seg: list[int], cands: list[_Cand]) -> None:
    if len(seg) < 2:
        return
    lows = [toks[x].low for x in seg]
    for a, b in _windows(len(seg)):
        part = lows[a:b]
        # a piece may drop only words that cannot be name syllables ("Environment Do Duc Duy",
        # "Xi Jinping Thought"), never "Thai" from "Tan Yang Thai"
        if (a, b) != (0, len(seg)) and any(_syllable(w) for w in lows[:a] + lows[b:]):
            continue
        if is_vn_name(part) and (b - a >= 3 or b - a == len(seg)):
            cands.append(_Cand(seg[a], seg[b - 1] + 1, " ".join(part), "vn"))
            return
        if is_cn_name(part):
            cands.append(_Cand(seg[a], seg[b - 1] + 1, " ".join(part), "cn"))
            return
    if 2 <= len(seg) <= 4:
        cands.append(_Cand(seg[0], seg[-1] + 1, " ".join(lows), "other"))


def _syllable(w: str) -> bool:
    return is_syllable(w)


def _windows(n: int) -> list[tuple[int, int]]:
    """Whole segment first, then suffixes, then prefixes (longest first)."""
    out = [(0, n)]
    out += [(a, n) for a in range(1, n - 1)]
    out += [(0, b) for b in range(n - 1, 1, -1)]
    return out


def _pre_title(
    text: str,
    toks: list[_Tok],
    c: _Cand,
    cand_of: dict[int, int],
    place_of: dict[int, int],
    places: list[PlaceHit],
) -> tuple[str | None, bool, str | None, str | None]:
    """Title phrase right before the name: (title, former, country, place country)."""
    k = c.i - 1
    first = None
    former = False
    # honorifics between title and name: "Ambassador ... Dato' Tan Yang Thai", "Mr."
    while k >= 0 and (toks[k].low in HONORIFICS or len(toks[k].text) == 1) and toks[k].cap:
        k -= 1
    if k < 0:
        return None, False, None, None
    last = k
    if not (toks[k].cap or toks[k].low in _LOWER_TITLE):
        return None, toks[k].low in FORMER_WORDS, None, None
    count = 0
    while k >= 0 and count < 40:
        t = toks[k]
        gap = text[t.end : toks[k + 1].start] if k + 1 < len(toks) else ""
        if k != last and not _GAP_OK.fullmatch(gap):
            break
        if k != last and "," in gap and not _comma_ok(t, k in place_of):
            break
        if len(t.text) == 1 and t.cap:
            break  # "(R)", "(L)" after a previous name
        if k in cand_of and cand_of[k] != cand_of.get(c.i):
            break
        if t.cap or t.acr or t.low in _CONNECTORS or t.low in _LOWER_TITLE:
            first = k
            k -= 1
            count += 1
            continue
        if t.low in FORMER_WORDS:
            former = True
        break
    if k >= 0 and toks[k].low in FORMER_WORDS:
        former = True
    if first is None:
        return None, False, None, None
    while first <= last and not (toks[first].cap or toks[first].acr):
        first += 1
    if first > last:
        return None, False, None, None
    lows = [toks[x].low for x in range(first, last + 1)]
    if not any(w in TITLE_HEADS for w in lows):
        return None, False, None, None
    if any(w in FORMER_WORDS for w in lows):
        former = True
    title = text[toks[first].start : toks[last].end].strip(" ,(")
    country = None
    for x in range(first, last + 1):
        w = toks[x].low
        if w in COUNTRY_WORDS and (x == first or toks[x - 1].low not in ("to", "in", "with")):
            if w == "viet" and x + 1 <= last and toks[x + 1].low != "nam":
                continue
            country = COUNTRY_WORDS[w]
            break
    pcountry = None
    for x in range(first, last + 1):
        if x in place_of:
            pcountry = places[place_of[x]].unit.country
            break
    return title, former, country, pcountry


def _post_title(
    text: str, toks: list[_Tok], c: _Cand, limit: int
) -> tuple[str | None, bool, str | None, str | None]:
    """Apposition after the name: "Liu Ning, Secretary of the Party Committee of ..."."""
    end = toks[c.j - 1].end
    m = _APPOS.match(text, end, limit)
    if not m:
        return None, False, None, None
    rest_start = m.end()
    stop = _APPOS_END.search(text, rest_start, min(limit, rest_start + 200))
    rest_end = stop.start() if stop else min(limit, rest_start + 200)
    phrase = text[rest_start:rest_end].strip()
    words = [w.lower() for w in _TOKEN.findall(phrase)]
    if not words:
        return None, False, None, None
    former = words[0] in FORMER_WORDS
    if former:
        words = words[1:]
    if not words or not any(w in TITLE_HEADS for w in words[:6]):
        return None, former, None, None
    if words[0] not in TITLE_HEADS and words[0] not in _LOWER_TITLE:
        first_tok = _TOKEN.search(phrase)
        if first_tok is None or not first_tok.group()[0].isupper():
            return None, False, None, None
    if former:
        return phrase, True, None, None
    country = next((COUNTRY_WORDS[w] for w in words if w in COUNTRY_WORDS), None)
    return phrase, False, country, None


def _country(p: _Person) -> str | None:
    lows = p.key.split()
    if p.shape == "vn" and len(lows) >= 3:
        return "VN"
    if p.first_title_country:
        return p.first_title_country
    if p.shape == "cn":
        return "CN"
    if p.shape == "vn":
        return "VN"
    return p.place_country


def _short_forms(name: str, country: str | None) -> list[str]:
    """The short forms the article may use, by naming convention (folded)."""
    parts = [t.lower() for t in _TOKEN.findall(name)]
    from .textutil import fold

    parts = [fold(t) for t in parts]
    if len(parts) < 2:
        return []
    if country == "VN":
        forms = [parts[-1]]
    elif country in ("CN", "LA"):
        forms = [parts[0]]
    elif country == "KH":
        forms = [parts[-1]] if len(parts[-1]) >= 4 else []
    elif country == "JP":
        forms = [parts[0], parts[-1]]
    else:
        forms = [parts[-1]]
    return [f for f in forms if (f not in STOP or f in _NAME_SYLLABLE_STOPS) and len(f) >= 2]


def _sentence_initial(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\"“'‘(":
        k -= 1
    return k < 0 or text[k] in ".!?\n:"


def _nearest(owners: list[_Person], pos: int) -> _Person:
    """Shared short form: the official named most recently before, else the first after."""
    if len(owners) == 1:
        return owners[0]
    before = [
        (max(a for a, _ in p.mentions if a < pos), p)
        for p in owners
        if any(a < pos for a, _ in p.mentions)
    ]
    if before:
        return max(before, key=lambda x: x[0])[1]
    return min(owners, key=lambda p: min(a for a, _ in p.mentions))
