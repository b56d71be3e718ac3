"""Translation evidence: chrF between the machine translation of each Hebrew candidate
and each English candidate (sacrebleu's CHRF with its default character tokenisation;
no tokenizer that downloads)."""
from __future__ import annotations

from typing import Sequence

import numpy as np


class TranslationFeatures:
    """Feature source: ``chrf`` (0..1) of MT(he_i) against en_j.

    ``translator`` is anything with ``translate(texts) -> list[str]`` and
    ``signature() -> dict`` (``align.translate.Translator``, or a stand-in in tests).
    Each unique Hebrew text is translated once per run: the translator caches.
    """

    def __init__(self, translator):
        from sacrebleu.metrics import CHRF

        self.translator = translator
        self._chrf = CHRF()

    def translations(self, he: Sequence[str]) -> list[str]:
        """The machine translation of each Hebrew text."""
        return self.translator.translate(list(he))

    def prefetch(self, he: Sequence[str], en: Sequence[str]) -> None:
        """Translate the Hebrew candidates of many pages in one batch (cached after)."""
        self.translator.translate(list(he))

    def features(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """``chrf`` of shape (len(he), len(en)); 0 where a translation is empty."""
        mt = self.translations(he)
        out = np.zeros((len(he), len(en)))
        for i, hyp in enumerate(mt):
            if not hyp:
                continue
            for j, ref in enumerate(en):
                out[i, j] = self._chrf.sentence_score(hyp, [ref]).score / 100.0
        return {"chrf": out}

    def signature(self) -> dict:
        """The translation model's identity."""
        return self.translator.signature()
