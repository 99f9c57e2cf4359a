"""Running ``bench.app_driver`` in a fresh process, and knowing whether the app exists yet."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from bench.context import REPO
from bench.util import run_measured

NA = "n/a (tui not available)"


def tui_problem() -> str | None:
    """None when ``tui.app.CorpusBrowserApp`` imports, else why not."""
    try:
        from tui.app import CorpusBrowserApp  # noqa: F401
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return None


def not_available(label: str, problem: str) -> dict[str, Any]:
    return {"metrics": {"available": False, "problem": problem}, "rows": [[label, NA, "", None]]}


def run_driver(mode: str, corpus: Path, index_dir: Path, *extra: str) -> dict[str, Any]:
    argv = [sys.executable, "-m", "bench.app_driver", mode, "--corpus", str(corpus)]
    done = run_measured([*argv, "--index-dir", str(index_dir), *extra], cwd=REPO).check()
    out: dict[str, Any] = done.json_lines()[-1]
    out["process_s"] = done.seconds
    out["process_maxrss_mb"] = done.maxrss_mb
    return out
