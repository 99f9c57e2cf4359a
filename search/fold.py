"""The one diacritic fold: case and diacritics, one character for one.

The index folds its words with it (``search.engine.whoosh.schema``), so ``Phuoc`` finds
``Phước``; the extractor matches names on a folded copy of the text whose offsets are the
original's, so every hit maps straight back to a span without an offset table.  That is why
the table keeps lengths: a character whose folded form is not exactly one character is left
as it is.  A second engine folds with ``FOLD_TABLE`` too, after ``str.lower``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["FOLD_TABLE", "fold", "fold1"]

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
