"""Lists of names sharing titles, lead-sentence header lines, and the residual failure classes
of issue 17 (given names that are English words, title phrases with direction words, clubs
and firms named after provinces, ministry department directors, foreign names written in
Sino-Vietnamese).

Every sentence here is written for the test; none is corpus text.
"""

from __future__ import annotations

import datetime

import pytest
from conftest import json_out

from search.corpus.header import parse_header
from search.corpus.read import read_document
from search.extract import extract

DAY = datetime.date(2024, 5, 2)
# Enough Vietnamese function words for the text to be read as Vietnamese.
VI_TAIL = " Các đại biểu đã thảo luận và thống nhất những nội dung của chương trình.\n"


def officials(text: str, **kw) -> dict[str, list[str]]:
    """Official name -> titles, as the extractor finds them."""
    e = extract(text + "\n", header_date=DAY, **kw)
    return {o.name: o.titles for o in e.officials}


def provinces(text: str) -> dict[str, int]:
    e = extract(text + "\n", header_date=DAY)
    return {p.key: len(p.mentions) for p in e.provinces}


# ---- lists: each name its own title, never the neighbour's -------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Nguyen Van An and Tran Thi Binh, respectively the Minister of Industry and Trade"
            " and the Minister of Finance, met on Monday.",
            {
                "Nguyen Van An": ["Minister of Industry and Trade"],
                "Tran Thi Binh": ["Minister of Finance"],
            },
        ),
        (
            "Ali Hassan, Omar Farouk and Karim Said, respectively Minister of Oil, Minister of"
            " Health and Deputy Prime Minister, arrived on Monday.",
            {
                "Ali Hassan": ["Minister of Oil"],
                "Omar Farouk": ["Minister of Health"],
                "Karim Said": ["Deputy Prime Minister"],
            },
        ),
        (
            "Kiichi Miyazawa and Gerhard Stoltenberg, Japan's Finance Minister and West"
            " Germany's Finance Minister respectively, met.",
            {
                "Kiichi Miyazawa": ["Japan's Finance Minister"],
                "Gerhard Stoltenberg": ["West Germany's Finance Minister"],
            },
        ),
    ],
)
def test_respectively_gives_each_name_its_own_title(text: str, want: dict) -> None:
    assert officials(text) == want


def test_respectively_with_too_few_titles_gives_none() -> None:
    text = "Nguyen Van An and Tran Thi Binh, respectively the Minister of Finance, met."
    assert officials(text) == {}


def test_respectively_a_firms_post_is_nobodys() -> None:
    text = (
        "John Smith and Tran Thi Binh, respectively the chief executive of Acme Corp and the"
        " Minister of Finance, met."
    )
    assert officials(text) == {"Tran Thi Binh": ["Minister of Finance"]}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Kiichi Miyazawa and Gerhard Stoltenberg, the finance ministers of Japan and West"
            " Germany, met in Paris.",
            {
                "Kiichi Miyazawa": ["finance minister of Japan"],
                "Gerhard Stoltenberg": ["finance minister of West Germany"],
            },
        ),
        (
            "Nguyen Van An and Tran Thi Binh, the ministers of finance and trade, met.",
            {"Nguyen Van An": ["minister of finance"], "Tran Thi Binh": ["minister of trade"]},
        ),
        (  # a plural title that cannot be cut name by name goes to all of them
            "Kiichi Miyazawa and Gerhard Stoltenberg, the Japanese and West German finance"
            " ministers, met in Paris.",
            {
                "Kiichi Miyazawa": ["Japanese and West German finance ministers"],
                "Gerhard Stoltenberg": ["Japanese and West German finance ministers"],
            },
        ),
    ],
)
def test_a_plural_apposition_covers_the_whole_list(text: str, want: dict) -> None:
    assert officials(text) == want


def test_a_singular_apposition_after_a_list_is_the_last_names() -> None:
    text = "Kiichi Miyazawa and Gerhard Stoltenberg, the West German finance minister, met."
    assert officials(text) == {"Gerhard Stoltenberg": ["West German finance minister"]}


def test_possessive_list_keeps_each_title_with_its_name() -> None:
    text = (
        "Japan's Finance Minister Kiichi Miyazawa and West Germany's Gerhard Stoltenberg met"
        " in Paris."
    )
    assert officials(text) == {"Kiichi Miyazawa": ["Japan's Finance Minister"]}


def test_a_plural_title_before_a_list() -> None:
    text = "Presidents Nguyen Van An and Joko Widodo held talks."
    assert officials(text) == {
        "Nguyen Van An": ["Presidents"],
        "Joko Widodo": ["Presidents"],
    }


def test_a_plural_head_after_to_still_covers_the_list() -> None:
    text = "Aides to Republican Sens. Mitch McConnell (Ky.) and Pete Wilson (Calif.) said."
    assert set(officials(text)) == {"Mitch McConnell", "Pete Wilson"}


def test_a_vietnamese_given_name_that_is_an_english_word() -> None:
    assert officials("Finance Minister Nguyen Van An said on Monday.") == {
        "Nguyen Van An": ["Finance Minister"]
    }


def test_vietnamese_lan_luot_la() -> None:
    text = (
        "Chiều 2/5, các ông Nguyễn Văn An và Trần Văn Bình, lần lượt là Chủ tịch UBND tỉnh"
        " Nghệ An và Chủ tịch UBND tỉnh Hà Tĩnh, đã ký kết thỏa thuận hợp tác." + VI_TAIL
    )
    assert officials(text) == {
        "Nguyễn Văn An": ["Chủ tịch UBND tỉnh Nghệ An"],
        "Trần Văn Bình": ["Chủ tịch UBND tỉnh Hà Tĩnh"],
    }


def test_vietnamese_lan_luot_la_skips_a_company_post() -> None:
    text = (
        "Tham dự có ông Nguyễn Văn An, bà Lê Thị Hoa và ông Trần Văn Bình, lần lượt là Bộ"
        " trưởng Bộ Tài chính, Giám đốc Công ty ABC và Phó Chủ tịch UBND tỉnh Hà Tĩnh." + VI_TAIL
    )
    assert officials(text) == {
        "Nguyễn Văn An": ["Bộ trưởng Bộ Tài chính"],
        "Trần Văn Bình": ["Phó Chủ tịch UBND tỉnh Hà Tĩnh"],
    }


def test_vietnamese_lan_luot_la_with_too_few_titles_gives_none() -> None:
    text = (
        "Các ông Nguyễn Văn An và Trần Văn Bình, lần lượt là Chủ tịch UBND tỉnh Nghệ An,"
        " đã ký kết thỏa thuận." + VI_TAIL
    )
    assert officials(text) == {}


# ---- a header line that is the lead sentence -----------------------------------------------

LEAD_EN = (
    " date 2024-05-02  Chairman of the People's Committee of Lao Cai province Nguyen Van Binh"
    " said the border gate would reopen on Monday.\n"
    "The gate had been closed for a week. Binh said trade would resume.\n"
)
LEAD_VI = (
    " date 2024-05-02 Chủ tịch UBND tỉnh Lào Cai Nguyễn Văn Bình cho biết cửa khẩu sẽ mở lại."
    "\nCửa khẩu đã đóng cửa một tuần. Ông Bình cho biết hoạt động thương mại của tỉnh sẽ được"
    " khôi phục và các doanh nghiệp đã sẵn sàng.\n"
)


@pytest.mark.parametrize(
    ("raw", "name", "title", "place"),
    [
        (
            LEAD_EN,
            "Nguyen Van Binh",
            "Chairman of the People's Committee of Lao Cai province",
            "Lao Cai province",
        ),
        (LEAD_VI, "Nguyễn Văn Bình", "Chủ tịch UBND tỉnh Lào Cai", "Lào Cai"),
    ],
)
def test_a_lead_sentence_header_is_read_with_file_offsets(
    tmp_path, raw: str, name: str, title: str, place: str
) -> None:
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    doc = read_document(tmp_path, "a.txt")
    ext = doc.extraction
    (o,) = ext.officials
    assert (o.name, o.titles) == (name, [title])
    assert [raw[m.start : m.end] for m in o.header_mentions] == [name]
    assert [doc.text[m.start : m.end] for m in o.mentions] == ["Binh" if "Van" in name else "Bình"]
    (p,) = ext.provinces
    assert [raw[m.start : m.end] for m in p.header_mentions] == [place]
    assert p.mentions == []  # named only in the header line


def test_show_json_gives_header_mentions_from_the_index(make_corpus, run_cli, tmp_path) -> None:
    corpus = make_corpus({"lead.txt": LEAD_EN})
    index_dir = tmp_path / "ix"
    assert run_cli("index", corpus, "--index-dir", index_dir, "--quiet").returncode == 0
    view = json_out(
        run_cli("show", "lead.txt", "--corpus", corpus, "--index-dir", index_dir, "--json")
    )
    (o,) = view["officials"]
    assert [LEAD_EN[a:b] for a, b in o["header_mentions"]] == ["Nguyen Van Binh"]
    assert [view["text"][a:b] for a, b in o["mentions"]] == ["Binh"]


def test_a_headline_header_is_not_read_as_text() -> None:
    line = " date 2024-05-02 Lao Cai chairman Nguyen Van Binh meets investors"
    header = parse_header(line)
    assert header is not None and line[header.title_at :] == header.title
    e = extract("Trade rose.\n", header_title=header.title, header_date=header.date)
    assert e.officials == [] and e.provinces == []


# ---- title phrases broken by a direction word or a prefecture ---------------------------


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        (
            "Chairman of the People's Committee of northern Lao Cai province Nguyen Van Binh"
            " said the project would start soon.",
            "Nguyen Van Binh",
            "Chairman of the People's Committee of northern Lao Cai province",
        ),
        (
            "Secretary of the Party Committee of the northern mountainous province of Ha Giang"
            " Dang Quoc Khanh said.",
            "Dang Quoc Khanh",
            "Secretary of the Party Committee of the northern mountainous province of Ha Giang",
        ),
        (
            "Governor of Aichi prefecture Hideaki Omura visited Hanoi on Tuesday.",
            "Hideaki Omura",
            "Governor of Aichi prefecture",
        ),
    ],
)
def test_direction_words_and_prefecture_inside_a_title(text: str, name: str, title: str) -> None:
    assert officials(text) == {name: [title]}


# ---- a ministry department director (Vụ trưởng) ------------------------------------------


def test_vu_truong_is_a_public_title_and_vu_is_no_surname() -> None:
    text = (
        "Bà Nguyễn Thu Hà, quyền Vụ trưởng Vụ Giáo dục đại học – Bộ GD&ĐT cho biết kỳ thi sẽ"
        " diễn ra. Theo Vụ trưởng Vụ Giáo dục Chính trị, học sinh cần được hỗ trợ." + VI_TAIL
    )
    assert officials(text) == {"Nguyễn Thu Hà": ["quyền Vụ trưởng Vụ Giáo dục đại học – Bộ GD&ĐT"]}


# ---- clubs and firms named after a province --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hoàng Anh Gia Lai thắng Becamex Bình Dương 2-1, trong khi SHB Đà Nẵng hòa Hà Nội FC."
        + VI_TAIL,
        "Trận đấu giữa Sông Lam Nghệ An và Hồng Lĩnh Hà Tĩnh diễn ra chiều qua." + VI_TAIL,
        "Thép Xanh Nam Định đứng đầu bảng, Công ty Thép Hòa Phát Hải Dương tài trợ." + VI_TAIL,
        "Becamex Binh Duong beat SHB Da Nang and Hoang Anh Gia Lai on Sunday.",
        "Chiba Kogyo Bank and Dong Nai Rubber Corp reported higher profits.",
    ],
)
def test_a_club_or_firm_named_after_a_province_is_not_the_province(text: str) -> None:
    assert provinces(text) == {}


def test_the_province_beside_its_club_still_counts() -> None:
    text = "Becamex Bình Dương đã có mặt tại tỉnh Bình Dương và các cầu thủ được nghỉ." + VI_TAIL
    assert provinces(text) == {"binh_duong": 1}


# ---- foreign names in Sino-Vietnamese, given names that are places ------------------------


def test_a_chinese_name_in_sino_vietnamese_after_its_country() -> None:
    text = (
        "Chủ tịch Trung Quốc Tập Cận Bình đã điện đàm với Tổng thống Nga Vladimir Putin." + VI_TAIL
    )
    assert officials(text) == {
        "Tập Cận Bình": ["Chủ tịch Trung Quốc"],
        "Vladimir Putin": ["Tổng thống Nga"],
    }


def test_a_sino_vietnamese_place_after_a_country_is_no_name() -> None:
    text = "Chủ tịch Trung Quốc Hồ Bắc cho biết các đại biểu đã đến." + VI_TAIL
    assert officials(text) == {}


def test_a_given_name_that_is_a_place_before_a_speech_verb_is_the_person() -> None:
    text = (
        "Vice Chairman of the provincial People's Committee Nguyen Van Hue said the plan was"
        " ready. Hue added that funds were short.\n"
    )
    e = extract(text)  # undated: bare "Hue" may be the province
    (o,) = e.officials
    assert [text[m.start : m.end] for m in o.mentions] == ["Nguyen Van Hue", "Hue"]
    assert e.provinces == []


def test_the_place_after_a_preposition_stays_the_place() -> None:
    text = "Vice Chairman Nguyen Van Hue visited Hue. Officials in Hue said the plan was ready.\n"
    e = extract(text)
    assert [len(p.mentions) for p in e.provinces] == [2]


# ---- Cambodian spellings, datelines day first --------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [("Stoeng Treng", "kh_stung_treng"), ("Kompong Som", "kh_preah_sihanouk")],
)
def test_more_cambodian_romanisations(written: str, key: str) -> None:
    assert provinces(f"Officials from {written} attended the meeting.") == {key: 1}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Bangkok, 3 May 2022 - Thai officials said the border would reopen.", (2022, 5, 3)),
        ("VIENTIANE, 12 June 2024 (KPL) - Lao officials said.", (2024, 6, 12)),
        ("In Hanoi, 3 May 2022 was a holiday, officials said.", None),
        ("Applications must be filed before 1 June 2023 - the ministry said.", None),
    ],
)
def test_a_day_first_dateline_dates_the_article(text: str, day: tuple | None) -> None:
    got = extract(text + "\n").date
    assert got == (datetime.date(*day) if day else None)


def test_a_line_break_inside_a_name_in_text_that_is_not_hard_wrapped() -> None:
    text = (
        "Chairman of the Quang Ninh provincial People's Committee Nguyen\nTuong Van said tourism"
        " rebounded strongly this year, in a paragraph of one long line that is not wire copy.\n"
        "Vietnam and China meet in Hanoi\nHanoi (VNA) - The talks opened.\n"
    )
    e = extract(text)
    (o,) = e.officials
    assert o.name == "Nguyen Tuong Van"
    assert [text[m.start : m.end] for m in o.mentions] == ["Nguyen\nTuong Van"]


# ---- "his Lao counterpart" -----------------------------------------------------------------


def test_a_counterpart_of_an_official_holds_that_office() -> None:
    text = (
        "Prime Minister Pham Minh Chinh held talks with his Lao counterpart Sonexay Siphandone"
        " in Vientiane."
    )
    assert officials(text) == {
        "Pham Minh Chinh": ["Prime Minister"],
        "Sonexay Siphandone": ["Lao counterpart of the Prime Minister"],
    }


@pytest.mark.parametrize(
    "text",
    [
        "Shell chairman John Smith met his Swiss counterpart Otto Stich.",  # no official
        "Pham Minh Chinh met. His Lao counterpart Sonexay Siphandone said.",  # not titled
        "Finance Minister Gerhard Stoltenberg left. His counterpart Otto Stich said.",
    ],
)
def test_a_counterpart_needs_a_titled_official_and_a_nationality(text: str) -> None:
    assert "Otto Stich" not in officials(text) and "Sonexay Siphandone" not in officials(text)
