"""Figure 5: app start to interactive (``App.run_test``): full Reuters index vs 5-file sample."""

from __future__ import annotations

from typing import Any

from bench.app_common import not_available, run_driver, tui_problem
from bench.context import REPO, Context, build_index
from bench.util import median

TARGET_S = 1.0
TARGET_GAP_S = 0.3


def run(ctx: Context) -> dict[str, Any]:
    problem = tui_problem()
    if problem:
        return not_available("app_start", problem)
    sample = REPO / "sample_corpus"
    sample_index = ctx.tmp("sample-index") / "ix"
    build_index(sample, sample_index)
    cases = {"reuters": (ctx.reuters(), ctx.reuters_index()), "sample": (sample, sample_index)}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in cases}
    for i in range(max(ctx.runs, 3)):
        for name, (corpus, index_dir) in cases.items():
            ctx.log(f"app start {name} run {i + 1}")
            runs[name].append(run_driver("start", corpus, index_dir, "--query", "oil"))
    m: dict[str, Any] = {}
    for name, outs in runs.items():
        for key in ("interactive_s", "mounted_s", "import_s", "process_s", "first_search_s"):
            m[f"{name}_{key}"] = median([o[key] for o in outs])
    gap = m["reuters_interactive_s"] - m["sample_interactive_s"]
    m["gap_s"] = gap
    ok = m["reuters_interactive_s"] <= TARGET_S and abs(gap) <= TARGET_GAP_S
    rows = [
        [
            "app_start: interactive, full Reuters",
            f"{m['reuters_interactive_s']:.2f} s idle "
            f"(screen mounted {m['reuters_mounted_s']:.2f} s; "
            f"imports {m['reuters_import_s']:.2f} s)",
            f"<= {TARGET_S:.0f} s",
            m["reuters_interactive_s"] <= TARGET_S,
        ],
        [
            "app_start: interactive, 5-file sample",
            f"{m['sample_interactive_s']:.2f} s idle "
            f"(screen mounted {m['sample_mounted_s']:.2f} s; "
            f"imports {m['sample_import_s']:.2f} s)",
            "",
            None,
        ],
        ["app_start: difference", f"{gap:+.2f} s", f"<= {TARGET_GAP_S} s", ok],
        [
            "app_start: first search 'oil' shown",
            f"Reuters {m['reuters_first_search_s'] * 1000:.0f} ms, "
            f"sample {m['sample_first_search_s'] * 1000:.0f} ms",
            "",
            None,
        ],
    ]
    return {"metrics": m, "rows": rows}
