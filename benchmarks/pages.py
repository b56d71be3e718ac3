"""Generate news-like pages with Hebrew/English photo captions, and their gold pairs.

Captions are Tatoeba Hebrew-English pairs (../shared/data/tatoeba-heb-eng). Each page
has a title, body paragraphs and galleries in the seven layouts the caption aligner
must handle:

  1 sample     "N View gallery", Hebrew caption 1-3 times, English caption, credit -> pair
  2 en_only    English alt text repeated, no Hebrew                                -> none
  3 he_only    Hebrew caption with no English on the page                          -> none
  4 block      Hebrew captions first, their English in another order, credits     -> pairs
  5 one_line   Hebrew and English caption on one line                              -> pair
  6 mismatch   Hebrew caption beside the English caption of another photo          -> none
  7 quoted     Hebrew phrase quoted inside an English body paragraph               -> none

The Tatoeba pool is split once, with a fixed seed, into disjoint slices: the
background sentences shipped with align, calibration pages, benchmark pages and test
fixture pages, so no number is measured on data the weights were fitted on.

    python benchmarks/pages.py --slice fixture --pages 14 --seed 7 --out tests/data/pages
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TATOEBA = os.path.join(HERE, "..", "..", "shared", "data", "tatoeba-heb-eng", "tatoeba-test-v2021-08-07")
LAYOUTS = ["sample", "en_only", "he_only", "block", "one_line", "mismatch", "quoted"]
SLICES = {"background": (0, 256), "calibration": (256, 4256), "benchmark": (4256, 8256),
          "fixture": (8256, None)}
CREDIT_NAMES = ["Elad Malka", "Kobi Gideon", "Ariel Chermony", "Reuters", "AP", "Shaul Golan",
                "Yariv Katz", "Avi Moalem", "GPO", "AFP", "Alex Kolomoisky", "Gil Nechushtan"]
_LATIN = re.compile(r"[A-Za-z]")
_HEBREW = re.compile(r"[\u05D0-\u05EA]")


def unique_pairs(path: str = TATOEBA) -> list[tuple[str, str]]:
    """The Tatoeba dev pairs in file order, stripped, without pairs whose Hebrew or
    English text repeats elsewhere (a gold partner would be ambiguous) or is empty."""
    with open(path + ".heb", encoding="utf-8") as fh:
        he = fh.read().splitlines()
    with open(path + ".eng", encoding="utf-8") as fh:
        en = fh.read().splitlines()
    he_count, en_count = {}, {}
    for h, e in zip(he, en):
        he_count[h] = he_count.get(h, 0) + 1
        en_count[e] = en_count.get(e, 0) + 1
    return [(h.strip(), e.strip()) for h, e in zip(he, en)
            if he_count[h] == 1 and en_count[e] == 1 and h.strip() and e.strip()
            and "\t" not in h + e]


def load_pool(path: str = TATOEBA) -> list[tuple[str, str]]:
    """Tatoeba pairs, cleaned for use as captions, in a fixed shuffled order.

    Dropped besides repeats (``unique_pairs``): Hebrew with Latin letters or English
    with Hebrew ones, and English of fewer than three words.
    """
    pool = [(h, e) for h, e in unique_pairs(path)
            if not _LATIN.search(h) and not _HEBREW.search(e) and len(e.split()) >= 3]
    random.Random(0).shuffle(pool)
    return pool


def slice_pool(name: str, pool: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """One of the disjoint slices of the pool (see ``SLICES``)."""
    pool = pool if pool is not None else load_pool()
    start, end = SLICES[name]
    return pool[start:end]


class PageMaker:
    """Draws captions from a slice, each pair at most once, and body sentences from it."""

    def __init__(self, pairs: list[tuple[str, str]], seed: int):
        self.rng = random.Random(seed)
        self.pairs = list(pairs)
        self.rng.shuffle(self.pairs)
        # Body text never pairs, so its sentences are drawn with replacement.
        self.body = [e for _, e in pairs]

    def take(self) -> tuple[str, str]:
        if not self.pairs:
            raise SystemExit("the slice ran out of pairs: ask for fewer pages")
        return self.pairs.pop()

    def paragraph(self, min_words: int = 38) -> str:
        words, sentences = 0, []
        while words < min_words:
            sentence = self.rng.choice(self.body)
            sentences.append(sentence)
            words += len(sentence.split())
        return " ".join(sentences)

    def credit(self) -> str:
        name = self.rng.choice(CREDIT_NAMES)
        return f"(צילום: {name})" if self.rng.random() < 0.15 else f"(Photo: {name})"

    def marker(self) -> str:
        return f"{self.rng.randint(2, 12)} View gallery"

    def hebrew_variant(self, he: str) -> str:
        """The same caption as a copy-paste might give it: bidi marks, NBSP."""
        return "\u200f" + he.replace(" ", "\u00a0", 1) + "\u200e"

    def gallery(self, layout: str) -> tuple[list[str], list[tuple[str, str]]]:
        """Lines of one gallery in ``layout`` and the gold pairs it holds."""
        rng = self.rng
        if layout == "sample":
            he, en = self.take()
            copies = [he] + [self.hebrew_variant(he) if rng.random() < 0.5 else he
                             for _ in range(rng.randint(0, 2))]
            return [self.marker(), *copies, en, self.credit()], [(he, en)]
        if layout == "en_only":
            en = self.take()[1]
            return [self.marker(), *[en] * rng.randint(1, 3), self.credit()], []
        if layout == "he_only":
            he = self.take()[0]
            return [self.marker(), *[he] * rng.randint(1, 2), self.credit()], []
        if layout == "block":
            pairs = [self.take() for _ in range(rng.randint(2, 4))]
            english = [e for _, e in pairs]
            while len(english) > 1 and english == [e for _, e in pairs]:
                rng.shuffle(english)
            lines = [self.marker(), *[h for h, _ in pairs], *english,
                     *[self.credit() for _ in pairs]]
            return lines, pairs
        if layout == "one_line":
            he, en = self.take()
            form = rng.choice(["{he} {en}", "{he} | {en}", "{he} \u2013 {en}", "{en} / {he}",
                               "{en} ({he})"])
            return [self.marker(), form.format(he=he, en=en), self.credit()], [(he, en)]
        if layout == "mismatch":
            he, en = self.take()[0], self.take()[1]
            return [self.marker(), he, en, self.credit()], []
        if layout == "quoted":
            he = self.take()[0].rstrip(".!?")
            form = rng.choice(['The banner read "{he}" in large letters. {p}',
                               "{p} Someone had written {he} on the wall, and it stayed there."])
            return [form.format(he=he, p=self.paragraph(24))], []
        raise ValueError(layout)

    def title(self) -> str:
        """A body sentence as the page's title."""
        return self.rng.choice(self.body).rstrip(".!?")

    def page(self, layouts: list[str]) -> tuple[str, list[tuple[str, str]]]:
        """A whole page holding one gallery per layout, and its gold pairs."""
        lines, gold = [self.title(), "", self.paragraph()], []
        for layout in layouts:
            lines.append(self.paragraph())
            block, pairs = self.gallery(layout)
            lines += block
            gold += pairs
        lines += [self.paragraph(), "Get the Ynetnews app on your smartphone:",
                  "<< Follow Ynetnews on Facebook | Twitter | Instagram >>", "Comments"]
        return "\n".join(lines) + "\n", gold


def make_pages(slice_name: str, n_pages: int, seed: int, pool=None):
    """Yield ``(name, text, gold, layouts)`` for ``n_pages`` pages; every layout appears
    in every run of seven pages, two to four galleries a page."""
    maker = PageMaker(slice_pool(slice_name, pool), seed)
    for k in range(n_pages):
        first = LAYOUTS[k % len(LAYOUTS)]
        others = maker.rng.sample(LAYOUTS, maker.rng.randint(1, 3))
        layouts = [first] + others
        maker.rng.shuffle(layouts)
        text, gold = maker.page(layouts)
        yield f"page-{slice_name}-{seed}-{k:04d}.txt", text, gold, layouts


def write_pages(out: str, slice_name: str, n_pages: int, seed: int, make=None) -> None:
    """Write the pages of ``make`` (default ``make_pages``: ``NAME.txt``) under ``out``,
    with ``gold.jsonl`` (one gold pair a line) and ``pages.jsonl`` (each page's layouts)."""
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "gold.jsonl"), "w", encoding="utf-8") as gold_fh, \
            open(os.path.join(out, "pages.jsonl"), "w", encoding="utf-8") as pages_fh:
        for name, text, gold, layouts in (make or make_pages)(slice_name, n_pages, seed):
            with open(os.path.join(out, name), "w", encoding="utf-8") as fh:
                fh.write(text)
            pages_fh.write(json.dumps({"doc": name, "layouts": layouts}) + "\n")
            for he, en in gold:
                gold_fh.write(json.dumps({"doc": name, "he": he, "en": en}, ensure_ascii=False) + "\n")


def main(argv=None, make=None, description: str = __doc__) -> int:
    """Command line of this script, and of html_pages.py with its ``make``."""
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--slice", choices=[s for s in SLICES if s != "background"], default="benchmark")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    write_pages(args.out, args.slice, args.pages, args.seed, make=make)
    print(f"wrote {args.pages} pages to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
