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
        self.sources = sources
        self.weights = weights
        self.bias = bias

    def features(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """All features of all sources, each (len(he), len(en))."""
        out: dict[str, np.ndarray] = {}
        for source in self.sources:
            out.update(source.features(he, en))
        return out

    def prefetch(self, texts: Sequence[str]) -> None:
        """Let each source batch its per-string work for texts about to be scored."""
        for source in self.sources:
            source.prefetch(texts)

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
        sig = {"scorer": self.name, "calibration": calibration_id()}
        for source in self.sources:
            sig.update(source.signature())
        return sig


def _build(name: str, sources: list[FeatureSource]) -> CalibratedScorer:
    fitted = calibration()["scorers"][name]
    return CalibratedScorer(name, sources, fitted["weights"], fitted["bias"])


def embedding_scorer() -> CalibratedScorer:
    """Margin-calibrated e5 similarity alone."""
    from .embedding import EmbeddingFeatures

    return _build("embedding", [EmbeddingFeatures()])


def surface_scorer() -> CalibratedScorer:
    """Numbers, names and length alone (no model; weak, but instant)."""
    from .surface import SurfaceFeatures

    return _build("surface", [SurfaceFeatures()])


def auto_scorer() -> CalibratedScorer:
    """Everything available offline: embeddings and surface evidence."""
    from .embedding import EmbeddingFeatures
    from .surface import SurfaceFeatures

    return _build("auto", [EmbeddingFeatures(), SurfaceFeatures()])
