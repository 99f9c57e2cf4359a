"""How text becomes terms, and which fields an index holds.

Two analyzers share one tokenizer: ``STEMMED`` (porter stems, so ``cooperate`` finds
``cooperation``) for ranking, phrases and match offsets, and ``EXACT`` (no stemming) whose
lexicon wildcard and fuzzy queries expand against.  Both fold case and diacritics, so
``Phuoc`` finds ``Phước``; CJK text is indexed one character per token, so a Chinese query
becomes a phrase of characters and matches without a word segmenter.

Bump ``search.index.generations.SCHEMA_VERSION`` whenever anything here changes what is
written: an index built with another version is rebuilt automatically.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh import columns, fields, formats
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter

from search.fold import FOLD_TABLE

__all__ = [
    "EXACT",
    "STEMMED",
    "TEXT_FIELDS",
    "PreAnalyzed",
    "PreAnalyzedText",
    "make_schema",
]


_CJK = (
    r"\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)
# A CJK character alone, or a run of other word characters (dots inside: "U.S", "3.5").
# re.UNICODE is the default for text, but naming it makes this the cache entry that
# unpickling an index's schema looks up (the pickle records the flag), instead of a second
# compilation of a pattern that takes 9 ms to compile.
TOKEN_PATTERN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:\.[^\W{_CJK}]+)*", re.UNICODE)

# The one diacritic fold (search.fold), the extractor's too: official:"Le Van Phuoc" and the
# words of the text fold alike.
EXACT = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(FOLD_TABLE)
STEMMED = EXACT | StemFilter(cachesize=200_000)

# The fields a plain query word searches, and where its wildcard/fuzzy forms go instead.
TEXT_FIELDS = ("title", "body")
EXACT_FIELD = {"title": "title_exact", "body": "body_exact"}


class PreAnalyzed(tuple):  # type: ignore[type-arg]
    """Postings a worker process already computed: (term bytes, freq, weight, value bytes).

    Analysis and posting encoding are most of Whoosh's per-document cost and are pure
    functions of the text, so the indexer runs them in worker processes and hands the
    writer this instead of the text.
    """

    __slots__ = ()


class PreAnalyzedText(fields.TEXT):
    """A TEXT field that also accepts ``PreAnalyzed`` values; queries parse as usual."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, PreAnalyzed):
            return iter(value)
        return super().index(value, **kwargs)


class ExactWords(PreAnalyzedText):
    """The unstemmed words of a text, for expanding wildcard and fuzzy terms only.

    Those queries score every expansion alike, so the field keeps neither frequencies nor
    lengths: about half the postings work of a plain TEXT field at index time.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(analyzer=EXACT, phrase=False, multitoken_query="phrase", **kwargs)
        self.format = formats.Existence()
        self.scorable = False


# Side-panel counts need, per document, the entity keys it holds.  Reading them from the
# keyword fields' postings costs a term-table probe per key per segment (0.23 s for Reuters'
# 1,866 officials); a column gives them in one sequential read.
FACET_COLUMNS = {"official": "official_keys", "province": "province_keys"}
KEY_SEPARATOR = "\x1f"


def facet_column_value(schema: fields.Schema, fieldname: str, value: str) -> bytes:
    """The column row for a keyword value: exactly the terms the field indexes."""
    terms = schema[fieldname].process_text(value, mode="index")
    return KEY_SEPARATOR.join(terms).encode("utf-8")


def make_schema() -> fields.Schema:
    """The index schema.  The body is not stored: the reader and snippets read the file."""
    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=PreAnalyzedText(
            stored=True, analyzer=STEMMED, field_boost=2.0, multitoken_query="phrase"
        ),
        title_exact=ExactWords(),
        body=PreAnalyzedText(analyzer=STEMMED, phrase=True, chars=True, multitoken_query="phrase"),
        body_exact=ExactWords(),
        date=fields.DATETIME(stored=True, sortable=True),
        date_inferred=fields.BOOLEAN(stored=True),
        official=fields.KEYWORD(commas=True, lowercase=True, scorable=True),
        province=fields.KEYWORD(commas=True, lowercase=True, scorable=True),
        # The same keys again, one row per document (see FACET_COLUMNS).
        official_keys=fields.COLUMN(columns.VarBytesColumn()),
        province_keys=fields.COLUMN(columns.VarBytesColumn()),
        size=fields.STORED(),
        mtime_ns=fields.STORED(),
        sha1=fields.STORED(),
        entities=fields.STORED(),  # the extractor's findings (search.stored): panel and reader
    )
