"""The reviewer's standard: how a pair's evidence becomes the score that is compared with
the threshold.

"Is this a translation?" is partly a convention: a name alone beside a name and an
event is a translation to one reviewer and partial to another. A ``Standard`` is a
small logistic model over the evidence of each candidate pair, every array (n, m):

- ``page``: log-odds of the calibrated scorer with the page's other captions as
  context, layout included (what ``align captions`` scored before standards existed);
- ``image``: log-odds of the pair judged within its own image alone (an HTML image's
  alt against its title or caption: on a listing page the other thumbnails are other
  stories, not rivals); equal to ``page`` for a pair that is not one image's;
- ``en_more`` / ``he_more``: how much more one side says, the log ratio of content
  words (titles and function words left out), each side's excess, else 0.

``score = sigmoid(bias + sum_f w_f * f)``. The built-in standard weighs ``page`` and
``image`` half each and nothing else, so a pair outside images, and a corpus row
(``page`` = ``image`` = its lone-pair log-odds), keeps the scorer's own score exactly.
``align calibrate`` fits a standard to a reviewer's labels with the built-in one as
the prior (``fit``) and saves it as JSON (``save``); ``load`` refuses a file that is
damaged, of another version, or fitted against other evidence.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from align.errors import CalibrationError
from align.scoring.logodds import calibration_id, logit, sigmoid

FEATURES = ("page", "image", "en_more", "he_more")
FORMAT = "align-calibration"
FORMAT_VERSION = 1
PARTIAL = ("different", "translation")  # what a P label means: not a translation, or one
# The built-in standard, and the prior of every fitted one: its mean, and how far
# (one standard deviation) each weight may move before the labels must pay for it.
DEFAULT_WEIGHTS = {"page": 0.5, "image": 0.5, "en_more": 0.0, "he_more": 0.0}
PRIOR_SD = {"bias": 0.5, "page": 0.125, "image": 0.125, "en_more": 0.5, "he_more": 0.5}


@dataclass(frozen=True)
class Standard:
    """``sigmoid(bias + sum_f weights[f] * evidence[f])``; see the module docstring.

    ``partial``: what a P label counted as when fitted; ``scorer``: the scorer whose
    evidence it was fitted on (None: the built-in, for any scorer); ``base``: the id
    of the built-in calibration whose log-odds it was fitted on; ``labels``: counts."""

    bias: float = 0.0
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    partial: str = "different"
    scorer: str | None = None
    base: str | None = None
    labels: Mapping[str, int] = field(default_factory=dict)

    @property
    def is_default(self) -> bool:
        """The built-in standard (no reviewer's labels)."""
        return self.scorer is None

    @property
    def id(self) -> str:
        """Short hash of what decides the scores, recorded in signatures."""
        if self.is_default:
            return "built-in"
        body = json.dumps({"bias": self.bias, "weights": dict(self.weights), "partial": self.partial,
                           "scorer": self.scorer, "base": self.base}, sort_keys=True)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]

    def logits(self, evidence: Mapping[str, np.ndarray]) -> np.ndarray:
        """``bias + sum_f w_f * evidence[f]``, the shape of the evidence arrays."""
        z = np.full(np.shape(evidence["page"]), float(self.bias))
        for name, weight in self.weights.items():
            if weight:
                z = z + weight * evidence[name]
        return z

    def apply(self, evidence: Mapping[str, np.ndarray]) -> np.ndarray:
        """Scores in [0, 1] from ``evidence`` (``EVIDENCE`` arrays, plus ``page_p``, the
        page-context probabilities, and ``in_image``, where ``image`` is an image's own).

        The built-in standard returns ``page_p`` itself outside images, so a text
        page or a corpus row scores exactly as the scorer scored it."""
        p = sigmoid(self.logits(evidence))
        if self.is_default:
            p = np.where(evidence["in_image"], p, evidence["page_p"])
        return p

    def to_json(self) -> dict:
        """The file form (see ``save``)."""
        return {"format": FORMAT, "version": FORMAT_VERSION, "id": self.id, "scorer": self.scorer,
                "base_calibration": self.base, "partial": self.partial,
                "bias": round(float(self.bias), 6),
                "weights": {k: round(float(v), 6) for k, v in self.weights.items()},
                "labels": dict(self.labels)}

    def signature(self) -> dict:
        """What a corpus records of the standard: its id (and what P meant)."""
        if self.is_default:
            return {}
        return {"standard": self.id, "standard_partial": self.partial}


DEFAULT = Standard()


def content_counts(texts: Sequence[str], lang: str) -> np.ndarray:
    """Content words of each text (titles and function words left out), (len(texts),)."""
    from align.text import strip_points
    from align.text.names import en_content_words, he_content_words

    count = he_content_words if lang == "he" else en_content_words
    return np.array([len(count(strip_points(t) if lang == "he" else t)) for t in texts], dtype=float)


def word_evidence(he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
    """``en_more`` and ``he_more``, each (len(he), len(en)): the log ratio of content
    words where the English, or the Hebrew, has more; 0 on the other side."""
    ratio = np.log((content_counts(en, "en")[None, :] + 1) / (content_counts(he, "he")[:, None] + 1))
    return {"en_more": np.maximum(ratio, 0.0), "he_more": np.maximum(-ratio, 0.0)}


def lone_evidence(he: Sequence[str], en: Sequence[str], scores: np.ndarray) -> dict[str, np.ndarray]:
    """The evidence of pairs ``(he[k], en[k])`` each scored alone (``scores`` (n,), as
    ``score_pairs`` gives them): a corpus row has no page and no image."""
    z = logit(np.asarray(scores, dtype=float))
    words = word_evidence(he, en)
    diag = np.arange(len(he))
    return {"page": z, "image": z, "page_p": np.asarray(scores, dtype=float),
            "in_image": np.zeros(len(he), dtype=bool),
            **{k: v[diag, diag] for k, v in words.items()}}


# --- fitting -------------------------------------------------------------------------

def prior() -> tuple[np.ndarray, np.ndarray]:
    """Mean and precision (diagonal) of the prior over ``[bias, *FEATURES]``."""
    mean = np.array([0.0] + [DEFAULT_WEIGHTS[f] for f in FEATURES])
    sd = np.array([PRIOR_SD["bias"]] + [PRIOR_SD[f] for f in FEATURES])
    return mean, 1.0 / sd ** 2


def fit_weights(X: np.ndarray, y: np.ndarray, iters: int = 100) -> np.ndarray:
    """MAP logistic regression: ``[bias, *weights]`` for ``X`` (k, len(FEATURES)) and
    labels ``y`` (k,) in {0, 1}, under the Gaussian prior of ``prior`` (Newton)."""
    mean, precision = prior()
    X1 = np.hstack([np.ones((len(X), 1)), X])
    w = mean.copy()
    for _ in range(iters):
        p = sigmoid(X1 @ w)
        grad = X1.T @ (p - y) + precision * (w - mean)
        hess = (X1 * (p * (1 - p))[:, None]).T @ X1 + np.diag(precision)
        step = np.linalg.solve(hess, grad)
        w = w - step
        if np.abs(step).max() < 1e-9:
            break
    return w


def fit(rows: Sequence[Mapping[str, float]], labels: Sequence[str], partial: str,
        scorer: str) -> Standard:
    """A standard fitted to reviewed pairs: ``rows`` hold each pair's evidence (one
    value per ``FEATURES`` name), ``labels`` its T, P or D; ``partial`` says whether a
    P is a translation or not."""
    if partial not in PARTIAL:
        raise CalibrationError(f"partial must be one of {', '.join(PARTIAL)}, not {partial!r}")
    X = np.array([[float(r[f]) for f in FEATURES] for r in rows]).reshape(len(rows), len(FEATURES))
    y = np.array([positive(label, partial) for label in labels], dtype=float)
    w = np.round(fit_weights(X, y), 6)  # as saved, so a loaded standard is the same
    counts = {k: sum(1 for label in labels if label == k) for k in ("T", "P", "D")}
    return Standard(bias=float(w[0]), weights=dict(zip(FEATURES, map(float, w[1:]))),
                    partial=partial, scorer=scorer, base=calibration_id(), labels=counts)


def positive(label: str, partial: str) -> bool:
    """Whether a T/P/D label counts as a translation under ``partial``."""
    return label == "T" or (label == "P" and partial == "translation")


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
    there is no silent fallback to the built-in standard."""
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
                               f"reads version {FORMAT_VERSION}; calibrate again with this align, or "
                               "use the align that wrote it")
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
    partial = data.get("partial")
    if partial not in PARTIAL:
        raise CalibrationError(f"{path}: partial must be one of {', '.join(PARTIAL)}, not {partial!r}")
    scorer, base = data.get("scorer"), data.get("base_calibration")
    if not isinstance(scorer, str) or not isinstance(base, str):
        raise CalibrationError(f"{path}: scorer and base_calibration must be named; run align calibrate again")
    counts = data.get("labels")
    labels: dict = counts if isinstance(counts, dict) else {}
    return Standard(bias=_number(path, "bias", data.get("bias")),
                    weights={f: _number(path, f"weight {f}", weights[f]) for f in FEATURES},
                    partial=partial, scorer=scorer, base=base,
                    labels={k: int(v) for k, v in labels.items() if isinstance(v, int)})


def describe(standard: Standard) -> str:
    """One line: the weights, for people."""
    terms = " ".join(f"{f}={standard.weights[f]:+.3f}" for f in FEATURES)
    return f"bias={standard.bias:+.3f} {terms}"
