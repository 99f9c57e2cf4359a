"""The query language on a real index: phrases, stems, wildcards, fuzzy terms, fields, dates,
boolean logic, CJK, entity fields on the sample corpus, and one-line errors for bad queries.

Expectations come from the files written here: each file's date and words are declared once
and every expected result set is computed from them."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE, cli_where, open_index, write_corpus

from search.corpus.read import read_document
from search.errors import QueryError
from search.index.facade import CorpusIndex

D = datetime.date
# path -> (date or None, title, body)
NEWS: dict[str, tuple[D | None, str, str]] = {
    "coop.txt": (
        D(2024, 1, 15),
        "Talks on cooperation",
        "The two provinces agreed to cooperate on border trade. Cooperation will grow.",
    ),
    "local.txt": (
        D(2024, 4, 3),
        "Localities meet",
        "A locality near the border gate reported cooperative farms and trade at the border.",
    ),
    "cooper.txt": (
        D(2024, 6, 1),
        "A barrel maker",
        "Mr Cooper visited the workshop where barrels are made; no politics here.",
    ),
    "late.txt": (
        D(2024, 6, 30),
        "End of June",
        "Harbour dredging finished at the border gate in late June, a year late.",
    ),
    "old.txt": (D(2023, 12, 31), "New Year's Eve", "Fireworks over the harbour closed the year."),
    "next.txt": (D(2025, 1, 1), "New Year", "The harbour reopened; trade resumed."),
    "sub/undated.txt": (None, "No date here", "An undated note on harbour trade and localities."),
    "sub/zh.txt": (None, "湖北省会议", "湖北省武汉市举行会议。中越合作不断加强。"),
}


def file_text(date: D | None, title: str, body: str) -> str:
    if date is None:
        return f"{title}\n{body}\n"
    return f" date {date.isoformat()} {title}\n{body}\n"


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory, engine_name: str) -> CorpusIndex:
    tmp = tmp_path_factory.mktemp("queries")
    root = write_corpus(tmp / "corpus", {p: file_text(*v) for p, v in NEWS.items()})
    index = open_index(engine_name, root, tmp / "ix")
    index.update(procs=0)
    yield index
    index.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, engine_name: str) -> CorpusIndex:
    index = open_index(engine_name, SAMPLE, tmp_path_factory.mktemp("sample") / "ix")
    index.update(procs=0)
    yield index
    index.close()


def found(index: CorpusIndex, query: str) -> set[str]:
    results = index.search(query, limit=None)
    assert results.total == len(results.hits)
    return {h.path for h in results.hits}


def having(pattern: str, where: str = "both") -> set[str]:
    """The NEWS files whose title and/or body match ``pattern`` (case-insensitive)."""
    out = set()
    for path, (_date, title, body) in NEWS.items():
        text = {"title": title, "body": body, "both": title + "\n" + body}[where]
        if re.search(pattern, text, re.IGNORECASE):
            out.add(path)
    return out


def dated(test) -> set[str]:
    return {p for p, (d, _t, _b) in NEWS.items() if d is not None and test(d)}


# -- words, stems, phrases ---------------------------------------------------------------
def test_words_are_anded(news: CorpusIndex) -> None:
    assert found(news, "harbour") == having(r"\bharbour\b")
    assert found(news, "harbour trade") == having(r"\bharbour\b") & having(r"\btrade\b")
    assert found(news, "harbour AND trade") == found(news, "harbour trade")


def test_stemming_cooperate_finds_cooperation(news: CorpusIndex) -> None:
    expected = having(r"\bcooperat")
    assert {"coop.txt", "local.txt"} <= expected
    # Porter stems the name Cooper to "cooper" as well: a known cost of stemming.
    expected |= having(r"\bcooper\b")
    assert found(news, "cooperate") == expected
    assert found(news, "cooperation") == expected
    assert found(news, "localities") == having(r"\blocalit")


def test_phrase_needs_the_words_in_a_row(news: CorpusIndex) -> None:
    assert found(news, '"border gate"') == having(r"\bborder gate\b")
    assert found(news, '"border trade"') == having(r"\bborder trade\b") == {"coop.txt"}
    assert "local.txt" in found(news, "border trade"), "both words, not in a row"
    assert found(news, '"gate border"') == set()


def test_wildcards_expand_over_unstemmed_words(news: CorpusIndex) -> None:
    assert found(news, "coop*") == having(r"\bcoop\w*")
    assert "cooper.txt" in found(news, "coop*"), "Cooper is a coop* word"
    assert found(news, "cooperat*") == having(r"\bcooperat\w*")
    assert "cooper.txt" not in found(news, "cooperat*")
    assert found(news, "localit?") == having(r"\blocalit\w\b")
    assert found(news, "localit??") == having(r"\blocalit\w\w\b") == set()
    assert found(news, "localit???") == having(r"\blocalit\w\w\w\b")
    assert found(news, "harb*r") == having(r"\bharb\w*r\b")


def test_a_wildcard_word_is_not_stemmed(news: CorpusIndex) -> None:
    """Whoosh's parser stemmed the typed word: ``locality*`` became the prefix ``local``
    and ``locali?y`` the pattern ``locali?i``."""
    assert found(news, "locality*") == having(r"\blocality\w*") == {"local.txt"}
    assert found(news, "Locality*") == {"local.txt"}
    assert found(news, "locali?y") == having(r"\blocali\wy\b") == {"local.txt"}
    assert found(news, "cooperative*") == having(r"\bcooperative\w*") == {"local.txt"}
    assert found(news, "body:locality*") == {"local.txt"}
    assert found(news, "title:*") == found(news, "*"), "a lone star is every file"


def test_fuzzy_terms(news: CorpusIndex) -> None:
    assert found(news, "cooperatoin") == set()
    assert found(news, "cooperatoin~2") == having(r"\bcooperation\b")
    assert found(news, "harbuor~2") == having(r"\bharbour\b")
    assert found(news, "habour~") == having(r"\bharbour\b")


def test_boolean_logic(news: CorpusIndex) -> None:
    harbour, trade, gate = having(r"\bharbour\b"), having(r"\btrade\b"), having(r"\bgate\b")
    assert found(news, "harbour OR gate") == harbour | gate
    assert found(news, "harbour NOT trade") == harbour - trade
    assert found(news, "trade AND NOT harbour") == trade - harbour
    assert found(news, "(harbour OR gate) trade") == (harbour | gate) & trade
    assert found(news, "harbour -trade") == harbour - trade, "-word excludes, as in Recoll"


def test_field_queries(news: CorpusIndex) -> None:
    assert found(news, "title:year") == having(r"\byear\b", "title")
    assert found(news, "title:year") != having(r"\byear\b", "both")
    assert found(news, 'title:"new year"') == having(r"\bnew year\b", "title")
    assert found(news, "TITLE:year") == found(news, "title:year"), "field names ignore case"
    assert found(news, "path:sub/*") == {p for p in NEWS if p.startswith("sub/")}
    assert found(news, "path:coop.txt") == {"coop.txt"}
    assert found(news, "body:year") == having(r"\byear\b", "body")


def test_cjk_query_on_chinese_text(news: CorpusIndex) -> None:
    assert found(news, "湖北省") == {"sub/zh.txt"}
    assert found(news, "合作") == {"sub/zh.txt"}
    assert found(news, "北湖") == set(), "characters in a row, not in any order"
    view = news.document("sub/zh.txt", "武汉")
    assert [view.document.text[s:e] for s, e in view.matches] == ["武汉"]


# -- dates -------------------------------------------------------------------------------
DATE_QUERIES = {
    "date:2024": lambda d: d.year == 2024,
    "date:2024-04": lambda d: (d.year, d.month) == (2024, 4),
    "date:2024-06-01": lambda d: d == D(2024, 6, 1),
    "date:[2024-01-01 to 2024-06-30]": lambda d: D(2024, 1, 1) <= d <= D(2024, 6, 30),
    "date:[2024-01-01 TO 2024-06-29]": lambda d: D(2024, 1, 1) <= d <= D(2024, 6, 29),
    "date:[2024-06 to]": lambda d: d >= D(2024, 6, 1),
    "date:[to 2023]": lambda d: d.year <= 2023,
    "date:>2024-06-01": lambda d: d > D(2024, 6, 1),
    "date:>=2024-06-01": lambda d: d >= D(2024, 6, 1),
    "date:<2024-06-01": lambda d: d < D(2024, 6, 1),
    "date:<=2024-06-01": lambda d: d <= D(2024, 6, 1),
    "date:>2024": lambda d: d.year > 2024,
    "date:<2024": lambda d: d.year < 2024,
    "date:>2024-06": lambda d: (d.year, d.month) > (2024, 6),
}


@pytest.mark.parametrize("query", DATE_QUERIES)
def test_date_queries(query: str, news: CorpusIndex) -> None:
    expected = dated(DATE_QUERIES[query])
    assert found(news, query) == expected
    assert found(news, f"{query} harbour") == expected & having(r"\bharbour\b")


def test_undated_documents_are_never_hidden(news: CorpusIndex) -> None:
    everything = found(news, "*")
    assert everything == set(NEWS)
    assert found(news, "NOT date:2024") == set(NEWS) - dated(lambda d: d.year == 2024)


# -- entity fields on the sample corpus ----------------------------------------------------
def sample_texts() -> dict[str, str]:
    return {p.name: read_document(SAMPLE, p.name).text for p in sorted(SAMPLE.glob("*.txt"))}


def test_official_query_finds_every_article_mentioning_him(sample: CorpusIndex) -> None:
    mentioning = {p for p, t in sample_texts().items() if "Liu Ning" in t}
    assert mentioning, "the sample corpus mentions Liu Ning"
    assert found(sample, 'official:"Liu Ning"') == mentioning
    assert found(sample, 'official:"liu ning"') == mentioning
    assert found(sample, 'official:"Liu Ning" date:2024') == mentioning & found(sample, "date:2024")


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("province:guangxi", ["Guangxi"]),
        ("province:Guangxi", ["Guangxi"]),
        ('province:"Lang Son"', ["Lang Son", "Lạng Sơn"]),
        ('province:"Lạng Sơn"', ["Lang Son", "Lạng Sơn"]),
    ],
)
def test_province_query_finds_every_article_naming_it(
    query: str, names: list[str], sample: CorpusIndex
) -> None:
    naming = {p for p, t in sample_texts().items() if any(n in t for n in names)}
    assert naming
    assert found(sample, query) == naming


# -- bad queries -------------------------------------------------------------------------
BAD_QUERIES = {
    '"border gate': "quote",
    "(harbour OR gate": "(",
    "harbour)": ")",
    "date:[2024-01-01 to": "range",
    "foo:bar": "unknown field 'foo'",
    "autor:smith harbour": "unknown field 'autor'",
    "date:2024-13": "date",
    "date:2024-02-30": "date",
    "date:yesterday": "date",
    "date:>": "date",
    "title:": "title",
    "harbour AND": "AND",
    "OR harbour": "OR",
    "harbour NOT": "NOT",
    "harbour AND OR trade": "OR",
    "": "empty",
    "   ": "empty",
}


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_give_one_line_errors(query: str, news: CorpusIndex) -> None:
    with pytest.raises(QueryError) as caught:
        news.search(query)
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message and len(message) < 200
    assert BAD_QUERIES[query].lower() in message.lower(), message


def test_bad_queries_through_the_cli(news: CorpusIndex, run_cli, tmp_path: Path) -> None:
    common = cli_where(news)
    proc = run_cli("search", '"border gate', *common, "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("corpus-browser: ") and "quote" in line
    assert "Traceback" not in proc.stderr

    batch = tmp_path / "queries.txt"
    queries = [q for q in BAD_QUERIES if q.strip()]
    batch.write_text("\n".join(["harbour", *queries]) + "\n", encoding="utf-8")
    proc = run_cli("search", "--batch", batch, *common)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [json_out_line(line) for line in proc.stdout.splitlines()]
    assert [d["query"] for d in lines] == ["harbour", *queries]
    assert lines[0]["total"] == len(having(r"\bharbour\b")) and "error" not in lines[0]
    for data in lines[1:]:
        assert set(data) == {"query", "error", "line", "took_ms"}
        assert "\n" not in data["error"] and data["error"]


def json_out_line(line: str) -> dict[str, Any]:
    return json.loads(line)


def test_good_queries_through_the_cli_match_the_library(
    news: CorpusIndex, run_cli, tmp_path: Path
) -> None:
    queries = ["cooperate", '"border gate"', "coop*", "cooperatoin~2", "date:2024", "湖北省"]
    batch = tmp_path / "good.txt"
    batch.write_text("\n".join(queries) + "\n", encoding="utf-8")
    proc = run_cli(
        "search", "--batch", batch, *cli_where(news), "--limit", "0",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for query, line in zip(queries, proc.stdout.splitlines(), strict=True):
        data = json_out_line(line)
        assert {h["path"] for h in data["hits"]} == found(news, query), query


def test_files_of_one_day_browse_in_name_order(tmp_path: Path) -> None:
    day = D(2024, 5, 1)
    names = ["m.txt", "c.txt", "x.txt", "a.txt", "k.txt"]
    corpus = write_corpus(
        tmp_path / "corpus", {n: file_text(day, f"Note {n}", "A harbour note.") for n in names}
    )
    index = CorpusIndex(corpus, tmp_path / "index")
    index.update()
    for query in ("*", "harbour"):
        hits = index.search(query, limit=None, sort="date").hits
        assert [h.path for h in hits] == sorted(names)
