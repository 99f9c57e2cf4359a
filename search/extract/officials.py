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

from search.fold import fold, fold1

from .gazetteer import PlaceHit
from .model import Official, Span
from .names import (
    BUSINESS_WORDS,
    COUNTRY_WORDS,
    ENGLISH_SHORT_CLASH,
    FIRM_FORMS,
    FIRM_TITLES,
    FORMER_WORDS,
    HONORIFICS,
    NATIONS,
    NOT_ONE_WORD_NAME,
    PRIVATE_BODIES,
    PUBLIC_BANK_WORDS,
    PUBLIC_BIGRAMS,
    PUBLIC_BODY_OF,
    PUBLIC_HEADS,
    PUBLIC_WORDS,
    SENTENCE_WORDS,
    STOP,
    TITLE_HEADS,
    VN_SURNAMES,
    WEAK_PUBLIC_WORDS,
    is_cn_name,
    is_syllable,
    is_vn_name,
)
from .textutil import join_wrapped

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
    prime president delegation front fatherland governor chancellor commissioner premier
    representative trade finance economic economy energy oil petroleum agriculture
    agricultural bank central reserve federal treasury planning industry industrial
    commerce labour labor interior budget justice health education fed house senate banking
    staff spokesman spokeswoman official officials ambassador envoy king senator speaker
    assistant undersecretary under development monetary fiscal mines mining transport
    leader external international designate elect top paramount managing prefecture
    northern southern eastern western northeastern northwestern southeastern southwestern
    northernmost southernmost mountainous coastal""".split()
)
# Lower-case words that may end a title phrase: after its head ("Prime Minister designate"),
# a place's kind ("Secretary of the Party Committee of Chongzuo city").
_AFTER_HEAD = frozenset(
    """designate elect staff city province prefecture district county region municipality
    town""".split()
)
# Public bodies whose possessive stands for a title: "Treasury's Baker", "the Fed's Volcker".
_POSSESSIVE_BODIES = frozenset(
    """treasury fed bundesbank omb opec imf ec gatt cia pentagon kremlin senate congress
    house""".split()
)
# Lower-case words inside a name ("Javier Perez de Cuellar", "Barend du Plessis"), matched
# as written so that a Vietnamese "là" is never one.
_PARTICLES = frozenset("de du da del della der den van von di dos das bin ibn al arap".split())
# Abbreviations a run of name words may continue past with ". ": initials ("William R.
# Smith") and titles ("Sen. Bob Dole").
_ABBREV = frozenset("sen sens rep reps gov gen lt col capt sgt adm st mr mrs ms dr jr".split())
# Words right after a name that make it a firm's or a body's name ("Saitama Bank", "Rolls
# Royce Ltd", "Saga Petroleum"): such a run is never a person.
_FIRM_AFTER = frozenset(
    """corp corporation inc co cos ltd plc ag sa nv bv spa gmbh llc holdings group bank
    banks bancorp petroleum oil electric industries motors airlines airways securities
    brothers partners associates university college institute association exchange fund
    trust capital financial insurance chemical chemicals steel mining resources
    communications foods stores international""".split()
)
_NAME_SYLLABLE_STOPS = frozenset("viet thai nam lao han trung hoa quoc".split())
_GAP_OK = re.compile(r"[ ,()'’&/]*")
_APPOS = re.compile(
    r"\s*(?:\([^()\n]{0,20}\)\s*)?,\s*(?:(?:who|is|currently|also|concurrently|the|a|an)\s+){0,3}"
)
_APPOS_END = re.compile(
    r"[,.;:()\n\"“”]|\s(?:said|says|told|who|has|had|and his|and her|on|at|in)\b"
)
_SPEECH_END = frozenset(("said", "says", "told"))
_SPEECH = frozenset(
    """said says noted stressed affirmed added asked highlighted emphasised emphasized
    suggested proposed expressed thanked welcomed congratulated called urged agreed briefed
    hoped wished underlined underscored praised lauded spoke told reaffirmed pledged informed
    shared applauded appreciated acknowledged requested recommended visited met received held
    also and for his her s""".split()
)
# Speech verbs after a short form that make it the person even when it is also a place.
_SAID = _SPEECH - frozenset("also and for his her s met visited received held".split())
_PLACE_PREPOSITIONS = frozenset("in of to from at near for across around outside".split())
# Persons who are historical or died in office: folded name -> date of death. An article on
# or after that date speaks of them as history; an undated one too for the first group (long
# dead, named today as founders), not for the second (recent: an undated article may be
# from their time in office). A 1987 article's "Chinese leader Deng Xiaoping" is in office.
_D = datetime.date
_HISTORICAL_UNDATED: dict[str, datetime.date] = {
    "ho chi minh": _D(1969, 9, 2),
    "vo nguyen giap": _D(2013, 10, 4),
    "ton duc thang": _D(1980, 3, 30),
    "le duan": _D(1986, 7, 10),
    "truong chinh": _D(1988, 9, 30),
    "pham van dong": _D(2000, 4, 29),
    "nguyen van linh": _D(1998, 4, 27),
    "do muoi": _D(2018, 10, 1),
    "le kha phieu": _D(2020, 8, 7),
    "vo van kiet": _D(2008, 6, 11),
    "phan van khai": _D(2018, 3, 17),
    "le duc anh": _D(2019, 4, 22),
    "vo chi cong": _D(2011, 9, 8),
    "nguyen van thieu": _D(2001, 9, 29),
    "mao zedong": _D(1976, 9, 9),
    "zhou enlai": _D(1976, 1, 8),
    "deng xiaoping": _D(1997, 2, 19),
    "hu yaobang": _D(1989, 4, 15),
    "kaysone phomvihane": _D(1992, 11, 21),
    "souphanouvong": _D(1995, 1, 9),
    "nouhak phoumsavanh": _D(2008, 9, 9),
    "norodom sihanouk": _D(2012, 10, 15),
    "chea sim": _D(2015, 6, 8),
    "lee kuan yew": _D(2015, 3, 23),
    "mao": _D(1976, 9, 9),  # "Chairman Mao"
}
_HISTORICAL_DATED: dict[str, datetime.date] = {
    "tran dai quang": _D(2018, 9, 21),
    "nguyen phu trong": _D(2024, 7, 19),
    "tran duc luong": _D(2025, 5, 20),
    "jiang zemin": _D(2022, 11, 30),
    "li keqiang": _D(2023, 10, 27),
    "abe shinzo": _D(2022, 7, 8),
    "shinzo abe": _D(2022, 7, 8),
}


_ARTICLE_NAME = re.compile(r"(?:al|el)-[A-Z][a-z]+")


def _deletes(word: str) -> list[str]:
    return [word[:x] + word[x + 1 :] for x in range(len(word))]


# One letter dropped, added, changed or two swapped in a long head ("Secertary", "Miniister",
# "Represenative", "Prersident"): each head and its one-letter deletions -> the head.
_TYPO_HEADS: dict[str, str] = {}
for _head in """minister secretary representative president chancellor governor chairman
    commissioner ambassador""".split():
    for _form in [_head, *_deletes(_head)]:
        _TYPO_HEADS.setdefault(_form, _head)


def _misspelt_head(low: str) -> str | None:
    """The title head a capitalised word misspells, if any."""
    for form in (low, *_deletes(low)):
        head = _TYPO_HEADS.get(form)
        if head is not None:
            return head
    return None


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
        if "al-" in body or "el-" in body:  # "Issam Abdul-Rahim al-Chalabi"
            arabic = [k for k, w in enumerate(words) if _ARTICLE_NAME.fullmatch(w)]
            self.capidx = sorted(self.capidx + arabic)
        self.caps: set[int] = set(self.capidx)
        lows = self.lows
        for k in self.capidx:  # "Treasury Secertary", "Finance Minster": the head meant
            low = lows[k]
            if len(low) >= 7 and low not in STOP and (head := _misspelt_head(low)):
                lows[k] = head

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
    return (
        not is_place
        and low not in COUNTRY_WORDS
        and low not in SENTENCE_WORDS
        and (low in TITLE_HEADS or low in STOP)
    )


def _historical(key: str, day: datetime.date | None) -> bool:
    died = _HISTORICAL_UNDATED.get(key) or _HISTORICAL_DATED.get(key)
    if died is None:
        return False
    if day is None:
        return key in _HISTORICAL_UNDATED
    return day >= died


def _title_heads() -> ahocorasick.Automaton:
    """The words that can head a title, as written and as ``fold1`` spells them."""
    automaton = ahocorasick.Automaton()
    possessives = {f"{body}'s" for body in _POSSESSIVE_BODIES}  # "Treasury's Baker"
    for word in {w for head in TITLE_HEADS | possessives for w in (head, fold1(head))}:
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
    # a misspelt head ("Treasury Secertary James Baker"): only words that begin like one
    return any(
        m.group() not in STOP and _misspelt_head(m.group())
        for m in _TYPO_CANDIDATE.finditer(folded)
    )


_TYPO_CANDIDATE = re.compile(r"\b(?:mi|se|re|pr|ch|go|co|am)[a-z]{5,12}\b")


def find_officials(
    text: str,
    limit: int,
    places: list[PlaceHit],
    masked: list[tuple[int, int]],
    day: datetime.date | None,
) -> tuple[list[Official], set[int]]:
    """Officials in ``text[:limit]`` and the indexes of place hits that were really names.

    A hard-wrapped text is read with its wrapped lines joined ("Finance Minister Kiichi" /
    "Miyazawa"): the newlines become spaces one for one, so offsets stay the original's."""
    text = _caps_view(_join_split_names(join_wrapped(text, limit), limit), limit)
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
        while x < ncap:
            if capidx[x] == j and _joins(toks, j - 1):
                j += 1
                x += 1
            elif (m := _particles_end(toks, j)) > j and capidx[x] == m:
                j = m + 1  # "Perez de Cuellar", "Miguel de la Madrid"
                x += 1
            else:
                break
        if j - i >= 2:
            _run_candidates(toks, i, j, place_of, cands, suppressed)
        elif i not in place_of and _after_head(toks, i):
            cands.append(_Cand(i, j, lows[i], "one"))  # "energy minister Subroto"
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
    shared: tuple[str, _Cand] | None = None  # a plural title and the last name it covers
    chain: list[_Cand] = []  # the names of the list that ends with the current one
    respectively = "respectively" in text
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
        pre = _pre_title(text, toks, c, cand_of, place_of, places, day)
        if (
            pre[0] is None
            and shared is not None
            and _LIST_GAP.fullmatch(text, ends[shared[1].j - 1], starts[c.i])
        ):
            pre = (shared[0], False, None, None)  # "Sens. David Boren (D-Okla.), Rudy Boschwitz"
        if pre[0] is None and lows[c.i - 1 if c.i else 0] == "counterpart":
            pre = _counterpart(text, toks, c, persons)  # "his Lao counterpart Sonexay ..."
        shared = (pre[0], c) if pre[0] is not None and _plural_title(pre[0]) else None
        if chain and _LIST_GAP.fullmatch(text, ends[chain[-1].j - 1], starts[c.i]):
            chain.append(c)
        else:
            chain = [c]
        if (
            len(chain) > 1
            and respectively
            and (resp := _respective(text, ends[c.j - 1], limit)) is not None
        ):
            post = _share_titles(resp, chain, persons)  # "A and B, respectively the X and the Y"
        else:
            post = _post_title(text, toks, c, limit, places, day)
            if post[0] is not None and not post[1] and len(chain) > 1 and _plural_title(post[0]):
                post = _share_titles(post[0], chain, persons)  # "A and B, the finance ministers"
        for title, former, country, pcountry in (pre, post):
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

    _merge_surnames(persons)
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
            if low not in shorts or ti in taken:
                continue
            if ti in place_of:
                # "Nguyen Van Hue ... Hue added": the official's given name, not the place
                hit = places[place_of[ti]]
                if (hit.start, hit.end) != (starts[ti], ends[ti]) or ti + 1 >= n:
                    continue
                if lows[ti + 1] not in _SAID or toks.gap(ti) != " ":
                    continue
                if ti > 0 and lows[ti - 1] in _PLACE_PREPOSITIONS:
                    continue  # "officials in Hue said": the place
                suppressed.add(place_of[ti])
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


# A line break inside a Vietnamese name ("... People's Committee Nguyen\nVan Binh said"): a
# surname ending a line and two or more syllables opening the next.
_BREAK = re.compile(r"(?<=[a-z])\n(?=[A-Z])")
_SPLIT_NAME = re.compile(r"\b([A-Z][a-z]{1,5})\n([A-Z][a-z]{0,6}(?: [A-Z][a-z]{0,6}){1,3})\b")


def _join_split_names(text: str, limit: int) -> str:
    """``text`` with the line break inside a Vietnamese name made a space (one for one, so
    offsets stay the original's); texts that are not hard-wrapped break lines there too."""
    cuts = []
    for brk in _BREAK.finditer(text, 0, limit):  # few breaks: each checked where it is
        at = brk.start()
        m = _SPLIT_NAME.search(text, max(0, at - 6), min(limit, at + 30))
        if m is None or m.end(1) != at:
            continue
        if is_vn_name([fold1(w) for w in (m.group(1) + " " + m.group(2)).split()]):
            cuts.append(at)
    if not cuts:
        return text
    chars = list(text)
    for at in cuts:
        chars[at] = " "
    return "".join(chars)


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
            _flush(toks, seg, cands)
            seg = []
            k = m
            continue
        if not last and seg and lows[k] in _NAME_SYLLABLE_STOPS:
            seg.append(k)  # "Do Hung Viet", "Tan Yang Thai": a country word inside a name
        elif not last and seg and len(words[k]) == 1 and k in toks.caps:
            seg.append(k)  # a one-letter middle name: "Hau A Lenh", "Giang A Chu"
        elif not last and seg and lows[k] in _VN_GIVEN_STOPS and _vn_given(toks, seg, k):
            seg.append(k)  # "Nguyen Van An", "Le Thi To": a given name that is an English word
        elif last or lows[k] in STOP or len(words[k]) < 2:
            _flush(toks, seg, cands)
            seg = []
        else:
            seg.append(k)
        k += 1


# Stop words that are also Vietnamese given names ("Nguyen Van An", "Tran Van To").
_VN_GIVEN_STOPS = frozenset("an to la ha ho my".split())


def _vn_given(toks: _Toks, seg: list[int], k: int) -> bool:
    """Whether capitalised word k ends the Vietnamese name begun by ``seg`` (one space
    between, a known surname first, two or three syllables before it)."""
    lows = toks.lows
    return (
        toks.gap(k - 1) == " "
        and lows[seg[0]] in VN_SURNAMES
        and 2 <= len(seg) <= 3
        and is_vn_name([lows[x] for x in seg] + [lows[k]])
    )


# Between two names of a list: a bracketed note ("(D-Okla.)"), a comma, "and".
_LIST_GAP = re.compile(
    r"\s*(?:\([^()\n]{0,30}\)\s*|of\s+[A-Z][a-z]+\s+)?(?:,\s*(?:and\s+)?|and\s+)"
)
_PLURAL_HEADS = frozenset(
    """sens reps ministers senators governors ambassadors lawmakers legislators congressmen
    presidents secretaries commissioners""".split()
)


def _plural_title(title: str) -> bool:
    """A title that names several persons ("Sens.", "Finance Ministers", "the ministers of
    finance and trade"): it covers a list."""
    heads: list[str] = []
    before: list[str] = []  # the heads before "of": "Chairman of the Council of Ministers"
    for w in map(fold1, _TOKEN.findall(title)):
        if w in ("of", "for", "to") and not before:
            before = heads[:]
        if w in TITLE_HEADS or w in _PLURAL_HEADS:
            heads.append(w)
    heads = before or heads  # "Aides to Republican Sens.": no head before "to"
    return bool(heads) and heads[-1] in _PLURAL_HEADS


_RESPECTIVELY = re.compile(r"\brespectively\b")
_THE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TITLE_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_PLURAL_OF = re.compile(
    r"^(?P<head>.*?\b(?P<plural>[A-Za-z]+s))\s+(?P<of>of|for|to)\s+(?P<rest>.+)$"
)


def _singular(word: str) -> str:
    if word.lower().endswith("ies"):
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    return word[:-1] if word.lower().endswith("s") else word


def _split_titles(phrase: str, n: int) -> list[str] | None:
    """``phrase`` cut into ``n`` titles at commas and "and"; a piece without a title head
    joined by "and" belongs to the one before ("the Minister of Industry and Trade and the
    Minister of Finance" is two). None when it does not make ``n``."""
    pieces: list[str] = []
    seps = _TITLE_SEP.split(phrase)
    for x, piece in enumerate(seps):
        heads = any(fold1(w) in TITLE_HEADS for w in _TOKEN.findall(piece))
        if heads:
            pieces.append(piece)
        elif pieces and x > 0:
            pieces[-1] = f"{pieces[-1]} and {piece}"
        else:
            return None
    return [_THE.sub("", p) for p in pieces] if len(pieces) == n else None


def _distribute(phrase: str, n: int) -> list[str] | None:
    """The titles of a list of ``n`` names from one apposition, in the list's order: "the
    Minister of Finance and the Minister of Trade" (respectively), "the ministers of finance
    and trade" (a plural head shared); None when the phrase cannot be cut into ``n``."""
    core = _THE.sub("", _RESPECTIVELY.sub("", phrase).strip(" ,"))
    if not _plural_title(core):
        return _split_titles(core, n)
    m = _PLURAL_OF.match(core)
    if m is None or fold1(m["plural"]) not in _PLURAL_HEADS:
        return None
    parts = [_THE.sub("", p) for p in _TITLE_SEP.split(m["rest"])]
    if len(parts) != n:
        return None
    head = m["head"][: -len(m["plural"])] + _singular(m["plural"])
    return [f"{head} {m['of']} {part}" for part in parts]


# The phrase after "respectively": to a sentence mark, a speech verb or a comma before a
# lower-case word (the clause goes on); or the phrase before a closing "respectively".
_RESPECTIVE_AFTER = re.compile(r"\s*,\s*respectively\s+")
_RESPECTIVE_END = re.compile(
    r"[.;:()\n\"“”]|,\s+(?=[a-z])|\s(?:said|says|told|met|who|will|would|have|had|were|are)\b"
)
_RESPECTIVE_BEFORE = re.compile(r"\s*,\s*(?P<p>[^.;:()\n\"“”]{3,200}?),?\s+respectively\b")


def _respective(text: str, end: int, limit: int) -> str | None:
    """The titles that follow a list of names with "respectively", or None."""
    if (m := _RESPECTIVE_AFTER.match(text, end, limit)) is not None:
        stop = _RESPECTIVE_END.search(text, m.end(), min(limit, m.end() + 300))
        return text[m.end() : stop.start() if stop else min(limit, m.end() + 300)].strip()
    if (m := _RESPECTIVE_BEFORE.match(text, end, limit)) is not None:
        return m["p"].strip()
    return None


def _share_titles(
    phrase: str, chain: list[_Cand], persons: dict[str, _Person]
) -> tuple[str | None, bool, str | None, str | None]:
    """An apposition after a list of names gives each its title ("A and B, respectively the
    X and the Y"; "A and B, the ministers of finance and trade"): the earlier names get
    theirs here, the last one's is returned. A plural title that cannot be cut goes to all;
    "respectively" that cannot be matched name for name gives none (never a neighbour's);
    a firm's title is nobody's."""
    respective = _RESPECTIVELY.search(phrase) is not None or not _plural_title(phrase)
    titles = _distribute(phrase, len(chain))
    if titles is None:
        if respective:
            return None, False, None, None
        titles = [phrase] * len(chain)
    kept: list[str | None] = []
    for title in titles:
        ws = [fold1(w) for w in _TOKEN.findall(title)]
        public = ws[0] not in FORMER_WORDS and not _private(ws) and not _bare_ambiguous(ws)
        kept.append(title if public else None)
    for c, title in zip(chain[:-1], kept[:-1], strict=True):
        p = persons.get(c.key)
        if p is None or title is None or title in p.titles:
            continue
        p.titles.append(title)
        if p.first_title_country is None:
            p.first_title_country = _title_country(title)
    last = kept[-1]
    return last, False, _title_country(last) if last else None, None


def _title_country(title: str) -> str | None:
    words = map(fold1, _TOKEN.findall(title))
    return next((COUNTRY_WORDS[w] for w in words if w in COUNTRY_WORDS), None)


def _particles_end(toks: _Toks, j: int) -> int:
    """Index after the lower-case name particles from word j ("de", "de la"), each set off
    by single spaces; ``j`` when there is none."""
    words = toks.words
    m = j
    while (
        m < len(words)
        and m - j < 2
        and (words[m] in _PARTICLES or (words[m] == "la" and m > j))
        and toks.gap(m - 1) == " "
        and toks.gap(m) == " "
    ):
        m += 1
    return m


# Words that end a name in an all-capitals headline line ("PRESIDENT REAGAN SAYS ...").
_CAPS_NAME_END = frozenset(
    """says said sees urges warns calls expects denies predicts rejects backs wants asks plans
    to will would may could is was has had in on at for and of with tells told favours favors
    opposes confident optimistic hopeful defends agrees meets met ready""".split()
)
_CAPS_TOKEN = re.compile(r"[A-Za-z]+")


def _caps_view(text: str, limit: int) -> str:
    """``text`` with its all-capitals lines (wire headlines: "PRESIDENT REAGAN SAYS ...") in
    lower case, save a title and the name after it in capitals ("President Reagan says"), so
    the rules read them as they read any sentence. Same length; ASCII lines only."""
    body = text[:limit]
    if not any(ln.isupper() for ln in body.split("\n")):
        return text
    out = []
    for ln in body.split("\n"):
        out.append(_case_line(ln) if ln.isupper() and ln.isascii() else ln)
    return "\n".join(out) + text[limit:]


def _caps_name(toks: list[tuple[int, int, str]], u: int) -> list[int]:
    """The name after a title in a capitals headline: the words up to a verb or a preposition
    ("HOWARD BAKER SAYS"); else one surname, unless it looks like a verb ("REAGAN VOWS",
    not "MINISTER DENOUNCES")."""
    n = len(toks)
    for size in (1, 2):
        if u + size < n and toks[u + size][2] in _CAPS_NAME_END:
            return list(range(u, u + size))
    if u < n and not toks[u][2].endswith("s") and toks[u][2] not in _CAPS_NAME_END:
        return [u]
    return []


def _case_line(line: str) -> str:
    toks = [(m.start(), m.end(), m.group().lower()) for m in _CAPS_TOKEN.finditer(line)]
    if len(toks) < 3:
        return line
    chars = list(line.lower())
    for t, (_a, _b, low) in enumerate(toks):
        possessive = (
            low == "s"
            and t > 0
            and line[toks[t - 1][1] : toks[t][0]] in ("'", "’")
            and toks[t - 1][2] in _POSSESSIVE_BODIES
        )
        if low not in _ONE_WORD_HEADS and not possessive:
            continue
        name = _caps_name(toks, t + 1)
        if not name or any(toks[u][2] in STOP or len(toks[u][2]) < 2 for u in name):
            continue
        head = [t - 1] if possessive else [t]
        while head[0] > 0 and (
            toks[head[0] - 1][2] in STOP or toks[head[0] - 1][2] in _POSSESSIVE_BODIES
        ):
            head.insert(0, head[0] - 1)
        for u in head + name:
            a, _b, low_u = toks[u]
            if low_u not in _CONNECTORS:
                chars[a] = line[a]
    return "".join(chars)


def _joins(toks: _Toks, k: int) -> bool:
    """Whether word k + 1 continues the capitalised run of word k: one space, or ". " after
    an initial or an abbreviated title ("William R. Smith", "Sen. Bob Dole")."""
    gap = toks.gap(k)
    return gap == " " or (gap == ". " and (len(toks.words[k]) == 1 or toks.lows[k] in _ABBREV))


# Heads after which a single capitalised word is a surname ("President Reagan", "King Fahd",
# "Energy Minister Subroto"): singular heads of one person's office.
_ONE_WORD_HEADS = (
    PUBLIC_HEADS
    | frozenset(
        """president vice-president chairman chairwoman vice-chairman director spokesman
    spokeswoman treasurer""".split()
    )
) - frozenset("ministers ambassadors legislators lawmakers sens reps politburo".split())


def _possessive_body(toks: _Toks, k: int) -> bool:
    """Word k is the "s" of a public body's possessive ("Treasury's", "the Fed's")."""
    return (
        k >= 1
        and toks.lows[k] == "s"
        and toks.gap(k - 1) in ("'", "’")
        and toks.lows[k - 1] in _POSSESSIVE_BODIES
    )


def _after_head(toks: _Toks, i: int) -> bool:
    """A lone capitalised word right after a title: a surname used alone ("President Reagan",
    "Minister of Mines and Energy Subroto": a public head a few title words before)."""
    w, low = toks.words[i], toks.lows[i]
    if i == 0 or len(w) < 3 or w.isupper() or low in STOP or low in NOT_ONE_WORD_NAME:
        return False
    if low in HONORIFICS:
        return False  # "Samdech Moha Borvor Thipadei Hun Manet"
    if not _joins(toks, i - 1):
        return False
    if i + 1 < len(toks.words) and i + 1 in toks.caps and _joins(toks, i):
        return False  # "the EC's Monetary Committee": part of a longer name
    if toks.lows[i - 1] in _ONE_WORD_HEADS or toks.lows[i - 1] == "lord":
        return True  # "Lord Whitelaw" holds no office by it, but may by an apposition
    if _possessive_body(toks, i - 1):
        return True  # "Treasury's Baker"
    if i - 1 not in toks.caps:
        return False
    for k in range(i - 1, max(-1, i - 8), -1):
        low_k = toks.lows[k]
        if k in toks.caps and low_k in PUBLIC_HEADS:
            return True
        if not (k in toks.caps or low_k in _CONNECTORS):
            return False
        if k > 0 and not _GAP_OK.fullmatch(toks.gap(k - 1)):
            return False
    return False


def _flush(toks: _Toks, seg: list[int], cands: list[_Cand]) -> None:
    """Emit the name candidates of one piece of a capitalised run."""
    if not seg:
        return
    nxt = seg[-1] + 1
    if nxt < len(toks.words) and toks.lows[nxt] in _FIRM_AFTER and _joins(toks, seg[-1]):
        return  # "Saitama Bank", "Rolls Royce Ltd": a firm, not a person
    if any(toks.lows[k] in BUSINESS_WORDS for k in seg):
        return  # "Pork Producers": a body's name
    if len(seg) == 1:
        if _after_head(toks, seg[0]):
            cands.append(_Cand(seg[0], seg[0] + 1, toks.lows[seg[0]], "one"))
        return
    _emit(toks.lows, seg, cands)


def _merge_surnames(persons: dict[str, _Person]) -> None:
    """Tie "President Reagan" to "Ronald Reagan" when the article gives the full name (the
    surname is the last word; a Chinese name's is the first); else the surname stays."""
    fulls: dict[str, _Person] = {}
    for p in persons.values():
        if p.shape == "one":
            continue
        parts = p.key.split()
        sur = parts[0] if p.shape == "cn" else parts[-1]
        q = fulls.get(sur)
        if q is None or len(p.mentions) > len(q.mentions):
            fulls[sur] = p
    for key, p in list(persons.items()):
        q = fulls.get(key) if p.shape == "one" else None
        if q is None:
            continue
        q.mentions.extend(p.mentions)
        q.titles.extend(t for t in p.titles if t not in q.titles)
        q.former = q.former or p.former
        q.first_title_country = q.first_title_country or p.first_title_country
        q.place_country = q.place_country or p.place_country
        del persons[key]


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
    day: datetime.date | None = None,
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
    if _possessive_body(toks, k):
        return _possessive_title(text, toks, k), False, None, None
    if not (k in caps or toks.acr(k) or lows[k] in _LOWER_TITLE):
        return None, lows[k] in FORMER_WORDS, None, None
    if (
        k not in caps
        and not toks.acr(k)
        and lows[k] not in TITLE_HEADS | _AFTER_HEAD
        and "," not in toks.gap(k)
    ):
        return None, False, None, None  # "leader of the Irish party Fianna Fail": a body's name
    count = 0
    head_seen = False
    while k >= 0 and count < 40:
        low = lows[k]
        gap = toks.gap(k) if k + 1 < n else ""
        if k != last and not _title_gap(toks, k, gap, place_of):
            break
        if k != last and "," in gap and not _comma_ok(low, k in place_of):
            break
        if len(words[k]) == 1 and k in caps and not gap.startswith("."):
            break  # "(R)", "(L)" after a previous name; "U.S." goes on
        if k in cand_of and cand_of[k] != cand_of.get(c.i):
            if not (head_seen and first is not None and first in caps and toks.gap(k) == " "):
                break
            other = cand_of[k]  # "First Interstate Chairman X": a firm's name in the title
            while k >= 0 and cand_of.get(k) == other:
                first = k
                k -= 1
                count += 1
            continue
        if low == "and" and head_seen and _name_before(toks, k - 1, place_of):
            break  # "Greenspan and Vice Chairman Manuel Johnson": the title is Johnson's
        if k in caps or toks.acr(k) or low in _CONNECTORS or low in _LOWER_TITLE:
            first = k
            k -= 1
            count += 1
            head_seen = head_seen or low in TITLE_HEADS
            continue
        if low in FORMER_WORDS:
            former = True
        break
    if k >= 0 and lows[k] in FORMER_WORDS:
        former = True
    if first is None:
        return None, False, None, None
    first = _title_start(toks, first, last)
    if first > last:
        return None, False, None, None
    title_lows = lows[first : last + 1]
    if not any(w in TITLE_HEADS for w in title_lows):
        return None, False, None, None
    if any(w in FORMER_WORDS for w in title_lows):
        former = True
    start = toks.starts[first]
    if _past_year(_YEAR_BEFORE.search(text, max(0, start - 60), start), day):
        former = True  # "first appointed in 1979 by President Carter"
    in_place = any(x in place_of for x in range(first, last + 1))
    if _private(title_lows, in_place):
        return None, False, None, None
    if _bare_ambiguous(title_lows) and (
        (first > 0 and lows[first - 1] in BUSINESS_WORDS)
        # wire copy names an executive in full: "President Reagan" is never one
        or (
            c.shape != "one"
            and _BUSINESS_NEAR.search(
                text, max(0, toks.starts[first] - 150), toks.ends[c.j - 1] + 150
            )
        )
    ):
        return None, False, None, None  # "unit President X", "the company ... Chairman X"
    if not any(x in caps or toks.acr(x) for x in range(first, last + 1)) and not (
        any((w in PUBLIC_HEADS and w != "secretary") or w in PUBLIC_WORDS for w in title_lows)
        or set(title_lows) <= _BARE_PRESIDENT
    ):
        return None, False, None, None  # "chairman Barron Hilton": lower case needs a public word
    end = toks.ends[last]
    if text.startswith(")", end):
        end += 1  # "(IBC)"
    elif text.startswith(".", end) and lows[last] in _ABBREV:
        end += 1  # "Sens."
    title = text[toks.starts[first] : end].strip(" ,(")
    if title.endswith(")") and "(" not in title:
        title = title[:-1]
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


def _counterpart(
    text: str, toks: _Toks, c: _Cand, persons: dict[str, _Person]
) -> tuple[str | None, bool, str | None, str | None]:
    """ "Prime Minister A met his Lao counterpart B": B holds that office for his country.
    The title says so ("Lao counterpart of the Prime Minister"); it needs a nationality and
    an official named with a title earlier in the same sentence."""
    k = c.i - 1
    first = k
    while first > 0 and (first - 1) in toks.caps and toks.lows[first - 1] in _NATIONALITY:
        first -= 1
    if first == k:
        return None, False, None, None
    at = toks.starts[first]
    sentence = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at))
    other = max(
        (
            (b, p)
            for p in persons.values()
            if p.titles and not p.former and p.key != c.key
            for a, b in p.mentions
            if sentence < a and b <= at
        ),
        default=None,
        key=lambda bp: bp[0],
    )
    if other is None:
        return None, False, None, None
    nationality = text[at : toks.ends[k - 1]]
    country = COUNTRY_WORDS.get(toks.lows[first]) or None
    return f"{nationality} counterpart of the {other[1].titles[0]}", False, country, None


def _possessive_title(text: str, toks: _Toks, k: int) -> str:
    """The title a public body's possessive stands for, as written: "U.S. Treasury's"."""
    first = k - 1
    while (
        first > 0
        and (first - 1 in toks.caps or toks.acr(first - 1))
        and toks.lows[first - 1] not in _CONNECTORS
        and _title_gap(toks, first - 1, toks.gap(first - 1), {})
    ):
        first -= 1
    return text[toks.starts[first] : toks.ends[k]]


_DASH_GAPS = frozenset({" - ", " – ", "-", "–"})


def _title_gap(toks: _Toks, k: int, gap: str, place_of: dict[int, int]) -> bool:
    """Whether the text between words k and k + 1 may sit inside a title phrase: spaces,
    commas, brackets; the dots of "U.S."; a dash inside a place name ("Ba Ria - Vung Tau")."""
    if _GAP_OK.fullmatch(gap):
        return True
    if gap in (".", ". ") and len(toks.words[k]) == 1:
        return True
    return gap in _DASH_GAPS and k in place_of and k + 1 in place_of


def _name_before(toks: _Toks, k: int, place_of: dict[int, int]) -> bool:
    """Word k is the end of another person's name (capitalised, not a title or body word)."""
    return k >= 0 and k in toks.caps and toks.lows[k] not in STOP and k not in place_of


def _title_start(toks: _Toks, first: int, last: int) -> int:
    """Where the title phrase really starts: after leading connectors ("to finance minister")
    and lower-case words that are no head, up to a capitalised word ("provincial Party
    Secretary"); a lower-case head stays ("president of the Brazilian Coffee Institute"), and
    so does a title all in lower case ("finance minister")."""
    lows, caps = toks.lows, toks.caps
    while first <= last and (
        lows[first] in _CONNECTORS or lows[first] in SENTENCE_WORDS or lows[first] in _LEADING
    ):
        first += 1
    x = first
    while x <= last and not (x in caps or toks.acr(x)) and lows[x] not in TITLE_HEADS:
        x += 1
    return x if x <= last else first


# Capitalised at a sentence's start before a title: "But Polish leader Wojciech Jaruzelski".
_LEADING = frozenset("but and or so yet also while when if as after before with by from".split())
# A lower-case title of these words alone names a head of state ("meeting president Alan
# Garcia"); a firm's president comes with the firm's name.
_BARE_PRESIDENT = frozenset("president vice vice-president".split())
# Modifiers that leave a title "bare": "Vice Chairman Liao Pinhuo" names no body, and a bare
# title is taken as public (wire copy names a firm before an executive's title).
_BARE = frozenset(
    """vice deputy acting first general chief senior assistant interim incoming outgoing
    designate elect new co honorary permanent standing executive-vice""".split()
)


# Words near a bare "President" / "Chairman" that show it is a firm's ("companies" is not
# one: a government sells assets to companies).
_BUSINESS_NEAR = re.compile(
    r"\b(?:Corp|Inc|Co|Ltd|Plc|PLC|(?i:executives?|shareholders|stockholders|dividends?|payout|"
    r"management|subsidiary|unit|debentures?|bankruptcy|revenues?|earnings))\b"
)


# Words of a country's name beside NATIONS: "West German", "South Korean", "U.S.", "U.K.".
_NATION_PARTS = frozenset("west east north south new u s k n".split())
_NATIONALITY = frozenset(COUNTRY_WORDS) | NATIONS | _NATION_PARTS
# Kinds of bank that are firms whatever country they are of.
_FIRM_BANK = frozenset("commercial savings merchant investment trust mortgage".split())


def _bare_ambiguous(ws: list[str]) -> bool:
    """A title of an ambiguous head and bare modifiers only ("Chairman", "Vice President")."""
    heads = [w for w in ws if w in TITLE_HEADS]
    return (
        bool(heads)
        and not any(w in PUBLIC_HEADS for w in heads)
        and all(w in TITLE_HEADS or w in _BARE or w in _CONNECTORS for w in ws)
    )


def _private(ws: list[str], in_place: bool = False) -> bool:
    """A title (folded words) of a firm, a market or a private body rather than an office.

    A public body word ("Federal Reserve Board", "Bundesbank", "EC Commission", "central bank",
    "World Bank", "Bank of Japan") makes it public; else a business word (Corp, Inc, AG,
    association, union, executive, officer...) or a non-central "Bank" makes it private; and a
    title whose heads are all ambiguous (chairman, president, director...) is private when it
    names some body that is neither a country nor a place ("Pennzoil chairman")."""
    joined = " ".join(ws)
    if any(w in FIRM_FORMS for w in ws):
        return True  # "Dai-Ichi Kangyo Bank Ltd's international treasury division"
    if any(w in FIRM_TITLES for w in ws) and not any(w in PUBLIC_HEADS for w in ws):
        return True  # "general manager of the ... Railway Authority": a state firm's executive
    if any(w in PRIVATE_BODIES for w in ws) and not any(w in PUBLIC_BODY_OF for w in ws):
        return True  # "Federal Association of German Banks", not "... of Southeast Asian Nations"
    if any(w in PUBLIC_WORDS for w in ws) or any(b in joined for b in PUBLIC_BIGRAMS):
        return False
    for x, w in enumerate(ws):
        if w in ("bank", "banks"):
            before = ws[x - 1] if x else ""
            after = ws[x + 2] if x + 2 < len(ws) and ws[x + 1] == "of" else ""
            public = before in PUBLIC_BANK_WORDS or after in NATIONS or after in COUNTRY_WORDS
            # "International Commercial Bank of China" is a firm of that country
            return not public or any(v in BUSINESS_WORDS or v in _FIRM_BANK for v in ws)
    if any(w in BUSINESS_WORDS for w in ws):
        return True
    if any(w in PUBLIC_HEADS or w in WEAK_PUBLIC_WORDS for w in ws) or in_place:
        return False
    named = [w for w in ws if w not in TITLE_HEADS and w not in _CONNECTORS and w not in _BARE]
    # a state's title names only the state ("West German President"); "American Express
    # Chairman" names a firm of it
    return bool(named) and not all(
        w in NATIONS or w in COUNTRY_WORDS or w in _NATION_PARTS for w in named
    )


# A year just before a title ("appointed in 1979 by President Carter") or inside an
# apposition ("Assistant Secretary for the years 1981 to 1985"): the office is history when
# every year named is before the article's.
_YEAR_BEFORE = re.compile(r"\bin ((?:19|20)\d\d)\b[^.;\n]{0,30}$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _past_year(m: re.Match[str] | None, day: datetime.date | None) -> bool:
    return m is not None and day is not None and int(m.group(1)) < day.year


def _post_title(
    text: str,
    toks: _Toks,
    c: _Cand,
    limit: int,
    places: list[PlaceHit],
    day: datetime.date | None = None,
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
    if words[-1] in _CONNECTORS:
        return None, False, None, None  # cut short: "chairman of" + a line we cannot read
    if stop is not None and stop.group().strip() in _SPEECH_END:
        return None, False, None, None  # "X, a Treasury spokesman said": the speaker, not X
    former = words[0] in FORMER_WORDS
    if former:
        words = words[1:]
    if not words or not any(w in TITLE_HEADS for w in words[:6]):
        return None, former, None, None
    if words[0] not in TITLE_HEADS and words[0] not in _LOWER_TITLE:
        first_tok = _TOKEN.search(phrase)
        if first_tok is None or not first_tok.group()[0].isupper():
            return None, False, None, None
    years = [int(y) for y in _YEAR.findall(phrase)]
    if years and day is not None and max(years) < day.year:
        former = True  # "Assistant Secretary for Economics for the years 1981 to 1985"
    if former:
        return phrase, True, None, None
    folded = [fold1(w) for w in words]
    if _private(folded, _has_place(places, rest_start, rest_end)) or _bare_ambiguous(folded):
        return None, False, None, None  # "X, vice president at Smith Barney": a firm's
    if any(
        fold1(m.group(1)) in STOP
        and fold1(m.group(2)) not in STOP
        and fold1(m.group(3)) not in STOP
        for m in _NAME_IN.finditer(phrase)
    ):
        return None, False, None, None  # it runs on into another title and name
    country = next((COUNTRY_WORDS[w] for w in words if w in COUNTRY_WORDS), None)
    return phrase, False, country, None


# A capitalised title word and a two-word name: "... White House Chief of Staff Howard Baker"
_NAME_IN = re.compile(
    r"\b(?=([A-Z][a-z]+) ([A-Z][a-z]+(?:-[A-Z]?[a-z]+)*) ([A-Z][a-z]+(?:-[A-Z]?[a-z]+)*)\b)"
)


def _has_place(places: list[PlaceHit], start: int, end: int) -> bool:
    """Whether a place hit starts in [start, end) (hits are sorted by start)."""
    i = bisect.bisect_left([h.start for h in places], start)
    return i < len(places) and places[i].start < end


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


# A romanised East Asian given name with a hyphen ("Chi-cheng", "Mahn-je"): the name is
# written surname first.
_HYPHEN_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")


def _short_forms(name: str, country: str | None) -> list[str]:
    """The short forms the article may use, by naming convention (folded)."""
    parts = [t.lower() for t in _TOKEN.findall(name)]
    parts = [fold(t) for t in parts]
    if len(parts) == 1:
        return parts  # an official known by the surname alone ("President Reagan")
    if not parts:
        return []
    if country == "VN":
        forms = [parts[-1]]
    elif country in ("CN", "LA", "KR") or _HYPHEN_GIVEN.fullmatch(name.split()[-1]):
        forms = [parts[0]]  # surname first: "Rha Woong Bae" is "Rha", "Chang Chi-cheng" "Chang"
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
