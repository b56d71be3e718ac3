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
"""
from __future__ import annotations

import re
import sys

import flores
from align.text import has_latin
from pages import LAYOUTS, PageMaker, main as pages_main

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


def make_mixed_pages(half: str, n_pages: int, seed: int):
    """Yield ``(name, text, gold, layouts)``: one or two galleries a page, every layout
    in every run of seven pages, captions drawn from the Latin and quoted pairs."""
    latin, quoted = mixed_pairs(half)
    maker = PageMaker(latin + quoted, seed)
    for k in range(n_pages):
        layouts = [LAYOUTS[k % len(LAYOUTS)]] + maker.rng.sample(LAYOUTS, maker.rng.randint(0, 1))
        maker.rng.shuffle(layouts)
        text, gold = maker.page(layouts)
        yield f"mixed-{half}-{seed}-{k:04d}.txt", text, gold, layouts


def main(argv=None) -> int:
    """Command line: as pages.py (``--slice`` is ignored: the FLORES evaluation half)."""
    return pages_main(argv, make=lambda _slice, n, seed: make_mixed_pages("eval", n, seed),
                      description=__doc__)


if __name__ == "__main__":
    sys.exit(main())
