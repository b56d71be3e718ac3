"""Standards: how a pair's evidence becomes the score compared with the threshold.

"Is this a translation?" needs a written standard (the guideline of
``../shared/data/ynetnews-pages/GUIDELINE.md``): ``T`` when every piece of content on
each side has a counterpart on the other, ``P`` when both share core content but one
side says more, ``D`` otherwise. Two standards are built in:

- ``strict`` (the default): the score is the probability of ``T``, a full translation;
- ``lenient``: the probability of ``T`` or ``P``, a translation at least in part.

A ``Standard`` is a small logistic model over the evidence of each candidate pair,
every array (n, m):

- ``partner``: the scorer's log-odds that the two belong together (sentence
  embeddings, page context, names, numbers), without layout: on an HTML image, the
  mean of the pair judged among the page's captions and judged within its image alone;
  clipped to ``PARTNER_RANGE``;
- ``full``: 1 when every content unit of both sides is covered (``align.scoring.coverage``);
- ``exact``: 1 when, besides, every one is covered by a name or a number (the surest
  kinds of evidence: "בנימין נתניהו" / "Prime Minister Benjamin Netanyahu");
- ``whole``: 1 when no side has an uncovered word at an edge, nor a number or an
  English name the other lacks;
- ``name_only``: 1 when each side has words of its own at an edge and all the two
  share is names (a name in two events: the guideline's D);
- ``shared``: log(1 + the covered units of the side with more of them);
- ``he_share``, ``en_share``: the covered share of each side's units (1 with none);
  ``min_share`` the smaller, ``share_gap`` how far apart they are (a long translation
  leaves words the lexicon lacks on both sides alike; a side that says more, on one);
- ``he_miss``, ``en_miss``: log(1 + the uncovered units of each side);
- ``he_edge``, ``en_edge``: log(1 + those of them at an edge, a phrase of their own
  rather than a word inside a covered phrase: what a side adds comes so);
- ``num_miss``: log(1 + the numbers either side lacks); ``name_miss``: log(1 + the
  English names the Hebrew lacks);
- ``mt_agree``, ``mt_en_extra``, ``mt_he_extra``: with a translation model installed,
  how far its translation of the Hebrew and the English say the same, or one says more,
  scaled by the model's confidence (``align.scoring.translation.mt_evidence``); 0 with
  no model, so a standard scores as it would without one.

``score = sigmoid(bias + sum_f w_f * f + layout)``: ``layout`` (a caption block
shared, two images crossed) is added as it is, never weighed, so that every standard
keeps a pair within its image. Weights obey signs: what one side says and the other
lacks never raises a score, and agreement never lowers it (``SIGNS``). The built-in
weights are fitted by ``benchmarks/standards.py`` on pairs with partial translations
(``align/data/calibration.json``); ``align calibrate`` fits a reviewer's standard with
a built-in one as its prior (``fit``), saved as JSON (``save``) and read back (``load``).
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from align.errors import CalibrationError
from align.scoring.logodds import calibration, calibration_id, sigmoid

FEATURES = ("partner", "full", "exact", "whole", "name_only", "shared", "he_share", "en_share", "min_share",
            "share_gap", "he_miss", "en_miss", "he_edge", "en_edge", "num_miss", "name_miss",
            "mt_agree", "mt_en_extra", "mt_he_extra")
SIGNS = {"partner": 1, "full": 1, "exact": 1, "whole": 1, "name_only": -1, "shared": 1, "he_share": 1,
         "en_share": 1, "min_share": 1, "share_gap": -1, "he_miss": -1, "en_miss": -1, "he_edge": -1,
         "en_edge": -1, "num_miss": -1, "name_miss": -1, "mt_agree": 1, "mt_en_extra": -1, "mt_he_extra": -1}
# The scorer's log-odds are clipped to this range: past it, how sure the scorer is that
# two captions belong together says nothing more of whether one says all of the other.
PARTNER_RANGE = (-10.0, 5.0)
NAMES = ("strict", "lenient")
DEFAULT_NAME = "strict"
POSITIVE = {"strict": "T", "lenient": "TP"}  # the labels each standard counts as a translation
FORMAT = "align-calibration"
FORMAT_VERSION = 3
# How far (one standard deviation) a reviewer's labels may move each weight of the
# built-in standard before they must pay for it (``fit``).
PRIOR_SD = {"bias": 1.0, "partner": 0.1,
            **dict.fromkeys(("full", "exact", "whole", "name_only", "he_share", "en_share", "min_share",
                             "share_gap"), 1.0),
            **dict.fromkeys(("shared", "he_miss", "en_miss", "he_edge", "en_edge", "num_miss", "name_miss"), 0.5),
            **dict.fromkeys(("mt_agree", "mt_en_extra", "mt_he_extra"), 1.0)}


@dataclass(frozen=True)
class Standard:
    """``sigmoid(bias + sum_f weights[f] * evidence[f] + layout)``; see the module docstring.

    ``name``: ``strict`` or ``lenient`` (what it decides: T, or T or P); ``scorer``:
    the scorer a reviewer's standard was fitted on (None: built in, for any scorer);
    ``base``: the id of the built-in calibration it was fitted against; ``labels``:
    the counts of T, P and D it learnt from."""

    name: str = DEFAULT_NAME
    bias: float = 0.0
    weights: Mapping[str, float] = field(default_factory=dict)
    scorer: str | None = None
    base: str | None = None
    labels: Mapping[str, int] = field(default_factory=dict)

    @property
    def is_builtin(self) -> bool:
        """A standard that ships with align (no reviewer's labels)."""
        return self.scorer is None

    @property
    def positive(self) -> str:
        """The labels this standard counts as a translation: ``T``, or ``TP``."""
        return POSITIVE[self.name]

    @property
    def id(self) -> str:
        """``strict`` or ``lenient`` for a built-in standard; else a short hash of what
        decides the scores, recorded in signatures."""
        if self.is_builtin:
            return self.name
        body = json.dumps({"name": self.name, "bias": self.bias, "weights": dict(self.weights),
                           "scorer": self.scorer, "base": self.base}, sort_keys=True)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]

    def logits(self, evidence: Mapping[str, np.ndarray]) -> np.ndarray:
        """``bias + sum_f w_f * evidence[f] + evidence["layout"]`` (the shape of the evidence)."""
        z = np.full(np.shape(evidence["partner"]), float(self.bias))
        for name, weight in self.weights.items():
            if weight:
                z = z + weight * evidence[name]
        layout = evidence.get("layout")
        return z if layout is None else z + layout

    def apply(self, evidence: Mapping[str, np.ndarray]) -> np.ndarray:
        """Scores in [0, 1] from ``evidence`` (``FEATURES`` arrays, ``layout`` optional)."""
        return sigmoid(self.logits(evidence))

    def to_json(self) -> dict:
        """The file form (see ``save``)."""
        return {"format": FORMAT, "version": FORMAT_VERSION, "id": self.id, "standard": self.name,
                "scorer": self.scorer, "base_calibration": self.base, "bias": round(float(self.bias), 6),
                "weights": {k: round(float(v), 6) for k, v in self.weights.items()},
                "labels": dict(self.labels)}

    def signature(self) -> dict:
        """What a corpus records of the standard: its name, and a reviewer's standard's id."""
        if self.is_builtin:
            return {"standard": self.name}
        return {"standard": self.name, "calibrated": self.id,
                "calibrated_labels": " ".join(f"{k} {v}" for k, v in self.labels.items())}


def builtin(name: str = DEFAULT_NAME) -> Standard:
    """The built-in ``strict`` or ``lenient`` standard (weights from the calibration file)."""
    if name not in NAMES:
        raise CalibrationError(f"unknown standard {name!r}; choose strict or lenient")
    model = calibration()["standards"][name]
    return Standard(name=name, bias=float(model["bias"]),
                    weights={f: float(model["weights"].get(f, 0.0)) for f in FEATURES})


def partner(page: np.ndarray, image: np.ndarray, in_image: np.ndarray) -> np.ndarray:
    """The ``partner`` evidence: on an image, the mean of the page and image log-odds;
    elsewhere the page log-odds."""
    return np.where(in_image, 0.5 * (page + image), page)


def evidence(partner_logits: np.ndarray, cover: Mapping[str, np.ndarray],
             layout: np.ndarray | float = 0.0) -> dict[str, np.ndarray]:
    """The evidence a standard weighs, every array the shape of ``partner_logits``."""
    out = {"partner": np.clip(np.asarray(partner_logits, dtype=float), *PARTNER_RANGE),
           "layout": np.broadcast_to(np.asarray(layout, dtype=float), np.shape(partner_logits))}
    out.update({name: np.asarray(cover[name], dtype=float) for name in FEATURES if name != "partner"})
    return out


# --- fitting -------------------------------------------------------------------------

def positive(label: str, name: str) -> bool:
    """Whether a T/P/D label counts as a translation under the standard ``name``."""
    return label in POSITIVE[name]


def prior_of(standard: Standard) -> tuple[np.ndarray, np.ndarray]:
    """Mean (``standard``'s weights) and precision (diagonal) over ``[bias, *FEATURES]``."""
    mean = np.array([standard.bias] + [standard.weights.get(f, 0.0) for f in FEATURES])
    sd = np.array([PRIOR_SD["bias"]] + [PRIOR_SD[f] for f in FEATURES])
    return mean, 1.0 / sd ** 2


def fit_weights(X: np.ndarray, y: np.ndarray, mean: np.ndarray, precision: np.ndarray,
                weight: np.ndarray | None = None, offset: np.ndarray | None = None,
                iters: int = 200, tol: float = 1e-8, trace: list[float] | None = None) -> np.ndarray:
    """MAP logistic regression under sign constraints: ``[bias, *weights]`` for ``X``
    (k, len(FEATURES)) and labels ``y`` (k,) in {0, 1}, a Gaussian prior (``mean``,
    diagonal ``precision``), optional example ``weight`` (k,) and fixed ``offset`` (k,).

    A projected Newton method on the penalised objective (``objective``): each step
    solves the Newton system on the weights free to move, never goes past the point
    where a weight would break its sign in ``SIGNS`` (there it is held at zero), and
    backtracks until the objective falls enough (Armijo); a held weight is freed again
    when the gradient pulls it the way its sign allows. It stops when no free weight's
    gradient exceeds ``tol`` (relative to the objective's scale) and no held one wants
    to move, and raises ``CalibrationError`` if that takes more than ``iters`` steps.
    ``trace``, when given, receives the objective after every step (it never rises)."""
    X1 = np.hstack([np.ones((len(X), 1)), X])
    sw = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=float)
    off = np.zeros(len(y)) if offset is None else np.asarray(offset, dtype=float)
    signs = np.array([0] + [SIGNS[f] for f in FEATURES])
    w = np.where(signs * mean < 0, 0.0, mean).astype(float)  # the prior, its wrong signs held at zero
    held = (signs != 0) & (w == 0.0)

    def loss(v: np.ndarray) -> float:
        return objective(v, X1, y, mean, precision, sw, off)

    current = loss(w)
    if trace is not None:
        trace.append(current)
    scale = 1.0 + float(np.sum(sw))
    for _ in range(max(iters, 1)):
        p = sigmoid(X1 @ w + off)
        grad = X1.T @ (sw * (p - y)) + precision * (w - mean)
        wants = held & (-grad * signs > tol * scale)  # a held weight the objective pulls the allowed way
        held &= ~wants
        free = ~held
        if np.abs(grad[free]).max(initial=0.0) <= tol * scale:
            return w
        hess = (X1 * (sw * p * (1 - p))[:, None]).T @ X1 + np.diag(precision)
        step = _newton_step(hess, grad, free)
        blocked = free & (signs != 0) & (w * signs <= 0) & (signs * step < 0)
        while blocked.any():  # at zero and pushed the forbidden way: held, and the step solved again
            held |= blocked
            free = ~held
            w[blocked] = 0.0
            step = _newton_step(hess, grad, free)
            blocked = free & (signs != 0) & (w * signs <= 0) & (signs * step < 0)
        crossing = free & (signs != 0) & (signs * step < 0) & (w * signs > 0)
        limit = min([1.0, *(-w[crossing] / step[crossing])])  # where the first weight reaches zero
        size, slope = limit, float(grad @ step)
        while size > 1e-12 and loss(w + size * step) > current + 1e-4 * size * slope:
            size /= 2
        if size <= 1e-12:
            break  # no step lowers the objective: stationary up to rounding
        w = w + size * step
        if size == limit < 1.0:  # a weight reached zero: hold it there, exactly
            reached = crossing & (np.abs(w) <= 1e-12 + 1e-9 * np.abs(size * step))
            w[reached] = 0.0
            held |= reached
        w[held] = 0.0
        current = loss(w)
        if trace is not None:
            trace.append(current)
    grad = X1.T @ (sw * (sigmoid(X1 @ w + off) - y)) + precision * (w - mean)
    worst = max(np.abs(grad[~held]).max(initial=0.0), (-grad * signs)[held].max(initial=0.0))
    if worst <= 1e3 * tol * scale:
        return w  # converged as far as rounding allows
    raise CalibrationError(f"the fit of the standard did not converge in {iters} steps (largest "
                           f"gradient {worst:.3g}); nothing is written: report this with the labels file")


def _newton_step(hess: np.ndarray, grad: np.ndarray, free: np.ndarray) -> np.ndarray:
    """The Newton step on the ``free`` weights (the others 0); the gradient's descent
    direction where the system is too ill-conditioned to give one."""
    idx = np.flatnonzero(free)
    step = np.zeros(len(grad))
    if len(idx):
        step[idx] = -np.linalg.solve(hess[np.ix_(idx, idx)], grad[idx])
    if grad @ step >= 0:
        step = np.where(free, -grad, 0.0)
    return step


def objective(v: np.ndarray, X1: np.ndarray, y: np.ndarray, mean: np.ndarray, precision: np.ndarray,
              weight: np.ndarray | None = None, offset: np.ndarray | None = None) -> float:
    """What ``fit_weights`` minimises at ``v`` (``[bias, *weights]``; ``X1``: the
    evidence with a column of ones first): the weighted log loss of the labels plus
    the Gaussian prior's penalty."""
    sw = np.ones(len(y)) if weight is None else weight
    z = X1 @ v + (0.0 if offset is None else offset)
    return float(np.sum(sw * (np.logaddexp(0.0, z) - y * z)) + 0.5 * np.sum(precision * (v - mean) ** 2))


def fit(rows: Sequence[Mapping[str, float]], labels: Sequence[str], prior: Standard, scorer: str) -> Standard:
    """A standard fitted to reviewed pairs: ``rows`` hold each pair's evidence (one value
    per ``FEATURES`` name, and ``layout``), ``labels`` its T, P or D; ``prior``: the
    built-in standard it starts from, whose name says what counts as a translation."""
    X = np.array([[float(r[f]) for f in FEATURES] for r in rows]).reshape(len(rows), len(FEATURES))
    offset = np.array([float(r.get("layout", 0.0)) for r in rows])
    y = np.array([positive(label, prior.name) for label in labels], dtype=float)
    mean, precision = prior_of(prior)
    w = np.round(fit_weights(X, y, mean, precision, offset=offset), 6)  # as saved
    X1 = np.hstack([np.ones((len(X), 1)), X])
    start = np.where(np.array([0] + [SIGNS[f] for f in FEATURES]) * mean < 0, 0.0, mean)
    fitted, built_in = (objective(v, X1, y, mean, precision, None, offset) for v in (w, start))
    if fitted > built_in + 1e-6 * (1.0 + abs(built_in)):  # the standard as written, not one step of it
        raise CalibrationError(f"the fitted standard is worse than the built-in {prior.name} one on its own "
                               f"objective ({fitted:.4f} against {built_in:.4f}); nothing is written: report "
                               "this with the labels file")
    counts = {k: sum(1 for label in labels if label == k) for k in ("T", "P", "D")}
    return Standard(name=prior.name, bias=float(w[0]), weights=dict(zip(FEATURES, map(float, w[1:]))),
                    scorer=scorer, base=calibration_id(), labels=counts)


# --- files ---------------------------------------------------------------------------

def save(standard: Standard, path: str) -> None:
    """Write ``standard`` as JSON to ``path`` (a temporary file renamed into place)."""
    from align.files import atomic_open

    with atomic_open(path) as fh:
        json.dump(standard.to_json(), fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def load(path: str, scorer: str | None = None) -> Standard:
    """The standard saved in ``path``; ``scorer``: the scorer it will be used with.

    Raises ``CalibrationError`` naming the file for anything but a valid calibration
    of this version, fitted on this scorer's evidence and this built-in calibration:
    there is no silent fallback to a built-in standard."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise CalibrationError(f"{path}: no such calibration file; make one with align calibrate") from None
    except IsADirectoryError:
        raise CalibrationError(f"{path} is a folder; give the CAL.json file align calibrate wrote") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CalibrationError(f"{path}: not a calibration file (not valid JSON: {exc}); "
                               "make one with align calibrate") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CalibrationError(f"{path}: not a calibration file (no \"format\": \"{FORMAT}\"); "
                               "make one with align calibrate")
    if data.get("version") != FORMAT_VERSION:
        raise CalibrationError(f"{path}: calibration format version {data.get('version')!r}, this align "
                               f"reads version {FORMAT_VERSION}; calibrate again with this align (the same "
                               "labels file), or use the align that wrote it")
    standard = _parse(path, data)
    if standard.base != calibration_id():
        raise CalibrationError(f"{path}: fitted on the scores of built-in calibration {standard.base}, "
                               f"this align has {calibration_id()}; run align calibrate again "
                               "with the same labels")
    if scorer is not None and standard.scorer != scorer:
        raise CalibrationError(f"{path}: fitted on the {standard.scorer} scorer's evidence, not "
                               f"{scorer}'s; use --scorer {standard.scorer} or calibrate again")
    if data.get("id") != standard.id:
        raise CalibrationError(f"{path}: its weights do not match its id {data.get('id')!r} "
                               "(edited or damaged); run align calibrate again")
    return standard


def _number(path: str, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise CalibrationError(f"{path}: {name} must be a finite number, not {value!r}; "
                               "run align calibrate again")
    return float(value)


def _parse(path: str, data: dict) -> Standard:
    """The fields of a calibration file, each checked."""
    weights = data.get("weights")
    if not isinstance(weights, dict):
        raise CalibrationError(f"{path}: no weights; run align calibrate again")
    unknown = sorted(set(weights) - set(FEATURES))
    if unknown:
        raise CalibrationError(f"{path}: unknown features {', '.join(unknown)} (this align knows "
                               f"{', '.join(FEATURES)}); run align calibrate again")
    missing = [f for f in FEATURES if f not in weights]
    if missing:
        raise CalibrationError(f"{path}: weights missing for {', '.join(missing)}; run align calibrate again")
    name = data.get("standard")
    if name not in NAMES:
        raise CalibrationError(f"{path}: standard must be one of {', '.join(NAMES)}, not {name!r}")
    scorer, base = data.get("scorer"), data.get("base_calibration")
    if not isinstance(scorer, str) or not isinstance(base, str):
        raise CalibrationError(f"{path}: scorer and base_calibration must be named; run align calibrate again")
    values = {f: _number(path, f"weight {f}", weights[f]) for f in FEATURES}
    wrong = [f for f in FEATURES if SIGNS[f] * values[f] < 0]
    if wrong:
        raise CalibrationError(f"{path}: weight {wrong[0]} has the wrong sign (what one side says and the "
                               "other lacks may never raise a score); run align calibrate again")
    counts = data.get("labels")
    labels: dict = counts if isinstance(counts, dict) else {}
    return Standard(name=name, bias=_number(path, "bias", data.get("bias")), weights=values,
                    scorer=scorer, base=base, labels={k: int(v) for k, v in labels.items() if isinstance(v, int)})


def describe(standard: Standard) -> str:
    """One line: the weights, for people."""
    terms = " ".join(f"{f}={standard.weights.get(f, 0.0):+.3f}" for f in FEATURES)
    return f"{standard.name}: bias={standard.bias:+.3f} {terms}"
