"""The cooccur and profile verbs, and --csv / --out on every verb, through the real CLI on
the sample corpus.  Every expected figure was counted by reading the five files (line
numbers below are ``cat -n``'s), never taken from the program's output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE, json_out, run, write_corpus

GUANGXI = "Guangxi Zhuang Autonomous Region"


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("views")
    root = write_corpus(tmp / "corpus", {p.name: p.read_text("utf-8") for p in SAMPLE.iterdir()})
    proc = run(tmp, "index", root, "--index-dir", tmp / "ix", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return {"tmp": tmp, "root": root, "ix": tmp / "ix"}


def call(cli: dict[str, Any], *args: Any):
    return run(cli["tmp"], *args, "--corpus", cli["root"], "--index-dir", cli["ix"])


def _pair(data: dict[str, Any], official: str, province: str) -> tuple[int, int]:
    found = [p for p in data["pairs"] if (p["official"], p["province"]) == (official, province)]
    assert len(found) == 1, f"{official} x {province}: {found}"
    return found[0]["articles"], found[0]["paragraphs"]


def test_cooccur_json_counts_articles_and_paragraphs(cli) -> None:
    data = json_out(call(cli, "cooccur", "--json"))
    # every file names an official and a province (000 Son/Liu/Guangxi, 001 Pham Minh Chinh/
    # Lan Tianli/Guangxi, 002 Son/Liu/Guangxi, 003 Dang Quoc Khanh/Liu/Ha Giang, 004 Pham
    # Thanh Binh/Guangxi)
    assert (data["total"], data["articles_with_both"]) == (5, 5)
    # Liu Ning with Guangxi: 000 (lines 2, 9), 002 (lines 3, 22), 003 (lines 27, 35)
    assert _pair(data, "Liu Ning", GUANGXI) == (3, 6)
    # Bui Thanh Son (or "Son") with Guangxi: 000 lines 2, 3, 6, 9; 002 line 3
    assert _pair(data, "Bui Thanh Son", GUANGXI) == (2, 5)
    # Cao Bang: 002 line 24 and 003 lines 3, 47, never beside Liu
    assert _pair(data, "Liu Ning", "Cao Bang") == (2, 0)
    # 003 line 7: "Secretary of the Party Committee of Ha Giang province Dang Quoc Khanh"
    assert _pair(data, "Dang Quoc Khanh", "Ha Giang") == (1, 1)
    assert data["pairs"][0]["official"] == "Liu Ning"  # the most articles


def test_cooccur_follows_the_query(cli) -> None:
    data = json_out(call(cli, "cooccur", '"border gate"', "--json"))
    assert data["total"] == 4  # 000, 001, 002, 003 (grep -il "border gate")
    assert _pair(data, "Liu Ning", GUANGXI) == (3, 6)  # 000, 002 and 003 say it
    no = call(cli, "cooccur", "walrus", "--json")
    assert no.returncode == 1 and json.loads(no.stdout)["pairs"] == []


def test_cooccur_csv(cli) -> None:
    proc = call(cli, "cooccur", "--csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    liu = [r for r in rows if r["official"] == "Liu Ning" and r["province_key"] == "guangxi"]
    assert [(r["articles"], r["paragraphs"], r["country"]) for r in liu] == [("3", "6", "CN")]
    khanh = [r for r in rows if r["official"] == "Dang Quoc Khanh" and r["province"] == "Ha Giang"]
    assert [(r["articles"], r["paragraphs"]) for r in khanh] == [("1", "1")]


def test_cooccur_text_has_the_matrix_within_80_columns(cli) -> None:
    proc = call(cli, "cooccur")
    lines = proc.stdout.splitlines()
    assert lines[0] == "5 matching articles, 5 with an official and a province: 41 pairs"
    matrix = lines[
        lines.index("articles/paragraphs, the top officials by the top provinces:") + 1 :
    ]
    assert matrix[1].split() == ["Liu", "Ning", "3/6", "2/0", "2/0", "2/0", "2/0"]
    assert max(map(len, lines)) <= 80


def test_profile_of_an_official_json(cli) -> None:
    data = json_out(call(cli, "profile", "bui thanh son", "--json"))
    assert (data["name"], data["articles"]) == ("Bui Thanh Son", 2)  # 000 and 002
    # 000 (dated 2024-04-03): "Vietnamese Minister of Foreign Affairs"; 002 (no date in
    # the file): "Foreign Minister"
    assert data["titles"] == [
        {"title": "Vietnamese Minister of Foreign Affairs", "first": "2024-04-03",
         "last": "2024-04-03", "articles": 1},
        {"title": "Foreign Minister", "first": None, "last": None, "articles": 1},
    ]  # fmt: skip
    provinces = {p["name"]: p["articles"] for p in data["provinces"]}
    # Guangxi in both; 002: Hanoi (line 3), Ha Giang, Quang Ninh, Lang Son, Cao Bang (line 24)
    assert provinces == {GUANGXI: 2, "Hanoi": 1, "Ha Giang": 1, "Quang Ninh": 1,
                         "Lang Son": 1, "Cao Bang": 1}  # fmt: skip
    assert data["months"] == [{"month": "2024-04", "articles": 1}] and data["undated"] == 1
    docs = [d["path"] for d in data["documents"]]
    assert docs == ["000_95dc8e507bf0691a.txt", "002_d41862e290118f8e.txt"]  # newest first


def test_profile_of_a_province_json_and_csv(cli) -> None:
    data = json_out(call(cli, "profile", "--province", "Ha Giang", "--json"))
    # Ha Giang in 001 (line 11), 002 (line 24), 003 (lines 3, 7, 47)
    assert data["articles"] == 3
    officials = {o["name"]: o["articles"] for o in data["officials"]}
    assert officials["Liu Ning"] == 2  # 002, 003
    assert officials["Dang Quoc Khanh"] == officials["Pham Minh Chinh"] == 1
    months = {m["month"]: m["articles"] for m in data["months"]}
    # 003 is 2023-02-23, 001 2024-11-07, 002 undated: every month between, empty ones 0
    assert (len(months), months["2023-02"], months["2024-11"], sum(months.values())) == (
        22,
        1,
        1,
        2,
    )
    assert data["undated"] == 1
    proc = call(cli, "profile", "--province", "guangxi", "--csv")
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    liu = [r for r in rows if r["section"] == "official" and r["name"] == "Liu Ning"]
    assert [r["articles"] for r in liu] == ["3"]
    assert len([r for r in rows if r["section"] == "article"]) == 5  # Guangxi is in all five


def test_profile_unknown_name_says_what_was_meant(cli) -> None:
    proc = call(cli, "profile", "liu")
    assert proc.returncode == 2 and proc.stdout == ""
    assert 'did you mean official:"Liu Ning"?' in proc.stderr


@pytest.mark.heavy  # seconds of process starts; .ci/run runs the heavy tests
def test_out_writes_each_format_and_keeps_an_existing_file(cli, tmp_path: Path) -> None:
    md = tmp_path / "pairs.md"
    proc = call(cli, "cooccur", '"border gate"', "--out", md)
    assert proc.returncode == 0, proc.stderr
    report = md.read_text("utf-8")
    assert report.startswith("# Who with where\n")
    assert '- query: "border gate"' in report and "- matching articles: 4" in report
    assert "| Liu Ning | liu ning |" in report and "| CN | 3 | 6 |" in report
    again = call(cli, "cooccur", "--out", md)
    assert again.returncode == 2 and "exists" in again.stderr
    assert md.read_text("utf-8") == report
    jsonl = tmp_path / "profile.txt"
    proc = call(cli, "profile", "Liu Ning", "--out", jsonl, "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in jsonl.read_text("utf-8").splitlines()]
    assert sum(r["section"] == "article" for r in rows) == 3  # 000, 002, 003
    ents = tmp_path / "entities.csv"
    assert call(cli, "entities", "--out", ents).returncode == 0
    table = list(csv.DictReader(io.StringIO(ents.read_text("utf-8"))))
    assert {r["name"]: r["articles"] for r in table}[GUANGXI] == "5"
    hits = tmp_path / "hits.csv"
    assert call(cli, "search", '"border gate"', "--out", hits).returncode == 0
    assert len(hits.read_text("utf-8").splitlines()) == 1 + 4
    article = tmp_path / "a.md"
    proc = call(cli, "show", "000_95dc8e507bf0691a.txt", "--query", "Guangxi", "--out", article)
    assert proc.returncode == 0, proc.stderr
    # "Guangxi" in 000: line 2 twice, lines 3, 5, 6, 9
    assert article.read_text("utf-8").count("**Guangxi") == 6
    bad = call(cli, "cooccur", "--out", tmp_path / "x.txt")
    assert bad.returncode == 2 and "--format" in bad.stderr


def test_curated_names_apply(cli, tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "c", {p.name: p.read_text("utf-8") for p in SAMPLE.iterdir()})
    (root / "corpus-browser.toml").write_text(
        '[official."Liu Ning"]\nname = "Liu Ning (Guangxi)"\n\n'
        '[official."Xi Jinping"]\nhide = true\n',
        encoding="utf-8",
    )
    ix = tmp_path / "ix"
    assert run(tmp_path, "index", root, "--index-dir", ix, "--quiet").returncode == 0
    data = json_out(run(tmp_path, "cooccur", "--json", "--corpus", root, "--index-dir", ix))
    assert _pair(data, "Liu Ning (Guangxi)", GUANGXI) == (3, 6)
    assert not [p for p in data["pairs"] if p["official"] in ("Liu Ning", "Xi Jinping")]
    prof = run(tmp_path, "profile", "Liu Ning (Guangxi)", "--json", "--corpus", root,
               "--index-dir", ix)  # fmt: skip
    assert json_out(prof)["articles"] == 3


def test_a_view_table_holds_nothing_a_terminal_or_a_spreadsheet_obeys() -> None:
    from search.export import Table, table_text

    hostile = "=HYPERLINK(1)\x1b[31m|*x*"
    table = Table("T \x1b]52;c;x\x07", ["name", "n"], [[hostile, 3]], [("query", hostile)])
    for suffix in (".csv", ".jsonl", ".md"):
        text = table_text(table, suffix)
        assert "\x1b" not in text and "\x07" not in text, suffix
    assert table_text(table, ".csv").splitlines()[1].startswith("'=HYPERLINK(1)")
    assert json.loads(table_text(table, ".jsonl"))["name"] == hostile  # escaped, exact
    row = table_text(table, ".md").splitlines()[-1]
    assert row.startswith("| =HYPERLINK(1)") and "\\|\\*x\\*" in row and row.endswith(" | 3 |")


def test_profile_names_resolve_as_queries_do(cli) -> None:
    # "Ha Noi" and "Hà Nội" are Hanoi's aliases: named only in 002 (line 3; the later
    # Hanoi lines are the related-news tail), beside Bui Thanh Son, Liu Ning and Nguyen
    # Phu Trong (line 10)
    for name in ("Ha Noi", "Hà Nội"):
        data = json_out(call(cli, "profile", "--province", name, "--json"))
        assert (data["name"], data["key"], data["articles"]) == ("Hanoi", "hanoi", 1)
        officials = {o["name"] for o in data["officials"]}
        assert officials == {"Bui Thanh Son", "Liu Ning", "Nguyen Phu Trong"}
    misspelt = json_out(call(cli, "profile", "--province", "Guangxy", "--json"))
    assert (misspelt["name"], misspelt["articles"]) == (GUANGXI, 5)


def test_a_bounded_count_lists_every_pair_above_what_it_left_out(built_index) -> None:
    from search.views.cooccur import of_results

    results = built_index.search("*", limit=0, every=True)
    # 8 provinces in the sample: a budget of 10 pairs counts one official's, Liu Ning's
    # (3 files, the most); the next officials are in 2 files, so every pair in more than
    # 2 files is still listed.  Liu Ning: Guangxi in 000, 002, 003; Cao Bang, Ha Giang,
    # Lang Son, Quang Ninh in 002 (line 24) and 003; Hanoi in 002 (line 3)
    found = of_results(built_index, results, budget=10)
    assert found.complete_above == 2 and found.both == 5
    got = {(p.province.name, p.articles) for p in found.pairs}
    assert {p.official.name for p in found.pairs} == {"Liu Ning"}
    assert got == {(GUANGXI, 3), ("Cao Bang", 2), ("Ha Giang", 2), ("Lang Son", 2),
                   ("Quang Ninh", 2), ("Hanoi", 1)}  # fmt: skip
    assert of_results(built_index, results).complete_above == 0  # the default: every pair
