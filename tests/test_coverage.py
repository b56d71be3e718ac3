"""Word coverage: the lexicon learnt from parallel text, the content units of a caption,
and which words of each side have a counterpart on the other (issue 27)."""
from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from align.scoring.coverage import FEATURES, Coverer, cover_features
from align.text import lexicon as L
from align.text.units import en_units, he_units

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def coverer():
    """Coverage with the built-in lexicon and no embedder (the cheap evidence alone)."""
    return Coverer()


@pytest.fixture(scope="module")
def small_table():
    rows = [line.split("\t") for line in (DATA / "tatoeba-400.tsv").read_text("utf-8").splitlines()]
    return L.learn([(r[0], r[1]) for r in rows])


# --- the lexicon -----------------------------------------------------------------------

def test_model_1_learns_word_translations_from_400_pairs(small_table):
    """IBM Model 1 both ways on 400 Tatoeba pairs: frequent words find their translation."""
    assert small_table.translations("יודע", 1)[0][0] == "know"
    assert small_table.translations("כולם", 1)[0][0] == "everyone"
    assert small_table.strength("רוצה", "want") > 0.5
    assert small_table.strength("רוצה", "know") == 0.0
    assert small_table.strength("לתום", "tom") > 0.9  # a prefix stripped, as learnt
    assert small_table.strength("ותום", "toms") > 0.9  # ... and at lookup, with a plural


@pytest.mark.parametrize("word, forms", [
    ("ובבית", ["ובבית", "בבית", "בית"]),
    ("ממשלה", ["ממשלה", "משלה"]),       # מ then מ: no prefix run Hebrew writes
    ("מהבית", ["מהבית", "הבית", "בית"]),
    ("בית", ["בית"]),
])
def test_hebrew_prefixes_are_stripped_in_the_order_hebrew_writes_them(word, forms):
    assert L.he_prefixed(word) == forms


@pytest.mark.parametrize("text, tokens", [
    ("צה״ל ו-ארה“ב", ['צה"ל', "ו", 'ארה"ב']),
    ("הַשֻּׁלְחָן", ["השלחן"]),
])
def test_hebrew_tokens_are_in_normal_form(text, tokens):
    assert L.he_tokens(text) == tokens


def test_the_table_round_trips_and_says_where_it_came_from(small_table):
    raw = L.encode(small_table, ["learnt from tests/data/tatoeba-400.tsv"])
    assert L.parse(raw).rows() == small_table.rows()
    assert L.encode(small_table, ["learnt from tests/data/tatoeba-400.tsv"]) == raw  # the same bytes again


def test_the_shipped_table_names_its_source_and_licence():
    from importlib import resources

    head = gzip.decompress(resources.files("align.data").joinpath("lexicon.tsv.gz").read_bytes())
    comments = [line for line in head.decode("utf-8").splitlines()[:12] if line.startswith("#")]
    text = " ".join(comments)
    assert "tatoeba-test-v2021-08-07" in text and "CC BY 2.0 FR" in text and "benchmarks/lexicon.py" in text
    assert len(L.builtin()) > 10_000


# --- what is content -------------------------------------------------------------------

@pytest.mark.parametrize("text, content", [
    ("Prime Minister Benjamin Netanyahu", ["Benjamin", "Netanyahu"]),
    ("Regional Cooperation Minister Ofir Akunis", ["Ofir", "Akunis"]),
    ("U.S. Secretary of State Antony Blinken", ["Antony", "Blinken"]),
    ("Norwegian diplomat Tor Wennesland", ["Tor", "Wennesland"]),
    ("Hamas leader in Gaza (Photo: Reuters)", ["Hamas", "Gaza"]),
    ("(L-R) Avigdor Liberman and Yair Lapid", ["Avigdor", "Liberman", "Yair", "Lapid"]),
    ("Archive photo of IDF troops", ["IDF", "troops"]),
    ("Nurses receive COVID-19 vaccines", ["Nurses", "receive", "COVID", "vaccines"]),  # a name, no number
    ("30 cm of snow", ["snow", "30"]),                                 # the number's unit is the number's
])
def test_english_titles_credits_and_tags_are_not_content(text, content):
    assert [u.text for u in en_units(text) if u.content] == content


@pytest.mark.parametrize("text, content", [
    ("ראש הממשלה נפתלי בנט", ["נפתלי", "בנט"]),
    ("שר ההגנה לויד אוסטין", ["לויד", "אוסטין"]),
    ("הפגנה בתל אביב צילום: רויטרס", ["הפגנה", "בתל", "אביב"]),
    ("שיראל אבוקרט ז\"ל", ["שיראל", "אבוקרט"]),
    ("מפגינים ארכיון", ["מפגינים"]),
    ("3 ילדים", ["ילדים", "3"]),
    ("30 ס\"מ שלג", ["שלג", "30"]),
])
def test_hebrew_titles_credits_and_tags_are_not_content(text, content):
    assert [u.text for u in he_units(text) if u.content] == content


# --- counterparts ----------------------------------------------------------------------

@pytest.mark.parametrize("he, en, he_left, en_left", [
    # names across scripts, with a title on either side: a full translation
    ("בנימין נתניהו", "Prime Minister Benjamin Netanyahu", [], []),
    ("נתניהו", "Benjamin Netanyahu", [], []),                      # a name of two words is one
    ("אהוד ברק", "Ehud Barak", [], []),                             # a short name beside a long one
    ("חיפה", "Haifa", [], []),
    ("מרוקו", "Moroccan", [], []),                                  # a demonym
    ("כוחות צה\"ל בנתב\"ג", "IDF forces at Ben Gurion Airport", [], []),  # acronyms (data/names.tsv)
    ("ראיון בעיתון בעיראק", "Newspaper interview in Iraq", [], []),  # the lexicon and names
    # what one side adds is left over, named
    ("מלכה לייפר", "Malka Leifer in court", [], ["court"]),
    ("יולי אדלשטיין ושרון אלרעי באילת", "Health Minister Yuli Edelstein", ["ושרון", "אלרעי", "באילת"], []),
    ("ספר בנתניה", "A book in Netanya, March 2020", [], ["March", "2020"]),
    # numbers: the same quantity in two units is covered; another number is not
    ("30 ס\"מ שלג", "12 inches of snow", [], []),                 # 30 cm: 11.8 inches, rounded
    ("יש לי 3 ילדים", "I have 4 children", ["3"], ["4"]),
])
def test_counterparts(coverer, he, en, he_left, en_left):
    c = coverer.pair(he, en)
    assert (c.he_uncovered, c.en_uncovered) == (he_left, en_left), (c.he_by, c.en_by)


def test_a_word_added_as_a_phrase_of_its_own_is_at_an_edge(coverer):
    """What a side adds comes as a phrase ("in court"); a word the lexicon lacks inside a
    covered phrase ("Arrow 3 anti-missile system") is not at an edge."""
    court = coverer.pair("מלכה לייפר", "Malka Leifer in court")
    assert court.en_edge == [False, False, True]
    arrow = coverer.pair("מערכת חץ 3", "Israel's Arrow 3 anti-missile system")
    assert arrow.en_uncovered == ["anti", "missile"] and not any(arrow.en_edge)


def test_features_of_the_cells_not_asked_for_share_nothing(coverer):
    he, en = ["בנימין נתניהו", "מלכה לייפר"], ["Prime Minister Benjamin Netanyahu", "Malka Leifer in court"]
    every = coverer.features(he, en)
    diagonal = coverer.features(he, en, np.eye(2, dtype=bool))
    from align.scoring.translation import MT_FEATURES

    assert set(every) == set(FEATURES) | set(MT_FEATURES)    # the translation's: 0 with no translator
    assert all(not every[name].any() for name in MT_FEATURES)
    for name in FEATURES:
        assert np.allclose(np.diag(every[name]), np.diag(diagonal[name])), name
    assert diagonal["full"][0, 1] == 0.0 and diagonal["shared"][0, 1] == 0.0
    assert every["full"][0, 0] == 1.0 and every["exact"][0, 0] == 1.0 and every["full"][1, 1] == 0.0
    assert cover_features(coverer.pair(he[1], en[1]))["en_edge"] == pytest.approx(np.log(2))


def test_a_name_in_two_events_shares_only_the_name(coverer):
    """The guideline's D: a name on one side and a different scene on the other."""
    c = coverer.pair("תום הפחיד אותי.", "Tom tells me you're smart.")
    assert cover_features(c)["name_only"] == 1.0
    assert cover_features(coverer.pair("מלכה לייפר", "Malka Leifer in court"))["name_only"] == 0.0


def test_the_last_resort_compares_single_words_with_the_embedder():
    """A word the table lacks may be found by the embedder (CSLS against background
    words), batched once for the pairs asked for; without an embedder it stays uncovered."""
    from align.scoring.embedding import Embedder

    embedder = Embedder()
    cheap, full = Coverer(), Coverer(embedder=embedder)
    he, en = "קניון בנתניה", "A mall in Netanya"
    assert cheap.pair(he, en).en_uncovered == ["mall"]
    assert full.pair(he, en).en_uncovered == [] and full.pair(he, en).en_by[0] == "embedding"
    assert full.pair(he, en, last_resort=False).en_uncovered == ["mall"]
