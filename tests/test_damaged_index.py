"""A damaged index: a clear one-line message (exit 3) from ``search``, never a traceback,
and ``index`` rebuilds it automatically, after which searches work again."""

from __future__ import annotations

import json
import os
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


def overwrite_in_place(path: Path, length: int = 54) -> None:
    """Flip ``length`` bytes in the middle of ``path``, keeping its size and mtime: what a
    size check cannot see."""
    st = path.stat()
    data = bytearray(path.read_bytes())
    start = max(0, (len(data) - length) // 2)
    for i in range(start, min(len(data), start + length)):
        data[i] ^= 0xA5
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


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
    "title lengths overwritten in place": lambda ix: overwrite_in_place(
        one(live(ix), "*._title_len.col")
    ),
    "body lengths overwritten in place": lambda ix: overwrite_in_place(
        one(live(ix), "*._body_len.col"), 51
    ),
    "deleted date column": lambda ix: one(live(ix), "*.date.col").unlink(),
    "truncated date column": lambda ix: truncate(one(live(ix), "*.date.col")),
}
FAST = {
    "truncated postings",
    "deleted postings",
    "truncated toc",
    "deleted generation",
    "garbage in CURRENT",
    "other schema version",
    "title lengths overwritten in place",
    "deleted date column",
}


@pytest.mark.parametrize(
    "damage", [d if d in FAST else pytest.param(d, marks=pytest.mark.slow) for d in DAMAGE]
)
def test_damaged_index_clear_message_then_automatic_rebuild(
    pristine: dict[str, Any], tmp_path: Path, damage: str, request: pytest.FixtureRequest
) -> None:
    index_dir = copy_index(pristine, tmp_path)
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
    assert_index_rebuilds(pristine, index_dir)


def assert_index_rebuilds(pristine: dict[str, Any], index_dir: Path, *extra: str) -> str:
    """``index`` rebuilds, says why, and the index answers as before; returns the reason."""
    proc = run_cli("index", pristine["corpus"], "--index-dir", index_dir, "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert report["rebuilt"] is True and report["rebuild_reason"], report
    assert batch_answers(pristine["corpus"], index_dir) == pristine["answers"]
    return str(report["rebuild_reason"])


def copy_index(pristine: dict[str, Any], tmp_path: Path) -> Path:
    index_dir = tmp_path / "index"
    shutil.copytree(pristine["index_dir"], index_dir)
    return index_dir


@pytest.mark.parametrize(
    "damage",
    [pytest.param(truncate, marks=pytest.mark.slow), overwrite_in_place],
    ids=["truncated", "overwritten"],
)
def test_entities_on_damaged_stored_fields_says_so(
    pristine: dict[str, Any], tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    index_dir = copy_index(pristine, tmp_path)
    damage(one(live(index_dir), "*_stored.col"))
    for verb in (["entities"], ["entities", "--json"], ["show", "batch00/article_00000.txt"]):
        proc = run_cli(*verb, "--corpus", pristine["corpus"], "--index-dir", index_dir)
        if verb[0] == "show" and proc.returncode == 0:
            continue  # the reader shows the file itself, extracted afresh
        assert proc.returncode == 3, (verb, proc.returncode, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert proc.stderr.startswith("corpus-browser: the index is damaged ("), proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "damaged" in assert_index_rebuilds(pristine, index_dir)


def test_index_verify_reads_every_file(pristine: dict[str, Any], tmp_path: Path) -> None:
    """A postings file overwritten in place, size and mtime kept: the quick check reads
    only small files, so ``index`` keeps the index; ``index --verify`` rebuilds it."""
    index_dir = copy_index(pristine, tmp_path)
    overwrite_in_place(one(live(index_dir), "*.pst"))
    quick = run_cli("index", pristine["corpus"], "--index-dir", index_dir, "--json")
    assert quick.returncode == 0 and json.loads(quick.stdout)["rebuilt"] is False
    reason = assert_index_rebuilds(pristine, index_dir, "--verify")
    assert "does not match its checksum" in reason


def test_after_an_unclean_stop_index_reads_every_file(
    pristine: dict[str, Any], tmp_path: Path
) -> None:
    """An update that stopped mid-commit leaves its marker: the next run checks it all."""
    index_dir = copy_index(pristine, tmp_path)
    overwrite_in_place(one(live(index_dir), "*.pst"))
    (live(index_dir) / "update.pending").write_bytes(b"")
    assert "does not match its checksum" in assert_index_rebuilds(pristine, index_dir)
    assert not (live(index_dir) / "update.pending").exists()


def test_an_index_without_checksums_answers_then_is_rebuilt_once(
    pristine: dict[str, Any], tmp_path: Path
) -> None:
    """An index built before checksums were recorded: searches answer as before (nothing
    to compare with is not damage), and the next ``index`` rebuilds it, which records them."""
    index_dir = copy_index(pristine, tmp_path)
    (live(index_dir) / "checksums.json").unlink()
    assert batch_answers(pristine["corpus"], index_dir) == pristine["answers"]
    assert "no checksums" in assert_index_rebuilds(pristine, index_dir)
    again = run_cli("index", pristine["corpus"], "--index-dir", index_dir, "--json")
    assert json.loads(again.stdout)["rebuilt"] is False
