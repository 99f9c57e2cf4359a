"""Files and folders a corpus leaves out: ``--exclude GLOB`` and the corpus's ``.corpusignore``.

Both take gitignore-style patterns, this subset of them:

- one pattern a line; blank lines and lines starting with ``#`` are ignored (``\\#`` for a
  name that starts with #); trailing spaces are dropped;
- ``*`` is any run of characters but ``/``, ``?`` one such character, ``[abc]`` / ``[!abc]``
  a class; ``**/`` at the start, ``/**`` at the end and ``/**/`` inside match any number
  of folders;
- a pattern with no ``/`` (or only a trailing one) matches a name at any depth
  (``README.md``, ``*.draft.txt``); any other is relative to the corpus root
  (``/notes.txt``, ``2024/drafts/*``);
- a trailing ``/`` matches folders only (``drafts/``), which are then not entered;
- ``!pattern`` takes a file back in, unless a folder above it was left out (as in git);
  the last pattern that matches a path decides, and ``--exclude`` patterns come after the
  file's.

Unlike git, matching ignores case, as ``--glob`` does.  Nothing is excluded by default:
every exclusion is counted, by pattern, in the index report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CORPUSIGNORE", "Excludes", "Rule"]

CORPUSIGNORE = ".corpusignore"


@dataclass(frozen=True)
class Rule:
    pattern: str  # as written, without the ! of a negation
    source: str  # "--exclude" or ".corpusignore line N"
    negated: bool
    folders_only: bool
    anchored: bool  # matched against the path from the root, not the name
    regex: re.Pattern[str]

    @property
    def label(self) -> str:
        return f"{'!' if self.negated else ''}{self.pattern} ({self.source})"


def _translate(glob: str) -> str:
    """A glob of the subset above as a regular expression over a "/"-separated path."""
    out: list[str] = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i) and (i == 0 or glob[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i) and i + 2 == len(glob) and (i == 0 or glob[i - 1] == "/"):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and "]" in glob[i + 2 :]:
            end = glob.index("]", i + 2)
            body = glob[i + 1 : end]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            out.append(f"[{'^' if negate else ''}{re.escape(body).replace(chr(92) + '-', '-')}]")
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


def parse_rule(line: str, source: str) -> Rule | None:
    """One pattern line as a rule; None for a blank line or a comment."""
    text = line.rstrip("\n\r")
    stripped = text.rstrip(" ")
    if text.endswith("\\ "):  # an escaped trailing space stays
        stripped = text[: len(stripped) + 1]
    if not stripped.strip() or stripped.startswith("#"):
        return None
    negated = stripped.startswith("!")
    if negated or stripped.startswith(("\\#", "\\!")):
        stripped = stripped[1:]
    folders_only = stripped.endswith("/")
    body = stripped.rstrip("/")
    if not body:
        return None
    anchored = "/" in body
    body = body.lstrip("/")
    shown = stripped
    regex = re.compile(_translate(body), re.IGNORECASE | re.DOTALL)
    return Rule(shown, source, negated, folders_only, anchored, regex)


class Excludes:
    """The rules of one run, in order: the corpus's file, then the command line's."""

    def __init__(self, rules: Sequence[Rule] = ()) -> None:
        self.rules = tuple(rules)
        self.problem: str | None = None  # why the .corpusignore could not be read

    @classmethod
    def load(cls, root: Path, patterns: Sequence[str] = ()) -> Excludes:
        """The corpus's ``.corpusignore`` rules, then ``patterns``'s.  A file that cannot
        be read, or a line of it that is not UTF-8, is left out with a ``problem``."""
        rules: list[Rule] = []
        problems: list[str] = []
        try:
            data = (Path(root) / CORPUSIGNORE).read_bytes()
        except FileNotFoundError:
            data = b""
        except OSError as exc:
            data = b""
            problems.append(f"cannot read it ({exc.strerror or exc}); none of its patterns apply")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        for number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                problems.append(f"line {number} is not valid UTF-8; it is ignored")
                continue
            rule = parse_rule(line, f"{CORPUSIGNORE} line {number}")
            if rule is not None:
                rules.append(rule)
        rules.extend(r for p in patterns if (r := parse_rule(p, "--exclude")) is not None)
        excludes = cls(rules)
        excludes.problem = "; ".join(problems) or None
        return excludes

    def __bool__(self) -> bool:
        return bool(self.rules)

    def match(self, rel: str, is_dir: bool) -> Rule | None:
        """The rule that leaves ``rel`` out, or None when it is kept."""
        decided: Rule | None = None
        name = rel.rsplit("/", 1)[-1]
        for rule in self.rules:
            if rule.folders_only and not is_dir:
                continue
            if rule.regex.fullmatch(rel if rule.anchored else name):
                decided = rule
        return None if decided is None or decided.negated else decided
