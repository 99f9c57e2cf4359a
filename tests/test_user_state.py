"""Search history and saved searches on disk, per corpus, and the CLI's ``saved`` verb and
``search --saved``: bounded, without duplicates, written atomically, and a damaged file
ignored without a crash."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE, json_out, run

from search.index.facade import CorpusIndex
from search.index.generations import default_index_dir
from search.user_state import QueryHistory, SavedSearch, SavedSearches, state_dir


def test_history_keeps_each_query_once_newest_last_and_bounded(tmp_path: Path) -> None:
    path = tmp_path / "h" / "history.json"
    history = QueryHistory(path, size=3)
    for query in ("a", " b ", "", "a", "c", "d"):
        history.add(query)
    assert history.entries == ["a", "c", "d"]  # "a" again moved to the end, "b" fell off
    assert QueryHistory(path, size=3).entries == ["a", "c", "d"]
    assert json.loads(path.read_text()) == {"queries": ["a", "c", "d"]}
    assert [p.name for p in path.parent.iterdir()] == ["history.json"]  # no temp files left


def test_two_apps_on_one_corpus_add_to_one_history(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    first, second = QueryHistory(path), QueryHistory(path)
    first.add("one")
    second.add("two")
    first.add("three")
    assert QueryHistory(path).entries == ["one", "two", "three"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00garbage", b'["a list"]', b'{"queries": "a string"}', b""],
)
def test_a_damaged_history_file_is_ignored_with_a_reason(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "history.json"
    path.write_bytes(content)
    history = QueryHistory(path)
    assert history.entries == [] and str(path) in history.problem
    history.add("next")
    assert QueryHistory(path).entries == ["next"]


def test_an_unwritable_history_raises_and_keeps_the_entries(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    history = QueryHistory(blocker / "history.json")
    with pytest.raises(OSError):
        history.add("kept")
    assert history.entries == ["kept"]


def test_saved_searches_save_replace_delete_and_skip_damaged_entries(tmp_path: Path) -> None:
    path = tmp_path / "saved.json"
    saved = SavedSearches(path)
    saved.save(SavedSearch("gx", "guangxi", "date", [("official", "liu ning", "Liu Ning")]))
    saved.save(SavedSearch("  two   words ", "border"))
    saved.save(SavedSearch("gx", "guangxi OR yunnan"))  # same name: replaced in its place
    again = SavedSearches(path)
    assert again.names() == ["gx", "two words"]
    assert again.get("gx") == SavedSearch("gx", "guangxi OR yunnan", "relevance", [])
    with pytest.raises(ValueError):
        saved.save(SavedSearch("   ", "x"))
    assert saved.delete("gx") and not saved.delete("gx")
    assert SavedSearches(path).names() == ["two words"]
    data = json.loads(path.read_text())
    data["searches"] += [{"name": 3}, "junk", {"name": "ok", "query": "q", "sort": "weird"}]
    path.write_text(json.dumps(data))
    assert [(s.name, s.sort) for s in SavedSearches(path).searches] == [
        ("two words", "relevance"),
        ("ok", "relevance"),
    ]


def test_state_lives_in_the_state_dir_not_in_the_index(tmp_path: Path) -> None:
    where = state_dir(SAMPLE)
    assert where.parent == Path(os.environ["XDG_STATE_HOME"]) / "corpus-browser"
    assert where.name == CorpusIndex(SAMPLE).index_dir.name  # the same name as its index


def test_cli_lists_runs_and_deletes_saved_searches(tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    index = CorpusIndex(corpus, tmp_path / "index")
    index.update(procs=0)
    facet = index.search("guangxi", facets=True).facets["official"][0]
    # The CLI's home is tmp_path (see conftest.cli_env): its state dir is there.
    home_state = tmp_path / ".local" / "state" / "corpus-browser" / default_index_dir(corpus).name
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / ".local" / "state"))
    saved = SavedSearches.for_corpus(corpus)
    assert saved.path.parent == home_state
    saved.save(SavedSearch("gx", "guangxi", "date", [("official", facet.key, facet.name)]))
    common = ("--corpus", corpus, "--index-dir", tmp_path / "index")

    listing = json_out(run(tmp_path, "saved", "--json", "--corpus", corpus))
    assert listing["searches"] == [saved.get("gx").to_json()]
    got = json_out(run(tmp_path, "search", "--saved", "gx", "--json", "--limit", "0", *common))
    want = index.search("guangxi", limit=None, sort="date", filters={"official": [facet.key]})
    assert [h["path"] for h in got["hits"]] == [h.path for h in want.hits]
    assert 0 < want.total < index.search("guangxi", limit=None).total

    missing = run(tmp_path, "search", "--saved", "nope", *common)
    assert missing.returncode == 2 and "no saved search 'nope'" in missing.stderr
    assert "saved: gx" in missing.stderr
    deleted = run(tmp_path, "saved", "--delete", "gx", "--json", "--corpus", corpus)
    assert json_out(deleted)["searches"] == []
    assert SavedSearches.for_corpus(corpus).names() == []
