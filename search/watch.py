"""Watch mode: index a corpus's changes as they happen (``index --watch``; the app's
``--watch`` runs that command as its child).

Events come from watchfiles (the Rust ``notify`` crate: inotify on Linux, FSEvents on
macOS, ReadDirectoryChangesW on Windows; polling where none of them works).  An event only
says that something happened; what to index is decided, as always, by an incremental
update, which compares every file's size and mtime with the index.  So a folder moved in
or out, a rename, or a change missed while the index was locked all come right at the next
update, and the events only decide when it runs:

- **Debounce.**  An update runs once the tree has been quiet for ``QUIET`` (0.3 s), so a
  burst of changes (5,000 files copied in, an editor's save-by-rename) is one update; a
  stream that never pauses is still indexed every ``LONGEST`` (1.5 s).
- **Settling.**  A file that changed in the last ``QUIET`` (``SLOW_QUIET``, 1 s, once its
  changes have gone on for over a second: a file written slowly in chunks) is held: the
  update leaves it as it was indexed (or out, if new) and a later one takes it when it has
  settled.
- **What counts.**  Files the corpus's globs want, folders, and ``.corpusignore``; not what
  ``--exclude`` or ``.corpusignore`` leave out, hidden files and folders, editors' temporary
  files, or the index folder when it lies inside the corpus.
- **Other writers.**  A commit by another process (``index --rebuild``, a cron ``index``)
  is said (``outside``), so that the app reads the index again.
- **Faults.**  The corpus folder removed or unreadable, or the index locked by another
  writer: one line, and the watch goes on, trying again (the folder every second, the index
  every ``RETRY`` seconds), then updates as soon as it can.  A folder that comes back (or is
  replaced by another of the same name) is watched again and checked as a whole.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from search.corpus.read import DEFAULT_GLOBS
from search.corpus.read import _matcher as glob_matcher
from search.errors import CorpusBrowserError, IndexLockedError, Interrupted
from search.excludes import CORPUSIGNORE, Excludes

if TYPE_CHECKING:
    from search.engine.base import Progress, UpdateReport
    from search.index.facade import CorpusIndex

__all__ = [
    "LONGEST", "QUIET", "ChangeFilter", "Watch", "WatchEvent", "describe_changes", "is_editor_temp",
]  # fmt: skip

QUIET = 0.3  # seconds without a change before an update runs
LONGEST = 1.5  # a stream of changes is indexed at least this often
SLOW_QUIET = 1.0  # how long a file written slowly must rest before it is indexed
SLOW_SPAN = 1.0  # changes to one file over longer than this make it a slow writer
RETRY = 2.0  # seconds between attempts while the index is locked or an update failed
LOCK_WAIT = 1.0  # how long one attempt waits for another writer
FOLDER_POLL = 1.0  # seconds between looks at a corpus folder that is gone or unreadable
TICK_MS = 50  # how long one wait for events lasts, so deadlines and faults are seen at once
POLL_MS = 1000  # the polling interval where the system cannot report events
OUTSIDE_POLL = 1.0  # seconds between looks for a commit by another writer

# watchfiles' Change: 1 added, 2 modified, 3 deleted
_DELETED = 3


def is_editor_temp(name: str) -> bool:
    """Editors' swap, backup and save-by-rename files (hidden ones are left out anyway):
    ``notes.txt~``, ``#notes.txt#``, vim's ``4913`` probe, ``.swp``, JetBrains'
    ``___jb_tmp___``, partial downloads."""
    lowered = name.casefold()
    return (
        lowered.endswith(("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload"))
        or (lowered.startswith("#") and lowered.endswith("#"))
        or "___jb_" in lowered
        or lowered == "4913"  # vim writes and removes it to test a folder before a save
    )


class ChangeFilter:
    """Whether an event under the corpus may change what the index holds."""

    def __init__(
        self,
        root: Path,
        globs: Sequence[str] = DEFAULT_GLOBS,
        patterns: Sequence[str] = (),
        index_dir: Path | None = None,
    ) -> None:
        self.root = os.path.realpath(root)
        self.wanted = glob_matcher(globs)
        self.patterns = tuple(patterns)
        self.index_dir = os.path.realpath(index_dir) if index_dir is not None else None
        self.excludes = Excludes.load(Path(self.root), self.patterns)

    def __call__(self, change: int, path: str) -> str | None:
        """The event's path relative to the corpus root if it matters, else None."""
        # The folder's real path, not the file's: a link inside the corpus is its own name.
        real = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        rel = os.path.relpath(real, self.root)
        if rel in (".", "..") or rel.startswith(".." + os.sep) or self._in_index(real):
            return None
        rel = rel.replace(os.sep, "/")
        if rel == CORPUSIGNORE:
            self.excludes = Excludes.load(Path(self.root), self.patterns)
            return rel
        parts = rel.split("/")
        if any(part.startswith(".") for part in parts):
            return None
        excludes = self.excludes
        for depth in range(1, len(parts)):
            if excludes.match("/".join(parts[:depth]), True) is not None:
                return None  # in a folder left out
        if os.path.isdir(path):
            return rel if excludes.match(rel, True) is None else None
        if is_editor_temp(parts[-1]):
            return None
        if self.wanted(rel, parts[-1]):
            return rel if excludes.match(rel, False) is None else None
        # Gone, and not a file the globs want: perhaps a folder, moved out with its files
        # (they have no events of their own).  An update finds out, at the cost of a walk.
        return rel if change == _DELETED else None

    def _in_index(self, real: str) -> bool:
        index_dir = self.index_dir
        return index_dir is not None and (real == index_dir or real.startswith(index_dir + os.sep))


@dataclass
class WatchEvent:
    """What the watch has to say: ``update`` (an update committed: ``report``; ``held``
    files still changing), ``problem`` (a fault; the watch goes on), ``resumed`` (the
    fault cleared), ``watching`` (events are being watched, after the first update) or
    ``outside`` (another process changed the index)."""

    kind: str
    message: str = ""
    report: UpdateReport | None = None
    held: int = 0
    initial: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": self.kind}
        if self.report is not None:
            data.update(self.report.to_json())
            data["held"] = self.held
            data["initial"] = self.initial
        if self.message:
            data["message"] = self.message
        return data


@dataclass
class _Changed:
    first: float  # when the first change not yet indexed came
    last: float  # and the latest

    def settled(self, now: float, quiet: float) -> bool:
        rest = SLOW_QUIET if self.last - self.first > SLOW_SPAN else quiet
        return now - self.last >= rest


def describe_changes(added: int, updated: int, removed: int) -> str:
    """``2 files added, 1 changed, 1 removed``, naming only what happened; ``no changes``."""
    parts = [
        f"{n:,} {what}"
        for n, what in ((added, "added"), (updated, "changed"), (removed, "removed"))
        if n
    ]
    if not parts:
        return "no changes"
    number, what = parts[0].split(" ", 1)
    parts[0] = f"{number} {'file' if number == '1' else 'files'} {what}"
    return ", ".join(parts)


def changed_files(report: UpdateReport) -> int:
    return report.added + report.updated + report.removed


@dataclass
class Watch:
    """Keep ``index`` up to date with its corpus until ``stop`` is set (see the module's
    docstring).  ``emit`` is called in this thread for each ``WatchEvent``."""

    index: CorpusIndex
    quiet: float = QUIET
    longest: float = LONGEST
    lock_wait: float = LOCK_WAIT
    progress: Progress | None = None
    alive: Callable[[], bool] | None = None  # False: the program that wants the watch is gone
    clock: Callable[[], float] = time.monotonic
    _pending: dict[str, _Changed] = field(default_factory=dict)
    _fault: str | None = None
    _armed: bool = False  # "watching" was said
    _version: Any = None  # the index's state after this watch's last update
    _look_at: float = 0.0  # when to look for another writer's commit next

    def run(self, emit: Callable[[WatchEvent], None], stop: threading.Event) -> None:
        """Watch until ``stop`` is set.  Ctrl-C during an update raises ``Interrupted``
        (saying what became of the index), elsewhere ``KeyboardInterrupt``."""
        self._emit = emit
        root = self.index.corpus
        first = True  # the update every watch starts with, and after the folder comes back
        retry_at = 0.0
        while not stop.is_set():
            identity, fault = _folder(root)
            if fault is not None:
                self._say(f"{fault}; watching for it to come back")
                stop.wait(FOLDER_POLL)
                first = True
                continue
            accept = ChangeFilter(root, self.index.globs, self.index.excludes, self.index.index_dir)
            events = self._events(root, stop)
            try:
                for raw in events:
                    if self.alive is not None and not self.alive():
                        return
                    now = self.clock()
                    for change, path in raw:
                        rel = accept(int(change), path)
                        if rel is not None:
                            self._pending.setdefault(rel, _Changed(now, now)).last = now
                    if _folder(root) != (identity, None):
                        break  # gone, unreadable or replaced: look again from the top
                    if (first or self._due(now)) and now >= retry_at:
                        if self._update(first):
                            first, retry_at = False, 0.0
                        else:
                            retry_at = self.clock() + RETRY
                    elif not first and now >= self._look_at:
                        self._written_elsewhere(now)
            finally:
                events.close()

    def _events(self, root: Path, stop: threading.Event) -> Any:
        """watchfiles' batches (an empty one every ``TICK_MS``), or polling's where the
        system will not report events (inotify's watch limit, a network file system)."""
        import watchfiles

        options: dict[str, Any] = dict(
            watch_filter=None, debounce=TICK_MS, step=50, stop_event=stop,
            rust_timeout=TICK_MS, yield_on_timeout=True, ignore_permission_denied=True,
        )  # fmt: skip
        try:
            yield from watchfiles.watch(root, **options)
        except (OSError, RuntimeError) as exc:
            if stop.is_set() or _folder(root)[1] is not None:
                return
            self._say(f"cannot watch {root} for events ({exc}); polling every "
                      f"{POLL_MS / 1000:g}s instead")  # fmt: skip
            yield from watchfiles.watch(root, **options, force_polling=True, poll_delay_ms=POLL_MS)

    def _due(self, now: float) -> bool:
        """Whether an update should run: something settled, and the burst is over or the
        oldest change has waited ``longest``."""
        pending = self._pending.values()
        settled = [c for c in pending if c.settled(now, self.quiet)]
        if not settled:
            return False
        calm = all(now - c.last >= self.quiet for c in pending)
        return calm or now - min(c.first for c in settled) >= self.longest

    def _update(self, first: bool) -> bool:
        """One update; False if it could not run (said in one line, tried again later)."""
        now = self.clock()
        held = {p for p, c in self._pending.items() if not c.settled(now, self.quiet)}
        taken = set(self._pending) - held
        try:
            report = self.index.update(
                hold=held, lock_timeout=self.lock_wait, progress=self.progress
            )
        except Interrupted:
            raise
        except IndexLockedError as exc:
            self._say(f"{str(exc).split(';')[0]}; the changes are indexed when it finishes")
            return False
        except (CorpusBrowserError, OSError) as exc:
            self._say(f"{exc}; trying again in {RETRY:g}s")
            return False
        for path in taken:
            self._pending.pop(path, None)
        self._version = self.index.store.version()
        if self._fault is not None:
            self._fault = None
            self._emit(WatchEvent("resumed", "watching again"))
        if first or changed_files(report) or report.rebuilt:
            self._emit(WatchEvent("update", report=report, held=len(held), initial=first))
        if not self._armed:
            self._armed = True
            self._emit(WatchEvent("watching", f"watching {self.index.corpus} for changes"))
        return True

    def _written_elsewhere(self, now: float) -> None:
        """Say when another process changed the index (a rebuild, a cron ``index``), so
        that a program following the watch (the app) reads it again."""
        self._look_at = now + OUTSIDE_POLL
        version = self.index.store.version()
        if self._version is not None and version != self._version:
            self._emit(WatchEvent("outside", "the index was updated by another process"))
        self._version = version

    def _say(self, message: str) -> None:
        """A fault in one line, said once until it clears or changes."""
        if message != self._fault:
            self._fault = message
            self._emit(WatchEvent("problem", message))


def _folder(root: Path) -> tuple[tuple[int, int] | None, str | None]:
    """The corpus folder's identity (device, inode), or what is wrong with it."""
    try:
        st = os.stat(root)
    except FileNotFoundError:
        return None, f"corpus folder {root} is gone"
    except OSError as exc:
        return None, f"cannot reach corpus folder {root}: {exc.strerror or exc}"
    if not stat.S_ISDIR(st.st_mode):
        return None, f"corpus {root} is not a folder"
    if not os.access(root, os.R_OK | os.X_OK):
        return None, f"cannot read corpus folder {root}: permission denied"
    return (st.st_dev, st.st_ino), None
