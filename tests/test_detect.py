"""The detector: script splitting, kinds, duplicates, English confirmation."""
import pytest
from conftest import SAMPLE, page

from align.detection import detect, latin_lang, split_line
from align.inputs.plain import from_text, read


@pytest.mark.parametrize("line, expected", [
    # layout 5: caption and translation on one line, digits stay with the word before
    ("מערכת חץ 3 Israel's Arrow 3 anti-missile system",
     [("he", "מערכת חץ 3"), ("en", "Israel's Arrow 3 anti-missile system")]),
    ("תום הראה למרי תמונה. | Tom showed Mary a picture.",
     [("he", "תום הראה למרי תמונה."), ("en", "Tom showed Mary a picture.")]),
    ("הוא נענש על פשעיו. \u2013 He was punished for his crimes.",
     [("he", "הוא נענש על פשעיו."), ("en", "He was punished for his crimes.")]),
    ("He was punished for his crimes. (הוא נענש על פשעיו.)",
     [("en", "He was punished for his crimes."), ("he", "הוא נענש על פשעיו.")]),
    # layout 7: Hebrew quoted inside English is a quote, the English line stays whole
    ('The banner read "הוא נענש על פשעיו" in large letters.',
     [("en", 'The banner read "הוא נענש על פשעיו" in large letters.'),
      ("he", "הוא נענש על פשעיו")]),
    ("Someone wrote שלום עולם on the wall.",
     [("en", "Someone wrote שלום עולם on the wall."), ("he", "שלום עולם")]),
    # a one-word Latin name inside a Hebrew caption does not split it
    ("ראש הממשלה בראיון ל-CNN", [("he", "ראש הממשלה בראיון ל-CNN")]),
    ("טייסי F-35 בבסיס נבטים", [("he", "טייסי F-35 בבסיס נבטים")]),
])
def test_split_line(line, expected):
    assert [(p.lang, p.text) for p in split_line(line)] == expected


# Hebrew news text as it is written (issue 11): Latin names, brands, acronyms, URLs,
# hashtags and handles inside Hebrew captions stay Hebrew; a line is cut only where an
# English clause begins; every kind of quotation mark stays with its side.
MIXED_LINES = [
    # names at the start, middle, end; brands; acronyms
    ('גנבים נטלו $26,750 במהלך מילוי של כספומט ב- Newport on the Levee',
     [('he', 'גנבים נטלו $26,750 במהלך מילוי של כספומט ב- Newport on the Levee', False)]),
    ('שקטעה רצף של 15 ניצחונות של All Blacks',
     [('he', 'שקטעה רצף של 15 ניצחונות של All Blacks', False)]),
    ('הוא המנהל של Adriftmorn Limited.',
     [('he', 'הוא המנהל של Adriftmorn Limited.', False)]),
    ('Coldplay הופיעו בפארק הירקון',
     [('he', 'Coldplay הופיעו בפארק הירקון', False)]),
    ('Ring גם הגיעו לפשרה בתביעה עם חברת אבטחה מתחרה, תאגיד ADT.',
     [('he', 'Ring גם הגיעו לפשרה בתביעה עם חברת אבטחה מתחרה, תאגיד ADT.', False)]),
    ('הלהקה Coldplay',
     [('he', 'הלהקה Coldplay', False)]),
    ('טייסי F-35 בבסיס נבטים',
     [('he', 'טייסי F-35 בבסיס נבטים', False)]),
    ('ראש הממשלה בראיון ל-CNN',
     [('he', 'ראש הממשלה בראיון ל-CNN', False)]),
    ('ראש הממשלה בראיון ל־BBC',
     [('he', 'ראש הממשלה בראיון ל־BBC', False)]),
    ('ה-NBA הודיעה על השעיה',
     [('he', 'ה-NBA הודיעה על השעיה', False)]),
    ("שחקן ה-NBA לברון ג'יימס",
     [('he', "שחקן ה-NBA לברון ג'יימס", False)]),
    ("סטיב ג'ובס, מייסד Apple",
     [('he', "סטיב ג'ובס, מייסד Apple", False)]),
    ('ביקור ב-New York: ראש העיר נפגש עם תושבים',
     [('he', 'ביקור ב-New York: ראש העיר נפגש עם תושבים', False)]),
    ('מועצת הבחירות הזמנית (CEP) החמישית של מרטלי',
     [('he', 'מועצת הבחירות הזמנית (CEP) החמישית של מרטלי', False)]),
    ('תואם לאחור עם 802.11a, 802.11b ו-802.11g',
     [('he', 'תואם לאחור עם 802.11a, 802.11b ו-802.11g', False)]),
    ('הבול היה הGreat Deeds by Swedish Kings המרהיב',
     [('he', 'הבול היה הGreat Deeds by Swedish Kings המרהיב', False)]),
    ('לפרטים באתר www.ynet.co.il',
     [('he', 'לפרטים באתר www.ynet.co.il', False)]),
    ('הכתבה המלאה ב-https://www.ynetnews.com/article/abc123',
     [('he', 'הכתבה המלאה ב-https://www.ynetnews.com/article/abc123', False)]),
    ('הקמפיין #BringThemHome התפשט ברשת',
     [('he', 'הקמפיין #BringThemHome התפשט ברשת', False)]),
    ('לפי חשבון הטוויטר @IDF',
     [('he', 'לפי חשבון הטוויטר @IDF', False)]),
    ('מנכ"ל Ring, ג\'יימי סימינוף, בכנס',
     [('he', 'מנכ"ל Ring, ג\'יימי סימינוף, בכנס', False)]),
    # caption and translation on one line
    ('ראש הממשלה נפתלי בנט Prime Minister Naftali Bennett',
     [('he', 'ראש הממשלה נפתלי בנט', False), ('en', 'Prime Minister Naftali Bennett', False)]),
    ("מערכת חץ 3 Israel's Arrow 3 anti-missile system",
     [('he', 'מערכת חץ 3', False), ('en', "Israel's Arrow 3 anti-missile system", False)]),
    ('גנבים נטלו כסף מכספומט ב- Newport on the Levee Thieves took cash from an ATM at Newport on the Levee',
     [('he', 'גנבים נטלו כסף מכספומט ב- Newport on the Levee', False), ('en', 'Thieves took cash from an ATM at Newport on the Levee', False)]),
    ('הניצחון של All Blacks. The All Blacks won again.',
     [('he', 'הניצחון של All Blacks.', False), ('en', 'The All Blacks won again.', False)]),
    ('בסוף שנת 2017, סימינוף הופיע בערוץ הקניות QVC. – In late 2017, Siminoff appeared on shopping channel QVC.',
     [('he', 'בסוף שנת 2017, סימינוף הופיע בערוץ הקניות QVC.', False), ('en', 'In late 2017, Siminoff appeared on shopping channel QVC.', False)]),
    ('נחשב לספינת הדגל של הפארקים הלאומיים (SANParks). – It is the flagship of South African National Parks (SANParks).',
     [('he', 'נחשב לספינת הדגל של הפארקים הלאומיים (SANParks).', False), ('en', 'It is the flagship of South African National Parks (SANParks).', False)]),
    ("Apple founder Steve Jobs (סטיב ג'ובס, מייסד Apple)",
     [('en', 'Apple founder Steve Jobs', False), ('he', "סטיב ג'ובס, מייסד Apple", False)]),
    ('כתב ה-BBC דיווח מהשטח BBC reporter on the ground',
     [('he', 'כתב ה-BBC דיווח מהשטח', False), ('en', 'BBC reporter on the ground', False)]),
    ('שלום | Hello',
     [('he', 'שלום', False), ('en', 'Hello', False)]),
    # quotes of every kind
    ('הוא נילקח לבית החולים ושם נותר מאושפז במצב „יציב“. He was taken to hospital where he remains in a "stable" condition.',
     [('he', 'הוא נילקח לבית החולים ושם נותר מאושפז במצב „יציב“.', False), ('en', 'He was taken to hospital where he remains in a "stable" condition.', False)]),
    ('הוא אמר „שלום“. He said "hello."',
     [('he', 'הוא אמר „שלום“.', False), ('en', 'He said "hello."', False)]),
    ('He said "hello." הוא אמר „שלום“.',
     [('en', 'He said "hello."', False), ('he', 'הוא אמר „שלום“.', False)]),
    ('"הוויכוח ניצת בעקבות ההוריקן קטרינה." | The debate was sparked by Hurricane Katrina.',
     [('he', '"הוויכוח ניצת בעקבות ההוריקן קטרינה."', False), ('en', 'The debate was sparked by Hurricane Katrina.', False)]),
    ('Hu encouraged countries "to avoid the old path." ("הו עודד מדינות להימנע מהדרך הישנה.")',
     [('en', 'Hu encouraged countries "to avoid the old path."', False), ('he', '"הו עודד מדינות להימנע מהדרך הישנה."', False)]),
    ('הוא כינה זאת ״הצלחה גדולה״. He called it a "great success".',
     [('he', 'הוא כינה זאת ״הצלחה גדולה״.', False), ('en', 'He called it a "great success".', False)]),
    ("השלט אמר ‚ברוכים הבאים‘. The sign said 'welcome'.",
     [('he', 'השלט אמר ‚ברוכים הבאים‘.', False), ('en', "The sign said 'welcome'.", False)]),
    ('היא קראה לו «גיבור». She called him a «hero».',
     [('he', 'היא קראה לו «גיבור».', False), ('en', 'She called him a «hero».', False)]),
    ('הספר ׳הזקן והים׳ יצא מחדש. The Old Man and the Sea was reissued.',
     [('he', 'הספר ׳הזקן והים׳ יצא מחדש.', False), ('en', 'The Old Man and the Sea was reissued.', False)]),
    ('הוא אמר: "נמשיך". He said: “We will go on.”',
     [('he', 'הוא אמר: "נמשיך".', False), ('en', 'He said: “We will go on.”', False)]),
    # Hebrew quoted inside English stays a quote of the English line
    ('The banner read "שלום!" in large letters.',
     [('en', 'The banner read "שלום!" in large letters.', False), ('he', 'שלום', True)]),
    ('He shouted "שלום!"',
     [('en', 'He shouted "שלום!"', False), ('he', 'שלום', True)]),
    ('A sign reading שלום at the entrance to the village',
     [('en', 'A sign reading שלום at the entrance to the village', False), ('he', 'שלום', True)]),
    ('Someone wrote שלום עולם on the wall.',
     [('en', 'Someone wrote שלום עולם on the wall.', False), ('he', 'שלום עולם', True)]),
    ('Residents of Kfar Aza (כפר עזה) returned on Sunday',
     [('en', 'Residents of Kfar Aza (כפר עזה) returned on Sunday', False), ('he', 'כפר עזה', True)]),
    # a Hebrew caption beside an English caption that holds Hebrew words of its own
    ('חיילים ליד הגבול Soldiers near the border, an area Israelis call עוטף עזה',
     [('he', 'חיילים ליד הגבול', False), ('en', 'Soldiers near the border, an area Israelis call עוטף עזה', False),
      ('he', 'עוטף עזה', True)]),
    ('מפגינים מול הכנסת | Protesters outside the Knesset chanting "ביבי הביתה"',
     [('he', 'מפגינים מול הכנסת', False), ('en', 'Protesters outside the Knesset chanting "ביבי הביתה"', False),
      ('he', 'ביבי הביתה', True)]),
    ('Soldiers of the Golani Brigade (חטיבת גולני) in training חיילי גולני באימון',
     [('en', 'Soldiers of the Golani Brigade (חטיבת גולני) in training', False), ('he', 'חיילי גולני באימון', False),
      ('he', 'חטיבת גולני', True)]),
    ('A beach in Auckland, known as טאמאקי (חופי טאמאקי באוקלנד)',  # a gloss, then the Hebrew caption
     [('en', 'A beach in Auckland, known as טאמאקי', False), ('he', 'חופי טאמאקי באוקלנד', False),
      ('he', 'טאמאקי', True)]),
    ('Protesters outside the Knesset / מפגינים מול הכנסת (ארכיון)',
     [('en', 'Protesters outside the Knesset', False), ('he', 'מפגינים מול הכנסת (ארכיון)', False)]),
    ('Soldiers in training חיילים באימון',  # no introducing word: two captions
     [('en', 'Soldiers in training', False), ('he', 'חיילים באימון', False)]),
]


@pytest.mark.parametrize("line, expected", MIXED_LINES)
def test_mixed_lines_split_by_the_language_of_their_grammar(line, expected):
    assert [(p.lang, p.text, p.quote) for p in split_line(line)] == expected


def test_the_mixed_line_table_is_large():
    assert len(MIXED_LINES) >= 40


def test_quotes_are_marked():
    pieces = split_line('The banner read "שלום" in large letters.')
    assert [p.quote for p in pieces] == [False, True]


def _kinds(text):
    return {(s.lang, s.kind, s.text) for s in detect(from_text(text, "t.txt"))}


def test_sample_kinds():
    segs = detect(read(str(SAMPLE)))
    captions = [(s.lang, s.text, s.lines) for s in segs if s.kind == "caption"]
    assert captions == [
        ("he", "יואב גלנט ושר ההגנה האמריקאי לויד אוסטין", [8, 9]),
        ("en", "Defense Minister Yoav Gallant and U.S. Secretary of Defense Lloyd Austin", [10]),
        ("en", "U.S. President Joe Biden, Prime Minister Benjamin Netanyahu", [24, 25, 26]),
        ("he", "מערכת חץ 3", [33, 34]),
        ("en", "Israel's Arrow 3 anti-missile system", [35]),
    ]
    kinds = {s.text: s.kind for s in segs}
    assert kinds["3 View gallery"] == "boilerplate"
    assert kinds["(Photo: Elad Malka, Defense Ministry)"] == "credit"
    assert kinds["Comments"] == "boilerplate"
    assert kinds["Iranian ballistic missile attack against Israel"] == "title"
    assert kinds["Netanyahu blocks Gallant's trip to US, after setting conditions for departure"] == "title"


@pytest.mark.parametrize("line, kind", [
    ("(Photo: Kobi Gideon, GPO, AP Photo/Susan Walsh)", "credit"),
    ("Photo: Reuters", "credit"),
    ("(צילום: אלעד מלכה)", "credit"),
    ("12 View gallery", "boilerplate"),
    ("<< Follow Ynetnews on Facebook | Twitter | Instagram >>", "boilerplate"),
    ("Get the Ynetnews app on your smartphone:", "boilerplate"),
    ('""', "boilerplate"),
])
def test_furniture(line, kind):
    segs = detect(from_text(page("3 View gallery", line), "t.txt"))
    assert {s.text: s.kind for s in segs}[line] == kind


def test_duplicates_collapse_across_bidi_marks_nbsp_and_niqqud():
    text = page("3 View gallery", "מערכת חץ 3", "\u200fמערכת\u00a0חץ 3\u200e", "מַעֲרֶכֶת חֵץ 3",
                "Israel's Arrow 3 anti-missile system", "(Photo: Elad Malka)")
    he = [s for s in detect(from_text(text, "t.txt")) if s.lang == "he"]
    assert len(he) == 1
    assert he[0].text == "מערכת חץ 3" and he[0].lines == [2, 3, 4]


def test_english_outside_caption_blocks_is_title_or_body():
    body = " ".join(["The minister spoke at length about the plan."] * 5)
    kinds = _kinds(page("A short heading", body, "Another heading line"))
    assert ("en", "title", "A short heading") in kinds
    assert ("en", "body", body) in kinds


def test_long_hebrew_is_body():
    para = " ".join(["הוא הלך הביתה אחרי יום ארוך בעבודה."] * 6)
    assert ("he", "body", para) in _kinds(page(para))


@pytest.mark.parametrize("text, lang", [
    ("U.S. President Joe Biden, Prime Minister Benjamin Netanyahu", "en"),  # langdetect: German
    ("Defense Minister Yoav Gallant", "en"),
    ("Israel's Arrow 3 anti-missile system", "en"),
    ("I don't like pork.", "en"),                              # once counted as 5 words
    ("Tom doesn’t like to lose at chess games", "en"),      # a contraction is a cue
    ("Le président de la République a visité la ville hier soir", "other"),
    ("Der Verteidigungsminister besuchte gestern die Stadt mit seinem Berater", "other"),
])
def test_latin_lang(text, lang):
    assert latin_lang(text) == lang


def test_detection_repeats():
    text = SAMPLE.read_text(encoding="utf-8")
    runs = [[s.to_dict("d") for s in detect(from_text(text, "d"))] for _ in range(2)]
    assert runs[0] == runs[1]


@pytest.mark.parametrize("line, caption, credit", [
    ("Israel's Arrow 3 anti-missile system (Photo: Elad Malka)",
     "Israel's Arrow 3 anti-missile system", "(Photo: Elad Malka)"),
    ("מערכת חץ 3 (צילום: אלעד מלכה)", "מערכת חץ 3", "(צילום: אלעד מלכה)"),
    ("Defense Minister Israel Katz speaks in Tel Aviv, May 5, 2025. (Tomer Neuberg/Flash90)",
     "Defense Minister Israel Katz speaks in Tel Aviv, May 5, 2025.", "(Tomer Neuberg/Flash90)"),
    ("IDF troops near the northern border. (Israel Defense Forces)",
     "IDF troops near the northern border.", "(Israel Defense Forces)"),
    ("President Joe Biden at the White House (AP Photo/Susan Walsh)",
     "President Joe Biden at the White House", "(AP Photo/Susan Walsh)"),
])
def test_inline_credit_is_split_off(line, caption, credit):
    segs = detect(from_text(page("3 View gallery", line), "t.txt"))
    assert {(s.kind, s.text) for s in segs} >= {("caption", caption), ("credit", credit)}


@pytest.mark.parametrize("line", [
    "Israel's Arrow 3 (an anti-missile system)",      # a parenthesis that is no credit
    "The talks in Washington (and Jerusalem) went on",
])
def test_parentheses_that_are_not_credits_stay(line):
    segs = detect(from_text(page("3 View gallery", line), "t.txt"))
    assert ("caption", line) in {(s.kind, s.text) for s in segs}


@pytest.mark.parametrize("name", ["עברית", "Español", "Espanol", "English", "Français", "Deutsch", "Русский", "العربية"])
def test_a_language_name_alone_is_furniture_whatever_its_script(name):
    """A language menu ("עברית | English | Español") is never a caption: a one-word Latin
    line is not English just because it is Latin."""
    from align.inputs.plain import from_text

    text = "\n".join(["The minister spoke for an hour about the plan and its costs, and officials "
                      "said the talks would go on next week.", name, "שר האוצר מציג את התקציב",
                      "The finance minister presents the budget"])
    kinds = {s.text: s.kind for s in detect(from_text(text, "t.txt"))}
    assert kinds[name] == "boilerplate"
