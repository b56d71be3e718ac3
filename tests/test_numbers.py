"""The one number reader (align/text/numbers.py) and the flags built on it."""
import pytest

from align.records import Pair
from align.review.check import Checked, surface_flags
from align.text.numbers import conversions, forms


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


@pytest.mark.parametrize("a, b", [
    # numbers in words, Hebrew and English, and their compounds
    ("שלושה עשר ילדים", "13 children"),
    ("אחת עשרה שנים", "11 years"),
    ("שנים עשר חודשים", "12 months"),
    ("עשרים ואחד", "twenty-one"),
    ("two hundred and five", "205"),
    ("חמש מאות איש", "500 people"),
    ("ממאה חמישים אלף ין", "150,000 yen"),
    ("שלושת אלפים", "three thousand"),
    ("שלושה מטרים וחצי", "3.5 m"),
    ("three and a half metres", "3.5 metres"),
    ("בין יומיים לשבוע", "between two days and a week"),
    ("שנות השמונים", "the 1980s"),
    ("לואי ה-16", "Louis XVI"),
    ("מאחד באפריל", "April 1"),
])
def test_numbers_in_words_read_as_their_value(a, b):
    assert forms(a) == forms(b), (forms(a), forms(b))


@pytest.mark.parametrize("text", [
    "לפני שנים רבות",      # "years", not "two"
    "נסענו לבאר שבע",      # Beersheba
    "ביום שני בבוקר",      # Monday
    "הפרק השני",           # the second
    "איש אחד נכנס",        # "a man": "אחד" is an article here
    "the one who came",
    "no one knows",
    "thousands of people",
    "Size XL",
])
def test_words_that_are_not_numbers(text):
    assert forms(text) == frozenset(), forms(text)


@pytest.mark.parametrize("text, read", [
    ("25:00", {"25", "0"}),             # no clock time: two numbers (found by the benchmark)
    ("a 3:75 ratio", {"3", "75"}),
    ("12:00שתיים2,שנות ה-00", {"t:0:00", "2"}),  # found by fuzzing
])
def test_odd_number_text_reads_as_plain_numbers(text, read):
    assert forms(text) == read
    he_only, en_only, converted = conversions(text, text)
    assert he_only == en_only == set() and converted == []  # a text agrees with itself


@pytest.mark.parametrize("he, en", [
    ("אחזור בשעה שש וחצי.", "I'll be back at half past six."),   # words tell times loosely
    ("הוא התעורר בשבע.", "He woke up at 7:00."),
    ("כמעט 7 בערב ועוד לא סיימתי.", "It's almost 7p.m. and I haven't finished."),
    ("היו בכיתה עשרה עד חמישה עשר תלמידים.", "There were ten-fifteen pupils in the class."),
    ("נגיע למאה ושלושים אלף מילים.", "We will reach one hundred thirty thousand words."),
    ("ישראל דורשת נוכחות במשך עשר שנים, והרשות מסכימה לחמש שנים.",
     "Israel demands a presence for ten years; the PA agrees to five years."),
    ("בשנות העשרים של המאה הקודמת שרר פציפיזם.", "During the 1920s pacifism prevailed."),
])
def test_no_flag_for_numbers_in_words_and_digits(he, en):
    item = _flags(he, en)
    assert "number_mismatch" not in item.flags, item.reasons


@pytest.mark.parametrize("he, en", [
    ("המכתב נכתב באחד באפריל, 1987.", "The letter is dated April 4, 1987."),
    ("הלוויין שוגר בארבעה באוקטובר 1957.", "The satellite was launched on October 11, 1957."),
    ("התאוריה הוצעה ב-1927 והורחבה ב-1929.", "The theory was proposed in 1929 and expanded in 1929."),
    ("מוקשים הורגים 15,000 עד 20,000 בני אדם בשנה.", "Mines kill 20,000 to 20,000 people a year."),
    ("על ה-FBI להקדיש עשרה סוכנים לתיק.", "The FBI must devote 13 agents to the case."),
    ("ארבעה-עשר בתי ספר נסגרו.", "Fifteen schools were closed."),
    ("הקורס יימשך בין יומיים ל-5 ימים.", "The course will last 7-5 days."),
    ("לואי ה-16 והמלכה ברחו.", "Louis XIV and the queen fled."),
])
def test_a_changed_number_in_words_or_repeated_is_a_mismatch(he, en):
    assert "number_mismatch" in _flags(he, en).flags
