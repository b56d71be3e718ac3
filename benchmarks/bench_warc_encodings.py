"""A crawl-shaped WARC with 5 % broken or exotic records (issue 33).

1,000 HTML responses in one ``.warc.gz`` (listing pages of ``--images`` photos, FLORES
captions as ``bench_crawl.py`` builds them; ``../shared``, not in the repository).
Every twentieth record is one of: exotic but good (``iso-8859-8-i`` in the transport,
``logical`` or ``x-cp1255`` in its ``<meta>``, windows-1255 with nothing declared, visual
Hebrew under ``iso-8859-8``, a UTF-8 page labelled ``latin1``, an unknown label), or
broken (random bytes with NUL bytes, an empty body, a page nested past the parser's
depth, a body over ``--max-doc-mb``). The reference is the same crawl without the
broken records and with the exotic ones as their UTF-8 originals: the ratio is what
reading legacy encodings and naming broken records costs.

Measured, each a fresh ``python -m align captions --no-cache`` process (best of
``--repeat``, the two interleaved): the time of the crawl against the reference's (goal within 1.05x);
every good record's pairs written (the reference's pairs are all in the crawl's
output, and every exotic record gives the pairs of its UTF-8 original), every broken
record named on stderr and in ``--errors``.

    python benchmarks/bench_warc_encodings.py
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, ROOT)

from bench_crawl import caption, crawl, flores_pairs  # noqa: E402
from bench_encodings import visual  # noqa: E402

FLORES = os.path.join(ROOT, "..", "shared", "data", "flores200-devtest-heb-eng")
EXOTIC = ("transport iso-8859-8-i", "meta logical", "meta x-cp1255", "windows-1255 undeclared",
          "visual iso-8859-8", "utf-8 labelled latin1", "unknown label")
BROKEN = ("binary", "empty", "too deep", "too big")


def variant(kind: str, html: str) -> tuple[bytes, str]:
    """``(body, content type)`` of one exotic or broken record made from page ``html``."""
    plain = html.replace("<meta charset='utf-8'>", "")
    if kind == "transport iso-8859-8-i":
        return plain.encode("iso8859_8", "xmlcharrefreplace"), "text/html; charset=iso-8859-8-i"
    if kind in ("meta logical", "meta x-cp1255"):
        label, codec = ("logical", "iso8859_8") if kind == "meta logical" else ("x-cp1255", "cp1255")
        return html.replace("charset='utf-8'", f"charset='{label}'").encode(codec, "xmlcharrefreplace"), "text/html"
    if kind == "windows-1255 undeclared":
        return plain.encode("cp1255", "xmlcharrefreplace"), "text/html"
    if kind == "visual iso-8859-8":
        page = visual(html.replace("charset='utf-8'", "charset='iso-8859-8'"))
        return page.encode("iso8859_8", "xmlcharrefreplace"), "text/html"
    if kind == "utf-8 labelled latin1":
        return html.replace("charset='utf-8'", "charset='latin1'").encode("utf-8"), "text/html; charset=latin1"
    if kind == "unknown label":
        return html.replace("charset='utf-8'", "charset='x-mac-hebrew'").encode("utf-8"), "text/html"
    if kind == "binary":
        return bytes(random.Random(len(html)).randrange(256) for _ in range(4000)) + b"\x00" * 8, "text/html"
    if kind == "empty":
        return b"", "text/html"
    if kind == "too deep":
        return ("<html><body>" + "<div>" * 400 + "x" + "</div>" * 400 + "</body></html>").encode(), "text/html"
    return ("<html><body><p>" + "x" * 2_100_000 + "</p></body></html>").encode(), "text/html"  # too big


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--images", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from warcs import write_warc

    pool = [caption(p) for p in flores_pairs(FLORES)]
    days, _ = crawl(pool, args.records, 10, args.images)  # ten days' listing pages, captions recurring
    pages = [page for day in days for page in day]
    kinds = EXOTIC + BROKEN
    crawl_records, reference_records, specials = [], [], {}
    for n, (page_id, html) in enumerate(pages):
        url = f"https://news.test/{page_id}"
        if n % 20 == 19:
            kind = kinds[(n // 20) % len(kinds)]
            body, ctype = variant(kind, html)
            crawl_records.append(("response", url, ctype, body))
            specials[url] = kind
            if kind in EXOTIC:  # the good original, to compare with
                reference_records.append(("response", url, "text/html; charset=utf-8", html.encode("utf-8")))
            continue
        record = ("response", url, "text/html; charset=utf-8", html.encode("utf-8"))
        crawl_records.append(record)
        reference_records.append(record)
    report: dict = {"records": len(crawl_records), "exotic": sum(k in EXOTIC for k in specials.values()),
                    "broken": sum(k in BROKEN for k in specials.values())}
    env = {**os.environ, "PYTHONPATH": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        warc, ref = os.path.join(tmp, "crawl.warc.gz"), os.path.join(tmp, "reference.warc.gz")
        write_warc(warc, crawl_records)
        write_warc(ref, reference_records)  # the crawl without the broken, the exotic as UTF-8 originals
        write_warc(os.path.join(tmp, "originals.warc.gz"), [r for r in reference_records if r[1] in specials])
        times: dict[str, float] = {}
        outputs: dict[str, list[dict]] = {}
        runs = [("crawl", warc), ("reference", ref)] * args.repeat  # interleaved: drift hits both alike
        runs.append(("originals", os.path.join(tmp, "originals.warc.gz")))
        for name, path in runs:
            out, errors = os.path.join(tmp, f"{name}.jsonl"), os.path.join(tmp, f"{name}.errors.jsonl")
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "align", "captions", path, "-o", out, "--force", "-q",
                                   "--no-cache", "--max-doc-mb", "2", "--errors", errors],
                                  env=env, capture_output=True, text=True)
            times[name] = min(times.get(name, 1e9), time.perf_counter() - start)
            with open(out, encoding="utf-8") as fh:
                outputs[name] = [json.loads(line) for line in fh]
            if name == "crawl":
                with open(errors, encoding="utf-8") as fh:
                    named = [json.loads(line)["doc"] for line in fh]
                report["status"] = proc.returncode
                report["broken_named"] = sorted({specials.get(d, d) for d in named})
                report["broken_named_count"] = len(named)
                report["tracebacks"] = proc.stderr.count("Traceback")

    def key(row):
        return row["doc"], row["he"], row["en"], row["score"]

    crawl_rows = {key(r) for r in outputs["crawl"]}
    report["reference_pairs"] = len(outputs["reference"])
    report["reference_pairs_all_in_crawl"] = all(key(r) in crawl_rows for r in outputs["reference"])
    report["crawl_pairs_equal_reference"] = sorted(crawl_rows) == sorted(key(r) for r in outputs["reference"])
    exotic_rows = [key(r) for r in outputs["crawl"] if specials.get(r["doc"]) in EXOTIC]
    report["exotic_pairs"] = len(exotic_rows)
    report["exotic_pairs_equal_utf8_originals"] = sorted(exotic_rows) == sorted(key(r) for r in outputs["originals"])
    report["encodings_read"] = sorted({r.get("encoding") for r in outputs["crawl"]})
    report["seconds"] = {k: round(v, 2) for k, v in times.items() if k != "originals"}
    report["ratio_crawl_to_reference"] = round(times["crawl"] / times["reference"], 3)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
