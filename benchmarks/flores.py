"""FLORES-200 devtest (Hebrew-English) as stories: articles, topics, and one fixed split.

``../shared/data/flores200-devtest-heb-eng`` has 1,012 news-like pairs with each line's
article URL and topics. Consecutive lines of one URL are one article (about 3-4
sentences), so its sentences share names, places and an event, as the captions of one
news gallery do. That makes them the hard negatives that Tatoeba cannot give.

The articles are split once (``SPLIT_SEED``) into a fitting half, the only data any
weight or threshold may be fitted on, and an evaluation half, the only data figures
are reported on.
"""
from __future__ import annotations

import csv
import os
import random
import re
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
FLORES = os.path.join(HERE, "..", "..", "shared", "data", "flores200-devtest-heb-eng")
SPLIT_SEED = 10
HALVES = ("fit", "eval")
_LATIN = re.compile(r"[A-Za-z]")
_HEBREW = re.compile(r"[\u05D0-\u05EA]")
_SENTENCE_END = re.compile(r"[a-z0-9][.!?][\"'\u201D\u2019]?(?=\s|$)")
# Topic labels are free text: fold case, typos and plurals to one name.
_TOPIC_FIXES = {"sciece": "science", "sport": "sports", "crime and law": "crime and law",
                "politics and conflicts": "politics"}


@dataclass(frozen=True)
class Sentence:
    """One FLORES line: Hebrew, English, its article URL, normalised first topic, index."""

    he: str
    en: str
    url: str
    topic: str
    index: int


def topic_of(label: str) -> str:
    """The first topic of a metadata label, lower-cased and spelled one way."""
    first = label.split(",")[0].strip().lower()
    return _TOPIC_FIXES.get(first, first)


def load(folder: str = FLORES) -> list[Sentence]:
    """Every FLORES line with its article and topic, in file order."""
    with open(os.path.join(folder, "heb_Hebr.devtest"), encoding="utf-8") as fh:
        he = fh.read().splitlines()
    with open(os.path.join(folder, "eng_Latn.devtest"), encoding="utf-8") as fh:
        en = fh.read().splitlines()
    with open(os.path.join(folder, "metadata_devtest.tsv"), encoding="utf-8") as fh:
        meta = list(csv.DictReader(fh, delimiter="\t"))
    if not len(he) == len(en) == len(meta):
        raise SystemExit(f"{folder}: the Hebrew, English and metadata files differ in length")
    return [Sentence(h.strip(), e.strip(), m["URL"], topic_of(m["topic"]), i)
            for i, (h, e, m) in enumerate(zip(he, en, meta))]


def split(sentences: list[Sentence]) -> dict[str, set[str]]:
    """Article URLs of each half: sorted, shuffled with ``SPLIT_SEED``, cut in two."""
    urls = sorted({s.url for s in sentences})
    random.Random(SPLIT_SEED).shuffle(urls)
    middle = len(urls) // 2
    return {"fit": set(urls[:middle]), "eval": set(urls[middle:])}


def half(name: str, sentences: list[Sentence] | None = None) -> list[Sentence]:
    """The sentences of one half (``fit`` or ``eval``), in file order."""
    sentences = sentences if sentences is not None else load()
    urls = split(sentences)[name]
    return [s for s in sentences if s.url in urls]


def caption_like(s: Sentence, max_words: int = 30, latin: bool = False) -> bool:
    """A line usable as a caption: no Hebrew in the English, 3 to ``max_words`` English
    words, and not two sentences of over 18 words (the detector reads those as body
    text, whatever the scorer does); no Latin letters inside the Hebrew unless
    ``latin`` (the pages of mixed_pages.py want exactly those)."""
    words = len(s.en.split())
    two_sentences = words > 18 and len(_SENTENCE_END.findall(s.en)) >= 2
    return ((latin or not _LATIN.search(s.he)) and not _HEBREW.search(s.en)
            and 3 <= words <= max_words and not two_sentences)


def articles(sentences: list[Sentence]) -> dict[str, list[Sentence]]:
    """Sentences grouped by article URL, articles and sentences in file order."""
    out: dict[str, list[Sentence]] = {}
    for s in sentences:
        out.setdefault(s.url, []).append(s)
    return out


def topics(sentences: list[Sentence]) -> dict[str, list[Sentence]]:
    """Sentences grouped by normalised first topic."""
    out: dict[str, list[Sentence]] = {}
    for s in sentences:
        out.setdefault(s.topic, []).append(s)
    return out
