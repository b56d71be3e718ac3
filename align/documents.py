"""Translated articles: split both sides into sentences and align them in order."""
from __future__ import annotations

from dataclasses import dataclass

from .beads import MERGES, WIDE, Bead, align
from .corpus import Pair
from .sentences import split_sentences
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
                beads: str = "merges") -> Aligned:
    """Split (unless ``presplit``), embed with ``embed(texts) -> (n, d)``, align."""
    he = sentences(he_lines, "he", presplit)
    en = sentences(en_lines, "en", presplit)
    return Aligned(he, en, align(embed(he), embed(en), beads=BEAD_SETS[beads]))
