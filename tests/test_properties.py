"""Property-based tests (hypothesis) of the query parser, header parser, normaliser, decoder.

Thousands of generated inputs in total.  The default profile keeps the run short; the
``slow`` marker or ``HYPOTHESIS_PROFILE=thorough`` runs ten times as many.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the package need not be installed
from search.corpus.header import parse_header, split_header  # noqa: E402
from search.errors import QueryError  # noqa: E402
from search.query.parser import parse_query  # noqa: E402
from search.text import BinaryFileError, _nfc, decode, json_text, normalise, visible  # noqa: E402

settings.register_profile(
    "default", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=6000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
THOROUGH = settings(max_examples=6000, deadline=None, suppress_health_check=list(HealthCheck))

UNSAFE_AFTER_NORMALISE = (
    {c for c in range(0x20) if c not in (9, 10)}
    | set(range(0x7F, 0xA0))
    | {
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200E,
        0x200F,
        0x061C,
    }
)

# Query text: the language's own pieces mixed with arbitrary text.
_PIECES = st.sampled_from(
    [
        "border",
        "trade",
        "cooperation",
        "Guangxi",
        "Hà Nội",
        "新闻",
        "AND",
        "OR",
        "NOT",
        "ANDNOT",
        "(",
        ")",
        '"',
        "*",
        "?",
        "~",
        "~2",
        "^2",
        ":",
        "[",
        "]",
        "{",
        "}",
        "to",
        "TO",
        "-",
        "+",
        "title:",
        "body:",
        "date:",
        "official:",
        "province:",
        "path:",
        "foo:",
        "date:2024",
        "date:2024-05",
        "date:[2024-01-01 to 2024-06-30]",
        "date:>2024-01-01",
        "date:2024-13-45",
        "date:[",
        "date:]",
        " ",
        "  ",
        "\t",
        "\\",
        "/",
        "'",
        "\x1b[31m",
        "\u202e",
        "\x00",
    ]
)
QUERY_TEXT = st.one_of(
    st.lists(_PIECES, max_size=12).map("".join),
    st.lists(_PIECES, max_size=8).map(" ".join),
    st.text(max_size=60),
)


def check_query(text: str) -> None:
    try:
        parsed = parse_query(text)
    except QueryError as exc:
        message = str(exc)
        assert message and "\n" not in message and "\r" not in message, repr(message)
        assert "Traceback" not in message
    else:
        assert parsed.query is not None


@given(QUERY_TEXT)
def test_query_parser_raises_only_one_line_query_errors(text: str) -> None:
    check_query(text)


@pytest.mark.slow
@THOROUGH
@given(QUERY_TEXT)
def test_query_parser_thorough(text: str) -> None:
    check_query(text)


_HEADER_LINE = st.builds(
    lambda lead, word, y, sep, m, d, rest: f"{lead}{word} {y}{sep}{m}{sep}{d}{rest}",
    st.sampled_from(["", " ", "  ", "\t"]),
    st.sampled_from(["date", "DATE", "Date", "dAtE"]),
    st.integers(0, 99999).map(str),
    st.sampled_from(["-", "/", ".", ""]),
    st.integers(0, 99).map(lambda n: f"{n:02d}"),
    st.integers(0, 99).map(lambda n: f"{n:02d}"),
    st.text(max_size=20),
)


def check_header(line: str) -> None:
    header = parse_header(line)
    if header is None:
        return
    if header.date is not None:
        assert isinstance(header.date, datetime.date)
        assert datetime.date.fromisoformat(header.date.isoformat()) == header.date
        assert 1800 <= header.date.year <= 2200
        assert header.problem is None
    else:
        assert header.problem and "\n" not in header.problem
    if "\n" not in line:  # split_header takes the first line of a document
        split = split_header(line + "\nbody")
        assert split[0] == header and split[1] == "body"


@given(st.one_of(_HEADER_LINE, st.text(max_size=40)))
def test_header_parser_never_raises_and_dates_are_real(line: str) -> None:
    check_header(line)


@pytest.mark.slow
@THOROUGH
@given(st.one_of(_HEADER_LINE, st.text(max_size=40)))
def test_header_parser_thorough(line: str) -> None:
    check_header(line)


# Text rich in the characters normalise must defuse.
_NASTY = st.sampled_from(
    [chr(c) for c in UNSAFE_AFTER_NORMALISE]
    + [
        "\r",
        "\r\n",
        "\n",
        "\t",
        "\u2028",
        "\u2029",
        "\u200b",
        "\ufeff",
        "\u0301",
        "e\u0301",
        "\u1ec7",
        "\uac00",
        "\u1100\u1161",
        "\ufffd",
        "\U0001f4f0",
        "a",
        " ",
    ]
)
TEXT = st.one_of(st.text(max_size=80), st.lists(_NASTY, max_size=40).map("".join))


def check_normalise(text: str) -> None:
    out = normalise(text)
    assert normalise(out) == out, "not idempotent"
    bad = {f"U+{ord(c):04X}" for c in out if ord(c) in UNSAFE_AFTER_NORMALISE}
    assert not bad, bad
    assert "\r" not in out
    if "\r" not in text and unicodedata.is_normalized("NFC", text):
        assert len(out) == len(text), "a substitution changed the length"
    # Normalising line by line (the fast path) gives exactly NFC of the whole text.
    lines = text.replace("\r", "\n")
    assert _nfc(lines) == unicodedata.normalize("NFC", lines)


@given(TEXT)
def test_normalise_is_idempotent_safe_and_length_preserving(text: str) -> None:
    check_normalise(text)


@pytest.mark.slow
@THOROUGH
@given(TEXT)
def test_normalise_thorough(text: str) -> None:
    check_normalise(text)


# Names: any text, lone surrogates included (a name that is not UTF-8, surrogateescaped).
NAMES = st.one_of(TEXT, st.text(st.characters(codec=None), max_size=40))
UNSAFE_IN_A_NAME = UNSAFE_AFTER_NORMALISE | {0x09, 0x0A, 0x2028, 0x2029, *range(0xD800, 0xE000)}


@given(NAMES)
def test_a_name_is_shown_one_symbol_per_character_and_json_keeps_it_exact(name: str) -> None:
    shown = visible(name)
    assert len(shown) == len(name)
    bad = {f"U+{ord(c):04X}" for c in shown if ord(c) in UNSAFE_IN_A_NAME}
    assert not bad, bad
    line = json_text({"path": name})
    line.encode("utf-8")  # strict: no lone surrogate
    assert not {c for c in line if ord(c) in UNSAFE_IN_A_NAME}, line
    assert json.loads(line) == {"path": name}


BYTES = st.one_of(
    st.binary(max_size=300),
    TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(
        st.sampled_from(["utf-16", "utf-8-sig", "latin-1", "cp1252"]), st.text(max_size=60)
    ).map(lambda p: p[1].encode(p[0], "replace")),
)


def check_decode(data: bytes) -> None:
    try:
        decoded = decode(data)
    except BinaryFileError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert normalise(decoded.text) == decoded.text
    assert not {c for c in decoded.text if ord(c) in UNSAFE_AFTER_NORMALISE}


@given(BYTES)
def test_decode_returns_text_or_binary_file_error(data: bytes) -> None:
    check_decode(data)


@pytest.mark.slow
@THOROUGH
@given(BYTES)
def test_decode_thorough(data: bytes) -> None:
    check_decode(data)
