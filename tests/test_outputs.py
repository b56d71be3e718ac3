"""Output files that open everywhere (issue 34): one row a format cannot carry never
sinks a corpus, and line-based files split only where a row ends."""
from __future__ import annotations

import json

import pytest

from align.cli import main
from align.formats import WRITERS, read_corpus
from align.formats.output import RowsSkipped
from align.records import Pair

SIG = {"tool": "align", "version": "test"}


def pairs(bad_he: str) -> list[Pair]:
    return [Pair(doc="d", he="שלום", en="hello", score=0.9), Pair(doc="d", he=bad_he, en="bad", score=0.9),
            Pair(doc="d", he="תודה", en="thanks", score=0.9)]


@pytest.mark.parametrize("fmt, bad", [(f, c) for f in ("tsv", "moses") for c in
                                      ("א\tב", "א\nב", "א\rב", "א\x0bב", "א\x0cב", "א\x1cב", "א\x85ב", "א\u2028ב",
                                       "א\u2029ב")] + [("tmx", "א\uffffב"), ("tmx", "א\x01ב")])
def test_a_row_a_format_cannot_carry_is_named_and_the_rest_written(tmp_path, fmt, bad):
    path = str(tmp_path / ("c" if fmt == "moses" else f"c.{fmt}"))
    with pytest.raises(RowsSkipped, match=r"1 pair not written.*pair 2 \(from d\).*the other 2 are written"):
        WRITERS[fmt](pairs(bad), path, SIG)
    assert [(p.he, p.en) for p in read_corpus(path)[1]] == [("שלום", "hello"), ("תודה", "thanks")]
    if fmt != "tmx":
        for name in ([path + ".he", path + ".en"] if fmt == "moses" else [path]):
            assert len(open(name, encoding="utf-8").read().splitlines()) == 2


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_jsonl_escapes_unicode_line_separators(tmp_path, separator):
    path = str(tmp_path / "c.jsonl")
    assert WRITERS["jsonl"](pairs(f"א{separator}ב"), path, SIG) == 3
    text = open(path, encoding="utf-8").read()
    assert len(text.splitlines()) == 3 and separator not in text
    assert read_corpus(path)[1][1].he == f"א{separator}ב"


def test_a_caption_wrapped_over_two_source_lines_is_one_row(tmp_path, capsys):
    page = tmp_path / "wrap.html"
    page.write_text('<html><body><figure><img src="a.jpg" alt="הכנסת במהלך ההצבעה על התקציב">'
                    "<figcaption>The Knesset during\n  the vote on the budget</figcaption></figure></body></html>",
                    encoding="utf-8")
    for fmt in ("tsv", "moses"):
        out = tmp_path / f"out-{fmt}"
        assert main(["captions", str(page), "-f", fmt, "-o", str(out), "--standard", "lenient"]) == 0
    rows = (tmp_path / "out-tsv").read_text("utf-8").splitlines()
    assert rows == ["הכנסת במהלך ההצבעה על התקציב\tThe Knesset during the vote on the budget\t1.0"]
    assert (tmp_path / "out-moses.en").read_text("utf-8") == "The Knesset during the vote on the budget\n"


def test_check_keep_names_the_row_it_cannot_write_and_keeps_the_rest(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"he": he, "en": en}, ensure_ascii=False) + "\n" for he, en in
                              [("יואב גלנט", "Yoav Gallant"), ("יואב\u2028גלנט", "Yoav Gallant"),
                               ("בנימין נתניהו", "Benjamin Netanyahu")]), encoding="utf-8")
    status = main(["check", str(corpus), "-q", "--keep", str(tmp_path / "kept.tsv")])
    err = capsys.readouterr().err
    assert status == 1 and "1 pair not written, which tsv cannot carry" in err
    assert len((tmp_path / "kept.tsv").read_text("utf-8").splitlines()) == 2


@pytest.mark.parametrize("name", ["corpus", "corpus.he", "corpus.en"])
def test_a_moses_output_named_by_either_side_is_the_pair(tmp_path, name):
    from conftest import SAMPLE

    assert main(["captions", str(SAMPLE), "-f", "moses", "-o", str(tmp_path / name), "--standard", "lenient"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.en", "corpus.he", "corpus.meta.json"]


def test_check_keeps_no_pair_without_words(tmp_path, capsys):
    corpus = tmp_path / "c.tsv"
    corpus.write_text("...!?\t...!?\t1.0\nיואב גלנט\tYoav Gallant\t0.9\n", encoding="utf-8")
    assert main(["check", str(corpus), "-q", "--keep", str(tmp_path / "kept.tsv")]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["flags"] == ["no_words"] and not rows[1]["flags"]
    kept = (tmp_path / "kept.tsv").read_text("utf-8").splitlines()
    assert kept == ["יואב גלנט\tYoav Gallant\t" + str(rows[1]["score"])]


# --- every input fails: nothing is left behind, and the rerun is not refused ---------------

@pytest.mark.parametrize("fmt, name, files", [
    ("tsv", "out.tsv", ["out.tsv", "out.tsv.meta.json"]), ("jsonl", "out.jsonl", ["out.jsonl"]),
    ("moses", "c", ["c.he", "c.en", "c.meta.json"]), ("hf", "ds", ["ds"]), ("tmx", "o.tmx", ["o.tmx"]),
])
def test_a_run_whose_inputs_all_fail_leaves_no_output(tmp_path, monkeypatch, capsys, fmt, name, files):
    monkeypatch.chdir(tmp_path)
    for bad in ("a.txt", "b.txt"):
        (tmp_path / bad).write_bytes(b"\x00\x01binary\x00")
    assert main(["captions", "a.txt", "b.txt", "-f", fmt, "-o", name]) == 1
    err = capsys.readouterr().err
    assert f"no input could be read: nothing written to {name}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]  # no output, sidecar or journal
    (tmp_path / "a.txt").write_text("שלום עולם\nHello world\n", encoding="utf-8")
    assert main(["captions", "a.txt", "b.txt", "-f", fmt, "-o", name]) == 1  # not "already exists"
    assert all((tmp_path / f).exists() for f in files)


def test_a_run_whose_inputs_all_fail_keeps_an_earlier_output(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_text("הכנסת במהלך ההצבעה\nThe Knesset during the vote\n", encoding="utf-8")
    assert main(["captions", "good.txt", "-o", "out.tsv", "--standard", "lenient"]) == 0
    before = (tmp_path / "out.tsv").read_bytes()
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    assert main(["captions", "bad.txt", "-o", "out.tsv", "--force"]) == 1
    assert (tmp_path / "out.tsv").read_bytes() == before


def test_documents_whose_pairs_all_fail_leave_no_output(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for stem in ("x", "y"):
        (tmp_path / f"{stem}.he").write_bytes(b"\x00\x01")
        (tmp_path / f"{stem}.en").write_text("Hello.\n", encoding="utf-8")
    assert main(["documents", "x", "y", "-o", "b.jsonl"]) == 1
    assert "nothing written to b.jsonl" in capsys.readouterr().err
    assert not any(p.name.startswith("b.jsonl") for p in tmp_path.iterdir())


def test_check_of_a_corpus_with_no_readable_row_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.tsv").write_text("one column only\n", encoding="utf-8")
    assert main(["check", "bad.tsv", "-o", "a.jsonl", "--keep", "k.tsv", "--report", "r.html"]) == 1
    assert "no row of bad.tsv could be read: nothing written" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tsv"]


# --- an empty result is still a valid file ---------------------------------------------------

@pytest.mark.parametrize("fmt, name", [("jsonl", "e.jsonl"), ("tsv", "e.tsv"), ("tmx", "e.tmx"), ("moses", "e"),
                                       ("parquet", "e.parquet"), ("hf", "eds")])
def test_no_pairs_is_a_valid_empty_corpus_in_every_format(tmp_path, fmt, name):
    path = str(tmp_path / name)
    assert WRITERS[fmt]([], path, SIG) == 0
    assert read_corpus(path)[1] == []


def test_an_hf_folder_of_no_pairs_says_datasets_cannot_open_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "he.txt").write_text("שלום עולם\n", encoding="utf-8")  # Hebrew only: no pair
    assert main(["captions", "he.txt", "-f", "hf", "-o", "ds"]) == 4
    err = capsys.readouterr().err
    assert "-o ds: no pairs" in err and "datasets.load_dataset cannot open" in err and "exit status 4" in err
    assert "This folder holds no pairs" in (tmp_path / "ds" / "README.md").read_text("utf-8")
    import pyarrow.parquet as pq

    table = pq.read_table(str(tmp_path / "ds" / "data"))
    assert table.num_rows == 0 and "translation" in table.column_names
    assert main(["captions", "he.txt", "-f", "tsv", "-o", "e.tsv"]) == 0  # other formats: an empty file, exit 0
    assert (tmp_path / "e.tsv").read_bytes() == b""


@pytest.mark.slow
def test_an_hf_folder_rewritten_loads_its_new_rows_not_a_cached_copy(tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    for k, (folder, text) in enumerate([("a", "first"), ("b", "second"), ("a", "third")]):
        (tmp_path / folder).mkdir(exist_ok=True)
        path = str(tmp_path / folder / "ds")
        WRITERS["hf"]([Pair(doc="d", he="שלום", en=text, score=0.9)], path, SIG)
        ds = datasets.load_dataset(path, split="train", cache_dir=str(tmp_path / "cache"))
        assert ds["en"][:] == [text], k  # a card declaring configs made datasets serve the first one again


# --- eval reads every format and compares text as align normalises it ------------------------

GOLD = [("גלנט בוושינגטון", "Gallant in Washington"), ('צה"ל יירט רקטה', '"Iron Dome" intercepts a rocket')]


@pytest.mark.parametrize("fmt, name", [("tsv", "p.tsv"), ("tmx", "p.tmx"), ("moses", "p"), ("parquet", "p.parquet"),
                                       ("hf", "pds"), ("jsonl", "p.jsonl"), ("tsv", "p.tsv.gz")])
def test_eval_reads_every_format_align_writes(tmp_path, capsys, fmt, name):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"doc": "page.html", "he": f"\u200f{he}\u00a0", "en": en.replace(" ", "  ")},
                                       ensure_ascii=False) + "\n" for he, en in GOLD), encoding="utf-8")
    pred = str(tmp_path / name)
    WRITERS[fmt]([Pair(doc="pages/page.html", he=he, en=en, score=0.9) for he, en in GOLD[:1]], pred, SIG)
    assert main(["eval", str(gold), pred]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["pairs"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert scores["compared_by"] == ("text" if fmt in ("tsv", "moses") else "document and text")


# --- documents: a threshold, marked beads, and file lines ------------------------------------

def _docs(tmp_path):
    (tmp_path / "a.he").write_text("זה ספר.\n\nאני אוהב קפה. הוא הולך הביתה.\nטום זחל למיטה ממש לפני חצות.\n",
                                   encoding="utf-8")
    (tmp_path / "a.en").write_text("This is a book.\nI love coffee.\n\nHe goes home.\n"
                                   "There's a spider inside the tent.\n", encoding="utf-8")
    return str(tmp_path / "a.he"), str(tmp_path / "a.en")


def test_documents_report_file_lines_and_sentence_indices_apart(tmp_path, capsys):
    he, en = _docs(tmp_path)
    assert main(["documents", he, en]) == 0
    beads = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    coffee = next(b for b in beads if b["en"] == "I love coffee.")
    home = next(b for b in beads if b["en"] == "He goes home.")
    assert (coffee["he_ids"], coffee["he_lines"], coffee["en_ids"], coffee["en_lines"]) == ([1], [3], [1], [2])
    assert (home["he_ids"], home["he_lines"], home["en_ids"], home["en_lines"]) == ([2], [3], [2], [4])
    assert main(["documents", he, en, "-f", "hf", "-o", str(tmp_path / "ds"), "--threshold", "0"]) == 0
    from align.formats.parquet import read_hf

    pair = next(p for p in read_hf(str(tmp_path / "ds")) if p.en == "He goes home.")
    assert (pair.he_line, pair.en_line, pair.he_lines, pair.en_lines) == (3, 4, [3], [4])


@pytest.mark.parametrize("threshold", [None, "0", "0.9"])
def test_documents_threshold_keeps_low_beads_out_of_corpora_and_marks_them_in_beads(tmp_path, capsys, threshold):
    from align.linking.documents import DEFAULT_MIN_SCORE

    he, en = _docs(tmp_path)
    given = [] if threshold is None else ["--threshold", threshold]
    cut = DEFAULT_MIN_SCORE if threshold is None else float(threshold)
    assert main(["documents", he, en, "-o", str(tmp_path / "b.jsonl"), *given]) == 0
    beads = [json.loads(line) for line in (tmp_path / "b.jsonl").read_text("utf-8").splitlines()]
    two_sided = [b for b in beads if b["he_ids"] and b["en_ids"]]
    assert {b["en"] for b in two_sided if b.get("below_threshold")} == {b["en"] for b in two_sided
                                                                         if b["score"] < cut}
    assert main(["documents", he, en, "-f", "moses", "-o", str(tmp_path / "c"), *given]) == 0
    written = (tmp_path / "c.en").read_text("utf-8").splitlines()
    assert written == [b["en"] for b in two_sided if b["score"] >= cut]
    meta = json.loads((tmp_path / "c.meta.json").read_text("utf-8"))
    assert meta["threshold"] == cut and f"threshold:{cut}" in meta["signature"]
    if threshold == "0.9":
        assert len(written) < len(two_sided)  # some bead is under 0.9 here


def test_documents_min_score_is_the_threshold(tmp_path, capsys):
    he, en = _docs(tmp_path)
    assert main(["documents", he, en, "-f", "tsv", "--min-score", "0.99"]) == 0
    assert capsys.readouterr().out == ""
    with pytest.raises(SystemExit):
        main(["documents", he, en, "--threshold", "2"])


# --- the encoding a document was read with, in documents and detect too ----------------------

def test_documents_beads_say_what_their_files_were_read_as(tmp_path, capsys):
    he, en = _docs(tmp_path)
    (tmp_path / "a.he").write_bytes((tmp_path / "a.he").read_text("utf-8").encode("cp1255"))
    assert main(["documents", he, en]) == 0
    beads = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {b["encoding"] for b in beads} == {"windows-1255+utf-8"}
    assert main(["documents", he, en, "-f", "hf", "-o", str(tmp_path / "ds"), "--threshold", "0"]) == 0
    from align.formats.parquet import read_hf

    assert {p.encoding for p in read_hf(str(tmp_path / "ds"))} == {"windows-1255+utf-8"}
    (tmp_path / "b.he").write_text((tmp_path / "a.he").read_bytes().decode("cp1255"), encoding="utf-8")
    assert main(["documents", str(tmp_path / "b.he"), en, "-f", "jsonl"]) == 0  # one encoding: said once
    assert {json.loads(line)["encoding"] for line in capsys.readouterr().out.splitlines()} == {"utf-8"}


def test_detect_rows_say_what_their_document_was_read_as(tmp_path, capsys):
    page = tmp_path / "p.txt"
    page.write_bytes("שלום עולם\nHello world\n".encode("cp1255"))
    assert main(["detect", str(page)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and {r["encoding"] for r in rows} == {"windows-1255"}


def test_eval_reads_a_corpus_in_the_encoding_given(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"  # --encoding reads every input in it: both files here
    gold.write_bytes((json.dumps({"he": "שלום", "en": "hello"}, ensure_ascii=False) + "\n").encode("cp1255"))
    pred = tmp_path / "p.tsv"
    pred.write_bytes("שלום\thello\t0.9\n".encode("cp1255"))
    assert main(["eval", str(gold), str(pred), "--encoding", "windows-1255"]) == 0
    assert json.loads(capsys.readouterr().out)["pairs"]["f1"] == 1.0
