"""Issue 17 rules for Vietnamese-language text, provinces in their script, Chinese unit names,
Lao/Cambodian/Japanese units, and dates without a header.

Every rule has short sentences written for it here (not corpus text). The measured figures are
the development sets' (``python -m tests.devset_scorer``).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from conftest import json_out

from search.extract import extract, fold, resolve_province
from search.extract.dates import infer_date
from search.extract.gazetteer import gazetteer

# A few Vietnamese function words make a text Vietnamese-language ("của", "là", "những").
VI = " Đây là những tin tức của người dân."


def provinces(text: str) -> dict[str, int]:
    return {p.key: len(p.mentions) for p in extract(text).provinces}


def officials(text: str, **kw) -> dict[str, list[str]]:
    return {o.name: o.titles for o in extract(text, **kw).officials}


# ---- provinces: a match agrees with a known spelling -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Diễn biến này khiến nhiều người lo lắng.",  # not Điện Biên
        "Hà nói rằng anh sẽ về quê.",  # "Hà said", not Hà Nội
        "Hòa bình là khát vọng của mọi dân tộc.",  # peace, not Hòa Bình
        "Tàu đi qua Thái Bình Dương.",  # the Pacific, not Thái Bình nor Bình Dương
        "Biển Sầm Sơn là điểm đến đông khách.",  # not Sơn La
        "Ông ấy sống ở TP. Lào Cai và thành phố Yên Bái.",  # the cities, not the provinces
        "Trận đấu giữa CLB Bình Định và HA Gia Lai.",  # football clubs
        "Nhà nằm trên đường Hà Nội, thị xã Vĩnh Châu.",  # a street, a town
        "CLB bóng đá Quảng Nam rớt hạng, các cầu thủ Nam Định vui mừng.",  # clubs
        "Xe nối đuôi trên cao tốc Hà Nội - Hải Phòng - Quảng Ninh.",  # an expressway's name
    ],
)
def test_common_words_cities_and_clubs_are_not_provinces(text: str) -> None:
    assert provinces(text + VI) == {}


def test_known_spellings_with_their_diacritics_are_provinces() -> None:
    got = provinces(
        "Đoàn tới Điện Biên, tỉnh Lào Cai, Hoà Bình và Hòa Bình, rồi về thành phố Hà Nội." + VI
    )
    assert got == {"dien_bien": 1, "lao_cai": 1, "hoa_binh": 2, "hanoi": 1}


def test_ho_chi_minh_city_in_every_spelling() -> None:
    got = provinces("TPHCM, TP.HCM, TP HCM, Tp.HCM và thành phố Hồ Chí Minh." + VI)
    assert got == {"ho_chi_minh_city": 5}
    assert provinces("Chủ tịch Hồ Chí Minh đọc bản tuyên ngôn." + VI) == {}  # the person


def test_text_without_diacritics_keeps_the_folded_match() -> None:
    assert provinces("Officials of Dien Bien province met in Hanoi.") == {
        "dien_bien": 1,
        "hanoi": 1,
    }


def test_a_person_named_like_a_province_is_not_the_province() -> None:
    text = "Phó Thủ tướng Trương Hòa Bình và bác sĩ Nguyễn Thái Bình đã tới." + VI
    assert provinces(text) == {}
    assert "Trương Hòa Bình" in officials(text)


def test_a_byline_is_not_a_province() -> None:
    assert provinces("Tin tức trong ngày là của người dân.\nThanh Hải") == {}


def test_the_article_spelling_is_the_province_name() -> None:
    e = extract("Khách tới Điện Biên rất đông." + VI)
    assert [p.name for p in e.provinces] == ["Điện Biên"]
    e = extract("Visitors flock to Dien Bien province.")
    assert [p.name for p in e.provinces] == ["Dien Bien"]


# ---- Chinese names ---------------------------------------------------------------------


def test_chinese_units_in_chinese_characters() -> None:
    got = provinces("湖北省卫健委通报，湖北新增病例。四川、广西壮族自治区和香港。")
    assert got == {"hubei": 2, "sichuan": 1, "guangxi": 1, "hong_kong": 1}
    assert provinces("吉林市和武汉市。北京时间八点。") == {}  # cities, a time zone


def test_chinese_units_in_sino_vietnamese() -> None:
    assert provinces("Dịch bùng phát ở Quảng Tây và Vân Nam." + VI) == {"guangxi": 1, "yunnan": 1}
    assert provinces("Tỉnh Hà Nam có 5 ca." + VI) == {"ha_nam": 1}  # Viet Nam's, not Henan


def test_province_queries_resolve_chinese_names() -> None:
    assert resolve_province("湖北") == resolve_province("湖北省") == "hubei"
    assert resolve_province("hubei") == resolve_province("Hồ Bắc") == "hubei"


# ---- Lao, Cambodian and Japanese units -------------------------------------------------


def test_lao_and_cambodian_units_in_the_spellings_outlets_use() -> None:
    got = provinces("Hai tỉnh Hủa Phăn và Xiêng Khoảng giáp Việt Nam, gần Xiêm Riệp." + VI)
    assert got == {"la_houaphanh": 1, "la_xiangkhouang": 1, "kh_siem_reap": 1}
    assert provinces("Tourists in Siem-Reap and Xieng-Khouang.") == {
        "kh_siem_reap": 1,
        "la_xiangkhouang": 1,
    }


@pytest.mark.parametrize(
    "text",
    [
        "The Saitama Bank Ltd is issuing bonds.",
        "Norsk Hydro and Saga Petroleum A/S said.",
        "Finance official Koichi Miyazaki said rates would fall.",
        "Shares of Kaneb Energy <KEP> fell.",
    ],
)
def test_a_prefecture_name_in_a_firm_a_surname_or_a_ticker_is_no_place(text: str) -> None:
    assert provinces(text) == {}


def test_a_prefecture_is_still_a_place() -> None:
    assert provinces("A man died in Miyazaki prefecture.") == {"jp_miyazaki": 1}


def test_lao_cambodian_japanese_units_agree_with_iso_3166_2() -> None:
    pycountry = pytest.importorskip("pycountry")
    data = json.loads(
        (Path(__file__).parent.parent / "search/data/gazetteer.json").read_text("utf-8")
    )

    def squash(s: str) -> str:
        return fold(s).replace("-", "").replace(" ", "")

    for country, entries in (
        ("LA", data["supplementary"]["laos"]),
        ("KH", data["supplementary"]["cambodia"]),
        ("JP", data["supplementary"]["japan"]),
    ):
        iso = {s.code: s.name for s in pycountry.subdivisions.get(country_code=country)}
        codes = [e["iso_3166_2"] for e in entries]
        assert sorted(codes) == sorted(iso), country  # every unit once, nothing missing
        for e in entries:
            spelled = {squash(v) for v in [e["name_en"], *e["variants"]]}
            assert squash(iso[e["iso_3166_2"]]) in spelled or e["id"].startswith("la_vientiane"), e[
                "id"
            ]
            assert gazetteer().units[e["id"]].country == country


# ---- Vietnamese-language officials -----------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "title"),
    [
        ("Thủ tướng Phạm Minh Chính chủ trì cuộc họp.", "Phạm Minh Chính", "Thủ tướng"),
        ("Phó Thủ tướng Lê Văn Thành đã tới.", "Lê Văn Thành", "Phó Thủ tướng"),
        ("Chủ tịch nước Võ Văn Thưởng tiếp đoàn.", "Võ Văn Thưởng", "Chủ tịch nước"),
        ("Tổng Bí thư Tô Lâm phát biểu.", "Tô Lâm", "Tổng Bí thư"),
        ("Chủ tịch Quốc hội Trần Thanh Mẫn nói.", "Trần Thanh Mẫn", "Chủ tịch Quốc hội"),
        (
            "Bộ trưởng Bộ Công Thương Nguyễn Hồng Diên nói.",
            "Nguyễn Hồng Diên",
            "Bộ trưởng Bộ Công Thương",
        ),
        ("Thứ trưởng Bộ Y tế Đỗ Xuân Tuyên cho biết.", "Đỗ Xuân Tuyên", "Thứ trưởng Bộ Y tế"),
        (
            "Chủ tịch UBND tỉnh Phú Yên Trần Hữu Thế cho biết.",
            "Trần Hữu Thế",
            "Chủ tịch UBND tỉnh Phú Yên",
        ),
        (
            "Phó Chủ tịch UBND huyện Lý Nhân Trần Văn Hưng nói.",
            "Trần Văn Hưng",
            "Phó Chủ tịch UBND huyện Lý Nhân",
        ),
        (
            "Bí thư Tỉnh ủy tỉnh Hà Nam Lê Thị Thủy phát biểu.",
            "Lê Thị Thủy",
            "Bí thư Tỉnh ủy tỉnh Hà Nam",
        ),
        (
            "Giám đốc Sở Y tế Hà Nội Trần Thị Nhị Hà cho biết.",
            "Trần Thị Nhị Hà",
            "Giám đốc Sở Y tế Hà Nội",
        ),
        ("Đại sứ Việt Nam Nguyễn Quốc Dũng trình quốc thư.", "Nguyễn Quốc Dũng", "Đại sứ Việt Nam"),
        ("Ngoại trưởng Mỹ Antony Blinken nói.", "Antony Blinken", "Ngoại trưởng Mỹ"),
        ("Tổng thống Donald Trump nói.", "Donald Trump", "Tổng thống"),
        ("Thủ tướng Nhật Bản Yoshihide Suga cho biết.", "Yoshihide Suga", "Thủ tướng Nhật Bản"),
        (
            "Tại cuộc họp, ông Chu Ngọc Anh, Chủ tịch UBND TP Hà Nội, nhấn mạnh.",
            "Chu Ngọc Anh",
            "Chủ tịch UBND TP Hà Nội",
        ),
        (
            "Theo ông Phạm Đại Dương Bí thư Tỉnh ủy Phú Yên cho biết.",
            "Phạm Đại Dương",
            "Bí thư Tỉnh ủy Phú Yên",
        ),
    ],
)
def test_vietnamese_titles_tie_names(sentence: str, name: str, title: str) -> None:
    got = officials(sentence + VI)
    assert list(got) == [name]
    assert title in got[name]


def test_short_forms_count_as_mentions() -> None:
    text = (
        "Ông Trần Việt Trường, Chủ tịch UBND TP Cần Thơ, cho biết. Theo ông Trường, mọi việc "
        "ổn. Tổng thống Nga Vladimir Putin nói, và Putin cho rằng đây là của chung." + VI
    )
    e = extract(text)
    got = {o.name: [text[m.start : m.end] for m in o.mentions] for o in e.officials}
    assert got == {
        "Trần Việt Trường": ["Trần Việt Trường", "Trường"],
        "Vladimir Putin": ["Vladimir Putin", "Putin"],
    }


def test_a_surname_tie_joins_the_full_name() -> None:
    got = officials("Tổng thống Biden nói. Sau đó, Tổng thống Mỹ Joe Biden ký lệnh." + VI)
    assert list(got) == ["Joe Biden"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ông Nguyễn Văn An, Giám đốc Doanh nghiệp tư nhân Hòa Phát, nói.",
        "Chủ tịch Tập đoàn Vingroup Phạm Nhật Vượng cho biết.",
        "Chủ tịch HĐQT Lê Văn Bình cho biết.",
        "Chủ tịch Liên đoàn bóng chuyền Việt Nam Lê Văn Thành nói.",
        "Ông Trần Văn Hải, Giám đốc Bệnh viện Bạch Mai, cho biết.",
        "Theo nguyên Bộ trưởng Bộ Y tế Nguyễn Thị Kim Tiến, việc này khó.",
        "Chủ tịch UBND tỉnh Hà Nam cho biết sẽ xử lý.",
        "Thủ tướng Chính phủ đã yêu cầu các bộ.",
    ],
)
def test_business_former_and_unnamed_are_not_officials(sentence: str) -> None:
    assert officials(sentence + VI) == {}


def test_the_header_line_ties_a_title_counted_in_the_body() -> None:
    got = extract(
        "Ngoài ra, ông Zelensky cũng hối thúc các nước." + VI,
        header_title="Tổng thống Ukraine Volodymyr Zelensky nói với báo chí",
    )
    assert [(o.name, o.titles, len(o.mentions)) for o in got.officials] == [
        ("Volodymyr Zelensky", ["Tổng thống Ukraine"], 1)
    ]


def test_an_english_article_with_diacritics_keeps_the_english_rules() -> None:
    got = officials("Chairman of the Đồng Nai provincial People's Committee Võ Tấn Đức met them.")
    assert list(got) == ["Võ Tấn Đức"]


# ---- dates without a header ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "want"),
    [
        ("Hà Nội, ngày 29/4/2021\nThủ tướng chủ trì cuộc họp.", datetime.date(2021, 4, 29)),
        ("TP.HCM, ngày 29 tháng 4 năm 2021 - Sở Y tế cho biết.", datetime.date(2021, 4, 29)),
        ("Cập nhật: 29-4-2021 10:30\nBài viết.", datetime.date(2021, 4, 29)),
        ("Thứ Năm, 29/04/2021 08:15\nBài viết.", datetime.date(2021, 4, 29)),
        ("HANOI, March 30, 2024 (VNA) - Talks opened.", datetime.date(2024, 3, 30)),
        ("Ngày 26/4/2021, Sở Y tế tổ chức lấy mẫu.", None),  # an event
        ("Trước đó, ngày 17/3/2021, Cục đã kiểm tra.", None),
        ("Hạn chót nộp hồ sơ là 29-4.", None),  # no year
        ("Applications must arrive before June 1, 2023, it said.", None),  # a deadline
        ("The notes, due April 1, 1994, pay 8 pct.", None),  # a maturity
        ("shares between Feb 26, 1988 and\nFeb 26, 1992.\n", None),  # a hard-wrapped sentence
        ("Photo: the ceremony on May 3, 2021\nText.", None),  # a caption
    ],
)
def test_dates_only_from_what_dates_the_article(body: str, want: datetime.date | None) -> None:
    assert infer_date(body) == want


# ---- the index: the corpus's own spelling and Chinese province queries -----------------


def test_index_shows_the_corpus_spelling_and_finds_chinese_provinces(
    make_corpus, run_cli, tmp_path: Path
) -> None:
    root = make_corpus(
        {
            "a.txt": " date 2021-04-01 Du lịch\nKhách tới Điện Biên và những người ở tỉnh "
            "Điện Biên là của vùng này. Diễn biến này rất tốt.\n",
            "b.txt": " date 2020-02-01 湖北通报\n湖北省卫健委通报，湖北新增病例。\n",
        }
    )
    ix = tmp_path / "ix"
    assert run_cli("index", root, "--index-dir", ix).returncode == 0
    ents = json_out(run_cli("entities", "--corpus", root, "--index-dir", ix, "--json"))
    names = {p["key"]: p["name"] for p in ents["provinces"]}
    assert names == {"dien_bien": "Điện Biên", "hubei": "湖北省"}
    for q in ("province:湖北", "province:hubei", "province:Hồ_Bắc"):
        proc = run_cli("search", q, "--corpus", root, "--index-dir", ix, "--json")
        assert [h["path"] for h in json_out(proc)["hits"]] == ["b.txt"], q
