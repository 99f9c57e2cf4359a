"""The indexer's own postings loop must give exactly what Whoosh's analyzers and formats give.

Every text field of the schema is compared, posting by posting (term bytes, frequency,
weight, encoded positions and characters), on the sample articles, on text chosen to trip
tokenizing and folding, and on generated text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields

from search.engine.whoosh.postings import _tokens, field_postings
from search.engine.whoosh.schema import PreAnalyzedText, make_schema

SCHEMA = make_schema()
TEXT_FIELDS = [name for name in SCHEMA.names() if isinstance(SCHEMA[name], PreAnalyzedText)]
SAMPLES = sorted((Path(__file__).parent.parent / "sample_corpus").glob("*.txt"))

TRICKY = [
    "",
    "   \n\t ",
    "Đồng Nai và Bà Rịa–Vũng Tàu: Phước, PHƯỚC, phuoc.",
    "The U.S. economy grew 3.5 pct; U.S.-China talks.",
    "İstanbul and ǅemal: letters whose lower case is longer.",
    "广西壮族自治区 与 Quảng Ninh 合作 cooperation cooperating cooperated",
    "a a a a b a — repeated words keep every position",
    "e\u0301 decomposed, ﬁ ligature, ½ fraction, ① circled, x²",
    "tab\tnull\x00bell\x07 escape\x1b[31m red",
]


def whoosh_postings(name: str, value: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(fields.TEXT.index(SCHEMA[name], value))


def ours(value: str) -> dict[str, list[tuple[bytes, int, float, bytes]]]:
    out = field_postings(SCHEMA, {name: value for name in TEXT_FIELDS})
    return {name: sorted(out[name]) for name in TEXT_FIELDS}


def check(value: str) -> None:
    got = ours(value)
    for name in TEXT_FIELDS:
        assert got[name] == whoosh_postings(name, value), (name, value[:80])


def test_every_text_field_is_compared() -> None:
    assert {"title", "title_exact", "body", "body_exact"} <= set(TEXT_FIELDS)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_articles(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _tokens(text) is not None, "the fast path must handle real articles, not fall back"
    check(text)


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_text(value: str) -> None:
    check(value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_generated_text(value: str) -> None:
    check(value)


def test_values_that_are_not_text_pass_through() -> None:
    out = field_postings(SCHEMA, {"path": "a.txt", "size": 3, "body": "oil"})
    assert out["path"] == "a.txt" and out["size"] == 3
    assert [p[0] for p in out["body"]] == [b"oil"]
