"""Translated articles: split both sides into sentences and align them in order."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .beads import MERGES, WIDE, Bead, align, merge_sites
from .corpus import Pair
from .sentences import split_sentences
from .scoring.surface import numbers
from .text import clean

BEAD_SETS = {"merges": MERGES, "wide": WIDE}


@dataclass
class Aligned:
    """Both sides' sentences and the beads that align them."""

    he: list[str]
    en: list[str]
    beads: list[Bead]

    def rows(self) -> list[dict]:
        """JSONL beads: ``he_ids``, ``en_ids`` (0-based sentence indices), ``he``, ``en``, ``score``."""
        return [{"he_ids": list(b.he), "en_ids": list(b.en),
                 "he": " ".join(self.he[i] for i in b.he), "en": " ".join(self.en[j] for j in b.en),
                 "score": b.score} for b in self.beads]

    def vecalign_lines(self) -> list[str]:
        """Vecalign-style lines: ``[0]:[0,1]:0.8123``."""
        return [f"[{','.join(map(str, b.he))}]:[{','.join(map(str, b.en))}]:{b.score:.4f}"
                for b in self.beads]

    def bead_pairs(self, doc: str) -> list[Pair]:
        """Every bead as a ``Pair``, 1-0 and 0-1 beads too (one side empty); the lines
        are 1-based sentence numbers. ``bead_row`` turns one back into a bead row."""
        return [Pair(doc=doc, he=" ".join(self.he[i] for i in b.he), en=" ".join(self.en[j] for j in b.en),
                     score=b.score, he_line=b.he[0] + 1 if b.he else None,
                     en_line=b.en[0] + 1 if b.en else None,
                     he_lines=[i + 1 for i in b.he], en_lines=[j + 1 for j in b.en])
                for b in self.beads]

    def pairs(self, doc: str) -> list[Pair]:
        """Beads with both sides as corpus pairs (merged sentences joined by a space)."""
        return [Pair(doc=doc, he=" ".join(self.he[i] for i in b.he), en=" ".join(self.en[j] for j in b.en),
                     score=b.score, he_line=b.he[0] + 1, en_line=b.en[0] + 1,
                     he_lines=[i + 1 for i in b.he], en_lines=[j + 1 for j in b.en])
                for b in self.beads if b.he and b.en]


def sentences(lines: list[str], lang: str, presplit: bool) -> list[str]:
    """One sentence per non-empty line when ``presplit``, else split running text."""
    if presplit:
        return [clean(line) for line in lines if clean(line)]
    return split_sentences("\n".join(lines), lang)


def align_texts(he_lines: list[str], en_lines: list[str], embed, presplit: bool = False,
                beads: str = "merges", translator=None, scorer=None) -> Aligned:
    """Split (unless ``presplit``), embed with ``embed(texts) -> (n, d)``, align.

    A first alignment uses averaged vectors for merged sentences; then the merged text
    is embedded for real only where that alignment skipped or merged (where true merges
    hide), and the alignment is run again with those vectors. On held-out documents
    this lifts strict F1 from 0.884 to 0.901 for about 1.6x the embedding work.
    With a ``translator`` (``translate(texts) -> list[str]``), the Hebrew sentences'
    translations are embedded too and compared with the English (see ``beads.align``).
    With a ``scorer`` (a calibrated scorer), each bead holding both sides is scored
    as ``align check`` scores a corpus row, so its ``score`` is the probability that
    its two sides translate each other, as everywhere else; without one it is the
    cosine the alignment used.
    """
    he = sentences(he_lines, "he", presplit)
    en = sentences(en_lines, "en", presplit)
    shapes = BEAD_SETS[beads]
    H, E = embed(he), embed(en)
    chars = {"he_chars": np.array([len(x) for x in he]), "en_chars": np.array([len(x) for x in en]),
             "he_numbers": [numbers(x) for x in he], "en_numbers": [numbers(x) for x in en]}
    if translator is not None and he:
        chars["he_translated"] = embed(translator.translate(he))
    sizes = (2, 3) if beads == "wide" else (2,)

    def real_vectors(first: list[Bead]):
        """Embed the merged text of the windows where ``first`` skipped or merged."""
        windows = []
        for sites, text in zip(merge_sites(first, len(he), len(en), sizes), (he, en)):
            order = sorted(sites)
            vectors = embed([" ".join(text[s:s + k]) for s, k in order]) if order else []
            windows.append(dict(zip(order, vectors)))
        return windows[0], windows[1]

    found = align(H, E, beads=shapes, refine=real_vectors, **chars)
    if scorer is not None:
        found = rescored(found, he, en, scorer)
    return Aligned(he, en, found)


def rescored(beads: list[Bead], he: list[str], en: list[str], scorer) -> list[Bead]:
    """``beads`` with each two-sided bead's score replaced by the calibrated score of
    its joined texts, scored alone (``scorer.score_pairs``); one-sided beads score 0."""
    from dataclasses import replace

    both = [k for k, b in enumerate(beads) if b.he and b.en]
    scores = scorer.score_pairs([" ".join(he[i] for i in beads[k].he) for k in both],
                                [" ".join(en[j] for j in beads[k].en) for k in both])
    out = [replace(b, score=0.0) for b in beads]
    for k, score in zip(both, scores):
        out[k] = replace(beads[k], score=round(float(score), 4))
    return out


def document_pairs(args: list[str]) -> list[tuple[str, str]]:
    """``(he_path, en_path)`` pairs from the command line: two files; or prefixes X
    (X.he + X.en); or .tsv / .jsonl lists of pairs (``he<TAB>en`` or
    ``{"he": path, "en": path}``). Paths in a list are relative to the list's folder."""
    import json
    import os

    from .errors import InputError

    if len(args) == 2 and all(os.path.isfile(a) for a in args) \
            and not any(a.endswith((".tsv", ".jsonl")) for a in args):
        return [(args[0], args[1])]
    pairs = []
    for arg in args:
        if arg.endswith((".tsv", ".jsonl")) and os.path.isfile(arg):
            base = os.path.dirname(arg)
            with open(arg, encoding="utf-8") as fh:
                for number, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        if arg.endswith(".jsonl"):
                            row = json.loads(line)
                            he, en = row["he"], row["en"]
                        else:
                            he, en = line.rstrip("\n").split("\t")[:2]
                    except (ValueError, KeyError):
                        raise InputError(f"{arg}:{number}: expected a Hebrew and an English path") from None
                    pairs.append((os.path.join(base, he), os.path.join(base, en)))
        else:
            pairs.append((arg + ".he", arg + ".en"))
    return pairs


def bead_row(pair: Pair) -> dict:
    """The JSONL bead of a ``bead_pairs`` pair: ``doc, he_ids, en_ids, he, en, score``."""
    return {"doc": pair.doc, "he_ids": [n - 1 for n in pair.he_lines],
            "en_ids": [n - 1 for n in pair.en_lines], "he": pair.he, "en": pair.en,
            "score": pair.score}


def write_beads(pairs, path: str, signature: dict) -> int:
    """Bead rows as JSONL (no sidecar: a bead file is an alignment, not a corpus)."""
    import json

    from .corpus import open_output

    n = 0
    with open_output(path) as fh:
        for pair in pairs:
            fh.write(json.dumps(bead_row(pair), ensure_ascii=False) + "\n")
            n += 1
    return n
