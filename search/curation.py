"""An analyst's corrections to the officials and provinces of one corpus, kept in TOML.

The file (``corpus-browser.toml``) is the source of truth: it lives in the corpus folder, or
beside the index when the corpus folder is read-only, never inside a generation of the index
that a rebuild replaces.  The index applies it when it answers (``search.index.facade``), so
editing it re-reads no article and rewrites no index file.

This module knows the file: where it is, what it says (``Curation``: which index keys merge,
are renamed, hidden, have more spellings, or are added), and how to change it without losing
what the analyst wrote there (tomlkit keeps comments, order and layout).  It knows nothing
of the search engine.  tomlkit is imported only when a file is read or written: a search
on a corpus without one never loads it.  See docs/curation.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from search.errors import CorpusBrowserError
from search.extract.model import Extraction, Official, Province, Span

__all__ = [
    "CURATION_FILE",
    "FIELDS",
    "Curation",
    "CurationError",
    "CurationFile",
    "Entry",
    "curation_path",
    "find_curation",
]

CURATION_FILE = "corpus-browser.toml"
FIELDS = ("official", "province")
SETTINGS = ("name", "aliases", "hide", "merge_into", "add", "title")
_HEADER = """\
# corpus-browser curation: corrections to the officials and provinces of this corpus.
# One table per entity, named as the side panel shows it (case and diacritics do not
# matter). Settings: name, aliases, hide, merge_into, add, title; see docs/curation.md.
"""

Known = Mapping[str, Mapping[str, Mapping[str, Any]]]  # field -> key -> catalogue entry


class CurationError(CorpusBrowserError):
    """A problem of the curation file, or an edit that cannot be made; one line (exit 2)."""


def find_curation(corpus: Path, index_root: Path) -> Path | None:
    """The curation file in force: the corpus folder's, else the one beside the index."""
    for folder in (corpus, index_root):
        path = Path(folder) / CURATION_FILE
        if path.is_file():
            return path
    return None


def curation_path(corpus: Path, index_root: Path) -> Path:
    """Where the curation is (or, when there is none yet, where a first edit writes it):
    the corpus folder when it is writable, so the corrections travel with the articles;
    else beside the index (a read-only corpus, a shared mount)."""
    found = find_curation(corpus, index_root)
    if found is not None:
        return found
    if os.access(corpus, os.W_OK):
        return Path(corpus) / CURATION_FILE
    return Path(index_root) / CURATION_FILE


@dataclass
class Entry:
    """One table of the file: the corrections to one entity, as written."""

    field: str
    name: str  # the table's name, as the analyst wrote it
    line: int
    key: str = ""  # the index key it names, once resolved
    rename: str | None = None
    aliases: list[str] = field(default_factory=list)
    hide: bool = False
    merge_into: str | None = None
    add: bool = False
    title: str | None = None


@dataclass
class Curation:
    """What a curation file does to the index's entities, by index key.

    ``canonical`` maps a merged key to the key it counts as (chains followed), ``hidden``
    holds hidden canonical keys, ``names``/``titles`` override what the panel shows,
    ``spellings`` are the texts that count as mentions of a canonical key (aliases and the
    names of added officials), and ``added`` the officials the file adds.  ``problems`` are
    the entries that could not be applied, each ``FILE:LINE: what``.
    """

    path: Path | None = None
    canonical: dict[str, dict[str, str]] = field(default_factory=lambda: _per_field(dict))
    hidden: dict[str, set[str]] = field(default_factory=lambda: _per_field(set))
    names: dict[str, dict[str, str]] = field(default_factory=lambda: _per_field(dict))
    titles: dict[str, str] = field(default_factory=dict)
    spellings: dict[str, dict[str, list[str]]] = field(default_factory=lambda: _per_field(dict))
    added: dict[str, dict[str, str]] = field(default_factory=lambda: _per_field(dict))
    lookup: dict[str, dict[str, str]] = field(default_factory=lambda: _per_field(dict))
    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return (
            any(any(table.values()) for table in (self.canonical, self.hidden, self.spellings))
            or any(self.names.values())
            or bool(self.titles)
        )

    def target(self, fieldname: str, key: str) -> str:
        """The key ``key`` counts as (itself unless merged)."""
        return self.canonical.get(fieldname, {}).get(key, key)

    def members(self, fieldname: str, key: str) -> list[str]:
        """The index keys that count as canonical ``key``: itself and those merged into it."""
        merged = [k for k, t in self.canonical.get(fieldname, {}).items() if t == key]
        return [key, *sorted(merged)]

    def is_hidden(self, fieldname: str, key: str) -> bool:
        return self.target(fieldname, key) in self.hidden.get(fieldname, set())

    def resolve_name(self, fieldname: str, folded: str) -> str | None:
        """The key a renamed or added entity's name stands for (``folded``: as ``fold``)."""
        return self.lookup.get(fieldname, {}).get(folded)


def _per_field(kind: Callable[[], Any]) -> dict[str, Any]:
    return {f: kind() for f in FIELDS}


# -- reading ------------------------------------------------------------------------------
def parse_entries(path: Path, text: str) -> list[Entry]:
    """The file's entries, or CurationError for a file that is not valid (``FILE:LINE:``)."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        data = tomlkit.parse(text).unwrap()
    except ParseError as exc:
        raise CurationError(f"{path}:{exc.line}: not valid TOML ({_reason(exc)})") from None
    lines = _header_lines(text)
    entries: list[Entry] = []
    for top, value in data.items():
        if top not in FIELDS:
            raise CurationError(
                f"{path}:{lines.get((top, None), 1)}: unknown section [{top}]; "
                'sections are [official."NAME"] and [province."NAME"]'
            )
        if not isinstance(value, dict):
            raise CurationError(f"{path}:{lines.get((top, None), 1)}: {top} must be tables")
        for name, settings in value.items():
            line = lines.get((top, name)) or lines.get((top, None), 1)
            entries.append(_entry(path, top, name, settings, line))
    return entries


def _reason(exc: Exception) -> str:
    """tomlkit's message without its own " at line L col C" (the line is given first)."""
    text = str(exc)
    cut = text.rfind(" at line ")
    return text[:cut] if cut > 0 else text


def _entry(path: Path, fieldname: str, name: str, settings: Any, line: int) -> Entry:
    where = f"{path}:{line}"
    if not isinstance(settings, dict):
        raise CurationError(f'{where}: {fieldname}."{name}" must be a table of settings')
    unknown = [k for k in settings if k not in SETTINGS]
    if unknown:
        raise CurationError(
            f"{where}: unknown setting {unknown[0]!r}; settings are {', '.join(SETTINGS)}"
        )
    entry = Entry(fieldname, name, line)
    for key, kind in (("name", str), ("merge_into", str), ("title", str)):
        value = settings.get(key)
        if value is not None and (not isinstance(value, kind) or not value.strip()):
            raise CurationError(f"{where}: {key} must be a non-empty string")
    for key in ("hide", "add"):
        if not isinstance(settings.get(key, False), bool):
            raise CurationError(f"{where}: {key} must be true or false")
    aliases = settings.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise CurationError(f'{where}: aliases must be a list of strings, as ["Kohl"]')
    if settings.get("add") and fieldname != "official":
        raise CurationError(f"{where}: add is for officials; provinces come from the gazetteer")
    entry.rename = settings.get("name")
    entry.aliases = list(aliases)
    entry.hide = settings.get("hide", False)
    entry.merge_into = settings.get("merge_into")
    entry.add = settings.get("add", False)
    entry.title = settings.get("title")
    return entry


def _header_lines(text: str) -> dict[tuple[str, str | None], int]:
    """The line of each table header, by (section, name): ``[official."Kohl"]`` gives
    ("official", "Kohl"), ``[official]`` gives ("official", None)."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    found: dict[tuple[str, str | None], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("[") or stripped.startswith("[["):
            continue
        try:
            header = tomlkit.parse(stripped).unwrap()
        except ParseError:
            continue
        for top, inner in header.items():
            found.setdefault((top, None), number)
            if isinstance(inner, dict):
                for name in inner:
                    found.setdefault((top, name), number)
    return found


def compile_curation(
    path: Path,
    entries: list[Entry],
    known: Known,
    fold: Callable[[str], str],
    resolve_province: Callable[[str], str | None],
) -> Curation:
    """What ``entries`` do to the entities ``known`` (the index's catalogue).

    An entry naming an entity the index does not know is left out with a problem (the
    extractor may have stopped finding it after a rebuild: the rest still applies).  A merge
    cycle makes the whole file unusable: CurationError.
    """
    cur = Curation(path=path)
    by_key: dict[tuple[str, str], Entry] = {}
    for e in entries:  # added officials first: other entries may name them
        if e.add:
            e.key = fold(e.name)
            cur.added["official"][e.key] = e.name
            cur.lookup["official"][e.key] = e.key
    for e in entries:  # renamed names next: merges may name the new name
        if e.rename and not e.add:
            key = _key(e.field, e.name, known, cur, fold, resolve_province)
            if key:
                cur.lookup[e.field][fold(e.rename)] = key
    for e in entries:
        if not e.add:
            e.key = _key(e.field, e.name, known, cur, fold, resolve_province) or ""
        if not e.key:
            cur.problems.append(
                f'{path}:{e.line}: no {e.field} "{e.name}" in this index; entry not applied'
            )
            continue
        if (e.field, e.key) in by_key:
            other = by_key[(e.field, e.key)]
            cur.problems.append(
                f'{path}:{e.line}: "{e.name}" is the {e.field} of line {other.line} again; '
                "entry not applied"
            )
            continue
        by_key[(e.field, e.key)] = e
    edges: dict[str, dict[str, tuple[str, Entry]]] = _per_field(dict)
    for (fieldname, key), e in by_key.items():
        if e.merge_into is None:
            continue
        into = _key(fieldname, e.merge_into, known, cur, fold, resolve_province)
        if not into:
            cur.problems.append(
                f'{path}:{e.line}: merge_into names no {fieldname} "{e.merge_into}" of this '
                "index; merge not applied"
            )
        elif into != key:
            edges[fieldname][key] = (into, e)
    for fieldname, table in edges.items():
        for start in table:
            seen = [start]
            node = start
            while node in table:
                node = table[node][0]
                if node in seen:
                    names = " -> ".join(table[k][1].name for k in seen[seen.index(node) :])
                    raise CurationError(
                        f"{path}:{table[start][1].line}: merge cycle: {names} -> "
                        f"{table[node][1].name}"
                    )
                seen.append(node)
            cur.canonical[fieldname][start] = node
    for (fieldname, key), e in by_key.items():
        target = cur.target(fieldname, key)
        if e.rename and target == key:
            cur.names[fieldname][key] = e.rename
        if e.hide and target == key:
            cur.hidden[fieldname].add(key)
        if e.title and fieldname == "official" and target == key:
            cur.titles[key] = e.title
        spellings = cur.spellings[fieldname].setdefault(target, [])
        extra = ([e.name] if e.add else []) + e.aliases
        spellings.extend(s for s in extra if s not in spellings)
        if not spellings:
            del cur.spellings[fieldname][target]
    return cur


def _key(
    fieldname: str,
    name: str,
    known: Known,
    cur: Curation,
    fold: Callable[[str], str],
    resolve_province: Callable[[str], str | None],
) -> str | None:
    """The index key ``name`` stands for, or None when the index has no such entity."""
    folded = fold(name)
    keys = known.get(fieldname, {})
    if fieldname == "official":
        if folded in keys or folded in cur.added["official"]:
            return folded
    else:
        for key in (folded.replace(" ", "_"), resolve_province(name)):
            if key and key in keys:
                return key
    named = cur.resolve_name(fieldname, folded)
    if named:
        return named
    # As the panel shows it: a catalogue name (a province in the corpus's own spelling).
    return next((k for k, entry in keys.items() if fold(entry.get("name", "")) == folded), None)


# -- writing ------------------------------------------------------------------------------
class CurationFile:
    """The file as text and as a tomlkit document, changed in place and written back whole,
    so the analyst's comments, order and layout survive every edit."""

    def __init__(self, path: Path) -> None:
        import tomlkit

        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.text = ""
        except (OSError, UnicodeDecodeError) as exc:
            raise CurationError(f"{path}:1: cannot read the curation file ({exc})") from None
        parse_entries(path, self.text)  # never rewrite a file we cannot read: say why
        self.created: list[tuple[str, str]] = []  # tables this edit adds
        self.doc = tomlkit.parse(self.text or _HEADER)

    def table(
        self, fieldname: str, key: str, name: str, key_of: Callable[[str], str | None]
    ) -> Any:
        """The table of the entity ``key`` (an existing one whose name resolves to it, or a
        new one named ``name``)."""
        import tomlkit

        section = self.doc.get(fieldname)
        if section is None:
            section = tomlkit.table(is_super_table=True)
            self.doc.add(fieldname, section)
        for existing in list(section.keys()):
            if existing == name or key_of(existing) == key:
                return section[existing]
        table = tomlkit.table()
        section.add(name, table)
        self.created.append((fieldname, name))
        return section[name]

    def append_alias(self, table: Any, spelling: str) -> bool:
        """Add ``spelling`` to the table's aliases; False when it is already there."""
        aliases = table.get("aliases")
        if aliases is None:
            table["aliases"] = [spelling]
            return True
        if spelling in aliases:
            return False
        aliases.append(spelling)
        return True

    def drop(self, fieldname: str, table: Any) -> None:
        """Remove an entity's table once no setting is left in it."""
        if len(table) == 0:
            section = self.doc[fieldname]
            for name in list(section.keys()):
                if section[name] is table:
                    del section[name]

    def save(self) -> str:
        """Write the document atomically; returns the text it replaced (for undo)."""
        import tomlkit

        previous = self.text
        text = _spaced(tomlkit.dumps(self.doc).rstrip("\n") + "\n", self.created)
        write_curation_text(self.path, text)
        self.text = text
        return previous


def _spaced(text: str, created: list[tuple[str, str]]) -> str:
    """``text`` with a blank line before each table an edit added and before the table
    after it (tomlkit puts a new table right under the last line of its section)."""
    lines = text.split("\n")
    where = _header_lines(text)
    before: set[int] = set()
    for table in created:
        start = where.get(table)
        if start is None:
            continue
        before.add(start - 1)
        later = [n for n in where.values() if n > start]
        if later:
            before.add(min(later) - 1)
    for index in sorted(before, reverse=True):
        if 0 < index < len(lines) and lines[index - 1].strip():
            lines.insert(index, "")
    return "\n".join(lines)


def write_curation_text(path: Path, text: str) -> None:
    """Replace the file's text atomically (a new file gets the umask's permissions)."""
    from search.index.generations import write_text_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        write_text_atomic(path, text)
        if new:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(path, 0o666 & ~mask)
    except OSError as exc:
        raise CurationError(f"cannot write {path}: {exc.strerror or exc}") from None


# -- the edits the CLI and the side panel make ----------------------------------------------
@dataclass
class Edit:
    """A change written to the file: what it did (one line), and the text before it."""

    path: Path
    message: str
    previous: str


class Resolver:
    """Names as the analyst types them, against the index's entities and the file in force."""

    def __init__(
        self,
        path: Path,
        text: str,
        known: Known,
        fold: Callable[[str], str],
        resolve_province: Callable[[str], str | None],
    ) -> None:
        self.known, self.fold, self.resolve_province = known, fold, resolve_province
        self.curation = compile_curation(
            path, parse_entries(path, text), known, fold, resolve_province
        )

    def key(self, fieldname: str, name: str) -> str | None:
        return _key(fieldname, name, self.known, self.curation, self.fold, self.resolve_province)

    def require(self, fieldname: str, name: str) -> str:
        key = self.key(fieldname, name)
        if key is None:
            raise CurationError(f'no {fieldname} "{name}" in this index')
        return key

    def index_name(self, fieldname: str, key: str) -> str:
        """The name the index gives ``key`` (an added official's as the file adds it)."""
        entry = self.known.get(fieldname, {}).get(key)
        if entry and entry.get("name"):
            return str(entry["name"])
        return self.curation.added.get(fieldname, {}).get(key, key)


def edit_curation(
    path: Path,
    known: Known,
    fold: Callable[[str], str],
    resolve_province: Callable[[str], str | None],
    op: str,
    fieldname: str,
    name: str,
    value: str | None = None,
) -> Edit:
    """Make one edit (``op`` in OPS) and write the file; CurationError says why not.

    ``value`` is the target of a merge, the new name, the alias, or an added official's
    title.  The edited file is checked as the index will read it before it is written.
    """
    file = CurationFile(path)
    names = Resolver(path, file.text, known, fold, resolve_province)
    if op == "add-official":
        message = _add_official(file, names, name, value)
    else:
        key = names.require(fieldname, name)
        shown = names.index_name(fieldname, key)
        table = file.table(fieldname, key, shown, lambda n: names.key(fieldname, n))
        message = _EDITS[op](_Target(file, names, fieldname, key, shown, table), value)
    import tomlkit

    Resolver(path, tomlkit.dumps(file.doc), known, fold, resolve_province)  # a cycle raises
    return Edit(path, message, file.save())


def _add_official(file: CurationFile, names: Resolver, name: str, title: str | None) -> str:
    name = " ".join(name.split())
    key = names.key("official", name)
    if key is not None and key not in names.curation.added["official"]:
        raise CurationError(
            f'"{name}" is already an official of this index; rename it or add an alias instead'
        )
    table = file.table("official", names.fold(name), name, lambda n: names.fold(n))
    table["add"] = True
    if title:
        table["title"] = title
    return f'added official "{name}"' + (f" ({title})" if title else "")


@dataclass
class _Target:
    """What one edit works on: the file, the names in force, and the entity's table."""

    file: CurationFile
    names: Resolver
    fieldname: str
    key: str
    shown: str
    table: Any


def _merge(t: _Target, value: str | None) -> str:
    into = t.names.require(t.fieldname, value or "")
    if t.names.curation.target(t.fieldname, into) == t.key or into == t.key:
        raise CurationError(f'"{value}" already counts as "{t.shown}": merging would make a cycle')
    t.table["merge_into"] = t.names.index_name(t.fieldname, into)
    return f'merged {t.fieldname} "{t.shown}" into "{t.table["merge_into"]}"'


def _rename(t: _Target, value: str | None) -> str:
    new = " ".join((value or "").split())
    if not new:
        raise CurationError("the new name is empty")
    other = t.names.key(t.fieldname, new)
    if other is not None and other != t.key:
        raise CurationError(f'"{new}" is the name of another {t.fieldname}; merge the two instead')
    if new == t.shown and "name" in t.table:
        del t.table["name"]
        t.file.drop(t.fieldname, t.table)
        return f'{t.fieldname} "{t.shown}" shown by its own name again'
    t.table["name"] = new
    return f'renamed {t.fieldname} "{t.shown}" to "{new}"'


def _alias(t: _Target, value: str | None) -> str:
    spelling = " ".join((value or "").split())
    if not spelling:
        raise CurationError("the alias is empty")
    if not t.file.append_alias(t.table, spelling):
        return f'"{spelling}" was already an alias of {t.fieldname} "{t.shown}"'
    return f'"{spelling}" now counts as {t.fieldname} "{t.shown}"'


def _hide(t: _Target, value: str | None) -> str:
    t.table["hide"] = True
    return f'hid {t.fieldname} "{t.shown}"'


def _unhide(t: _Target, value: str | None) -> str:
    if "hide" not in t.table:
        t.file.drop(t.fieldname, t.table)
        return f'{t.fieldname} "{t.shown}" was not hidden'
    del t.table["hide"]
    t.file.drop(t.fieldname, t.table)
    return f'{t.fieldname} "{t.shown}" shown again'


_EDITS = {
    "merge": _merge,
    "rename": _rename,
    "alias": _alias,
    "hide": _hide,
    "unhide": _unhide,
}
OPS = (*_EDITS, "add-official")


def restore_curation(path: Path, previous: str) -> None:
    """Undo: put back the text an edit replaced (no text: there was no file)."""
    if previous:
        write_curation_text(path, previous)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise CurationError(f"cannot remove {path}: {exc.strerror}") from None


# -- what a reader sees of one article ------------------------------------------------------
def curate_extraction(
    ext: Extraction,
    cur: Curation,
    known: Known,
    alias_spans: Mapping[tuple[str, str], list[tuple[int, int]]],
) -> Extraction:
    """``ext`` as the curation shows it: merged entities under the key they count as (their
    mentions together), hidden ones left out, names and titles as the file gives them, and
    the mentions of aliases and added officials (``alias_spans``, by (field, key)) added."""
    officials: dict[str, Official] = {}
    for o in ext.officials:
        key = cur.target("official", o.key)
        if cur.is_hidden("official", key):
            continue
        into = officials.setdefault(
            key, Official(key, shown_name(cur, known, "official", key, o.name), country=o.country)
        )
        _absorb(into, o.aliases, o.mentions)
        into.titles.extend(t for t in o.titles if t not in into.titles)
    provinces: dict[str, Province] = {}
    for p in ext.provinces:
        key = cur.target("province", p.key)
        if cur.is_hidden("province", key):
            continue
        name = shown_name(cur, known, "province", key, p.name)
        into = provinces.setdefault(key, Province(key, name, country=p.country, kind=p.kind))
        _absorb(into, p.aliases, p.mentions)
    for (fieldname, key), spans in alias_spans.items():
        if not spans or cur.is_hidden(fieldname, key):
            continue
        spellings = cur.spellings.get(fieldname, {}).get(key, [])
        if fieldname == "official":
            entry = known.get("official", {}).get(key, {})
            into = officials.setdefault(
                key,
                Official(
                    key, shown_name(cur, known, "official", key, key), country=entry.get("country")
                ),
            )
        else:
            entry = known.get("province", {}).get(key, {})
            into = provinces.setdefault(
                key,
                Province(key, shown_name(cur, known, "province", key, key),
                         country=entry.get("country", ""), kind=entry.get("kind", "province")),
            )  # fmt: skip
        _absorb(into, spellings, [Span(a, b) for a, b in spans])
    for key, title in cur.titles.items():
        if key in officials and title not in officials[key].titles:
            officials[key].titles.insert(0, title)
    first = lambda e: e.mentions[0].start if e.mentions else 0  # noqa: E731
    return replace(
        ext,
        officials=sorted(officials.values(), key=first),
        provinces=sorted(provinces.values(), key=first),
    )


def shown_name(cur: Curation, known: Known, fieldname: str, key: str, fallback: str) -> str:
    """The name the panel gives ``key``: the file's, else the index's, else ``fallback``."""
    renamed = cur.names.get(fieldname, {}).get(key)
    if renamed:
        return renamed
    added = cur.added.get(fieldname, {}).get(key)
    if added:
        return added
    return str(known.get(fieldname, {}).get(key, {}).get("name") or fallback)


def _absorb(into: Official | Province, aliases: list[str], mentions: list[Span]) -> None:
    into.aliases.extend(a for a in aliases if a not in into.aliases)
    into.mentions = sorted(set(into.mentions) | set(mentions), key=lambda s: (s.start, s.end))
