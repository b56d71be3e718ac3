"""Does a translation model move the judgement the right way? The dev pages with three
translators standing in for a model.

- ``none``: no translation model (the default install);
- ``weak``: word for word from align's own lexicon (``align/data/lexicon.tsv.gz``, learnt
  from Tatoeba) and names table (``WordForWord``): a weak but real translator, whose
  confidence is low where it knows few of the words;
- ``poor``: fluent but unrelated English (a Tatoeba English sentence chosen by the
  Hebrew's hash), with a high confidence (-0.2 a token): the worst a model can do, a
  confident translation that says something else.

For each, ``align captions`` runs in this process on the saved ynetnews pages
(``../shared/data/ynetnews-pages``, not in the repository) with the built-in strict
standard, and every pair is classed against the folder's ``label`` (GUIDELINE.md):
strict precision (T / emitted) and recall of the T labels, lenient precision and recall.
Then leave one page out (``bench_calibrate.leave_one_out``) with the same translator
installed: ``align calibrate`` learns the standard, translation weights included, from
the labels of the other three pages, and scores the held-out one; pooled over the four.
The pages were read while building: development figures. The goal (issue 31): ``poor``
lowers neither figure, ``weak`` raises precision.

    python benchmarks/bench_mt.py
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("ALIGN_NO_CACHE", "1")
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

from bench_calibrate import captions, classes, leave_one_out  # noqa: E402
from bench_real import REAL, labels  # noqa: E402

from align.text import clean  # noqa: E402

TATOEBA_EN = os.path.join(HERE, "..", "tests", "data", "tatoeba-400.tsv")


class WordForWord:
    """A weak translator: each Hebrew word to the English word the lexicon gives it most
    often, p(en|he) over the word's forms (prefixes and endings taken off); a name the
    names table knows to its first English form; Latin words and numbers as they are;
    function words and words the table lacks dropped. Its confidence is the mean log
    p(en|he) of the words it translated, a dropped content word counted at 0.01."""

    name = "weak"

    def __init__(self):
        from importlib import resources

        from align.text.lexicon import builtin

        self.lexicon = builtin()
        text = resources.files("align.data").joinpath("names.tsv").read_text("utf-8")
        self.names = dict(line.split("\t")[:2] for line in text.splitlines() if line.strip() and line[0] != "#")
        self.names = {he: en.split()[0] for he, en in self.names.items()}
        self._logprob: dict[str, float] = {}

    def _word(self, word: str) -> tuple[str | None, float | None]:
        from align.text import HEBREW_FUNCTION_WORDS
        from align.text.lexicon import he_prefixed

        if not any("\u05d0" <= c <= "\u05ea" for c in word):
            return word, 1.0                      # Latin words, numbers: as they are
        name = next((self.names[f] for f in he_prefixed(word) if f in self.names), None)
        if name:
            return name, 0.9
        if word in HEBREW_FUNCTION_WORDS:
            return None, None                     # not counted either way
        table = self.lexicon.table
        found = [(p[0], e) for h in self.lexicon.he_forms(word) for e, p in table[h].items()]
        if not found:
            return None, 0.01
        p, e = max(found)
        return e, p

    def translate(self, texts):
        out = []
        for text in texts:
            words = [self._word(w) for w in clean(text).split()]
            probs = [p for _, p in words if p is not None]
            self._logprob[text] = sum(math.log(max(p, 1e-4)) for p in probs) / max(len(probs), 1)
            out.append(" ".join(w for w, _ in words if w))
        return out

    def confidence(self, texts):
        return [self._logprob.get(t) for t in texts]

    def signature(self):
        return {"translation_model": "word-for-word stand-in"}


class Unrelated:
    """A poor translator: fluent English that says something else, said confidently."""

    name = "poor"

    def __init__(self):
        with open(TATOEBA_EN, encoding="utf-8") as fh:
            self.pool = [line.split("\t")[1].strip() for line in fh if "\t" in line]

    def translate(self, texts):
        return [self.pool[int(hashlib.sha256(t.encode()).hexdigest(), 16) % len(self.pool)] if t.strip() else ""
                for t in texts]

    def confidence(self, texts):
        return [-0.2 if t.strip() else None for t in texts]

    def signature(self):
        return {"translation_model": "unrelated stand-in"}


def with_translator(translator):
    """Make the scorers see ``translator`` as the installed model (None: no model)."""
    from align.runs import registry
    from align.scoring import calibrated

    calibrated.installed_translator = lambda models_dir, options=None: translator
    registry._SCORERS.clear()


def figures(rows: list[dict], found: list[str], gold: dict) -> dict:
    n = len(rows) or 1
    t_total = sum(1 for v in gold.values() if v == "T")
    tp_total = sum(1 for v in gold.values() if v in "TP")
    count = {c: found.count(c) for c in ("T", "P", "D", "U", "cross", "menu")}
    return {"pairs": len(rows), **count, "strict_precision": round(count["T"] / n, 3),
            "recall_T": round(count["T"] / t_total, 3), "lenient_precision": round((count["T"] + count["P"]) / n, 3),
            "recall_TP": round((count["T"] + count["P"]) / tp_total, 3)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", default=REAL)
    parser.add_argument("--standard", default="strict", choices=["strict", "lenient"])
    parser.add_argument("--no-loo", dest="loo", action="store_false",
                        help="only the built-in standard (no leave-one-page-out calibration)")
    args = parser.parse_args(argv)
    pages = sorted(os.path.join(args.folder, f) for f in os.listdir(args.folder) if f.endswith(".html"))
    gold = labels(args.folder)
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, translator in (("none", None), ("weak", WordForWord()), ("poor", Unrelated())):
            with_translator(translator)
            rows = captions(pages, os.path.join(tmp, f"{name}.jsonl"), ["-q", "--standard", args.standard])
            report[name] = {"builtin": figures(rows, classes(rows, args.folder, gold), gold)}
            if args.loo:
                loo = leave_one_out(args.folder, args.standard, tmp)
                report[name]["leave_one_page_out"] = {
                    "pooled": loo["pooled"]["after"],
                    "calibration": {page: v["calibration"] for page, v in loo["pages"].items()}}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
