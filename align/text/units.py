"""The content units of a caption: its words, each marked as content or not (function
words, titles before a name, caption tags, credits), with where a phrase of its own may
start, and its numbers; what word-level coverage (``align.scoring.coverage``) matches.

Under the guideline (T when every piece of content on each side has a counterpart), a
title before a name ("Prime Minister", "שר החוץ"), a credit ("צילום: רויטרס", "(Photo:
AP)") and a caption tag ("ארכיון", "illustration") are not content; they may still be
the counterpart of a word of the other side.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from align.text import ENGLISH_FUNCTION_WORDS, HEBREW_FUNCTION_WORDS, strip_points
from align.text.lexicon import en_tokens, he_prefixed, he_tokens, he_tokens_with_gaps
from align.text.names import EN_MINOR_WORDS, HE_TITLE_WORDS, TITLE_WORDS
from align.text.numbers import UNIT_WORDS, read

# Caption tags, credits and layout notes: not content under the guideline.
HE_TAGS = frozenset("""ארכיון אילוסטרציה תיעוד צילום צילומים מסך חצאים חצי שלישים ביג ז"ל זצ"ל
קרדיט תמונה תמונות וידאו""".split())
EN_TAGS = frozenset("""archive archives illustration illustrative photo photos file screenshot
screengrab courtesy credit video pictured clockwise l-r r-l""".split())
_CREDIT = re.compile(r"\(?\s*(?:צילום|צילומים|photos?|credit)\s*:.*$", re.I)
_LAYOUT_NOTE = re.compile(r"\((?:from )?(?:l-r|r-l|left|right|top|bottom|center|centre)[^)]*\)", re.I)
NAME_NUMBER = re.compile(r"\b([A-Za-z]+)-\d+\b")  # COVID-19, F-35: a name, not a number
_EN_TOKEN = re.compile(r"[A-Za-z]+(?:[.'\u2019][A-Za-z]+)*\.?")
_PUNCTUATION = re.compile(r"[,;:()\[\]|\u2013\u2014!?]|\s-\s|\.\s")
# Words before which a phrase or clause of its own may start: what one side adds often
# comes so ("Malka Leifer in court", "... who were killed on Sunday").
EN_BREAKS = frozenset("""in at on during after before with without from for by to near outside inside
amid and or but while who which that where when as following despite against over under into""".split())
HE_BREAKS = frozenset("""עם על אחרי לפני ליד במהלך בזמן אצל בין כי אשר או אבל אך כאשר בעת בשל""".split())


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


def without_credit(text: str) -> str:
    """``text`` without a trailing credit ("צילום: ...", "(Photo: ...)") or a layout note ("(L-R)")."""
    return _LAYOUT_NOTE.sub(" ", _CREDIT.sub("", text))


def he_content_text(text: str) -> str:
    """The Hebrew text whose words and numbers are content: no credit, no points."""
    return strip_points(without_credit(text))


def en_content_text(text: str) -> str:
    """The English text whose words and numbers are content: no credit, and "COVID-19",
    "F-35" read as names, not numbers."""
    return NAME_NUMBER.sub(r"\1", without_credit(text))


@lru_cache(maxsize=65536)
def he_units(text: str) -> tuple[Unit, ...]:
    """The Hebrew words of ``text`` (normal form; titles and tags marked not content,
    function words left out), then its numbers (content)."""
    text = he_content_text(text)
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
        unit = word in UNIT_WORDS and bool(_DIGITS.search(gap))  # "30 ס\"מ": the number's own unit
        content = not (title or office or unit or any(f in HE_TAGS for f in forms))
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


_DIGITS = re.compile(r"\d")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")


@lru_cache(maxsize=65536)
def en_units(text: str) -> tuple[Unit, ...]:
    """The English words of ``text`` (function words left out; titles before a name,
    title words and tags marked not content), each with its name phrase, then its
    numbers."""
    text = en_content_text(text)
    matches = list(_EN_TOKEN.finditer(text))
    words = [m.group() if _INITIALS.fullmatch(m.group()) else m.group().rstrip(".") for m in matches]
    gaps = [text[(matches[k - 1].end() if k else 0):m.start()] for k, m in enumerate(matches)]
    titles = title_words(words)
    out, phrase, last_cap, brk = [], -1, False, False
    for pos, word in enumerate(words):
        brk = brk or bool(_PUNCTUATION.search(gaps[pos] + " "))
        form = (en_tokens(word) or [word.lower()])[0]
        capital = _capital(word) and pos not in titles
        if capital and (not last_cap or _PUNCTUATION.search(gaps[pos] + " ")):  # "Netanya, March": two
            phrase += 1
        last_cap = capital
        if len(form) < 2 or form in ENGLISH_FUNCTION_WORDS or form.split("'")[0] in ENGLISH_FUNCTION_WORDS:
            brk = brk or form in EN_BREAKS
            continue
        unit = form in UNIT_WORDS and bool(_DIGITS.search(gaps[pos]))  # "30 cm": the number's own unit
        content = not (form in EN_MINOR_WORDS or form in EN_TAGS or form.endswith("n't") or unit
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



def edges(units: Sequence[Unit], by: Sequence[str | None], brk: Sequence[bool]) -> list[bool]:
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
