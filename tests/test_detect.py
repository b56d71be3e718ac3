"""The detector: script splitting, kinds, duplicates, English confirmation."""
import pytest

from align.detect import detect, latin_lang, split_line
from align.document import from_text, read

from conftest import SAMPLE, page


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
