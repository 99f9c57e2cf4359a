"""Installing as a user does: a clean clone, ``pip install .`` (not editable) into a fresh
venv, then ``corpus-browser`` with no argument opens the sample corpus the package ships.

The slow test builds and installs for real (the package index pip is configured with); the
quick ones check the sample the wheel ships against its sources.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, cli_env, json_out

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gold_scorer import SHARED  # noqa: E402
from test_tui_tmux import tmux, wait_for  # noqa: E402

SAMPLE_FILES = sorted(p.name for p in SAMPLE.glob("*.txt"))


def test_the_sample_is_the_shared_seeds_byte_for_byte() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"no {seeds} beside the clone")
    assert sorted(p.name for p in seeds.iterdir()) == SAMPLE_FILES and len(SAMPLE_FILES) == 5
    _match, mismatch, errors = filecmp.cmpfiles(SAMPLE, seeds, SAMPLE_FILES, shallow=False)
    assert mismatch == errors == []


def test_the_package_data_names_every_sample_file() -> None:
    """pyproject.toml ships the folder as ``search.sample_corpus``: every file of it must
    match the package-data pattern, or a wheel would silently leave it out."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    tool = config["setuptools"]
    assert "search.sample_corpus" in tool["packages"]
    assert tool["package-dir"]["search.sample_corpus"] == "sample_corpus"
    patterns = tool["package-data"]["search.sample_corpus"]
    for path in SAMPLE.iterdir():
        assert any(path.match(p) for p in patterns), path.name


def _run(*args: str | Path, env: dict[str, str], cwd: Path, timeout: float = 600):
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd,
        timeout=timeout, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done


def clean_clone(tmp: Path) -> Path:
    """A clone of this checkout's current commit (what a user would clone)."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    head = _run("git", "rev-parse", "HEAD", env=dict(os.environ), cwd=REPO).stdout.strip()
    clone = tmp / "clone"
    _run("git", "clone", "-q", "--no-checkout", REPO, clone, env=dict(os.environ), cwd=tmp)
    _run("git", "checkout", "-q", head, env=dict(os.environ), cwd=clone)
    return clone


@pytest.mark.slow
def test_pip_install_dot_then_corpus_browser_opens_the_packaged_sample(tmp_path: Path) -> None:
    clone = clean_clone(tmp_path)
    venv = tmp_path / "venv"
    env = cli_env(tmp_path)
    env.pop("PYTHONPATH", None)  # the installed package only, never this checkout
    _run(sys.executable, "-m", "venv", venv, env=env, cwd=tmp_path)
    _run(venv / "bin" / "pip", "install", "-q", ".", env=env, cwd=clone)
    shutil.rmtree(clone)  # nothing may come from the clone any more
    bin_ = venv / "bin" / "corpus-browser"

    from importlib.metadata import version

    proc = _run(bin_, "--version", env=env, cwd=tmp_path)
    assert proc.stdout.strip() == f"corpus-browser {version('corpus-browser')}"
    where = _run(
        venv / "bin" / "python", "-c", "import search.corpus.read as c; print(c.SAMPLE_CORPUS)",
        env=env, cwd=tmp_path,
    ).stdout.strip()  # fmt: skip
    packaged = Path(where)
    assert "site-packages" in packaged.parts and packaged.name == "sample_corpus"
    assert sorted(p.name for p in packaged.glob("*.txt")) == SAMPLE_FILES
    _m, mismatch, errors = filecmp.cmpfiles(SAMPLE, packaged, SAMPLE_FILES, shallow=False)
    assert mismatch == errors == []

    report = json_out(_run(bin_, "index", packaged, "--json", env=env, cwd=tmp_path))
    assert report["documents"] == len(SAMPLE_FILES) and report["skipped"] == []
    index_dir = Path(report["index_dir"])
    cache = Path(env["XDG_CACHE_HOME"])
    assert index_dir.is_relative_to(cache), "the index lives in the user cache dir"
    assert sorted(p.name for p in packaged.iterdir()) == SAMPLE_FILES, (
        "nothing is written beside the packaged sample"
    )
    hits = json_out(_run(bin_, "search", "guangxi", "--corpus", packaged, "--json", env=env,
                         cwd=tmp_path))  # fmt: skip
    assert hits["total"] == len(SAMPLE_FILES)

    if shutil.which("tmux") is None:
        return
    # No argument, from a folder without a sample_corpus/: the app opens the packaged one.
    session = f"cb-install-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
         "-c", str(tmp_path), f"{bin_} --no-mouse"],
        check=True, env={**env, "TERM": "xterm-256color"}, timeout=10,
    )  # fmt: skip
    try:
        # the five files listed and the panel filled: the packaged sample, indexed
        wait_for(session, lambda s: "5 files, 2023-02-23" in s and "Liu Ning" in s, timeout=60)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and session in tmux("list-sessions"):
            time.sleep(0.1)
