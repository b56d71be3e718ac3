"""Numbers as Hebrew news writes them and as the English edition renders them (issue 20).

A table of our own sentences, each class of false alarm seen on real news in both
directions (the converted or abbreviated side Hebrew, then English), with real changes
beside them that must still be flagged:

- ``same``: the same numbers, nothing to flag;
- ``converted``: the same quantity in other units: the mild ``unit_conversion`` flag,
  never ``number_mismatch``;
- ``changed``: a number really differs: ``number_mismatch``.
"""
import pytest

from align.records import Pair
from align.review.check import Checked, surface_flags

CASES = [
    # -- unit abbreviations with typographic gershayim and geresh ---------------------
    ("ירדו 25 מ“מ גשם בחיפה", "25mm of rain fell in Haifa", "same"),
    ("ירדו 25 מ״מ גשם בחיפה", "25 millimetres of rain fell in Haifa", "same"),
    ("הסערה הביאה 40 מ”מ גשם", "The storm brought 1.6 inches of rain", "converted"),
    ("הרכב נסע במהירות של 120 קמ”ש", "The car was going at 75 mph", "converted"),
    ("הרכב נסע במהירות של 120 קמ“ש", "The car was going at 120km/h", "same"),
    ("המשאית שקלה 3,000 ק“ג", "The truck weighed 6,600 pounds", "converted"),
    ("הדירה בשטח של 90 מ“ר", "The apartment is 970 square feet", "converted"),
    ("הדירה בשטח של 90 מ״ר", "The 90-square-meter apartment", "same"),
    ("הגדר בגובה 3 מ’", "The fence is 10 feet high", "converted"),
    ("הכביש החדש באורך 12 ק“מ", "The new road is 7.5 miles long", "converted"),
    ("הוא השתכר 5 ליש“ט לשעה", "He earned £5 an hour", "same"),
    ("נמדדו 2 אינץ’ של גשם", "Rain reached 50 millimetres", "converted"),
    ("The car was going at 75 mph", "הרכב נסע במהירות של 120 קמ”ש", "converted"),  # sides swapped
    # real changes among units
    ("הכביש החדש באורך 12 ק“מ", "The new road is 12.5 miles long", "changed"),
    ("הרכב נסע במהירות של 120 קמ”ש", "The car was going at 95 mph", "changed"),
    ("המשאית שקלה 3,000 ק“ג", "The truck weighed 3,600 kilograms", "changed"),
    ("ירדו 25 מ“מ גשם בחיפה", "35mm of rain fell in Haifa", "changed"),
    # -- conversions the English edition made ----------------------------------------
    ("הטמפרטורה תגיע ל-30 מעלות", "Temperatures will reach 86 degrees Fahrenheit", "converted"),
    ("הטמפרטורה תגיע ל-35 מעלות צלזיוס", "Temperatures will reach 95°F", "converted"),
    ("הטמפרטורות יעלו ב-10 מעלות", "Temperatures will rise by 18 degrees Fahrenheit", "converted"),
    ("Temperatures will reach 86F", "הטמפרטורה תגיע ל-30 מעלות", "converted"),
    ("צפויים בין 20 ל-40 מילימטרים של גשם", "1 to 1.5 inches of rain are expected", "converted"),
    ("צפויים 20 עד 40 מ“מ גשם", "between 1 and 1.5 inches of rain are expected", "converted"),
    ("ייתכנו עד 1.5 אינץ’ של גשם", "up to 40 millimetres of rain may fall", "converted"),
    ("המרחק בין הערים הוא 160 ק\"מ", "The cities are 100 miles apart", "converted"),
    ("הדג שקל 2 ק\"ג", "The fish weighed 4.4 pounds", "converted"),
    # real changes among conversions
    ("הטמפרטורה תגיע ל-30 מעלות", "Temperatures will reach 96 degrees Fahrenheit", "changed"),
    ("המרחק בין הערים הוא 10 ק\"מ", "The cities are 17 miles apart", "changed"),
    ("צפויים בין 20 ל-40 מילימטרים של גשם", "3 to 4 inches of rain are expected", "changed"),
    # -- decades and scaled amounts -----------------------------------------------------
    ("בשנות ה-90 הוא עבר לתל אביב", "In the 1990s he moved to Tel Aviv", "same"),
    ("בשנות ה־90 הוא עבר לתל אביב", "In the '90s he moved to Tel Aviv", "same"),
    ("בשנות ה–90 הוא עבר לתל אביב", "In the ’90s he moved to Tel Aviv", "same"),
    ("בשנות התשעים הוא עבר לתל אביב", "In the nineties he moved to Tel Aviv", "same"),
    ("הפרויקט עלה 2.5 מיליון שקל", "The project cost NIS 2.5m", "same"),
    ("הפרויקט עלה 2.5 מיליון", "The project cost 2.5 million", "same"),
    ("החברה גייסה 40 מיליארד דולר", "The company raised $40bn", "same"),
    ("החברה גייסה 40 מיליארד דולר", "The company raised 40 billion dollars", "same"),
    ("₪2.5 מיליון הועברו לעירייה", "2.5 million shekels went to the city", "same"),
    ("הוא נקנס ב-300 אלף שקל", "He was fined NIS 300,000", "same"),
    ("The project cost NIS 2.5m", "הפרויקט עלה 2.5 מיליון שקל", "same"),
    # real changes among scales
    ("הפרויקט עלה 2.5 מיליון שקל", "The project cost NIS 2.5 billion", "changed"),
    ("החברה גייסה 40 מיליארד דולר", "The company raised $40m", "changed"),
    ("הפרויקט עלה 2.5 מיליון שקל", "The project cost NIS 3.5m", "changed"),
    ("בשנות ה-90 הוא עבר לתל אביב", "In the 1980s he moved to Tel Aviv", "changed"),
    # -- times and scores -------------------------------------------------------------------
    ("הטקס יתחיל ב-5.15 בבוקר", "The ceremony will begin at 5:15 am", "same"),
    ("הישיבה נפתחה בשעה 20.30", "The meeting opened at 8:30 pm", "same"),
    ("The meeting opened at 8:30 pm", "הישיבה נפתחה בשעה 20.30", "same"),
    ("אירופה ניצחה 14.5 - 13.5", "Europe won 14.5-13.5", "same"),
    ("אירופה ניצחה \u200f14.5\u200f-\u200f13.5\u200f", "Europe won 14½-13½", "same"),
    ("ארה\"ב ניצחה 13.5 - 14.5", "Europe lost 13.5-14.5 to the U.S.", "same"),
    ("הוא ניצח 3 ו-2 בגמר", "He won 3&2 in the final", "same"),
    ("He won 3&2 in the final", "הוא ניצח 3 ו-2 בגמר", "same"),
    ("מכבי ניצחה 2:1", "Maccabi won 2-1", "same"),
    # real changes among times and scores
    ("הטקס יתחיל ב-5.15 בבוקר", "The ceremony will begin at 5:45 am", "changed"),
    ("הישיבה נפתחה בשעה 20.30", "The meeting opened at 9:30 pm", "changed"),
    ("אירופה ניצחה 14.5 - 13.5", "Europe won 15.5-12.5", "changed"),
    ("הוא ניצח 3 ו-2 בגמר", "He won 4&3 in the final", "changed"),
    # -- words that are not quantities --------------------------------------------------
    ("שתי הקבוצות ייפגשו בפיינל פור", "The sides will meet at the Final Four", "same"),
    ("שני הצדדים נפגשו בפגישת הביג פייב", "The sides met at the Big Five summit", "same"),
    ("הוא סיים במקום השלישי ב-2019", "He finished third in 2019", "same"),
    ("זו הפעם החמישית שהוא זוכה, ושלושה שחקנים נפצעו", "It is his fifth win, and three players were hurt", "same"),
    ("הניצחון החמישי ברציפות", "Five straight wins", "same"),
    ("חמישה ניצחונות רצופים", "A fifth straight win", "same"),
    ("מלחמת העולם השנייה הסתיימה ב-1945", "World War II ended in 1945", "same"),
    ("בטורניר הטוונטי20 השתתפו שתי הנבחרות", "Both teams took part in the Twenty20 tournament", "same"),
    ("ביום שלישי נפגשו שתי המשלחות", "On Tuesday the delegations met", "same"),
    ("שמינית הגמר תיערך ב-5 במאי", "The round of 16 will be played on May 5", "same"),
    # real changes among counts and ordinals
    ("הוא סיים במקום השלישי ב-2019", "He finished fourth in 2019", "changed"),
    ("שתי הקבוצות ייפגשו בגמר", "The three sides will meet in the final", "changed"),
    ("שלושה שחקנים נפצעו בניצחון החמישי", "Four players were hurt in the fifth win", "changed"),
    # -- the tail of issue 27 ------------------------------------------------------------
    ("המוזיקה של שנות ה- 2000", "The music of the 2000s", "same"),           # a space after the hyphen
    ("המוזיקה של שנות ה-2000", "Music of the 2000s", "same"),
    ("בחוץ היו 26 מעלות", "It was 80 degrees outside", "converted"),         # 78.8 °F, rounded to ten
    ("בחוץ היו 26 מעלות", "It was 90 degrees outside", "changed"),
    ("בחוץ היו 30 מעלות", "It was 95 degrees outside", "changed"),           # 86 °F; 95 is to the five
    ("הרוח נשבה במהירות 20 קמ\"ש", "The wind blew at 12 mph", "converted"),
    ("המבנה בגובה 1.5", "The structure is 1.5m tall", "same"),
    ("המשחק השישי של העונה", "The sixth game of the season", "same"),
    ("ארבעת השחקנים נפצעו", "The four players were injured", "same"),
    ("ארבעת השחקנים נפצעו", "The five players were injured", "changed"),
    ("ההשקעה הסתכמה ב-150 מיליון ליש\"ט", "The investment came to £150 billion", "changed"),
    ("ההשקעה הסתכמה ב-150 מיליון ליש\"ט", "The investment came to £150 million", "same"),
]


def _flags(he: str, en: str) -> Checked:
    item = Checked(row=1, pair=Pair("x", he, en, 0.0), score=0.0)
    surface_flags(item)
    return item


@pytest.mark.parametrize("he, en, expect", CASES)
def test_numbers_as_news_writes_them(he, en, expect):
    item = _flags(he, en)
    if expect == "changed":
        assert "number_mismatch" in item.flags, item.reasons
    else:
        assert "number_mismatch" not in item.flags, item.reasons
        assert ("unit_conversion" in item.flags) == (expect == "converted"), item.reasons


def test_the_table_covers_every_class_both_ways():
    kinds = [expect for _, _, expect in CASES]
    assert len(CASES) >= 60 and kinds.count("changed") >= 15 and kinds.count("converted") >= 15
