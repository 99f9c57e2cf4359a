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
from itertools import accumulate, compress
from operator import itemgetter

import ahocorasick

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
from .textutil import fold, fold1

_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_TOKEN_SPLIT = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*)")  # same words, kept by re.split
# the same on ASCII text, where the ASCII class is exact and about twice as fast to scan
_TOKEN_SPLIT_ASCII = re.compile(r"([A-Za-z]+(?:-[A-Za-z]+)*)")
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


class _Toks:
    """Word tokens of the body as parallel lists.

    Tokenising is the largest cost per article, so it is done without a Python object per
    word: one ``re.split`` (words at odd indexes, the separators between them at even ones),
    offsets from a running sum of lengths, folded forms from one ``translate`` of the joined
    words. ``gap(k)`` is the text between word k and word k + 1."""

    __slots__ = ("words", "lows", "starts", "ends", "parts", "caps", "capidx")

    def __init__(self, body: str) -> None:
        parts = (_TOKEN_SPLIT_ASCII if body.isascii() else _TOKEN_SPLIT).split(body)
        offs = list(accumulate(map(len, parts), initial=0))
        self.parts = parts
        self.words: list[str] = parts[1::2]
        self.starts: list[int] = offs[1:-1:2]
        self.ends: list[int] = offs[2::2]
        # fold1 maps character by character and no letter folds to "\0"
        self.lows: list[str] = fold1("\0".join(self.words)).split("\0")
        # Capitalised words (not ACRONYMS), in order and as a set; most words are lower-case
        # and are sorted out by C loops (the first letters' isupper) without a Python step
        words = self.words
        upper_first = compress(range(len(words)), map(str.isupper, map(itemgetter(0), words)))
        self.capidx: list[int] = [
            k for k in upper_first if not (len(words[k]) > 1 and words[k].isupper())
        ]
        self.caps: set[int] = set(self.capidx)

    def gap(self, k: int) -> str:
        return self.parts[2 * k + 2]

    def acr(self, k: int) -> bool:
        """ACRONYM, allowed inside a title ("(CPC) Central Committee")."""
        w = self.words[k]
        return len(w) > 1 and w.isupper()


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


def _comma_ok(low: str, is_place: bool) -> bool:
    """A comma may sit inside a list of titles ("Politburo member, Secretary of ...") but not
    between a clause and the title ("trip to China, Prime Minister ...")."""
    return not is_place and low not in COUNTRY_WORDS and (low in TITLE_HEADS or low in STOP)


def _historical(key: str, day: datetime.date | None) -> bool:
    if key not in _HISTORICAL:
        return False
    died = _HISTORICAL[key]
    return died is None or (day is not None and day >= died)


def _title_heads() -> ahocorasick.Automaton:
    """The words that can head a title, as written and as ``fold1`` spells them."""
    automaton = ahocorasick.Automaton()
    for word in {w for head in TITLE_HEADS for w in (head, fold1(head))}:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


_TITLE_HEADS = _title_heads()
_LETTER = re.compile(r"[^\W\d_]")  # what the token pattern's words are made of
# Characters whose ``lower()`` spells a head's letter that ``fold1`` does not (``_post_title``
# lower-cases): the Kelvin sign is "k" to ``lower`` and itself to ``fold1``.  A test checks
# every cased character.
LOWER_ONLY = "\u212a"


def may_name_officials(folded: str) -> bool:
    """Whether ``find_officials`` could find anyone in a text whose ``fold1`` is ``folded``.

    An official needs a title, and ``_pre_title`` and ``_post_title`` both need one of its
    words to be a title head.  ``fold1`` keeps every character a letter or not as it was,
    so a token of the text is a token of ``folded``, folded: if no head stands in
    ``folded`` between non-letters, no token is one.  Two articles in three of Reuters
    name no head; tokenizing them for names was 5% of a build.  (An automaton, because a
    regex of the heads' alternation tried every one at every character: 45 us an article.)
    """
    if any(char in folded for char in LOWER_ONLY):
        return True
    size = len(folded)
    for end, length in _TITLE_HEADS.iter(folded):
        start = end - length + 1
        if (start == 0 or not _LETTER.match(folded, start - 1)) and (
            end + 1 == size or not _LETTER.match(folded, end + 1)
        ):
            return True
    return False


def find_officials(
    text: str,
    limit: int,
    places: list[PlaceHit],
    masked: list[tuple[int, int]],
    day: datetime.date | None,
) -> tuple[list[Official], set[int]]:
    """Officials in ``text[:limit]`` and the indexes of place hits that were really names."""
    toks = _Toks(text[:limit])
    n = len(toks.words)
    words, lows, starts, ends, caps, capidx = (
        toks.words,
        toks.lows,
        toks.starts,
        toks.ends,
        toks.caps,
        toks.capidx,
    )
    place_of = _place_tokens(starts, places)

    # --- name candidates from runs of capitalised tokens joined by one space
    cands: list[_Cand] = []
    cand_of: dict[int, int] = {}
    suppressed: set[int] = set()
    x, ncap = 0, len(capidx)
    while x < ncap:
        i = capidx[x]
        j = i + 1
        x += 1
        while x < ncap and capidx[x] == j and toks.gap(j - 1) == " ":
            j += 1
            x += 1
        if j - i >= 2:  # a lone capitalised word is never a name
            _run_candidates(toks, i, j, place_of, cands, suppressed)
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
        if is_masked(starts[c.i]):
            continue
        p = persons.get(c.key)
        span = (starts[c.i], ends[c.j - 1])
        surface = text[span[0] : span[1]]
        if p is None:
            p = persons[c.key] = _Person(c.key, surface, c.shape)
        p.mentions.append(span)
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
        for ti in capidx:
            low = lows[ti]
            if low not in shorts or ti in taken or ti in place_of:
                continue
            start, end = starts[ti], ends[ti]
            if is_masked(start):
                continue
            if ti > 0 and ti - 1 in caps and toks.gap(ti - 1) == " " and lows[ti - 1] not in STOP:
                continue
            if ti + 1 < n and ti + 1 in caps and toks.gap(ti) == " ":
                continue  # "Son La", "Viet Nam", "Lan Tianli": part of another name
            if low in ENGLISH_SHORT_CLASH and _sentence_initial(text, start):
                nxt = lows[ti + 1] if ti + 1 < n else ""
                after = text[end : end + 2]
                if nxt not in _SPEECH and not after.startswith((",", "'", "’")):
                    continue
            owners = shorts[low]
            owner = _nearest(owners, start)
            owner.mentions.append((start, end))
            if words[ti] not in owner.surfaces:
                owner.surfaces.append(words[ti])

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


def _place_tokens(starts: list[int], places: list[PlaceHit]) -> dict[int, int]:
    """Token index -> index of the place hit its first character falls in.

    Hits are sorted and do not overlap, so a binary search per hit finds its tokens."""
    place_of: dict[int, int] = {}
    for h, hit in enumerate(places):
        for k in range(bisect.bisect_left(starts, hit.start), bisect.bisect_left(starts, hit.end)):
            place_of[k] = h
    return place_of


def _run_candidates(
    toks: _Toks,
    i: int,
    j: int,
    place_of: dict[int, int],
    cands: list[_Cand],
    suppressed: set[int],
) -> None:
    """Split a capitalised run at stop words and places; keep name-shaped pieces."""
    words, lows = toks.words, toks.lows
    seg: list[int] = []
    k = i
    while k <= j:
        last = k == j
        if not last and k in place_of:
            # a place name that completes a Vietnamese name: "Vuong Dinh Hue", "Nguyen Thai Binh"
            h = place_of[k]
            m = k
            while m < j and place_of.get(m) == h:
                m += 1
            if seg and lows[seg[0]] in VN_SURNAMES:
                name = [lows[x] for x in seg] + lows[k:m]
                if is_vn_name(name) and (m >= j or lows[m] in STOP):
                    suppressed.add(h)
                    seg.extend(range(k, m))
                    k = m
                    continue
            _emit(lows, seg, cands)
            seg = []
            k = m
            continue
        if not last and seg and lows[k] in _NAME_SYLLABLE_STOPS:
            seg.append(k)  # "Do Hung Viet", "Tan Yang Thai": a country word inside a name
        elif not last and seg and len(words[k]) == 1 and k in toks.caps:
            seg.append(k)  # a one-letter middle name: "Hau A Lenh", "Giang A Chu"
        elif last or lows[k] in STOP or len(words[k]) < 2:
            _emit(lows, seg, cands)
            seg = []
        else:
            seg.append(k)
        k += 1


def _emit(all_lows: list[str], seg: list[int], cands: list[_Cand]) -> None:
    if len(seg) < 2:
        return
    lows = [all_lows[x] for x in seg]
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
    toks: _Toks,
    c: _Cand,
    cand_of: dict[int, int],
    place_of: dict[int, int],
    places: list[PlaceHit],
) -> tuple[str | None, bool, str | None, str | None]:
    """Title phrase right before the name: (title, former, country, place country)."""
    words, lows, caps = toks.words, toks.lows, toks.caps
    n = len(words)
    k = c.i - 1
    first = None
    former = False
    # honorifics between title and name: "Ambassador ... Dato' Tan Yang Thai", "Mr."
    while k >= 0 and (lows[k] in HONORIFICS or len(words[k]) == 1) and k in caps:
        k -= 1
    if k < 0:
        return None, False, None, None
    last = k
    if not (k in caps or lows[k] in _LOWER_TITLE):
        return None, lows[k] in FORMER_WORDS, None, None
    count = 0
    while k >= 0 and count < 40:
        low = lows[k]
        gap = toks.gap(k) if k + 1 < n else ""
        if k != last and not _GAP_OK.fullmatch(gap):
            break
        if k != last and "," in gap and not _comma_ok(low, k in place_of):
            break
        if len(words[k]) == 1 and k in caps:
            break  # "(R)", "(L)" after a previous name
        if k in cand_of and cand_of[k] != cand_of.get(c.i):
            break
        if k in caps or toks.acr(k) or low in _CONNECTORS or low in _LOWER_TITLE:
            first = k
            k -= 1
            count += 1
            continue
        if low in FORMER_WORDS:
            former = True
        break
    if k >= 0 and lows[k] in FORMER_WORDS:
        former = True
    if first is None:
        return None, False, None, None
    while first <= last and not (first in caps or toks.acr(first)):
        first += 1
    if first > last:
        return None, False, None, None
    title_lows = lows[first : last + 1]
    if not any(w in TITLE_HEADS for w in title_lows):
        return None, False, None, None
    if any(w in FORMER_WORDS for w in title_lows):
        former = True
    title = text[toks.starts[first] : toks.ends[last]].strip(" ,(")
    country = None
    for x in range(first, last + 1):
        w = lows[x]
        if w in COUNTRY_WORDS and (x == first or lows[x - 1] not in ("to", "in", "with")):
            if w == "viet" and x + 1 <= last and lows[x + 1] != "nam":
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
    text: str, toks: _Toks, c: _Cand, limit: int
) -> tuple[str | None, bool, str | None, str | None]:
    """Apposition after the name: "Liu Ning, Secretary of the Party Committee of ..."."""
    end = toks.ends[c.j - 1]
    m = _APPOS.match(text, end, limit)
    if not m:
        return None, False, None, None
    rest_start = m.end()
    stop = _APPOS_END.search(text, rest_start, min(limit, rest_start + 200))
    rest_end = stop.start() if stop else _uncut(text, rest_start, min(limit, rest_start + 200))
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


def _uncut(text: str, start: int, end: int) -> int:
    """``end``, moved back to the start of a word it would cut: a phrase cut at 200
    characters keeps whole words ("Ministerial" is no "Minister").  ``start`` is where a
    word may begin, so the words found from it are the text's own."""
    for word in _TOKEN.finditer(text, start):
        if word.start() >= end:
            break
        if word.end() > end:
            return word.start()
    return end


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
