"""Hebrew text details: niqqud, cantillation, geresh/gershayim, maqaf, bidi marks, NBSP."""
import pytest

from align import text as T


@pytest.mark.parametrize("raw, cleaned", [
    ("\u200fמערכת חץ 3\u200e", "מערכת חץ 3"),                 # RLM / LRM dropped
    ("\u202bשלום\u202c", "שלום"),                              # RLE ... PDF dropped
    ("\u2067שלום\u2069 world", "שלום world"),                  # isolates dropped
    ("מערכת\u00a0חץ", "מערכת חץ"),                             # NBSP is a space
    ("  a \t  b  ", "a b"),                                    # spaces folded, tabs too
    ("שָׁלוֹם", "שָׁלוֹם"),                                          # niqqud kept in text
    ("צה\u05f4ל", "צה\u05f4ל"),                                 # gershayim kept
    ("a\x07b", "a b"),                                         # control characters go
    ("a\u2028b\u0085c", "a b c"),                              # line/paragraph separators, NEL
])
def test_clean(raw, cleaned):
    assert T.clean(raw) == cleaned


@pytest.mark.parametrize("a, b", [
    ("שָׁלוֹם", "שלום"),                                           # niqqud
    ("בְּרֵאשִׁ֖ית", "בראשית"),                                      # niqqud + cantillation (tipcha)
    ("צה\u05f4ל", 'צה"ל'),                                      # gershayim vs ASCII quote
    ("ג\u05f3ירפה", "ג'ירפה"),                                  # geresh vs apostrophe
    ("בית\u05beספר", "בית-ספר"),                                # maqaf vs hyphen
    ("Gallant\u2019s trip", "Gallant's trip"),                 # typographic apostrophe
])
def test_key_collapses_variants(a, b):
    assert T.key(a) == T.key(b)


def test_key_keeps_different_words_apart():
    assert T.key("שלום") != T.key("שלם")


@pytest.mark.parametrize("line, expected", [
    ("מערכת חץ 3", [("he", "מערכת חץ")]),                    # neutrals are not part of a run
    ("צה\"ל פתח במבצע", [("he", 'צה"ל פתח במבצע')]),           # gershayim inside a word
    ("בית\u05beהספר", [("he", "בית\u05beהספר")]),               # maqaf keeps the run whole
    ("U.S. officials", [("en", "U.S. officials")]),
    ("שלום world peace", [("he", "שלום"), ("en", "world peace")]),
])
def test_script_runs(line, expected):
    assert [(r.script, line[r.start:r.end]) for r in T.script_runs(line)] == expected


def test_word_count_ignores_punctuation_and_digits():
    assert T.word_count("3 View gallery — !") == 2
