"""The timeline, the concordance and the collocates (search/views) from the CLI.

The expected figures were counted by reading the five files of sample_corpus (grep -oiw
'border[a-z]*' file by file, the header line apart): "border" stands 11 times in the
2023-02-23 file, 4 in the 2024-04-03 one, 10 in the 2024-11-07 one, and 6 and 5 times in
the two files without a date (002_, 004_); never in a title.  "border gate" or "border
gates" 9 times; "gate"/"gates" 9 times in all texts (004_ has "gateway", another word).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, json_out

from search import CorpusIndex
from search.views.concordance import fit_left, fit_right
from search.views.timeline import choose_unit, make_timeline, timeline

BORDER_BY_DATE = {"2023-02-23": 11, "2024-04-03": 4, "2024-11-07": 10}
BORDER_UNDATED = {"002_d41862e290118f8e.txt": 6, "004_c9064340a64b1436.txt": 5}


@pytest.fixture(scope="module")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    """One index of a copy of the sample for the module (the tests only read it)."""
    root = tmp_path_factory.mktemp("views")
    index = CorpusIndex(Path(shutil.copytree(SAMPLE, root / "sample_corpus")), root / "index")
    index.update(procs=0)
    return index


def _view(run_cli, corpus: Path, index_dir: Path, *args: str):
    return run_cli(*args, "--corpus", corpus, "--index-dir", index_dir)


def test_timeline_json_and_csv_by_year_and_month(built_index, run_cli) -> None:
    corpus, ix = built_index.corpus, built_index.index_dir
    data = json_out(_view(run_cli, corpus, ix, "timeline", "border", "--by", "year", "--json"))
    assert data["by"] == "year"
    assert data["total"] == 5
    rows = {b["label"]: (b["documents"], b["matches"]) for b in data["buckets"]}
    assert rows == {"2023": (1, 11), "2024": (2, 14)}
    assert data["undated"] == {"documents": 2, "matches": 11}
    assert data["matches"] == 36

    proc = _view(run_cli, corpus, ix, "timeline", "border", "--by", "month", "--csv")
    assert proc.returncode == 0, proc.stderr
    table = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert table[0]["label"] == "2023-02" and table[-2]["label"] == "2024-11"
    assert len(table) == 22 + 1  # every month from 2023-02 to 2024-11, then "undated"
    counted = {r["label"]: (int(r["documents"]), int(r["matches"])) for r in table}
    assert counted["2023-02"] == (1, 11)
    assert counted["2024-04"] == (1, 4)
    assert counted["2024-11"] == (1, 10)
    assert counted["2023-03"] == (0, 0)  # empty months are drawn, time runs evenly
    assert counted["undated"] == (2, 11)


def test_timeline_human_output_says_the_undated_and_no_hits_exits_1(built_index, run_cli):
    corpus, ix = built_index.corpus, built_index.index_dir
    proc = _view(run_cli, corpus, ix, "timeline", "border", "--by", "year")
    assert proc.returncode == 0, proc.stderr
    assert "undated" in proc.stdout and "2 files  11 matches" in proc.stdout
    assert "█" in proc.stdout
    none = _view(run_cli, corpus, ix, "timeline", "walrus")
    assert none.returncode == 1


def test_concordance_json_lines_every_match_in_date_order(built_index, run_cli) -> None:
    corpus, ix = built_index.corpus, built_index.index_dir
    data = json_out(_view(run_cli, corpus, ix, "concordance", "border", "--json"))
    assert data["files"] == 5
    lines = data["lines"]
    assert len(lines) == 36
    per_date: dict[str, int] = {}
    for line in lines:
        per_date[line["date"] or line["path"]] = per_date.get(line["date"] or line["path"], 0) + 1
        assert line["match"].lower() == "border"
        assert line["field"] == "text"
    assert per_date == {**BORDER_BY_DATE, **BORDER_UNDATED}
    dates = [line["date"] for line in lines]
    assert dates[:11] == ["2023-02-23"] * 11 and dates[-11:] == [None] * 11
    # The offsets are the reader's: the text at them is the match.
    first = lines[0]
    text = (corpus / first["path"]).read_text(encoding="utf-8").split("\n", 1)[1]
    assert text[first["start"] : first["end"]] == first["match"]


def test_concordance_sorted_by_the_right_word_and_csv_width(built_index, run_cli) -> None:
    corpus, ix = built_index.corpus, built_index.index_dir
    proc = _view(run_cli, corpus, ix, "concordance", "border", "--sort", "right",
                 "--width", "12", "--csv")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 36
    # The words after the match, punctuation aside (grep -o 'border,\? and [a-z]*'):
    # "border, and effectively" and "border and related" (002_), "border and relevant"
    # (000_), "border and touched" (004_).
    assert [r["path"][:4] for r in rows[:4]] == ["002_", "002_", "000_", "004_"]
    assert rows[1]["right"] == " and related"  # 12 cells
    assert all(len(r["left"]) <= 12 and len(r["right"]) <= 12 for r in rows)


def test_collocates_counts_in_the_window_and_in_the_corpus(built_index, run_cli) -> None:
    corpus, ix = built_index.corpus, built_index.index_dir
    data = json_out(_view(run_cli, corpus, ix, "collocates", "border", "--window", "1", "--json"))
    assert data["window"] == 1
    assert data["matches"] == 36
    found = {c["term"]: c for c in data["collocates"]}
    assert found["gate"]["observed"] == 9
    assert found["gate"]["corpus"] == 9
    assert data["collocates"][0]["term"] == "gate"  # the strongest, by log-likelihood
    proc = _view(run_cli, corpus, ix, "collocates", "border", "--window", "1", "--csv")
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert rows[0]["word"] in ("gates", "gate") and rows[0]["observed"] == "9"


def test_bad_window_is_one_line_and_exit_2(built_index, run_cli) -> None:
    corpus, ix = built_index.corpus, built_index.index_dir
    proc = _view(run_cli, corpus, ix, "collocates", "border", "--window", "0")
    assert proc.returncode == 2
    assert "between 1 and 200" in proc.stderr


def test_cjk_and_vietnamese_contexts_fit_in_cells() -> None:
    assert fit_left("广西壮族自治区", 5) == "自治区"[1:]  # 2 cells each: two fit in 5
    assert fit_right("Lạng Sơn border", 8) == "Lạng Sơn"
    assert fit_left("abc", 10) == "abc"


def test_unit_chosen_from_the_span() -> None:
    import datetime as dt

    day = dt.date(2024, 1, 1)
    assert choose_unit(day, day + dt.timedelta(days=30)) == "day"
    assert choose_unit(day, day + dt.timedelta(days=200)) == "week"
    assert choose_unit(day, day + dt.timedelta(days=900)) == "month"
    assert choose_unit(day, day + dt.timedelta(days=4000)) == "year"
    line = make_timeline("q", [day, None, day + dt.timedelta(days=8)], "week")
    assert [(b.label, b.documents) for b in line.buckets] == [("2024-W01", 1), ("2024-W02", 1)]
    assert line.undated == 1 and line.total == 3


# -- Reuters: the timeline's counts are the search's, month by month ---------------------
def _reuters(tmp: Path) -> Path | None:
    unpacked = Path(os.environ.get("CORPUS_BROWSER_REUTERS", "/tmp/corpora/reuters21578"))
    if unpacked.is_dir():
        return unpacked
    shared = Path(os.environ.get("CORPUS_BROWSER_SHARED") or Path(__file__).parents[2] / "shared")
    tarball = shared / "corpora" / "reuters21578.tar.gz"
    if not tarball.is_file():
        return None
    from bench.corpora import extract_reuters

    return extract_reuters(tarball, tmp)


@pytest.mark.heavy
def test_reuters_timeline_counts_equal_the_search_totals_for_every_month_of_1987(
    tmp_path: Path,
) -> None:
    corpus = _reuters(tmp_path)
    if corpus is None:
        pytest.skip("Reuters not found: set CORPUS_BROWSER_SHARED (or CORPUS_BROWSER_REUTERS)")
    index = CorpusIndex(corpus, tmp_path / "index")
    index.update()
    for query in ("said", "oil OR gold", "*"):
        line, results = timeline(index, query, unit="month")
        months = {b.label: b for b in line.buckets}
        seen = 0
        for month in range(1, 13):
            label = f"1987-{month:02d}"
            ranged = index.search(f"({query}) date:{label}", limit=None, snippets=False)
            bucket = months.get(label)
            documents = bucket.documents if bucket else 0
            matches = bucket.matches if bucket else 0
            assert documents == ranged.total, (query, label)
            assert matches == sum(h.match_count for h in ranged.hits), (query, label)
            seen += ranged.total
        assert seen + line.undated == results.total == line.total


def test_no_escape_from_a_text_or_a_name_reaches_the_terminal(tmp_path: Path, run_cli) -> None:
    """A file whose text holds escape sequences (the hostile file mentions Guangxi once)
    and one whose name does: every view's human and CSV output shows them as symbols."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_tui_support import build_index, make_corpus

    corpus = make_corpus(tmp_path)
    (corpus / "fn-\x1b]0;TITLE\x07.txt").write_text("Guangxi again.\n", encoding="utf-8")
    index = build_index(corpus, tmp_path / "index")
    for args in (
        ("concordance", "guangxi", "--width", "80"),
        ("concordance", "guangxi", "--csv", "--width", "80"),
        ("concordance", "guangxi", "--sort", "left"),
        ("collocates", "guangxi", "--window", "20"),
        ("timeline", "guangxi"),
    ):
        proc = _view(run_cli, index.corpus, index.index_dir, *args)
        assert proc.returncode == 0, proc.stderr
        assert "\x1b" not in proc.stdout and "\x1b" not in proc.stderr, args
    proc = _view(run_cli, index.corpus, index.index_dir, "concordance", "guangxi", "--width", "80")
    assert "␛]52;c;SGVsbG8=" in proc.stdout  # shown, as a symbol
