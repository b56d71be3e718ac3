"""One score on every kind of page: precision and recall of ``align captions`` on the
evaluation side of every page set, and a threshold sweep.

Page sets (never the data calibrate.py fits on):

  story-N    same-story FLORES pages, evaluation half of the articles, seed N
  tatoeba-N  Tatoeba pages with random wrong partners, benchmark slice, seed N
  nn-N       Tatoeba pages of nearest neighbours, benchmark slice, seed N
  listing-N  listing pages of 12-40 images of several FLORES stories, evaluation half
  real       the saved ynetnews.com pages of ../shared/data/ynetnews-pages, when
             present: strict precision (translations / all pairs), lenient ((T + P) /
             all), recall of translations, and the counts of partial, different and
             unlabelled pairs (across two images, or from a menu)

Each set is run once at a threshold of 0.01; a pair is kept at threshold t exactly when
competitive linking at t keeps it (links are taken best first, so raising t only drops
the weakest), which gives the whole sweep from one run.

    python benchmarks/bench_scores.py
    python benchmarks/bench_scores.py --sets story-1 real --band 2 3   # no latent terms
    python benchmarks/bench_scores.py --reliability          # does a score read as a probability?

``--reliability`` scores every Hebrew x English candidate pair of each generated set
as ``align captions`` does (layout included, before linking) and compares, bin by bin,
the mean score with the share of pairs that are translations; ECE is the mean gap,
weighted by the pairs in each bin.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# every run measured cold: no evidence cache (bench_cache.py measures it); subprocesses inherit this
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from bench_captions import load_gold  # noqa: E402
from neighbour_pages import make_neighbour_pages  # noqa: E402
from pages import make_pages, write_pages  # noqa: E402
from story_pages import make_listing_pages, make_story_pages  # noqa: E402

from align import text as T  # noqa: E402
from align.cli import main as align_main  # noqa: E402

REAL = os.path.join(HERE, "..", "..", "shared", "data", "ynetnews-pages")
SWEEP = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
DEFAULT_SETS = ["story-1", "story-2", "tatoeba-1", "tatoeba-2", "nn-1", "listing-1", "real"]
MAKERS = {
    "story": lambda n, seed: make_story_pages("eval", n, seed),
    "tatoeba": lambda n, seed: make_pages("benchmark", n, seed),
    "nn": lambda n, seed: make_neighbour_pages("benchmark", n, seed),
    "listing": lambda n, seed: make_listing_pages("eval", n // 4, seed),
}


def folder_of(name: str, pages: int) -> str:
    """The pages of set ``name`` (generated once under benchmarks/out)."""
    kind, seed = name.split("-")
    folder = os.path.join(HERE, "out", f"set-{kind}-{seed}-{pages}")
    if not os.path.exists(os.path.join(folder, "pages.jsonl")):
        write_pages(folder, kind, pages, int(seed), make=lambda _s, n, sd: MAKERS[kind](n, sd))
    return folder


def run(paths: list[str], scorer: str | None) -> tuple[list[dict], float]:
    """Every pair ``align captions`` links at threshold 0.01, and the seconds it took."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "pairs.jsonl")
        extra = ["--scorer", scorer] if scorer else []
        start = time.perf_counter()
        align_main(["captions", *paths, "-o", out, "--threshold", "0.01", *extra])
        seconds = time.perf_counter() - start
        with open(out, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh], seconds


def generated(folder: str, rows: list[dict]) -> dict:
    """Precision, recall and F1 at each threshold of the sweep."""
    gold, _ = load_gold(folder)
    out = {}
    for t in SWEEP:
        pred = {(os.path.basename(r["doc"]), r["he"], r["en"]) for r in rows if r["score"] >= t}
        tp = len(gold & pred)
        p = tp / len(pred) if pred else 1.0
        r = tp / len(gold)
        out[t] = {"precision": round(p, 4), "recall": round(r, 4),
                  "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "pairs": len(pred)}
    return out


def real_labels() -> dict[tuple[str, str], str]:
    """(Hebrew, English) of each labelled image of the real pages -> T, P or D."""
    labels = {}
    with open(os.path.join(REAL, "gold.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            labels[(T.clean(r["he"]), T.clean(r["en"]))] = r["label"]
    return labels


def real(rows: list[dict]) -> dict:
    """Strict and lenient precision, recall of T, and counts by label, per threshold."""
    labels = real_labels()
    translations = sum(1 for v in labels.values() if v == "T")
    out = {}
    for t in SWEEP:
        kept = [r for r in rows if r["score"] >= t]
        found = [labels.get((r["he"], r["en"]), "X") for r in kept]
        count = {k: found.count(k) for k in "TPDX"}
        distinct_t = {(r["he"], r["en"]) for r in kept if labels.get((r["he"], r["en"])) == "T"}
        n = len(kept) or 1
        out[t] = {"strict": round(count["T"] / n, 3), "lenient": round((count["T"] + count["P"]) / n, 3),
                  "recall_T": round(len(distinct_t) / translations, 3), "pairs": len(kept),
                  "partial": count["P"], "different": count["D"], "unlabelled": count["X"]}
    return out


BINS = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001]


def reliability(folder: str) -> dict:
    """Mean score against the share of translations, per bin of score, over every
    candidate pair of the pages in ``folder``; and the expected calibration error."""
    import numpy as np

    from align.detection import detect
    from align.inputs.plain import read
    from align.linking.captions import candidates, layout_offset
    from align.scoring import get_scorer
    from align.scoring.calibrated import calibration

    gold, _ = load_gold(folder)
    scorer = get_scorer("auto")
    weight = calibration()["layout"]["auto"]
    scores, labels = [], []
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".txt")):
        he, en = candidates(detect(read(os.path.join(folder, name))))
        if not he or not en:
            continue
        p = scorer.score([s.text for s in he], [s.text for s in en], offset=layout_offset(he, en, weight))
        scores += list(p.ravel())
        labels += [(name, h.text, e.text) in gold for h in he for e in en]
    scores, labels = np.array(scores), np.array(labels, dtype=float)
    out, ece = {}, 0.0
    for lo, hi in zip(BINS, BINS[1:]):
        m = (scores >= lo) & (scores < hi)
        if m.any():
            gap = abs(scores[m].mean() - labels[m].mean())
            ece += gap * m.sum() / len(scores)
            out[f"{lo:.1f}-{min(hi, 1.0):.1f}"] = {"pairs": int(m.sum()),
                                                   "mean_score": round(float(scores[m].mean()), 3),
                                                  "translations": round(float(labels[m].mean()), 3)}
    out["ece"] = round(float(ece), 4)
    return out


def real_alone() -> dict:
    """Each labelled image of the real pages scored alone, as if every image were its
    own unit (what ``align check`` does with a row): per label, how many pass 0.5."""
    from align.scoring import get_scorer

    labels = real_labels()
    pairs = list(labels)
    scores = get_scorer("auto").score_pairs([h for h, _ in pairs], [e for _, e in pairs])
    return {label: {"pairs": sum(1 for k in pairs if labels[k] == label),
                    "at_or_above_0.5": sum(1 for k, s in zip(pairs, scores) if labels[k] == label and s >= 0.5)}
            for label in "TPD"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=DEFAULT_SETS)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--scorer")
    parser.add_argument("--band", nargs=2, type=float, metavar=("LOW", "HIGH"),
                        help="rescore cheap scores in [LOW, HIGH] with latent terms (2 3: never)")
    parser.add_argument("--reliability", action="store_true",
                        help="compare scores with the share of translations, bin by bin")
    args = parser.parse_args(argv)
    if args.reliability:
        report = {name: reliability(folder_of(name, args.pages))
                  for name in args.sets if name != "real"}
        print(json.dumps(report, indent=1))
        return 0
    if args.band:
        from align.scoring.calibrated import calibration

        for model in calibration()["scorers"].values():
            if "band" in model:
                model["band"] = list(args.band)
    report = {}
    for name in args.sets:
        if name == "real":
            if not os.path.isdir(REAL):
                print(f"skipping real: {REAL} is not here", file=sys.stderr)
                continue
            paths = sorted(os.path.join(REAL, f) for f in os.listdir(REAL) if f.endswith(".html"))
            rows, seconds = run(paths, args.scorer)
            report[name] = {"seconds": round(seconds, 2), "sweep": real(rows), "each_image_alone": real_alone()}
        else:
            folder = folder_of(name, args.pages)
            paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".txt"))
            rows, seconds = run(paths, args.scorer)
            report[name] = {"seconds": round(seconds, 2), "sweep": generated(folder, rows)}
        at = report[name]["sweep"][0.5]
        print(f"{name:10s} " + "  ".join(f"{k}={v}" for k, v in at.items()), file=sys.stderr)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
