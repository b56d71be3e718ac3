"""Pair caption segments inside a page: one-to-one assignment with abstention."""
from __future__ import annotations

from typing import Iterable, Iterator, Sequence

import numpy as np

from .corpus import Pair
from .detect import Segment
from .scoring import Scorer
from .scoring.calibrated import calibration, logit, sigmoid

DEFAULT_THRESHOLD = 0.5
MAX_SCOPE = 64  # caption candidates a side scored together; real pages hold far fewer


def link_candidates(candidates: Iterable[tuple[float, int, int]],
                    threshold: float) -> list[tuple[int, int, float]]:
    """Competitive linking over ``(score, i, j)`` candidates: take the best remaining one
    at or above ``threshold`` whose ``i`` and ``j`` are both still free.

    Returns ``(i, j, score)`` in the order taken. Ties break by ``i``, then ``j``, so the
    result is deterministic. Works on a sparse candidate list as well as a full matrix.
    """
    ranked = sorted((c for c in candidates if c[0] >= threshold), key=lambda c: (-c[0], c[1], c[2]))
    rows, cols, links = set(), set(), []
    for score, i, j in ranked:
        if i not in rows and j not in cols:
            rows.add(i)
            cols.add(j)
            links.append((i, j, score))
    return links


def link(scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Competitive linking on a full matrix ``scores`` (n, m): ``(i, j)`` pairs, no row or
    column used twice, best first (see ``link_candidates``)."""
    rows, cols = np.nonzero(scores >= threshold)
    cells = zip(scores[rows, cols].tolist(), rows.tolist(), cols.tolist())
    return [(i, j) for i, j, _ in link_candidates(cells, threshold)]


def same_block(he: Sequence[Segment], en: Sequence[Segment]) -> np.ndarray:
    """1.0 where a Hebrew and an English segment share a caption block, (len(he), len(en))."""
    return np.array([[1.0 if h.blocks & e.blocks else 0.0 for e in en] for h in he]).reshape(len(he), len(en))


def layout_offset(he: Sequence[Segment], en: Sequence[Segment], weight: float) -> np.ndarray:
    """Log-odds that layout adds: ``weight`` where both sides share a caption block,
    (len(he), len(en)). The weight is fitted with the scorer's own and capped; it
    cannot lift a pair whose content score is near zero, so layout informs but never
    decides alone."""
    return weight * same_block(he, en)


def layout_adjusted(scores: np.ndarray, he: Sequence[Segment], en: Sequence[Segment],
                    weight: float) -> np.ndarray:
    """Content scores shifted in logit space by ``layout_offset``."""
    return sigmoid(logit(scores) + layout_offset(he, en, weight))


def candidates(segments: Sequence[Segment]) -> tuple[list[Segment], list[Segment]]:
    """The Hebrew and the English caption candidates of a page."""
    he = [s for s in segments if s.lang == "he" and s.kind == "caption"]
    en = [s for s in segments if s.lang == "en" and s.kind == "caption"]
    return he, en


def _first_block(seg: Segment) -> int:
    return min(seg.blocks) if seg.blocks else -1


def scopes(he: Sequence[Segment], en: Sequence[Segment],
           limit: int = MAX_SCOPE) -> list[tuple[list[Segment], list[Segment]]]:
    """Cut a page's candidates into pairing scopes of at most ``limit`` a side.

    A page within the limit is one scope. Longer text (a dump of many pages, say) is
    cut in line order, at a caption-block boundary where one is at hand, so that the
    work stays linear in the input instead of growing with ``len(he) * len(en)``.
    """
    if len(he) <= limit and len(en) <= limit:
        return [(list(he), list(en))]
    items = sorted([(s.line, 0, s) for s in he] + [(s.line, 1, s) for s in en],
                   key=lambda t: (t[0], t[1]))
    windows: list[list[tuple[int, Segment]]] = []
    current: list[tuple[int, Segment]] = []
    for _, side, seg in items:
        while sum(1 for k, _ in current if k == side) >= limit:
            block = _first_block(seg)
            cut = len(current)
            while cut > 0 and _first_block(current[cut - 1][1]) == block:
                cut -= 1  # keep the block seg belongs to together, if it started here
            cut = cut or len(current)
            windows.append(current[:cut])
            current = current[cut:]
        current.append((side, seg))
    windows.append(current)
    return [([s for k, s in w if k == 0], [s for k, s in w if k == 1]) for w in windows]


def align_captions(doc: str, segments: Sequence[Segment], scorer: Scorer,
                   threshold: float = DEFAULT_THRESHOLD) -> list[Pair]:
    """Pair the Hebrew and English caption candidates of one page.

    Returns pairs in the order of their Hebrew segment's first line.
    """
    weight = calibration()["layout"].get(getattr(scorer, "layout_key", scorer.name), 0.0)
    explain = getattr(scorer, "translations", None)
    pairs = []
    for he, en in scopes(*candidates(segments)):
        if not he or not en:
            continue
        he_texts = [s.text for s in he]
        scores = scorer.score(he_texts, [s.text for s in en], offset=layout_offset(he, en, weight))
        links = link(scores, threshold)
        mt = explain(he_texts) if explain and links else None  # cached: no new translation
        pairs += [Pair(doc=doc, he=he[i].text, en=en[j].text,
                       score=round(float(scores[i, j]), 4), he_line=he[i].line,
                       en_line=en[j].line, he_lines=list(he[i].lines), en_lines=list(en[j].lines),
                       mt=mt[i] if mt else None)
                  for i, j in links]
    return sorted(pairs, key=lambda p: (p.he_line, p.en_line))


def align_batch(pages: Sequence[tuple[str, Sequence[Segment]]], scorer: Scorer,
                threshold: float = DEFAULT_THRESHOLD) -> list[list[Pair]]:
    """Pair the captions of several pages: one list of pairs a page, in order.

    ``pages`` holds ``(doc, segments)``. The scorer is first handed every candidate of
    every page, so the model embeds them in full batches rather than two or three
    strings a page. Pages missing a side are never scored.
    """
    he_texts, en_texts = [], []
    for _, segs in pages:
        he, en = candidates(segs)
        if he and en:
            he_texts += [s.text for s in he]
            en_texts += [s.text for s in en]
    scorer.prefetch(he_texts, en_texts)
    return [align_captions(doc, segs, scorer, threshold) for doc, segs in pages]


def align_pages(pages: Iterable[tuple[str, Sequence[Segment]]], scorer: Scorer,
                threshold: float = DEFAULT_THRESHOLD, chunk: int = 32) -> Iterator[Pair]:
    """Pair captions page by page, ``chunk`` pages at a time (see ``align_batch``);
    ``pages`` yields ``(doc, segments)``, and pairs come out in page order."""
    batch: list[tuple[str, Sequence[Segment]]] = []
    for page in pages:
        batch.append(page)
        if len(batch) == chunk:
            yield from (p for found in align_batch(batch, scorer, threshold) for p in found)
            batch = []
    yield from (p for found in align_batch(batch, scorer, threshold) for p in found)
