"""Pair caption segments inside a page: one-to-one assignment with abstention."""
from __future__ import annotations

from typing import Iterable, Iterator, Sequence

import numpy as np

from .corpus import Pair
from .detect import Segment
from .scoring import Scorer
from .scoring.calibrated import calibration, logit, sigmoid

DEFAULT_THRESHOLD = 0.5


def link(scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Competitive linking: repeatedly take the best remaining cell at or above ``threshold``.

    ``scores`` (n, m). Returns ``(i, j)`` pairs, no row or column used twice, in the
    order taken. Ties break by position, so the result is deterministic.
    """
    n, m = scores.shape
    order = np.argsort(-scores, axis=None, kind="stable")
    rows, cols, links = set(), set(), []
    for flat in order:
        i, j = divmod(int(flat), m)
        if scores[i, j] < threshold or len(links) == min(n, m):
            break
        if i not in rows and j not in cols:
            rows.add(i)
            cols.add(j)
            links.append((i, j))
    return links


def same_block(he: Sequence[Segment], en: Sequence[Segment]) -> np.ndarray:
    """1.0 where a Hebrew and an English segment share a caption block, (len(he), len(en))."""
    return np.array([[1.0 if h.blocks & e.blocks else 0.0 for e in en] for h in he]).reshape(len(he), len(en))


def layout_adjusted(scores: np.ndarray, he: Sequence[Segment], en: Sequence[Segment],
                    weight: float) -> np.ndarray:
    """Shift content scores in logit space by ``weight`` where both sides share a block.

    The weight is fitted with the scorer's own; it cannot lift a pair whose content
    score is near zero, so layout informs but never decides alone.
    """
    return sigmoid(logit(scores) + weight * same_block(he, en))


def candidates(segments: Sequence[Segment]) -> tuple[list[Segment], list[Segment]]:
    """The Hebrew and the English caption candidates of a page."""
    he = [s for s in segments if s.lang == "he" and s.kind == "caption"]
    en = [s for s in segments if s.lang == "en" and s.kind == "caption"]
    return he, en


def align_captions(doc: str, segments: Sequence[Segment], scorer: Scorer,
                   threshold: float = DEFAULT_THRESHOLD) -> list[Pair]:
    """Pair the Hebrew and English caption candidates of one page.

    Returns pairs in the order of their Hebrew segment's first line.
    """
    he, en = candidates(segments)
    if not he or not en:
        return []
    scores = scorer.score([s.text for s in he], [s.text for s in en])
    weight = calibration()["layout"].get(scorer.name, 0.0)
    scores = layout_adjusted(scores, he, en, weight)
    pairs = [Pair(doc=doc, he=he[i].text, en=en[j].text, score=round(float(scores[i, j]), 4),
                  he_line=he[i].line, en_line=en[j].line,
                  he_lines=list(he[i].lines), en_lines=list(en[j].lines))
             for i, j in link(scores, threshold)]
    return sorted(pairs, key=lambda p: (p.he_line, p.en_line))


def align_pages(pages: Iterable[tuple[str, Sequence[Segment]]], scorer: Scorer,
                threshold: float = DEFAULT_THRESHOLD, chunk: int = 32) -> Iterator[Pair]:
    """Pair captions page by page, ``chunk`` pages at a time.

    ``pages`` yields ``(doc, segments)``. Before a chunk is aligned, the scorer is
    handed all its candidates at once, so the model embeds them in full batches
    rather than two or three strings per page. Pairs come out in page order.
    """
    def flush(batch):
        texts = []
        for _, segs in batch:
            he, en = candidates(segs)
            if he and en:  # pages missing a side are never scored
                texts += [s.text for s in he + en]
        scorer.prefetch(texts)
        for doc, segs in batch:
            yield from align_captions(doc, segs, scorer, threshold)

    batch: list[tuple[str, Sequence[Segment]]] = []
    for page in pages:
        batch.append(page)
        if len(batch) == chunk:
            yield from flush(batch)
            batch = []
    yield from flush(batch)
