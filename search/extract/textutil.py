"""Diacritics folding with a one-to-one character map.

Matching (gazetteer, names) runs on a folded copy of the text whose offsets are the same as
the original's, so every hit maps straight back to a :class:`Span` without an offset table.
That is why the per-character table keeps lengths: a character whose folded form is not
exactly one character is left as it is.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = {
    "đ": "d",
    "Đ": "d",
    "Ð": "d",
    "ð": "d",
    "ı": "i",
    "ł": "l",
    "Ł": "l",
    "ø": "o",
    "Ø": "o",
}


def _build_table() -> dict[int, str]:
    """Map every character below U+2100 that folds to a different single character."""
    table: dict[int, str] = {}
    for cp in range(0x2100):
        ch = chr(cp)
        if ch in _SPECIAL:
            table[cp] = _SPECIAL[ch]
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        base = base.lower()
        if len(base) == 1 and base != ch:
            table[cp] = base
    # typographic apostrophes and dashes fold to ASCII so patterns stay simple
    for cp, rep in ((0x2019, "'"), (0x2018, "'"), (0x2013, "-"), (0x2014, "-"), (0x00A0, " ")):
        table[cp] = rep
    return table


FOLD_TABLE: dict[int, str] = _build_table()
_COMBINING = re.compile(r"[\u0300-\u036f]")
_WS = re.compile(r"\s+")


_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")


def fold1(s: str) -> str:
    """Fold case and diacritics keeping ``len(fold1(s)) == len(s)``.

    Same as ``s.translate(FOLD_TABLE)``, but ``translate`` with a dict costs a dict lookup per
    character once it has met one non-ASCII character, which made folding a mostly-English
    article with one curly quote the most expensive step. ASCII is folded by ``lower()`` (the
    table maps exactly A-Z there) and only the non-ASCII runs go through the table, all in
    one call each ("\\0" is ASCII and is never a table value)."""
    if s.isascii():
        return s.lower()
    parts = _NON_ASCII.split(s)  # ASCII at even indexes, non-ASCII runs at odd ones
    if "\0" in s:
        parts[0::2] = [p.lower() for p in parts[0::2]]
    else:
        parts[0::2] = "\0".join(parts[0::2]).lower().split("\0")
    parts[1::2] = "\0".join(parts[1::2]).translate(FOLD_TABLE).split("\0")
    return "".join(parts)


def fold(s: str) -> str:
    """Lower-case, strip diacritics (đ->d too), collapse whitespace: the identity for keys."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s).translate(FOLD_TABLE)
    s = _COMBINING.sub("", s)
    return _WS.sub(" ", s).strip()


# Vietnamese function words: an English article that names "Võ Tấn Đức" with his diacritics
# holds none of them, a Vietnamese one holds many in any few lines.
_VI_WORDS = re.compile(
    r"(?<!\w)(?:của|và|là|được|các|những|trong|với|đã|không|này|người|một|cũng|đang|cho)(?!\w)"
)


def vietnamese_text(text: str) -> bool:
    """Whether ``text`` is Vietnamese written with its diacritics (read from its head)."""
    if text.isascii():
        return False
    return len(_VI_WORDS.findall(text, 0, 4000)) >= 3


_WRAP = re.compile(r"(?<=\S)\n(?=\S)")


def join_wrapped(text: str, limit: int) -> str:
    """``text`` with the line breaks of a hard-wrapped ``text[:limit]`` made spaces.

    Wire copy wraps lines at about 70 characters, so a name or a title can straddle a line
    ("Finance Minister Kiichi" / "Miyazawa"). A text is hard-wrapped when nearly all its
    non-blank lines are at most 90 characters long and many 40 or more; a break between two
    non-blank characters is then a space (a paragraph starts on an indented or blank line,
    which is kept). One character for one, so every offset is the original's. Other texts
    come back as they are.
    """
    body = text[:limit]
    if body.count("\n") < 3:
        return text
    lens = [len(ln) for ln in body.split("\n") if ln.strip()]
    # paragraph ends are short, so only most lines need the wrap width
    if len(lens) < 3 or sum(n <= 90 for n in lens) < 0.8 * len(lens):
        return text
    if sum(40 <= n <= 90 for n in lens) < 0.4 * len(lens):
        return text
    return _WRAP.sub(" ", body) + text[limit:]
