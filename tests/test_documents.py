"""Ordered sentence alignment: bead types, edge cases, floors, `align documents`, `align eval`."""
import json

import numpy as np
import pytest
from conftest import DATA

from align.linking.beads import WIDE, align
from align.linking.documents import align_texts
from align.review.evaluate import bead_scores, read_alignment

DOCS = DATA / "docs"
# Tatoeba pairs (CC BY 2.0 FR), fixture slice.
P = [("הוא נענש על פשעיו.", "He was punished for his crimes."),
     ("תום הראה למרי תמונה.", "Tom showed Mary a picture."),
     ("הטמפרטורה ירדה בעשר מעלות.", "The temperature went down ten degrees."),
     ("שנים סבלה אמי מחרדת טיסה.", "For years, my mother has had a fear of flying."),
     ("היא נראתה כאילו היא עומדת לפרוץ בבכי.", "She looked like she was going to start crying."),
     ("תום הסיר את המסכה שלו בזהירות.", "Tom carefully took off his mask."),
     ("אני צריכה לדעת שאכפת למישהו.", "I need to know that somebody cares."),
     ("עוניו קטע את המשך לימודיו.", "Poverty prevented him from continuing his studies.")]


@pytest.fixture(scope="module")
def embed(scorer):
    return scorer.sources[0].embedder.embed


def beads_of(he, en, embed, beads=None):
    kw = {"beads": beads} if beads else {}
    return [(b.he_ids, b.en_ids) for b in align(embed(he), embed(en), **kw)]


def test_one_to_one(embed):
    he, en = [h for h, _ in P], [e for _, e in P]
    assert beads_of(he, en, embed) == [((i,), (i,)) for i in range(len(P))]


@pytest.mark.parametrize("shape", ["1-2", "2-1", "1-0", "0-1"])
def test_each_bead_type(embed, shape):
    he, en = [h for h, _ in P], [e for _, e in P]
    if shape == "1-2":      # Hebrew 3 and 4 written as one sentence
        he = he[:3] + [he[3] + " " + he[4]] + he[5:]
        expected = ((3,), (3, 4))
    elif shape == "2-1":
        en = en[:3] + [en[3] + " " + en[4]] + en[5:]
        expected = ((3, 4), (3,))
    elif shape == "1-0":    # the English of pair 4 dropped
        en = en[:4] + en[5:]
        expected = ((4,), ())
    else:
        he = he[:4] + he[5:]
        expected = ((), (4,))
    result = beads_of(he, en, embed)
    assert expected in result
    covered_he = sorted(i for h, _ in result for i in h)
    covered_en = sorted(j for _, e in result for j in e)
    assert covered_he == list(range(len(he))) and covered_en == list(range(len(en)))


def test_wide_beads_find_a_two_two(embed):
    he = [h for h, _ in P[:3]] + [P[3][0] + " " + P[4][0][:-1] + ",", P[5][0]] + [h for h, _ in P[6:]]
    he[3] = P[3][0][:-1] + " " + P[4][0]          # two Hebrew sentences made one
    en = [e for _, e in P]
    en = en[:3] + [en[3] + " " + en[4]] + en[5:]  # ... and the English too: a 1-1 of merged text
    result = beads_of(he, en, embed, beads=WIDE)
    assert ((3,), (3,)) in result


@pytest.mark.parametrize("he_n, en_n", [(0, 0), (0, 3), (3, 0), (1, 1)])
def test_empty_and_one_sentence_documents(embed, he_n, en_n):
    he, en = [h for h, _ in P[:he_n]], [e for _, e in P[:en_n]]
    result = beads_of(he, en, embed) if he and en else [(b.he_ids, b.en_ids) for b in align(
        np.zeros((he_n, 384), np.float32), np.zeros((en_n, 384), np.float32))]
    if he_n and en_n:
        assert result == [((0,), (0,))]
    else:
        assert sorted(result) == sorted([((i,), ()) for i in range(he_n)] + [((), (j,)) for j in range(en_n)])


def test_one_side_much_longer(embed):
    he = [P[1][0], P[5][0]]
    en = [e for _, e in P] + ["It might rain tomorrow.", "Complaints are rare.", "Everything was lost."]
    result = beads_of(he, en, embed)
    assert ((0,), (1,)) in result and ((1,), (5,)) in result
    assert sum(1 for h, e in result if h and e) == 2


def _fixture_scores(embed):
    gold, pred, oh, oe = [], [], 0, 0
    for he_path in sorted(DOCS.glob("*.he")):
        stem = he_path.with_suffix("")
        he = he_path.read_text("utf-8").splitlines()
        en = stem.with_suffix(".en").read_text("utf-8").splitlines()
        result = align_texts(he, en, embed, presplit=True)
        doc_gold = read_alignment(str(stem) + ".gold.jsonl")[1]
        gold += [([i + oh for i in h], [j + oe for j in e]) for h, e in doc_gold]
        pred += [([i + oh for i in b.he_ids], [j + oe for j in b.en_ids]) for b in result.beads]
        oh, oe = oh + len(he), oe + len(en)
    return bead_scores(gold, pred)


@pytest.mark.slow
def test_floor_on_fixture_documents(embed):
    """8 documents, 205 gold beads; measured strict F1 0.961, lax 0.990 when set."""
    scores = _fixture_scores(embed)
    assert scores["gold_beads"] == 205
    assert scores["strict"]["f1"] >= 0.93 and scores["lax"]["f1"] >= 0.97


def test_eval_reads_vecalign_and_jsonl(tmp_path, run_cli):
    gold = tmp_path / "gold.txt"
    gold.write_text("[0]:[0]\n[1]:[1,2]\n[2]:[]\n[3]:[3]\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(json.dumps({"he_ids": h, "en_ids": e}) for h, e in
                              [([0], [0]), ([1], [1]), ([], [2]), ([2, 3], [3])]) + "\n")
    r = run_cli("eval", gold, pred)
    assert r.returncode == 0, r.stderr
    scores = json.loads(r.stdout)
    assert scores["strict"] == {"precision": 0.3333, "recall": 0.3333, "f1": 0.3333}
    assert scores["lax"]["precision"] == 1.0 and scores["lax"]["recall"] == 1.0


def test_eval_of_caption_pairs(tmp_path, run_cli):
    from conftest import SAMPLE, SAMPLE_GOLD

    pred = tmp_path / "pred.jsonl"
    pred.write_bytes(run_cli("captions", SAMPLE, "--standard", "lenient").stdout)
    scores = json.loads(run_cli("eval", SAMPLE_GOLD, pred).stdout)
    assert scores["pairs"]["f1"] == 1.0
    pred.write_bytes(run_cli("captions", SAMPLE).stdout)  # strictly: the full translation alone
    scores = json.loads(run_cli("eval", SAMPLE_GOLD, pred).stdout)
    assert (scores["pairs"]["precision"], scores["pairs"]["recall"]) == (1.0, 0.5)


def test_documents_command(run_cli, tmp_path):
    he = tmp_path / "a.he"
    en = tmp_path / "a.en"
    he.write_text(" ".join(h for h, _ in P[:4]) + "\n", encoding="utf-8")   # running text
    en.write_text(" ".join(e for _, e in P[:4]) + "\n", encoding="utf-8")
    r = run_cli("documents", he, en)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [(row["he_ids"], row["en_ids"]) for row in rows] == [([i], [i]) for i in range(4)]
    assert rows[0]["he"] == P[0][0] and rows[0]["en"] == P[0][1]
    lines = run_cli("documents", he, en, "-f", "vecalign").stdout.decode().splitlines()
    assert lines[0].startswith("[0]:[0]:")
    out = tmp_path / "a.tmx"
    assert run_cli("documents", he, en, "-f", "tmx", "-o", out).returncode == 0
    assert out.read_text("utf-8").count("<tu>") == 4


def test_batch_forms_and_a_missing_pair(run_cli, tmp_path):
    for stem, k in (("a", 0), ("b", 4)):
        (tmp_path / f"{stem}.he").write_text("\n".join(h for h, _ in P[k:k + 3]) + "\n", encoding="utf-8")
        (tmp_path / f"{stem}.en").write_text("\n".join(e for _, e in P[k:k + 3]) + "\n", encoding="utf-8")
    (tmp_path / "list.tsv").write_text("a.he\ta.en\nnope.he\tnope.en\nb.he\tb.en\n")
    r = run_cli("documents", tmp_path / "list.tsv", "--presplit")
    assert r.returncode == 1 and b"nope.he: no such file" in r.stderr
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [(row["doc"].rsplit("/", 1)[-1], row["he_ids"], row["en_ids"]) for row in rows] == [
        ("a.he", [i], [i]) for i in range(3)] + [("b.he", [i], [i]) for i in range(3)]
    r = run_cli("documents", tmp_path / "a", tmp_path / "b", "--presplit", "-f", "moses",
                "-o", tmp_path / "corpus")
    assert r.returncode == 0, r.stderr
    assert len((tmp_path / "corpus.he").read_text("utf-8").splitlines()) == 6
    r = run_cli("documents", tmp_path / "a", tmp_path / "b", "-f", "vecalign")
    assert r.returncode == 2 and b"one pair of documents" in r.stderr


def test_numbers_term_is_applied(monkeypatch):
    import align.linking.beads as beads_module

    rng = np.random.default_rng(0)
    X = rng.normal(size=(4, 32)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    same = [((i,), (i,)) for i in range(4)]
    assert [(b.he_ids, b.en_ids) for b in beads_module.align(X, X)] == same
    conflicting = dict(he_numbers=[{"3"}] * 4, en_numbers=[{"4"}] * 4)
    assert [(b.he_ids, b.en_ids) for b in beads_module.align(X, X, **conflicting)] == same  # 0.5 each: kept
    monkeypatch.setattr(beads_module, "NUMBER_WEIGHT", 10.0)
    result = [(b.he_ids, b.en_ids) for b in beads_module.align(X, X, **conflicting)]
    assert all(not h or not e for h, e in result)          # every pairing now costs too much
    agreeing = dict(he_numbers=[{"3"}] * 4, en_numbers=[{"3"}] * 4)
    assert [(b.he_ids, b.en_ids) for b in beads_module.align(X, X, **agreeing)] == same


def test_jsonl_beads_carry_their_signature_and_never_overwrite_it(run_cli, tmp_path):
    """Bead files are alignments with a signature beside them, as corpora are; an
    existing sidecar is refused without --force, as an existing output is."""
    (tmp_path / "a.he").write_text(P[0][0] + "\n", encoding="utf-8")
    (tmp_path / "a.en").write_text(P[0][1] + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run_cli("documents", tmp_path / "a.he", tmp_path / "a.en", "-o", out)
    assert r.returncode == 0, r.stderr
    meta = json.loads((tmp_path / "out.jsonl.meta.json").read_text("utf-8"))
    assert meta["tool"] == "align" and meta["presplit"] is False and meta["beads"] == "merges"
    out.unlink()
    r = run_cli("documents", tmp_path / "a.he", tmp_path / "a.en", "-o", out)
    assert r.returncode == 2 and b"out.jsonl.meta.json already exists; pass --force" in r.stderr
    assert run_cli("documents", tmp_path / "a.he", tmp_path / "a.en", "-o", out, "--force").returncode == 0


def test_bead_scores_are_the_pair_scores(tmp_path):
    """One score everywhere: a bead's score is what ``align check`` gives its two
    sides as a corpus row (the calibrated probability), 0 for a one-sided bead."""
    from align.linking.documents import align_texts
    from align.scoring import get_scorer

    scorer = get_scorer("auto")
    embed = scorer.sources[0].embedder.embed
    he = ["הוא נענש על פשעיו.", "תום הראה למרי תמונה.", "הטמפרטורה ירדה בעשר מעלות."]
    en = ["He was punished for his crimes.", "The weather was lovely all week.",
          "Tom showed Mary a picture.", "The temperature went down ten degrees."]
    result = align_texts(he, en, embed, presplit=True, scorer=scorer)
    for bead in result.beads:
        if bead.he_ids and bead.en_ids:
            texts = (" ".join(he[i] for i in bead.he_ids), " ".join(en[j] for j in bead.en_ids))
            assert bead.score == pytest.approx(scorer.score_pairs([texts[0]], [texts[1]])[0], abs=1e-4)
        else:
            assert bead.score == 0.0
    assert any(not b.he_ids for b in result.beads)          # the English-only sentence is a 0-1 bead
    # every word covered, so full translations by the strict standard (whose scores for
    # short sentences with no names top out near 0.9)
    assert all(b.score > 0.8 for b in result.beads if b.he_ids and b.en_ids)
