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
    vice-premier councillor councilor governor-general samdech commissioner prefect
    minister-designate premier-designate president-elect chairman-designate
    representative treasurer sen sens rep reps gov congresswoman""".split()
)
# Heads that name a public office whoever holds them; the others (chairman, president,
# director, spokesman...) are as common in firms, exchanges and unions as in government, so a
# title built on them must name a public body (:data:`PUBLIC_WORDS`) unless it is bare
# ("Vice Chairman Liao Pinhuo", "President Reagan").
PUBLIC_HEADS = frozenset(
    """minister ministers premier vice-premier secretary secretary-general ambassador
    ambassadors consul governor vice-governor governor-general mayor king queen sultan emperor
    speaker chancellor envoy attache attaché prosecutor procurator senator congressman
    congresswoman legislator legislators lawmaker lawmakers mp samdech commissioner prefect
    representative sen sens rep reps gov politburo councillor councilor minister-designate
    premier-designate""".split()
)
# Words in a title that name a public body: the title is public even when it also holds a
# word of business ("Federal Home Loan Bank Board", "Securities and Exchange Commission").
PUBLIC_WORDS = frozenset(
    """government governmental ministry ministerial minister federal reserve fed
    senate senator congress congressional parliament parliamentary cabinet commission party
    bundesbank imf opec gatt nato oecd un ec eec comecon province provincial municipal
    prefecture prefectural county politburo army navy military police
    court supreme embassy consulate people's peoples assembly diet budget administration
    agency authority kremlin interior justice defence defense exchequer
    secretariat presidency security staff adb idb iea ibrd bis fao ilo unctad asean cia fbi
    sec ftc fcc cftc ferc nasa epa usda mof miti""".split()
)
# Words of a public body that a firm's title may hold too ("executive committee"): they make
# a title with an ambiguous head public, but not one with a business word.
WEAK_PUBLIC_WORDS = frozenset(
    """committee council national state bureau office house democratic democrat republic
    treasury department region autonomous
    republican conservative labour labor socialist communist liberal ldp spd cdu csu fdp
    pri opposition coalition ruling majority minority""".split()
)
# Job titles of firms: a title holding one is a firm's unless it holds a public head too
# (a state railway's general manager is an executive; "Minister ... Officer" is a minister).
FIRM_TITLES = frozenset("manager managers executive executives officer".split())
# Legal forms of a firm: a title holding one is a firm's, whatever else it holds.
FIRM_FORMS = frozenset("corp inc ltd plc ag gmbh llc nv bv spa bancorp".split())
# Private bodies that take public-sounding names ("Federal Association of German Banks",
# "National Pork Producers Council"), unless of states ("Association of ... Nations").
PRIVATE_BODIES = frozenset(
    """association associations union unions producers exporters growers processors
    manufacturers employers chamber""".split()
)
PUBLIC_BODY_OF = frozenset("nations soviet european states".split())
# Capitalised at the start of a sentence, never in a name or a title.
SENTENCE_WORDS = frozenset(
    """since although though because unless until once meanwhile however earlier later
    today yesterday last next despite among following asked according""".split()
)
# Two-word public bodies whose words alone are ambiguous ("Central Hudson Gas").
PUBLIC_BIGRAMS = frozenset(
    {
        "central bank",
        "central committee",
        "central government",
        "central military",
        "monetary fund",
        "u n",
        "state department",
        "white house",
    }
)
# Words that make a title a firm's, a market's or a private body's (policy: executives,
# exchanges, trade associations and unions are not officials), unless a public word is there.
BUSINESS_WORDS = frozenset(
    """corp corporation inc incorporated co cos company companies ltd plc ag sa nv bv spa
    gmbh llc lp holdings holding brothers bros partners associates industries airlines
    airways motors bancorp bancshares securities exchange association associations union
    unions chamber executive executives officer managing analyst analysts economist
    economists banker bankers broker brokers dealer dealers trader traders investor investors
    firm firms unit subsidiary shareholder shareholders founder owner manager producers
    insurance store stores division divisions""".split()
)
# Before "Bank", these make it a public bank ("central bank", "World Bank", "Bank of Japan"
# is handled by the country after "of").
PUBLIC_BANK_WORDS = frozenset(
    "central reserve world national development export-import people's peoples federal".split()
)
# Countries and their adjectives (beyond COUNTRY_WORDS) as wire copy names them: a title
# with one is about a state ("Brazilian Coffee Institute president"), and none is a name.
NATIONS = frozenset(
    """afghan afghanistan albania algeria algerian angola argentina argentine argentinian
    austria austrian bahrain bangladesh belgian belgium bolivia bolivian brazil brazilian
    bulgaria bulgarian canada canadian chile chilean colombia colombian czech czechoslovakia
    denmark danish dutch ecuador ecuadorean ecuadorian egypt egyptian england english finland
    finnish greece greek hungary hungarian iceland iran iranian iraq iraqi ireland irish
    israel israeli italy italian ivory jamaica jordan kenya kuwait kuwaiti lebanon libya
    libyan luxembourg mexico mexican morocco moroccan netherlands nigeria nigerian norway
    norwegian oman pakistan pakistani panama paraguay peru peruvian poland polish portugal
    portuguese qatar romania saudi scotland spain spanish sweden swedish swiss switzerland
    syria syrian taiwan taiwanese tunisia turkey turkish uganda ukraine united soviet
    emirates uruguay venezuela yugoslavia yugoslav zaire zambia zimbabwe arabia israeli
    colombia ghana tanzania kenyan sudan ethiopia zealand african europe u.s u.k""".split()
)
# Capitalised words that follow a title head without being a name ("President Elect").
NOT_ONE_WORD_NAME = frozenset(
    """emeritus elect designate responsible pro tem general without office nominee candidate
    said says told ltd inc corp co who whose""".split()
)
# Words that make the whole title phrase historical.
FORMER_WORDS = frozenset("former late ex then deceased deposed ousted exiled cố nguyên".split())

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
    friendship relations relation ties sector sectors locality localities
    chancellor commissioner commissioners representative representatives treasurer
    exchequer staff financial officer executive operating credit electric petroleum oil
    exchange stock futures bank banks banking reserve federal fed senate house congress
    sen rep gov united states soviet arabia emirates economy economic budget management
    envoy senator congressman lawmaker legislator speaker king queen sultan emperor prince
    crown white whitehall kremlin cabinet parliament diet chief energy mines power water
    fisheries forestry housing welfare employment aviation telecommunications posts
    highways works irrigation food supply supplies cooperatives customs revenue taxation
    borvor lord lady baron ayatollah sheikh brigadier sergeant captain capt corporal
    marshal field private easter christmas thanksgiving ramadan passover fund monetary
    organization organisation""".split()
)

HONORIFICS = frozenset(
    "mr mrs ms dr madame madam mme sir dato datuk sri samdech techo excellency borvor "
    "comrade akka moha sena padei thipadei kralahom lord lady ayatollah sheikh".split()
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

# every country word is a stop word too (a name never includes "Venezuela"), and so is every
# title head: a head ends a capitalised run ("Trade Representative Clayton Yeutter")
STOP = STOP | frozenset(COUNTRY_WORDS) | NATIONS | TITLE_HEADS | SENTENCE_WORDS
