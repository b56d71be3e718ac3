"""A reviewer's standard learnt from labels, measured on pages whose labels it never saw.

Leave one page out on the saved ynetnews pages (../shared/data/ynetnews-pages, not in
the repository): ``align calibrate`` on the labels of the other pages (with those
pages, so each label is found in its page), then ``align captions`` on the held-out
page with ``--calibration``; every pair emitted is classed as bench_real.py classes it
(T / P / D / cross / menu). Reported per page and pooled, before (no calibration) and
after: strict precision (T / all), lenient ((T + P) / all), recall of T (and of T and
P, what a lenient reviewer wants). The labels
are one labeller's (the folder's gold.jsonl), so these figures say how well the tool
learns that labeller's standard.

Also: the run time of ``align captions`` on all four pages with and without a
calibration file (best of --repeat runs, in process, embeddings warm).

    python benchmarks/bench_calibrate.py                      # strict: a translation is T
    python benchmarks/bench_calibrate.py --standard lenient   # lenient: T or P
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# every run measured cold: no evidence cache (bench_cache.py measures it); subprocesses inherit this
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from bench_real import REAL, classify, images, labels  # noqa: E402

from align.cli import main as align_main  # noqa: E402


def captions(pages: list[str], out: str, extra: list[str]) -> list[dict]:
    status = align_main(["captions", *pages, "-o", out, "--force", *extra])
    if status != 0:
        raise SystemExit(f"align captions failed with status {status}")
    with open(out, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def classes(rows: list[dict], folder: str, gold: dict) -> list[str]:
    return [classify(os.path.basename(r["doc"]), r["he"], r["en"],
                     images(os.path.join(folder, os.path.basename(r["doc"]))), gold) for r in rows]


def figures(rows: list[dict], found: list[str], pages: list[str], gold: dict) -> dict:
    """Counts, strict and lenient precision and recall of T over ``pages``."""
    names = {os.path.basename(p) for p in pages}

    def recall(kinds: str) -> float | None:
        total = sum(1 for (page, _, _), v in gold.items() if v in kinds and page in names)
        hit = {(os.path.basename(r["doc"]), r["he"], r["en"]) for r, c in zip(rows, found) if c in kinds}
        return round(len(hit) / total, 3) if total else None

    count = {c: found.count(c) for c in ("T", "P", "D", "U", "cross", "menu")}
    n = len(rows) or 1
    return {"pairs": len(rows), **count, "strict": round(count["T"] / n, 3),
            "lenient": round((count["T"] + count["P"]) / n, 3),
            "recall_T": recall("T"), "recall_TP": recall("TP")}


def leave_one_out(folder: str, standard: str, tmp: str) -> dict:
    pages = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".html"))
    gold = labels(folder)
    with open(os.path.join(folder, "gold.jsonl"), encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    report: dict = {"before": {"rows": [], "classes": []}, "after": {"rows": [], "classes": []}}
    per_page = {}
    for page in pages:
        name = os.path.basename(page)
        train = [r for r in rows if name not in r["pages"]]
        if len(train) == len(rows):
            continue  # no labels on this page: nothing held out
        label_file = os.path.join(tmp, f"labels-without-{name}.jsonl")
        with open(label_file, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in train)
        cal = os.path.join(tmp, f"cal-without-{name}.json")
        others = [p for p in pages if p != page]
        status = align_main(["calibrate", label_file, *others, "-o", cal, "--force", "--standard", standard])
        # 0 written; 2 refused as worse held out; 1 refused labels (too few of a class)
        per_page[name] = {"calibration": {0: "written", 1: "labels refused", 2: "worse: not written"}[status]}
        # a standard calibrate did not write is not used: the built-in stands
        after = ["--calibration", cal] if status == 0 else ["--standard", standard]
        for when, extra in (("before", ["--standard", standard]), ("after", after)):
            out = captions([page], os.path.join(tmp, "out.jsonl"), extra)
            found = classes(out, folder, gold)
            report[when]["rows"] += out
            report[when]["classes"] += found
            per_page[name][when] = figures(out, found, [page], gold)
    held = [os.path.join(folder, n) for n in per_page]
    pooled = {when: figures(report[when]["rows"], report[when]["classes"], held, gold)
              for when in ("before", "after")}
    return {"pages": per_page, "pooled": pooled}


def timing(folder: str, standard: str, tmp: str, repeat: int) -> dict:
    """Seconds of a captions run over every page, without and with a calibration."""
    pages = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".html"))
    cal = os.path.join(tmp, "cal-all.json")
    written = align_main(["calibrate", os.path.join(folder, "gold.jsonl"), *pages, "-o", cal, "--force",
                          "--standard", standard]) == 0
    captions(pages, os.path.join(tmp, "warm.jsonl"), [])  # the model loaded, the strings embedded
    best = {}
    runs = (("without", ["--standard", standard]),) + ((("with", ["--calibration", cal]),) if written else ())
    for when, extra in runs * repeat:
        start = time.perf_counter()
        captions(pages, os.path.join(tmp, "t.jsonl"), extra)
        best[when] = min(best.get(when, 1e9), time.perf_counter() - start)
    return {k: round(v, 3) for k, v in best.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", default=REAL)
    parser.add_argument("--standard", choices=["strict", "lenient"], default="strict")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs of each kind")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.folder):
        print(f"{args.folder} is not here; nothing to measure", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        result = leave_one_out(args.folder, args.standard, tmp)
        result["seconds"] = timing(args.folder, args.standard, tmp, args.repeat)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
