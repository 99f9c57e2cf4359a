"""A fixed, seeded query mix derived from a corpus's vocabulary, and its SQLite FTS5 translation.

Kinds: single terms, two-term AND, phrases (adjacent words of real documents), field queries
(``title:word``), date ranges (alone and with a term) and prefixes (``comput*``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from bench.corpora import CorpusStats

# Words the product's analyzer may drop as stop words: kept out of the mix on both sides.
STOP = frozenset(
    "a an and are as at be but by for from has have he in is it its not of on or said that the "
    "their this to was were which will with would".split()
)

# How many queries of each kind (about 210 in all).
MIX = {"term": 60, "and": 45, "phrase": 35, "field": 25, "date": 25, "prefix": 20}


@dataclass(frozen=True)
class Query:
    kind: str
    text: str  # the product's query syntax
    fts_match: str | None  # FTS5 MATCH expression, or None for a date range alone
    date_from: str | None = None
    date_to: str | None = None


def _usable(word: str) -> bool:
    return word.isalpha() and len(word) >= 3 and word not in STOP and word.isascii()


def _pick_words(stats: CorpusStats, rng: random.Random, lo: float, hi: float, k: int) -> list[str]:
    """k words whose document frequency lies in [lo, hi] x n_docs (widened if too few)."""
    n = max(stats.n_docs, 1)
    band = sorted(w for w, c in stats.df.items() if lo * n <= c <= hi * n and _usable(w))
    if len(band) < k:
        band = sorted(w for w, c in stats.df.items() if c >= 2 and _usable(w))
    return rng.sample(band, min(k, len(band)))


def _date_range(stats: CorpusStats, rng: random.Random) -> tuple[str, str]:
    lo = dt.date.fromisoformat(stats.dates[0]).toordinal()
    hi = dt.date.fromisoformat(stats.dates[-1]).toordinal()
    start = rng.randrange(lo, hi + 1)
    end = min(hi, start + rng.choice((7, 14, 30, 31, 60, 90)))
    return dt.date.fromordinal(start).isoformat(), dt.date.fromordinal(end).isoformat()


def build_mix(stats: CorpusStats, seed: int = 5) -> list[Query]:
    """The query mix for a scanned corpus; the same stats and seed give the same queries."""
    rng = random.Random(seed)
    out: list[Query] = []
    # single terms: mostly mid-frequency words, some frequent, some rare
    singles = (
        _pick_words(stats, rng, 0.01, 0.2, MIX["term"] // 2)
        + _pick_words(stats, rng, 0.2, 0.9, MIX["term"] // 6)
        + _pick_words(stats, rng, 0.0003, 0.01, MIX["term"] - MIX["term"] // 2 - MIX["term"] // 6)
    )
    out += [Query("term", w, w) for w in singles]
    firsts = _pick_words(stats, rng, 0.01, 0.3, MIX["and"])
    seconds = _pick_words(stats, rng, 0.005, 0.3, MIX["and"])
    out += [Query("and", f"{a} {b}", f"{a} {b}") for a, b in zip(firsts, seconds, strict=False)]
    phrases = 0
    while phrases < MIX["phrase"] and stats.samples:
        tokens = rng.choice(stats.samples)
        if len(tokens) < 3:
            continue
        i = rng.randrange(len(tokens) - 1)
        a, b = tokens[i], tokens[i + 1]
        if _usable(a) and _usable(b):
            out.append(Query("phrase", f'"{a} {b}"', f'"{a} {b}"'))
            phrases += 1
    n = max(stats.n_docs, 1)
    title_words = sorted(
        w for w, c in stats.title_df.items() if 0.001 * n <= c <= 0.2 * n and _usable(w)
    )
    for w in rng.sample(title_words, min(MIX["field"], len(title_words))):
        out.append(Query("field", f"title:{w}", f"title:{w}"))
    if stats.dates:
        date_terms = _pick_words(stats, rng, 0.02, 0.3, MIX["date"] // 2)
        for i in range(MIX["date"]):
            start, end = _date_range(stats, rng)
            rng_text = f"date:[{start} to {end}]"
            if i < len(date_terms):
                term = date_terms[i]
                out.append(Query("date", f"{term} {rng_text}", term, start, end))
            else:
                out.append(Query("date", rng_text, None, start, end))
    # sorted: the counter was filled from sets, so its order changes with the hash seed
    words = sorted(w for w in stats.df if _usable(w) and len(w) >= 7)
    stems = sorted({w[: rng.choice((4, 5, 6))] for w in words})
    for stem in rng.sample(stems, min(MIX["prefix"], len(stems))):
        out.append(Query("prefix", f"{stem}*", f"{stem}*"))
    return out


def write_batch(queries: list[Query], path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for q in queries:
            fh.write(q.text + "\n")
