"""Sentence splitting for Hebrew and English running text (no model, no network).

English: a sentence ends at . ! ? (and closing quotes or brackets after them) before
whitespace and a capital, digit or opening quote, except after a known abbreviation
("U.S.", "Dr.", "p.m.") or a single initial ("J. K. Rowling"). Decimals ("3.5") never
split. Hebrew has no capitals, so a sentence ends at . ! ? before whitespace, except
after a number with a period ("סעיף 3. ב") or an abbreviation written with a period;
abbreviations written with geresh or gershayim (צה״ל, ד״ר, ארה"ב) hold no period and
never split.
"""
from __future__ import annotations

import re

from align.text import clean

_EN_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof st jr sr vs etc e.g i.e u.s u.k u.n a.m p.m no nos gen lt col sgt capt cmdr
adm maj rep reps sen gov pres inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec
mt ft fig figs vol vols ed eds approx dept est min max op cf al rev hon messrs mmes d.c n.y l.a
""".split())
_HE_ABBREVIATIONS = frozenset(["וכו", "וגו", "עמ", "מס", "רח", "ת.ד", "פרופ", "גב"])

_END = re.compile(r"[.!?]+[\"'\u201D\u2019)\]\u05F4]*")
_EN_NEXT = re.compile(r"\s+(?=[\"'\u201C\u2018(\[]?[A-Z0-9\u05D0-\u05EA])")
_HE_NEXT = re.compile(r"\s+(?=\S)")


def _last_token(text: str) -> str:
    tokens = text.split()
    return tokens[-1] if tokens else ""


def _en_boundary(before: str, mark: str) -> bool:
    if mark.startswith("."):
        word = _last_token(before).lstrip("\"'(\u201C").lower()
        if word in _EN_ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
            return False          # "Dr." "U.S." "J." are not sentence ends
        if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
            return False          # any dotted initialism: "a.m", "d.c"
    return True


def _he_boundary(before: str, mark: str) -> bool:
    if mark.startswith("."):
        word = _last_token(before)
        if word in _HE_ABBREVIATIONS or re.fullmatch(r"\d+", word):
            return False          # "וכו." and numbered items "סעיף 3." continue
    return True


def _split(text: str, lang: str) -> list[str]:
    next_re = _EN_NEXT if lang == "en" else _HE_NEXT
    boundary = _en_boundary if lang == "en" else _he_boundary
    sentences, start = [], 0
    for m in _END.finditer(text):
        gap = next_re.match(text, m.end())
        if not gap or not boundary(text[start:m.start()], m.group()):
            continue
        sentences.append(text[start:m.end()].strip())
        start = gap.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of ``text`` (``lang`` "he" or "en"); paragraphs (blank lines or line
    breaks) always end a sentence."""
    out: list[str] = []
    for paragraph in re.split(r"\n+", text):
        paragraph = clean(paragraph)
        if paragraph:
            out += _split(paragraph, lang)
    return out
