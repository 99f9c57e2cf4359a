"""What applying a changed curation file costs, and proof that it reads no article.

    python -m bench.curation_reapply CORPUS INDEX_DIR [--runs 5]

On an existing index: times the app's browse search (every file by date, with the side
panel) warm, then the same search right after each change of the curation file (a merge,
a rename, an alias, a hide and an added official, built from the index's own top
officials), and checks that the index's files and checksums did not change.  The file is
written beside the index (INDEX_DIR/corpus-browser.toml) and removed afterwards; a corpus
that has its own curation file is refused, so the corpus folder is never written.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from search.curation import CURATION_FILE
from search.index.facade import CorpusIndex
from search.index.generations import CHECKSUMS


def _times(work: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _say(label: str, ms: list[float]) -> None:
    print(f"{label}: median {statistics.median(ms):.0f} ms (min {min(ms):.0f}, max {max(ms):.0f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if (args.corpus / CURATION_FILE).exists():
        sys.exit(f"{args.corpus / CURATION_FILE} exists: this measurement would not be alone")
    path = args.index_dir / CURATION_FILE
    if path.exists():
        sys.exit(f"{path} exists: move it away first")
    index = CorpusIndex(args.corpus, args.index_dir)
    browse = lambda: index.search("*", limit=500, sort="date", facets=True, snippets=False)  # noqa: E731
    top = [f.name for f in browse().facets["official"][:5]]
    a, b, c, d, e = top
    curation = (
        f'[official."{e}"]\nmerge_into = "{a}"\n\n[official."{b}"]\nname = "{b} (renamed)"\n\n'
        f'[official."{c}"]\naliases = ["{c.split()[-1]}"]\n\n[official."{d}"]\nhide = true\n\n'
        '[official."Curation Probe"]\nadd = true\ntitle = "Probe"\naliases = ["minister"]\n'
    )
    gen = index.store.current()
    assert gen is not None
    files = lambda: ((gen / CHECKSUMS).read_bytes(), sorted(  # noqa: E731
        (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in gen.iterdir()
    ))  # fmt: skip
    before = files()
    browse()  # the first search of a process opens the segments: not what is measured
    _say("browse with the side panel, no curation file, warm", _times(browse, args.runs))
    edits = iter(range(1, 1 + args.runs))

    def change_then_browse() -> None:
        path.write_text(curation + f"# edit {next(edits)}\n", encoding="utf-8")
        browse()

    try:
        _say(
            "the same right after the file changed (re-apply)",
            _times(change_then_browse, args.runs),
        )
        print("problems:", index.curation_problems or "none")
        _say("the same, file unchanged, warm", _times(browse, args.runs))
    finally:
        path.unlink(missing_ok=True)
    print("index files and checksums unchanged:", files() == before)
    report = index.update()
    print(f"index afterwards: {report.unchanged} unchanged, {report.added} added, "
          f"{report.updated} updated, {report.removed} removed")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
