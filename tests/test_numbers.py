"""The one number reader (align/numbers.py) and the flags built on it."""
import pytest

from align.check import Checked, surface_flags
from align.corpus import Pair
from align.numbers import conversions, forms


@pytest.mark.parametrize("a, b", [
    # times: 24-hour, 12-hour, am/pm, noon, news forms
    ("12:00", "12.00 GMT"),
    ("12:00", "1200 GMT"),
    ("12:00", "noon"),
    ("10:00am", "10:00"),
    ("10 a.m.", "10:00"),
    ("14:30", "2:30 p.m."),
    ("בשעה 22:00", "at 10pm"),
    # decimals, thousands, fractions, scales
    ("29¾ inches", "29.75 inches"),
    ("½", "0.5"),
    ("3,5", "3.5"),
    ("$26,750", "26750 דולר"),
    ("1.2 million", "1,200,000"),
    ("1.2 מיליון", "1.2 million"),
    ("$5m", "5 מיליון דולר"),
    ("3.9 - 4.2 מיליון שנה", "4.2-3.9 million years"),
    # ordinals, percentages, years, ranges, glued numbers
    ("ה-1", "1st"),
    ("50%", "50 אחוז"),
    ("2015-16", "2015–2016"),
    ("ב-2019", "in 2019"),
    ("F-35", "F-35"),
    # decades and centuries
    ("שנות ה-70 המאוחרות", "the late 1970s"),
    ("שנות ה- 50 של המאה ה- 19", "the 1850s"),
    ("מאז המאה ה-19", "since the 1800s"),
    ("במאה ה -17", "the 17th century"),
])
def test_the_same_number_written_two_ways_reads_the_same(a, b):
    assert forms(a) == forms(b), (forms(a), forms(b))


@pytest.mark.parametrize("a, b", [
    ("12:00", "12:30"), ("10:00", "11:00"), ("3.5", "3.6"), ("1,200", "1,300"),
    ("2015", "2016"), ("29¾", "29.5"), ("1960s", "1970s"),
])
def test_different_numbers_read_differently(a, b):
    assert forms(a) != forms(b)


def test_a_digits_plural_is_a_word():
    assert forms("the All Blacks' 7's team") == frozenset()


def _flags(he, en):
    item = Checked(row=1, pair=Pair("x", he, en, 0.0), score=0.0)
    surface_flags(item)
    return item


@pytest.mark.parametrize("he, en", [
    ("הטקס יתחיל ב-12:00.", "The ceremony will begin at 12.00 GMT."),
    ("הטקס יתחיל בשעה 10:00.", "The ceremony begins at 10:00am."),
    ("הכבל באורך 29¾ אינץ'.", "The cable is 29.75 inches long."),
    ("נגנבו $26,750 מהכספומט.", "Thieves took 26,750 dollars from the ATM."),
    ("הם זכו בשבעיות של 2019.", "They won the 2019 7's."),
    ("אפיה נוסדה בשנות ה- 50 של המאה ה- 19 והיא הבירה מאז 1959.",
     "Apia was founded in the 1850s and has been the capital since 1959."),
])
def test_no_number_flag_for_the_same_numbers_in_other_forms(he, en):
    item = _flags(he, en)
    assert "number_mismatch" not in item.flags and "unit_conversion" not in item.flags, item.reasons


@pytest.mark.parametrize("he, en, converted", [
    ("מים נשפכים בקטע ברוחב 30 מטר.", "Water is spilling over a section 100 feet wide.", "30 / 100"),
    ("הפרבר נמצא כ-24 ק\"מ צפונית לעיר.", "The suburb is about 15 miles north of the city.", "24 / 15"),
    ("הטמפרטורה הגיעה ל-30 מעלות צלזיוס.", "The temperature reached 86 degrees Fahrenheit.", "30 / 86"),
])
def test_a_unit_conversion_is_its_own_mild_reason(he, en, converted):
    item = _flags(he, en)
    assert item.flags == ["unit_conversion"] and converted in item.reasons["unit_conversion"]
    assert item.good  # a conversion keeps the quantity: the pair stays good


@pytest.mark.parametrize("he, en", [
    ("הסכר בגובה 30 מטר.", "The dam is 40 metres high."),          # same unit, other number
    ("מים נשפכים בקטע ברוחב 30 מטר.", "The section is 130 feet wide."),  # not the same quantity
    ("הטקס יתחיל ב-12:00.", "The ceremony will begin at 13.00 GMT."),
])
def test_a_changed_number_is_still_a_mismatch(he, en):
    assert "number_mismatch" in _flags(he, en).flags


def test_conversions_name_both_sides():
    he_only, en_only, pairs = conversions("כ-24 ק\"מ", "about 15 miles")
    assert (he_only, en_only, pairs) == (set(), set(), [("24", "15")])
