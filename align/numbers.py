"""One number reader for Hebrew and English text, shared by every feature and flag.

``read(text)`` finds the numbers a translation must keep, each in one canonical form,
so that the same quantity written two ways compares equal:

- clock times, 24- or 12-hour, with or without am/pm, "noon" and "midnight", and news
  forms such as "12.00 GMT" and "1200 GMT": all as ``t:H:MM`` with H on a 12-hour dial
  ("14:30" = "2:30pm" = ``t:2:30``; "12:00" = "noon" = ``t:0:00``);
- thousands separators ("26,750" = "26750"), decimals with a point or a comma ("3,5" =
  "3.5"), vulgar fractions ("29¾" = "29.75"), scale words ("1.2 million" =
  "1,200,000" = "1.2 מיליון");
- ordinals ("1st", "ה-1"), percentages, years, currencies and numbers glued to letters
  ("$26,750", "5km", "ב-2019") as their plain value; a digit's plural ("7's", rugby
  sevens) is a word, not a number;
- ranges ("10–15") as both ends, with the scale or unit of the second for both ("3.9-4.2
  million"), a year range "2015–16" as 2015 and 2016; Hebrew decades of a century
  ("שנות ה-50 של המאה ה-19") and English decades ("1850s", "the '50s") as one decade
  form (``50s``: the century is often left out on one side); a century's
  ordinal ("המאה ה-19", "19th century") is its number, and so is "the 1800s" (19).

Numbers spelled in words count too ("three", "twenty-five", "two hundred", "thirteenth",
"שלושה", "עשרים וחמישה", "שתים עשרה", "חמש מאות", "יומיים"), and regnal numbers ("Louis
XVI"). "One" and "אחד"/"אחת" are most often an article or a pronoun ("one of", "איש
אחד"), and "first" and "second" are not always numbers, so they count only inside a
compound ("twenty-one", "אחד עשר") or as a day before a month ("מאחד באפריל"); "שנים"
is "years" unless "עשר" follows, and "שבע" in "באר שבע" is a city. Numbers in words
are marked ``spelled``: they need only agree in their whole part or hour ("שש וחצי" /
"half past six").

Each number also carries its unit when one follows it (metres, feet, km, miles, kg,
pounds, °C, °F, litres, gallons, km/h, mph, in Hebrew or English), so that a translator's
conversion (30 metres / 100 feet) can be told from a changed number (``conversions``).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

_FRACTIONS = {"¼": 0.25, "½": 0.5, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125, "⅜": 0.375,
              "⅝": 0.625, "⅞": 0.875, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6, "⅘": 0.8, "⅙": 1 / 6, "⅚": 5 / 6}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9,
           "אלף": 1e3, "אלפים": 1e3, "מיליון": 1e6, "מיליוני": 1e6, "מיליארד": 1e9, "מיליארדי": 1e9,
           "טריליון": 1e12}

# Units by dimension, with the factor to the dimension's base unit (metre, kilogram,
# litre, km/h); temperature is converted apart.
_UNITS: dict[str, tuple[str, float]] = {}
_UNIT_NAME: dict[tuple[str, float], str] = {}  # one name per unit ("km" for every spelling)
for _dim, _base, _names in (
        ("length", 1000.0, "km kms kilometre kilometres kilometer kilometers קילומטר קילומטרים ק\"מ ק״מ קמ"),
        ("length", 1609.344, "mi mile miles מייל מיילים מיל"),
        ("length", 1.0, "m metre metres meter meters מטר מטרים מ'"),
        ("length", 0.3048, "ft foot feet רגל"),
        ("length", 0.0254, "in inch inches אינץ' אינץ׳ אינצ'ים"),
        ("length", 0.01, "cm centimetre centimetres centimeter centimeters ס\"מ ס״מ סנטימטר סנטימטרים"),
        ("length", 0.9144, "yd yard yards יארד יארדים"),
        ("mass", 1.0, "kg kgs kilo kilos kilogram kilograms kilogrammes ק\"ג ק״ג קילוגרם קילוגרמים קילו"),
        ("mass", 0.45359237, "lb lbs pound pounds ליברה ליברות פאונד"),
        ("mass", 1000.0, "tonne tonnes טון טונות"),
        ("volume", 1.0, "l litre litres liter liters ליטר ליטרים"),
        ("volume", 3.785411784, "gallon gallons גלון גלונים"),
        ("speed", 1.0, "km/h kph קמ\"ש קמ״ש"),
        ("speed", 1.609344, "mph"),
        ("years", 1.0, "year years שנה שנים"),
        ("years", 10.0, "decade decades עשור עשורים"),
        ("years", 100.0, "century centuries"),
        ("celsius", 1.0, "°c celsius צלזיוס"),
        ("fahrenheit", 1.0, "°f fahrenheit פרנהייט")):
    for _name in _names.split():
        _UNITS[_name] = (_dim, _base)
    _UNIT_NAME[(_dim, _base)] = _names.split()[0]

_ZONES = r"(?:gmt|utc|et|est|edt|pt|pst|idt|ist|bst|cet|local time)\b"
_AMPM = r"(?:a\.?m\.?|p\.?m\.?)(?![a-z])"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
_TOKEN = re.compile(
    rf"(?P<clock>(?<![\d.,:])(?P<h>\d{{1,2}})(?P<sep>[:.])(?P<m>\d{{2}})(?![\d:])"
    rf"(?P<ap>\s*{_AMPM})?(?P<tz>\s*{_ZONES})?)"
    rf"|(?P<hhmm>(?<![\d.,])(?P<hh>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s*(?:{_ZONES}|hours\b|hrs\b))"
    rf"|(?P<hour>(?<![\d.,:])(?P<h1>\d{{1,2}})\s*(?P<ap1>{_AMPM}))"
    rf"|(?P<noon>\b(?:noon|midday|midnight)\b|בצהריים|חצות)"
    rf"|(?P<num>(?<![\d.,])(?:{_NUM}))",
    re.I)
_FRACTION = re.compile(f"(\\d*)([{''.join(_FRACTIONS)}])")
_YEAR_RANGE = re.compile(r"\s*[-\u2013\u2014]\s*(\d{2})(?!\d)")
_UNIT_AFTER = re.compile(r"[\s\-]*(°\s?[cf]\b|km/h|[^\W\d_][\w\"'״׳/]*)", re.I)
_MONEY = "$€£₪¥"
_RANGE = re.compile(r"\s*(?:-|\u2013|\u2014|to|עד)\s*(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)")
# Hebrew decades of a century: "שנות ה-50 של המאה ה-19" is the 1850s.
_HE_DECADE = re.compile(r"שנות\s?ה?\s?[-\u05BE]?\s?(\d{4}|\d{2})(?!\d)(?:\s+של המאה ה\s?[-\u05BE]?\s?\d{1,2})?")


# Number words: value and kind ("unit" 1-9, "ten", "teen" for the ten of a teen,
# "tens", "hundred", "scale").
_WORDS: dict[str, tuple[int, str]] = {}
for _kind, _spec in (
        ("unit", "two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 "
                 "שניים:2 שתיים:2 שתים:2 שני:2 שתי:2 שלושה:3 שלוש:3 שלושת:3 שלשה:3 ארבעה:4 ארבע:4 "
                 "ארבעת:4 חמישה:5 חמש:5 חמשת:5 חמישת:5 שישה:6 שש:6 ששת:6 שבעה:7 שבע:7 שבעת:7 "
                 "שמונה:8 שמונת:8 תשעה:9 תשע:9 תשעת:9"),
        ("one", "one:1 אחד:1 אחת:1 first:1 second:2"),
        ("unit", "third:3 fourth:4 fifth:5 sixth:6 seventh:7 eighth:8 ninth:9"),
        ("ten", "tenth:10"),
        ("teen", "eleventh:11 twelfth:12 thirteenth:13 fourteenth:14 fifteenth:15 sixteenth:16 "
                 "seventeenth:17 eighteenth:18 nineteenth:19"),
        ("tens", "twentieth:20 thirtieth:30 fortieth:40 fiftieth:50 sixtieth:60 seventieth:70 "
                 "eightieth:80 ninetieth:90"),
        ("hundred", "hundredth:100"),
        ("scale", "thousandth:1000 millionth:1000000"),
        ("dual", "twice:2 פעמיים:2 יומיים:2 שבועיים:2 חודשיים:2 שנתיים:2 שעתיים:2 דקותיים:2"),
        ("ten", "ten:10 עשרה:10 עשר:10 עשרת:10"),
        ("teen", "eleven:11 twelve:12 thirteen:13 fourteen:14 fifteen:15 sixteen:16 seventeen:17 "
                 "eighteen:18 nineteen:19"),
        ("twelve", "שנים:2"),  # "years", unless "עשר" follows ("שנים עשר", 12)
        ("tens", "twenty:20 thirty:30 forty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90 "
                 "עשרים:20 שלושים:30 ארבעים:40 חמישים:50 שישים:60 שבעים:70 שמונים:80 תשעים:90"),
        ("hundred", "hundred:100 מאה:100 מאתיים:200 מאות:100"),
        ("scale", "thousand:1000 אלף:1000 אלפיים:2000 אלפים:1000 million:1000000 מיליון:1000000 "
                  "billion:1000000000 מיליארד:1000000000")):
    for _item in _spec.split():
        _word, _val = _item.split(":")
        _WORDS[_word] = (int(_val), _kind)
_MONTHS = ("ינואר פברואר מרץ מרס אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר").split()
_WORD_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HE_PREFIXES = set("ובהלמשכ")
# A regnal or sequel number after a name: "Louis XVI", "Elizabeth II" (two letters or more).
_ROMAN = re.compile(r"\b[A-Z][a-z]+ ((?=[IVXLC]{2})C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\b")
# "and a half" after a number, or after its unit in Hebrew ("שלושה מטרים וחצי").
_HALF = re.compile(r"(\s+[^\W\d_]+)?\s+(?:וחצי|and a half)\b")
# Hebrew decades in words: "שנות השמונים" is the '80s.
_HE_DECADE_WORDS = re.compile(r"שנות\s?ה(עשרים|שלושים|ארבעים|חמישים|שישים|שבעים|שמונים|תשעים)")


@dataclass(frozen=True)
class Number:
    """One number of a text: its canonical ``form`` and, for a quantity, its ``unit``
    dimension and value in the dimension's base unit."""

    form: str
    dimension: str | None = None
    base: float | None = None
    unit: str | None = None
    spelled: bool = False  # written in words


def _fmt(value: float) -> str:
    """A canonical string for a value: integers without a point, else up to 4 decimals."""
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _value(text: str) -> float:
    """The value of a digit string with separators: "26,750" and "3,5" and "3.5"."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def _unit_after(text: str, end: int, money: bool) -> tuple[str | None, float]:
    """The unit right after a number, and the scale word ("million", "bn") if that is
    what follows; after a currency sign "m" is a million, else a metre."""
    m = _UNIT_AFTER.match(text, end)
    if not m:
        return None, 1.0
    word = m.group(1).lower().rstrip(".,;:")
    if word in ("degree", "degrees", "מעלות", "מעלה"):  # "30 degrees Celsius", "30 מעלות צלזיוס"
        after = _UNIT_AFTER.match(text, m.end())
        word = after.group(1).lower().rstrip(".,;:") if after else word
    if word in _SCALES and (money or word not in _UNITS):
        return None, _SCALES[word]
    return (word, 1.0) if word in _UNITS else (None, 1.0)


def _fractions(text: str) -> str:
    """Vulgar fractions as decimals, before NFKC would spell them "3⁄4": "29¾" -> "29.75"."""
    def decimal(m: re.Match) -> str:
        return _fmt((int(m.group(1)) if m.group(1) else 0) + _FRACTIONS[m.group(2)])
    return _FRACTION.sub(decimal, text)


@lru_cache(maxsize=65536)
def read(text: str) -> tuple[Number, ...]:
    """Every number of ``text``, in order (see the module doc)."""
    text = unicodedata.normalize("NFKC", _fractions(text))
    text = _HE_DECADE_WORDS.sub(lambda m: f"{_WORDS[m.group(1)][0]}s", text)
    text = _HE_DECADE.sub(lambda m: f"{m.group(1)[-2:]}s", text)
    out: list[Number] = []
    skip = 0
    for m in _TOKEN.finditer(text):
        if m.group("clock"):
            h, mins = int(m.group("h")), int(m.group("m"))
            timed = m.group("sep") == ":" or m.group("ap") or m.group("tz")
            if timed and h <= 24 and mins <= 59:
                out.append(Number(f"t:{h % 12}:{mins:02d}"))
            elif m.group("sep") == ":":  # not a time ("25:00", a score or a ratio): two numbers
                out.extend([Number(str(h)), Number(str(mins))])
            else:  # "3.25" is a decimal unless a time word follows
                out.extend(_plain(text, m.start(), m.group("h") + m.group("sep") + m.group("m"))[0])
        elif m.group("hhmm"):
            out.append(Number(f"t:{int(m.group('hh')) % 12}:{m.group('mm')}"))
        elif m.group("hour"):
            out.append(Number(f"t:{int(m.group('h1')) % 12}:00"))
        elif m.group("noon"):
            out.append(Number("t:0:00"))
        else:
            if m.start() < skip:  # the second year of "2015-16", already read
                continue
            found, skip = _plain(text, m.start(), m.group())
            out.extend(found)
    out.extend(_spelled(text))
    out.extend(Number(str(_roman(m.group(1))), spelled=True) for m in _ROMAN.finditer(text)
               if m.group(1) != "XL")  # "Size XL"
    return tuple(out)


def _roman(letters: str) -> int:
    values = [{"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}[c] for c in letters]
    return sum(-v if v < w else v for v, w in zip(values, values[1:] + [0]))


def _number_word(token: str, before: str) -> tuple[int, str, str] | None:
    """``(value, kind, prefix)`` of one word if it is a number word, else None; Hebrew
    prefix letters ("ו", "ב", "מ", ...) are split off. ``before`` is the previous word."""
    word = token.lower()
    for cut in range(0, 3):
        prefix, rest = word[:cut], word[cut:]
        if cut and not set(prefix) <= _HE_PREFIXES:
            break
        if rest in _WORDS:
            value, kind = _WORDS[rest]
            if rest in ("שני", "שתי") and ("ה" in prefix or "ב" in prefix or before.endswith("יום")):
                return None  # "השני" the second, "יום שני" Monday
            if rest == "מאה" and ("ה" in prefix or "ב" in prefix):
                return None  # "המאה ה-19": the century
            if rest == "שבע" and before.endswith("באר"):
                return None  # Beersheba
            return value, kind, prefix
    return None


# Which kind of number word may follow which within one number: "שלושה עשר", "twenty-one",
# "two hundred", "fifteen hundred", "אלף ושמונה מאות".
_FOLLOWS = {"dual": set(), "unit": {"ten", "hundred", "scale"}, "one": {"ten", "hundred", "scale"},
            "twelve": {"ten"}, "ten": {"hundred", "scale"}, "teen": {"hundred", "scale"},
            "tens": {"unit", "one", "scale"},
            "hundred": {"unit", "one", "twelve", "ten", "teen", "tens", "scale"},
            "scale": {"unit", "one", "twelve", "ten", "teen", "tens", "hundred"}}


def _joins(before: str, kind: str) -> bool:
    return kind in _FOLLOWS[before]


def _phrase_value(words: list[tuple[int, str, str]]) -> int:
    """The value of a run of number words ("שלושה עשר", "two hundred and five")."""
    total = current = 0
    for value, kind, _ in words:
        if kind == "hundred" and value == 100 and (current or words[0][1] == "hundred"):
            current = (current or 1) * 100  # "שלוש מאות", "two hundred"
        elif kind == "scale" and value in (1000, 1000000, 1000000000):
            total += (current or 1) * value
            current = 0
        elif kind == "scale":  # "אלפיים"
            total += value
        else:
            current += value
    return total + current


def _quantity(value: float, unit: str | None, spelled: bool = False) -> Number:
    """A number, with its dimension and base value when a unit follows it."""
    if unit is None:
        return Number(_fmt(value), spelled=spelled)
    dimension, factor = _UNITS[unit]
    return Number(_fmt(value), dimension, value * factor, _UNIT_NAME[(dimension, factor)], spelled)


def _word_tokens(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of the words of ``text``; a hyphenated word is cut where
    it is a number and something else ("five-match") or two numbers ("ten-fifteen")."""
    tokens = []
    for m in _WORD_TOKEN.finditer(text):
        parts = m.group().split("-")
        found = [_number_word(p, "") for p in parts]
        head = 0
        while head < len(found) and found[head]:
            head += 1
        if 0 < head < len(parts):  # "five-match", "three-year-old": the number heads the word
            word = "-".join(parts[:head])
            tokens.append((m.start(), m.start() + len(word), word))
            tokens.append((m.start() + len(word) + 1, m.end(), "-".join(parts[head:])))
        elif len(parts) > 1 and all(found) and not all(_joins(a[1], b[1]) for a, b in zip(found, found[1:])):
            at = m.start()  # "ten-fifteen", "ארבעה-שבע": a range or a list, one token each
            for part in parts:
                tokens.append((at, at + len(part), part))
                at += len(part) + 1
        else:
            tokens.append((m.start(), m.end(), m.group()))
    return tokens


def _spelled(text: str) -> list[Number]:
    """The numbers of ``text`` spelled in words (see the module doc)."""
    tokens = _word_tokens(text)
    out: list[Number] = []
    k = 0
    while k < len(tokens):
        run, end, j = [], tokens[k][1], k
        while j < len(tokens):
            start, stop, token = tokens[j]
            if run and re.search(r"[^\s\-]", text[end:start]):
                break  # a comma or a digit between two words ends the number
            before = tokens[j - 1][2] if j else ""
            if run and token.lower() == "and" and run[-1][1] in ("hundred", "scale"):
                end, j = stop, j + 1
                continue
            parts = [_number_word(p, before) for p in token.split("-")]
            if not all(parts) or (run and any(p[2] and p[2] != "ו" for p in parts)):
                break
            chain = run[-1:] + parts
            if not all(_joins(a[1], b[1]) for a, b in zip(chain, chain[1:])):
                break  # "ten-fifteen", "three-thirty": two numbers, not one
            if parts[-1][1] == "twelve" and (j + 1 == len(tokens) or tokens[j + 1][2] not in ("עשר", "עשרה")):
                break  # "שנים" is "years" unless "עשר" follows
            run.extend(parts)
            end, j = stop, j + 1
        if not run:
            k += 1
            continue
        if _counts(run, text, tokens, k, j):
            value = _phrase_value(run)
            half = _HALF.match(text, end)
            if half:  # "שלושה מטרים וחצי", "three and a half"
                value += 0.5
                end = end if half.group(1) else half.end()
            unit, scale = _unit_after(text, end, False)
            out.append(_quantity(value * scale, unit, spelled=True))
        k = max(j, k + 1)
    return out


def _counts(run: list[tuple[int, str, str]], text: str, tokens, first: int, after: int) -> bool:
    """Whether a run of number words is a number: not "one"/"אחד" alone (unless a month
    follows), not "שנים" (years) without "עשר", not a bare "מאות"/"אלפים" (hundreds,
    thousands), and not the scale of a digit ("5 million", read with the digit)."""
    kinds = [kind for _, kind, _ in run]
    start = tokens[first][0]
    if re.search(r"\d[\s,.]*$", text[max(0, start - 4):start]):
        return False
    if "twelve" in kinds and "ten" not in kinds:
        return False
    if len(run) == 1:
        word = tokens[first][2]
        if kinds[0] == "one":  # "one", "first", "second", "אחד" alone: a month must follow
            nxt = tokens[after][2] if after < len(tokens) else ""
            return nxt[:1] == "ב" and nxt[1:] in _MONTHS
        if kinds[0] in ("hundred", "scale") and not re.search("מאה|מאתיים|אלף$|אלפיים", word):
            return False
    return True


def _plain(text: str, start: int, digits: str) -> tuple[list[Number], int]:
    """The plain number ``digits`` at ``start`` (with its scale, unit or year range),
    and where the text it read ends (after "-16" of "2015-16")."""
    value = _value(digits)
    end = start + len(digits)
    tail = text[end:end + 3]
    if len(digits) == 4 and digits.isdigit() and digits.endswith("00") and re.match(r"'?s\b", tail):
        return [Number(str(int(digits[:2]) + 1))], end  # "the 1800s": the 19th century
    if len(digits) in (2, 4) and digits.isdigit() and digits.endswith("0") and re.match(r"'?s\b", tail):
        return [Number(f"{digits[-2:]}s")], end  # a decade: "1960s" = "the '60s" = "שנות ה-60"
    if re.match(r"'s\b", tail):  # "7's": a digit's plural (rugby sevens) is a word
        return [], end
    money = start > 0 and text[start - 1] in _MONEY
    unit, scale = _unit_after(text, end, money)
    span = _RANGE.match(text, end)
    if span and scale == 1.0 and unit is None:  # "3.9-4.2 million", "100 to 250 metres"
        unit, scale = _unit_after(text, span.end(), money)
    numbers = [_quantity(value * scale, unit)]
    years = _YEAR_RANGE.match(text, end)
    if years and len(digits) == 4:  # "2015-16": 2015 and 2016
        return numbers + [Number(digits[:2] + years.group(1))], years.end()
    return numbers, end


def forms(text: str, words: bool = True) -> frozenset[str]:
    """The canonical forms of the numbers of ``text``: what must agree between a
    caption and its translation. ``words=False`` leaves out numbers spelled in words
    (the scorers' features were fitted on numbers in digits)."""
    return frozenset(n.form for n in read(text) if words or not n.spelled)


def _converted(a: Number, b: Number, tolerance: float = 0.1) -> bool:
    """True when ``a`` and ``b`` are one quantity in two units, within ``tolerance``."""
    if a.dimension is None or b.dimension is None:
        return False
    temps = {a.dimension, b.dimension}
    if temps == {"celsius", "fahrenheit"}:
        c, f = (a, b) if a.dimension == "celsius" else (b, a)
        return abs(float(c.form) * 9 / 5 + 32 - float(f.form)) <= max(2.0, tolerance * abs(float(f.form)))
    if a.dimension != b.dimension or a.unit == b.unit or a.base is None or b.base is None:
        return False  # the same unit on both sides is a changed number, not a conversion
    return abs(a.base - b.base) <= tolerance * max(abs(a.base), abs(b.base))


def conversions(he: str, en: str) -> tuple[set[str], set[str], list[tuple[str, str]]]:
    """Numbers of each side that the other lacks, and the unit conversions among them:
    ``(he_only, en_only, converted)`` where ``converted`` pairs a Hebrew and an English
    form that are one quantity in two units; converted forms leave both sets.

    Numbers are counted: "1927 ... 1929" against "1929 ... 1929" leaves 1927 to the
    Hebrew and a second 1929 to the English."""
    he_nums, en_nums = read(he), read(en)
    he_count, en_count = Counter(n.form for n in he_nums), Counter(n.form for n in en_nums)
    he_extra, en_extra = he_count - en_count, en_count - he_count
    pairs = []
    for a in he_nums:
        for b in en_nums:
            if he_extra[a.form] > 0 and en_extra[b.form] > 0 and _converted(a, b):
                pairs.append((a.form, b.form))
                he_extra[a.form] -= 1
                en_extra[b.form] -= 1
    # Words tell times and halves loosely ("שש וחצי" / "half past six", "בשבע" / "7:00"):
    # a number in words needs only its whole part or its hour on the other side, and a
    # bare number up to 12 matches the full hour ("7 בערב" / "7 p.m.").
    for nums, mine, other in ((he_nums, he_extra, en_extra), (en_nums, en_extra, he_extra)):
        for a in nums:
            if mine[a.form] <= 0:
                continue
            if a.spelled:
                near = next((f for f in sorted(+other) if _whole(f) == _whole(a.form)), None)
            else:  # "7" / "7:00": an hour without its minutes
                near = f"t:{int(a.form) % 12}:00" if a.form.isdigit() and int(a.form) <= 12 else None
                near = near if near is not None and other[near] > 0 else None
            if near is not None:
                mine[a.form] -= 1
                other[near] -= 1
    return set(+he_extra), set(+en_extra), pairs


def _whole(form: str) -> int | None:
    """The whole part of a form, or the hour of a time ("6.5" -> 6, "t:6:30" -> 6)."""
    if form.startswith("t:"):
        return int(form.split(":")[1])
    try:
        value = float(form)
    except ValueError:  # a decade, "80s"
        return None
    return int(value) % 12 if value < 13 else int(value)
