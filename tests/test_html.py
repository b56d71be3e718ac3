"""HTML pages: text and caption attributes in, scripts and navigation out, elements kept."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from align.cli import main
from align.detection import detect
from align.errors import InputError
from align.inputs.html import parse_html
from align.inputs.sources import iter_items, load

HTML = Path(__file__).parent / "data" / "html"
PAGES = sorted(HTML.glob("*.html"))


def _gold():
    rows = [json.loads(line) for line in (HTML / "gold.jsonl").read_text("utf-8").splitlines()]
    return {(r["doc"], r["he"], r["en"]) for r in rows}


def _run(capsys, *args):
    status = main(["captions", *map(str, args)])
    out = capsys.readouterr()
    return status, [json.loads(line) for line in out.out.splitlines()], out.err


def test_fixture_pages_give_their_gold_pairs(capsys):
    """The captions that belong together, found leniently (some are partial translations,
    and the strict standard also doubts short ones whose words its lexicon lacks)."""
    status, rows, _ = _run(capsys, *PAGES, "--standard", "lenient")
    found = {(Path(r["doc"]).name, r["he"], r["en"]) for r in rows}
    gold = _gold()
    precision = len(found & gold) / len(found)
    recall = len(found & gold) / len(gold)
    assert status == 0
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, found ^ gold)


def test_pairs_name_their_elements_and_source_lines(capsys):
    page = HTML / "news-gallery.html"
    _, rows, _ = _run(capsys, page, "--standard", "lenient")
    source = page.read_text("utf-8").splitlines()
    assert {r["he_element"] for r in rows} == {"img@alt"}
    assert {r["en_element"] for r in rows} == {"figcaption", "div"}
    for r in rows:
        assert r["he"] in source[r["he_line"] - 1]
        assert r["en"] in source[r["en_line"] - 1]


NEVER_TEXT = ["כיתוב בתוך סקריפט", "טקסט שאסור לקרוא", "Hidden text", "צילום", "תיאור בתגית מטא",
              "חדשות", "World", "ספורט", "חיפוש", "חפש", "Fires near Beit Shemesh |", "pageCaption"]


@pytest.mark.parametrize("text", NEVER_TEXT)
def test_scripts_styles_navigation_head_and_forms_are_never_text(text):
    document = load(next(iter_items([str(HTML / "news-gallery.html")])))
    assert not any(text in line for line in document.lines)


@pytest.mark.parametrize("page, text", [
    ("lightbox.html", "כיתוב בתבנית"),    # <template>
    ("distractors.html", "הודעה מוסתרת"),  # hidden
])
def test_templates_and_hidden_elements_are_never_text(page, text):
    document = load(next(iter_items([str(HTML / page)])))
    assert not any(text in line for line in document.lines)


def test_credit_spans_are_credits_not_caption_text():
    document = load(next(iter_items([str(HTML / "news-gallery.html")])))
    segments = detect(document)
    credits = {s.text for s in segments if s.kind == "credit"}
    captions = {s.text for s in segments if s.kind == "caption"}
    assert {"(Photo: GPO)", "Photo: Fire and Rescue Services", "(Photo: Shaul Golan)"} <= credits
    assert "The prime minister meets the president in Jerusalem" in captions


def test_alt_and_figcaption_of_one_figure_share_a_block_and_other_figures_do_not():
    document = load(next(iter_items([str(HTML / "news-gallery.html")])))
    caps = {s.text: s for s in detect(document) if s.kind == "caption"}
    alt = caps["ראש הממשלה נפגש עם נשיא המדינה בירושלים"]
    assert alt.blocks & caps["The prime minister meets the president in Jerusalem"].blocks
    assert not alt.blocks & caps["Firefighters battle a blaze near Beit Shemesh"].blocks


def test_repeated_alt_text_collapses_into_one_segment_with_every_line():
    document = load(next(iter_items([str(HTML / "news-gallery.html")])))
    alts = [s for s in detect(document) if s.text == "ראש הממשלה נפגש עם נשיא המדינה בירושלים"]
    assert len(alts) == 1
    # the <noscript> copy is skipped; the title attribute of a slide repeats its alt
    slide = [s for s in detect(document) if s.text == "לוחמי כיבוי אש נאבקים בשריפה ליד בית שמש"]
    assert len(slide) == 1 and len(slide[0].lines) == 2


@pytest.mark.parametrize("charset, declared", [("windows-1255", None), ("utf-8", None),
                                              ("windows-1255", "windows-1255")])
def test_page_charset_from_meta_or_source(charset, declared):
    text = "<html><body><p>שר האוצר מציג את התקציב</p></body></html>"
    if declared is None and charset != "utf-8":
        text = text.replace("<html>", f'<html><head><meta charset="{charset}"></head>')
    document = parse_html(text.encode(charset), "page.html", declared)
    assert document.lines == ["שר האוצר מציג את התקציב"]


def test_binary_file_named_html_is_refused_by_name(tmp_path):
    bad = tmp_path / "photo.html"
    bad.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 10)
    with pytest.raises(InputError, match="photo.html: looks like a binary file"):
        load(next(iter_items([str(bad)])))


@pytest.mark.parametrize("markup, expected", [
    ("<p>one <b>two</b> three</p>", ["one two three"]),
    ("<div>a<br>b</div>", ["a", "b"]),
    ("<ul><li>x</li><li>y</li></ul>", ["x", "y"]),
    ('<img alt="  ">', []),
    ("", []),
])
def test_blocks_become_lines(markup, expected):
    assert parse_html(f"<html><body>{markup}</body></html>".encode(), "p").lines == expected


def test_html_nested_beyond_the_parser_limit_is_refused_not_cut_silently():
    deep = ("<div>" * 400 + "<p>deep text</p>" + "</div>" * 400).encode()
    with pytest.raises(InputError, match="deep.html: HTML nested deeper than the parser reads"):
        parse_html(deep, "deep.html")


def test_an_unknown_charset_in_the_http_header_falls_back_to_the_page():
    document = parse_html("<p>שלום</p>".encode(), "page.html", "x-no-such-charset")
    assert document.lines == ["שלום"]


GENERATED = Path(__file__).parent / "data" / "htmlpages"  # benchmarks/html_pages.py, fixture slice


@pytest.mark.slow
@pytest.mark.parametrize("standard, floor", [("lenient", 0.93), ("strict", 0.8)])
def test_floor_on_generated_html_pages_in_all_seven_layouts(capsys, standard, floor):
    """Measured (issue 27): lenient 44 of 45 gold pairs, nothing else; strict 38 of 45,
    nothing else (Tatoeba sentences with a word the lexicon lacks are doubted)."""
    from align.text import clean

    _, rows, _ = _run(capsys, *sorted(GENERATED.glob("*.html")), "--standard", standard)
    found = {(Path(r["doc"]).name, r["he"], r["en"]) for r in rows}
    gold = {(r["doc"], clean(r["he"]), clean(r["en"])) for r in
            map(json.loads, (GENERATED / "gold.jsonl").read_text("utf-8").splitlines())}
    tp = len(found & gold)
    assert tp / len(found) >= 0.95 and tp / len(gold) >= floor, (tp, len(found), len(gold))


def test_slide_alt_text_and_the_gallery_caption_list_share_a_block():
    html = ('<div class="gallery"><div class="swiper-slide"><img alt="תום היה אביון."></div>'
            '<ol class="gallery-captions"><li>Tom was poor.</li></ol></div>'
            '<figure><img alt="x"><figcaption>Another photo</figcaption></figure>').encode()
    caps = {s.text: s for s in detect(parse_html(html, "g.html")) if s.kind == "caption"}
    assert caps["תום היה אביון."].blocks & caps["Tom was poor."].blocks
    assert not caps["תום היה אביון."].blocks & caps["Another photo"].blocks


def test_hebrew_in_json_ld_scripts_is_never_a_caption():
    for page in sorted(GENERATED.glob("*.html"))[:5]:
        text = page.read_text("utf-8")
        script = json.loads(text.split('<script type="application/ld+json">')[1].split("</script>")[0])
        decoys = {image["caption"] for image in script["image"]}
        body = text.split("</script>", 1)[1]
        lines = set(load(next(iter_items([str(page)]))).lines)
        assert decoys and not {d for d in decoys if d not in body} & lines


@pytest.mark.parametrize("tag", ["body", "article", "main", "section"])
def test_a_page_level_element_with_a_gallery_class_is_not_a_figure(tag):
    page = (f'<html><body><{tag} class="post single-format-gallery">'
            "<h2>Budget passes</h2><p>Short line.</p>"
            '<figure><img alt="הכנסת"><figcaption>The Knesset</figcaption></figure>'
            f"</{tag}></body></html>").encode()
    document = parse_html(page, "p.html")
    roles = {line: origin.role for line, origin in zip(document.lines, document.origins)}
    assert roles["Budget passes"] == "text" and roles["Short line."] == "text"
    assert roles["The Knesset"] == "caption"


def test_an_image_is_a_unit_without_a_figure_and_lines_carry_its_src():
    page = (b'<html><body><div class="slot"><a href="/a"><div class="imageView">'
            b'<img src="/p/1.jpg" alt="\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d" title="Hello (Photo: AP)"></div></a></div>'
            b'<div class="slot"><img data-src="/p/2.jpg" src="data:image/gif;base64,R0lGOD" alt="x" title="y"></div>'
            b'</body></html>')
    doc = parse_html(page, "p.html")
    origins = dict(zip(doc.lines, doc.origins))
    assert origins["שלום"].groups == origins["Hello (Photo: AP)"].groups != ()
    assert origins["שלום"].image == "/p/1.jpg"
    assert origins["x"].image == "/p/2.jpg"  # the lazy-loading source, not the data: URI
    assert origins["x"].groups != origins["שלום"].groups


@pytest.mark.parametrize("markup, gone", [
    ('<ul><li><a href="/1">Israel News</a></li><li><a href="/2">World</a></li>'
     '<li><a href="/he">\u05e2\u05d1\u05e8\u05d9\u05ea</a></li></ul><p>Body text stays.</p>', ["Israel News", "\u05e2\u05d1\u05e8\u05d9\u05ea"]),
    ('<div class="main-menu"><div>Opinion</div></div><p>Body text stays.</p>', ["Opinion"]),
    ('<div class="share-bar"><span>Share</span></div><p>Body text stays.</p>', ["Share"]),
    ('<div id="ad_300x250"><div>\u05e4\u05e8\u05e1\u05d5\u05de\u05ea</div></div><p>Body text stays.</p>', ["\u05e4\u05e8\u05e1\u05d5\u05de\u05ea"]),
    ('<input type="image" alt="\u05d7\u05d9\u05e4\u05d5\u05e9" src="/s.png"><p>Body text stays.</p>', ["\u05d7\u05d9\u05e4\u05d5\u05e9"]),
])
def test_menus_share_bars_ad_slots_and_form_images_are_never_text(markup, gone):
    doc = parse_html(f"<html><body>{markup}</body></html>".encode(), "m.html")
    assert "Body text stays." in doc.lines
    assert not set(gone) & set(doc.lines)


def test_a_block_of_link_text_is_a_link_not_a_caption():
    doc = parse_html(b'<html><body><figure><img src="/a.jpg" alt="a"></figure>'
                     b'<div class="slotTitle"><a href="/x">Bennett calls for calm</a></div></body></html>', "l.html")
    roles = dict(zip(doc.lines, (o.role for o in doc.origins)))
    assert roles["Bennett calls for calm"] == "link"


def test_a_caption_under_several_images_names_the_same_image_whatever_the_hash_seed(tmp_path):
    # One alt and one title under three photos on one line: the pair is made once per
    # image unit, and which image it names must not follow a set's order (which
    # changes with PYTHONHASHSEED from one process to the next).
    img = '<img src="https://x.test/{k}.jpg" alt="נפתלי בנט" title="Prime Minister Naftali Bennett">'
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>" + "".join(img.format(k=k) for k in "qrstuvw") + "</p></body></html>",
                    encoding="utf-8")
    outputs = set()
    for seed in ("1", "2", "3", "4", "5"):
        out = tmp_path / f"out{seed}.jsonl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "align", "captions", str(page), "-o", str(out), "-q",
                        "--scorer", "surface"], check=True, env=env)
        outputs.add(out.read_bytes())
    assert len(outputs) == 1
    assert json.loads(next(iter(outputs)).splitlines()[0])["image"] == "https://x.test/q.jpg"
