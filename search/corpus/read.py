"""Finding the articles in a corpus folder and reading one as the reader will show it.

The walk never opens anything that could block (FIFOs, devices), never leaves the corpus
root through a symlink and never goes round a loop; everything it passes over is reported
with a reason, because a silently missing article is the worst failure a search tool has.
"""

from __future__ import annotations

import datetime
import errno
import fnmatch
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from search.corpus.header import split_header
from search.excludes import CORPUSIGNORE, Excludes, Rule
from search.extract.model import Extraction
from search.text import BinaryFileError, decode

__all__ = [
    "DEFAULT_GLOBS",
    "DEFAULT_MAX_BYTES",
    "SAMPLE_CORPUS",
    "CorpusFile",
    "Document",
    "Excluded",
    "Skipped",
    "UnreadableError",
    "load_text",
    "read_document",
    "scan_corpus",
]

DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.md")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def _sample_corpus() -> Path:
    """The bundled sample: inside the package once installed from a wheel (``pip install .``,
    ``pipx install .``), at the top of the clone in a checkout or an editable install.  Its
    index goes to the user cache dir like any corpus's, never into site-packages."""
    package = Path(__file__).resolve().parents[1]  # search/
    for candidate in (package / "sample_corpus", package.parent / "sample_corpus"):
        if candidate.is_dir():
            return candidate
    return Path("sample_corpus")


# What the app and the command line open when given no corpus.
SAMPLE_CORPUS = _sample_corpus()


class CorpusFile(NamedTuple):
    """A file to index.  A named tuple: a scan makes one per file, and a frozen dataclass
    costs ten times as much to create (60 ms of a 21,578-file scan)."""

    path: str  # relative to the corpus root, "/"-separated, exactly as on disk
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


class Excluded(NamedTuple):
    """A file or folder an exclude pattern left out (a folder is not entered)."""

    path: str
    rule: Rule
    is_dir: bool


class UnreadableError(OSError):
    """A file that could not be read as text; str() is the reason for the report."""


@dataclass
class Document:
    """One article as every client sees it: ``text`` is what offsets count in."""

    path: str
    title: str
    date: datetime.date | None
    date_inferred: bool
    text: str
    sha1: str
    size: int
    mtime_ns: int
    extraction: Extraction
    warnings: list[str] = field(default_factory=list)
    first_line: int = 1  # the line of the file that ``text`` starts on (after a header)


Matcher = Callable[[str, str], bool]


def _matcher(globs: Sequence[str]) -> Matcher:
    """Whether (relative path, name) is wanted: case-insensitive, like Recoll's suffixes, so
    REPORT.TXT from an old PC is an article too.  Globs with a / match the relative path,
    the others the name; each kind is one compiled pattern, tried once per file."""

    def pattern(kind: list[str]) -> re.Pattern[str] | None:
        parts = [fnmatch.translate(g.casefold()) for g in kind]
        return re.compile("|".join(parts)) if parts else None

    path_globs = [g for g in globs if "/" in g]
    name_globs = [g for g in globs if "/" not in g]
    if not path_globs and all(
        g.startswith("*.") and not any(c in g[1:] for c in "*?[") for g in name_globs
    ):
        # Only "*.txt"-style globs (the default): a suffix test in C, the same answer.
        suffixes = tuple(g[1:].casefold() for g in name_globs)
        return lambda _rel, name: name.casefold().endswith(suffixes)
    by_path = pattern(path_globs)
    by_name = pattern(name_globs)

    def matches(rel: str, name: str) -> bool:
        return bool(
            (by_name is not None and by_name.match(name.casefold()))
            or (by_path is not None and by_path.match(rel.casefold()))
        )

    return matches


def scan_corpus(
    root: Path, globs: Sequence[str] = DEFAULT_GLOBS, excludes: Excludes | None = None
) -> Iterator[CorpusFile | Skipped | Excluded]:
    """Yield every indexable file under ``root`` and every file or folder passed over.

    A file or folder an exclude rule matches is yielded as Excluded (a file only if the
    globs want it), and an excluded folder is not entered.

    Symlinks are followed only while they stay inside the root, and each real folder is
    entered once, which defeats loops and mutual links alike.  Links are followed only
    after every real folder was walked, so a folder reached both ways is indexed under its
    own path whatever the names (and the link is reported), not under whichever sorts first.
    """
    root = Path(root)
    wanted = _matcher(globs)
    rules = excludes if excludes else None

    def kept(item: CorpusFile | Skipped | tuple[str, str] | None) -> Iterator[Any]:
        """``item``, or what an exclude rule makes of it; a folder comes as (path, rel/)."""
        if rules is not None and item is not None and not isinstance(item, Skipped):
            rel, is_dir = (item[1][:-1], True) if type(item) is tuple else (item.path, False)
            rule = rules.match(rel, is_dir)
            if rule is not None:
                yield Excluded(rel, rule, is_dir)
                return
        if item is not None:
            yield item

    real_root = os.path.realpath(root)
    seen_dirs: set[tuple[int, int]] = set()
    st = os.stat(real_root)
    seen_dirs.add((st.st_dev, st.st_ino))
    stack: list[tuple[str, str]] = [(str(root), "")]
    links: list[tuple[os.DirEntry[str], str]] = []  # in walk order, followed last
    while stack or links:
        if not stack:
            entry, rel = links.pop(0)
            for item in kept(_classify(entry, rel, real_root, seen_dirs, wanted)):
                if type(item) is tuple:  # a folder to enter (a CorpusFile is a tuple too)
                    stack.append(item)
                else:
                    yield item
            continue
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(prefix.rstrip("/") or ".", f"cannot list folder: {exc.strerror}")
            continue
        # Files in name order (a rebuild numbers documents in this order, which breaks
        # ties of date and score); folders after them, entered in name order too; links
        # once every real folder is done.
        folders: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            rel = prefix + name
            if not name.isascii():
                try:
                    rel.encode("utf-8")
                except UnicodeEncodeError:
                    yield Skipped(rel.encode("utf-8", "replace").decode(), "file name is not UTF-8")
                    continue
            if name.startswith("."):
                if rel != CORPUSIGNORE:  # the corpus's settings, not a hidden article
                    yield Skipped(rel, "hidden")
                continue
            # The common case first, kept short: a plain file (is_file reads the type the
            # folder listing already gave; only wanted files cost a stat).
            if entry.is_file(follow_symlinks=False):
                if wanted(rel, name):
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError as exc:
                        yield Skipped(rel, f"cannot stat: {exc.strerror}")
                        continue
                    if rules is None:  # the common case stays one yield per file
                        yield CorpusFile(rel, st.st_size, st.st_mtime_ns)
                    else:
                        yield from kept(CorpusFile(rel, st.st_size, st.st_mtime_ns))
                continue
            if entry.is_symlink():
                links.append((entry, rel))
                continue
            for item in kept(_classify(entry, rel, real_root, seen_dirs, wanted)):
                if type(item) is tuple:  # a folder to enter (a CorpusFile is a tuple too)
                    folders.append(item)
                else:
                    yield item
        stack.extend(reversed(folders))


def _classify(
    entry: os.DirEntry[str],
    rel: str,
    real_root: str,
    seen_dirs: set[tuple[int, int]],
    wanted: Matcher,
) -> CorpusFile | Skipped | tuple[str, str] | None:
    """What an entry other than a plain file is: a folder to enter, a file reached through a
    link, or a skip."""
    is_link = entry.is_symlink()
    if is_link:
        target = os.path.realpath(entry.path)
        if not os.path.exists(target):
            return Skipped(rel, _broken_link_reason(entry.path))
        if os.path.commonpath([real_root, target]) != real_root:
            return Skipped(rel, "symlink leads out of the corpus")
    try:
        st = os.stat(entry.path)  # follows the (checked) link; never opens the file
    except OSError as exc:
        return Skipped(rel, f"cannot stat: {exc.strerror}")
    if stat.S_ISDIR(st.st_mode):
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            return Skipped(rel, "symlink loop or folder already indexed") if is_link else None
        seen_dirs.add(key)
        return (entry.path, rel + "/")
    if not wanted(rel, entry.name):
        return None
    if not stat.S_ISREG(st.st_mode):
        return Skipped(rel, "not a regular file (FIFO, socket or device)")
    return CorpusFile(rel, st.st_size, st.st_mtime_ns)


def _broken_link_reason(path: str) -> str:
    """A link that resolves to nothing: a loop of links (a -> b -> a, a -> a) or dangling."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
    return "dangling symlink"


def _read_bytes(path: str, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """Read at most ``max_bytes``; O_NONBLOCK and a re-check defeat a file swapped for a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableError(f"cannot open: {exc.strerror}") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableError("not a regular file (FIFO, socket or device)")
        return _read_fd(fd, max_bytes, st.st_size), st
    except OSError as exc:
        if isinstance(exc, UnreadableError):
            raise
        raise UnreadableError(f"cannot read: {exc.strerror}") from exc
    finally:
        os.close(fd)


def _read_fd(fd: int, limit: int, size: int) -> bytes:
    """Up to ``limit`` bytes; a file that kept its ``size`` (under the limit) is one read and
    one that finds its end.

    Plain ``os.read`` calls: a buffered file object per article cost more than the reads.
    """
    chunks: list[bytes] = []
    while limit > 0:
        chunk = os.read(fd, min(limit, max(size + 1, 2**16)))
        if not chunk:
            break
        chunks.append(chunk)
        limit -= len(chunk)
    return b"".join(chunks)


def load_text(
    root: str | Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[str, str, os.stat_result, list[str]]:
    """The normalised text of a file, its SHA-1, its stat and any warnings.

    Raises UnreadableError for files that cannot be read or are not text.
    """
    # A string path: two Path objects per article cost more than reading a short one.
    data, st = _read_bytes(os.path.join(root, rel), max_bytes + 1)
    warnings: list[str] = []
    if len(data) > max_bytes:
        data = data[:max_bytes]
        warnings.append(
            f"file is {st.st_size:,} bytes; only the first {max_bytes:,} bytes are indexed"
        )
    sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    try:
        decoded = decode(data)
    except BinaryFileError as exc:
        raise UnreadableError(f"not text: {exc}") from exc
    if decoded.replaced:
        warnings.append(
            f"{decoded.replaced} undecodable byte sequence(s) shown as \ufffd ({decoded.encoding})"
        )
    return decoded.text, sha1, st, warnings


def read_document(
    root: str | Path,
    rel: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known: Callable[[str], Extraction | None] | None = None,
) -> Document:
    """Read, decode, split off the header and run the extractor: one article, ready to index.

    ``known`` maps the content's SHA-1 to findings already extracted from exactly that
    content (the index keeps them), which spares the extractor, the costly part of a read.
    """
    full, sha1, st, warnings = load_text(root, rel, max_bytes)
    header, text = split_header(full)
    if header is not None and header.problem:
        warnings.append(header.problem)
    found = known(sha1) if known is not None else None
    if found is None:
        from search.extract import extract  # the app rarely needs it: imported when it does

        found = extract(
            text,
            header_title=header.title if header else None,
            header_date=header.date if header else None,
            header_title_at=header.title_at if header else 0,
        )
    title = found.title or (header.title if header else "") or Path(rel).stem
    return Document(
        path=rel,
        title=title,
        date=found.date,
        date_inferred=found.date_inferred,
        text=text,
        sha1=sha1,
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        extraction=found,
        warnings=warnings,
        first_line=1 + full.count("\n", 0, len(full) - len(text)),
    )
