"""The rebuild's segment writer must write the segment Whoosh's own writer writes.

Both writers get the same documents, prepared as the indexer prepares them (the sample
articles, generated ones with words common enough to fill several posting blocks, and
documents with empty or missing fields).  Every file of the two segments is compared byte
for byte, except the postings, whose blocks ours pickles with a newer protocol, and the
term table, which points into them and holds a term's posting itself when it has one
(W3's inline form): those are compared through Whoosh's reader, every term's statistics,
blocks and postings.  The segment is also searched through Whoosh.
"""

from __future__ import annotations

import datetime
import random
from array import array
from pathlib import Path
from typing import Any

import pytest
from conftest import write_corpus
from whoosh import index as whoosh_index
from whoosh.codec import default_codec
from whoosh.qparser import QueryParser
from whoosh.writing import SegmentWriter

from search.corpus.read import read_document
from search.engine.whoosh.indexer import _SCHEMA, document_fields
from search.engine.whoosh.postings import field_postings
from search.engine.whoosh.schema import ExactWords, PreAnalyzed, make_schema
from search.engine.whoosh.segment_writer import GroupingSegmentWriter, supports

SAMPLES = Path(__file__).parent.parent / "sample_corpus"


def prepared_documents(tmp_path: Path) -> list[dict[str, Any]]:
    rng = random.Random(7)
    words = ["alpaca", "bison", "condor", "cooperation", "Hanoi", "Guangxi", "Đồng", "U.S."]
    folder = tmp_path / "corpus"
    folder.mkdir()
    for sample in sorted(SAMPLES.glob("*.txt")):
        (folder / sample.name).write_bytes(sample.read_bytes())
    for i in range(300):  # "the" in every one: three blocks of 128 and a short last one
        body = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        (folder / f"g{i:03d}.txt").write_text(
            f" date 2024-{i % 12 + 1:02d}-{i % 28 + 1:02d} Story {i}\n"
            f"Deputy Prime Minister Bui Thanh Son said the {body}.\n",
            encoding="utf-8",
        )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    # exactly 128 and 129 documents hold these words: one full block, and one more
    for i in range(129):
        name = f"g{i:03d}.txt"
        extra = " blockfull" if i < 128 else ""
        (folder / name).write_text(
            (folder / name).read_text(encoding="utf-8") + f"blockplus{extra}\n",
            encoding="utf-8",
        )
    (folder / "one.txt").write_text("alpaca", encoding="utf-8")
    prepared = prepare(folder)
    prepared[3]["_boost"] = 2.5  # a document boost scales every weight
    return prepared


def prepare(folder: Path) -> list[dict[str, Any]]:
    """Every file of ``folder`` as a rebuild worker hands it to the segment writer."""
    docs = [read_document(folder, p.name, 2**30) for p in sorted(folder.iterdir())]
    return [field_postings(_SCHEMA, document_fields(doc)) for doc in docs]


def write_segment(
    folder: Path, writer_class: type, docs: list[dict[str, Any]], schema: Any = None
) -> Any:
    folder.mkdir(parents=True)
    ix = whoosh_index.create_in(str(folder), schema or make_schema())
    writer = writer_class(ix, _lk=False, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    segment = writer._finalize_segment()
    ix.writer().commit(mergetype=lambda _writer, existing: [*existing, segment])
    return whoosh_index.open_dir(str(folder))


def assert_same_segment(
    tmp_path: Path, docs: list[dict[str, Any]], schema: Any = None
) -> tuple[Any, Any]:
    """Both writers' segments of ``docs``, file for file; returns (Whoosh's, ours) opened."""
    theirs = write_segment(tmp_path / "whoosh", SegmentWriter, docs, schema)
    ours = write_segment(tmp_path / "ours", GroupingSegmentWriter, docs, schema)
    expected, got = segment_bytes(tmp_path / "whoosh"), segment_bytes(tmp_path / "ours")
    assert got.keys() == expected.keys()
    for name in expected.keys() - POSTINGS_FILES:
        assert got[name] == expected[name], name
    assert postings_of(ours) == postings_of(theirs)  # the same terms, stats and postings
    assert_inlined_alone(ours)
    return theirs, ours


def assert_inlined_alone(ix: Any) -> None:
    """Ours keeps a term's one posting in its term info, and longer lists in blocks."""
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            assert info.is_inlined() == (info.doc_frequency() == 1), (fieldname, text)


POSTINGS_FILES = {"pst", "trm"}  # posting blocks, and the term table with their offsets


def postings_of(ix: Any) -> dict[tuple[str, bytes], Any]:
    """Every term's statistics, posting blocks and postings, as Whoosh's reader reads them."""
    out = {}
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
            stats += (info.max_weight(), info.min_id(), info.max_id())
            matcher = reader.postings(fieldname, text)
            blocks, postings = [], []
            while matcher.is_active():
                if info.is_inlined():  # a ListMatcher: one block, the term's own extent
                    block = (info.min_id(), info.max_id())
                else:
                    block = (matcher.block_min_id(), matcher.block_max_id())
                block += (matcher.block_min_length(), matcher.block_max_length())
                # A block keeps its max weight as given, an inlined posting's ListMatcher
                # gives the weight as read back (float32), which is what scoring sees.
                block += (float32(matcher.block_max_weight()),)
                if not blocks or blocks[-1] != block:
                    blocks.append(block)
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            out[fieldname, text] = (stats, blocks, postings)
    return out


def float32(value: float) -> float:
    return array("f", [value])[0]


def segment_bytes(folder: Path) -> dict[str, bytes]:
    """File contents keyed by what follows the segment's random name."""
    return {
        path.name.split(".", 1)[1]: path.read_bytes()
        for path in folder.iterdir()
        if path.name.startswith("MAIN_") and "." in path.name
    }


@pytest.mark.parametrize("chunk", [None, 64], ids=["one-write", "many-writes"])
def test_segment_files_equal_whooshs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int | None
) -> None:
    if chunk is not None:  # write the files in many pieces, as a big segment does
        import search.engine.whoosh.segment_writer

        monkeypatch.setattr(search.engine.whoosh.segment_writer, "_CHUNK", chunk)
    theirs, ours = assert_same_segment(tmp_path, prepared_documents(tmp_path))
    whooshs, ours_files = segment_bytes(tmp_path / "whoosh"), segment_bytes(tmp_path / "ours")
    assert set(whooshs) >= POSTINGS_FILES
    assert len(ours_files["pst"]) < 0.9 * len(whooshs["pst"])  # bytes kept as bytes
    for query in ("the", "alpaca", 'body:"prime minister"', "official:*", "cooperate"):
        parsed = QueryParser("body", ours.schema).parse(query)
        with theirs.searcher() as a, ours.searcher() as b:
            hits_a = [(h.docnum, h.score) for h in a.search(parsed, limit=None)]
            hits_b = [(h.docnum, h.score) for h in b.search(parsed, limit=None)]
        assert hits_b == hits_a and hits_b, query
    with ours.searcher() as searcher:
        assert searcher.doc_frequency("body", "the") >= 300


def test_whooshs_merge_keeps_every_posting(tmp_path: Path) -> None:
    """Whoosh's own writer merges our segments (incremental updates do): every posting,
    inlined or in blocks, must come through, a deleted document's left out, as it would
    from a segment Whoosh wrote."""
    docs = prepared_documents(tmp_path)
    merged = {}
    for name, writer_class in (("whoosh", SegmentWriter), ("ours", GroupingSegmentWriter)):
        ix = write_segment(tmp_path / name, writer_class, docs)
        writer = ix.writer()
        writer.delete_by_term("path", "g007.txt")
        writer.commit(optimize=True)
        merged[name] = whoosh_index.open_dir(str(tmp_path / name))
        with merged[name].reader() as reader:
            assert reader.is_atomic()  # one segment
    assert postings_of(merged["ours"]) == postings_of(merged["whoosh"])
    stored = {}
    for name, ix in merged.items():
        with ix.reader() as reader:
            stored[name] = list(reader.all_stored_fields())
    assert stored["ours"] == stored["whoosh"]
    with merged["ours"].searcher() as searcher:
        assert searcher.doc_count() == len(docs) - 1
        assert searcher.document(path="one.txt") is not None


def test_fields_no_document_fills(tmp_path: Path) -> None:
    """Whoosh numbers only the fields that have postings; a segment where no article names
    an official or a province, or where every file is empty, must number them the same."""
    rain = {f"p{i}.txt": f"Rain fell on day {i}.\n" for i in range(3)}
    plain = prepare(write_corpus(tmp_path / "plain", rain))
    assert not any(doc["official"] or doc["province"] for doc in plain)
    assert_same_segment(tmp_path / "no-entities", plain)
    empty = prepare(write_corpus(tmp_path / "empty", {f"e{i}.txt": "" for i in range(2)}))
    assert_same_segment(tmp_path / "all-empty", empty)


def edge_schema() -> Any:
    from whoosh import fields

    return fields.Schema(
        path=fields.ID(stored=True),
        tag=fields.ID(),
        words=ExactWords(),
        real=fields.NUMERIC(float),
        whole=fields.NUMERIC(int),
        when=fields.DATETIME(),
        flag=fields.BOOLEAN(),
    )


def edge_documents() -> dict[str, list[dict[str, Any]]]:
    """Documents that take each path of the writer's bare fields and numeric cache."""
    base = [
        {
            "path": f"p{i}", "tag": "t", "words": "alpha beta", "flag": i % 2 == 0,
            "whole": i % 3, "when": datetime.datetime(2024, 1, 1 + i % 5),
        }
        for i in range(300)
    ]  # fmt: skip

    def varied(**changes: dict[str, Any]) -> list[dict[str, Any]]:
        docs = [dict(doc) for doc in base]
        for i, fields in changes.items():
            docs[int(i[1:])].update(fields)
        return docs

    utc, plus_one = datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=1))
    return {
        "bare, three blocks": base,
        "a boost half-way": varied(d150={"_boost": 2.5}),
        "the first document boosted": varied(d0={"_boost": 2.5}),
        "a boost float32 cannot hold": varied(d40={"_boost": 1.1, "tag": "once"}),
        "field boosts": varied(d10={"_path_boost": 3.0}, d20={"_tag_boost": 0.5}),
        "a pre-analysed weight": varied(d30={"words": PreAnalyzed([(b"alpha", 1, 2.0, b"")])}),
        "0.0 and -0.0": [{"path": "a", "real": 0.0}, {"path": "b", "real": -0.0}],
        "one instant, two zones": [
            {"path": "a", "when": datetime.datetime(2024, 1, 1, 12, tzinfo=utc)},
            {"path": "b", "when": datetime.datetime(2024, 1, 1, 13, tzinfo=plus_one)},
        ],
        "1, 1.0, True": [
            {"path": "a", "whole": 1},
            {"path": "b", "whole": 1.0},
            {"path": "c", "whole": True},
        ],  # fmt: skip
        "lists of numbers": [{"path": f"p{i}", "real": [1.5, float(i % 4)]} for i in range(200)],
    }


@pytest.mark.parametrize("case", list(edge_documents()))
def test_bare_fields_and_repeated_numbers_equal_whooshs(tmp_path: Path, case: str) -> None:
    """Postings that weigh 1 and carry no value are kept as bare docnums, until a boost or
    a weight says otherwise; numbers Whoosh encodes alike are encoded once."""
    assert_same_segment(tmp_path, edge_documents()[case], edge_schema())


def test_a_bad_value_fails_as_in_whoosh(tmp_path: Path) -> None:
    """The same ValueError as Whoosh's writer, on both Whoosh versions (2.7.4's per-document
    writer cannot cancel a document; whoosh3's can, and then the writer goes on)."""
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    raised = []
    for writer_class in (SegmentWriter, GroupingSegmentWriter):
        writer = writer_class(ix, _lk=False, compound=False)
        with pytest.raises(ValueError) as caught:
            writer.add_document(path="a.txt", date="not a date")
        raised.append(str(caught.value))
        if hasattr(writer.perdocwriter, "cancel_doc"):
            writer.add_document(path="b.txt", body="the writer still works")
            assert writer.doc_count() == 1
    assert raised[0] == raised[1]


def test_schemas_it_cannot_copy_are_refused(tmp_path: Path) -> None:
    """Term vectors and spelling words take other paths in Whoosh's writer; a schema with
    them is refused rather than written differently."""
    from whoosh import fields

    assert supports(_SCHEMA, default_codec())
    schema = fields.Schema(body=fields.TEXT(vector=True))
    assert not supports(schema, default_codec())
    ix = whoosh_index.create_in(str(tmp_path), schema)
    with pytest.raises(TypeError):
        GroupingSegmentWriter(ix, _lk=False)
