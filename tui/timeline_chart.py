"""The timeline's bars: one row a bucket, oldest first, then the undated documents.

Horizontal bars of block characters: at 80 columns a label, a bar of up to 40 cells and
the counts fit on one row, every bucket keeps a readable label however many there are
(vertical bars would have a column each, too narrow for ``1987-03``), and the bars need
no colour (NO_COLOR).  A range being chosen is marked with ``›`` as well as a tint.
"""

from __future__ import annotations

from rich.text import Text

from search.text import count
from search.views.timeline import Bucket, Timeline, bar
from tui.row_list import RowList

__all__ = ["TimelineChart"]

LABEL = 11  # "1987-W09", "2024-04-03" and a space
COUNTS = 24  # "  1,234 files  12,345 m."


class TimelineChart(RowList):
    DEFAULT_CSS = """
    TimelineChart > .timeline-chart--range { background: $accent 30%; }
    """
    COMPONENT_CLASSES = {"timeline-chart--range"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timeline: Timeline | None = None
        self.anchor: int | None = None  # the first row of a range being chosen

    def show(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.anchor = None
        rows = len(timeline.buckets) + (1 if timeline.undated else 0)
        self.set_count(rows, self._busiest(timeline))

    @staticmethod
    def _busiest(timeline: Timeline) -> int:
        """The cursor starts on the tallest bar."""
        docs = [b.documents for b in timeline.buckets]
        return docs.index(max(docs)) if docs else 0

    def refresh_counts(self) -> None:
        self.refresh()

    def bucket(self, index: int) -> Bucket | None:
        """The bucket of row ``index``; None for the undated row."""
        if self.timeline is None or not 0 <= index < len(self.timeline.buckets):
            return None
        return self.timeline.buckets[index]

    def chosen(self) -> tuple[Bucket, Bucket] | None:
        """The first and last bucket of the range from the anchor to the cursor (or the
        cursor's bucket alone)."""
        here = self.highlighted
        if here is None or self.bucket(here) is None:
            return None
        first = here if self.anchor is None else min(self.anchor, here)
        last = here if self.anchor is None else max(self.anchor, here)
        return self.bucket(first), self.bucket(last)  # type: ignore[return-value]

    def in_range(self, index: int) -> bool:
        here = self.highlighted
        if self.anchor is None or here is None:
            return False
        return min(self.anchor, here) <= index <= max(self.anchor, here)

    def row(self, index: int, width: int) -> Text:
        line = self.timeline
        assert line is not None
        marked = self.in_range(index)
        text = Text("›" if marked else " ", style="bold")
        bucket = self.bucket(index)
        if bucket is None:
            label, docs, matches, drawn = "undated", line.undated, line.undated_matches, ""
        else:
            label, docs, matches = bucket.label, bucket.documents, bucket.matches
            drawn = bar(docs, line.peak, max(4, width - LABEL - COUNTS - 2))
        text.append(f"{label:<{LABEL}}", style="bold")
        text.append(drawn.ljust(max(4, width - LABEL - COUNTS - 2)))
        text.append(f"{count(docs, 'file'):>12}", style="" if docs else "dim")
        shown = count(matches, "match") if line.matches_counted else "… matches"
        text.append(f"  {shown}", style="dim")
        if marked:
            text.stylize(self.get_component_rich_style("timeline-chart--range"))
        return text
