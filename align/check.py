"""Check a parallel corpus: a score and flags, each with a short reason, for every pair.

Flags: ``empty``, ``untranslated`` (English copied into the Hebrew side, or Hebrew
left in the English), ``wrong_script`` (a third script), ``length_ratio``,
``number_mismatch`` (each side has a number the other lacks; "1,000" = "1000",
"14:30" = "2:30"), ``duplicate``, ``misaligned`` (low score, and the English of another
row fits clearly better), ``low_score``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .corpus import Pair
from .scoring.surface import numbers
from .text import HEBREW_LETTER, LATIN_LETTER, key

FLAGS = ["empty", "untranslated", "wrong_script", "length_ratio", "number_mismatch",
         "duplicate", "misaligned", "low_score"]
DEFAULT_MIN_SCORE = 0.5
# (len(en) + 5) / (len(he) + 5) outside this band is suspicious. Measured on the
# 10,519 Tatoeba dev pairs: median 1.24, 0.5th percentile 0.74, 99.5th 2.13. The band
# is asymmetric on purpose: English much shorter than its Hebrew means something was
# cut or left out, while English captions often expand ("מערכת חץ 3" is "Israel's Arrow
# 3 anti-missile system", 2.7x), so only extreme expansion is flagged.
LENGTH_BAND = (0.7, 3.0)
MISALIGNED_MARGIN = 0.5    # a better partner must beat the pair by this much
STRONG_LINK = 0.95         # a link this sure needs no second sign of a shuffle
LINK_MIN = 0.5             # a re-pairing scores at least this
TOP_CANDIDATES = 8         # English candidates kept per suspicious row
CHUNK = 256                # suspicious rows scored at once

_HE = re.compile(f"[{HEBREW_LETTER}]")
_LATIN = re.compile(f"[{LATIN_LETTER}]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class Checked:
    """One pair with its scores and flags (``reasons[flag]`` explains each flag)."""

    row: int
    pair: Pair
    score: float
    translation: float | None = None
    mt: str | None = None
    flags: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    def flag(self, name: str, reason: str) -> None:
        self.flags.append(name)
        self.reasons[name] = reason

    @property
    def good(self) -> bool:
        """No flag at all."""
        return not self.flags

    def to_dict(self) -> dict:
        """The annotated JSONL form."""
        row = {"row": self.row, "doc": self.pair.doc, "he": self.pair.he, "en": self.pair.en,
               "score": round(self.score, 4), "flags": self.flags, "reasons": self.reasons}
        if self.translation is not None:
            row["translation_chrf"] = round(self.translation, 4)
            row["mt"] = self.mt
        return row


def _script_share(text: str) -> tuple[float, float, int]:
    """Shares of Hebrew and Latin letters among all letters, and the letter count."""
    letters = _LETTER.findall(text)
    if not letters:
        return 0.0, 0.0, 0
    he = sum(1 for ch in letters if _HE.match(ch))
    la = sum(1 for ch in letters if _LATIN.match(ch))
    return he / len(letters), la / len(letters), len(letters)


def surface_flags(item: Checked) -> None:
    """The flags that need no model: empty, scripts, length, numbers."""
    he, en = item.pair.he.strip(), item.pair.en.strip()
    if not he or not en:
        item.flag("empty", "the Hebrew side is empty" if not he else "the English side is empty")
        return
    he_he, he_la, he_n = _script_share(he)
    en_he, en_la, en_n = _script_share(en)
    if he_n and he_la > 0.5:
        item.flag("untranslated", "the Hebrew side is Latin text (English copied in?)")
    elif en_n and en_he > 0.5:
        item.flag("untranslated", "the English side is Hebrew text (left untranslated?)")
    elif he_n and he_he + he_la < 0.5:
        item.flag("wrong_script", "the Hebrew side is mostly neither Hebrew nor Latin letters")
    elif en_n and en_he + en_la < 0.5:
        item.flag("wrong_script", "the English side is mostly neither Latin nor Hebrew letters")
    ratio = (len(en) + 5) / (len(he) + 5)
    if not LENGTH_BAND[0] <= ratio <= LENGTH_BAND[1]:
        item.flag("length_ratio", f"English is {ratio:.2f}× the Hebrew length "
                                  f"(expected {LENGTH_BAND[0]}–{LENGTH_BAND[1]})")
    he_num, en_num = numbers(he), numbers(en)
    # Each side must hold a number the other lacks: one extra number on one side is
    # usually the same number spelled in words on the other ("אחד באפריל", "April 1").
    if he_num - en_num and en_num - he_num:
        item.flag("number_mismatch", f"numbers differ: {sorted(he_num)} in Hebrew, "
                                     f"{sorted(en_num)} in English")


def _calibrated(cos: np.ndarray, knn_he: np.ndarray, knn_en: np.ndarray, weights: dict,
                bias: float) -> np.ndarray:
    """The embedding scorer's probability from cosine and neighbour means (its features:
    ``margin`` as in ``ratio_margin``, and ``cos``)."""
    from .scoring.calibrated import sigmoid

    margin = cos / ((knn_he + knn_en) / 2)
    return sigmoid(bias + weights["margin"] * margin + weights["cos"] * cos)


def _top_background(sim_bg: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` largest similarities of each row to the background, descending (n, k)."""
    k = min(k, sim_bg.shape[1])
    top = np.partition(sim_bg, sim_bg.shape[1] - k, axis=1)[:, -k:]
    return -np.sort(-top, axis=1)


def _knn_with(x: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Mean of the k largest of {x} ∪ background, from the background's top k (desc).

    ``x`` (n, m) candidate similarities, ``top`` (n, k): broadcast row-wise. Equal to
    ``topk_mean`` over the candidate plus the background, as a one-caption page has.
    """
    k = top.shape[1]
    with_x = (x + top[:, :k - 1].sum(axis=1, keepdims=True)) / k
    without = top.mean(axis=1, keepdims=True)
    return np.where(x > top[:, k - 1:k], with_x, without)


def pair_scores(H: np.ndarray, E: np.ndarray, bg_he: np.ndarray, bg_en: np.ndarray,
                weights: dict, bias: float, k: int = 4) -> np.ndarray:
    """Calibrated embedding score of every Hebrew row against every English row given.

    ``H`` (n, d), ``E`` (m, d), background ``bg_he`` / ``bg_en`` (b, d). Each cell is
    scored exactly as a one-caption page is by the caption aligner (neighbours: the
    pair plus the background), so a score means the same in any corpus. (n, m).
    """
    cos = H @ E.T
    top_he = _top_background(H @ bg_en.T, k)                 # (n, k)
    top_en = _top_background(E @ bg_he.T, k)                 # (m, k)
    knn_he = _knn_with(cos, top_he)
    knn_en = _knn_with(cos.T, top_en).T
    return _calibrated(cos, knn_he, knn_en, weights, bias)


def own_scores(H: np.ndarray, E: np.ndarray, bg_he: np.ndarray, bg_en: np.ndarray,
               weights: dict, bias: float, k: int = 4) -> np.ndarray:
    """``pair_scores`` of each row's own pair only, (n,), without the n x n matrix."""
    cos = np.einsum("ij,ij->i", H, E)[:, None]
    knn_he = _knn_with(cos, _top_background(H @ bg_en.T, k))
    knn_en = _knn_with(cos, _top_background(E @ bg_he.T, k))
    return _calibrated(cos, knn_he, knn_en, weights, bias)[:, 0]


def find_misaligned(H, E, own: np.ndarray, bg_he, bg_en, weights, bias, min_score: float,
                    he_len: np.ndarray, en_len: np.ndarray) -> dict[int, tuple[int, float]]:
    """Rows whose English belongs to another row: ``{row: (partner, score)}``.

    A shuffle moves English only among bad rows, so only rows scoring under
    ``min_score`` take part: their Hebrew against their English (own pairs excluded),
    linked one-to-one best first, as the caption aligner links captions. A link must
    reach ``min_score``, beat the row's own pair by ``MISALIGNED_MARGIN``, pass the
    length check (``he_len``, ``en_len``: characters per row), and either reach
    ``STRONG_LINK`` or find the row's own English claimed by another row.
    """
    from .captions import link_candidates

    bad = np.flatnonzero(own < min_score)
    if len(bad) < 2:
        return {}
    # Score bad rows against bad English a chunk at a time, keeping each row's best
    # TOP_CANDIDATES: memory stays linear in the number of bad rows.
    candidates: list[tuple[float, int, int]] = []
    for start in range(0, len(bad), CHUNK):
        rows = bad[start:start + CHUNK]
        scores = pair_scores(H[rows], E[bad], bg_he, bg_en, weights, bias)
        scores[np.arange(len(rows)), np.arange(start, start + len(rows))] = 0.0
        # A re-pairing must pass the length check too: stubs of cut sentences fit anything.
        ratio = (en_len[bad][None, :] + 5) / (he_len[rows][:, None] + 5)
        scores[(ratio < LENGTH_BAND[0]) | (ratio > LENGTH_BAND[1])] = 0.0
        top = np.argsort(-scores, axis=1, kind="stable")[:, :TOP_CANDIDATES]
        for r, cols in enumerate(top):
            candidates += [(float(scores[r, c]), start + r, int(c)) for c in cols
                           if scores[r, c] >= LINK_MIN]
    links = link_candidates(candidates, LINK_MIN)
    claimed = {b for _, b, _ in links}  # English that another row's Hebrew took
    found = {}
    for a, b, score in links:
        i, j = int(bad[a]), int(bad[b])
        # In a real shuffle this row's own English also belongs elsewhere, so another
        # row claims it; a right pair the model merely misreads is claimed by nobody.
        if score >= own[i] + MISALIGNED_MARGIN and (score >= STRONG_LINK or a in claimed):
            found[i] = (j, score)
    return found


def check(pairs: Sequence[Pair], embed, background, weights: dict, bias: float,
          min_score: float = DEFAULT_MIN_SCORE, translator=None) -> list[Checked]:
    """Score and flag every pair. ``embed(texts) -> (n, d)`` array; ``background`` gives
    ``(he, en)`` background embeddings; ``translator`` (optional) has ``translate``."""
    items = [Checked(row=i + 1, pair=p, score=0.0) for i, p in enumerate(pairs)]
    seen: dict[tuple[str, str], int] = {}
    for item in items:
        surface_flags(item)
        k = (key(item.pair.he), key(item.pair.en))
        if k in seen:
            item.flag("duplicate", f"the same pair as row {seen[k]}")
        else:
            seen[k] = item.row
    live = [it for it in items if "empty" not in it.flags]
    if live:
        H = embed([it.pair.he for it in live])
        E = embed([it.pair.en for it in live])
        bg_he, bg_en = background
        own = own_scores(H, E, bg_he, bg_en, weights, bias)
        lengths = [(len(it.pair.he.strip()), len(it.pair.en.strip())) for it in live]
        moved = find_misaligned(H, E, own, bg_he, bg_en, weights, bias, min_score,
                                np.array([h for h, _ in lengths]), np.array([e for _, e in lengths]))
        for idx, it in enumerate(live):
            it.score = float(own[idx])
            if idx in moved:
                j, better = moved[idx]
                it.flag("misaligned", f"the English of row {live[j].row} fits better "
                                      f"({better:.2f} against {it.score:.2f})")
            elif it.score < min_score:
                it.flag("low_score", f"score {it.score:.2f} is below {min_score}")
    if translator is not None and live:
        _translation_scores(live, translator)
    return items


def _translation_scores(items: list[Checked], translator) -> None:
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    mts = translator.translate([it.pair.he for it in items])
    for it, mt in zip(items, mts):
        it.mt = mt
        it.translation = chrf.sentence_score(mt, [it.pair.en]).score / 100 if mt else 0.0


def summary(items: Sequence[Checked]) -> dict:
    """Counts per flag, share of good pairs and score quantiles."""
    counts = {f: sum(f in it.flags for it in items) for f in FLAGS}
    scores = np.array([it.score for it in items]) if items else np.zeros(0)
    quantiles = ({q: round(float(np.quantile(scores, q / 100)), 4) for q in (0, 10, 25, 50, 75, 90, 100)}
                 if len(scores) else {})
    good = sum(it.good for it in items)
    return {"pairs": len(items), "good": good, "good_share": good / len(items) if items else 1.0,
            "flags": counts, "score_quantiles": quantiles}


def format_summary(s: dict) -> str:
    """The summary as a few lines for stderr."""
    lines = [f"align check: {s['pairs']} pairs, {s['good']} good ({100 * s['good_share']:.1f}%)"]
    lines += [f"  {flag:16s} {count}" for flag, count in s["flags"].items() if count]
    if s["score_quantiles"]:
        lines.append("  score quantiles: " + "  ".join(f"p{q}={v:.3f}" for q, v in s["score_quantiles"].items()))
    return "\n".join(lines)
