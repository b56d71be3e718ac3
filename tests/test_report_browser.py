"""The HTML reports in headless Chromium: they render, Hebrew is RTL, headers sort, and
each is a review page: label by keyboard and mouse, undo, filter, search, export,
reload (decisions kept), load labels back, hostile captions stay text.

Uses Debian's chromium through Playwright's Python package (no browser download).
Skipped where either is missing, except when ALIGN_REQUIRE_BROWSER=1 (CI sets it).
"""
import json
import os
import shutil
from pathlib import Path

import pytest

from align.records import Pair
from align.review.check import Checked, summary
from align.review.report import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE_HE = 'שלום </script><script>window.pwned = 1</script>'
HOSTILE_EN = 'He said "hi" </td></tr><b id="injected">bold</b> & <img src=x onerror="window.pwned=2">'


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


def _items(extra=()):
    rows = [("הוא נענש על פשעיו.", "He was punished for his crimes.", 0.97, []),
            ("יש לי 3 ילדים", "I have 4 children", 0.91, ["number_mismatch"]),
            ("תום הראה למרי תמונה.", "It might rain tomorrow.", 0.02, ["misaligned"]),
            ("שנים סבלה אמי מחרדת טיסה.", "For years, my mother has had a fear of flying.", 0.64, []),
            *extra]
    items = []
    for row, (he, en, score, flags) in enumerate(rows, start=1):
        item = Checked(row, Pair("corpus.tsv", he, en, 0.0), score)
        for flag in flags:
            item.flag(flag, f"reason for {flag}")
        items.append(item)
    return items


def _write_check_report(path, items):
    path.write_text(render(items, summary(items), {"tool": "align", "version": "test"}, "report"),
                    encoding="utf-8")


@pytest.fixture
def chromium():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        errors = []

        def open_page(path, width=1100):
            context = browser.new_context(viewport={"width": width, "height": 800}, accept_downloads=True)
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
            page.goto(Path(path).as_uri())
            return page

        yield open_page
        browser.close()
        assert errors == []


def _labels(page):
    """Each row's label, in table order (\"\" for none)."""
    return page.eval_on_selector_all("#pairs tbody tr", "rows => rows.map(r => r.dataset.label || '')")


def _counts(page):
    return page.inner_text("#counts")


def test_report_in_chromium(tmp_path, chromium):
    path = tmp_path / "report.html"
    _write_check_report(path, _items())
    page = chromium(path)
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
    assert shot.stat().st_size > 10_000
    if os.environ.get("ALIGN_SCREENSHOT"):
        shutil.copy(shot, os.environ["ALIGN_SCREENSHOT"])


def test_label_by_keyboard_undo_export_and_reload(tmp_path, chromium):
    path = tmp_path / "report.html"
    _write_check_report(path, _items())
    page = chromium(path)
    assert "labelled 0 of 4" in _counts(page)
    assert page.locator("tr.current").count() == 1  # the first row is selected on load
    for key in "tpd":  # each label moves on to the next row
        page.keyboard.press(key)
    assert _labels(page) == ["T", "P", "D", ""]
    page.keyboard.press("u")  # undo the D, and back to its row
    assert _labels(page) == ["T", "P", "", ""]
    page.keyboard.press("j")
    page.keyboard.press("t")
    assert _labels(page) == ["T", "P", "", "T"]
    page.keyboard.press("k")
    page.keyboard.press("k")
    page.keyboard.press("x")  # clears row 2's label
    assert _labels(page) == ["T", "", "", "T"]
    page.click("#pairs tbody tr:nth-child(3) button[data-label=D]")  # the mouse too
    assert _labels(page) == ["T", "", "D", "T"]
    assert "labelled 3 of 4 pairs (T 2 · P 0 · D 1)" in _counts(page)
    with page.expect_download() as info:
        page.click("#export")
    exported = [json.loads(line) for line in Path(info.value.path()).read_text("utf-8").splitlines()]
    assert info.value.suggested_filename == "check-labels.jsonl"
    assert [(r["he"], r["en"], r["label"], r["doc"], r["score"]) for r in exported] == [
        ("הוא נענש על פשעיו.", "He was punished for his crimes.", "T", "corpus.tsv", 0.97),
        ("תום הראה למרי תמונה.", "It might rain tomorrow.", "D", "corpus.tsv", 0.02),
        ("שנים סבלה אמי מחרדת טיסה.", "For years, my mother has had a fear of flying.", "T", "corpus.tsv", 0.64)]
    page.reload()  # decisions persist in the browser, keyed by the run's signature
    assert _labels(page) == ["T", "", "D", "T"]
    assert "labelled 3 of 4" in _counts(page)


def test_filters_and_search(tmp_path, chromium):
    path = tmp_path / "report.html"
    _write_check_report(path, _items())
    page = chromium(path)

    def shown():
        return page.eval_on_selector_all("#pairs tbody tr:not([hidden])", "rows => rows.map(r => +r.cells[0].dataset.value)")

    page.select_option("#filter-flag", "misaligned")
    assert shown() == [3]
    page.select_option("#filter-flag", "good")
    assert shown() == [1, 4]
    page.select_option("#filter-flag", "")
    page.fill("#score-min", "0.5")
    page.fill("#score-max", "0.95")
    assert shown() == [2, 4]
    page.fill("#score-min", "")
    page.fill("#score-max", "")
    page.keyboard.press("Escape")  # out of the score box: keys are commands again
    page.keyboard.press("/")  # the search box takes the keys until Escape
    page.keyboard.type("אמי")
    assert shown() == [4]
    page.keyboard.press("Escape")
    page.keyboard.press("t")  # labels the only row shown
    page.fill("#search", "children")
    assert shown() == [2]
    page.fill("#search", "")
    page.select_option("#filter-label", "T")
    assert shown() == [4]
    page.select_option("#filter-label", "none")
    assert shown() == [1, 2, 3]
    assert "showing 3 of 4 rows" in _counts(page)


def test_labels_file_loads_back(tmp_path, chromium):
    path = tmp_path / "report.html"
    _write_check_report(path, _items())
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join([
        json.dumps({"he": "יש לי 3 ילדים", "en": "I have 4 children", "label": "D", "doc": "corpus.tsv"},
                   ensure_ascii=False),
        json.dumps({"he": "תום הראה למרי תמונה.", "en": "It might rain tomorrow.", "label": "p"},
                   ensure_ascii=False),
        json.dumps({"he": "לא בדוח", "en": "Not in this report", "label": "T"}),
        "not json"]) + "\n", encoding="utf-8")
    page = chromium(path)
    page.set_input_files("#import", str(labels))
    page.wait_for_function("document.getElementById('review-note').textContent.startsWith('loaded')")
    assert _labels(page) == ["", "D", "P", ""]
    assert page.inner_text("#review-note") == ("loaded 2 labels; 1 are not rows of this report; "
                                               "1 lines were not labels")


def test_hostile_captions_stay_text(tmp_path, chromium):
    path = tmp_path / "report.html"
    _write_check_report(path, _items([(HOSTILE_HE, HOSTILE_EN, 0.5, [])]))
    page = chromium(path)
    assert page.evaluate("window.pwned") is None
    assert page.locator("#injected").count() == 0
    assert page.locator("#pairs tbody tr").count() == 5
    cells = page.eval_on_selector_all("#pairs tbody tr:last-child td", "tds => tds.map(t => t.textContent)")
    assert HOSTILE_HE in cells and HOSTILE_EN in cells
    page.keyboard.press("k")  # from the first row up: stays; go to the last with j
    for _ in range(4):
        page.keyboard.press("j")
    page.keyboard.press("t")
    with page.expect_download() as info:
        page.keyboard.press("e")
    exported = [json.loads(line) for line in Path(info.value.path()).read_text("utf-8").splitlines()]
    assert [(r["he"], r["en"]) for r in exported] == [(HOSTILE_HE, HOSTILE_EN)]


def test_captions_report_in_chromium(tmp_path, chromium):
    """``align captions --report`` on the ynetnews-style fixtures: one row per pair and
    per image that gave none (its alt and title side by side, score and why), rows
    with both sides labelled, and the export names each pair's page and image."""
    from align.cli import main

    pages = sorted((Path(__file__).parent / "data" / "ynet").glob("*.html"))
    path = tmp_path / "captions.html"
    assert main(["captions", *map(str, pages), "-o", str(tmp_path / "pairs.jsonl"), "--report", str(path),
                 "--standard", "lenient"]) == 0
    pairs = [json.loads(line) for line in (tmp_path / "pairs.jsonl").read_text("utf-8").splitlines()]
    page = chromium(path, width=1300)
    assert page.title().startswith("align captions: ")
    rows = page.locator("#pairs tbody tr")
    abstained = page.locator("#pairs tbody tr.abstained")
    assert rows.count() - abstained.count() == len(pairs) == 8
    # article.html: an image under the threshold; no Hebrew caption: the two images of
    # article-english-alt.html and the site logo of listing.html
    whys = page.eval_on_selector_all("tr.abstained td.why div", "ds => ds.map(d => d.textContent)")
    assert sum(w.startswith("score ") for w in whys) == 1 and whys.count("no Hebrew caption") == 3
    he = page.eval_on_selector_all("td[lang=he]", "cells => cells.filter(c => c.textContent)"
                                                  ".map(c => getComputedStyle(c).direction)")
    assert he and set(he) == {"rtl"}
    assert "labelled 0 of 9" in _counts(page)  # 8 pairs and the image under the threshold
    page.select_option("#filter-flag", "no pair")
    assert page.locator("#pairs tbody tr:not([hidden])").count() == 4
    page.keyboard.press("d")  # the only row of those with both sides: the one under the threshold
    page.select_option("#filter-flag", "")
    with page.expect_download() as info:
        page.click("#export")
    exported = [json.loads(line) for line in Path(info.value.path()).read_text("utf-8").splitlines()]
    assert len(exported) == 1 and exported[0]["label"] == "D"
    assert exported[0]["doc"].endswith("article.html") and exported[0]["image"].startswith("https://images.example/")
    page.click("#pairs th:nth-child(4)")  # by score, ascending; abstentions without one first
    values = [float(v) for v in page.eval_on_selector_all(
        "#pairs tbody tr", "rows => rows.map(r => r.cells[3].dataset.value)")]
    assert values == sorted(values)
    # the words with no counterpart are marked on both sides, and rows sort by coverage
    marked = page.eval_on_selector_all("mark.uncovered", "ms => ms.map(m => m.closest('td').lang)")
    assert {"he", "en"} <= set(marked)
    page.click("#pairs th:nth-child(5)")
    shares = [float(v) for v in page.eval_on_selector_all(
        "#pairs tbody tr", "rows => rows.map(r => r.cells[4].dataset.value)")]
    assert shares == sorted(shares) and shares[-1] == 1.0
    shot = tmp_path / "captions.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("ALIGN_SCREENSHOT"):
        shutil.copy(shot, os.environ["ALIGN_SCREENSHOT"].replace(".png", "-captions.png"))


def test_one_pair_on_two_rows_has_one_label_everywhere(tmp_path, chromium):
    """A caption pair shown under two images (two rows, same page and texts) is one pair:
    labelling either row labels both, the counts and the export hold it once."""
    twice = [Checked(k, Pair("page.html", "מליאת הכנסת", "The Knesset plenum", 0.0, image=f"img/{k}.jpg"), 0.9)
             for k in (1, 2)]
    other = Checked(3, Pair("page.html", "יואב גלנט", "Yoav Gallant", 0.0, image="img/3.jpg"), 0.95)
    path = tmp_path / "report.html"
    path.write_text(render([*twice, other], summary([*twice, other]), {"tool": "align", "version": "test"}, "r"),
                    encoding="utf-8")
    page = chromium(path)
    assert "labelled 0 of 2 pairs" in _counts(page)
    page.keyboard.press("p")  # the first row
    assert _labels(page) == ["P", "P", ""]
    assert "labelled 1 of 2 pairs (T 0 · P 1 · D 0)" in _counts(page)
    page.click("#pairs tbody tr:nth-child(2) button[data-label=T]")  # the other row of the same pair
    assert _labels(page) == ["T", "T", ""]
    page.keyboard.press("u")
    assert _labels(page) == ["P", "P", ""]
    with page.expect_download() as info:
        page.click("#export")
    exported = [json.loads(line) for line in Path(info.value.path()).read_text("utf-8").splitlines()]
    assert [(r["he"], r["label"]) for r in exported] == [("מליאת הכנסת", "P")]


def test_labels_stored_by_an_older_page_are_kept(tmp_path, chromium):
    """Pages before 0.12 keyed a stored label by page, image and texts; they come back."""
    path = tmp_path / "report.html"
    _write_check_report(path, _items())
    page = chromium(path)
    store = page.evaluate("JSON.parse(document.getElementById('review-data').textContent).store")
    old_key = json.dumps(["corpus.tsv", "", "יש לי 3 ילדים", "I have 4 children"], ensure_ascii=False,
                         separators=(",", ":"))
    page.evaluate("([store, key]) => localStorage.setItem(store, JSON.stringify({[key]: 'D'}))", [store, old_key])
    page.reload()
    assert _labels(page) == ["", "D", "", ""]


def _many_items(n=60, extra=()):
    rows = [(f"משפט מספר {k} בעברית", f"Sentence number {k} in English", 0.5 + (k % 7) / 20, []) for k in range(n)]
    return _items([*rows, *extra])


def test_a_long_word_wraps_and_keeps_the_buttons_on_screen(tmp_path, chromium):
    path = tmp_path / "report.html"
    _write_check_report(path, _items([("מילה" * 75, "word" * 75, 0.5, [])]))
    page = chromium(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1100
    assert page.eval_on_selector_all("td.num", "cells => cells.every(c => c.scrollWidth <= c.clientWidth)")
    right = page.evaluate("Math.max(...[...document.querySelectorAll('button.lab')]"
                          ".map(b => b.getBoundingClientRect().right))")
    assert right <= 1100


def test_the_cursor_is_the_focused_row_and_stays_below_the_toolbar(tmp_path, chromium):
    path = tmp_path / "report.html"
    _write_check_report(path, _many_items())
    page = chromium(path)

    def placed():
        return page.evaluate("""() => {
            const tr = document.querySelector('tr.current');
            const bar = document.querySelector('.toolbar').getBoundingClientRect().bottom;
            const box = tr.getBoundingClientRect();
            return {below: box.top >= bar - 1, inside: box.bottom <= window.innerHeight + 1,
                    focused: document.activeElement === tr, selected: tr.getAttribute('aria-selected'),
                    others: document.querySelectorAll('tbody tr[aria-selected=true]').length,
                    tabstops: document.querySelectorAll('tbody tr[tabindex="0"]').length};
        }""")

    for key in ["j"] * 45 + ["k"] * 45:
        page.keyboard.press(key)
        where = placed()
        assert where == {"below": True, "inside": True, "focused": True, "selected": "true", "others": 1,
                         "tabstops": 1}, key
    page.focus("#pairs tbody tr:nth-child(7) button[data-label=T]")  # Tab lands on row 7's buttons
    page.keyboard.press("p")
    assert _labels(page)[6] == "P" and _labels(page)[4] == ""


def test_sorting_by_keyboard_says_its_order(tmp_path, chromium):
    path = tmp_path / "report.html"
    _write_check_report(path, _items())
    page = chromium(path)
    score = "#pairs th:nth-child(2)"
    assert page.get_attribute(score, "aria-sort") == "none"
    page.focus(f"{score} button")
    page.keyboard.press("Enter")
    assert page.get_attribute(score, "aria-sort") == "ascending"
    values = page.eval_on_selector_all("#pairs tbody tr", "rows => rows.map(r => +r.cells[1].dataset.value)")
    assert values == sorted(values)
    page.keyboard.press("Enter")
    assert page.get_attribute(score, "aria-sort") == "descending"
    assert page.get_attribute("#pairs th:nth-child(1)", "aria-sort") == "none"


def test_the_page_names_its_standard_and_says_when_labels_are_restored(tmp_path, chromium):
    path = tmp_path / "report.html"
    _write_check_report(path, _items())
    page = chromium(path)
    assert page.inner_text("#standard").startswith("Standard: built-in strict")
    page.keyboard.press("t")
    page.reload()
    assert "restored 1 label kept in this browser" in page.inner_text("#review-note")
    reviewed = tmp_path / "reviewed.html"
    signature = {"tool": "align", "standard": "strict", "calibrated": "abc123def456",
                 "calibrated_labels": "T 20 P 66 D 6"}
    reviewed.write_text(render(_items(), summary(_items()), signature, "r", "my-cal.json"), encoding="utf-8")
    header = chromium(reviewed).inner_text("#standard")
    assert "a reviewer's strict standard from my-cal.json, id abc123def456, learnt from labels T 20 P 66 D 6" in header


def test_each_image_is_a_lazy_thumbnail_linking_to_its_whole_url(tmp_path, chromium):
    from align.review.report import render_captions

    (tmp_path / "pages" / "img").mkdir(parents=True)
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")
    (tmp_path / "pages" / "img" / "a_large.png").write_bytes(png)
    page_file = str(tmp_path / "pages" / "p.html")
    rows = [{"doc": page_file, "status": "paired", "image": src, "score": 0.9, "he": f"כיתוב {k}",
             "en": f"Caption {k}", "line": 3, "why": "within its image"}
            for k, src in enumerate(["img/a_large.png", "img/a_medium_and_a_very_long_name_indeed.png"])]
    path = tmp_path / "captions.html"
    path.write_text(render_captions(rows, {"tool": "align", "standard": "strict"}, "c"), encoding="utf-8")
    page = chromium(path)
    images = page.eval_on_selector_all("td.image img", "imgs => imgs.map(i => [i.loading, i.getAttribute('src')])")
    assert [loading for loading, _ in images] == ["lazy", "lazy"]
    assert images[0][1] == (tmp_path / "pages" / "img" / "a_large.png").as_uri()
    urls = page.eval_on_selector_all("td.image a.url", "links => links.map(a => [a.textContent, a.title, a.href])")
    assert urls == [["a_large.png", "img/a_large.png", images[0][1]],  # the name whole, not cut
                    ["a_medium_and_a_very_long_name_indeed.png", "img/a_medium_and_a_very_long_name_indeed.png",
                     (tmp_path / "pages" / "img" / "a_medium_and_a_very_long_name_indeed.png").as_uri()]]
    page.wait_for_function("document.querySelector('td.image img').naturalWidth === 1")


def _attached(page):
    """The row numbers of the rows in the table now (a long report keeps only those near the view)."""
    return page.eval_on_selector_all("#pairs tbody tr[data-i]", "rows => rows.map(r => +r.cells[0].dataset.value)")


def test_a_long_report_keeps_only_the_rows_near_the_view_and_works_the_same(tmp_path, chromium):
    path = tmp_path / "report.html"
    items = _many_items(1500)
    _write_check_report(path, items)
    page = chromium(path)
    shown = _attached(page)
    assert 10 < len(shown) < 300 and shown == list(range(1, len(shown) + 1))
    assert "showing 1504 of 1504 rows · labelled 0 of 1504 pairs" in _counts(page)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the far end comes into the table
    page.wait_for_function("[...document.querySelectorAll('#pairs tbody tr[data-i]')]"
                           ".some(r => +r.cells[0].dataset.value === 1504)")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("[...document.querySelectorAll('#pairs tbody tr[data-i]')]"
                           ".some(r => +r.cells[0].dataset.value === 1)")
    page.focus("#pairs th:nth-child(2) button")
    page.keyboard.press("Enter")  # sort by score, over every row, not those attached
    scores = page.eval_on_selector_all("#pairs tbody tr[data-i]", "rows => rows.map(r => +r.cells[1].dataset.value)")
    assert scores == sorted(scores) and scores[0] == min(it.score for it in items)
    page.fill("#search", "number 1234 in")  # far down the list: found, attached, counted
    assert _attached(page) == [1234 + 4 + 1]  # _items puts four rows first
    assert "showing 1 of 1504 rows" in _counts(page)
    page.keyboard.press("Enter")  # out of the search box: the keys are the page's again
    page.keyboard.press("j")
    page.keyboard.press("t")
    assert "labelled 1 of 1504 pairs (T 1" in _counts(page)
    page.focus("#search")
    page.keyboard.press("Escape")  # leaves the box and keeps the search (Chromium would empty it unseen)
    assert page.input_value("#search") == "number 1234 in" and "showing 1 of 1504 rows" in _counts(page)
    page.fill("#search", "")
    page.keyboard.press("Escape")
    assert "showing 1504 of 1504 rows" in _counts(page)
    for _ in range(120):  # walk past the rows first attached: each is brought in and focused
        page.keyboard.press("j")
    placed = page.evaluate("""() => { const tr = document.querySelector('tr.current'), box = tr.getBoundingClientRect();
        return [document.activeElement === tr, box.top >= document.querySelector('.toolbar').getBoundingClientRect()
                .bottom - 1, box.bottom <= window.innerHeight + 1, +tr.cells[0].dataset.value]; }""")
    by_score = sorted(range(len(items)), key=lambda i: (float(f"{items[i].score:.6f}"), i))  # the order shown
    assert placed == [True, True, True, items[by_score[by_score.index(1238) + 120]].row]
    assert page.locator("tr.current").count() == 1
    with page.expect_download() as info:
        page.click("#export")
    exported = [json.loads(line) for line in Path(info.value.path()).read_text("utf-8").splitlines()]
    assert [(r["en"], r["label"]) for r in exported] == [("Sentence number 1234 in English", "T")]


def test_without_scripts_the_rows_are_still_shown(tmp_path):
    sync_playwright = _browser_or_skip()
    path = tmp_path / "report.html"
    _write_check_report(path, _items())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(path.as_uri())
        assert page.eval_on_selector("#pairs tbody", "b => getComputedStyle(b).display") == "table-row-group"
        assert page.locator("#pairs tbody tr").count() == 4 and page.is_visible("#pairs tbody tr")
        browser.close()
