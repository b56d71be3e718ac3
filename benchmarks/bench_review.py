"""How many keystrokes it takes to label the saved ynetnews pages in the review report.

``align captions --report`` on the four pages of ../shared/data/ynetnews-pages (not in
the repository); the report is opened in headless Chromium (Playwright, Debian's
chromium) and a reviewer who knows the answers (the folder's gold.jsonl) labels it
with the keyboard alone: t / p / d on a row of a labelled image (each moves on), j on
any other row, e to export. Reported: rows, labelled rows, keystrokes, and whether the
export holds exactly the gold labels. ``--screenshot PNG`` keeps a picture of the page.

    python benchmarks/bench_review.py --screenshot /tmp/review.png
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# every run measured cold: no evidence cache (bench_cache.py measures it); subprocesses inherit this
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from bench_real import REAL, labels  # noqa: E402

from align import text as T  # noqa: E402
from align.cli import main as align_main  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def label(report: str, gold: dict, screenshot: str | None) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        page = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True).new_page()
        page.goto("file://" + os.path.abspath(report))
        keys = 0
        rows = page.eval_on_selector_all("#pairs tbody tr", "rows => rows.length")
        while True:
            row = page.evaluate("""() => { const tr = document.querySelector('tr.current');
                if (!tr) return null;
                return {i: +tr.dataset.i, he: tr.querySelector('td[lang=he]').textContent,
                        en: tr.querySelector('td[lang=en]').textContent,
                        page: tr.cells[0].dataset.value,
                        last: !Array.from(document.querySelectorAll('#pairs tbody tr'))
                               .slice(Array.from(document.querySelectorAll('#pairs tbody tr')).indexOf(tr) + 1)
                               .some(r => r.querySelector('button.lab'))}; }""")
            if row is None:
                break
            want = gold.get((os.path.basename(row["page"]), T.clean(row["he"]), T.clean(row["en"])))
            page.keyboard.press(want.lower() if want else "j")
            keys += 1
            if row["last"]:
                break
        with page.expect_download() as info:
            page.keyboard.press("e")
        keys += 1
        exported = [json.loads(line) for line in open(info.value.path(), encoding="utf-8")]
        if screenshot:  # the labelled rows around the middle of the table
            page.evaluate("document.querySelectorAll('#pairs tbody tr')[70].scrollIntoView()")
            page.screenshot(path=screenshot, full_page=False)
        browser.close()
    got = {(os.path.basename(r["doc"]), T.clean(r["he"]), T.clean(r["en"])): r["label"] for r in exported}
    return {"rows": rows, "labelled": len(got), "gold_labels": len(gold),
            "keystrokes": keys, "export_matches_gold": all(gold.get(k) == v for k, v in got.items()),
            "gold_not_in_report": sorted(f"{k[0]}: {k[1]} | {k[2]}" for k in gold if k not in got)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", default=REAL)
    parser.add_argument("--screenshot", metavar="PNG")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.folder):
        print(f"{args.folder} is not here; nothing to measure", file=sys.stderr)
        return 1
    pages = sorted(os.path.join(args.folder, f) for f in os.listdir(args.folder) if f.endswith(".html"))
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "review.html")
        align_main(["captions", *pages, "-o", os.path.join(tmp, "pairs.jsonl"), "--report", report])
        print(json.dumps(label(report, labels(args.folder), args.screenshot), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
