"""Which editor to run on a file, and how to tell it the line (and column) to open at.

``$VISUAL``, then ``$EDITOR`` (either may hold arguments: ``emacsclient -t``), then ``vi``
if it is installed.  Editors disagree on how to take a position, so it is chosen by the
program's name; an editor not in the table gets the file alone, and the app says which line
the match is on.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["EditorCommand", "EditorError", "editor_command"]

# name -> how the position goes on the command line ({line}, {column}, {path})
_FORMS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("vi", "vim", "nvim", "view", "gvim", "mvim", "ex"), ("+{line}", "{path}")),
    **dict.fromkeys(("joe", "mg", "ne", "mcedit"), ("+{line}", "{path}")),
    **dict.fromkeys(("nano", "pico", "rnano"), ("+{line},{column}", "{path}")),
    **dict.fromkeys(("emacs", "emacsclient", "micro", "kak"), ("+{line}:{column}", "{path}")),
    **dict.fromkeys(("hx", "helix"), ("{path}:{line}:{column}",)),
    **dict.fromkeys(("code", "codium"), ("--wait", "-g", "{path}:{line}:{column}")),
    **dict.fromkeys(("subl", "zed"), ("--wait", "{path}:{line}:{column}")),
}
# Graphical editors that fork into the background unless told to wait.
_WAIT_FLAGS = {"gvim": "-f", "mvim": "-f"}


class EditorError(Exception):
    """No editor can be run; the message says what to set."""


@dataclass(frozen=True)
class EditorCommand:
    argv: list[str]
    name: str  # the program's name, for messages
    places_cursor: bool  # False: the editor was given the file alone


def editor_command(
    path: str, line: int, column: int, environ: Mapping[str, str] | None = None
) -> EditorCommand:
    """The command that opens ``path`` at ``line`` and ``column`` (1-based)."""
    env = os.environ if environ is None else environ
    words: list[str] = []
    for var in ("VISUAL", "EDITOR"):
        value = env.get(var, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"${var} cannot be read as a command ({exc})") from None
            break
    if not words:
        vi = shutil.which("vi", path=env.get("PATH"))
        if vi is None:
            raise EditorError("set $VISUAL or $EDITOR to open files (no vi found)")
        words = [vi]
    name = os.path.basename(words[0]).removesuffix(".exe")
    form = _FORMS.get(name)
    if form is None:
        return EditorCommand([*words, path], name, places_cursor=False)
    extra = [flag for flag in (_WAIT_FLAGS.get(name),) if flag and flag not in words]
    if "--wait" in form and ("--wait" in words or "-w" in words):
        form = tuple(part for part in form if part != "--wait")
    values = {"line": max(1, line), "column": max(1, column), "path": path}
    return EditorCommand(
        [*words, *extra, *(part.format(**values) for part in form)], name, places_cursor=True
    )
