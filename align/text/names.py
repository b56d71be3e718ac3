"""Names and content words across scripts: the consonant skeletons that tell a Latin name
transliterated in Hebrew ("Gallant" = "גלנט"), the names each side holds, the content
words of a caption (titles and function words left out), and the names no rule reads
across scripts (acronyms, names told by meaning: ``data/names.tsv``)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from align.text import HEBREW_PREFIX_LETTERS
from align.text.lexicon import he_prefixed

# Hebrew letters to a consonant class; matres lectionis and gutturals drop out.
_HE_SKELETON = str.maketrans({
    "א": "", "ב": "B", "ג": "G", "ד": "D", "ה": "", "ו": "", "ז": "Z", "ח": "", "ט": "T",
    "י": "", "כ": "K", "ך": "K", "ל": "L", "מ": "M", "ם": "M", "נ": "N", "ן": "N",
    "ס": "S", "ע": "", "פ": "P", "ף": "P", "צ": "C", "ץ": "C", "ק": "K", "ר": "R",
    "ש": "S", "ת": "T", "'": "", '"': "", "-": "",
})


_EN_DIGRAPHS = [("sch", "S"), ("sh", "S"), ("ch", "K"), ("ck", "K"), ("kh", ""), ("ph", "P"),
                ("th", "T"), ("tz", "C"), ("ts", "C"), ("qu", "K"), ("x", "KS"),
                ("ce", "S"), ("ci", "S"), ("cy", "S")]  # a soft c: "Pryce" = פרייס


_EN_SKELETON = str.maketrans({
    "b": "B", "v": "B", "f": "P", "p": "P", "g": "G", "j": "G", "d": "D", "z": "Z", "t": "T",
    "k": "K", "c": "K", "q": "K", "l": "L", "m": "M", "n": "N", "s": "S", "r": "R",
    "a": "", "e": "", "i": "", "o": "", "u": "", "y": "", "h": "", "w": "",
})


_NAME = re.compile(r"\b[A-Z][a-zA-Z'\u2019\-]{2,}")


_HE_WORD = re.compile(r"[\u05D0-\u05EA'\"\-]+")


_NOT_NAMES = frozenset("""the this that these those there then they their what when where which who
why how his her its our your she and but for not all one after before during with from into
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december""".split())


def _collapse(s: str) -> str:
    return re.sub(r"(.)\1+", r"\1", s)


@lru_cache(maxsize=65536)
def en_skeleton(word: str) -> str:
    """Consonant skeleton of a Latin word: "Gallant" -> "GLNT"."""
    w = word.lower()
    for a, b in _EN_DIGRAPHS:  # digraphs map to capitals, which the table leaves alone
        w = w.replace(a, b)
    return _collapse(re.sub(r"[^A-Z]", "", w.translate(_EN_SKELETON)))


@lru_cache(maxsize=65536)
def he_skeletons(word: str) -> frozenset[str]:
    """Skeletons of a Hebrew word and of the word without one or two prefix letters."""
    forms = {word}
    for _ in range(2):
        forms |= {f[1:] for f in forms if len(f) > 3 and f[0] in HEBREW_PREFIX_LETTERS}
    return frozenset(_collapse(f.translate(_HE_SKELETON)) for f in forms)


@lru_cache(maxsize=1 << 14)
def _names(text: str) -> tuple[str, ...]:
    """The skeletons of the capitalised words of English ``text`` that may be names."""
    return tuple(s for w in _NAME.findall(text)
                 if w.lower() not in _NOT_NAMES and len(s := en_skeleton(w)) >= 2)


def _near(a: str, b: str) -> bool:
    """Equal skeletons, or one edit apart when both have four or more consonants."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=1 << 15)  # about 6 MB when full (its strings are the other caches')
def _twin(name: str, he_word: str) -> bool:
    """Whether the Hebrew word (or it without a prefix) transliterates the English name
    skeleton ``name``. Pages ask this of the same few words over and over: kept."""
    return any(_near(name, h) for h in he_skeletons(he_word))


@lru_cache(maxsize=1 << 14)
def _he_tokens(text: str) -> tuple[str, ...]:
    return tuple(_HE_WORD.findall(text))


@lru_cache(maxsize=1 << 13)  # a page asks for its pairs again image by image
def name_hits(he: str, en: str) -> int:
    """How many capitalised English words have a transliterated twin in the Hebrew."""
    words = _he_tokens(he)
    return sum(any(_twin(n, w) for w in words) for n in _names(en))


def he_words(text: str) -> list[str]:
    """The Hebrew words of ``text`` (one-letter words left out)."""
    return list(_he_words(text))


@lru_cache(maxsize=1 << 14)
def _he_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in _he_tokens(text) if len(w.strip("'\"-")) > 1)


# Hebrew titles and roles, the twins of TITLE_WORDS: "ראש הממשלה נפתלי בנט" is a name.
HE_TITLE_WORDS = frozenset("""ראש הממשלה ממשלה שר השר שרת השרה נשיא הנשיא נשיאת המדינה ח"כ חה"כ
יו"ר מנכ"ל רמטכ"ל הרמטכ"ל שגריר השגריר שגרירת העיר הביטחון החוץ האוצר הבריאות הפנים
האופוזיציה לשעבר המנוח המנוחה ד"ר פרופ' פרופסור הרב הרבנית השופט השופטת סגן אלוף תא"ל
רס"ן סרן סמל מפכ"ל המפכ"ל דובר דוברת מלך המלך מלכת המלכה נסיך הנסיך סנטור הסנאטור""".split())


def he_content_words(text: str) -> list[str]:
    """Hebrew words that carry content: not function words written apart, titles or
    roles."""
    from align.text import HEBREW_FUNCTION_WORDS

    return [w for w in he_words(text) if w not in HEBREW_FUNCTION_WORDS and w not in HE_TITLE_WORDS]


_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019.\-]*")


# Words a caption adds to a name without saying more: titles, roles, "the late".
TITLE_WORDS = frozenset("""minister prime president leader secretary state diplomat mk mp mayor
ambassador governor dr prof professor general chief commander spokesman spokesperson chairman ceo
king queen prince rabbi judge justice senator sen rep deputy head director officer sergeant
lieutenant colonel captain police defense defence foreign health finance interior opposition
former late u.s us israel israeli american""".split())


_POSSESSIVE = re.compile(r"'s$")


# Function words that do not cue English for the detector but carry no content either.
EN_MINOR_WORDS = frozenset("""am if so too very than then just also about up out off yet now
let let's ever ago else such own same each every any some much many more most less
into onto upon""".split())


def en_content_words(text: str) -> list[str]:
    """English words that carry content: not function words, titles or roles."""
    from align.text import ENGLISH_FUNCTION_WORDS

    out = []
    for w in _EN_WORD.findall(text):
        bare = _POSSESSIVE.sub("", w.lower().replace("\u2019", "'")).strip(".'")
        if bare.endswith("n't"):  # don't, can't, isn't: an auxiliary and "not"
            continue
        stem = bare.split("'")[0]  # I'm, you're, we'll, it'd
        if (len(bare) > 1 and bare not in ENGLISH_FUNCTION_WORDS and stem not in ENGLISH_FUNCTION_WORDS
                and bare not in EN_MINOR_WORDS and bare not in TITLE_WORDS):
            out.append(w.rstrip(".,"))
    return out


def name_matches(he: str, en: str) -> tuple[list[str], list[str]]:
    """The Hebrew words that transliterate an English name of ``en``, and the English
    words (capitalised, not function words) that have a twin in ``he``."""
    names = [(w, en_skeleton(w)) for w in _NAME.findall(en) if w.lower() not in _NOT_NAMES]
    names = [(w, sk) for w, sk in names if len(sk) >= 2]
    he_found, en_found = [], []
    for w in he_words(he):
        hits = [n for n, sk in names if _twin(sk, w)]
        if hits:
            he_found.append(w)
            en_found += [n for n in hits if n not in en_found]
    return he_found, en_found


@lru_cache(maxsize=1 << 13)
def name_coverage(he: str, en: str) -> tuple[float, float, float]:
    """How far names explain each side: the share of Hebrew words that transliterate
    an English name of ``en``, the share of English names found in ``he``, and the
    English names missing from the Hebrew (0, 1/3, 2/3 or 1 for three or more).

    A Hebrew alt text that is just a name covers 1.0 of its words; a same-story
    sentence sharing one name covers a twentieth. Names one side has and the other
    lacks are content that was not translated.
    """
    names = _names(en)
    words = _he_words(he)
    if not names or not words:
        return 0.0, 0.0, min(len(names), 3) / 3
    found: set[int] = set()
    covered = 0
    for w in words:
        hits = {k for k, n in enumerate(names) if _twin(n, w)}
        covered += bool(hits)
        found |= hits
    missing = len(names) - len(found)
    return covered / len(words), len(found) / len(names), min(missing, 3) / 3


# --- names across scripts, for word coverage ------------------------------------------

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


@lru_cache(maxsize=1 << 15)
def sounds_alike(he: str, en_form: str, is_name: bool, short: bool = False) -> bool:
    """A Hebrew word that transliterates an English word: near skeletons for a name,
    equal ones of three consonants or more for another word (``short``: equal ones of
    any length, for a word beside a name already found)."""
    he_sk = _he_name_skeletons(he)
    if is_name and _short_name(he, en_form):
        return True
    for sk in _en_name_skeletons(en_form):
        if short:
            if sk in he_sk:
                return True
        elif is_name and len(sk) >= 2:
            if any(_near(sk, h) for h in he_sk if len(h) >= 2):
                return True
        elif len(sk) >= 3 and sk in he_sk:
            return True
    return False


_GUTTURAL_START = {"h": "חה", "c": "ח", "k": "ח", "a": "אע", "e": "אע", "i": "אעי", "o": "אעו", "u": "אעו",
                   "y": "י"}


def _short_name(he: str, en: str) -> bool:
    """A short name whose skeleton is one consonant ("Haifa" = "חיפה", "Ehud" = "אהוד"):
    equal skeletons, and a first letter that Hebrew writes so (h as ח or ה, a vowel as א
    or ע)."""
    sk = en_skeleton(en)
    if len(sk) != 1 or len(he) > 5:
        return False
    return any(he_skeletons(f) & {sk} and f[:1] in _GUTTURAL_START.get(en[:1], "") for f in he_prefixed(he))


def named(he: str, en: str) -> bool:
    """Whether ``names_table`` gives the English word ``en`` for the Hebrew ``he`` (any
    form without its prefixes)."""
    table = names_table()
    return any(en in table.get(f, ()) for f in he_prefixed(he))
