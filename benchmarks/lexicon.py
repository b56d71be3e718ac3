"""Learn the word lexicon that ships with align (``align/data/lexicon.tsv.gz``).

IBM Model 1, both ways, on every Tatoeba Hebrew–English test pair
(``../shared/data/tatoeba-heb-eng``; sentences from tatoeba.org, CC BY 2.0 FR). FLORES
is left out on purpose: its licence (CC BY-SA 4.0) would pass to the table, and its
sentences are the teaching and evaluation pages of the standards, whose coverage
figures must come from a table that has not seen them (as real news has not been seen).

    python benchmarks/lexicon.py            # writes align/data/lexicon.tsv.gz
    python benchmarks/lexicon.py --show ממשלה בית
"""
from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from align.text import lexicon as L  # noqa: E402

TATOEBA = os.path.join(HERE, "..", "..", "shared", "data", "tatoeba-heb-eng", "tatoeba-test-v2021-08-07")
OUT = os.path.join(HERE, "..", "align", "data", "lexicon.tsv.gz")
WORDS = os.path.join(HERE, "..", "align", "data", "background_words.npz")


def tatoeba_pairs(path: str = TATOEBA) -> list[tuple[str, str]]:
    with open(path + ".heb", encoding="utf-8") as fh:
        he = fh.read().splitlines()
    with open(path + ".eng", encoding="utf-8") as fh:
        en = fh.read().splitlines()
    return [(h, e) for h, e in zip(he, en) if h.strip() and e.strip()]


def use_held_out(held: list[tuple[str, str]]) -> int:
    """Make this process score with a lexicon learnt without the Tatoeba pairs ``held``
    (the shipped table has seen every Tatoeba pair, so it knows the words of pages and
    examples drawn from them, as it will not know a news caption's). Returns the number
    of pairs left out."""
    from align.scoring import coverage

    left = {(h.strip(), e.strip()) for h, e in held}
    table = L.learn([(h, e) for h, e in tatoeba_pairs() if (h.strip(), e.strip()) not in left])
    coverage.builtin = lambda: table
    return len(left)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--show", nargs="*", help="print the best translations of these Hebrew words")
    args = parser.parse_args(argv)
    pairs = tatoeba_pairs()
    start = time.perf_counter()
    lexicon = L.learn(pairs)
    seconds = time.perf_counter() - start
    comments = [
        "Hebrew-English word lexicon of align: IBM Model 1 p(en|he) and p(he|en), learnt by",
        f"benchmarks/lexicon.py ({L.ITERATIONS} EM iterations each way, entries under {L.MIN_PROBABILITY}",
        "both ways dropped) from the Tatoeba Translation Challenge test set eng-heb/tatoeba-test-v2021-08-07",
        f"({len(pairs)} pairs) as published by the Helsinki-NLP OPUS-MT-testsets repository.",
        "Sentences from tatoeba.org, licensed CC BY 2.0 FR (https://creativecommons.org/licenses/by/2.0/fr/);",
        "this table is a work derived from them under that licence: keep this attribution with any copy.",
    ]
    if args.show:
        for word in args.show:
            print(word, lexicon.translations(word, 8))
        return 0
    raw = L.encode(lexicon, comments)
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(raw)
    os.replace(tmp, args.out)
    print(f"{len(lexicon)} entries, {len(lexicon.table)} Hebrew and {len(lexicon.english)} English words, "
          f"learnt in {seconds:.1f} s; {len(raw) / 1024:.0f} KiB written to {args.out}", file=sys.stderr)
    if args.out == OUT:  # the shipped table: its background words' vectors ship beside it
        from align.scoring.coverage import save_word_background

        L.builtin.cache_clear()
        save_word_background(WORDS)
        print(f"background word vectors written to {WORDS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
