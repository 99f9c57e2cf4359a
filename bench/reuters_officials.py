"""Officials over all of Reuters-21578: issue 17's three Reuters measures from one extraction run.

  CORPUS_BROWSER_SHARED=/work/shared nice .venv/bin/python -m bench.reuters_officials
      [--misses TAG...] [--sample 50 --seed 1750 [--write tests/devsets/reuters_found50.json]]

Prints (1) the share of Reuters' ``people``-tagged persons whose surname is in the body found
as officials of that article, (2) the officials whose names hold a company word, and with
``--sample`` (3) a seeded random sample of the officials found, each with the text around its
first mention, to be checked by reading (the verdicts go into the written file by hand).
``--misses`` shows where chosen tags were missed. Every article is extracted once (about a
minute on one core); the articles are read straight out of the tarball.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "tests"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from devset_scorer import (  # noqa: E402
    CORPORA,
    _surname_pattern,
    corpus_members,
    extract_all,
    people_tag_recall,
    print_people_report,
    reuters_metadata,
)

from search.corpus.header import split_header  # noqa: E402
from search.extract import Extraction  # noqa: E402
from search.text import decode  # noqa: E402


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return " ".join(f"{left}[[{text[start:end]}]]{right}".split())


def sample_officials(
    members: dict[str, bytes], extractions: dict[str, Extraction], k: int, seed: int
) -> list[dict[str, str]]:
    """``k`` officials drawn at random (seeded) among all found, with their first mention."""
    pool = [(name, i) for name, e in sorted(extractions.items()) for i in range(len(e.officials))]
    out = []
    for name, i in sorted(random.Random(seed).sample(pool, min(k, len(pool)))):
        o = extractions[name].officials[i]
        text = split_header(decode(members[name]).text)[1]
        first = o.mentions[0]
        out.append(
            {
                "file": name,
                "name": o.name,
                "titles": "; ".join(o.titles),
                "context": _context(text, first.start, first.end),
            }
        )
    return out


def misses(
    members: dict[str, bytes], extractions: dict[str, Extraction], wanted: list[str]
) -> list[str]:
    """The first body mention of each chosen tag in the articles where it was not found."""
    out = []
    for row in reuters_metadata(members):
        name = row["file"]
        tags = [
            t for t in row.get("people", "").split(";") if t and (t in wanted or "all" in wanted)
        ]
        for tag in tags:
            text = split_header(decode(members[name]).text)[1]
            m = _surname_pattern(tag).search(text)
            if m is None or name not in extractions:
                continue
            sur = re.sub(r"[\s-]+", " ", m.group().lower())
            if any(sur in re.sub(r"[\s-]+", " ", o.key) for o in extractions[name].officials):
                continue
            out.append(f"{name} {tag}: {_context(text, m.start(), m.end())}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--misses", nargs="*", default=[], help="people tags to show misses of")
    ap.add_argument("--sample", type=int, default=0, help="how many officials to draw")
    ap.add_argument("--seed", type=int, default=1750)
    ap.add_argument("--write", type=Path, help="write the sample as JSON (verdicts to add)")
    args = ap.parse_args(argv)
    if not CORPORA.is_dir():
        print(f"no corpora at {CORPORA} (set CORPUS_BROWSER_SHARED to the shared folder)")
        return 2
    members = corpus_members("reuters21578")
    extractions = extract_all(members)
    print_people_report(people_tag_recall(members, extractions), extractions)
    for line in misses(members, extractions, args.misses):
        print("MISS " + line)
    if args.sample:
        picked = sample_officials(members, extractions, args.sample, args.seed)
        for x in picked:
            print(f"SAMPLE {x['file']}: {x['name']} ({x['titles']}) | {x['context']}")
        if args.write:
            args.write.write_text(
                json.dumps({"seed": args.seed, "officials": picked}, indent=1, ensure_ascii=False)
                + "\n",
                encoding="utf-8",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
