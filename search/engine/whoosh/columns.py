"""Whole columns read in one go: a value for every document of a searcher.

The side panel and date order need a column for all documents at once.  Whoosh's column
readers yield one value at a time, each a seek and a read (20-30 ms per column on Reuters'
21,578 documents); the bytes of a segment's column lie together, so one read and a split
give the same values in a few milliseconds.  The fast path relies on the layout of
Whoosh 2.7's ``VarBytesColumn`` and ``NumericColumn`` readers (the same in whoosh3); any
other reader, or a layout that differs, takes Whoosh's own iteration.
"""

from __future__ import annotations

import struct
from itertools import accumulate
from typing import Any

from whoosh import columns
from whoosh.searching import Searcher

__all__ = ["column_rows"]


def column_rows(searcher: Searcher, name: str) -> list[Any]:
    """The column's raw value for every docnum; None where a segment lacks the column.

    Read segment by segment: Whoosh's multi-segment column reader yields nothing at all
    when no segment has the column (a corpus of undated files has no date column).
    """
    rows: list[Any] = []
    for segment, _offset in searcher.reader().leaf_readers():
        if segment.has_column(name):
            rows.extend(_segment_rows(segment.column_reader(name, translate=False)))
        else:
            rows.extend([None] * segment.doc_count_all())
    return rows


def _segment_rows(reader: columns.ColumnReader) -> list[Any]:
    try:
        if isinstance(reader, columns.NumericColumn.Reader):
            return _numeric(reader)
        if type(reader) is columns.VarBytesColumn.Reader:
            return _var_bytes(reader)
    except (AttributeError, struct.error, ValueError):
        pass  # not the layout we know: read it Whoosh's way
    return list(reader)


def _numeric(reader: Any) -> list[Any]:
    count, doccount = reader._count, reader._doccount
    data = reader._dbfile.get(reader._basepos, count * reader._fixedlen)
    values = list(struct.unpack(f"!{count}{reader._typecode}", data))
    return values + [reader._default] * (doccount - count)


def _var_bytes(reader: Any) -> list[bytes]:
    lengths = reader._lengths
    if reader.had_stored_offsets:  # offsets may not follow the lengths: use them
        return list(reader)
    ends = list(accumulate(lengths))
    data = reader._dbfile.get(reader._basepos, ends[-1] if ends else 0)
    return [data[end - length : end] for end, length in zip(ends, lengths, strict=True)]
