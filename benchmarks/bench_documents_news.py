"""`align documents` on news documents built from FLORES: which beads reach a corpus.

A document is a run of whole FLORES articles (stories of 3-4 sentences sharing names,
places and an event) from one half of the fixed split (``flores.py``), 20-40
sentences, with merges (about 8 % per side) and drops (about 4 % per side) as
``docs.make_doc`` makes them. Each document is aligned as ``align documents
--presplit`` aligns it (the one calibrated scorer, strict standard), and for each
threshold the beads a corpus format (Moses, TSV, TMX, hf) would hold are those with
both sides scoring at least that much. Precision: written beads equal to a gold bead;
recall: gold two-sided beads written.

The default threshold is chosen on the fitting half; figures are reported on the
evaluation half.

    python benchmarks/bench_documents_news.py --half fit     # choose
    python benchmarks/bench_documents_news.py --half eval    # report
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from flores import articles, half  # noqa: E402

from docs import make_doc  # noqa: E402

THRESHOLDS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7)


def news_docs(name: str, seed: int, lengths=(20, 40)):
    """``(he, en, gold)`` documents of whole articles of half ``name``, in file order."""
    rng = random.Random(seed)
    stories = list(articles(half(name)).values())
    docs, current, size = [], [], rng.randint(*lengths)
    for story in stories:
        current += [(s.he, s.en) for s in story]
        if len(current) >= size:
            docs.append(make_doc(current, rng))
            current, size = [], rng.randint(*lengths)
    if len(current) >= lengths[0] // 2:
        docs.append(make_doc(current, rng))
    return docs


def figures(docs, found, threshold: float) -> dict:
    """Precision and recall of the two-sided beads scoring at least ``threshold``."""
    written = correct = gold_total = 0
    for (_, _, gold), beads in zip(docs, found):
        two_sided = {(tuple(h), tuple(e)) for h, e in gold if h and e}
        gold_total += len(two_sided)
        kept = [(b.he_ids, b.en_ids) for b in beads if b.he_ids and b.en_ids and b.score >= threshold]
        written += len(kept)
        correct += sum(1 for b in kept if b in two_sided)
    p = correct / written if written else 0.0
    r = correct / gold_total if gold_total else 0.0
    return {"threshold": threshold, "precision": round(p, 4), "recall": round(r, 4), "written": written,
            "correct": correct, "gold": gold_total}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=["fit", "eval"], default="eval")
    parser.add_argument("--seeds", type=int, nargs="+", default=[5, 6, 7],
                        help="one set of documents (merges and drops drawn anew) per seed, pooled")
    parser.add_argument("--wrong", type=int, default=8, help="show this many wrong written beads at the default")
    args = parser.parse_args(argv)
    from align.api import align_documents
    from align.linking.documents import DEFAULT_MIN_SCORE

    docs = [doc for seed in args.seeds for doc in news_docs(args.half, seed)]
    start = time.perf_counter()
    found = [align_documents(he, en, presplit=True) for he, en, _ in docs]
    seconds = time.perf_counter() - start
    report = {"half": args.half, "documents": len(docs), "sentences": sum(len(h) + len(e) for h, e, _ in docs),
              "seconds": round(seconds, 1), "default": DEFAULT_MIN_SCORE,
              "curve": [figures(docs, found, t) for t in sorted({*THRESHOLDS, DEFAULT_MIN_SCORE})]}
    wrong = []
    for (_, _, gold), beads in zip(docs, found):
        two_sided = {(tuple(h), tuple(e)) for h, e in gold if h and e}
        wrong += [(round(b.score, 3), b.he[:70], b.en[:70]) for b in beads
                  if b.he_ids and b.en_ids and (b.he_ids, b.en_ids) not in two_sided]
    report["wrong_two_sided"] = sorted(wrong, reverse=True)[: args.wrong]
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
