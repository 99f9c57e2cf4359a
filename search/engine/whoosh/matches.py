"""Where a query matched inside a document, as character offsets into its text.

Offsets come from the index: the body field stores each term's character span, so a
document's matches are a few postings look-ups instead of re-tokenizing its text (which
costs seconds on a 5 MB file).  Phrases become one span from the first word to the last.
Wildcard and fuzzy terms are expanded against the unstemmed lexicon, looked up by their
stems, and kept only where the word itself matches (``cooperat*`` shares the stem of
``Cooper``), so a wildcard's spans always need the document's text.

A title is short: its matches are found by analyzing it (``spans_in_title``).

When the file changed after it was indexed the stored offsets are stale, so
``spans_in_text`` re-analyzes the text with the same analyzer instead.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence

from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.reading import IndexReader, TermNotFound

from search.engine.whoosh.convert import whoosh_query
from search.engine.whoosh.expansion import BoundedExpansion
from search.engine.whoosh.schema import EXACT, STEMMED
from search.query.tree import Highlight, needs_text
from search.spans import Span, merge_spans

__all__ = [
    "spans_from_index",
    "spans_in_text",
    "spans_in_title",
    "spans_in_titles",
]

_Positions = dict[int, list[tuple[int, int, int]]]  # docnum -> [(position, start, end)]


def _stem(word: str) -> str | None:
    tokens = [t.text for t in STEMMED(word)]
    return tokens[0] if len(tokens) == 1 else None


_Segments = list[tuple[IndexReader, int, list[int]]]


def _by_segment(reader: IndexReader, docnums: Sequence[int]) -> _Segments:
    """(segment reader, its first docnum, the docnums in it, local and ascending) for
    each segment holding some of ``docnums`` (ascending)."""
    out = []
    for leaf, offset in reader.leaf_readers():
        end = offset + leaf.doc_count_all()
        wanted = [d - offset for d in docnums if offset <= d < end]
        if wanted:
            out.append((leaf, offset, wanted))
    return out


def _postings(segments: _Segments, term: str) -> _Positions:
    """Character spans of ``term`` in each wanted document, one pass per segment.

    Segment by segment rather than through the reader's merged matcher, which opens
    every segment's postings for each term; and the pass jumps, in the postings or in the
    wanted documents, whichever is behind.  A wildcard word stands for hundreds of stems:
    the 614 stems of ``ma*`` for the app's 2,000 listed hits took 4 s one document at a
    time.
    """
    found: _Positions = {}
    for leaf, offset, wanted in segments:
        try:  # one look-up, not a membership test and then another
            matcher = leaf.postings("body", term)
        except TermNotFound:
            continue
        i = 0
        while matcher.is_active():
            docnum = matcher.id()
            i = bisect.bisect_left(wanted, docnum, i)
            if i == len(wanted):
                break
            if wanted[i] == docnum:
                found[docnum + offset] = matcher.value_as("characters")
                i += 1
                if i == len(wanted):
                    break
            matcher.skip_to(wanted[i])
    return found


def _expanded(reader: IndexReader, highlight: Highlight) -> tuple[set[str], set[str]]:
    """(exact words, their stems) a wildcard or fuzzy highlight stands for."""
    assert highlight.node is not None
    q = whoosh_query(highlight.node)
    if isinstance(q, BoundedExpansion):  # words from the lexicon: no need to look each up
        words = set(q.expansion(reader))
    else:
        words = {
            text.decode("utf-8") if isinstance(text, bytes) else text
            for _field, text in q.existing_terms(reader, expand=True)
        }
    stems = {s for s in map(_stem, words) if s}
    return words, stems


def spans_from_index(
    reader: IndexReader,
    highlights: Iterable[Highlight],
    docnums: Sequence[int],
    texts: Mapping[int, str] | None = None,
) -> dict[int, list[Span]]:
    """Match spans in the text of each document, sorted and without overlaps.

    ``texts`` (by docnum) is required when ``needs_text(highlights)``."""
    highlights = [h for h in highlights if h.field == "body"]
    if needs_text(highlights) and not set(docnums) <= (texts or {}).keys():
        raise ValueError("a wildcard or fuzzy word's spans need the documents' texts")
    docnums = sorted(docnums)
    result: dict[int, set[Span]] = {d: set() for d in docnums}
    cache: dict[str, _Positions] = {}
    segments = _by_segment(reader, docnums)

    def positions(term: str) -> _Positions:
        if term not in cache:
            cache[term] = _postings(segments, term)
        return cache[term]

    for highlight in highlights:
        if highlight.kind == "term":
            for docnum, spans in positions(highlight.words[0]).items():
                result[docnum].update((s, e) for _p, s, e in spans)
        elif highlight.kind == "phrase":
            per_word = [positions(w) for w in highlight.words]
            for docnum in docnums:
                result[docnum].update(_phrase_spans([pw.get(docnum, []) for pw in per_word]))
        elif highlight.kind == "expand":
            words, stems = _expanded(reader, highlight)
            is_word = _word_test(words)
            for stem in stems:
                for docnum, spans in positions(stem).items():
                    text = texts[docnum]  # type: ignore[index]
                    result[docnum].update((s, e) for _p, s, e in spans if is_word(text[s:e]))
    return {d: merge_spans(spans) for d, spans in result.items()}


def _word(written: str) -> str:
    """A word as the unstemmed field holds it (folded), from its form in the text."""
    tokens = [t.text for t in EXACT(written)]
    return tokens[0] if tokens else ""


def _word_test(words: set[str]) -> Callable[[str], bool]:
    """Whether a word as written in a text is one of ``words``: the one rule by which a
    wildcard or fuzzy word's stems are narrowed to its words, for lists and reader alike.
    Remembered per written form: a wildcard may stand for thousands of occurrences."""
    seen: dict[str, bool] = {}

    def test(written: str) -> bool:
        found = seen.get(written)
        if found is None:
            found = seen[written] = _word(written) in words
        return found

    return test


def _phrase_spans(words: list[list[tuple[int, int, int]]]) -> list[Span]:
    if not words or any(not w for w in words):
        return []
    by_position = [{p: (s, e) for p, s, e in w} for w in words]
    spans = []
    for pos, (start, _end) in by_position[0].items():
        if all(pos + i in by_position[i] for i in range(1, len(words))):
            spans.append((start, by_position[-1][pos + len(words) - 1][1]))
    return spans


_Expansions = dict[Highlight, tuple[set[str], set[str]]]


def spans_in_text(
    text: str,
    highlights: Iterable[Highlight],
    reader: IndexReader,
    field: str = "body",
    own_words: bool = True,
    expansions: _Expansions | None = None,
) -> list[Span]:
    """The spans of ``field``'s highlights computed from the text itself (for files
    changed since indexing, and for titles).  ``own_words``: wildcard and fuzzy words also
    expand to the text's own words, which the index may lack.  ``expansions`` keeps the
    wildcards' words across calls."""
    highlights = [h for h in highlights if h.field == field]
    if not highlights:
        return []
    expansions = {} if expansions is None else expansions
    tokens = [(t.pos, t.startchar, t.endchar, t.text) for t in _tokens(text)]
    by_stem: dict[str, list[tuple[int, int, int]]] = {}
    for pos, start, end, stem in tokens:
        by_stem.setdefault(stem, []).append((pos, start, end))
    spans: set[Span] = set()
    for highlight in highlights:
        if highlight.kind == "term":
            spans.update((s, e) for _p, s, e in by_stem.get(highlight.words[0], []))
        elif highlight.kind == "phrase":
            spans.update(_phrase_spans([by_stem.get(w, []) for w in highlight.words]))
        elif highlight.kind == "expand":
            if highlight not in expansions:
                expansions[highlight] = _expanded(reader, highlight)
            words, stems = expansions[highlight]
            if own_words:
                more, more_stems = _expanded(_words_of(text), highlight)
                words, stems = words | more, stems | more_stems
            is_word = _word_test(words)
            # Whichever is fewer: a title has a few stems, a wildcard may stand for hundreds.
            found = stems & by_stem.keys() if len(stems) < len(by_stem) else by_stem.keys() & stems
            for stem in found:
                spans.update((s, e) for _p, s, e in by_stem[stem] if is_word(text[s:e]))
    return merge_spans(spans)


def spans_in_title(
    title: str, highlights: Iterable[Highlight], reader: IndexReader, own_words: bool = False
) -> list[Span]:
    """Where the query's title words match ``title``."""
    return spans_in_text(title, highlights, reader, field="title", own_words=own_words)


def spans_in_titles(
    reader: IndexReader, highlights: Iterable[Highlight], titles: Mapping[int, str]
) -> dict[int, list[Span]]:
    """``spans_in_title`` for many documents' titles (by docnum): only the titles whose
    postings hold a query word are analyzed, and each wildcard is expanded once."""
    highlights = [h for h in highlights if h.field == "title"]
    if not highlights or not titles:
        return {}
    segments = _by_segment(reader, sorted(titles))
    expansions: _Expansions = {}
    candidates: set[int] = set()
    for highlight in highlights:
        if highlight.kind == "expand":
            words, _stems = expansions[highlight] = _expanded(reader, highlight)
            field, terms = "title_exact", words
        else:  # a phrase's documents hold its first word
            field, terms = "title", highlight.words[:1]
        for term in terms:
            candidates |= _holding(segments, field, term)
    return {
        docnum: spans_in_text(
            titles[docnum], highlights, reader, "title", own_words=False, expansions=expansions
        )
        for docnum in sorted(candidates)
    }


def _holding(segments: _Segments, field: str, term: str) -> set[int]:
    """Which of the wanted documents hold ``term`` in ``field``."""
    found: set[int] = set()
    for leaf, offset, wanted in segments:
        try:
            docs = leaf.postings(field, term).all_ids()
        except TermNotFound:
            continue
        found.update(offset + d for d in set(docs).intersection(wanted))
    return found


def _words_of(text: str) -> IndexReader:
    """A one-document index of the text's unstemmed words, so that wildcard and fuzzy terms
    also expand to words the file gained after it was indexed (the lexicon lacks them)."""
    fields = {name: TEXT(analyzer=EXACT, phrase=False) for name in ("body_exact", "title_exact")}
    ix = RamStorage().create_index(Schema(**fields))
    writer = ix.writer()
    writer.add_document(body_exact=text, title_exact=text)
    writer.commit()
    return ix.reader()


def _tokens(text: str):  # noqa: ANN202 - whoosh Token generator
    return STEMMED(text, positions=True, chars=True, mode="index")
