"""Where an index lives on disk and how a new one replaces the old without a gap.

Layout of an index folder::

    CURRENT            name of the live generation, replaced atomically (os.replace)
    gen-000007/        a complete Whoosh index + meta.json + catalogue.json
    writer.lock        held (flock) by the one process that may write

A rebuild writes a new ``gen-*`` folder beside the live one and only then points ``CURRENT``
at it, so a rebuild killed at any moment leaves the previous generation live and whole; the
next writer removes what the dead one left.  Incremental updates go into the live
generation through Whoosh's own commit, which is atomic (new segments first, then the TOC).
Readers never lock: they read ``CURRENT`` and open that generation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import platformdirs

from search.errors import IndexLockedError, IndexMissingError, IndexUnusableError

# What an index holds: bump when the Whoosh schema or the analysis changes what is written,
# or the extractor's findings change (they are stored per document); an index of another
# version is rebuilt automatically.
# 8: issue 17 (Vietnamese-language officials, provinces matched in their script, Chinese unit
# names, dates only from datelines and publication lines): stored findings change
# 9: a lead-sentence header line is read for entities (their header mentions are stored
# apart, as file offsets); titles shared by a list of names ("respectively"): findings change
# 10: the schema's field classes moved to search.engine.whoosh.schema, and an index's table of
# contents names them by module (a pickle): an older index is rebuilt rather than unreadable;
# words fold with search.fold's table (the extractor's) instead of Whoosh's accent_map
SCHEMA_VERSION = 10

__all__ = [
    "SCHEMA_VERSION",
    "IndexStore",
    "clear_pending",
    "corpus_folder_name",
    "default_index_dir",
    "file_checksum",
    "mark_pending",
    "newest_toc",
    "read_checksums",
    "record_checksums",
    "verify_files",
    "was_pending",
    "write_json_atomic",
    "write_text_atomic",
]

_CURRENT = "CURRENT"
_LOCK = "writer.lock"
_OWNER = "writer.pid"
_META = "meta.json"
CATALOGUE = "catalogue.json"


def corpus_folder_name(corpus: Path) -> str:
    """The one folder name a corpus has in every per-user dir: readable, and unique by its
    real path (``articles-3f2a9c1e04b7``)."""
    real = os.path.realpath(corpus)
    digest = hashlib.sha1(real.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(real).name)[:40]
    return f"{name or 'root'}-{digest}"


def default_index_dir(corpus: Path) -> Path:
    """One index per corpus folder, under the user's cache dir, named so a person can tell."""
    return Path(platformdirs.user_cache_dir("corpus-browser")) / corpus_folder_name(corpus)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write, fsync, rename: a reader sees the old file or the new one, never half of one."""
    # dumps, not dump: only dumps uses the C encoder (files.json for 20,000 files: 40 ms
    # instead of 0.4 s).
    write_text_atomic(path, json.dumps(data, ensure_ascii=False))


def write_text_atomic(path: Path, text: str) -> None:
    """``write_json_atomic`` for text; a file it replaces keeps its permissions."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with contextlib.suppress(OSError):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class IndexStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- reading -------------------------------------------------------------------------
    def current(self) -> Path | None:
        """The live generation folder, or None when there is no index yet."""
        try:
            name = (self.root / _CURRENT).read_text(encoding="utf-8", errors="replace").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise IndexUnusableError(
                f"cannot read index pointer {self.root / _CURRENT}: {exc}"
            ) from exc
        if not name.startswith("gen-") or "/" in name:
            raise IndexUnusableError(
                f"index pointer {self.root / _CURRENT} is damaged; "
                "run corpus-browser index on the corpus to rebuild it"
            )
        return self.root / name

    def require_current(self, corpus: Path) -> Path:
        gen = self.current()
        if gen is None or not gen.is_dir():
            raise IndexMissingError(
                f"no index for {corpus} at {self.root}; "
                f"build it with: corpus-browser index {corpus}"
            )
        return gen

    def stamp(self) -> tuple[int, int] | None:
        """Cheap change detector for readers: (inode, mtime) of CURRENT."""
        try:
            st = os.stat(self.root / _CURRENT)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def version(self) -> tuple[tuple[int, int] | None, int]:
        """What a commit or a publish changes: the stamp of CURRENT and the number of the
        live generation's newest table of contents (-1: none, or no live generation)."""
        stamp = self.stamp()
        try:
            gen = self.current()
        except IndexUnusableError:
            gen = None
        return stamp, newest_toc(gen) if gen is not None else -1

    @staticmethod
    def read_meta(gen: Path) -> dict[str, Any]:
        try:
            return json.loads((gen / _META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    @staticmethod
    def schema_problem(gen: Path) -> str | None:
        """Why this generation cannot be used by this version, or None."""
        meta = IndexStore.read_meta(gen)
        version = meta.get("schema_version")
        if version != SCHEMA_VERSION:
            return f"index schema version {version} differs from this version's {SCHEMA_VERSION}"
        return None

    @staticmethod
    def corpus_problem(gen: Path, corpus: Path) -> str | None:
        """Why this generation belongs to another corpus folder, or None.

        An index folder passed by hand (--index-dir) for the wrong corpus would otherwise be
        silently emptied by the next update, or answer with another corpus's files.
        """
        recorded = IndexStore.read_meta(gen).get("corpus")
        if not recorded or recorded == os.path.realpath(corpus):
            return None
        return (
            f"index {gen.parent} was built for corpus {recorded}, not {os.path.realpath(corpus)}; "
            "use another --index-dir, or --rebuild to replace it"
        )

    # -- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def writer_lock(self, timeout: float) -> Iterator[None]:
        """Hold the one writer lock; a second writer waits ``timeout`` seconds then fails."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexUnusableError(
                f"cannot create index folder {self.root}: {exc.strerror}"
            ) from exc
        import filelock  # on first write: it costs 25 ms of imports that readers never need

        lock = filelock.FileLock(str(self.root / _LOCK), timeout=timeout)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise IndexLockedError(
                f"index {self.root} is being written by another process{self._owner()}; "
                f"waited {timeout:g}s. Try again when it finishes, or pass --wait SECONDS"
            ) from None
        except OSError as exc:
            raise IndexUnusableError(
                f"cannot lock index folder {self.root}: {exc.strerror}"
            ) from exc
        try:
            with contextlib.suppress(OSError):
                (self.root / _OWNER).write_text(str(os.getpid()))
            yield
        finally:
            lock.release()

    def _owner(self) -> str:
        try:
            pid = (self.root / _OWNER).read_text().strip()
        except OSError:
            return ""
        return f" (pid {pid})" if pid.isdigit() else ""

    def new_generation(self) -> Path:
        """A fresh, empty generation folder (call with the writer lock held)."""
        numbers = [_number(p) for p in self.root.glob("gen-*")]
        gen = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        gen.mkdir()
        return gen

    def write_meta(self, gen: Path, corpus: Path, extra: dict[str, Any]) -> None:
        meta = {
            "schema_version": SCHEMA_VERSION,
            "corpus": os.path.realpath(corpus),
            "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            **extra,
        }
        write_json_atomic(gen / _META, meta)

    def publish(self, gen: Path) -> None:
        """Make ``gen`` live in one atomic rename, then drop generations nobody needs."""
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".CURRENT.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(gen.name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / _CURRENT)
        _fsync_dir(self.root)
        self.clean()

    def clean(self, keep_previous: bool = True) -> list[str]:
        """Remove what dead or finished writers left (call with the writer lock held).

        Kept: the live generation and the one before it, so a reader that opened the old
        one just before a swap can finish its search.  Generations newer than the live one
        are rebuilds that were killed before they were published.  A rebuild about to start
        passes ``keep_previous=False``: readers of the old one finished long ago, and
        keeping it would make the rebuild need room for three indexes instead of two.
        """
        try:
            live = self.current()
        except IndexUnusableError:
            return []  # which generation is live cannot be told: remove nothing
        numbers = sorted(_number(p) for p in self.root.glob("gen-*") if _number(p) >= 0)
        keep: set[int] = set()
        if live is not None and _number(live) in numbers:
            current = _number(live)
            previous = max((n for n in numbers if n < current), default=-1)
            keep = {current, previous} if keep_previous else {current}
        removed = []
        for path in self.root.iterdir():
            stale_gen = path.name.startswith("gen-") and _number(path) not in keep
            if stale_gen or path.name.startswith(".CURRENT."):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        path.unlink()
                removed.append(path.name)
        return removed


# -- integrity ---------------------------------------------------------------------------
# Every commit records the size, mtime and CRC-32 of each file its table of contents uses
# (Whoosh writes a file once and never changes it), so damage is noticed before the index
# is trusted: by sizes and checksums, not by Whoosh, which notices a damaged file only when
# a read happens to fail, and answers wrongly from many damaged files without failing.
CHECKSUMS = "checksums.json"
# Present while an update commits: found at the next start, it means an unclean stop.
_PENDING = "update.pending"
# Postings and term files: most of an index's bytes (62 of Reuters' 68 MB).  A quick check
# reads them only when their mtime moved; it reads every other file (columns, stored
# fields, the table of contents: what search reads whole or most of).
_BULK = (".pst", ".trm")
FileRecord = dict[str, list[Any]]  # name -> [size, mtime_ns, crc32 as 8 hex digits]


def file_checksum(path: Path) -> str:
    """CRC-32: 1.6 GB/s here (BLAKE2b 0.4 GB/s); it is for damage, not for an attacker."""
    crc = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return f"{crc:08x}"


def record_checksums(gen: Path, toc: int, names: list[str]) -> None:
    """Record ``names`` (the files of table of contents ``toc``) after a commit.

    A file the previous record knows keeps its checksum: it was verified when this run
    started, and reading it again would launder damage done since.  Only new files are read.
    """
    previous = read_checksums(gen)
    known = previous[1] if previous else {}
    files: FileRecord = {}
    for name in names:
        st = os.stat(gen / name)
        old = known.get(name)
        crc = old[2] if old and old[0] == st.st_size else file_checksum(gen / name)
        files[name] = [st.st_size, st.st_mtime_ns, crc]
    write_json_atomic(gen / CHECKSUMS, {"toc": toc, "files": files})


def read_checksums(gen: Path) -> tuple[int, FileRecord] | None:
    """(table of contents number, record) of the last recorded commit; None when none is."""
    try:
        data = json.loads((gen / CHECKSUMS).read_text(encoding="utf-8"))
        return int(data["toc"]), dict(data["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def verify_files(gen: Path, record: FileRecord, full: bool) -> str | None:
    """What is wrong with the recorded files (one phrase, our own words), or None.

    Sizes always; checksums of every file when ``full``, else of every file but the bulky
    ones, and of those too when their mtime moved.
    """
    for name, (size, mtime_ns, crc) in sorted(record.items()):
        try:
            st = os.stat(gen / name)
        except FileNotFoundError:
            return f"index file {name} is missing"
        except OSError as exc:
            return f"index file {name} cannot be read ({exc.strerror})"
        if st.st_size != size:
            return f"index file {name} is {st.st_size} bytes, was {size}"
        if full or not name.endswith(_BULK) or st.st_mtime_ns != mtime_ns:
            try:
                actual = file_checksum(gen / name)
            except OSError as exc:
                return f"index file {name} cannot be read ({exc.strerror})"
            if actual != crc:
                return f"index file {name} does not match its checksum"
    return None


def mark_pending(gen: Path) -> None:
    (gen / _PENDING).write_bytes(b"")


def clear_pending(gen: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (gen / _PENDING).unlink()


def was_pending(gen: Path) -> bool:
    """Whether the last update of ``gen`` stopped before it finished its commit."""
    return (gen / _PENDING).exists()


def newest_toc(gen: Path) -> int:
    """The number of the newest table of contents in a generation (-1: none, or no folder),
    which every commit raises."""
    try:
        names = os.listdir(gen)
    except OSError:
        return -1
    return max(map(_toc_number, names), default=-1)


def _toc_number(name: str) -> int:
    """N for Whoosh's table of contents ``_MAIN_N.toc``, else -1."""
    if name.startswith("_MAIN_") and name.endswith(".toc"):
        digits = name[len("_MAIN_") : -len(".toc")]
        if digits.isdigit():
            return int(digits)
    return -1


def _number(gen: Path) -> int:
    digits = gen.name[4:]
    return int(digits) if digits.isdigit() else -1


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
