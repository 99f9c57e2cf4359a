"""Leaving files out of a corpus: ``--exclude GLOB`` and the corpus's ``.corpusignore``.

A corpus's own README.md is not an article: it can be left out, by a pattern on the command
line or in the corpus folder, and nothing is ever left out without the report saying so.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cli_env, json_out, write_corpus

from search.excludes import Excludes
from search.index.facade import CorpusIndex
from tui.indexer import index_command

ARTICLE = " date 2024-0{}-01 Article {}\nHarbour trade grew.\n"
FILES = {
    "README.md": "About this corpus\nHarbour notes for the archive's users.\n",
    "a.txt": ARTICLE.format(1, "a"),
    "drafts/b.txt": ARTICLE.format(2, "b"),
    "2024/drafts/c.txt": ARTICLE.format(3, "c"),
    "2024/keep.txt": ARTICLE.format(4, "keep"),
    "2024/old.TXT.bak.txt": ARTICLE.format(5, "old"),
}


@pytest.mark.parametrize(
    ("patterns", "path", "is_dir", "excluded"),
    [
        (["README.md"], "README.md", False, True),
        (["README.md"], "sub/readme.MD", False, True),  # any depth, case ignored
        (["/README.md"], "sub/README.md", False, False),  # anchored at the root
        (["drafts/"], "2024/drafts", True, True),
        (["drafts/"], "drafts", False, False),  # a file named drafts: folders only
        (["2024/*.txt"], "2024/a.txt", False, True),
        (["2024/*.txt"], "2024/x/a.txt", False, False),  # * stops at /
        (["**/x/*.txt"], "2024/x/a.txt", False, True),
        (["**/x/*.txt"], "x/a.txt", False, True),
        (["2024/**"], "2024/x/y/a.txt", False, True),
        (["a/**/b.txt"], "a/b.txt", False, True),
        (["a/**/b.txt"], "a/x/y/b.txt", False, True),
        (["*.txt", "!keep.txt"], "keep.txt", False, False),  # the last match decides
        (["!keep.txt", "*.txt"], "keep.txt", False, True),
        (["[ab].txt"], "b.txt", False, True),
        (["[!ab].txt"], "b.txt", False, False),
        (["note?.txt"], "note1.txt", False, True),
        (["# a comment", "", "   "], "# a comment", False, False),
        (["\\#hash.txt"], "#hash.txt", False, True),
    ],
)
def test_pattern_subset(patterns: list[str], path: str, is_dir: bool, excluded: bool) -> None:
    rule = Excludes.load(Path("/nonexistent"), patterns).match(path, is_dir)
    assert (rule is not None) == excluded


def index(tmp: Path, root: Path, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "search", "index", str(root), "--index-dir", str(tmp / "ix"),
         "--json", *args],
        capture_output=True, text=True, timeout=60, env=cli_env(tmp), cwd=tmp,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json_out(proc)


def indexed_paths(root: Path, ix: Path) -> set[str]:
    corpus = CorpusIndex(root, ix)
    try:
        return {h.path for h in corpus.search("*", limit=None).hits}
    finally:
        corpus.close()


def test_nothing_is_excluded_by_default(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "c", FILES)
    report = index(tmp_path, root)
    assert report["excluded"] == [] and report["documents"] == len(FILES)
    assert "README.md" in indexed_paths(root, tmp_path / "ix")


def test_exclude_and_corpusignore_leave_files_out_and_say_so(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "c", FILES)
    index(tmp_path, root)  # README.md indexed first: excluding it later removes it
    (root / ".corpusignore").write_text("# not articles\ndrafts/\n!2024/drafts/\n*.bak.txt\n")
    report = index(tmp_path, root, "--exclude", "README.md")
    assert report["excluded"] == [
        {"pattern": "README.md", "source": "--exclude", "files": 1, "folders": 0},
        {"pattern": "drafts/", "source": ".corpusignore line 2", "files": 0, "folders": 1},
        {"pattern": "*.bak.txt", "source": ".corpusignore line 4", "files": 1, "folders": 0},
    ]
    assert report["removed"] == 3 and report["skipped"] == [], "the file itself is no article"
    kept = {"a.txt", "2024/drafts/c.txt", "2024/keep.txt"}
    assert indexed_paths(root, tmp_path / "ix") == kept
    # The app's background indexer passes its excludes on to the child it runs.
    corpus = CorpusIndex(root, tmp_path / "ix", excludes=("a.txt",))
    command = index_command(corpus)
    assert command[command.index("--exclude") + 1] == "a.txt"
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60,
                          env=cli_env(tmp_path), cwd=tmp_path)  # fmt: skip
    by_app = {"pattern": "a.txt", "source": "--exclude", "files": 1, "folders": 0}
    assert by_app in json_out(proc)["excluded"]
    # --exclude holds for the run that gives it (as --glob does): README.md is back
    assert indexed_paths(root, tmp_path / "ix") == kept - {"a.txt"} | {"README.md"}


def test_the_summary_at_a_terminal_names_each_pattern(tmp_path: Path) -> None:
    """A person at a terminal reads the counts; a line of .corpusignore that is not UTF-8
    is a warning, and the other lines still apply."""
    pty = pytest.importorskip("pty")
    root = write_corpus(tmp_path / "c", FILES)
    (root / ".corpusignore").write_bytes(b"drafts/\n\xff\xfe bad\n")
    primary, secondary = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "search", "index", str(root), "--index-dir", str(tmp_path / "ix"),
         "--exclude", "README.md"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=secondary,
        env=cli_env(tmp_path), cwd=tmp_path, timeout=60,
    )  # fmt: skip
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "3 excluded" in out and "excluded 1 file by README.md (--exclude)" in out
    assert "excluded 2 folders by drafts/ (.corpusignore line 1)" in out
    assert "warning .corpusignore: line 2 is not valid UTF-8; it is ignored" in out
