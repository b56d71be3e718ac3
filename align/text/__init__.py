"""Unicode helpers for Hebrew and Latin text: cleaning, script runs, comparison keys."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Bidi controls and zero-width characters that carry no content: LRM, RLM, ALM,
# embeddings/overrides (LRE..RLO), isolates (LRI..PDI), ZWSP, ZWNJ, ZWJ, word joiner, BOM.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0x2060, 0xFEFF,
     *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
# Non-breaking and other fixed-width spaces become a plain space.
_SPACES = re.compile(r"[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\t\f\v\u2028\u2029\u0085]")
# control characters, line breaks included (a caption wrapped over two source lines is
# one line), and the noncharacters U+FFFE/U+FFFF that no XML (TMX) may hold
_CONTROL = re.compile(r"[\x00-\x1F\x7F-\x9F\uFFFE\uFFFF]")
_MULTISPACE = re.compile(r" {2,}")

# Hebrew points: cantillation marks (U+0591-05AF) and niqqud (U+05B0-05BD, 05BF,
# 05C1-05C2, 05C4-05C5, 05C7). Dropped from comparison keys, kept in output text.
_POINTS = re.compile(r"[\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7]")

HEBREW_LETTER = r"\u05D0-\u05EA\u05EF-\u05F2\uFB1D-\uFB4F"
# Hebrew marks that belong inside a Hebrew run: points, maqaf, paseq, sof pasuq,
# geresh and gershayim.
HEBREW_MARK = r"\u0591-\u05C7\u05F3\u05F4"
LATIN_LETTER = r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF"

_HE_CHAR = re.compile(f"[{HEBREW_LETTER}]")
_LATIN_CHAR = re.compile(f"[{LATIN_LETTER}]")
# A strong run: letters of one script, with the marks and word-internal
# apostrophes, quotes, hyphens and periods that keep a word whole (צה"ל, U.S., don't).
_RUN = re.compile(
    f"(?P<he>[{HEBREW_LETTER}][{HEBREW_LETTER}{HEBREW_MARK}]*"
    f"(?:[\"'\\-\u05BE][{HEBREW_LETTER}][{HEBREW_LETTER}{HEBREW_MARK}]*)*[\u05F3\u05F4']?)"
    f"|(?P<en>[{LATIN_LETTER}]+(?:[.'\u2019\\-][{LATIN_LETTER}]+)*\\.?)"
    r"|(?P<other>[^\W\d_])"
)
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)


# English function words: cues that Latin text is English, and words that carry no
# content of their own when captions are compared.
ENGLISH_FUNCTION_WORDS = frozenset("""
a an the of and or but to in on at for with by from as into over after before during
is are was were be been being has have had will would can could should may might do does did
i you he she it we they me him her us them my your his its our their this that these those
there here what who whom which how why where when not no all one said says""".split())


# Letters Hebrew writes as prefixes on a word: ו (and), ב (in), ה (the), ל (to), מ (from),
# ש (that), כ (as).
HEBREW_PREFIX_LETTERS = "ובהלמשכ"

# Hebrew function words written apart (prefixes such as ו-, ה-, ב- are not words).
HEBREW_FUNCTION_WORDS = frozenset("""
של את עם על אל מן אצל בין לפני אחרי תחת כמו גם רק עוד כבר לא אין יש אם כי או אבל אך
זה זאת זו אלה אלו הוא היא הם הן אני אתה את אתם אנחנו לי לו לה לך לנו להם להן שלי שלו
שלה שלך שלנו שלהם אותו אותה אותם אותי אותך מה מי איך למה מתי איפה כל כך כאן שם עכשיו
היה היתה הייתה היו יהיה תהיה להיות האם הנה פה אנו אתן זהו זוהי כן אף כדי מאוד יותר פחות
בו בה בי בך בהם לכם לכן אתכם אותנו אותן עליו עליה עליי עלי עלינו אליו אליה אליי אלי
איתו איתה איתי איתך איתם אתו אתי אתך ממנו ממנה ממני ממך שלכם שלהן יכול יכולה יכולים
יכולות צריך צריכה צריכים""".split())


def clean(line: str) -> str:
    """Return ``line`` without bidi controls or control characters, every run of
    whitespace (line breaks and Unicode line separators too) folded to one space.

    Niqqud, cantillation, geresh and gershayim are content and are kept.
    """
    line = line.translate(_INVISIBLE)
    line = _CONTROL.sub(" ", _SPACES.sub(" ", line))
    line = unicodedata.normalize("NFC", line)
    return _MULTISPACE.sub(" ", line).strip()


def key(text: str) -> str:
    """A comparison key: NFKC, no Hebrew points, one form of geresh, gershayim and maqaf.

    Two captions that differ only in niqqud, in ׳/״ against ASCII '/" or in
    typographic quotes collapse to the same key.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _POINTS.sub("", text)
    text = (text.replace("\u05F3", "'").replace("\u05F4", '"').replace("\u05BE", "-")
            .replace("\u2019", "'").replace("\u2018", "'")
            .replace("\u201C", '"').replace("\u201D", '"'))
    return _MULTISPACE.sub(" ", text).strip().casefold()


def strip_points(text: str) -> str:
    """Remove niqqud and cantillation (the form handed to models)."""
    return _POINTS.sub("", unicodedata.normalize("NFC", text))


def has_hebrew(text: str) -> bool:
    """True when ``text`` holds at least one Hebrew letter."""
    return _HE_CHAR.search(text) is not None


def word_count(text: str) -> int:
    """Number of whitespace-separated tokens that contain a letter."""
    return sum(1 for tok in text.split() if _WORD.search(tok))


@dataclass(frozen=True)
class Run:
    """A stretch of one script inside a line: ``text == line[start:end]``."""

    script: str  # "he", "en" (Latin script) or "other"
    start: int
    end: int


def script_runs(line: str) -> list[Run]:
    """Maximal strong runs of one script; the neutrals between runs are left out.

    Digits, spaces and punctuation between two runs of the same script join them.
    """
    runs: list[Run] = []
    for m in _RUN.finditer(line):
        script = m.lastgroup or "other"  # every alternative of _RUN is a named group
        if runs and runs[-1].script == script:
            runs[-1] = Run(script, runs[-1].start, m.end())
        else:
            runs.append(Run(script, m.start(), m.end()))
    return runs
