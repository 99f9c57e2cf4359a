"""The query language: Whoosh's syntax, made strict enough that mistakes are reported.

Whoosh's parser never refuses anything: an unclosed quote is dropped, a bad date becomes an
empty query, ``foo:bar`` becomes a phrase.  A user typing into a search box deserves to be
told instead, in one line, so this module checks the text first, parses it (wildcard words
go, unstemmed, to the unstemmed fields: a stem is not a word), then rewrites the tree: fuzzy
terms go to the unstemmed fields too, and entity names are resolved to the keys the index
stores (``province:Guangxi`` finds articles about the Guangxi Zhuang Autonomous Region).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.fields import Schema
from whoosh.reading import IndexReader

from search.errors import QueryError
from search.lexicon import field_words
from search.schema import EXACT, EXACT_FIELD, TEXT_FIELDS

__all__ = ["FIELDS", "Highlight", "ParsedQuery", "parse_query"]

# User-visible fields, in the order the error message lists them.
FIELDS = ("title", "body", "date", "official", "province", "path")
_FIELD_PREFIX = re.compile(r"(?<![\w\"'])([A-Za-z_]\w*):(?=\S)")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_EXPANDING = (query.Prefix, query.Wildcard, query.FuzzyTerm, query.Regex)


@dataclass(frozen=True)
class Highlight:
    """One positive part of a query whose matches the reader must mark.

    kind is "term" (a stemmed body term), "phrase" (stemmed words in a row), "expand"
    (a wildcard or fuzzy query over the unstemmed body, expanded against the lexicon) or
    "entity" (words = (field, key): every mention the extractor found of that entity).
    """

    kind: str
    words: tuple[str, ...] = ()
    query: query.Query | None = None


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: query.Query
    highlights: tuple[Highlight, ...]


class _Parser(qparser.QueryParser):
    """Whoosh's parser, except that a wildcard or prefix word is not stemmed.

    Whoosh runs the word through the field's analyzer, stemmer included, even for a
    wildcard: ``deploy*`` became the prefix ``deploi``, which no unstemmed word starts
    with, and ``deplo?ed`` lost its ``ed``.  Here such a word goes to the unstemmed field
    as typed, only folded (case, accents) as its words are.
    """

    def term_query(  # type: ignore[no-untyped-def]
        self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True
    ):
        # A lone "*" (title:*) stays Whoosh's Every on the field itself.
        if termclass in (query.Prefix, query.Wildcard) and fieldname in EXACT_FIELD and text != "*":
            fieldname = EXACT_FIELD[fieldname]
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def _parser(schema: Schema) -> qparser.QueryParser:
    parser = _Parser(None, schema)
    parser.add_plugin(qparser.MultifieldPlugin(list(TEXT_FIELDS)))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


_PARSERS: dict[int, qparser.QueryParser] = {}


def parse_query(text: str, schema: Schema) -> ParsedQuery:
    """Parse ``text`` or raise QueryError with a one-line reason."""
    # The index holds NFC text; a query pasted in decomposed form must match it too.
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise QueryError("the query is empty; type words to search for")
    _check_syntax(text)
    whoosh_text = _outside_quotes(text, lambda part: _prepare(part, schema))
    if text == "*":  # browsing every file: the app's first search, so skip building a parser
        parsed: query.Query = query.Every()
    else:
        parser = _PARSERS.get(id(schema)) or _PARSERS.setdefault(id(schema), _parser(schema))
        try:
            parsed = parser.parse(whoosh_text)
        except Exception as exc:  # noqa: BLE001 - Whoosh raises many kinds; one line for users
            raise QueryError(f"cannot parse the query: {exc}") from None
    _check_tree(parsed, whoosh_text)
    rewritten = _rewrite(parsed, whoosh_text)
    return ParsedQuery(text, rewritten, tuple(_highlights(rewritten)))


def _check_syntax(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError('unclosed quote: every " needs a partner')
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            raise QueryError("a ')' closes a bracket that was never opened")
    if depth:
        raise QueryError("a '(' is never closed")
    if text.count("[") != text.count("]"):
        raise QueryError("a range needs both brackets, as in date:[2024-01-01 to 2024-06-30]")
    for match in _FIELD_PREFIX.finditer(_without_quoted(text)):
        name = match.group(1)
        if name.lower() not in FIELDS:
            raise QueryError(f"unknown field {name!r}; fields are {', '.join(FIELDS)}")
    for match in _EMPTY_FIELD.finditer(_without_quoted(text)):
        name = match.group(1).lower()
        if name in FIELDS:
            if name == "date":
                raise QueryError(_DATE_HELP)
            raise QueryError(f"{name}: needs a value right after the colon, as in {name}:guangxi")
    words = _without_quoted(text).split()
    if words and words[-1] in _OPERATORS:
        raise QueryError(f"{words[-1]} at the end of the query needs a term after it")
    if words and words[0] in _OPERATORS - {"NOT"}:
        raise QueryError(f"{words[0]} at the start of the query needs a term before it")
    for first, second in zip(words, words[1:], strict=False):
        if first in _OPERATORS and second in _OPERATORS - {"NOT"}:
            raise QueryError(f"{first} {second}: each operator needs a term on both sides")


_EMPTY_FIELD = re.compile(r"(?<![\w\"'])([A-Za-z_]\w*):(?=\s|\)|$)")
_DATE_COMPARE = re.compile(r"(?<![\w\"'])date:(>=|<=|>|<)([^\s()]*)")
# "-word" excludes, as in Recoll and web search; Whoosh would search for the word.
_MINUS = re.compile(r"(^|[\s(])-(?=[\w\"(])")


def _outside_quotes(text: str, change: Callable[[str], str]) -> str:
    parts = re.split(r'("[^"]*")', text)
    return "".join(part if i % 2 else change(part) for i, part in enumerate(parts))


def _prepare(part: str, schema: Schema) -> str:
    """Unquoted query text as Whoosh must see it: field names in lower case, -word as NOT
    word, and date comparisons as ranges of whole days (Whoosh ignores the exclusiveness
    of > and <, so date:>2024-06-01 took in June 1 and date:>2024 all of 2024)."""

    def field(match: re.Match[str]) -> str:
        name = match.group(1)
        return name.lower() + ":" if name.lower() in FIELDS else match.group(0)

    part = _FIELD_PREFIX.sub(field, part)
    part = _MINUS.sub(r"\1NOT ", part)
    return _DATE_COMPARE.sub(lambda m: _date_range(m.group(1), m.group(2), schema), part)


def _date_range(operator: str, value: str, schema: Schema) -> str:
    try:
        when = schema["date"]._parse_datestring(value)  # what date:VALUE would cover
        first, last = when.floor().date(), when.ceil().date()
        day = datetime.timedelta(days=1)
        start, end = {
            ">": (last + day, None),
            ">=": (first, None),
            "<": (None, first - day),
            "<=": (None, last),
        }[operator]
    except Exception:  # noqa: BLE001 - a bad or out-of-range date, however Whoosh says it
        raise QueryError(_DATE_HELP) from None
    return f"date:[{start.isoformat()} to]" if start else f"date:[to {end.isoformat()}]"


def _without_quoted(text: str) -> str:
    return re.sub(r'"[^"]*"', '""', text)


def _check_tree(q: query.Query, text: str) -> None:
    if q is query.NullQuery or isinstance(q, query.qcore._NullQuery):
        if "date:" in text:
            raise QueryError(_DATE_HELP)
        raise QueryError("the query has no searchable words")
    for sub in q.children():
        if isinstance(sub, query.qcore._NullQuery):
            if "date:" in text:
                raise QueryError(_DATE_HELP)
            raise QueryError("part of the query has no searchable words")
        _check_tree(sub, text)


_DATE_HELP = (
    "cannot read the date: use date:2024, date:2024-05, date:2024-05-08, "
    "date:[2024-01-01 to 2024-06-30] or date:>2024-01-01"
)


class FastFuzzyTerm(query.FuzzyTerm):
    """A fuzzy term expanded by rapidfuzz's C Levenshtein over the field's lexicon.

    Whoosh walks the lexicon through a Python automaton: 4 s for ``tonnes~`` over the
    40,000 words of Reuters.  The words each segment holds are read once per segment
    reader (``search.lexicon``).
    """

    def _btexts(self, ixreader: IndexReader) -> list[bytes]:
        from rapidfuzz import process as rf_process
        from rapidfuzz.distance import Levenshtein

        words = field_words(ixreader, self.fieldname)
        prefix = self.text[: self.prefixlength]
        found = rf_process.extract(
            self.text,
            words,
            scorer=Levenshtein.distance,
            score_cutoff=self.maxdist,
            limit=None,
        )
        return [w.encode("utf-8") for w, _dist, _i in found if w.startswith(prefix)]


def _rewrite(q: query.Query, source: str) -> query.Query:
    """Send wildcard and fuzzy terms to the unstemmed fields; resolve entity names."""
    if isinstance(q, query.FuzzyTerm) and q.fieldname in EXACT_FIELD:
        # The parser stemmed the word ("tonnes" -> "tonn"); fuzzy matching wants it as typed.
        typed = source[q.startchar : q.endchar] if hasattr(q, "startchar") else q.text
        words = [t.text for t in EXACT(typed.split("~")[0])]
        return FastFuzzyTerm(
            EXACT_FIELD[q.fieldname],
            words[0] if len(words) == 1 else q.text,
            q.boost,
            q.maxdist,
            q.prefixlength,
            q.constantscore,
        )
    if isinstance(q, query.Regex) and q.fieldname in EXACT_FIELD:  # the parser moved the rest
        q = q.copy()
        q.fieldname = EXACT_FIELD[q.fieldname]
        return q
    if isinstance(q, query.Term) and q.fieldname == "province":
        from search.extract import resolve_province  # the gazetteer: only for such queries

        key = resolve_province(q.text) or q.text.replace(" ", "_")
        return query.Term("province", key, boost=q.boost)
    if isinstance(q, query.Term) and q.fieldname == "official":
        from search.extract import fold

        return query.Term("official", fold(q.text), boost=q.boost)
    if isinstance(q, (query.Phrase,)) and q.fieldname in ("official", "province"):
        return _rewrite(query.Term(q.fieldname, " ".join(q.words), boost=q.boost), source)
    return q.apply(lambda sub: _rewrite(sub, source))


def _highlights(q: query.Query, negated: bool = False) -> list[Highlight]:
    """The positive body parts of the tree; NOT branches mark nothing."""
    if isinstance(q, query.Not):
        return []
    if isinstance(q, query.AndNot):
        return _highlights(q.a, negated)
    if isinstance(q, query.Term) and q.fieldname == "body":
        return [Highlight("term", (q.text,))]
    if isinstance(q, query.Phrase) and q.fieldname == "body":
        return [Highlight("phrase", tuple(q.words))]
    if isinstance(q, _EXPANDING) and q.fieldname == "body_exact":
        return [Highlight("expand", query=q)]
    if isinstance(q, query.Term) and q.fieldname in ("official", "province"):
        return [Highlight("entity", (q.fieldname, q.text))]
    found: list[Highlight] = []
    for sub in q.children():
        found.extend(h for h in _highlights(sub, negated) if h not in found)
    return found
