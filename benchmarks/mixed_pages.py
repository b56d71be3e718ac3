"""Pages of Hebrew news text as it is written: captions whose Hebrew holds Latin names
(brands, acronyms, English names, URLs) and captions that carry quotation marks.

Captions come from the evaluation half of the FLORES articles (flores.py): every pair
whose Hebrew holds a Latin letter, and pairs whose Hebrew or English holds a quotation
mark (" ״ „ “ ” ‘ ’ « »). They are laid out in the seven layouts of pages.py, so the
one-line layout puts a Hebrew caption with a Latin name, or with a quotation mark at
its end, right before its English translation ("... ב- Newport on the Levee Thieves
took ...", "... במצב „יציב“. He was taken ...").

    python benchmarks/mixed_pages.py --pages 60 --seed 1 --out /tmp/mixed
    python benchmarks/bench_captions.py --folder /tmp/mixed

``--hebrew-in-english`` builds pages whose English captions hold Hebrew words instead:
caption-like pairs (no Latin in the Hebrew) whose English names one of the Hebrew
words, with that Hebrew word added to the English as such captions write it: in
brackets after the name ("Kfar Aza (כפר עזה)"), in quotation marks, or at the end
after "known as". The one-line layout then reads "חיילים ליד הגבול Soldiers near the
border, an area known as עוטף עזה".
"""
from __future__ import annotations

import random
import re
import sys

import flores
from pages import LAYOUTS, PageMaker
from pages import main as pages_main

from align.text import LATIN_LETTER


def has_latin(text: str) -> bool:
    """True when ``text`` holds a Latin letter."""
    return re.search(f"[{LATIN_LETTER}]", text) is not None

_QUOTE = re.compile("[\"\u05F4\u201C\u201D\u201E\u2018\u2019\u00AB\u00BB]")


def mixed_pairs(half: str = "eval") -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(latin, quoted)``: caption-like pairs of ``half`` (``flores.caption_like``)
    whose Hebrew holds Latin letters, and those (no Latin in the Hebrew) with a
    quotation mark on either side."""
    latin, quoted = [], []
    for s in flores.half(half):
        if not flores.caption_like(s, latin=True):
            continue
        if has_latin(s.he):
            latin.append((s.he, s.en))
        elif _QUOTE.search(s.he) or _QUOTE.search(s.en):
            quoted.append((s.he, s.en))
    return latin, quoted


def hebrew_in_english(half: str = "eval", seed: int = 1) -> list[tuple[str, str]]:
    """Caption-like pairs of ``half`` with no Latin in the Hebrew whose English gets the
    Hebrew twin of one of its names, in one of three forms chosen at random."""
    from align.text.names import name_matches

    rng = random.Random(seed)
    out = []
    for s in flores.half(half):
        if not flores.caption_like(s, max_words=26) or has_latin(s.he):  # room for the gloss
            continue
        for word in s.he.split():
            word = word.strip(".,:;!?()\"'״׳")
            names = name_matches(word, s.en)[1] if len(word) > 2 else []
            if names and s.en.count(names[0]) == 1:
                name, form = names[0], rng.choice(["brackets", "quotes", "known"])
                if form == "brackets":
                    en = s.en.replace(name, f"{name} ({word})", 1)
                elif form == "quotes":
                    en = s.en.replace(name, f'{name} ("{word}")', 1)
                else:
                    en = s.en.rstrip(".") + f", known as {word}"
                out.append((s.he, en))
                break
    return out


def make_mixed_pages(half: str, n_pages: int, seed: int, hebrew: bool = False):
    """Yield ``(name, text, gold, layouts)``: one or two galleries a page, every layout
    in every run of seven pages, captions drawn from the Latin and quoted pairs (or,
    with ``hebrew``, from ``hebrew_in_english``)."""
    latin, quoted = mixed_pairs(half)
    maker = PageMaker(hebrew_in_english(half, seed) if hebrew else latin + quoted, seed)
    for k in range(n_pages):
        layouts = [LAYOUTS[k % len(LAYOUTS)]] + maker.rng.sample(LAYOUTS, maker.rng.randint(0, 1))
        maker.rng.shuffle(layouts)
        text, gold = maker.page(layouts)
        yield f"mixed-{half}-{seed}-{k:04d}.txt", text, gold, layouts


def main(argv=None) -> int:
    """Command line: as pages.py (``--slice`` is ignored: the FLORES evaluation half),
    with ``--hebrew-in-english``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    hebrew = "--hebrew-in-english" in argv
    argv = [a for a in argv if a != "--hebrew-in-english"]
    return pages_main(argv, make=lambda _slice, n, seed: make_mixed_pages("eval", n, seed, hebrew),
                      description=__doc__)


if __name__ == "__main__":
    sys.exit(main())
