"""Text helpers of the extractor: telling Vietnamese text, joining wrapped lines.

Folding lives in ``search.fold``."""

from __future__ import annotations

import re

# Vietnamese function words: an English article that names "Võ Tấn Đức" with his diacritics
# holds none of them, a Vietnamese one holds many in any few lines.
_VI_WORDS = re.compile(
    r"(?<!\w)(?:của|và|là|được|các|những|trong|với|đã|không|này|người|một|cũng|đang|cho)(?!\w)"
)


def vietnamese_text(text: str) -> bool:
    """Whether ``text`` is Vietnamese written with its diacritics (read from its head)."""
    if text.isascii():
        return False
    return len(_VI_WORDS.findall(text, 0, 4000)) >= 3


_WRAP = re.compile(r"(?<=\S)\n(?=\S)")


def join_wrapped(text: str, limit: int) -> str:
    """``text`` with the line breaks of a hard-wrapped ``text[:limit]`` made spaces.

    Wire copy wraps lines at about 70 characters, so a name or a title can straddle a line
    ("Finance Minister Kiichi" / "Miyazawa"). A text is hard-wrapped when nearly all its
    non-blank lines are at most 90 characters long and many 40 or more; a break between two
    non-blank characters is then a space (a paragraph starts on an indented or blank line,
    which is kept). One character for one, so every offset is the original's. Other texts
    come back as they are.
    """
    body = text[:limit]
    if body.count("\n") < 3:
        return text
    lens = [len(ln) for ln in body.split("\n") if ln.strip()]
    # paragraph ends are short, so only most lines need the wrap width
    if len(lens) < 3 or sum(n <= 90 for n in lens) < 0.8 * len(lens):
        return text
    if sum(40 <= n <= 90 for n in lens) < 0.4 * len(lens):
        return text
    return _WRAP.sub(" ", body) + text[limit:]
