"""Ordered sentence alignment by dynamic programming over sentence embeddings.

Knows nothing of models: it takes L2-normalised sentence vectors ``H`` (n, d) and
``E`` (m, d) and returns beads, each a run of Hebrew and a run of English sentence
indices (1-1, 1-2, 2-1, 1-0, 0-1; 2-2, 1-3, 3-1 when allowed).

Two passes, after Bertalign: the first finds a path with single sentences only
(1-1, 1-0, 0-1) inside a diagonal band; the second allows merged beads inside a narrow
band around that path. A merged run is represented by the normalised sum of its
sentence vectors, so nothing is embedded twice. Each DP row is vectorised over its
band: the in-row 0-1 recurrence ``dp[j] = min(B[j], dp[j-1] + skip)`` is a cumulative
minimum. Memory is O((n + m) x band).

Costs follow Vecalign: ``(1 - cos(x, y)) / ((n_x + n_y) / 2)`` where ``n_x`` is span x's
mean ``1 - cos`` to random sentences of the other document (so an unrelated pair costs
about 1 whatever the model, and a generic span gains nothing from being generic),
times (a + b) / 2 for a bead of a + b sentences, plus ``merge_penalty`` per extra
sentence; a skipped sentence costs ``skip``.
"""
from __future__ import annotations

import numpy as np

from align.records import Bead

SINGLE = ((1, 1), (1, 0), (0, 1))
MERGES = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1))
WIDE = MERGES + ((2, 2), (1, 3), (3, 1))
SKIP = 0.8            # chosen on calibration-slice documents and the scenario tests
MERGE_PENALTY = 0.45
NUMBER_WEIGHT = 0.5
LENGTH_WEIGHT = 1.0   # chosen on calibration-slice documents: strict F1 0.926 -> 0.983
# Mean log((len(en) + 5) / (len(he) + 5)) of the Tatoeba calibration pairs.
LOG_LENGTH_RATIO = 0.22


def _spans(X: np.ndarray, k: int) -> np.ndarray:
    """Normalised sums of every run of ``k`` consecutive rows: (n - k + 1, d)."""
    if k == 1:
        return X
    csum = np.vstack([np.zeros((1, X.shape[1]), X.dtype), np.cumsum(X, axis=0)])
    S = csum[k:] - csum[:-k]
    return S / np.maximum(np.linalg.norm(S, axis=1, keepdims=True), 1e-9)


def random_distance(spans: np.ndarray, others: np.ndarray, samples: int = 64,
                    seed: int = 0) -> np.ndarray:
    """Each span's mean ``1 - cos`` to up to ``samples`` random sentences of the other
    side: (len(spans),). A generic span is close to everything; this says how close."""
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(others), size=min(samples, len(others)), replace=False)
    return np.maximum(1.0 - (spans @ others[pick].T).mean(axis=1), 1e-3).astype(np.float32)


def _dp(Hs, Es, Hn, En, n, m, beads, lo, hi, skip, merge_penalty, lengths=None, numbers=None,
        Ht=None):
    """Minimum-cost path from (0, 0) to (n, m); ``lo[i] <= j < hi[i]`` is row i's band.

    ``Hs[a]``, ``Es[b]``: span vectors for runs of a / b sentences; ``Hn[a]``, ``En[b]``:
    each span's mean ``1 - cos`` to random sentences of the other side; ``lengths``:
    optional ``(he_chars, en_chars, weight)`` with span character counts per size;
    ``numbers``: optional ``(he_sets, en_sets, weight)``, span number sets per size;
    ``Ht``: optional span vectors of the Hebrew's machine translation, per size.
    Returns the bead list (a, b, i_end, j_end, cos) from the start.
    """
    INF = np.float32(np.inf)
    rows = {}                        # i -> (lo, costs over band), kept for the last 3 rows
    back = []                        # i -> (lo, bead index per band cell, cos per cell)
    for i in range(n + 1):
        first, h = lo[i], hi[i]
        js = np.arange(first, h)
        best = np.full(h - first, INF, dtype=np.float32)
        arg = np.full(h - first, -1, dtype=np.int8)
        cosv = np.zeros(h - first, dtype=np.float32)
        if i == 0:
            best[js == 0] = 0.0 if first == 0 else INF
        for t, (a, b) in enumerate(beads):
            if a == 0 or i - a < 0:
                continue
            pl, prev = rows.get(i - a, (0, None))
            if prev is None:
                continue
            src = js - b
            ok = (src >= pl) & (src < pl + len(prev)) & (src >= 0)
            if not ok.any():
                continue
            base = np.full(h - first, INF, dtype=np.float32)
            base[ok] = prev[src[ok] - pl]
            if b == 0:
                cand = base + skip * a
                c = np.zeros(h - first, dtype=np.float32)
            else:
                c = np.zeros(h - first, dtype=np.float32)
                idx = np.flatnonzero(ok)
                c[idx] = Es[b][src[idx]] @ Hs[a][i - a]
                if Ht is not None and a in Ht:  # English-English through the translation
                    c[idx] = (c[idx] + Es[b][src[idx]] @ Ht[a][i - a]) / 2
                # Vecalign's normalisation: each span's own mean distance to random
                # sentences of the other side, so generic spans do not look like matches.
                norm = np.ones(h - first, dtype=np.float32)
                norm[idx] = (Hn[a][i - a] + En[b][src[idx]]) / 2
                cost = (1.0 - c) / norm * (a + b) / 2 + merge_penalty * (a + b - 2)
                if numbers is not None:  # both spans hold numbers, and not the same ones
                    he_num, en_num, weight_n = numbers
                    mine = he_num[a][i - a]
                    if mine:
                        for q in idx:
                            theirs = en_num[b][src[q]]
                            if theirs and theirs != mine:
                                cost[q] += weight_n
                if lengths is not None:  # spans of unlikely relative length cost more
                    he_chars, en_chars, weight = lengths
                    ratio = np.log((en_chars[b][np.maximum(src, 0)] + 5) / (he_chars[a][i - a] + 5))
                    cost = cost + weight * np.abs(ratio - LOG_LENGTH_RATIO)
                cand = base + cost
            better = cand < best
            best[better], arg[better], cosv[better] = cand[better], t, c[better]
        # 0-1 beads inside the row: dp[j] = min(best[j], dp[j-1] + skip), a scan.
        if any(a == 0 for a, _ in beads):
            t01 = [t for t, (a, b) in enumerate(beads) if a == 0][0]
            k = np.arange(h - first, dtype=np.float32)
            scanned = np.minimum.accumulate(best - skip * k) + skip * k
            from_left = scanned < best
            best, arg[from_left], cosv[from_left] = scanned, t01, 0.0
        rows[i] = (first, best)
        rows.pop(i - 4, None)
        back.append((first, arg, cosv))
    # trace back from (n, m)
    path, i, j = [], n, m
    while i > 0 or j > 0:
        first, arg, cosv = back[i]
        if not first <= j < first + len(arg) or arg[j - first] < 0:
            raise RuntimeError("no path inside the band")  # bands always hold one
        a, b = beads[arg[j - first]]
        path.append((a, b, i, j, float(cosv[j - first])))
        i, j = i - a, j - b
    return path[::-1]


def _diagonal_band(n: int, m: int, width: int):
    lo = np.empty(n + 1, dtype=int)
    hi = np.empty(n + 1, dtype=int)
    for i in range(n + 1):
        centre = round(i * m / n) if n else 0
        lo[i], hi[i] = max(0, centre - width), min(m + 1, centre + width + 1)
    lo[n], hi[n] = min(lo[n], m), m + 1
    lo[0] = 0
    return lo, hi


def _path_band(path, n: int, m: int, width: int):
    lo = np.full(n + 1, m + 1, dtype=int)
    hi = np.zeros(n + 1, dtype=int)
    points = [(0, 0)] + [(i, j) for _, _, i, j, _ in path]
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        for i in range(i0, i1 + 1):
            lo[i] = min(lo[i], j0)
            hi[i] = max(hi[i], j1 + 1)
    lo = np.maximum(lo - width, 0)
    hi = np.minimum(hi + width, m + 1)
    for i in range(1, n + 1):  # keep the band connected row to row
        lo[i] = min(lo[i], hi[i - 1] - 1)
    return lo, hi


def merge_sites(beads: list[Bead], n: int, m: int, sizes=(2,)) -> tuple[set, set]:
    """Windows ``(start, size)`` worth real vectors: those holding a sentence that a
    first alignment skipped or merged, where true merges hide. Returns (Hebrew, English)."""
    he_sites: set[tuple[int, int]] = set()
    en_sites: set[tuple[int, int]] = set()
    for b in beads:
        if len(b.he_ids) == 1 and len(b.en_ids) == 1:
            continue
        for sites, ids, total in ((he_sites, b.he_ids, n), (en_sites, b.en_ids, m)):
            for centre in ids:
                for size in sizes:
                    for start in range(centre - size + 1, centre + 1):
                        if 0 <= start and start + size <= total:
                            sites.add((start, size))
    return he_sites, en_sites


def align(H: np.ndarray, E: np.ndarray, beads=MERGES, skip: float | None = None,
          merge_penalty: float | None = None, first_band: int | None = None,
          second_band: int = 8, he_chars=None, en_chars=None,
          length_weight: float | None = None, he_numbers=None, en_numbers=None,
          he_translated: np.ndarray | None = None, refine=None) -> list[Bead]:
    """Align n Hebrew with m English sentences, in order.

    ``H`` (n, d), ``E`` (m, d): L2-normalised sentence vectors. ``beads``: the bead
    shapes allowed in the second pass. ``he_chars`` / ``en_chars``: optional sentence
    lengths in characters (n,) and (m,), for a length term weighted by
    ``length_weight``. ``he_numbers`` / ``en_numbers``: optional sets of numbers per
    sentence; a bead whose spans both hold numbers, but not the same ones, costs
    ``NUMBER_WEIGHT`` more. ``he_translated`` (n, d): optional vectors of the Hebrew
    sentences' machine translation; the second pass then uses the mean of the
    cross-lingual and the English-English cosine (an untuned prior).

    ``refine(beads) -> (he_windows, en_windows)``: optional; given the second pass's
    beads it returns real vectors of merged text, ``{(start, size): (d,)}``, to use
    instead of averaged ones, and the second pass alone is run again with them.

    Returns beads covering every sentence once, in order; ``score`` is the cosine of
    the bead's span vectors (0 for 1-0 and 0-1).
    """
    skip = SKIP if skip is None else skip
    merge_penalty = MERGE_PENALTY if merge_penalty is None else merge_penalty
    n, m = len(H), len(E)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    width = first_band or max(20, abs(n - m) + int(0.1 * max(n, m)))
    lo, hi = _diagonal_band(n, m, width)
    sizes = {a for a, _ in beads if a} | {b for _, b in beads if b} | {1}
    Hs = {k: _spans(H, k) for k in sizes if k <= n}
    Es = {k: _spans(E, k) for k in sizes if k <= m}
    Hn = {k: random_distance(v, E) for k, v in Hs.items()}
    En = {k: random_distance(v, H) for k, v in Es.items()}
    first = _dp({1: H}, {1: E}, Hn, En, n, m, SINGLE, lo, hi, skip, merge_penalty)
    lo, hi = _path_band(first, n, m, second_band)
    usable = tuple((a, b) for a, b in beads if (a == 0 or a in Hs) and (b == 0 or b in Es))
    lengths = None
    weight = LENGTH_WEIGHT if length_weight is None else length_weight
    if he_chars is not None and en_chars is not None and weight:
        def span_chars(chars, k):
            c = np.concatenate([[0.0], np.cumsum(chars, dtype=np.float64)])
            return (c[k:] - c[:-k]).astype(np.float32)
        lengths = ({k: span_chars(he_chars, k) for k in Hs}, {k: span_chars(en_chars, k) for k in Es},
                   weight)
    numbers = None
    if he_numbers is not None and en_numbers is not None:
        def span_sets(sets, k):
            return [frozenset().union(*sets[s:s + k]) for s in range(len(sets) - k + 1)]
        numbers = ({k: span_sets(he_numbers, k) for k in Hs}, {k: span_sets(en_numbers, k) for k in Es},
                   NUMBER_WEIGHT)
    Ht = {k: _spans(he_translated, k) for k in Hs} if he_translated is not None else None

    def second_pass():
        path = _dp(Hs, Es, Hn, En, n, m, usable, lo, hi, skip, merge_penalty, lengths, numbers, Ht)
        return [Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), round(c, 4))
                for a, b, i, j, c in path]

    result = second_pass()
    if refine is None:
        return result
    he_windows, en_windows = refine(result)
    if not he_windows and not en_windows:
        return result
    for spans, norms, others, windows in ((Hs, Hn, E, he_windows), (Es, En, H, en_windows)):
        for size in {size for _, size in windows if size in spans and size > 1}:
            spans[size] = spans[size].copy()   # never write into the caller's vectors
            for (start, k), vector in windows.items():
                if k == size:
                    spans[size][start] = vector
            norms[size] = random_distance(spans[size], others)
    return second_pass()
