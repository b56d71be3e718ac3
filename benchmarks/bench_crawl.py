"""A crawl-shaped run: 1,000 listing pages whose captions recur as a news site's do.

Captions are FLORES-200 devtest pairs (``../shared/data/flores200-devtest-heb-eng``,
news sentences with their Hebrew; not in the repository), cut to their first clause
where they are long, as a photo caption is. A "day" is ``--pages`` / ``--days``
listing pages of ``--images`` photos each (alt: the Hebrew, title: the English, as
ynetnews writes them); a fifth of each day's captions are new and the rest were
seen on earlier days (the stories that stay on the front page, the file photos of
people in the news). Pages are one JSONL file of ``{"id", "html"}`` records.

Runs, each ``python -m align captions`` in a fresh process with ``--workers 2``:

- ``cold``: an empty cache; ``warm``: the same run again; ``daily``: the crawl as it
  happens, one run a day with the cache the days before left (pages/s of days 2..);
- ``dask``: the warm run on a Dask ``LocalCluster`` of two workers;
- peak RSS of every process of a run (the parent and its workers), sampled.

Every run's output must be byte-identical to the cold run's (the daily runs, put
together, too).

    python benchmarks/bench_crawl.py             # 1,000 pages, 10 days
"""
from __future__ import annotations

import argparse
import html
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import zlib

import psutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
FLORES = os.path.join(HERE, "..", "..", "shared", "data", "flores200-devtest-heb-eng")


def flores_pairs(folder: str) -> list[tuple[str, str]]:
    """(Hebrew, English) sentences of the FLORES devtest, in file order."""
    names = sorted(os.listdir(folder))
    he_file = next(n for n in names if "heb" in n and not n.endswith(".tsv"))
    en_file = next(n for n in names if "eng" in n and not n.endswith(".tsv"))
    he = open(os.path.join(folder, he_file), encoding="utf-8").read().splitlines()
    en = open(os.path.join(folder, en_file), encoding="utf-8").read().splitlines()
    return list(zip(he, en))


def caption(pair: tuple[str, str]) -> tuple[str, str]:
    """A caption-length pair: the sentences as they are (short ones), else cut at their
    first comma on both sides when each side has one (a clause each)."""
    he, en = pair
    if len(en) > 90 and "," in he and "," in en:
        he, en = he.split(",")[0], en.split(",")[0]
    return he.strip(), en.strip()


def crawl(pool: list[tuple[str, str]], pages: int, days: int, images: int, seed: int = 7):
    """``days`` lists of ``(id, html)`` pages (a fifth of each day's captions are new),
    and how many captions they show in all."""
    rng = random.Random(seed)
    per_day = pages // days
    in_use = per_day * images // 5          # captions a day shows (each on about five pages)
    fresh = iter(pool)
    seen: list[tuple[str, str]] = []
    out = []
    for day in range(days):
        new = [next(fresh) for _ in range(in_use if day == 0 else in_use // 5)]
        today = new + (rng.sample(seen, in_use - len(new)) if day else [])
        seen += new
        day_pages = []
        for k in range(per_day):
            shown = rng.sample(today, images)
            body = "\n".join(f'<div class="slotView"><img src="https://img.test/{zlib.crc32(he.encode())}-{n}.jpg" '
                             f'alt="{html.escape(he)}" title="{html.escape(en)}"></div>'
                             for n, (he, en) in enumerate(shown))
            day_pages.append((f"day{day:02d}-page{k:03d}",
                              f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"))
        out.append(day_pages)
    return out, len(seen)


class PeakRSS:
    """Peak resident memory of a process and its descendants, sampled every 50 ms."""

    def __init__(self, pid: int):
        self.root = psutil.Process(pid)
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                break
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[p.pid] = max(self.peaks.get(p.pid, 0), rss)
            time.sleep(0.05)

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        mib = sorted((v / 1024 ** 2 for v in self.peaks.values()), reverse=True)
        return {"processes": len(mib), "peak_rss_mib": [round(m) for m in mib[:4]]}


def run(inputs: list[str], out: str, cache: str, *args: str) -> tuple[float, dict]:
    env = {**os.environ, "PYTHONPATH": ROOT}
    env.pop("ALIGN_NO_CACHE", None)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "align", "captions", *inputs, "-o", out, "--force", "-q",
                             "--cache", cache, *args], env=env)
    memory = PeakRSS(proc.pid)
    status = proc.wait()
    seconds = time.perf_counter() - start
    rss = memory.stop()
    if status:
        raise SystemExit(f"align exited with {status}")
    return seconds, rss


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args(argv)
    pool = [caption(p) for p in flores_pairs(FLORES)]
    days, unique = crawl(pool, args.pages, args.days, args.images)
    workers = ["--workers", str(args.workers)]
    report: dict = {"pages": sum(map(len, days)), "days": len(days), "images_per_page": args.images,
                    "unique_captions": unique}
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for n, day in enumerate(days):
            files.append(os.path.join(tmp, f"day{n:02d}.jsonl"))
            with open(files[-1], "w", encoding="utf-8") as fh:
                for doc, page in day:
                    fh.write(json.dumps({"id": doc, "html": page}, ensure_ascii=False) + "\n")
        outputs = {}
        for name, cache in (("cold", "c1"), ("warm", "c1")):
            out = os.path.join(tmp, f"{name}.jsonl")
            seconds, rss = run(files, out, os.path.join(tmp, cache), *workers)
            outputs[name] = open(out, "rb").read()
            report[name] = {"seconds": round(seconds, 1), "pages_per_second": round(report["pages"] / seconds, 1),
                            **rss}
        daily, parts, peak = [], [], 0
        for n, path in enumerate(files):
            out = os.path.join(tmp, f"daily{n}.jsonl")
            seconds, rss = run([path], out, os.path.join(tmp, "c2"), *workers)
            parts.append(open(out, "rb").read())
            daily.append(round(len(days[n]) / seconds, 1))
            peak = max([peak] + rss["peak_rss_mib"])
        report["daily"] = {"day1_pages_per_second": daily[0], "later_days_pages_per_second": daily[1:],
                           "peak_rss_mib": peak}
        if not args.no_dask:
            out = os.path.join(tmp, "dask.jsonl")
            seconds, rss = run(files, out, os.path.join(tmp, "c1"), "--engine", "dask", *workers)
            outputs["dask_warm"] = open(out, "rb").read()
            report["dask_warm"] = {"seconds": round(seconds, 1),
                                   "pages_per_second": round(report["pages"] / seconds, 1), **rss}
        plain = os.path.join(tmp, "plain.jsonl")
        run(files, plain, os.path.join(tmp, "unused"), "--no-cache", *workers)
        outputs["no_cache"] = open(plain, "rb").read()
        report["identical_output"] = {name: value == outputs["cold"] for name, value in outputs.items()}
        report["identical_output"]["daily_joined"] = b"".join(parts) == outputs["cold"]
        report["cache_file_mib"] = round(os.path.getsize(os.path.join(tmp, "c1", "evidence.sqlite")) / 1024 ** 2, 1)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
