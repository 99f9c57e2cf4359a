"""A Whoosh segment writer that groups postings by term as they arrive.

Whoosh's ``SegmentWriter`` puts every posting, one tuple each, into a sorting pool, sorts
them all at commit, and then feeds them one by one to the codec's postings writer, which
looks up the document's field length and updates a block's statistics per posting.  On a
rebuild that is most of a worker's time (``python -m bench.build_parts``).  Documents reach
a segment in docnum order, so a dict of term -> postings is already sorted within each term:
this writer keeps that dict instead of the pool, sorts only the terms, reads each field's
lengths once, and fills the codec's blocks a whole block at a time.

The bytes are still Whoosh's: blocks are encoded and written by the codec's own
``_write_block`` and term infos by its own ``finish_term``; only the per-posting bookkeeping
is done here, in bulk.  ``tests/test_segment_writer.py`` checks every file of a segment
equals the one Whoosh's writer makes from the same documents.  Used for new segments only
(rebuilds); merging and deleting stay with Whoosh's writer.
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.codec import default_codec
from whoosh.writing import SegmentWriter

__all__ = ["GroupingSegmentWriter", "supports"]

# (docnum, weight, encoded value) in docnum order, per term, per field.
_Postings = dict[str, dict[bytes, list[tuple[int, float, bytes | None]]]]


class _TermPool:
    """Stands in for Whoosh's ``PostingPool``: the writer calls ``add`` per posting."""

    def __init__(self) -> None:
        self.fields: _Postings = {}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        postings = terms.get(tbytes)
        if postings is None:
            terms[tbytes] = [(docnum, weight, vbytes)]
        else:
            postings.append((docnum, weight, vbytes))

    def cleanup(self) -> None:
        self.fields.clear()


def supports(schema: Any, codec: Any) -> bool:
    """Whether this writer makes the same segment as Whoosh's for ``schema``.

    Spelling words and term vectors take other paths in Whoosh's writer, and the bulk
    block filling knows only the W3 postings writer's buffers.
    """
    if any(f.separate_spelling() or f.vector for _, f in schema.items()):
        return False
    return type(codec).__name__ == "W3Codec"


class GroupingSegmentWriter(SegmentWriter):
    """Writes one new segment; call ``_finalize_segment`` (the indexer lists it)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        if not supports(ix.schema, kwargs.get("codec") or default_codec()):
            raise TypeError("GroupingSegmentWriter: schema or codec not supported")
        super().__init__(ix, **kwargs)
        self.pool.cleanup()  # Whoosh's pool owns no run files yet
        self.pool = _TermPool()

    def add_reader(self, reader: Any) -> None:  # merging goes through Whoosh's pool
        raise NotImplementedError("GroupingSegmentWriter writes new documents only")

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            fieldwriter = self.fieldwriter
            for fieldname in sorted(self.pool.fields):
                lengths = _field_lengths(pdr, fieldname, self.docnum) if pdr else None
                _write_field(
                    fieldwriter,
                    fieldname,
                    self.schema[fieldname],
                    self.pool.fields[fieldname],
                    lengths,
                )
            fieldwriter.close()
        finally:
            if pdr:
                pdr.close()


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
    terms: dict[bytes, list[tuple[int, float, bytes | None]]],
    lengths: list[int | None] | None,
) -> None:
    fieldwriter.start_field(fieldname, field)
    writer = fieldwriter._postwriter
    limit = writer._blocklimit
    for tbytes in sorted(terms):
        postings = terms[tbytes]
        fieldwriter.start_term(tbytes)
        for start in range(0, len(postings), limit):
            if start:
                writer._write_block()  # a full block; the last one is written on finish
            _fill_block(writer, postings[start : start + limit], lengths)
        fieldwriter.finish_term()
    fieldwriter.finish_field()


def _fill_block(
    writer: Any,
    postings: list[tuple[int, float, bytes | None]],
    lengths: list[int | None] | None,
) -> None:
    """Set a W3 postings writer's block buffer as ``add_posting`` would, once per block."""
    ids, weights, values = zip(*postings, strict=True)
    writer._ids = array("I", ids)
    writer._weights = array("f", weights)
    writer._values = [v for v in values if v]
    top = max(weights)
    writer._maxweight = top if top > 0 else 0
    found = [n for n in (lengths[i] for i in ids) if n] if lengths is not None else []
    writer._minlength = min(found) if found else None
    writer._maxlength = max(found) if found else 0
