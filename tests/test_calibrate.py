"""A reviewer's standard: ``align calibrate`` learns it from T/P/D labels (starting from
the built-in strict or lenient standard, signs held, a worse fit refused), ``--calibration``
uses it in captions, check and documents (and ``calibration=`` in the API), and a file
that does not fit is a clear error, never a silent fallback.

The fixture (tests/data/review) is two listing pages in ynetnews markup written for these
tests, 28 thumbnails, and a reviewer's labels of each image's alt and title: 12 T, 8 P
(a name alone beside a name and an event, or the reverse), 8 D.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from align.cli import main
from align.errors import CalibrationError
from align.review.calibration import read_labels, scores
from align.scoring import standard as S

REVIEW = Path(__file__).parent / "data" / "review"
PAGES = sorted(REVIEW.glob("*.html"))
LABELS = REVIEW / "labels.jsonl"


@pytest.fixture(scope="module")
def standards(tmp_path_factory):
    """The standards of the fixture labels, strict (P is not a translation) and lenient
    (P is one), with the labels and their evidence, fitted once through ``align calibrate``."""
    from align.review import calibration as calibration
    from align.runs.registry import Settings, scorer_for

    folder = tmp_path_factory.mktemp("cal")
    out = {}
    for name in S.NAMES:
        path = folder / f"{name}.json"
        assert main(["calibrate", str(LABELS), *map(str, PAGES), "-o", str(path), "--standard", name]) == 0
        out[name] = path
    labels = calibration.read_labels([str(LABELS)])
    calibration.attach_evidence(labels, scorer_for(Settings(), fresh=True), list(map(str, PAGES)),
                                lambda message: pytest.fail(message))
    out["labels"] = labels
    return out


def _captions(capsys, *args):
    assert main(["captions", *map(str, PAGES), *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _labels_by_texts():
    return {(r["he"], r["en"]): r["label"] for r in map(json.loads, LABELS.read_text("utf-8").splitlines())}


def test_calibrate_finds_every_label_in_its_page_and_reports_held_out_figures(tmp_path, capsys):
    out = tmp_path / "cal.json"
    assert main(["calibrate", str(LABELS), *map(str, PAGES), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "28 labels (T 12 P 8 D 8), 28 found in their pages; strict standard" in err
    assert "leave-one-document-out" in err and "listing-a.html" in err and "listing-b.html" in err
    assert "ranking (AUC), all held out: before" in err
    data = json.loads(out.read_text("utf-8"))
    assert data["format"] == "align-calibration" and data["version"] == S.FORMAT_VERSION and data["standard"] == "strict"
    assert set(data["weights"]) == set(S.FEATURES) and data["labels"] == {"T": 12, "P": 8, "D": 8}
    assert S.load(str(out), "auto").id == data["id"]


def test_what_p_means_moves_the_standard(standards):
    """Fitted with P as not a translation, partial pairs score lower than when P counts
    as one; translations stay translations under both."""
    strict = S.load(str(standards["strict"]), "auto")
    lenient = S.load(str(standards["lenient"]), "auto")
    labels = standards["labels"]
    partial = [lab for lab in labels if lab.label == "P"]
    translations = [lab for lab in labels if lab.label == "T"]
    assert scores(strict, partial).mean() < scores(lenient, partial).mean() - 0.3
    assert (scores(strict, translations) >= 0.5).mean() >= 0.8
    assert (scores(lenient, translations) >= 0.5).mean() >= 0.8


@pytest.mark.parametrize("name", S.NAMES)
def test_a_fitted_standard_keeps_the_signs(standards, name):
    """What one side says and the other lacks never raises a score: every weight of a
    fitted standard has the sign ``SIGNS`` gives it (or is zero)."""
    fitted = S.load(str(standards[name]), "auto")
    assert all(S.SIGNS[f] * fitted.weights[f] >= 0 for f in S.FEATURES), fitted.weights
    assert fitted.name == name


def test_fitting_holds_the_signs_against_labels_that_pull_the_other_way():
    """Labels made so that more uncovered words go with translations (as the real dev
    labels pulled the old fit: en_more +) cannot give an uncovered word a positive weight."""
    rng = np.random.default_rng(0)
    X = np.zeros((200, len(S.FEATURES)))
    miss = S.FEATURES.index("en_miss")
    X[:, miss] = rng.uniform(0, 2, 200)
    y = (X[:, miss] + rng.normal(0, 0.3, 200) > 1).astype(float)  # more missed, more "translation"
    mean, precision = S.prior_of(S.builtin("strict"))
    w = S.fit_weights(X, y, mean, precision * 0.01)
    assert w[1 + miss] == 0.0
    free = S.fit_weights(X, y, np.zeros_like(mean), np.full_like(mean, 1e-6), iters=50)
    assert free[1 + miss] == 0.0  # even with no prior at all


def test_captions_with_a_strict_calibration_emits_no_more_partial_pairs(standards, capsys, tmp_path):
    labels = _labels_by_texts()
    lenient = _captions(capsys, "--standard", "lenient")
    strict = _captions(capsys, "--calibration", str(standards["strict"]))

    def kinds(rows):
        return [labels.get((r["he"], r["en"]), "?") for r in rows]

    assert "?" not in kinds(lenient) + kinds(strict)  # every pair is one image's alt and title
    assert kinds(strict).count("P") < kinds(lenient).count("P")
    assert kinds(strict).count("T") >= kinds(lenient).count("T") - 2
    out = tmp_path / "pairs.jsonl"
    assert main(["captions", *map(str, PAGES), "-o", str(out), "--calibration", str(standards["strict"])]) == 0
    meta = json.loads(Path(str(out) + ".meta.json").read_text("utf-8"))
    standard_id = S.load(str(standards["strict"]), "auto").id
    assert meta["standard"] == "strict" and meta["calibrated"] == standard_id
    assert f"standard:strict|calibrated:{standard_id}" in meta["signature"]


@pytest.mark.parametrize("args, name", [([], "strict"), (["--standard", "lenient"], "lenient")])
def test_the_built_in_standard_is_named_in_the_signature(tmp_path, args, name):
    out = tmp_path / "pairs.jsonl"
    assert main(["captions", str(PAGES[0]), "-o", str(out), *args]) == 0
    meta = json.loads(Path(str(out) + ".meta.json").read_text("utf-8"))
    assert meta["standard"] == name and "calibrated" not in meta
    assert f"|standard:{name}" in meta["signature"]


def test_a_calibration_of_the_other_standard_is_refused(standards, capsys):
    status = main(["captions", str(PAGES[0]), "--calibration", str(standards["lenient"]), "--standard", "strict"])
    assert status == 1
    assert "holds a lenient standard, not a strict one" in capsys.readouterr().err


def test_a_standard_worse_than_the_built_in_one_is_not_written(tmp_path, capsys):
    """Labels of one page that contradict what the evidence says (its full translations
    labelled D, its different pairs T) beside another page labelled as the evidence
    says: a fit on either page ranks the other worse than the built-in standard does,
    so it is refused."""
    flipped = tmp_path / "flipped.jsonl"
    rows = []
    for row in map(json.loads, LABELS.read_text("utf-8").splitlines()):
        if row["doc"].endswith("listing-a.html"):
            row["label"] = {"T": "D", "D": "T", "P": "P"}[row["label"]]
        rows.append(json.dumps(row, ensure_ascii=False))
    flipped.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "cal.json"
    assert main(["calibrate", str(flipped), *map(str, PAGES), "-o", str(out), "--standard", "lenient"]) == 2
    err = capsys.readouterr().err
    assert "not written: the standard fitted on these labels is worse than the built-in lenient one" in err
    assert "it ranks the held-out labels worse (AUC" in err and not out.exists()


def _write(path: Path, standard: S.Standard) -> Path:
    S.save(standard, str(path))
    return path


def _extreme(bias: float) -> S.Standard:
    from align.scoring.logodds import calibration_id

    return S.Standard(name="strict", bias=bias, weights=dict.fromkeys(S.FEATURES, 0.0), scorer="auto",
                      base=calibration_id())


def test_check_documents_and_the_api_follow_the_standard(tmp_path):
    """A standard that says "never" (bias -20) turns every lone pair's score to ~0, in
    check (with low_score), in document beads and in the API; "always" turns them to ~1."""
    import align

    never = _write(tmp_path / "never.json", _extreme(-20.0))
    always = _write(tmp_path / "always.json", _extreme(20.0))
    rows = [("הוא נענש על פשעיו.", "He was punished for his crimes."), ("יש לי שלושה ילדים", "I have three children")]
    plain = align.check_pairs(rows)
    assert all(it.score > 0.5 for it in plain)
    assert all(it.score < 1e-6 and "low_score" in it.flags for it in align.check_pairs(rows, calibration=never))
    assert all(it.score > 1 - 1e-6 for it in align.check_pairs(rows, calibration=always))
    beads = align.align_documents([h for h, _ in rows], [e for _, e in rows], calibration=never)
    assert beads and all(b.score < 1e-4 for b in beads)
    assert align.pair_captions(PAGES[0], calibration=never) == []
    assert len(align.pair_captions(PAGES[0], calibration=always)) >= len(align.pair_captions(PAGES[0]))


def test_check_cli_takes_a_calibration(tmp_path, capsys):
    corpus = tmp_path / "corpus.tsv"
    corpus.write_text("הוא נענש על פשעיו.\tHe was punished for his crimes.\n", encoding="utf-8")
    never = _write(tmp_path / "never.json", _extreme(-20.0))
    assert main(["check", str(corpus), "--calibration", str(never)]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["score"] == 0.0 and "low_score" in row["flags"]


def test_a_run_records_the_id_of_the_standard_it_started_with(tmp_path):
    from align.runs.registry import Settings, start_scorer

    path = _write(tmp_path / "cal.json", _extreme(-1.0))
    settings, scorer = start_scorer(Settings(calibration=str(path)))
    assert settings.calibrated == scorer.standard.id == S.load(str(path)).id
    _write(path, _extreme(-2.0))  # the file changes under a running job: a worker refuses it
    from align.runs.registry import scorer_for

    with pytest.raises(CalibrationError, match="changed since the run started"):
        scorer_for(settings)


def test_a_standard_adds_layout_unweighed():
    """Two images crossed (layout) lowers every standard's log-odds by exactly the penalty."""
    ev = {f: np.zeros((1, 2)) for f in S.FEATURES}
    ev["layout"] = np.array([[0.0, -4.0]])
    for name in S.NAMES:
        z = S.builtin(name).logits(ev)
        assert math.isclose(z[0, 0] - z[0, 1], 4.0)


# --- bad inputs: one clear line each -------------------------------------------------

def _rows(n_t: int, n_p: int, n_d: int) -> list[str]:
    return [json.dumps({"he": f"כיתוב {k}", "en": f"Caption {k}", "label": label}, ensure_ascii=False)
            for k, label in enumerate(["T"] * n_t + ["P"] * n_p + ["D"] * n_d)]


@pytest.mark.parametrize("lines, message", [
    (_rows(5, 5, 5), r"15 labels; calibrate needs at least 20"),
    (_rows(25, 0, 0), r"every label is T, one class under the strict standard"),
    (_rows(3, 10, 10), r"3 translations and 20 others under the strict standard; calibrate needs at least 5 of each"),
    (_rows(10, 10, 10)[:7] + ['{"he": "שלום", "en": "Hello", "label": "T"'] + _rows(10, 10, 10)[7:],
     r"labels.jsonl:8: not a JSON object"),
    (_rows(10, 10, 10) + ['{"he": "שלום", "en": "Hello", "label": "maybe"}'],
     r"labels.jsonl:31: label must be T, P or D"),
    (['{"he": "", "en": "Hello", "label": "T"}'] + _rows(10, 10, 10), r"labels.jsonl:1: \"he\" must be a non-empty string"),
    (['["he", "en", "T"]'] + _rows(10, 10, 10), r"labels.jsonl:1: not a JSON object"),
])
def test_labels_that_cannot_be_learnt_from(tmp_path, capsys, lines, message):
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CalibrationError, match=message):
        read_and_check(labels)
    # the command: one line, exit 1, no CAL.json left behind
    status = main(["calibrate", str(labels), "-o", str(tmp_path / "cal.json")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and not (tmp_path / "cal.json").exists()
    assert err[-1].startswith("align: error: ") and "Traceback" not in "\n".join(err)


def read_and_check(path: Path) -> None:
    from align.review.calibration import check_enough

    labels = read_labels([str(path)])
    check_enough(labels, "strict", str(path))


def test_calibrate_usage_errors(tmp_path, capsys):
    # refused before any work: exit 2, one line, no usage text (the command line is well formed)
    assert main(["calibrate", str(PAGES[0]), "-o", str(tmp_path / "cal.json")]) == 2
    err = capsys.readouterr().err
    assert "no labels file among the inputs" in err and "usage:" not in err
    taken = tmp_path / "taken.json"
    taken.write_text("{}", encoding="utf-8")
    assert main(["calibrate", str(LABELS), "-o", str(taken)]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert main(["calibrate", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "c.json")]) == 1
    assert "missing.jsonl: no such labels file" in capsys.readouterr().err
    assert main(["calibrate", str(LABELS), str(tmp_path / "nopage.html"), "-o", str(tmp_path / "c.json")]) == 1
    assert "nopage.html: no such file or folder" in capsys.readouterr().err


def test_labels_without_their_pages_are_judged_as_lone_pairs(tmp_path, capsys):
    out = tmp_path / "cal.json"
    assert main(["calibrate", str(LABELS), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "no pages given: every label is judged as a lone pair" in err
    assert "0 found in their pages" in err and S.load(str(out), "auto")
    assert main(["calibrate", str(LABELS), str(PAGES[0]), "-o", str(out), "--force"]) == 0
    err = capsys.readouterr().err
    assert "14 of 28 labels were not found in the pages given" in err and "labels.jsonl:15" in err


def _good(tmp_path) -> dict:
    path = _write(tmp_path / "good.json", _extreme(-1.0))
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("change, message", [
    (lambda d: "not json at all", r"not a calibration file \(not valid JSON"),
    (lambda d: {**d, "format": "something-else"}, r"not a calibration file \(no \"format\""),
    (lambda d: {**d, "version": 1}, r"calibration format version 1, this align reads version 3; calibrate again"),
    (lambda d: {**d, "weights": {**d["weights"], "colour": 1.0}}, r"unknown features colour"),
    (lambda d: {**d, "weights": {k: v for k, v in d["weights"].items() if k != "full"}}, r"weights missing for full"),
    (lambda d: {**d, "bias": float("nan")}, r"bias must be a finite number, not nan"),
    (lambda d: {**d, "weights": {**d["weights"], "partner": "0.5"}}, r"weight partner must be a finite number"),
    (lambda d: {**d, "weights": {**d["weights"], "en_miss": 0.5}}, r"weight en_miss has the wrong sign"),
    (lambda d: {**d, "base_calibration": "000000000000"}, r"fitted on the scores of built-in calibration 000000000000"),
    (lambda d: {**d, "scorer": "embedding"}, r"fitted on the embedding scorer's evidence, not auto's"),
    (lambda d: {**d, "weights": {**d["weights"], "partner": 0.9}}, r"do not match its id .* \(edited or damaged\)"),
    (lambda d: {**d, "standard": "sometimes"}, r"standard must be one of strict, lenient"),
])
def test_a_calibration_that_does_not_fit_is_refused(tmp_path, capsys, change, message):
    data = change(_good(tmp_path))
    bad = tmp_path / "bad.json"
    bad.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    with pytest.raises(CalibrationError, match=message):
        S.load(str(bad), "auto")
    status = main(["captions", str(PAGES[0]), "--calibration", str(bad)])
    captured = capsys.readouterr()
    assert status == 1 and captured.out == ""  # nothing written with another standard
    assert captured.err.strip().startswith(f"align: error: {bad}:")


@pytest.mark.parametrize("make, message", [
    (lambda p: p, r"no such calibration file"),
    (lambda p: p.mkdir() or p, r"is a folder; give the CAL.json file"),
])
def test_a_missing_calibration_is_named(tmp_path, capsys, make, message):
    path = make(tmp_path / "cal.json")
    with pytest.raises(CalibrationError, match=message):
        S.load(str(path))
    # the command line says so before any work, naming its option (issue 22)
    assert main(["check", str(LABELS), "--calibration", str(path)]) == 2
    assert f"--calibration {path}: " in capsys.readouterr().err


def test_labels_of_one_pair_on_two_rows_count_once_and_calibrate_says_so(tmp_path):
    rows = [{"he": "מליאת הכנסת", "en": "The Knesset plenum", "label": "P", "doc": "a.html", "image": "1.jpg"},
            {"he": "מליאת הכנסת", "en": "The Knesset plenum", "label": "P", "doc": "a.html", "image": "2.jpg"},
            {"he": "יואב גלנט", "en": "Yoav Gallant", "label": "T", "doc": "a.html"},
            {"he": "יואב גלנט", "en": "Yoav Gallant", "label": "D", "doc": "a.html"},
            {"he": "יואב גלנט", "en": "Yoav Gallant", "label": "T", "doc": "b.html"}]
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    said: list[str] = []
    labels = read_labels([str(path)], said.append)
    assert [(lab.doc, lab.en, lab.label) for lab in labels] == [
        ("a.html", "The Knesset plenum", "P"), ("a.html", "Yoav Gallant", "D"), ("b.html", "Yoav Gallant", "T")]
    assert len(said) == 1
    assert said[0].startswith("2 label rows repeat a pair labelled before (same page and texts) and count once: "
                              "3 labels from 5 rows; 1 of them disagree and the last is kept: ")
    assert f"{path}:3 T and {path}:4 D" in said[0]
