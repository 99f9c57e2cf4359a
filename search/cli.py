"""The command line: the app by default, and headless verbs for scripts and cron.

Data goes to stdout, messages to stderr, and the exit code says what happened:
0 success, 1 a search with no hits, 2 bad usage or a bad query, 3 the index is missing,
locked or unusable.  No traceback reaches the user for anything they can cause.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.cells import cell_len

from search import ctrl_c
from search.collector import quieten_collector
from search.corpus.read import DEFAULT_GLOBS, DEFAULT_MAX_BYTES, SAMPLE_CORPUS, UnreadableError
from search.engine.postgres import DB_ENV, PostgresEngine
from search.errors import CorpusBrowserError, CorpusError
from search.excludes import CORPUSIGNORE
from search.index.facade import SORTS, CorpusIndex, Results
from search.text import count, json_text, visible
from search.user_state import SavedSearch, SavedSearches, describe_saved
from search.views.commands import (
    VIEW_VERBS,
    add_output_options,
    add_view_verbs,
    check_output,
    cmd_cooccur,
    cmd_profile,
    emit,
    entities_table,
    out_suffix,
    write_out,
)

if TYPE_CHECKING:
    from search.engine.base import UpdateReport
    from search.engine.whoosh.indexer import IndexState
    from search.index.generations import IndexStore

__all__ = ["main"]

EXIT_OK, EXIT_NO_HITS, EXIT_USAGE, EXIT_INDEX = 0, 1, 2, 3
VERBS = (
    "index", "search", "show", "entities", "curate", "saved", "serve", "db",
    "timeline", "concordance", "collocates", *VIEW_VERBS,
)  # fmt: skip


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
  corpus-browser --watch ~/articles   # new and edited files show up as they are saved
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
        + "  corpus-browser serve ~/articles    # the app in a browser, on 127.0.0.1:8000\n"
        + "Each verb has --help with its options and examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    verbs = parser.add_subparsers(dest="verb", metavar="{" + ",".join(VERBS) + "}")

    index = _verb(
        verbs,
        "index",
        "build or update the index of a corpus",
        "  corpus-browser index ~/articles              # only added, changed and removed files\n"
        "  corpus-browser index ~/articles --rebuild --json  # a fresh build, swapped in\n"
        "  corpus-browser index ~/articles --exclude README.md --quiet  # for cron\n"
        "  corpus-browser index ~/articles --watch --json  # a server: index what changes\n",
    )
    index.add_argument("corpus", type=Path)
    index.add_argument("--rebuild", action="store_true", help="build afresh and swap in atomically")
    index.add_argument("--json", action="store_true", help="print one JSON report on stdout")
    index.add_argument("--quiet", action="store_true", help="print nothing but errors")
    index.add_argument(
        "--watch",
        action="store_true",
        help="then go on indexing files as they are added, changed or removed, until Ctrl-C "
        "or SIGTERM: one line per update (--json: one JSON object per line)",
    )
    # The app's watch child: it stops when the app that started it is gone.
    index.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)
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
    add_output_options(search, "the hits (--limit 0: every hit)", json=False)
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
    show.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the article, its matches marked, to FILE: .md (bold) or .jsonl (offsets)",
    )
    show.add_argument("--force", action="store_true", help="with --out: replace FILE if it exists")
    _common(show, corpus_option=True)

    entities = _verb(
        verbs,
        "entities",
        "list officials and provinces in the corpus",
        "  corpus-browser entities --corpus ~/articles\n"
        "  corpus-browser entities --corpus ~/articles --json\n",
    )
    add_output_options(entities, "the officials and provinces")
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
    _serve_parser(verbs)
    _db_parser(verbs)
    _view_parsers(verbs)
    add_view_verbs(verbs, _verb, _common)
    return parser


def _serve_parser(verbs: Any) -> None:
    from search.serve import LOCAL_HOST

    serve = _verb(
        verbs,
        "serve",
        "serve the app to web browsers (one app session per browser tab; needs "
        "corpus-browser[serve])",
        "  corpus-browser serve ~/articles                 # http://127.0.0.1:8000/\n"
        "  corpus-browser serve ~/articles --port 9000 --exclude drafts/\n"
        "  ssh -L 8000:127.0.0.1:8000 HOST               # a colleague, to reach it safely\n"
        "  corpus-browser serve ~/articles --host 0.0.0.0  # every address: NO LOGIN\n",
    )
    serve.add_argument("corpus", nargs="?", type=Path, default=None)
    serve.add_argument(
        "--host",
        default=LOCAL_HOST,
        metavar="ADDR",
        help="the address to listen on (default: %(default)s, this machine only); any other "
        "lets whoever reaches the port read the corpus and use the app: there is no login",
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="the port (default: %(default)s; 0: any free one)"
    )
    _wait(serve, " while bringing the index up to date")
    _common(serve, corpus_option=False)
    _exclude(serve)
    serve.set_defaults(json=False)


# -- the analyst views: timeline, concordance, collocates (search/views) ------------------
def _view_verb(verbs: Any, name: str, summary: str, examples: str) -> argparse.ArgumentParser:
    parser = _verb(verbs, name, summary, examples)
    parser.add_argument(
        "query",
        help="the query, as for search (filters and date ranges in it: official:, "
        "province:, date:[2024-01-01 to 2024-06-30])",
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument("--csv", action="store_true", help="print CSV with a header row")
    _common(parser, corpus_option=True)
    return parser


def _view_parsers(verbs: Any) -> None:
    from search.views.concordance import SORTS as KWIC_SORTS
    from search.views.timeline import UNITS

    timeline = _view_verb(
        verbs,
        "timeline",
        "count the matching files and their matches per day, week, month or year",
        "  corpus-browser timeline 'province:guangxi' --corpus ~/articles\n"
        "  corpus-browser timeline oil --by week --corpus ~/articles --csv\n",
    )
    timeline.add_argument(
        "--by", choices=UNITS, help="the bucket (default: chosen from the span, at most ~60 bars)"
    )
    concordance = _view_verb(
        verbs,
        "concordance",
        "print every match as one line, aligned on the match (keyword in context)",
        "  corpus-browser concordance 'border gate' --corpus ~/articles\n"
        "  corpus-browser concordance oil --sort right --width 30 --corpus ~/articles --json\n",
    )
    concordance.add_argument(
        "--sort",
        choices=KWIC_SORTS,
        default="date",
        help="oldest first (undated last), or by the words left or right of the match "
        "(default: %(default)s)",
    )
    concordance.add_argument(
        "--width",
        type=_positive,
        default=40,
        metavar="N",
        help="terminal cells of context each side of the match (default: %(default)s)",
    )
    concordance.add_argument(
        "--limit", type=int, default=0, help="lines to print, 0 for all (default: all)"
    )
    collocates = _view_verb(
        verbs,
        "collocates",
        "rank the words over-represented near the matches (log-likelihood, with counts)",
        "  corpus-browser collocates 'province:guangxi' --corpus ~/articles\n"
        "  corpus-browser collocates oil --window 3 --corpus ~/articles --csv\n",
    )
    collocates.add_argument(
        "--window",
        type=_positive,
        default=5,
        metavar="N",
        help="words each side of a match that count (default: %(default)s)",
    )
    collocates.add_argument(
        "--top", type=_positive, default=50, help="collocates to print (default: %(default)s)"
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and 200")
    return value


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
    parser.add_argument(
        "--watch",
        action="store_true",
        help="index files as they are added, changed or removed while the app runs, "
        "keeping your place (as `index --watch` does)",
    )
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
    if args.watch:
        if args.rebuild or args.verify:  # first, as asked; the watch starts on the result
            _update(index, args, rebuild=args.rebuild, procs=args.procs, verify=args.verify)
        return cmd_watch(args, index)
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
        return index.update(
            rebuild=rebuild, progress=_progress_jsonl(), lock_timeout=args.wait, procs=procs,
            verify=verify,
        )  # fmt: skip
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


def _progress_jsonl() -> Callable[[int, int], None]:
    """``{"done": N, "total": M}`` lines on stderr, at most ten a second (and the last)."""
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] > 0.1:
            last[0] = now
            sys.stderr.write(json_text({"done": done, "total": total}) + "\n")
            sys.stderr.flush()

    return progress


def cmd_watch(args: argparse.Namespace, index: CorpusIndex) -> int:
    """``index --watch``: index what changes until Ctrl-C or SIGTERM (exit 0), one line
    (or JSON line) per update, faults in one line while the watch goes on."""
    import signal
    import threading

    from search.errors import Interrupted
    from search.watch import Watch, WatchEvent

    try:
        import watchfiles  # noqa: F401 - a dependency; a broken install gets a clear line
    except ImportError as exc:
        raise CorpusBrowserError(f"watch mode needs the watchfiles package ({exc})") from None

    stop = threading.Event()

    def stop_watching(_signum: int, _frame: Any) -> None:
        stop.set()
        for number in (signal.SIGINT, signal.SIGTERM):  # the clean-up is not cut short
            signal.signal(number, signal.SIG_IGN)
        raise KeyboardInterrupt  # out of an update or the wait for events, at once

    signal.signal(signal.SIGINT, stop_watching)
    signal.signal(signal.SIGTERM, stop_watching)
    said: set[str] = set()  # skipped files reported, so each is said once

    def emit(event: WatchEvent) -> None:
        if args.json:
            _print_json(event.to_json())
            sys.stdout.flush()
        elif event.kind == "problem" or event.kind == "resumed":
            _say(f"corpus-browser: {event.message}", sys.stderr)
        elif event.kind == "watching" and not args.quiet:
            _say(f"{event.message} (Ctrl-C stops)", sys.stderr)
        elif event.kind == "outside" and not args.quiet:
            _say(f"{time.strftime('%Y-%m-%d %H:%M:%S')}  {event.message}")
            sys.stdout.flush()
        elif event.kind == "update" and not args.quiet:
            _watch_lines(event, said)

    progress = _progress_jsonl() if args.progress_jsonl else None
    parent = args.parent_pid
    alive = (lambda: os.getppid() == parent) if parent else None
    outcome = ""
    try:
        Watch(index, progress=progress, alive=alive).run(emit, stop)
    except Interrupted as exc:
        outcome = f" ({str(exc).replace('interrupted', 'an update was interrupted', 1)})"
    except KeyboardInterrupt:
        pass
    if not args.quiet and not args.json:
        _say(f"corpus-browser: stopped watching {index.corpus}{outcome}", sys.stderr)
    return EXIT_OK


def _watch_lines(event: Any, said: set[str]) -> None:
    """``2026-12-03 19:41:07  2 files added, 1 changed: 5,003 documents (0.42s)`` on
    stdout, then the files newly skipped and the warnings of the files read, on stderr."""
    from search.watch import describe_changes

    report = event.report
    what = describe_changes(report.added, report.updated, report.removed)
    if report.rebuilt:
        what = f"built ({report.rebuild_reason})"
    elif what == "no changes" and event.initial:
        what = "up to date"
    held = f"; {count(event.held, 'file')} still changing" if event.held else ""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    _say(f"{stamp}  {what}: {count(report.documents, 'document')} ({report.seconds:.2f}s){held}")
    sys.stdout.flush()
    for item in report.skipped:
        if item["path"] not in said:
            said.add(item["path"])
            _say(f"skipped {item['path']}: {item['reason']}", sys.stderr)
    for item in report.warnings:
        _say(f"warning {item['path']}: {item['message']}", sys.stderr)


def _excluded_count(report: UpdateReport) -> int:
    return sum(rule["files"] + rule["folders"] for rule in report.excluded)


def _excluded_what(rule: dict[str, Any]) -> str:
    """``2 files``, ``1 folder``, ``3 files and 1 folder``."""
    parts = [count(rule[kind], kind[:-1]) for kind in ("files", "folders") if rule[kind]]
    return " and ".join(parts)


def cmd_search(args: argparse.Namespace) -> int:
    if sum(x is not None for x in (args.query, args.batch, args.saved)) != 1:
        raise CorpusBrowserError("give one of QUERY, --batch FILE or --saved NAME")
    check_output(args)
    if args.batch and (args.csv or args.out):
        raise CorpusBrowserError("--batch writes JSON lines; --csv and --out go with one QUERY")
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
    if args.out or args.csv:
        _export_hits(args, index, results, sort, filters)
    elif args.json:
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


def _export_hits(
    args: argparse.Namespace,
    index: CorpusIndex,
    results: Any,
    sort: str,
    filters: dict[str, list[str]] | None,
) -> None:
    """``--csv`` or ``--out``: the hits as the app's export writes them."""
    from search.export import ExportHeader, results_csv, results_jsonl, results_markdown

    scored = sort == "relevance"
    if args.csv:
        sys.stdout.write(results_csv(results.hits, scored))
        return
    suffix = out_suffix(args)
    if suffix == ".csv":
        text = results_csv(results.hits, scored)
    elif suffix == ".jsonl":
        text = results_jsonl(results.hits)
    else:
        names = [k for keys in (filters or {}).values() for k in keys]
        header = ExportHeader(results.query, sort, results.total, names)
        text = results_markdown(header, results.hits, lambda h: index.current_text(h.path))
    write_out(args, text, len(results.hits))


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
    if args.out:
        from search.export import article_jsonl, article_markdown, export_format

        suffix = export_format(args.out, article=True)
        text = article_markdown(view) if suffix == ".md" else article_jsonl(view)
        write_out(args, text, 1)
    elif args.json:
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
    if args.json or args.csv or args.out:
        emit(args, lambda: entities_table(data), lambda: data, list)
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
    return run_app(index, mouse=not args.no_mouse, watch=args.watch)


def cmd_serve(args: argparse.Namespace) -> int:
    from search import serve

    serve.require()  # before indexing: a missing package is said at once
    corpus = (args.corpus or SAMPLE_CORPUS).resolve()
    index = _open_index(args, corpus)
    report = _update(index, args)
    # The sessions open this very index, whatever the folder they are started in.
    args.corpus, args.index_dir = corpus, index.index_dir.resolve()
    argv = [*serve.python_command(), *_app_argv(args)]

    def ready(url: str) -> None:
        if not serve.is_loopback(args.host):
            _say(
                f"corpus-browser: warning: listening on {args.host}: there is no login; "
                f"anyone who reaches {url} can read this corpus and use the app, its "
                "corrections included (safer: the default 127.0.0.1 and an SSH tunnel)",
                sys.stderr,
            )
        _say(
            f"corpus-browser: serving {corpus} ({count(report.documents, 'document')})", sys.stderr
        )
        _say(f"open {url} in a browser (each tab runs its own app; q ends that tab's)", sys.stderr)
        _say("press Ctrl+C to stop the server", sys.stderr)
        sys.stderr.flush()

    serve.serve(argv, args.host, args.port, f"corpus-browser · {corpus.name}", ready)
    _say("corpus-browser: server stopped", sys.stderr)
    return EXIT_OK


def _app_argv(args: argparse.Namespace) -> list[str]:
    """The app's command line for the options in ``args``: every option the app takes
    (its parser's, so one added there passes through too), given where it is set."""
    argv = [str(args.corpus)]
    for action in app_parser()._actions:
        value = getattr(args, action.dest, action.default)
        if not action.option_strings or action.dest in ("help", "version"):
            continue
        option = action.option_strings[-1]
        # OPTION=VALUE: a value starting with "-" (an --exclude pattern) stays a value.
        if action.nargs == 0:  # a flag
            argv += [option] if value else []
        elif isinstance(value, list):  # a repeatable option
            argv += [f"{option}={item}" for item in value]
        elif value is not None and value != action.default:
            argv.append(f"{option}={value}")
    return argv


def _view_search(args: argparse.Namespace, index: CorpusIndex) -> Results:
    results = index.search(args.query, limit=0, sort="date", snippets=False, every=True)
    _warn_curation(index)
    if not results.total and results.did_you_mean:
        _say(f"corpus-browser: 0 files match; {results.did_you_mean}", sys.stderr)
    return results


def cmd_timeline(args: argparse.Namespace) -> int:
    from search.views.timeline import bar, count_matches, make_timeline

    index = _open_index(args, args.corpus)
    results = _view_search(args, index)
    assert results.order is not None
    line = make_timeline(results.query, index.hit_dates(results.order), args.by)
    for _done in count_matches(index, results.order, line):
        pass
    if args.json:
        _print_json(line.to_json())
    elif args.csv:
        sys.stdout.write(line.to_csv())
    else:
        width = 30
        for b in line.buckets:
            files = count(b.documents, "file")
            print(f"{b.label:<10} {bar(b.documents, line.peak, width):<{width}} {files:>12}  "
                  f"{count(b.matches, 'match')}")  # fmt: skip
        if line.undated:
            print(f"{'undated':<10} {'':<{width}} {count(line.undated, 'file'):>12}  "
                  f"{count(line.undated_matches, 'match')}")  # fmt: skip
        _say(f"{count(line.total, 'file')} by {line.unit}", sys.stderr)
    return EXIT_OK if results.total else EXIT_NO_HITS


def cmd_concordance(args: argparse.Namespace) -> int:
    from search.views.concordance import concordance_csv, fit_left, fit_right, lines, sort_lines

    index = _open_index(args, args.corpus)
    results = _view_search(args, index)
    assert results.order is not None
    found = lines(index, results.order)
    if args.sort != "date":
        found = iter(sort_lines(index, list(found), args.sort))
    if args.limit > 0:
        found = itertools.islice(found, args.limit)
    width = args.width
    if args.json:
        rows = [line.to_json(width) for line in found]
        _print_json({"query": results.query, "files": results.total, "sort": args.sort,
                     "width": width, "lines": rows})  # fmt: skip
    elif args.csv:
        sys.stdout.write(concordance_csv(found, width))
    else:
        for line in found:
            date = line.date.isoformat() if line.date else "undated   "
            left = visible(fit_left(line.left, width))
            right = visible(fit_right(line.right, width))
            pad = " " * (width - cell_len(left))
            print(f"{date}  {pad}{left} {visible(line.match)} {right}")
    return EXIT_OK if results.total else EXIT_NO_HITS


def cmd_collocates(args: argparse.Namespace) -> int:
    from search.views.concordance import collocates, lines

    index = _open_index(args, args.corpus)
    results = _view_search(args, index)
    assert results.order is not None
    found = collocates(index, lines(index, results.order), args.window, args.top)
    if args.json:
        _print_json({"query": results.query, "files": results.total, **found.to_json()})
    elif args.csv:
        sys.stdout.write(found.to_csv())
    else:
        print(f"{'word':<24} {'near':>8} {'corpus':>10} {'log-lik.':>10}")
        for c in found.found:
            print(f"{visible(c.word):<24} {c.observed:>8,} {c.corpus:>10,} "
                  f"{c.log_likelihood:>10.1f}")  # fmt: skip
        _say(
            f"{count(found.matches, 'match')} in {count(results.total, 'file')}, "
            f"{args.window} words each side",
            sys.stderr,
        )
    return EXIT_OK if results.total else EXIT_NO_HITS


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "index": cmd_index,
    "search": cmd_search,
    "show": cmd_show,
    "entities": cmd_entities,
    "curate": cmd_curate,
    "saved": cmd_saved,
    "serve": cmd_serve,
    "timeline": cmd_timeline,
    "concordance": cmd_concordance,
    "collocates": cmd_collocates,
    "cooccur": lambda args: _view(cmd_cooccur, args),
    "profile": lambda args: _view(cmd_profile, args),
    "db": cmd_db,
}


def _view(
    command: Callable[[argparse.Namespace, CorpusIndex], int], args: argparse.Namespace
) -> int:
    index = _open_index(args, args.corpus)
    code = command(args, index)
    _warn_curation(index)
    return code


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
