"""Numbers as news writes them, in generated Hebrew-English pairs, for ``number_mismatch``.

Real translated news carries what FLORES and Tatoeba rarely do: units the English
edition converted (and rounded as an editor does), Hebrew unit abbreviations typed with
typographic gershayim, temperatures in two scales, times with a dot, sports results
with dashes and halves between bidi marks, amounts with scale words, decades, and
number words that are no quantity ("שתי הקבוצות", "the Final Four", "ביום שלישי").
Each class has templates of two halves written apart: the ``fit`` half was looked at
while the reader was shaped; the ``eval`` half was written at the same time and is only
measured. Every pair is correct as generated; then one number of one side (a digit run
changed by 1 to 9, or a scale word swapped) is changed in 30 % of the pairs: gold
``number_mismatch``.

    python benchmarks/news_numbers.py --half eval --seeds 1 2 3
    python benchmarks/news_numbers.py --half fit --show
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

GERSHAYIM = ['"', "״", "“", "”"]
GERESH = ["'", "׳", "’", "‘"]
RLM = "\u200f"


def _g(rng) -> str:
    return rng.choice(GERSHAYIM)


def _r(value: float, rng) -> str:
    """A converted value rounded as an editor would: one decimal below 2 (and at times
    below 10), whole below 100, at times to the nearest 5 or 10 above."""
    if value < 2 or (value < 10 and rng.random() < 0.5):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    if value >= 100 and rng.random() < 0.5:
        return str(int(round(value / 10) * 10))
    if value >= 50 and rng.random() < 0.3:
        return str(int(round(value / 5) * 5))
    return str(int(round(value)))


def _thousands(n: int) -> str:
    return f"{n:,}"


# Each template: rng -> (he, en). Written in two halves: fit and eval.
def fit_rain(rng):
    mm = rng.choice([15, 20, 25, 30, 40, 45, 60, 80])
    return (f"בצפון ירדו עד {mm} מ{_g(rng)}מ גשם במהלך הלילה",
            f"Up to {_r(mm / 25.4, rng)} inches of rain fell in the north overnight")


def eval_rain(rng):
    lo, hi = rng.choice([(10, 20), (20, 40), (30, 50), (40, 70)])
    return (f"התחזית: בין {lo} ל-{hi} מ{_g(rng)}מ גשם בגליל",
            f"The forecast: {_r(lo / 25.4, rng)} to {_r(hi / 25.4, rng)} inches of rain in the Galilee")


def fit_speed(rng):
    kmh = rng.choice([90, 110, 120, 140, 160, 180])
    return (f"הנהג נתפס נוהג במהירות של {kmh} קמ{_g(rng)}ש",
            f"The driver was caught going {_r(kmh / 1.609, rng)} mph")


def eval_speed(rng):
    kmh = rng.choice([60, 80, 100, 130, 150])
    return (f"משבי רוח של {kmh} קמ{_g(rng)}ש צפויים בחוף",
            f"Gusts of up to {_r(kmh / 1.609, rng)} mph are expected on the coast")


def fit_weight(rng):
    kg = rng.choice([2, 5, 12, 40, 300, 1200])
    return (f"המשטרה תפסה {kg} ק{_g(rng)}ג של סמים",
            f"Police seized {_r(kg * 2.2046, rng)} pounds of drugs")


def eval_weight(rng):
    kg = rng.choice([3, 8, 25, 150, 500])
    return (f"בחיפוש נמצאו {kg} ק{_g(rng)}ג חומר נפץ",
            f"The search turned up {kg} kilograms of explosives")


def fit_distance(rng):
    km = rng.choice([5, 8, 12, 18, 30, 45, 120])
    return (f"הכפר נמצא {km} ק{_g(rng)}מ מהגבול",
            f"The village lies {_r(km / 1.609, rng)} miles from the border")


def eval_distance(rng):
    km = rng.choice([3, 7, 15, 25, 60, 200])
    return (f"הטיל נחת כ-{km} ק{_g(rng)}מ מאשקלון",
            f"The rocket landed some {_r(km / 1.609, rng)} miles from Ashkelon")


def fit_area(rng):
    m2 = rng.choice([60, 85, 100, 120, 250])
    return (f"הדירה בשטח {m2} מ{_g(rng)}ר נמכרה במחיר שיא",
            f"The {_thousands(int(round(m2 * 10.764 / 10) * 10))}-square-foot apartment sold for a record price")


def eval_area(rng):
    m2 = rng.choice([70, 90, 140, 300])
    return (f"המבנה משתרע על {m2} מ{_g(rng)}ר",
            f"The building covers {m2} square meters")


def fit_height(rng):
    m = rng.choice([2, 3, 4, 6, 8])
    return (f"החומה בגובה {m} מ{rng.choice(GERESH)} הוקמה לאורך הכביש",
            f"The {_r(m * 3.281, rng)}-foot wall was built along the road")


def eval_height(rng):
    m = rng.choice([5, 10, 12, 20])
    return (f"גל בגובה {m} מטרים היכה בחוף",
            f"A {_r(m * 3.281, rng)}-foot wave hit the shore")


def fit_temperature(rng):
    c = rng.choice([28, 32, 35, 38, 40, 42])
    f = round(c * 9 / 5 + 32)
    return (f"הטמפרטורה בבקעה תגיע היום ל-{c} מעלות",
            rng.choice([f"Temperatures in the valley will reach {f} degrees Fahrenheit today",
                        f"Temperatures in the valley will reach {f}F today"]))


def eval_temperature(rng):
    c = rng.choice([5, 8, 10, 12])
    return (f"הטמפרטורות צפויות לרדת ב-{c} מעלות",
            f"Temperatures are expected to drop by {round(c * 1.8)} degrees Fahrenheit")


def fit_decade(rng):
    d = rng.choice([50, 60, 70, 80, 90])
    dash = rng.choice(["-", "־", "–"])
    return (f"השכונה נבנתה בשנות ה{dash}{d}",
            rng.choice([f"The neighborhood was built in the 19{d}s", f"The neighborhood was built in the '{d}s"]))


def eval_decade(rng):
    words = {60: ("השישים", "sixties"), 70: ("השבעים", "seventies"), 80: ("השמונים", "eighties"),
             90: ("התשעים", "nineties")}
    d = rng.choice(list(words))
    return (f"הזמר פרץ בשנות {words[d][0]}",
            rng.choice([f"The singer broke through in the {words[d][1]}", f"The singer broke through in the ’{d}s"]))


def fit_money(rng):
    v = rng.choice(["2.5", "1.2", "40", "300", "7.8"])
    big = rng.choice([("מיליון", "m", "million"), ("מיליארד", "bn", "billion")])
    return (f"החברה גייסה {v} {big[0]} דולר",
            rng.choice([f"The company raised ${v}{big[1]}", f"The company raised {v} {big[2]} dollars"]))


def eval_money(rng):
    v = rng.choice(["1.5", "3", "12", "650", "4.2"])
    big = rng.choice([("מיליון", "m", "million"), ("מיליארד", "bn", "billion")])
    return (f"הממשלה אישרה תקציב של {v} {big[0]} שקל",
            rng.choice([f"The government approved a NIS {v}{big[1]} budget",
                        f"The government approved a budget of NIS {v} {big[2]}"]))


def fit_time(rng):
    h, m = rng.choice([(8, 30), (9, 15), (10, 45), (20, 30), (21, 15)])
    en_h = h % 12 or 12
    return (f"הטקס יתחיל בשעה {h}.{m:02d}",
            f"The ceremony will begin at {en_h}:{m:02d} {'am' if h < 12 else 'pm'}")


def eval_time(rng):
    h, m = rng.choice([(6, 45), (7, 30), (18, 15), (19, 45), (22, 30)])
    en_h = h % 12 or 12
    return (f"הטיסה נחתה ב-{h}.{m:02d}",
            f"The flight landed at {en_h}:{m:02d} {'a.m.' if h < 12 else 'p.m.'}")


def fit_score(rng):
    a, b = rng.choice([(14.5, 13.5), (15, 13), (16.5, 11.5)])
    fa, fb = (f"{x:g}" for x in (a, b))
    return (f"אירופה ניצחה את ארה{_g(rng)}ב {RLM}{fb}{RLM}-{RLM}{fa}{RLM}",
            f"Europe beat the U.S. {fa}-{fb}".replace(".5", "½"))


def eval_score(rng):
    a, b = rng.choice([(3, 2), (4, 3), (2, 1), (5, 4)])
    return (f"הגולף: הוא ניצח {a} ו-{b} בגמר",
            f"Golf: he won the final {a}&{b}")


def fit_words(rng):
    year = rng.randint(2010, 2023)
    return (f"שתי הקבוצות ייפגשו שוב בפיינל פור של {year}",
            f"The sides will meet again at the {year} Final Four")


def eval_words(rng):
    year = rng.randint(2010, 2023)
    day = rng.choice([("שלישי", "Tuesday"), ("רביעי", "Wednesday"), ("חמישי", "Thursday")])
    return (f"ביום {day[0]} נפגשו שני המנהיגים, לראשונה מאז {year}",
            f"On {day[1]} the leaders met, for the first time since {year}")


def fit_ordinal(rng):
    n = rng.choice([("השלישי", "third", 3), ("הרביעי", "fourth", 4), ("החמישי", "fifth", 5)])
    year = rng.randint(2015, 2023)
    return (f"הוא סיים במקום {n[0]} באליפות {year}",
            f"He finished {n[1]} at the {year} championship")


def eval_ordinal(rng):
    n = rng.choice([("השלישית", "third"), ("הרביעית", "fourth"), ("החמישית", "fifth")])
    goals = rng.choice([("שני", "two"), ("שלושה", "three")])
    return (f"זו הפעם {n[0]} שהוא כובש {goals[0]} שערים",
            f"It is the {n[1]} time he has scored {goals[1]} goals")


def fit_plain(rng):
    n, year = rng.randint(3, 900), rng.randint(1990, 2023)
    return (f"ב-{year} נפצעו {n} בני אדם בתאונות", f"In {year}, {n} people were hurt in accidents")


def eval_plain(rng):
    n, pct = rng.randint(2, 60), rng.randint(5, 95)
    return (f"{pct}% מהנשאלים אמרו כי {n} מהם נפגעו",
            f"{pct}% of respondents said {n} of them were affected")


TEMPLATES = {half: [f for name, f in sorted(globals().items()) if name.startswith(half + "_")]
             for half in ("fit", "eval")}
_DIGITS = re.compile(r"\d+")
_SCALE_SWAP = {"מיליון": "מיליארד", "מיליארד": "מיליון", "million": "billion", "billion": "million",
               "m ": "bn ", "bn ": "m "}


def change(text: str, rng) -> str | None:
    """``text`` with one number changed: a digit run by 1 to 9, or a scale word swapped."""
    options = [("digits", m) for m in _DIGITS.finditer(text)]
    options += [("scale", word) for word in _SCALE_SWAP if word in text]
    if not options:
        return None
    kind, what = rng.choice(options)
    if kind == "scale":
        return text.replace(what, _SCALE_SWAP[what], 1)
    new = str(int(what.group()) + rng.randint(1, 9))
    return text[:what.start()] + new + text[what.end():]


def corpus(half: str, n: int, seed: int, share: float = 0.3):
    """``n`` generated pairs of ``half`` and the set of rows with a number changed."""
    rng = random.Random(f"{half}-{seed}")
    rows, changed = [], set()
    templates = TEMPLATES[half]
    for k in range(n):
        he, en = templates[k % len(templates)](rng)
        if rng.random() < share:
            side = rng.randrange(2)
            new = change((he, en)[side], rng)
            if new is not None and new != (he, en)[side]:
                he, en = (new, en) if side == 0 else (he, new)
                changed.add(k)
        rows.append((he, en))
    return rows, changed


def measure(half: str, seeds: list[int], n: int, show: bool) -> dict:
    from align.records import Pair
    from align.review.check import Checked, surface_flags

    out, tp_all, flagged_all, gold_all, clean_reasons, clean_all = {}, 0, 0, 0, 0, 0
    for seed in seeds:
        rows, changed = corpus(half, n, seed)
        items = [Checked(row=k, pair=Pair("news", h, e, 0.0), score=0.0) for k, (h, e) in enumerate(rows)]
        for it in items:
            surface_flags(it)
        flagged = {it.row for it in items if "number_mismatch" in it.flags}
        clean = [it for it in items if it.row not in changed]
        reasons = sum(1 for it in clean if "number_mismatch" in it.flags)
        tp = len(flagged & changed)
        out[str(seed)] = {"rows": n, "changed": len(changed), "flagged": len(flagged), "tp": tp,
                          "precision": round(tp / max(len(flagged), 1), 4),
                          "recall": round(tp / max(len(changed), 1), 4),
                          "clean_mismatch": reasons,
                          "clean_unit_conversion": sum("unit_conversion" in it.flags for it in clean)}
        if show:
            for it in items:
                if (it.row in flagged) != (it.row in changed):
                    kind = "false alarm" if it.row in flagged else "missed"
                    print(f"{kind}: {it.pair.he} | {it.pair.en} | {it.reasons}", file=sys.stderr)
        tp_all, flagged_all, gold_all = tp_all + tp, flagged_all + len(flagged), gold_all + len(changed)
        clean_reasons, clean_all = clean_reasons + reasons, clean_all + len(clean)
    out["pooled"] = {"precision": round(tp_all / max(flagged_all, 1), 4), "recall": round(tp_all / max(gold_all, 1), 4),
                     "changed": gold_all, "flagged": flagged_all,
                     "clean_mismatch_per_1000": round(1000 * clean_reasons / max(clean_all, 1), 1)}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=["fit", "eval"], default="eval")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--pairs", type=int, default=600, help="pairs per seed")
    parser.add_argument("--show", action="store_true", help="print false alarms and misses")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.half, args.seeds, args.pairs, args.show), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
