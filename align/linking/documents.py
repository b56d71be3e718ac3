"""Translated articles: split both sides into sentences and align them in order."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from align.linking.beads import MERGES, WIDE, align, merge_sites
from align.records import Bead
from align.scoring.surface import numbers
from align.text import clean
from align.text.sentences import split_sentences

BEAD_SETS = {"merges": MERGES, "wide": WIDE}
# A bead scoring under this is left out of corpus formats (TSV, TMX, Moses, hf) and
# marked in bead formats. Chosen on the fitting half of FLORES news documents
# (benchmarks/bench_documents_news.py: the best F1 there, 0.9940, tied with 0.02 and
# taken for its precision, 0.9974 at recall 0.9906). It is low because a bead's score is
# the strict standard's probability for the pair alone, fitted on captions, which
# underrates short and long correct sentence pairs alike; the aligner's path already
# carries most of the evidence.
DEFAULT_MIN_SCORE = 0.03


@dataclass
class Aligned:
    """Both sides' sentences, the 1-based file line each stands on, and the beads that
    align them (ids only; ``texted`` fills in each bead's texts and lines)."""

    he: list[str]
    en: list[str]
    beads: list[Bead]
    he_at: list[int] = field(default_factory=list)
    en_at: list[int] = field(default_factory=list)

    def texted(self, doc: str | None = None, encoding: str | None = None) -> list[Bead]:
        """Every bead with its joined texts (merged sentences joined by a space), its
        sentences' file lines, ``doc`` and ``encoding``: 1-0 and 0-1 beads too, one side empty."""
        return [replace(b, he=" ".join(self.he[i] for i in b.he_ids), en=" ".join(self.en[j] for j in b.en_ids),
                        he_lines=_lines(b.he_ids, self.he_at), en_lines=_lines(b.en_ids, self.en_at),
                        doc=doc, encoding=encoding) for b in self.beads]

    def rows(self) -> list[dict]:
        """JSONL beads: ``he_ids``, ``en_ids`` (0-based sentence indices), ``he``, ``en``, ``score``."""
        return [b.to_dict() for b in self.texted()]


def encodings(he: str | None, en: str | None) -> str | None:
    """What a pair of files was read as: one encoding, or ``he+en`` when they differ."""
    if not he and not en:
        return None
    return he if he == en else f"{he or '?'}+{en or '?'}"


def _lines(ids: tuple[int, ...], at: list[int]) -> tuple[int, ...]:
    """The file lines of sentences ``ids`` (each once, in order); () when not known."""
    if not at:
        return ()
    return tuple(dict.fromkeys(at[i] for i in ids))


def sentences(lines: list[str], lang: str, presplit: bool) -> list[str]:
    """One sentence per non-empty line when ``presplit``, else split running text."""
    return sentence_lines(lines, lang, presplit)[0]


def sentence_lines(lines: list[str], lang: str, presplit: bool) -> tuple[list[str], list[int]]:
    """``sentences`` and the 1-based line of ``lines`` each stands on (a line is a
    paragraph: a sentence never spans two)."""
    out: list[str] = []
    at: list[int] = []
    for number, line in enumerate(lines, start=1):
        text = clean(line)
        if not text:
            continue
        found = [text] if presplit else split_sentences(text, lang)
        out += found
        at += [number] * len(found)
    return out, at


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
    he, he_at = sentence_lines(he_lines, "he", presplit)
    en, en_at = sentence_lines(en_lines, "en", presplit)
    shapes = BEAD_SETS[beads]
    H, E = embed(he), embed(en)
    chars: dict[str, Any] = {"he_chars": np.array([len(x) for x in he]), "en_chars": np.array([len(x) for x in en]),
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
    return Aligned(he, en, found, he_at, en_at)


def rescored(beads: list[Bead], he: list[str], en: list[str], scorer) -> list[Bead]:
    """``beads`` with each two-sided bead's score replaced by the calibrated score of
    its joined texts, scored alone (``scorer.score_pairs``); one-sided beads score 0."""
    both = [k for k, b in enumerate(beads) if b.he_ids and b.en_ids]
    scores = scorer.score_pairs([" ".join(he[i] for i in beads[k].he_ids) for k in both],
                                [" ".join(en[j] for j in beads[k].en_ids) for k in both])
    out = [replace(b, score=0.0) for b in beads]
    for k, score in zip(both, scores):
        out[k] = replace(beads[k], score=round(float(score), 4))
    return out
