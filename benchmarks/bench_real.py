"""``align captions`` on the real ynetnews.com pages of ../shared/data/ynetnews-pages.

Every pair emitted is classed by the images of its page: the labelled (Hebrew alt,
English title) of one image (``T`` translation, ``P`` partial, ``D`` different), an alt
and a title of two different images (``cross``), or a pair with a side that is no
image's alt or title at all (``menu``: navigation, section labels, the language menu).
Reported per page and pooled: strict precision (T / all), lenient ((T + P) / all),
recall of T, and the counts of each class.

    python benchmarks/bench_real.py              # the pages in ../shared (not committed)
    python benchmarks/bench_real.py --show       # every pair with its class
    python benchmarks/bench_real.py -- --standard lenient
    python benchmarks/bench_real.py --frontier   # each labelled pair scored in its page

``--frontier`` scores every labelled (alt, title) pair in its page, as ``captions`` and
``calibrate`` compute its evidence, under both built-in standards: precision at recall
0.5 / 0.7 / 0.9 / 0.95 (strict: of T; lenient: of T and P) with the score there, and of the pairs scored 0.9 or
more, the share that are T.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# every run measured cold: no evidence cache (bench_cache.py measures it); subprocesses inherit this
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, os.path.join(HERE, ".."))

from align import text as T  # noqa: E402

REAL = os.path.join(HERE, "..", "..", "shared", "data", "ynetnews-pages")
_CREDIT = re.compile(r"\s*\((?:photo|צילום)[^)]*\)\s*$", re.I)


def images(path: str) -> list[tuple[str, str]]:
    """``(alt, title)`` of every ``img`` of a page, cleaned, the title's credit removed."""
    import lxml.html

    with open(path, "rb") as fh:
        root = lxml.html.document_fromstring(fh.read())
    out = []
    for img in root.iter("img"):
        alt, title = T.clean(img.get("alt") or ""), T.clean(_CREDIT.sub("", img.get("title") or ""))
        if alt or title:
            out.append((alt, title))
    return out


def labels(folder: str) -> dict[tuple[str, str, str], str]:
    out = {}
    with open(os.path.join(folder, "gold.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            for page in r["pages"]:
                out[(page, T.clean(r["he"]), T.clean(r["en"]))] = r["label"]
    return out


def classify(page: str, he: str, en: str, imgs, gold) -> str:
    he, en = T.clean(he), T.clean(en)
    if (page, he, en) in gold:
        return gold[(page, he, en)]
    if any(a == he and t == en for a, t in imgs):
        return "U"  # one image's alt and title, not labelled
    alts, titles = {a for a, _ in imgs}, {t for _, t in imgs}
    return "cross" if he in alts and en in titles else "menu"


def measure(folder: str, extra: list[str], show: bool) -> dict:
    pages = sorted(f for f in os.listdir(folder) if f.endswith(".html"))
    gold = labels(folder)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "pairs.jsonl")
        subprocess.run([sys.executable, "-m", "align", "captions", *[os.path.join(folder, p) for p in pages],
                        "-o", out, *extra], check=True, cwd=os.path.join(HERE, ".."))
        with open(out, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    report = {}
    for page in pages + ["all"]:
        mine = [r for r in rows if page == "all" or os.path.basename(r["doc"]) == page]
        classes = []
        for r in mine:
            name = os.path.basename(r["doc"])
            c = classify(name, r["he"], r["en"], images(os.path.join(folder, name)), gold)
            classes.append(c)
            if show and page == "all":
                print(f"{c:5} {r['score']:.3f} {name} | {r['he'][:70]} | {r['en'][:90]}", file=sys.stderr)
        n = len(mine) or 1
        t_all = sum(1 for k, v in gold.items() if v == "T" and (page == "all" or k[0] == page))
        found_t = {(os.path.basename(r["doc"]), T.clean(r["he"]), T.clean(r["en"]))
                   for r, c in zip(mine, classes) if c == "T"}
        count = {c: classes.count(c) for c in ("T", "P", "D", "U", "cross", "menu")}
        report[page] = {"pairs": len(mine), **count,
                        "strict": round(count["T"] / n, 3), "lenient": round((count["T"] + count["P"]) / n, 3),
                        "recall_T": round(len(found_t) / t_all, 3) if t_all else None}
    return report


def frontier(folder: str) -> dict:
    """Precision at recall 0.5/0.7/0.9 and the reliability of scores >= 0.9, per standard,
    over every labelled pair of ``folder`` scored in its page."""
    import numpy as np

    from align.review.calibration import attach_evidence, read_labels, scores
    from align.runs.registry import Settings, scorer_for
    from align.scoring.standard import builtin

    pages = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".html"))
    labels = read_labels([os.path.join(folder, "gold.jsonl")])
    attach_evidence(labels, scorer_for(Settings(), fresh=True), pages, lambda message: None)
    out = {}
    for name, positive in (("strict", "T"), ("lenient", "TP")):
        p = scores(builtin(name), labels)
        y = np.array([lab.label in positive for lab in labels])
        order = np.argsort(-p, kind="stable")
        tp = np.cumsum(y[order])
        at = {}
        for r in (0.5, 0.7, 0.9, 0.95):
            k = int(np.argmax(tp >= r * y.sum()))
            at[str(r)] = (round(float(tp[k] / (k + 1)), 3), round(float(p[order[k]]), 3))  # and the threshold
        sure = p >= 0.9
        out[name] = {"labels": len(labels), "positives": int(y.sum()), "precision_at_recall": at,
                     "scored_0.9": int(sure.sum()),
                     "T_share_of_scored_0.9": round(float(np.mean([labels[k].label == "T"
                                                                   for k in np.flatnonzero(sure)])), 3)
                     if sure.any() else None}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", default=REAL)
    parser.add_argument("--show", action="store_true", help="print every pair with its class")
    parser.add_argument("--frontier", action="store_true", help="precision at recall, labelled pairs in their pages")
    parser.add_argument("extra", nargs="*", help="more options for align captions (after --)")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.folder):
        print(f"{args.folder} is not here; nothing to measure", file=sys.stderr)
        return 1
    if args.frontier:
        print(json.dumps(frontier(args.folder), indent=1))
        return 0
    print(json.dumps(measure(args.folder, args.extra, args.show), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
