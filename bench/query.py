"""Figure 3: query latency over a fixed mix through ``search --batch``, against SQLite FTS5.

Both sides answer a page of results: the count of hits and the ``fts5.PAGE`` best with a
snippet. Latencies are given over the whole mix, over its queries without a date filter and
over the date-filtered ones alone, since the two engines meet dates in different ways.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from bench import fts5
from bench.context import Context, run_cli
from bench.querymix import Query, write_batch
from bench.util import latency_summary, median, median_of_dicts

TARGET_RATIO = 2.0


# The subsets each latency is also given for: the mix without its date filters, and with.
SUBSETS = {"no_date": lambda q: q.date_from is None, "date": lambda q: q.date_from is not None}


def subset_summaries(queries: list[Query], times: list[float]) -> dict[str, dict[str, float]]:
    """``latency_summary`` of the mix's queries without a date filter and of those with one."""
    return {
        name: latency_summary([ms for q, ms in zip(queries, times, strict=True) if keep(q)])
        for name, keep in SUBSETS.items()
    }


def _by_kind(queries: list[Query], times: list[float]) -> dict[str, float]:
    groups: dict[str, list[float]] = defaultdict(list)
    for q, ms in zip(queries, times, strict=True):
        groups[q.kind].append(ms)
    return {kind: round(median(ms), 2) for kind, ms in groups.items()}


def measure_queries(
    corpus: Path, index_dir: Path, queries: list[Query], runs: int, work: Path
) -> dict[str, Any]:
    """Both engines over the same queries, ``runs`` times each, interleaved; medians of runs."""
    batch = work / "queries.txt"
    write_batch(queries, str(batch))
    fts_seconds, con = fts5.build(corpus, work / "fts5.db")
    product_runs, peer_runs = [], []
    product_subsets: list[dict[str, dict[str, float]]] = []
    peer_subsets: list[dict[str, dict[str, float]]] = []
    product_times: list[list[float]] = []
    peer_times: list[list[float]] = []
    errors: list[str] = []
    totals: list[int] = []
    for _ in range(runs):
        done = run_cli(
            "search", "--batch", batch, "--corpus", corpus, "--index-dir", index_dir,
            "--limit", str(fts5.PAGE), ok=(0, 1),
        )  # fmt: skip
        lines = done.json_lines()
        if len(lines) != len(queries):
            raise RuntimeError(f"search --batch gave {len(lines)} lines for {len(queries)} queries")
        times = [float(line["took_ms"]) for line in lines]
        errors = [f"{line['query']}: {line['error']}" for line in lines if "error" in line]
        totals = [int(line.get("total", -1)) for line in lines]
        product_times.append(times)
        product_runs.append({**latency_summary(times), "process_s": done.seconds})
        product_subsets.append(subset_summaries(queries, times))
        ptimes, ptotals = fts5.run_mix(con, queries)
        peer_times.append(ptimes)
        peer_runs.append(latency_summary(ptimes))
        peer_subsets.append(subset_summaries(queries, ptimes))
    con.close()
    product = median_of_dicts(product_runs)
    peer = median_of_dicts(peer_runs)
    # Where one engine finds something and the other nothing (a prefix over unstemmed words
    # here, over porter stems in FTS5, say): named, so that a change in the count can be read.
    disagree = [
        [q.text, a, b]
        for q, a, b in zip(queries, totals, ptotals, strict=True)
        if (a > 0) != (b > 0)
    ]
    per_query_product = [median(ms) for ms in zip(*product_times, strict=True)]
    per_query_peer = [median(ms) for ms in zip(*peer_times, strict=True)]
    slowest = sorted(zip(per_query_product, queries, strict=True), key=lambda t: -t[0])[:5]
    subsets = {
        f"{side}_{name}": median_of_dicts([run[name] for run in side_runs])
        for side, side_runs in (("product", product_subsets), ("peer_fts5", peer_subsets))
        for name in SUBSETS
    }
    return {
        "queries": len(queries),
        "product": product,
        "peer_fts5": peer,
        **subsets,
        "ratio_p95": product["p95_ms"] / peer["p95_ms"],
        "ratio_p50": product["p50_ms"] / peer["p50_ms"],
        "ratio_p95_no_date": subsets["product_no_date"]["p95_ms"]
        / subsets["peer_fts5_no_date"]["p95_ms"],
        "product_p50_by_kind": _by_kind(queries, per_query_product),
        "peer_p50_by_kind": _by_kind(queries, per_query_peer),
        "slowest_product": [[round(ms, 1), q.text] for ms, q in slowest],
        "errors": errors,
        "hit_agreement": 1 - len(disagree) / len(queries),
        "disagreements": disagree,
        "fts5_build_seconds": fts_seconds,
        "runs": runs,
    }


def _latencies(summary: dict[str, float]) -> str:
    return (
        f"p50 {summary['p50_ms']:.1f} / p95 {summary['p95_ms']:.1f} / "
        f"max {summary['max_ms']:.0f} ms"
    )


def run(ctx: Context) -> dict[str, Any]:
    corpus, index_dir = ctx.reuters(), ctx.reuters_index()
    m = measure_queries(corpus, index_dir, ctx.reuters_mix(), ctx.runs, ctx.tmp("query"))
    kinds = ", ".join(f"{k} {v:.0f}" for k, v in m["product_p50_by_kind"].items())
    peer_kinds = ", ".join(f"{k} {v:.0f}" for k, v in m["peer_p50_by_kind"].items())
    rows = [
        [f"query: {label}, {m[key]['n']:.0f} queries {what}", _latencies(m[key]), "", None]
        for key, label, what in (
            ("product", "corpus-browser", "(the whole mix)"),
            ("peer_fts5", "SQLite FTS5", "(the whole mix)"),
            ("product_no_date", "corpus-browser", "without a date filter"),
            ("peer_fts5_no_date", "SQLite FTS5", "without a date filter"),
            ("product_date", "corpus-browser", "with a date filter"),
            ("peer_fts5_date", "SQLite FTS5", "with a date filter"),
        )
    ]
    rows += [
        [
            "query: ratio p95 product / FTS5",
            f"{m['ratio_p95']:.2f}x (p50 {m['ratio_p50']:.2f}x; "
            f"without date filters p95 {m['ratio_p95_no_date']:.2f}x)",
            f"<= {TARGET_RATIO:.0f}x",
            m["ratio_p95"] <= TARGET_RATIO,
        ],
        ["query: p50 by kind, product (ms)", kinds, "", None],
        ["query: p50 by kind, FTS5 (ms)", peer_kinds, "", None],
        [
            "query: errors / hit agreement",
            f"{len(m['errors'])} errors, {m['hit_agreement']:.1%} agree on hit/no hit"
            + "".join(f"; {q!r} {a} vs {b}" for q, a, b in m["disagreements"][:5])
            + (f"; {len(m['disagreements']) - 5} more" if len(m["disagreements"]) > 5 else ""),
            "",
            None,
        ],
    ]
    return {"metrics": m, "rows": rows}
