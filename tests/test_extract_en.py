"""English officials in wire copy (issue 17): titles that generalise, public office only.

Every sentence here is written for the test in the style of 1980s wire copy (hard-wrapped
lines, titles before one-word names, executives beside ministers); none is corpus text.
"""

from __future__ import annotations

import datetime

import pytest

from search.extract import extract
from search.extract.textutil import join_wrapped


def officials(text: str, day: datetime.date | None = None) -> dict[str, list[str]]:
    """Official name -> titles, as the extractor finds them."""
    e = extract(text, header_date=day)
    return {o.name: o.titles for o in e.officials}


def names(text: str, day: datetime.date | None = None) -> set[str]:
    return set(officials(text, day))


# ---- hard-wrapped lines -------------------------------------------------------------------

WRAPPED = (
    "TOKYO, May 4 - Finance Minister Taro\n"
    "Yamamura said the ministry would watch currency markets closely\n"
    "and act if the yen rose much further against the dollar.\n"
    "    Yamamura told a committee of parliament that the rise was\n"
    "too fast for exporters, who had cut prices several times.\n"
)


def test_a_name_wrapped_over_two_lines_is_one_official_with_exact_offsets() -> None:
    e = extract(WRAPPED)
    (o,) = e.officials
    assert o.name == "Taro Yamamura"
    assert o.titles == ["Finance Minister"]
    assert [WRAPPED[m.start : m.end] for m in o.mentions] == ["Taro\nYamamura", "Yamamura"]


def test_join_wrapped_keeps_length_and_paragraphs() -> None:
    joined = join_wrapped(WRAPPED, len(WRAPPED))
    assert len(joined) == len(WRAPPED)
    assert "Taro Yamamura" in joined
    assert "\n    Yamamura" in joined  # an indented paragraph start stays a break


def test_long_lines_are_not_joined() -> None:
    text = ("A paragraph of one long line that runs on well past any wire width. " * 3) + "\n"
    text = text * 4 + "Minister\nNguyen Van A spoke.\n"
    assert join_wrapped(text, len(text)) == text


# ---- titles before a one-word name -------------------------------------------------------


def test_title_before_a_surname_alone_keeps_the_surname_form() -> None:
    got = officials("President Morales said on Tuesday he would veto the bill. Morales added.")
    assert got == {"Morales": ["President"]}
    e = extract("President Morales said on Tuesday he would veto the bill. Morales added.")
    assert len(e.officials[0].mentions) == 2


def test_surname_is_tied_to_the_full_name_when_the_article_gives_it() -> None:
    text = "Juan Morales arrived on Monday. Later, President Morales said he would veto it."
    got = extract(text).officials
    assert [(o.name, o.titles, len(o.mentions)) for o in got] == [
        ("Juan Morales", ["President"], 2)
    ]


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("King Harald opened the session.", "Harald", "King"),
        ("Oil Minister Sukarjo said output would fall.", "Sukarjo", "Oil Minister"),
        (
            "It met Minister of Mines and Energy Sukarjo here.",
            "Sukarjo",
            "Minister of Mines and Energy",
        ),
        ("Lord Fenwick, Conservative leader in the upper house, said so.", "Fenwick", None),
    ],
)
def test_one_word_names(text: str, name: str, title: str | None) -> None:
    got = officials(text)
    assert name in got
    if title:
        assert got[name] == [title]


def test_a_word_after_a_title_that_is_no_name_is_not_an_official() -> None:
    assert names("The President Elect spoke. Samdech Moha Borvor Thipadei Hun Sen came.") <= {
        "Hun Sen"
    }


# ---- lower-case titles, heads that end a run, acronyms -----------------------------------


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        (
            "He met French finance minister Paul Girard in Paris.",
            "Paul Girard",
            "French finance minister",
        ),
        ("said prime minister jules vandermeer.", None, None),  # an all lower-case name: no
        (
            "Central bank governor Lin Wei-ming told reporters.",
            "Lin Wei-ming",
            "Central bank governor",
        ),
        (
            "U.S. Trade Representative Carla Whitman said.",
            "Carla Whitman",
            "U.S. Trade Representative",
        ),
        (
            "Chancellor of the Exchequer Hugh Dalton said.",
            "Hugh Dalton",
            "Chancellor of the Exchequer",
        ),
        ("EC Commissioner Willy de Vries said.", "Willy de Vries", "EC Commissioner"),
        (
            "Secretary General Javier Ruiz de Soto spoke.",
            "Javier Ruiz de Soto",
            "Secretary General",
        ),
        ("Sen. Robert Hale, R-Kan., said.", "Robert Hale", "Sen."),
        ("Chinese leader Deng Xiaoping told visitors.", "Deng Xiaoping", "Chinese leader"),
        (
            "Italian Prime Minister designate Mario Conte said.",
            "Mario Conte",
            "Italian Prime Minister designate",
        ),
        ("the head of the LDP committee, Ken Sato, said.", None, None),
    ],
)
def test_title_phrases(text: str, name: str | None, title: str | None) -> None:
    got = officials(text, datetime.date(1987, 3, 2))
    if name is None:
        return
    assert got.get(name) == [title]


def test_an_all_lower_case_name_is_not_invented() -> None:
    assert names("said prime minister jules vandermeer.") == set()


# ---- appositions in both orders; lists ---------------------------------------------------


def test_apposition_after_and_before_the_name() -> None:
    got = officials(
        "Paul Hart, chairman of the Federal Reserve Board, spoke. Later the president of the"
        " Chilean central bank, Jorge Prado, said quotas were not agreed."
    )
    assert got["Paul Hart"] == ["chairman of the Federal Reserve Board"]
    assert got["Jorge Prado"] == ["president of the Chilean central bank"]


def test_a_plural_title_covers_the_list_it_heads() -> None:
    got = officials(
        "A group of Sens. Alan Moss (D-Okla.), Rudy Kern (R-Minn.) and Ray Lutz is at work."
    )
    assert got == {"Alan Moss": ["Sens."], "Rudy Kern": ["Sens."], "Ray Lutz": ["Sens."]}


def test_and_between_two_names_ends_the_title() -> None:
    got = officials("Fed Chairman Paul Hart spoke. Hart and Vice Chairman Manuel Ortiz testified.")
    assert got == {"Paul Hart": ["Fed Chairman"], "Manuel Ortiz": ["Vice Chairman"]}


def test_a_clause_after_the_name_is_not_its_title() -> None:
    got = officials(
        "The prime minister will visit Japanese Prime Minister Ken Sato, a Treasury spokesman said."
    )
    assert got == {"Ken Sato": ["Japanese Prime Minister"]}


# ---- public office, not business ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "General Electric Credit Corp said it sold notes.",
        "Saitama Bank and Saga Petroleum said. Rolls Royce Ltd chairman Lord Tate said.",
        "Hilton Hotels Corp chairman Barry Hilton said the company would build hotels.",
        "Acme Co chairman J. Hugh Liddell said any settlement must be higher.",
        "Jeff Freed, vice president at Smith Barney, said stocks rose.",
        "It said President Michael R. Hale will assume the duties of chief executive officer.",
        "Kurt Weiss, president of the Federal Association of German Banks, said.",
        "Tom Miles was elected president of the National Pork Producers Council.",
        "Dan Hale, assistant general manager of Kyowa Bank Ltd's treasury division, said.",
        "Lars Berg, head of the bank's treasury department, said.",
        "Edwin Cole, chairman and president of AirOne, got the letter.",
        "The United States, deputy management board chairman Arno Bohl said, would gain.",
        "Pennzoil chairman Hugh Lane said.",
        "said American Express Chairman James Robbins.",
        "said First Interstate Chairman Joseph Pinto.",
        "said Su Ming, chief economist with the International Commercial Bank of China.",
        "The plan came from the EC's Monetary Committee.",
        "Debenture holders get 27 pct and president Charles Trainer will pay the rest.",
        "He was chairman of the Acme Corp. Vice President Jim Hale will run the Co unit.",
    ],
)
def test_firms_and_executives_are_not_officials(text: str) -> None:
    assert names(text) == set()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bundesbank President Karl Pohlmann said.", "Karl Pohlmann"),
        ("Stoltz and Bundesbank President Karl Pohlmann said.", "Karl Pohlmann"),
        ("World Bank President Barber Cole said.", "Barber Cole"),
        ("Bank of Japan Governor Satoshi Sumida said.", "Satoshi Sumida"),
        ("Securities and Exchange Commission chairman John Shadd said.", "John Shadd"),
        ("IMF Managing Director Michel Camus said.", "Michel Camus"),
        ("House Democratic leader Tom Foy said.", "Tom Foy"),
        ("White House spokesman Marvin Fitz said.", "Marvin Fitz"),
        ("Treasurer Paul Keel said the deficit would grow.", "Paul Keel"),
        ("He met president Alan Garza in Lima.", "Alan Garza"),
        ("West German President Karl Weiss met him.", "Karl Weiss"),
        ("U.S. President Ron Regan spoke.", "Ron Regan"),
    ],
)
def test_public_bodies_make_public_officials(text: str, name: str) -> None:
    assert name in names(text)


def test_former_and_deposed_office_holders_stay_out() -> None:
    assert (
        names(
            "He was close to deposed President Ferdinand Morcos. Former Secretary of State"
            " Al Hague spoke."
        )
        == set()
    )


def test_historical_persons_follow_the_article_date() -> None:
    text = "Chinese leader Deng Xiaoping met visitors."
    assert "Deng Xiaoping" in names(text, datetime.date(1987, 3, 3))
    assert names(text, datetime.date(2005, 3, 3)) == set()
    assert names(text) == set()  # undated: the long dead are history


# ---- wire headlines in capitals; a public body's possessive ------------------------------


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("PRESIDENT GARCIA VOWS NO TAX RATE INCREASE THIS YEAR", "Garcia", "President"),
        ("U.K. CHANCELLOR DALTON SAYS RATES MAY FALL", "Dalton", "Chancellor"),
        (
            "NIGERIAN OIL MINISTER RILWANU OKAFOR SAID OUTPUT WOULD RISE",
            "Rilwanu Okafor",
            "Nigerian Oil Minister",
        ),
        ("TREASURY'S BAKERMAN FORECASTS LOWER JAPANESE SURPLUS", "Bakerman", "Treasury's"),
        ("The Fed's Volkmar said rates would stay where they are.", "Volkmar", "Fed's"),
    ],
)
def test_capitals_headlines_and_possessive_bodies(text: str, name: str, title: str) -> None:
    e = extract(text)
    got = {o.name: o.titles for o in e.officials}
    assert got.get(name) == [title]
    (o,) = [o for o in e.officials if o.name == name]
    assert text[o.mentions[0].start : o.mentions[0].end].lower() == name.lower()


def test_a_capitals_line_without_a_title_names_no_one() -> None:
    assert names("OIL MINISTER DENOUNCES OPEC QUOTA PLAN AS UNFAIR") == set()
    assert names("VOLKMAR SAYS FED REMAINS CONCERNED ABOUT INFLATION") == set()


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        (
            "Treasury Secertary James Bakerson said rates were fine.",
            "James Bakerson",
            "Treasury Secertary",
        ),
        ("Dutch Finance Miniister Onno Rudder said.", "Onno Rudder", "Dutch Finance Miniister"),
        (
            "Japanese Prime Minister-designate Noboru Takeda said.",
            "Noboru Takeda",
            "Japanese Prime Minister-designate",
        ),
        (
            "But Polish leader Wojciech Jarek, at a meeting, said.",
            "Wojciech Jarek",
            "Polish leader",
        ),
        (
            "because International Monetary Fund managing director Michel Camus is new",
            "Michel Camus",
            "International Monetary Fund managing director",
        ),
    ],
)
def test_misspelt_and_hyphenated_heads_and_leading_words(text: str, name: str, title: str) -> None:
    assert officials(text, datetime.date(1987, 3, 3)).get(name) == [title]


def test_a_ministry_is_not_a_misspelt_minister() -> None:
    assert officials("Finance Ministry spokesman Kurt Vogel said.") == {
        "Kurt Vogel": ["Finance Ministry spokesman"]
    }


@pytest.mark.parametrize(
    "text",
    [
        "Volcker, first appointed in 1979 by President Carson, will not stay.",
        "Bill Lasher, USDA Assistant Secretary for Economics for the years 1981 to 1985, spoke.",
        "Sam Mapira, general manager of the state Railway Authority, told Reuters.",
        "Steve Drisk, director of the International Division's Asia-Pacific Region, said.",
        "Charles Baxley, executive vice president and secretary, Will Cass, resigned.",
    ],
)
def test_past_offices_and_state_firm_executives_are_not_officials(text: str) -> None:
    assert names(text, datetime.date(1987, 3, 3)) == set()


def test_a_year_before_the_title_in_the_article_year_keeps_the_official() -> None:
    text = "He was elected in 1987 by President Carson's party."
    assert names(text, datetime.date(1987, 3, 3)) == {"Carson"}
