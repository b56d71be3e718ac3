"""Check a parallel corpus: a score and flags, each with a short reason, for every pair.

Flags: ``empty``, ``no_words`` (a side of digits, punctuation or symbols only),
``untranslated`` (English copied into the Hebrew side, or Hebrew left in the English),
``wrong_script`` (a third script), ``length_ratio``,
``number_mismatch`` (each side has a number the other lacks; "1,000" = "1000",
"14:30" = "2:30"), ``duplicate``, ``misaligned`` (the English of another row fits
clearly better), ``partial`` (a translation in part: the strict standard doubts it, the
lenient one takes it; the reason names the words of each side with no counterpart),
``low_score``.

One room: every flag is decided here, from the same row and its neighbours, so that
``check``, ``--keep``, the report and the summary never disagree about a pair.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from align.records import Pair
from align.scoring.standard import builtin
from align.text import HEBREW_LETTER, LATIN_LETTER, key
from align.text.numbers import conversions

FLAGS = ["empty", "no_words", "untranslated", "wrong_script", "length_ratio", "number_mismatch",
         "unit_conversion", "duplicate", "misaligned", "partial", "low_score"]
# Flags that inform without marking a pair bad: a translator's unit conversion keeps
# the quantity, so the pair stays good (and in --keep output).
MILD = {"unit_conversion"}
DEFAULT_MIN_SCORE = 0.5
# (len(en) + 5) / (len(he) + 5) outside this band is suspicious. Measured on the
# 10,519 Tatoeba dev pairs: median 1.24, 0.5th percentile 0.74, 99.5th 2.13. The band
# is asymmetric on purpose: English much shorter than its Hebrew means something was
# cut or left out, while English captions often expand ("מערכת חץ 3" is "Israel's Arrow
# 3 anti-missile system", 2.7x), so only extreme expansion is flagged.
LENGTH_BAND = (0.7, 3.0)
STRONG_LINK = 0.95         # a link this sure between two failing rows needs no other sign
MISALIGNED_MARGIN = 2.0    # log-odds by which a better partner must beat the pair (x7.4)
CLIP = 0.001               # scores nearer 0 or 1 than this compare as equal (log-odds ±6.9)
LINK_MIN = 0.5             # a re-pairing scores at least this
SHOWN = 8                  # uncovered words a partial flag's reason names
# partial: the strict standard gives a full translation less than this while the lenient
# one takes the pair (on the FLORES evaluation pairs of bench_check --partial: precision
# 0.81, recall 0.55, 9.9 % of whole translations flagged; chosen before the last refit,
# when 0.25 gave 0.77 / 0.81 / 7.6 % and 0.5 gave 0.63 / 0.84 / 43 %).
PARTIAL_BELOW = 0.25
TOP_CANDIDATES = 8         # English candidates kept per suspect row
CHUNK = 256                # suspicious rows scored at once
STEP = 256                 # pairs scored between two reports of progress

# ``progress(stage, done, total)``: told after each step of a check ("scoring",
# "re-pairing", "translating"), to draw a progress bar; the scores do not depend on it
# (each pair is scored alone, and embeddings do not depend on their batch).
ProgressFn = Callable[[str, int, int], None]
T = TypeVar("T")

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
    verdict: str | None = None  # T or P, the strict standard's word
    uncovered: tuple[list[str], list[str]] | None = None  # words of each side with no counterpart
    flags: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    def flag(self, name: str, reason: str) -> None:
        self.flags.append(name)
        self.reasons[name] = reason

    lenient: bool = False  # checked under the lenient standard: a partial translation is a good pair

    @property
    def good(self) -> bool:
        """No flag but mild ones (``MILD``; and ``partial`` under the lenient standard)."""
        return all(f in MILD or (f == "partial" and self.lenient) for f in self.flags)

    def to_dict(self) -> dict:
        """The annotated JSONL form."""
        row = {"row": self.row, "doc": self.pair.doc, "he": self.pair.he, "en": self.pair.en,
               "score": round(self.score, 4), "flags": self.flags, "reasons": self.reasons}
        if self.verdict is not None and self.uncovered is not None:
            row.update(verdict=self.verdict, he_uncovered=self.uncovered[0], en_uncovered=self.uncovered[1])
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


def _shown(forms: set[str]) -> list[str]:
    """Canonical number forms as a reader writes them ("t:2:30" is the time 2:30)."""
    return sorted(f[2:] if f.startswith("t:") else f for f in forms)


def surface_flags(item: Checked) -> None:
    """The flags that need no model: empty, scripts, length, numbers."""
    he, en = item.pair.he.strip(), item.pair.en.strip()
    if not he or not en:
        item.flag("empty", "the Hebrew side is empty" if not he else "the English side is empty")
        return
    for side, text in (("Hebrew", he), ("English", en)):
        if not any(ch.isalpha() for ch in text):
            item.flag("no_words", f"the {side} side has no words ({text[:30]!r}: digits, punctuation or "
                                  "symbols only)")
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
    he_only, en_only, converted = conversions(he, en)
    # Each side must hold a number the other lacks: one extra number on one side is
    # usually the same number spelled in words on the other ("אחד באפריל", "April 1").
    if he_only and en_only:
        item.flag("number_mismatch", f"numbers differ: {_shown(he_only)} in Hebrew, "
                                     f"{_shown(en_only)} in English")
    if converted:
        item.flag("unit_conversion", "the same quantity in other units: " +
                  ", ".join(f"{a} / {b}" for a, b in converted))


def sentence_vectors(he: Sequence[str], en: Sequence[str], scorer
                     ) -> tuple[np.ndarray, np.ndarray] | None:
    """Sentence embeddings ``(H, E)``, each (n, d), of the rows' two sides, embedded
    once for a whole check; None when the scorer has no embedder."""
    embedder = getattr(scorer, "embedder", None)
    if embedder is None:
        return None
    return embedder.embed(list(he)), embedder.embed(list(en))


def _row_cosines(vectors: tuple[np.ndarray, np.ndarray] | None, n: int) -> np.ndarray:
    """Sentence cosine of each row's two sides (n,); zeros without vectors."""
    if vectors is None:
        return np.zeros(n)
    return np.einsum("ij,ij->i", *vectors)


def _length_ok(he_len: np.ndarray, en_len: np.ndarray) -> np.ndarray:
    """(n, m): True where English of ``en_len`` characters may translate Hebrew of
    ``he_len``: stubs of cut sentences fit anything, so a re-pairing must pass too."""
    ratio = (en_len[None, :] + 5) / (he_len[:, None] + 5)
    return (ratio >= LENGTH_BAND[0]) & (ratio <= LENGTH_BAND[1])


def nearer_english(H: np.ndarray, E: np.ndarray) -> np.ndarray:
    """Rows whose Hebrew is nearer (sentence cosine) to another row's English than to
    its own: (n,) booleans. ``H``, ``E`` (n, d). Chunked: memory stays linear."""
    own = np.einsum("ij,ij->i", H, E)
    out = np.zeros(len(H), dtype=bool)
    for start in range(0, len(H), CHUNK):
        cos = H[start:start + CHUNK] @ E.T
        cos[np.arange(len(cos)), np.arange(start, start + len(cos))] = -np.inf
        out[start:start + CHUNK] = cos.max(axis=1, initial=-np.inf) > own[start:start + CHUNK]
    return out


def shortlist(H: np.ndarray, E: np.ndarray, he_len: np.ndarray, en_len: np.ndarray,
              top: int = TOP_CANDIDATES) -> list[tuple[int, int]]:
    """For each Hebrew row, the ``top`` English rows nearest to it by sentence cosine,
    its own and those failing the length check left out: cells ``(i, j)``."""
    cells = []
    for start in range(0, len(H), CHUNK):
        cos = H[start:start + CHUNK] @ E.T
        cos[np.arange(len(cos)), np.arange(start, start + len(cos))] = -np.inf
        cos[~_length_ok(he_len[start:start + CHUNK], en_len)] = -np.inf
        best = np.argsort(-cos, axis=1, kind="stable")[:, :top]
        cells += [(start + r, int(c)) for r, row in enumerate(best) for c in row
                  if np.isfinite(cos[r, c])]
    return cells


def find_misaligned(he: Sequence[str], en: Sequence[str], own: np.ndarray, scorer,
                    min_score: float, he_len: np.ndarray, en_len: np.ndarray,
                    vectors: tuple[np.ndarray, np.ndarray] | None,
                    progress: ProgressFn | None = None, standard=None) -> dict[int, tuple[int, float]]:
    """Rows whose English belongs to another row: ``{row: (partner, score)}``.

    Which English belongs to which Hebrew is a question of partners, not of saying all:
    ``own`` and the re-pairings are scored under ``standard`` (the lenient one, by the
    caller), so that a partial translation neither becomes a suspect for being partial
    nor fails to be found for it.

    Suspects are rows scoring under ``min_score`` and rows whose Hebrew is nearer to
    another row's English than to its own (a shuffle within one story leaves a
    plausible wrong English, so its score alone may pass). Each suspect's Hebrew is
    scored against the English of the other suspects nearest to it, each pair alone
    as its own pair was (``scorer.score_pairs``), and linked one-to-one best first,
    as captions are linked. A link must reach ``LINK_MIN``, pass the length check
    (``he_len``, ``en_len``: characters per row), beat the row's own pair by
    ``MISALIGNED_MARGIN`` in log-odds, and show a shuffle: the row's own English is
    taken by another row that gains as much, or the link joins two failing rows and
    reaches ``STRONG_LINK``. ``vectors``: ``sentence_vectors`` of the rows (None: no
    sentence model to shortlist with, as with the surface scorer, so nothing is found).
    """
    from align.linking.captions import link_candidates
    from align.scoring.calibrated import logit
    from align.text.names import en_content_words

    if vectors is None:
        return {}
    H, E = vectors
    suspects = np.flatnonzero((own < min_score) | nearer_english(H, E))
    if len(suspects) < 2:
        return {}
    cells = shortlist(H[suspects], E[suspects], he_len[suspects], en_len[suspects])
    # An English of function words alone ("The", "I was", a cut-off stub) sits near
    # every short Hebrew sentence in e5's space; it is never evidence of a shuffle.
    bare = {b for b in {b for _, b in cells} if not en_content_words(en[suspects[b]])}
    cells = [(a, b) for a, b in cells if b not in bare]
    scores = scored_in_steps(scorer, [he[suspects[a]] for a, _ in cells],
                             [en[suspects[b]] for _, b in cells], "re-pairing", progress, standard)
    links = link_candidates([(float(s), a, b) for s, (a, b) in zip(scores, cells)], LINK_MIN)
    gain = {a: logit(score, CLIP) - logit(own[suspects[a]], CLIP) for a, _, score in links}
    # In a real shuffle this row's own English belongs elsewhere too, so another row
    # takes it and gains as much; near-paraphrases in a corpus fit each other's
    # Hebrew about as well as their own, so nobody gains from taking them.
    taken = {b for a, b, _ in links if gain[a] >= MISALIGNED_MARGIN}
    found = {}
    for a, b, score in links:
        i, j = int(suspects[a]), int(suspects[b])
        # A failing row taking, surely, the English of another failing row is a
        # shuffle too, even where the chain of takers breaks elsewhere.
        sure = score >= STRONG_LINK and own[i] < min_score and own[j] < min_score
        if gain[a] >= MISALIGNED_MARGIN and (a in taken or sure):
            found[i] = (j, score)
    return found


def in_steps(count: int, work: Callable[[int, int], T], stage: str, progress: ProgressFn | None) -> list[T]:
    """``work(start, end)`` over ``count`` items, ``STEP`` at a time, telling
    ``progress`` at the start (so a bar shows its total at once) and after each step."""
    if progress is not None and count:
        progress(stage, 0, count)
    done = []
    for start in range(0, count, STEP):
        end = min(start + STEP, count)
        done.append(work(start, end))
        if progress is not None:
            progress(stage, end, count)
    return done


def _evidence_in_steps(scorer, he: Sequence[str], en: Sequence[str],
                       progress: ProgressFn | None) -> dict[str, np.ndarray]:
    """``scorer.pair_evidence(he, en)``, each array (n,), in steps ``progress`` hears of."""
    parts = in_steps(len(he), lambda a, b: scorer.pair_evidence(he[a:b], en[a:b]), "scoring", progress)
    if not parts:
        return scorer.pair_evidence([], [])
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


def scored_in_steps(scorer, he: Sequence[str], en: Sequence[str], stage: str,
                    progress: ProgressFn | None, standard=None) -> np.ndarray:
    """``scorer.score_pairs(he, en)`` (n,), or the pairs' evidence under ``standard``
    when one is given, scored in steps that ``progress`` hears of."""
    def work(a: int, b: int) -> np.ndarray:
        if standard is None:
            return scorer.score_pairs(he[a:b], en[a:b])
        return standard.apply(scorer.pair_evidence(he[a:b], en[a:b]))

    parts = in_steps(len(he), work, stage, progress)
    return np.concatenate(parts) if parts else np.zeros(0)


def check(pairs: Sequence[Pair], scorer, min_score: float = DEFAULT_MIN_SCORE,
          translator=None, progress: ProgressFn | None = None) -> list[Checked]:
    """Score and flag every pair. ``scorer`` is a calibrated scorer (its
    ``score_pairs`` scores each pair as a one-caption page, as ``align captions``
    scores a caption); ``translator`` (optional) has ``translate``; ``progress`` is
    told how far the check is (see ``ProgressFn``)."""
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
        he = [it.pair.he for it in live]
        en = [it.pair.en for it in live]
        evidence = _evidence_in_steps(scorer, he, en, progress)
        own = scorer.standard.apply(evidence)
        strict = scorer.verdict_standard.apply(evidence)
        # which English belongs to which Hebrew is asked under one lenient standard: the
        # run's own when it is lenient (a reviewer's, say), else the built-in one
        lenient_standard = scorer.standard if scorer.standard.name == "lenient" else builtin("lenient")
        lenient = lenient_standard.apply(evidence)
        he_len = np.array([len(h.strip()) for h in he])
        en_len = np.array([len(e.strip()) for e in en])
        vectors = sentence_vectors(he, en, scorer)
        moved = find_misaligned(he, en, lenient, scorer, min_score, he_len, en_len, vectors, progress,
                                lenient_standard)
        for idx, it in enumerate(live):
            it.score = float(own[idx])
            it.lenient = scorer.standard.name == "lenient"
            coverage = scorer.coverer.pair(it.pair.he, it.pair.en)
            it.verdict = "T" if strict[idx] >= 0.5 else "P"
            it.uncovered = (coverage.he_uncovered, coverage.en_uncovered)
            if idx in moved:
                j, better = moved[idx]
                it.flag("misaligned", f"the English of row {live[j].row} fits better "
                                      f"({better:.2f} against {it.score:.2f})")
            elif "untranslated" not in it.flags and "wrong_script" not in it.flags:
                reason = partial_reason(coverage, float(strict[idx]), float(lenient[idx]))
                if reason:
                    it.flag("partial", reason)
            if idx not in moved and it.score < min_score:
                left = [f"{_first_words(words)} ({side})" for side, words in
                        (("Hebrew", coverage.he_uncovered), ("English", coverage.en_uncovered)) if words]
                it.flag("low_score", f"score {it.score:.2f} is below {min_score}"
                        + (f"; no counterpart: {', '.join(left)}" if left else ""))
    if translator is not None and live:
        _translation_scores(live, translator, progress)
    return items


def _first_words(words: Sequence[str]) -> str:
    """The first ``SHOWN`` of ``words``, with "..." when there are more."""
    return " ".join(words[:SHOWN]) + (" ..." if len(words) > SHOWN else "")


def partial_reason(coverage, strict: float, lenient: float) -> str | None:
    """Why a pair is a partial translation, or None: the strict standard hardly takes it
    for a full one (``strict`` under ``PARTIAL_BELOW``) while the lenient one takes it
    for a translation at least in part (``lenient`` at least 0.5); the reason names the
    words of each side that have no counterpart on the other (``align.scoring.coverage``)."""
    if strict >= PARTIAL_BELOW or lenient < 0.5:
        return None
    he, en = coverage.he_uncovered, coverage.en_uncovered
    he_numbers, en_numbers = coverage.uncovered_numbers("he"), coverage.uncovered_numbers("en")
    if he_numbers and en_numbers:  # a number changed is a mismatch (its own flag), not more said
        he, en = [w for w in he if w not in he_numbers], [w for w in en if w not in en_numbers]
        if not he and not en:
            return None
    parts = [f"the {side} says more: {_first_words(words)}"
             for side, words in (("Hebrew", he), ("English", en)) if words]
    return "; ".join(parts) or f"a partial translation (strict score {strict:.2f})"


def _translation_scores(items: list[Checked], translator, progress: ProgressFn | None = None) -> None:
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    steps = in_steps(len(items), lambda a, b: translator.translate([it.pair.he for it in items[a:b]]),
                     "translating", progress)
    mts = [mt for step in steps for mt in step]
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
    # nothing checked is nothing good: an empty corpus passes no --fail-under
    return {"pairs": len(items), "good": good, "good_share": good / len(items) if items else 0.0,
            "flags": counts, "score_quantiles": quantiles}


def format_summary(s: dict) -> str:
    """The summary as a few lines for stderr."""
    if not s["pairs"]:
        return "align check: 0 pairs: nothing to check"
    lines = [f"align check: {s['pairs']} pairs, {s['good']} good ({100 * s['good_share']:.1f}%)"]
    lines += [f"  {flag:16s} {count}" for flag, count in s["flags"].items() if count]
    if s["score_quantiles"]:
        lines.append("  score quantiles: " + "  ".join(f"p{q}={v:.3f}" for q, v in s["score_quantiles"].items()))
    return "\n".join(lines)
