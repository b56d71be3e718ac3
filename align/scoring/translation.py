"""Translation evidence: chrF between the machine translation of each Hebrew candidate
and each English candidate (sacrebleu's CHRF with its default character tokenisation;
no tokenizer that downloads), and the cosine of the translation's embedding with the
English candidate's (English against English, where e5 is at its best)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class TranslationFeatures:
    """Feature source: ``chrf`` (0..1) of MT(he_i) against en_j and, given an
    ``embedder``, ``mt_cos``: cosine of the embeddings of MT(he_i) and en_j.

    ``translator`` is anything with ``translate(texts) -> list[str]`` and
    ``signature() -> dict`` (``align.translate.Translator``, or a stand-in in tests).
    Each unique Hebrew text is translated once per run: the translator caches.
    """

    def __init__(self, translator, embedder=None):
        from sacrebleu.metrics import CHRF

        self.translator = translator
        self.embedder = embedder
        self._chrf = CHRF()

    def translations(self, he: Sequence[str]) -> list[str]:
        """The machine translation of each Hebrew text."""
        return self.translator.translate(list(he))

    def prefetch(self, he: Sequence[str], en: Sequence[str]) -> None:
        """Translate the Hebrew candidates of many pages in one batch (cached after),
        and embed the translations."""
        mt = self.translator.translate(list(he))
        if self.embedder is not None:
            self.embedder.embed([t for t in mt if t])

    def features(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """``chrf`` (and ``mt_cos``) of shape (len(he), len(en)); NaN where there is
        no translation (an empty one), which the calibrated model reads as no evidence."""
        mt = self.translations(he)
        out = np.full((len(he), len(en)), np.nan)
        for i, hyp in enumerate(mt):
            if not hyp:
                continue
            for j, ref in enumerate(en):
                out[i, j] = self._chrf.sentence_score(hyp, [ref]).score / 100.0
        feats = {"chrf": out}
        if self.embedder is not None:
            cos = self.embedder.embed(mt) @ self.embedder.embed(en).T
            feats["mt_cos"] = np.where(np.array([bool(t) for t in mt])[:, None], cos, np.nan)
        return feats

    def signature(self) -> dict:
        """The translation model's identity."""
        return self.translator.signature()
