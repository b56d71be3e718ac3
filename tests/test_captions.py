"""The caption aligner: every page layout, abstention, the F1 floor on fixture pages."""
import json

import numpy as np
import pytest
from conftest import DATA, PAGES, SAMPLE, SAMPLE_GOLD, page

from align import text as T
from align.detection import detect
from align.inputs.plain import from_text, read
from align.linking.captions import (
    align_batch,
    align_captions,
    candidates,
    layout_offset,
    link,
    scopes,
)
from align.scoring.logodds import logit, sigmoid

# Hebrew-English pairs from the Tatoeba test set (CC BY 2.0 FR), fixture slice.
P = [("הוא נענש על פשעיו.", "He was punished for his crimes."),
     ("תום הראה למרי תמונה.", "Tom showed Mary a picture."),
     ("הטמפרטורה ירדה בעשר מעלות.", "The temperature went down ten degrees."),
     ("שנים סבלה אמי מחרדת טיסה.", "For years, my mother has had a fear of flying."),
     ("היא נראתה כאילו היא עומדת לפרוץ בבכי.", "She looked like she was going to start crying."),
     ("תום הסיר את המסכה שלו בזהירות.", "Tom carefully took off his mask.")]
BODY = ("The minister spoke for an hour about the plan and its costs. Officials said the "
        "talks would continue next week, and that no decision had been made. Critics said "
        "the plan came too late and would not be enough to help the families in the area.")


def pairs_of(text, scorer, threshold=0.5):
    segs = detect(from_text(text, "t.txt"))
    return {(p.he, p.en) for p in align_captions("t.txt", segs, scorer, threshold)}


LAYOUTS = {
    "1 sample: Hebrew twice, English, credit": (
        page(BODY, "3 View gallery", P[0][0], P[0][0], P[0][1], "(Photo: AP)", BODY), {P[0]}),
    "2 English alt text only": (
        page(BODY, "3 View gallery", P[1][1], P[1][1], P[1][1], "(Photo: AP)", BODY), set()),
    "3 Hebrew only, no English on the page": (
        page(BODY, "3 View gallery", P[2][0], P[2][0], "(Photo: AP)", BODY), set()),
    "4 block, English in another order": (
        page(BODY, "5 View gallery", P[0][0], P[1][0], P[2][0], P[2][1], P[0][1], P[1][1],
             "(Photo: AP)", "(Photo: Reuters)", "(Photo: GPO)", BODY), {P[0], P[1], P[2]}),
    "5 Hebrew and English on one line": (
        page(BODY, "3 View gallery", f"{P[3][0]} {P[3][1]}", "(Photo: AP)", BODY), {P[3]}),
    "6 Hebrew beside another photo's English": (
        page(BODY, "3 View gallery", P[4][0], P[5][1], "(Photo: AP)", BODY), set()),
    "7 Hebrew quoted in an English paragraph": (
        page(BODY, f'The banner read "{P[5][0].rstrip(".")}" in large letters. ' + BODY), set()),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layout(name, lenient):
    text, expected = LAYOUTS[name]
    assert pairs_of(text, lenient) == expected


def test_sample_gives_exactly_the_gold_pairs(lenient):
    """Leniently, the sample's two captions that belong together; the second is a partial
    translation by the guideline (the English adds "anti-missile"), and says so."""
    gold = {(r["he"], r["en"]) for r in map(json.loads, SAMPLE_GOLD.read_text("utf-8").splitlines())}
    doc = read(str(SAMPLE))
    pairs = align_captions(doc.doc, detect(doc), lenient)
    assert {(p.he, p.en) for p in pairs} == gold
    assert [(p.he_line, p.en_line) for p in pairs] == [(8, 10), (33, 35)]
    assert all(0.5 <= p.score <= 1 for p in pairs)
    assert [p.verdict for p in pairs] == ["T", "P"]
    assert (pairs[1].he_uncovered, pairs[1].en_uncovered) == ([], ["anti", "missile"])


def test_sample_strictly_gives_its_full_translation(scorer):
    """Under the default strict standard only the pair whose sides say the same (titles
    before the names aside) is a translation; "מערכת חץ 3" against "Israel's Arrow 3
    anti-missile system" scores under the threshold."""
    doc = read(str(SAMPLE))
    [pair] = align_captions(doc.doc, detect(doc), scorer)
    assert (pair.he_line, pair.en_line, pair.verdict) == (8, 10, "T")
    assert pair.he_uncovered == pair.en_uncovered == []
    [arrow] = [p for p in align_captions(doc.doc, detect(doc), scorer, threshold=0.05) if p.he_line == 33]
    assert arrow.score < 0.5 and arrow.verdict == "P"


def test_pairs_carry_every_line(lenient):
    text = page("3 View gallery", P[0][0], P[0][0], P[0][1], "(Photo: AP)")
    [pair] = align_captions("t.txt", detect(from_text(text, "t.txt")), lenient)
    assert (pair.he_line, pair.en_line, pair.he_lines, pair.en_lines) == (2, 4, [2, 3], [4])


def test_threshold_one_abstains(scorer):
    text, _ = LAYOUTS["4 block, English in another order"]
    assert pairs_of(text, scorer, threshold=1.0) == set()


def test_link_is_one_to_one_and_abstains():
    s = np.array([[0.9, 0.8, 0.1], [0.85, 0.2, 0.3], [0.1, 0.2, 0.4]])
    assert link(s, 0.5) == [(0, 0)]  # (1, 0) loses its column to the stronger (0, 0)
    assert link(s, 0.15) == [(0, 0), (2, 2), (1, 1)]  # best first, each row and column once
    assert link(np.zeros((0, 3)), 0.5) == []


def test_layout_never_decides_alone(scorer):
    from align.scoring.calibrated import calibration

    weight = calibration()["layout"]["auto"]
    segs = detect(from_text(page("3 View gallery", P[4][0], P[5][1], "(Photo: AP)"), "t"))
    he = [s for s in segs if s.lang == "he"]
    en = [s for s in segs if s.lang == "en" and s.kind == "caption"]
    lifted = sigmoid(logit(np.array([[0.05]])) + layout_offset(he, en, weight))
    assert lifted[0, 0] > 0.05 and lifted[0, 0] < 0.5


def align_pages(pages, scorer, chunk: int = 32):
    """Pairs of ``pages`` (``(doc, segments)``), ``chunk`` pages a batch, as a run does."""
    for start in range(0, len(pages), chunk):
        yield from (p for found in align_batch(pages[start:start + chunk], scorer) for p in found)


@pytest.mark.parametrize("standard", ["scorer", "lenient"])
def test_batches_of_pages_pair_as_page_by_page(standard, request):
    scorer = request.getfixturevalue(standard)
    pages = [(name, detect(from_text(text, name))) for name, (text, _) in LAYOUTS.items()]
    one_by_one = [p for name, segs in pages for p in align_captions(name, segs, scorer)]
    assert list(align_pages(pages, scorer, chunk=3)) == one_by_one


def _fixture_scores(scorer, folder=PAGES):
    gold = {(r["doc"], T.clean(r["he"]), T.clean(r["en"]))
            for r in map(json.loads, (folder / "gold.jsonl").read_text("utf-8").splitlines())}
    docs = [(p.name, detect(read(str(p)))) for p in sorted(folder.glob("*.txt"))]
    pred = {(p.doc, p.he, p.en) for p in align_pages(docs, scorer)}
    tp = len(gold & pred)
    precision, recall = tp / len(pred), tp / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall), len(gold)


@pytest.mark.slow
def test_f1_floor_on_fixture_pages(scorer, lenient):
    """28 generated pages, all seven layouts, their gold pairs Tatoeba translations.
    Measured with the standards (issue 27): lenient P 0.985, R 1.0, F1 0.992; strict P 1.0,
    R 0.859 (a short sentence with a word the lexicon lacks is doubted as partial)."""
    precision, recall, f1, n_gold = _fixture_scores(lenient)
    assert n_gold == 64
    assert f1 >= 0.98 and precision >= 0.97, (precision, recall, f1)
    precision, recall, f1, _ = _fixture_scores(scorer)
    assert precision >= 0.97 and recall >= 0.8, (precision, recall, f1)


@pytest.mark.slow
def test_floor_on_same_story_pages(scorer, lenient):
    """27 pages whose captions all come from one FLORES story (tests/data/storypages,
    evaluation half): a Hebrew caption beside the English of another photo of the
    story, galleries of one language each, blocks of 3-4 captions. Measured when the
    scorer learnt translation from topic: P 0.985, R 0.985 (one pair missed, one
    false); before it, P 0.87 at the same recall. With the standards (issue 27): lenient
    P 1.0, R 0.956; strict P 1.0, R 0.574 (FLORES sentences are long and hold words the
    lexicon, learnt from Tatoeba, lacks: the strict standard doubts them)."""
    precision, recall, f1, n_gold = _fixture_scores(lenient, DATA / "storypages")
    assert n_gold == 68
    assert precision >= 0.95 and recall >= 0.93, (precision, recall)
    precision, recall, f1, _ = _fixture_scores(scorer, DATA / "storypages")
    assert precision >= 0.97 and recall >= 0.55, (precision, recall)


# The Hebrew of a FLORES sentence (evaluation half, CC BY-SA 4.0), its English, and the
# English of another sentence of the same article that shares a name with it.
SAME_STORY = {
    "skiers (the issue's own example)": (
        "מיטשל גורלי האוסטרלי סיים במקום האחד עשר בסופר-ג'י לגברים. המתחרה הצ'כי, אולדריך ילינק, "
        "סיים במקום השישה עשר במקצה הסופר-ג'י בישיבה לגברים.",
        "Australia's Mitchell Gourley finished eleventh in the men's standing Super-G. Czech "
        "competitor Oldrich Jelinek finished sixteenth in the men's sitting Super-G.",
        "They include the Netherlands, with Anna Jochemsen finishing ninth in the women's standing "
        "class in the Super-G yesterday, and Finland with Katja Saarinen finishing tenth in the same event."),
    "a court date": (
        "הונה ופרייס צפויים להופיע בפני בית משפט השלום בווסטמינסטר ב-16 בפברואר.",
        "Huhne and Pryce are scheduled to appear at the Westminster Magistrates Court on February 16.",
        "The Director of Public Prosecutions, Kier Starmer QC, gave a statement this morning "
        "announcing the prosecution of both Huhne and Pryce."),
    "a campaign": (
        "באכמאן, שניצחה בסקר הלא רשמי של איימז באוגוסט, החליטה לסיים את מסע הבחירות שלה.",
        "Bachmann, who won the Ames Straw Poll in August, decided to end her campaign.",
        "Former House Speaker Newt Gingrich, Texas governor Rick Perry, and Congresswoman Michele "
        "Bachmann finished in fourth, fifth, and sixth place, respectively."),
    "a rugby series": (
        "עבור הספרינגבוקס, המשחק קטע רצף של חמישה הפסדים.",
        "For the Springboks, it ended a five-match losing streak.",
        "The final match of the series will take place at Ellis Park in Johannesburg next week, "
        "when the Springboks play Australia."),
}


@pytest.mark.parametrize("name", list(SAME_STORY))
@pytest.mark.parametrize("standard", ["scorer", "lenient"])
def test_same_story_distractor_scores_below_the_threshold(standard, name, request):
    """A caption of the same story, sharing a name, is not a translation, even in part:
    alone on a page, and beside the true partner, it scores under the default
    threshold under either standard, and the true partner over it (leniently: the
    strict standard may doubt a long sentence whose words its lexicon lacks, but
    still ranks it first)."""
    from align.linking.captions import DEFAULT_THRESHOLD

    scorer = request.getfixturevalue(standard)
    he, true, other = SAME_STORY[name]
    alone = scorer.score_pairs([he, he], [true, other])
    assert alone[0] > alone[1] and alone[1] < DEFAULT_THRESHOLD, alone
    assert standard == "scorer" or alone[0] >= DEFAULT_THRESHOLD, alone
    together = scorer.score([he], [true, other])[0]
    assert together[0] >= DEFAULT_THRESHOLD > together[1], together
    text = page(BODY, "3 View gallery", he, other, "(Photo: AP)", BODY)   # mismatch layout
    # Leniently, a caption of the story that shares a name and a word ("the Springboks",
    # "match") may pass for a partial translation; strictly, never.
    assert standard == "lenient" or pairs_of(text, scorer) == set()


def _seg(lang, line, block):
    from align.records import Segment

    return Segment(lang, "caption", f"{lang}{line}", [line], {block})


def test_small_page_is_one_scope():
    he, en = [_seg("he", 1, 1)], [_seg("en", 2, 1)]
    assert scopes(he, en) == [(he, en)]


def test_scopes_bound_the_work_and_keep_blocks_whole():
    # 40 blocks, each with 3 Hebrew and 3 English captions
    he = [_seg("he", 10 * b + k, b) for b in range(40) for k in range(3)]
    en = [_seg("en", 10 * b + 3 + k, b) for b in range(40) for k in range(3)]
    cut = scopes(he, en, limit=8)
    assert all(len(h) <= 8 and len(e) <= 8 for h, e in cut)
    assert sorted(s.line for h, e in cut for s in h + e) == sorted(s.line for s in he + en)
    for h, e in cut:  # no block is split across scopes
        blocks = {min(s.blocks) for s in h + e}
        assert all(len([s for s in h if min(s.blocks) == b]) == 3 for b in blocks)


def test_one_long_document_of_many_pages(lenient):
    """The 28 fixture pages as one text: scoped pairing keeps the quality."""
    text = "".join(p.read_text("utf-8") for p in sorted(PAGES.glob("*.txt")))
    gold = {(T.clean(r["he"]), T.clean(r["en"]))
            for r in map(json.loads, (PAGES / "gold.jsonl").read_text("utf-8").splitlines())}
    segs = detect(from_text(text, "all.txt"))
    assert len(scopes(*candidates(segs))) > 1
    pred = {(p.he, p.en) for p in align_captions("all.txt", segs, lenient)}
    tp = len(gold & pred)
    # measured: 64 of 64 found, 4 more (captions of the mismatch layouts sharing "Tom" and
    # a word, taken for partial translations)
    assert tp / len(pred) >= 0.93 and tp / len(gold) >= 0.95, (tp, len(pred), len(gold))


@pytest.mark.parametrize("seed", range(5))
def test_sparse_and_dense_linking_agree(seed):
    from align.linking.captions import link_candidates

    rng = np.random.default_rng(seed)
    scores = np.round(rng.random((7, 5)), 1)  # rounding makes ties, which must break alike
    cells = [(float(scores[i, j]), i, j) for i in range(7) for j in range(5)]
    assert [(i, j) for i, j, _ in link_candidates(cells, 0.3)] == link(scores, 0.3)


def test_news_style_pages(lenient, scorer):
    """Hand-written pages in the style of Israeli English news sites: names in both
    scripts, gershayim (צה"ל, ארה"ב), dates, agency credits such as "(Name/Flash90)",
    a block gallery. Gold: the 7 captions whose Hebrew and English say the same thing
    (a dateline or a note on the photo added in English is fine). Not gold: "הריסות
    בקריית שמונה לאחר פגיעת רקטה" (ruins in Kiryat Shmona after a rocket hit) beside
    "Firefighters at the scene of a rocket impact in Kiryat Shmona": one photo, two
    captions of it that say different things, and "מפגינים מול משכן הכנסת" (protesters
    outside the Knesset) beside "Demonstrators block a highway in central Israel", the
    caption of another photo. Measured when the scorer learnt translation from topic:
    the 7 pairs and nothing else (before: 8 pairs found, with the highway pair
    emitted at 0.95)."""
    folder = DATA / "newsstyle"
    gold = {(r["doc"], r["he"], r["en"])
            for r in map(json.loads, (folder / "gold.jsonl").read_text("utf-8").splitlines())}
    docs = [(p.name, detect(read(str(p)))) for p in sorted(folder.glob("*.txt"))]
    found = {(p.doc, p.he, p.en): p for p in align_pages(docs, lenient)}
    # every caption found, credits split off; but for "לוחמי צה"ל בגבול הצפון" / "IDF troops
    # training near the northern border, in a handout photo", whose shared words
    # ("בגבול"/"border", "הצפון"/"northern") the lexicon lacks (score 0.41)
    assert len(gold - set(found)) <= 1, gold - set(found)
    assert len(gold & set(found)) / len(found) >= 0.75
    # By the guideline a date the English adds is content: a partial translation, and
    # the strict standard leaves it out.
    katz = found[("toi-style.txt", 'שר הביטחון ישראל כ"ץ נואם בכנס בתל אביב',
                  "Defense Minister Israel Katz speaks at a conference in Tel Aviv, May 5, 2025.")]
    assert katz.verdict == "P" and {"5", "2025"} <= set(katz.en_uncovered)
    strict = {(p.doc, p.he, p.en) for p in align_pages(docs, scorer)}
    assert strict <= set(found) and ("toi-style.txt", katz.he, katz.en) not in strict
    assert all(found[k].verdict == "T" for k in strict)


@pytest.mark.parametrize("he, en", [
    ("חיילי גולני באימון בצפון", "Soldiers of the Golani Brigade (חטיבת גולני) in training in the north"),
    ("מפגינים מול הכנסת בירושלים", 'Protesters outside the Knesset in Jerusalem chanting "ביבי הביתה"'),
])
def test_an_english_caption_that_quotes_hebrew_is_still_a_caption(lenient, he, en):
    """Hebrew words inside an English caption neither end its caption block nor become
    a Hebrew caption of their own: the caption pairs with the Hebrew above it."""
    text = page(BODY, he, en, "(Photo: IDF)", BODY)
    assert pairs_of(text, lenient) == {(he, en)}
