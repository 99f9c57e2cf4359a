"""The passage ``y`` copies, its citation, the line ``o`` opens at, and what the clipboard
text may contain (``pasteable``)."""

from __future__ import annotations

import datetime
import unicodedata

from search.quote import QUOTE_LIMIT, line_and_column, passage, quote
from search.text import normalise, pasteable

WIRE = (
    "LONDON, March 25 - The Bank of Japan intervened to stem\n"
    "strong yen rises against the dollar during London trading this\n"
    "morning, dealers said.\n"
    "    The Bank of Japan here declined comment.\n"
    "    The Bank of England was also rumored to be buying dollars\n"
    "against the yen this morning but it also declined comment.\n"
)


def test_a_hard_wrapped_paragraph_is_joined_and_ends_at_an_indented_line() -> None:
    at = WIRE.index("dollar during")
    assert passage(WIRE, at, at + 6) == (
        "LONDON, March 25 - The Bank of Japan intervened to stem strong yen rises against "
        "the dollar during London trading this morning, dealers said."
    )
    at = WIRE.index("against the yen")
    assert passage(WIRE, at, at + 7) == (
        "The Bank of England was also rumored to be buying dollars against the yen this "
        "morning but it also declined comment."
    )


def test_long_lines_are_paragraphs_and_a_long_paragraph_gives_its_sentence() -> None:
    filler = "Filler words go on and on here. " * 30  # one line of 960 characters
    text = f"Short first line that ends.\n{filler}The walrus sang today. {filler}\nLast.\n"
    at = text.index("walrus")
    assert passage(text, at, at + 6) == "The walrus sang today."
    cjk = "前文。" * 300 + "海象今天唱歌了。" + "后文。" * 300
    at = cjk.index("海象")
    assert passage(cjk, at, at + 2) == "海象今天唱歌了。"


def test_a_huge_sentence_gives_a_window_cut_at_spaces() -> None:
    text = "word " * 1000 + "walrus " + "word " * 1000
    at = text.index("walrus")
    quoted = passage(text, at, at + 6)
    assert quoted.startswith("… word") and quoted.endswith("word …") and "walrus" in quoted
    assert len(quoted) <= QUOTE_LIMIT + 4


def test_spans_outside_the_text_are_clamped() -> None:
    assert passage("One line.\n\nTwo line.", -5, -1) == "One line."
    assert passage("One line.\n\nTwo line.", 50, 60) == "Two line."
    assert passage("", 0, 0) == ""


def test_line_and_column_count_from_the_line_the_text_starts_on() -> None:
    text = "first\nsecond line\nthird"
    assert line_and_column(text, 1, 0) == (1, 1)
    assert line_and_column(text, 2, text.index("line")) == (3, 8)
    assert line_and_column(text, 2, len(text)) == (4, 6)


def test_quote_adds_a_citation_and_is_pasteable() -> None:
    text = normalise("Intro.\n\nThe \x1b]52;c;SGVsbG8=\x07 walrus\tsang.\n")
    at = text.index("walrus")
    got = quote(
        text, at, at + 6, title="A  title\x1b[2J", date=datetime.date(2024, 4, 3),
        date_inferred=True, path="dir/a\x07b.txt", first_line=2,
    )  # fmt: skip
    assert got == (
        "“The ␛]52;c;SGVsbG8=␇ walrus sang.”\n"
        "— A title␛[2J, 2024-04-03 (date inferred), dir/a␇b.txt, line 4"
    )


HOSTILE = (
    "".join(chr(c) for c in range(0x20))
    + "\x7f"
    + "".join(chr(c) for c in range(0x80, 0xA0))
    + "\u202a\u202e\u2066\u2069\u200e\u200f\u061c\u200b\u2060\ufeff\u2028\u2029"
    + "\ud800\udfff"
    + "\x1b[201~rm -rf ~\n"  # would end a bracketed paste and run a command
)


def test_pasteable_leaves_no_character_a_terminal_would_obey() -> None:
    safe = pasteable(HOSTILE)
    assert len(safe) == len(HOSTILE)  # one for one
    bad = [c for c in safe if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs")]
    assert bad == []
    assert safe.count("\n") == 2  # the line feed and the final newline stay line breaks
    assert "\x1b" not in safe and "␛[201~rm -rf ~" in safe
    safe.encode("utf-8")  # lone surrogates (names that are not UTF-8) became U+FFFD
