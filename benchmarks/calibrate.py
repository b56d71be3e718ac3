"""Fit the calibrated scorers' weights on generated calibration pages.

For every page of the calibration slice (disjoint from benchmark and test pages), every
Hebrew x English caption candidate pair becomes one example: its features from the
embedding and surface sources, whether the two share a caption block, and whether it
is a gold pair. A logistic regression (Newton's method, small L2) is fitted per scorer;
the weights, the layout weight and the data they came from go to
``align/data/calibration.json``. Also refreshes ``align/data/background.npz``.

    python benchmarks/calibrate.py --pages 400
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from align import text as T  # noqa: E402
from align.captions import same_block  # noqa: E402
from align.detect import detect  # noqa: E402
from align.document import from_text  # noqa: E402
from align.scoring.embedding import EmbeddingFeatures, save_background  # noqa: E402
from align.scoring.surface import SurfaceFeatures  # noqa: E402
from pages import make_pages  # noqa: E402

DATA = os.path.join(HERE, "..", "align", "data")
MAX_LAYOUT_WEIGHT = 2.0  # at most x7.4 on the odds of a pair
FEATURES = {
    "embedding": ["margin", "cos"],
    "surface": ["num_both", "num_jaccard", "num_one", "names", "length"],
    "auto": ["margin", "cos", "num_both", "num_jaccard", "num_one", "names", "length"],
}
TRANSLATION_FEATURES = {"translation": ["chrf"], "all": FEATURES["auto"] + ["chrf"]}
# Without a real he->en model the translation scorers get prior weights, marked
# "fitted": false: chrF 0.43 is an even bet alone; in "all", chrF 0.35 is neutral.
# Fit them with --translation-model DIR once a real model is installed.
CHRF_PRIOR = {"weight": 14.0, "even": 0.43, "all_weight": 6.0, "all_neutral": 0.35}


def examples(n_pages: int, seed: int, translation=None):
    """Feature rows (dict of 1-D arrays), block flags and labels over all candidate cells."""
    sources = [EmbeddingFeatures(), SurfaceFeatures()] + ([translation] if translation else [])
    cols: dict[str, list] = {}
    for name, text, gold, _ in make_pages("calibration", n_pages, seed):
        gold_keys = {(T.clean(h), T.clean(e)) for h, e in gold}
        segs = detect(from_text(text, name))
        he = [s for s in segs if s.lang == "he" and s.kind == "caption"]
        en = [s for s in segs if s.lang == "en" and s.kind == "caption"]
        if not he or not en:
            continue
        feats = {}
        for source in sources:
            feats.update(source.features([s.text for s in he], [s.text for s in en]))
        feats["same_block"] = same_block(he, en)
        feats["label"] = np.array([[float((h.text, e.text) in gold_keys) for e in en] for h in he])
        for key, value in feats.items():
            cols.setdefault(key, []).append(value.ravel())
    return {k: np.concatenate(v) for k, v in cols.items()}


def fit_logistic(X: np.ndarray, y: np.ndarray, offset: np.ndarray | float = 0.0,
                 l2: float = 1e-3, iters: int = 50) -> np.ndarray:
    """Weights (bias first) of a logistic regression with a fixed ``offset``, by Newton."""
    X1 = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(X1.shape[1])
    reg = l2 * np.eye(len(w))
    reg[0, 0] = 0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-(X1 @ w + offset)))
        grad = X1.T @ (p - y) + reg @ w
        hess = (X1 * (p * (1 - p))[:, None]).T @ X1 + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--translation-model", metavar="DIR",
                        help="a models folder with a real he->en model: fit the translation scorers too")
    args = parser.parse_args(argv)
    save_background(os.path.join(DATA, "background.npz"))
    start = time.perf_counter()
    translation = None
    if args.translation_model:
        from align.models import find
        from align.scoring.translation import TranslationFeatures
        from align.translate import Translator

        translation = TranslationFeatures(Translator(find(explicit=args.translation_model)))
        FEATURES.update(TRANSLATION_FEATURES)
    data = examples(args.pages, args.seed, translation)
    y = data["label"]
    print(f"{len(y)} candidate pairs, {int(y.sum())} gold, from {args.pages} pages "
          f"({time.perf_counter() - start:.1f}s)", file=sys.stderr)
    out = {"fitted_on": f"benchmarks/calibrate.py --pages {args.pages} --seed {args.seed}: "
                        f"{len(y)} candidate pairs, {int(y.sum())} gold, Tatoeba calibration slice",
           "scorers": {}, "layout": {}}
    for scorer, names in FEATURES.items():
        X = np.column_stack([data[n] for n in names])
        # Layout is fitted too, but capped: generated pages make adjacency nearly
        # perfect evidence, real pages do not, and layout must never decide alone.
        free = fit_logistic(np.column_stack([X, data["same_block"]]), y)
        layout = min(float(free[-1]), MAX_LAYOUT_WEIGHT)
        w = fit_logistic(X, y, offset=layout * data["same_block"])
        out["scorers"][scorer] = {"bias": round(float(w[0]), 6),
                                  "weights": {n: round(float(v), 6) for n, v in zip(names, w[1:])}}
        out["layout"][scorer] = round(layout, 6)
        z = np.hstack([np.ones((len(X), 1)), X]) @ w + layout * data["same_block"]
        pred = z >= 0
        tp = float((pred & (y == 1)).sum())
        print(f"{scorer:10s} cell P={tp / max(pred.sum(), 1):.3f} R={tp / y.sum():.3f} "
              f"layout fitted {free[-1]:.2f} used {layout:.2f} weights={out['scorers'][scorer]}",
              file=sys.stderr)
    if translation is None:
        auto = out["scorers"]["auto"]
        prior = CHRF_PRIOR
        out["scorers"]["translation"] = {
            "bias": -prior["weight"] * prior["even"], "weights": {"chrf": prior["weight"]},
            "fitted": False}
        out["scorers"]["all"] = {
            "bias": round(auto["bias"] - prior["all_weight"] * prior["all_neutral"], 6),
            "weights": {**auto["weights"], "chrf": prior["all_weight"]}, "fitted": False}
        out["layout"]["translation"] = out["layout"]["all"] = MAX_LAYOUT_WEIGHT
    with open(os.path.join(DATA, "calibration.json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
