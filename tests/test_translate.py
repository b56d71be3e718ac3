"""The translator and the translation scorer, through real tiny models and a stand-in."""
import json

import numpy as np
import pytest
from conftest import SAMPLE, page
from sacrebleu.metrics import CHRF

from align.detection import detect
from align.errors import ModelError
from align.inputs.plain import from_text
from align.linking.captions import align_captions
from align.mt import store as models
from align.mt.translator import Translator
from align.scoring.calibrated import CalibratedScorer
from align.scoring.standard import builtin
from align.scoring.translation import TranslationFeatures


class DictTranslator:
    """A deterministic stand-in with the Translator interface."""

    def __init__(self, table):
        self.table = table
        self.calls = []

    def translate(self, texts):
        self.calls.append(list(texts))
        return [self.table.get(t, "") for t in texts]

    def signature(self):
        return {"translation_model": "dict"}


@pytest.fixture
def installed(tiny, no_installed_models):
    """The tiny Argos model, installed where the tests' search path looks."""
    return models.import_model(str(tiny["argos"]), str(no_installed_models))


def test_translate_command(run_cli, installed, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("מערכת חץ 3\n\nIsrael's Arrow 3\nמערכת חץ 3\n", encoding="utf-8")
    r = run_cli("translate", src, env={"ALIGN_MODELS": str(installed.path.parent)})
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode("utf-8").split("\n")[:-1]
    assert len(out) == 4
    assert out[1] == "" and out[2] == "Israel's Arrow 3"     # passed through
    assert out[0] == out[3] and out[0] and out[0] != "מערכת חץ 3"


def test_each_unique_text_is_translated_once(installed):
    t = Translator(installed, max_decoding_length=8)
    out = t.translate(["שלום"] * 5 + ["", "שָׁלוֹם"])   # niqqud variant is the same text
    assert t.translated == 1
    assert out[:5] == [out[0]] * 5 and out[5] == "" and out[6] == out[0]
    t.translate(["שלום"])
    assert t.translated == 1


def test_long_input_is_truncated_with_a_warning(installed, caplog):
    import logging

    logger = logging.getLogger("align.mt.translator")  # the library logs; the CLI shows it
    logger.addHandler(caplog.handler)
    try:
        t = Translator(installed, max_input_tokens=8, max_decoding_length=4)
        t.translate(["מילה " * 50])
    finally:
        logger.removeHandler(caplog.handler)
    assert t.truncated == 1
    assert caplog.records and {r.levelname for r in caplog.records} == {"WARNING"}
    assert "1 input(s) longer than 8 tokens were truncated before translation" in caplog.text


def test_the_cli_shows_library_warnings_on_stderr(capsys):
    import logging

    from align.cli.common import log_to_stderr

    log_to_stderr()
    logging.getLogger("align.mt.translator").warning("%d input(s) were truncated", 2)
    assert capsys.readouterr().err == "align: warning: 2 input(s) were truncated\n"


def test_multilingual_model_uses_language_tokens(tiny, tmp_path):
    m = models.import_model(str(tiny["multi"]), str(tmp_path / "m"))
    t = Translator(m, max_decoding_length=6)
    out = t.translate(["שלום לכולם"])
    assert (t._source_prefix, t._source_suffix, t._target_prefix) == (["heb_Hebr"], ["</s>"], ["eng_Latn"])
    assert "eng_Latn" not in out[0]


def test_opus_model_appends_eos(tiny, tmp_path):
    m = models.import_model(str(tiny["opus"]), str(tmp_path / "m"))
    t = Translator(m, max_decoding_length=6)
    t.translate(["שלום"])
    assert t._source_suffix == ["</s>"] and t._target_prefix == []


def test_threads_stay_within_cores(installed):
    import os

    with pytest.raises(ModelError, match="more than this machine's"):
        Translator(installed, inter_threads=1, intra_threads=(os.cpu_count() or 1) + 1)


def test_chrf_feature_is_sacrebleu_chrf():
    fake = DictTranslator({"א": "the red house", "ב": "a small dog"})
    feats = TranslationFeatures(fake).features(["א", "ב"], ["The red house.", "A small dog", "x"])
    chrf = CHRF()
    expected = np.array([[chrf.sentence_score(h, [e]).score / 100 for e in ["The red house.", "A small dog", "x"]]
                         for h in ["the red house", "a small dog"]])
    assert np.allclose(feats["chrf"], expected)
    assert feats["chrf"][0, 0] > 0.75 and feats["chrf"][0, 1] < 0.3


def test_translation_scorer_pairs_by_translation_and_records_it():
    table = {"מערכת חץ 3": "Israel's Arrow 3 missile defense system",
             "יואב גלנט": "Defense Minister Yoav Gallant"}
    scorer = CalibratedScorer("translation", [TranslationFeatures(DictTranslator(table))],
                              {"weights": {"chrf": 14.0}, "bias": -6.02})
    scorer.standard = builtin("lenient")  # the Arrow caption is a partial translation
    text = page("3 View gallery", "יואב גלנט", "מערכת חץ 3", "Israel's Arrow 3 anti-missile system",
                "Defense Minister Yoav Gallant", "(Photo: AP)")
    pairs = align_captions("t", detect(from_text(text, "t")), scorer)
    assert {(p.he, p.en, p.mt) for p in pairs} == {
        ("מערכת חץ 3", "Israel's Arrow 3 anti-missile system", "Israel's Arrow 3 missile defense system"),
        ("יואב גלנט", "Defense Minister Yoav Gallant", "Defense Minister Yoav Gallant")}
    assert {p.verdict for p in pairs if p.he == "מערכת חץ 3"} == {"P"}


def test_captions_with_the_tiny_model_end_to_end(run_cli, installed):
    env = {"ALIGN_MODELS": str(installed.path.parent)}
    r = run_cli("captions", SAMPLE, "--scorer", "translation", "--threshold", "0", env=env)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert len(rows) == 2 and all(row["mt"] for row in rows)   # nonsense, but there
    r = run_cli("captions", SAMPLE, "-o", installed.path.parent / "x.jsonl", env=env)
    meta = json.loads((installed.path.parent / "x.jsonl.meta.json").read_text())
    assert meta["scorer"] == "auto" and meta["translation_model"] == installed.name
    assert meta["translation_sha256"] == installed.model_sha256 and meta["fitted"] is True


def test_same_caption_on_many_pages_is_translated_once(installed):
    from align.linking.captions import align_batch
    from align.scoring.calibrated import translation_scorer

    scorer = translation_scorer(str(installed.path.parent))
    translator = scorer.sources[0].translator
    translator.max_decoding_length = 8
    text = page("3 View gallery", "מערכת חץ 3", "מערכת חץ 3", "Israel's Arrow 3", "(Photo: AP)")
    pages = [(f"p{i}", detect(from_text(text, f"p{i}"))) for i in range(10)]
    pairs = [p for found in align_batch(pages, scorer, threshold=0.0) for p in found]
    assert len(pairs) == 10 and translator.translated == 1


def test_corrupted_after_install_gives_a_clear_error(run_cli, installed):
    weights = installed.path / "model" / "model.bin"
    weights.write_bytes(weights.read_bytes()[:300])
    r = run_cli("translate", "-", stdin="שלום\n".encode(), env={"ALIGN_MODELS": str(installed.path.parent)})
    assert r.returncode == 1
    err = r.stderr.decode()
    assert "cannot be loaded by CTranslate2" in err and "align models verify" in err
    assert "Traceback" not in err


def test_check_with_the_tiny_model_end_to_end(run_cli, installed, tmp_path):
    corpus = tmp_path / "c.tsv"
    corpus.write_text("הוא נענש על פשעיו.\tHe was punished for his crimes.\n", encoding="utf-8")
    r = run_cli("check", corpus, env={"ALIGN_MODELS": str(installed.path.parent)})
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout.decode().splitlines()[0])
    assert row["mt"] and 0.0 <= row["translation_chrf"] <= 1.0   # nonsense MT, real plumbing


def test_documents_use_the_translation(scorer):
    from align.linking.documents import align_texts

    he = ["הוא נענש על פשעיו.", "תום הראה למרי תמונה.", "אלפי סליחות."]
    en = ["He was punished for his crimes.", "Tom showed Mary a picture.", "I'm terribly sorry."]
    fake = DictTranslator(dict(zip(he, en)))
    embed = scorer.sources[0].embedder.embed
    result = align_texts(he, en, embed, presplit=True, translator=fake)
    assert fake.calls == [he]                     # every Hebrew sentence once, in one batch
    assert [(b.he_ids, b.en_ids) for b in result.beads] == [((i,), (i,)) for i in range(3)]
    plain = align_texts(he, en, embed, presplit=True)
    # A perfect stand-in translation makes every bead's similarity higher than without it.
    assert all(t.score > p.score for t, p in zip(result.beads, plain.beads))


def test_documents_with_the_tiny_model_end_to_end(run_cli, installed, tmp_path):
    (tmp_path / "a.he").write_text("הוא נענש על פשעיו.\nתום הראה למרי תמונה.\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("He was punished for his crimes.\nTom showed Mary a picture.\n",
                                   encoding="utf-8")
    r = run_cli("documents", tmp_path / "a.he", tmp_path / "a.en", "--presplit",
                env={"ALIGN_MODELS": str(installed.path.parent)})
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.decode().splitlines()) >= 2


def test_a_model_installed_between_two_runs_in_one_process_is_used(tiny, no_installed_models, capsys):
    """A run builds its scorer afresh: one cached by an earlier run in the same process
    (before the model was installed) must not be used."""
    from align.cli import main

    assert main(["captions", str(SAMPLE), "--threshold", "0"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all("mt" not in row for row in rows)
    models.import_model(str(tiny["argos"]), str(no_installed_models))
    assert main(["captions", str(SAMPLE), "--threshold", "0"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(row.get("mt") for row in rows)


def test_translation_joins_the_calibrated_combination(scorer):
    """With a translator, chrF and the cosine of the translation's embedding with the
    English are two more features of the same calibrated model: a caption whose
    translation matches scores higher than without translation, one whose
    translation does not scores lower."""
    from align.scoring.calibrated import _build
    from align.scoring.surface import SurfaceFeatures

    he, en = ["תום הראה למרי תמונה."], ["Tom showed Mary a picture."]
    embedding = scorer.sources[0]
    good = DictTranslator({he[0]: "Tom showed Mary a picture."})
    bad = DictTranslator({he[0]: "The stock market fell sharply on Monday."})
    scores = {}
    for name, translator in (("good", good), ("bad", bad)):
        source = TranslationFeatures(translator, embedding.embedder)
        feats = source.features(he, en)
        assert set(feats) == {"chrf", "mt_cos"}
        expected = embedding.embedder.embed(translator.translate(he)) @ embedding.embedder.embed(en).T
        assert feats["mt_cos"] == pytest.approx(expected)
        combined = _build("all", [embedding, SurfaceFeatures(), source])
        assert {"chrf", "mt_cos"} <= set(combined.model["weights"])
        scores[name] = combined.score(he, en)[0, 0]
    plain = scorer.score(he, en)[0, 0]
    assert scores["bad"] < plain < scores["good"]


def test_no_translation_is_no_evidence(scorer):
    """An empty translation leaves the translation features at their centre: the
    combination then scores as the scorer without translation would."""
    from align.scoring.calibrated import _build
    from align.scoring.surface import SurfaceFeatures

    he, en = ["תום הראה למרי תמונה."], ["Tom showed Mary a picture."]
    embedding = scorer.sources[0]
    source = TranslationFeatures(DictTranslator({}), embedding.embedder)
    assert np.isnan(source.features(he, en)["chrf"]).all()
    combined = _build("all", [embedding, SurfaceFeatures(), source])
    assert combined.score(he, en)[0, 0] == pytest.approx(scorer.score(he, en)[0, 0], abs=1e-6)


def test_auto_with_the_tiny_model_reads_its_translation_as_evidence(installed):
    from align.scoring import get_scorer
    from align.scoring.translation import MT_FEATURES

    scorer = get_scorer("auto", str(installed.path.parent))
    assert scorer.layout_key == "auto" and scorer.mt_translator is not None
    assert scorer.translator is scorer.mt_translator            # the mt field, check, the report
    ev = scorer.pair_evidence(["מערכת חץ 3"], ["Israel's Arrow 3 anti-missile system"])
    assert all(0.0 <= ev[f][0] <= 1.0 for f in MT_FEATURES)     # nonsense translation, real plumbing
    assert scorer.translator.confidence(["מערכת חץ 3"])[0] < 0
    assert 0.0 <= scorer.score_pairs(["מערכת חץ 3"], ["Israel's Arrow 3 anti-missile system"])[0] <= 1.0


def test_a_translation_is_never_longer_than_three_times_its_source_and_ten(installed):
    # The tiny model has random weights: left alone it runs to the 256-token cap on
    # every input, as a poor real model did on a two-word caption.
    texts = ["שלום", "מה שלומך היום?", "הוא נענש על פשעיו הרבים בבית המשפט המחוזי בתל אביב"]
    translator = Translator(installed)
    out = translator.translate(texts)
    unbounded = translator._ct2.translate_batch([translator._tokens(t) for t in texts], beam_size=2,
                                                max_decoding_length=256)
    for text, english, free in zip(texts, out, unbounded):
        n = len(translator._encoder.encode(text))
        assert len(free.hypotheses[0]) > 3 * n + 10
        assert 0 < len(translator._decoder.encode(english)) <= 3 * n + 10


def test_batches_group_similar_lengths_and_ask_for_no_repeats(installed, monkeypatch):
    translator = Translator(installed, max_batch_tokens=64)
    translator._load()
    calls = []
    real = translator._ct2

    class Spy:
        def translate_batch(self, batch, **options):
            calls.append(([len(t) for t in batch], options))
            return real.translate_batch(batch, **options)

    translator._ct2 = Spy()
    texts = ["שלום", "בוקר טוב", "הוא נענש על פשעיו הרבים בבית המשפט המחוזי בתל אביב", "מה שלומך היום?"]
    translator.translate(texts)
    assert sum(len(lengths) for lengths, _ in calls) == 4 and len(calls) >= 2
    for lengths, options in calls:
        assert options["no_repeat_ngram_size"] == 4 and options["return_scores"]
        assert options["max_decoding_length"] <= 3 * max(lengths) + 10
        assert max(lengths) * len(lengths) <= 64 or len(lengths) == 1
    assert [min(lengths) for lengths, _ in calls] == sorted(min(lengths) for lengths, _ in calls)
    logprobs = translator.confidence(texts)
    assert all(isinstance(v, float) and v < 0 for v in logprobs)


@pytest.mark.parametrize("options, beam, compute", [([], 2, "int8"), (["--beam", "1", "--compute-type", "float32"],
                                                                     1, "float32")])
def test_beam_and_compute_type_are_options_recorded_in_the_signature(installed, tmp_path, capsys, options, beam,
                                                                    compute):
    from align.cli import main

    out = tmp_path / "pairs.jsonl"
    assert main(["captions", str(SAMPLE), "-o", str(out), "--models", str(installed.path.parent),
                 "--no-cache", *options]) == 0
    sig = json.loads((tmp_path / "pairs.jsonl.meta.json").read_text("utf-8"))
    assert (sig["beam_size"], sig["compute_type"]) == (beam, compute)
    assert "3 x source tokens + 10" in sig["decoding"]


def test_a_package_in_the_real_argos_1_5_layout_imports_verifies_and_translates_within_bounds(tiny, tmp_path,
                                                                                            capsys):
    from align.cli import main

    root = str(tmp_path / "m")
    assert main(["models", "import", str(tiny["argos15"]), "--models", root]) == 0
    assert main(["models", "verify", "--models", root, "translate-he_en-1_5"]) == 0
    assert "translate-he_en-1_5: ok" in capsys.readouterr().out
    model = models.find("translate-he_en-1_5", root)
    assert {"model/shared_vocabulary.txt", "stanza/he/tokenize/htb.pt", "README.md"} <= set(model.files)
    translator = Translator(model)
    texts = ["מערכת חץ 3", "שר הביטחון יואב גלנט נפגש עם עמיתו האמריקאי"]
    for text, english in zip(texts, translator.translate(texts)):
        assert english and len(translator._decoder.encode(english)) <= 3 * len(translator._encoder.encode(text)) + 10


# --- the translation as evidence for the standards (issue 31) ----------------------------

class SureTranslator(DictTranslator):
    """A stand-in with known outputs and a confidence (mean token log-probability)."""

    def __init__(self, table, logprob=-0.1):
        super().__init__(table)
        self.logprob = logprob

    def confidence(self, texts):
        return [self.logprob if t in self.table else None for t in texts]


@pytest.mark.parametrize("mt, en, expect", [
    ("The minister met the ambassador", "The minister met the ambassador", "agree"),
    ("The minister met the ambassador", "The minister met the ambassador at the border crossing", "en_extra"),
    ("The minister met the ambassador at the border crossing", "The minister met the ambassador", "he_extra"),
    ("Tom likes green apples very much", "The minister met the ambassador", "none"),
    ("", "The minister met the ambassador", "none"),
])
def test_translation_evidence_says_which_side_says_more(mt, en, expect):
    from align.scoring.translation import MT_FEATURES, mt_evidence

    ev = mt_evidence(mt, -0.05, en)
    if expect == "none":
        assert all(ev[f] == 0.0 for f in MT_FEATURES)
        return
    top = max(MT_FEATURES, key=lambda f: ev[f])
    assert top == {"agree": "mt_agree", "en_extra": "mt_en_extra", "he_extra": "mt_he_extra"}[expect], ev
    unsure = mt_evidence(mt, -3.0, en)
    assert all(unsure[f] < ev[f] or ev[f] == 0 for f in MT_FEATURES)   # an unsure model weighs less


HE = "השר נפגש עם השגריר במעבר הגבול"


@pytest.mark.parametrize("name", ["strict", "lenient"])
def test_the_score_follows_the_translation_and_an_unrelated_one_changes_nothing(name):
    from align.scoring import get_scorer
    from align.scoring.standard import builtin

    en = "The minister met the ambassador at the border crossing"
    scores = {}
    for case, mt in (("none", None), ("agrees", en), ("english says more", "The minister met"),
                     ("unrelated", "Tom likes green apples very much")):
        scorer = get_scorer("auto")
        scorer.standard = builtin(name)
        scorer.mt_translator = SureTranslator({HE: mt}) if mt else None
        scores[case] = float(scorer.score_pairs([HE], [en])[0])
    if name == "strict":   # the English says more: a partial pair, not a full translation
        assert scores["agrees"] >= scores["none"] > scores["english says more"], scores
    else:                  # lenient: a partial translation is a translation in part
        assert scores["agrees"] > scores["none"] and scores["english says more"] > scores["none"], scores
    assert scores["unrelated"] == scores["none"]


def test_a_calibration_learns_from_the_translation_when_a_model_is_installed():
    from align.scoring.standard import FEATURES, builtin, fit

    prior = builtin("strict")
    rows, labels = [], []
    for k in range(60):   # the translation alone tells T from P here; the rest is equal
        agree = k % 2 == 0
        row = dict.fromkeys(FEATURES, 0.0)
        row.update(partner=1.0, mt_agree=0.9 if agree else 0.3, mt_en_extra=0.0 if agree else 0.6)
        rows.append(row)
        labels.append("T" if agree else "P")
    fitted = fit(rows, labels, prior, "auto")
    assert fitted.weights["mt_agree"] >= prior.weights["mt_agree"]
    assert fitted.weights["mt_en_extra"] <= prior.weights["mt_en_extra"] <= 0
