"""A Whoosh segment writer that groups postings by term as they arrive and encodes them in
one loop.

Whoosh's ``SegmentWriter`` puts every posting, one tuple each, into a sorting pool, sorts
them all at commit, and then feeds them one by one to the codec's postings writer, which
looks up the document's field length and updates a block's statistics per posting, then
makes a dozen small calls per term to encode the block and its term info.  On a rebuild
that was most of a worker's time (``python -m bench.build_parts``).  Documents reach a
segment in docnum order, so a dict of term -> postings is already sorted within each term:
this writer keeps that dict instead of the pool, sorts only the terms, reads each field's
lengths once, and writes each field's posting blocks and term table rows in one loop.

The files are Whoosh's (W3 codec), since Whoosh reads them, with two differences: a posting
block is pickled with protocol 4, not 2 (``_BLOCK_PROTOCOL``), and a term with one posting
keeps it in its term info (W3's inline form, see ``_inlined``).  ``tests/test_segment_writer.py``
compares a segment with the one Whoosh's own writer makes from the same documents, on
whoosh3 and on Whoosh 2.7.4 in CI: every file byte for byte but the postings and the term
table that points into them, and those through Whoosh's reader, term by term and block by
block; and Whoosh's writer merging either segment must give the same postings.  Stored
fields, lengths and columns are still written by Whoosh's per-document writer.  Used for
new segments only (rebuilds); merging and deleting stay with Whoosh's writer.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence
from datetime import datetime
from operator import itemgetter, sub
from pickle import dumps
from typing import Any

from whoosh.codec import default_codec
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.fields import KEYWORD, NUMERIC
from whoosh.filedb.filetables import _lengths
from whoosh.formats import Existence
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

__all__ = ["GroupingSegmentWriter", "supports"]

# Blocks whose pickle is shorter than this are stored uncompressed (a flag in each block
# says which; both Whoosh versions read either).  whoosh3 3.x skips zlib below 80 bytes,
# Whoosh 2.7.4 never.  Measured on 3,000 Reuters articles' segment: blocks of 80-255 bytes
# took 4,700 of 10,800 zlib calls and 29% of their time (about 2% of a build) to save 270
# KB of 11 MB; from 256 bytes a call saves 60 bytes or more.
_MIN_COMPRESS = 256
# Whoosh reads a block with ``pickle.loads``, whatever the protocol.  Protocol 2, Whoosh's,
# has no bytes type: each posting's encoded positions and characters become a call to
# ``_codecs.encode`` on a latin-1 string, UTF-8 encoded.  Protocol 4 stores the bytes as
# they are: on 3,000 Reuters articles the postings file is 27% smaller, writing the segment
# takes a third less CPU, and a search unpickles a block in about a fifth of the time.
_BLOCK_PROTOCOL = 4
_CHUNK = 2**20  # bytes of a file buffered before they are written
_TERM_INFO = W3TermInfo._struct  # a term info's statistics, before its postings' extent
_MAX_REMEMBERED = 10_000  # remembered values (dates, entity keys) per segment

# A posting as a field's ``index`` yields it: (term, frequency, weight, encoded value).
_TERM, _FREQ, _WEIGHT = itemgetter(0), itemgetter(1), itemgetter(2)

# Per term, in docnum order: docnum, weight, encoded value, docnum, weight, ... (three
# entries a posting, no tuple), or in a bare field the docnums alone.
_Terms = dict[bytes, list[Any]]


class _TermPool:
    """Stands in for Whoosh's ``PostingPool``: postings grouped by field and term.

    Fields whose format keeps no value and weighs every posting by the field's boost, 1
    (Whoosh's ``Existence``: the exact-word fields, path, date), are *bare*: a term's list
    holds just the docnums, until a document boost or a pre-analysed weight other than 1
    gives it other weights.  That is half of a news article's postings, and a docnum is
    one shared int where a posting tuple costs 88 bytes to make, keep and free.  Other
    fields keep a term's postings flat, three list entries each, for the same reason: the
    pool is most of a worker's memory, so the smaller it is the larger a segment can be.
    """

    def __init__(self) -> None:
        self.fields: dict[str, _Terms] = {}
        self.bare: set[str] = set()

    def add_field(self, fieldname: str, field: Any) -> _Terms:
        fmt = field.format
        if type(fmt) is Existence and fmt.field_boost == 1.0 and fmt.fixed_value_size() == 0:
            self.bare.add(fieldname)
        terms = self.fields[fieldname] = {}
        return terms

    def clothe(self, fieldname: str) -> None:
        """Give a bare field full postings, once a document weighs it other than 1."""
        self.bare.discard(fieldname)
        terms = self.fields[fieldname]
        for tbytes, docnums in terms.items():
            terms[tbytes] = [part for docnum in docnums for part in (docnum, 1.0, b"")]

    def cleanup(self) -> None:
        self.fields.clear()
        self.bare.clear()


def supports(schema: Any, codec: Any) -> bool:
    """Whether this writer makes the same segment as Whoosh's for ``schema``.

    Spelling words and term vectors take other paths in Whoosh's writer, and the encoding
    here is the W3 codec's.  It also reads a few private attributes of W3's field writer
    and hash file (the open files, the field id, the hash buckets), so the project pins
    whoosh3 exactly and CI runs the comparison test on both Whoosh versions it supports.
    """
    if any(f.separate_spelling() or f.vector for _, f in schema.items()):
        return False
    # A codec whose inline limit is above 1 asks for every list shorter than it in the term
    # info; this writer inlines one-posting lists only (``_inlined``).
    return type(codec).__name__ == "W3Codec" and getattr(codec, "_inlinelimit", 1) <= 1


class GroupingSegmentWriter(SegmentWriter):
    """Writes one new segment; call ``_finalize_segment`` (the indexer lists it)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        if not supports(ix.schema, kwargs.get("codec") or default_codec()):
            raise TypeError("GroupingSegmentWriter: schema or codec not supported")
        super().__init__(ix, **kwargs)
        self.pool.cleanup()  # Whoosh's pool owns no run files yet
        self.pool = _TermPool()
        # (field, type, value) -> what ``field.index`` yields.  Dates repeat across a corpus
        # (a wire's articles share a few hundred) and each costs Whoosh eight shifted terms;
        # most articles name the same few officials and provinces, or none, and Whoosh's
        # keyword analyzer costs 9-14 us even for "".
        self._remembered: dict[tuple[str, type, Any], list[Any]] = {}

    def add_reader(self, reader: Any) -> None:  # merging goes through Whoosh's pool
        raise NotImplementedError("GroupingSegmentWriter writes new documents only")

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``add_document`` (same checks, stored values, lengths and columns),
        with postings put straight into their term's list instead of a pool tuple each."""
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        pool = self.pool
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    terms = pool.fields.get(fieldname)
                    if terms is None:
                        terms = pool.add_field(fieldname, field)
                    boost = self._field_boost(fields, fieldname, docboost)
                    items = self._index(fieldname, field, value)
                    if fieldname in pool.bare:
                        items = list(items)
                        if boost != 1.0 or not set(map(_WEIGHT, items)) <= {1.0}:
                            pool.clothe(fieldname)
                    bare = fieldname in pool.bare
                    length = _add_postings(terms, items, docnum, boost, bare=bare)
                    if not field.scorable:
                        length = 0
                customval = fields.get(f"_stored_{fieldname}", value)
                stored = customval if field.stored else None
                perdocwriter.add_field(fieldname, field, stored, length)
                column = field.column_type
                if column and customval is not None:
                    cv = field.to_column_value(customval)
                    perdocwriter.add_column_value(fieldname, column, cv)
        except ValueError:
            cancel = getattr(perdocwriter, "cancel_doc", None)  # Whoosh 2.7.4 has none
            if cancel is not None:
                cancel()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _index(self, fieldname: str, field: Any, value: Any) -> Any:
        """``field.index(value)``, remembered for strings in keyword fields and for ints
        and naive datetimes in numeric fields.

        Only values that are equal exactly when Whoosh encodes them alike: 0.0 == -0.0 and
        an aware datetime equals another zone's same instant, but their terms differ.
        """
        if isinstance(field, NUMERIC):
            if not _same_when_equal(value):
                return field.index(value)
        elif not (isinstance(field, KEYWORD) and type(value) is str):
            return field.index(value)
        key = (fieldname, type(value), value)
        items = self._remembered.get(key)
        if items is None:
            if len(self._remembered) > _MAX_REMEMBERED:
                self._remembered.clear()
            items = self._remembered[key] = list(field.index(value))
        return items

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            fieldwriter = self.fieldwriter
            # Whoosh numbers only fields that have postings (field ids are in the term file).
            for fieldname in sorted(f for f, terms in self.pool.fields.items() if terms):
                lengths = _field_lengths(pdr, fieldname, self.docnum) if pdr else [0] * self.docnum
                _write_field(
                    fieldwriter,
                    fieldname,
                    self.schema[fieldname],
                    self.pool.fields[fieldname],
                    lengths,
                    bare=fieldname in self.pool.bare,
                )
            fieldwriter.close()
        finally:
            if pdr:
                pdr.close()


def _same_when_equal(value: Any) -> bool:
    kind = type(value)
    return kind is int or (kind is datetime and value.tzinfo is None)


def _add_postings(terms: _Terms, items: Any, docnum: int, boost: float, *, bare: bool) -> int:
    """Add one document's postings of a field (of a bare one, the docnum alone); returns
    the sum of their frequencies."""
    length = 0
    get = terms.get
    if bare:
        for tbytes in map(_TERM, items):
            postings = get(tbytes)
            if postings is None:
                terms[tbytes] = [docnum]
            else:
                postings.append(docnum)
        return sum(map(_FREQ, items))
    for tbytes, freq, weight, vbytes in items:
        if boost != 1.0:
            weight *= boost
        postings = get(tbytes)
        if postings is None:
            terms[tbytes] = [docnum, weight, vbytes]
        else:
            postings += (docnum, weight, vbytes)
        length += freq
    return length


def _field_lengths(pdr: Any, fieldname: str, doccount: int) -> list[int | None]:
    """Each document's stored length of ``fieldname``, as Whoosh's writer reads them."""
    reader = getattr(pdr, "doc_field_length_reader", None)
    if reader is not None:
        get = reader(fieldname)
        return [get(docnum) for docnum in range(doccount)]
    return [pdr.doc_field_length(docnum, fieldname) for docnum in range(doccount)]


def _write_field(
    fieldwriter: Any,
    fieldname: str,
    field: Any,
    terms: _Terms,
    lengths: list[int | None],
    *,
    bare: bool,
) -> None:
    """Write one field's posting lists and term infos, as W3's writers would.

    Whoosh's ``W3PostingsWriter`` and ``W3FieldWriter`` spend most of a flush in a dozen
    small calls per term (most terms have one short block).  This does the same encoding
    in one loop and writes each file a megabyte at a time.  The comparison with Whoosh's
    writer guards it.
    """
    fieldwriter.start_field(fieldname, field)
    codec = fieldwriter._codec
    limit, level = codec._blocklimit, codec._compression
    fixedsize = field.format.fixed_value_size()
    prefix = pack_ushort(fieldwriter._fieldid)
    tindex = fieldwriter._tindex
    posts, table = _Appender(fieldwriter._postfile), _Appender(tindex.dbfile)
    scored = any(lengths)
    for tbytes in sorted(terms):
        postings = terms[tbytes]
        if len(postings) == (1 if bare else 3):
            terminfo = _inlined(postings, lengths if scored else None, fixedsize, bare=bare)
            _add_term(table, tindex, prefix + tbytes, terminfo)
            continue
        docnums = postings if bare else postings[::3]
        start = posts.tell()
        posts.buf += WHOOSH3_HEADER_MAGIC
        weight, minlength, maxlength, maxweight = 0, None, 0, 0
        count = len(docnums)
        for first in range(0, count, limit):
            ids = docnums[first : first + limit]
            if bare:
                top, minis = 1.0, (None, None)
                weight += float(len(ids))
            else:
                block = postings[3 * first : 3 * (first + limit)]
                weights, values = block[1::3], block[2::3]
                stored = array("f", weights)
                top = max(weights)
                top = top if top > 0 else 0
                weight += sum(stored)
                minis = (_mini_weights(stored), _mini_values(values, fixedsize))
            found = list(filter(None, map(lengths.__getitem__, ids))) if scored else None
            low = min(found) if found else None
            high = max(found) if found else 0
            minlength = low if minlength is None else min(minlength, low)
            maxlength = max(maxlength, high)
            maxweight = max(maxweight, top)
            data = dumps((_deltas(ids), *minis), _BLOCK_PROTOCOL)
            comp = level if len(data) >= _MIN_COMPRESS else 0
            if comp:
                data = zlib.compress(data, comp)
            info = dumps(
                (len(ids), ids[-1], top, comp, length_to_byte(low), length_to_byte(high)), 2
            )
            size = len(info) + len(data)
            posts.buf += pack_int(-size if first + limit >= count else size)
            posts.buf += info
            posts.buf += data
        terminfo = (
            _TERM_INFO.pack(
                False,
                weight,
                count,
                0 if minlength is None else length_to_byte(minlength),
                length_to_byte(maxlength),
                maxweight,
                docnums[0],
                docnums[-1],
            )
            + pack_long(start)
            + pack_int(posts.tell() - start)
        )
        _add_term(table, tindex, prefix + tbytes, terminfo)
        posts.spill(_CHUNK)
    posts.spill(0)
    table.spill(0)
    fieldwriter.finish_field()


def _add_term(table: _Appender, tindex: Any, key: bytes, terminfo: bytes) -> None:
    """Append a row to the term table and its hash index, as W3's ``HashWriter.add``."""
    position = table.tell()
    tindex.index.append(position)
    table.buf += _lengths.pack(len(key), len(terminfo))
    table.buf += key
    table.buf += terminfo
    code = tindex.hashfn(key)
    tindex.buckets[code & 255].append((code, position))
    tindex.lastkey = key
    table.spill(_CHUNK)


def _inlined(
    postings: list[Any], lengths: list[int | None] | None, fixedsize: int | None, *, bare: bool
) -> bytes:
    """The term info of a term with one posting, the posting inside it (W3's inline form).

    Whoosh reads it (``W3Codec.postings_reader`` wraps it in a ``ListMatcher``) and writes
    it for posting lists shorter than the codec's ``inlinelimit``, but its writer calls
    ``set_inline`` for ``set_inlined``, so it never has.  Most terms of a segment have one
    posting; inline they cost no block header, no two pickles and no file offset.  The
    weight goes through ``array("f")`` and a value-less posting's value is None, as when a
    block is read, so the posting reads back the same.
    """
    if bare:
        docnum, weight, value = postings[0], 1.0, None
    else:
        docnum, weight, value = postings
        if fixedsize == 0:
            value = None
    weights = tuple(array("f", (weight,)))
    length = lengths[docnum] if lengths else None
    return _TERM_INFO.pack(
        True,
        weights[0],
        1,
        length_to_byte(length) if length else 0,
        length_to_byte(length or 0),
        weight if weight > 0 else 0,
        docnum,
        docnum,
    ) + dumps(((docnum,), weights, (value,)), _BLOCK_PROTOCOL)


class _Appender:
    """A file's next bytes, gathered in ``buf`` and written once more than ``limit`` wait;
    ``tell`` is the file position the next byte will have."""

    def __init__(self, file: Any) -> None:
        self.file, self.base, self.buf = file, file.tell(), bytearray()

    def tell(self) -> int:
        return self.base + len(self.buf)

    def spill(self, limit: int) -> None:
        if len(self.buf) > limit:
            self.file.write(bytes(self.buf))
            self.base += len(self.buf)
            self.buf.clear()


def _deltas(ids: Sequence[int]) -> tuple[int, ...]:
    """Each id less the one before it (the first as is), as W3's ``_mini_ids``."""
    return (ids[0], *map(sub, ids[1:], ids))


def _mini_weights(weights: array[float]) -> float | tuple[float, ...] | None:
    """None if every weight is 1.0, the weight if all are equal, else all of them."""
    first = weights[0]
    if weights.count(first) == len(weights):
        return None if first == 1.0 else first
    return tuple(weights)


def _mini_values(
    values: Sequence[bytes | None], fixedsize: int | None
) -> tuple[bytes, ...] | bytes | None:
    kept = list(filter(None, values))
    if fixedsize is None or fixedsize < 0:
        return tuple(kept)
    if fixedsize == 0:
        return None
    return b"".join(kept)
