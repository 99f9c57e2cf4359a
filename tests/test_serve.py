"""``corpus-browser serve``: the app in a browser, through textual-serve.

Everything here runs the real command line as a subprocess on a real corpus and index.  A
session is opened by the real websocket protocol (aiohttp's client, as textual.js speaks it)
or, in the heavy test, by Debian's Chromium driven by Playwright; what the browser was sent
is read back into a screen of cells (pyte), as xterm.js draws it, and a screenshot is saved.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pyte
import pytest
from conftest import SAMPLE, cli_env

from search.serve import session_command

# A corpus folder name that a shell would run, if the session's command let it.
HOSTILE = "corpus 'q' \"dq\" $(touch PWNED1) `touch PWNED2`; touch PWNED3 & <i>x"
START_SECONDS = 30


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str
    lines: list[str] = field(default_factory=list)

    def sessions(self) -> list[psutil.Process]:
        """The processes the server started: an app per open browser tab (and their indexers)."""
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        found = []
        for child in children:
            try:
                if "search" in child.cmdline() and "serve" not in child.cmdline():
                    found.append(child)
            except psutil.Error:
                pass
        return found


def _pump(stream, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


@contextmanager
def serving(home: Path, corpus: Path, *options: str) -> Iterator[Served]:
    """``corpus-browser serve CORPUS --port 0 OPTIONS`` until it says where it listens;
    stopped by SIGINT (as Ctrl+C does) on the way out if the test has not stopped it."""
    command = [sys.executable, "-m", "search", "serve", str(corpus), "--port", "0"]
    command += ["--index-dir", str(home / "index"), *options]
    proc = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", env=cli_env(home), cwd=home,
    )  # fmt: skip
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(proc.stderr, lines), daemon=True).start()
    served = Served(proc, "")
    deadline = time.monotonic() + START_SECONDS
    try:
        while not served.lines or served.lines[-1] != "press Ctrl+C to stop the server":
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None, f"serve ended: {served.lines}, exit {proc.wait()}"
            served.lines.append(line)
            if match := re.match(r"open (http://\S+) in a browser", line):
                served.url = match.group(1)
        yield served
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        while (line := lines.get(timeout=5)) is not None:
            served.lines.append(line)


class Screen:
    """The terminal a browser tab shows, rebuilt from the bytes the server sent it."""

    def __init__(self, width: int, height: int) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def marked(self, word: str) -> list[tuple[int, int]]:
        """(row, column) of each place ``word`` is drawn with a mark: underlined or reversed."""
        found = []
        for row, line in enumerate(self.screen.display):
            for match in re.finditer(re.escape(word), line, re.IGNORECASE):
                chars = [self.screen.buffer[row][x] for x in range(match.start(), match.end())]
                if all(c.underscore or c.reverse for c in chars):
                    found.append((row, match.start()))
        return found


def _copy_sample(parent: Path, name: str = HOSTILE) -> Path:
    corpus = parent / name
    shutil.copytree(SAMPLE, corpus)
    return corpus


# -- the command run for each session ------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        HOSTILE,
        "it's",
        '"$HOME"',
        "$(touch PWNED4)",
        "`touch PWNED5`",
        "a;touch PWNED6",
        "a\ntouch PWNED7",
        "-",
        "",
        "ü 湖北 \\ *",
    ],
)
def test_the_session_command_reaches_the_app_word_for_word(tmp_path: Path, word: str) -> None:
    echo = [sys.executable, "-c", "import json, sys; print(json.dumps(sys.argv[1:]))"]
    command = session_command([*echo, word, "--exclude", word])
    # textual-serve runs it as asyncio.create_subprocess_shell does: /bin/sh -c COMMAND.
    out = subprocess.run(
        ["/bin/sh", "-c", command], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert json.loads(out.stdout) == [word, "--exclude", word]
    assert not list(tmp_path.iterdir()), "the shell ran part of an argument"


def test_every_app_option_passes_through_to_the_sessions(tmp_path: Path) -> None:
    """The serve verb's options, given, come out as the app's command line that parses back
    to the same values (so an option added to the app and to serve passes through too)."""
    from search.cli import _app_argv, app_parser, build_parser

    args = build_parser().parse_args(
        ["serve", str(tmp_path / "c d"), "--index-dir", str(tmp_path / "i $x"),
         "--glob", "*.txt", "--glob", "*.text", "--max-mb", "3.5",
         "--exclude", "drafts/", "--exclude=-x.txt", "--exclude", "!keep 'me'.txt",
         "--port", "9000"]
    )  # fmt: skip
    back = app_parser().parse_args(_app_argv(args))
    served = {k: v for k, v in vars(args).items() if k in vars(back)}
    assert served == {k: v for k, v in vars(back).items() if k in served}
    assert back.exclude == ["drafts/", "-x.txt", "!keep 'me'.txt"]
    assert back.glob == ["*.txt", "*.text"] and back.max_mb == 3.5
    assert not {"host", "port", "wait"} & set(vars(back))


# -- the server, with a session opened over the websocket ----------------------------------


async def _session(
    url: str,
    until: Callable[[Screen], bool],
    keys: str = "",
    then: Callable[[], None] | None = None,
) -> Screen:
    """Open one session as a browser tab does, send ``keys`` once the corpus is listed, and
    read until ``until`` (failing, with the screen, after START_SECONDS).  With ``then``:
    call it, the session still open, and read on until the server closes the session."""
    import aiohttp

    screen = Screen(100, 30)

    async def read(ws: aiohttp.ClientWebSocketResponse, ready: Callable[[Screen], bool]) -> bool:
        sent = False
        while not ready(screen):
            message = await ws.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                screen.feed(message.data)
            elif message.type != aiohttp.WSMsgType.TEXT:
                return False  # closed
            if not sent and "5 files" in screen.text():
                sent = True
                for key in keys:
                    await ws.send_json(["stdin", key])
        return True

    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(f"{url}ws?width=100&height=30") as ws,
    ):
        try:
            assert await asyncio.wait_for(read(ws, until), START_SECONDS), screen.text()
            if then is not None:
                then()
                assert not await asyncio.wait_for(read(ws, lambda _: False), START_SECONDS)
        except asyncio.TimeoutError:
            raise AssertionError(f"timed out; the session shows:\n{screen.text()}") from None
    return screen


@pytest.mark.heavy  # seconds of process starts; .ci/run runs the heavy tests
def test_serve_opens_the_corpus_whatever_its_name_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    corpus = _copy_sample(tmp_path)
    sessions: list[psutil.Process] = []
    with serving(tmp_path, corpus, "--exclude", "no such $(touch PWNED8)") as served:
        assert served.url.startswith("http://127.0.0.1:")
        assert not [line for line in served.lines if "warning" in line]

        def ctrl_c() -> None:
            sessions.extend(served.sessions())
            served.proc.send_signal(signal.SIGINT)

        # A query runs and its matches are marked; then Ctrl+C while the session is open
        # closes it, and the server and that session's app both end.
        screen = asyncio.run(
            _session(
                served.url,
                lambda s: bool(s.marked("guangxi")),
                keys="/guangxi\r",
                then=ctrl_c,
            )
        )
        assert re.search(r"\d+ matches in 5 files", screen.text()), screen.text()
        assert served.proc.wait(timeout=20) == 0
    assert served.lines[-1] == "corpus-browser: server stopped"
    assert sessions
    _, alive = psutil.wait_procs(sessions, timeout=10)
    assert not alive, "the session's app outlived the server"
    assert not list(tmp_path.glob("**/PWNED*")), "the shell ran part of the corpus's name"


def test_a_session_whose_app_cannot_start_is_closed_not_left_hanging(tmp_path: Path) -> None:
    corpus = _copy_sample(tmp_path, "corpus")
    with serving(tmp_path, corpus) as served:
        shutil.rmtree(corpus)  # the app of the next session stops at once, exit 2

        async def closed() -> bool:
            import aiohttp

            async with (
                aiohttp.ClientSession() as client,
                client.ws_connect(f"{served.url}ws?width=80&height=24") as ws,
            ):
                message = await asyncio.wait_for(ws.receive(), START_SECONDS)
                return message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)

        assert asyncio.run(closed())
        assert served.proc.poll() is None  # the server goes on


def test_another_address_warns_that_there_is_no_login(tmp_path: Path) -> None:
    with serving(tmp_path, SAMPLE, "--host", "0.0.0.0") as served:
        warning = [line for line in served.lines if "warning" in line]
        assert len(warning) == 1 and "no login" in warning[0] and "0.0.0.0" in warning[0]
        assert served.url in warning[0]  # the port listened on, not the 0 asked for
        assert not served.url.startswith("http://0.0.0.0")  # a name a colleague can open
        # The page sends the browser's websocket back to the address the browser used
        # (here loopback, or a tunnel's other port), not to 0.0.0.0.
        port = int(served.url.rsplit(":", 1)[1].strip("/"))
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        tunnel = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"Host": "localhost:9999"}
        )
        page = urllib.request.urlopen(tunnel, timeout=30).read().decode()
        assert 'data-session-websocket-url="ws://localhost:9999/ws"' in page


def test_a_port_in_use_is_one_line_and_exit_4(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "search", "serve", str(SAMPLE), "--port", str(port),
             "--index-dir", str(tmp_path / "index")],
            capture_output=True, text=True, env=cli_env(tmp_path), timeout=60,
        )  # fmt: skip
    assert proc.returncode == 4
    assert proc.stderr.strip().splitlines()[-1] == (
        f"corpus-browser: cannot listen on 127.0.0.1:{port}: the port is in use; "
        "choose another with --port"
    )
    assert "Traceback" not in proc.stderr


def test_without_textual_serve_it_says_what_to_install_and_exits_5(tmp_path: Path) -> None:
    hide = "import sys; sys.modules['textual_serve'] = None; import search.__main__ as m; "
    proc = subprocess.run(
        [sys.executable, "-c", hide + "sys.exit(m.main())", "serve", str(SAMPLE),
         "--index-dir", str(tmp_path / "index")],
        capture_output=True, text=True, env=cli_env(tmp_path), timeout=60,
    )  # fmt: skip
    assert proc.returncode == 5
    assert proc.stderr.count("\n") == 1
    assert f"{sys.executable} -m pip install 'textual-serve>=1.1'" in proc.stderr
    assert not (tmp_path / "index").exists(), "it indexed before saying it cannot serve"


# -- a real browser ------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _need_browser() -> None:
    missing = [
        what
        for what, there in (
            (CHROMIUM, os.access(CHROMIUM, os.X_OK)),
            ("the playwright package", _importable("playwright")),
        )
        if not there
    ]
    if missing:
        reason = f"no {' and no '.join(missing)} (apt-get install chromium; pip install playwright)"
        if os.environ.get("CORPUS_BROWSER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CORPUS_BROWSER_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@pytest.mark.heavy
def test_the_app_in_a_real_browser(tmp_path: Path) -> None:
    _need_browser()
    from playwright.sync_api import sync_playwright

    corpus = _copy_sample(tmp_path)
    shot = tmp_path / "browser.png"
    with (
        serving(tmp_path, corpus) as served,
        sync_playwright() as playwright,
        tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile,
    ):
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        origin = served.url.rstrip("/")
        # Offline and private: only the server is reached (the page asks for a web font).
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(origin) else route.abort()
            ),
        )
        screen = _watch(page)
        page.goto(served.url)
        _wait(page, screen, lambda: "5 files" in screen.text())
        assert page.locator(".intro i").count() == 0  # the folder's name is text, not HTML
        width, height = screen.screen.columns, screen.screen.lines
        assert width >= 100 and height >= 30, (width, height)  # legible at the default size

        # The keys a browser might keep for itself reach the app: Ctrl+P is not "print".
        page.keyboard.press("Control+p")
        _wait(page, screen, lambda: "Search for commands" in screen.text())
        page.keyboard.press("Escape")
        _wait(page, screen, lambda: "Search for commands" not in screen.text())
        page.keyboard.press("?")
        _wait(page, screen, lambda: "query language" in screen.text().lower())
        page.keyboard.press("Escape")
        _wait(page, screen, lambda: "query language" not in screen.text().lower())
        page.keyboard.press("/")
        page.keyboard.type("guangxi")
        page.keyboard.press("Enter")
        _wait(page, screen, lambda: bool(re.search(r"\d+ matches in \d+ files", screen.text())))
        _wait(page, screen, lambda: bool(screen.marked("guangxi")))
        page.keyboard.press("n")
        _wait(page, screen, lambda: "match 2/" in screen.text())
        page.screenshot(path=str(shot))
        if target := os.environ.get("CORPUS_BROWSER_SERVE_SCREENSHOT"):
            shutil.copyfile(shot, target)

        # y copies through the browser's clipboard (xterm.js takes the app's OSC 52).
        browser.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        page.keyboard.press("y")
        _wait(page, screen, lambda: "Copied the passage" in screen.text())
        assert "Guangxi" in page.evaluate("navigator.clipboard.readText()")
        # E downloads the export to the browser: nothing is written where the server runs.
        with page.expect_download(timeout=START_SECONDS * 1000) as download:
            page.keyboard.press("E")
            _wait(page, screen, lambda: "Enter downloads" in screen.text())
            page.keyboard.press("Enter")
        assert download.value.suggested_filename == "corpus-browser-guangxi.csv"
        exported = Path(download.value.path()).read_text(encoding="utf-8")
        rows = list(csv.DictReader(exported.splitlines()))
        assert sorted(row["path"] for row in rows) == sorted(p.name for p in SAMPLE.glob("*.txt"))
        assert not list(tmp_path.glob("corpus-browser-*"))
        # o: no editor is started on the serving machine; the notice says where the match is.
        page.keyboard.press("o")
        _wait(page, screen, lambda: "No editor in a browser session" in screen.text())

        # q ends this tab's session; the server goes on, and a new tab gets a new app.
        sessions = served.sessions()
        page.keyboard.press("q")
        page.wait_for_selector("body.-closed", timeout=START_SECONDS * 1000)
        assert page.locator(".closed-dialog .message").inner_text() == "Session ended."
        _, alive = psutil.wait_procs(sessions, timeout=10)
        assert sessions and not alive, "q left the session's app running"
        assert served.proc.poll() is None
        again = browser.new_page()
        screen_again = _watch(again)
        again.goto(served.url)
        _wait(again, screen_again, lambda: "5 files" in screen_again.text())
        # Closing a tab ends its app too: colleagues leave no processes behind.
        sessions = served.sessions()
        again.close()
        _, alive = psutil.wait_procs(sessions, timeout=10)
        assert sessions and not alive, "a closed tab left its app running"
        browser.close()
    assert shot.stat().st_size > 10_000
    assert not list(tmp_path.glob("**/PWNED*"))


def _watch(page) -> Screen:
    """The screen a tab shows: the bytes its websocket receives, at the size it asked."""
    screen = Screen(80, 24)

    def on_socket(ws) -> None:
        size = dict(re.findall(r"(width|height)=(\d+)", ws.url))
        screen.screen.resize(int(size.get("height", 24)), int(size.get("width", 80)))
        ws.on("framereceived", lambda data: screen.feed(data) if isinstance(data, bytes) else None)
        ws.on("framesent", lambda data: _resize(screen, data))

    page.on("websocket", on_socket)
    return screen


def _resize(screen: Screen, data: str | bytes) -> None:
    if isinstance(data, str) and data.startswith('["resize"'):
        size = json.loads(data)[1]
        screen.screen.resize(size["height"], size["width"])


def _wait(page, screen: Screen, ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not ready():
        assert time.monotonic() < deadline, screen.text()
        page.wait_for_timeout(100)


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("corpus-browser-guangxi.csv", "corpus-browser-guangxi.csv"),
        ("/etc/cron.d/x.CSV", "x.csv"),
        ("~/out/湖北 border; trade\r\n.md", "border-trade.md"),
        ('a"b.jsonl', "a-b.jsonl"),
        ("湖北.md", "corpus-browser-export.md"),
    ],
)
def test_a_download_is_offered_under_a_plain_file_name(typed: str, offered: str) -> None:
    from search.export import download_name

    assert download_name(Path(typed)) == offered
