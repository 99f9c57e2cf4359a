"""Walking a corpus folder: recursive, .txt/.md by default, --glob, and everything passed
over (hidden files, FIFOs, symlinks out, loops, dangling links) reported with a reason and
never blocked on."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import json_out

from search.corpus.read import CorpusFile, Skipped, scan_corpus


def walk(root: Path, *globs: str) -> tuple[set[str], dict[str, str]]:
    files: set[str] = set()
    skipped: dict[str, str] = {}
    items = scan_corpus(root, globs) if globs else scan_corpus(root)
    for item in items:
        if isinstance(item, Skipped):
            skipped[item.path] = item.reason
        else:
            assert isinstance(item, CorpusFile)
            assert item.path not in files, "each file is listed once"
            files.add(item.path)
    return files, skipped


TREE = {
    "top.txt": "top level zebra",
    "notes.md": "markdown zebra",
    "a/one.txt": "one zebra",
    "a/b/c/deep.txt": "deep zebra",
    "a/b/page.html": "<p>html zebra</p>",
    "a/data.csv": "csv,zebra",
    "README": "no extension zebra",
    "x/y.txt.bak": "backup zebra",
}


def test_walk_is_recursive_and_defaults_to_txt_and_md(make_corpus) -> None:
    root = make_corpus(TREE)
    files, skipped = walk(root)
    assert files == {"top.txt", "notes.md", "a/one.txt", "a/b/c/deep.txt"}
    assert skipped == {}, "files that do not match the globs are not news, not skips"
    sizes = {f.path: f.size for f in scan_corpus(root) if isinstance(f, CorpusFile)}
    assert sizes == {p: len(TREE[p].encode()) for p in files}


def test_upper_case_extensions_are_indexed_by_default(make_corpus) -> None:
    root = make_corpus({"OLD.TXT": "dos era zebra", "Notes.Md": "zebra", "a.txt": "zebra"})
    files, _skipped = walk(root)
    assert files == {"OLD.TXT", "Notes.Md", "a.txt"}


def test_glob_option_replaces_the_defaults(make_corpus) -> None:
    root = make_corpus(TREE)
    assert walk(root, "*.html")[0] == {"a/b/page.html"}
    assert walk(root, "*.html", "*.csv")[0] == {"a/b/page.html", "a/data.csv"}
    with_slash = walk(root, "a/*.txt")[0]
    assert "a/one.txt" in with_slash and "top.txt" not in with_slash, "matches the relative path"
    assert walk(root, "*")[0] == set(TREE)


def test_hidden_files_and_folders_are_skipped_and_reported(make_corpus) -> None:
    root = make_corpus(
        {
            "seen.txt": "zebra",
            ".hidden.txt": "zebra",
            ".git/objects/x.txt": "zebra",
            "a/.cache/inner.txt": "zebra",
            "a/.secret.md": "zebra",
            "a/visible.md": "zebra",
        }
    )
    files, skipped = walk(root)
    assert files == {"seen.txt", "a/visible.md"}
    assert set(skipped) == {".hidden.txt", ".git", "a/.cache", "a/.secret.md"}
    assert all(reason == "hidden" for reason in skipped.values())


def test_fifo_is_skipped_without_blocking(make_corpus, run_cli, tmp_path: Path) -> None:
    root = make_corpus({"real.txt": "a real zebra article"})
    os.mkfifo(root / "pipe.txt")
    os.mkfifo(root / "other_pipe.dat")  # not matching the globs: not even looked at
    files, skipped = walk(root)
    assert files == {"real.txt"}
    assert set(skipped) == {"pipe.txt"} and "FIFO" in skipped["pipe.txt"]

    # The whole CLI, which reads files: nobody ever writes to the FIFO, so an open() that
    # waited for a writer would hang until the timeout.
    proc = run_cli("index", root, "--index-dir", tmp_path / "ix", "--json", timeout=30)
    report = json_out(proc)
    assert report["documents"] == 1
    assert {s["path"] for s in report["skipped"]} == {"pipe.txt"}


def test_symlinks_out_loops_and_dangling_are_skipped_with_reasons(
    make_corpus, run_cli, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("outside zebra")
    root = make_corpus({"a/real.txt": "inside zebra", "b/other.txt": "other zebra"})
    os.symlink(outside / "secret.txt", root / "out_file.txt")
    os.symlink(outside, root / "out_dir")
    os.symlink("../..", root / "a" / "up")  # the parent of the corpus
    os.symlink(".", root / "a" / "self")  # a loop: a/self/self/self/...
    os.symlink("../a", root / "b" / "back")  # a folder already walked, through a link
    os.symlink("nowhere.txt", root / "dangling.txt")
    os.symlink("loop2.txt", root / "loop1.txt")
    os.symlink("loop1.txt", root / "loop2.txt")
    os.symlink("real.txt", root / "a" / "alias.txt")  # inside, to a file: a fine link

    files, skipped = walk(root)
    assert {"a/real.txt", "b/other.txt"} <= files
    assert not any("secret" in f or f.startswith("out_dir") for f in files)
    assert not any("/self/" in f or "/up/" in f for f in files), "never goes round a loop"
    assert "leads out" in skipped["out_file.txt"]
    assert "leads out" in skipped["out_dir"]
    assert "leads out" in skipped["a/up"]
    assert "loop" in skipped["a/self"]
    assert skipped["dangling.txt"] == "dangling symlink"
    assert skipped["loop1.txt"] == skipped["loop2.txt"] == "symlink loop"
    # The same folder reached twice is indexed once; the second way is reported.
    assert not any(f.startswith("b/back/") for f in files)
    assert "already indexed" in skipped["b/back"]
    assert "a/alias.txt" in files, "a link to a file inside the corpus is followed"

    report = json_out(run_cli("index", root, "--index-dir", tmp_path / "ix", "--json"))
    reported = {s["path"]: s["reason"] for s in report["skipped"]}
    assert reported == skipped
    assert report["documents"] == len(files)


def test_files_come_in_name_order_folder_by_folder(make_corpus) -> None:
    """A rebuild numbers documents in the walk's order, and that order breaks ties of date
    and score: it must be the names' order, not the order the folder lists them in."""
    names = ["b/2.txt", "b/1.txt", "c.txt", "a.txt", "b/a/x.txt", "d/z.txt", "ab.txt"]
    root = make_corpus({name: "zebra" for name in names})
    order = [f.path for f in scan_corpus(root) if isinstance(f, CorpusFile)]
    assert order == ["a.txt", "ab.txt", "c.txt", "b/1.txt", "b/2.txt", "b/a/x.txt", "d/z.txt"]


def test_a_folder_reached_by_a_link_too_is_indexed_under_its_own_path(make_corpus) -> None:
    """Whatever the names sort as, before or after the folder's own name."""
    root = make_corpus({"data/x.txt": "zebra", "data/sub/y.txt": "zebra"})
    os.symlink("data", root / "alias")
    os.symlink("data", root / "zlink")
    os.symlink("..", root / "data" / "sub" / "back")  # a loop back to data
    files, skipped = walk(root)
    assert files == {"data/x.txt", "data/sub/y.txt"}
    assert set(skipped) == {"alias", "zlink", "data/sub/back"}
    assert all("already indexed" in reason for reason in skipped.values())
