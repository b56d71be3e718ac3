"""Caption pairing on HTML pages read from a WARC crawl: precision, recall and F1 per
layout, and pages/s, against the text pages of the same slice and seed.

    python benchmarks/bench_html.py --pages 200 --seed 1
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from io import BytesIO

HERE = os.path.dirname(os.path.abspath(__file__))
# every run measured cold: no evidence cache (bench_cache.py measures it); subprocesses inherit this
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))

from bench_captions import evaluate  # noqa: E402
from html_pages import write_html_pages  # noqa: E402
from pages import write_pages  # noqa: E402

from align.cli import main as align_main  # noqa: E402


def write_warc(folder: str, path: str) -> int:
    """Every page of ``folder`` as an HTTP response in a gzipped WARC; returns pages."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    names = sorted(f for f in os.listdir(folder) if f.endswith(".html"))
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for name in names:
            with open(os.path.join(folder, name), "rb") as page:
                body = page.read()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://bench.example/{name}", "response", payload=BytesIO(body), http_headers=http))
    return len(names)


def run(inputs: list[str], out: str) -> tuple[list[dict], float]:
    from align.runs import registry as runner

    runner._SCORERS.clear()  # a fresh scorer: no embeddings cached by an earlier run
    start = time.perf_counter()
    status = align_main(["captions", *inputs, "-o", out, "--force"])
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"align captions failed with status {status}")
    with open(out, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh], seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        html_dir, text_dir = os.path.join(tmp, "html"), os.path.join(tmp, "text")
        write_html_pages(html_dir, "benchmark", args.pages, args.seed)
        write_pages(text_dir, "benchmark", args.pages, args.seed)
        crawl = os.path.join(tmp, "crawl.warc.gz")
        write_warc(html_dir, crawl)
        run([os.path.join(text_dir, f"page-benchmark-{args.seed}-0000.txt")], os.path.join(tmp, "warm.jsonl"))
        report = {}
        for name, inputs, gold_dir in (("html (WARC)", [crawl], html_dir),
                                       ("text", [os.path.join(text_dir, "*.txt")], text_dir)):
            rows, seconds = run(inputs, os.path.join(tmp, "out.jsonl"))
            result = evaluate(gold_dir, rows)
            report[name] = {"pages_per_s": round(args.pages / seconds, 1), **result}
            overall = result["overall"]
            print(f"{name}: P {overall['precision']} R {overall['recall']} F1 {overall['f1']} "
                  f"({overall['gold']} gold), {report[name]['pages_per_s']} pages/s", file=sys.stderr)
            for layout, scores in result["layouts"].items():
                print(f"  {layout:9s} P {scores['precision']:.3f} R {scores['recall']:.3f} "
                      f"F1 {scores['f1']:.3f}", file=sys.stderr)
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
