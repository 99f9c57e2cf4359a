"""Seeded synthetic corpus in the style of ``sample_corpus/``: Vietnam-China local-cooperation news.

Each article is a file ``YYYY/NNNNNN_<hex>.txt``. Most start with a ` date YYYY-MM-DD Title`
header, some have only a title line; bodies mix sentences of the sample corpus, templated
sentences naming officials (with titles) and provinces from the gazetteer, "(Photo: VNA)"
captions, related-news tails, and filler drawn from a Zipf-distributed pseudo-word lexicon so
the vocabulary keeps growing with the corpus the way real news vocabulary does. A few articles
use Vietnamese names in decomposed (NFD) Unicode, and a few use CRLF line ends.

The same seed gives the same files, byte for byte.

    python -m bench.synth OUT_DIR --n 1000 --seed 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import queue
import random
import re
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GAZETTEER = REPO / "search" / "data" / "gazetteer.json"  # the package's copy of the reference
SAMPLE = REPO / "sample_corpus"

VN_FAMILY = (
    "Nguyen Tran Le Pham Hoang Phan Vu Dang Bui Do Ho Ngo Duong Ly Dinh Truong Vo Mai".split()
)
VN_MIDDLE = "Van Thi Minh Duc Quoc Thanh Xuan Hong Huu Ngoc Kim Dinh Tuan Anh".split()
VN_GIVEN = (
    "Hung Dung Son Binh Khanh Chinh Long Nam Hai Phuc Thang Tuan Trong Ha Lan Mai Thuy Quang "
    "Vinh Hieu Cuong Thao Hoa Tam Nhan Loc Dat Hoan Toan Vuong Khai Phong Kien Trung"
).split()
CN_FAMILY = (
    "Liu Wang Li Zhang Chen Lan Liao Zhao Huang Zhou Wu Xu Sun Ma Hu Guo He Gao Lin Luo".split()
)
CN_GIVEN = (
    "Ning Tianli Pinhuo Wei Jun Qiang Ming Hua Jian Yong Gang Ping Hong Lei Tao Bin Hui Xin "
    "Yuhua Shaoyong Jinping Qiang Chunhua Xiaoming Dongsheng"
).split()
VN_TITLES = (
    "Secretary of the Party Committee of {p} province",
    "Chairman of the People's Committee of {p} province",
    "Vice Chairman of the People's Committee of {p} province",
    "Deputy Secretary of the {p} provincial Party Committee",
    "Chairwoman of the People's Council of {p} province",
)
VN_NATIONAL = (
    "Prime Minister",
    "Deputy Prime Minister",
    "Minister of Foreign Affairs",
    "Minister of Industry and Trade",
    "Deputy Minister of Foreign Affairs",
    "Vietnamese Ambassador to China",
    "National Assembly Chairman",
)
CN_TITLES = (
    "Secretary of the Party Committee of {p}",
    "Chairman of {p}",
    "Vice Chairman of {p}",
    "Governor of {p} province",
    "Vice Governor of {p} province",
    "Chinese Ambassador to Vietnam",
)
TOPICS = (
    "trade",
    "border gate infrastructure",
    "customs clearance",
    "agricultural exports",
    "tourism",
    "personnel training",
    "transport connectivity",
    "border management",
    "investment",
    "people-to-people exchanges",
    "digital economy",
    "logistics",
    "education",
    "health care",
)
MONTHS = (
    "January February March April May June July August September October November December"
).split()
TITLE_TEMPLATES = (
    "{vp}, {cp} step up cooperation in {topic}",
    "{vn_short} receives {cn_title_short} of {cp}",
    "Vietnam, China boost {topic} between localities",
    "Ample room remains for cooperation between {cp} and {vp}",
    "{cp} leader visits {vp}, discusses {topic}",
    "{vp} seeks stronger {topic} ties with China's {cp}",
)
SENTENCE_TEMPLATES = (
    "{vn_full} received {cn_full} in {vcity} on {month} {day}.",
    "{vn_name} affirmed that {vp} always supports and facilitates cooperation with {cp}, "
    "especially in {topic}.",
    "{cn_name} said {cp} is ready to work with {vp} to expand {topic} and {topic2}.",
    "The two sides agreed to implement the agreements on {topic} signed between {vp} and {cp}.",
    "Both sides reviewed progress in {topic} and {topic2} since the visit of {vn_full} to {cp}.",
    "{vn_name} suggested that the two localities speed up {topic} at border gates.",
    "At the talks, {cn_full} highlighted the role of {vp} in {topic} with China.",
    "Trade between {vp} and {cp} reached {amount} million USD in {year}, up {pct} percent "
    "year on year.",
)
CAPTIONS = (
    "At the meeting between {vn_full} and {cn_full} in {vcity}. (Photo: VNA)",
    "{vn_name} (R) and {cn_name} at the reception. (Photo: VNA)",
    "Delegates at the conference in {vcity}. Photo: VNA",
)
SYLLABLES = (
    "ba be bi bo bu ca co cu da de di do du ga ge go gu ha he hi ho hu ka ke ki ko ku la le li lo "
    "lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu "
    "va ve vi vo vu xa xe xi xo za ze zi zo an en in on un ang eng ing ong ung"
).split()


@dataclass(frozen=True)
class Official:
    name: str
    title: str
    province: str

    @property
    def full(self) -> str:
        return f"{self.title} {self.name}"


@dataclass
class SynthInfo:
    out_dir: Path
    n: int
    bytes: int
    seconds: float


def _provinces() -> tuple[list[tuple[str, str]], list[str]]:
    """(name_en, name_vi) of Vietnamese provinces and name_en of Chinese ones."""
    gaz = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    vn = [(p["name_en"], p.get("name_vi") or p["name_en"]) for p in gaz["vietnam_pre2025"]]
    cn = [p["name_en"] for p in gaz["china"]]
    return vn, cn


def _sample_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(SAMPLE.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        for line in lines:
            for sentence in re.split(r"(?<=[.!?])\s+", line.strip()):
                if len(sentence) > 40:
                    sentences.append(sentence)
    return sentences


class Generator:
    """Deterministic article generator; ``article(i)`` must be called in order 0, 1, 2, ..."""

    def __init__(self, seed: int = 1, lexicon_size: int = 60_000) -> None:
        self.rng = rng = random.Random(seed)
        self.vn_provinces, self.cn_provinces = _provinces()
        self.sentences = _sample_sentences() or ["The two sides discussed cooperation."]
        self.vn_officials = [self._vn_official() for _ in range(1500)]
        self.cn_officials = [self._cn_official() for _ in range(500)]
        self.vn_cum = list(itertools.accumulate(1 / (r + 1) ** 0.9 for r in range(1500)))
        self.cn_cum = list(itertools.accumulate(1 / (r + 1) ** 0.9 for r in range(500)))
        words: set[str] = set()
        while len(words) < lexicon_size:
            words.add("".join(rng.choices(SYLLABLES, k=rng.choice((2, 3, 3, 4)))))
        self.lexicon = sorted(words)
        rng.shuffle(self.lexicon)
        self.lex_cum = list(itertools.accumulate(1 / (r + 1) ** 1.05 for r in range(lexicon_size)))
        self.start = dt.date(2015, 1, 1).toordinal()
        self.span = dt.date(2025, 6, 30).toordinal() - self.start

    def _vn_official(self) -> Official:
        r = self.rng
        name = f"{r.choice(VN_FAMILY)} {r.choice(VN_MIDDLE)} {r.choice(VN_GIVEN)}"
        province = r.choice(self.vn_provinces)[0]
        if r.random() < 0.2:
            return Official(name, r.choice(VN_NATIONAL), province)
        return Official(name, r.choice(VN_TITLES).format(p=province), province)

    def _cn_official(self) -> Official:
        r = self.rng
        name = f"{r.choice(CN_FAMILY)} {r.choice(CN_GIVEN)}"
        province = r.choice(self.cn_provinces)
        return Official(name, r.choice(CN_TITLES).format(p=province), province)

    def _filler(self, n_words: int) -> str:
        words = self.rng.choices(self.lexicon, cum_weights=self.lex_cum, k=n_words)
        return " ".join(words).capitalize() + "."

    def article(self, i: int) -> tuple[str, str]:
        """Return (relative path, text) of article ``i``."""
        r = self.rng
        date = dt.date.fromordinal(self.start + r.randrange(self.span))
        vn = r.choices(self.vn_officials, cum_weights=self.vn_cum, k=3)
        cn = r.choices(self.cn_officials, cum_weights=self.cn_cum, k=2)
        vp_en, vp_vi = r.choice(self.vn_provinces)
        vp = vp_en
        if r.random() < 0.02:  # Vietnamese spelling, decomposed, as some sources deliver it
            vp = unicodedata.normalize("NFD", vp_vi)
        slots = {
            "vn_full": vn[0].full,
            "vn_name": vn[0].name,
            "vn_short": vn[1].name,
            "cn_full": cn[0].full,
            "cn_name": cn[0].name,
            "cn_title_short": cn[1].title.split(" of ")[0],
            "vp": vp,
            "cp": cn[0].province,
            "vcity": r.choice(self.vn_provinces)[0],
            "topic": r.choice(TOPICS),
            "topic2": r.choice(TOPICS),
            "month": MONTHS[date.month - 1],
            "day": date.day,
            "year": date.year,
            "amount": r.randrange(20, 9000),
            "pct": r.randrange(1, 60),
        }
        title = r.choice(TITLE_TEMPLATES).format(**slots)
        paragraphs = [f"{slots['vcity']} (VNA) – " + r.choice(SENTENCE_TEMPLATES).format(**slots)]
        for _ in range(r.randrange(4, 11)):
            parts = []
            for _ in range(r.randrange(1, 4)):
                pick = r.random()
                if pick < 0.5:
                    parts.append(r.choice(self.sentences))
                elif pick < 0.8:
                    parts.append(r.choice(SENTENCE_TEMPLATES).format(**slots))
                else:
                    parts.append(self._filler(r.randrange(8, 30)))
            paragraphs.append(" ".join(parts))
        if r.random() < 0.6:
            paragraphs.insert(r.randrange(1, 3), r.choice(CAPTIONS).format(**slots))
        if r.random() < 0.4:
            related = [r.choice(TITLE_TEMPLATES).format(**slots) for _ in range(r.randrange(2, 4))]
            paragraphs.append("Related News\n" + "\n".join(related))
        body = "\n\n".join(paragraphs)
        if r.random() < 0.85:
            text = f" date {date.isoformat()} {title}\n{body}\n"
        else:
            text = f"{title}\n\n{body}\n"
        if r.random() < 0.01:
            text = text.replace("\n", "\r\n")
        name = f"{date.year}/{i:06d}_{r.getrandbits(64):016x}.txt"
        return name, text


def generate(
    out_dir: Path, n: int, seed: int = 1, progress: Callable[[int], None] | None = None
) -> SynthInfo:
    """Write ``n`` articles under ``out_dir`` (created); the same seed gives the same bytes.

    Articles are made one after another (one seeded generator) and written by two threads
    as they come, through a bounded queue: a million articles never sit in memory, and the
    file system's work (about half the time) overlaps the next articles' making.
    ``progress(done)`` is called every ``PROGRESS_EVERY`` articles.
    """
    t0 = time.perf_counter()
    gen = Generator(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    made: set[str] = set()
    total = 0
    pending: queue.Queue[tuple[Path, bytes] | None] = queue.Queue(maxsize=2048)
    failures: list[BaseException] = []
    writers = [threading.Thread(target=_write_all, args=(pending, failures)) for _ in range(2)]
    for writer in writers:
        writer.start()
    try:
        for i in range(n):
            if failures:
                break
            name, text = gen.article(i)
            folder = name.split("/", 1)[0]
            if folder not in made:
                (out_dir / folder).mkdir(exist_ok=True)
                made.add(folder)
            data = text.encode("utf-8")
            pending.put((out_dir / name, data))
            total += len(data)
            if progress is not None and (i + 1) % PROGRESS_EVERY == 0:
                progress(i + 1)
    finally:
        for _ in writers:
            pending.put(None)
        for writer in writers:
            writer.join()
    if failures:
        raise failures[0]
    return SynthInfo(out_dir, n, total, time.perf_counter() - t0)


PROGRESS_EVERY = 50_000


def _write_all(
    pending: queue.Queue[tuple[Path, bytes] | None], failures: list[BaseException]
) -> None:
    """Write queued files until the end marker; the first failure is kept for the caller."""
    while (item := pending.get()) is not None:
        if failures:
            continue  # drain, so the producer never blocks on a full queue
        try:
            item[0].write_bytes(item[1])
        except OSError as exc:
            failures.append(exc)


def _say_progress(n: int) -> Callable[[int], None]:
    started = time.perf_counter()

    def say(done: int) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        print(f"  {done:,} of {n:,} articles ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    return say


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth", description=__doc__.split("\n")[0]
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    info = generate(args.out_dir, args.n, args.seed, progress=_say_progress(args.n))
    print(
        f"{info.n:,} articles, {info.bytes / 1e6:.1f} MB in {info.out_dir} "
        f"({info.seconds:.1f} s, seed {args.seed})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
