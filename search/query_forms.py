"""The query language taught by example: the app's help screen shows it, and the README's
query-language table must say the same (``tests/test_query_forms.py`` compares them).

Texts are Markdown-light: only `code spans`, which the help screen shows bold.
"""

from __future__ import annotations

__all__ = ["FORMS", "INTRO", "NOTES"]

INTRO = (
    "Whoosh's syntax over titles and text. Words are ANDed, stemmed (`cooperate` finds "
    "`cooperation`) and diacritics-insensitive."
)

# (you type, finds): the rows of the README's table, in its order.
FORMS: tuple[tuple[str, str], ...] = (
    ("`border trade`", "both words (stemmed)"),
    ('`"border gate"`', "the phrase; marked as one match in the reader"),
    (
        "`Guangxi OR Yunnan`, `Guangxi NOT Liu`, `Guangxi -Liu`, `(Hanoi OR Beijing) trade`",
        "boolean logic (operators in capitals; `-word` excludes)",
    ),
    ("`coop*`, `localit?`", "wildcards, expanded over the unstemmed words"),
    ("`Guangxy~`, `cooperatoin~2`", "fuzzy: within 1 (or 2) edits of the word as typed"),
    ("`title:guangxi`", "only in titles; `path:reut-0001*` on file paths"),
    (
        '`official:"Liu Ning"`',
        "articles whose body mentions this official (diacritics-insensitive: "
        '`official:"Le Van Phuoc"` = `official:"Lê Văn Phước"`)',
    ),
    (
        '`province:guangxi`, `province:"Lạng Sơn"`, `province:湖北`, `province:hubei`',
        "articles about this province, by any alias or script",
    ),
    ("`date:2024`, `date:2024-04`, `date:2024-04-03`", "a year, month or day"),
    (
        "`date:[2024-01-01 to 2024-06-30]`, `date:>2024-06-01`, `date:<2024`",
        "a range, or an open range (`>` and `<` exclude the day, month or year typed)",
    ),
    ("`湖北省`", "CJK text: each character is a token, so a CJK query is a phrase of characters"),
    ("`*`", "everything (useful with a side-panel filter)"),
)

# What the help screen adds below the table.
NOTES: tuple[str, ...] = (
    "`body:trade` searches the text only; the fields are title, body, date, official, "
    "province and path.",
    "Diacritics are ignored on both sides: `Phuoc` finds `Phước`, `Lang Son` finds `Lạng Sơn`; "
    "a decomposed Vietnamese file matches a composed query.",
    "Brackets group: `(Hanoi OR Beijing) trade`; an empty search box lists every file, oldest "
    "first.",
    "A query that cannot be used gets a one-line message saying what is wrong, e.g. "
    "`unknown field 'autor'`; at most 8 wildcard, fuzzy or range words, and `c*` is refused "
    "when it stands for too many words: type more letters.",
)
