"""Match offsets: every ``[start, end]`` that ``search --json`` reports slices exactly a word
(or a whole phrase) the query matched out of the text ``show --json`` prints, every such word
is marked, ``show --query`` agrees with ``search``, and a file changed after indexing still
gets offsets into its new text.

The expected spans are computed here independently: a regex tokenizer, Unicode folding and
Whoosh's Porter stemmer over the text ``show`` returned."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE, json_out, run, write_corpus
from whoosh.lang.porter import stem

from search.index.facade import CorpusIndex

EXTRA = {
    # Words that share a stem with a query word, a name that shares the prefix, accents,
    # a phrase broken across a line, and curly apostrophes.
    "extra/mix.txt": (
        " date 2024-05-02 Mixed forms\n"
        "They cooperate; cooperating partners cooperated. Mr Cooper and the coop.\n"
        "Border-gate trade at the border\ngate of Hữu Nghị; China’s localities and one locality.\n"
        "Cooperatives and cooperation grew at the Border Gate.\n"
    ),
}

# query -> kind of check
QUERIES = {
    "cooperate": "stem",
    "cooperation locality": "stem",
    "Guangxi": "stem",
    "china": "stem",
    '"border gate"': "phrase",
    '"Liu Ning"': "phrase",
    '"Guangxi Zhuang Autonomous Region"': "phrase",
    "coop*": "wildcard",
    "localit?": "wildcard",
    "cooperat*": "wildcard",
    "cooperatoin~2": "fuzzy",
    "cooperation NOT Kunming": "stem",
    "Guangxi OR Yunnan": "stem",
    "nghi": "stem",
    '"border gate" cooperate': "mixed",
}

WORD = re.compile(r"\w+(?:\.\w+)*")


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]


def positive_terms(query: str) -> list[str]:
    """The bare words of a query outside quotes and NOT branches."""
    query = re.sub(r'"[^"]*"', " ", query)
    query = re.sub(r"\bNOT\s+\S+", " ", query)
    return [w for w in query.split() if w not in {"AND", "OR"}]


def phrases(query: str) -> list[list[str]]:
    return [[fold(w) for w in WORD.findall(p)] for p in re.findall(r'"([^"]*)"', query)]


def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def expected_spans(query: str, text: str) -> set[tuple[int, int]]:
    """Every span the query must mark in ``text``, computed without our code."""
    tokens = words(text)
    spans: set[tuple[int, int]] = set()
    for term in positive_terms(query):
        if term.endswith("*") or "?" in term:
            pattern = re.compile(
                "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in fold(term))
            )
            spans |= {(s, e) for s, e, w in tokens if pattern.fullmatch(w)}
        elif "~" in term:
            word, edits = term.split("~")
            spans |= {(s, e) for s, e, w in tokens if levenshtein(w, fold(word)) <= int(edits or 1)}
        else:
            target = stem(fold(term))
            spans |= {(s, e) for s, e, w in tokens if stem(w) == target}
    for phrase in phrases(query):
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            if [stem(w) for _s, _e, w in window] == [stem(p) for p in phrase]:
                spans.add((window[0][0], window[-1][1]))
    return spans


def merged(spans: set[tuple[int, int]]) -> list[list[int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(end, out[-1][1])
        else:
            out.append([start, end])
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample corpus plus EXTRA, indexed by the CLI; texts and hits from the CLI too."""
    tmp = tmp_path_factory.mktemp("offsets")
    files: dict[str, str | bytes] = {p.name: p.read_bytes() for p in SAMPLE.glob("*.txt")}
    files.update(EXTRA)
    root = write_corpus(tmp / "corpus", files)
    ix = tmp / "ix"
    common = ("--corpus", root, "--index-dir", ix)
    json_out(run(tmp, "index", root, "--index-dir", ix, "--json"))
    batch = tmp / "queries.txt"
    batch.write_text("\n".join(QUERIES) + "\n", encoding="utf-8")
    proc = run(tmp, "search", "--batch", batch, "--limit", "0", *common)
    assert proc.returncode == 0, proc.stderr
    results = {
        q: json.loads(line) for q, line in zip(QUERIES, proc.stdout.splitlines(), strict=True)
    }
    texts = {}
    for path in files:
        shown = json_out(run(tmp, "show", path, "--json", *common))
        assert shown["path"] == path
        texts[path] = shown["text"]
    return {"root": root, "ix": ix, "results": results, "texts": texts, "tmp": tmp}


@pytest.mark.parametrize("query", QUERIES)
def test_search_offsets_slice_exactly_the_matched_words(query: str, corpus: dict) -> None:
    data = corpus["results"][query]
    assert data["hits"], f"{query!r} finds something in the sample corpus"
    assert data["total"] == len(data["hits"])
    for hit in data["hits"]:
        text = corpus["texts"][hit["path"]]
        want = merged(expected_spans(query, text))
        got = hit["matches"]
        slices = [text[s:e] for s, e in got]
        assert got == want, f"{query!r} in {hit['path']}: marked {slices}"
        for start, end in got:
            assert 0 <= start < end <= len(text)
            assert text[start:end] == text[start:end].strip(), "no spaces at the edges"


def test_phrases_are_one_span_covering_all_their_words(corpus: dict) -> None:
    hit = next(
        h for h in corpus["results"]['"border gate"']["hits"] if h["path"] == "extra/mix.txt"
    )
    text = corpus["texts"]["extra/mix.txt"]
    slices = [text[s:e] for s, e in hit["matches"]]
    assert slices == ["Border-gate", "border\ngate", "Border Gate"]
    for data in corpus["results"]['"Liu Ning"']["hits"]:
        text = corpus["texts"][data["path"]]
        assert all(re.fullmatch(r"Liu\s+Ning", text[s:e]) for s, e in data["matches"]), data["path"]


def test_wildcards_mark_only_their_expansions(corpus: dict) -> None:
    text = corpus["texts"]["extra/mix.txt"]
    hits = {h["path"]: h for h in corpus["results"]["cooperat*"]["hits"]}
    marked = [text[s:e] for s, e in hits["extra/mix.txt"]["matches"]]
    assert "Cooper" not in marked, "the name Cooper shares the stem, not the prefix"
    assert all(w.lower().startswith("cooperat") for w in marked)
    hits = {h["path"]: h for h in corpus["results"]["localit?"]["hits"]}
    marked = [text[s:e] for s, e in hits["extra/mix.txt"]["matches"]]
    assert marked == ["locality"], "localities has two letters after localit"


def test_show_query_offsets_equal_search_offsets(corpus: dict) -> None:
    index = CorpusIndex(corpus["root"], corpus["ix"])
    try:
        for query, data in corpus["results"].items():
            for hit in data["hits"]:
                view = index.document(hit["path"], query)
                assert view.document.text == corpus["texts"][hit["path"]]
                assert [list(m) for m in view.matches] == hit["matches"], (query, hit["path"])
    finally:
        index.close()
    # ...and through the CLI, for one of each kind.
    for query in ("cooperate", '"border gate"', "cooperat*", "cooperatoin~2"):
        proc = run(
            corpus["tmp"], "show", "extra/mix.txt", "--query", query, "--json",
            "--corpus", corpus["root"], "--index-dir", corpus["ix"],
        )  # fmt: skip
        shown = json_out(proc)
        hit = next(h for h in corpus["results"][query]["hits"] if h["path"] == "extra/mix.txt")
        assert shown["matches"] == hit["matches"], query


def test_entity_query_marks_only_mentions_of_the_entity(corpus: dict) -> None:
    index = CorpusIndex(corpus["root"], corpus["ix"])
    try:
        results = index.search('official:"Liu Ning"', limit=None)
        assert results.hits
        for hit in results.hits:
            view = index.document(hit.path, 'official:"Liu Ning"').to_json()
            [liu] = [o for o in view["officials"] if "Liu Ning" in o["name"]]
            mentions = sorted(map(tuple, liu["mentions"]))
            assert [tuple(m) for m in view["matches"]] == mentions
            assert [tuple(m) for m in hit.matches] == mentions
            assert all("Liu" in view["text"][s:e] for s, e in mentions)
    finally:
        index.close()


def test_a_file_changed_after_indexing_gets_offsets_into_its_new_text(
    tmp_path: Path, run_cli
) -> None:
    old = " date 2024-01-01 Talks\nThe partners agreed to cooperate on the border gate.\n"
    root = write_corpus(tmp_path / "corpus", {"a.txt": old, "b.txt": "Unrelated harbour.\n"})
    ix = tmp_path / "ix"
    common = ("--corpus", root, "--index-dir", ix)
    json_out(run_cli("index", root, "--index-dir", ix, "--json"))
    # Not re-indexed: text inserted before the matches shifts every offset.
    new = old.replace("The partners", "After a long night of talks, the two partners")
    new += "Cooperation on the border gate resumed.\n"
    (root / "a.txt").write_text(new, encoding="utf-8")
    text = new.split("\n", 1)[1]

    for query in ("cooperate", '"border gate"', "cooperat*"):
        want = merged(expected_spans(query, text))
        shown = json_out(run_cli("show", "a.txt", "--query", query, "--json", *common))
        assert shown["text"] == text
        assert shown["matches"] == want, query
        found = json_out(run_cli("search", query, "--json", *common))
        [hit] = found["hits"]
        assert [text[s:e] for s, e in hit["matches"]] == [text[s:e] for s, e in want], query


def test_offsets_without_snippets_equal_offsets_with_them(corpus: dict) -> None:
    index = CorpusIndex(corpus["root"], corpus["ix"])
    try:
        for query in QUERIES:
            with_text = index.search(query, limit=None)
            without = index.search(query, limit=None, snippets=False)
            assert [(h.path, h.matches) for h in without.hits] == [
                (h.path, h.matches) for h in with_text.hits
            ], query
    finally:
        index.close()


def test_title_matches_slice_the_matched_words_out_of_the_title(corpus: dict) -> None:
    """A query word searches titles too: its matches there are offsets into the title,
    for every form of query word, and a title-only query marks nothing in the text."""
    common = ("--corpus", corpus["root"], "--index-dir", corpus["ix"], "--limit", "0")
    for query, pattern in (
        ("cooperation", r"cooperation"),
        ("title:cooperat*", r"cooperation"),
        ('title:"step up"', r"step up"),
        ("title:localities", r"localities"),
    ):
        found = json_out(run(corpus["tmp"], "search", query, "--json", *common))
        assert found["hits"], query
        marked = 0
        for hit in found["hits"]:
            words = [hit["title"][s:e] for s, e in hit["title_matches"]]
            assert all(re.fullmatch(pattern, w, re.IGNORECASE) for w in words), (query, words)
            assert len(words) == len(re.findall(rf"\b{pattern}\b", hit["title"], re.I)), query
            marked += len(words)
            if query.startswith("title:"):
                assert hit["matches"] == [], "a title-only query marks nothing in the text"
        assert marked, query
