"""Character spans: a match, a mention, a caption; the one ``Span`` type of the library."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["Span", "merge_spans"]


class Span(NamedTuple):
    """Character offsets into a text (end exclusive); a tuple, so ``(start, end)`` too."""

    start: int
    end: int


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[Span]:
    """Sorted spans, overlapping ones joined (a phrase and a term inside it are one match)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = Span(merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append(Span(start, end))
    return merged
