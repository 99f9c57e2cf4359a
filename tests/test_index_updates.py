"""Keeping an index up to date: incremental add/change/remove, touch without change, a
rebuild interrupted by an exception, a second writer, a schema change, and segments written
non-compound."""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

import pytest
from conftest import json_out, write_corpus

from search.engine.whoosh.indexer import update_index
from search.errors import IndexLockedError
from search.index.facade import CorpusIndex
from search.index.generations import SCHEMA_VERSION, IndexStore

REPORT_KEYS = {
    "corpus",
    "index_dir",
    "documents",
    "added",
    "updated",
    "removed",
    "unchanged",
    "skipped",
    "warnings",
    "seconds",
}


def paths(index: CorpusIndex, query: str) -> set[str]:
    return {h.path for h in index.search(query, limit=None).hits}


def counts(report: dict) -> tuple[int, int, int, int, int]:
    return tuple(report[k] for k in ("documents", "added", "updated", "removed", "unchanged"))


def live_generation(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text().strip()


def test_incremental_add_change_remove(make_corpus, run_cli, tmp_path: Path) -> None:
    root = make_corpus(
        {
            "a.txt": " date 2024-01-05 Alpha\nThe alpaca herd grazed near the river.\n",
            "b.txt": " date 2024-02-06 Bravo\nA bison crossed the bridge at dawn.\n",
            "sub/c.txt": "Charlie\nThe condor circled the canyon twice.\n",
        }
    )
    ix = tmp_path / "ix"

    def index_run() -> dict:
        report = json_out(run_cli("index", root, "--index-dir", ix, "--json"))
        assert set(report) >= REPORT_KEYS
        return report

    first = index_run()
    assert counts(first) == (3, 3, 0, 0, 0)
    index = CorpusIndex(root, ix)
    try:
        assert paths(index, "alpaca") == {"a.txt"}
        assert paths(index, "condor") == {"sub/c.txt"}

        # Nothing changed: nothing is touched.
        assert counts(index_run()) == (3, 0, 0, 0, 3)

        # Add one, change one (new words, new size), remove one.
        (root / "d.txt").write_text("Delta\nA dolphin followed the ferry.\n")
        (root / "b.txt").write_text(" date 2024-02-06 Bravo\nA buffalo replaced the bison story.\n")
        (root / "sub" / "c.txt").unlink()
        third = index_run()
        assert counts(third) == (3, 1, 1, 1, 1)
        assert paths(index, "dolphin") == {"d.txt"}
        assert paths(index, "buffalo") == {"b.txt"}
        assert paths(index, "bison") == {"b.txt"}, "the changed text replaced the old one"
        assert paths(index, "crossed") == set(), "words only the old text had are gone"
        assert paths(index, "condor") == set(), "a removed file leaves the index"
        assert len(index.search("*", limit=None).hits) == 3

        # Same size, different words: the mtime moves and the content hash differs.
        text = (root / "a.txt").read_text().replace("alpaca", "jaguar")
        (root / "a.txt").write_text(text)
        st = os.stat(root / "a.txt")
        os.utime(root / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
        assert counts(index_run()) == (3, 0, 1, 0, 2)
        assert paths(index, "jaguar") == {"a.txt"} and paths(index, "alpaca") == set()
    finally:
        index.close()


def test_touch_without_change_counts_as_unchanged(make_corpus, run_cli, tmp_path: Path) -> None:
    root = make_corpus({"a.txt": "Alpha alpaca\n", "b.txt": "Bravo bison\n"})
    ix = tmp_path / "ix"
    json_out(run_cli("index", root, "--index-dir", ix, "--json"))
    st = os.stat(root / "a.txt")
    os.utime(root / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 7_000_000_000))
    report = json_out(run_cli("index", root, "--index-dir", ix, "--json"))
    assert counts(report) == (2, 0, 0, 0, 2)
    # ...and the new mtime was recorded, so the run after that does not read it again.
    assert counts(json_out(run_cli("index", root, "--index-dir", ix, "--json"))) == (2, 0, 0, 0, 2)
    state = json.loads((live_generation(ix) / "files.json").read_text())["files"]
    assert state["a.txt"][1] == st.st_mtime_ns + 7_000_000_000


class Boom(RuntimeError):
    pass


def raise_after(n: int):
    def progress(done: int, total: int) -> None:
        if done >= n:
            raise Boom(f"stopped after {done} of {total}")

    return progress


QUERIES = ["alpaca", "bison OR condor", '"the river"', "coop*", "date:2024", "*"]


def snapshot(index: CorpusIndex) -> dict[str, list[tuple[str, list]]]:
    return {
        q: [(h.path, h.matches) for h in index.search(q, limit=None, sort="date").hits]
        for q in QUERIES
    }


def test_rebuild_interrupted_by_an_exception_leaves_the_old_index_usable(
    tmp_path: Path,
) -> None:
    files = {
        f"{i:02d}.txt": f" date 2024-01-{i + 1:02d} Story {i}\n"
        + ["The alpaca walked by the river.", "A bison met a condor.", "Cooperation grew."][i % 3]
        + f" Item {i}.\n"
        for i in range(12)
    }
    root = write_corpus(tmp_path / "corpus", files)
    ix = tmp_path / "ix"
    index = CorpusIndex(root, ix)
    index.update(procs=0)
    before = snapshot(index)
    assert before["alpaca"] and before["*"]
    live = live_generation(ix)
    store = IndexStore(ix)

    # New content that a finished rebuild would show: it must not leak in.
    (root / "new.txt").write_text("An alpaca newcomer.\n")
    for procs in (0, 2):
        with pytest.raises(Boom):
            update_index(root, store, rebuild=True, progress=raise_after(5), procs=procs)
        assert gc.isenabled(), "a rebuild leaves the cycle collector on"
        assert live_generation(ix) == live, "CURRENT still names the old generation"
        fresh = CorpusIndex(root, ix)
        try:
            assert snapshot(fresh) == before
        finally:
            fresh.close()
        assert snapshot(index) == before, "an open searcher is not disturbed either"

    # An interrupted incremental update leaves it as it was, too.
    with pytest.raises(Boom):
        update_index(root, store, progress=raise_after(1), procs=0)
    assert snapshot(CorpusIndex(root, ix)) == before

    # The next run finishes the job and removes what the dead rebuilds left.
    report = update_index(root, store, rebuild=True, procs=0)
    assert report.documents == len(files) + 1
    assert gc.isenabled()
    gens = sorted(p.name for p in ix.glob("gen-*"))
    new_live = live_generation(ix)
    assert new_live != live
    assert gens == sorted({live.name, new_live.name}), "only the live and previous generation"
    assert not list(ix.glob(".CURRENT.*"))
    assert paths(CorpusIndex(root, ix), "alpaca") == {p for p, _ in before["alpaca"]} | {"new.txt"}
    index.close()


def test_workers_collect_cycles_rarely() -> None:
    """A worker's segment writer holds millions of objects; its cycle collector is set as
    the CLI's, whoever started the indexer."""
    import search.engine.whoosh.indexer as indexer
    from search.collector import GEN0_THRESHOLD

    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])  # Python's default, as a library caller has it
    try:
        pool = indexer._start_pool(1)
        try:
            threshold = pool.executor.submit(gc.get_threshold).result(timeout=60)
        finally:
            pool.executor.shutdown()
    finally:
        gc.set_threshold(*before)
    assert threshold[0] == GEN0_THRESHOLD


def test_second_writer_exits_3_with_a_clear_message(make_corpus, run_cli, tmp_path: Path) -> None:
    root = make_corpus({"a.txt": "Alpha alpaca\n"})
    ix = tmp_path / "ix"
    json_out(run_cli("index", root, "--index-dir", ix, "--json"))
    store = IndexStore(ix)
    with store.writer_lock(timeout=1):
        proc = run_cli("index", root, "--index-dir", ix, "--json", "--wait", "0.5")
        assert proc.returncode == 3
        assert proc.stdout == ""
        [line] = proc.stderr.strip().splitlines()
        assert "being written by another process" in line
        assert f"pid {os.getpid()}" in line
        assert "--wait" in line, "says what to do"
        assert "Traceback" not in proc.stderr
        # In-process, a second writer times out the same way.
        with pytest.raises(IndexLockedError):
            update_index(root, IndexStore(ix), lock_timeout=0.2, procs=0)
        # Readers are never blocked by a writer.
        proc = run_cli("search", "alpaca", "--corpus", root, "--index-dir", ix, "--json")
        assert proc.returncode == 0 and json_out(proc)["total"] == 1
    # Released: the next writer runs.
    assert counts(json_out(run_cli("index", root, "--index-dir", ix, "--json"))) == (1, 0, 0, 0, 1)


def test_schema_version_mismatch_rebuilds_automatically(
    make_corpus, run_cli, tmp_path: Path
) -> None:
    root = make_corpus({"a.txt": "Alpha alpaca\n", "b.txt": "Bravo bison\n"})
    ix = tmp_path / "ix"
    json_out(run_cli("index", root, "--index-dir", ix, "--json"))
    meta_path = live_generation(ix) / "meta.json"
    meta = json.loads(meta_path.read_text())
    assert meta["schema_version"] == SCHEMA_VERSION
    meta["schema_version"] = SCHEMA_VERSION - 1
    meta_path.write_text(json.dumps(meta))

    # A reader cannot use it and says what to do...
    proc = run_cli("search", "alpaca", "--corpus", root, "--index-dir", ix, "--json")
    assert proc.returncode == 3 and proc.stdout == ""
    assert "schema version" in proc.stderr and "corpus-browser index" in proc.stderr
    # ...and the next index run rebuilds without being asked.
    report = json_out(run_cli("index", root, "--index-dir", ix, "--json"))
    assert report["rebuilt"] is True and "schema version" in report["rebuild_reason"]
    assert counts(report) == (2, 2, 0, 0, 0)
    assert json.loads((live_generation(ix) / "meta.json").read_text())["schema_version"] == (
        SCHEMA_VERSION
    )
    proc = run_cli("search", "alpaca", "--corpus", root, "--index-dir", ix, "--json")
    assert proc.returncode == 0 and [h["path"] for h in json_out(proc)["hits"]] == ["a.txt"]


def segment_files(gen: Path) -> dict[str, set[str]]:
    """Segment name -> the extensions of its files."""
    segments: dict[str, set[str]] = {}
    for path in gen.iterdir():
        if path.name.startswith("MAIN_") and "." in path.name and "WRITELOCK" not in path.name:
            seg, ext = path.name.split(".", 1)
            segments.setdefault(seg, set()).add(ext)
    return segments


def test_segments_are_written_non_compound(make_corpus, tmp_path: Path) -> None:
    root = make_corpus({f"{i}.txt": f"Story {i} about an alpaca.\n" for i in range(5)})
    index = CorpusIndex(root, tmp_path / "ix")
    try:
        index.update(procs=0)
        (root / "new.txt").write_text("An incremental bison.\n")
        index.update(procs=0)  # an incremental commit writes a second segment
        gen = live_generation(tmp_path / "ix")
        segments = segment_files(gen)
        assert len(segments) >= 2
        for seg, exts in segments.items():
            assert "seg" not in exts, f"{seg} was written as one compound .seg file"
            assert {"trm", "pst"} <= exts, f"{seg} has separate term and postings files"
        assert not list(gen.glob("*.seg"))
        assert paths(index, "alpaca OR bison") == {f"{i}.txt" for i in range(5)} | {"new.txt"}
    finally:
        index.close()


def test_an_index_folder_refuses_another_corpus(tmp_path: Path, run_cli) -> None:
    """Pointing --index-dir at another corpus's index must not silently replace it."""
    first = write_corpus(tmp_path / "first", {"a.txt": " date 2024-01-02 A\nzanzibar harbour\n"})
    second = write_corpus(tmp_path / "second", {"b.txt": " date 2024-01-03 B\nmombasa port\n"})
    index = tmp_path / "shared-index"
    assert run_cli("index", first, "--index-dir", index, "--quiet").returncode == 0

    for args in (("index", second), ("search", "port", "--corpus", second)):
        proc = run_cli(*args, "--index-dir", index)
        assert proc.returncode == 3, proc.stderr
        assert "was built for corpus" in proc.stderr and "--rebuild" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1

    kept = json_out(
        run_cli("search", "zanzibar", "--corpus", first, "--index-dir", index, "--json")
    )
    assert [h["path"] for h in kept["hits"]] == ["a.txt"]

    replaced = run_cli("index", second, "--index-dir", index, "--rebuild", "--json")
    assert replaced.returncode == 0 and json_out(replaced)["documents"] == 1
    found = json_out(run_cli("search", "port", "--corpus", second, "--index-dir", index, "--json"))
    assert [h["path"] for h in found["hits"]] == ["b.txt"]


def test_workers_write_segments_that_match_a_serial_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parallel rebuild (each worker writes its own segments) holds exactly what a build
    in one process holds: the same hits in the same order, the same side panel, the same
    skipped files, with one segment per slice of the corpus."""
    import search.engine.whoosh.indexer as indexer

    monkeypatch.setattr(indexer, "_SEGMENT_TEXT_BYTES", 2000)  # several segments, small corpus
    words = ["alpaca", "bison", "condor", "cooperation", "Hanoi", "Guangxi"]
    files: dict[str, str | bytes] = {
        f"d{i:03d}.txt": f" date 2024-{i % 12 + 1:02d}-{i % 27 + 1:02d} Story {i}\n"
        f"Deputy Prime Minister Bui Thanh Son met officials about {words[i % 6]} "
        f"and {words[(i * 5) % 6]} in Quang Ninh province. The {words[i % 6]} the river.\n"
        for i in range(100)
    }
    files["bad.txt"] = b"\x00\x01\x02binary\x00" * 50  # skipped inside a worker's slice
    root = write_corpus(tmp_path / "corpus", files)

    built = {}
    for procs in (0, 2):
        seen: list[tuple[int, int]] = []
        store = IndexStore(tmp_path / f"ix{procs}")
        report = update_index(
            root, store, rebuild=True, procs=procs, progress=lambda d, t, s=seen: s.append((d, t))
        )
        assert report.documents == 100 and [s["path"] for s in report.skipped] == ["bad.txt"]
        assert seen and seen[-1] == (101, 101), "progress reaches every file"
        index = CorpusIndex(root, tmp_path / f"ix{procs}")
        try:
            built[procs] = (
                snapshot(index),
                [(h.path, h.score) for h in index.search("cooperation OR alpaca").hits],
                index.entities(),
                index.search("*", facets=True).facets,
                len(segment_files(live_generation(tmp_path / f"ix{procs}"))),
            )
        finally:
            index.close()
    serial, parallel = built[0], built[2]
    assert parallel[0] == serial[0] and parallel[0]["alpaca"]
    assert parallel[1] == serial[1], "same ranking, ties in the same order"
    assert parallel[2] == serial[2] and parallel[2]["officials"] and parallel[2]["provinces"]
    assert parallel[3] == serial[3], "the side panel's counts and catalogue"
    # About 15 KB of text over 2 workers at 2 KB per segment: 4 rounds of 2 slices each,
    # and each slice written as one segment.
    assert parallel[4] == 8


def test_a_worker_slice_of_unreadable_files_adds_no_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Binary files gathered at one end of the corpus fill whole worker slices: those
    slices write no segment, and the rest of the build is whole."""
    import search.engine.whoosh.indexer as indexer

    monkeypatch.setattr(indexer, "_SEGMENT_TEXT_BYTES", 1000)
    files: dict[str, str | bytes] = {
        f"t{i:03d}.txt": f"Story {i}: the alpaca.\n" for i in range(70)
    }
    files.update({f"zz{i:02d}.txt": b"\x00\xff binary \x00" * 40 for i in range(40)})
    root = write_corpus(tmp_path / "corpus", files)
    report = update_index(root, IndexStore(tmp_path / "ix"), rebuild=True, procs=2)
    assert report.documents == 70 and len(report.skipped) == 40
    # 19 KB in 20 slices of about 1 KB: the 70 text files (1.6 KB) share the first two or
    # three, the binary files fill the rest, which write nothing.
    assert 1 <= len(segment_files(live_generation(tmp_path / "ix"))) <= 3
    index = CorpusIndex(root, tmp_path / "ix")
    try:
        assert paths(index, "alpaca") == {f"t{i:03d}.txt" for i in range(70)}
    finally:
        index.close()


def test_a_slice_with_more_text_than_planned_is_cut_into_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slices are planned from the sizes the scan saw; files that grew since are still
    written, in more segments, so a worker's in-memory postings stay bounded."""
    import search.engine.whoosh.indexer as indexer
    from search.corpus.read import CorpusFile

    monkeypatch.setattr(indexer, "_SEGMENT_TEXT_BYTES", 500)
    scan = indexer.scan_corpus
    monkeypatch.setattr(  # the scan saw every file at one byte
        indexer,
        "scan_corpus",
        lambda root, globs, excludes=None: (
            f._replace(size=1) if isinstance(f, CorpusFile) else f
            for f in scan(root, globs, excludes)
        ),
    )
    files = {f"g{i:02d}.txt": f"Story {i}: the walrus met the alpaca. " * 3 for i in range(60)}
    root = write_corpus(tmp_path / "corpus", files)
    report = update_index(root, IndexStore(tmp_path / "ix"), rebuild=True, procs=0)
    assert report.documents == 60
    # About 7 KB of text in one planned slice, cut whenever it passes twice the limit.
    assert len(segment_files(live_generation(tmp_path / "ix"))) >= 6
    index = CorpusIndex(root, tmp_path / "ix")
    try:
        assert paths(index, "walrus") == set(files)
    finally:
        index.close()


@pytest.mark.parametrize(
    ("sizes", "max_bytes", "most_jobs"),
    [
        ([], 10**9, 0),
        ([0] * 10, 10**9, 2),  # empty files count as a byte each
        ([100] * 60, 10**9, 6),  # 6,000 bytes: 3 rounds of 2 workers
        ([50_000] + [100] * 60, 10**9, 8),  # a huge file first: a slice of its own
        ([100] * 30 + [50_000] + [100] * 30, 10**9, 8),  # and in the middle
        ([100] * 30 + [50_000] + [100] * 30, 500, 8),  # only max_bytes of it is read
    ],
    ids=["none", "empty", "even", "huge-first", "huge-middle", "huge-capped"],
)
def test_slices_share_the_text(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sizes: list[int],
    max_bytes: int,
    most_jobs: int,
) -> None:
    """Every file once, in order; slices of about equal text, never more than the plan's
    number, and a file bigger than a slice does not leave one-file slices behind it."""
    import search.engine.whoosh.indexer as indexer
    from search.corpus.read import CorpusFile

    monkeypatch.setattr(indexer, "_SEGMENT_TEXT_BYTES", 1000)
    files = [CorpusFile(f"f{i:04d}.txt", size, 0) for i, size in enumerate(sizes)]
    jobs = indexer._segment_jobs(tmp_path, tmp_path, files, max_bytes, workers=2)
    assert [rel for job in jobs for rel in job.rels] == [f.path for f in files]
    assert len(jobs) <= most_jobs
    read = {f.path: min(max(f.size, 1), max_bytes) for f in files}
    for job in jobs:
        text = [read[rel] for rel in job.rels]
        assert sum(text) - max(text) < 1000, "a slice ends once it holds its share"
