"""Reading a field's words from the term tables must give exactly Whoosh's lexicon.

Checked on every field of an index with several segments (one per update) and deletions,
with words long enough to span the reader's chunks, and through fuzzy queries, whose
expansion reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_corpus
from whoosh import index as whoosh_index

from search.engine.whoosh import lexicon
from search.engine.whoosh.indexer import update_index
from search.engine.whoosh.lexicon import field_words
from search.index.facade import CorpusIndex
from search.index.generations import IndexStore

SAMPLES = Path(__file__).parent.parent / "sample_corpus"


@pytest.fixture
def several_segments(tmp_path: Path) -> tuple[Path, Path]:
    files: dict[str, str | bytes] = {p.name: p.read_bytes() for p in sorted(SAMPLES.glob("*.txt"))}
    root = write_corpus(tmp_path / "corpus", files)
    store = IndexStore(tmp_path / "ix")
    update_index(root, store, rebuild=True, procs=0)
    for i in range(3):  # each update adds a segment
        (root / f"extra{i}.txt").write_text(
            f"The tonnage of walrus{i} cargo; {'long' * 40}{i} and Đồng Nai, 广西.\n",
            encoding="utf-8",
        )
        update_index(root, store, procs=0)
    (root / "extra0.txt").unlink()  # a deletion: the lexicon still lists its words
    update_index(root, store, procs=0)
    return root, tmp_path / "ix"


def live_index(ix_dir: Path) -> whoosh_index.Index:
    current = (ix_dir / "CURRENT").read_text(encoding="utf-8").strip()
    return whoosh_index.open_dir(str(ix_dir / current))


@pytest.mark.parametrize("chunk", [None, 7], ids=["whole", "tiny-chunks"])
def test_every_field_matches_whooshs_lexicon(
    several_segments: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, chunk: int | None
) -> None:
    if chunk is not None:
        monkeypatch.setattr(lexicon, "_CHUNK", chunk)
    _root, ix_dir = several_segments
    with live_index(ix_dir).reader() as reader:
        assert len(reader.leaf_readers()) > 1
        for fieldname in reader.schema.names():
            if fieldname == "date" or not reader.schema[fieldname].indexed:
                continue  # numeric terms are not text; stored-only fields have none
            expected = sorted({t.decode("utf-8") for t in reader.lexicon(fieldname)})
            assert field_words(reader, fieldname) == expected, fieldname
            for leaf, _ in reader.leaf_readers():
                theirs = [t.decode("utf-8") for t in leaf.lexicon(fieldname)]
                assert lexicon._read_run(leaf._terms, fieldname) == theirs, fieldname
                assert field_words(leaf, fieldname) == theirs, fieldname
        assert "walrus1" in field_words(reader, "body_exact")
        assert field_words(reader, "no_such_field") == []


def test_fuzzy_queries_expand_over_every_segment(several_segments: tuple[Path, Path]) -> None:
    root, ix_dir = several_segments
    index = CorpusIndex(root, ix_dir)
    try:
        found = {h.path for h in index.search("walrus2~", limit=None).hits}
        assert found == {"extra1.txt", "extra2.txt"}  # extra0 was removed
    finally:
        index.close()
