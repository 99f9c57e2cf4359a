"""End to end: the installed ``corpus-browser`` command in a real terminal (tmux, 80x24).

Drives the app with ``send-keys`` and reads the screen with ``capture-pane``, as a user
over SSH would see it: a search, walking matches across files, folding the side panel,
the help screen, and quitting.
"""

from __future__ import annotations

import os
import re
import shlex
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


# -- the README's first command on a fresh clone ------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
LONG_WORD = "quokka"
LONG_END = "where the quokka ends the line"  # only at the end of the long line
TITLE_WORD = "habitat"  # only in a title
SHORT_FILE = (  # ranks first for LONG_WORD; the long file comes next in date order
    f" date 2024-05-01 Marsupial sightings\nA {LONG_WORD}, a {LONG_WORD} and a third {LONG_WORD}.\n"
)
LONG_FILE = (  # LONG_WORD once, at the end of a 7,000-character line
    " date 2024-06-01 Marsupial habitat report\n"
    "A marsupial opens this line. "
    + "Plain filler words keep going along the long line. " * 137
    + LONG_END
    + ".\nA short closing line.\n"
)
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def readme_first_command() -> str:
    """The README Quick start's first command block, exactly as a user would paste it
    (its comment lines left out)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Quick start")
    block = readme[readme.index("```sh\n", start) + 6 :]
    lines = block[: block.index("```")].strip().splitlines()
    command = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert "corpus-browser" in command, command
    return command


def fresh_clone(tmp: Path) -> Path:
    """A clone of this checkout's current commit, as a new user gets it."""

    def git(*args: str | Path, cwd: Path) -> str:
        done = subprocess.run(["git", *map(str, args)], cwd=cwd, capture_output=True,
                              text=True, timeout=120, check=True)  # fmt: skip
        return done.stdout.strip()

    head = git("rev-parse", "HEAD", cwd=REPO)
    clone = tmp / "clone"
    git("clone", "-q", "--no-checkout", REPO, clone, cwd=tmp)
    git("checkout", "-q", head, cwd=clone)
    return clone


def styled_attributes(line: str, column: int) -> set[str]:
    """The SGR attributes (``"4"`` underline, ``"7"`` reverse, ...) in effect at ``column``
    of a line captured with ``capture-pane -e`` (one column per character here)."""
    active: set[str] = set()
    col = 0
    pos = 0
    while pos < len(line):
        match = SGR.match(line, pos)
        if match:
            codes = match.group(1).replace(":", ";").split(";") if match.group(1) else ["0"]
            i = 0
            while i < len(codes):
                code = codes[i]
                if code in ("38", "48", "58"):  # a colour: its arguments are not attributes
                    i += 3 if codes[i + 1 : i + 2] == ["5"] else 5
                    continue
                if code in ("0", ""):
                    active.clear()
                elif code in ("22", "23", "24", "25", "27", "28", "29"):
                    active.discard({"22": "1", "24": "4", "27": "7"}.get(code, ""))
                elif len(code) == 1:
                    active.add(code)
                i += 1
            pos = match.end()
            continue
        if col == column:
            return active
        col += 1
        pos += 1
    raise AssertionError(f"column {column} is beyond the line")


def find_on_screen(session: str, needle: str) -> tuple[int, int]:
    for row, line in enumerate(screen(session).splitlines()):
        if needle in line:
            return row, line.index(needle)
    raise AssertionError(f"{needle!r} is not on screen:\n{screen(session)}")


def pane_dead(session: str) -> bool:
    return tmux("display-message", "-p", "-t", session, "#{pane_dead}").strip() == "1"


def send(session: str, *keys: str) -> None:
    tmux("send-keys", "-t", session, *keys)


def type_query(session: str, query: str) -> None:
    """``/`` to the search box, clear it (Ctrl+E, Ctrl+U), type ``query``, Enter, with a
    person's pauses between them (sent in one burst, the box kept none of it)."""
    for keys in (["/"], ["C-e"], ["C-u"], ["-l", query], ["Enter"]):
        send(session, *keys)
        time.sleep(0.3)


@pytest.mark.slow
def test_the_readme_first_command_on_a_fresh_clone(tmp_path: Path) -> None:
    """The README's Quick start on a fresh clone, at 80x24 and 200x50: ``?`` opens help,
    ``n`` reaches a match at the end of a 7,000-character line, title matches are marked,
    ``q`` quits."""
    clone = fresh_clone(tmp_path)
    (clone / "sample_corpus" / "zz_long_line.txt").write_text(LONG_FILE, encoding="utf-8")
    (clone / "sample_corpus" / "zz_short.txt").write_text(SHORT_FILE, encoding="utf-8")
    assert max(len(line) for line in LONG_FILE.splitlines()) > 7000
    command = readme_first_command()
    home = tmp_path / "home"
    home.mkdir()
    env = f"env -u PYTHONPATH HOME={home} XDG_CACHE_HOME={home / '.cache'} TERM=xterm-256color"
    for width, height in ((80, 24), (200, 50)):
        session = f"cb-fresh-{uuid.uuid4().hex[:8]}"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
             "-c", str(clone), f"{env} sh -c {shlex.quote(command)}"],
            check=True, timeout=10,
        )  # fmt: skip
        # The pane stays after its command ends, so a failed install can be read, and
        # "q quits" is the command ending, seen as a dead pane.
        tmux("set-option", "-t", session, "remain-on-exit", "on")
        try:
            _drive_first_minutes(session, width, height)
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def _drive_first_minutes(session: str, width: int, height: int) -> None:
    # The install runs first (minutes on a cold cache), then the app builds the index.
    # Keys wait for the first build to finish, so that its refresh cannot race them.
    ready = re.compile(r"\b7 files\b.*\b(built|up to date)\b")

    def started(text: str) -> bool:
        assert not pane_dead(session), f"the command ended before the app showed:\n{text}"
        return bool(ready.search(text)) and "Officials (" in text

    wait_for(session, started, timeout=600)
    lines = screen(session).splitlines()
    assert len(lines) == height and all(len(line) <= width for line in lines)

    # `?` opens the help at once: it is a key, not a query "?".
    send(session, "?")
    text = wait_for(session, lambda s: "Esc" in s and "help" in s.lower(), timeout=10)
    assert "matches in" not in text, "? ran a search instead of opening the help"
    send(session, "Escape")
    wait_for(session, lambda s: "7 files" in s, timeout=10)

    # `n` reaches a match at the end of a 7,000-character line, scrolled into view: past
    # the last match of the short file, on into the long one (next in date order).
    type_query(session, LONG_WORD)
    wait_for(session, lambda s: "match 1/3" in s, timeout=30)
    send(session, "n", "n", "n")
    # (the reader opens the file, then scrolls its match into view)
    text = wait_for(session, lambda s: "match 1/1" in s and "ends" in s, timeout=10)
    styled = tmux("capture-pane", "-p", "-e", "-t", session).splitlines()
    current = [
        (row, col)
        for row, line in enumerate(text.splitlines())
        for col in [m.start() for m in re.finditer(LONG_WORD, line)]
        if {"1", "7"} <= styled_attributes(styled[row], col)
    ]
    assert current, f"no {LONG_WORD} on screen is the current match (bold reverse):\n{text}"

    # A word found only in a title is marked in the reader's title line.
    type_query(session, f"title:{TITLE_WORD}")
    wait_for(session, lambda s: "2024-06-01  Marsupial" in s, timeout=30)
    row, col = find_on_screen(session, f"2024-06-01  Marsupial {TITLE_WORD}")
    col += len("2024-06-01  Marsupial ")
    marked = tmux("capture-pane", "-p", "-e", "-t", session).splitlines()[row]
    assert styled_attributes(marked, col) & {"4", "7"}, "the title match is not marked"

    # `q` quits the app (and so ends the session's command).
    send(session, "q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not pane_dead(session):
        time.sleep(0.1)
    assert pane_dead(session), "q did not quit the app"
