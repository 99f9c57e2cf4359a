"""Generated hostile queries against a real index, in a process of their own.

Run by ``test_query_limits.py`` as ``python tests/query_load.py CORPUS INDEX_DIR EXAMPLES
SEED`` (INDEX_DIR may be a ``postgresql://`` URL: the corpus indexed there under the name
``load``, so the same queries go to the PostgreSQL engine): hypothesis generates EXAMPLES
queries (the language's pieces, words of the corpus, long repeats of wildcards and
brackets, arbitrary text), each is searched as the CLI
searches (ten hits, with snippets and match offsets) and as the app does (2,000 hits,
facets). Prints one JSON line: the slowest query and its seconds, how many were refused,
and this process's peak RSS, which the test compares with the issue's bounds.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from search.errors import QueryError  # noqa: E402
from search.index.facade import CorpusIndex  # noqa: E402

WORDS = "oil trade bank wheat price tonnes said the of a e i o s c 1 co re ma".split()
PIECES = [
    *WORDS,
    *'* ? ** ?* *?* ~ ~1 ~2 ~3 ~9 ~99999999999 ( ) < > <= >= " - + ^2 : [ ] { } \\ /'.split(),
    *"AND OR NOT ANDNOT ANDMAYBE to TO".split(),
    *"title: body: path: date: official: province: foo:".split(),
    "date:1987",
    "date:[1987-03-01 to 1987-03-31]",
    "date:>1987-03-01",
    "path:reut-0001*",
    "\x0c",
    "\u2028",
    "\x1b[31m",
    "\x00",
    " ",
]
_PIECE = st.sampled_from(PIECES)
# A piece repeated up to 60,000 times: "*a" x 50,000, "?" x 100,000, 5,000 brackets.
_REPEAT = st.builds(
    lambda parts, n: "".join(parts) * n,
    st.lists(_PIECE, min_size=1, max_size=3),
    st.one_of(st.integers(1, 30), st.integers(1, 60_000)),
)
QUERIES = st.one_of(
    st.lists(_PIECE, max_size=20).map("".join),
    st.lists(_PIECE, max_size=30).map(" ".join),
    _REPEAT,
    st.builds(lambda a, b: a + b, _REPEAT, st.lists(_PIECE, max_size=5).map(" ".join)),
    st.text(max_size=80),
)


def main(corpus: str, index_dir: str, examples: int, seed_value: int) -> int:
    if index_dir.startswith("postgresql://"):
        from search.engine.postgres import PostgresEngine

        engine = PostgresEngine(index_dir, "load")
        index = CorpusIndex(Path(corpus), None, engine=engine)
    else:
        index = CorpusIndex(Path(corpus), Path(index_dir))
    worst = {"seconds": 0.0, "query": ""}
    counts = {"answered": 0, "refused": 0}

    def search(text: str, **kwargs: object) -> None:
        started = time.perf_counter()
        try:
            index.search(text, **kwargs)  # type: ignore[arg-type]
            counts["answered"] += 1
        except QueryError as exc:
            message = str(exc)
            assert message and "\n" not in message, repr(message)
            counts["refused"] += 1
        took = time.perf_counter() - started
        if took > worst["seconds"]:
            worst.update(seconds=took, query=text[:200], kind=str(kwargs))

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(QUERIES, st.booleans())
    def check(text: str, app: bool) -> None:
        if app:
            search(text, limit=2000, facets=True, snippets=False)
        else:
            search(text, limit=10)

    check()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({**counts, "worst": worst, "peak_rss_mb": round(peak_mb, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
