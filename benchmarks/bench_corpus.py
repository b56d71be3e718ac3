"""Corpus-scale runs: throughput for 1 and 2 workers, peak RSS per process, and RSS
after 1x and 10x the input (it should stay flat).

Pages are the benchmark-slice pages of benchmarks/pages.py (Tatoeba captions), written
as one JSONL file of records, as a crawl export would be. 1x is 200 pages (seed 1);
10x is 2,000 pages (seeds 1-10, so no two pages are the same). Every run is a separate
`align captions` process; a sampler reads VmHWM (peak RSS) of it and of every worker
it starts from /proc.

    python benchmarks/bench_corpus.py                 # 1x and 10x, 1 and 2 workers
    python benchmarks/bench_corpus.py --sizes 1 --engines local dask
    python benchmarks/bench_corpus.py --sizes 1 10 --workers 1 --format parquet
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# every run measured cold: no evidence cache (bench_cache.py measures it); subprocesses inherit this
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))

from bench_captions import embed_alone, evaluate  # noqa: E402
from pages import make_pages  # noqa: E402

from docs import write_docs  # noqa: E402

PAGES_PER_SEED = 200


def write_records(path: str, copies: int) -> tuple[int, str]:
    """``copies`` x 200 pages as JSONL records; returns (pages, folder with gold.jsonl)."""
    gold_dir = os.path.dirname(path)
    n = 0
    with open(path, "w", encoding="utf-8") as fh, \
            open(os.path.join(gold_dir, "gold.jsonl"), "w", encoding="utf-8") as gold, \
            open(os.path.join(gold_dir, "pages.jsonl"), "w", encoding="utf-8") as kinds:
        for seed in range(1, copies + 1):
            for name, text, pairs, layouts in make_pages("benchmark", PAGES_PER_SEED, seed):
                fh.write(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n")
                kinds.write(json.dumps({"doc": name, "layouts": layouts}) + "\n")
                gold.writelines(json.dumps({"doc": name, "he": h, "en": e}, ensure_ascii=False) + "\n"
                                for h, e in pairs)
                n += 1
    return n, gold_dir


def _children(pid: int) -> list[int]:
    """Child processes of every thread of ``pid`` (Dask starts workers from a thread)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(p) for p in fh.read().split()]
        except OSError:
            pass
    return found


def _hwm_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def measure(cmd: list[str]) -> dict:
    """Run ``cmd``; wall seconds and the peak RSS (MiB) of it and each descendant."""
    peaks: dict[int, tuple[str, float]] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample():
        while not done.is_set():
            todo = [proc.pid]
            while todo:
                pid = todo.pop()
                hwm = _hwm_mib(pid)
                if hwm is not None:
                    name = peaks.get(pid, (_cmdline(pid), 0.0))[0]
                    peaks[pid] = (name, max(hwm, peaks.get(pid, ("", 0.0))[1]))
                todo += _children(pid)
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    done.set()
    thread.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()}")
    main_rss = peaks.get(proc.pid, ("", 0.0))[1]
    workers = sorted(rss for pid, (name, rss) in peaks.items()
                     if pid != proc.pid and rss > 100)  # model-holding processes
    return {"seconds": round(wall, 2), "main_rss_mib": round(main_rss, 1),
            "worker_rss_mib": [round(r, 1) for r in workers]}


def unique_candidates(records: str) -> list[str]:
    """The strings a caption run must embed: the caption candidates of pages holding both
    a Hebrew and an English one, keyed as the embedder keys them, each once."""
    from align.detection import detect
    from align.inputs.plain import from_text
    from align.linking.captions import candidates
    from align.text import strip_points

    seen: dict[str, None] = {}
    with open(records, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            he, en = candidates(detect(from_text(row["text"], row["id"])))
            if he and en:
                seen.update((strip_points(s.text), None) for s in he + en)
    return list(seen)


def bench_documents(tmp: str, sizes: list[int], workers: list[int]) -> None:
    """``align documents LIST.tsv --presplit -o OUT`` over generated article pairs."""
    for n in sizes:
        folder = os.path.join(tmp, f"docs{n}")
        write_docs(folder, "benchmark", n, seed=1)
        listing = os.path.join(folder, "list.tsv")
        with open(listing, "w", encoding="utf-8") as fh:
            fh.writelines(f"doc{k:03d}.he\tdoc{k:03d}.en\n" for k in range(n))
        outputs = set()
        for w in workers:
            out = os.path.join(folder, f"beads-{w}.jsonl")
            cmd = [sys.executable, "-m", "align", "documents", listing, "--presplit", "-o", out,
                   "--workers", str(w)]
            row = {"task": "documents", "documents": n, "workers": w, **measure(cmd)}
            row["documents_per_s"] = round(n / row["seconds"], 2)
            print(json.dumps(row), flush=True)
            with open(out, "rb") as fh:
                outputs.add(fh.read())
        print(json.dumps({"documents": n, "outputs_identical": len(outputs) == 1}), flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10],
                        help="input sizes in units of 200 pages (default 1 10)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--engines", nargs="+", default=["local"], choices=["local", "dask"])
    parser.add_argument("--documents", type=int, nargs="*", default=[],
                        help="also time `align documents` on this many article pairs, e.g. 60 600")
    parser.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl",
                        help="the output format of the captions runs (peak RSS of a Parquet run)")
    parser.add_argument("--threads", type=int,
                        help="OMP_NUM_THREADS for a single-process run (workers always use 1), "
                             "to measure how worker processes scale against one thread")
    args = parser.parse_args(argv)
    if args.threads:
        os.environ["OMP_NUM_THREADS"] = str(args.threads)
    align = [sys.executable, "-m", "align", "captions"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.documents:
            bench_documents(tmp, args.documents, args.workers)
        for size in args.sizes:
            folder = os.path.join(tmp, f"x{size}")
            os.makedirs(folder)
            records = os.path.join(folder, "records.jsonl")
            pages, gold_dir = write_records(records, size)
            texts = unique_candidates(records)
            alone = embed_alone(texts)
            print(json.dumps({"pages": pages, "unique_candidates": len(texts),
                              "embed_alone_seconds": round(alone, 2)}), flush=True)
            for engine in args.engines:
                for workers in args.workers:
                    out = os.path.join(folder, f"out-{engine}-{workers}.{args.format}")
                    cmd = align + [records, "-o", out, "--workers", str(workers), "--engine", engine,
                                   "-f", args.format]
                    row = {"pages": pages, "engine": engine, "workers": workers,
                           "threads": args.threads or "default", **measure(cmd)}
                    row["pages_per_s"] = round(pages / row["seconds"], 1)
                    row["ratio_to_embedding_alone"] = round(row["seconds"] / alone, 2)
                    if args.format == "parquet":
                        from align.formats.parquet import read_parquet

                        pred = [p.to_dict() for p in read_parquet(out)]
                    else:
                        with open(out, encoding="utf-8") as fh:
                            pred = [json.loads(line) for line in fh]
                    row["f1"] = evaluate(gold_dir, pred)["overall"]["f1"]
                    rows.append(row)
                    print(json.dumps(row), flush=True)
            outs = sorted(f for f in os.listdir(folder) if f.startswith("out-") and f.endswith(args.format))
            contents = {open(os.path.join(folder, f), "rb").read() for f in outs}
            print(json.dumps({"pages": pages, "outputs_identical": len(contents) == 1}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
