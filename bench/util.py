"""Small helpers shared by the figures: timing, percentiles, measured subprocesses, sizes."""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import psutil
except ImportError:  # psutil is a test extra; the bench still runs without tree-RSS polling
    psutil = None  # type: ignore[assignment]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latency_summary(ms: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "max_ms": max(ms) if ms else float("nan"),
        "n": len(ms),
    }


def median_of_dicts(runs: Sequence[dict[str, float]]) -> dict[str, float]:
    """Key-wise median over several runs' numeric figures."""
    keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float))]
    return {k: median([r[k] for r in runs if k in r]) for k in keys}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def dir_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


def mb(n_bytes: float) -> float:
    return n_bytes / 1e6


@dataclass
class Measured:
    """A finished child process with its wall time and memory peaks."""

    argv: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    maxrss_mb: float  # peak RSS of the largest single process in the child's tree (wait4)
    tree_rss_mb: float  # peak of the summed RSS of the child and its descendants (polled)

    def json(self) -> Any:
        return json.loads(self.stdout)

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def check(self, ok: Sequence[int] = (0,)) -> Measured:
        if self.returncode not in ok:
            tail = (self.stderr or self.stdout).strip().splitlines()[-5:]
            raise RuntimeError(
                f"{' '.join(self.argv[:4])} ... exited {self.returncode}: " + " | ".join(tail)
            )
        return self


def _tree_rss(proc: Any) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except Exception:
        return 0
    for p in procs:
        with contextlib.suppress(Exception):
            total += p.memory_info().rss
    return total


def run_measured(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 3600,
    poll_interval: float = 0.05,
) -> Measured:
    """Run a fresh child; return wall seconds, its peak RSS (from wait4) and polled tree RSS.

    Output goes to temporary files, not pipes, so a chatty child never blocks.
    """
    argv = [str(a) for a in argv]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        peak_tree = 0
        stop = threading.Event()

        def poll() -> None:
            nonlocal peak_tree
            handle = psutil.Process(proc.pid) if psutil else None
            while handle is not None and not stop.is_set():
                peak_tree = max(peak_tree, _tree_rss(handle))
                stop.wait(poll_interval)

        poller = threading.Thread(target=poll, daemon=True)
        if psutil:
            poller.start()
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        except KeyboardInterrupt:
            proc.kill()
            raise
        finally:
            killer.cancel()
        seconds = time.perf_counter() - t0
        stop.set()
        if psutil:
            poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            argv=argv,
            returncode=proc.returncode,
            stdout=out.read(),
            stderr=err.read(),
            seconds=seconds,
            maxrss_mb=usage.ru_maxrss / 1024,
            tree_rss_mb=mb(peak_tree),
        )


def python_argv(*args: str) -> list[str]:
    return [sys.executable, *args]


def fmt_num(value: Any, digits: int = 1) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "n/a"
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
