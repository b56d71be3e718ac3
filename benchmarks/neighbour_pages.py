"""Caption pages of short sentences whose wrong partners are their nearest neighbours.

FLORES stories (story_pages.py) give same-story distractors, but their sentences are
long; captions are short. These pages use the short Tatoeba pairs of a slice of
pages.py, and make each page of one pair and the pairs whose English is nearest to
its English (multilingual-e5-small cosine): "I felt lonely." beside "I felt trapped.",
"Tom is writing again." beside "Tom has written a novel.". Pairs nearer than
``PARAPHRASE`` are left out, since those say the same thing and a wrong partner would
be a translation. Layouts as pages.py. Sentence vectors are cached under
``benchmarks/out``.

    python benchmarks/neighbour_pages.py --slice benchmark --pages 200 --seed 1 --out /tmp/nn
"""
from __future__ import annotations

import hashlib
import os
import sys

import numpy as np
from pages import LAYOUTS, PageMaker, slice_pool
from pages import main as pages_main

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
PARAPHRASE = 0.95   # English cosine at and above which two sentences count as the same
NEIGHBOURS = 15     # pairs of a page's pool besides its seed


def english_vectors(texts: list[str]) -> np.ndarray:
    """e5 vectors of ``texts`` (n, d), cached in ``benchmarks/out`` by their digest."""
    digest = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]
    path = os.path.join(HERE, "out", f"vectors-{digest}.npy")
    if os.path.exists(path):
        return np.load(path)
    from align.scoring.embedding import Embedder

    vectors = Embedder().embed(texts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, vectors)
    return vectors


class NeighbourMaker(PageMaker):
    """A PageMaker whose page pool is a seed pair and its nearest English neighbours."""

    def __init__(self, pairs: list[tuple[str, str]], seed: int):
        super().__init__(pairs, seed)
        self.all_pairs = list(pairs)
        self.vectors = english_vectors([e for _, e in pairs])

    def start_page(self) -> None:
        """A seed pair and its neighbours, nearest first (``take`` pops from the end)."""
        seed = self.rng.randrange(len(self.all_pairs))
        sims = self.vectors @ self.vectors[seed]
        order = [int(k) for k in np.argsort(-sims, kind="stable")
                 if k != seed and sims[k] < PARAPHRASE][:NEIGHBOURS]
        self.pairs = [self.all_pairs[k] for k in reversed(order)] + [self.all_pairs[seed]]


def make_neighbour_pages(slice_name: str, n_pages: int, seed: int, pool=None):
    """Yield ``(name, text, gold, layouts)`` as ``pages.make_pages`` does."""
    maker = NeighbourMaker(slice_pool(slice_name, pool), seed)
    for k in range(n_pages):
        maker.start_page()
        first = LAYOUTS[k % len(LAYOUTS)]
        layouts = [first] + maker.rng.sample(LAYOUTS, maker.rng.randint(1, 3))
        maker.rng.shuffle(layouts)
        text, gold = maker.page(layouts)
        yield f"nn-{slice_name}-{seed}-{k:04d}.txt", text, gold, layouts


def main(argv=None) -> int:
    """Command line: as pages.py."""
    return pages_main(argv, make=make_neighbour_pages, description=__doc__)


if __name__ == "__main__":
    sys.exit(main())
