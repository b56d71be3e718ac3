"""Parquet against JSONL for a corpus of pairs: bytes on disk, write and read time, and
peak memory of a streamed Parquet write at 1x and 10x.

Pairs are the Tatoeba dev pairs with the provenance a captions run writes (doc, score,
line numbers), repeated with a counter to reach the size asked for.

    python benchmarks/bench_parquet.py --pairs 10000
    python benchmarks/bench_parquet.py --memory 10000 100000
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from pages import TATOEBA  # noqa: E402

from align.formats.jsonl import read_jsonl, write_jsonl
from align.formats.parquet import read_parquet, write_hf, write_parquet  # noqa: E402
from align.records import Pair  # noqa: E402


def pairs(n: int):
    """``n`` pairs, streamed: Tatoeba lines with a run's provenance, numbered."""
    with open(TATOEBA + ".heb", encoding="utf-8") as fh:
        he = [line.strip() for line in fh]
    with open(TATOEBA + ".eng", encoding="utf-8") as fh:
        en = [line.strip() for line in fh]
    for k in range(n):
        i = k % len(he)
        yield Pair(doc=f"crawl/page-{k // 4:06d}.html", he=he[i], en=en[i], score=round(0.5 + (i % 500) / 1000, 4),
                   he_line=3 + k % 40, en_line=4 + k % 40, he_lines=[3 + k % 40], en_lines=[4 + k % 40],
                   he_element="img@alt", en_element="img@title", image=f"https://images.example/{k}.jpg")


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def compare(n: int) -> dict:
    sig = {"tool": "align", "benchmark": True}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {"jsonl": os.path.join(tmp, "p.jsonl"), "parquet": os.path.join(tmp, "p.parquet"),
                 "hf": os.path.join(tmp, "hf")}
        out = {"pairs": n}
        out["write_s"] = {"jsonl": round(best(lambda: write_jsonl(pairs(n), paths["jsonl"], sig)), 3),
                          "parquet": round(best(lambda: write_parquet(pairs(n), paths["parquet"], sig)), 3),
                          "hf": round(best(lambda: write_hf(pairs(n), paths["hf"], sig)), 3)}
        hf_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(paths["hf"]) for f in fs)
        out["bytes"] = {"jsonl": os.path.getsize(paths["jsonl"]) + os.path.getsize(paths["jsonl"] + ".meta.json"),
                        "parquet": os.path.getsize(paths["parquet"]), "hf": hf_bytes}
        out["read_s"] = {"jsonl": round(best(lambda: read_jsonl(paths["jsonl"])), 3),
                         "parquet": round(best(lambda: read_parquet(paths["parquet"])), 3)}
        import pyarrow.parquet as pq

        out["read_s"]["parquet_table"] = round(best(lambda: pq.read_table(paths["parquet"])), 3)
        out["ratio_parquet_to_jsonl"] = {k: round(out[k]["parquet"] / out[k]["jsonl"], 3)
                                         for k in ("bytes", "write_s", "read_s")}
    return out


def peak_rss(n: int) -> float:
    """Peak RSS (MiB) of a fresh process that streams ``n`` pairs into a Parquet file."""
    code = ("import resource, sys, tempfile, os\n"
            f"sys.path[:0] = [{os.path.join(HERE, '..')!r}, {HERE!r}]\n"
            "from bench_parquet import pairs\nfrom align.parquet import write_parquet\n"
            "with tempfile.TemporaryDirectory() as t:\n"
            f"    write_parquet(pairs({n}), os.path.join(t, 'p.parquet'), {{}})\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return round(float(r.stdout.strip()), 1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--memory", type=int, nargs="*", metavar="N",
                        help="peak RSS of a streamed Parquet write of each N pairs")
    args = parser.parse_args(argv)
    if args.memory:
        print(json.dumps({str(n): peak_rss(n) for n in args.memory}, indent=1))
        return 0
    print(json.dumps(compare(args.pairs), indent=1))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_rss_mib_this_process": round(peak, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
