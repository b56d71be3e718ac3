"""A reviewer's standard: ``align calibrate`` learns it from T/P/D labels, ``--calibration``
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
    """The standards of the fixture labels, strict (P is different) and lenient, with
    the labels and their evidence, fitted once through ``align calibrate``."""
    from align.review import calibration as calibration
    from align.runs.registry import Settings, scorer_for

    folder = tmp_path_factory.mktemp("cal")
    out = {}
    for partial in ("different", "translation"):
        path = folder / f"{partial}.json"
        assert main(["calibrate", str(LABELS), *map(str, PAGES), "-o", str(path), "--partial", partial]) == 0
        out[partial] = path
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
    assert "28 labels (T 12 P 8 D 8), 28 found in their pages" in err
    assert "leave-one-document-out" in err and "listing-a.html" in err and "listing-b.html" in err
    data = json.loads(out.read_text("utf-8"))
    assert data["format"] == "align-calibration" and data["partial"] == "different"
    assert set(data["weights"]) == set(S.FEATURES) and data["labels"] == {"T": 12, "P": 8, "D": 8}
    assert S.load(str(out), "auto").id == data["id"]


def test_what_p_means_moves_the_standard(standards):
    """Fitted with P as different, partial pairs score lower than when P counts as a
    translation; translations stay translations under both."""
    strict = S.load(str(standards["different"]), "auto")
    lenient = S.load(str(standards["translation"]), "auto")
    labels = standards["labels"]
    partial = [lab for lab in labels if lab.label == "P"]
    translations = [lab for lab in labels if lab.label == "T"]
    assert scores(strict, partial).mean() < scores(lenient, partial).mean() - 0.05
    assert strict.weights["en_more"] < 0 < lenient.weights["en_more"]  # "the English says more"
    assert (scores(strict, translations) >= 0.5).mean() >= 0.8


def test_captions_with_a_strict_standard_emits_fewer_partial_pairs(standards, capsys, tmp_path):
    labels = _labels_by_texts()
    before = _captions(capsys)
    after = _captions(capsys, "--calibration", str(standards["different"]))

    def kinds(rows):
        return [labels.get((r["he"], r["en"]), "?") for r in rows]

    assert "?" not in kinds(before) + kinds(after)  # every pair is one image's alt and title
    assert kinds(after).count("P") < kinds(before).count("P")
    assert kinds(after).count("T") >= kinds(before).count("T") - 1
    out = tmp_path / "pairs.jsonl"
    assert main(["captions", *map(str, PAGES), "-o", str(out), "--calibration", str(standards["different"])]) == 0
    meta = json.loads(Path(str(out) + ".meta.json").read_text("utf-8"))
    standard_id = S.load(str(standards["different"]), "auto").id
    assert meta["standard"] == standard_id and meta["standard_partial"] == "different"
    assert f"standard:{standard_id}" in meta["signature"]


def test_the_built_in_standard_is_not_in_the_signature(tmp_path):
    out = tmp_path / "pairs.jsonl"
    assert main(["captions", str(PAGES[0]), "-o", str(out)]) == 0
    meta = json.loads(Path(str(out) + ".meta.json").read_text("utf-8"))
    assert "standard" not in meta and "standard" not in meta["signature"]


def _write(path: Path, standard: S.Standard) -> Path:
    S.save(standard, str(path))
    return path


def _extreme(bias: float) -> S.Standard:
    from align.scoring.logodds import calibration_id

    return S.Standard(bias=bias, weights={"page": 0.0, "image": 0.0, "en_more": 0.0, "he_more": 0.0},
                      partial="different", scorer="auto", base=calibration_id())


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
    assert settings.standard == scorer.standard.id == S.load(str(path)).id
    _write(path, _extreme(-2.0))  # the file changes under a running job: a worker refuses it
    from align.runs.registry import scorer_for

    with pytest.raises(CalibrationError, match="changed since the run started"):
        scorer_for(settings)


def test_the_default_standard_keeps_scores_exact_outside_images():
    page_p = np.array([[0.123456789, 0.5], [1.0, 0.0]])
    evidence = {"page_p": page_p, "page": np.zeros((2, 2)), "image": np.ones((2, 2)),
                "in_image": np.array([[True, False], [False, False]]),
                "en_more": np.zeros((2, 2)), "he_more": np.zeros((2, 2))}
    out = S.DEFAULT.apply(evidence)
    assert out[0, 1] == 0.5 and out[1, 0] == 1.0 and out[1, 1] == 0.0
    assert math.isclose(out[0, 0], 1 / (1 + math.exp(-0.5)))  # half page (0), half image (1)


# --- bad inputs: one clear line each -------------------------------------------------

def _rows(n_t: int, n_p: int, n_d: int) -> list[str]:
    return [json.dumps({"he": f"כיתוב {k}", "en": f"Caption {k}", "label": label}, ensure_ascii=False)
            for k, label in enumerate(["T"] * n_t + ["P"] * n_p + ["D"] * n_d)]


@pytest.mark.parametrize("lines, message", [
    (_rows(5, 5, 5), r"15 labels; calibrate needs at least 20"),
    (_rows(25, 0, 0), r"every label is T, one class under --partial different"),
    (_rows(3, 10, 10), r"3 translations and 20 others under --partial different; calibrate needs at least 5 of each"),
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
    check_enough(labels, "different", str(path))


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
    (lambda d: {**d, "version": 99}, r"calibration format version 99, this align reads version 1"),
    (lambda d: {**d, "weights": {**d["weights"], "colour": 1.0}}, r"unknown features colour"),
    (lambda d: {**d, "weights": {k: v for k, v in d["weights"].items() if k != "image"}}, r"weights missing for image"),
    (lambda d: {**d, "bias": float("nan")}, r"bias must be a finite number, not nan"),
    (lambda d: {**d, "weights": {**d["weights"], "page": "0.5"}}, r"weight page must be a finite number"),
    (lambda d: {**d, "base_calibration": "000000000000"}, r"fitted on the scores of built-in calibration 000000000000"),
    (lambda d: {**d, "scorer": "embedding"}, r"fitted on the embedding scorer's evidence, not auto's"),
    (lambda d: {**d, "weights": {**d["weights"], "page": 0.9}}, r"do not match its id .* \(edited or damaged\)"),
    (lambda d: {**d, "partial": "sometimes"}, r"partial must be one of different, translation"),
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
