"""Pages in the markup of ynetnews.com (our own text, tests/data/ynet): each image's alt
and title are one unit, menus and page furniture are never captions."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from align.cli import main
from align.detection import detect
from align.inputs.html import parse_html

YNET = Path(__file__).parent / "data" / "ynet"
GOLD = [json.loads(line) for line in (YNET / "gold.jsonl").read_text("utf-8").splitlines()]


def _pairs(capsys, *pages, extra=()):
    assert main(["captions", *map(str, pages), *extra]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _images(page: Path) -> dict[str, tuple[str, str]]:
    """src -> (alt, title without its credit) of every image of a fixture page."""
    import re

    import lxml.html

    root = lxml.html.document_fromstring(page.read_bytes())
    return {img.get("src"): (img.get("alt") or "", re.sub(r"\s*\(Photo:[^)]*\)\s*$", "", img.get("title") or ""))
            for img in root.iter("img")}


def test_fixture_pages_give_their_gold_pairs(capsys):
    rows = _pairs(capsys, *sorted(YNET.glob("*.html")), extra=["--standard", "lenient"])
    found = {(Path(r["doc"]).name, r["he"], r["en"]) for r in rows}
    gold = {(g["doc"], g["he"], g["en"]) for g in GOLD}
    precision, recall = len(found & gold) / len(found), len(found & gold) / len(gold)
    # measured: 8 of 8 gold pairs, no false pair. "IDF forces on the Gaza border" scored
    # 0.485 against its Hebrew alt with the page as context before each image was also
    # judged within itself (issue 19). The strict standard keeps a subset, all said T.
    assert precision >= 0.95 and recall == 1.0, (precision, recall, found ^ gold)
    strict = _pairs(capsys, *sorted(YNET.glob("*.html")))
    assert {(Path(r["doc"]).name, r["he"], r["en"]) for r in strict} <= found
    assert all(r["verdict"] == "T" for r in strict)


def test_every_pair_names_the_image_both_sides_caption(capsys):
    for row in _pairs(capsys, *sorted(YNET.glob("*.html"))):
        images = _images(YNET / Path(row["doc"]).name)
        assert row["image"] in images
        alt, title = images[row["image"]]
        assert row["he"] == alt and row["en"] == title.strip(), row


def test_one_caption_under_two_images_pairs_with_each_images_alt(capsys):
    rows = _pairs(capsys, YNET / "listing.html")
    bennett = {(r["he"], r["image"]) for r in rows if r["en"] == "Prime Minister Naftali Bennett"}
    assert bennett == {("ראש הממשלה נפתלי בנט", "https://images.example/a1_medium.jpg"),
                       ("נפתלי בנט", "https://images.example/a4_medium.jpg")}


def test_no_pair_across_two_images(capsys):
    """ "אנתוני בלינקן" (image 3) shares a name with "Yair Lapid and Antony Blinken"
    (image 2): each pairs within its own image only."""
    rows = _pairs(capsys, YNET / "listing.html", extra=["--threshold", "0.05"])
    for row in rows:
        alt, title = _images(YNET / "listing.html")[row["image"]]
        assert (row["he"], row["en"]) == (alt, title.strip())


FURNITURE = ["עברית", "Español", "Israel News", "Health & Science", "Opinion", "חיפוש", "Weather:",
             "Moran Azulay", "13:21, 04.03.22", "פרסומת", "Sponsored content from our partners",
             "Share on Facebook", "Get the Ynetnews app on your smartphone:",
             "Bennett calls for calm after a week of violence", "All rights reserved"]


@pytest.mark.parametrize("text", FURNITURE)
def test_menus_labels_bylines_dates_links_and_ads_are_never_captions(text):
    doc = parse_html((YNET / "listing.html").read_bytes(), "listing.html")
    captions = {s.text for s in detect(doc) if s.kind == "caption"}
    assert text not in captions


def test_a_language_menu_never_pairs_even_at_a_low_threshold(capsys):
    rows = _pairs(capsys, *sorted(YNET.glob("*.html")), extra=["--threshold", "0.01"])
    texts = {r["he"] for r in rows} | {r["en"] for r in rows}
    assert rows and not {"עברית", "Español"} & texts


def test_an_article_with_english_alt_text_only_gives_no_pair(capsys):
    assert _pairs(capsys, YNET / "article-english-alt.html", extra=["--threshold", "0.01"]) == []


def _evidence(page: Path):
    from align.inputs.sources import iter_items, load
    from align.linking.captions import candidates, evidence
    from align.runs.registry import Settings, scorer_for
    from align.scoring.logodds import calibration

    document = load(next(iter(iter_items([str(page)]))))
    he, en = candidates(detect(document))
    return he, en, evidence(scorer_for(Settings()), he, en, calibration()["layout"]["auto"])


@pytest.mark.parametrize("page", ["listing.html", "article.html"])
def test_an_image_is_also_judged_within_itself_and_never_pulled_below_its_page(page):
    """Issue 19: on a listing page the other thumbnails are other stories. The image
    evidence of one image's alt and title is the pair judged within that image, never
    below its judgement against the page; every other pair keeps the page's."""
    he, en, ev = _evidence(YNET / page)
    same_image = np.array([[bool(h.images & e.images) for e in en] for h in he])
    assert (ev["in_image"] == same_image).all() and same_image.any()
    assert (ev["image"][same_image] >= ev["page"][same_image]).all()
    assert (ev["image"][~same_image] == ev["page"][~same_image]).all()
    assert (ev["image"] > ev["page"] + 0.5).any()  # some pair was pulled down by the page


SHARED_ALT = """<html><body><div class="slotList">
<a href="/article/1"><img src="/i/1.jpg" alt="כוחות צה&quot;ל בגבול רצועת עזה" title="IDF forces on the Gaza border (Photo: IDF)"></a>
<a href="/article/2"><img src="/i/2.jpg" alt="כוחות צה&quot;ל בגבול רצועת עזה" title="Shoppers at a market in Jerusalem before the holiday (Photo: AP)"></a>
<a href="/article/3"><img src="/i/3.jpg" alt="גשם כבד בחיפה" title="Heavy rain in Haifa (Photo: Reuters)"></a>
</div></body></html>"""


def test_an_image_whose_alt_was_paired_under_another_image_is_still_reviewed(tmp_path):
    """One Hebrew alt under two thumbnails: it pairs under the first, and the second
    image still has its own row in the review (an image with no pair made within it)."""
    from align.inputs.sources import iter_items, load
    from align.linking.captions import review
    from align.runs.registry import Settings, scorer_for

    page = tmp_path / "listing.html"
    page.write_text(SHARED_ALT, encoding="utf-8")
    document = load(next(iter(iter_items([str(page)]))))
    pairs, skipped = review(document.doc, detect(document), scorer_for(Settings(standard="lenient")))
    assert {(p.image, p.en) for p in pairs} == {("/i/1.jpg", "IDF forces on the Gaza border"),
                                                ("/i/3.jpg", "Heavy rain in Haifa")}
    assert [(a.image, a.en) for a in skipped] == [("/i/2.jpg", "Shoppers at a market in Jerusalem before the holiday")]
    assert skipped[0].why.startswith("score ")
