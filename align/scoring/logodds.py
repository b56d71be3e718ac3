"""Log-odds helpers and the built-in calibration (``align/data/calibration.json``), read
once: the leaf that the calibrated scorers and the reviewer's standard both use."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


@lru_cache(maxsize=1)
def calibration() -> dict:
    """The fitted weights, read once from the package data."""
    return json.loads(resources.files("align.data").joinpath("calibration.json").read_text("utf-8"))


def calibration_id() -> str:
    """Short hash of the calibration file, recorded in signatures."""
    raw = resources.files("align.data").joinpath("calibration.json").read_bytes()
    return hashlib.sha256(raw).hexdigest()[:12]


def sigmoid(z: ArrayLike) -> Any:
    """Logistic function, safe for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z)))


def logit(p: ArrayLike, eps: float = 1e-6) -> Any:
    """Inverse of ``sigmoid``, clipped away from 0 and 1 (an array for an array, a
    number for a number)."""
    p = np.clip(p, eps, 1 - eps)
    return np.log(p / (1 - p))
