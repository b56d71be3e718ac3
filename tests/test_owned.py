"""Never destroy a file align did not write: outputs that clash with each other or with
an input are refused before any work, ``--force`` replaces only align's own files and
folders, and a failed write keeps the journal it names."""
from __future__ import annotations

import json
import os
from pathlib import Path

import collisions
import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align.cli import main
from align.owned import Output, check_plan, foreign_entry, same, why_not_ours
from align.records import Pair

PAGE = DATA / "html" / "news-gallery.html"
NOTES = "my notes: do not lose\n"


snapshot = collisions.snapshot


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A scratch folder as a user has one: a page, notes, a subfolder with notes, a
    corpus of their own; the current folder is ``work`` inside ``outer`` (so that
    ``..`` is a folder of the test too), and HOME is ``outer/home``."""
    outer = tmp_path / "outer"
    work = outer / "work"
    collisions.make_tree(work)
    (outer / "home").mkdir()
    (outer / "sentinel.txt").write_text(NOTES)
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(outer / "home"))
    return outer


def pair(n: int = 1) -> list[Pair]:
    return [Pair(doc="d", he=f"שלום {i}", en=f"hello {i}", score=0.9) for i in range(n)]


# --- whose file is it -----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "tmx", "moses", "parquet", "hf"])
def test_every_format_align_writes_is_known_as_its_own(tmp_path, fmt):
    from align.formats import WRITERS
    from align.formats.output import output_paths

    path = str(tmp_path / f"out.{fmt}")
    WRITERS[fmt](pair(3), path, {"tool": "align", "version": "0"})
    for written in output_paths(fmt, path):
        assert why_not_ours(written) is None, written


def test_reports_calibrations_journals_and_locks_are_align_s(tmp_path):
    from align.review.report import render_captions
    from align.runs.journal import Journal, run_lock

    report = tmp_path / "r.html"
    report.write_text(render_captions([], {"tool": "align"}, "a report"), encoding="utf-8")
    journal = Journal(str(tmp_path / "out.jsonl"))
    journal.start({"format": "jsonl"})
    journal.close()
    with run_lock(str(tmp_path / "x.jsonl")):
        lock = tmp_path / "x.jsonl.lock"
        assert why_not_ours(str(lock)) is None
    for path in (report, journal.partial, journal.progress):
        assert why_not_ours(str(path)) is None, path


@pytest.mark.parametrize("name, content", [
    ("notes.txt", NOTES),
    ("page.html", "<!DOCTYPE html><html><head><title>My page</title></head></html>"),
    ("data.json", '{"he": 1}\n{"x": 2}\n'),
    ("config.json", '{"tool": "other"}'),
    ("table.tsv", "a\tb\tc\n"),
    ("memory.tmx", '<?xml version="1.0"?><tmx><header creationtool="OmegaT"/></tmx>'),
    ("words.he", "שלום\n"),
])
def test_a_file_align_did_not_write_is_not_its_own(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert why_not_ours(str(path))


@pytest.mark.parametrize("name, content", [
    ("corpus.tsv", "שלום\thello\t0.9\n"),                                   # the shape align writes
    ("labels.jsonl", '{"he": "שלום", "en": "hello", "label": "T", "doc": "p"}\n'),  # a review's export
    ("pairs.jsonl", '{"doc": "p", "he": "שלום", "en": "hello", "score": 0.9}\n'),
    ("beads.txt", "[0]:[0]:0.9000\n"),
])
def test_a_corpus_of_the_shape_align_writes_is_align_s_only_beside_its_signature(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert "no signature of align's" in why_not_ours(str(path))
    Path(str(path) + ".meta.json").write_text(json.dumps({"tool": "align", "version": "0"}))
    assert why_not_ours(str(path)) is None


def test_a_journal_is_align_s_beside_its_manifest(tmp_path):
    partial = tmp_path / "out.jsonl.partial"
    partial.write_text('{"he": "a", "en": "b"}\n')
    assert why_not_ours(str(partial))
    (tmp_path / "out.jsonl.progress").write_text('{"align_run": 1}\n')
    assert why_not_ours(str(partial)) is None


def test_a_parquet_file_of_another_tool_is_not_align_s(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"he": ["א"], "en": ["a"]}), tmp_path / "other.parquet")
    assert why_not_ours(str(tmp_path / "other.parquet")) == "a Parquet file without align's signature"


def test_a_dataset_folder_names_its_first_foreign_entry(tmp_path):
    from align.formats import WRITERS

    ds = tmp_path / "ds"
    WRITERS["hf"](pair(2), str(ds), {"tool": "align"})
    assert foreign_entry(str(ds)) is None
    (ds / "data" / "extra.parquet").write_bytes(b"PAR1")
    assert foreign_entry(str(ds)) == str(ds / "data" / "extra.parquet")
    (ds / "a-notes.txt").write_text(NOTES)
    assert foreign_entry(str(ds)) == str(ds / "a-notes.txt")


def test_names_of_one_file_are_the_same_on_a_case_folding_file_system(tmp_path, monkeypatch):
    import align.owned

    assert not same(str(tmp_path / "Out.jsonl"), str(tmp_path / "out.jsonl"))
    monkeypatch.setattr(align.owned, "_folds_case", lambda folder: True)
    assert same(str(tmp_path / "Out.jsonl"), str(tmp_path / "out.jsonl"))
    assert same(str(tmp_path / "a" / ".." / "x"), str(tmp_path / "x"))


def test_a_hard_link_is_the_file_it_links(tmp_path):
    (tmp_path / "a.tsv").write_text("x")
    os.link(tmp_path / "a.tsv", tmp_path / "b.tsv")
    with pytest.raises(Exception, match="is the input"):
        check_plan([Output("-o", str(tmp_path / "b.tsv"))], [str(tmp_path / "a.tsv")], force=True)


# --- the command line: clashes ----------------------------------------------------------

CLASHES = [
    # (command line, the two things the message names)
    ("captions p.html -o r.jsonl --report r.jsonl", ("-o r.jsonl", "--report r.jsonl")),
    ("captions p.html -o r.jsonl --report r.jsonl.meta.json", ("-o r.jsonl", "--report")),
    ("captions p.html -o r.jsonl --report r.jsonl.partial", ("journal", "--report")),
    ("captions p.html -o r.jsonl --report r.jsonl.progress", ("manifest", "--report")),
    ("captions p.html -f moses -o c --report c.en", ("-o c", "--report c.en")),
    ("captions p.html -f hf -o ds --report ds/r.html", ("--report ds/r.html", "-o ds")),
    ("captions p.html -f jsonl -o p.html --force", ("-o p.html", "input p.html")),
    ("captions p.html -f jsonl -o ./sub/../p.html --force", ("-o ./sub/../p.html", "input p.html")),
    ("captions p.html --report p.html --force", ("--report p.html", "input p.html")),
    ("captions . -f tsv -o notes.txt --force", ("-o notes.txt", "input")),
    ("captions p.html -f hf -o . --force", ("-o .", "the current folder")),
    ("captions sub/notes.txt -f hf -o sub --force", ("-o sub", "input sub/notes.txt")),
    ("captions p.html -o link.jsonl --force", ("-o link.jsonl", "input p.html")),
    ("check mine.tsv -o x.jsonl --report x.jsonl", ("-o x.jsonl", "--report x.jsonl")),
    ("check mine.tsv -o x.jsonl --keep x.jsonl", ("-o x.jsonl", "--keep x.jsonl")),
    ("check mine.tsv --report k.tsv.meta.json --keep k.tsv", ("--report", "--keep k.tsv")),
    ("check mine.tsv --keep mine.tsv --force", ("--keep mine.tsv", "input mine.tsv")),
    ("check mine.tsv -o mine.tsv --force", ("-o mine.tsv", "input mine.tsv")),
    ("check mine.tsv --keep . --keep-format hf --force", ("--keep .", "the current folder")),
    ("documents article.txt notes.txt -f jsonl -o notes.txt --force", ("-o notes.txt", "input notes.txt")),
    ("calibrate labels.jsonl p.html -o labels.jsonl --force", ("-o labels.jsonl", "input labels.jsonl")),
]


@pytest.mark.parametrize("line, named", CLASHES, ids=[c[0] for c in CLASHES])
def test_outputs_that_clash_are_refused_before_any_work(tree, capsys, line, named):
    os.symlink("p.html", "link.jsonl")
    Path("labels.jsonl").write_text(json.dumps({"he": "א", "en": "a", "label": "T", "doc": "p.html"}) + "\n")
    before = snapshot(tree)
    assert main(line.split()) == 2
    err = capsys.readouterr().err
    for words in named:
        assert words in err, err
    assert snapshot(tree) == before


@pytest.mark.parametrize("label, argv", collisions.cases(), ids=[c[0] for c in collisions.cases()])
def test_every_clash_of_two_outputs_or_an_output_and_an_input_is_refused(tmp_path, monkeypatch, capsys,
                                                                          label, argv):
    work = tmp_path / "work"
    collisions.make_tree(work)
    monkeypatch.chdir(work)
    before = collisions.snapshot(tmp_path)
    assert main([a.format(work=work) for a in argv]) == 2, label
    err = capsys.readouterr().err
    assert "usage:" not in err and err.count("\n") == 1, err
    if " / " in label:  # two options: the message names both
        first, second = label.split(" / ")
        assert first.split()[1] in err and second.split()[0] in err, err
    assert collisions.snapshot(tmp_path) == before


@pytest.mark.parametrize("where, why", [
    ("..", "a folder above the current one"),
    ("~", "your home folder"),
    ("/", "the root folder"),
])
def test_a_dataset_folder_never_replaces_a_folder_above_or_home(tree, capsys, where, why):
    target = os.path.expanduser(where)
    before = snapshot(tree)
    assert main(["captions", "p.html", "-f", "hf", "-o", target, "--force"]) == 2
    assert why in capsys.readouterr().err
    assert snapshot(tree) == before


# --- the command line: --force --------------------------------------------------------

def test_force_refuses_a_dataset_folder_holding_a_file_of_the_user(tree, capsys):
    Path("ds2").mkdir()
    Path("ds2/notes.txt").write_text(NOTES)
    before = snapshot(tree)
    assert main(["captions", "p.html", "-f", "hf", "-o", "ds2", "--force"]) == 2
    err = capsys.readouterr().err
    assert "ds2/notes.txt" in err and "align did not write" in err
    assert snapshot(tree) == before


@pytest.mark.parametrize("option", ["-o", "--report"])
def test_force_refuses_a_file_of_the_user(tree, capsys, option):
    before = snapshot(tree)
    argv = ["captions", "p.html", "-f", "jsonl", option, "notes.txt", "--force"]
    assert main(argv) == 2
    assert "not a file align writes" in capsys.readouterr().err
    assert snapshot(tree) == before


@pytest.mark.parametrize("end", [".partial", ".progress", ".lock", ".meta.json"])
def test_a_file_of_the_user_beside_the_output_is_never_replaced(tree, capsys, end):
    Path("out.jsonl" + end).write_text(NOTES)
    before = snapshot(tree)
    assert main(["captions", "p.html", "-o", "out.jsonl", "--force"]) == 2
    assert f"out.jsonl{end}" in capsys.readouterr().err
    assert snapshot(tree) == before


def test_a_moses_pair_s_signature_does_not_sign_a_file_named_as_its_prefix(tree, capsys):
    # found by the property test below: PREFIX.meta.json signs PREFIX.he and PREFIX.en, not PREFIX
    assert main(["check", "mine.tsv", "-q", "--keep", "notes.txt", "--keep-format", "moses"]) == 0
    assert Path("notes.txt.he").exists() and Path("notes.txt.meta.json").exists()
    assert main(["check", "mine.tsv", "-q", "--report", "notes.txt", "--force"]) == 2
    assert "no signature of align's" in capsys.readouterr().err
    assert Path("notes.txt").read_text() == NOTES
    assert main(["check", "mine.tsv", "-q", "--keep", "notes.txt", "--keep-format", "moses", "--force"]) == 0


def test_force_replaces_what_align_wrote(tree, capsys):
    for argv in (["captions", "p.html", "-f", "hf", "-o", "ds/"], ["captions", "p.html", "-o", "out.jsonl"],
                 ["check", "mine.tsv", "--keep", "kept.tsv", "--report", "r.html", "-q"]):
        assert main(argv) in (0, 3)
        before = snapshot(tree)
        assert main([*argv, "--force"]) in (0, 3)
        assert snapshot(tree) == before  # the same output again, in place of the first
    assert os.path.isdir("ds/data") and not os.path.exists("ds.partial") and not os.path.exists("ds/.partial")
    assert Path("notes.txt").read_text() == NOTES


# --- a failed write keeps what it says it kept ------------------------------------------

@pytest.mark.parametrize("fmt, out", [("jsonl", "out.jsonl"), ("hf", "ds")])
def test_a_failed_write_keeps_the_journal_it_names(tree, capsys, monkeypatch, fmt, out):
    import errno

    import align.formats

    def full(pairs, path, signature):
        list(pairs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(align.formats.WRITERS, fmt, full)
    assert main(["captions", "p.html", "-f", fmt, "-o", out]) == 1
    err = capsys.readouterr().err
    assert f"kept in {out}.partial" in err
    rows = Path(out + ".partial").read_text("utf-8").splitlines()
    assert rows and all({"he", "en"} <= json.loads(r).keys() for r in rows)
    assert Path("notes.txt").read_text() == NOTES and Path("p.html").exists()


# --- any combination ------------------------------------------------------------------

@settings(max_examples=200, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(runs=st.tuples(collisions.any_command(), collisions.any_command()))
def test_no_file_align_did_not_write_is_ever_changed(tmp_path_factory, monkeypatch, runs):
    root = tmp_path_factory.mktemp("any")
    assert collisions.changed_by(root, runs, monkeypatch.chdir) == [], runs
