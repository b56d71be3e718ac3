"""Hebrew–English word translations learnt from parallel sentences (IBM Model 1, both ways).

A word of one side has a counterpart on the other when the table pairs them strongly
enough. The table that ships (``align/data/lexicon.tsv.gz``) was learnt by
``benchmarks/lexicon.py`` from the Tatoeba Hebrew–English test pairs (CC BY 2.0 FR; see
``align/data/README.md``); ``learn`` does the same for any parallel text.

Words are compared in a normal form: Hebrew without points, geresh and gershayim as
ASCII ' and ", prefixes (ו ה ב ל מ ש כ) stripped when the rest is a word the table
knows; English lower-cased, a possessive 's dropped, and a plural or verb ending
dropped when the stem is known.
"""
from __future__ import annotations

import gzip
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from align.text import HEBREW_PREFIX_LETTERS, strip_points

_HE_WORD = re.compile(r"[\u05D0-\u05EA]+(?:[\"'][\u05D0-\u05EA]+)*'?")
_EN_WORD = re.compile(r"[a-z]+(?:[.'][a-z]+)*")
_HE_QUOTES = str.maketrans({"\u05F4": '"', "\u05F3": "'", "\u201C": '"', "\u201D": '"', "\u201E": '"',
                            "\u2018": "'", "\u2019": "'", "`": "'", "\u05BE": " "})
_EN_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
RARE = 3          # a training word seen fewer times than this is split into prefixes + a known rest
ITERATIONS = 10   # EM iterations of each direction
MIN_PROBABILITY = 0.1   # table entries weaker than this both ways are not kept (coverage needs 0.1)
NULL = "<null>"


def he_tokens(text: str) -> list[str]:
    """The Hebrew words of ``text`` in normal form ("צה״ל" -> 'צה"ל'), in order."""
    return _HE_WORD.findall(strip_points(text).translate(_HE_QUOTES))


def he_tokens_with_gaps(text: str) -> list[tuple[str, str]]:
    """``he_tokens``, each with the text between it and the word before (its punctuation)."""
    norm = strip_points(text).translate(_HE_QUOTES)
    out, end = [], 0
    for m in _HE_WORD.finditer(norm):
        out.append((m.group(), norm[end:m.start()]))
        end = m.end()
    return out


def en_tokens(text: str) -> list[str]:
    """The English words of ``text``, lower-cased, possessive 's dropped ("U.S." -> "u.s")."""
    words = _EN_WORD.findall(text.translate(_EN_QUOTES).lower())
    return [w[:-2] if w.endswith("'s") else w.strip("'.") for w in words]


# The prefix letters a Hebrew word may carry, in the order Hebrew writes them: "and",
# then "that" (or "when", "since"), then one of in/to/as/from, or "the" ("ומהבית",
# "שבבית", "וכשהגיע"). "ממשלה" is no "מ" + "משלה": the letters must follow this order.
_PREFIXES = re.compile(r"ו?(?:ש|כש|מש)?(?:[בלכמ]|מה|שה|ה)?")


def he_prefixed(word: str, rest: int = 3) -> list[str]:
    """``word`` and what is left after each longer run of prefix letters that Hebrew
    may write (``_PREFIXES``), while ``rest`` letters or more remain: "ובבית" -> ["ובבית",
    "בבית", "בית"]; "ממשלה" -> ["ממשלה", "משלה"] (the table decides which is a word)."""
    out = [word]
    for cut in range(1, min(4, len(word) - rest + 1)):
        if word[cut - 1] not in HEBREW_PREFIX_LETTERS:
            break
        if _PREFIXES.fullmatch(word[:cut]):
            out.append(word[cut:])
    return out


_HE_ENDINGS = (("ות", "ה"), ("ות", ""), ("ים", ""), ("ת", "ה"), ("יו", ""), ("ו", ""), ("ה", ""),
               ("ם", ""), ("ן", ""))


def he_stems(word: str) -> list[str]:
    """``word`` (no prefix) and the stems it may have: a plural, a construct or a
    possessive ending taken off ("הפגנות" -> הפגנה; "פסגת" -> פסגה; "הלווייתו" ->
    הלויית, הלווייה); Hebrew has many more, and the table decides which is a word."""
    out = [word]
    for end, add in _HE_ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 2:
            stem = word[: len(word) - len(end)] + add
            out.append(stem)
            if end in ("ו", "ה", "ם", "ן") and stem.endswith("ת"):  # a possessive after a construct
                out.append(stem[:-1] + "ה")
    return list(dict.fromkeys(out))


def en_stems(word: str) -> list[str]:
    """``word`` and the stems it may have: "protests" -> protests, protest; "vaccines" ->
    vaccines, vaccine; "cities" -> city; "attacked" -> attack, attacke; "killing" -> kill."""
    out = [word]
    for end, add in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
                     ("ing", ""), ("ing", "e")):
        if word.endswith(end) and len(word) - len(end) >= 3 and not word.endswith("ss"):
            out.append(word[: len(word) - len(end)] + add)
    return out


@dataclass
class Lexicon:
    """Word translation probabilities both ways: ``table[he][en] = (p(en|he), p(he|en))``."""

    table: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    english: frozenset[str] = frozenset()
    _forms: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, float, float]]) -> Lexicon:
        table: dict[str, dict[str, tuple[float, float]]] = {}
        english = set()
        for he, en, p_en, p_he in rows:
            table.setdefault(he, {})[en] = (p_en, p_he)
            english.add(en)
        return cls(table, frozenset(english))

    def __len__(self) -> int:
        return sum(len(v) for v in self.table.values())

    def he_form(self, word: str) -> str | None:
        """The form of a Hebrew word (normal form) that the table knows, or None: the
        word itself, without prefixes, or a stem of either (``he_stems``)."""
        known = self.he_forms(word)
        plain = set(he_prefixed(word))
        return next((f for f in known if f in plain), known[0] if known else None)

    def en_form(self, word: str) -> str | None:
        """The form of an English word (lower-cased) that the table knows, or None."""
        return next((f for f in en_stems(word) if f in self.english), None)

    def he_forms(self, word: str) -> tuple[str, ...]:
        """Every form of a Hebrew word the table knows: the word, without its prefixes,
        and their stems."""
        found = self._forms.get(word)
        if found is None:
            candidates = [s for f in he_prefixed(word) for s in he_stems(f)]
            found = self._forms[word] = tuple(f for f in dict.fromkeys(candidates) if f in self.table)
        return found

    def strength(self, he: str, en: str) -> float:
        """How strongly the table pairs a Hebrew and an English word (each in normal
        form): the larger of p(en|he) and p(he|en) over the Hebrew word's forms
        (``he_forms``), 0 if either is unknown."""
        e = self.en_form(en)
        if e is None:
            return 0.0
        return max((max(self.table[h].get(e, (0.0, 0.0))) for h in self.he_forms(he)), default=0.0)

    def translations(self, he: str, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` English words the table pairs most strongly with ``he``."""
        h = self.he_form(he)
        if h is None:
            return []
        ranked = sorted(((e, max(p)) for e, p in self.table[h].items()), key=lambda x: (-x[1], x[0]))
        return ranked[:n]

    def rows(self) -> list[tuple[str, str, float, float]]:
        """Every entry, sorted: ``(he, en, p(en|he), p(he|en))``."""
        return sorted((h, e, p[0], p[1]) for h, row in self.table.items() for e, p in row.items())


# --- learning ------------------------------------------------------------------------

def he_training_tokens(text: str, counts: Counter) -> list[str]:
    """Hebrew words for learning: a rare word (seen fewer than ``RARE`` times) whose rest
    after prefix letters is a common word is split into ``ו+``-style prefixes and that
    rest, so that "ולממשלה" teaches the table about "ממשלה"."""
    out = []
    for word in he_tokens(text):
        forms = he_prefixed(word)
        if counts[word] < RARE:
            rest = next((k for k, f in enumerate(forms[1:], start=1) if counts[f] >= RARE), None)
            if rest is not None:
                out += [f"{c}+" for c in word[:rest]]
                word = forms[rest]
        out.append(word)
    return out


def _model1(source: list[list[int]], target: list[list[int]], n_source: int,
            iterations: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IBM Model 1 p(t|s) by EM. ``source`` sentences hold ids (0 is NULL, added here);
    returns ``(s, t, p)`` arrays over every co-occurring pair."""
    occ, src, tgt = [], [], []
    k = 0
    for s, t in zip(source, target):
        s = [0] + s
        for word in t:
            occ += [k] * len(s)
            src += s
            tgt += [word] * len(s)
            k += 1
    if not occ:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    src_a, tgt_a, occ_a = (np.array(x, dtype=np.int64) for x in (src, tgt, occ))
    width = int(tgt_a.max()) + 1
    pairs, index = np.unique(src_a * width + tgt_a, return_inverse=True)
    s_of, t_of = pairs // width, pairs % width
    prob = np.ones(len(pairs))
    for _ in range(iterations):
        p = prob[index]
        share = p / np.bincount(occ_a, weights=p, minlength=k)[occ_a]
        counts = np.bincount(index, weights=share, minlength=len(pairs))
        prob = counts / np.bincount(s_of, weights=counts, minlength=n_source)[s_of]
    return s_of, t_of, prob


def learn(pairs: Sequence[tuple[str, str]], iterations: int = ITERATIONS,
          min_probability: float = MIN_PROBABILITY) -> Lexicon:
    """A lexicon learnt from parallel ``(he, en)`` sentences with IBM Model 1 run both
    ways; prefix tokens (``ו+``) and entries weaker than ``min_probability`` both ways
    are left out."""
    counts = Counter(w for he, _ in pairs for w in he_tokens(he))
    he_vocab: dict[str, int] = {NULL: 0}
    en_vocab: dict[str, int] = {NULL: 0}
    he_ids = [[he_vocab.setdefault(w, len(he_vocab)) for w in he_training_tokens(he, counts)] for he, _ in pairs]
    en_ids = [[en_vocab.setdefault(w, len(en_vocab)) for w in en_tokens(en)] for _, en in pairs]
    he_words, en_words = list(he_vocab), list(en_vocab)
    both: dict[tuple[int, int], list[float]] = {}
    for h, e, p in zip(*_model1(he_ids, en_ids, len(he_vocab), iterations)):  # p(en|he)
        both.setdefault((int(h), int(e)), [0.0, 0.0])[0] = float(p)
    for e, h, p in zip(*_model1(en_ids, he_ids, len(en_vocab), iterations)):  # p(he|en)
        both.setdefault((int(h), int(e)), [0.0, 0.0])[1] = float(p)
    rows = [(he_words[h], en_words[e], round(p[0], 4), round(p[1], 4)) for (h, e), p in both.items()
            if h and e and max(p) >= min_probability and not he_words[h].endswith("+")]
    return Lexicon.from_rows(rows)


# --- the table as a file -------------------------------------------------------------

HEADER = "he\ten\tp_en_given_he\tp_he_given_en"


def encode(lexicon: Lexicon, comments: Sequence[str] = ()) -> bytes:
    """``lexicon`` as gzipped TSV: ``#`` comment lines first, then ``HEADER`` and a row
    per entry (what ``parse`` reads; deterministic bytes for the same table)."""
    text = "".join(f"# {c}\n" for c in comments) + HEADER + "\n"
    text += "".join(f"{h}\t{e}\t{a:g}\t{b:g}\n" for h, e, a, b in lexicon.rows())
    return gzip.compress(text.encode("utf-8"), mtime=0)


def parse(raw: bytes) -> Lexicon:
    """A lexicon from the bytes ``encode`` made."""
    rows = []
    for line in io.StringIO(gzip.decompress(raw).decode("utf-8")):
        if line.startswith("#") or line.startswith("he\t") or not line.strip():
            continue
        he, en, a, b = line.rstrip("\n").split("\t")
        rows.append((he, en, float(a), float(b)))
    return Lexicon.from_rows(rows)


@lru_cache(maxsize=1)
def builtin() -> Lexicon:
    """The table that ships with align, read once."""
    return parse(resources.files("align.data").joinpath("lexicon.tsv.gz").read_bytes())
