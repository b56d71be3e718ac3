"""Generate parallel documents with known sentence alignment, and score bead alignments.

A document is a run of 20-40 Tatoeba pairs in order. Then, each with about 8 %
probability per position, two neighbouring Hebrew sentences are merged into one (a
2-1 bead) or two neighbouring English ones (1-2); and about 4 % of sentences are
dropped on either side (0-1 or 1-0 beads). Gold beads list 0-based sentence indices.

    from docs import make_docs   # score with align.evaluate.bead_scores
"""
from __future__ import annotations

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pages import slice_pool  # noqa: E402


def make_doc(pairs: list[tuple[str, str]], rng: random.Random, merge: float = 0.08,
             drop: float = 0.04):
    """``(he_sentences, en_sentences, gold_beads)`` from an ordered run of pairs."""
    he, en, gold = [], [], []
    k = 0
    while k < len(pairs):
        r = rng.random()
        if r < merge and k + 1 < len(pairs):           # Hebrew merged: 1 he, 2 en
            he.append(pairs[k][0] + " " + pairs[k + 1][0])
            gold.append(((len(he) - 1,), (len(en), len(en) + 1)))
            en += [pairs[k][1], pairs[k + 1][1]]
            k += 2
        elif r < 2 * merge and k + 1 < len(pairs):     # English merged: 2 he, 1 en
            gold.append(((len(he), len(he) + 1), (len(en),)))
            he += [pairs[k][0], pairs[k + 1][0]]
            en.append(pairs[k][1] + " " + pairs[k + 1][1])
            k += 2
        elif r < 2 * merge + drop:                     # English dropped
            gold.append(((len(he),), ()))
            he.append(pairs[k][0])
            k += 1
        elif r < 2 * merge + 2 * drop:                 # Hebrew dropped
            gold.append(((), (len(en),)))
            en.append(pairs[k][1])
            k += 1
        else:
            gold.append(((len(he),), (len(en),)))
            he.append(pairs[k][0])
            en.append(pairs[k][1])
            k += 1
    return he, en, gold


def make_docs(slice_name: str, n_docs: int, seed: int, lengths=(20, 40)):
    """``n_docs`` documents from one slice of the dev pairs (see pages.SLICES)."""
    rng = random.Random(seed)
    pool = slice_pool(slice_name)
    docs, start = [], 0
    for _ in range(n_docs):
        size = rng.randint(*lengths)
        if start + size > len(pool):
            start = 0
        docs.append(make_doc(pool[start:start + size], rng))
        start += size
    return docs


def write_docs(out: str, slice_name: str, n_docs: int, seed: int) -> None:
    """Write ``docNNN.he`` / ``docNNN.en`` (one sentence a line) and ``docNNN.gold.jsonl``."""
    import json

    os.makedirs(out, exist_ok=True)
    for k, (he, en, gold) in enumerate(make_docs(slice_name, n_docs, seed)):
        stem = os.path.join(out, f"doc{k:03d}")
        with open(stem + ".he", "w", encoding="utf-8") as fh:
            fh.write("\n".join(he) + "\n")
        with open(stem + ".en", "w", encoding="utf-8") as fh:
            fh.write("\n".join(en) + "\n")
        with open(stem + ".gold.jsonl", "w", encoding="utf-8") as fh:
            for h, e in gold:
                fh.write(json.dumps({"he_ids": list(h), "en_ids": list(e)}) + "\n")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slice", default="benchmark")
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    write_docs(args.out, args.slice, args.docs, args.seed)
