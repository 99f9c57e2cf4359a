"""Faults while writing: an index folder that cannot be written, a read-only corpus, a disk
that fills up mid-write.  Each gives a clear one-line message and exit 3, and the previous
index stays intact and searchable.

The tests run as root in CI, where permission bits stop nothing, so the faults are real ones
that stop root too: a path under a regular file, a path in /proc, a read-only bind mount
and a full tmpfs (both in a private mount namespace made with ``unshare``; those tests skip
where mounting is not allowed).
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the package need not be installed
from hostile import (  # noqa: E402
    QUERIES,
    batch_answers,
    cli_argv,
    cli_env,
    indexed_news_corpus,
    make_news_corpus,
    run_cli,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return indexed_news_corpus(tmp_path_factory.mktemp("faults"), 40)


def assert_clear_exit_3(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("corpus-browser: "), proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr


def test_index_dir_under_a_regular_file(built: dict[str, Any]) -> None:
    blocker = built["root"] / "a-file"
    blocker.write_text("not a folder")
    proc = run_cli("index", built["corpus"], "--index-dir", blocker / "index")
    assert_clear_exit_3(proc, "cannot create index folder")
    proc = run_cli("index", built["corpus"], "--index-dir", blocker)  # the path *is* a file
    assert_clear_exit_3(proc)


def test_index_dir_in_proc() -> None:
    proc = run_cli("index", REPO / "sample_corpus", "--index-dir", "/proc/corpus-browser-index")
    assert_clear_exit_3(proc, "cannot create index folder")


def in_namespace(script: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace (mounts vanish with it)."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a mount namespace: {probe.stderr.decode().strip()}")
    return subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_env(),
        cwd=REPO,
    )


def cli(*args: Any) -> str:
    return shlex.join(cli_argv(*args))


def test_read_only_index_folder(built: dict[str, Any]) -> None:
    """A read-only bind mount stops root: the rebuild fails cleanly, the index still works."""
    ix, out = built["index_dir"], built["root"] / "ro-out"
    out.mkdir(exist_ok=True)
    batch = built["root"] / "queries.txt"
    batch.write_text("\n".join(QUERIES) + "\n")
    proc = in_namespace(f"""
        mount --bind {ix} {ix} && mount -o remount,bind,ro {ix} || exit 99
        {cli("index", built["corpus"], "--index-dir", ix, "--rebuild")} 2> {out}/err
        echo $? > {out}/rc
        {
        cli(
            "search",
            "--batch",
            batch,
            "--corpus",
            built["corpus"],
            "--index-dir",
            ix,
            "--limit",
            "0",
        )
    } > {out}/answers
    """)
    if proc.returncode == 99:
        pytest.skip(f"bind mounts not allowed: {proc.stderr.strip()}")
    err = (out / "err").read_text()
    assert (out / "rc").read_text().strip() == "3", err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "Read-only file system" in err, err
    answers = [json.loads(line) for line in (out / "answers").read_text().splitlines()]
    for a in answers:
        a.pop("took_ms", None)
    assert answers == built["answers"]
    assert batch_answers(built["corpus"], ix) == built["answers"]


@pytest.mark.slow
def test_read_only_corpus(built: dict[str, Any], tmp_path: Path) -> None:
    corpus, ix = built["corpus"], tmp_path / "index"
    proc = in_namespace(f"""
        mount --bind {corpus} {corpus} && mount -o remount,bind,ro {corpus} || exit 99
        {cli("index", corpus, "--index-dir", ix, "--json")}
    """)
    if proc.returncode == 99:
        pytest.skip(f"bind mounts not allowed: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["documents"] == 40
    assert batch_answers(corpus, ix) == built["answers"]


def test_disk_full_during_rebuild_and_update(built: dict[str, Any], tmp_path: Path) -> None:
    """A tmpfs with ~20 KB left after the small index: a rebuild with more articles fills it,
    (ENOSPC), then so does an incremental update.  The first index must survive both."""
    corpus, ix, out = built["corpus"], tmp_path / "index", tmp_path / "out"
    out.mkdir()
    extra_src = make_news_corpus(tmp_path / "extra", 150, seed=11)
    batch = tmp_path / "queries.txt"
    batch.write_text("\n".join(QUERIES) + "\n")
    ix.mkdir()
    search = cli("search", "--batch", batch, "--corpus", corpus, "--index-dir", ix, "--limit", "0")
    proc = in_namespace(f"""
        mount -t tmpfs -o size=2m tmpfs {ix} || exit 99
        {cli("index", corpus, "--index-dir", ix, "--quiet")} 2> {out}/err0 || exit 98
        # Leave about 20 KB free: less than either write below needs.
        free=$(df -k --output=avail {ix} | tail -1)
        dd if=/dev/zero of={ix}/zz-filler bs=1k count=$((free - 20)) 2>/dev/null
        {search} > {out}/before
        cp -r {extra_src} {corpus}/extra
        {cli("index", corpus, "--index-dir", ix, "--rebuild")} 2> {out}/err1; echo $? > {out}/rc1
        {search} > {out}/after_rebuild
        {cli("index", corpus, "--index-dir", ix)} 2> {out}/err2; echo $? > {out}/rc2
        rm -rf {corpus}/extra
        {search} > {out}/after_update
        ls -la {ix} > {out}/ls
    """)
    shutil.rmtree(corpus / "extra", ignore_errors=True)
    if proc.returncode == 99:
        pytest.skip(f"cannot mount a tmpfs: {proc.stderr.strip()}")
    assert proc.returncode == 0, (proc.stderr, (out / "err0").read_text())

    def answers(name: str) -> list[Any]:
        rows = [json.loads(line) for line in (out / name).read_text().splitlines()]
        for row in rows:
            row.pop("took_ms", None)
        return rows

    assert answers("before") == built["answers"]
    for step in ("1", "2"):
        err = (out / f"err{step}").read_text()
        assert (out / f"rc{step}").read_text().strip() == "3", err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert "No space left on device" in err and "previous index is unchanged" in err, err
    assert answers("after_rebuild") == built["answers"]
    assert answers("after_update") == built["answers"]
