"""Run the bench set and print a table (or, with --json, one JSON object).

    python -m bench                  # the whole set (full Reuters, synthetic 10k/30k/100k)
    python -m bench --quick          # a smoke run: 3,000 Reuters articles, small scales, 1 run
    python -m bench --only query,facets --runs 5
    python -m bench --json > results.json

Each figure is a module of this package with ``run(ctx) -> dict`` returning ``metrics`` (for
JSON) and ``rows`` (label, value, target, verdict) for the table. A figure that fails prints
its error in its row and the set goes on. Results are also written to ``bench/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import sys
import time
import traceback
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: python bench/run_all.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.context import DEFAULT_REUTERS, REPO, Context, machine_facts

FIGURES = [
    "build",
    "update",
    "query",
    "facets",
    "app_start",
    "reader",
    "lists",
    "rss",
    "scale",
    "server",
]
# Figures run only when --only names them (the server figure takes an hour or more at 1M).
OPT_IN = {"server"}
QUICK_SCALES = [1_000, 3_000]
RESULTS = REPO / "bench" / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="corpus-browser bench")
    parser.add_argument("--quick", action="store_true", help="small sizes, one run (smoke)")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {','.join(FIGURES)}")
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per figure (default 3; 1 quick)"
    )
    parser.add_argument(
        "--reuters",
        type=Path,
        default=DEFAULT_REUTERS,
        help="the Reuters tarball, or the folder it unpacks to",
    )
    parser.add_argument(
        "--scales", default=None, help="synthetic sizes (default 10000,30000,100000)"
    )
    server = parser.add_argument_group("the server figure (--only server)")
    server.add_argument(
        "--server-n", type=int, default=None, help="articles on PostgreSQL (default 1000000)"
    )
    server.add_argument(
        "--db", default="", help="measure this database (URL) instead of a private cluster"
    )
    server.add_argument(
        "--server-work", type=Path, default=None, help="keep corpora and peer indexes here"
    )
    server.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    server.add_argument(
        "--client-seconds", type=float, default=None, help="how long they run (60 s)"
    )
    server.add_argument(
        "--peers-n", type=int, default=None, help="Whoosh and FTS5 size (100000; 0: none)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    only = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(only) - set(FIGURES))
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    args.figures = [f for f in FIGURES if f in only or not only and f not in OPT_IN]
    return args


def _clean(value: Any) -> Any:
    """JSON-safe: NaN/inf become null, floats rounded."""
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, 4)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def render_table(machine: dict[str, Any], results: dict[str, dict[str, Any]], when: str) -> str:
    rows = [["figure", "value", "target", ""]]
    for name, result in results.items():
        if "error" in result:
            rows.append([name, f"error: {result['error']}", "", ""])
            continue
        for label, value, target, ok in result.get("rows", []):
            rows.append([label, value, target, verdict(ok)])
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    lines = [
        f"corpus-browser bench, {when}",
        f"machine: {machine['nproc']} cores, {machine['cpu']}, {machine['ram_gb']} GB RAM, "
        f"Python {machine['python']}, whoosh3 {machine['whoosh3']}, SQLite {machine['sqlite']}, "
        f"load {machine['load_1min_at_start']}",
        f"bytecode: {machine.get('bytecode', 'not compiled up front')}",
        "",
    ]
    for i, row in enumerate(rows):
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def warm_bytecode() -> str:
    """Compile our packages' bytecode before timing anything, as an install's first run does.

    With PYTHONDONTWRITEBYTECODE set (this machine sets it) Python never caches our own
    modules' bytecode, so every process the bench starts would compile ``search/`` and
    ``tui/`` from source, about 0.1 s that no installed copy pays after its first run.
    """
    import compileall

    ok = all(compileall.compile_dir(REPO / pkg, quiet=1) for pkg in ("search", "tui", "bench"))
    flag = "PYTHONDONTWRITEBYTECODE set" if sys.flags.dont_write_bytecode else "default"
    return f"compiled before the run ({flag})" if ok else f"compile failed ({flag})"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    scales = [int(s) for s in args.scales.split(",")] if args.scales else None
    ctx = Context(
        quick=args.quick,
        runs=runs,
        reuters_tar=args.reuters,
        scales=scales or (QUICK_SCALES if args.quick else [10_000, 30_000, 100_000]),
        keep=args.keep,
        server_n=args.server_n or (10_000 if args.quick else 1_000_000),
        server_db=args.db,
        server_work=args.server_work,
        clients=args.clients,
        client_seconds=args.client_seconds or (10.0 if args.quick else 60.0),
        peers_n=(3_000 if args.quick else 100_000) if args.peers_n is None else args.peers_n,
    )
    when = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    machine = machine_facts()
    machine["bytecode"] = warm_bytecode()
    results: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    try:
        for name in args.figures:
            ctx.log(f"{name} ...")
            t0 = time.perf_counter()
            try:
                module = importlib.import_module(f"bench.{name}")
                results[name] = module.run(ctx)
            except Exception as exc:  # noqa: BLE001 - one failing figure must not stop the set
                traceback.print_exc(file=sys.stderr)
                results[name] = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0][:160]}
            results[name]["bench_seconds"] = round(time.perf_counter() - t0, 1)
    finally:
        ctx.cleanup()
    report = {
        "when": when,
        "machine": machine,
        "options": {
            "quick": args.quick,
            "runs": runs,
            "scales": ctx.scales,
            "reuters": str(args.reuters),
            "reuters_limit": ctx.reuters_limit,
            "server": {
                "n": ctx.server_n,
                "db_given": bool(ctx.server_db),
                "clients": ctx.clients,
                "client_seconds": ctx.client_seconds,
                "peers_n": ctx.peers_n,
            },
        },
        "figures": results,
        "seconds": round(time.perf_counter() - started, 1),
    }
    report = _clean(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}{'-quick' if args.quick else ''}.json").write_text(
        json.dumps(report, indent=1), encoding="utf-8"
    )
    table = render_table(machine, results, when)
    (RESULTS / f"{stamp}{'-quick' if args.quick else ''}.txt").write_text(table + "\n")
    if args.json:
        print(json.dumps(report))
    else:
        print(table)
        print(f"\n(total {report['seconds']} s; JSON in bench/results/{stamp}*.json)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
