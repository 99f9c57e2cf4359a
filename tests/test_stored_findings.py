"""The reader's view of an indexed file comes from the findings stored in the index, and
is the same view the extractor gives; a file edited since indexing gets fresh findings."""

from __future__ import annotations

from pathlib import Path

from conftest import write_corpus

from search.corpus.read import read_document
from search.index.facade import CorpusIndex, DocumentView


def test_stored_findings_give_the_extractors_view(built_index: CorpusIndex) -> None:
    paths = [hit.path for hit in built_index.search("*", limit=None).hits]
    assert len(paths) == 5
    for path in paths:
        from_index = built_index.document(path).to_json()
        fresh = DocumentView(read_document(built_index.corpus, path), []).to_json()
        assert from_index == fresh, path
        assert from_index["officials"] or from_index["provinces"], path


def test_a_file_edited_after_indexing_shows_its_new_findings(tmp_path: Path) -> None:
    root = write_corpus(
        tmp_path / "corpus",
        {"a.txt": " date 2024-03-01 Visit\nLeaders of Guangxi met in Nanning on Friday.\n"},
    )
    index = CorpusIndex(root, tmp_path / "ix")
    try:
        index.update()
        assert [p["name"] for p in index.document("a.txt").to_json()["provinces"]] == [
            "Guangxi Zhuang Autonomous Region"
        ]
        (root / "a.txt").write_text(
            " date 2024-03-02 Visit\nOfficials of Lang Son province met on Friday.\n",
            encoding="utf-8",
        )
        view = index.document("a.txt", "officials").to_json()
        assert [p["name"] for p in view["provinces"]] == ["Lang Son"]
        assert view["date"] == "2024-03-02"
        start, end = view["matches"][0]
        assert view["text"][start:end] == "Officials"
    finally:
        index.close()
