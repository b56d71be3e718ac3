"""Every Hebrew encoding gives the pairs of the UTF-8 original (issue 33).

The four saved ynetnews pages (``../shared/data/ynetnews-pages``, not in the repository)
are written again in each encoding a Hebrew site has used, their charset declared as
such a site declares it (every ``<meta>`` charset of the page removed and one put
right after ``<head>``), mislabelled, or not declared at all; characters an encoding
lacks become HTML character references, as a legacy site's editor writes them. Each
variant goes through ``align captions`` (in this process, one run over all of them)
and its pairs (he, en, score) are compared with the UTF-8 original's.

Variants: windows-1255 under each of its labels and undeclared; ISO-8859-8-I
(logical) under each of its labels; ISO-8859-8 (visual: every Hebrew text and
attribute written in display order) under ``iso-8859-8`` and ``visual``; UTF-8
mislabelled as windows-1252, latin1, ascii, utf-16, windows-1255; UTF-8 with a BOM;
UTF-16 with a BOM; an unknown label (``x-mac-hebrew``) over windows-1255 bytes; the
charset given only by the transport (a WARC record's ``Content-Type``), as
``iso-8859-8-i``.

    python benchmarks/bench_encodings.py [--standard lenient]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

from bench_real import REAL  # noqa: E402

from align.cli import main as align_main  # noqa: E402

_CHARSET_META = re.compile(r"<meta\b[^>]*charset[^>]*>", re.I)
_HEBREW = re.compile(r"[\u0590-\u05FF]")
_INLINE = frozenset({"span", "b", "i", "em", "strong", "a", "small", "u"})


def declared(html: str, label: str | None) -> str:
    """``html`` with every charset ``<meta>`` removed and, for ``label``, one put first in <head>."""
    html = _CHARSET_META.sub("", html)
    if label is None:
        return html
    return re.sub(r"<head\b[^>]*>", lambda m: m.group(0) + f'<meta charset="{label}">', html, count=1, flags=re.I)


def visual(html: str) -> str:
    """Every Hebrew text and attribute value of ``html`` in display order (for a
    right-to-left paragraph): the text reversed, Latin and digit runs kept in order,
    brackets mirrored; a line at a time, as a visual-Hebrew site stores it (a line of
    inline pieces, "<span>5</span> צפייה בגלריה", is one display line: written as one
    text, its tags dropped)."""
    import lxml.html

    from align.encoding import visual_to_logical  # an involution on such lines: logical -> visual

    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    for el in list(root.iter()):  # a line made of inline pieces is one display line: one text
        kids = list(el)
        if kids and all(k.tag in _INLINE and not len(k) for k in kids) and _HEBREW.search(el.text_content()):
            text = el.text_content()
            for k in kids:
                el.remove(k)
            el.text = text
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if _HEBREW.search(value):
                el.set(name, "\n".join(visual_to_logical(v) for v in value.split("\n")))
        for part in ("text", "tail"):
            value = getattr(el, part)
            if value and _HEBREW.search(value):
                setattr(el, part, "\n".join(visual_to_logical(v) for v in value.split("\n")))
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def variants(html: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for label in ("windows-1255", "cp1255", "x-cp1255"):
        out[f"windows-1255 as {label}"] = declared(html, label).encode("cp1255", "xmlcharrefreplace")
    out["windows-1255 undeclared"] = declared(html, None).encode("cp1255", "xmlcharrefreplace")
    out["windows-1255 as x-mac-hebrew (unknown)"] = declared(html, "x-mac-hebrew").encode("cp1255", "xmlcharrefreplace")
    for label in ("iso-8859-8-i", "logical", "csiso88598i"):
        out[f"iso-8859-8-i as {label}"] = declared(html, label).encode("iso8859_8", "xmlcharrefreplace")
    for label in ("iso-8859-8", "visual"):
        out[f"iso-8859-8 visual as {label}"] = visual(declared(html, label)).encode("iso8859_8", "xmlcharrefreplace")
    for label in ("windows-1252", "latin1", "ascii", "utf-16", "windows-1255"):
        out[f"utf-8 mislabelled {label}"] = declared(html, label).encode("utf-8")
    out["utf-8 with BOM"] = b"\xef\xbb\xbf" + html.encode("utf-8")
    out["utf-16 with BOM"] = declared(html, None).encode("utf-16")
    return out


def pairs_of(rows: list[dict]) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for r in rows:
        out.setdefault(os.path.basename(r["doc"]).split("#")[0], []).append((r["he"], r["en"], r["score"]))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", default=REAL)
    parser.add_argument("--standard", default="strict", choices=["strict", "lenient"])
    args = parser.parse_args(argv)
    pages = sorted(f for f in os.listdir(args.folder) if f.endswith(".html"))
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        names: dict[str, tuple[str, str]] = {}
        warc_records = []
        for n, page in enumerate(pages):
            with open(os.path.join(args.folder, page), encoding="utf-8") as fh:
                html = fh.read()
            original = os.path.join(tmp, f"p{n}-original.html")
            with open(original, "w", encoding="utf-8") as fh:
                fh.write(html)
            names[os.path.basename(original)] = (page, "utf-8 original")
            for k, (variant, data) in enumerate(variants(html).items()):
                path = os.path.join(tmp, f"p{n}-v{k:02d}.html")
                with open(path, "wb") as fh:
                    fh.write(data)
                names[os.path.basename(path)] = (page, variant)
            warc_records.append(("response", f"https://example.org/p{n}", "text/html; charset=iso-8859-8-i",
                                 declared(html, None).encode("iso8859_8", "xmlcharrefreplace")))
        from warcs import write_warc

        warc = os.path.join(tmp, "crawl.warc.gz")
        write_warc(warc, warc_records)
        out = os.path.join(tmp, "out.jsonl")
        start = time.perf_counter()
        status = align_main(["captions", *sorted(os.path.join(tmp, f) for f in names), warc, "-o", out, "-q",
                             "--standard", args.standard])
        seconds = time.perf_counter() - start
        with open(out, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    by_file: dict[str, list[tuple]] = {}
    for r in rows:
        key = os.path.basename(r["doc"]) if "warc" not in r["doc"] else r["doc"].rsplit("/", 1)[-1]
        by_file.setdefault(key, []).append((r["he"], r["en"], r["score"]))
    originals = {page: by_file.get(f, []) for f, (page, v) in names.items() if v == "utf-8 original"}
    same: dict[str, list[str]] = {}
    for f, (page, variant) in names.items():
        if variant == "utf-8 original":
            continue
        ok = by_file.get(f, []) == originals[page]
        same.setdefault(variant, []).append(page if ok else f"{page}: DIFFERENT")
    for n, page in enumerate(pages):
        ok = by_file.get(f"p{n}", []) == originals[page]
        same.setdefault("warc transport iso-8859-8-i", []).append(page if ok else f"{page}: DIFFERENT")
    report["status"] = status
    report["pairs_in_originals"] = {p: len(v) for p, v in originals.items()}
    report["variants"] = len(same)
    report["identical"] = {v: all("DIFFERENT" not in p for p in pages_) for v, pages_ in same.items()}
    report["all_identical"] = all(report["identical"].values())
    report["seconds_one_run"] = round(seconds, 1)
    report["differences"] = {v: p for v, p in same.items() if not report["identical"][v]}
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0 if report["all_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
