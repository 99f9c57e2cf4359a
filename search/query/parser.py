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

from whoosh import qparser, query
from whoosh.fields import Schema
from whoosh.util.times import long_to_datetime

from search.engine.whoosh.schema import EXACT, EXACT_FIELD, STEMMED, TEXT_FIELDS, make_schema
from search.errors import QueryError
from search.query import tree
from search.query.tree import Highlight, ParsedQuery

__all__ = ["FIELDS", "analyse", "parse_query"]

# What one query may cost; each limit is refused with a message that names it.  Chosen by
# measurement on Reuters-21578 (docs/faults.md, "What a query may cost"): within them no
# query takes more than a few seconds or a few hundred MB there.
MAX_CHARS = 1_000  # Whoosh's tagger is quadratic in a word's length: 4,000 a's parse in 1 s
MAX_TERMS = 64  # words and phrase words, each counted once however many fields it searches
MAX_NESTING = 10  # brackets inside brackets
MAX_FUZZY_DISTANCE = 2  # word~2; a larger distance matches most short words of the index
MAX_EXPANDING = 8  # wildcard, fuzzy and range words: each may read the field's every word

# User-visible fields, in the order the error message lists them.
FIELDS = ("title", "body", "date", "official", "province", "path")
_FIELD_PREFIX = re.compile(r"(?<![\w\"'])([A-Za-z_]\w*):(?=\S)")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
# Fields every document has words in: a wildcard that matches any word of one of them
# (title:**, ?*) is every document, without walking the field's lexicon.
_EVERY_DOCUMENT_FIELDS = {"title", "body", "path", *EXACT_FIELD.values()}
# Fields whose terms are words (UTF-8), so search.engine.whoosh.lexicon can read them; not the date.
_WORD_FIELDS = _EVERY_DOCUMENT_FIELDS | {"official", "province"}


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


class _GtLtPlugin(qparser.GtLtPlugin):
    """Whoosh's ``field:<value``, except that a ``<`` or ``>`` opening the query or a
    bracket is passed over, as one between two words already is (``x <y`` is ``x y``).

    Whoosh looks at the node before the sign without checking that there is one, so
    ``<*S`` failed with "list index out of range".
    """

    def do_gtlt(self, parser, group):  # type: ignore[no-untyped-def]
        lead = 0
        while lead < len(group) and isinstance(group[lead], self.GtLtNode):
            lead += 1
        # Brackets are looked into here: whoosh3 does it itself, Whoosh 2.7.4 does not, and
        # a sign left inside one failed the query there ("(<x)": "GtLtNode").
        inner = group.empty_copy()
        for node in group.nodes[lead:]:
            inner.append(
                self.do_gtlt(parser, node) if isinstance(node, qparser.syntax.GroupNode) else node
            )
        return super().do_gtlt(parser, inner)


def _parser(schema: Schema) -> qparser.QueryParser:
    parser = _Parser(None, schema)
    parser.add_plugin(qparser.MultifieldPlugin(list(TEXT_FIELDS)))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(_GtLtPlugin())
    return parser


_PARSERS: dict[int, qparser.QueryParser] = {}


_SCHEMA: list[Schema] = []


def _schema() -> Schema:
    """The index's schema: its fields' analyzers and date parser are the language's."""
    if not _SCHEMA:
        _SCHEMA.append(make_schema())
    return _SCHEMA[0]


def analyse(text: str) -> tuple[str, ...]:
    """``text`` as the stemmed title and body words hold it (folded, tokenised, stemmed)."""
    return tuple(t.text for t in STEMMED(unicodedata.normalize("NFC", text)))


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text`` or raise QueryError with a one-line reason."""
    schema = _schema()
    # The index holds NFC text; a query pasted in decomposed form must match it too.
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise QueryError("the query is empty; type words to search for")
    if len(text) > MAX_CHARS:
        raise QueryError(
            f"query too long: {len(text):,} characters, the limit is {MAX_CHARS:,}; "
            "keep the words that matter most, or split it into several searches"
        )
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
    _check_terms(parsed)
    ours = _to_tree(_rewrite(parsed, whoosh_text))
    return ParsedQuery(text, ours, tuple(_highlights(ours)))


def _check_syntax(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError('unclosed quote: every " needs a partner')
    depth = deepest = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        deepest = max(deepest, depth)
        if depth < 0:
            raise QueryError("a ')' closes a bracket that was never opened")
    if depth:
        raise QueryError("a '(' is never closed")
    if deepest > MAX_NESTING:
        raise QueryError(
            f"brackets nested too deep: {deepest:,} levels, the limit is {MAX_NESTING}; "
            "a AND (b AND c) is simply a b c, and (a OR b) (c OR d) needs only one level"
        )
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
    for match in _FUZZY.finditer(_without_quoted(text)):
        word, distance = match.groups()
        if int(distance) > MAX_FUZZY_DISTANCE:
            raise QueryError(
                f"fuzzy distance too large: {word}~{distance} allows {int(distance):,} edits, "
                f"the limit is {MAX_FUZZY_DISTANCE}; use {word}~ (one edit) or {word}~2"
            )
    words = _without_quoted(text).split()
    if words and words[-1] in _OPERATORS:
        raise QueryError(f"{words[-1]} at the end of the query needs a term after it")
    if words and words[0] in _OPERATORS - {"NOT"}:
        raise QueryError(f"{words[0]} at the start of the query needs a term before it")
    for first, second in zip(words, words[1:], strict=False):
        if first in _OPERATORS and second in _OPERATORS - {"NOT"}:
            raise QueryError(f"{first} {second}: each operator needs a term on both sides")


# word~N (a quoted phrase's "..."~N is proximity, not fuzziness, and never matches here).
_FUZZY = re.compile(r"([^\s\"()~]+)~(\d+)")
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


def _check_terms(q: query.Query) -> None:
    """Refuse more than MAX_TERMS words, or more than MAX_EXPANDING wildcard, fuzzy or
    range words.  A word searched in titles and text is one word (the parts share the
    typed word's place in the text); a phrase counts its words."""
    sizes: dict[object, int] = {}
    expanding: set[object] = set()
    stack = [q]
    while stack:  # a loop, not recursion: the tree is as yet unbounded
        node = stack.pop()
        children = list(node.children())
        if children:
            stack.extend(children)
            continue
        phrase = isinstance(node, query.Phrase)
        start = getattr(node, "startchar", None)
        if start is not None:
            place: object = (start, node.endchar)
        else:  # Whoosh gives phrases and ranges no place: know them by what they hold
            held = [getattr(node, name, None) for name in ("words", "start", "end", "text")]
            place = (type(node), repr(held))
        sizes[place] = len(node.words) if phrase else 1
        if isinstance(node, (query.MultiTerm, query.Every)) and not _any_word(node):
            expanding.add(place)
    count = sum(sizes.values())
    if count > MAX_TERMS:
        raise QueryError(
            f"too many words: {count:,}, the limit is {MAX_TERMS}; keep the words that "
            "matter most, or split the query into several searches"
        )
    if len(expanding) > MAX_EXPANDING:
        raise QueryError(
            f"too many wildcard, fuzzy or range words: {len(expanding)}, the limit is "
            f"{MAX_EXPANDING}; each one reads the index's word list, so keep those that "
            "matter most"
        )


_DATE_HELP = (
    "cannot read the date: use date:2024, date:2024-05, date:2024-05-08, "
    "date:[2024-01-01 to 2024-06-30] or date:>2024-01-01"
)


def _rewrite(q: query.Query, source: str) -> query.Query:
    """Send fuzzy terms to the unstemmed fields, make a wildcard that matches any word
    every document, and resolve entity names."""
    if _any_word(q):
        return query.Every()
    if isinstance(q, query.FuzzyTerm) and q.fieldname in _WORD_FIELDS:
        fieldname, text = q.fieldname, q.text
        if fieldname in EXACT_FIELD:
            # The parser stemmed the word ("tonnes" -> "tonn"); fuzzy matching wants it as typed.
            typed = source[q.startchar : q.endchar] if hasattr(q, "startchar") else q.text
            words = [t.text for t in EXACT(typed.split("~")[0])]
            fieldname, text = EXACT_FIELD[fieldname], words[0] if len(words) == 1 else q.text
        return query.FuzzyTerm(fieldname, text, q.boost, q.maxdist, q.prefixlength)
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
    rewritten = q.apply(lambda sub: _rewrite(sub, source))
    if isinstance(rewritten, query.Or) and all(_is_every(sub) for sub in rewritten.subqueries):
        return query.Every()  # title:** OR body:**, as an unfielded ** parses
    return rewritten


def _any_word(q: query.Query) -> bool:
    """Whether ``q`` matches any word of a field every document has words in: ``title:*``,
    ``**``, ``?*``, ``*?*`` (a word of one letter or more), a prefix of nothing."""
    if getattr(q, "fieldname", None) not in _EVERY_DOCUMENT_FIELDS:
        return False
    if type(q) is query.Every:
        return True
    if type(q) is query.Prefix:
        return not q.text
    if type(q) is query.Wildcard:
        text = q.text
        return "*" in text and text.count("?") <= 1 and not text.strip("*?")
    return False


def _is_every(q: query.Query) -> bool:
    return type(q) is query.Every and not q.fieldname


# Whoosh's unstemmed copies of the text fields, as the tree names them.
_TREE_FIELD = {exact: name for name, exact in EXACT_FIELD.items()}


def _to_tree(q: query.Query) -> tree.Node:
    """Whoosh's parse (rewritten) as the product's tree; words stay as Whoosh analysed them."""
    kind, boost = type(q), getattr(q, "boost", 1.0)
    if kind is query.Every:
        return tree.Every(q.fieldname or None, boost)
    if kind is query.Term and q.fieldname in tree.ENTITY_FIELDS:
        return tree.Entity(q.fieldname, q.text, boost)
    if kind is query.Term and q.fieldname != "date":
        return tree.Term(q.fieldname, q.text, boost)
    if kind is query.Phrase:
        return tree.Phrase(q.fieldname, tuple(q.words), q.slop, boost)
    if kind in (query.Prefix, query.Wildcard, query.FuzzyTerm, query.TermRange):
        return _expanding(q, boost)
    if isinstance(q, query.NumericRange) and q.fieldname == "date":
        return tree.DateRange(_when(q.start), _when(q.end), q.startexcl, q.endexcl, boost)
    if kind in (query.And, query.Or) and not getattr(q, "minmatch", 0):
        node = tree.And if kind is query.And else tree.Or
        return node(tuple(_to_tree(sub) for sub in q.subqueries), boost)
    if kind is query.Not:
        return tree.Not(_to_tree(q.query), boost)
    if kind in (query.AndNot, query.AndMaybe):
        node = tree.AndNot if kind is query.AndNot else tree.AndMaybe
        return node(_to_tree(q.a), _to_tree(q.b), boost)
    raise QueryError(f"cannot search for {q}: the language has no such part")


def _expanding(q: query.Query, boost: float) -> tree.Node:
    field = _TREE_FIELD.get(q.fieldname, q.fieldname)
    stemmed = q.fieldname in TEXT_FIELDS  # a range over title or body: the parser stemmed it
    if type(q) is query.Prefix:
        return tree.Prefix(field, q.text, boost, stemmed)
    if type(q) is query.Wildcard:
        return tree.Wildcard(field, q.text, boost, stemmed)
    if type(q) is query.FuzzyTerm:
        return tree.Fuzzy(field, q.text, q.maxdist, q.prefixlength, boost, stemmed)
    return tree.WordRange(field, q.start, q.end, q.startexcl, q.endexcl, boost, stemmed)


def _when(ticks: int | None) -> datetime.datetime | None:
    return None if ticks is None else long_to_datetime(ticks)


def _highlights(q: tree.Node) -> list[Highlight]:
    """The positive body and title parts of the tree; NOT branches mark nothing."""
    if isinstance(q, tree.Not):
        return []
    if isinstance(q, tree.AndNot):
        return _highlights(q.positive)
    field = getattr(q, "field", None)
    if isinstance(q, tree.Term) and field in TEXT_FIELDS:
        return [Highlight("term", (q.word,), field=field)]
    if isinstance(q, tree.Phrase) and field in TEXT_FIELDS:
        return [Highlight("phrase", q.words, field=field)]
    marked = (tree.Prefix, tree.Wildcard, tree.Fuzzy)
    if isinstance(q, marked) and field in TEXT_FIELDS and not q.stemmed:
        return [Highlight("expand", node=q, field=field)]
    if isinstance(q, tree.Entity):
        return [Highlight("entity", (q.field, q.key))]
    found: list[Highlight] = []
    for sub in tree.children(q):
        found.extend(h for h in _highlights(sub) if h not in found)
    return found
