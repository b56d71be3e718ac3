"""Calibrated scorers: a logistic combination of feature sources.

The weights live in ``align/data/calibration.json``, fitted by
``benchmarks/calibrate.py`` on generated pages (see that script), so a score is an
estimate of P(translation) and one threshold means the same on every page.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from align.scoring import FeatureSource
from align.scoring.logodds import calibration, calibration_id, logit, sigmoid
from align.scoring.standard import Standard, builtin, evidence

__all__ = ["CalibratedScorer", "calibration", "calibration_id", "logit", "sigmoid"]


RIVAL_GAP = 1.0  # log-odds behind the best rival at which a pair is no contender


def linear(model: dict, feats: dict[str, np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """``bias + sum_f w_f * feature_f`` of one fitted model over ``feats`` (log-odds).

    A feature that is NaN in a cell (no translation to compare) counts as the model's
    ``centre`` for it, the value at which it is no evidence either way (0 if none)."""
    z = np.full(shape, float(model["bias"]))
    centre = model.get("centre", {})
    for name, weight in model["weights"].items():
        value = feats[name]
        if np.isnan(value).any():
            value = np.where(np.isnan(value), centre.get(name, 0.0), value)
        z = z + weight * value
    return z


class CalibratedScorer:
    """``sigmoid(bias + sum_f w_f * feature_f)`` over features from several sources.

    Sources marked ``costly`` (latent terms) are consulted only for the pairs whose
    score from the cheap sources lies inside the fitted ``band`` (in doubt); those
    pairs are rescored with the model fitted on every feature. Pairs outside the
    band keep the cheap score, which is already decisive there. Both models are
    fitted on the same data, so a score reads the same whichever one gave it.
    """

    def __init__(self, name: str, sources: list[FeatureSource], model: dict):
        self.name = name
        self.layout_key = name  # which fitted layout weight applies
        self.sources = [s for s in sources if not getattr(s, "costly", False)]
        self.costly = [s for s in sources if getattr(s, "costly", False)]
        self.model = model
        self.rescored = 0  # pairs rescored with the costly evidence (for benchmarks)
        # How evidence becomes the final score: a built-in standard (strict or lenient),
        # or a reviewer's (``align calibrate``); ``align.linking.captions`` applies it to
        # pages, and ``score_pairs`` to lone pairs.
        self.standard: Standard = builtin()
        self._coverer = None
        # a he->en translator read only as word-level evidence for the standards and
        # shown as each pair's ``mt`` (``auto`` with a model installed), or None
        self.mt_translator = None

    @property
    def verdict_standard(self) -> Standard:
        """The standard that says T or P of a pair: the scorer's own when it is a strict
        one, else the built-in strict standard."""
        return self.standard if self.standard.name == "strict" else builtin("strict")

    @property
    def coverer(self):
        """Word coverage (``align.scoring.coverage``) with this scorer's embedder as the
        last resort, built on first use."""
        if self._coverer is None:
            from align.scoring.coverage import Coverer

            self._coverer = Coverer(embedder=self.embedder, translator=self.translator)
        return self._coverer

    @property
    def embedder(self):
        """The sentence embedder the sources share (``embed(texts) -> (n, d)``), or None
        (the surface scorer has none)."""
        return next((s.embedder for s in self.sources + self.costly if hasattr(s, "embedder")), None)

    @property
    def translator(self):
        """The he->en translator the translation source uses (or ``mt_translator``), or None."""
        return next((s.translator for s in self.sources if hasattr(s, "translator")), self.mt_translator)

    def features(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """The cheap sources' features, each (len(he), len(en))."""
        out: dict[str, np.ndarray] = {}
        for source in self.sources:
            out.update(source.features(he, en))
        return out

    def translations(self, he: Sequence[str]) -> list[str] | None:
        """Machine translations of ``he`` when a source translates, else None."""
        for source in self.sources:
            if hasattr(source, "translations"):
                return source.translations(he)
        return self.mt_translator.translate(list(he)) if self.mt_translator is not None else None

    def prefetch(self, he: Sequence[str], en: Sequence[str]) -> None:
        """Let each source batch its per-string work for texts about to be scored."""
        for source in self.sources + self.costly:
            source.prefetch(he, en)
        if self.mt_translator is not None:
            self.mt_translator.translate(list(he))  # one batch for many pages; kept after

    def score(self, he: Sequence[str], en: Sequence[str],
              offset: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities, shape (len(he), len(en)). ``he`` and ``en`` are
        the candidates of one page: a pair is judged against the others too.
        ``offset`` (len(he), len(en)), optional: log-odds that other evidence adds
        (the caption aligner's layout), so that the costly evidence is spent where
        the final score, not the content score alone, is in doubt."""
        if not len(he) or not len(en):
            return np.zeros((len(he), len(en)))
        feats = self.features(he, en)
        model = self.model_for(len(he), len(en))
        z = linear(model, feats, (len(he), len(en)))
        if offset is not None:
            z = z + offset
        costly = model.get("costly")
        if costly and self.costly:
            rows, cols = np.nonzero(self.in_doubt(z, model["band"]))
            if len(rows):
                z[rows, cols] = self._rescore(he, en, feats, costly, rows, cols)
                if offset is not None:
                    z[rows, cols] += offset[rows, cols]
        return sigmoid(z)

    def model_for(self, n: int, m: int) -> dict:
        """The fitted model for a page of ``n`` Hebrew and ``m`` English candidates: a
        lone pair (a corpus row, a one-caption page) has no rivals to stand out from,
        so it has weights of its own, fitted on lone pairs."""
        if n == 1 and m == 1 and "alone" in self.model:
            return self.model["alone"]
        return self.model

    def in_doubt(self, z: np.ndarray, band: Sequence[float]) -> np.ndarray:
        """Cells (n, m) worth the costly evidence: a cheap log-odds ``z`` inside the
        band, and the pair a contender, within ``RIVAL_GAP`` of the best pair of its
        Hebrew or of its English (a pair far behind a rival is never linked)."""
        low, high = band
        p = sigmoid(z)
        contender = ((z >= z.max(axis=1, keepdims=True) - RIVAL_GAP)
                     | (z >= z.max(axis=0, keepdims=True) - RIVAL_GAP))
        return (p >= low) & (p <= high) & contender

    def _rescore(self, he, en, feats, model, rows, cols) -> np.ndarray:
        """Log-odds of the cells ``(rows[k], cols[k])`` with the costly evidence too."""
        used_rows, row_at = np.unique(rows, return_inverse=True)
        used_cols, col_at = np.unique(cols, return_inverse=True)
        sub_he = [he[i] for i in used_rows]
        sub_en = [en[j] for j in used_cols]
        cells = {name: value[rows, cols] for name, value in feats.items()}
        for source in self.costly:
            for name, value in source.features(sub_he, sub_en).items():
                cells[name] = value[row_at, col_at]
        self.rescored += len(rows)
        return linear(model, cells, (len(rows),))

    def score_pairs(self, he: Sequence[str], en: Sequence[str]) -> np.ndarray:
        """The score of each pair ``(he[k], en[k])`` alone, as a one-caption page, under
        the scorer's ``standard``: (n,). So a score means the same in any corpus,
        whatever else it holds."""
        return self.standard.apply(self.pair_evidence(he, en))

    def pair_evidence(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """The evidence of each pair ``(he[k], en[k])`` judged alone (a corpus row has no
        page and no image): ``align.scoring.standard.FEATURES`` arrays of shape (n,)."""
        if len(he) != len(en):
            raise ValueError("score_pairs needs as many Hebrew as English texts")
        from align.scoring.coverage import FEATURES as COVER
        from align.scoring.coverage import cover_features

        self.prefetch(he, en)
        alone = logit(np.array([self.score([h], [e])[0, 0] for h, e in zip(he, en)], dtype=float))
        rows = [cover_features(self.coverer.pair(h, e)) for h, e in zip(he, en)]
        cover = {name: np.array([r[name] for r in rows], dtype=float) for name in COVER}
        cover.update(self.coverer.mt(list(he), list(en), pairs=True))
        return evidence(alone, cover)

    def signature(self) -> dict:
        """Scorer name, calibration id and each source's model identity."""
        sig = {"scorer": self.name, "calibration": calibration_id(),
               "fitted": self.model.get("fitted", True)}
        for source in self.sources + self.costly:
            sig.update(source.signature())
        if self.mt_translator is not None:
            sig.update(self.mt_translator.signature())
        sig.update(self.standard.signature())
        return sig


def _build(name: str, sources: list[FeatureSource]) -> CalibratedScorer:
    return CalibratedScorer(name, sources, calibration()["scorers"][name])


def installed_translator(models_dir: str | None, options: dict | None = None):
    """A ``Translator`` for the installed he→en model, or None when there is none;
    ``options``: its keyword arguments (``beam_size``, ``compute_type``)."""
    from align.errors import ModelError
    from align.mt.store import find
    from align.mt.translator import Translator

    try:
        return Translator(find(explicit=models_dir), **(options or {}))
    except ModelError:
        return None


def translation_source(models_dir: str | None, required: bool, embedder=None, options: dict | None = None):
    """Translation features from the installed he→en model, or None when there is none
    and it is not ``required`` (then ModelError says how to import one). With an
    ``embedder``, the features include the embedding of the translation too;
    ``options`` go to the ``Translator``."""
    from align.mt.store import find
    from align.mt.translator import Translator
    from align.scoring.translation import TranslationFeatures

    if required:
        return TranslationFeatures(Translator(find(explicit=models_dir), **(options or {})), embedder)
    translator = installed_translator(models_dir, options)
    return TranslationFeatures(translator, embedder) if translator else None


def _embedding_sources(costly: bool = True) -> list:
    """Sentence embeddings and, sharing their model, latent terms for pairs in doubt."""
    from align.scoring.embedding import EmbeddingFeatures
    from align.scoring.sparse import LatentFeatures

    embedding = EmbeddingFeatures()
    return [embedding, LatentFeatures(embedding.embedder)] if costly else [embedding]


def embedding_scorer(models_dir: str | None = None, translation: dict | None = None) -> CalibratedScorer:
    """e5 similarity against the page's other candidates and the background alone."""
    return _build("embedding", _embedding_sources(costly=False))


def surface_scorer(models_dir: str | None = None, translation: dict | None = None) -> CalibratedScorer:
    """Numbers, names and length alone (no model; weak, but instant)."""
    from align.scoring.surface import SurfaceFeatures

    return _build("surface", [SurfaceFeatures()])


def translation_scorer(models_dir: str | None = None, translation: dict | None = None) -> CalibratedScorer:
    """chrF of the offline machine translation against each English candidate."""
    return _build("translation", [translation_source(models_dir, required=True, options=translation)])


def all_scorer(models_dir: str | None = None, translation: dict | None = None) -> CalibratedScorer:
    """Embeddings, latent terms, surface evidence and translation; needs a he→en model."""
    from align.scoring.surface import SurfaceFeatures

    sources = _embedding_sources()
    translation = translation_source(models_dir, required=True, embedder=sources[0].embedder, options=translation)
    return _build("all", sources + [SurfaceFeatures(), translation])


def auto_scorer(models_dir: str | None = None, translation: dict | None = None) -> CalibratedScorer:
    """Everything available offline: embeddings, latent terms for pairs in doubt and
    surface evidence. With a he->en model installed, its translation is word-level
    evidence for the standard (``mt_agree``...: a translation that agrees raises a
    pair, one that shows a side saying more lowers it, one that shares nothing with
    the English changes nothing) and each pair's ``mt``."""
    from align.scoring.surface import SurfaceFeatures

    scorer = _build("auto", _embedding_sources() + [SurfaceFeatures()])
    scorer.mt_translator = installed_translator(models_dir, translation)
    return scorer
