"""Figure 7: peak RSS of the app process with the full Reuters index open (and after a search)."""

from __future__ import annotations

from typing import Any

from bench.app_common import not_available, run_driver, tui_problem
from bench.context import Context
from bench.facets import broad_query
from bench.util import median

TARGET_MB = 150.0


def run(ctx: Context) -> dict[str, Any]:
    problem = tui_problem()
    if problem:
        return not_available("rss", problem)
    corpus, index_dir = ctx.reuters(), ctx.reuters_index()
    query = broad_query(ctx.reuters_stats())
    outs = [run_driver("start", corpus, index_dir, "--query", query) for _ in range(ctx.runs)]
    m = {
        "query": query,
        "rss_open_mb": median([o["rss_open_mb"] for o in outs]),
        "rss_after_search_mb": median([o["rss_search_mb"] for o in outs]),
        "total": outs[-1].get("total"),
    }
    worst = max(m["rss_open_mb"], m["rss_after_search_mb"])
    rows = [
        [
            "rss: app, full Reuters index open",
            f"{m['rss_open_mb']:.0f} MB open; {m['rss_after_search_mb']:.0f} MB after "
            f"'{query}' ({m['total']:,} hits, facets)",
            f"<= {TARGET_MB:.0f} MB",
            worst <= TARGET_MB,
        ]
    ]
    return {"metrics": m, "rows": rows}
