"""Scorers: the interface, margin arithmetic, surface evidence, calibration."""
import numpy as np
import pytest

from align.scoring import get_scorer
from align.scoring.embedding import ratio_margin, topk_mean
from align.scoring.surface import SurfaceFeatures, numbers
from align.text.names import en_skeleton, he_skeletons, name_hits


def test_topk_mean():
    sim = np.array([[0.1, 0.9, 0.5], [0.3, 0.2, 0.4]])
    assert np.allclose(topk_mean(sim, 2), [0.7, 0.35])
    assert np.allclose(topk_mean(sim, 10), sim.mean(axis=1))


def test_ratio_margin_by_hand():
    sim = np.array([[0.9, 0.5]])                  # 1 Hebrew x 2 English
    he_bg = np.array([[0.7, 0.1]])                # Hebrew vs 2 background English
    en_bg = np.array([[0.3, 0.3], [0.5, 0.1]])    # each English vs 2 background Hebrew
    m = ratio_margin(sim, he_bg, en_bg, k=2)
    knn_he = (0.9 + 0.7) / 2
    knn_en = np.array([(0.9 + 0.3) / 2, (0.5 + 0.5) / 2])
    assert np.allclose(m, sim / ((knn_he + knn_en) / 2))


@pytest.mark.parametrize("text, nums", [
    ("1,000 rockets", {"1000"}),
    ("1000 rockets", {"1000"}),
    ("3.5 km and 12", {"3.5", "12"}),
    ("no digits", set()),
])
def test_numbers(text, nums):
    assert numbers(text) == frozenset(nums)


@pytest.mark.parametrize("en, he", [
    ("Gallant", "גלנט"), ("Austin", "אוסטין"), ("Lloyd", "לויד"), ("Netanyahu", "נתניהו"),
    ("Biden", "וביידן"), ("Tehran", "לטהרן"), ("Washington", "וושינגטון"),
])
def test_transliterated_names_match(en, he):
    assert en_skeleton(en) in he_skeletons(he)


def test_name_hits():
    assert name_hits("יואב גלנט ושר ההגנה האמריקאי לויד אוסטין",
                     "Defense Minister Yoav Gallant and U.S. Secretary of Defense Lloyd Austin") == 3
    assert name_hits("מערכת חץ 3", "Defense Minister Yoav Gallant") == 0


def test_surface_features_shapes_and_numbers():
    f = SurfaceFeatures().features(["מערכת חץ 3", "שלום"], ["Arrow 3", "Arrow 4", "Peace"])
    assert all(v.shape == (2, 3) for v in f.values())
    assert f["num_jaccard"][0, 0] == 1.0 and f["num_jaccard"][0, 1] == 0.0
    assert f["num_one"][0, 2] == 1.0 and f["num_both"][1, 2] == 0.0


@pytest.mark.parametrize("name", ["auto", "embedding", "surface"])  # no model needed
def test_every_scorer_has_the_interface(name):
    scorer = get_scorer(name)
    he = ["הוא נענש על פשעיו.", "תום הראה למרי תמונה."]
    en = ["Tom showed Mary a picture.", "He was punished for his crimes.", "It might rain."]
    s = scorer.score(he, en)
    assert s.shape == (2, 3) and np.all((s >= 0) & (s <= 1))
    assert scorer.score([], en).shape == (0, 3)
    assert scorer.score(he, []).shape == (2, 0)
    assert scorer.signature()["scorer"] == name


def test_embedding_scorer_prefers_translations(scorer):
    he = ["הוא נענש על פשעיו.", "תום הראה למרי תמונה.", "הטמפרטורה ירדה בעשר מעלות."]
    en = ["Tom showed Mary a picture.", "The temperature went down ten degrees.",
          "He was punished for his crimes."]
    s = scorer.score(he, en)
    assert list(s.argmax(axis=1)) == [2, 0, 1]
    assert s[0, 2] > 0.9 and s[0, 0] < 0.1


def test_each_unique_string_is_embedded_once(scorer):
    emb = scorer.sources[0].embedder
    before = emb.embedded
    texts = ["החתול ישן על הספה כל הבוקר.", "The cat slept on the sofa all morning."]  # new to this run
    scorer.score(texts[:1] * 3, texts[1:] * 3)
    scorer.score(texts[:1], texts[1:])
    assert emb.embedded - before == 2


def test_unknown_scorer():
    with pytest.raises(ValueError, match="unknown scorer 'nope'"):
        get_scorer("nope")


@pytest.mark.parametrize("a, b", [("14:30", "2:30"), ("１０００", "1000"), ("1,000", "1000")])
def test_numbers_read_one_form(a, b):
    assert numbers(a) == numbers(b)
