"""The extractor against the shared gold annotation of the five sample files.

Run with ``-s`` to see the table. Floors are what the extractor reaches today (dates: two
sample files carry only a month and day, and the extractor refuses to guess the year).
"""

from __future__ import annotations

import pytest
from gold_scorer import GOLD, gold_cases, score, table

pytestmark = pytest.mark.skipif(not GOLD.exists(), reason="../shared gold not available")


def test_gold_sample_corpus_scores() -> None:
    rep = score(gold_cases())
    print()
    print(table(rep, "gold sample corpus"))
    assert rep.docs == 5
    assert rep.officials.f1 >= 0.95
    assert rep.official_mentions.f1 >= 0.95
    assert rep.provinces.f1 >= 0.97
    assert rep.provinces_vn_cn.f1 >= 0.97
    assert rep.provinces_no_municipal.f1 >= 0.97
    assert rep.province_mentions.f1 >= 0.95
    assert rep.captions.f1 >= 0.9
    assert rep.bp_right == 5
    assert rep.titles_right == 5
    assert rep.dates_right >= 3  # the three header dates; 002/004 are month-day only


def test_undated_samples_are_left_undated_not_guessed() -> None:
    """A month-day without year evidence must not borrow a year from the related-news tail."""
    from search.extract import extract

    for case in gold_cases():
        if case.header_date is None:
            e = extract(case.text)
            assert e.date is None or e.date == case.date
            assert not (e.date is None and e.date_inferred)
