"""The PostgreSQL engine finds what the Whoosh engine finds, and marks the same offsets:
the bench's query mix and every part of the query language (tests/pg_parity.py), over the
sample corpus and the extractor's test articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("psycopg")

from pg_parity import compare, query_mix  # noqa: E402

from search.engine.postgres import PostgresEngine  # noqa: E402
from search.index.facade import CorpusIndex  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def test_same_hits_and_offsets_as_whoosh(tmp_path: Path, pg_url: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for source in [
        *(REPO / "sample_corpus").glob("*.txt"),
        *(REPO / "tests/articles").glob("*.txt"),
    ]:
        shutil.copy(source, corpus / source.name)
    index = CorpusIndex(corpus, tmp_path / "index")
    index.update(procs=0)
    engine = PostgresEngine(pg_url, "parity")
    engine.update(corpus, procs=0)
    queries = query_mix(corpus)
    assert len(queries) > 200
    outcome = compare(index, engine, queries)
    assert outcome.differences == []
    assert outcome.same_offsets == outcome.queries - outcome.refused_alike
