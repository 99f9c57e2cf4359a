"""A document's text fields turned into postings, without Whoosh's per-token generator chain.

Whoosh analyses text by passing one ``Token`` object through a chain of generators
(tokenizer, lower case, folding, stemming) and then groups the tokens by term in the
field's format: several Python calls per token, about half of a build's worker time.  This
module tokenizes each field value once with the same regular expression, looks every
distinct surface word up in a cache of (exact term, stemmed term) that Whoosh's own
analyzers filled, and hands the grouped positions to the field's own ``Format.encode``.
The terms therefore come from Whoosh's chain and the bytes from Whoosh's encoder; only
the loop is ours.  ``tests/test_postings.py`` checks the output equals Whoosh's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import accumulate, count, repeat
from operator import itemgetter
from pickle import dumps
from typing import Any, NamedTuple

from whoosh import fields, formats
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.system import pack_uint

from search.engine.whoosh.schema import EXACT, STEMMED, TOKEN_PATTERN, PreAnalyzed, PreAnalyzedText

__all__ = ["field_postings"]

Posting = tuple[bytes, int, float, bytes]  # term, frequency, weight, encoded value

# surface word -> (exact term, stemmed term), UTF-8 encoded as the index keeps them, so a
# document's terms are never encoded one by one.  Bounded: a long build meets new words
# (names, numbers) forever; clearing now and then costs a few re-analyses.
_TERMS: dict[str, tuple[bytes, bytes]] = {}
_MAX_TERMS = 400_000


def _stem_of_exact() -> Callable[[str], str] | None:
    """The function that turns an exact term into its stemmed one, when ``STEMMED`` is
    ``EXACT`` followed by a plain stem filter (no ignored words, no stop filter): then a
    new word costs one pass through Whoosh's chain, not two (a cold build meets about
    50,000 words per worker on Reuters, at 10 us a pass)."""
    *head, last = STEMMED.items
    if head != list(EXACT.items) or type(last) is not StemFilter or last.ignore or last.lang:
        return None
    return last.stemfn


_STEM = _stem_of_exact()


def _fold_of_token() -> Callable[[str], str] | None:
    """The function that turns a token into its exact term, when ``EXACT`` is the token
    pattern's tokenizer, a lower-case filter and a charset filter: a token of that pattern
    is one token again on its own, and the filters are ``str.lower`` and ``str.translate``,
    so Whoosh's chain (generators and a ``Token`` per word, 8 us) is not needed."""
    tokenizer, *filters = EXACT.items
    if (
        type(tokenizer) is not RegexTokenizer
        or tokenizer.expression is not TOKEN_PATTERN
        or tokenizer.gaps
        or [type(f) for f in filters] != [LowercaseFilter, CharsetFilter]
    ):
        return None
    charmap = filters[1].charmap
    return lambda token: token.lower().translate(charmap)


_FOLD = _fold_of_token()


def _only_term(analyzer: Any, word: str) -> str | None:
    """The one term ``analyzer`` makes of ``word``, or None if it makes none or several."""
    terms = [t.text for t in analyzer(word, mode="index")]
    return terms[0] if len(terms) == 1 else None


def _terms_of(word: str) -> tuple[bytes, bytes] | None:
    """The terms Whoosh's analyzers make of one token, encoded, or None if it is not one
    token."""
    exact = _FOLD(word) if _FOLD is not None else _only_term(EXACT, word)
    if exact is None:
        return None
    stemmed = _STEM(exact) if _STEM is not None else _only_term(STEMMED, word)
    if stemmed is None:
        return None
    return exact.encode("utf-8"), stemmed.encode("utf-8")


class _Tokens(NamedTuple):
    """A text's tokens in order, as parallel lists (no object per token); terms encoded."""

    exact: list[bytes]
    stemmed: list[bytes]
    starts: list[int]
    ends: list[int]


# The token pattern as a group, so that ``split`` yields the words at odd indexes and the
# text between them at even ones: tokens and their offsets without a match object each.
_SPLIT = re.compile(f"({TOKEN_PATTERN.pattern})", TOKEN_PATTERN.flags)
# Words at odd indexes only if the pattern has no group of its own and never matches "".
assert _SPLIT.groups == 1 and not TOKEN_PATTERN.match(""), "TOKEN_PATTERN changed shape"


def _tokens(text: str) -> _Tokens | None:
    """The tokens of ``text``; None if a token would not analyse alone into one term (then
    Whoosh's own path is used)."""
    terms = _TERMS
    if len(terms) > _MAX_TERMS:
        terms.clear()
    parts = _SPLIT.split(text)
    words = parts[1::2]
    pairs = list(map(terms.get, words))
    if None in pairs:  # words this process has not met yet
        for i, pair in enumerate(pairs):
            if pair is None:
                word = words[i]
                pair = terms.get(word) or _terms_of(word)
                if pair is None:
                    return None
                pairs[i] = terms[word] = pair
    offsets = list(accumulate(map(len, parts), initial=0))
    return _Tokens(
        list(map(_FIRST, pairs)), list(map(_SECOND, pairs)), offsets[1:-1:2], offsets[2::2]
    )


_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def _grouped(field: fields.FieldType, tokens: _Tokens) -> Iterable[Posting] | None:
    """The field's postings from tokens, in the field's format; None for an unknown setup."""
    fmt = field.format
    boost = fmt.field_boost
    if field.analyzer is EXACT:
        terms = tokens.exact
    elif field.analyzer is STEMMED:
        terms = tokens.stemmed
    else:
        return None
    if type(fmt) is formats.Existence:
        return list(zip(set(terms), repeat(1), repeat(boost), repeat(b"")))
    if type(fmt) is formats.Characters:
        return _characters(terms, tokens.starts, tokens.ends, boost)
    if type(fmt) is not formats.Positions:
        return None
    seen: dict[bytes, list[int]] = {}
    for pos, term in enumerate(terms):
        found = seen.get(term)
        if found is None:
            seen[term] = [pos]
        else:
            found.append(pos)
    encode = fmt.encode
    return [(w, len(ps), len(ps) * 1.0 * boost, encode(ps)) for w, ps in seen.items()]


def _characters(
    terms: list[bytes], starts: list[int], ends: list[int], boost: float
) -> list[Posting]:
    """Postings in the ``Characters`` format, its delta coding done while grouping.

    ``Characters.encode`` walks each term's (position, start, end) list again to turn it
    into deltas from the previous occurrence; here the deltas are made as tokens arrive,
    and only the final pickling is left, as ``encode`` does it.
    """
    seen: dict[bytes, list[Any]] = {}  # term -> [last position, last end, deltas]
    for pos, term, start, end in zip(count(), terms, starts, ends):
        entry = seen.get(term)
        if entry is None:
            seen[term] = [pos, end, [(pos, start, end - start)]]
        else:
            entry[2].append((pos - entry[0], start - entry[1], end - start))
            entry[0], entry[1] = pos, end
    return [
        (w, len(d), len(d) * 1.0 * boost, pack_uint(len(d)) + dumps(d, 2))
        for w, (_, _, d) in seen.items()
    ]


def field_postings(schema: fields.Schema, values: dict[str, Any]) -> dict[str, Any]:
    """Replace each text value of a PreAnalyzedText field by its postings (``PreAnalyzed``).

    A text is tokenized once however many fields index it.
    """
    out = dict(values)
    tokenized: dict[int, _Tokens | None] = {}
    for name, value in values.items():
        if name not in schema or not isinstance(value, str):
            continue
        field = schema[name]
        if not isinstance(field, PreAnalyzedText):
            continue
        key = id(value)
        if key not in tokenized:
            tokenized[key] = _tokens(value)
        tokens = tokenized[key]
        postings = _grouped(field, tokens) if tokens is not None else None
        if postings is None:
            postings = fields.TEXT.index(field, value)
        out[name] = PreAnalyzed(postings)
    return out
