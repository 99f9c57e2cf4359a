"""Every encoding a news scrape arrives in, read into the one normalised text, indexed, found,
and shown; binary files skipped with a reason; oversized files cut at the limit with a warning.
"""

from __future__ import annotations

import codecs
import unicodedata
from typing import Any

import pytest
from conftest import json_out, write_corpus

from search.corpus.read import read_document
from search.index.facade import CorpusIndex

FRENCH = (
    "Le ministre a présenté à Genève un accord élaboré avec ses homologues. "
    "« Nous avons déjà franchi une étape décisive », a-t-il déclaré, évoquant la "
    "coopération régionale, les déchets, la sécurité maritime et l'été prochain. "
    "Où en sera-t-on à Noël ? Ça dépendra des négociations à Besançon.\n"
)
GERMAN = "Die Straßenbahn fährt über die Brücke nach Köln; Grüße aus Düsseldorf.\n"
VIET = "Ông Nguyễn Văn Phước, Chủ tịch tỉnh Quảng Ninh, phát biểu tại hội nghị.\n"
ENGLISH = "Vietnam and Laos sign an agreement on hydropower cooperation.\n"

# name -> (bytes on disk, the text the reader must show, a query word it must be found by)
CASES: dict[str, tuple[bytes, str, str]] = {
    "utf8.txt": (("Café in Hà Nội. " + ENGLISH).encode(), "Café in Hà Nội. " + ENGLISH, "café"),
    "utf8_bom.txt": (
        codecs.BOM_UTF8 + ("Bom: " + GERMAN).encode(),
        "Bom: " + GERMAN,
        "straßenbahn",
    ),
    "utf16le.txt": (
        codecs.BOM_UTF16_LE + ("LE " + VIET).encode("utf-16-le"),
        "LE " + VIET,
        "quảng",
    ),
    "utf16be.txt": (
        codecs.BOM_UTF16_BE + ("BE " + GERMAN).encode("utf-16-be"),
        "BE " + GERMAN,
        "brücke",
    ),
    "cp1252.txt": (
        ("“Quoted” " + FRENCH + "Prix : 5 € – fin.\n").encode("cp1252"),
        "“Quoted” " + FRENCH + "Prix : 5 € – fin.\n",
        "genève",
    ),
    "latin1.txt": (FRENCH.encode("latin-1"), FRENCH, "besançon"),
    "crlf.txt": (
        b"First line\r\nSecond hydroelectric line\r\n",
        "First line\nSecond hydroelectric line\n",
        "hydroelectric",
    ),
    "cr.txt": (
        b"Old Mac line\rSecond geothermal line\r",
        "Old Mac line\nSecond geothermal line\n",
        "geothermal",
    ),
    "nfd.txt": (
        unicodedata.normalize("NFD", VIET).encode(),
        unicodedata.normalize("NFC", VIET),
        "Phước",
    ),
}


def damaged_utf8() -> tuple[bytes, str]:
    """A long UTF-8 Vietnamese text with three stray bytes (a scraper cut a sequence)."""
    good = (VIET * 20).encode()
    bad = good[:50] + b"\xff" + good[50:300] + b"\xc3" + good[300:600] + b"\x80" + good[600:]
    return bad, bad.decode("utf-8", errors="replace")


BINARIES: dict[str, tuple[bytes, str]] = {
    "elf.txt": (b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4, "ELF"),
    "gzip.txt": (b"\x1f\x8b\x08\x00" + bytes(200) + b"compressed", "gzip"),
    "nuls.txt": (b"a\x00b\x00" * 500, "NUL"),
}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("encodings")
    files: dict[str, str | bytes] = {name: data for name, (data, _t, _w) in CASES.items()}
    files["damaged.txt"] = damaged_utf8()[0]
    files.update({name: data for name, (data, _why) in BINARIES.items()})
    root = write_corpus(tmp / "corpus", files)
    index = CorpusIndex(root, tmp / "ix")
    report = index.update(procs=0)
    yield {"root": root, "index": index, "report": report, "tmp": tmp}
    index.close()


@pytest.mark.parametrize("name", CASES)
def test_text_is_decoded_and_normalised(name: str, indexed: dict[str, Any]) -> None:
    _data, expected, _word = CASES[name]
    doc = read_document(indexed["root"], name)
    assert doc.text == expected
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert doc.warnings == []


@pytest.mark.parametrize("name", CASES)
def test_each_encoding_is_found_and_offsets_slice_the_word(
    name: str, indexed: dict[str, Any]
) -> None:
    _data, expected, word = CASES[name]
    results = indexed["index"].search(word, limit=None)
    hits = {h.path: h for h in results.hits}
    assert name in hits, f"{word!r} should find {name}"
    spans = hits[name].matches
    assert spans, "the hit carries its match offsets"
    for start, end in spans:
        assert expected[start:end].casefold() == word.casefold()


def test_vietnamese_nfd_file_matches_composed_and_unaccented_queries(
    indexed: dict[str, Any],
) -> None:
    index: CorpusIndex = indexed["index"]
    text = unicodedata.normalize("NFC", VIET)
    for query in ("Phước", "Phuoc", "phuoc", "PHƯỚC", unicodedata.normalize("NFD", "Phước")):
        hits = {h.path: h for h in index.search(query, limit=None).hits}
        assert "nfd.txt" in hits, query
        assert [text[s:e] for s, e in hits["nfd.txt"].matches] == ["Phước"], query
    view = index.document("nfd.txt", "Phuoc")
    assert [view.document.text[s:e] for s, e in view.matches] == ["Phước"]


def test_damaged_utf8_stays_utf8_with_a_warning(indexed: dict[str, Any]) -> None:
    _data, expected = damaged_utf8()
    doc = read_document(indexed["root"], "damaged.txt")
    assert doc.text == unicodedata.normalize("NFC", expected)
    assert doc.text.count("\ufffd") == 3
    assert "Quảng Ninh" in doc.text, "the accents around the damage survive"
    warned = [w for w in indexed["report"].warnings if w["path"] == "damaged.txt"]
    assert warned and "3 undecodable" in warned[0]["message"]
    assert "damaged.txt" in {h.path for h in indexed["index"].search("Quảng", limit=None).hits}


def test_binary_files_are_skipped_with_a_reason(indexed: dict[str, Any]) -> None:
    skipped = {s["path"]: s["reason"] for s in indexed["report"].skipped}
    for name, (_data, why) in BINARIES.items():
        assert name in skipped, f"{name} must be reported as skipped"
        assert why in skipped[name]
    assert set(skipped) == set(BINARIES), "no text file is skipped"
    assert indexed["report"].documents == len(CASES) + 1


def test_file_over_the_limit_is_indexed_up_to_it_with_a_warning(make_corpus, run_cli, tmp_path):
    limit = 4096  # --max-mb takes MB; 4096 bytes is 1/256 MB
    head = "Opening paragraph about cooperation.\n"
    filler = "filler words repeated. " * ((limit - len(head)) // 23 + 50)
    tail = "\nClosing paragraph mentions zeppelin.\n"
    body = head + filler + tail
    assert len(body.encode()) > limit
    root = make_corpus({"big.txt": body, "small.txt": "Another zeppelin story.\n"})
    ix = tmp_path / "ix"
    mb = str(limit / 2**20)
    report = json_out(run_cli("index", root, "--index-dir", ix, "--json", "--max-mb", mb))
    assert report["documents"] == 2
    assert report["skipped"] == []
    [warning] = report["warnings"]
    assert warning["path"] == "big.txt"
    assert f"{limit:,}" in warning["message"] and f"{len(body.encode()):,}" in warning["message"]

    index = CorpusIndex(root, ix, max_bytes=limit)
    try:
        assert [h.path for h in index.search("cooperation").hits] == ["big.txt"]
        assert [h.path for h in index.search("zeppelin").hits] == ["small.txt"]
        shown = index.document("big.txt", "filler").document.text
        assert shown == body[:limit]
    finally:
        index.close()


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        (bytes(range(1, 9)) * 40, True),  # all control bytes
        (b"word " * 80 + b"\x01\x02" * 30, True),  # 60 of 460 bytes: over a tenth
        (b"word " * 80 + b"\x01\x02" * 10, False),  # 20 of 420 bytes: damage, not a format
        (b"w" * 900 + b"\x01" * 100, False),  # a tenth exactly
        (b"w" * 899 + b"\x01" * 101, True),  # one more
        (b"\t\n\x0c\r\x1b" * 100, False),  # tab, newline, form feed, CR, escape are text
    ],
    ids=["controls", "over-a-tenth", "under-a-tenth", "a-tenth", "a-tenth-and-one", "whitespace"],
)
def test_mostly_control_bytes_is_binary(data: bytes, binary: bool) -> None:
    from search.text import looks_binary

    why = looks_binary(data)
    assert (why == "binary data (mostly control bytes)") is binary, why


def test_a_file_longer_than_its_stat_is_read_to_the_limit(tmp_path) -> None:
    """A file that grew between the stat and the read: reads go on to its end or the limit."""
    import os

    from search.corpus.read import _read_fd

    data = bytes(range(256)) * 1000  # 256 KB: more than one read of the stale size
    path = tmp_path / "grew.txt"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        for limit, stale in [(len(data) + 5, 10), (100_000, 10), (len(data), len(data)), (7, 0)]:
            os.lseek(fd, 0, os.SEEK_SET)
            assert _read_fd(fd, limit, stale) == data[:limit], (limit, stale)
    finally:
        os.close(fd)
