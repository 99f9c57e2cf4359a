"""The curation file (docs/curation.md): each edit through the real CLI, applied by searches,
`entities` and `show`; a rebuild that keeps it; applying it re-reads no article and writes no
index file; a broken file; the analyst's comments kept.  Real files, a real index."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE, json_out, run

from search.curation import CURATION_FILE, CurationError
from search.index.facade import CorpusIndex
from search.index.generations import CHECKSUMS, IndexStore, newest_toc


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("curation")
    corpus = tmp / "corpus"
    shutil.copytree(SAMPLE, corpus)
    CorpusIndex(corpus, tmp / "ix").update(procs=0)
    return {"tmp": tmp, "corpus": corpus, "ix": tmp / "ix"}


@pytest.fixture
def ws(built: dict[str, Path]) -> dict[str, Path]:
    """The built corpus with no curation file (each test starts from the extractor's view)."""
    (built["corpus"] / CURATION_FILE).unlink(missing_ok=True)
    return built


def curate(ws: dict[str, Path], *args: str) -> Any:
    proc = run(ws["tmp"], "curate", ws["corpus"], *args, "--index-dir", ws["ix"], "--json")
    assert proc.returncode == 0, proc.stderr
    return json_out(proc)


def verb(ws: dict[str, Path], *args: str) -> Any:
    proc = run(ws["tmp"], *args, "--corpus", ws["corpus"], "--index-dir", ws["ix"], "--json")
    assert proc.returncode in (0, 1), proc.stderr
    return json_out(proc)


# What the CLI's `entities` and `search` print, read in this process (one CLI start each
# would make this file slow); test_cli.py checks that the verbs print these.
def officials(ws: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in CorpusIndex(ws["corpus"], ws["ix"]).entities()["officials"]}


def paths(ws: dict[str, Path], query: str) -> set[str]:
    found = CorpusIndex(ws["corpus"], ws["ix"]).search(query, limit=None, snippets=False)
    return {h.path for h in found.hits}


def show(ws: dict[str, Path], path: str, query: str) -> dict[str, Any]:
    return CorpusIndex(ws["corpus"], ws["ix"]).document(path, query).to_json()


def test_merge_through_the_cli(ws: dict[str, Path]) -> None:
    before = officials(ws)
    both = set(before["Lan Tianli"]["documents"]) | set(before["Liu Ning"]["documents"])
    assert set(before["Liu Ning"]["documents"]) < both
    done = curate(ws, "merge", "Lan Tianli", "Liu Ning")
    assert done["file"] == str(ws["corpus"] / CURATION_FILE) and not done["problems"]
    after = officials(ws)
    assert "Lan Tianli" not in after
    assert set(after["Liu Ning"]["documents"]) == both
    assert after["Liu Ning"]["merged"] == ["lan tianli"]
    # Either name finds the merged entity's files, and the reader marks both men's mentions.
    assert paths(ws, 'official:"Liu Ning"') == paths(ws, 'official:"Lan Tianli"') == both
    lan_file = before["Lan Tianli"]["documents"][0]
    shown = show(ws, lan_file, 'official:"Liu Ning"')
    text = shown["text"]
    assert "Lan Tianli" in {text[a:b] for a, b in shown["matches"]}
    # Merging back would make a cycle: refused in one line, exit 2, the file unchanged.
    file_text = (ws["corpus"] / CURATION_FILE).read_text(encoding="utf-8")
    proc = run(ws["tmp"], "curate", ws["corpus"], "merge", "Liu Ning", "Lan Tianli",
               "--index-dir", ws["ix"])  # fmt: skip
    assert proc.returncode == 2 and "cycle" in proc.stderr and proc.stderr.count("\n") == 1
    assert (ws["corpus"] / CURATION_FILE).read_text(encoding="utf-8") == file_text


def test_rename_through_the_cli(ws: dict[str, Path]) -> None:
    xi = paths(ws, 'official:"Xi Jinping"')
    curate(ws, "rename", "Xi Jinping", "Tập Cận Bình")
    after = officials(ws)
    assert "Xi Jinping" not in after and set(after["Tập Cận Bình"]["documents"]) == xi
    assert paths(ws, 'official:"Tập Cận Bình"') == paths(ws, 'official:"Xi Jinping"') == xi


def test_a_file_beside_the_index_applies_when_the_corpus_has_none(ws: dict[str, Path]) -> None:
    """A read-only corpus keeps its corrections beside the index (outside its generations)."""
    beside = ws["ix"] / CURATION_FILE
    beside.write_text('[official."Xi Jinping"]\nhide = true\n', encoding="utf-8")
    try:
        index = CorpusIndex(ws["corpus"], ws["ix"])
        assert index.curation_file == beside
        assert "Xi Jinping" not in officials(ws) and not paths(ws, 'official:"Xi Jinping"')
        with pytest.raises(CurationError, match="another official; merge"):
            index.curate("rename", "official", "Xi Jinping", "Liu Ning")
    finally:
        beside.unlink()


def test_alias_through_the_cli(ws: dict[str, Path]) -> None:
    """ "Guangxi leader" names Lan Tianli in 001 and, unnoticed, in 002."""
    lan = paths(ws, 'official:"Lan Tianli"')
    spelled = paths(ws, '"Guangxi leader"')
    assert spelled - lan, "the alias must bring a file the extractor did not tie to him"
    curate(ws, "alias", "Lan Tianli", "Guangxi leader")
    assert paths(ws, 'official:"Lan Tianli"') == lan | spelled
    assert set(officials(ws)["Lan Tianli"]["documents"]) == lan | spelled
    new_file = sorted(spelled - lan)[0]
    shown = show(ws, new_file, 'official:"Lan Tianli"')
    assert {shown["text"][a:b] for a, b in shown["matches"]} == {"Guangxi leader"}
    lan_entry = next(o for o in shown["officials"] if o["key"] == "lan tianli")
    assert lan_entry["mentions"] == shown["matches"]


def test_hide_and_unhide_through_the_cli(ws: dict[str, Path]) -> None:
    assert paths(ws, 'official:"Pham Minh Chinh"')
    curate(ws, "hide", "Pham Minh Chinh")
    assert "Pham Minh Chinh" not in officials(ws)
    assert not paths(ws, 'official:"Pham Minh Chinh"'), "hidden: not searchable as an entity"
    assert paths(ws, '"Pham Minh Chinh"'), "the words of the text are still searchable"
    curate(ws, "unhide", "Pham Minh Chinh")
    assert "Pham Minh Chinh" in officials(ws)
    assert not (ws["corpus"] / CURATION_FILE).read_text(encoding="utf-8").count("Pham")


def test_add_official_through_the_cli(ws: dict[str, Path]) -> None:
    """A photo caption's "Do Van Chien, President of ..." is no official of the extractor."""
    assert "Do Van Chien" not in officials(ws)
    title = "President of the Vietnam Fatherland Front Central Committee"
    curate(ws, "add-official", "Do Van Chien", "--title", title, "--alias", "Chien")
    entry = officials(ws)["Do Van Chien"]
    assert entry["added"] is True and entry["titles"][-1]["title"] == title
    assert set(entry["documents"]) == paths(ws, '"Do Van Chien"') | paths(ws, "Chien") != set()
    assert paths(ws, 'official:"Do Van Chien"') == set(entry["documents"])


def test_a_rebuild_keeps_the_curation(ws: dict[str, Path]) -> None:
    text = '[official."Pham Minh Chinh"]\nhide = true\n\n[official."Lan Tianli"]\n'
    text += 'merge_into = "Liu Ning"\n'
    (ws["corpus"] / CURATION_FILE).write_text(text, encoding="utf-8")
    gen_before = IndexStore(ws["ix"]).current()
    proc = run(ws["tmp"], "index", ws["corpus"], "--index-dir", ws["ix"], "--rebuild", "--json")
    assert json_out(proc)["rebuilt"] is True
    assert IndexStore(ws["ix"]).current() != gen_before
    assert (ws["corpus"] / CURATION_FILE).read_text(encoding="utf-8") == text
    after = {o["name"]: o for o in verb(ws, "entities")["officials"]}
    assert "Pham Minh Chinh" not in after and "Lan Tianli" not in after
    assert after["Liu Ning"]["merged"] == ["lan tianli"]


def test_a_change_to_the_file_reapplies_without_reading_articles_or_writing_the_index(
    ws: dict[str, Path],
) -> None:
    """The same CorpusIndex sees each edit of the file at its next search; the index's files
    and commit stay as they were, and an update afterwards reads no article."""
    index = CorpusIndex(ws["corpus"], ws["ix"])
    store = index.store
    gen = store.current()
    assert gen is not None
    before = (store.version(), newest_toc(gen), (gen / CHECKSUMS).read_bytes())
    found = index.search('official:"Lan Tianli"', limit=None, facets=True)
    keys = {f.key for f in found.facets["official"]}
    assert "lan tianli" in keys
    (ws["corpus"] / CURATION_FILE).write_text(
        '[official."Lan Tianli"]\nmerge_into = "Liu Ning"\n', encoding="utf-8"
    )
    merged = index.search('official:"Lan Tianli"', limit=None, facets=True)
    assert {f.key for f in merged.facets["official"]} >= keys - {"lan tianli"}
    assert "lan tianli" not in {f.key for f in merged.facets["official"]}
    assert merged.total > found.total
    (ws["corpus"] / CURATION_FILE).write_text(
        '[official."Lan Tianli"]\nhide = true\n', encoding="utf-8"
    )
    assert index.search('official:"Lan Tianli"').total == 0
    assert (store.version(), newest_toc(gen), (gen / CHECKSUMS).read_bytes()) == before
    report = index.update(procs=0)
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert report.unchanged == report.documents == 5


def test_a_broken_file_is_one_line_and_the_rest_keeps_working(ws: dict[str, Path]) -> None:
    path = ws["corpus"] / CURATION_FILE
    index = CorpusIndex(ws["corpus"], ws["ix"])
    path.write_text('[official."Pham Minh Chinh"]\nhide = true\n', encoding="utf-8")
    assert index.search('official:"Pham Minh Chinh"').total == 0
    # Bad TOML: the last good curation goes on in this process; a new one has none.
    path.write_text('# notes\n[official."Pham Minh Chinh"\nhide = true\n', encoding="utf-8")
    assert index.search('official:"Pham Minh Chinh"').total == 0
    assert index.curation_problems == [f"{path}:2: not valid TOML (Unexpected character: '\\n')"]
    proc = run(ws["tmp"], "search", 'official:"Pham Minh Chinh"', "--corpus", ws["corpus"],
               "--index-dir", ws["ix"])  # fmt: skip
    assert proc.returncode == 0 and "Pham" in proc.stdout
    warnings = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert warnings == [
        f"corpus-browser: warning: {path}:2: not valid TOML (Unexpected character: '\\n')"
    ]
    # An edit is refused rather than rewriting a file it cannot read.
    proc = run(ws["tmp"], "curate", ws["corpus"], "hide", "Xi Jinping", "--index-dir", ws["ix"])
    assert proc.returncode == 2 and f"{path}:2:" in proc.stderr
    # A merge cycle: the whole file is refused, naming the line.
    path.write_text(
        '[official."Liu Ning"]\nmerge_into = "Lan Tianli"\n\n'
        '[official."Lan Tianli"]\nmerge_into = "Liu Ning"\n',
        encoding="utf-8",
    )
    index.search("*")
    assert len(index.curation_problems) == 1 and "merge cycle" in index.curation_problems[0]
    assert index.curation_problems[0].startswith(f"{path}:1: ")
    # An unknown entity: that entry is left out, the others apply.
    path.write_text(
        '[official."Nobody At All"]\nhide = true\n\n[official."Xi Jinping"]\nhide = true\n',
        encoding="utf-8",
    )
    assert "Xi Jinping" not in officials(ws)
    assert index.search("*") and index.curation_problems == [
        f'{path}:1: no official "Nobody At All" in this index; entry not applied'
    ]


def test_an_edit_keeps_the_analysts_comments_and_order(ws: dict[str, Path]) -> None:
    path = ws["corpus"] / CURATION_FILE
    mine = (
        "# Curation of the Guangxi sample, checked by hand.\n"
        "\n"
        "[province.Guangxi]   # the region, whatever the article calls it\n"
        'aliases = ["Quang Tay"]  # Vietnamese outlets\n'
        "\n"
        "# People\n"
        '[official."Xi Jinping"]\n'
        'name = "Xi Jinping"  # keep the pinyin\n'
    )
    path.write_text(mine, encoding="utf-8")
    curate(ws, "alias", "Xi Jinping", "President Xi")
    CorpusIndex(ws["corpus"], ws["ix"]).curate("hide", "official", "Liao Pinhuo")  # the panel's
    text = path.read_text(encoding="utf-8")
    assert text.startswith(mine.replace("pinyin\n", 'pinyin\naliases = ["President Xi"]\n'))
    assert text.endswith('[official."Liao Pinhuo"]\nhide = true\n')
