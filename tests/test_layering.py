"""The search library never imports Textual: the CLI, scripts and cron jobs must not pay for
the UI, and the library must stay usable where Textual is not installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, cli_env

PROBE = r"""
import importlib, pkgutil, sys
import search, search.cli
names = ["search", "search.cli", "search.__main__"]
for info in pkgutil.walk_packages(search.__path__, "search."):
    if info.name != "search.__main__":
        importlib.import_module(info.name)
        names.append(info.name)
ui = sorted(m for m in sys.modules if m == "textual" or m.startswith(("textual.", "tui")))
assert not ui, f"search imported UI modules: {ui}"
print("\n".join(names))
"""


def test_search_never_imports_textual(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60,
        env=cli_env(tmp_path), cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    imported = set(proc.stdout.split())
    expected = {"search." + p.stem for p in (REPO / "search").glob("*.py") if p.stem != "__init__"}
    expected |= {"search.extract." + p.stem for p in (REPO / "search" / "extract").glob("*.py")}
    expected = {n.removesuffix(".__init__") for n in expected}
    assert expected <= imported, f"modules not checked: {expected - imported}"
