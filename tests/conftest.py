"""Shared fixtures for the issue-2 tests: real files in temporary folders, a real Whoosh
index, and the real command line run as a subprocess.

Nothing here knows an answer: tests write their own files and derive what to expect from
them, so a fixture can never make a wrong result pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from search.index.facade import CorpusIndex

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_corpus"
CLI_TIMEOUT = 60


# The engines the contract tests run on: each test module's index fixture takes
# ``engine_name`` and builds its index with ``open_index``.  An engine adds itself here.
ENGINES = ["whoosh", "postgres"]
# The session's PostgreSQL cluster, once an engine_name fixture asked for it.
_PG: dict[str, Any] = {}


def open_index(engine: str, corpus: Path, where: Path) -> CorpusIndex:
    """A CorpusIndex over ``corpus`` on ``engine``, keeping what it writes under ``where``
    (for PostgreSQL: a database of its own in the session's cluster)."""
    if engine == "whoosh":
        return CorpusIndex(corpus, where)
    if engine == "postgres":
        from search.engine.postgres import PostgresEngine

        database = "e_" + hashlib.sha1(str(where).encode()).hexdigest()[:16]
        url = _PG["cluster"].create_database(database)
        return CorpusIndex(corpus, where, engine=PostgresEngine(url, corpus.name))
    raise ValueError(f"no such engine: {engine}")


def cli_where(index: CorpusIndex) -> list[str]:
    """The command-line options that point a verb at ``index``'s corpus and engine."""
    where = ["--corpus", str(index.corpus), "--index-dir", str(index.index_dir)]
    conninfo = getattr(index.engine, "conninfo", None)
    if conninfo:
        where += ["--db", conninfo, "--name", index.engine.name]
    return where


@pytest.fixture(scope="module", params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        _PG["cluster"] = request.getfixturevalue("pg_cluster")  # skips without PostgreSQL
    return request.param  # type: ignore[no-any-return]


def write_corpus(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``; str is UTF-8."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


def cli_env(home: Path) -> dict[str, str]:
    """The environment of a CLI run: no user cache, no terminal, this checkout first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "COLUMNS"))}
    env["XDG_CACHE_HOME"] = str(home / "xdg-cache")
    env["HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("PYTHONWARNINGS", None)
    return env


def run(
    home: Path, *args: Any, input: str | None = None, timeout: float = CLI_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "search", *map(str, args)],
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=cli_env(home),
        cwd=home,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


def json_out(proc: subprocess.CompletedProcess[str]) -> Any:
    """The one JSON object a --json run printed; fails with the run's stderr otherwise."""
    assert proc.stdout.strip(), f"no stdout (exit {proc.returncode}): {proc.stderr}"
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, f"expected one JSON line, got {len(lines)}"
    return json.loads(lines[0])


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """``make_corpus(files)`` writes a fresh corpus folder in tmp_path and returns it."""
    count = [0]

    def make(files: dict[str, str | bytes]) -> Path:
        count[0] += 1
        return write_corpus(tmp_path / f"corpus{count[0]}", files)

    return make


@pytest.fixture
def sample_corpus(tmp_path: Path) -> Path:
    """A private copy of the bundled sample corpus."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "sample_corpus"))


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def built_index(sample_corpus: Path, index_dir: Path) -> CorpusIndex:
    """A CorpusIndex over the sample corpus copy, built, with its index in tmp_path."""
    index = CorpusIndex(sample_corpus, index_dir)
    index.update(procs=0)
    yield index
    index.close()


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_cli(*args, input=None)``: ``python -m search ARGS`` with a timeout.

    Callers always pass ``--index-dir`` inside tmp_path; the user cache is redirected into
    tmp_path as well, so a forgotten option can never touch the real one.
    """
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)

    def call(*args: Any, input: str | None = None, timeout: float = CLI_TIMEOUT):
        return run(home, *args, input=input, timeout=timeout)

    return call


@pytest.fixture(scope="session", autouse=True)
def _no_user_state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Search history and saved searches never go to the user's state dir, not even from
    an app a module-scoped fixture runs (those are set up before function fixtures)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("xdg-state-session")))
        yield


@pytest.fixture(autouse=True)
def _private_state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Each test starts with no history and no saved searches."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("xdg-state")))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """One private PostgreSQL cluster for the session (tests/pg_cluster.py), removed after.

    Without PostgreSQL binaries (or psycopg) the tests that use it skip with the reason;
    with CORPUS_BROWSER_REQUIRE_PG=1 (CI) that skip is a failure instead.
    """
    import pg_cluster as pgc

    try:
        import psycopg  # noqa: F401

        with pgc.start_cluster() as cluster:
            yield cluster
        return
    except (pgc.ClusterUnavailable, ImportError) as exc:
        reason = f"PostgreSQL tests need a cluster: {exc}"
    if pgc.require_pg():
        pytest.fail(f"{reason} (and {pgc.REQUIRE_ENV}=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def pg_url(pg_cluster: Any, request: pytest.FixtureRequest) -> str:
    """The URL of a fresh, empty database in the session cluster, for this test alone."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return pg_cluster.create_database(name)
