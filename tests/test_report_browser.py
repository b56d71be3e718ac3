"""The HTML report in headless Chromium: it renders, Hebrew is RTL, headers sort.

Uses Debian's chromium through Playwright's Python package (no browser download).
Skipped where either is missing, except when ALIGN_REQUIRE_BROWSER=1 (CI sets it).
"""
import os
import shutil

import pytest

from align.check import Checked, summary
from align.corpus import Pair
from align.report import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _browser_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or CHROMIUM is None:
        if os.environ.get("ALIGN_REQUIRE_BROWSER") == "1":
            pytest.fail("ALIGN_REQUIRE_BROWSER=1 but playwright or chromium is missing")
        pytest.skip("needs playwright and Debian's chromium (apt-get install chromium)")
    return sync_playwright


def _items():
    rows = [("הוא נענש על פשעיו.", "He was punished for his crimes.", 0.97, []),
            ("יש לי 3 ילדים", "I have 4 children", 0.91, ["number_mismatch"]),
            ("תום הראה למרי תמונה.", "It might rain tomorrow.", 0.02, ["misaligned"]),
            ("שנים סבלה אמי מחרדת טיסה.", "For years, my mother has had a fear of flying.", 0.64, [])]
    items = []
    for row, (he, en, score, flags) in enumerate(rows, start=1):
        item = Checked(row, Pair("x", he, en, 0.0), score)
        for flag in flags:
            item.flag(flag, f"reason for {flag}")
        items.append(item)
    return items


def test_report_in_chromium(tmp_path):
    sync_playwright = _browser_or_skip()
    items = _items()
    path = tmp_path / "report.html"
    path.write_text(render(items, summary(items), {"tool": "align", "version": "test"}, "report"),
                    encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        page.goto(path.as_uri())
        assert page.title() == "report"
        directions = page.eval_on_selector_all("td[lang=he]", "cells => cells.map(c => getComputedStyle(c).direction)")
        assert directions == ["rtl"] * 4
        assert page.eval_on_selector("td[lang=en]", "c => getComputedStyle(c).direction") == "ltr"
        assert page.locator("svg rect").count() == 20
        assert page.locator("tr.flagged").count() == 2

        def scores():
            return [float(v) for v in page.eval_on_selector_all(
                "#pairs tbody tr", "rows => rows.map(r => r.cells[1].dataset.value)")]

        assert scores() == [0.97, 0.91, 0.02, 0.64]
        page.click("#pairs th:nth-child(2)")
        assert scores() == sorted(scores()) == [0.02, 0.64, 0.91, 0.97]
        page.click("#pairs th:nth-child(2)")
        assert scores() == [0.97, 0.91, 0.64, 0.02]
        page.click("#pairs th:nth-child(1)")  # back to row order
        assert [int(v) for v in page.eval_on_selector_all(
            "#pairs tbody tr", "rows => rows.map(r => r.cells[0].dataset.value)")] == [1, 2, 3, 4]
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert shot.stat().st_size > 10_000
    if os.environ.get("ALIGN_SCREENSHOT"):
        shutil.copy(shot, os.environ["ALIGN_SCREENSHOT"])


def test_captions_report_in_chromium(tmp_path, capsys):
    """``align captions --report`` on the ynetnews-style fixtures: one row per pair and
    per image that gave none (its alt and title side by side, score and why)."""
    from pathlib import Path

    from align.cli import main

    sync_playwright = _browser_or_skip()
    pages = sorted((Path(__file__).parent / "data" / "ynet").glob("*.html"))
    path = tmp_path / "captions.html"
    assert main(["captions", *map(str, pages), "-o", str(tmp_path / "pairs.jsonl"), "--report", str(path)]) == 0
    pairs = (tmp_path / "pairs.jsonl").read_text("utf-8").splitlines()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(path.as_uri())
        assert page.title().startswith("align captions: ")
        rows = page.locator("#pairs tbody tr")
        abstained = page.locator("#pairs tbody tr.abstained")
        assert rows.count() - abstained.count() == len(pairs) == 7
        # article.html: two images under the threshold; no Hebrew caption: the two images
        # of article-english-alt.html and the site logo of listing.html
        whys = page.eval_on_selector_all("tr.abstained td.why div", "ds => ds.map(d => d.textContent)")
        assert sum(w.startswith("score ") for w in whys) == 2 and whys.count("no Hebrew caption") == 3
        he = page.eval_on_selector_all("td[lang=he]", "cells => cells.filter(c => c.textContent)"
                                                      ".map(c => getComputedStyle(c).direction)")
        assert he and set(he) == {"rtl"}
        page.click("#pairs th:nth-child(4)")  # by score, ascending; abstentions without one first
        values = [float(v) for v in page.eval_on_selector_all(
            "#pairs tbody tr", "rows => rows.map(r => r.cells[3].dataset.value)")]
        assert values == sorted(values)
        shot = tmp_path / "captions.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert shot.stat().st_size > 10_000
    if os.environ.get("ALIGN_SCREENSHOT"):
        shutil.copy(shot, os.environ["ALIGN_SCREENSHOT"].replace(".png", "-captions.png"))
