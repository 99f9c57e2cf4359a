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
        return _answers(out / name)

    assert answers("before") == built["answers"]
    for step in ("1", "2"):
        err = (out / f"err{step}").read_text()
        assert (out / f"rc{step}").read_text().strip() == "3", err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert "No space left on device" in err and "previous index is unchanged" in err, err
    assert answers("after_rebuild") == built["answers"]
    assert answers("after_update") == built["answers"]


def _answers(path: Path) -> list[Any]:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for row in rows:
        row.pop("took_ms", None)
    return rows


def _files_not_in_toc(gen: Path) -> list[str]:
    """Files of a generation its live table of contents does not name (orphans)."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    toc = TOC.read(FileStorage(str(gen)), "MAIN")
    listed = {s.segment_id() for s in toc.segments}
    return sorted(
        p.name
        for p in gen.iterdir()
        if (p.name.startswith("MAIN_") and p.name.split(".")[0] not in listed)
        and p.name != "MAIN_WRITELOCK"
        or (p.name.startswith("_MAIN_") and p.name != f"_MAIN_{toc.generation}.toc")
        or p.name.endswith(".tmp")
    )


@pytest.mark.heavy
def test_disk_full_leaves_no_orphans_and_a_freed_disk_recovers(
    built: dict[str, Any], tmp_path: Path
) -> None:
    """A first build on a full disk says no index was built and leaves nothing; an update
    that fails for space removes the segments it wrote at once, so freeing less than the
    update needs plus what the failed run took (U = the update's own need, measured on a
    tmpfs of its own; 0.6 U was left free, 0.7 U is freed) is enough for the next plain
    `index` run, which then answers as an index built normally does."""
    corpus, ix, probe, out = (
        tmp_path / "corpus",
        tmp_path / "ix",
        tmp_path / "probe",
        tmp_path / "out",
    )
    shutil.copytree(built["corpus"], corpus)
    extra = make_news_corpus(tmp_path / "extra", 150, seed=11)
    for folder in (ix, probe, out):
        folder.mkdir()
    batch = tmp_path / "queries.txt"
    batch.write_text("\n".join(QUERIES) + "\n")
    index = cli("index", corpus, "--index-dir", ix)
    search = cli("search", "--batch", batch, "--corpus", corpus, "--index-dir", ix, "--limit", "0")
    used = "$(df -k --output=used {} | tail -1)"
    proc = in_namespace(f"""
        mount -t tmpfs -o size=8m tmpfs {ix} && mount -t tmpfs -o size=8m tmpfs {probe} || exit 99
        # U: what the update needs, on a disk of its own.
        {cli("index", corpus, "--index-dir", probe, "--quiet")} || exit 98
        before={used.format(probe)}
        cp -r {extra} {corpus}/extra
        {cli("index", corpus, "--index-dir", probe, "--quiet")} || exit 97
        need=$(( {used.format(probe)} - before ))
        rm -rf {corpus}/extra
        echo $need > {out}/need
        # A first build on a full disk.
        free=$(df -k --output=avail {ix} | tail -1)
        dd if=/dev/zero of={ix}/zz-filler bs=1k count=$((free - 16)) 2>/dev/null
        {index} 2> {out}/err_first; echo $? > {out}/rc_first
        ls -A {ix} > {out}/ls_first
        rm {ix}/zz-filler
        {index} --quiet || exit 96
        # An update with 0.6 U free fails...
        free=$(df -k --output=avail {ix} | tail -1)
        dd if=/dev/zero of={ix}/zz-filler bs=1k count=$((free - need * 6 / 10)) 2>/dev/null
        cp -r {extra} {corpus}/extra
        {index} 2> {out}/err_update; echo $? > {out}/rc_update
        cp -r {ix}/gen-* {out}/
        # ...and freeing 0.7 U is enough for the next run.
        truncate -s -$((need * 7 / 10))K {ix}/zz-filler
        {index} 2> {out}/err_next; echo $? > {out}/rc_next
        {search} > {out}/answers
        rm -rf {corpus}/extra
    """)
    if proc.returncode == 99:
        pytest.skip(f"cannot mount a tmpfs: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr

    err = (out / "err_first").read_text()
    assert (out / "rc_first").read_text().strip() == "3", err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "No space left on device" in err and "no index was built" in err, err
    assert "previous index" not in err, err
    leftovers = set((out / "ls_first").read_text().split()) - {"zz-filler", "writer.lock"}
    assert not {n for n in leftovers if n.startswith(("gen-", "CURRENT", ".CURRENT"))}, leftovers

    err = (out / "err_update").read_text()
    assert (out / "rc_update").read_text().strip() == "3", err
    assert "No space left on device" in err and "previous index is unchanged" in err, err
    gens = sorted(out.glob("gen-*"))
    assert len(gens) == 1, gens
    assert _files_not_in_toc(gens[0]) == [], "the failed update left files behind"

    err = (out / "err_next").read_text()
    assert (out / "rc_next").read_text().strip() == "0", (err, (out / "need").read_text())
    # What an index of the same corpus built normally answers (the update on the freed disk
    # must give the same).
    shutil.copytree(extra, corpus / "extra")
    reference = tmp_path / "reference"
    proc = run_cli("index", corpus, "--index-dir", reference, "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert _answers(out / "answers") == batch_answers(corpus, reference)


@pytest.mark.slow
def test_a_rebuild_needs_room_for_two_indexes_not_three(
    built: dict[str, Any], tmp_path: Path
) -> None:
    """After a rebuild, the live generation and the one before it are kept (for readers);
    the next rebuild drops the older one before it writes, so with room for one more index
    (1.5 times one index free) rebuild after rebuild succeeds."""
    corpus, ix, out = built["corpus"], tmp_path / "ix", tmp_path / "out"
    ix.mkdir()
    out.mkdir()
    index = cli("index", built["corpus"], "--index-dir", ix, "--quiet")
    batch = tmp_path / "queries.txt"
    batch.write_text("\n".join(QUERIES) + "\n")
    search = cli("search", "--batch", batch, "--corpus", corpus, "--index-dir", ix, "--limit", "0")
    proc = in_namespace(f"""
        mount -t tmpfs -o size=8m tmpfs {ix} || exit 99
        {index} || exit 98
        one=$(df -k --output=used {ix} | tail -1)
        free=$(df -k --output=avail {ix} | tail -1)
        dd if=/dev/zero of={ix}/zz-filler bs=1k count=$((free - one * 3 / 2)) 2>/dev/null
        for run in 1 2 3; do
            {index} --rebuild 2> {out}/err$run; echo $? > {out}/rc$run
        done
        {search} > {out}/answers
    """)
    if proc.returncode == 99:
        pytest.skip(f"cannot mount a tmpfs: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    for run in (1, 2, 3):
        assert (out / f"rc{run}").read_text().strip() == "0", (out / f"err{run}").read_text()
    assert _answers(out / "answers") == built["answers"]
