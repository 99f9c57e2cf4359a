"""A damaged index: a clear one-line message (exit 3) from ``search``, never a traceback,
and ``index`` rebuilds it automatically, after which searches work again."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the package need not be installed
from hostile import QUERIES, batch_answers, make_news_corpus, run_cli  # noqa: E402


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("damaged")
    corpus = make_news_corpus(root / "corpus", 40)
    index_dir = root / "index"
    proc = run_cli("index", corpus, "--index-dir", index_dir, "--quiet")
    assert proc.returncode == 0, proc.stderr
    return {"corpus": corpus, "index_dir": index_dir, "answers": batch_answers(corpus, index_dir)}


def live(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text().strip()


def one(gen: Path, pattern: str) -> Path:
    [path] = gen.glob(pattern)
    return path


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 3)])


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated postings": lambda ix: truncate(one(live(ix), "*.pst")),
    "truncated terms": lambda ix: truncate(one(live(ix), "*.trm")),
    "truncated toc": lambda ix: truncate(one(live(ix), "_MAIN_*.toc")),
    "deleted postings": lambda ix: one(live(ix), "*.pst").unlink(),
    "deleted stored fields": lambda ix: one(live(ix), "*_stored.col").unlink(),
    "deleted toc": lambda ix: one(live(ix), "_MAIN_*.toc").unlink(),
    "deleted generation": lambda ix: shutil.rmtree(live(ix)),
    "garbage in CURRENT": lambda ix: (ix / "CURRENT").write_bytes(b"\x00\xffgarbage../..\n"),
    "empty CURRENT": lambda ix: (ix / "CURRENT").write_bytes(b""),
    "other schema version": lambda ix: (live(ix) / "meta.json").write_text(
        '{"schema_version": 9999}'
    ),
    "garbage meta.json": lambda ix: (live(ix) / "meta.json").write_bytes(b"{not json"),
}
FAST = {
    "truncated postings",
    "deleted postings",
    "truncated toc",
    "deleted generation",
    "garbage in CURRENT",
    "other schema version",
}


@pytest.mark.parametrize(
    "damage", [d if d in FAST else pytest.param(d, marks=pytest.mark.slow) for d in DAMAGE]
)
def test_damaged_index_clear_message_then_automatic_rebuild(
    pristine: dict[str, Any], tmp_path: Path, damage: str, request: pytest.FixtureRequest
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(pristine["index_dir"], index_dir)
    DAMAGE[damage](index_dir)
    batch = tmp_path / "queries.txt"
    batch.write_text("\n".join(QUERIES) + "\n")
    proc = run_cli(
        "search", "--batch", batch, "--corpus", pristine["corpus"], "--index-dir", index_dir
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 3, "the damage went unnoticed by every search"
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("corpus-browser: ") and "index" in proc.stderr
    proc = run_cli("index", pristine["corpus"], "--index-dir", index_dir, "--json")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert '"rebuilt": true' in proc.stdout
    assert batch_answers(pristine["corpus"], index_dir) == pristine["answers"]
