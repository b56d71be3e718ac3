"""Surface evidence: shared numbers, Latin names transliterated in Hebrew, length ratio.

No model. Numbers alone are weak anchors (a gallery count "3" matches everything), so
they are features for the calibrated combination, never a decision on their own.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from align.text.names import _names, name_coverage, name_hits
from align.text.numbers import forms

# Typical English/Hebrew character-length log ratio, measured on the Tatoeba dev pairs.
LOG_LENGTH_RATIO = 0.11


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# A caption's dateline: "May 5, 2025", "5 May 2025", "May 2025".
_DATE = re.compile(rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
                   rf"|{_MONTH}\s+\d{{4}})\b")


def numbers(text: str) -> frozenset[str]:
    """Numbers in ``text``, one canonical form each (``align.numbers``: "1,000" =
    "1000", "14:30" = "2:30 p.m.", "12.00 GMT" = "noon", "29¾" = "29.75"). Numbers
    in words are left out: the features were fitted without them, and a number in words
    is often told another way on the other side ("חמישה הפסדים" / "a five-match streak")."""
    return forms(text, words=False)


@lru_cache(maxsize=65536)
def date_numbers(text: str) -> frozenset[str]:
    """The numbers of the dates written out in English ``text`` ("May 5, 2025")."""
    return frozenset().union(*(numbers(m.group()) for m in _DATE.finditer(text)))


class SurfaceFeatures:
    """Feature source: numbers, names and length evidence for every pair."""

    FEATURES = ("num_both", "num_jaccard", "num_one", "names", "length",
                        "he_name_cover", "en_name_cover", "names_missing", "en_has_names")

    def features(self, he: Sequence[str], en: Sequence[str]) -> dict[str, np.ndarray]:
        """Arrays (len(he), len(en)): ``num_both``, ``num_jaccard``, ``num_one``,
        ``names`` (0, 0.5 or 1 for 0, 1, 2+ names matched), ``length`` (deviation
        of the log length ratio from the typical one), the three of
        ``name_coverage`` and ``en_has_names`` (1 when the English holds a name)."""
        shape = (len(he), len(en))
        out = {f: np.zeros(shape) for f in self.FEATURES}
        en_names = [1.0 if _names(e) else 0.0 for e in en]
        he_num = [numbers(h) for h in he]
        en_num = [numbers(e) for e in en]
        en_dates = [date_numbers(e) for e in en]
        for i, h in enumerate(he):
            for j, e in enumerate(en):
                # A date the English caption adds (AP style) is metadata, not content.
                a, b = he_num[i], en_num[j] - (en_dates[j] - he_num[i])
                if a and b:
                    out["num_both"][i, j] = 1.0
                    out["num_jaccard"][i, j] = len(a & b) / len(a | b)
                elif a or b:
                    out["num_one"][i, j] = 1.0
                out["names"][i, j] = min(name_hits(h, e), 2) / 2
                ratio = math.log((len(e) + 8) / (len(h) + 8))
                out["length"][i, j] = abs(ratio - LOG_LENGTH_RATIO)
                (out["he_name_cover"][i, j], out["en_name_cover"][i, j],
                 out["names_missing"][i, j]) = name_coverage(h, e)
                out["en_has_names"][i, j] = en_names[j]
        return out

    def prefetch(self, he: Sequence[str], en: Sequence[str]) -> None:
        """Nothing to do ahead: surface features are cheap."""

    def signature(self) -> dict:
        """Surface features use no model."""
        return {}
