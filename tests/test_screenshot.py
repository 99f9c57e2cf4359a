"""The README's screenshot is made by docs/make_screenshot.py, and made right: rsvg only
keeps the SVG's runs of spaces when the root element says xml:space="preserve"."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS))
from make_screenshot import preserve_spaces  # noqa: E402


def test_preserve_spaces_marks_the_root_element_once() -> None:
    svg = '<?xml version="1.0"?>\n<svg class="rich-terminal"><text>a  b</text></svg>'
    marked = preserve_spaces(svg)
    assert marked.count('xml:space="preserve"') == 1
    assert '<svg xml:space="preserve" class="rich-terminal"' in marked
    assert preserve_spaces(marked) == marked


def test_the_committed_screenshot_was_made_by_the_script() -> None:
    svg = (DOCS / "screenshot.svg").read_text(encoding="utf-8")
    root = svg[svg.index("<svg ") : svg.index(">", svg.index("<svg "))]
    assert 'xml:space="preserve"' in root, "rsvg would collapse spaces: Guangxiis, ^ppalette"
    assert (DOCS / "screenshot.png").stat().st_size > 10_000


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert not installed")
def test_the_script_makes_an_svg_and_a_png(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(DOCS / "make_screenshot.py"), "--out", str(tmp_path / "shot")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    svg = (tmp_path / "shot.svg").read_text(encoding="utf-8")
    assert 'xml:space="preserve"' in svg and "guangxi" in svg
    assert (tmp_path / "shot.png").read_bytes().startswith(b"\x89PNG")
