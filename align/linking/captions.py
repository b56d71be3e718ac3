"""Pair caption segments inside a page: one-to-one assignment with abstention."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from align.records import Pair, Segment
from align.scoring import Scorer
from align.scoring.logodds import calibration, logit
from align.scoring.standard import builtin, partner
from align.scoring.standard import evidence as standard_evidence

DEFAULT_THRESHOLD = 0.5
MAX_SCOPE = 64  # caption candidates a side scored together; real pages hold far fewer
# Log-odds taken from a pair whose sides caption two different images of an HTML page
# (see ``cross_image``); measured on the saved ynetnews pages and the HTML benchmark.
CROSS_IMAGE_PENALTY = 4.0
# ... and what every standard takes from such a pair, beside it: the standards weigh the
# words as well as the scorer, and a name shared by two thumbnails is no translation.
CROSS_IMAGE_STANDARD = 8.0
# A cell's word coverage is worked out when the scorer gives it at least this probability
# of belonging together (or it is one image's): below it no standard could emit it.
COVER_FLOOR = 0.001
RESORT_FLOOR = 0.3  # ... and single words are embedded for it (coverage's last resort) from this on


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


def cross_image(he: Sequence[Segment], en: Sequence[Segment]) -> np.ndarray:
    """1.0 where both sides caption images of an HTML page, but not the same one and
    not within one caption block (a gallery's caption list), (len(he), len(en))."""
    return np.array([[1.0 if h.images and e.images and not (h.images & e.images) and not (h.blocks & e.blocks)
                      else 0.0 for e in en] for h in he]).reshape(len(he), len(en))


def layout_offset(he: Sequence[Segment], en: Sequence[Segment], weight: float,
                  penalty: float | None = None) -> np.ndarray:
    """Log-odds that layout adds: ``weight`` where both sides share a caption block,
    ``-penalty`` where they caption two different images, (len(he), len(en)). The
    weight is fitted with the scorer's own and capped; it cannot lift a pair whose
    content score is near zero, so layout informs but never decides alone."""
    penalty = CROSS_IMAGE_PENALTY if penalty is None else penalty
    return weight * same_block(he, en) - penalty * cross_image(he, en)


def _image_units(he: Sequence[Segment], en: Sequence[Segment]) -> dict[str, tuple[list[int], list[int]]]:
    """Each image of the page: the indices of its Hebrew and of its English candidates."""
    units: dict[str, tuple[list[int], list[int]]] = {}
    for side, segments in ((0, he), (1, en)):
        for index, segment in enumerate(segments):
            for key in sorted(segment.images):  # a set: its order changes with the process's hash seed
                units.setdefault(key, ([], []))[side].append(index)
    return units


def _why(score: float, threshold: float, otherwise: str) -> str:
    return f"score {score:.3f} is under the threshold {threshold}" if score < threshold else otherwise


def image_links(scores: np.ndarray, he: Sequence[Segment], en: Sequence[Segment],
                threshold: float) -> list[tuple[int, int, str | None]]:
    """Competitive linking with the image as the unit, on ``scores`` (len(he), len(en)).

    Each image of an HTML page is linked on its own first (its alt texts against its
    titles and captions), so a caption that two images share ("Prime Minister Naftali
    Bennett" under two photos with different Hebrew alts) can pair once in each; then
    what no image paired is linked across the page, where ``layout_offset`` has made
    a pair of two different images need far stronger evidence. Returns ``(i, j,
    image)`` with the image's key, or None for a pair across the page. Text pages
    (no images) get ``link`` as before.
    """
    def first_line(unit: tuple[list[int], list[int]]) -> int:
        return min([he[i].line for i in unit[0]] + [en[j].line for j in unit[1]])

    found: dict[tuple[int, int], str | None] = {}
    for key, (rows, cols) in sorted(_image_units(he, en).items(), key=lambda u: first_line(u[1])):
        if not rows or not cols:
            continue
        for a, b in link(scores[np.ix_(rows, cols)], threshold):
            found.setdefault((rows[a], cols[b]), key)
    used_he, used_en = {i for i, _ in found}, {j for _, j in found}
    rows = [i for i in range(len(he)) if i not in used_he]
    cols = [j for j in range(len(en)) if j not in used_en]
    if rows and cols:
        for a, b in link(scores[np.ix_(rows, cols)], threshold):
            found[(rows[a], cols[b])] = None
    return [(i, j, key) for (i, j), key in found.items()]


def evidence(scorer: Scorer, he: Sequence[Segment], en: Sequence[Segment],
             weight: float) -> dict[str, np.ndarray]:
    """The evidence a standard weighs (``align.scoring.standard``), each (len(he), len(en)).

    ``page_p``: the scorer's probabilities with the page's other candidates as context
    and ``layout_offset`` (``weight``) added; ``layout``: the penalty of a pair across two
    images, which every standard adds as it is. ``partner``: for a pair of one image's
    captions, the mean of its page log-odds (a caption block shared counted, two images
    crossed not) and of the pair judged within its image alone, content only (on a listing page the
    other thumbnails are other stories, so a name they share is no rival for this
    image's caption); elsewhere the page log-odds (``page`` and ``image`` are returned
    too). The word coverage of every cell that a standard could emit (``COVER_FLOOR``),
    from ``scorer.coverer``.
    """
    he_texts, en_texts = [s.text for s in he], [s.text for s in en]
    layout = layout_offset(he, en, weight)
    crossed = -CROSS_IMAGE_PENALTY * cross_image(he, en)  # in page_p, taken out of partner below
    page_p = scorer.score(he_texts, en_texts, offset=layout)
    page = logit(page_p) - crossed  # the block shared stays partner evidence; two images crossed is added apart
    image, in_image = page.copy(), np.zeros(page.shape, dtype=bool)
    for rows, cols in _image_units(he, en).values():
        if rows and cols:
            cell = np.ix_(rows, cols)
            alone = logit(scorer.score([he_texts[i] for i in rows], [en_texts[j] for j in cols]))
            image[cell] = np.maximum(alone, page[cell])
            in_image[cell] = True
    cells = in_image | (page_p >= COVER_FLOOR)
    resort = in_image | (page_p >= RESORT_FLOOR)
    cover = scorer.coverer.features(he_texts, en_texts, cells, resort)
    # An image's own alt and title caption one photo: a name they share is a scene they
    # share, not a name in two events (what ``name_only`` tells elsewhere).
    cover["name_only"] = np.where(in_image, 0.0, cover["name_only"])
    ev = standard_evidence(partner(page, image, in_image), cover, -CROSS_IMAGE_STANDARD * cross_image(he, en))
    ev.update(page_p=page_p, page=page, image=image, in_image=in_image, resort=resort)
    return ev


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


@dataclass
class Abstention:
    """A caption unit that gave no pair, and why: an image of an HTML page (its Hebrew
    and English captions, if any), or on a text page a Hebrew caption and its best
    English candidate. ``score`` is the best score the unit had, or None."""

    doc: str
    image: str | None
    he: str | None
    en: str | None
    score: float | None
    why: str
    he_line: int | None = None
    en_line: int | None = None


def align_captions(doc: str, segments: Sequence[Segment], scorer: Scorer,
                   threshold: float = DEFAULT_THRESHOLD) -> list[Pair]:
    """Pair the Hebrew and English caption candidates of one page.

    Returns pairs in the order of their Hebrew segment's first line.
    """
    return review(doc, segments, scorer, threshold, abstentions=False)[0]


def review(doc: str, segments: Sequence[Segment], scorer: Scorer, threshold: float = DEFAULT_THRESHOLD,
           abstentions: bool = True) -> tuple[list[Pair], list[Abstention]]:
    """``align_captions``, and (with ``abstentions``) every caption unit that gave no
    pair with the reason: what ``align captions --report`` shows."""
    weight = calibration()["layout"].get(getattr(scorer, "layout_key", scorer.name), 0.0)
    standard = getattr(scorer, "standard", None) or builtin()
    verdict = getattr(scorer, "verdict_standard", None) or builtin("strict")
    explain = getattr(scorer, "translations", None)
    pairs, skipped = [], []
    for he, en in scopes(*candidates(segments)):
        scores, links = np.zeros((len(he), len(en))), []
        if he and en:
            he_texts = [s.text for s in he]
            ev = evidence(scorer, he, en, weight)
            scores = standard.apply(ev)
            strict = scores if verdict is standard else verdict.apply(ev)
            links = image_links(scores, he, en, threshold)
            mt = explain(he_texts) if explain and links else None  # cached: no new translation
            pairs += [_pair(doc, he[i], en[j], float(scores[i, j]), float(strict[i, j]), scorer,
                            mt[i] if mt else None, key, bool(ev["resort"][i, j])) for i, j, key in links]
        if abstentions:
            skipped += _abstentions(doc, he, en, scores, links, threshold)
    return sorted(pairs, key=lambda p: (p.he_line, p.en_line)), skipped


def _pair(doc: str, he: Segment, en: Segment, score: float, strict: float, scorer,
          mt: str | None, image: str | None, last_resort: bool) -> Pair:
    """A linked pair with its verdict (T when the strict standard says so) and the words
    of each side that have no counterpart on the other."""
    coverage = scorer.coverer.pair(he.text, en.text, last_resort)
    return Pair(doc=doc, he=he.text, en=en.text, score=round(score, 4), he_line=he.line, en_line=en.line,
                he_lines=list(he.lines), en_lines=list(en.lines), mt=mt, image=image,
                verdict="T" if strict >= 0.5 else "P", he_uncovered=coverage.he_uncovered,
                en_uncovered=coverage.en_uncovered)


def _abstentions(doc: str, he: Sequence[Segment], en: Sequence[Segment], scores: np.ndarray,
                 links: list[tuple[int, int, str | None]], threshold: float) -> list[Abstention]:
    """The units of one scope that gave no pair: each image with no pair made within it
    (an image with one side only, when that side was not paired elsewhere either), and
    each Hebrew caption outside images that was not paired."""
    paired_he, paired_en = {i for i, _, _ in links}, {j for _, j, _ in links}
    paired_images = {key for _, _, key in links if key is not None}
    out = []
    for key, (rows, cols) in sorted(_image_units(he, en).items()):
        # An image gives no pair unless one was made within it: a caption it shares with
        # another image may have been paired there, and this image still needs a review.
        if key in paired_images or (not (rows and cols) and (any(i in paired_he for i in rows)
                                                             or any(j in paired_en for j in cols))):
            continue
        if rows and cols:
            i, j = max(((i, j) for i in rows for j in cols), key=lambda c: scores[c])
            why = _why(scores[i, j], threshold, "its captions were paired with better partners")
            out.append(Abstention(doc, key, he[i].text, en[j].text, round(float(scores[i, j]), 4), why,
                                  he[i].line, en[j].line))
        else:
            side = he[rows[0]] if rows else en[cols[0]]
            out.append(Abstention(doc, key, side.text if rows else None, None if rows else side.text, None,
                                  "no English caption" if rows else "no Hebrew caption",
                                  side.line if rows else None, None if rows else side.line))
    for i, s in enumerate(he):
        if s.images or i in paired_he:
            continue
        if not len(en):
            out.append(Abstention(doc, None, s.text, None, None, "no English caption on the page", s.line))
            continue
        j = int(np.argmax(scores[i]))
        why = _why(scores[i, j], threshold, "its best partner was paired with another caption")
        out.append(Abstention(doc, None, s.text, en[j].text, round(float(scores[i, j]), 4), why, s.line, en[j].line))
    return out


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


