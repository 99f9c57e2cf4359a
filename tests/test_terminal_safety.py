"""No document can make the app send a control sequence to the terminal (issue 6).

The real app runs in a pseudo-terminal (TERM=xterm-256color, 80x24) on the hostile corpus;
every byte it writes is captured while it searches for every hostile document, opens them
one after another in the reader and quits.  Documents carry unique sequences (a 256-colour
CSI code and ``CSI 7777 m``, OSC 52 clipboard writes, an OSC 0 title, an OSC 8 link, a DCS
string, 8-bit C1 codes, bidi overrides); none of them may appear in the output.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import sys
import termios
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the package need not be installed
from hostile import (  # noqa: E402
    CSI_MARK_256,
    CSI_MARK_ODD,
    cli_env,
    make_hostile_corpus,
    run_cli,
)

pytestmark = pytest.mark.skipif(
    not (REPO / "tui" / "app.py").exists(), reason="the app (tui/app.py) has not landed"
)
DOWN, ENTER = b"\x1b[B", b"\r"


class Pty:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import pty

        self.output = bytearray()
        pid, fd = pty.fork()
        if pid == 0:  # pragma: no cover - the child
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.chdir(REPO)
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: the app exited
                return
            if not chunk:
                return
            self.output += chunk

    def send(self, data: bytes, settle: float = 0.3) -> None:
        os.write(self.fd, data)
        self.pump(settle)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while text.encode() not in self.output and time.monotonic() < end:
            self.pump(0.2)
        assert text.encode() in self.output, f"{text!r} never appeared"

    def close(self) -> int:
        end = time.monotonic() + 10
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            self.pump(0.1)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)
        return -9


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("terminal")
    expect = make_hostile_corpus(root)
    index_dir = root / "index"
    proc = run_cli(
        "index",
        expect["corpus"],
        "--index-dir",
        index_dir,
        "--quiet",
        "--max-mb",
        str(expect["max_mb"]),
    )
    assert proc.returncode == 0, proc.stderr
    env = {**cli_env(), "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    env.pop("NO_COLOR", None)
    app = Pty(
        [
            sys.executable,
            "-m",
            "search",
            str(expect["corpus"]),
            "--index-dir",
            str(index_dir),
            "--no-mouse",
            "--max-mb",
            str(expect["max_mb"]),
        ],
        env,
    )
    try:
        app.pump(3)
        app.send(b"zqx*", 0.5)
        app.send(ENTER, 2)
        # Every result, one after another, opened in the reader.
        for _ in range(len(expect["indexed"]) + 2):
            app.send(DOWN, 0.05)
            app.send(ENTER, 0.2)
        app.send(b"/", 0.3)
        app.send(b"\x15\x7f" * 1 + b"\x08" * 10, 0.3)  # clear the box, however it is edited
        app.send(b"title:title", 0.3)
        app.send(ENTER, 2)
        for _ in range(4):
            app.send(DOWN, 0.15)
            app.send(ENTER, 0.4)
        app.send(b"\x1b", 0.3)
        app.send(b"q", 0.5)
    finally:
        code = app.close()
    return {"output": bytes(app.output), "code": code, "expect": expect}


def test_the_app_ran_and_showed_hostile_documents(session: dict[str, Any]) -> None:
    text = session["output"].decode("utf-8", "replace")
    assert "zqx" in text, "the search never showed a hostile document"
    # Control characters are shown as visible symbols, so they did reach the screen.
    assert "\u241b" in text, "no document with an escape character was ever displayed"


def test_output_is_valid_utf8_without_c1_controls(session: dict[str, Any]) -> None:
    text = session["output"].decode("utf-8")  # strict: a raw 0x80-0x9f byte would fail
    c1 = sorted({f"U+{ord(c):04X}" for c in text if 0x80 <= ord(c) <= 0x9F})
    assert not c1, c1
    bidi = sorted(
        {
            f"U+{ord(c):04X}"
            for c in text
            if c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        }
    )
    assert not bidi, bidi


def test_no_planted_sequence_reaches_the_terminal(session: dict[str, Any]) -> None:
    out = session["output"]
    for planted in (CSI_MARK_256, CSI_MARK_ODD):
        assert planted.encode() not in out, repr(planted)
    assert b"\x1b]52" not in out, "a clipboard write (OSC 52) reached the terminal"
    assert b"\x1bP" not in out, "a DCS string reached the terminal"
    assert not re.search(rb"\x1b\]8;[^\x07\x1b]*evil\.example", out), "a document's OSC 8 link"


def test_titles_set_only_by_the_app(session: dict[str, Any]) -> None:
    titles = re.findall(rb"\x1b\][012];([^\x07\x1b]*)", session["output"])
    for title in titles:
        assert title.startswith(b"corpus-browser") or title == b"", title
    assert b"HOSTILE-TITLE" not in b"".join(titles)


def test_the_app_quit_cleanly(session: dict[str, Any]) -> None:
    assert session["code"] == 0, session["output"][-2000:]
    assert b"Traceback" not in session["output"]
