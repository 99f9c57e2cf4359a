"""Naming conventions and title vocabulary.

These are the generalising rules: which tokens can be part of a person's name (Vietnamese
syllables with a Vietnamese surname, Chinese pinyin, other capitalised words), which tokens are
title or organisation words, and how each country refers to an official in short.
"""

from __future__ import annotations

import re

VN_SURNAMES = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh truong trinh
    lam luong mai cao dao doan ha ta to chu chau thai luu kieu la lai lu ton tong quach vuong
    khuat giang nghiem thach trieu tang ninh mac hua au dam kim lo nong be luc hau thao vang sung
    danh lien khong phung tieu bach quan y dieu khong thi""".split()
)
_VN_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)
_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|uai|uan|ian|iao|ing|ang|eng|ong|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|"
    r"ui|ue|er|a|o|e|i|u|v))+"
)
_PINYIN_ONE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|uai|uan|ian|iao|ing|ang|eng|ong|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|"
    r"ui|ue|er|a|o|e|i|u|v)"
)
CN_SURNAMES = frozenset(
    """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng
    liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye
    cheng wei su lu ding ren shen yao jin fu zhong cui tan liao fan wan qin xiong meng qiu hou
    shi bai lan mao gu hao kong xing duan lei long tao mo yan xiang lai yi ni dai qian he shao
    wen kang ge niu chang hong jia qi zou bao shang ou wei xi ji mu xue nie bi an bo ling
    shu che chi nong rao ruan quan zhan zuo miao geng jiao yin an ai""".split()
)


def is_vn_name(folded_tokens: list[str]) -> bool:
    """Vietnamese personal name: 2-5 syllables, known surname first."""
    return (
        2 <= len(folded_tokens) <= 5
        and folded_tokens[0] in VN_SURNAMES
        and all(_VN_SYLLABLE.fullmatch(t) for t in folded_tokens)
    )


def is_syllable(w: str) -> bool:
    """A Vietnamese syllable or a run of pinyin syllables (folded)."""
    return bool(_VN_SYLLABLE.fullmatch(w) or _PINYIN.fullmatch(w))


def is_cn_name(folded_tokens: list[str]) -> bool:
    """Chinese personal name in pinyin: one-syllable surname, given name of 1-2 syllables."""
    if not 2 <= len(folded_tokens) <= 3:
        return False
    if not _PINYIN_ONE.fullmatch(folded_tokens[0]) or folded_tokens[0] not in CN_SURNAMES:
        return False
    given = "".join(folded_tokens[1:])
    return bool(_PINYIN.fullmatch(given)) and len(given) <= 12


# Title head words: a phrase before or after a name that holds one of these makes an official.
TITLE_HEADS = frozenset(
    """minister ministers president presidents chairman chairwoman chairperson chair secretary
    secretary-general ambassador ambassadors consul governor mayor premier director
    director-general head chief commander general lieutenant colonel major admiral spokesperson
    spokesman spokeswoman politburo deputy deputies vice-chairman vice-chairwoman vice-president
    vice-governor king queen sultan emperor speaker chancellor envoy attache attaché
    prosecutor procurator justice inspector-general auditor-general leader leaders official
    officials senator congressman legislator legislators lawmaker lawmakers mp delegate
    vice-premier councillor councilor governor-general samdech commissioner prefect""".split()
)
# Words that make the whole title phrase historical.
FORMER_WORDS = frozenset("former late ex then deceased cố nguyên".split())

# Capitalised words that are never part of a personal name (titles, organisations, places,
# calendar words, nationalities). Folded, lower-case.
STOP = frozenset(
    """mr mrs ms dr madame madam mme sir he she his her they the a an and of for in on at by
    with from as that this these those it its their our we you i but or not no yes also after
    before during while when where which who whom what how why than then there here all both
    each every some many most more other such only over under about into onto upon via per
    minister ministers ministry president presidency chairman chairwoman chairperson chair vice
    deputy secretary secretariat general ambassador embassy consul consulate governor mayor
    premier director head chief commander lieutenant colonel major admiral senior standing
    permanent acting spokesperson spokesman spokeswoman politburo member members party
    committee committees council assembly national people peoples front fatherland union
    association federation army navy force forces police public security defence defense
    foreign affairs home internal interior external relations commission central communist
    government state republic democratic socialist kingdom royal office department agency
    bureau board authority administration court supreme procuracy procuratorate inspectorate
    audit bank treasury trade industry commerce finance planning investment culture sports
    tourism information communications science technology education training health labour
    labor invalids social agriculture rural development natural resources environment
    transport construction justice ethnic minority minorities religious affairs youth women
    women's veterans farmers workers chamber council's provincial municipal city province
    district commune ward town county prefecture region regional autonomous zhuang hui uygur
    uyghur special administrative capital municipality capital's vietnam viet nam vietnamese
    china chinese prc laos lao cambodia cambodian khmer japan japanese thailand thai korea
    korean asean asia asian pacific europe european america american russia russian india
    indian indonesia indonesian malaysia malaysian singapore singaporean philippines philippine
    myanmar brunei france french germany german britain british uk us usa un who wto apec gms
    mekong greater subregion january february march april may june july august september
    october november december monday tuesday wednesday thursday friday saturday sunday
    photo photos video source reporter editor vna vns xinhua afp reuters ap ttxvn news
    daily times post tribune online press agency newspaper magazine television radio
    conference summit forum meeting session congress plenum expo fair festival
    corp corporation inc incorporated ltd plc llc gmbh holdings industries company companies
    group motors airlines airways petroleum securities
    day week year years month new old northern southern eastern western north south east west
    central highlands delta border gate gates route road railway station airport port bridge
    river lake mountain mountains sea island islands bay strait university college institute
    academy school hospital company corporation group ltd jsc co inc holdings
    excellency his her majesty highness honourable honorable dato datuk sri samdech
    techo akka moha sena padei kralahom thipadei comrade comrades mister
    prime thought initiative belt road strategy plan programme program project
    agreement treaty declaration resolution decree law laws act charter statement
    communique joint working group delegation delegations team visit visits tour reception
    welcome ceremony anniversary victory liberation revolution independence reunification
    world international global regional bilateral multilateral economic political
    diplomatic cultural military strategic comprehensive partnership cooperation
    friendship relations relation ties sector sectors locality localities""".split()
)

HONORIFICS = frozenset(
    "mr mrs ms dr madame madam mme sir dato datuk sri samdech techo excellency borvor "
    "comrade akka moha sena padei thipadei kralahom".split()
)

# English words that, written with a capital at the start of a sentence, are usually not a
# short name even when an official's given name is spelt the same.
ENGLISH_SHORT_CLASH = frozenset(
    "long man an do to van le hope sang sun may ha thu tu tan hung dung bay ".split()
)

COUNTRY_WORDS: dict[str, str] = {
    "vietnam": "VN",
    "viet": "VN",
    "vietnamese": "VN",
    "china": "CN",
    "chinese": "CN",
    "prc": "CN",
    "cpc": "CN",
    "laos": "LA",
    "lao": "LA",
    "lprp": "LA",
    "cambodia": "KH",
    "cambodian": "KH",
    "khmer": "KH",
    "cpp": "KH",
    "japan": "JP",
    "japanese": "JP",
    "thailand": "TH",
    "thai": "TH",
    "singapore": "SG",
    "singaporean": "SG",
    "malaysia": "MY",
    "malaysian": "MY",
    "indonesia": "ID",
    "indonesian": "ID",
    "philippines": "PH",
    "philippine": "PH",
    "myanmar": "MM",
    "brunei": "BN",
    "korea": "KR",
    "korean": "KR",
    "russia": "RU",
    "russian": "RU",
    "india": "IN",
    "indian": "IN",
    "france": "FR",
    "french": "FR",
    "germany": "DE",
    "german": "DE",
    "britain": "GB",
    "british": "GB",
    "us": "US",
    "american": "US",
    "australia": "AU",
    "australian": "AU",
    "cpv": "VN",
    "venezuela": "VE",
    "venezuelan": "VE",
    "cuba": "CU",
    "cuban": "CU",
    "mongolia": "MN",
    "mongolian": "MN",
    "timor-leste": "TL",
}

# every country word is a stop word too (a name never includes "Venezuela")
STOP = STOP | frozenset(COUNTRY_WORDS)
