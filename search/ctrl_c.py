"""Ctrl-C for the command line: one SIGINT ends the run with exit 130 and one line.

Python's own handling raises ``KeyboardInterrupt`` wherever the main thread happens to be,
and a terminal sends SIGINT to every process of the job.  What went wrong with that: a
worker process or one of multiprocessing's helpers (a fresh interpreter) that had not yet
set SIGINT aside printed its own traceback; a worker whose start was interrupted was never
joined and failed later; an interrupt raised inside a finaliser was printed and swallowed,
so the run went on and exited 0; a second signal cut short the clean-up after the first;
and one during the half second of imports gave a traceback.  Here the first SIGINT is
remembered and raised once, later ones are ignored, a swallowed one is noticed by
``check``, and ``Held`` keeps SIGINT blocked while child processes start, so they never see
it (the mask is inherited across fork and exec).

Only the command line installs the handler, before its imports (so this module imports
nothing but ``_signal`` and ``sys``, which Python has loaded already): the library leaves a
host program's SIGINT alone, and then ``check`` never raises.
"""

from __future__ import annotations

import _signal  # not signal: importing it takes milliseconds before Ctrl-C is handled
import sys

TYPE_CHECKING = False  # typing is not imported: see above
if TYPE_CHECKING:
    from types import FrameType, TracebackType
    from typing import Any

__all__ = ["EXIT_INTERRUPTED", "Held", "check", "done", "install", "interrupted", "report"]

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a job ended by Ctrl-C
_interrupted = False


def install() -> None:
    """Handle SIGINT as described above (main thread only)."""
    _signal.signal(_signal.SIGINT, _on_sigint)
    default_hook = sys.unraisablehook

    def unraisable(info: Any) -> None:
        # An interrupt raised inside a finaliser cannot propagate; ``check`` raises it again.
        if not isinstance(info.exc_value, KeyboardInterrupt):
            default_hook(info)

    sys.unraisablehook = unraisable


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _interrupted
    _interrupted = True
    # One Ctrl-C is the request; the clean-up it starts must not be cut short by another.
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    raise KeyboardInterrupt


def done() -> None:
    """The run is over: a Ctrl-C from now on has nothing to stop, and is ignored.

    Python puts back the default action of SIGINT for a handler like ours when it shuts
    down, so a Ctrl-C in those last milliseconds (longer on a loaded machine, with worker
    pools to tear down) killed the process silently after its work was done.  Only the
    command line's own handler is replaced; a host program's is left alone.
    """
    if _signal.getsignal(_signal.SIGINT) is _on_sigint:
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


def interrupted() -> bool:
    """Whether Ctrl-C was pressed during this run."""
    return _interrupted


def report(message: str = "interrupted") -> int:
    """Say that Ctrl-C ended the run, in one line; returns the exit code."""
    print(f"corpus-browser: {message}", file=sys.stderr)
    return EXIT_INTERRUPTED


def check() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed, even when the first one was
    raised where it could not propagate."""
    if _interrupted:
        raise KeyboardInterrupt


class Held:
    """``with Held():`` (main thread) holds SIGINT back while child processes start; a
    Ctrl-C meanwhile is raised on leaving.

    Children inherit the blocked mask, so a worker forked before it set SIGINT aside, or a
    helper interpreter still importing, can never be interrupted into printing a traceback.
    Blocking it in this thread is not enough here: another thread (a progress display) may
    take the signal, and Python then runs the handler in this thread all the same, so the
    handler only notes it until the end.
    """

    def __enter__(self) -> None:
        self._pending: tuple[int, FrameType | None] | None = None
        self._handler = _signal.getsignal(_signal.SIGINT)
        if callable(self._handler):
            _signal.signal(_signal.SIGINT, self._note)
        self._mask = _signal.pthread_sigmask(_signal.SIG_BLOCK, {_signal.SIGINT})

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self._pending = (signum, frame)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        _signal.pthread_sigmask(_signal.SIG_SETMASK, self._mask)
        if callable(self._handler):
            _signal.signal(_signal.SIGINT, self._handler)
            if self._pending is not None:  # Ctrl-C wins over an error on the way out
                self._handler(*self._pending)
