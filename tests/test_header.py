"""The optional first line `` date YYYY-MM-DD Title``: every form real files use, and the
dates that cannot be trusted.  Each case is a real file read as the index reads it, and the
good forms are also checked end to end through the CLI's ``show --json``."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import json_out

from search.corpus.header import parse_header, split_header
from search.corpus.read import read_document

BODY = "The delegation discussed river transport and border markets.\nA second line.\n"

# (header line, expected date, expected title)
GOOD = {
    "leading space": (
        " date 2024-04-03 Leaders meet in Hanoi",
        (2024, 4, 3),
        "Leaders meet in Hanoi",
    ),
    "no leading space": (
        "date 2024-04-03 Leaders meet in Hanoi",
        (2024, 4, 3),
        "Leaders meet in Hanoi",
    ),
    "several spaces": ("  date    2024-04-03     Leaders meet", (2024, 4, 3), "Leaders meet"),
    "tab": ("\tdate\t2024-04-03\tLeaders meet", (2024, 4, 3), "Leaders meet"),
    "upper case": (" DATE 2024-04-03 Leaders meet", (2024, 4, 3), "Leaders meet"),
    "mixed case": (" Date 2024-04-03 Leaders meet", (2024, 4, 3), "Leaders meet"),
    "slashes, no padding": (" date 2024/4/3 Leaders meet", (2024, 4, 3), "Leaders meet"),
    "compact": (" date 20240403 Leaders meet", (2024, 4, 3), "Leaders meet"),
    "dots": (" date 2023.12.31 Year end", (2023, 12, 31), "Year end"),
    "29 February of a leap year": (" date 2024-02-29 Leap day", (2024, 2, 29), "Leap day"),
}

# (header line, words the problem must mention)
BAD = {
    "month 13": (" date 2024-13-03 Thirteenth month", "2024-13-03"),
    "30 February": (" date 2024-02-30 No such day", "2024-02-30"),
    "29 February, not leap": (" date 2023-02-29 No such day", "2023-02-29"),
    "day 0": (" date 2024-04-00 Day zero", "2024-04-00"),
    "year 0": (" date 0000-04-03 Year zero", "0000-04-03"),
    "year 9999": (" date 9999-04-03 Far future", "9999"),
}


@pytest.mark.parametrize("case", GOOD, ids=list(GOOD))
def test_header_forms_parse(case: str) -> None:
    line, ymd, title = GOOD[case]
    header = parse_header(line)
    assert header is not None, f"{line!r} is a header"
    assert header.date == datetime.date(*ymd)
    assert header.title == title
    assert header.problem is None


@pytest.mark.parametrize("case", GOOD, ids=list(GOOD))
def test_header_forms_in_real_files(case: str, make_corpus) -> None:
    line, ymd, title = GOOD[case]
    root = make_corpus({"a.txt": line + "\n" + BODY})
    doc = read_document(root, "a.txt")
    assert doc.date == datetime.date(*ymd)
    assert doc.date_inferred is False
    assert doc.title == title
    assert doc.text == BODY, "the header line is not part of the text the reader shows"
    assert doc.warnings == []


def test_header_without_title_takes_the_first_meaningful_line(make_corpus) -> None:
    root = make_corpus({"a.txt": " date 2024-04-03\n\n   \nRiver transport talks open\nMore.\n"})
    doc = read_document(root, "a.txt")
    assert doc.date == datetime.date(2024, 4, 3)
    assert doc.title == "River transport talks open"
    assert parse_header(" date 2024-04-03").title == ""


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_impossible_dates_are_reported_not_trusted(case: str, make_corpus) -> None:
    line, mention = BAD[case]
    header = parse_header(line)
    assert header is not None, "still a header: the title is taken, the date is not"
    assert header.date is None
    assert header.problem and mention in header.problem

    root = make_corpus({"a.txt": line + "\n" + BODY})
    doc = read_document(root, "a.txt")
    assert doc.date is None, "a body without any date gives nothing to infer"
    assert doc.title == line.split(None, 2)[2]
    assert doc.text == BODY
    assert any(mention in w for w in doc.warnings), doc.warnings


@pytest.mark.parametrize(
    "line",
    [
        "date: 2024-04-03 Colon is prose",
        "dated 2024-04-03 Another word",
        "date 2024-04-03x Glued",
        "On date 2024-04-03 something",
        "date 24-04 Partial",
    ],
)
def test_lines_that_are_not_headers(line: str) -> None:
    assert parse_header(line) is None


def test_header_on_line_two_is_not_a_header(make_corpus) -> None:
    text = "Leaders meet in Hanoi\n date 2019-05-06 Not a header\n" + BODY
    assert split_header(text) == (None, text)
    root = make_corpus({"a.txt": text})
    doc = read_document(root, "a.txt")
    assert doc.text == text, "nothing is cut from a file without a header"
    assert doc.title == "Leaders meet in Hanoi"
    assert doc.date != datetime.date(2019, 5, 6) or doc.date_inferred, (
        "a date on line 2 may only be an inference, never a header date"
    )


def test_header_on_a_file_that_is_only_a_header(make_corpus) -> None:
    root = make_corpus({"a.txt": " date 2024-04-03 Only a header"})
    doc = read_document(root, "a.txt")
    assert (doc.date, doc.title, doc.text) == (datetime.date(2024, 4, 3), "Only a header", "")


def test_header_dates_and_problems_through_the_cli(make_corpus, run_cli, tmp_path: Path) -> None:
    files = {f"{i:02d}.txt": GOOD[c][0] + "\n" + BODY for i, c in enumerate(GOOD)}
    files.update({f"bad{i}.txt": BAD[c][0] + "\n" + BODY for i, c in enumerate(BAD)})
    root = make_corpus(files)
    ix = tmp_path / "ix"
    report = json_out(run_cli("index", root, "--index-dir", ix, "--json"))
    assert report["documents"] == len(files)
    warned = {w["path"] for w in report["warnings"]}
    assert warned == {f"bad{i}.txt" for i in range(len(BAD))}

    found = json_out(
        run_cli(
            "search", "delegation", "--corpus", root, "--index-dir", ix, "--json", "--limit", "0"
        )
    )
    assert found["total"] == len(files), "undated documents are found like any other"
    by_path = {h["path"]: h for h in found["hits"]}
    for i, case in enumerate(GOOD):
        hit = by_path[f"{i:02d}.txt"]
        assert hit["date"] == datetime.date(*GOOD[case][1]).isoformat()
        assert hit["title"] == GOOD[case][2]
    for i, case in enumerate(BAD):
        hit = by_path[f"bad{i}.txt"]
        assert hit["date"] is None
        assert hit["title"] == BAD[case][0].split(None, 2)[2]

    shown = json_out(run_cli("show", "00.txt", "--corpus", root, "--index-dir", ix, "--json"))
    assert (shown["date"], shown["title"], shown["text"]) == (
        "2024-04-03",
        GOOD["leading space"][2],
        BODY,
    )
