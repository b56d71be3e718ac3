"""Calibrated scorers: a logistic combination of feature sources.

The weights live in ``align/data/calibration.json``, fitted by
``benchmarks/calibrate.py`` on generated pages (see that script), so a score is an
estimate of P(translation) and one threshold means the same on every page.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy as np

from . import FeatureSource


@lru_cache(maxsize=1)
def calibration() -> dict:
    """The fitted weights, read once from the package data."""
    return json.loads(resources.files("align.data").joinpath("calibration.json").read_text("utf-8"))


def calibration_id() -> str:
    """Short hash of the calibration file, recorded in signatures."""
    raw = resources.files("align.data").joinpath("calibration.json").read_bytes()
    return hashlib.sha256(raw).hexdigest()[:12]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, safe for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def logit(p: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Inverse of ``sigmoid``, clipped away from 0 and 1."""
    p = np.clip(p, eps, 1 - eps)
    return np.log(p / (1 - p))


class CalibratedScorer:
    """``sigmoid(bias + sum_f w_f * feature_f)`` over features from several sources."""

    def __init__(self, name: str, sources: list[FeatureSource], weights: dict[str, float],
                 bias: float):
        self.name = name
        self.layout_key = name  # which fitted layout weight applies
        self.sources = sources
        self.weights = weights
        self.bias = bias

    def features(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """All features of all sources, each (len(he), len(en))."""
        out: dict[str, np.ndarray] = {}
        for source in self.sources:
            out.update(source.features(he, en))
        return out

    def translations(self, he: Sequence[str]) -> list[str] | None:
        """Machine translations of ``he`` when a source translates, else None."""
        for source in self.sources:
            if hasattr(source, "translations"):
                return source.translations(he)
        return None

    def prefetch(self, he: Sequence[str], en: Sequence[str]) -> None:
        """Let each source batch its per-string work for texts about to be scored."""
        for source in self.sources:
            source.prefetch(he, en)

    def score(self, he: Sequence[str], en: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, shape (len(he), len(en))."""
        if not len(he) or not len(en):
            return np.zeros((len(he), len(en)))
        feats = self.features(he, en)
        z = np.full((len(he), len(en)), self.bias)
        for name, weight in self.weights.items():
            z += weight * feats[name]
        return sigmoid(z)

    def signature(self) -> dict:
        """Scorer name, calibration id and each source's model identity."""
        sig = {"scorer": self.name, "calibration": calibration_id(),
               "fitted": calibration()["scorers"][self.layout_key].get("fitted", True)}
        for source in self.sources:
            sig.update(source.signature())
        return sig


def _build(name: str, sources: list[FeatureSource]) -> CalibratedScorer:
    fitted = calibration()["scorers"][name]
    return CalibratedScorer(name, sources, fitted["weights"], fitted["bias"])


def installed_translator(models_dir: str | None):
    """A ``Translator`` for the installed he→en model, or None when there is none."""
    from ..errors import ModelError
    from ..models import find
    from ..translate import Translator

    try:
        return Translator(find(explicit=models_dir))
    except ModelError:
        return None


def translation_source(models_dir: str | None, required: bool):
    """Translation features from the installed he→en model, or None when there is none
    and it is not ``required`` (then ModelError says how to import one)."""
    from ..models import find
    from ..translate import Translator
    from .translation import TranslationFeatures

    if required:
        return TranslationFeatures(Translator(find(explicit=models_dir)))
    translator = installed_translator(models_dir)
    return TranslationFeatures(translator) if translator else None


def embedding_scorer(models_dir: str | None = None) -> CalibratedScorer:
    """Margin-calibrated e5 similarity alone."""
    from .embedding import EmbeddingFeatures

    return _build("embedding", [EmbeddingFeatures()])


def surface_scorer(models_dir: str | None = None) -> CalibratedScorer:
    """Numbers, names and length alone (no model; weak, but instant)."""
    from .surface import SurfaceFeatures

    return _build("surface", [SurfaceFeatures()])


def translation_scorer(models_dir: str | None = None) -> CalibratedScorer:
    """chrF of the offline machine translation against each English candidate."""
    return _build("translation", [translation_source(models_dir, required=True)])


def all_scorer(models_dir: str | None = None) -> CalibratedScorer:
    """Embeddings, surface evidence and translation; needs a he→en model."""
    from .embedding import EmbeddingFeatures
    from .surface import SurfaceFeatures

    return _build("all", [EmbeddingFeatures(), SurfaceFeatures(),
                          translation_source(models_dir, required=True)])


def auto_scorer(models_dir: str | None = None) -> CalibratedScorer:
    """Everything available offline: embeddings and surface evidence, plus translation
    when a he→en model is installed (then it is the ``all`` scorer)."""
    from .embedding import EmbeddingFeatures
    from .surface import SurfaceFeatures

    translation = translation_source(models_dir, required=False)
    if translation is not None:
        scorer = _build("all", [EmbeddingFeatures(), SurfaceFeatures(), translation])
        scorer.name = "auto"
        scorer.layout_key = "all"
        return scorer
    return _build("auto", [EmbeddingFeatures(), SurfaceFeatures()])
