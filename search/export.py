"""A search's hits or one article, written to a file: CSV, JSON Lines or Markdown.

The format follows the file's extension (``FORMATS``).  What a corpus holds never reaches
a terminal that shows the file as an escape: CSV and Markdown show control characters as
symbols (``search.text.pasteable``), JSON Lines escapes them (``search.text.json_text``).
A CSV cell that a spreadsheet would take for a formula (= + - @ first) starts with ``'``.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from search.errors import CorpusBrowserError
from search.index.facade import CorpusIndex, DocumentView, Hit, HitOrder
from search.index.generations import write_text_atomic
from search.quote import passage_bounds
from search.text import count, json_text, pasteable, visible

__all__ = [
    "ARTICLE_FORMATS",
    "FORMATS",
    "PAGE",
    "ExportError",
    "ExportHeader",
    "article_jsonl",
    "article_markdown",
    "csv_cell",
    "default_name",
    "every_hit",
    "export_format",
    "markdown_text",
    "results_csv",
    "results_jsonl",
    "results_markdown",
    "write_export",
]

FORMATS = {".csv": "CSV", ".jsonl": "JSON Lines", ".md": "Markdown"}
ARTICLE_FORMATS = (".md", ".jsonl")  # an article is text, not a table
PAGE = 200  # hits read at a time
PASSAGES = 5  # passages per file in a Markdown report; more are counted
CSV_COLUMNS = ["path", "date", "title", "matches", "title_matches", "score"]


class ExportError(CorpusBrowserError):
    """An export that cannot be written; its message is one line for a person."""


@dataclass
class ExportHeader:
    """What a results export says about the search it lists."""

    query: str
    sort: str
    total: int
    filters: list[str] = field(default_factory=list)
    exported: datetime.datetime = field(
        default_factory=lambda: datetime.datetime.now(datetime.timezone.utc)
    )


def export_format(path: Path, article: bool = False) -> str:
    """The extension that decides the format; ``ExportError`` for one we do not write."""
    suffix = path.suffix.lower()
    allowed = ARTICLE_FORMATS if article else tuple(FORMATS)
    if suffix not in allowed:
        what = "an article" if article else "a results list"
        raise ExportError(f"{what} exports to {', '.join(allowed)}, not {suffix or path.name!r}")
    return suffix


def default_name(words: str, suffix: str = ".csv") -> str:
    """``corpus-browser-<words as a slug><suffix>``: letters of any script kept."""
    slug = re.sub(r"[\W_]+", "-", words.casefold()).strip("-")[:40].strip("-")
    return f"corpus-browser-{slug or 'all'}{suffix}"


def every_hit(index: CorpusIndex, order: HitOrder, page: int = PAGE) -> Iterator[Hit]:
    """Every hit of a search, in the list's order, read a page at a time."""
    for start in range(0, len(order), page):
        yield from index.hits(order, start, start + page)


# -- CSV ---------------------------------------------------------------------------------
# A tab or carriage return first would be one too: ``pasteable`` has made them inert already.
_FORMULA_START = ("=", "+", "-", "@")


def csv_cell(text: str) -> str:
    """A text cell as a spreadsheet may open it: never a formula, no terminal controls."""
    text = pasteable(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def results_csv(hits: Iterable[Hit], scored: bool) -> str:
    """One row per hit under a header row; ``score`` is empty unless ``scored``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        writer.writerow(
            [
                csv_cell(hit.path),
                hit.date.isoformat() if hit.date else "",
                csv_cell(hit.title),
                len(hit.matches),
                len(hit.title_matches),
                f"{hit.score:.4f}" if scored else "",
            ]
        )
    return out.getvalue()


# -- JSON Lines --------------------------------------------------------------------------
def results_jsonl(hits: Iterable[Hit]) -> str:
    """One JSON object per hit, as the CLI's ``--json`` writes a hit, less the snippet
    (hits read a page at a time have none)."""
    return "".join(json_text(_without_snippet(hit)) + "\n" for hit in hits)


def _without_snippet(hit: Hit) -> dict[str, object]:
    record = hit.to_json()
    del record["snippet"]
    return record


def article_jsonl(view: DocumentView) -> str:
    doc = view.document
    record = {
        "path": doc.path,
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "text": doc.text,
        "matches": [list(m) for m in view.matches],
        "title_matches": [list(m) for m in view.title_matches],
    }
    return json_text(record) + "\n"


# -- Markdown ----------------------------------------------------------------------------
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")


def markdown_text(text: str) -> str:
    """Corpus text as Markdown shows it literally: no markup, no terminal controls."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", pasteable(text))


def _bolded(text: str, spans: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    at = 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if end <= start:
            continue
        parts += [markdown_text(text[at:start]), "**" + markdown_text(text[start:end]) + "**"]
        at = end
    parts.append(markdown_text(text[at:]))
    return "".join(parts)


def results_markdown(
    header: ExportHeader, hits: Iterable[Hit], text_of: Callable[[Hit], str]
) -> str:
    """A report: the search, then per file a line and the passages around its matches
    (``text_of`` reads a hit's text; it is called only for hits with matches)."""
    lines = [
        "# corpus-browser export",
        "",
        f"- query: {markdown_text(header.query) or '(every file)'}",
        f"- filters: {markdown_text(' + '.join(header.filters)) or 'none'}",
        f"- sort: {header.sort}",
        f"- exported: {header.exported.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- {count(header.total, 'file')}",
        "",
    ]
    files = matches = 0
    for hit in hits:
        files += 1
        matches += hit.match_count
        date = hit.date.isoformat() if hit.date else "undated"
        # one line each: a heading ends at a line break
        title, path = markdown_text(" ".join(hit.title.split())), markdown_text(visible(hit.path))
        matched = f" · {count(hit.match_count, 'match')}" if header.query else ""
        lines.append(f"## {date} · {title} · {path}{matched}")
        lines.append("")
        if hit.matches:
            lines += _passages(text_of(hit), hit.matches)
    lines.append(f"{count(files, 'file')}, {count(matches, 'match')}." if header.query else "")
    return "\n".join(lines) + "\n"


def _passages(text: str, matches: list[tuple[int, int]]) -> list[str]:
    """The passages around the matches, each once, the matches in them bold."""
    cuts: dict[tuple[int, int], tuple[bool, bool, list[tuple[int, int]]]] = {}
    for start, end in matches:
        a, b, before, after = passage_bounds(text, start, end)
        cuts.setdefault((a, b), (before, after, []))[2].append((start - a, end - a))
    lines = []
    for (a, b), (before, after, spans) in list(cuts.items())[:PASSAGES]:
        words = " ".join(_bolded(text[a:b], spans).split())
        lines.append(f"> {'… ' if before else ''}{words}{' …' if after else ''}\n")
    if len(cuts) > PASSAGES:
        lines.append(f"(and {count(len(cuts) - PASSAGES, 'passage')} more)\n")
    return lines


def article_markdown(view: DocumentView) -> str:
    """The article: title (matches bold), date, path, then its text with matches bold."""
    doc = view.document
    date = doc.date.isoformat() if doc.date else "undated"
    if doc.date and doc.date_inferred:
        date += " (inferred)"
    return (
        f"# {' '.join(_bolded(doc.title, view.title_matches).split())}\n\n"
        f"- date: {date}\n- path: {markdown_text(visible(doc.path))}\n"
        f"- {count(len(view.matches) + len(view.title_matches), 'match')}\n\n"
        f"{_bolded(doc.text, view.matches)}\n"
    )


# -- the file ----------------------------------------------------------------------------
def write_export(path: Path, text: str, overwrite: bool = False) -> None:
    """Write ``text`` to ``path`` atomically; ``ExportError`` (one line) when it exists and
    ``overwrite`` is false, or it cannot be written."""
    if path.is_dir():
        raise ExportError(f"{path} is a folder")
    if path.exists() and not overwrite:
        raise ExportError(f"{path} exists")
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
