"""Export: search/export.py's formats (CSV injection, JSON escaping, Markdown) and the real
app's ``E`` dialog through Pilot on real files and a real index: every hit of a search of
more than one page, in the list's order; the article with its matches bold; refusing to
overwrite; a folder that cannot be written."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tui_support import app_for, harbour_notes, indexed_corpus, search, settle  # noqa: E402

from search import CorpusIndex  # noqa: E402
from search.export import (  # noqa: E402
    ExportError,
    ExportHeader,
    csv_cell,
    default_name,
    export_format,
    markdown_text,
    results_csv,
    results_jsonl,
    results_markdown,
    write_export,
)
from search.index.facade import Hit  # noqa: E402
from tui.export_screen import ExportScreen  # noqa: E402

FILES = 450  # three pages of the export's reads (and of the results list)


# -- search/export.py --------------------------------------------------------------------
def _hit(path: str, title: str) -> Hit:
    return Hit(path=path, title=title, date=None, date_inferred=False, score=1.5, matches=[])


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_csv_cell_a_spreadsheet_would_run_starts_with_a_quote(start: str) -> None:
    text = results_csv([_hit(f"{start}cmd.txt", f"{start}SUM(A1:A9)")], scored=False)
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[0].startswith("'") and row[2].startswith("'")
    assert csv_cell("a=b") == "a=b" and csv_cell("2024-01-02") == "2024-01-02"
    assert csv_cell("\t=1") == " =1" and not csv_cell("\r=1").startswith(("\r", "="))


def test_csv_and_markdown_show_controls_jsonl_escapes_them_exactly() -> None:
    title = "Red \x1b[31mX\x1b[0m \u202eevil \x9b2J line\u2028end"
    hit = _hit("a\x07b.txt", title)
    for text in (results_csv([hit], True), markdown_text(title)):
        assert not any(c in text for c in "\x1b\x07\x9b\u202e\u2028")
    line = results_jsonl([hit])
    assert line.endswith("\n") and line.count("\n") == 1
    assert not any(c in line for c in "\x1b\x07\x9b\u202e\u2028")
    assert json.loads(line)["title"] == title and json.loads(line)["path"] == "a\x07b.txt"


def test_markdown_escapes_its_punctuation_and_names_the_search() -> None:
    assert markdown_text("*a* [b](c) <d> #e `f`") == r"\*a\* \[b\](c) \<d\> \#e \`f\`"
    header = ExportHeader(query="harbour", sort="oldest first", total=1, filters=["Guangxi"])
    text = results_markdown(header, [_hit("x.txt", "T")], lambda _hit: "")
    assert "- query: harbour" in text and "- filters: Guangxi" in text
    assert "- sort: oldest first" in text and "1 file, 0 matches." in text
    text = results_markdown(header, [_hit("x\ny.txt", "Two\nlines # no")], lambda _hit: "")
    heading = next(line for line in text.splitlines() if line.startswith("## "))
    assert "Two lines \\# no" in heading and "y.txt" in heading  # one line, still a heading


def test_formats_names_and_refusals(tmp_path: Path) -> None:
    assert export_format(tmp_path / "a.CSV") == ".csv"
    with pytest.raises(ExportError, match="exports to"):
        export_format(tmp_path / "a.txt")
    with pytest.raises(ExportError):
        export_format(tmp_path / "a.csv", article=True)
    assert default_name("Thủ tướng / ＊x") == "corpus-browser-thủ-tướng-x.csv"
    assert default_name("  ", ".md") == "corpus-browser-all.md"
    target = tmp_path / "a.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ExportError, match="exists"):
        write_export(target, "new")
    write_export(target, "new", overwrite=True)
    assert target.read_text(encoding="utf-8") == "new"
    with pytest.raises(ExportError, match="cannot write"):
        write_export(tmp_path / "no-such-folder" / "a.csv", "x")


# -- the app -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    """FILES harbour notes whose titles a spreadsheet would take for formulas."""
    return harbour_notes(tmp_path_factory.mktemp("export"), FILES, title="=Note")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    return indexed_corpus(tmp_path_factory.mktemp("export-sample"))


async def export(pilot, path: Path, article: bool = False) -> ExportScreen:
    """``E``, the choice, the path typed, Enter; the dialog (still open or not)."""
    app = pilot.app
    await pilot.press("E")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    if article:
        await pilot.click("#export-article")
        assert screen.query_one("#path").value.endswith(".md")
    screen.query_one("#path").value = str(path)
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def test_the_results_list_exports_every_hit_in_the_lists_order(
    many: CorpusIndex, tmp_path: Path
) -> None:
    expected = many.search("harbour", limit=None, sort="relevance").hits
    assert len(expected) == FILES
    app = app_for(many)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "harbour")
        assert len(app.results.hits) < FILES  # only the first page is loaded
        for ext in ("csv", "jsonl", "md"):
            await export(pilot, tmp_path / f"out.{ext}")
        done = [n.message for n in app._notifications if n.title == "Exported"]
        assert len(done) == 3 and all(f"{FILES} files to" in m for m in done)

    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8"))))
    assert [r["path"] for r in rows] == [h.path for h in expected]
    assert [int(r["matches"]) for r in rows] == [len(h.matches) for h in expected]
    assert [r["date"] for r in rows] == [h.date.isoformat() for h in expected]
    assert all(r["title"].startswith("'=Note") for r in rows)  # not a formula
    assert all(float(r["score"]) > 0 for r in rows)

    lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    records = [h.to_json() for h in expected]
    for record in records:
        del record["snippet"]
    assert [json.loads(line) for line in lines] == records

    report = (tmp_path / "out.md").read_text("utf-8")
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert [h.split(" · ")[2] for h in headings] == [h.path for h in expected]
    assert "- query: harbour" in report and f"- {FILES} files" in report
    assert report.count("> A **harbour** note, number 7. The **harbour**.") == 1
    total = sum(h.match_count for h in expected)
    assert report.rstrip().endswith(f"{FILES} files, {total:,} matches.")


async def test_the_article_exports_with_its_matches_bold_and_nothing_live(
    sample: CorpusIndex, tmp_path: Path
) -> None:
    app = app_for(sample)
    target = tmp_path / "article.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "hostile")
        assert app.view is not None and app.view.document.path == "hostile.txt"
        await export(pilot, target, article=True)
    view = sample.document("hostile.txt", "hostile")
    text = target.read_text("utf-8")
    assert text.count("**hostile**") == len(view.matches) >= 1
    assert "- path: hostile.txt" in text and "- date: 2025-01-02" in text
    assert "\x1b" not in text and "\x07" not in text
    assert r"\[bold\]x\[/\]" in text  # Rich markup written literally


@pytest.mark.heavy  # seconds of process starts; .ci/run runs the heavy tests
async def test_an_existing_file_is_replaced_only_after_a_second_enter_and_failures_are_one_line(
    sample: CorpusIndex, tmp_path: Path
) -> None:
    target = tmp_path / "kept.csv"
    target.write_text("old\n", encoding="utf-8")
    blocker = tmp_path / "a-file"  # a folder path through a file: nothing can be written
    blocker.write_text("", encoding="utf-8")
    app = app_for(sample)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "Guangxi")
        screen = await export(pilot, target)
        assert app.screen is screen  # still asking
        assert "exists: Enter again replaces it" in str(screen.query_one("#note").render())
        assert target.read_text("utf-8") == "old\n"
        await pilot.press("escape")
        await settle(pilot)
        assert target.read_text("utf-8") == "old\n"
        await export(pilot, target)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert target.read_text("utf-8").startswith("path,date,title,")

        screen = await export(pilot, tmp_path / "x.txt")  # not a format: the dialog says so
        assert "exports to .csv, .jsonl, .md" in str(screen.query_one("#note").render())
        assert app.screen is screen and "x.txt" not in {p.name for p in tmp_path.iterdir()}
        await pilot.press("escape")
        await settle(pilot)

        await export(pilot, blocker / "out.csv")
        errors = [n.message for n in app._notifications if n.severity == "error"]
    assert len(errors) == 1 and "\n" not in errors[0]
    assert errors[0].startswith("not exported: cannot write") and "out.csv" in errors[0]
