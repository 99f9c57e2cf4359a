"""Corpora for the bench: Reuters-21578 (extracted to a temporary folder) and scans of a corpus.

The scan collects what the query mix needs (document frequencies, titles, dates, a sample of
token sequences); the floor is the plain-Python lower bound a build is compared with.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import tarfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

TOKEN_RE = re.compile(r"\w+")
HEADER_RE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(.*)$", re.IGNORECASE)
CORPUS_SUFFIXES = (".txt", ".md")


def extract_reuters(tarball: Path, dest: Path, limit: int | None = None) -> Path:
    """Extract the article files of the Reuters tarball into ``dest``; return the corpus folder.

    Only ``reut-NNNNN.txt`` members are written (not the collection's README or metadata), so
    the corpus holds exactly the articles. ``limit`` keeps the articles with NEWID <= limit.
    """
    corpus = dest / "reuters21578"
    corpus.mkdir(parents=True, exist_ok=True)
    # One streaming pass in archive order: random access into a .tar.gz re-inflates from the
    # start on every backward seek, which turns 21,578 members into minutes of work.
    with tarfile.open(tarball, "r|gz") as tar:
        for member in tar:
            name = Path(member.name).name
            if not (member.isfile() and name.startswith("reut-") and name.endswith(".txt")):
                continue
            if limit is not None and int(name[5:-4]) > limit:
                continue
            src = tar.extractfile(member)
            assert src is not None
            target = corpus / name
            target.write_bytes(src.read())
            os.utime(target, (member.mtime, member.mtime))
    return corpus


def copy_reuters(folder: Path, dest: Path, limit: int | None = None) -> Path:
    """Copy the article files of an unpacked Reuters folder into ``dest``, as
    ``extract_reuters`` writes them (the collection's README and metadata left out)."""
    corpus = dest / "reuters21578"
    corpus.mkdir(parents=True, exist_ok=True)
    for source in sorted(folder.glob("reut-*.txt")):
        if limit is not None and int(source.name[5:-4]) > limit:
            continue
        shutil.copy2(source, corpus / source.name)
    return corpus


def corpus_files(corpus: Path) -> list[Path]:
    """Files an index would read, in a stable order (hidden names skipped)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(root) / name
            for name in sorted(files)
            if not name.startswith(".") and name.endswith(CORPUS_SUFFIXES)
        )
    return found


def decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def floor_pass(files: list[Path]) -> tuple[float, int, int]:
    """Read + decode + NFC-normalise + tokenize every file; return (seconds, bytes, tokens)."""
    t0 = time.perf_counter()
    n_bytes = n_tokens = 0
    for path in files:
        raw = path.read_bytes()
        n_bytes += len(raw)
        text = unicodedata.normalize("NFC", decode(raw).replace("\r\n", "\n"))
        n_tokens += len(TOKEN_RE.findall(text.lower()))
    return time.perf_counter() - t0, n_bytes, n_tokens


@dataclass
class CorpusStats:
    """What the query mix is derived from."""

    n_docs: int = 0
    n_bytes: int = 0
    df: Counter[str] = field(default_factory=Counter)
    title_df: Counter[str] = field(default_factory=Counter)
    dates: list[str] = field(default_factory=list)
    samples: list[list[str]] = field(default_factory=list)  # token sequences of sampled bodies


def scan(files: list[Path], seed: int = 1, sample_docs: int = 400) -> CorpusStats:
    """One untimed pass over the corpus collecting document frequencies, titles and dates."""
    stats = CorpusStats(n_docs=len(files))
    rng = random.Random(seed)
    sampled = set(rng.sample(range(len(files)), min(sample_docs, len(files))))
    for i, path in enumerate(files):
        raw = path.read_bytes()
        stats.n_bytes += len(raw)
        text = unicodedata.normalize("NFC", decode(raw))
        first, _, body = text.partition("\n")
        header = HEADER_RE.match(first)
        if header:
            stats.dates.append(header.group(1))
            title = header.group(2)
        else:
            title = first
        title_tokens = TOKEN_RE.findall(title.lower())
        body_tokens = TOKEN_RE.findall(body.lower())
        stats.title_df.update(set(title_tokens))
        stats.df.update(set(title_tokens).union(body_tokens))  # not the header's "date" word
        if i in sampled:
            stats.samples.append(body_tokens)
    stats.dates.sort()
    return stats
