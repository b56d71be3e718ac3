"""Never destroy a file align did not write (issue 32): how many clashes are tried and
refused, and how many random command pairs change nothing of the user's.

1. Every clash of ``tests/collisions.py`` (two outputs of one command that are one file,
   an output that is an input, a dataset folder holding one), each run in a fresh
   folder: counted as refused when the command exits 2 before any work and every file
   is byte-identical afterwards.
2. Random pairs of ``captions`` and ``check`` command lines in one folder (outputs named
   as inputs, folders above, one another's sidecars and journals, with and without
   ``--force``; ``tests/collisions.any_command``), run one after the other: the files
   that were there before (pages, notes, a corpus, labels, symlinks, a sentinel in the
   folder above) changed or removed after, over ``--examples`` pairs.

    python benchmarks/bench_collisions.py --examples 1000
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import collisions  # noqa: E402

from align.cli import main as align_main  # noqa: E402


def clashes() -> dict:
    tried, refused, changed = Counter(), Counter(), []
    start = time.perf_counter()
    for label, argv in collisions.cases():
        command = label.split()[0]
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "work"
            collisions.make_tree(work)
            os.chdir(work)
            before = collisions.snapshot(Path(tmp))
            try:
                status = align_main([a.format(work=work) for a in argv])
            except SystemExit as exc:  # a usage error before the guard: not what is counted
                status = f"usage {exc.code}"
            after = collisions.snapshot(Path(tmp))
            os.chdir(HERE)
        tried[command] += 1
        refused[command] += status == 2 and after == before
        changed += [f"{label}: {name}" for name, digest in before.items() if after.get(name) != digest]
    return {"tried": dict(tried), "refused": dict(refused), "total_tried": sum(tried.values()),
            "total_refused": sum(refused.values()), "foreign_files_changed": changed,
            "seconds": round(time.perf_counter() - start, 1)}


def random_pairs(examples: int) -> dict:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    seen = {"examples": 0, "runs_refused": 0, "changed": []}

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(runs=st.tuples(collisions.any_command(), collisions.any_command()))
    def explore(runs):
        seen["examples"] += 1
        with tempfile.TemporaryDirectory() as tmp:
            changed = collisions.changed_by(Path(tmp), runs, os.chdir)
            os.chdir(HERE)
        seen["changed"] += [f"{' ; '.join(' '.join(r) for r in runs)}: {name}" for name in changed]

    start = time.perf_counter()
    explore()
    return {"examples": seen["examples"], "commands_run": 2 * seen["examples"],
            "foreign_files_changed": seen["changed"], "seconds": round(time.perf_counter() - start, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="random command pairs (default 1000)")
    args = parser.parse_args(argv)
    import io
    from contextlib import redirect_stderr, redirect_stdout

    sink = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # has a .buffer, as TMX and Parquet need
    with redirect_stdout(sink), redirect_stderr(io.StringIO()):  # the runs' own output
        report = {"clashes": clashes(), "random_pairs": random_pairs(args.examples)}
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0 if not (report["clashes"]["foreign_files_changed"] or report["random_pairs"]["foreign_files_changed"]) \
        else 1


if __name__ == "__main__":
    sys.exit(main())
