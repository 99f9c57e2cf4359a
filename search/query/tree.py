"""The product's own query tree: what a query means, with no engine's objects in it.

The parser (``search.query``) turns the text a user typed into this tree; an engine
(``search.engine``) answers it.  Two engines given the same tree must find the same
documents, so every word in the tree is already analysed the way the index analyses text:

- **folding**: lower case (``str.lower``), then ``str.translate(search.fold.FOLD_TABLE)``,
  the one diacritic fold (đ/Đ -> d, one character for one): ``Phước`` -> ``phuoc``.  NFC
  first: the index holds NFC text and the parser normalises the query to NFC.
- **tokens**: ``search.engine.whoosh.schema.TOKEN_PATTERN``: a CJK character alone, or a
  run of other word characters with inner dots (``u.s``, ``3.5``), found before folding.
- **stemming**: the Porter stemmer Whoosh's ``StemFilter`` applies (``cooperation`` ->
  ``cooper``), applied after folding.

Fields and their words:

- ``"title"`` and ``"body"``: a ``Term`` or ``Phrase`` holds **stemmed** folded tokens; a
  ``Prefix``, ``Wildcard``, ``Fuzzy`` or ``WordRange`` in these fields is over the
  **unstemmed** folded tokens (a stem is not a word: ``deploy*`` must find ``deployed``),
  unless its ``stemmed`` is True (the parser gives ``title:[a to c]`` over the stems,
  with stemmed ends, as Whoosh does).
- ``"path"``: the file's path relative to the corpus, ``/``-separated, exactly as stored
  (no folding, no tokens): ``Term`` is the whole path, ``Prefix``/``Wildcard`` match it.
- ``"official"`` and ``"province"``: entity keys as the index stores them (``Entity``,
  or ``Prefix``/``Wildcard``/``Fuzzy``/``WordRange`` over the keys).
- dates: ``DateRange`` over each document's date (undated documents never match a date).

``boost`` values are Whoosh's; an engine may use them for ranking, never for matching.
Everything here is immutable and hashable, so trees can be cached and compared.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Union

__all__ = [
    "ENTITY_FIELDS",
    "MAX_EXPANSION",
    "TEXT_FIELDS",
    "WORD_FIELDS",
    "And",
    "AndMaybe",
    "AndNot",
    "DateRange",
    "Entity",
    "Every",
    "Fuzzy",
    "Highlight",
    "Node",
    "Not",
    "Or",
    "ParsedQuery",
    "Phrase",
    "Prefix",
    "Term",
    "Wildcard",
    "WordRange",
    "EXPANDING",
    "children",
    "expanding",
    "leaves",
    "needs_text",
    "replace_children",
    "walk",
]

# Distinct index words the expanding leaves of one query may stand for together (``c*`` is
# 4,109 on Reuters); past that an engine refuses the query (``Snapshot.check``), naming it.
MAX_EXPANSION = 1_000

# Fields of words: stemmed for Term/Phrase, unstemmed for the expanding leaves.
TEXT_FIELDS = ("title", "body")
ENTITY_FIELDS = ("official", "province")
# Fields whose values a Prefix, Wildcard, Fuzzy or WordRange may expand over.
WORD_FIELDS = (*TEXT_FIELDS, "path", *ENTITY_FIELDS)


@dataclass(frozen=True)
class Term:
    """Documents holding ``word`` in ``field``: a stemmed folded token for title/body, the
    whole path for ``path``."""

    field: str
    word: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Stemmed folded tokens of title/body in a row: token positions p, p+1, ... (``slop``
    1 is adjacent; a larger slop allows that many positions between neighbours)."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Any word of ``field`` starting with ``prefix`` (unstemmed, folded for title/body)."""

    field: str
    prefix: str
    boost: float = 1.0
    stemmed: bool = False


@dataclass(frozen=True)
class Wildcard:
    """Words of ``field`` matching ``pattern``, where ``*`` is any run of characters and
    ``?`` one character (``fnmatch`` without brackets); unstemmed, folded for title/body."""

    field: str
    pattern: str
    boost: float = 1.0
    stemmed: bool = False


@dataclass(frozen=True)
class Fuzzy:
    """Words of ``field`` within ``distance`` Levenshtein edits of ``word`` (unstemmed,
    folded for title/body), sharing its first ``prefix_length`` characters."""

    field: str
    word: str
    distance: int = 1
    prefix_length: int = 1
    boost: float = 1.0
    stemmed: bool = False


@dataclass(frozen=True)
class WordRange:
    """Words of ``field`` between ``start`` and ``end`` in code point order (None: open),
    unstemmed and folded for title/body."""

    field: str
    start: str | None
    end: str | None
    start_excl: bool = False
    end_excl: bool = False
    boost: float = 1.0
    stemmed: bool = False


@dataclass(frozen=True)
class DateRange:
    """Documents dated from ``start`` to ``end`` (None: open), both inclusive as given
    (``date:2024`` is 2024-01-01 00:00 to 2024-12-31 23:59:59.999999).  Each document
    has one date (a day, at midnight) or none."""

    start: datetime.datetime | None
    end: datetime.datetime | None
    start_excl: bool = False
    end_excl: bool = False
    boost: float = 1.0


@dataclass(frozen=True)
class Entity:
    """Documents the extractor found to mention entity ``key`` of ``field`` ("official" or
    "province"); the key as the index stores it (``search.extract`` resolved it)."""

    field: str
    key: str
    boost: float = 1.0


@dataclass(frozen=True)
class Every:
    """Every document (``field`` None), or every document with any value in ``field``."""

    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Not:
    """Every document that ``child`` does not match (inside an And: those it excludes)."""

    child: Node
    boost: float = 1.0


@dataclass(frozen=True)
class AndNot:
    """``positive`` minus ``negative`` (Whoosh's ``a ANDNOT b``)."""

    positive: Node
    negative: Node
    boost: float = 1.0


@dataclass(frozen=True)
class AndMaybe:
    """The documents of ``required``; ``optional`` only adds to their rank."""

    required: Node
    optional: Node
    boost: float = 1.0


Node = Union[  # noqa: UP007 - a runtime alias, and the project supports Python 3.10
    Term,
    Phrase,
    Prefix,
    Wildcard,
    Fuzzy,
    WordRange,
    DateRange,
    Entity,
    Every,
    And,
    Or,
    Not,
    AndNot,
    AndMaybe,
]
EXPANDING = (Prefix, Wildcard, Fuzzy, WordRange)


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (And, Or)):
        return node.children
    if isinstance(node, Not):
        return (node.child,)
    if isinstance(node, AndNot):
        return (node.positive, node.negative)
    if isinstance(node, AndMaybe):
        return (node.required, node.optional)
    return ()


def replace_children(node: Node, change: Callable[[Node], Node]) -> Node:
    """``node`` with ``change`` applied to each of its children (a leaf: ``node`` itself)."""
    if isinstance(node, (And, Or)):
        return replace(node, children=tuple(map(change, node.children)))
    if isinstance(node, Not):
        return replace(node, child=change(node.child))
    if isinstance(node, AndNot):
        return replace(node, positive=change(node.positive), negative=change(node.negative))
    if isinstance(node, AndMaybe):
        return replace(node, required=change(node.required), optional=change(node.optional))
    return node


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children (a loop: the depth is the user's)."""
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children(current)))
    return out


def leaves(node: Node) -> list[Node]:
    return [n for n in walk(node) if not children(n)]


def expanding(node: Node) -> list[Node]:
    """The leaves that stand for many words of the index (bounded by the parser's limits)."""
    return [n for n in walk(node) if isinstance(n, EXPANDING)]


@dataclass(frozen=True)
class Highlight:
    """One positive part of a query whose matches the reader marks.

    kind is "term" (``words`` = one stemmed token), "phrase" (stemmed tokens in a row),
    "expand" (``node``: a Prefix/Wildcard/Fuzzy/WordRange over the unstemmed words, marked
    where the word itself matches) or "entity" (``words`` = (field, key): every mention the
    extractor found of that entity).  ``field`` is where it is marked: "body" or "title".
    """

    kind: str
    words: tuple[str, ...] = ()
    node: Node | None = None
    field: str = "body"


def needs_text(highlights: Iterable[Highlight]) -> bool:
    """Whether the body spans of ``highlights`` need each document's text besides the
    index: an "expand" highlight is marked only where the written word itself matches."""
    return any(h.kind == "expand" and h.field == "body" for h in highlights)


@dataclass(frozen=True)
class ParsedQuery:
    """A query as typed (NFC, stripped), its tree, and the parts of it the reader marks."""

    text: str
    query: Node
    highlights: tuple[Highlight, ...]
