"""What the figures share: options, scratch folder, the Reuters corpus, its index, query mix."""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import corpora, querymix
from bench.util import Measured, run_measured

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REUTERS = REPO.parent / "shared" / "corpora" / "reuters21578.tar.gz"
QUICK_REUTERS_LIMIT = 3000  # --quick: the first 3,000 Reuters articles


def cli_argv() -> list[str]:
    """How to run the product's command line: the venv's console script, else the module."""
    script = Path(sys.executable).parent / "corpus-browser"
    return [str(script)] if script.exists() else [sys.executable, "-m", "search.cli"]


def run_cli(*args: str | Path, ok: tuple[int, ...] = (0,)) -> Measured:
    return run_measured([*cli_argv(), *map(str, args)], cwd=REPO).check(ok)


def build_index(corpus: Path, index_dir: Path) -> tuple[Measured, dict[str, Any]]:
    """A full build into a fresh ``index_dir`` through the CLI; (process, its JSON report)."""
    done = run_cli("index", corpus, "--index-dir", index_dir, "--json", "--quiet")
    return done, done.json()


@dataclass
class Context:
    quick: bool = False
    runs: int = 3
    reuters_tar: Path = DEFAULT_REUTERS
    scales: list[int] = field(default_factory=lambda: [10_000, 30_000, 100_000])
    keep: bool = False
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="corpus-bench-")))
    # The server figure (bench/server.py): corpus size on PostgreSQL, a database URL (else a
    # private cluster), a folder kept between runs, concurrent clients, the peers' size.
    server_n: int = 1_000_000
    server_db: str = ""
    server_work: Path | None = None
    clients: int = 16
    client_seconds: float = 60.0
    peers_n: int = 100_000
    _reuters: Path | None = None
    _stats: corpora.CorpusStats | None = None
    _index: Path | None = None
    _mix: list[querymix.Query] | None = None

    @property
    def reuters_limit(self) -> int | None:
        return QUICK_REUTERS_LIMIT if self.quick else None

    def log(self, message: str) -> None:
        print(f"  .. {message}", file=sys.stderr, flush=True)

    def tmp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.work))

    def server_folder(self, name: str) -> Path:
        """A folder of the server figure: kept in ``server_work`` when given, else scratch."""
        if self.server_work is None:
            return self.tmp(name)
        folder = self.server_work / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    # -- Reuters -----------------------------------------------------------------------
    def reuters(self) -> Path:
        """The extracted Reuters corpus (extracted once per bench run, outside the repo)."""
        if self._reuters is None:
            source = self.reuters_tar
            if not source.exists():
                raise FileNotFoundError(f"Reuters tarball or folder not found: {source}")
            self.log(f"copying the articles of {source} to {self.work}")
            unpack = corpora.copy_reuters if source.is_dir() else corpora.extract_reuters
            self._reuters = unpack(source, self.tmp("reuters"), self.reuters_limit)
        return self._reuters

    def reuters_files(self) -> list[Path]:
        return corpora.corpus_files(self.reuters())

    def reuters_stats(self) -> corpora.CorpusStats:
        if self._stats is None:
            self._stats = corpora.scan(self.reuters_files())
        return self._stats

    def reuters_mix(self) -> list[querymix.Query]:
        if self._mix is None:
            self._mix = querymix.build_mix(self.reuters_stats())
        return self._mix

    def reuters_index(self) -> Path:
        """A full index of the Reuters corpus: the build figure's, or one built now (untimed)."""
        if self._index is None:
            index_dir = self.tmp("reuters-index") / "ix"
            self.log("building the Reuters index")
            build_index(self.reuters(), index_dir)
            self._index = index_dir
        return self._index

    def adopt_reuters_index(self, index_dir: Path) -> None:
        if self._index is None:
            self._index = index_dir

    def cleanup(self) -> None:
        if not self.keep:
            shutil.rmtree(self.work, ignore_errors=True)


def machine_facts() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = float("nan")
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        from importlib.metadata import version

        whoosh = version("whoosh3")
    except Exception:  # noqa: BLE001
        whoosh = "unknown"
    try:
        import sqlite3

        sqlite = sqlite3.sqlite_version
    except ImportError:
        sqlite = "unknown"
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(ram_gb, 1),
        "python": platform.python_version(),
        "whoosh3": whoosh,
        "sqlite": sqlite,
        "platform": platform.platform(),
        "load_1min_at_start": round(load, 2),
    }
