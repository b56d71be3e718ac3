"""Fit the calibrated scorers' weights on fitting data with hard negatives.

Training examples are every Hebrew x English caption candidate pair of pages from the
fitting side of every split, so no figure is ever reported on data fitted here:

- same-story pages from the fitting half of the FLORES articles (story_pages.py), a
  quarter of their English captions given what English captions add and Hebrew alt
  texts lack (a dateline, a note on the photo), as listing pages and single pairs are;
- Tatoeba pages of the calibration slice with random wrong partners (pages.py);
- Tatoeba pages of the calibration slice made of nearest neighbours (neighbour_pages.py);
- single pairs, as ``align check`` scores each corpus row: FLORES fitting pairs, each
  also against another sentence of its article, and Tatoeba calibration pairs, each
  also against a random sentence;
- listing pages from the fitting half (story_pages.py): 12 to 40 images of several
  stories, as a section front shows them.

For each example: the features of every source (the costly latent terms too), whether
the two share a caption block, and whether it is a gold pair. Logistic regressions
(Newton's method, small L2) are fitted per scorer, with the layout weight fitted and
capped; ``auto`` gets two: the cheap one, and one over every feature for the pairs
whose cheap score is in doubt. Weights, band and the data they came from go to
``align/data/calibration.json``; the background vectors are refreshed too.

    python benchmarks/calibrate.py
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

import flores  # noqa: E402
from neighbour_pages import make_neighbour_pages  # noqa: E402
from pages import make_pages, slice_pool  # noqa: E402
from story_pages import caption_addition, make_listing_pages, make_story_pages  # noqa: E402

from align import text as T  # noqa: E402
from align.detection import detect  # noqa: E402
from align.inputs.plain import from_text  # noqa: E402
from align.linking.captions import candidates, same_block  # noqa: E402
from align.scoring.embedding import CONTEXT_FEATURES, EmbeddingFeatures, save_background  # noqa: E402
from align.scoring.sparse import FEATURES as LATENT  # noqa: E402
from align.scoring.sparse import LatentFeatures, save_latent_background
from align.scoring.surface import SurfaceFeatures  # noqa: E402

DATA = os.path.join(HERE, "..", "align", "data")
MAX_LAYOUT_WEIGHT = 2.0  # at most x7.4 on the odds of a pair
EMBEDDING = ["cos", "margin", *[f for f in CONTEXT_FEATURES if not f.startswith("rival")]]
SURFACE = list(SurfaceFeatures.FEATURES)
FEATURES = {"embedding": EMBEDDING, "surface": SURFACE, "auto": EMBEDDING + SURFACE}
COSTLY = {"auto": EMBEDDING + SURFACE + list(LATENT)}
BAND = (0.3, 0.7)
ADDITIONS = 0.25  # English captions of FLORES fitting data given a dateline or photo note
# Without a real he->en model the translation scorers get prior weights, marked
# "fitted": false: chrF 0.43 is an even bet alone; in "all", chrF 0.35 and an
# English-English cosine of 0.88 are neutral. Fit them with --translation-model DIR.
CHRF_PRIOR = {"weight": 14.0, "even": 0.43, "all_weight": 6.0, "all_neutral": 0.35}
MT_COS_PRIOR = {"weight": 15.0, "neutral": 0.88}


def page_cells(name: str, text: str, gold, sources) -> dict[str, np.ndarray] | None:
    """Every candidate cell of one page: the sources' features, ``same_block`` and
    ``label`` (1 for a gold pair), each (n_he, n_en); None for a page without both."""
    gold_keys = {(T.clean(h), T.clean(e)) for h, e in gold}
    he, en = candidates(detect(from_text(text, name)))
    if not he or not en:
        return None
    feats = {"same_block": same_block(he, en),
             "label": np.array([[float((h.text, e.text) in gold_keys) for e in en] for h in he])}
    for source in sources:
        feats.update(source.features([s.text for s in he], [s.text for s in en]))
    return feats


def page_examples(pages, sources) -> dict[str, list[np.ndarray]]:
    """Feature columns, ``same_block`` and ``label`` over every candidate cell of ``pages``."""
    cols: dict[str, list[np.ndarray]] = {}
    for name, text, gold, _ in pages:
        feats = page_cells(name, text, gold, sources)
        for key, value in (feats or {}).items():
            cols.setdefault(key, []).append(value.ravel())
    return cols


def single_pairs(rng: random.Random) -> list[tuple[str, str, float]]:
    """``(he, en, label)`` for one-caption pages: translations and wrong partners. A
    wrong row of a corpus is most often another sentence of the same story (a shifted
    or shuffled article): FLORES fitting pairs, each also against another sentence of
    its article; and Tatoeba calibration pairs, each also against a random sentence."""
    rows = []
    fit = flores.half("fit")
    def english(en: str) -> str:
        return caption_addition(rng, en) if rng.random() < ADDITIONS else en

    for sentences in flores.articles(fit).values():
        for s in sentences:
            rows.append((s.he, english(s.en), 1.0))
            others = [o for o in sentences if o is not s]
            if others:
                rows.append((s.he, english(rng.choice(others).en), 0.0))
    pool = slice_pool("calibration")[:2000]
    for he, en in pool:
        rows.append((he, en, 1.0))
        rows.append((he, pool[rng.randrange(len(pool))][1], 0.0))
    return rows


def single_examples(rows, sources) -> dict[str, list[np.ndarray]]:
    """As ``page_examples``, each row alone on its page (no shared caption block)."""
    cols: dict[str, list[np.ndarray]] = {}
    for he, en, label in rows:
        feats = {"same_block": np.zeros((1, 1)), "label": np.array([[label if he and en else 0.0]])}
        for source in sources:
            feats.update(source.features([he], [en]))
        for key, value in feats.items():
            cols.setdefault(key, []).append(value.ravel())
    return cols


def fit_logistic(X: np.ndarray, y: np.ndarray, offset: np.ndarray | float = 0.0,
                 l2: float = 1e-3, iters: int = 100) -> np.ndarray:
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


def fit_model(data: dict[str, np.ndarray], names: list[str], layout: float,
              where: np.ndarray | None = None) -> dict:
    """One fitted logistic model over ``names`` with the layout weight as an offset,
    on the examples ``where`` selects (all by default)."""
    where = np.ones(len(data["label"]), dtype=bool) if where is None else where
    X = np.column_stack([data[n][where] for n in names])
    w = fit_logistic(X, data["label"][where], offset=layout * data["same_block"][where])
    return {"bias": round(float(w[0]), 6),
            "weights": {n: round(float(v), 6) for n, v in zip(names, w[1:])}}


def in_band(data: dict[str, np.ndarray], model: dict, layout: float) -> np.ndarray:
    """The examples whose cheap score (layout included) lies in ``BAND``: those the
    costly model will judge, so it is fitted on them alone."""
    z = (model["bias"] + sum(w * data[n] for n, w in model["weights"].items())
         + layout * data["same_block"])
    p = 1 / (1 + np.exp(-z))
    return (p >= BAND[0]) & (p <= BAND[1])


def layout_weight(data: dict[str, np.ndarray], names: list[str]) -> tuple[float, float]:
    """The layout weight fitted freely with ``names``, and as used (capped): layout is
    nearly perfect evidence on generated pages, not on real ones, and never decides."""
    X = np.column_stack([data[n] for n in names] + [data["same_block"]])
    free = float(fit_logistic(X, data["label"])[-1])
    return free, min(free, MAX_LAYOUT_WEIGHT)


def fit_scorer(data, names: list[str], costly: list[str] | None, layout: float,
               where: np.ndarray) -> dict:
    """The cheap model over ``names`` and, with ``costly`` names, the model for the
    examples in doubt, both fitted on the examples ``where`` selects."""
    model = fit_model(data, names, layout, where)
    if costly:
        model["costly"] = fit_model(data, costly, layout, where & in_band(data, model, layout))
        model["band"] = list(BAND)
    return model


def cell_report(name: str, data, model: dict, layout: float, where: np.ndarray) -> str:
    """Cell-level precision and recall of a model on its own fitting data (a sanity check)."""
    X = np.column_stack([data[n][where] for n in model["weights"]])
    z = (model["bias"] + X @ np.array(list(model["weights"].values()))
         + layout * data["same_block"][where])
    pred, y = z >= 0, data["label"][where] == 1
    tp = float((pred & y).sum())
    return f"{name:10s} fit cells P={tp / max(pred.sum(), 1):.3f} R={tp / y.sum():.3f}"


def build(args) -> dict[str, np.ndarray]:
    """Every training example of the fitting data, features of all sources included."""
    embedding = EmbeddingFeatures()
    sources = [embedding, SurfaceFeatures(), LatentFeatures(embedding.embedder)]
    if args.translation_model:
        from align.mt.store import find
        from align.mt.translator import Translator
        from align.scoring.translation import TranslationFeatures

        sources.append(TranslationFeatures(Translator(find(explicit=args.translation_model)),
                                           embedding.embedder))
    parts = [
        ("story pages (FLORES fitting half)", lambda: page_examples(
            make_story_pages("fit", args.story_pages, args.seed, additions=ADDITIONS), sources)),
        ("Tatoeba pages (calibration slice)", lambda: page_examples(
            make_pages("calibration", args.pages, args.seed), sources)),
        ("nearest-neighbour pages (calibration slice)", lambda: page_examples(
            make_neighbour_pages("calibration", args.pages, args.seed), sources)),
        ("single pairs", lambda: single_examples(single_pairs(random.Random(args.seed)), sources)),
        ("listing pages (FLORES fitting half)", lambda: page_examples(
            make_listing_pages("fit", args.listing_pages, args.seed, additions=ADDITIONS), sources)),
    ]
    cols: dict[str, list[np.ndarray]] = {}
    for number, (label, make) in enumerate(parts):
        stored = os.path.join(args.examples, f"part-{number}.npz") if args.examples else None
        start = time.perf_counter()
        if stored and os.path.exists(stored):
            with np.load(stored) as kept:
                part = {k: [v] for k, v in kept.items()}
        else:
            part = make()
            part["part"] = [np.full(len(v), float(number)) for v in part["label"]]
            if stored:
                os.makedirs(args.examples, exist_ok=True)
                np.savez_compressed(stored, **{k: np.concatenate(v) for k, v in part.items()})
        n = sum(len(v) for v in part["label"])
        print(f"{label}: {n} candidate pairs, {int(sum(v.sum() for v in part['label']))} gold "
              f"({time.perf_counter() - start:.0f}s)", file=sys.stderr)
        for key, value in part.items():
            cols.setdefault(key, []).extend(value)
    return {k: np.concatenate(v) for k, v in cols.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=400, help="Tatoeba pages of each kind")
    parser.add_argument("--story-pages", type=int, default=300)
    parser.add_argument("--listing-pages", type=int, default=60)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--examples", metavar="DIR",
                        help="keep the training examples of each part here, and reuse those found")
    parser.add_argument("--parts", type=int, nargs="+", metavar="N",
                        help="fit on these parts only (0 stories, 1 Tatoeba, 2 neighbours, 3 singles, 4 listings)")
    parser.add_argument("--translation-model", metavar="DIR",
                        help="a models folder with a real he->en model: fit the translation scorers too")
    args = parser.parse_args(argv)
    if args.translation_model:
        FEATURES["translation"] = ["chrf"]
        FEATURES["all"] = FEATURES["auto"] + ["chrf", "mt_cos"]
        COSTLY["all"] = COSTLY["auto"] + ["chrf", "mt_cos"]
    if not args.examples:
        save_background(os.path.join(DATA, "background.npz"))
        save_latent_background(os.path.join(DATA, "background_latent.npz"))
    data = build(args)
    if args.parts:
        keep = np.isin(data["part"], args.parts)
        data = {k: v[keep] for k, v in data.items()}
    y = data["label"]
    out = {"fitted_on": (f"benchmarks/calibrate.py --pages {args.pages} --story-pages "
                         f"{args.story_pages} --seed {args.seed}: {len(y)} candidate pairs, "
                         f"{int(y.sum())} gold, from FLORES fitting-half stories, Tatoeba "
                         f"calibration-slice pages (random and nearest-neighbour) and single pairs"),
           "scorers": {}, "layout": {}}
    alone = (data["has_row"] == 0) & (data["has_col"] == 0)
    for scorer, names in FEATURES.items():
        free, layout = layout_weight({k: v[~alone] for k, v in data.items()}, names)
        model = fit_scorer(data, names, COSTLY.get(scorer), layout, ~alone)
        model["alone"] = fit_scorer(data, names, COSTLY.get(scorer), layout, alone)
        out["scorers"][scorer] = model
        out["layout"][scorer] = round(layout, 6)
        print(f"{scorer}: layout fitted {free:.2f}, used {layout:.2f}", file=sys.stderr)
        for label, part, where in (("pages", model, ~alone), ("alone", model["alone"], alone)):
            print("  " + cell_report(label, data, part, layout, where), file=sys.stderr)
            if "costly" in part:
                print("  " + cell_report(label + "+latent", data, part["costly"], layout, where),
                      file=sys.stderr)
    if args.translation_model:
        return write(out)
    auto = out["scorers"]["auto"]
    out["scorers"]["translation"] = {
        "bias": -CHRF_PRIOR["weight"] * CHRF_PRIOR["even"], "weights": {"chrf": CHRF_PRIOR["weight"]},
        "centre": {"chrf": CHRF_PRIOR["even"]}, "fitted": False}
    out["scorers"]["all"] = {**with_translation_prior(auto), "fitted": False,
                             "alone": with_translation_prior(auto["alone"])}
    out["layout"]["translation"] = out["layout"]["all"] = out["layout"]["auto"]
    return write(out)


def with_translation_prior(model: dict) -> dict:
    """``model`` (and its costly part) with chrF and MT-embedding terms of prior weight."""
    shift = (-CHRF_PRIOR["all_weight"] * CHRF_PRIOR["all_neutral"]
             - MT_COS_PRIOR["weight"] * MT_COS_PRIOR["neutral"])
    extra = {"chrf": CHRF_PRIOR["all_weight"], "mt_cos": MT_COS_PRIOR["weight"]}
    out = {"bias": round(model["bias"] + shift, 6), "weights": {**model["weights"], **extra},
           "centre": {"chrf": CHRF_PRIOR["all_neutral"], "mt_cos": MT_COS_PRIOR["neutral"]}}
    if "costly" in model:
        out["costly"] = with_translation_prior(model["costly"])
        out["band"] = model["band"]
    return out


def write(calibration: dict) -> int:
    """Write ``align/data/calibration.json``."""
    with open(os.path.join(DATA, "calibration.json"), "w", encoding="utf-8") as fh:
        json.dump(calibration, fh, indent=2)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
