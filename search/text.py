"""Bytes to the one text every part of corpus-browser agrees on.

The index, the match offsets, the CLI's ``show`` and the reader all count characters in the
string :func:`normalise` returns, so it must be deterministic and every substitution it makes
after Unicode normalisation is one character for one character.  It is also where terminal
safety starts: no control character, escape sequence or bidi override survives it, so no
client can forget to sanitise a document.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BinaryFileError",
    "Decoded",
    "count",
    "decode",
    "json_text",
    "looks_binary",
    "normalise",
    "pasteable",
    "visible",
]

# Magic numbers of formats people rename to .txt by accident (or on purpose).
_MAGIC = {
    b"\x7fELF": "ELF executable",
    b"\x1f\x8b": "gzip archive",
    b"PK\x03\x04": "zip archive",
    b"%PDF-": "PDF document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"BZh": "bzip2 archive",
    b"\xfd7zXZ": "xz archive",
    b"7z\xbc\xaf": "7z archive",
    b"SQLite format 3": "SQLite database",
}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SNIFF = 64 * 1024


class BinaryFileError(ValueError):
    """The bytes are not text; the message says why, for the skipped-files report."""


@dataclass(frozen=True)
class Decoded:
    text: str  # normalised, see normalise()
    encoding: str
    replaced: int  # undecodable bytes replaced by U+FFFD


# C0 control bytes other than tab, newline, form feed, carriage return and escape.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> str | None:
    """Why these bytes are not text, or None.  Only the first 64 KB are looked at."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    if data.startswith(_UTF16_BOMS):
        return None
    head = data[:_SNIFF]
    if not head:
        return None
    nul = head.count(0)
    # A stray NUL in a scraped article is damage, not a format; many NULs are a format.
    if nul > max(8, len(head) // 100):
        return f"binary data ({nul} NUL bytes in the first {len(head)} bytes)"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > len(head) // 10:
        return "binary data (mostly control bytes)"
    return None


def decode(data: bytes) -> Decoded:
    """Decode file bytes: BOMs first, then strict UTF-8, then charset-normalizer's best guess.

    Mostly-UTF-8 files with a few broken sequences stay UTF-8 (with U+FFFD) rather than
    being guessed as some legacy code page, which would garble every accented letter.
    """
    why = looks_binary(data)
    if why:
        raise BinaryFileError(why)
    if data.startswith(codecs.BOM_UTF8):
        return _decoded(data[3:], "utf-8")
    if data.startswith(_UTF16_BOMS):
        return _decoded(data, "utf-16")
    try:
        return Decoded(normalise(data.decode("utf-8")), "utf-8", 0)
    except UnicodeDecodeError:
        pass
    bad, good = _count_utf8_errors(data)
    # Legacy 8-bit text almost never forms valid multi-byte UTF-8, so decoded non-ASCII
    # characters outnumbering the errors mean damaged UTF-8, however short the file.
    if bad <= max(3, len(data) // 1000) or good >= 2 * bad:
        return _decoded(data, "utf-8")
    return _decoded(data, _guess_encoding(data[: 1024 * 1024]))


def _guess_encoding(data: bytes) -> str:
    """charset-normalizer's best guess, except that Western European text (by far the
    commonest legacy case) keeps cp1252 when that reads almost as cleanly: on short text
    the guesser often ranks a Baltic or Central European code page first by a hair, which
    turns every è into č."""
    import charset_normalizer  # only files that are not UTF-8 need it (~40 ms to import)

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return "cp1252"
    western = next((m for m in matches if m.encoding == "cp1252"), None)
    if western is not None and western.chaos <= best.chaos + 0.1:
        return "cp1252"
    return best.encoding


def _decoded(data: bytes, encoding: str) -> Decoded:
    text = data.decode(encoding, errors="replace")
    if encoding == "utf-16" and text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(normalise(text), encoding, text.count("\ufffd"))


def _count_utf8_errors(data: bytes) -> tuple[int, int]:
    """Undecodable sequences, and non-ASCII characters that did decode."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return bad, len(text) - len(text.encode("ascii", "ignore")) - bad


# One visible character for each invisible or dangerous one, so offsets never shift.
_CONTROL_MAP: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (9, 10)}
_CONTROL_MAP[0x7F] = "\u2421"  # DEL -> SYMBOL FOR DELETE
_CONTROL_MAP.update({c: "\ufffd" for c in range(0x80, 0xA0)})  # 8-bit C1 controls
# Bidi embeddings, overrides and isolates reorder what the reader shows ("Trojan source").
_CONTROL_MAP.update({c: "\ufffd" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_CONTROL_MAP.update({c: "\ufffd" for c in (0x200E, 0x200F, 0x061C)})
# Zero-width characters hide text from search and from the eye; show them as a thin mark.
_CONTROL_MAP.update({c: "\u00b7" for c in (0x200B, 0x2060, 0xFEFF, 0x180E)})
_CONTROL_MAP.update({0x2028: "\n", 0x2029: "\n"})
_NEWLINES = re.compile(r"\r\n?")
# ``str.translate`` with a dict costs a lookup per character (0.6 s on 5 MB); finding the
# rare characters to replace with one regex scan costs a tenth of that.
_CONTROLS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CONTROL_MAP)) + "]")


def _substitute(match: re.Match[str]) -> str:
    return _CONTROL_MAP[ord(match.group())]


def normalise(text: str) -> str:
    """CR/CRLF to LF, Unicode NFC, then the one-for-one control substitutions above.

    NFC comes before the substitutions because it may merge characters; everything after it
    keeps character offsets, and the result contains no character a terminal would obey.
    """
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    text = _nfc(text)
    return _CONTROLS.sub(_substitute, text)


def _nfc(text: str) -> str:
    """NFC line by line: lines already in NFC (nearly all) are passed over.

    On a whole text, one decomposed letter makes CPython normalise all of it (0.13 s on
    5 MB); per line, only the lines that need it are.  A line feed never composes with a
    neighbour, so normalising the lines apart gives the same result.
    """
    if text.isascii():
        return text
    is_nfc, nfc = unicodedata.is_normalized, unicodedata.normalize
    return "\n".join(
        line if line.isascii() or is_nfc("NFC", line) else nfc("NFC", line)
        for line in text.split("\n")
    )


# A name (a file or folder name, a path, a message quoting one) is shown on one line, so a
# line break or tab in it is shown as a symbol too, and a lone surrogate (the bytes of a
# name that is not UTF-8) as U+FFFD, which every output encoding can write.
_NAME_MAP: dict[int, str] = {
    **_CONTROL_MAP,
    0x09: "\u2409",  # SYMBOL FOR HORIZONTAL TABULATION
    0x0A: "\u240a",  # SYMBOL FOR LINE FEED
    0x2028: "\u240a",
    0x2029: "\u240a",
}
_NAME_CONTROLS = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(_NAME_MAP)) + "\ud800-\udfff]"
)


def _name_symbol(match: re.Match[str]) -> str:
    return _NAME_MAP.get(ord(match.group()), "\ufffd")


def visible(name: str) -> str:
    """``name`` as it may be shown to a person on a terminal: every character a terminal
    would obey (C0, DEL, C1, bidi and zero-width controls, line breaks, tabs) as a visible
    symbol, one for one.  For paths, titles, entity names and messages; never for keys."""
    return _NAME_CONTROLS.sub(_name_symbol, name)


def pasteable(text: str) -> str:
    """``text`` as it may go to the clipboard (OSC 52): like :func:`visible`, except that
    line breaks stay line breaks and a tab becomes a space.  Pasted into a terminal, no
    character of it can end a bracketed paste (ESC is shown as a symbol) or act as a key."""
    return _NAME_CONTROLS.sub(_paste_symbol, text)


def _paste_symbol(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\n":
        return char
    if char == "\t":
        return " "
    return _NAME_MAP.get(ord(char), "\ufffd")


# json.dumps escapes C0 only; a terminal also obeys DEL, C1 (U+009B is CSI) and bidi
# controls, and U+2028/U+2029 break lines in some viewers.  Lone surrogates (names that are
# not UTF-8) cannot be encoded at all.  All of them become \uXXXX escapes, which decode
# to exactly the original string.
_JSON_UNSAFE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(_NAME_MAP) if c > 0x20) + "\ud800-\udfff]"
)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(data: Any) -> str:
    """``data`` as one line of JSON (non-ASCII kept readable) that is safe to write to a
    terminal and decodes to exactly ``data``."""
    return _JSON_UNSAFE.sub(_json_escape, json.dumps(data, ensure_ascii=False))


def count(n: int, noun: str) -> str:
    """How people read counts, in the app and the CLI's human output (JSON keeps plain
    ints): ``1 file``, ``21,579 files``, ``1 match``, ``3 matches``."""
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {noun}{'es' if noun.endswith(('ch', 'sh', 's', 'x')) else 's'}"
