"""The command line: the app by default, and headless verbs for scripts and cron.

Data goes to stdout, messages to stderr, and the exit code says what happened:
0 success, 1 a search with no hits, 2 bad usage or a bad query, 3 the index is missing,
locked or unusable.  No traceback reaches the user for anything they can cause.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from search import ctrl_c
from search.collector import quieten_collector
from search.corpus.read import DEFAULT_GLOBS, DEFAULT_MAX_BYTES, SAMPLE_CORPUS, UnreadableError
from search.engine.postgres import DB_ENV, PostgresEngine
from search.errors import CorpusBrowserError, CorpusError
from search.excludes import CORPUSIGNORE
from search.index.facade import SORTS, CorpusIndex
from search.text import count, json_text, visible
from search.user_state import SavedSearch, SavedSearches, describe_saved

if TYPE_CHECKING:
    from search.engine.base import UpdateReport
    from search.engine.whoosh.indexer import IndexState
    from search.index.generations import IndexStore

__all__ = ["main"]

EXIT_OK, EXIT_NO_HITS, EXIT_USAGE, EXIT_INDEX = 0, 1, 2, 3
VERBS = ("index", "search", "show", "entities", "curate", "saved", "db")


def _exclude(parser: argparse.ArgumentParser, when: str = "") -> None:
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help=f"leave out files or folders (drafts/) matching a gitignore-style pattern{when}, "
        f"repeatable; applied after the corpus's own {CORPUSIGNORE} (default: none)",
    )


def _common(parser: argparse.ArgumentParser, corpus_option: bool) -> None:
    if corpus_option:
        parser.add_argument(
            "--corpus",
            type=Path,
            help="the corpus folder (with --db it may be left out: the database holds the texts)",
        )
    parser.add_argument(
        "--index-dir",
        type=Path,
        help="where the index lives (default: per corpus, in the user cache dir)",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        default=os.environ.get(DB_ENV) or None,
        help="keep the index in this PostgreSQL database instead (postgresql://USER@HOST/DB "
        "or libpq's key=value; PGHOST, PGUSER, ~/.pgpass and sslmode apply; "
        f"default: ${DB_ENV})",
    )
    parser.add_argument(
        "--name",
        metavar="NAME",
        help="with --db: the corpus's name in the database (default: the folder's name)",
    )
    parser.add_argument(
        "--db-replica",
        action="append",
        default=[],
        metavar="URL",
        help="with --db: a read replica that searches go to (writes go to --db); repeatable",
    )
    parser.add_argument(
        "--glob",
        action="append",
        metavar="PATTERN",
        help=f"file names to index, repeatable (default: {' '.join(DEFAULT_GLOBS)})",
    )
    parser.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / 2**20,
        help="index at most this many MB of each file (default: %(default)g)",
    )


def _wait(parser: argparse.ArgumentParser, when: str = "") -> None:
    parser.add_argument(
        "--wait",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help=f"how long to wait for another writer to finish{when} (default: %(default)g)",
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"corpus-browser {version('corpus-browser')}"
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "corpus-browser (not installed)"


def _verb(
    verbs: argparse._SubParsersAction, name: str, summary: str, examples: str
) -> argparse.ArgumentParser:
    """A verb's parser, whose --help ends with examples to copy."""
    return verbs.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog="examples:\n" + examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


APP_EXAMPLES = """\
  corpus-browser                      # the bundled sample corpus
  corpus-browser ~/articles           # your folder; the first start builds its index
  corpus-browser ~/articles --exclude README.md --exclude 'drafts/'
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpus-browser",
        description="Search and read folders of dated news articles. "
        "Without a verb, opens the app on CORPUS (default: the bundled sample corpus).",
        epilog="examples:\n"
        + APP_EXAMPLES
        + "  corpus-browser index ~/articles\n"
        + "  corpus-browser search 'province:guangxi \"border gate\"' --corpus ~/articles\n"
        + "Each verb has --help with its options and examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    verbs = parser.add_subparsers(
        dest="verb", metavar="{index,search,show,entities,curate,saved,db}"
    )

    index = _verb(
        verbs,
        "index",
        "build or update the index of a corpus",
        "  corpus-browser index ~/articles              # only added, changed and removed files\n"
        "  corpus-browser index ~/articles --rebuild --json  # a fresh build, swapped in\n"
        "  corpus-browser index ~/articles --exclude README.md --quiet  # for cron\n",
    )
    index.add_argument("corpus", type=Path)
    index.add_argument("--rebuild", action="store_true", help="build afresh and swap in atomically")
    index.add_argument("--json", action="store_true", help="print one JSON report on stdout")
    index.add_argument("--quiet", action="store_true", help="print nothing but errors")
    index.add_argument(
        "--verify",
        action="store_true",
        help="read every index file against the checksum its commit recorded, and rebuild "
        "on a mismatch (by default the large postings and term files are checked by size)",
    )
    _wait(index)
    index.add_argument(
        "--procs",
        type=int,
        default=None,
        help="worker processes that read and analyse files; 0 reads in this process "
        "(default: one per core)",
    )
    index.add_argument(
        "--progress-jsonl",
        action="store_true",
        help='write {"done": N, "total": M} lines to stderr (for the app\'s background indexer)',
    )
    _common(index, corpus_option=False)
    _exclude(index)

    search = _verb(
        verbs,
        "search",
        "search the index",
        "  corpus-browser search 'province:guangxi \"border gate\"' --corpus ~/articles\n"
        "  corpus-browser search 'coop*' --corpus ~/articles --json --limit 0\n"
        "  corpus-browser search --batch queries.txt --corpus ~/articles  # JSON lines\n"
        "  corpus-browser search walrus --corpus ~/articles --update  # index changes first\n",
    )
    search.add_argument("query", nargs="?", help="the query (see README: query language)")
    search.add_argument(
        "--batch", metavar="FILE", help="one query per line ('-' for stdin); JSON lines out"
    )
    search.add_argument(
        "--limit", type=int, default=10, help="hits to print, 0 for all (default: %(default)s)"
    )
    search.add_argument(
        "--saved",
        metavar="NAME",
        help="run the search saved in the app under NAME (its filters and sort too)",
    )
    search.add_argument("--sort", choices=SORTS, help="default: relevance, or the saved one's")
    search.add_argument("--json", action="store_true", help="print one JSON object")
    search.add_argument(
        "--update",
        action="store_true",
        help="bring the index up to date first, as `index` does, in this same process "
        '(the report is under "update" in --json output)',
    )
    _wait(search, " (with --update)")
    _common(search, corpus_option=True)
    _exclude(search, " when indexing (with --update)")

    show = _verb(
        verbs,
        "show",
        "print a document as the reader shows it",
        "  corpus-browser show 2024/guangxi.txt --corpus ~/articles\n"
        "  corpus-browser show 2024/guangxi.txt --corpus ~/articles --json --query 'border gate'\n",
    )
    show.add_argument("path", help="path relative to the corpus root")
    show.add_argument("--query", help="also report the offsets of this query's matches")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    _common(show, corpus_option=True)

    entities = _verb(
        verbs,
        "entities",
        "list officials and provinces in the corpus",
        "  corpus-browser entities --corpus ~/articles\n"
        "  corpus-browser entities --corpus ~/articles --json\n",
    )
    entities.add_argument("--json", action="store_true", help="print one JSON object")
    _common(entities, corpus_option=True)
    _curate_parser(verbs)

    saved = _verb(
        verbs,
        "saved",
        "list the searches saved in the app (key S) for a corpus; run one with "
        "`search --saved NAME`",
        "  corpus-browser saved --corpus ~/articles --json\n"
        "  corpus-browser saved --corpus ~/articles --delete 'border trade'\n",
    )
    saved.add_argument("--corpus", required=True, type=Path, help="the corpus folder")
    saved.add_argument("--json", action="store_true", help="print one JSON object")
    saved.add_argument("--delete", metavar="NAME", help="delete the saved search NAME")
    _db_parser(verbs)
    return parser


def _db_parser(verbs: Any) -> None:
    db = _verb(
        verbs,
        "db",
        "set up a PostgreSQL database for a team: `db init` creates its reader and writer roles",
        "  corpus-browser db init --db postgresql://postgres@dbhost/news\n"
        "  CORPUS_BROWSER_READER_PASSWORD=... corpus-browser db init --db URL --json\n",
    )
    db.add_argument("action", choices=["init"], help="init: create or repair the two roles")
    db.add_argument(
        "--db",
        metavar="URL",
        help="the database, as an administrator (default: $CORPUS_BROWSER_DB); docs/server.md",
    )
    db.add_argument("--reader", default="corpus_reader", help="the read-only role (%(default)s)")
    db.add_argument("--writer", default="corpus_writer", help="the indexing role (%(default)s)")
    db.add_argument("--json", action="store_true", help="print one JSON object")


_CURATE_EXAMPLES = """\
examples:
  corpus-browser curate ~/articles list
  corpus-browser curate ~/articles merge "Kohl" "Helmut Kohl"
  corpus-browser curate ~/articles rename "Helmut Kohl" "Chancellor Helmut Kohl"
  corpus-browser curate ~/articles alias "Helmut Kohl" "Herr Kohl"
  corpus-browser curate ~/articles hide "Electric Credit"
  corpus-browser curate ~/articles alias Hubei Hupeh --field province
  corpus-browser curate ~/articles add-official "Clayton Yeutter" --title "Trade Representative"

Each edit writes corpus-browser.toml (in the corpus folder, or beside the index when the
corpus folder is read-only; comments and order kept) and applies at once, without
re-reading any article. The format and what each edit means: docs/curation.md.
"""


def _curate_parser(verbs: Any) -> None:
    curate = verbs.add_parser(
        "curate",
        help="correct officials and provinces: merge, rename, alias, hide, add",
        description="Read or edit the corpus's curation file: corrections to the officials "
        "and provinces that searches, the side panel and `entities` all apply.",
        epilog=_CURATE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    curate.add_argument("corpus", type=Path)
    # The options go after the edit's own words (argparse gives a sub-command's options to it).
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--json", action="store_true", help="print one JSON object")
    _common(options, corpus_option=False)
    entity = argparse.ArgumentParser(add_help=False, parents=[options])
    entity.add_argument(
        "--field",
        choices=("official", "province"),
        help="which kind of entity NAME is (default: the one of that name; asked when both)",
    )
    ops = curate.add_subparsers(dest="op", required=True, metavar="{" + ",".join(_OPS) + "}")
    ops.add_parser("list", parents=[options], help="print the file's corrections and problems")
    for op, what, value in (
        ("merge", "count NAME as INTO (its documents and mentions too)", "into"),
        ("rename", "show NAME as NEW_NAME (searches take both names)", "new_name"),
        ("alias", "count SPELLING, where the text has it, as a mention of NAME", "spelling"),
        ("hide", "never list NAME, and match nothing for official:/province: NAME", None),
        ("unhide", "list NAME again", None),
    ):
        sub = ops.add_parser(op, parents=[entity], help=what, description=what)
        sub.add_argument("name", help="the entity, as the side panel or `entities` shows it")
        if value:
            sub.add_argument(value)
    add = ops.add_parser(
        "add-official",
        parents=[options],
        help="an official the extractor misses, found in text by its name and aliases",
    )
    add.add_argument("name")
    add.add_argument("--title", help="the office held, shown beside the name")
    add.add_argument("--alias", action="append", default=[], metavar="SPELLING", help="repeatable")


_OPS = ("list", "merge", "rename", "alias", "hide", "unhide", "add-official")


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpus-browser",
        description="Open the app on CORPUS (default: the bundled sample corpus). "
        f"Headless verbs: {', '.join(VERBS)} (see corpus-browser VERB --help).",
        epilog="examples:\n" + APP_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    parser.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")
    _common(parser, corpus_option=False)
    _exclude(parser)
    return parser


def _open_index(
    args: argparse.Namespace,
    corpus: Path | None,
    full_check: bool = False,
    folder_needed: bool = False,
) -> CorpusIndex:
    """The index of ``corpus``: in the user cache (or ``--index-dir``), or with ``--db`` in a
    PostgreSQL database, where the folder is needed only to index it."""
    engine = None
    if getattr(args, "db_replica", None) and not args.db:
        raise CorpusBrowserError(
            "--db-replica goes with --db URL (the primary, where index writes)"
        )
    if args.db:
        name = args.name or (corpus.resolve().name if corpus is not None else None)
        if not name:
            raise CorpusBrowserError("with --db, name the corpus: --name NAME (or --corpus DIR)")
        engine = PostgresEngine(args.db, name, replicas=args.db_replica)
        corpus = corpus if corpus is not None else Path(name)
        folder_needed = folder_needed or corpus.exists()
    elif corpus is None:
        raise CorpusBrowserError("the corpus folder is needed: --corpus DIR (or --db URL --name)")
    else:
        folder_needed = True
    if folder_needed and not corpus.is_dir():
        raise CorpusError(f"corpus folder {corpus} does not exist or is not a folder")
    return CorpusIndex(
        corpus,
        args.index_dir,
        globs=tuple(args.glob or DEFAULT_GLOBS),
        excludes=tuple(getattr(args, "exclude", ())),
        max_bytes=int(args.max_mb * 2**20),
        full_check=full_check,
        engine=engine,
    )


def _print_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


def _say(line: str, file: TextIO | None = None) -> None:
    """One line for a person: whatever in it came from the corpus is shown, never obeyed."""
    print(visible(line), file=file or sys.stdout)


def cmd_index(args: argparse.Namespace) -> int:
    index = _open_index(args, args.corpus, folder_needed=True)
    report = _update(index, args, rebuild=args.rebuild, procs=args.procs, verify=args.verify)
    if args.json:
        _print_json(report.to_json())
    return EXIT_OK


def _update(
    index: CorpusIndex,
    args: argparse.Namespace,
    rebuild: bool = False,
    procs: int | None = None,
    verify: bool = False,
) -> UpdateReport:
    """Bring ``index`` up to date, with progress and a summary for a person at a terminal
    (cron and pipes get nothing but errors; ``--json`` callers print the report)."""
    from search.engine.whoosh.indexer import index_state

    _UPDATING.append((index.store, index_state(index.store)))
    at_terminal = not getattr(args, "quiet", False) and sys.stderr.isatty()
    if getattr(args, "progress_jsonl", False):
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if done == total or now - last[0] > 0.1:
                last[0] = now
                sys.stderr.write(json_text({"done": done, "total": total}) + "\n")
                sys.stderr.flush()

        return index.update(
            rebuild=rebuild, progress=progress, lock_timeout=args.wait, procs=procs, verify=verify
        )
    if not at_terminal:
        return index.update(rebuild=rebuild, lock_timeout=args.wait, procs=procs, verify=verify)
    from rich.console import Console
    from rich.progress import Progress

    # On stderr, the terminal checked above: stdout may be a file that --json writes into.
    with Progress(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("indexing", total=None)

        def show(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = index.update(
            rebuild=rebuild, progress=show, lock_timeout=args.wait, procs=procs, verify=verify
        )
    if not args.json:
        rebuilt = f" (rebuilt: {report.rebuild_reason})" if report.rebuilt else ""
        _say(
            f"{count(report.documents, 'document')} in {report.index_dir}{rebuilt}: "
            f"{report.added:,} added, {report.updated:,} updated, {report.removed:,} removed, "
            f"{report.unchanged:,} unchanged, {len(report.skipped):,} skipped, "
            f"{_excluded_count(report):,} excluded, {report.seconds:.1f}s",
            sys.stderr,
        )
        for rule in report.excluded:
            _say(
                f"excluded {_excluded_what(rule)} by {rule['pattern']} ({rule['source']})",
                sys.stderr,
            )
        for item in report.skipped:
            _say(f"skipped {item['path']}: {item['reason']}", sys.stderr)
        for item in report.warnings:
            _say(f"warning {item['path']}: {item['message']}", sys.stderr)
    return report


def _excluded_count(report: UpdateReport) -> int:
    return sum(rule["files"] + rule["folders"] for rule in report.excluded)


def _excluded_what(rule: dict[str, Any]) -> str:
    """``2 files``, ``1 folder``, ``3 files and 1 folder``."""
    parts = [count(rule[kind], kind[:-1]) for kind in ("files", "folders") if rule[kind]]
    return " and ".join(parts)


def cmd_search(args: argparse.Namespace) -> int:
    if sum(x is not None for x in (args.query, args.batch, args.saved)) != 1:
        raise CorpusBrowserError("give one of QUERY, --batch FILE or --saved NAME")
    query, filters, sort = args.query, None, args.sort or "relevance"
    if args.saved is not None:
        if args.corpus is None:
            raise CorpusBrowserError("--saved needs the corpus folder: --corpus DIR")
        saved = _saved_search(args.corpus, args.saved)
        query, filters, sort = saved.query or "*", saved.filter_keys(), args.sort or saved.sort
    index = _open_index(args, args.corpus)
    # One process instead of `index` then `search`: a script that wants current results
    # pays for one interpreter start and one set of imports, not two.
    report = _update(index, args) if args.update else None
    limit = args.limit or None
    if args.batch:
        return _search_batch(index, args.batch, limit, sort, report)
    results = index.search(query, limit=limit, sort=sort, filters=filters)
    _warn_curation(index)
    if args.json:
        data = results.to_json()
        if report is not None:
            data["update"] = report.to_json()
        _print_json(data)
    else:
        for hit in results.hits:
            date = hit.date.isoformat() if hit.date else "undated   "
            _say(f"{date}  {hit.path}  {hit.title}  ({count(hit.match_count, 'match')})")
            if hit.snippet:
                _say(f"    {hit.snippet}")
        shown = f" (showing {len(results.hits):,})" if len(results.hits) < results.total else ""
        verb = "matches" if results.total == 1 else "match"
        hint = f"; {results.did_you_mean}" if results.did_you_mean else ""
        _say(f"{count(results.total, 'file')} {verb}{shown}{hint}", sys.stderr)
    return EXIT_OK if results.total else EXIT_NO_HITS


def _search_batch(
    index: CorpusIndex, source: str, limit: int | None, sort: str, report: UpdateReport | None
) -> int:
    """One JSON line for each line of the batch, with its ``"line"`` number (a blank line
    is answered ``{"query": "", "skipped": "blank line"}``, so answer N is always line
    N's); with ``--update``, the first answer also holds the update's report under
    ``"update"``, as a single search's JSON does (an empty batch still prints it)."""
    worst = EXIT_OK
    for number, (line, problem) in enumerate(_batch_lines(source), start=1):
        started = time.perf_counter()
        try:
            if problem:
                raise CorpusBrowserError(problem)
            if not line.strip():
                data = {"query": line, "skipped": "blank line"}
            else:
                data = index.search(line, limit=limit, sort=sort).to_json()
        except CorpusBrowserError as exc:
            if exc.exit_code == EXIT_INDEX:
                raise
            data = {"query": line, "error": str(exc)}
            worst = EXIT_USAGE
        data["line"] = number
        data["took_ms"] = round((time.perf_counter() - started) * 1000, 3)
        if report is not None:
            data["update"], report = report.to_json(), None
        _print_json(data)
        sys.stdout.flush()
    if report is not None:  # no query in the batch: the report alone
        _print_json({"update": report.to_json()})
    return worst


def _batch_lines(source: str) -> list[tuple[str, str | None]]:
    """(query, problem) for each line of a batch file, so that answer N is line N's.

    Lines end at \n only (a trailing \r is dropped): str.splitlines would also split at a
    form feed, U+2028 and the like, giving one query more than the file has lines.  A line
    that is not UTF-8 keeps its place, with a problem naming it.
    """
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise CorpusBrowserError(f"cannot read batch file {source}: {exc.strerror}") from exc
    if data.startswith(b"\xef\xbb\xbf"):  # a byte order mark, as some editors write
        data = data[3:]
    name = "standard input" if source == "-" else source
    out = []
    pieces = data.split(b"\n")
    if pieces[-1] == b"":  # the newline that ends the last line starts no line of its own
        pieces.pop()
    for number, raw in enumerate(pieces, start=1):
        raw = raw[:-1] if raw.endswith(b"\r") else raw
        try:
            line, problem = raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            line = raw.decode("utf-8", "replace")
            problem = (
                f"line {number} of {name} is not valid UTF-8 "
                f"(byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} of the line)"
            )
        out.append((line, problem))
    return out


def cmd_show(args: argparse.Namespace) -> int:
    index = _open_index(args, args.corpus)
    try:
        view = index.document(args.path, args.query)
    except FileNotFoundError:
        raise CorpusBrowserError(f"no file {args.path} in {args.corpus}") from None
    except UnreadableError as exc:
        raise CorpusBrowserError(f"{args.path}: {exc}") from None
    _warn_curation(index)
    if args.json:
        _print_json(view.to_json())
    else:
        doc = view.document
        _say(f"{doc.date.isoformat() if doc.date else 'undated'}  {doc.title}")
        _say(doc.path)
        print()
        print(doc.text)  # normalised: its line breaks and tabs are the document's own
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    index = _open_index(args, args.corpus)
    data = index.entities()
    _warn_curation(index)
    if args.json:
        _print_json(data)
        return EXIT_OK
    for kind in ("officials", "provinces"):
        _say(f"{kind.capitalize()} ({len(data[kind]):,})")
        for entry in data[kind]:
            detail = entry.get("title") or entry.get("country") or ""
            files = count(len(entry["documents"]), "file")
            _say(f"  {entry['name']:<32} {files:>11}  {detail}")
    return EXIT_OK


def cmd_curate(args: argparse.Namespace) -> int:
    index = _open_index(args, args.corpus)
    if args.op == "list":
        return _curate_list(index, args.json)
    if args.op == "add-official":
        edits = [index.curate("add-official", "official", args.name, args.title)]
        edits += [index.curate("alias", "official", args.name, a) for a in args.alias]
    else:
        fieldname = args.field or _field_of(index, args.name)
        value = getattr(args, "into", None) or getattr(args, "new_name", None)
        value = value or getattr(args, "spelling", None)
        edits = [index.curate(args.op, fieldname, args.name, value)]
    index.curation()  # read back as searches will, so its problems are reported
    if args.json:
        _print_json(
            {
                "file": str(edits[0].path),
                "done": [edit.message for edit in edits],
                "problems": index.curation_problems,
            }
        )
    else:
        for edit in edits:
            _say(f"{edit.message} ({edit.path})", sys.stderr)
        _warn_curation(index)
    return EXIT_OK


def _field_of(index: CorpusIndex, name: str) -> str:
    """Whether NAME is an official or a province of the index (--field when both)."""
    from search.curation import CurationError

    found = [f for f in ("official", "province") if index.curation_key(f, name) is not None]
    if len(found) == 2:
        raise CurationError(
            f'"{name}" is an official and a province: add --field official|province'
        )
    if not found:
        raise CurationError(f'no official or province "{name}" in this index')
    return found[0]


def _curate_list(index: CorpusIndex, as_json: bool) -> int:
    from search.curation import parse_entries

    path = index.curation_file
    index.curation()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusBrowserError(f"{path}:1: cannot read the curation file ({exc})") from None
    try:
        entries = parse_entries(path, text)
    except CorpusBrowserError:
        entries = []  # the problem is in curation_problems
    if as_json:
        _print_json(
            {
                "file": str(path),
                "exists": path.is_file(),
                "entries": [_entry_json(e) for e in entries],
                "problems": index.curation_problems,
            }
        )
        return EXIT_OK
    _say(f"{path}{'' if path.is_file() else ' (no file yet)'}")
    for e in entries:
        settings = ", ".join(
            f"{k} = {json.dumps(v, ensure_ascii=False)}"
            for k, v in _entry_json(e)["settings"].items()
        )
        _say(f'  {e.field} "{e.name}": {settings or "nothing"}  (line {e.line})')
    _warn_curation(index)
    return EXIT_OK


def _entry_json(e: Any) -> dict[str, Any]:
    settings = {
        "name": e.rename,
        "aliases": e.aliases or None,
        "hide": e.hide or None,
        "merge_into": e.merge_into,
        "add": e.add or None,
        "title": e.title,
    }
    return {
        "field": e.field,
        "name": e.name,
        "line": e.line,
        "settings": {k: v for k, v in settings.items() if v is not None},
    }


def _warn_curation(index: CorpusIndex) -> None:
    """One line on stderr for each part of the curation file that is not applied."""
    for problem in index.curation_problems:
        _say(f"corpus-browser: warning: {problem}", sys.stderr)


def _saved_search(corpus: Path, name: str) -> SavedSearch:
    saved = SavedSearches.for_corpus(corpus)
    found = saved.get(name)
    if found is None:
        names = ", ".join(saved.names()) or "none yet (S in the app saves one)"
        raise CorpusBrowserError(f"no saved search {name!r} for {corpus}; saved: {names}")
    return found


def cmd_saved(args: argparse.Namespace) -> int:
    if not args.corpus.is_dir():
        raise CorpusError(f"corpus folder {args.corpus} does not exist or is not a folder")
    saved = SavedSearches.for_corpus(args.corpus)
    if saved.problem:
        _say(f"corpus-browser: {saved.problem}", sys.stderr)
    if args.delete is not None:
        _saved_search(args.corpus, args.delete)  # a clear message if there is none
        try:
            saved.delete(args.delete)
        except OSError as exc:
            raise CorpusBrowserError(f"cannot write {saved.path}: {exc}") from None
    if args.json:
        _print_json({"path": str(saved.path), "searches": [s.to_json() for s in saved.searches]})
        return EXIT_OK
    for search in saved.searches:
        _say(f"{search.name}  {describe_saved(search)}")
    if not saved.searches:
        print(f"no saved searches for {visible(str(args.corpus))}", file=sys.stderr)
    return EXIT_OK


def cmd_db(args: argparse.Namespace) -> int:
    import os

    try:
        from search.engine.postgres import DB_ENV
        from search.engine.postgres.roles import init_roles
    except ImportError as exc:
        raise CorpusBrowserError(
            f"db needs the PostgreSQL extra: pip install 'corpus-browser[postgres]' ({exc})"
        ) from None
    url = args.db or os.environ.get(DB_ENV)
    if not url:
        raise CorpusBrowserError(f"db {args.action} needs --db URL (or {DB_ENV})")
    report = init_roles(url, args.reader, args.writer)
    if args.json:
        _print_json(report.to_json())
        return EXIT_OK
    _say(f"database {report.database}: schema corpus_browser owned by {report.writer}")
    for kind, name in (("reader", report.reader), ("writer", report.writer)):
        what = "created" if name in report.created else "already there"
        secret = "password set" if name in report.passwords_set else "no password set here"
        _say(f"  {kind} role {name}: {what}, {secret}")
    return EXIT_OK


def cmd_app(argv: Sequence[str]) -> int:
    args = app_parser().parse_args(argv)
    corpus = args.corpus or (None if args.db else SAMPLE_CORPUS)
    # The app lives long: every checksum once per state of the index it opens is cheap.
    index = _open_index(args, corpus, full_check=True)
    try:
        from tui.app import run_app
    except ImportError as exc:
        raise CorpusBrowserError(f"the app is not available in this install ({exc})") from None
    return run_app(index, mouse=not args.no_mouse)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "index": cmd_index,
    "search": cmd_search,
    "show": cmd_show,
    "entities": cmd_entities,
    "curate": cmd_curate,
    "saved": cmd_saved,
    "db": cmd_db,
}


# The index this run updates and its state before, so that a Ctrl-C landing outside the
# indexer's own handling (just before it starts, or after it committed and before the
# process ends) still says truly what became of the index.
_UPDATING: list[tuple[IndexStore, IndexState]] = []


def _interrupted_outside_the_indexer() -> str:
    if not _UPDATING:
        return "interrupted"
    from search.engine.whoosh.indexer import stop_outcome

    store, before = _UPDATING[-1]
    return f"interrupted; {stop_outcome(store, before)}"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    finally:
        ctrl_c.done()


def _main(argv: Sequence[str] | None) -> int:
    quieten_collector()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or argv[0] not in VERBS:
            if argv and argv[0] in ("-h", "--help"):
                build_parser().print_help()
                return EXIT_OK
            return cmd_app(argv)
        args = build_parser().parse_args(argv)
        code = COMMANDS[args.verb](args)
        ctrl_c.check()  # a Ctrl-C swallowed on the way (in a finaliser) still ends the run
        return code
    except CorpusBrowserError as exc:
        _say(f"corpus-browser: {exc}", sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:  # outside the indexer's own handling (``Interrupted``)
        return ctrl_c.report(_interrupted_outside_the_indexer())
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
