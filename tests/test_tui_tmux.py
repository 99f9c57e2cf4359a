"""End to end: the installed ``corpus-browser`` command in a real terminal (tmux, 80x24).

Drives the app with ``send-keys`` and reads the screen with ``capture-pane``, as a user
over SSH would see it: a search, walking matches across files, folding the side panel,
the help screen, and quitting.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_support import build_index, make_corpus  # noqa: E402

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

BIN = Path(sys.executable).parent / "corpus-browser"


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10)
    return done.stdout


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, test: Callable[[str], bool], timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = screen(session)
        if test(text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"the screen never showed what was expected:\n{text}")


@pytest.mark.skipif(not BIN.exists(), reason="corpus-browser is not installed in this venv")
def test_the_real_app_in_tmux(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, hostile=False)
    build_index(corpus, tmp_path / "index")
    session = f"cb-{uuid.uuid4().hex[:8]}"
    command = f"{BIN} {corpus} --index-dir {tmp_path / 'index'} --no-mouse"
    env = {**os.environ, "TERM": "xterm-256color"}
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command],
        check=True,
        env=env,
        timeout=10,
    )
    try:
        # At start the app browses: every file listed, the whole corpus in the panel.
        # Typing waits for the background index check too, so its refresh cannot race the query.
        wait_for(session, lambda s: "5 files" in s and "Officials" in s and "up to date" in s)
        tmux("send-keys", "-t", session, "/guangxi")
        tmux("send-keys", "-t", session, "Enter")
        # The footer follows focus (search box -> results) a frame after the results appear.
        text = wait_for(
            session, lambda s: "matches in 5 files" in s and "match 1/" in s and "q Quit" in s
        )
        lines = text.splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        assert "46 matches in 5 files, 2023-02-23 .. 2024-11-07" in text
        assert "Officials (" in text and "Provinces (" in text
        first = next(line for line in lines if "match 1/" in line)
        total = int(first.split("match 1/")[1].split(",")[0])
        tmux("send-keys", "-t", session, *["n"] * total)
        text = wait_for(session, lambda s: "(next file, by relevance)" in s)
        assert "match 1/" in text
        tmux("send-keys", "-t", session, "N")
        text = wait_for(session, lambda s: "(previous file, by relevance)" in s)
        assert f"match {total}/{total}" in text
        tmux("send-keys", "-t", session, "e")
        text = wait_for(session, lambda s: "Officials (" not in s)
        tmux("send-keys", "-t", session, "?")
        wait_for(session, lambda s: "Help: keys and the query language" in s)
        tmux("send-keys", "-t", session, "Escape")
        wait_for(session, lambda s: "Help: keys and the query language" not in s)
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and session in tmux("list-sessions"):
            time.sleep(0.1)
        assert session not in tmux("list-sessions"), "q did not quit the app"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
