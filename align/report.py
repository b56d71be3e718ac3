"""Self-contained HTML reports of ``align check`` and ``align captions``: no network,
no CDN.

Hebrew cells carry ``dir="rtl" lang="he"``; the table sorts when a header is clicked
(a few lines of inline JavaScript); flagged rows (check) and abstained captions
(captions) are marked with their reasons; a histogram of scores is inline SVG; the
run's signature is printed at the end.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Sequence

from .check import Checked

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
th { background: #f0f0f0; cursor: pointer; user-select: none; }
th.sorted-asc::after { content: " \\25B2"; } th.sorted-desc::after { content: " \\25BC"; }
tr.flagged { background: #fff3f0; }
tr.abstained { background: #f4f4f4; color: #555; }
td.why { font-size: 12px; } td.image { font-size: 11px; word-break: break-all; max-width: 14em; }
td.flags span { display: inline-block; background: #c0392b; color: #fff; border-radius: 3px;
                padding: 0 4px; margin: 1px; font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.summary { width: auto; } .summary td { border: none; padding: 2px 12px 2px 0; }
pre { background: #f7f7f7; padding: 8px; white-space: pre-wrap; }
"""

SCRIPT = """
document.querySelectorAll('#pairs th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = document.querySelector('#pairs tbody');
    var asc = !th.classList.contains('sorted-asc');
    document.querySelectorAll('#pairs th').forEach(function (h) {
      h.classList.remove('sorted-asc', 'sorted-desc'); });
    th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
    var numeric = th.dataset.type === 'number';
    var keyed = Array.prototype.map.call(body.rows, function (r) {
      var v = r.cells[col].dataset.value;
      return [numeric ? parseFloat(v) : v, r];
    });
    keyed.sort(function (a, b) {
      var c = numeric ? a[0] - b[0] : a[0].localeCompare(b[0]);
      return asc ? c : -c;
    });
    var frag = document.createDocumentFragment();   // one re-insertion, one layout
    keyed.forEach(function (k) { frag.appendChild(k[1]); });
    body.appendChild(frag);
  });
});
"""


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


def _rows(table, rows) -> None:
    """Name-value rows of a summary table."""
    for name, value in rows:
        tr = ET.SubElement(table, "tr")
        ET.SubElement(tr, "td").text = str(name)
        ET.SubElement(tr, "td").text = str(value)


def render(items: Sequence[Checked], summary: dict, signature: dict, title: str) -> str:
    """The whole report as an HTML string."""
    html, body = _head(title)
    table = ET.SubElement(body, "table", {"class": "summary"})
    rows = [("pairs", summary["pairs"]), ("good (no flag)",
            f"{summary['good']} ({100 * summary['good_share']:.1f}%)")]
    rows += [(flag, n) for flag, n in summary["flags"].items() if n]
    if summary["score_quantiles"]:
        rows.append(("score quantiles", "  ".join(f"p{q}={v:.3f}" for q, v in summary["score_quantiles"].items())))
    _rows(table, rows)
    ET.SubElement(body, "h2").text = "Scores"
    body.append(histogram_svg([it.score for it in items]))
    ET.SubElement(body, "h2").text = "Pairs (click a header to sort)"
    pairs = ET.SubElement(body, "table", id="pairs")
    head_row = ET.SubElement(ET.SubElement(pairs, "thead"), "tr")
    has_mt = any(it.translation is not None for it in items)
    columns = [("row", "number"), ("score", "number")] + ([("chrF", "number")] if has_mt else [])
    columns += [("Hebrew", "text"), ("English", "text"), ("flags", "text")]
    for name, kind in columns:
        ET.SubElement(head_row, "th", {"data-type": kind}).text = name
    tbody = ET.SubElement(pairs, "tbody")
    for it in items:
        tr = ET.SubElement(tbody, "tr", {"class": "flagged"} if not it.good else {})
        _cell(tr, str(it.row), it.row, **{"class": "num"})
        _cell(tr, f"{it.score:.3f}", f"{it.score:.6f}", **{"class": "num"})
        if has_mt:
            value = it.translation if it.translation is not None else -1
            _cell(tr, "" if it.translation is None else f"{it.translation:.3f}", value,
                  **{"class": "num"})
        _cell(tr, it.pair.he, **{"dir": "rtl", "lang": "he", "class": "he"})
        en = _cell(tr, it.pair.en, **{"dir": "ltr", "lang": "en"})
        if it.mt:
            en.set("title", f"machine translation: {it.mt}")
        flags = _cell(tr, "", " ".join(it.flags), **{"class": "flags"})
        for flag in it.flags:
            ET.SubElement(flags, "span", title=it.reasons[flag]).text = flag
            ET.SubElement(flags, "div").text = it.reasons[flag]
    ET.SubElement(body, "h2").text = "Signature"
    ET.SubElement(body, "pre").text = json.dumps(signature, indent=2, ensure_ascii=False, sort_keys=True)
    ET.SubElement(body, "script").text = SCRIPT
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html")


def _head(title: str):
    html = ET.Element("html", lang="en")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "style").text = STYLE
    body = ET.SubElement(html, "body")
    ET.SubElement(body, "h1").text = title
    return html, body


def render_captions(rows: Sequence[dict], signature: dict, title: str) -> str:
    """The report of a captions run as an HTML string: one row per pair and per caption
    unit that gave none. ``rows`` hold ``doc, status ("paired" or "abstained"), image,
    score (or None), he, en (either may be None), line, why``."""
    html, body = _head(title)
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
    ET.SubElement(body, "h2").text = "Captions (click a header to sort)"
    table = ET.SubElement(body, "table", id="pairs")
    head_row = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    for name, kind in (("page", "text"), ("line", "number"), ("image", "text"), ("score", "number"),
                       ("Hebrew", "text"), ("English", "text"), ("status", "text")):
        ET.SubElement(head_row, "th", {"data-type": kind}).text = name
    tbody = ET.SubElement(table, "tbody")
    for r in rows:
        tr = ET.SubElement(tbody, "tr", {"class": "abstained"} if r["status"] != "paired" else {})
        _cell(tr, r["doc"])
        _cell(tr, "" if r["line"] is None else str(r["line"]), r["line"] or 0, **{"class": "num"})
        _cell(tr, r["image"] or "", **{"class": "image"})
        score = r["score"]
        _cell(tr, "" if score is None else f"{score:.3f}", -1 if score is None else f"{score:.6f}",
              **{"class": "num"})
        _cell(tr, r["he"] or "", **{"dir": "rtl", "lang": "he", "class": "he"})
        _cell(tr, r["en"] or "", **{"dir": "ltr", "lang": "en"})
        status = _cell(tr, r["status"], **{"class": "why"})
        if r["why"]:
            ET.SubElement(status, "div").text = r["why"]
    ET.SubElement(body, "h2").text = "Signature"
    ET.SubElement(body, "pre").text = json.dumps(signature, indent=2, ensure_ascii=False, sort_keys=True)
    ET.SubElement(body, "script").text = SCRIPT
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html")
