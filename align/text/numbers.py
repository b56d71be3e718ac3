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

Each number also carries its unit when one follows it (metres, millimetres, feet,
inches, km, miles, square metres and feet, dunams, kg, pounds, litres, gallons, km/h,
mph, knots, °C, °F, degrees; in Hebrew or English, "square feet" and "מטר רבוע" as one
unit), so that a translator's conversion (30 metres / 100 feet) can be told from a
changed number (``conversions``; the tolerance is stated at ``TOLERANCE``). Hebrew
abbreviations are read however news types their gershayim and geresh (ק"מ, ק״מ, ק“מ,
ק”מ; מ', מ׳, מ’), and bidi marks around numbers are dropped. Hebrew degrees are
Celsius; English "degrees" of no stated scale may be either. The unit (or scale) of the
second end of a range is the first's too ("between 20 and 40 mm", "בין 20 ל-40 מ"מ").

Some numbers read two ways, and match by either: "2.5m" is 2.5 metres or 2.5 million
(after a currency it is a million), "20.30" is a decimal or 8:30. Hebrew ordinals from
3 to 10 count where they are numbers ("השלישי", "פעם חמישית"; not "יום שלישי",
Tuesday). A count that the other side may leave unsaid is soft: a Hebrew construct
number before a definite noun ("שתי הקבוצות", the sides), "both", and names built on
number words ("the Final Four", "Formula One"); a soft number left over is dropped
unless the other side has a firm number left over too. A number word glued to digits
("Twenty20") is a name.

One room: every form a number takes is read here, so that the scorers' features and
the check's flags can never disagree about what a number is; that is why the module
is longer than most.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
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
        ("length", 0.001, "mm millimetre millimetres millimeter millimeters מ\"מ מילימטר מילימטרים"),
        ("length", 0.9144, "yd yard yards יארד יארדים"),
        ("mass", 1.0, "kg kgs kilo kilos kilogram kilograms kilogrammes ק\"ג ק״ג קילוגרם קילוגרמים קילו"),
        ("mass", 0.45359237, "lb lbs pound pounds ליברה ליברות פאונד"),
        ("mass", 1000.0, "tonne tonnes טון טונות"),
        ("volume", 1.0, "l litre litres liter liters ליטר ליטרים"),
        ("volume", 3.785411784, "gallon gallons גלון גלונים"),
        ("speed", 1.0, "km/h kph kmh קמ\"ש קמ״ש"),
        ("speed", 1.609344, "mph"),
        ("speed", 1.852, "knot knots קשר קשרים"),
        ("area", 1.0, "m2 sqm square-metre square-metres square-meter square-meters מ\"ר מטר-רבוע מטרים-רבועים"),
        ("area", 0.09290304, "ft2 sqft square-foot square-feet"),
        ("area", 1e6, "km2 square-kilometre square-kilometres square-kilometer square-kilometers "
                      "קמ\"ר קילומטר-רבוע קילומטרים-רבועים"),
        ("area", 2589988.11, "square-mile square-miles"),
        ("area", 1000.0, "dunam dunams דונם דונמים"),
        ("area", 4046.8564224, "acre acres אקר"),
        ("area", 10000.0, "hectare hectares הקטר"),
        ("years", 1.0, "year years שנה שנים"),
        ("years", 10.0, "decade decades עשור עשורים"),
        ("years", 100.0, "century centuries"),
        ("celsius", 1.0, "°c celsius צלזיוס מעלות מעלה"),  # Hebrew news gives degrees Celsius
        ("fahrenheit", 1.0, "°f fahrenheit פרנהייט"),
        ("degrees", 1.0, "degrees degree")):  # English degrees of no stated scale
    for _name in _names.split():
        _UNITS[_name] = (_dim, _base)
    _UNIT_NAME[(_dim, _base)] = _names.split()[0]
UNIT_WORDS = frozenset(_UNITS) | frozenset(_SCALES)  # words a number may carry ("30 ס\"מ", "2.5 million")

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
_UNIT_AFTER = re.compile(r"[\s\-]*(°\s?[cf]\b|°|km/h|[^\W\d_][\w\"'״׳/]*)", re.I)
# A currency just before a number: "$5m", "NIS 2.5m", "£40bn" ("m" is then a million).
_MONEY_BEFORE = re.compile(r"(?:[$€£₪¥]|\b(?:NIS|USD|EUR|GBP|ILS|US\$))\s?$")
_RANGE = re.compile(r"\s*(?:-|\u2013|\u2014|to|עד)\s*(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)")
# "between 20 and 40 mm", "בין 20 ל-40 מ"מ", "מ-5 ל-7 מיליון": "and" and "ל-" join a range
# only after "between", "בין" or "מ-".
_BETWEEN = re.compile(r"(?:\bbetween|בין|\bמ\s?-?)\s*$", re.I)
_AND_RANGE = re.compile(r"\s*(?:and|ו?ל\s?-?)\s*(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)")
# Hebrew decades of a century: "שנות ה-50 של המאה ה-19" is the 1850s.
_HE_DECADE = re.compile(r"שנות\s?ה?\s?[-\u05BE\u2013\u2014]?\s?(\d{4}|\d{2})(?!\d)"
                        r"(?:\s+של המאה ה\s?[-\u05BE\u2013\u2014]?\s?\d{1,2})?")


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
# English decades in words: "the nineties" is the '90s.
_EN_DECADE_WORDS = re.compile(r"\b(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
                              re.I)


@dataclass(frozen=True)
class Number:
    """One number of a text: its canonical ``form`` and, for a quantity, its ``unit``
    dimension and value in the dimension's base unit; ``step`` is the precision it was
    written with, in base units (a conversion may be rounded to it); ``alts`` are the
    forms of another reading ("2.5m": 2.5 metres or 2.5 million; "5.15": 5.15 or a
    quarter past five); a ``soft`` number is a count that may go unsaid on the other
    side ("שתי הקבוצות" / "the sides", the "Final Four")."""

    form: str
    dimension: str | None = None
    base: float | None = None
    unit: str | None = None
    spelled: bool = False  # written in words
    step: float | None = None
    alts: tuple[str, ...] = ()
    soft: bool = False


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


_SQUARE = {"square", "sq", "sq."}
_SQUARED = {"ft": "feet", "m": "metre", "km": "kilometre", "mi": "mile"}  # "sq ft", "sq m"
_HE_SQUARE = {"רבוע", "רבועים", "רבועה"}
_TEMPERATURE_WORDS = {"celsius": "celsius", "c": "celsius", "centigrade": "celsius",
                      "fahrenheit": "fahrenheit", "f": "fahrenheit", "צלזיוס": "celsius", "פרנהייט": "fahrenheit"}


def _word_at(text: str, end: int) -> re.Match | None:
    return _UNIT_AFTER.match(text, end)


def _unit_after(text: str, end: int, money: bool) -> tuple[str | None, float, float | None]:
    """The unit right after a number, the scale word ("million", "bn") if that is what
    follows, and another reading's scale when the word is ambiguous: ``(unit, scale,
    alt_scale)``. After a currency sign "m" is a million; elsewhere it is a metre, or
    a million ("2.5m people"), so both are kept. Compound units ("square feet", "sq
    m", "מטר רבוע") read as one; a letter glued to a number ("86F", "30C") is a
    temperature; "degrees" take the scale named after them, and Hebrew degrees
    ("מעלות") are Celsius."""
    m = _word_at(text, end)
    if not m:
        return None, 1.0, None
    word = m.group(1).lower().rstrip(".,;:")
    glued = m.start(1) == end
    if glued and word in ("f", "c"):  # "86F", "30C"
        return _TEMPERATURE_WORDS[word], 1.0, None
    if word in _SQUARE or (word in _UNITS and _UNITS[word][0] == "length"):
        after = _word_at(text, m.end())
        nxt = after.group(1).lower().rstrip(".,;:") if after else ""
        if word in _SQUARE and nxt:
            word = f"square-{_SQUARED.get(nxt, nxt)}"
        elif nxt in _HE_SQUARE:
            word = f"{word}-{'רבועים' if word.endswith('ים') else 'רבוע'}"
    if word in ("degree", "degrees", "מעלות", "מעלה", "°"):  # "30 degrees Celsius", "30 מעלות"
        after = _word_at(text, m.end())
        scale_word = after.group(1).lower().rstrip(".,;:") if after else ""
        if scale_word in _TEMPERATURE_WORDS:
            return _TEMPERATURE_WORDS[scale_word], 1.0, None
        return (word if word in _UNITS else "degrees"), 1.0, None
    if word in _SCALES and (money or word not in _UNITS):
        return None, _SCALES[word], None
    if word == "m" and not money:  # "100m sprint", "2.5m people"
        return word, 1.0, _SCALES["m"]
    return (word, 1.0, None) if word in _UNITS else (None, 1.0, None)


def _fractions(text: str) -> str:
    """Vulgar fractions as decimals, before NFKC would spell them "3⁄4": "29¾" -> "29.75"."""
    def decimal(m: re.Match) -> str:
        return _fmt((int(m.group(1)) if m.group(1) else 0) + _FRACTIONS[m.group(2)])
    return _FRACTION.sub(decimal, text)


@lru_cache(maxsize=65536)
def read(text: str) -> tuple[Number, ...]:
    """Every number of ``text``, in order (see the module doc)."""
    text = _normalise(unicodedata.normalize("NFKC", _fractions(text)))
    text = _HE_DECADE_WORDS.sub(lambda m: f"{_WORDS[m.group(1)][0]}s", text)
    text = _EN_DECADE_WORDS.sub(lambda m: f"{_WORDS[m.group(1).lower()[:-3] + 'y'][0]}s", text)
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
            else:  # "3.25" is a decimal unless a time word follows; "20.30" may be a time
                found = _plain(text, m.start(), m.group("h") + m.group("sep") + m.group("m"))[0]
                if found and h <= 24 and mins <= 59 and found[0].dimension is None:
                    found[0] = replace(found[0], alts=found[0].alts + (f"t:{h % 12}:{mins:02d}",))
                out.extend(found)
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
    out.extend(_ordinals(text))
    return tuple(out)


# Bidi controls around numbers ("14.5\u200f-\u200f13.5") carry no meaning here.
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# Gershayim and geresh as typed in news: “ ” „ ″ ״ between Hebrew letters (ק“מ, מ”ר),
# and ‘ ’ ′ ׳ after one (מ’, אינץ’), read as the ASCII " and ' the unit names use.
_GERSHAYIM = re.compile("(?<=[\u05d0-\u05ea])[\u201c\u201d\u201e\u2033\u05f4\"](?=[\u05d0-\u05ea])")
_GERESH = re.compile("(?<=[\u05d0-\u05ea])[\u2018\u2019\u2032\u05f3]")


def _normalise(text: str) -> str:
    """Bidi controls dropped; typographic gershayim and geresh in Hebrew made ASCII."""
    return _GERESH.sub("'", _GERSHAYIM.sub('"', _BIDI.sub("", text)))


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


def _quantity(value: float, unit: str | None, spelled: bool = False, step: float = 1.0,
              alts: tuple[str, ...] = ()) -> Number:
    """A number, with its dimension and base value when a unit follows it; ``step``:
    the precision it was written with, in its own unit."""
    if unit is None:
        return Number(_fmt(value), spelled=spelled, alts=alts)
    dimension, factor = _UNITS[unit]
    return Number(_fmt(value), dimension, value * factor, _UNIT_NAME[(dimension, factor)], spelled,
                  step * factor, alts)


def _step(digits: str) -> float:
    """The precision a number was written with: a unit of its last significant digit
    ("1.5" 0.1, "12" 1, "20" 10, "1,500" 100, "65" 5)."""
    plain = digits.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits) else digits
    plain = plain.replace(",", ".")
    if "." in plain:
        return 10.0 ** -len(plain.split(".", 1)[1])
    zeros = len(plain) - len(plain.rstrip("0"))
    if not zeros and plain.endswith("5") and int(plain) >= 50:  # "65 mph": to the nearest 5
        return 5.0
    return 10.0 ** min(zeros, len(plain) - 1)


def _word_tokens(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of the words of ``text``; a hyphenated word is cut where
    it is a number and something else ("five-match") or two numbers ("ten-fifteen")."""
    tokens = []
    for m in _WORD_TOKEN.finditer(text):
        parts = m.group().split("-")
        found = [_number_word(p, "") for p in parts]
        words = [f for f in found if f is not None]
        head = 0
        while head < len(found) and found[head]:
            head += 1
        if 0 < head < len(parts):  # "five-match", "three-year-old": the number heads the word
            word = "-".join(parts[:head])
            tokens.append((m.start(), m.start() + len(word), word))
            tokens.append((m.start() + len(word) + 1, m.end(), "-".join(parts[head:])))
        elif len(parts) > 1 and len(words) == len(parts) and not all(
                _joins(a[1], b[1]) for a, b in zip(words, words[1:])):
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
    names = [m.span() for m in _NAMED.finditer(text)]
    out: list[Number] = []
    k = 0
    while k < len(tokens):
        run: list[tuple[int, str, str]] = []
        end, j = tokens[k][1], k
        while j < len(tokens):
            start, stop, token = tokens[j]
            if run and re.search(r"[^\s\-]", text[end:start]):
                break  # a comma or a digit between two words ends the number
            before = tokens[j - 1][2] if j else ""
            if run and token.lower() == "and" and run[-1][1] in ("hundred", "scale"):
                end, j = stop, j + 1
                continue
            read_parts = [_number_word(p, before) for p in token.split("-")]
            parts = [p for p in read_parts if p is not None]
            if len(parts) < len(read_parts) or (run and any(p[2] and p[2] != "ו" for p in parts)):
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
        if _counts(run, text, tokens, k, j) and not text[end:end + 1].isdigit():  # "Twenty20": a name
            value: float = _phrase_value(run)
            half = _HALF.match(text, end)
            if half:  # "שלושה מטרים וחצי", "three and a half"
                value += 0.5
                end = end if half.group(1) else half.end()
            unit, scale, _ = _unit_after(text, end, False)
            number = _quantity(value * scale, unit, spelled=True, step=scale)
            if _soft(text, tokens, k, j, names):
                number = replace(number, soft=True)
            out.append(number)
        k = max(j, k + 1)
    out.extend(Number("2", spelled=True, soft=True) for _ in _BOTH.finditer(text))
    return out


# Names built on number words: a count the other side need not say ("the Final Four").
_NAMED = re.compile(r"\b(?:final|big|fab|famous|magnificent|top)\s+(?:three|four|five|six|seven|eight|ten|"
                    r"twelve)\b|\bgroup of (?:seven|eight|twenty)\b|\bformula (?:one|two|three)\b|"
                    r"\bocean's (?:eleven|twelve|thirteen)\b|\bcatch-22\b", re.I)
_BOTH = re.compile(r"\bboth\b", re.I)
# Hebrew numbers in the construct form ("שתי", "שלושת"): before a definite noun they are
# "both", "the three": the other side may say "the sides", "the trio".
_CONSTRUCT = frozenset("שתי שני שלושת שלוש ארבעת חמשת חמישת ששת שבעת שמונת תשעת עשרת".split())


def _soft(text: str, tokens, first: int, after: int, names: list[tuple[int, int]]) -> bool:
    """Whether the number words ``tokens[first:after]`` are a soft count: inside a
    name built on them, or a Hebrew construct form before a definite noun."""
    start = tokens[first][0]
    if any(a <= start < b for a, b in names):
        return True
    last = tokens[after - 1][2]
    bare = last[1:] if last[:1] in _HE_PREFIXES and last[1:] in _CONSTRUCT else last
    nxt = tokens[after][2] if after < len(tokens) else ""
    return bare in _CONSTRUCT and nxt.startswith("ה") and len(nxt) > 2


# Hebrew ordinals 3 to 10 ("השלישי", "פעם חמישית"); "שני"/"ראשון" are left out as English
# "second"/"first" are, and so are weekdays ("יום שלישי") and "שמינית הגמר".
_HE_ORDINAL = re.compile(r"(?<![\u05d0-\u05ea])([והבלמשכ]{0,3})(שלישי|שלישית|רביעי|רביעית|חמישי|חמישית|שישי|שישית|"
                         r"שביעי|שביעית|שמיני|שמינית|תשיעי|תשיעית|עשירי)(?![\u05d0-\u05ea])")
_HE_ORDINAL_VALUE = {"שליש": 3, "רביע": 4, "חמיש": 5, "שיש": 6, "שביע": 7, "שמינ": 8, "תשיע": 9, "עשיר": 10}
_ORDINAL_AFTER = frozenset("פעם בפעם הפעם לפעם ופעם מקום במקום המקום למקום ומקום".split())


def _ordinals(text: str) -> list[Number]:
    """Hebrew ordinals that are numbers: with the article ("השלישי", "בחמישית"), or after
    "פעם"/"מקום" ("פעם שלישית", "מקום רביעי")."""
    out = []
    for m in _HE_ORDINAL.finditer(text):
        prefix, word = m.group(1), m.group(2)
        before = text[:m.start()].split()[-1:] or [""]
        if not ("ה" in prefix or before[0] in _ORDINAL_AFTER):  # "בשלישי" is on Tuesday
            continue
        if before[0].endswith("יום") or before[0] == "ימי":  # weekdays
            continue
        value = next(v for stem, v in _HE_ORDINAL_VALUE.items() if word.startswith(stem))
        out.append(Number(str(value), spelled=True))
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
        # "the 1800s": the 19th century; "the 2000s" is as often the decade ("שנות ה-2000")
        return [Number(str(int(digits[:2]) + 1), alts=("00s",) if digits == "2000" else ())], end
    if len(digits) in (2, 4) and digits.isdigit() and digits.endswith("0") and re.match(r"'?s\b", tail):
        return [Number(f"{digits[-2:]}s")], end  # a decade: "1960s" = "the '60s" = "שנות ה-60"
    if re.match(r"'s\b", tail):  # "7's": a digit's plural (rugby sevens) is a word
        return [], end
    money = bool(_MONEY_BEFORE.search(text, max(0, start - 5), start))
    unit, scale, alt = _unit_after(text, end, money)
    span = _RANGE.match(text, end) or (_BETWEEN.search(text, max(0, start - 10), start)
                                       and _AND_RANGE.match(text, end))
    if span and scale == 1.0 and unit is None:  # "3.9-4.2 million", "100 to 250 metres"
        unit, scale, alt = _unit_after(text, span.end(), money)
    numbers = [_quantity(value * scale, unit, step=_step(digits) * scale,
                         alts=(_fmt(value * alt),) if alt else ())]
    years = _YEAR_RANGE.match(text, end)
    if years and len(digits) == 4 and digits.isdigit():  # "2015-16": 2015 and 2016
        return numbers + [Number(digits[:2] + years.group(1))], years.end()
    return numbers, end


def forms(text: str, words: bool = True) -> frozenset[str]:
    """The canonical forms of the numbers of ``text``: what must agree between a
    caption and its translation. ``words=False`` leaves out numbers spelled in words
    (the scorers' features were fitted on numbers in digits)."""
    return frozenset(n.form for n in read(text) if words or not n.spelled)


# A conversion is accepted within 3 % of the larger value, or within half a unit of the
# last written digit of the rounder side ("1 inch" for 20 mm, "10 miles" for 18 km, "65
# mph" for 105 km/h) as long as that stays within 30 %; temperatures within 1 °F either
# way, as readings (30 °C = 86 °F) or as differences (a rise of 10 °C = 18 °F), or the
# rounding of the rounder side up to 5 °F ("80 degrees" for 26 °C). So a
# converted number changed by more than its rounding (112 mph -> 118) is still a change.
TOLERANCE = 0.03
ROUNDING_CAP = 0.30
FAHRENHEIT_SLACK = 1.0
ROUNDING_F = 5.0


def _converted(a: Number, b: Number, tolerance: float = TOLERANCE) -> bool:
    """True when ``a`` and ``b`` are one quantity in two units (see ``TOLERANCE``)."""
    if a.dimension is None or b.dimension is None or a.base is None or b.base is None:
        return False
    temps = {a.dimension, b.dimension}
    if temps <= {"celsius", "fahrenheit", "degrees"}:
        return _temperatures(a, b)
    if a.dimension != b.dimension or a.unit == b.unit:
        return False  # the same unit on both sides is a changed number, not a conversion
    top = max(abs(a.base), abs(b.base))
    rounding = min(ROUNDING_CAP * top, 0.5 * max(a.step or 0.0, b.step or 0.0))
    return abs(a.base - b.base) <= max(tolerance * top, rounding)


def _temperatures(a: Number, b: Number) -> bool:
    """Two temperatures that say the same: a Celsius reading and its Fahrenheit (30 =
    86), or a difference (10 = 18); "degrees" of no stated scale may be either."""
    x, y = float(a.form), float(b.form)
    if a.dimension == b.dimension or "degrees" in (a.dimension, b.dimension):
        if x == y:
            return a.unit != b.unit  # the same reading, one side naming its scale
        if a.dimension == b.dimension:
            return False
    (c, c_num), (f, f_num) = (((x, a), (y, b)) if a.dimension == "celsius" or b.dimension == "fahrenheit"
                              else ((y, b), (x, a)))
    # within 1 °F, or the rounding of the rounder side ("80 degrees" for 26 °C, 78.8 °F),
    # up to 5 °F
    slack = max(FAHRENHEIT_SLACK, min(ROUNDING_F, 0.5 * max(f_num.step or 0.0, (c_num.step or 0.0) * 9 / 5)))
    return abs(c * 9 / 5 + 32 - f) <= slack or abs(c * 9 / 5 - f) <= slack


def _clashes(he_nums, en_nums) -> list[tuple[Number, Number]]:
    """Pairs of one number in two units that are not one quantity ("18 km" / "18
    miles", "30 °C" / "30 °F"): the digits agree, the quantities do not."""
    out, used = [], set()
    for a in he_nums:
        for k, b in enumerate(en_nums):
            if (k not in used and a.form == b.form and a.unit and b.unit and a.unit != b.unit
                    and (a.dimension == b.dimension or {a.dimension, b.dimension} == {"celsius", "fahrenheit"})
                    and not _converted(a, b)):
                out.append((a, b))
                used.add(k)
                break
    return out


def conversions(he: str, en: str) -> tuple[set[str], set[str], list[tuple[str, str]]]:
    """Numbers of each side that the other lacks, and the unit conversions among them:
    ``(he_only, en_only, converted)`` where ``converted`` pairs a Hebrew and an English
    form that are one quantity in two units; converted forms leave both sets.

    Numbers are counted: "1927 ... 1929" against "1929 ... 1929" leaves 1927 to the
    Hebrew and a second 1929 to the English. A number read two ways ("2.5m", "20.30")
    matches by either; a soft count ("שתי הקבוצות") that matches nothing is dropped."""
    he_nums, en_nums = read(he), read(en)
    he_count, en_count = Counter(n.form for n in he_nums), Counter(n.form for n in en_nums)
    he_extra, en_extra = he_count - en_count, en_count - he_count
    for a, b in _clashes(he_nums, en_nums):  # "18 km" / "18 miles": one number, two quantities
        he_extra[f"{a.form} {a.unit}"] += 1
        en_extra[f"{b.form} {b.unit}"] += 1
    for nums, mine, other in ((he_nums, he_extra, en_extra), (en_nums, en_extra, he_extra)):
        for a in nums:  # another reading of a number left over
            if mine[a.form] > 0:
                alt = next((f for f in a.alts if other[f] > 0), None)
                if alt is not None:
                    mine[a.form] -= 1
                    other[alt] -= 1
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
            if mine[a.form] <= 0 or a.soft:  # a soft count matches exactly or not at all
                continue
            if a.spelled:
                near = next((f for f in sorted(+other) if _whole(f) == _whole(a.form)), None)
            else:  # "7" / "7:00": an hour without its minutes
                near = f"t:{int(a.form) % 12}:00" if a.form.isdigit() and int(a.form) <= 12 else None
                near = near if near is not None and other[near] > 0 else None
            if near is not None:
                mine[a.form] -= 1
                other[near] -= 1
    # A soft count left over goes unless the other side has a firm number left over too
    # ("שתי הקבוצות" / "the sides" is no change; "שתי הקבוצות" / "the three sides" is).
    hard = [sum(count for form, count in extra.items() if count > 0
                and not all(n.soft for n in nums if n.form == form))
            for nums, extra in ((he_nums, he_extra), (en_nums, en_extra))]
    for nums, mine, others_hard in ((he_nums, he_extra, hard[1]), (en_nums, en_extra, hard[0])):
        for a in nums:
            if a.soft and mine[a.form] > 0 and not others_hard:
                mine[a.form] -= 1
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
