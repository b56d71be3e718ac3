"""What a new user met in their first hour (issue 22), each pinned: kept pairs carry the
check's scores, every writer picks its format one way, a closed pipe is a quiet end,
paths and text are told apart, errors name the option and the file, UTF-16 is named,
and progress is drawn only on a terminal."""
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE

import align
from align.cli import main

ROOT = Path(__file__).resolve().parent.parent
TATOEBA = Path(__file__).parent / "data" / "tatoeba-400.tsv"
GOOD = [("הוא נענש על פשעיו.", "He was punished for his crimes."),
        ("שר הביטחון יואב גלנט", "Defense Minister Yoav Gallant")]
BAD = ("שלום", "Goodbye forever my friend, and thanks for all the fish")


@pytest.fixture
def corpus(tmp_path):
    """A TSV corpus of two good pairs (with score 0.0 in the file) and a bad one."""
    path = tmp_path / "bad.tsv"
    path.write_text("".join(f"{he}\t{en}\t0.0\n" for he, en in [*GOOD, BAD]), encoding="utf-8")
    return path


def _annotated(capsys) -> dict[str, float]:
    return {row["en"]: row["score"] for row in map(json.loads, capsys.readouterr().out.splitlines())}


@pytest.mark.parametrize("name, fmt", [("clean.tsv", "tsv"), ("k.jsonl", "jsonl"), ("k.tmx", "tmx"),
                                       ("k.parquet", "parquet"), ("k.tsv.gz", "tsv")])
def test_keep_writes_the_checks_scores_in_the_format_its_name_says(corpus, tmp_path, capsys, name, fmt):
    from align.formats import READERS

    keep = tmp_path / "out" / name
    keep.parent.mkdir()
    assert main(["check", str(corpus), "--keep", str(keep)]) == 0
    scores = _annotated(capsys)
    kept = READERS[fmt](str(keep))
    assert [(p.he, p.en) for p in kept] == GOOD
    for pair in kept:
        assert pair.score == pytest.approx(scores[pair.en], abs=1e-4) and pair.score > 0.5


def test_keep_format_names_the_format_and_a_clash_is_refused(corpus, tmp_path, capsys):
    assert main(["check", str(corpus), "--keep", str(tmp_path / "k"), "--keep-format", "tmx"]) == 0
    assert (tmp_path / "k").read_text("utf-8").startswith("<?xml")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(corpus), "--keep", str(tmp_path / "k.jsonl"), "--keep-format", "tsv"])
    assert exit_info.value.code == 2
    assert "--keep-format tsv but --keep" in capsys.readouterr().err
    assert not (tmp_path / "k.jsonl").exists()


@pytest.mark.parametrize("path, given, expected", [
    ("pairs.tsv", None, "tsv"), ("pairs.TMX", None, "tmx"), ("pairs.jsonl", None, "jsonl"),
    ("x.parquet", None, "parquet"), ("corpus.he", None, "moses"), ("c.EN", None, "moses"), (None, None, "jsonl"),
    ("-", None, "jsonl"), ("-", "tsv", "tsv"), ("p.jsonl.gz", None, "jsonl"), ("p.tmx.xz", None, "tmx"),
    ("corpus", "moses", "moses"), ("pairs.tsv", "tsv", "tsv"), ("pairs.txt", "tmx", "tmx"),
    ("p.json", "jsonl", "jsonl"),
])
def test_every_writer_picks_its_format_one_way(path, given, expected):
    from align.formats import output_format

    assert output_format(path, given, "jsonl") == expected


@pytest.mark.parametrize("path, message", [
    ("corpus", "the name says no format"), ("pairs.csv", "its suffix .csv is no format"),
    ("pairs.gz", "the name says no format"), ("x.txt", "its suffix .txt is no format"),
    ("out/v1.2", "its suffix .2 is no format"), ("pairs.json", "align writes JSON Lines.*name it .jsonl"),
    ("pairs.JSON.gz", "align writes JSON Lines"),
])
def test_a_name_that_says_no_format_needs_f(path, message):
    from align.formats import output_format

    with pytest.raises(align.AlignError, match=f"^-o {re.escape(path)}: {message}"):
        output_format(path, None, "jsonl")
    assert output_format(path, "tsv", "jsonl") == "tsv"  # -f says it


@pytest.mark.parametrize("args", [["-o", "pairs.json"], ["-o", "corpus"], ["-o", "p.csv.gz"]])
def test_captions_refuses_a_name_that_says_no_format_and_writes_nothing(tmp_path, capsys, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["captions", str(SAMPLE), *args])
    assert exit_info.value.code == 2
    assert "name it .jsonl" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert main(["captions", str(SAMPLE), *args, "-f", "jsonl", "--standard", "lenient"]) == 0
    from align.compressed import read_all

    rows = [json.loads(line) for line in read_all(str(tmp_path / args[1])).decode("utf-8").splitlines()]
    assert len(rows) == 2 and all(row["he"] and row["en"] for row in rows)  # JSON Lines, as -f says


@pytest.mark.parametrize("path, given", [("pairs.jsonl", "tsv"), ("ds.parquet", "hf"), ("c.tsv", "moses")])
def test_a_name_saying_another_format_is_refused(path, given):
    from align.formats import output_format

    with pytest.raises(align.AlignError, match=f"-f {given} but -o {re.escape(path)}"):
        output_format(path, given, "jsonl")


def test_captions_output_format_follows_the_name(tmp_path, capsys):
    out = tmp_path / "pairs.tsv"
    assert main(["captions", str(SAMPLE), "-o", str(out), "--standard", "lenient"]) == 0
    rows = [line.split("\t") for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == 2 and all(len(r) == 3 for r in rows)
    with pytest.raises(SystemExit) as exit_info:
        main(["captions", str(SAMPLE), "-f", "tsv", "-o", str(tmp_path / "p.jsonl")])
    assert exit_info.value.code == 2 and not (tmp_path / "p.jsonl").exists()


@pytest.mark.parametrize("args, message", [
    (["check", "{corpus}", "--keep", "/no/such/dir/x.jsonl"], "--keep /no/such/dir/x.jsonl: folder /no/such/dir"),
    (["check", "{corpus}", "--report", "/no/such/dir/r.html"], "--report /no/such/dir/r.html: folder"),
    (["check", "{corpus}", "-o", "/no/such/dir/a.jsonl"], "-o /no/such/dir/a.jsonl: folder"),
    (["check", "{corpus}", "--keep", "{corpus}"], "--keep {corpus} is the input {corpus}"),
    (["check", "{corpus}", "--keep", "{corpus}", "--force"], "--keep {corpus} is the input {corpus}"),
    (["captions", str(SAMPLE), "--report", "/no/such/dir/r.html"], "--report /no/such/dir/r.html: folder"),
    (["captions", str(SAMPLE), "-f", "jsonl", "-o", "{fifo}", "--force"], "-o {fifo} is not a regular file"),
])
def test_output_errors_name_their_own_option_and_print_no_usage(corpus, tmp_path, capsys, args, message):
    # a named pipe stands for /dev/null, so that a broken guard replaces nothing of the system's
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    args = [a.format(corpus=corpus, fifo=fifo) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message.format(corpus=corpus, fifo=fifo) in err and "usage:" not in err
    assert err.count("\n") == 1


def test_usage_errors_still_show_the_commands_own_usage(capsys):
    with pytest.raises(SystemExit):
        main(["captions", str(SAMPLE), "-f", "moses"])
    assert capsys.readouterr().err.startswith("usage: align captions")


@pytest.mark.parametrize("source", ["no_such_file.txt", "pages/missing.html", "crawl/*.warc.gz", "a\\b.jsonl"])
def test_a_string_that_looks_like_a_path_is_never_read_as_text(source):
    with pytest.raises(align.InputError, match="no such file|no file matches"):
        align.pair_captions(source)


def test_paths_and_text_are_told_apart(tmp_path):
    assert len(align.pair_captions(SAMPLE, standard="lenient")) == 2  # a Path
    assert len(align.pair_captions(str(SAMPLE))) == 1                 # a string naming a file
    text = "2 View gallery\nמערכת חץ 3\nIsrael's Arrow 3 anti-missile system\n"
    assert [p.he for p in align.pair_captions(text, standard="lenient")] == ["מערכת חץ 3"]  # text
    assert align.pair_captions("Photo: AP.\n") == []                 # a line of text, with newline
    with pytest.raises(align.InputError, match="no such file"):
        align.pair_captions(tmp_path / "missing.txt")


def test_align_documents_and_check_pairs_take_paths_the_same_way(tmp_path, corpus):
    he, en = tmp_path / "story.he", tmp_path / "story.en"
    he.write_text("הוא נענש על פשעיו. תום הראה למרי תמונה.\n", encoding="utf-8")
    en.write_text("He was punished for his crimes. Tom showed Mary a picture.\n", encoding="utf-8")
    from_files = align.align_documents(he, en)
    assert [(b.he_ids, b.en_ids) for b in from_files] == [((0,), (0,)), ((1,), (1,))]
    assert align.align_documents(str(he), str(en)) == from_files
    with pytest.raises(align.InputError, match="story.he.txt: no such file"):
        align.align_documents("story.he.txt", "story.en.txt")
    assert [c.pair.en for c in align.check_pairs(corpus)] == [en for _, en in [*GOOD, BAD]]


@pytest.mark.parametrize("option, value, message", [
    ("--calibration", "missing.json", "--calibration missing.json: no such file"),
    ("--calibration", ".", "--calibration .: is a folder"),
    ("--models", "no/such/folder", "--models no/such/folder: no such folder"),
])
@pytest.mark.parametrize("command", ["captions", "check"])
def test_file_options_name_themselves(corpus, capsys, command, option, value, message):
    source = str(SAMPLE) if command == "captions" else str(corpus)
    assert main([command, source, option, value]) == 2
    err = capsys.readouterr().err
    assert message in err and "usage:" not in err


@pytest.mark.parametrize("rows, message", [
    ([("a",)], r"pair 1 is \('a',\): give a Pair"),
    ([GOOD[0], ("a", "b", "c")], "pair 2 is"),
    ([("a", 3)], "pair 1 is"),
    ([{"he": "x"}], "pair 1 is"),
    (["just text"], "pair 1 is 'just text'"),
    ([{"he": "x", "en": "y", "score": "high"}], "pair 1: score is .high., not a number"),
])
def test_check_pairs_names_a_row_it_cannot_read(rows, message):
    with pytest.raises(align.AlignError, match=message):
        align.check_pairs(rows)


def test_readme_json_examples_are_real_output(capsys, monkeypatch):
    """Every JSON line shown in README.md for the sample is a line the command prints."""
    monkeypatch.chdir(ROOT)
    shown = [json.loads(line) for line in (ROOT / "README.md").read_text("utf-8").splitlines()
             if line.startswith('{"doc": "corpora/ynetnews-gallant-trip.txt"')]
    assert len(shown) >= 2
    printed = []
    for args in (["captions"], ["captions", "--standard", "lenient"], ["detect"]):
        assert main([*args, "corpora/ynetnews-gallant-trip.txt"]) == 0
        printed += [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    for row in shown:
        assert row in printed


@pytest.mark.parametrize("args, message", [
    (["story.he.txt"], "story.he.txt is one file, and align documents needs two"),
    (["adir"], "adir is a folder"),
    (["story.he.txt", "missing.en.txt"], "missing.en.txt: no such file (story.he.txt is one)"),
])
def test_documents_says_two_files_or_prefixes_are_needed(tmp_path, monkeypatch, capsys, args, message):
    """(A file given twice is a usage error: tests/test_inputs.py.)"""
    monkeypatch.chdir(tmp_path)
    Path("story.he.txt").write_text("שלום.\n", encoding="utf-8")
    Path("adir").mkdir()
    assert main(["documents", *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "HE_FILE EN_FILE" in err and ".he: no such file" not in err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "cp1255"])
@pytest.mark.parametrize("command, name", [("captions", "page.txt"), ("captions", "page.html"),
                                           ("check", "pairs.tsv"), ("check", "pairs.jsonl"),
                                           ("detect", "page.txt")])
def test_utf16_and_windows_1255_read_as_utf8_is(tmp_path, monkeypatch, capsys, encoding, command, name):
    """Once refused with the iconv to run (issue 33: read them): UTF-16 with or without
    a byte-order mark, and windows-1255 with nothing declared, give what UTF-8 gives."""
    text = {"tsv": "שלום\thello\n", "jsonl": '{"he": "שלום", "en": "hello"}\n',
            "html": "<html><body><img alt='שר האוצר מציג את התקציב' title='The finance minister presents the budget'>"
                    "</body></html>"}.get(name.rsplit(".", 1)[1], SAMPLE.read_text("utf-8"))
    outputs = []
    for folder, codec in (("utf8", "utf-8"), ("other", encoding)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_bytes(text.encode(codec))
        monkeypatch.chdir(tmp_path / folder)
        assert main([command, name]) == 0
        outputs.append([json.loads(line) for line in capsys.readouterr().out.splitlines()])
    read_as = {row.pop("encoding", None) for row in outputs[1]} - {None}
    assert read_as <= {"utf-16le", "utf-16be", "windows-1255"}  # captions says it; check, detect have no field
    for row in outputs[0]:
        row.pop("encoding", None)
    assert outputs[0] == outputs[1] and "ש" in json.dumps(outputs[0], ensure_ascii=False)


@pytest.mark.parametrize("row, message", [
    ("שלום\thello\tgood", "bad.tsv:2: column 3 is 'good', not a score (a number)"),
    ("שלום\thello\t0.5\tmany", "bad.tsv:2: column 4 is 'many', not a count"),
    ("שלום", "bad.tsv:2: 1 column (tab-separated)"),
    ("a\tb\tc\td\te", "bad.tsv:2: 5 columns"),
])
def test_a_bad_tsv_row_says_what_a_row_must_be(tmp_path, capsys, row, message):
    path = tmp_path / "bad.tsv"
    path.write_text(f"{GOOD[0][0]}\t{GOOD[0][1]}\n{row}\n", encoding="utf-8")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "each row must be he<TAB>en[<TAB>score[<TAB>count]]" in err


def test_help_lists_come_from_the_registries(capsys):
    from align.formats import READERS, WRITERS
    from align.review.check import FLAGS

    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for name in [*FLAGS, *READERS, *WRITERS]:
        assert name in text, name


# ---- a closed pipe, and progress -------------------------------------------------


def _pages(folder: Path, count: int = 120) -> Path:
    """``count`` small pages, two captions each, from the Tatoeba fixture."""
    folder.mkdir()
    rows = [line.split("\t") for line in TATOEBA.read_text("utf-8").splitlines()]
    for k in range(count):
        (he1, en1), (he2, en2) = rows[(2 * k) % len(rows)], rows[(2 * k + 1) % len(rows)]
        (folder / f"page-{k:04d}.txt").write_text(
            f"Story {k}\n2 View gallery\n{he1}\n{en1}\n(Photo: AP)\n"
            f"Some body text of the story.\n3 View gallery\n{he2}\n{en2}\n(Photo: Reuters)\n",
            encoding="utf-8")
    return folder


def test_a_closed_pipe_is_a_quiet_end(tmp_path):
    """`align captions pages/ -f tsv --dedup | head -2`: the reader goes away while the
    deduplicated corpus is written; align ends at once, exit 0, nothing on stderr."""
    import fcntl

    pages = _pages(tmp_path / "pages")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "align", "captions", str(pages), "-f", "tsv", "--dedup"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    fcntl.fcntl(proc.stdout.fileno(), 1031, 4096)  # F_SETPIPE_SZ: a small pipe fills at once
    first = [proc.stdout.readline(), proc.stdout.readline()]
    proc.stdout.close()                             # as head does after two lines
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0, err
    assert err == b"" and all(line.count(b"\t") == 3 for line in first)  # he, en, score, count


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_total_percent_and_time_left_on_a_terminal(tmp_path, monkeypatch):
    from align.inputs.sources import iter_items, list_inputs
    from align.runs.journal import run
    from align.runs.progress import Progress
    from align.runs.registry import Settings

    pages = _pages(tmp_path / "pages", 40)
    screen = _Terminal()
    listing = list_inputs([str(pages)])
    progress = Progress.of(listing, stream=screen, every=0)
    summary = run(iter_items(listing.entries), Settings(), str(tmp_path / "out.jsonl"), "jsonl", {},
                  progress=progress)
    last = screen.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    assert summary.documents == 40
    assert re.match(r"align: 100%\|.*\| 40/40 docs \[\d\d:\d\d<00:00, .*doc/s, [\d,]+ pairs\]", last), last


def test_progress_counts_bytes_for_crawls_and_records(tmp_path):
    from align.inputs.sources import iter_items, list_inputs
    from align.runs.journal import run
    from align.runs.progress import Progress
    from align.runs.registry import Settings

    records = tmp_path / "pages.jsonl"
    rows = [line.split("\t") for line in TATOEBA.read_text("utf-8").splitlines()][:30]
    records.write_text("".join(json.dumps({"id": k, "text": f"2 View gallery\n{he}\n{en}\n"}, ensure_ascii=False)
                               + "\n" for k, (he, en) in enumerate(rows)), encoding="utf-8")
    listing = list_inputs([str(records)])
    assert listing.documents is None and listing.size == records.stat().st_size
    screen = _Terminal()
    run(iter_items(listing.entries), Settings(), str(tmp_path / "out.jsonl"), "jsonl", {},
        progress=Progress.of(listing, stream=screen, every=0))
    last = screen.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    size = records.stat().st_size / 1000
    assert re.match(rf"align: 100%\|.*\| {size:.2f}kB/{size:.2f}kB \[", last), last


@pytest.mark.parametrize("quiet", [False, True])
def test_no_progress_when_not_a_terminal_or_quiet(tmp_path, capsys, quiet):
    pages = _pages(tmp_path / "pages", 10)
    assert main(["captions", str(pages), "-o", str(tmp_path / "o.jsonl"), *(["-q"] if quiet else [])]) == 0
    assert capsys.readouterr().err == ""


def test_check_draws_a_bar_per_stage_on_a_terminal(corpus, monkeypatch):
    from align.runs.progress import Steps

    screen = _Terminal()
    steps = Steps(stream=screen)
    items = align.check_pairs([(he, en) for he, en in [*GOOD, BAD]], progress=steps)
    steps.close()
    lines = screen.getvalue().replace("\r", "\n").strip().splitlines()
    assert len(items) == 3
    assert any(re.match(r"align check: scoring: 100%\|.*\| 3/3 pairs \[", line) for line in lines), lines


@pytest.mark.parametrize("unit, first, last", [("B", "400B/1.00kB", "1.00kB/1.00kB"),
                                               ("doc", "4/10 docs", "10/10 docs")])
def test_a_resumed_runs_bar_starts_where_the_run_stopped(unit, first, last):
    """A run resumed after 4 of 10 documents: the bar starts at the 4th (in bytes: where
    the 4th ends in the input), not at 0, so its rate and time left are this run's."""
    from align.inputs.sources import Item
    from align.runs.engine import Result
    from align.runs.progress import Progress

    screen = _Terminal()
    progress = Progress(stream=screen, total=1000 if unit == "B" else 10, unit=unit, every=0)
    progress.summary.documents = progress.summary.resumed_from = 4  # as the journal sets them
    progress.resumed(4)
    items = progress.watch(Item(doc=f"d{k}", kind="text", position=100 * (k + 1)) for k in range(10))
    for _ in range(4):  # the documents the journal skips
        next(items)
    for item in items:
        progress.update(Result(int(item.doc[1:]), item.doc, []))
    progress.close()
    shown = [line for line in screen.getvalue().replace("\r", "\n").splitlines() if line]
    assert first in shown[0] and last in shown[-1], shown


@pytest.mark.parametrize("to_file", [True, False])
def test_no_bar_between_pairs_streaming_to_the_terminal(tmp_path, monkeypatch, to_file):
    """With -o, a terminal shows the bar; when the pairs themselves stream to the
    terminal, they are the progress and a bar between them would garble both."""
    pages = _pages(tmp_path / "pages", 10)
    out, err = _Terminal(), _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    args = ["captions", str(pages), *(["-o", str(tmp_path / "o.jsonl")] if to_file else [])]
    assert main(args) == 0
    assert ("10/10 docs" in err.getvalue()) == to_file
    assert (out.getvalue().count('"doc"') > 0) != to_file


@pytest.mark.parametrize("name, text", [("bom.tsv", "מערכת חץ 3\tIsrael's Arrow 3\n"),
                                        ("bom.jsonl", '{"he": "מערכת חץ 3", "en": "Israel\'s Arrow 3"}\n')])
def test_a_corpus_saved_with_a_utf8_bom_reads_as_without(tmp_path, name, text):
    """Windows editors save UTF-8 with a byte-order mark: it is not part of the first
    Hebrew text (TSV kept it), nor an error (JSONL refused the file)."""
    from align.formats import read_corpus

    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert [(p.he, p.en) for p in read_corpus(str(path))[1]] == [("מערכת חץ 3", "Israel's Arrow 3")]


@pytest.mark.parametrize("args, message", [
    (["captions", str(SAMPLE), "--treshold", "0.7"],
     "align captions: error: unrecognized argument --treshold: did you mean --threshold?"),
    (["check", "x.tsv", "--keepp", "k.tsv"], "align check: error: unrecognized argument --keepp: did you mean --keep?"),
    (["captions", str(SAMPLE), "--zzz"], "align captions: error: unrecognized arguments: --zzz"),
])
def test_a_mistyped_option_is_named_with_the_one_meant(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and message in err and err.startswith(f"usage: align {args[0]}")
