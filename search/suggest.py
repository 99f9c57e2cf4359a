"""Near misses of names: a misspelt province resolved, and "did you mean" for entity queries.

``province:Guangxy`` is one edit from Guangxi and resolves to it; ``official:liu`` names no
official of the index, so the search suggests the officials whose names hold that word or
come within a few edits of it ("Liu Ning"), with documents in this corpus, best first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Suggestion", "allowed_edits", "closest", "suggest"]

MAX_SUGGESTIONS = 3


def allowed_edits(typed: str) -> int:
    """How many edits a typed name may be from a real one: none for 3 letters or fewer
    (too many names are that close), one up to 7 letters, two beyond."""
    letters = len(typed.replace(" ", ""))
    return 0 if letters <= 3 else 1 if letters <= 7 else 2


def _distance(typed: str, name: str, limit: int) -> int | None:
    """Edits from ``typed`` to ``name`` (a swap of two letters is one), None beyond ``limit``."""
    from rapidfuzz.distance import OSA  # only for queries that name an entity

    found = OSA.distance(typed, name, score_cutoff=limit)
    return found if found <= limit else None


def closest(typed: str, names: dict[str, str]) -> list[str]:
    """The keys whose folded names (``names``: folded name -> key) are nearest ``typed``
    within ``allowed_edits``, nearest first; several only when equally near."""
    from rapidfuzz import fuzz

    limit = allowed_edits(typed)
    if not limit:
        return []
    scored: dict[str, tuple[int, float]] = {}
    for name, key in names.items():
        distance = _distance(typed, name, limit)
        if distance is None:
            continue
        # Equal edits: an insertion or deletion ("Yunan" -> Yunnan) is nearer than a
        # substitution ("Yunan" -> Hunan), which fuzz.ratio weighs double.
        rank = (distance, -fuzz.ratio(typed, name))
        if key not in scored or rank < scored[key]:
            scored[key] = rank
    if not scored:
        return []
    best = min(scored.values())
    return [key for key, rank in sorted(scored.items(), key=lambda kv: kv[1]) if rank == best]


@dataclass(frozen=True)
class Candidate:
    key: str  # as the index stores it
    name: str  # as the side panel shows it
    documents: int
    aliases: tuple[str, ...] = ()  # other folded spellings that name it


@dataclass
class Suggestion:
    """Entities close to an ``official:`` or ``province:`` value that found no document."""

    field: str  # "official" or "province"
    typed: str
    names: list[str] = field(default_factory=list)

    @property
    def queries(self) -> list[str]:
        return [f'{self.field}:"{n}"' if " " in n else f"{self.field}:{n}" for n in self.names]

    @property
    def message(self) -> str:
        return f"no {self.field} {self.typed!r}; did you mean {' or '.join(self.queries)}?"

    def to_json(self) -> dict[str, object]:
        return {"field": self.field, "typed": self.typed, "queries": self.queries}


def suggest(field_name: str, typed: str, candidates: Iterable[Candidate]) -> Suggestion:
    """The candidates a person most likely meant by ``typed`` (folded), best first: names
    holding every typed word ("liu" -> Liu Ning), then names within a few edits of it,
    each group by how many documents it has."""
    words = set(typed.split())
    limit = allowed_edits(typed)
    ranked: list[tuple[int, int, str, str]] = []
    for c in candidates:
        spellings = (c.key.replace("_", " "), *c.aliases)
        if any(words <= set(s.split()) for s in spellings):
            ranked.append((0, -c.documents, c.name, c.name))
            continue
        near = [_distance(typed, s, limit) for s in spellings] if limit else []
        nearest = min((d for d in near if d is not None), default=None)
        if nearest is not None:
            ranked.append((nearest, -c.documents, c.name, c.name))
    ranked.sort()
    return Suggestion(field_name, typed, [r[3] for r in ranked[:MAX_SUGGESTIONS]])
