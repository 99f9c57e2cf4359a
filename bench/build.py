"""Figure 1: full build of the Reuters index through the CLI, beside the plain-Python floor."""

from __future__ import annotations

from typing import Any

from bench.context import Context, build_index
from bench.corpora import floor_pass
from bench.util import dir_size, fmt_num, mb, median

TARGET_RATIO = 15.0


def run(ctx: Context) -> dict[str, Any]:
    corpus = ctx.reuters()
    files = ctx.reuters_files()
    n_bytes = sum(p.stat().st_size for p in files)
    floor_pass(files)  # warm the page cache so neither side pays for the disk
    builds: list[dict[str, float]] = []
    floors: list[float] = []
    last_index = None
    for i in range(ctx.runs):
        ctx.log(f"build run {i + 1}/{ctx.runs}")
        floors.append(floor_pass(files)[0])
        index_dir = ctx.tmp("build") / "ix"
        done, report = build_index(corpus, index_dir)
        builds.append(
            {
                "seconds": done.seconds,
                "reported_seconds": float(report.get("seconds", "nan")),
                "documents": report.get("documents", 0),
                "maxrss_mb": done.maxrss_mb,
                "tree_rss_mb": done.tree_rss_mb,
                "index_mb": mb(dir_size(index_dir)),
            }
        )
        last_index = index_dir
    if last_index is not None:
        ctx.adopt_reuters_index(last_index)
    seconds = median([b["seconds"] for b in builds])
    floor = median(floors)
    docs = int(median([b["documents"] for b in builds]))
    metrics = {
        "files": len(files),
        "documents": docs,
        "corpus_mb": mb(n_bytes),
        "seconds": seconds,
        "reported_seconds": median([b["reported_seconds"] for b in builds]),
        "docs_per_s": docs / seconds,
        "mb_per_s": mb(n_bytes) / seconds,
        "peak_rss_mb": median([b["maxrss_mb"] for b in builds]),
        "peak_tree_rss_mb": median([b["tree_rss_mb"] for b in builds]),
        "index_mb": median([b["index_mb"] for b in builds]),
        "floor_seconds": floor,
        "ratio_to_floor": seconds / floor,
        "runs": ctx.runs,
        "all_seconds": [round(b["seconds"], 3) for b in builds],
        "all_floor_seconds": [round(f, 3) for f in floors],
    }
    ratio = metrics["ratio_to_floor"]
    rows = [
        [
            "build: Reuters full build",
            f"{seconds:.1f} s ({docs:,} docs, {mb(n_bytes):.1f} MB)",
            "",
            None,
        ],
        [
            "build: throughput",
            f"{metrics['docs_per_s']:,.0f} docs/s, {metrics['mb_per_s']:.2f} MB/s",
            "",
            None,
        ],
        [
            "build: peak RSS",
            f"{metrics['peak_rss_mb']:.0f} MB largest process, "
            f"{metrics['peak_tree_rss_mb']:.0f} MB all processes",
            "",
            None,
        ],
        ["build: index size", f"{metrics['index_mb']:.1f} MB", "", None],
        ["build: floor (read+NFC+tokenize)", f"{floor:.2f} s", "", None],
        [
            "build: ratio build / floor",
            f"{fmt_num(ratio)}x",
            f"<= {TARGET_RATIO:.0f}x",
            ratio <= TARGET_RATIO,
        ],
    ]
    return {"metrics": metrics, "rows": rows}
