"""Where a query matched inside a document, as character offsets into its text.

Offsets come from the index: the body field stores each term's character span, so a
document's matches are a few postings look-ups instead of re-tokenizing its text (which
costs seconds on a 5 MB file).  Phrases become one span from the first word to the last.
Wildcard and fuzzy terms are expanded against the unstemmed lexicon, looked up by their
stems, and, when the text is at hand, kept only where the word itself matches.

When the file changed after it was indexed the stored offsets are stale, so
``spans_in_text`` re-analyzes the text with the same analyzer instead.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.reading import IndexReader, TermNotFound

from search.query import BoundedExpansion, Highlight
from search.schema import EXACT, STEMMED

__all__ = ["Span", "merge_spans", "spans_from_index", "spans_in_text"]

Span = tuple[int, int]
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
    q = highlight.query
    assert q is not None
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
    texts: dict[int, str] | None = None,
) -> dict[int, list[Span]]:
    """Match spans for each document, sorted and without overlaps."""
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
            for stem in stems:
                for docnum, spans in positions(stem).items():
                    text = (texts or {}).get(docnum)
                    result[docnum].update(
                        (s, e) for _p, s, e in spans if text is None or _word(text, s, e) in words
                    )
    return {d: merge_spans(spans) for d, spans in result.items()}


def _word(text: str, start: int, end: int) -> str:
    tokens = [t.text for t in EXACT(text[start:end])]
    return tokens[0] if tokens else ""


def _phrase_spans(words: list[list[tuple[int, int, int]]]) -> list[Span]:
    if not words or any(not w for w in words):
        return []
    by_position = [{p: (s, e) for p, s, e in w} for w in words]
    spans = []
    for pos, (start, _end) in by_position[0].items():
        if all(pos + i in by_position[i] for i in range(1, len(words))):
            spans.append((start, by_position[-1][pos + len(words) - 1][1]))
    return spans


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans, overlapping ones joined (a phrase and a term inside it are one match)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def spans_in_text(text: str, highlights: Iterable[Highlight], reader: IndexReader) -> list[Span]:
    """The same spans computed from the text itself (for files changed since indexing)."""
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
            words, stems = _expanded(reader, highlight)
            own_words, own_stems = _expanded(_words_of(text), highlight)
            words, stems = words | own_words, stems | own_stems
            for stem in stems:
                spans.update(
                    (s, e) for _p, s, e in by_stem.get(stem, []) if _word(text, s, e) in words
                )
    return merge_spans(spans)


def _words_of(text: str) -> IndexReader:
    """A one-document index of the text's unstemmed words, so that wildcard and fuzzy terms
    also expand to words the file gained after it was indexed (the lexicon lacks them)."""
    ix = RamStorage().create_index(Schema(body_exact=TEXT(analyzer=EXACT, phrase=False)))
    writer = ix.writer()
    writer.add_document(body_exact=text)
    writer.commit()
    return ix.reader()


def _tokens(text: str):  # noqa: ANN202 - whoosh Token generator
    return STEMMED(text, positions=True, chars=True, mode="index")
