"""The search library never imports Textual: the CLI, scripts and cron jobs must not pay for
the UI, and the library must stay usable where Textual is not installed."""

from __future__ import annotations

import ast
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


# Where each engine's library may be imported: Whoosh in its engine's folder and in the one
# module that converts Whoosh's parse into our tree; psycopg in the PostgreSQL engine only.
ENGINE_HOMES = {
    "whoosh": ("search/engine/whoosh/", "search/query/parser.py"),
    "psycopg": ("search/engine/postgres/",),
}


def imported_roots(source: str) -> set[str]:
    """The top-level packages a module's source imports, wherever the import sits."""
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def test_engine_libraries_are_imported_only_in_their_engines_folder() -> None:
    wrong = []
    for path in sorted([*(REPO / "search").rglob("*.py"), *(REPO / "tui").rglob("*.py")]):
        name = path.relative_to(REPO).as_posix()
        roots = imported_roots(path.read_text(encoding="utf-8"))
        for library, homes in ENGINE_HOMES.items():
            if library in roots and not name.startswith(homes):
                wrong.append(f"{name} imports {library}")
    assert not wrong, wrong


def test_the_import_check_sees_every_form_of_import() -> None:
    source = "import whoosh.query\ndef f():\n    from psycopg import sql\nfrom .x import y\n"
    assert imported_roots(source) == {"whoosh", "psycopg"}


def test_the_cli_is_the_only_module_importing_both_the_app_and_the_library() -> None:
    """The app is a client of the library, and the command line starts either: nothing in
    the app imports the command line, and only the command line imports the app."""
    both = []
    for path in sorted([*(REPO / "search").rglob("*.py"), *(REPO / "tui").rglob("*.py")]):
        name = path.relative_to(REPO).as_posix()
        modules = imported_modules(path.read_text(encoding="utf-8"))
        if name.startswith("search/") and any(m.split(".")[0] == "tui" for m in modules):
            both.append(name)
        if name.startswith("tui/") and "search.cli" in modules:
            both.append(f"{name} (imports the command line)")
    assert both == ["search/cli.py"], both


def imported_modules(source: str) -> set[str]:
    """The absolute module names a module's source imports, wherever the import sits."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found
