"""Figure 6: the reader on a 5 MB document with ~5,000 matches: first paint and cost of ``n``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.app_common import not_available, run_driver, tui_problem
from bench.context import Context, build_index
from bench.synth import Generator
from bench.util import median

WORD = "lighthouse"
TARGET_PAINT_S = 0.3
TARGET_N_MS = 20.0


def big_document(path: Path, size: int = 5_000_000, matches: int = 5_000, seed: int = 7) -> int:
    """Write synthetic article bodies with WORD once every size/matches bytes; return the count."""
    gen = Generator(seed)
    every = int(size / matches * 0.95)  # the inserted sentences add length too
    parts: list[str] = [" date 2024-05-01 The lighthouse dossier\n"]
    length = len(parts[0])
    since = count = i = 0
    while length < size:
        _name, text = gen.article(i)
        i += 1
        for para in text.split("\n")[1:]:
            since += len(para) + 1
            while since >= every and count < matches:
                para = f"{para} The {WORD} keeper said so."
                since -= every
                count += 1
            parts.append(para + "\n")
            length += len(para) + 1
    path.write_text("".join(parts), encoding="utf-8")
    return count


def run(ctx: Context) -> dict[str, Any]:
    problem = tui_problem()
    if problem:
        return not_available("reader", problem)
    corpus = ctx.tmp("reader-corpus")
    written = big_document(corpus / "big.txt")
    (corpus / "small.txt").write_text(
        f" date 2024-05-02 A short note\nThe {WORD} was repainted.\n", encoding="utf-8"
    )
    index_dir = ctx.tmp("reader-index") / "ix"
    build_index(corpus, index_dir)
    runs = max(ctx.runs, 3)
    outs = [
        run_driver(
            "reader",
            corpus,
            index_dir,
            "--query",
            WORD,
            "--big",
            "big.txt",
            "--small",
            "small.txt",
            "--runs",
            str(runs),
        )  # fmt: skip
        for _ in range(1 if ctx.quick else 2)
    ]
    m = {
        "doc_mb": (corpus / "big.txt").stat().st_size / 1e6,
        "matches_written": written,
        "matches_shown": outs[-1]["matches"],
        "first_paint_s": median([o["first_paint_s"] for o in outs]),
        "first_paint_cold_s": outs[0]["first_paint_first_s"],
        "open_idle_s": median([o["open_idle_s"] for o in outs]),
        "n_ms": median([o["n_ms"] for o in outs]),
        "noop_press_ms": median([o["noop_press_ms"] for o in outs]),
        "n_cpu_ms": median([o["n_cpu_ms"] for o in outs]),
        "noop_cpu_ms": median([o["noop_cpu_ms"] for o in outs]),
        "n_max_ms": max(o["n_max_ms"] for o in outs),
        "n_moved": outs[-1]["n_moved"],
        "n_presses": outs[-1]["n_presses"],
        "peak_rss_mb": max(o["peak_rss_mb"] for o in outs),
    }
    n_wall = m["n_ms"] - m["noop_press_ms"]
    n_cpu = m["n_cpu_ms"] - m["noop_cpu_ms"]
    rows = [
        [
            f"reader: open {m['doc_mb']:.1f} MB, {m['matches_shown']:,} matches",
            f"first paint {m['first_paint_s'] * 1000:.0f} ms (first open "
            f"{m['first_paint_cold_s'] * 1000:.0f} ms; "
            f"idle after {m['open_idle_s'] * 1000:.0f} ms)",
            f"<= {TARGET_PAINT_S * 1000:.0f} ms",
            max(m["first_paint_s"], m["first_paint_cold_s"]) <= TARGET_PAINT_S,
        ],
        [
            "reader: one 'n' keypress (app's share)",
            f"{n_wall:.1f} ms wall = {m['n_ms']:.1f} ms median press - {m['noop_press_ms']:.1f} "
            f"ms for a key bound to nothing; {n_cpu:.1f} ms CPU = {m['n_cpu_ms']:.1f} - "
            f"{m['noop_cpu_ms']:.1f}; {m['n_max_ms']:.1f} ms max press "
            f"(moved {m['n_moved']} of {m['n_presses']})",
            f"<= {TARGET_N_MS:.0f} ms",
            max(n_wall, n_cpu) <= TARGET_N_MS,
        ],
    ]
    return {"metrics": m, "rows": rows}
