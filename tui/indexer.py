"""The background indexer: ``python -m search index`` in a child process.

Indexing reads and analyses every changed file, which is CPU work that would freeze the UI
(and the GIL) if it ran in the app's process.  The child writes ``{"done": N, "total": M}``
lines on stderr and one JSON report on stdout; the app keeps searching the old index until
the child exits 0, then refreshes its searcher.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from search import CorpusIndex

__all__ = ["IndexOutcome", "ProgressClock", "index_command", "problems_of", "run_indexer"]


@dataclass
class IndexOutcome:
    ok: bool
    message: str  # one line: what the child reported, or why it failed
    report: dict[str, Any] | None = None

    @property
    def changed(self) -> bool:
        """Whether the index may now differ from what the app was showing."""
        report = self.report
        if not report:
            return True
        return bool(report.get("rebuilt")) or _changed_files(report) > 0


def index_command(index: CorpusIndex, rebuild: bool = False) -> list[str]:
    command = [
        sys.executable, "-m", "search", "index", str(index.corpus),
        "--index-dir", str(index.index_dir),
        "--progress-jsonl", "--json", "--quiet",
        "--max-mb", repr(index.max_bytes / 2**20),
    ]  # fmt: skip
    for pattern in index.globs:
        command += ["--glob", pattern]
    for pattern in index.excludes:
        command += ["--exclude", pattern]
    if rebuild:
        command.append("--rebuild")
    # An engine elsewhere than the index folder (a database) says how the child reaches it.
    command += getattr(index.engine, "index_arguments", list)()
    return command


def index_environment(index: CorpusIndex) -> dict[str, str] | None:
    """The child's environment: with a database, its URL, kept out of the command line
    (which every user of the machine can read)."""
    extra = getattr(index.engine, "index_environment", dict)()
    return {**os.environ, **extra} if extra else None


async def run_indexer(
    index: CorpusIndex,
    progress: Callable[[int, int], None],
    rebuild: bool = False,
) -> IndexOutcome:
    """Run the child to the end, calling ``progress(done, total)`` for each line it reports.

    Cancelling the awaiting task terminates the child (an interrupted update leaves the
    previous index as it was).
    """
    try:
        proc = await asyncio.create_subprocess_exec(
            *index_command(index, rebuild),
            env=index_environment(index),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except OSError as exc:
        return IndexOutcome(False, f"cannot start the indexer: {exc.strerror or exc}")
    messages: list[str] = []

    async def read_stderr() -> None:
        assert proc.stderr is not None
        async for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").strip()
            try:
                data = json.loads(line)
                progress(int(data["done"]), int(data["total"]))
            except (ValueError, KeyError, TypeError):
                if line:
                    messages.append(line)

    try:
        reader = asyncio.ensure_future(read_stderr())
        assert proc.stdout is not None
        out = await proc.stdout.read()
        await reader
        code = await proc.wait()
    except asyncio.CancelledError:
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(proc.wait(), 5)
        raise
    if code != 0:
        last = messages[-1] if messages else f"the indexer exited with status {code}"
        return IndexOutcome(False, last.removeprefix("corpus-browser: "))
    try:
        report = json.loads(out.decode("utf-8", "replace") or "{}")
    except ValueError:
        report = None
    return IndexOutcome(True, _summary(report), report)


class ProgressClock:
    """``indexing 1,234/21,578 · 0:42 left``: files done of total, and the time left at the
    rate measured since the first report (the child's start and corpus scan come before)."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self._first: tuple[float, int] | None = None

    def seconds_left(self, done: int, total: int) -> float | None:
        now = self.now()
        if self._first is None:
            self._first = (now, done)
            return None
        started, done_then = self._first
        if done <= done_then or now - started < 1.0:
            return None  # too soon for a rate worth showing
        return (total - done) * (now - started) / (done - done_then)

    def text(self, done: int, total: int) -> str:
        text = f"indexing {done:,}/{total:,}"
        left = self.seconds_left(done, total)
        if left is not None:
            minutes, seconds = divmod(round(left), 60)
            text += f" · {minutes}:{seconds:02d} left"
        return text


def problems_of(
    report: dict[str, Any] | None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(skipped, warned) as (path, reason) pairs from an index run's JSON report."""
    if not report:
        return [], []
    skipped = [
        (str(s.get("path", "")), str(s.get("reason", ""))) for s in report.get("skipped") or []
    ]
    warned = [
        (str(w.get("path", "")), str(w.get("message", ""))) for w in report.get("warnings") or []
    ]
    return skipped, warned


def _changed_files(report: dict[str, Any]) -> int:
    return sum(int(report.get(k) or 0) for k in ("added", "updated", "removed"))


def _summary(report: dict[str, Any] | None) -> str:
    if not report:
        return "up to date"
    changed = _changed_files(report)
    docs = report.get("documents")
    # Short: at 80 columns it shares the line with "2258 matches in 827 files, <dates>".
    files = f"{docs:,} files" if isinstance(docs, int) else f"{docs} files"
    if report.get("rebuilt"):
        return f"built: {files}"
    if changed:
        return f"updated: {files}"
    return f"up to date: {files}"
