"""The app over PostgreSQL with no local files (an analyst on another machine): results,
the reader's text and marks from the database, and a lost connection shown in one line,
the next search reconnecting."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
pytest.importorskip("psycopg")

from test_tui_support import search  # noqa: E402

from search import CorpusIndex  # noqa: E402
from search.engine.postgres import PostgresEngine  # noqa: E402
from search.engine.postgres.connect import connect  # noqa: E402
from tui.app import CorpusBrowserApp  # noqa: E402


def _kill_searchers(url: str) -> int:
    conn = connect(url, "test")
    try:
        return len(
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name LIKE 'corpus-browser search%'"
            ).fetchall()
        )
    finally:
        conn.close()


async def test_the_app_reads_from_the_database_alone(sample_corpus, tmp_path, pg_url) -> None:
    CorpusIndex(sample_corpus, tmp_path / "w", engine=PostgresEngine(pg_url, "sample")).update(
        procs=0
    )
    shutil.rmtree(sample_corpus)
    index = CorpusIndex(Path("sample"), tmp_path / "ix", engine=PostgresEngine(pg_url, "sample"))
    expected = index.search('"border gate"', limit=None)
    assert expected.total
    app = CorpusBrowserApp(index=index, background_index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, '"border gate"')
        assert {h.path for h in app.results_list.hits} == {h.path for h in expected.hits}
        first = app.results_list.hits[0]
        reader = app.reader
        assert reader.document is not None and reader.document.path == first.path
        view = index.document(first.path, '"border gate"')
        assert reader.matches == sorted(view.matches) and view.matches
        text = reader.document.text
        assert all(text[s:e].lower().startswith("border gate") for s, e in view.matches)

        # The server dropped the app's connection between two searches: the next search
        # reconnects (one killed during a search is one line: tests/test_pg_engine.py).
        assert _kill_searchers(pg_url) >= 1
        await search(pilot, "trade")
        expected = index.search("trade", limit=None)
        assert "stale" not in app.results_list.classes
        assert {h.path for h in app.results_list.hits} == {h.path for h in expected.hits}
        assert app.is_running
