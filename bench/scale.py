"""Figure 8: how build, index size, queries and facets grow with corpus size (synthetic corpus).

For each size the synthetic corpus (seed 1) is generated, scanned for its own query mix, built
once through the CLI, queried through ``search --batch`` beside SQLite FTS5, and faceted.
Growth is summarised as the exponent b of y ~ n^b between the smallest and largest size:
linear is b ~ 1; query latency should be well below 1.
"""

from __future__ import annotations

import math
import shutil
from typing import Any

from bench import corpora, querymix, synth
from bench.context import Context, build_index
from bench.facets import broad_query, measure_facets
from bench.query import measure_queries
from bench.util import dir_size, mb


def exponent(n1: int, y1: float, n2: int, y2: float) -> float:
    if min(y1, y2) <= 0 or n1 == n2:
        return float("nan")
    return math.log(y2 / y1) / math.log(n2 / n1)


def shape(b: float) -> str:
    if b != b:
        return "n/a"
    if b < 0.85:
        return f"sublinear (b={b:.2f})"
    if b <= 1.15:
        return f"linear (b={b:.2f})"
    return f"SUPERLINEAR (b={b:.2f})"


def run(ctx: Context) -> dict[str, Any]:
    sizes: list[dict[str, Any]] = []
    for n in ctx.scales:
        ctx.log(f"scale {n:,}: generating")
        folder = ctx.tmp(f"synth-{n}")
        info = synth.generate(folder / "corpus", n, seed=1)
        corpus = info.out_dir
        files = corpora.corpus_files(corpus)
        stats = corpora.scan(files)
        floor_s = corpora.floor_pass(files)[0]
        ctx.log(f"scale {n:,}: building ({info.bytes / 1e6:.0f} MB)")
        index_dir = folder / "ix"
        done, report = build_index(corpus, index_dir)
        ctx.log(f"scale {n:,}: queries and facets")
        q = measure_queries(corpus, index_dir, querymix.build_mix(stats), ctx.runs, folder)
        f = measure_facets(corpus, index_dir, broad_query(stats), ctx.runs)
        sizes.append(
            {
                "n": n,
                "corpus_mb": info.bytes / 1e6,
                "generate_s": info.seconds,
                "build_s": done.seconds,
                "floor_s": floor_s,
                "build_ratio": done.seconds / floor_s,
                "build_maxrss_mb": done.maxrss_mb,
                "documents": report.get("documents"),
                "index_mb": mb(dir_size(index_dir)),
                "query_p50_ms": q["product"]["p50_ms"],
                "query_p95_ms": q["product"]["p95_ms"],
                "fts5_p50_ms": q["peer_fts5"]["p50_ms"],
                "fts5_p95_ms": q["peer_fts5"]["p95_ms"],
                "facets_query": f["query"],
                "facets_total": f["total"],
                "facets_first_ms": f["first_ms"],
                "facets_warm_ms": f["warm_ms"],
                "facet_values": f["values"],
                "query_p50_by_kind": q["product_p50_by_kind"],
                "fts5_p50_by_kind": q["peer_p50_by_kind"],
                "slowest_queries": q["slowest_product"],
                "build_peak_tree_rss_mb": done.tree_rss_mb,
            }
        )
        shutil.rmtree(folder, ignore_errors=True)
    rows = []
    for s in sizes:
        k, label = s["n"] / 1000, f"scale: {s['n']:,} synthetic"
        rows += [
            [
                f"{label} ({s['corpus_mb']:.0f} MB)",
                f"build {s['build_s']:.0f} s = {s['build_s'] / k:.2f} s/1k docs "
                f"({s['build_ratio']:.0f}x floor); index {s['index_mb']:.0f} MB "
                f"= {s['index_mb'] / k:.2f} MB/1k docs; "
                f"build peak RSS {s['build_maxrss_mb']:.0f} MB",
                "",
                None,
            ],
            [
                f"{label}: query",
                f"p50/p95 {s['query_p50_ms']:.0f}/{s['query_p95_ms']:.0f} ms "
                f"(FTS5 {s['fts5_p50_ms']:.1f}/{s['fts5_p95_ms']:.1f} ms)",
                "",
                None,
            ],
            [
                f"{label}: facets",
                f"'{s['facets_query']}' ({s['facets_total']:,} hits): "
                f"{s['facets_first_ms']:.0f} ms first, {s['facets_warm_ms']:.0f} ms warm",
                "",
                None,
            ],
        ]
    growth: dict[str, str] = {}
    if len(sizes) >= 2:
        a, z = sizes[0], sizes[-1]
        for key in ("build_s", "index_mb", "build_maxrss_mb", "query_p50_ms", "query_p95_ms",
                    "facets_first_ms", "facets_warm_ms", "fts5_p95_ms"):  # fmt: skip
            growth[key] = shape(exponent(a["n"], a[key], z["n"], z[key]))
        rows += [
            [f"scale: growth {a['n']:,} -> {z['n']:,}: {key}", verdict, "", None]
            for key, verdict in growth.items()
        ]
    return {"metrics": {"sizes": sizes, "growth": growth}, "rows": rows}
