"""Who with where: the officials and provinces named together in a search's hits.

A pair counts once per article holding both (after the curation: merges, hides, aliases),
and once per paragraph holding a mention of each.  A paragraph is a line of the text, except
in a hard-wrapped text (wire copy), where the extractor joins wrapped lines and a paragraph
runs on to the next blank or indented line (``search.extract.textutil.join_wrapped``).

The article counts come from the index's columns; the paragraph counts read the texts of
the articles holding at least one official and one province, and only those.
"""

from __future__ import annotations

import dataclasses
import re
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from search.export import Table
from search.extract.textutil import join_wrapped
from search.index.facade import CorpusIndex, Facet, HitEntities, HitOrder, Results
from search.text import visible

__all__ = ["Cooccurrence", "Pair", "cooccur", "of_results", "paragraph_ends", "with_paragraphs"]

TOP = 5  # officials and provinces in the matrix
BUDGET = 20_000  # pairs counted at most (a bit-mask AND each)
PARAGRAPH_FILES = 500  # files whose texts are read for the paragraph counts, by default
_LINE_END = re.compile("\n")
PARAGRAPH = "a line; in hard-wrapped text, up to the next blank or indented line"


@dataclass(frozen=True)
class Pair:
    official: Facet  # counts over the whole search, as the side panel shows them
    province: Facet
    articles: int
    paragraphs: int

    def to_json(self) -> dict[str, Any]:
        return {
            "official": self.official.name,
            "official_key": self.official.key,
            "official_title": self.official.detail,
            "province": self.province.name,
            "province_key": self.province.key,
            "country": self.province.country,
            "articles": self.articles,
            "paragraphs": self.paragraphs,
        }


@dataclass
class Cooccurrence:
    query: str
    filters: list[str]
    total: int  # matching articles
    both: int  # of which hold an official and a province
    pairs: list[Pair]  # most articles first, then most paragraphs, then by names
    officials: list[Facet] = field(default_factory=list)  # in pairs, most articles first
    provinces: list[Facet] = field(default_factory=list)
    took_ms: float = 0.0
    paragraphs_counted: bool = False
    # Every pair in more files than this is listed (0: every pair is); see of_results.
    complete_above: int = 0
    paragraph_files: int = 0  # the files whose paragraphs were counted (of ``both``)
    order: HitOrder | None = None  # the search's hits
    both_mask: int = 0  # the hits with an official and a province
    found: HitEntities | None = None

    def rank(self) -> None:
        """Pairs in most articles first, then most paragraphs, then by names."""
        self.pairs.sort(key=lambda p: (-p.articles, -p.paragraphs, p.official.name.casefold(),
                                       p.province.name.casefold()))  # fmt: skip
        self.officials = _tops(self.pairs, lambda p: p.official, len(self.pairs))
        self.provinces = _tops(self.pairs, lambda p: p.province, len(self.pairs))

    def matrix(
        self, rows: int = TOP, cols: int = TOP
    ) -> tuple[list[Facet], list[Facet], list[list[Pair | None]]]:
        """The officials and provinces of the most pairs' articles, and the pair in each cell."""
        tops_o = _tops(self.pairs, lambda p: p.official, rows)
        tops_p = _tops(self.pairs, lambda p: p.province, cols)
        cell = {(p.official.key, p.province.key): p for p in self.pairs}
        grid = [[cell.get((o.key, v.key)) for v in tops_p] for o in tops_o]
        return tops_o, tops_p, grid

    def to_table(self) -> Table:
        columns = ["official", "official_key", "official_title", "province", "province_key",
                   "country", "articles", "paragraphs"]  # fmt: skip
        facts = [
            ("query", self.query or "(every file)"),
            ("filters", " + ".join(self.filters) or "none"),
            ("matching articles", f"{self.total:,}"),
            ("with an official and a province", f"{self.both:,}"),
            (
                "pairs",
                f"{len(self.pairs):,}"
                + (
                    f" (every pair in more than {self.complete_above:,} files)"
                    if self.complete_above
                    else ""
                ),
            ),
            ("paragraphs counted in", f"{self.paragraph_files:,} of {self.both:,} files"),
            ("paragraph", PARAGRAPH),
        ]
        rows = [list(p.to_json().values()) for p in self.pairs]
        return Table("Who with where", columns, rows, facts)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "filters": self.filters,
            "total": self.total,
            "articles_with_both": self.both,
            "paragraph": PARAGRAPH,
            "paragraphs_counted": self.paragraphs_counted,
            "paragraph_files": self.paragraph_files,
            "complete_above": self.complete_above,
            "pairs": [p.to_json() for p in self.pairs],
            "took_ms": round(self.took_ms, 2),
        }


def _tops(pairs: Sequence[Pair], side: Callable[[Pair], Facet], n: int) -> list[Facet]:
    weight: Counter[str] = Counter()
    facet: dict[str, Facet] = {}
    for p in pairs:
        f = side(p)
        weight[f.key] += p.articles
        facet[f.key] = f
    ranked = sorted(weight, key=lambda k: (-weight[k], facet[k].name.casefold(), k))
    return [facet[k] for k in ranked[:n]]


def paragraph_ends(text: str) -> list[int]:
    """Where each paragraph of ``text`` ends (the offset of its line break, or the end)."""
    joined = join_wrapped(text, len(text))
    return [m.start() for m in _LINE_END.finditer(joined)] + [len(text)]


def cooccur(
    index: CorpusIndex,
    query: str,
    *,
    filters: dict[str, Sequence[str]] | None = None,
    filter_names: Sequence[str] = (),
    paragraph_files: int | None = PARAGRAPH_FILES,
) -> Cooccurrence:
    """Officials x provinces in the hits of ``query`` (with the side panel's ``filters``);
    paragraphs counted in the first ``paragraph_files`` files with both (None: all, 0: none)."""
    started = time.perf_counter()
    results = index.search(query or "*", limit=0, every=True, filters=filters,
                           snippets=False)  # fmt: skip
    out = of_results(index, results, filter_names)
    if paragraph_files != 0:
        out = with_paragraphs(index, out, paragraph_files)
    out.took_ms = (time.perf_counter() - started) * 1000
    return out


def of_results(
    index: CorpusIndex, results: Results, filter_names: Sequence[str] = (), budget: int = BUDGET
) -> Cooccurrence:
    """The file counts of a search run with ``every=True`` (paragraphs: ``with_paragraphs``).

    From the index's columns, one AND of two bit masks a pair.  At most ``budget`` pairs
    are counted: the most frequent officials (in the hits) with every province.  A pair
    never has more files than its official, so when officials are left out, every pair
    in more files than the most frequent of them is still listed (``complete_above``)."""
    started = time.perf_counter()
    if results.order is None:
        raise ValueError("a co-occurrence needs a search run with every=True")
    found = index.hit_entities(results.order)
    officials = sorted(found.masks.get("official", {}).values(), key=lambda e: -e[0].count)
    provinces = list(found.masks.get("province", {}).values())
    any_province = 0
    for _f, mask in provinces:
        any_province |= mask
    kept = max(1, budget // max(1, len(provinces)))
    both_mask = 0
    pairs = []
    counted, complete_above = 0, 0
    for o, o_mask in officials:
        with_any = o_mask & any_province
        if not with_any:
            continue
        both_mask |= with_any
        if counted >= kept:
            complete_above = complete_above or o.count
            continue
        counted += 1
        for p, p_mask in provinces:
            n = (with_any & p_mask).bit_count()
            if n:
                pairs.append(Pair(o, p, n, 0))
    out = Cooccurrence(results.query, list(filter_names), results.total,
                       both_mask.bit_count(), pairs, complete_above=complete_above)  # fmt: skip
    out.order = results.order
    out.both_mask, out.found = both_mask, found
    out.rank()
    out.took_ms = (time.perf_counter() - started) * 1000
    return out


def with_paragraphs(
    index: CorpusIndex, found: Cooccurrence, files: int | None = PARAGRAPH_FILES
) -> Cooccurrence:
    """``found`` with its paragraph counts, read from the texts of the first ``files``
    files with both (None: all of them), in the list's order."""
    if found.order is None or found.paragraphs_counted or found.found is None:
        return found
    rows = found.found.rows(found.both_mask, files)
    counts = _paragraph_counts(index, found.order, rows)
    pairs = [
        dataclasses.replace(p, paragraphs=counts[(p.official.key, p.province.key)])
        for p in found.pairs
    ]
    out = dataclasses.replace(found, pairs=pairs, paragraphs_counted=True,
                              paragraph_files=len(rows))  # fmt: skip
    out.rank()
    return out


def _paragraph_counts(
    index: CorpusIndex, order: HitOrder, rows: list[int]
) -> Counter[tuple[str, str]]:
    """How many paragraphs of the hits at ``rows`` mention each (official, province)."""
    counts: Counter[tuple[str, str]] = Counter()
    for hit, found in index.hit_findings(order, rows):
        text = index.current_text(hit.path)
        if not text:
            continue
        ends = paragraph_ends(text)
        o_paras = _paragraphs_of(found.officials, ends)
        p_paras = _paragraphs_of(found.provinces, ends)
        for o, o_in in o_paras.items():
            for p, p_in in p_paras.items():
                shared = len(o_in & p_in)
                if shared:
                    counts[(o, p)] += shared
    return counts


def _paragraphs_of(entities: Sequence[Any], ends: list[int]) -> dict[str, set[int]]:
    return {e.key: {bisect_left(ends, m.start) for m in e.mentions} for e in entities}


def _fit(text: str, width: int) -> str:
    text = visible(" ".join(text.split()))
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def matrix_lines(found: Cooccurrence, width: int = 80) -> list[str]:
    """The matrix as lines of text at most ``width`` wide: the top officials down, the top
    provinces across, ``articles/paragraphs`` in each cell ("·": never together).  As many
    province columns as fit (at most ``TOP``), wider cells on wider screens; corpus text
    made visible, never obeyed."""
    name_width = 18 if width < 120 else 28
    cell = max(10, min(24, (width - name_width) // TOP - 1))
    cols = max(1, min(TOP, (width - name_width) // (cell + 1)))
    officials, provinces, grid = found.matrix(TOP, cols)
    if not officials:
        return []
    head = " " * name_width + "".join(" " + _fit(p.name, cell).rjust(cell) for p in provinces)
    lines = [head]
    for o, row in zip(officials, grid, strict=True):
        cells = [_cell(p, found.paragraphs_counted) for p in row]
        lines.append(_fit(o.name, name_width).ljust(name_width) +
                     "".join(" " + c.rjust(cell) for c in cells))  # fmt: skip
    return lines


def _cell(pair: Pair | None, paragraphs: bool) -> str:
    if pair is None:
        return "·"
    return f"{pair.articles}/{pair.paragraphs}" if paragraphs else f"{pair.articles}"
