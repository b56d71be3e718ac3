"""Fit the built-in standards (strict, lenient) on pairs with partial translations, and
measure them on the evaluation half.

The examples are ``partials.py``'s: pieces of the FLORES lines and their translations,
the same with titles, credits and tags added (still translations), keyword lists, and
partial pairs (one side grown by a clause or phrase, a name alone against the event, a
keyword list missing a word), and pieces of another line of the same article. Each is
judged alone, as ``align check`` judges a corpus row: its evidence is
``scorer.pair_evidence`` (the scorer's log-odds and the word coverage), exactly what
the standards weigh at run time.

Both standards are logistic regressions under the sign constraints of
``align.scoring.standard.SIGNS``. The classes are weighted to the share they have among
the image captions of real news pages (``PRIOR``), so that a score reads as a
probability there rather than on this data's own mix.

    python benchmarks/standards.py            # fit on the fitting half, write calibration.json
    python benchmarks/standards.py --dry-run  # fit and report, write nothing
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

import partials  # noqa: E402
from lexicon import use_held_out  # noqa: E402

from align.scoring import get_scorer  # noqa: E402
from align.scoring.standard import FEATURES, POSITIVE, SIGNS, Standard, fit_weights  # noqa: E402

CALIBRATION = os.path.join(HERE, "..", "align", "data", "calibration.json")
# The share of translations each standard is fitted to expect. Strict: the share of full
# translations among the (Hebrew alt, English title) pairs of one image on real news
# listing pages (the 92 labelled pairs of the saved ynetnews pages hold 20 T, 66 P, 6 D).
# Lenient: 86 / 92 of those pairs are T or P, but the standard also judges every other
# candidate of a page, where the share is far lower; at 86 / 92 it took pairs with no word
# in common (0.93 precision on the fixture pages), at 0.5 it lost a quarter of the real
# pages' partial pairs. 0.75 was chosen between them on the dev and fixture pages: a
# development choice, said so in docs/measured.md.
PRIOR = {"strict": 20 / 92, "lenient": 0.75}
L2 = 0.01  # a weak pull of every weight towards 0


def evidence_of(rows: list[dict], scorer) -> dict[str, np.ndarray]:
    """The evidence of every example, judged alone (n,) per feature."""
    return scorer.pair_evidence([r["he"] for r in rows], [r["en"] for r in rows])


def matrix(ev: dict[str, np.ndarray]) -> np.ndarray:
    return np.column_stack([ev[f] for f in FEATURES])


def write_calibration(calibration: dict) -> None:
    """Write ``align/data/calibration.json`` (a temporary file renamed into place)."""
    tmp = CALIBRATION + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(calibration, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp, CALIBRATION)
    print(f"written to {CALIBRATION}", file=sys.stderr)


def class_weights(name: str, y: np.ndarray) -> np.ndarray:
    """Example weights that give the translations of ``y`` the share ``PRIOR[name]``."""
    share = y.mean()
    return np.where(y == 1, PRIOR[name] / share, (1 - PRIOR[name]) / (1 - share))


def fit_standard(name: str, X: np.ndarray, labels: list[str]) -> Standard:
    """The standard ``name`` fitted to ``X`` (k, len(FEATURES)) and ``labels``."""
    y = np.array([label in POSITIVE[name] for label in labels], dtype=float)
    weight = class_weights(name, y)
    mean = np.zeros(len(FEATURES) + 1)
    precision = np.full(len(FEATURES) + 1, L2)
    precision[0] = 1e-6
    w = fit_weights(X, y, mean, precision, weight=weight)
    return Standard(name=name, bias=round(float(w[0]), 6),
                    weights={f: round(float(v), 6) for f, v in zip(FEATURES, w[1:])})


def figures(standard: Standard, X: np.ndarray, labels: list[str], threshold: float = 0.5) -> dict:
    """Precision and recall of what the standard counts as a translation, the
    precision at recall 0.5 / 0.7 / 0.9, and, of the pairs scored 0.9 or more, the
    share that are full translations (T)."""
    ev = {f: X[:, k] for k, f in enumerate(FEATURES)}
    p = standard.apply(ev)
    y = np.array([label in standard.positive for label in labels])
    emitted = p >= threshold
    order = np.argsort(-p, kind="stable")
    tp = np.cumsum(y[order])
    precision_at = {}
    for r in (0.5, 0.7, 0.9):
        k = int(np.argmax(tp >= r * y.sum()))
        precision_at[str(r)] = round(float(tp[k] / (k + 1)), 3)
    sure = p >= 0.9
    return {"examples": len(labels), "emitted": int(emitted.sum()),
            "precision": round(float((emitted & y).sum() / max(emitted.sum(), 1)), 3),
            "recall": round(float((emitted & y).sum() / max(y.sum(), 1)), 3),
            "precision_at_recall": precision_at,
            "scored_0.9": int(sure.sum()),
            "T_share_of_scored_0.9": round(float(np.mean([labels[k] == "T" for k in np.flatnonzero(sure)]))
                                           if sure.any() else 1.0, 3)}


def by_kind(standard: Standard, X: np.ndarray, rows: list[dict]) -> dict:
    """The share of each kind of example the standard emits (at 0.5)."""
    ev = {f: X[:, k] for k, f in enumerate(FEATURES)}
    p = standard.apply(ev)
    out: dict[str, list] = {}
    for r, score in zip(rows, p):
        out.setdefault(f"{r['label']} {r['kind']}", []).append(score >= 0.5)
    return {k: f"{sum(v)}/{len(v)}" for k, v in sorted(out.items())}


MT = ("mt_agree", "mt_en_extra", "mt_he_extra")


def fit_mt(standard: Standard, ev: dict[str, np.ndarray], labels: list[str]) -> Standard:
    """``standard`` with its translation weights (``MT``) fitted on ``ev`` (evidence with a
    translator), every other weight and the bias held: with no translator the MT
    features are 0, and the standard scores exactly as before."""
    held = Standard(name=standard.name, bias=standard.bias,
                    weights={f: (0.0 if f in MT else w) for f, w in standard.weights.items()})
    offset = held.logits(ev)
    X = np.column_stack([ev[f] for f in MT])
    y = np.array([label in POSITIVE[standard.name] for label in labels], dtype=float)
    weight = class_weights(standard.name, y)
    # fit_weights works over FEATURES: the MT columns in their places, the rest zero and pinned
    full = np.zeros((len(y), len(FEATURES)))
    for k, f in enumerate(MT):
        full[:, FEATURES.index(f)] = X[:, k]
    mean = np.zeros(len(FEATURES) + 1)
    precision = np.full(len(FEATURES) + 1, 1e9)   # pinned at 0: bias and every non-MT weight
    for f in MT:
        precision[1 + FEATURES.index(f)] = L2
    w = fit_weights(full, y, mean, precision, weight=weight, offset=offset)
    weights = dict(held.weights)
    weights.update({f: round(float(w[1 + FEATURES.index(f)]), 6) for f in MT})
    return Standard(name=standard.name, bias=standard.bias, weights=weights)


def main_mt(args) -> int:
    """``--mt``: fit the translation weights of the built-in standards with a weak
    word-for-word translator (``bench_mt.WordForWord``) on the fitting half; report
    the evaluation half with no translator, the weak one and a poor one (``Unrelated``)."""
    from bench_mt import Unrelated, WordForWord

    from align.scoring.standard import builtin

    left_out = use_held_out(partials.tatoeba_lines("fit") + partials.tatoeba_lines("eval"))
    halves = {half: partials.make(half, args.seed) for half in ("fit", "eval")}
    labels = {half: [r["label"] for r in rows] for half, rows in halves.items()}
    evidence = {}
    for name, translator in (("none", None), ("weak", WordForWord()), ("poor", Unrelated())):
        scorer = get_scorer("auto")
        scorer.mt_translator = translator
        evidence[name] = {half: evidence_of(rows, scorer) for half, rows in halves.items()}
    report: dict = {"lexicon_pairs_left_out": left_out}
    fitted = {}
    for name in ("strict", "lenient"):
        standard = fit_mt(builtin(name), evidence["weak"]["fit"], labels["fit"])
        fitted[name] = standard
        report[name] = {"mt_weights": {f: standard.weights[f] for f in MT}}
        for translator in ("none", "weak", "poor"):
            X = matrix(evidence[translator]["eval"])
            report[name][f"eval_{translator}"] = figures(standard, X, labels["eval"])
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if args.dry_run:
        return 0
    with open(CALIBRATION, encoding="utf-8") as fh:
        calibration = json.load(fh)
    for name, standard in fitted.items():
        calibration["standards"][name]["weights"].update({f: standard.weights[f] for f in MT})
    calibration["standards"]["mt_fitted_on"] = (
        f"benchmarks/standards.py --mt --seed {args.seed}: the translation weights alone, every other weight "
        "held, on the same pairs with a word-for-word translator from the lexicon (bench_mt.WordForWord)")
    calibration["standards"]["signs"] = SIGNS
    write_calibration(calibration)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    parser.add_argument("--mt", action="store_true",
                        help="fit only the translation weights (the others held), with a word-for-word translator")
    args = parser.parse_args(argv)
    if args.mt:
        return main_mt(args)
    start = time.perf_counter()
    # Coverage as on text the lexicon has not seen: the Tatoeba examples of both halves
    # come from these slices, and the shipped table has learnt from them.
    left_out = use_held_out(partials.tatoeba_lines("fit") + partials.tatoeba_lines("eval"))
    scorer = get_scorer("auto")
    halves = {half: partials.make(half, args.seed) for half in ("fit", "eval")}
    X = {half: matrix(evidence_of(rows, scorer)) for half, rows in halves.items()}
    labels = {half: [r["label"] for r in rows] for half, rows in halves.items()}
    report: dict = {"examples": {h: {k: labels[h].count(k) for k in "TPD"} for h in halves},
                    "lexicon_pairs_left_out": left_out}
    standards = {}
    for name in ("strict", "lenient"):
        standard = fit_standard(name, X["fit"], labels["fit"])
        standards[name] = standard
        report[name] = {"weights": {"bias": standard.bias, **standard.weights},
                        "fit": figures(standard, X["fit"], labels["fit"]),
                        "eval": figures(standard, X["eval"], labels["eval"]),
                        "eval_by_kind": by_kind(standard, X["eval"], halves["eval"])}
    report["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if args.dry_run:
        return 0
    with open(CALIBRATION, encoding="utf-8") as fh:
        calibration = json.load(fh)
    calibration["standards"] = {
        "fitted_on": (f"benchmarks/standards.py --seed {args.seed}: {len(labels['fit'])} pairs from the "
                      "FLORES fitting half (partials.py: T {T}, P {P}, D {D}), judged alone with a lexicon "
                      "that has not seen their Tatoeba lines; classes weighted "
                      "to strict {s:.3f} / lenient {l:.3f} translations").format(
                          **report["examples"]["fit"], s=PRIOR["strict"], l=PRIOR["lenient"]),
        "signs": SIGNS,
        **{name: {"bias": s.bias, "weights": dict(s.weights)} for name, s in standards.items()},
    }
    write_calibration(calibration)
    return 0


if __name__ == "__main__":
    sys.exit(main())
