"""What a person keeps per corpus beside the index: search history and saved searches.

Both live in the user's state dir (``platformdirs``; ``~/.local/state/corpus-browser/``
on Linux, ``$XDG_STATE_HOME`` if set), in a folder named like the corpus's index folder.
Not in the index folder: that is a cache, which people delete to free space, and a rebuild
must never cost anyone their saved searches.

Each file is small JSON, written whole and atomically (``write_json_atomic``).  Every
change reads the file again first, so two apps open on one corpus add to each other's
history rather than overwrite it.  A file that cannot be read or parsed is treated as
empty, with a one-line ``problem``; it is replaced at the next change.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from search.index.generations import corpus_folder_name, write_json_atomic

__all__ = [
    "HISTORY_SIZE",
    "QueryHistory",
    "SavedSearch",
    "SavedSearches",
    "describe_saved",
    "state_dir",
]

HISTORY_SIZE = 500
NAME_LIMIT = 80  # characters in a saved search's name


def state_dir(corpus: Path) -> Path:
    """The folder holding ``corpus``'s history and saved searches (it may not exist yet)."""
    return Path(platformdirs.user_state_dir("corpus-browser")) / corpus_folder_name(corpus)


class _JsonList:
    """A list kept under one key of a JSON file: read leniently (a damaged file is an
    empty list, with a ``problem``), written whole and atomically, changes serialised."""

    key = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem = ""  # why the file on disk was ignored, if it was
        self.lock = threading.Lock()  # the app writes from worker threads

    def _read(self) -> list[Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:  # unreadable, not UTF-8, not JSON
            self.problem = f"{self.path} could not be read and was ignored ({exc})"
            return []
        entries = data.get(self.key) if isinstance(data, dict) else None
        if not isinstance(entries, list):
            self.problem = f"{self.path} is damaged and was ignored"
            return []
        return entries

    def _write(self, entries: list[Any]) -> None:
        """Raises OSError (unwritable, full disk): the caller says so in one line."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.path, {self.key: entries})


class QueryHistory(_JsonList):
    """The queries run on a corpus, oldest first: at most ``HISTORY_SIZE``, each once
    (running one again moves it to the end, as fish and zsh's HIST_IGNORE_ALL_DUPS do)."""

    key = "queries"

    def __init__(self, path: Path, size: int = HISTORY_SIZE) -> None:
        super().__init__(path)
        self.size = size
        self.entries: list[str] = self._load()

    @classmethod
    def for_corpus(cls, corpus: Path) -> QueryHistory:
        return cls(state_dir(corpus) / "history.json")

    def _load(self) -> list[str]:
        return [q for q in self._read() if isinstance(q, str) and q.strip()][-self.size :]

    def add(self, query: str) -> list[str]:
        """Remember ``query`` (stripped; empty is ignored) and write the file; the entries.

        Raises OSError when the file cannot be written (the entries are kept in memory)."""
        query = query.strip()
        if not query:
            return self.entries
        with self.lock:
            entries = [q for q in self._load() if q != query] + [query]
            self.entries = entries[-self.size :]
            self._write(self.entries)
        return self.entries


@dataclass
class SavedSearch:
    """A query with the side-panel filters and the sort it ran with."""

    name: str
    query: str
    sort: str = "relevance"
    # (field, key, display name), as the app's filters are: field "official" or "province"
    filters: list[tuple[str, str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "query": self.query,
            "sort": self.sort,
            "filters": [{"field": f, "key": k, "name": n} for f, k, n in self.filters],
        }

    @classmethod
    def from_json(cls, data: Any) -> SavedSearch | None:
        """None for an entry that is not one (the rest of the file is still used)."""
        if not isinstance(data, dict):
            return None
        name, query, sort = data.get("name"), data.get("query"), data.get("sort", "relevance")
        if not (isinstance(name, str) and name and isinstance(query, str)):
            return None
        filters = []
        for entry in data.get("filters") or []:
            if isinstance(entry, dict) and all(
                isinstance(entry.get(k), str) for k in ("field", "key", "name")
            ):
                filters.append((entry["field"], entry["key"], entry["name"]))
        sort = sort if sort in ("relevance", "date") else "relevance"
        return cls(name=name, query=query, sort=sort, filters=filters)

    def filter_keys(self) -> dict[str, list[str]]:
        """The filters as ``CorpusIndex.search`` takes them."""
        out: dict[str, list[str]] = {}
        for fieldname, key, _name in self.filters:
            out.setdefault(fieldname, []).append(key)
        return out


def describe_saved(search: SavedSearch) -> str:
    """A saved search in words: its query, filters and sort."""
    text = search.query or "(every file)"
    if search.filters:
        text += " · " + " + ".join(name for _f, _k, name in search.filters)
    return f"{text} · by {search.sort}"


class SavedSearches(_JsonList):
    """Named searches of one corpus, in the order they were saved."""

    key = "searches"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.searches: list[SavedSearch] = self._load()

    @classmethod
    def for_corpus(cls, corpus: Path) -> SavedSearches:
        return cls(state_dir(corpus) / "saved-searches.json")

    def _load(self) -> list[SavedSearch]:
        found = [SavedSearch.from_json(e) for e in self._read()]
        return [s for s in found if s is not None]

    def get(self, name: str) -> SavedSearch | None:
        return next((s for s in self.searches if s.name == name), None)

    def names(self) -> list[str]:
        return [s.name for s in self.searches]

    def save(self, search: SavedSearch) -> None:
        """Add ``search``, replacing one of the same name in its place.  Raises ValueError
        for an unusable name, OSError when the file cannot be written."""
        name = " ".join(search.name.split())
        if not name:
            raise ValueError("a saved search needs a name")
        if len(name) > NAME_LIMIT:
            raise ValueError(f"a name has at most {NAME_LIMIT} characters")
        search.name = name
        with self.lock:
            current = self._load()
            names = [s.name for s in current]
            if name in names:
                current[names.index(name)] = search
            else:
                current.append(search)
            self._store(current)

    def delete(self, name: str) -> bool:
        """Remove the search called ``name``; False if there was none."""
        with self.lock:
            current = self._load()
            kept = [s for s in current if s.name != name]
            self.searches = current
            if len(kept) == len(current):
                return False
            self._store(kept)
        return True

    def _store(self, searches: list[SavedSearch]) -> None:
        self._write([s.to_json() for s in searches])
        self.searches = searches
