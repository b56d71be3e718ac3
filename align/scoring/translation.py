"""Translation evidence: chrF between the machine translation of each Hebrew candidate
and each English candidate (sacrebleu's CHRF with its default character tokenisation;
no tokenizer that downloads), and the cosine of the translation's embedding with the
English candidate's (English against English, where e5 is at its best)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

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


# --- the translation as word-level evidence for the standards ------------------------

MT_FEATURES = ("mt_agree", "mt_en_extra", "mt_he_extra")


@lru_cache(maxsize=1 << 14)
def _stems(text: str) -> tuple[frozenset[str], ...]:
    """The content words of English ``text``, each as the set of its stems (lower case).
    Kept: a page compares each caption and each translation with every other side's."""
    from align.text.lexicon import en_stems
    from align.text.names import en_content_words

    return tuple(frozenset(en_stems(w.lower().replace("\u2019", "'"))) for w in en_content_words(text))


def mt_agreement(mt: str, en: str) -> tuple[float, float] | None:
    """How far a translation and an English caption say the same: the share of the
    English content words found in the translation (``en_found``) and of the
    translation's content words found in the English (``mt_found``). None when either
    has no content word (nothing to compare)."""
    a, b = _stems(en), _stems(mt)
    if not a or not b:
        return None
    in_mt, in_en = set().union(*b), set().union(*a)
    return sum(bool(s & in_mt) for s in a) / len(a), sum(bool(s & in_en) for s in b) / len(b)


def mt_evidence(mt: str | None, logprob: float | None, en: str) -> dict[str, float]:
    """The standards' translation evidence of one pair (``MT_FEATURES``), each 0 with no
    translation. ``sure``: the model's confidence, ``exp`` of its mean token
    log-probability (0..1), scales every feature, so that a model unsure of its words
    weighs little:

    - ``mt_agree``: sure * en_found * mt_found (the two say the same);
    - ``mt_en_extra``: sure * c(mt_found) * (1 - en_found): the English says more than
      a translation that it confirms (a partial pair, the English side longer);
    - ``mt_he_extra``: sure * c(en_found) * (1 - mt_found): the translation says more
      than an English that it confirms (the Hebrew side longer);

    where c(x) = max(0, 2x - 1) counts a side as confirming only past half its words.

    A translation that shares nothing with the English (a poor model, or no relation)
    gives 0 to all three: it can neither raise nor lower a score."""
    found = mt_agreement(mt, en) if mt else None
    if found is None or logprob is None:
        return dict.fromkeys(MT_FEATURES, 0.0)
    sure = math.exp(min(logprob, 0.0))
    en_found, mt_found = found
    return {"mt_agree": sure * en_found * mt_found, "mt_en_extra": sure * _confirmed(mt_found) * (1 - en_found),
            "mt_he_extra": sure * _confirmed(en_found) * (1 - mt_found)}


def _confirmed(share: float) -> float:
    """How far a side confirms the other: 0 up to half its words found, 1 with all. A
    word or two in common by chance (a poor model's "Tom") confirms nothing."""
    return max(0.0, 2.0 * share - 1.0)
