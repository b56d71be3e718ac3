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

Each number also carries its unit when one follows it (metres, feet, km, miles, kg,
pounds, °C, °F, litres, gallons, km/h, mph, in Hebrew or English), so that a translator's
conversion (30 metres / 100 feet) can be told from a changed number (``conversions``).
"""
from __future__ import annotations

import re
import unicodedata
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


@dataclass(frozen=True)
class Number:
    """One number of a text: its canonical ``form`` and, for a quantity, its ``unit``
    dimension and value in the dimension's base unit."""

    form: str
    dimension: str | None = None
    base: float | None = None
    unit: str | None = None


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
    text = _HE_DECADE.sub(lambda m: f"{m.group(1)[-2:]}s", text)
    out: list[Number] = []
    skip = 0
    for m in _TOKEN.finditer(text):
        if m.group("clock"):
            h, mins = int(m.group("h")), int(m.group("m"))
            timed = m.group("sep") == ":" or m.group("ap") or m.group("tz")
            if timed and h <= 24 and mins <= 59:
                out.append(Number(f"t:{h % 12}:{mins:02d}"))
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
    return tuple(out)


def _plain(text: str, start: int, digits: str) -> tuple[list[Number], int]:
    """The plain number ``digits`` at ``start`` (with its scale, unit or year range),
    and where the text it read ends (after "-16" of "2015-16")."""
    value = _value(digits)
    end = start + len(digits)
    tail = text[end:end + 3]
    if len(digits) == 4 and digits.endswith("00") and re.match(r"'?s\b", tail):
        return [Number(str(int(digits[:2]) + 1))], end  # "the 1800s": the 19th century
    if len(digits) in (2, 4) and digits.endswith("0") and re.match(r"'?s\b", tail):
        return [Number(f"{digits[-2:]}s")], end  # a decade: "1960s" = "the '60s" = "שנות ה-60"
    if re.match(r"'s\b", tail):  # "7's": a digit's plural (rugby sevens) is a word
        return [], end
    money = start > 0 and text[start - 1] in _MONEY
    unit, scale = _unit_after(text, end, money)
    span = _RANGE.match(text, end)
    if span and scale == 1.0 and unit is None:  # "3.9-4.2 million", "100 to 250 metres"
        unit, scale = _unit_after(text, span.end(), money)
    value *= scale
    if unit:
        dimension, factor = _UNITS[unit]
        numbers = [Number(_fmt(value), dimension, value * factor, _UNIT_NAME[(dimension, factor)])]
    else:
        numbers = [Number(_fmt(value))]
    years = _YEAR_RANGE.match(text, end)
    if years and len(digits) == 4:  # "2015-16": 2015 and 2016
        return numbers + [Number(digits[:2] + years.group(1))], years.end()
    return numbers, end


def forms(text: str) -> frozenset[str]:
    """The canonical forms of the numbers of ``text``: what must agree between a
    caption and its translation."""
    return frozenset(n.form for n in read(text))


def _converted(a: Number, b: Number, tolerance: float = 0.05) -> bool:
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
    form that are one quantity in two units; converted forms leave both sets."""
    he_nums, en_nums = read(he), read(en)
    he_forms, en_forms = {n.form for n in he_nums}, {n.form for n in en_nums}
    he_only, en_only = he_forms - en_forms, en_forms - he_forms
    pairs = []
    for a in he_nums:
        for b in en_nums:
            if a.form in he_only and b.form in en_only and _converted(a, b):
                pairs.append((a.form, b.form))
    for a, b in pairs:
        he_only.discard(a)
        en_only.discard(b)
    return he_only, en_only, pairs
