"""``o`` opens the file in $VISUAL / $EDITOR at the current match's line.

The command for each editor is checked directly; then the real app runs in a pseudo-terminal
(Pilot's headless driver cannot hand a terminal over) with a fake editor that records its
arguments and edits the file: the app must suspend, run it at the right line, resume, and
index the edit.  The same run checks the OSC 52 bytes ``Y`` writes to the terminal.
"""

from __future__ import annotations

import base64
import json
import os
import re
import stat
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile import cli_env  # noqa: E402
from test_terminal_safety import ENTER, Pty  # noqa: E402
from test_tui_support import build_index, make_corpus  # noqa: E402

from search import CorpusIndex  # noqa: E402
from tui.editor import EditorError, editor_command  # noqa: E402

PATH = "/corpus/a b.txt"


@pytest.mark.parametrize(
    ("editor", "argv"),
    [
        ("vim", ["vim", "+12", PATH]),
        ("/usr/bin/nvim", ["/usr/bin/nvim", "+12", PATH]),
        ("nano", ["nano", "+12,5", PATH]),
        ("emacsclient -t", ["emacsclient", "-t", "+12:5", PATH]),
        ("micro", ["micro", "+12:5", PATH]),
        ("hx", ["hx", f"{PATH}:12:5"]),
        ("code", ["code", "--wait", "-g", f"{PATH}:12:5"]),
        ("code --wait", ["code", "--wait", "-g", f"{PATH}:12:5"]),
        ("gvim", ["gvim", "-f", "+12", PATH]),
        ("'/opt/my editor/ed'", ["/opt/my editor/ed", PATH]),  # unknown: the file alone
    ],
)
def test_each_editor_gets_the_line_its_own_way(editor: str, argv: list[str]) -> None:
    command = editor_command(PATH, 12, 5, {"VISUAL": editor, "EDITOR": "nano"})
    assert command.argv == argv
    assert command.places_cursor == ("/opt/" not in editor)


def test_editor_falls_back_to_EDITOR_then_vi_then_says_what_to_set(tmp_path: Path) -> None:
    assert editor_command(PATH, 3, 1, {"VISUAL": " ", "EDITOR": "nano"}).argv[0] == "nano"
    vi = tmp_path / "vi"
    vi.write_text("#!/bin/sh\n")
    vi.chmod(0o755)
    assert editor_command(PATH, 3, 1, {"PATH": str(tmp_path)}).argv == [str(vi), "+3", PATH]
    with pytest.raises(EditorError, match=r"set \$VISUAL or \$EDITOR"):
        editor_command(PATH, 3, 1, {"PATH": str(tmp_path / "none")})
    with pytest.raises(EditorError, match="cannot be read"):
        editor_command(PATH, 3, 1, {"VISUAL": "vim 'unclosed"})


def screen_text(app: Pty) -> bytes:
    """The app's output without its control sequences (styles split words apart)."""
    return re.sub(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]", b"", bytes(app.output))


# The first run appends a word to the file.  The second edits nothing, presses Ctrl+C (a
# SIGINT to the terminal's foreground process group: the app too) and exits 3.
FAKE_EDITOR = """#!{python}
import json, os, signal, sys
with open({record!r}, "a") as fh:
    fh.write(json.dumps(sys.argv[1:]) + "\\n")
with open({record!r}) as fh:
    runs = len(fh.read().splitlines())
if runs == 1:
    with open(sys.argv[-1], "a", encoding="utf-8") as fh:
        fh.write("\\nA zebrafinch was added in the editor.\\n")
else:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.killpg(0, signal.SIGINT)
    sys.exit(3)
"""


@pytest.mark.heavy
def test_o_runs_the_editor_at_the_match_line_and_indexes_the_edit(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, hostile=False)
    index_dir = tmp_path / "index"
    index = build_index(corpus, index_dir)
    top = index.search("guangxi", limit=1).hits[0]
    nth = min(2, len(top.matches) - 1)
    start = sorted(top.matches)[nth][0]
    steps = len(top.title_matches) + nth  # n goes through the title's matches first
    raw = (corpus / top.path).read_text(encoding="utf-8")
    text = index.document(top.path).document.text
    assert raw.endswith(text)  # what is before the text is the header line, if any
    expected_line = raw.count("\n", 0, len(raw) - len(text) + start) + 1

    record = tmp_path / "editor-args.jsonl"
    editor = tmp_path / "bin" / "vim"  # named vim: it gets +LINE PATH
    editor.parent.mkdir()
    editor.write_text(FAKE_EDITOR.format(python=sys.executable, record=str(record)))
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    env = {**cli_env(), "TERM": "xterm-256color", "VISUAL": str(editor)}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    argv = [sys.executable, "-m", "search", str(corpus), "--index-dir", str(index_dir)]
    app = Pty([*argv, "--no-mouse"], env)
    try:
        app.pump(3)
        app.send(b"/guangxi", 0.5)
        app.send(ENTER, 1.5)
        app.send(b"n" * steps, 0.5)
        app.send(b"Y", 0.5)
        app.send(b"o", 1.0)
        deadline = time.monotonic() + 40
        while not record.exists() and time.monotonic() < deadline:
            app.pump(0.2)
        assert record.exists(), "the editor never ran"
        # The edit is indexed by the app's update: the new word becomes searchable.
        found = 0
        while time.monotonic() < deadline and not found:
            app.pump(0.3)
            found = CorpusIndex(corpus, index_dir).search("zebrafinch").total
        assert found == 1, "the edited file was not indexed again"
        app.send(b"o", 1.5)  # Ctrl+C in the editor, which then fails: the app lives on
        while b"exited with status 3" not in screen_text(app) and time.monotonic() < deadline:
            app.pump(0.3)
        assert b"vim exited with status 3" in screen_text(app)
        app.send(b"q", 0.5)
    finally:
        code = app.close()
    assert code == 0
    path = os.path.abspath(corpus / top.path)
    runs = [json.loads(line) for line in record.read_text().splitlines()]
    assert runs[0] == [f"+{expected_line}", path] and len(runs) == 2
    out = bytes(app.output)
    b64 = base64.b64encode(path.encode()).decode()
    assert f"\x1b]52;c;{b64}\x07".encode() in out  # Y: the path, by OSC 52
    # Suspended (left the alternate screen) for the editor, then back in it.
    assert out.count(b"\x1b[?1049h") >= 2 and b"\x1b[?1049l" in out
