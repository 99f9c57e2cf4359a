"""Speed of ``search.extract.extract()`` per article, and a result snapshot to prove changes
to the extractor keep its output identical.

Sets (every text read the way the indexer reads it: decode + NFC, header split off):
  reuters  the first 3,000 Reuters-21578 articles (~830 characters each)
  samples  the 5 files of ``sample_corpus/`` (~4.4 KB, VNA/Xinhua style), repeated
  articles the hand-written ``tests/articles/*.txt``, repeated
  1mb      one 1 MB line made of the sample texts (tests linearity)
Each set is timed 3 times; the median is printed as ms/article, beside ``floor``: the cost of
NFC + ``re.findall(r"\\w+")`` on the same texts, which the index build is budgeted against.

  PYTHONPATH=. .venv/bin/python bench/extract_speed.py
  PYTHONPATH=. .venv/bin/python bench/extract_speed.py --baseline HEAD~3   # interleaved A/B
  PYTHONPATH=. .venv/bin/python bench/extract_speed.py --snapshot /tmp/extract_golden.json
  PYTHONPATH=. .venv/bin/python bench/extract_speed.py --verify /tmp/extract_golden.json

``--baseline REV`` loads ``search/extract`` of that git revision as a second package and times
both in alternation, so both see the same machine load (other work shares the 2 cores).
Snapshots also cover the first 500 articles of the Vietnamese Dantri corpus. Corpora are
unpacked to a temporary folder (``/tmp/reuters/reuters21578`` is reused when present), never
into the repository.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from search.corpus.header import split_header  # noqa: E402
from search.corpus.read import load_text  # noqa: E402

CORPORA = Path("/work/shared/corpora")
REUTERS_CACHE = Path("/tmp/reuters/reuters21578")
RUNS = 3

Doc = tuple[str, str, str | None, datetime.date | None]  # name, text, header title, header date


def _read(folder: Path, names: list[str]) -> list[Doc]:
    docs: list[Doc] = []
    for name in names:
        full = load_text(folder, name)[0]
        header, text = split_header(full)
        docs.append((name, text, header.title if header else None, header.date if header else None))
    return docs


def _unpack(tarball: Path, dest: Path, prefix: str, pattern: str, limit: int) -> Path:
    """Unpack the first ``limit`` members (by name) matching ``pattern`` into ``dest``."""
    rx = re.compile(pattern)
    with tarfile.open(tarball) as tf:
        members = sorted(
            (m for m in tf.getmembers() if m.isfile() and rx.search(m.name)), key=lambda m: m.name
        )[:limit]
        for m in members:
            data = tf.extractfile(m).read()  # type: ignore[union-attr]
            out = dest / prefix / Path(m.name).name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
    return dest / prefix


def load_sets(tmp: Path, with_dantri: bool) -> dict[str, list[Doc]]:
    """All inputs, read once, outside any timing."""
    if REUTERS_CACHE.is_dir():
        reuters = REUTERS_CACHE
    else:
        reuters = _unpack(CORPORA / "reuters21578.tar.gz", tmp, "reuters", r"reut-\d+\.txt$", 3000)
    rnames = sorted(p.name for p in reuters.glob("reut-*.txt"))[:3000]
    sets: dict[str, list[Doc]] = {"reuters": _read(reuters, rnames)}
    samples = _read(
        ROOT / "sample_corpus", sorted(p.name for p in (ROOT / "sample_corpus").glob("*.txt"))
    )
    sets["samples"] = samples
    arts = ROOT / "tests" / "articles"
    sets["articles"] = _read(arts, sorted(p.name for p in arts.glob("*.txt")))
    line = " ".join(" ".join(t.split()) for _, t, _, _ in samples)
    big = (line + " ") * (1_000_000 // (len(line) + 1) + 1)
    sets["1mb"] = [("1mb-line", big[:1_000_000], None, None)]
    if with_dantri:
        sets["edge"] = _edge_inputs()
        dantri = _unpack(CORPORA / "vi_dantri_unc.tar.gz", tmp, "dantri", r"\.txt$", 500)
        sets["dantri"] = _read(dantri, sorted(p.name for p in dantri.glob("*.txt")))
    return sets


def _edge_inputs() -> list[Doc]:
    """Odd inputs for the snapshot only: repeated officials on one line, random code points."""
    rnd = random.Random(7)
    texts = {
        "officials-line": ("Prime Minister Pham Minh Chinh met Guangxi leaders in Hanoi. " * 4000),
        "chinh-short": ("Vice Chairman Liao Pinhuo said. Liao and Chinh met in Nanning. " * 3000),
        "garbage": "".join(chr(rnd.randrange(0, 0x3000)) for _ in range(50_000)),
        "caps": "A" * 100_000 + " Nguyen Van An" * 5000,
        "empty": "",
    }
    return [(name, text, None, None) for name, text in texts.items()]


REPEAT = {"reuters": 1, "samples": 40, "articles": 20, "1mb": 1}


def _time_set(fn: Callable, docs: list[Doc], repeat: int) -> float:
    """Seconds for one pass over ``docs`` repeated ``repeat`` times."""
    t0 = time.perf_counter()
    for _ in range(repeat):
        for _, text, title, day in docs:
            fn(text, header_title=title, header_date=day)
    return time.perf_counter() - t0


def _floor(text: str, header_title=None, header_date=None) -> None:
    re.findall(r"\w+", unicodedata.normalize("NFC", text))


def load_baseline(rev: str, tmp: Path):
    """``search/extract`` at git revision ``rev`` as the package ``extract_baseline``."""
    pkg = tmp / "baseline" / "extract_baseline"
    pkg.mkdir(parents=True)
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", rev, "search/extract/"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for f in files:
        if f.endswith(".py"):
            src = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{rev}:{f}"], check=True, capture_output=True
            ).stdout
            (pkg / Path(f).name).write_bytes(src)
    sys.path.insert(0, str(pkg.parent))
    return importlib.import_module("extract_baseline")


def bench(impls: dict[str, Callable], sets: dict[str, list[Doc]]) -> None:
    names = [s for s in ("reuters", "samples", "articles", "1mb") if s in sets]
    for fn in impls.values():  # build tables, warm caches
        for s in names:
            fn(*sets[s][0][1:2])
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(RUNS):
        for s in names:
            for label, fn in (*impls.items(), ("floor", _floor)):
                times.setdefault((label, s), []).append(_time_set(fn, sets[s], REPEAT[s]))
    cols = [*impls, "floor"]
    print(
        f"{'set':<9} {'docs':>6} {'avg chars':>9}  "
        + "  ".join(f"{c + ' ms/art':>16}" for c in cols)
    )
    totals = dict.fromkeys(cols, 0.0)
    for s in names:
        docs = sets[s]
        calls = len(docs) * REPEAT[s]
        avg = sum(len(d[1]) for d in docs) / len(docs)
        row = []
        for c in cols:
            med = statistics.median(times[(c, s)])
            totals[c] += med / REPEAT[s]
            row.append(f"{med / calls * 1000:>16.3f}")
        print(f"{s:<9} {calls:>6} {avg:>9.0f}  " + "  ".join(row))
    print(f"{'total s':<9} {'':>6} {'':>9}  " + "  ".join(f"{totals[c]:>16.3f}" for c in cols))


def _jsonable(o):
    if isinstance(o, datetime.date):
        return o.isoformat()
    raise TypeError(type(o))


def snapshot(fn: Callable, sets: dict[str, list[Doc]]) -> dict[str, str]:
    """``set/name`` -> the Extraction as canonical JSON."""
    out: dict[str, str] = {}
    for s, docs in sets.items():
        for name, text, title, day in docs:
            e = fn(text, header_title=title, header_date=day)
            out[f"{s}/{name}"] = json.dumps(
                dataclasses.asdict(e), default=_jsonable, sort_keys=True
            )
    return out


def diff(old: dict[str, str], new: dict[str, str]) -> int:
    """Print every differing document (field by field) and return how many differ."""
    bad = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        bad += 1
        if a is None or b is None:
            print(f"DIFF {key}: only in {'new' if a is None else 'old'}")
            continue
        ja, jb = json.loads(a), json.loads(b)
        for f in sorted(set(ja) | set(jb)):
            if ja.get(f) != jb.get(f):
                print(f"DIFF {key} {f}:\n  old {ja.get(f)}\n  new {jb.get(f)}")
    return bad


def _load(when: str) -> None:
    one, five, fifteen = os.getloadavg()
    print(f"load average at {when}: {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", metavar="REV", help="also time search/extract at git REV")
    ap.add_argument("--snapshot", metavar="PATH", help="write all results (incl. Dantri) to PATH")
    ap.add_argument("--verify", metavar="PATH", help="compare all results with a snapshot")
    ap.add_argument("--no-time", action="store_true", help="skip timing")
    args = ap.parse_args()

    from search.extract import extract

    with tempfile.TemporaryDirectory(prefix="extract_speed_") as tmpd:
        tmp = Path(tmpd)
        sets = load_sets(tmp, with_dantri=bool(args.snapshot or args.verify or args.baseline))
        impls: dict[str, Callable] = {}
        if args.baseline:
            impls["base"] = load_baseline(args.baseline, tmp).extract
        impls["current"] = extract
        _load("start")
        status = 0
        if args.snapshot:
            snap = snapshot(extract, sets)
            Path(args.snapshot).write_text(json.dumps(snap, sort_keys=True), encoding="utf-8")
            print(f"snapshot: {len(snap)} documents -> {args.snapshot}")
        if args.verify:
            old = json.loads(Path(args.verify).read_text(encoding="utf-8"))
            bad = diff(old, snapshot(extract, sets))
            print(f"verify: {bad} of {len(old)} documents differ from {args.verify}")
            status = 1 if bad else 0
        if args.baseline:
            bad = diff(snapshot(impls["base"], sets), snapshot(extract, sets))
            print(f"baseline {args.baseline}: {bad} documents differ")
        if not args.no_time:
            bench(impls, sets)
        _load("end")
    return status


if __name__ == "__main__":
    sys.exit(main())
