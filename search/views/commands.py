"""The views' verbs on the command line (``cooccur``, ``profile``), and the one way every
verb that lists something exports it.

Output, the same on each verb: nothing = text for a person; ``--json`` = one JSON object;
``--csv`` = the table as CSV on stdout; ``--out FILE`` = the table written to FILE in the
format of its extension (.csv, .jsonl, .md), or ``--format csv|jsonl|md``; an existing
FILE is replaced only with ``--force``.  Messages go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from search.errors import CorpusBrowserError
from search.export import (
    TABLE_FORMATS,
    ExportError,
    Table,
    table_csv,
    table_text,
    write_export,
)
from search.index.facade import CorpusIndex
from search.text import count, json_text, visible
from search.views.cooccur import PARAGRAPH_FILES, Cooccurrence, cooccur, matrix_lines
from search.views.profile import Profile, month_rows, profile

__all__ = [
    "VIEW_VERBS",
    "add_output_options",
    "add_view_verbs",
    "cmd_cooccur",
    "cmd_profile",
    "check_output",
    "emit",
    "entities_table",
    "out_suffix",
    "write_out",
]

VIEW_VERBS = ("cooccur", "profile")


def add_output_options(
    parser: argparse.ArgumentParser, what: str = "the table", json: bool = True
) -> None:
    """``--json``, ``--csv``, ``--out FILE``, ``--format``, ``--force``: see the module
    (``json=False``: the verb has its own ``--json``)."""
    if json:
        parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--csv", action="store_true", help=f"print {what} as CSV")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help=f"write {what} to FILE: .csv, .jsonl, or .md (a report: the query, the date, "
        "the counts and the rows)",
    )
    parser.add_argument(
        "--format", choices=tuple(TABLE_FORMATS), help="the format of --out, whatever its extension"
    )
    parser.add_argument(
        "--force", action="store_true", help="with --out: replace FILE if it exists"
    )


def out_suffix(args: argparse.Namespace) -> str:
    """The format ``--out`` writes, as an extension; ``ExportError`` for one we do not."""
    if args.format:
        return TABLE_FORMATS[args.format]
    suffix = args.out.suffix.lower()
    if suffix not in TABLE_FORMATS.values():
        raise ExportError(
            f"--out writes {', '.join(TABLE_FORMATS.values())}, not {suffix or args.out.name!r}; "
            "or give --format"
        )
    return suffix


def check_output(args: argparse.Namespace) -> None:
    """One of --json, --csv, --out at most; --format only with --out."""
    if sum(bool(getattr(args, x, None)) for x in ("json", "csv", "out")) > 1:
        raise CorpusBrowserError("give one of --json, --csv and --out")
    if getattr(args, "format", None) and not args.out:
        raise CorpusBrowserError("--format goes with --out FILE")


def write_out(args: argparse.Namespace, text: str, rows: int) -> None:
    """Write an export to ``--out`` (replacing it only with ``--force``) and say so."""
    write_export(args.out, text, overwrite=args.force)
    print(f"wrote {count(rows, 'row')} to {visible(str(args.out))}", file=sys.stderr)


def entities_table(data: dict[str, list[dict[str, Any]]]) -> Table:
    """``CorpusIndex.entities()`` as one table: officials, then provinces."""
    rows: list[list[object]] = []
    for kind, fieldname in (("officials", "official"), ("provinces", "province")):
        for e in data.get(kind, []):
            detail = e.get("title") or e.get("country") or ""
            rows.append([fieldname, e["name"], e["key"], detail, e.get("country"),
                         len(e["documents"]), e["mentions"], "; ".join(e["aliases"])])  # fmt: skip
    facts = [(kind, f"{len(data.get(kind, [])):,}") for kind in ("officials", "provinces")]
    columns = ["field", "name", "key", "detail", "country", "articles", "mentions", "aliases"]
    return Table("Officials and provinces", columns, rows, facts)


def emit(
    args: argparse.Namespace,
    table: Callable[[], Table],
    as_json: Callable[[], Any],
    as_text: Callable[[], list[str]],
) -> None:
    """Print or write a view as its options ask (see the module)."""
    check_output(args)
    if args.out:
        suffix = out_suffix(args)
        made = table()
        write_out(args, table_text(made, suffix), len(made.rows))
    elif args.csv:
        sys.stdout.write(table_csv(table()))
    elif args.json:
        sys.stdout.write(json_text(as_json()) + "\n")
    else:
        for line in as_text():
            print(visible(line))


def add_view_verbs(
    verbs: Any,
    verb: Callable[..., argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser, bool], None],
) -> None:
    """The ``cooccur`` and ``profile`` parsers (``verb`` and ``common`` are the CLI's)."""
    co = verb(
        verbs,
        "cooccur",
        "officials and provinces named together in the articles matching a query, per article "
        "and per paragraph",
        "  corpus-browser cooccur 'border trade' --corpus ~/articles\n"
        "  corpus-browser cooccur '*' --corpus ~/articles --csv > pairs.csv\n"
        "  corpus-browser cooccur 'date:2024' --corpus ~/articles --out pairs.md\n",
    )
    co.add_argument("query", nargs="?", default="*", help="the query (default: every file)")
    co.add_argument(
        "--limit", type=int, default=20, help="pairs to print as text, 0 for all (default: 20)"
    )
    co.add_argument(
        "--paragraph-files",
        type=int,
        default=PARAGRAPH_FILES,
        metavar="N",
        help="count paragraphs in the first N files naming both, in relevance order; 0 for "
        "every file (default: %(default)s)",
    )
    add_output_options(co, "every pair")
    common(co, True)

    pr = verb(
        verbs,
        "profile",
        "an official's titles over time, provinces, mentions per month and articles; or a "
        "province's officials, months and articles",
        '  corpus-browser profile "Bui Thanh Son" --corpus ~/articles\n'
        '  corpus-browser profile --province "Ha Noi" --corpus ~/articles --json\n'
        '  corpus-browser profile "Liu Ning" --corpus ~/articles --out liu-ning.md\n',
    )
    pr.add_argument("official", nargs="?", help="the official's name (as official: takes it)")
    pr.add_argument("--province", metavar="NAME", help="a province's profile instead")
    pr.add_argument(
        "--limit", type=int, default=20, help="articles to print as text, 0 for all (default: 20)"
    )
    add_output_options(pr, "the profile's rows")
    common(pr, True)


# -- cooccur -----------------------------------------------------------------------------
def cmd_cooccur(args: argparse.Namespace, index: CorpusIndex) -> int:
    found = cooccur(index, args.query, paragraph_files=args.paragraph_files or None)
    emit(args, found.to_table, found.to_json, lambda: _cooccur_text(found, args.limit))
    return 0 if found.total else 1


def _cooccur_text(found: Cooccurrence, limit: int) -> list[str]:
    lines = [
        f"{count(found.total, 'matching article')}, {found.both:,} with an official and a "
        f"province: {count(len(found.pairs), 'pair')}"
    ]
    lines += _cooccur_notes(found)
    if not found.pairs:
        return lines
    lines += ["", "articles  paragraphs  official · province"]
    shown = found.pairs if limit <= 0 else found.pairs[:limit]
    for p in shown:
        lines.append(
            f"{p.articles:>8,}  {p.paragraphs:>10,}  {p.official.name} · {p.province.name}"
        )
    if len(shown) < len(found.pairs):
        lines.append(f"… {len(found.pairs) - len(shown):,} more (--limit 0 for all)")
    lines += [
        "",
        "articles/paragraphs, the top officials by the top provinces:",
        *matrix_lines(found),
    ]
    return lines


def _cooccur_notes(found: Cooccurrence) -> list[str]:
    notes = []
    if found.paragraphs_counted and found.paragraph_files < found.both:
        notes.append(
            f"paragraphs counted in the first {found.paragraph_files:,} of those files "
            "(--paragraph-files 0 for all)"
        )
    if found.complete_above:
        notes.append(f"every pair in more than {found.complete_above:,} files is listed")
    return notes


# -- profile -----------------------------------------------------------------------------
def cmd_profile(args: argparse.Namespace, index: CorpusIndex) -> int:
    if bool(args.official) == bool(args.province):
        raise CorpusBrowserError(
            'give an official\'s name or --province NAME, e.g. profile "Liu Ning"'
        )
    fieldname, name = ("province", args.province) if args.province else ("official", args.official)
    found = profile(index, fieldname, name)
    articles = _articles(index, found, 0 if args.json or args.csv or args.out else args.limit)
    emit(
        args,
        lambda: found.to_table(articles),
        lambda: found.to_json(articles),
        lambda: _profile_text(found, articles),
    )
    return 0


def _articles(index: CorpusIndex, found: Profile, limit: int) -> list[Any]:
    from search.export import every_hit

    assert found.order is not None
    if limit > 0:
        return index.hits(found.order, 0, limit)
    return list(every_hit(index, found.order))


def _profile_text(found: Profile, articles: list[Any]) -> list[str]:
    e = found.entity
    lines = [f"{e.name}  ({e.detail})" if e.detail else e.name]
    lines.append(f"{count(e.count, 'article')}; query: {found.query}")
    if found.field == "official":
        read = f", read in {found.title_files:,} of them" if found.title_files < e.count else ""
        lines += ["", f"Titles (first .. last article{read})"]
        for t in found.titles:
            span = f"{_day(t.first)} .. {_day(t.last)}"
            lines.append(f"  {span:<24}  {count(t.articles, 'article'):>12}  {t.title}")
    other = "Provinces" if found.field == "official" else "Officials"
    lines += ["", f"{other} ({len(found.associated):,})"]
    for f in found.associated[:15]:
        lines.append(f"  {f.count:>6,}  {f.name}" + (f"  ({f.detail})" if f.detail else ""))
    if len(found.associated) > 15:
        lines.append(f"  … {len(found.associated) - 15:,} more")
    lines += ["", "Articles per month"]
    top = max((n for _m, n in found.months), default=0)
    for month, n in month_rows(found.months):
        bar = "█" * max(1 if n else 0, round(40 * n / top)) if top else ""
        lines.append(f"  {month:<18} {n:>6,}  {bar}".rstrip())
    if found.undated:
        lines.append(f"  {'undated':<18} {found.undated:>6,}")
    lines += ["", "Articles (newest first)"]
    for h in articles:
        lines.append(f"  {_day(h.date):<10}  {h.path}  {h.title}")
    if len(articles) < e.count:
        lines.append(f"  … {e.count - len(articles):,} more (--limit 0 for all)")
    return lines


def _day(day: Any) -> str:
    return day.isoformat() if day else "undated"
