"""Scorers: ``score(he, en) -> ndarray (len(he), len(en))``, higher = more likely translations.

Every scorer named in ``SCORERS`` returns calibrated probabilities in [0, 1], so one
threshold means the same whatever the page. Backends are imported on first use.
"""
from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np


class Scorer(Protocol):
    """The one interface every scorer implements."""

    name: str
    standard: object  # how evidence becomes the final score (align.scoring.standard)
    embedder: object  # the sentence embedder, or None
    translator: object  # the he->en translator, or None
    coverer: Any  # word coverage of pairs (align.scoring.coverage.Coverer)

    def score(self, he: Sequence[str], en: Sequence[str],
              offset: np.ndarray | None = None) -> np.ndarray:
        """Return an array of shape ``(len(he), len(en))`` of scores in [0, 1];
        ``offset`` (same shape, optional) adds log-odds from other evidence."""

    def score_pairs(self, he: Sequence[str], en: Sequence[str]) -> np.ndarray:
        """Score each pair ``(he[k], en[k])`` alone (as a one-caption page): (n,)."""

    def signature(self) -> dict:
        """Settings and model identity that decide the scores (recorded with outputs)."""

    def prefetch(self, he: Sequence[str], en: Sequence[str]) -> None:
        """Optionally do per-string work (embeddings, translations) for many pages at once."""


class FeatureSource(Protocol):
    """Raw pairwise evidence that a calibrated scorer combines."""

    def features(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """Named arrays, each of shape ``(len(he), len(en))``."""

    def signature(self) -> dict:
        """Identity of whatever model produces the features."""

    def prefetch(self, he: Sequence[str], en: Sequence[str]) -> None:
        """Optionally do per-string work for many texts at once (may do nothing)."""


# name -> (module, factory); the CLI offers these names as --scorer choices.
SCORERS: dict[str, tuple[str, str]] = {
    "auto": ("align.scoring.calibrated", "auto_scorer"),
    "embedding": ("align.scoring.calibrated", "embedding_scorer"),
    "surface": ("align.scoring.calibrated", "surface_scorer"),
    "translation": ("align.scoring.calibrated", "translation_scorer"),
    "all": ("align.scoring.calibrated", "all_scorer"),
}
DEFAULT_SCORER = "auto"


def get_scorer(name: str = DEFAULT_SCORER, models_dir: str | None = None,
               translation: dict | None = None) -> Scorer:
    """Build the scorer registered as ``name`` (its models load on first ``score``).

    ``models_dir`` is searched first for a translation model (see ``align.models``);
    ``translation``: the translator's options (``beam_size``, ``compute_type``).
    """
    try:
        module, factory = SCORERS[name]
    except KeyError:
        raise ValueError(f"unknown scorer {name!r}; choose from {', '.join(SCORERS)}") from None
    return getattr(importlib.import_module(module), factory)(models_dir, translation)
