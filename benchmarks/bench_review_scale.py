"""The review page at scale: a check report of N rows in headless Chromium.

The report is rendered as ``align check --report`` renders it (``align.review.report.
render``) from N generated rows (caption-length Hebrew and English, a third flagged,
uncovered words marked), opened with Playwright in Debian's chromium, and measured:
file size; time from navigation to a usable page (the script done: counts shown);
the latency of sorting by score, of a search and of clearing it, and of labelling a row
with the keyboard, each until the next frame is painted (best and median of
``--repeat``); and the renderer's memory (resident set of its processes) after opening
and after ten sorts.

    python benchmarks/bench_review_scale.py --rows 5000
    python benchmarks/bench_review_scale.py --rows 50000 --repeat 1
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from align.records import Pair  # noqa: E402
from align.review.check import Checked, summary  # noqa: E402
from align.review.report import render  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HE_WORDS = "ראש הממשלה נפגש עם נשיא המדינה בירושלים שר הביטחון יואב גלנט בוושינגטון מערכת חץ כבאים".split()
EN_WORDS = ("Prime Minister meets the president in Jerusalem Defense Yoav Gallant Washington Arrow "
            "system firefighters battle a blaze near Beit Shemesh").split()
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"


def items(n: int, seed: int = 1) -> list[Checked]:
    rng = random.Random(seed)
    out = []
    for row in range(1, n + 1):
        he = " ".join(rng.choice(HE_WORDS) for _ in range(rng.randint(3, 14)))
        en = " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(3, 16)))
        item = Checked(row, Pair(f"pages/p{row // 20}.html", he, en, 0.0), rng.random())
        if row % 3 == 0:
            item.flag("low_score", "score under 0.5")
        item.uncovered = (he.split()[:1], en.split()[-2:])
        out.append(item)
    return out


def renderer_rss_mb() -> float:
    """The resident memory of every Chromium renderer process, in MiB."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if b"--type=renderer" not in fh.read():
                    continue
            with open(f"/proc/{pid}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
    return round(total / 1024, 1)


def timed(page, action: str) -> float:
    """Milliseconds from running ``action`` (JavaScript) to the next painted frame."""
    return page.evaluate(f"""async () => {{
        const t0 = performance.now();
        {action};
        await ({NEXT_FRAME})();
        return performance.now() - t0; }}""")


def measure(path: str, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        start = time.perf_counter()
        page.goto("file://" + os.path.abspath(path), timeout=600_000)
        page.wait_for_function("document.getElementById('counts').textContent.length > 0", timeout=600_000)
        usable = time.perf_counter() - start
        opened_mb = renderer_rss_mb()
        score = "document.querySelector('#pairs th:nth-child(2) button').click()"
        search = ("(() => { const s = document.getElementById('search'); s.value = 'Gallant Washington'; "
                  "s.dispatchEvent(new Event('input')); })()")
        clear = ("(() => { const s = document.getElementById('search'); s.value = ''; "
                 "s.dispatchEvent(new Event('input')); })()")
        label = "document.dispatchEvent(new KeyboardEvent('keydown', {key: 't', bubbles: true}))"
        runs: dict[str, list[float]] = {"sort": [], "search": [], "clear": [], "label": []}
        for _ in range(repeat):
            runs["sort"].append(timed(page, score))
            runs["search"].append(timed(page, search))
            runs["clear"].append(timed(page, clear))
            runs["label"].append(timed(page, label))
        for _ in range(10):
            timed(page, score)
        sorted_mb = renderer_rss_mb()
        browser.close()
    return {"usable_s": round(usable, 2), "renderer_mb_open": opened_mb, "renderer_mb_after_ten_sorts": sorted_mb,
            **{f"{k}_ms": {"best": round(min(v), 1), "median": round(statistics.median(v), 1)}
               for k, v in runs.items()}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rows = items(args.rows)
    html = render(rows, summary(rows), {"tool": "align", "version": "bench", "standard": "strict"}, "bench")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.html")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(html)
        report = {"rows": args.rows, "size_mib": round(os.path.getsize(path) / 2 ** 20, 2),
                  **measure(path, args.repeat)}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
