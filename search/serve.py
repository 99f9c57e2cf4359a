"""``corpus-browser serve``: the app in a browser, for colleagues without a terminal.

textual-serve runs one app process per browser tab and relays its terminal over a
websocket (xterm.js draws it).  It starts that process with a *shell* command line, so the
command is built here from an argument list, every word quoted (``shlex.join``): a corpus
folder named ``it's $(rm -rf ~)`` reaches the app as one argument and is never run.

textual-serve is an optional extra (``corpus-browser[serve]``): it is imported only here, and
only when serving, so the library and the terminal app never need it.  It does not import
Textual either (the app runs in the child process).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import ipaddress
import shlex
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from search.errors import CorpusBrowserError

if TYPE_CHECKING:
    from aiohttp import web

__all__ = [
    "EXIT_ADDRESS",
    "EXIT_NO_SERVE",
    "LOCAL_HOST",
    "ServeError",
    "is_loopback",
    "python_command",
    "require",
    "serve",
    "session_command",
    "url_for",
]

LOCAL_HOST = "127.0.0.1"
EXIT_ADDRESS = 4  # the address cannot be listened on: port in use, not this machine's, no right
EXIT_NO_SERVE = 5  # textual-serve is not installed
# How long the server waits, once stopped, for the app sessions to end before cutting them.
SHUTDOWN_SECONDS = 5.0


# textual.js leaves the focus on the page, so keys did nothing until a click on the terminal:
# give the terminal's input the focus as soon as it exists.
FOCUS_SCRIPT = """<script>
(function focusTerminal() {
  const input = document.querySelector(".xterm-helper-textarea");
  if (input) { input.focus(); } else { setTimeout(focusTerminal, 50); }
})();
</script>
"""


class ServeError(CorpusBrowserError):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def session_command(argv: Sequence[str]) -> str:
    """The shell command textual-serve runs for each browser session: ``argv``, every word
    quoted for a POSIX shell, so nothing in it (spaces, quotes, ``$()``, backticks, ``;``,
    newlines) is read by the shell as anything but the characters of one argument."""
    return shlex.join(argv)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (``localhost`` and 127.0.0.0/8, ``::1``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_for(host: str, port: int) -> str:
    """The address a person types: a wildcard host is this machine's name; IPv6 in []."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def require() -> None:
    """Raise ``ServeError`` (exit 5, what to install) when textual-serve is missing."""
    _server_class()


@functools.cache  # one class, and textual-serve's module patched once
def _server_class() -> type:
    try:
        from textual_serve import server as textual_serve_server
        from textual_serve.app_service import AppService
        from textual_serve.server import Server
    except ImportError as exc:
        raise ServeError(
            f"serve needs textual-serve, which is not installed ({exc.name} is missing): "
            f"{shlex.quote(sys.executable)} -m pip install 'textual-serve>=1.1' (the extra "
            "corpus-browser[serve]; with pipx: pipx inject corpus-browser textual-serve)",
            EXIT_NO_SERVE,
        ) from None

    class ClosingAppService(AppService):
        """A session whose page is closed when its app process ends, however it ends:
        textual-serve closes it only on the app's own exit message, so an app that could
        not start (its corpus folder gone) left the page on its title screen for ever."""

        live: ClassVar[set[Any]] = set()  # the sessions whose app may still run

        async def start(self, width: int, height: int) -> None:
            self.live.add(self)
            await super().start(width, height)

        async def run(self) -> None:
            try:
                await super().run()
            finally:
                with contextlib.suppress(Exception):
                    await self.remote_close()  # the page says "Session ended." (Restart)
                await _reap(self._process)
                self.live.discard(self)

    # Server.handle_websocket makes each session from this name of its module.
    textual_serve_server.AppService = ClosingAppService

    class SessionServer(Server):
        """textual-serve's server, quiet (our own start message), with a page that points
        the browser's websocket back at the address it used (an SSH tunnel's port, the
        host's name when listening on every address), and sessions that end with it."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.sessions: set[asyncio.Task[Any]] = set()
            self.app_services = ClosingAppService.live

        async def on_startup(self, app: web.Application) -> None:
            pass  # its banner shows the command, which may hold a database URL

        async def on_shutdown(self, app: web.Application) -> None:
            # A cancelled session closes its websocket and tells its app to quit.
            for task in list(self.sessions):
                task.cancel()

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            task = asyncio.current_task()
            assert task is not None
            self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(task)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # The page's websocket URL is built from public_url; make that the origin the
            # browser asked for.  textual-serve's handler reads it before anything in it
            # can suspend, so concurrent requests cannot see each other's origin.
            self.public_url = str(request.url.origin())
            page = await super().handle_index(request)
            page.text = page.text.replace("</body>", FOCUS_SCRIPT + "</body>", 1)
            return page

    return SessionServer


def serve(
    argv: Sequence[str],
    host: str,
    port: int,
    title: str,
    ready: Callable[[str], None],
) -> None:
    """Serve the app that ``argv`` runs until SIGINT or SIGTERM; ``ready(url)`` is called
    once the port is listened on.  Raises ``ServeError`` when it cannot serve."""
    server = _server_class()(session_command(argv), host=host, port=port, title=title)
    asyncio.run(_run(server, host, port, ready))


async def _run(server: Any, host: str, port: int, ready: Callable[[str], None]) -> None:
    from aiohttp import web

    runner = web.AppRunner(
        await server._make_app(), handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            raise ServeError(_listen_problem(exc, host, port), EXIT_ADDRESS) from None
        bound = runner.addresses[0][1] if runner.addresses else port
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        ready(url_for(host, bound))
        await stop.wait()
    finally:
        with contextlib.suppress(Exception):
            await runner.cleanup()
        # An app slower to quit than the shutdown allowed (a loaded machine) is ended here,
        # before the event loop closes: none outlives the server.
        await asyncio.gather(*(_reap(s._process, end=True) for s in list(server.app_services)))


async def _reap(process: Any, end: bool = False) -> None:
    """Wait for a session's app process (ending it first when ``end``), killing it if it
    has not gone after SHUTDOWN_SECONDS."""
    if process is None:
        return
    if end and process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    try:
        await asyncio.wait_for(process.wait(), SHUTDOWN_SECONDS)
    except asyncio.TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


def _listen_problem(exc: OSError, host: str, port: int) -> str:
    where = f"{host}:{port}"
    if isinstance(exc, socket.gaierror):
        return f"cannot listen on {where}: unknown host {host}"
    if exc.errno == errno.EADDRINUSE:
        return f"cannot listen on {where}: the port is in use; choose another with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {where}: {host} is not an address of this machine"
    if exc.errno == errno.EACCES:
        return f"cannot listen on {where}: no permission (ports under 1024 need root)"
    reason = exc.strerror or str(exc)
    return f"cannot listen on {where}: {reason}"


def python_command() -> list[str]:
    """This interpreter running the command line, as the sessions' command starts it."""
    return [sys.executable, "-m", "search"]
