"""Precision and recall of ``align check`` flags on corrupted copies of the dev pairs,
and its speed.

From the Tatoeba dev pairs (pairs whose Hebrew or English repeats are dropped, so a
"better partner" is never ambiguous), N pairs are sampled and corrupted, each pair at
most once: the English sides of 10 % are shuffled among themselves (gold:
``misaligned``), the English is copied into the Hebrew side of 5 % (``untranslated``),
the English of 5 % is cut to its first 40 % of words (``length_ratio``), and a number
is changed in the English of 5 % (``number_mismatch``; only pairs with digits on both
sides can take this, and the dev data has 69 such pairs, so the share is what there is).

    python benchmarks/bench_check.py --pairs 2000
    python benchmarks/bench_check.py --speed 10000
    python benchmarks/bench_check.py --pairs 300 --seed 5 --write tests/data/check

``--flores`` checks same-article swaps instead: every pair of the evaluation half of
the FLORES articles, with the English of 10 % of the rows rotated among rows of the
same article (so a wrong English is about the same story, with the same names). Gold:
``misaligned`` for every rotated row. Reported per seed and pooled: ``misaligned``
precision and recall, and the share of rotated rows that got no flag at all.

    python benchmarks/bench_check.py --flores 1 2 3 4 5

``--numbers HALF`` changes one number in 30 % of the FLORES pairs of ``HALF`` whose two
sides hold a number that can be changed (either side; a digit run by 1 to 9, or a number
word to another; rows chosen without the number reader, so versions compare),
and measures ``number_mismatch`` over all the pairs of that half (``--seeds``; ``--show``
prints false alarms and misses).

    python benchmarks/bench_check.py --numbers eval --seeds 1 2 3

``--partial HALF`` measures the ``partial`` flag on pairs built from one half of the
FLORES articles: partial (the Hebrew words that are names, against the whole English;
the English names against the whole Hebrew; a side cut at its first comma, against
the whole other side) and not partial (whole translations; names against names, with
and without a title; another sentence of the article). With the real pages present,
it also counts the flag on their translation, partial and different pairs.
Tatoeba translations (1,000 from the calibration slice for the fitting half, from the
benchmark slice for the evaluation half) join the pairs that are not partial.
Nothing is tuned here: the flag is the standards' (``standards.py``).

    python benchmarks/bench_check.py --partial eval
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

import flores  # noqa: E402
from pages import TATOEBA, slice_pool, unique_pairs  # noqa: E402

from align.formats import WRITERS
from align.records import Pair  # noqa: E402
from align.review.check import check, summary  # noqa: E402
from align.scoring import get_scorer  # noqa: E402

GOLD_FLAG = {"shuffled": "misaligned", "copied": "untranslated", "truncated": "length_ratio",
             "number": "number_mismatch"}
_DIGITS = re.compile(r"\d+")
TATOEBA_PARTIAL = 1000  # Tatoeba translations among the partial flag's pairs


def corrupt(pairs, n: int, seed: int):
    """``n`` pairs (all digit-bearing ones first), corrupted; returns rows and gold sets."""
    rng = random.Random(seed)
    digits = [p for p in pairs if _DIGITS.search(p[0]) and _DIGITS.search(p[1])]
    others = [p for p in pairs if p not in set(digits)]
    rng.shuffle(digits)
    rng.shuffle(others)
    chosen = digits[: min(len(digits), n // 10)] + others[: n - min(len(digits), n // 10)]
    rng.shuffle(chosen)
    rows = [list(p) for p in chosen]
    free = list(range(n))
    rng.shuffle(free)
    gold = {k: set() for k in GOLD_FLAG}
    number_rows = [i for i in free if _DIGITS.search(rows[i][0]) and _DIGITS.search(rows[i][1])]
    gold["number"] = set(number_rows[: n * 5 // 100])
    free = [i for i in free if i not in gold["number"]]
    gold["shuffled"] = set(free[: n // 10])
    gold["copied"] = set(free[n // 10: n // 10 + n // 20])
    gold["truncated"] = set(free[n // 10 + n // 20: n // 10 + 2 * (n // 20)])
    order = sorted(gold["shuffled"])
    english = [rows[i][1] for i in order]
    for i, e in zip(order, english[1:] + english[:1]):  # a derangement: nobody keeps theirs
        rows[i][1] = e
    for i in gold["copied"]:
        rows[i][0] = rows[i][1]
    for i in gold["truncated"]:
        words = rows[i][1].split()
        rows[i][1] = " ".join(words[: max(1, int(len(words) * 0.4))])
    for i in gold["number"]:
        m = _DIGITS.search(rows[i][1])
        rows[i][1] = rows[i][1][: m.start()] + str(int(m.group()) + 1 + rng.randint(0, 8)) + rows[i][1][m.end():]
    return rows, gold


def swap_within_articles(sentences, share: float, seed: int):
    """Rows ``[he, en]`` of ``sentences`` with the English of about ``share`` of them
    rotated among rows of one article (2 or 3 at a time); returns rows and the set of
    rotated row indices."""
    rng = random.Random(seed)
    rows = [[s.he, s.en] for s in sentences]
    by_article: dict[str, list[int]] = {}
    for k, s in enumerate(sentences):
        by_article.setdefault(s.url, []).append(k)
    articles = [ks for ks in by_article.values() if len(ks) >= 2]
    rng.shuffle(articles)
    rotated: set[int] = set()
    target = int(share * len(rows))
    for ks in articles:
        if len(rotated) >= target:
            break
        group = rng.sample(ks, min(len(ks), rng.choice([2, 3])))
        english = [rows[k][1] for k in group]
        for k, e in zip(group, english[1:] + english[:1]):  # nobody keeps their own
            rows[k][1] = e
        rotated |= set(group)
    return rows, rotated


def flores_swaps(seeds: list[int]) -> dict:
    """``misaligned`` precision and recall on same-article swaps, per seed and pooled."""
    sentences = flores.half("eval")
    scorer = get_scorer("auto")
    pooled = {"gold": 0, "flagged": 0, "tp": 0, "unflagged": 0}
    report = {}
    for seed in seeds:
        rows, rotated = swap_within_articles(sentences, 0.10, seed)
        pairs = [Pair("flores", h, e, 0.0) for h, e in rows]
        start = time.perf_counter()
        items = check(pairs, scorer)
        seconds = time.perf_counter() - start
        truth = {k + 1 for k in rotated}
        flagged = {it.row for it in items if "misaligned" in it.flags}
        unflagged = sum(1 for it in items if it.row in truth and it.good)
        tp = len(truth & flagged)
        counts = {"gold": len(truth), "flagged": len(flagged), "tp": tp, "unflagged": unflagged}
        report[seed] = {**counts, "precision": round(tp / max(len(flagged), 1), 4),
                        "recall": round(tp / len(truth), 4), "seconds": round(seconds, 1),
                        "clean_rows_flagged": sum(1 for it in items if it.row not in truth and not it.good)}
        for key, value in counts.items():
            pooled[key] += value
    report["pooled"] = {**pooled, "precision": round(pooled["tp"] / max(pooled["flagged"], 1), 4),
                        "recall": round(pooled["tp"] / pooled["gold"], 4),
                        "no_flag_share": round(pooled["unflagged"] / pooled["gold"], 4)}
    return report


TITLES = ["Prime Minister", "Defense Minister", "President", "Opposition leader",
          "Foreign Minister", "U.S. Secretary of State", "Mayor", "Dr.", "the late"]


def _first_clause(text: str) -> str | None:
    """``text`` up to its first comma, colon or semicolon, if that keeps 2 words to 60 %."""
    m = re.search(r"[,;:]", text)
    if not m:
        return None
    clause = text[:m.start()].strip()
    return clause if 2 <= len(clause.split()) <= 0.6 * len(text.split()) else None


# Number words a corruption may swap for another of the same list (gender kept).
_WORD_LISTS = ["two three four five six seven eight nine ten".split(),
               "שניים שלושה ארבעה חמישה שישה שבעה שמונה תשעה עשרה".split(),
               "שתיים שלוש ארבע חמש שש שבע שמונה תשע עשר".split()]


def _number_spans(text: str, rng: random.Random):
    """Places in ``text`` where one number can be changed: ``(start, end, new)`` for a
    digit run written once (plus 1 to 9) and for a number word (another of its list)."""
    spans = []
    for m in _DIGITS.finditer(text):
        if len(re.findall(rf"(?<!\d){m.group()}(?!\d)", text)) == 1:
            spans.append((m.start(), m.end(), str(int(m.group()) + rng.randint(1, 9)).zfill(len(m.group()))))
    for words in _WORD_LISTS:
        for m in re.finditer(r"(?<![^\W\d_])(?:[ובלמש]?)(" + "|".join(words) + r")(?![^\W\d_])", text, re.I):
            if m.group(1).lower() in words and not re.search(r"באר\s*$", text[:m.start()]):
                other = rng.choice([w for w in words if w != m.group(1).lower()])
                spans.append((m.start(1), m.end(1), other))
    return spans


def number_corpus(half: str, share: float, seed: int):
    """Rows ``[he, en]`` of every FLORES pair of ``half``; in ``share`` of the rows whose
    two sides hold a number (in digits or words), one number of one side (chosen at
    random: a digit run written once, changed by 1 to 9, or a number word, changed to
    another) is changed. Returns rows and the set of changed row indices."""
    rng = random.Random(seed)
    rows = [[s.he, s.en] for s in flores.half(half)]
    # Rows that can take a change on either side, chosen without the reader being measured,
    # so that two versions of it are measured on the same corpus.
    numbered = [k for k, (h, e) in enumerate(rows)
                if _number_spans(h, random.Random(0)) and _number_spans(e, random.Random(0))]
    rng.shuffle(numbered)
    changed = set()
    for k in numbered[: int(share * len(numbered))]:
        spans = [(side, *span) for side in (0, 1) for span in _number_spans(rows[k][side], rng)]
        if not spans:
            continue
        side, start, end, new = rng.choice(spans)
        if re.search(rf"(?<!\d){re.escape(new)}(?!\d)", rows[k][0] + " " + rows[k][1]):
            continue  # a value the pair already holds
        rows[k][side] = rows[k][side][:start] + new + rows[k][side][end:]
        changed.add(k)
    return rows, changed


def number_report(half: str, seeds: list[int], show: int = 0) -> dict:
    """``number_mismatch`` precision and recall on ``number_corpus`` (30 % of the
    digit-bearing rows changed), per seed and pooled, with the clean rows it flags."""
    from align.review.check import Checked, surface_flags

    report, tp_all, flagged_all, gold_all = {}, 0, 0, 0
    for seed in seeds:
        rows, changed = number_corpus(half, 0.3, seed)
        items = [Checked(row=k, pair=Pair("flores", h, e, 0.0), score=0.0) for k, (h, e) in enumerate(rows)]
        for it in items:
            surface_flags(it)
        flagged = {it.row for it in items if "number_mismatch" in it.flags}
        tp = len(flagged & changed)
        report[str(seed)] = {"rows": len(rows), "changed": len(changed), "flagged": len(flagged), "tp": tp,
                             "precision": round(tp / max(len(flagged), 1), 4),
                             "recall": round(tp / max(len(changed), 1), 4),
                             "unit_conversion": sum("unit_conversion" in it.flags for it in items)}
        for it in items[:] if show else []:
            if it.row in flagged - changed or it.row in changed - flagged:
                kind = "false alarm" if it.row in flagged else "missed"
                print(f"{kind}: {it.pair.he} | {it.pair.en} | {it.reasons}", file=sys.stderr)
        tp_all, flagged_all, gold_all = tp_all + tp, flagged_all + len(flagged), gold_all + len(changed)
    report["pooled"] = {"precision": round(tp_all / max(flagged_all, 1), 4),
                        "recall": round(tp_all / max(gold_all, 1), 4)}
    return report


def partial_pairs(half: str, seed: int) -> list[tuple[str, str, bool, str]]:
    """``(he, en, is_partial, kind)`` built from one half of the FLORES articles."""
    from align.text.names import name_matches

    rng = random.Random(seed)
    sentences = flores.half(half)
    by_article = flores.articles(sentences)
    rows = []
    for s in sentences:
        rows.append((s.he, s.en, False, "translation"))
        others = [o for o in by_article[s.url] if o is not s]
        if others:
            rows.append((s.he, rng.choice(others).en, False, "same_article"))
        he_names, en_names = name_matches(s.he, s.en)
        if he_names and en_names:
            he_n, en_n = " ".join(he_names), " ".join(en_names)
            rows += [(he_n, en_n, False, "names"), (he_n, f"{rng.choice(TITLES)} {en_n}", False, "title_names")]
            if len(he_names) < 0.6 * len(s.he.split()):
                rows.append((he_n, s.en, True, "he_names"))
            if len(en_names) < 0.6 * len(s.en.split()):
                rows.append((s.he, en_n, True, "en_names"))
        if (cut := _first_clause(s.en)):
            rows.append((s.he, cut, True, "en_clause"))
        if (cut := _first_clause(s.he)):
            rows.append((cut, s.en, True, "he_clause"))
    # Short everyday translations, where Hebrew packs "we can go" into two words: from
    # the Tatoeba calibration slice when fitting, the benchmark slice when evaluating.
    pool = slice_pool("calibration" if half == "fit" else "benchmark")
    rows += [(h, e, False, "tatoeba") for h, e in rng.sample(pool, TATOEBA_PARTIAL)]
    return rows


def partial_report(half: str) -> dict:
    """Precision and recall of ``partial`` on ``partial_pairs(half)``, by kind, as
    ``align check`` flags it (the strict standard doubts a pair the lenient one takes;
    nothing is tuned here: the standards are fitted by standards.py); and on the
    labelled real pairs, how many of each label are flagged."""
    import numpy as np

    scorer = get_scorer("auto")
    rows = partial_pairs(half, 1)

    def flagged_of(pairs_he_en) -> list[bool]:
        items = check([Pair("dev", h, e, 0.0) for h, e in pairs_he_en], scorer)
        return ["partial" in it.flags for it in items]

    flagged = flagged_of([(r[0], r[1]) for r in rows])
    tp = sum(f and r[2] for f, r in zip(flagged, rows))
    p, r = tp / max(sum(flagged), 1), tp / sum(r[2] for r in rows)
    report: dict = {"overall": {"precision": round(p, 4), "recall": round(r, 4),
                                "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}}
    for kind in dict.fromkeys(row[3] for row in rows):
        idx = [k for k, row in enumerate(rows) if row[3] == kind]
        report[kind] = {"pairs": len(idx), "flagged_share": round(float(np.mean([flagged[k] for k in idx])), 4)}
    real = os.path.join(HERE, "..", "..", "shared", "data", "ynetnews-pages", "gold.jsonl")
    if os.path.exists(real):
        from align import text as T

        with open(real, encoding="utf-8") as fh:
            labelled = [json.loads(line) for line in fh]
        marks = flagged_of([(T.clean(r["he"]), T.clean(r["en"])) for r in labelled])
        for label in "TPD":
            idx = [k for k, r in enumerate(labelled) if r["label"] == label]
            report[f"real_{label}"] = {"pairs": len(idx), "flagged": sum(marks[k] for k in idx)}
    return report


def run_check(rows):
    scorer = get_scorer("auto")
    pairs = [Pair("dev", h, e, 0.0) for h, e in rows]
    start = time.perf_counter()
    items = check(pairs, scorer)
    return items, time.perf_counter() - start


def scores(items, gold) -> dict:
    out = {}
    for kind, flag in GOLD_FLAG.items():
        truth = {i + 1 for i in gold[kind]}
        pred = {it.row for it in items if flag in it.flags}
        tp = len(truth & pred)
        out[flag] = {"gold": len(truth), "flagged": len(pred), "tp": tp,
                     "precision": round(tp / len(pred), 4) if pred else None,
                     "recall": round(tp / len(truth), 4) if truth else None}
    corrupted = {i + 1 for g in gold.values() for i in g}
    clean = [it for it in items if it.row not in corrupted]
    out["clean_pairs_flagged"] = {"clean": len(clean), "flagged": sum(not it.good for it in clean)}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--speed", type=int, help="time a check of this many clean pairs")
    parser.add_argument("--numbers", choices=["fit", "eval"],
                        help="number_mismatch on FLORES pairs of this half with numbers changed")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--show", action="store_true", help="print false alarms and misses")
    parser.add_argument("--write", metavar="DIR", help="write the corrupted set and its gold here")
    parser.add_argument("--flores", nargs="+", type=int, metavar="SEED",
                        help="same-article swaps of the FLORES evaluation half, one corpus per seed")
    parser.add_argument("--partial", choices=flores.HALVES, help="measure the partial flag on this half")
    args = parser.parse_args(argv)
    if args.numbers:
        print(json.dumps(number_report(args.numbers, args.seeds, args.show), indent=2))
        return 0
    if args.partial:
        print(json.dumps(partial_report(args.partial), indent=2))
        return 0
    if args.flores:
        print(json.dumps(flores_swaps(args.flores), indent=2))
        return 0
    pairs = unique_pairs()
    if args.speed:  # any pairs will do for timing: the raw dev data, in file order
        with open(TATOEBA + ".heb", encoding="utf-8") as fh_he, open(TATOEBA + ".eng", encoding="utf-8") as fh_en:
            rows = [[h.strip(), e.strip()] for h, e in zip(fh_he, fh_en)][: args.speed]
        items, seconds = run_check(rows)
        print(json.dumps({"pairs": len(rows), "seconds": round(seconds, 2),
                          "pairs_per_second": round(len(rows) / seconds, 1),
                          "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                          "summary": summary(items)}, indent=2))
        return 0
    rows, gold = corrupt(pairs, args.pairs, args.seed)
    if args.write:
        os.makedirs(args.write, exist_ok=True)
        WRITERS["tsv"]([Pair("dev", h, e, 0.0) for h, e in rows], os.path.join(args.write, "corrupted.tsv"), {})
        os.remove(os.path.join(args.write, "corrupted.tsv.meta.json"))
        with open(os.path.join(args.write, "gold.json"), "w", encoding="utf-8") as fh:
            json.dump({k: sorted(i + 1 for i in v) for k, v in gold.items()}, fh, indent=1)
    items, seconds = run_check(rows)
    report = scores(items, gold)
    report["seconds"] = round(seconds, 2)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
