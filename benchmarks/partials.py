"""Teaching and evaluation pairs for the standards: full translations, partial ones and
different ones, cut from the FLORES articles (and Tatoeba pairs) with their real wording.

A FLORES line is a professional translation of a news sentence. Aligned word by word (an
IBM Model 1 table learnt here from Tatoeba and all of FLORES, for building only: it does
not ship), each line gives pieces that translate each other: a clause, a phrase, a name.
From those pieces, every example a news caption shows:

- ``T`` whole: a piece and its translation (or the whole line); the same with what the
  guideline says stays a translation added: a title before a name ("Prime Minister"),
  a credit ("(Photo: Reuters)", "צילום: רויטרס"), a caption tag (ארכיון, "archive"),
  and Hebrew keyword lists that keep every content word ("הזרקה חיסון קורונה פייזר");
- ``P`` partial: one side with the next clause or phrase of the line that the other
  lacks (an extra person, place, time, number or action), a keyword list missing a
  content word, a name alone against the name and the event, and the reverse;
- ``D`` different: a piece against a piece of another line of the same article, and a
  name with its event against another line's piece with the same name in another event
  ("Tom scared me" / "Tom tells me you're smart").

Each example records its ``kind``; the two halves of FLORES (``flores.half``) give a
fitting set and an evaluation set that share no article. A thousand Tatoeba pairs join
each half (the calibration slice of ``pages.py`` for fitting, the benchmark slice for
evaluation): short everyday sentences, whose words the lexicon knows (it was learnt
from Tatoeba), where FLORES is news-like text whose words it mostly does not.

    python benchmarks/partials.py --half fit --show 40
    python benchmarks/partials.py --half eval -o partials-eval.jsonl
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

import flores  # noqa: E402
from lexicon import tatoeba_pairs  # noqa: E402

from align.text import ENGLISH_FUNCTION_WORDS, HEBREW_FUNCTION_WORDS  # noqa: E402
from align.text import lexicon as L  # noqa: E402
from align.text.names import sounds_alike  # noqa: E402
from align.text.units import en_units, he_units  # noqa: E402

LINK_MIN = 0.15
CUT_WORDS = frozenset("""and but while which who whom whose after before when as because since
although though where with without during including until amid""".split())
HE_CUT_WORDS = frozenset("""אשר אך אולם כאשר כש לאחר אחרי לפני בזמן במהלך כי מאחר למרות בעוד""".split())
EN_TITLES = ["Prime Minister", "President", "Defense Minister", "Foreign Minister", "Dr.", "Professor",
             "Rabbi", "Police Chief", "Mayor", "Senator", "General", "Coach", "Former President",
             "Health Minister", "U.S. Secretary of State", "Opposition leader"]
HE_TITLES = ["ראש הממשלה", "הנשיא", "שר הביטחון", "שר החוץ", "ד\"ר", "פרופ'", "הרב", "ראש העיר",
             "הסנאטור", "השר", "יו\"ר", "ח\"כ"]
CREDITS_EN = ["(Photo: Reuters)", "(Photo: AP)", "(Photo: AFP)", "(Photo: Shutterstock)", "(Photo: GPO)",
              "(Photo: EPA)", "(Archive photo)", "(Illustration)", "Archive:", "Illustration photo:"]
CREDITS_HE = ["צילום: רויטרס", "צילום: AP", "צילום: AFP", "(צילום: שאטרסטוק)", "(צילום: לע\"מ)",
              "ארכיון", "(צילום ארכיון)", "אילוסטרציה", "צילום מסך", "(צילום: EPA)"]
_HE_WORD = re.compile(r"\S+")


@dataclass
class Line:
    he: list[str]            # tokens as written (whitespace split)
    en: list[str]
    links: set[tuple[int, int]]
    article: str
    names: set[tuple[int, int]]


def tokens(text: str) -> list[str]:
    return _HE_WORD.findall(text)


def _norm_he(tok: str) -> str:
    words = L.he_tokens(tok)
    return words[0] if words else ""


def _norm_en(tok: str) -> str:
    words = L.en_tokens(tok)
    return words[0] if words else ""


def links_of(he: list[str], en: list[str], table: L.Lexicon) -> tuple[set, set]:
    """Word links of a line: each content word to its strongest partner on the other
    side (table strength at least ``LINK_MIN``, a transliterated name, an equal number);
    and the links that are names (transliterations)."""
    hn, en_n = [_norm_he(t) for t in he], [_norm_en(t) for t in en]
    strength = {}
    names = set()
    for i, h in enumerate(hn):
        if not h or h in HEBREW_FUNCTION_WORDS:
            continue
        for j, e in enumerate(en_n):
            if not e or e in ENGLISH_FUNCTION_WORDS:
                continue
            s = table.strength(h, e)
            units = en_units(en[j])
            if units and units[0].kind == "name" and sounds_alike(h, units[0].form, True):
                s = max(s, 1.0)
                names.add((i, j))
            strength[(i, j)] = s
    digits_he = {i: re.sub(r"\D", "", t) for i, t in enumerate(he) if re.search(r"\d", t)}
    digits_en = {j: re.sub(r"\D", "", t) for j, t in enumerate(en) if re.search(r"\d", t)}
    for i, a in digits_he.items():
        for j, b in digits_en.items():
            if a and a == b:
                strength[(i, j)] = 1.0
    out = set()
    for side in (0, 1):
        best: dict[int, tuple[float, tuple[int, int]]] = {}
        for cell, s in strength.items():
            if s >= LINK_MIN and s > best.get(cell[side], (0.0, cell))[0]:
                best[cell[side]] = (s, cell)
        out |= {cell for _, cell in best.values()}
    return out, names & out


def cut_points(words: list[str], cut_words: frozenset[str]) -> list[int]:
    """Positions where a piece may start: 0, after punctuation, before a cut word."""
    out = {0, len(words)}
    for k, w in enumerate(words):
        if k and w.lower().strip(",;:") in cut_words:
            out.add(k)
        if w[-1:] in ",;:" and k + 1 < len(words):
            out.add(k + 1)
        if w in ("–", "-", "—"):
            out.add(k)
            out.add(k + 1)
    return sorted(out)


def he_cut_words(words: list[str]) -> list[int]:
    out = set(cut_points(words, HE_CUT_WORDS))
    for k, w in enumerate(words):  # "ו" before a verb or a clause: too rare to tell; keep punctuation
        if k and w.startswith("ש") and len(w) > 3 and words[k - 1][-1:] == ",":
            out.add(k)
    return sorted(out)


def pieces(line: Line, min_en: int = 2, max_en: int = 14) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Consistent piece pairs ``((he_start, he_end), (en_start, en_end))``: an English
    span between cut points and the Hebrew span its links reach, no link leaving
    either span, at least two links and most English content words linked."""
    cuts = cut_points(line.en, CUT_WORDS)
    out = []
    for a in range(len(cuts)):
        for b in range(a + 1, len(cuts)):
            s, e = cuts[a], cuts[b]
            if not (min_en <= e - s <= max_en):
                continue
            inside = [(i, j) for i, j in line.links if s <= j < e]
            if len(inside) < 2:
                continue
            hs, he_ = min(i for i, _ in inside), max(i for i, _ in inside) + 1
            if any((hs <= i < he_) != (s <= j < e) for i, j in line.links):
                continue
            content = [j for j in range(s, e) if _norm_en(line.en[j]) not in ENGLISH_FUNCTION_WORDS
                       and _norm_en(line.en[j])]
            he_content = [i for i in range(hs, he_) if _norm_he(line.he[i]) not in HEBREW_FUNCTION_WORDS
                          and _norm_he(line.he[i])]
            linked, he_linked = {j for _, j in inside}, {i for i, _ in inside}
            if (not content or len(linked & set(content)) < 0.8 * len(content) or content[-1] not in linked
                    or content[0] not in linked or len(he_linked & set(he_content)) < 0.6 * len(he_content)):
                continue
            while s < e and _norm_en(line.en[s]) in ENGLISH_FUNCTION_WORDS | CUT_WORDS:
                s += 1  # a caption does not start with "and", "which", "the"
            if s < e:
                out.append(((hs, he_), (s, e)))
    return out


def text(words: list[str], span: tuple[int, int]) -> str:
    return " ".join(words[span[0]:span[1]]).strip(" ,;:–-—")


def name_runs(line: Line) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Names on both sides: a run of capitalised English words, each transliterated in
    the Hebrew, whose Hebrew words are a contiguous run linked only to them."""
    out = []
    j = 0
    while j < len(line.en):
        if line.en[j][:1].isupper() and _norm_en(line.en[j]) not in ENGLISH_FUNCTION_WORDS:
            k = j
            while k + 1 < len(line.en) and line.en[k + 1][:1].isupper():
                k += 1
            he_side = sorted(i for i, jj in line.links if j <= jj <= k)
            named = {jj for _, jj in line.names}
            if (he_side and he_side[-1] - he_side[0] + 1 == len(he_side)
                    and all(jj in named for jj in range(j, k + 1))
                    and not any(he_side[0] <= i <= he_side[-1] and not (j <= jj <= k) for i, jj in line.links)):
                out.append(((he_side[0], he_side[-1] + 1), (j, k + 1)))
            j = k + 1
        else:
            j += 1
    return out


def _outside(line: Line, side: int, span: tuple[int, int], other: tuple[int, int]) -> bool:
    """Whether a word of ``span`` (side 0 Hebrew, 1 English) links outside ``other``."""
    return any(span[0] <= link[side] < span[1] and not (other[0] <= link[1 - side] < other[1])
               for link in line.links)


def grow(line: Line, he_span, en_span, rng: random.Random) -> tuple[str, str, str, str] | None:
    """A partial pair: one side's piece grown to its next (or previous) cut point over
    content whose counterpart the other piece lacks."""
    options = []
    for side, span, cuts in ((1, en_span, cut_points(line.en, CUT_WORDS)),
                             (0, he_span, he_cut_words(line.he))):
        after = [c for c in cuts if c > span[1]]
        before = [c for c in cuts if c < span[0]]
        other = he_span if side else en_span
        if after and after[0] - span[1] <= 10 and _outside(line, side, (span[1], after[0]), other):
            options.append((side, (span[0], after[0])))
        if before and span[0] - before[-1] <= 10 and _outside(line, side, (before[-1], span[0]), other):
            options.append((side, (before[-1], span[1])))
    if not options:
        return None
    side, span = rng.choice(options)
    if side:
        return text(line.he, he_span), text(line.en, span), "P", "en_more"
    return text(line.he, span), text(line.en, en_span), "P", "he_more"


def keywords(he_words: list[str], drop: set[int]) -> str:
    """A Hebrew keyword list: the content words in order, function words left out."""
    out = []
    for k, w in enumerate(he_words):
        bare = _norm_he(w)
        if k in drop or not bare or any(f in HEBREW_FUNCTION_WORDS for f in L.he_prefixed(bare)[:1]):
            continue
        out.append(w.strip(",;:.\"()"))
    return " ".join(out)


def examples(lines: list[Line], rng: random.Random) -> list[dict]:
    """Every kind of example from ``lines`` (see the module docstring)."""
    rows = []
    by_article: dict[str, list[Line]] = {}
    for line in lines:
        by_article.setdefault(line.article, []).append(line)
    by_name: dict[str, list[Line]] = {}  # the lines each name (as the English writes it) is in
    for line in lines:
        for _, (s, e) in name_runs(line):
            by_name.setdefault(text(line.en, (s, e)), []).append(line)

    def add(he: str, en: str, label: str, kind: str) -> None:
        if he.strip() and en.strip() and he_units(he) and en_units(en):
            rows.append({"he": he, "en": en, "label": label, "kind": kind})

    for line in lines:
        found = pieces(line)
        rng.shuffle(found)
        whole_he, whole_en = " ".join(line.he), " ".join(line.en)
        if rng.random() < 0.15:
            add(whole_he, whole_en, "T", "whole_line")
        for (hs, he_), (s, e) in found[:5]:
            he_t, en_t = text(line.he, (hs, he_)), text(line.en, (s, e))
            add(he_t, en_t, "T", "piece")
            if rng.random() < 0.3:
                if rng.random() < 0.5:
                    add(he_t, f"{en_t} {rng.choice(CREDITS_EN)}", "T", "credit")
                else:
                    add(f"{he_t} {rng.choice(CREDITS_HE)}", en_t, "T", "credit")
            # one side says more: the piece grown on one side only, to the next cut point,
            # over at least one content word whose counterpart lies outside the other piece
            grown = grow(line, (hs, he_), (s, e), rng)
            if grown:
                add(*grown)
            # keyword lists
            content = [k for k in range(hs, he_) if _norm_he(line.he[k])
                       and _norm_he(line.he[k]) not in HEBREW_FUNCTION_WORDS]
            linked = sorted({i for i, j in line.links if hs <= i < he_})
            if len(content) >= 2 and rng.random() < 0.4:
                add(keywords(line.he[hs:he_], set()), en_t, "T", "keywords")
                if len(linked) >= 2:
                    gone = {rng.choice(linked) - hs}
                    add(keywords(line.he[hs:he_], gone), en_t, "P", "keywords_short")
            # a different piece of the same story
            others = [o for o in by_article[line.article] if o is not line]
            if others:
                other = rng.choice(others)
                theirs = pieces(other)
                if theirs:
                    h2, (s2, e2) = rng.choice(theirs)
                    if rng.random() < 0.5:
                        add(he_t, text(other.en, (s2, e2)), "D", "same_story")
                    else:
                        add(text(other.he, h2), en_t, "D", "same_story")
        for (hs, he_), (s, e) in name_runs(line)[:2]:
            he_name, en_name = text(line.he, (hs, he_)), text(line.en, (s, e))
            if not he_name or not en_name:
                continue
            add(he_name, en_name, "T", "name")
            if s - e == -1:
                pass  # a one-word name is as often a place as a person: no title
            elif rng.random() < 0.5:
                add(he_name, f"{rng.choice(EN_TITLES)} {en_name}", "T", "name_title")
            else:
                add(f"{rng.choice(HE_TITLES)} {he_name}", en_name, "T", "name_title")
            around = [(h2, e2) for h2, e2 in found if e2[0] <= s and e <= e2[1] and e2[1] - e2[0] >= e - s + 2]
            if around:
                h2, e2 = rng.choice(around)
                if rng.random() < 0.5:
                    add(he_name, text(line.en, e2), "P", "name_vs_event")
                else:
                    add(text(line.he, h2), en_name, "P", "event_vs_name")
                # the same name in two events: a piece of another line that names them too
                others = [o for o in by_name.get(en_name, []) if o is not line]
                if others:
                    other = rng.choice(others)
                    theirs = [e3 for _, e3 in pieces(other) if en_name in text(other.en, e3)
                              and e3[1] - e3[0] >= e - s + 2]
                    if theirs:
                        add(text(line.he, h2), text(other.en, rng.choice(theirs)), "D", "same_name")
    return rows


TATOEBA_SLICE = {"fit": "calibration", "eval": "benchmark"}  # pages.py's slices, disjoint
TATOEBA_LINES = 1000  # short everyday sentences beside the news-like FLORES lines


def tatoeba_lines(half: str) -> list[tuple[str, str]]:
    """The Tatoeba pairs that join the FLORES lines of ``half``."""
    from pages import slice_pool

    return slice_pool(TATOEBA_SLICE[half])[:TATOEBA_LINES]


def build_lines(half: str) -> list[Line]:
    """The FLORES lines of one half and ``TATOEBA_LINES`` Tatoeba pairs of a slice of
    their own (in groups of four as "articles"), tokenised and word-aligned."""
    sentences = flores.load()
    table = L.learn(tatoeba_pairs() + [(s.he, s.en) for s in sentences])
    source = [(s.he, s.en, s.url) for s in flores.half(half, sentences)]
    source += [(h, e, f"tatoeba-{k // 4}") for k, (h, e) in enumerate(tatoeba_lines(half))]
    out = []
    for he_text, en_text, article in source:
        he, en = tokens(he_text), tokens(en_text)
        links, names = links_of(he, en, table)
        out.append(Line(he, en, links, article, names))
    return out


def make(half: str, seed: int = 1) -> list[dict]:
    """The examples of one half of FLORES (``fit`` or ``eval``)."""
    return examples(build_lines(half), random.Random(seed))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=flores.HALVES, default="fit")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output")
    parser.add_argument("--show", type=int, default=0, help="print this many examples")
    args = parser.parse_args(argv)
    rows = make(args.half, args.seed)
    counts: dict[str, int] = {}
    for r in rows:
        counts[f"{r['label']} {r['kind']}"] = counts.get(f"{r['label']} {r['kind']}", 0) + 1
    print(json.dumps(counts, indent=1, sort_keys=True), file=sys.stderr)
    for r in random.Random(0).sample(rows, min(args.show, len(rows))):
        print(f"{r['label']} {r['kind']:15s} {r['he'][:70]} | {r['en'][:90]}")
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
