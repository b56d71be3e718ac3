"""Self-contained HTML reports of ``align check`` and ``align captions``: no CDN, one
file; nothing is fetched but each image's thumbnail, lazily, from where the image is.

One room: the two reports share their table, toolbar, cells, header and the review
script's data; splitting them would scatter one page's markup over modules.

Hebrew cells carry ``dir="rtl" lang="he"``; flagged rows (check) and abstained captions
(captions) are marked with their reasons; the words of each side with no counterpart on
the other are marked in both, and a coverage column sorts rows by how much of their
words have one; a histogram of scores is inline SVG; the
run's signature is printed at the end. Each report is also a review page
(``align/data/review.js``, inlined): every row with both sides gets Translation /
Partial / Different controls (keys j/k, t/p/d, u, x), a search box, filters by flag,
label and score, and counts; decisions stay in the browser, keyed by the run's
signature, and export as the JSONL ``align calibrate`` learns from. Row data travels
as JSON in a ``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped,
and the script sets text with ``textContent`` only, so a caption holding markup stays
text.
"""
from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from importlib import resources

from align import __version__
from align.errors import AlignError
from align.files import atomic_open
from align.inputs.sources import Item
from align.review.check import Checked

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; overflow-anchor: none; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
td[lang], td.why, td.flags, td.image { overflow-wrap: anywhere; }  /* a 300-letter word must not widen the table */
td.num { white-space: nowrap; }
#pairs tbody { display: none; }  /* shown by the script once a long table keeps only the rows near the view:
                                    laid out while parsing, 20,000 rows took 13 s to open, hidden 1.5 s */
th { background: #f0f0f0; user-select: none; }
th button.sort { font: inherit; font-weight: bold; border: none; background: none; padding: 0; cursor: pointer;
                 width: 100%; text-align: inherit; color: inherit; }
th.sorted-asc button.sort::after { content: " \\25B2"; } th.sorted-desc button.sort::after { content: " \\25BC"; }
.standard { font-size: 14px; color: #1a5276; margin: -0.5em 0 1em; }
td.image img { display: block; max-width: 8em; max-height: 6em; margin-bottom: 2px; }
td.image .url { display: block; color: #555; }
tr.flagged { background: #fff3f0; }
tr.abstained { background: #f4f4f4; color: #555; }
td.why { font-size: 12px; } td.image { font-size: 11px; word-break: break-all; max-width: 14em; }
td.flags span { display: inline-block; background: #c0392b; color: #fff; border-radius: 3px;
                padding: 0 4px; margin: 1px; font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.summary { width: auto; } .summary td { border: none; padding: 2px 12px 2px 0; }
pre { background: #f7f7f7; padding: 8px; white-space: pre-wrap; }
.toolbar { position: sticky; top: 0; background: #fff; padding: 6px 0; z-index: 1;
           display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; }
.toolbar input[type=search] { width: 16em; } .toolbar input[type=number] { width: 5em; }
.keys { font-size: 12px; color: #555; } #review-note { font-size: 12px; color: #1a5276; }
tr.current { outline: 2px solid #2e86c1; outline-offset: -2px; }
tbody tr:focus { outline: 3px solid #2e86c1; outline-offset: -3px; }
td.label { white-space: nowrap; }
mark.uncovered { background: #fde2b0; border-bottom: 2px solid #b9770e; }
button.lab { border: 1px solid #999; background: #fff; border-radius: 3px; margin: 0 1px;
             min-width: 1.8em; cursor: pointer; }
button.lab[data-label=T][aria-pressed=true] { background: #1e8449; color: #fff; }
button.lab[data-label=P][aria-pressed=true] { background: #b9770e; color: #fff; }
button.lab[data-label=D][aria-pressed=true] { background: #922b21; color: #fff; }
tr[data-label=T] td.label::after { content: " translation"; font-size: 11px; color: #1e8449; }
tr[data-label=P] td.label::after { content: " partial"; font-size: 11px; color: #b9770e; }
tr[data-label=D] td.label::after { content: " different"; font-size: 11px; color: #922b21; }
"""
LABEL_BUTTONS = (("T", "Translation (t)"), ("P", "Partial: one side says clearly more (p)"),
                 ("D", "Different (d)"))

def histogram_svg(scores: Sequence[float], bins: int = 20, width: int = 400,
                  height: int = 120) -> ET.Element:
    """An inline SVG bar chart of scores in [0, 1]."""
    counts = [0] * bins
    for s in scores:
        counts[min(int(s * bins), bins - 1)] += 1
    top = max(counts) or 1
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "width": str(width),
                             "height": str(height + 20), "role": "img",
                             "aria-label": "histogram of scores"})
    bar = width / bins
    for i, c in enumerate(counts):
        h = round(height * c / top, 1)
        rect = ET.SubElement(svg, "rect", {"x": f"{i * bar:.1f}", "y": f"{height - h}",
                                           "width": f"{bar - 1:.1f}", "height": f"{h}",
                                           "fill": "#2e86c1" if i >= bins // 2 else "#c0392b"})
        ET.SubElement(rect, "title").text = f"{i / bins:.2f}–{(i + 1) / bins:.2f}: {c}"
    for x, label in ((0, "0"), (width / 2, "0.5"), (width - 12, "1")):
        ET.SubElement(svg, "text", {"x": f"{x}", "y": f"{height + 15}", "font-size": "11"}).text = label
    return svg


def _cell(tr, text, value=None, **attrs):
    td = ET.SubElement(tr, "td", attrs)
    td.text = text
    td.set("data-value", str(text if value is None else value))
    return td


def _words_cell(tr, text: str, uncovered: Sequence[str] | None, **attrs):
    """A cell holding ``text`` with the ``uncovered`` words (no counterpart on the other
    side) marked, each at its first place in the text not yet marked."""
    td = ET.SubElement(tr, "td", attrs)
    td.set("data-value", text)
    spans: list[tuple[int, int]] = []
    for word in uncovered or ():
        start = 0
        while (at := text.find(word, start)) >= 0:
            if not any(a < at + len(word) and at < b for a, b in spans):
                spans.append((at, at + len(word)))
                break
            start = at + 1
    spans.sort()
    td.text = text[: spans[0][0]] if spans else text
    for k, (a, b) in enumerate(spans):
        mark = ET.SubElement(td, "mark", {"class": "uncovered", "title": "no counterpart on the other side"})
        mark.text = text[a:b]
        mark.tail = text[b: spans[k + 1][0] if k + 1 < len(spans) else len(text)]
    return td


def _coverage(he_uncovered, en_uncovered, he: str, en: str) -> float | None:
    """A row's coverage for sorting: the share of its words that have a counterpart
    (from the uncovered words and the texts' word counts), None when not known."""
    if he_uncovered is None or en_uncovered is None:
        return None
    words = len(he.split()) + len(en.split())
    return round(1.0 - (len(he_uncovered) + len(en_uncovered)) / words, 3) if words else 1.0


def _sides(tr, he: str, en: str, he_uncovered, en_uncovered):
    """A row's coverage cell, then its Hebrew and English cells with their uncovered
    words marked; returns the English cell."""
    share = _coverage(he_uncovered, en_uncovered, he, en)
    _cell(tr, "" if share is None else f"{share:.2f}", -1 if share is None else share, **{"class": "num"})
    _words_cell(tr, he, he_uncovered, **{"dir": "rtl", "lang": "he", "class": "he"})
    return _words_cell(tr, en, en_uncovered, **{"dir": "ltr", "lang": "en"})


def _rows(table, rows) -> None:
    """Name-value rows of a summary table."""
    for name, value in rows:
        tr = ET.SubElement(table, "tr")
        ET.SubElement(tr, "td").text = str(name)
        ET.SubElement(tr, "td").text = str(value)


def _review_table(body, columns: Sequence[tuple[str, str]]):
    """The pairs table with its head (``columns``: name and sort type; each sortable
    header a button, with ``aria-sort``) and a label column; returns its ``tbody``."""
    table = ET.SubElement(body, "table", {"id": "pairs", "role": "grid", "aria-label": "pairs to review"})
    head_row = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    for name, kind in [*columns, ("label", "none")]:
        th = ET.SubElement(head_row, "th", {"data-type": kind, "scope": "col"})
        if kind == "none":
            th.text = name
        else:
            th.set("aria-sort", "none")
            ET.SubElement(th, "button", {"type": "button", "class": "sort",
                                         "title": f"sort by {name} (Enter; again to reverse)"}).text = name
    return ET.SubElement(table, "tbody")


def _label_cell(tr, labelable: bool) -> None:
    """The T / P / D buttons of a row (none for a row missing a side)."""
    td = ET.SubElement(tr, "td", {"class": "label", "data-value": ""})
    if labelable:
        for label, title in LABEL_BUTTONS:
            ET.SubElement(td, "button", {"type": "button", "class": "lab", "data-label": label,
                                         "title": title, "aria-pressed": "false"}).text = label


def _toolbar(body, flags: Sequence[str], flag_name: str) -> None:
    """Search, filters, counts, export and import, and the keys."""
    ET.SubElement(body, "h2").text = "Review"
    bar = ET.SubElement(body, "div", {"class": "toolbar"})
    ET.SubElement(bar, "input", {"type": "search", "id": "search", "placeholder": "search Hebrew or English (/)",
                                 "aria-label": "search"})
    chooser = ET.SubElement(bar, "select", {"id": "filter-flag", "aria-label": f"{flag_name} filter"})
    ET.SubElement(chooser, "option", value="").text = f"any {flag_name}"
    for flag in flags:
        ET.SubElement(chooser, "option", value=flag).text = flag
    labels = ET.SubElement(bar, "select", {"id": "filter-label", "aria-label": "label filter"})
    for value, text in (("", "any label"), ("none", "not labelled"), ("T", "translation"),
                        ("P", "partial"), ("D", "different")):
        ET.SubElement(labels, "option", value=value).text = text
    score = ET.SubElement(bar, "span")
    score.text = "score "
    ET.SubElement(score, "input", {"type": "number", "id": "score-min", "min": "0", "max": "1",
                                   "step": "0.05", "placeholder": "from", "aria-label": "lowest score"})
    ET.SubElement(score, "input", {"type": "number", "id": "score-max", "min": "0", "max": "1",
                                   "step": "0.05", "placeholder": "to", "aria-label": "highest score"})
    ET.SubElement(bar, "span", id="counts")
    ET.SubElement(bar, "button", {"type": "button", "id": "export"}).text = "Export labels (e)"
    loader = ET.SubElement(bar, "label")
    loader.text = "Load labels "
    ET.SubElement(loader, "input", {"type": "file", "id": "import", "accept": ".jsonl,.json,.txt"})
    keys = ET.SubElement(body, "div", {"class": "keys"})
    keys.text = ("Keys: j / k (or ↓ / ↑) move · t translation · p partial · d different (each moves on) · "
                 "x clear · u undo · / search · e export · Tab to a header, Enter sorts. The row with the "
                 "focus is the one the keys label. Labels are kept in this browser for this run "
                 "and exported as JSONL for align calibrate; a pair shown on several rows has one label.")
    ET.SubElement(body, "div", id="review-note")


def _review_script(body, rows: list[dict], signature: dict, kind: str) -> None:
    """The rows as JSON for the review script, then the script itself."""
    digest = hashlib.sha256(json.dumps(signature, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    data = {"store": f"align-review:{kind}:{digest.hexdigest()[:16]}", "download": f"{kind}-labels.jsonl",
            "rows": rows}
    text = json.dumps(data, ensure_ascii=False)
    # Inside <script> only "</" could end the element; escaping <, > and & keeps any text inert.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    ET.SubElement(body, "script", {"type": "application/json", "id": "review-data"}).text = text
    ET.SubElement(body, "script").text = resources.files("align.data").joinpath("review.js").read_text("utf-8")


def _signature(body, signature: dict) -> None:
    ET.SubElement(body, "h2").text = "Signature"
    ET.SubElement(body, "pre").text = json.dumps(signature, indent=2, ensure_ascii=False, sort_keys=True)


def render(items: Sequence[Checked], summary: dict, signature: dict, title: str,
           calibration: str | None = None) -> str:
    """The whole report of ``align check`` as an HTML string (``calibration``: the file
    of the reviewer's standard, named in the header)."""
    html, body = _head(title, signature, calibration)
    table = ET.SubElement(body, "table", {"class": "summary"})
    rows = [("pairs", summary["pairs"]), ("good (no flag)",
            f"{summary['good']} ({100 * summary['good_share']:.1f}%)")]
    rows += [(flag, n) for flag, n in summary["flags"].items() if n]
    if summary["score_quantiles"]:
        rows.append(("score quantiles", "  ".join(f"p{q}={v:.3f}" for q, v in summary["score_quantiles"].items())))
    _rows(table, rows)
    ET.SubElement(body, "h2").text = "Scores"
    body.append(histogram_svg([it.score for it in items]))
    flags = [f for f in summary["flags"] if summary["flags"][f]] + ["good"]
    _toolbar(body, flags, "flag")
    has_mt = any(it.translation is not None for it in items)
    columns = [("row", "number"), ("score", "number")] + ([("chrF", "number")] if has_mt else [])
    columns += [("coverage", "number"), ("Hebrew", "text"), ("English", "text"), ("flags", "text")]
    tbody = _review_table(body, columns)
    data = []
    for index, it in enumerate(items):
        labelable = bool(it.pair.he.strip() and it.pair.en.strip())
        attrs = {"data-i": str(index)}
        if not it.good:
            attrs["class"] = "flagged"
        tr = ET.SubElement(tbody, "tr", attrs)
        _cell(tr, str(it.row), it.row, **{"class": "num"})
        _cell(tr, f"{it.score:.3f}", f"{it.score:.6f}", **{"class": "num"})
        if has_mt:
            value = it.translation if it.translation is not None else -1
            _cell(tr, "" if it.translation is None else f"{it.translation:.3f}", value,
                  **{"class": "num"})
        he_left, en_left = it.uncovered if it.uncovered is not None else (None, None)
        en = _sides(tr, it.pair.he, it.pair.en, he_left, en_left)
        if it.mt:
            en.set("title", f"machine translation: {it.mt}")
        flags_cell = _cell(tr, "", " ".join(it.flags), **{"class": "flags"})
        for flag in it.flags:
            ET.SubElement(flags_cell, "span", title=it.reasons[flag]).text = flag
            ET.SubElement(flags_cell, "div").text = it.reasons[flag]
        _label_cell(tr, labelable)
        data.append({"he": it.pair.he, "en": it.pair.en, "doc": it.pair.doc, "image": it.pair.image,
                     "score": round(it.score, 4), "flags": list(it.flags) if it.flags else ["good"],
                     "labelable": labelable})
    _signature(body, signature)
    _review_script(body, data, signature, "check")
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html")


def _head(title: str, signature: dict | None = None, calibration: str | None = None):
    html = ET.Element("html", lang="en")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "meta", name="generator", content=f"align {__version__}")  # align.owned knows it so
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "style").text = STYLE
    ET.SubElement(ET.SubElement(head, "noscript"), "style").text = "#pairs tbody { display: table-row-group; }"
    body = ET.SubElement(html, "body")
    ET.SubElement(body, "h1").text = title
    if signature is not None:
        ET.SubElement(body, "p", {"class": "standard", "id": "standard"}).text = standard_line(signature, calibration)
    return html, body


def standard_line(signature: dict, calibration: str | None = None) -> str:
    """Which standard scored the page, for its header: the built-in one, or a reviewer's
    (its file, its id and its labels' counts)."""
    name = signature.get("standard", "strict")
    meaning = "a full translation" if name == "strict" else "a translation at least in part"
    if "calibrated" not in signature:
        return f"Standard: built-in {name} (a score is the probability of {meaning})"
    source = f" from {calibration}" if calibration else ""
    labels = signature.get("calibrated_labels")
    return (f"Standard: a reviewer's {name} standard{source}, id {signature['calibrated']}"
            + (f", learnt from labels {labels}" if labels else "") + f" (a score is the probability of {meaning})")


def image_url(src: str, doc: str) -> str | None:
    """Where a browser finds the image ``src`` of the page ``doc``: an absolute URL as it
    is, a relative one beside the saved page (a ``file:`` URL), None for none."""
    import pathlib
    from urllib.parse import urlsplit

    if not src or src.startswith(("data:", "javascript:")):
        return None
    if urlsplit(src).scheme in ("http", "https", "file"):
        return src
    if src.startswith("//"):
        return "https:" + src
    if not doc or doc in ("-", "<stdin>", "<text>") or "://" in doc:
        return None
    try:
        return (pathlib.Path(os.path.abspath(doc)).parent / src.split("#", 1)[0]).resolve().as_uri()
    except ValueError:
        return None


def _image_cell(tr, image: str, doc: str) -> None:
    """An image's cell: a lazily loaded thumbnail linking to it, and its file name in
    full, a link whose title is the whole URL."""
    td = _cell(tr, "", image, **{"class": "image"})
    if not image:
        return
    url = image_url(image, doc)
    if url:
        # the name below is the link for keyboards and screen readers; the picture repeats it
        link = ET.SubElement(td, "a", {"href": url, "target": "_blank", "rel": "noopener noreferrer",
                                       "tabindex": "-1", "aria-hidden": "true"})
        ET.SubElement(link, "img", {"src": url, "loading": "lazy", "alt": "", "referrerpolicy": "no-referrer"})
    name = image.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or image  # whole: _large and _medium differ
    ET.SubElement(td, "a" if url else "span", {"class": "url", **({"href": url} if url else {}),
                                               "title": image}).text = name


def _status(row: dict) -> list[str]:
    """Filter values of a captions row: paired, or no pair and the reason's kind."""
    if row["status"] == "paired":
        return ["paired"]
    why = row["why"]
    if why.startswith("score"):
        kind = "under the threshold"
    elif "better partner" in why or "paired with another" in why:
        kind = "paired elsewhere"
    else:
        kind = why
    return ["no pair", kind]


def render_captions(rows: Sequence[dict], signature: dict, title: str, calibration: str | None = None) -> str:
    """The report of a captions run as an HTML string: one row per pair and per caption
    unit that gave none. ``rows`` hold ``doc, status ("paired" or "abstained"), image,
    score (or None), he, en (either may be None), line, why``."""
    html, body = _head(title, signature, calibration)
    paired = [r for r in rows if r["status"] == "paired"]
    abstained = [r for r in rows if r["status"] != "paired"]
    table = ET.SubElement(body, "table", {"class": "summary"})
    summary = [("pages", len({r["doc"] for r in rows})), ("pairs", len(paired)),
               ("captions that gave no pair", len(abstained))]
    reasons: dict[str, int] = {}
    for r in abstained:
        key = "score under the threshold" if r["why"].startswith("score") else r["why"]
        reasons[key] = reasons.get(key, 0) + 1
    summary += [(f"  {why}", n) for why, n in sorted(reasons.items())]
    _rows(table, summary)
    ET.SubElement(body, "h2").text = "Scores of the pairs"
    body.append(histogram_svg([r["score"] for r in paired]))
    statuses = sorted({s for r in rows for s in _status(r)}, key=lambda s: (s != "paired", s != "no pair", s))
    _toolbar(body, statuses, "status")
    tbody = _review_table(body, [("page", "text"), ("line", "number"), ("image", "text"), ("score", "number"),
                                 ("coverage", "number"), ("Hebrew", "text"), ("English", "text"),
                                 ("status", "text")])
    data = []
    for index, r in enumerate(rows):
        labelable = bool(r["he"] and r["en"])
        attrs = {"data-i": str(index)}
        if r["status"] != "paired":
            attrs["class"] = "abstained"
        tr = ET.SubElement(tbody, "tr", attrs)
        _cell(tr, os.path.basename(r["doc"]) or r["doc"], r["doc"], title=r["doc"])
        _cell(tr, "" if r["line"] is None else str(r["line"]), r["line"] or 0, **{"class": "num"})
        _image_cell(tr, r["image"] or "", r["doc"])
        score = r["score"]
        _cell(tr, "" if score is None else f"{score:.3f}", -1 if score is None else f"{score:.6f}",
              **{"class": "num"})
        _sides(tr, r["he"] or "", r["en"] or "", r.get("he_uncovered"), r.get("en_uncovered"))
        status = _cell(tr, r["status"], **{"class": "why"})
        if r.get("verdict"):
            ET.SubElement(status, "div").text = "full translation (T)" if r["verdict"] == "T" else "partial (P)"
        if r["why"]:
            ET.SubElement(status, "div").text = r["why"]
        _label_cell(tr, labelable)
        data.append({"he": r["he"] or "", "en": r["en"] or "", "doc": r["doc"], "image": r["image"],
                     "score": score, "flags": _status(r), "labelable": labelable})
    _signature(body, signature)
    _review_script(body, data, signature, "captions")
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html")


def captions_rows(items: Iterable[Item], scorer, threshold: float) -> list[dict]:
    """The rows of a captions report: each page of ``items`` read and paired again (an
    unreadable one is left out: the run has named it), one row per pair and per caption
    unit that gave none, lines as the user reads them (``Document.locate``)."""
    from align.detection import detect
    from align.inputs.sources import load
    from align.linking.captions import review

    rows: list[dict] = []
    for item in items:
        try:
            document = load(item)
        except AlignError:
            continue
        pairs, skipped = review(document.doc, detect(document), scorer, threshold)
        rows += [{"doc": document.doc, "status": "paired", "image": p.image, "score": p.score, "he": p.he,
                  "en": p.en, "line": document.locate(p).he_line, "verdict": p.verdict,
                  "he_uncovered": p.he_uncovered, "en_uncovered": p.en_uncovered,
                  "why": "within its image" if p.image else ""} for p in pairs]
        for a in skipped:
            first = a.he_line or a.en_line
            coverage = scorer.coverer.pair(a.he, a.en, False) if a.he and a.en else None
            rows.append({"doc": document.doc, "status": "abstained", "image": a.image, "score": a.score,
                         "he": a.he, "en": a.en, "why": a.why,
                         "he_uncovered": coverage.he_uncovered if coverage else None,
                         "en_uncovered": coverage.en_uncovered if coverage else None,
                         "line": None if first is None else document.source_line(first)})
    return rows


def write_captions_report(items: Iterable[Item], scorer, threshold: float, signature: dict, title: str,
                          path: str, calibration: str | None = None) -> None:
    """``captions_rows`` rendered (``render_captions``) and written to ``path``."""
    rows = captions_rows(items, scorer, threshold)
    with atomic_open(path) as fh:
        fh.write(render_captions(rows, signature, title, calibration))
