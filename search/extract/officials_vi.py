"""Officials in Vietnamese-language text: titles as Vietnamese news writes them.

A public-office title head ("Thủ tướng", "Bộ trưởng", "Chủ tịch UBND", "Bí thư Tỉnh ủy",
"Giám đốc Sở", "Đại sứ", "Tổng thống"...) is tied to a name in one of two ways:

- before the name, with its complement between: "Chủ tịch UBND tỉnh Phú Yên Trần Hữu Thế",
  "Tổng thống Ukraine Volodymyr Zelensky" (a foreign name as the article writes it);
- after the name as an apposition: "ông Chu Ngọc Anh, Chủ tịch UBND TP Hà Nội", or with no
  comma after "ông"/"bà": "ông Phạm Đại Dương Bí thư Tỉnh ủy Phú Yên".

A head whose complement is private ("Giám đốc Doanh nghiệp", "Chủ tịch Tập đoàn", "Chủ tịch
HĐQT", a club, a federation, a hospital) is no public office, and "nguyên", "cựu", "cố" make a
title former. Once tied, every full-name mention counts, and so does the short form:
"ông Trường" for "ông Trần Việt Trường" (the last given name, after "ông"/"bà"), the surname for
a foreign name ("ông Zelensky", "Putin"). Titles and names keep their diacritics.
"""

from __future__ import annotations

import bisect
import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from search.fold import fold, fold1

from .gazetteer import PlaceHit
from .model import Official, Span
from .names import VN_SURNAMES, is_syllable, is_vn_name
from .officials import _historical

# Letters only Vietnamese writes: a foreign name as the article writes it has none of them.
_VI_LETTERS = re.compile(
    "[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ]"
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+(?:[-./]\d+)*")


def _heads() -> dict[str, str]:
    """Title heads, folded -> as written (the written form fixes the diacritics)."""
    written = """Thủ tướng|Chủ tịch nước|Chủ tịch Quốc hội|Tổng Bí thư|Chủ tịch|Bộ trưởng|
    Thứ trưởng|Bí thư|Giám đốc|Đại sứ|Ngoại trưởng|Tổng thống|Thống đốc|Thị trưởng|Tỉnh trưởng|
    Quốc vương|Người phát ngôn|Cục trưởng|Tổng cục trưởng|Vụ trưởng|Trưởng ban|Chủ nhiệm|
    Đại biểu Quốc hội|Thượng nghị sĩ|Hạ nghị sĩ|Nghị sĩ|Tổng thư ký|Chánh án|Viện trưởng|
    Tổng Kiểm toán|Chánh Thanh tra|Ủy viên Bộ Chính trị|Tổng Thư ký"""
    return {fold(h): h.strip() for h in written.split("|")}


HEADS = _heads()
_HEAD_RX = re.compile(  # on folded text
    r"(?<!\w)(?:(pho|nguyen|cuu|co|quyen)\s+)?("
    + "|".join(sorted((re.escape(h) for h in HEADS), key=len, reverse=True))
    + r")(?!\w)"
)
_PREFIX = {"pho": "phó", "nguyen": "nguyên", "cuu": "cựu", "co": "cố", "quyen": "quyền"}
_FORMER = frozenset("nguyen cuu co".split())
# Heads that are public only with one of these in their complement (folded, as words).
_NEEDS = {
    "chu tich": re.compile(
        r"^(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan|ubmttq|uy ban mat tran|mat tran|"
        r"nuoc|quoc hoi|tinh|thanh pho|tp|huyen|quan|thi xa|xa|phuong|thi tran)\b"
    ),
    "giam doc": re.compile(r"^(?:so|cong an|kho bac)\b"),
    "truong ban": re.compile(
        r"^(?:chi dao|tuyen giao|to chuc trung uong|noi chinh|kinh te trung uong|dan van|"
        r"doi ngoai|dan toc|kiem tra)\b"
    ),
    "tong thu ky": re.compile(r"^(?:lien hop quoc|lhq|asean|nato|quoc hoi)\b"),
    "chu nhiem": re.compile(r"^(?:uy ban|van phong chinh phu|van phong quoc hoi)\b"),
    "vien truong": re.compile(r"^vien kiem sat\b"),
    "nguoi phat ngon": re.compile(r"^(?:bo|chinh phu|nha trang|dien kremlin|lau nam goc)\b"),
    "bi thu": re.compile(
        r"^(?:tinh uy|thanh uy|huyen uy|quan uy|thi uy|dang uy|trung uong|thuong truc)\b"
    ),
}
# Words that make a complement private: a firm, its board, a club, a federation, a hospital.
_PRIVATE = re.compile(
    r"\b(?:tap doan|cong ty|tong cong ty|hdqt|hoi dong quan tri|doanh nghiep|clb|cau lac bo|"
    r"lien doan|hiep hoi|hoi(?! dong)|benh vien|truong dai hoc|dai hoc|hoc vien|trung tam|"
    r"quy|ngan hang(?! nha nuoc)|tong giam doc|fc)\b"
)
# A ministry's department (Vụ, Cục, Tổng cục) is public whatever field its name holds;
# only a firm's name in the complement makes its head's title a firm's.
_DEPARTMENT_HEADS = frozenset(("vu truong", "cuc truong", "tong cuc truong"))
_DEPARTMENT = re.compile(r"(?:vu|cuc|tong cuc)\b")
_FIRM = re.compile(r"\b(?:tap doan|cong ty|tong cong ty|hdqt|hoi dong quan tri|doanh nghiep)\b")
# Places the complement names a foreign country with (Vietnamese spellings) -> country code
VI_COUNTRIES = {
    "my": "US", "hoa ky": "US", "nga": "RU", "trung quoc": "CN", "nhat ban": "JP", "nhat": "JP",
    "han quoc": "KR", "trieu tien": "KP", "an do": "IN", "anh": "GB", "phap": "FR", "duc": "DE",
    "y": "IT", "italy": "IT", "tay ban nha": "ES", "ukraine": "UA", "uc": "AU", "australia": "AU",
    "canada": "CA", "lao": "LA", "campuchia": "KH", "thai lan": "TH", "singapore": "SG",
    "malaysia": "MY", "indonesia": "ID", "philippines": "PH", "myanmar": "MM", "brazil": "BR",
    "israel": "IL", "iran": "IR", "iraq": "IQ", "syria": "SY", "tho nhi ky": "TR", "ai cap": "EG",
    "a rap xe ut": "SA", "saudi arabia": "SA", "belarus": "BY", "ba lan": "PL", "hungary": "HU",
    "thuy si": "CH", "thuy dien": "SE", "na uy": "NO", "phan lan": "FI", "dan mach": "DK",
    "ha lan": "NL", "bi": "BE", "bo dao nha": "PT", "hy lap": "GR", "mexico": "MX",
    "argentina": "AR", "cuba": "CU", "venezuela": "VE", "nam phi": "ZA", "pakistan": "PK",
    "afghanistan": "AF", "mong co": "MN", "new zealand": "NZ", "viet nam": "VN", "brunei": "BN",
    "dong timor": "TL", "timor-leste": "TL", "chile": "CL", "peru": "PE", "colombia": "CO",
    "nigeria": "NG", "kenya": "KE", "ethiopia": "ET", "bangladesh": "BD", "sri lanka": "LK",
    "nepal": "NP", "kazakhstan": "KZ", "uzbekistan": "UZ", "qatar": "QA", "uae": "AE",
    "kuwait": "KW", "jordan": "JO", "lebanon": "LB", "palestine": "PS", "cong hoa sec": "CZ",
    "sec": "CZ", "ao": "AT", "ireland": "IE", "romania": "RO", "bulgaria": "BG", "serbia": "RS",
    "slovakia": "SK", "slovenia": "SI", "croatia": "HR", "estonia": "EE", "latvia": "LV",
    "litva": "LT", "lithuania": "LT", "moldova": "MD", "gruzia": "GE", "georgia": "GE",
    "armenia": "AM", "azerbaijan": "AZ", "kyrgyzstan": "KG", "tajikistan": "TJ",
    "turkmenistan": "TM", "bahrain": "BH", "oman": "OM", "yemen": "YE", "libya": "LY",
    "tunisia": "TN", "algeria": "DZ", "maroc": "MA", "morocco": "MA", "sudan": "SD",
    "ghana": "GH", "senegal": "SN", "congo": "CG", "uganda": "UG", "tanzania": "TZ",
    "zimbabwe": "ZW", "angola": "AO", "mozambique": "MZ", "ecuador": "EC", "bolivia": "BO",
    "paraguay": "PY", "uruguay": "UY", "panama": "PA", "guatemala": "GT", "honduras": "HN",
    "nicaragua": "NI", "haiti": "HT", "fiji": "FJ", "maldives": "MV", "bhutan": "BT",
    "luxembourg": "LU", "iceland": "IS", "sip": "CY", "sy": "CY", "malta": "MT", "albania": "AL",
    "bosnia": "BA", "montenegro": "ME", "bac macedonia": "MK", "kosovo": "XK", "eu": "EU",
    "lien minh chau au": "EU", "dai loan": "TW", "hong kong": "HK", }  # fmt: skip
# Heads that may take a foreign name straight after them ("Tổng thống Donald Trump").
_FOREIGN_OK = frozenset(
    fold(h)
    for h in """Thủ tướng|Tổng thống|Ngoại trưởng|Quốc vương|Thị trưởng|Thống đốc|Thượng nghị sĩ|
    Hạ nghị sĩ|Nghị sĩ|Tổng thư ký|Bộ trưởng|Đại sứ|Chủ tịch|Người phát ngôn""".split("|")
)
# Words after which a title's complement is over: the clause goes on ("... cho biết").
_CLAUSE = frozenset(
    """da se dang vua cung la co duoc bi voi ve khi tai den tu ngay sang chieu toi hom nay
    van rang neu nhung cac mot nhieu khong chua phai can de ma thi lai con do o tren duoi trong
    noi vao ra len xuong theo sau truoc nam thang gio luc cho nhan chia khang phat yeu trao
    tham keu tiep bay cam danh kiem lam gui ky chu bao dua neu khi hien cung cua moi ong ba
    mong chuc""".split()
) - {"khong"}
# Heads of state and government of the Republic of Vietnam (to 1975), historical in any article
# this tool reads (the shared list of historical persons is ``officials._HISTORICAL``).
_RVN_LEADERS = frozenset(
    fold(n)
    for n in """Bảo Đại|Ngô Đình Diệm|Dương Văn Minh|Nguyễn Khánh|Phan Khắc Sửu|Trần Văn Hương|
    Nguyễn Cao Kỳ|Trần Thiện Khiêm|Nguyễn Bá Cẩn|Vũ Văn Mẫu""".split("|")
)
# Words that begin the name of a public body and fold like a surname (Vụ/Vũ, Đảng/Đặng,
# Trường/Trương): as written, such a word starts no personal name.
_BODY_WORDS = frozenset("Vụ Cục Sở Bộ Ban Viện Phòng Hội Đảng Trường Tổng Khoa".split())
# "lần lượt là" / "tương ứng là" (respectively) after a list of names, on folded text.
_RESPECTIVE = re.compile(r",?\s*(?:lan luot|tuong ung)\s+(?:la\s+)?")
# What ends each title but the last of the list that follows it (trimmed from the title).
_LIST_TAIL = re.compile(r"\s*(?:,|và|,\s*và)\s*$")
_SENTENCE_MARK = re.compile(r"[.;:!?()\n\"“”]")
_CLAUSE_PAIRS = frozenset({("dong", "thoi"), ("thong", "tin")})  # not "Hội đồng", "Giao thông"
# Lower-case words that end an apposition's title ("..., Chủ tịch UBND tỉnh X cho biết").
_ADMIN_BEFORE_NAME = frozenset("tinh thanh pho tp huyen quan xa phuong thi tran tran".split())
_HONORIFIC = re.compile(r"(?:^|\s)(?:ông|bà|Ông|Bà)\s+$")


@dataclass
class _Tok:
    start: int
    end: int
    word: str
    low: str  # folded

    @property
    def cap(self) -> bool:
        return self.word[0].isupper()


@dataclass
class _Person:
    key: str
    name: str
    country: str | None
    titles: list[str] = field(default_factory=list)
    former: bool = False
    mentions: list[tuple[int, int]] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)


def _tokens(text: str, folded: str) -> list[_Tok]:
    return [
        _Tok(m.start(), m.end(), m.group(), folded[m.start() : m.end()])
        for m in _WORD.finditer(text)
    ]


def _written_as(surface: str, canonical: str) -> bool:
    """Same letters, marks and tones as the canonical head (case aside): "bị thu" is no
    "Bí thư", "đại sự" no "Đại sứ"."""

    def marks(s: str) -> str:
        return unicodedata.normalize("NFD", s.lower())

    return marks(surface) == marks(canonical)


class _Spans:
    """Sorted, non-overlapping spans (place hits, masked lines): which one holds a position."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i]
        return None

    def inside(self, pos: int) -> bool:
        """``pos`` is within a span, past its first character."""
        span = self.at(pos)
        return span is not None and span[0] < pos


_NO_SPANS = _Spans([])


def _vn_split(run: list[_Tok], allow_whole: bool, places: _Spans = _NO_SPANS) -> int | None:
    """Where a Vietnamese name starts in a capitalised run that it ends, or None (never
    inside a place: "An Giang Nguyễn Thanh Bình" is no "Giang Nguyễn Thanh Bình")."""
    for s in range(len(run)):
        if s == 0 and not allow_whole:
            continue
        if places.inside(run[s].start):
            continue
        if run[s].word in _BODY_WORDS:
            continue  # "Vụ trưởng Vụ Giáo dục đại học": a ministry department, not "Vũ Giáo"
        part = [t.low for t in run[s:]]
        if 2 <= len(part) <= 4 and part[0] in VN_SURNAMES and is_vn_name(part):
            return s
    return None


def _foreign_name(run: list[_Tok]) -> bool:
    """A foreign name as the article writes it ("Volodymyr Zelensky", "Putin", "Hun Sen"):
    no letter only Vietnamese writes ("Chính" of "Chính phủ", "Nam Kỳ"), and a lone word that
    is no Vietnamese syllable ("Tổng thống Putin", not "Bộ trưởng An")."""
    if not 1 <= len(run) <= 3 or any(len(t.word) == 1 or t.word.isupper() for t in run):
        return False
    if any(_VI_LETTERS.search(t.word) for t in run):
        return False
    return len(run) > 1 or not is_syllable(run[0].low)


def _sino_name(run: list[_Tok], country: str | None) -> bool:
    """A Chinese name in its Sino-Vietnamese reading after its country ("Chủ tịch Trung Quốc
    Tập Cận Bình", "Thủ tướng Trung Quốc Lý Cường"): two or three syllables."""
    return country in ("CN", "TW") and 2 <= len(run) <= 3 and all(is_syllable(t.low) for t in run)


def _strip_country(run: list[_Tok]) -> tuple[list[_Tok], str | None]:
    """A leading country name off a run: "Ukraine Volodymyr Zelensky", "Ấn Độ Harsh ..."."""
    lows = [t.low for t in run[:4]]
    for k in range(min(4, len(lows)), 0, -1):
        code = VI_COUNTRIES.get(" ".join(lows[:k]))
        if code:
            return run[k:], code
    return run, None


@dataclass
class _Title:
    head_start: int
    head_end: int
    head: str  # folded head
    former: bool


def _complement_ok(head: str, complement: str) -> bool:
    """Is the title public office, given the folded words after its head?"""
    if head in _DEPARTMENT_HEADS and _DEPARTMENT.match(complement):
        # "Vụ trưởng Vụ Giáo dục đại học": a ministry department, named after its field
        return not _FIRM.search(complement)
    if _PRIVATE.search(complement):
        return False
    need = _NEEDS.get(head)
    if need is None:
        return True
    if need.match(complement):
        return True
    # "Chủ tịch Trung Quốc Tập Cận Bình", "Chủ tịch nước": a head of state
    return head == "chu tich" and any(
        complement == c or complement.startswith(c + " ") for c in VI_COUNTRIES
    )


def _find_titles(text: str, folded: str, start: int, end: int) -> list[_Title]:
    out = []
    for m in _HEAD_RX.finditer(folded, start, end):
        head = m.group(2)
        if not _written_as(text[m.start(2) : m.end(2)], HEADS[head]):
            continue  # "bị thu hồi" is no "Bí thư"
        pre = m.group(1)
        if pre is not None and not _written_as(text[m.start(1) : m.end(1)], _PREFIX[pre]):
            pre = None  # "Cô", "có": not a prefix of the title
        former = pre in _FORMER
        out.append(_Title(m.start(1) if pre else m.start(2), m.end(2), head, former))
    return out


class _Finder:
    """Title-name pairs of one text (the body, or the header title line)."""

    def __init__(self, text: str, folded: str, limit: int, places: list[PlaceHit]) -> None:
        self.text, self.folded, self.limit = text, folded, limit
        self.titles = _find_titles(text, folded, 0, limit)
        # most articles hold no title head: then there is nothing to tokenise
        self.toks = _tokens(text[:limit], folded[:limit]) if self.titles else []
        self.starts = [t.start for t in self.toks]
        self.places = _Spans([(h.start, h.end) for h in places])
        self.place_starts = {h.start for h in places}

    def gap(self, i: int) -> str:
        """Text between token i and token i + 1."""
        return self.text[self.toks[i].end : self.toks[i + 1].start]

    def clause_goes_on(self, i: int) -> bool:
        """Token i, lower case, is a word of the sentence rather than of a title."""
        tok = self.toks[i]
        if tok.cap or tok.word.isupper():
            return False
        if tok.low in _CLAUSE:
            return True
        nxt = self.toks[i + 1].low if i + 1 < len(self.toks) else ""
        return (tok.low, nxt) in _CLAUSE_PAIRS

    def pairs(self) -> list[tuple[int, int, str, str | None, bool]]:
        """(name start, name end, title as written, country, former) for each tie."""
        out = []
        for t in self.titles:
            got = self._apposition(t) or self._before_name(t)
            if got:
                out.append(got)
        if "lan luot" in self.folded or "tuong ung" in self.folded:
            for m in _RESPECTIVE.finditer(self.folded, 0, self.limit):
                out.extend(self._respective(m.start(), m.end()))
        return out

    # "các ông A và B, lần lượt là Chủ tịch UBND tỉnh X và Chủ tịch UBND tỉnh Y"
    def _respective(self, start: int, end: int) -> list[tuple[int, int, str, str | None, bool]]:
        names = self._names_before(start)
        chain = [t for t in self.titles if t.head_start >= end]
        titles: list[_Title] = []
        for t in chain:
            if not titles and t.head_start != end:
                break
            between = self.text[titles[-1].head_end if titles else end : t.head_start]
            if titles and (_SENTENCE_MARK.search(between) or not _LIST_TAIL.search(between)):
                break
            titles.append(t)
            if len(titles) == len(names):
                break
        if len(names) < 2 or len(titles) != len(names):
            return []
        out = []
        for x, (name, t) in enumerate(zip(names, titles, strict=True)):
            if x + 1 < len(titles):
                title = _LIST_TAIL.sub("", self.text[t.head_start : titles[x + 1].head_start])
            else:
                title = self._title_phrase(t)[0] or ""
            complement = self.folded[t.head_end : t.head_start + len(title)].strip()
            if not title or not _complement_ok(t.head, complement):
                continue  # a firm's post is nobody's office, and not the neighbour's either
            words = [x.low for x in name]
            country = "VN" if is_vn_name(words) else self._country_in(complement)
            out.append((name[0].start, name[-1].end, title, country, t.former))
        return out

    def _names_before(self, pos: int) -> list[list[_Tok]]:
        """The names of the list that ends at ``pos`` ("A và B", "A, B và C", "ông A và ông
        B"), in order; [] when the text before is not such a list."""
        k = bisect.bisect_left(self.starts, pos) - 1
        names: list[list[_Tok]] = []
        while k >= 0 and self.toks[k].cap:
            run = [k]
            while run[0] > 0 and self.toks[run[0] - 1].cap and self.gap(run[0] - 1) == " ":
                run.insert(0, run[0] - 1)
            toks = [self.toks[x] for x in run]
            if toks[0].low in ("ong", "ba") and len(toks) > 1:
                toks = toks[1:]
            s = _vn_split(toks, True, self.places)
            if s is None and not _foreign_name(toks):
                return []
            names.insert(0, toks[s or 0 :])
            k = run[0] - 1
            if k >= 0 and self.toks[k].low in ("ong", "ba") and not self.toks[k].cap:
                k -= 1
            if k < 0:
                break
            sep = self.text[self.toks[k].end : self.toks[k + 1].start]
            if self.toks[k].low == "va" and not self.toks[k].cap:
                k -= 1
                if k >= 0 and self.toks[k].low in ("ong", "ba") and not self.toks[k].cap:
                    k -= 1  # "ông A và ông B"
            elif sep.strip() != ",":
                break
        return names

    # "ông Chu Ngọc Anh, Chủ tịch UBND TP Hà Nội" / "ông Phạm Đại Dương Bí thư Tỉnh ủy ..."
    def _apposition(self, t: _Title) -> tuple[int, int, str, str | None, bool] | None:
        k = bisect.bisect_left(self.starts, t.head_start) - 1
        if k < 0:
            return None
        between = self.text[self.toks[k].end : t.head_start]
        comma = between.strip() in (",", "-", "–", "(")
        if not comma and between != " ":
            return None
        run = [k]
        while run[0] > 0 and self.toks[run[0] - 1].cap and self.gap(run[0] - 1) == " ":
            run.insert(0, run[0] - 1)
        toks = [self.toks[x] for x in run]
        if not all(x.cap for x in toks):
            return None
        honorific = bool(_HONORIFIC.search(self.text, max(0, toks[0].start - 5), toks[0].start))
        if toks[0].low in ("ong", "ba") and len(toks) > 1:  # "Ông Trần Việt Trường, ..."
            toks, honorific = toks[1:], True
        if not comma and not honorific:
            return None  # "Phó Thủ tướng Chính phủ Phạm Bình Minh" is read the other way
        s = _vn_split(toks, True, self.places)
        if s is None:
            if not (honorific and _foreign_name(toks)):
                return None
            s = 0
        elif s > 0 and not honorific:
            return None
        if not honorific and len(toks) - s < 3:
            return None  # a bare two-syllable name before a comma is too often a place
        title, complement = self._title_phrase(t)
        if title is None or not _complement_ok(t.head, complement):
            return None
        name = toks[s:]
        country = "VN" if is_vn_name([x.low for x in name]) else self._country_in(complement)
        return name[0].start, name[-1].end, title, country, t.former

    def _title_phrase(self, t: _Title) -> tuple[str | None, str]:
        """The apposition's title: from its head to punctuation or the clause's next word."""
        i = bisect.bisect_left(self.starts, t.head_end)
        last = t.head_end
        words = []
        while i < len(self.toks) and len(words) < 16:
            gap = self.text[last : self.toks[i].start]
            if any(c in gap for c in ',.;:!?()\n"“”') or gap.strip() not in ("", "-", "–", "&"):
                break
            tok = self.toks[i]
            if gap.strip() in ("-", "–") and not tok.cap:
                break  # "... TP Đà Nẵng - thông tin", not "Sở Văn hóa - Thể thao"
            if self.clause_goes_on(i):
                break
            words.append(tok.low)
            last = tok.end
            i += 1
        return self.text[t.head_start : last].strip(), " ".join(words)

    # "Chủ tịch UBND tỉnh Phú Yên Trần Hữu Thế", "Tổng thống Ukraine Volodymyr Zelensky"
    def _before_name(self, t: _Title) -> tuple[int, int, str, str | None, bool] | None:
        i = bisect.bisect_left(self.starts, t.head_end)
        last = t.head_end
        complement: list[_Tok] = []
        while i < len(self.toks) and len(complement) < 16:
            gap = self.text[last : self.toks[i].start]
            if any(c in gap for c in '.;:!?()\n"“”'):
                return None
            tok = self.toks[i]
            if "," in gap and (not tok.cap or not complement):
                return None  # "Chủ tịch nước, Thiếu tướng X": two people, or a list
            if not tok.cap:
                if self.clause_goes_on(i):
                    return None
                complement.append(tok)
                last = tok.end
                i += 1
                continue
            j = i  # a capitalised run: the complement's end and the name, or all complement
            while j + 1 < len(self.toks) and self.toks[j + 1].cap and self.gap(j) == " ":
                j += 1
            run = self.toks[i : j + 1]
            after = self.text[run[-1].end : run[-1].end + 2]
            ends_clause = j + 1 >= len(self.toks) or not self.toks[j + 1].cap or after[:1] != " "
            if ends_clause:
                got = self._split(t, complement, run, "," in gap)
                if got:
                    return got
            complement.extend(run)
            last = run[-1].end
            i = j + 1
        return None

    def _split(
        self, t: _Title, complement: list[_Tok], run: list[_Tok], after_comma: bool
    ) -> tuple[int, int, str, str | None, bool] | None:
        prev = complement[-1].low if complement else ""
        allow_whole = after_comma or (
            prev not in _ADMIN_BEFORE_NAME and not (complement and complement[-1].cap)
        )
        s = _vn_split(run, allow_whole, self.places)
        if s is not None and run[s].start in self.place_starts:
            s = None  # "Chủ tịch UBND tỉnh Hà Nam cho biết": the run is the place
        country = None
        if s is None:
            rest, country = _strip_country(run)
            sino = _sino_name(rest, country) and not any(x.start in self.place_starts for x in rest)
            if not rest or not (_foreign_name(rest) or sino):
                return None
            if country is None and (complement or t.head not in _FOREIGN_OK):
                return None
            if country is None and any(x.start in self.place_starts for x in rest):
                return None
            name = rest
        else:
            name = run[s:]
            country = "VN"
        words = [x.low for x in complement] + [x.low for x in run[: len(run) - len(name)]]
        if not _complement_ok(t.head, " ".join(words)):
            return None
        if country is None:
            country = self._country_in(" ".join(words))
        title = self.text[t.head_start : name[0].start].strip(" ,-–")
        return name[0].start, name[-1].end, title, country, t.former

    @staticmethod
    def _country_in(complement: str) -> str | None:
        words = complement.split()
        for i in range(len(words)):
            for k in (3, 2, 1):
                code = VI_COUNTRIES.get(" ".join(words[i : i + k]))
                if code:
                    return code
        return None


def find_officials_vi(
    text: str,
    limit: int,
    places: list[PlaceHit],
    masked: list[tuple[int, int]],
    day: datetime.date | None,
    header_title: str | None = None,
) -> tuple[list[Official], set[int]]:
    """Officials of a Vietnamese-language ``text[:limit]`` and the place hits that are names.

    ``header_title`` (the corpus header's title, often the lead sentence) is read for ties
    too; mentions are counted in the text only."""
    folded = fold1(text[:limit])
    persons: dict[str, _Person] = {}
    finder = _Finder(text, folded, limit, places)

    masked_spans = _Spans(masked)

    def masked_at(pos: int) -> bool:
        return masked_spans.at(pos) is not None

    def tie(src: str, found: list[tuple[int, int, str, str | None, bool]], in_body: bool) -> None:
        for a, b, title, country, former in found:
            if in_body and masked_at(a):
                continue
            name = src[a:b]
            key = fold(name)
            p = persons.setdefault(key, _Person(key, name, country))
            if former:
                p.former = True
            elif title and title not in p.titles:
                p.titles.append(title)
            if in_body:
                p.mentions.append((a, b))

    tie(text, finder.pairs(), True)
    if header_title:
        head = header_title[:2000]
        tie(head, _Finder(head, fold1(head), len(head), []).pairs(), False)

    _merge_partial_names(persons)
    officials = [
        p
        for p in persons.values()
        if p.titles and not _historical(p.key, day) and p.key not in _RVN_LEADERS
    ]
    _count_mentions(text[:limit], officials, masked_at)
    result = [
        Official(
            key=p.key,
            name=p.name,
            aliases=p.surfaces or [p.name],
            titles=p.titles,
            country=p.country,
            mentions=[Span(a, b) for a, b in sorted(set(p.mentions))],
        )
        for p in officials
    ]
    result.sort(key=lambda o: o.mentions[0].start if o.mentions else 0)
    return result, _name_places(text[:limit], folded, places)


def _merge_partial_names(persons: dict[str, _Person]) -> None:
    """ "Tổng thống Putin" and "Tổng thống Nga Vladimir Putin" in one article are one person:
    a name that begins or ends a longer name of the article is merged into it."""
    for key in sorted(persons, key=lambda k: len(k.split())):
        words = key.split()
        longer = [
            q
            for q in persons.values()
            if len(q.key.split()) > len(words)
            and (q.key.split()[: len(words)] == words or q.key.split()[-len(words) :] == words)
        ]
        if len(longer) != 1:
            continue  # none, or two people it could be
        p, q = persons.pop(key), longer[0]
        q.titles.extend(t for t in p.titles if t not in q.titles)
        q.mentions.extend(p.mentions)
        q.former = q.former or (p.former and not p.titles)


def _count_mentions(body: str, officials: list[_Person], masked_at) -> None:
    """Every full-name mention, and the short forms: "ông Trường" (a Vietnamese name's last
    syllable after ông/bà), a foreign surname alone or after ông/bà."""
    shorts: dict[str, list[_Person]] = {}
    for p in officials:
        for m in re.finditer(r"(?<!\w)" + re.escape(p.name) + r"(?!\w)", body):
            p.mentions.append((m.start(), m.end()))
        p.mentions = sorted(set(p.mentions))
        if p.name not in p.surfaces:
            p.surfaces.append(p.name)
        words = p.name.split()
        if len(words) >= 2:
            shorts.setdefault(words[-1], []).append(p)
    if not shorts:
        return
    full = sorted(span for p in officials for span in p.mentions)
    found: list[tuple[_Person, tuple[int, int]]] = []
    for m in re.finditer(r"(?<!\w)(" + "|".join(map(re.escape, shorts)) + r")(?!\w)", body):
        a, b = m.start(1), m.end(1)
        i = bisect.bisect_right(full, (a, 1 << 62)) - 1
        if i >= 0 and full[i][1] > a or masked_at(a):
            continue  # inside a full name
        nxt = body[b : b + 2]
        if len(nxt) == 2 and nxt[0] == " " and nxt[1].isupper():
            continue  # "Trường Sa": part of another name
        owners = shorts[m.group(1)]
        honorific = bool(_HONORIFIC.search(body, max(0, a - 5), a))
        prev = body[max(0, a - 2) : a]
        if not honorific:
            foreign = [p for p in owners if p.country != "VN"]
            if not foreign or (
                len(prev) == 2 and prev[1] == " " and prev[0].isalpha() and _cap_before(body, a)
            ):
                continue
            owners = foreign
        owner = _nearest(owners, a)
        found.append((owner, (a, b)))
        if m.group(1) not in owner.surfaces:
            owner.surfaces.append(m.group(1))
    for owner, span in found:  # after the search: _nearest reads the full names, sorted
        owner.mentions.append(span)


def _cap_before(body: str, pos: int) -> bool:
    """The word before ``pos`` is capitalised (so the short form ends another name)."""
    m = re.search(r"([^\W\d_]+) $", body[max(0, pos - 30) : pos])
    return bool(m and m.group(1)[0].isupper())


def _nearest(owners: list[_Person], pos: int) -> _Person:
    """A shared short form: the official named most recently before, else the first.

    Each owner's mentions are its full-name mentions, sorted."""
    if len(owners) == 1:
        return owners[0]
    best, best_at = owners[0], -1
    for p in owners:
        i = bisect.bisect_left(p.mentions, (pos, -1)) - 1
        if i >= 0 and p.mentions[i][0] > best_at:
            best, best_at = p, p.mentions[i][0]
    return best


def _name_places(body: str, folded: str, places: list[PlaceHit]) -> set[int]:
    """Place hits that are part of a person's name ("Phó Thủ tướng Trương Hòa Bình", "bác sĩ
    Nguyễn Thái Bình") or of a byline line ("Hồng Hải"), whoever the person is."""
    out: set[int] = set()
    spans = _Spans([(h.start, h.end) for h in places])
    tail = body.rstrip()
    last_line = tail.rfind("\n") + 1
    words = tail[last_line:].split()
    byline = 2 <= len(words) <= 4 and all(w[0].isupper() for w in words)
    for idx, hit in enumerate(places):
        if byline and hit.start >= last_line:
            out.add(idx)  # the last line is a byline: "Hồng Hải", "Nam Phương"
            continue
        m = re.search(r"(?:^|[^\w])([^\W\d_]+) $", body[max(0, hit.start - 12) : hit.start])
        if m and m.group(1)[0].isupper():
            low = fold(m.group(1))
            prior = hit.start - len(m.group(1)) - 1
            if low in VN_SURNAMES and low != "y" and spans.at(prior) is None:
                out.add(idx)
    return out
