"""One document, row or stream never stops a run nor shows a traceback (issue 33): every
case of the issue's record-level sweep, each as a test."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from conftest import DATA, SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align.cli import main

PAGE = DATA / "html" / "news-gallery.html"
GOOD = json.dumps({"he": "יואב גלנט ושר ההגנה האמריקאי לויד אוסטין",
                   "en": "Defense Minister Yoav Gallant and U.S. Secretary of Defense Lloyd Austin"},
                  ensure_ascii=False)


# --- invalid option values are usage errors -----------------------------------------------

@pytest.mark.parametrize("argv, message", [
    (["captions", str(SAMPLE), "--max-doc-mb", "inf"], "--max-doc-mb: must be a number of megabytes above 0"),
    (["captions", str(SAMPLE), "--max-doc-mb", "nan"], "--max-doc-mb: must be a number of megabytes above 0"),
    (["captions", str(SAMPLE), "--max-doc-mb", "0"], "--max-doc-mb: must be a number of megabytes above 0"),
    (["captions", str(SAMPLE), "--max-doc-mb", "-5"], "--max-doc-mb: must be a number of megabytes above 0"),
    (["captions", str(SAMPLE), "--ext", ""], "--ext: not a file ending"),
    (["documents", str(SAMPLE), str(SAMPLE)], "is given twice"),
    (["captions", str(SAMPLE), "--encoding", "klingon"], "--encoding: 'klingon' is not an encoding a browser knows"),
])
def test_an_invalid_option_value_is_a_usage_error(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


# --- a corpus row that cannot be read is named; the others are checked --------------------

BAD_ROWS = [
    ('{"he": 5, "en": "x"}', "he is 5, not text"),
    ('{"he": null, "en": "x"}', "he is None, not text"),
    ('{"he": ["a"], "en": "x"}', "he is ['a'], not text"),
    ('{"he": "\\ud800", "en": "x"}', "lone surrogate"),
    ('{"he": "א", "en": "x", "score": "high"}', "score is 'high', not a number"),
    ('{"he": "א", "en": "x", "he_line": "3"}', "he_line is '3', not a line number"),
    ("[" * 100_000 + "]" * 100_000, "nested too deep"),
    ('"just a string"', "a str, not an object"),
    ("{not json", "not a pair record"),
]


@pytest.mark.parametrize("row, message", BAD_ROWS, ids=[m for _, m in BAD_ROWS])
def test_check_names_a_bad_jsonl_row_and_checks_the_others(tmp_path, capsys, row, message):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(f"{GOOD}\n{row}\n{GOOD}\n", encoding="utf-8")
    assert main(["check", str(corpus), "-q"]) == 1
    captured = capsys.readouterr()
    assert "c.jsonl:2: not a pair record" in captured.err and message in captured.err
    assert "Traceback" not in captured.err
    assert [json.loads(line)["row"] for line in captured.out.splitlines()] == [1, 2]


@pytest.mark.parametrize("prop, value", [("x-score", "abc"), ("x-count", "many"), ("x-line", "one")])
def test_check_names_a_tmx_unit_with_a_property_that_is_no_number(tmp_path, capsys, prop, value):
    where = "tuv" if prop == "x-line" else "tu"
    bad_prop = f'<prop type="{prop}">{value}</prop>'
    unit = ("<tu>{tu}<tuv xml:lang='he'>{tuv}<seg>שלום</seg></tuv><tuv xml:lang='en'><seg>hello</seg></tuv></tu>")
    bad = unit.format(tu=bad_prop if where == "tu" else "", tuv=bad_prop if where == "tuv" else "")
    good = unit.format(tu="", tuv="")
    (tmp_path / "c.tmx").write_text(f"<?xml version='1.0'?><tmx version='1.4'><header/><body>{good}{bad}{good}"
                                    "</body></tmx>", encoding="utf-8")
    assert main(["check", str(tmp_path / "c.tmx"), "-q"]) == 1
    captured = capsys.readouterr()
    assert f"c.tmx: unit 2: {prop} is '{value}', not a number" in captured.err
    assert len(captured.out.splitlines()) == 2


@pytest.mark.parametrize("he_lang, en_lang, attr", [
    ("he", "en", "xml:lang"), ("iw", "en", "xml:lang"), ("heb", "eng", "xml:lang"), ("he-IL", "en-US", "xml:lang"),
    ("HE", "EN-GB", "xml:lang"), ("he_IL", "en_US", "xml:lang"), ("he", "en", "lang"), ("IW", "EN", "lang"),
])
def test_tmx_segments_keep_their_text_across_inline_tags_in_any_language_code(tmp_path, capsys, he_lang, en_lang,
                                                                             attr):
    tmx = (f"<?xml version='1.0'?><tmx version='1.4'><header/><body><tu>"
           f"<tuv {attr}='{he_lang}'><seg>הכנסת <bpt i='1'>&lt;b&gt;</bpt>אישרה<ept i='1'>&lt;/b&gt;</ept> את "
           f"<ph>&lt;br/&gt;</ph>החוק <hi>היום</hi></seg></tuv>"
           f"<tuv {attr}='{en_lang}'><seg>The Knesset <bpt i='1'>&lt;b&gt;</bpt>approved<ept i='1'>&lt;/b&gt;</ept>"
           f" the <it pos='begin'>&lt;i&gt;</it>law <hi>today</hi></seg></tuv></tu></body></tmx>")
    (tmp_path / "c.tmx").write_text(tmx, encoding="utf-8")
    assert main(["check", str(tmp_path / "c.tmx"), "-q"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert (row["he"], row["en"]) == ("הכנסת אישרה את החוק היום", "The Knesset approved the law today")


def test_a_tmx_unit_without_hebrew_is_counted_and_named(tmp_path, capsys):
    (tmp_path / "c.tmx").write_text(
        "<?xml version='1.0'?><tmx version='1.4'><header/><body>"
        "<tu><tuv xml:lang='fr'><seg>bonjour</seg></tuv><tuv xml:lang='en'><seg>hello</seg></tuv></tu>"
        "<tu><tuv xml:lang='he'><seg>שלום</seg></tuv><tuv xml:lang='en'><seg>hello</seg></tuv></tu>"
        "</body></tmx>", encoding="utf-8")
    assert main(["check", str(tmp_path / "c.tmx"), "-q"]) == 1
    captured = capsys.readouterr()
    assert "c.tmx: unit 1: no Hebrew variant (languages: en, fr); skipped" in captured.err
    assert "1 row could not be read" in captured.err and len(captured.out.splitlines()) == 1


def test_a_corpus_with_no_readable_row_says_nothing_was_checked(tmp_path, capsys):
    (tmp_path / "c.jsonl").write_text('{"he": 5, "en": "x"}\n', encoding="utf-8")
    assert main(["check", str(tmp_path / "c.jsonl"), "--fail-under", "0.5"]) == 3
    err = capsys.readouterr().err
    assert "0 pairs: nothing to check" in err and "100" not in err


# --- page records ------------------------------------------------------------------------

def _records(*rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def test_jsonl_records_on_stdin_are_read_as_records(run_cli):
    data = _records({"id": "a", "html": PAGE.read_text("utf-8")}, {"id": "b", "text": SAMPLE.read_text("utf-8")})
    r = run_cli("captions", "-", "--standard", "lenient", stdin=data)
    assert r.returncode == 0, r.stderr
    assert {json.loads(line)["doc"] for line in r.stdout.decode("utf-8").splitlines()} == {"a", "b"}


def test_a_malformed_first_record_skips_itself_only(tmp_path, capsys):
    path = tmp_path / "recs.jsonl"
    path.write_bytes(_records({"id": "bad", "html": 5}, {"id": "good", "text": SAMPLE.read_text("utf-8")}))
    assert main(["captions", str(path), "--standard", "lenient"]) == 1
    captured = capsys.readouterr()
    assert 'recs.jsonl:1: a record needs a string "text" or "html" field' in captured.err
    assert {json.loads(line)["doc"] for line in captured.out.splitlines()} == {"good"}


# --- special files -----------------------------------------------------------------------

def test_a_fifo_is_read(tmp_path, capsys):
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(SAMPLE.read_bytes()))
    writer.start()
    assert main(["captions", str(fifo), "--standard", "lenient"]) == 0
    writer.join()
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_process_substitution_is_read():
    r = subprocess.run(["bash", "-c", f"{sys.executable} -m align captions <(cat {SAMPLE}) --standard lenient"],
                       capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 2


def test_dev_null_is_an_empty_input(capsys):
    assert main(["captions", os.devnull]) == 0
    assert capsys.readouterr().out == ""


def test_a_symlink_loop_is_named_for_what_it_is(tmp_path, capsys):
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    assert main(["captions", str(tmp_path / "a"), str(SAMPLE), "--standard", "lenient"]) == 1
    captured = capsys.readouterr()
    assert "a symbolic link that leads nowhere" in captured.err and len(captured.out.splitlines()) == 2


# --- standard streams ----------------------------------------------------------------------

def _align(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "align", *map(str, args)], capture_output=False, timeout=300,
                          stderr=subprocess.PIPE, **kwargs)


def test_stdout_on_a_full_device_is_a_clear_error():
    with open("/dev/full", "wb") as full:
        r = _align("captions", SAMPLE, "--standard", "lenient", stdout=full)
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1 and "standard output: cannot be written" in err and "Traceback" not in err


@pytest.mark.parametrize("stream, argv, message", [
    ("stdout", ["captions", str(SAMPLE)], "standard output is closed"),
    ("stdin", ["captions", "-"], "standard input is closed"),
])
def test_a_closed_standard_stream_is_named(stream, argv, message):
    fd = 1 if stream == "stdout" else 0
    r = subprocess.run([sys.executable, "-m", "align", *argv], stderr=subprocess.PIPE, timeout=300,
                       preexec_fn=lambda: os.close(fd))
    assert r.returncode == 2 and message in r.stderr.decode("utf-8")


def test_a_closed_stdout_is_harmless_with_o(tmp_path):
    out = tmp_path / "p.jsonl"
    r = subprocess.run([sys.executable, "-m", "align", "captions", str(SAMPLE), "-o", str(out), "--standard",
                        "lenient"], stderr=subprocess.PIPE, timeout=300, preexec_fn=lambda: os.close(1))
    assert r.returncode == 0, r.stderr
    assert len(out.read_text("utf-8").splitlines()) == 2


# --- one document that breaks the parser -------------------------------------------------------

def test_a_parser_that_raises_for_one_document_in_ten_loses_only_that_one(tmp_path, capsys, monkeypatch):
    import align.inputs.html

    for k in range(10):
        (tmp_path / f"p{k}.html").write_bytes(PAGE.read_bytes())
    real = align.inputs.html.parse_html

    def parse(data, name, *args, **kwargs):
        if name.endswith("p4.html"):
            raise RuntimeError("the parser fell over")
        return real(data, name, *args, **kwargs)

    monkeypatch.setattr(align.inputs.html, "parse_html", parse)
    assert main(["captions", str(tmp_path), "--standard", "lenient"]) == 1
    captured = capsys.readouterr()
    assert "p4.html: could not be processed (RuntimeError: the parser fell over); run with --debug" in captured.err
    assert "Traceback" not in captured.err
    docs = [os.path.basename(json.loads(line)["doc"]) for line in captured.out.splitlines()]
    assert sorted(set(docs)) == [f"p{k}.html" for k in range(10) if k != 4] and len(docs) == 9 * 4


def test_an_unforeseen_error_shows_no_traceback_unless_debug(monkeypatch, capsys):
    import align.cli.detect
    import align.inputs.sources

    def boom(*args, **kwargs):
        raise RuntimeError("unforeseen")

    monkeypatch.setattr(align.cli.detect, "detect", boom)  # inside one document: that document's error
    assert main(["detect", str(SAMPLE)]) == 1
    err = capsys.readouterr().err
    assert "could not be processed (RuntimeError: unforeseen); run with --debug" in err and "Traceback" not in err
    monkeypatch.delenv("ALIGN_DEBUG", raising=False)
    assert main(["detect", str(SAMPLE), "--debug"]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    monkeypatch.delenv("ALIGN_DEBUG", raising=False)
    monkeypatch.setattr(align.inputs.sources, "iter_items", boom)  # outside any document: the command's
    assert main(["detect", str(SAMPLE)]) == 1
    assert "internal error (RuntimeError: unforeseen); run the same command with --debug" in capsys.readouterr().err
    with pytest.raises(RuntimeError, match="unforeseen"):
        main(["detect", str(SAMPLE), "--debug"])
    monkeypatch.delenv("ALIGN_DEBUG", raising=False)


# --- errors named, listed, counted -------------------------------------------------------------

def test_errors_file_lists_each_document_that_could_not_be_read(tmp_path, capsys):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    errors = tmp_path / "errors.jsonl"
    status = main(["captions", str(tmp_path / "missing.txt"), str(tmp_path / "image.png"), str(SAMPLE),
                   "--errors", str(errors), "--standard", "lenient"])
    captured = capsys.readouterr()
    assert status == 1 and len(captured.out.splitlines()) == 2
    rows = [json.loads(line) for line in errors.read_text("utf-8").splitlines()]
    assert [os.path.basename(r["doc"]) for r in rows] == ["missing.txt", "image.png"]
    assert "no such file" in rows[0]["error"] and "binary" in rows[1]["error"]


def test_fail_fast_stops_at_the_first_document_that_cannot_be_read(tmp_path, capsys):
    out = tmp_path / "p.jsonl"
    status = main(["captions", str(tmp_path / "missing.txt"), str(SAMPLE), "-o", str(out), "--fail-fast"])
    err = capsys.readouterr().err
    assert status == 1 and "stopped at the first document that could not be read (--fail-fast)" in err
    assert not out.exists()


def test_every_pair_says_the_encoding_its_page_was_read_with(tmp_path, capsys):
    page = PAGE.read_text("utf-8").replace('<meta charset="utf-8">', "")
    (tmp_path / "old.html").write_bytes(page.encode("cp1255", "xmlcharrefreplace"))
    (tmp_path / "new.html").write_text(page, encoding="utf-8")
    assert main(["captions", str(tmp_path / "old.html"), str(tmp_path / "new.html"), "--standard", "lenient",
                 "-o", str(tmp_path / "p.jsonl"), "-v"]) == 0
    rows = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text("utf-8").splitlines()]
    assert {(os.path.basename(r["doc"]), r["encoding"]) for r in rows} == {("old.html", "windows-1255"),
                                                                          ("new.html", "utf-8")}
    assert "read as utf-8 1, windows-1255 1" in capsys.readouterr().err


def test_the_encoding_survives_tmx_and_parquet(tmp_path):
    from align.formats import read_corpus

    (tmp_path / "old.html").write_bytes(PAGE.read_text("utf-8").replace('<meta charset="utf-8">', "")
                                        .encode("cp1255", "xmlcharrefreplace"))
    for name in ("p.tmx", "p.parquet"):
        assert main(["captions", str(tmp_path / "old.html"), "-o", str(tmp_path / name), "--standard",
                     "lenient"]) == 0
        assert {p.encoding for p in read_corpus(str(tmp_path / name))[1]} == {"windows-1255"}


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(pages=st.lists(st.tuples(st.sampled_from([".html", ".txt", ".html.gz", ".jsonl", ".warc"]),
                                st.binary(max_size=300)), min_size=1, max_size=4))
def test_no_bytes_lose_a_neighbour_or_show_a_traceback(tmp_path_factory, pages):
    import io
    from contextlib import redirect_stderr, redirect_stdout

    folder = tmp_path_factory.mktemp("bytes")
    for k, (ext, data) in enumerate(pages):
        (folder / f"bad{k}{ext}").write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["captions", *map(str, sorted(folder.iterdir())), str(SAMPLE), "--standard", "lenient",
                       "--scorer", "surface", "-q"])
    assert status in (0, 1) and "Traceback" not in err.getvalue()
    docs = [json.loads(line)["doc"] for line in out.getvalue().splitlines()]
    assert docs.count(str(SAMPLE)) == _alone()


_ALONE: list[int] = []


def _alone() -> int:
    """The pairs of SAMPLE alone with the surface scorer (computed once)."""
    if not _ALONE:
        import io
        from contextlib import redirect_stdout

        out = io.StringIO()
        with redirect_stdout(out):
            main(["captions", str(SAMPLE), "--standard", "lenient", "--scorer", "surface", "-q"])
        _ALONE.append(len(out.getvalue().splitlines()))
        assert _ALONE[0] > 0
    return _ALONE[0]


# --- mixed scripts: cut or kept the same way in every input kind --------------------------------

MIXED = [
    "ראש הממשלה נפגש עם Путин בקרמלין",
    "Владимир Путин נפגש עם ראש הממשלה",
    "ראש הממשלה נפגש עם ולדימיר פוטין (Владимир Путин)",
    "השר נפגש עם מנהיג ערבי الملك عبدالله בירדן",
    "כתובת בערבית: مرحبا بكم في القدس",
    "مرحبا بكم في القدس - שלט בכניסה לעיר",
]


@pytest.mark.parametrize("caption", MIXED)
def test_a_third_script_is_kept_or_cut_alike_in_text_html_and_records(tmp_path, capsys, caption):
    title = "The minister at a meeting"
    sources = {
        "txt": (tmp_path / "m.txt", f"{caption}\n{title}\n".encode()),
        "html text": (tmp_path / "t.html", f"<html><body><p>{caption}</p><p>{title}</p></body></html>".encode()),
        "html alt": (tmp_path / "a.html", f'<html><body><img alt="{caption}" title="{title}"></body></html>'.encode()),
        "record": (tmp_path / "r.jsonl", _records({"id": "r", "text": f"{caption}\n{title}\n"})),
    }
    seen = {}
    for kind, (path, data) in sources.items():
        path.write_bytes(data)
        assert main(["detect", str(path)]) == 0
        seen[kind] = [(row["lang"], row["text"]) for row in map(json.loads, capsys.readouterr().out.splitlines())]
    assert len({tuple(v) for v in seen.values()}) == 1, seen
    assert any(lang == "he" for lang, _ in seen["txt"])


def test_an_errors_file_is_replaced_by_force_and_planned_with_the_outputs(tmp_path, capsys):
    errors = tmp_path / "e.jsonl"
    argv = ["captions", str(tmp_path / "missing.txt"), "--errors", str(errors)]
    assert main(argv) == 1
    assert main(argv) == 2 and "--force" in capsys.readouterr().err  # there already
    assert main([*argv, "--force"]) == 1  # align's own: replaced
    assert main(["captions", str(SAMPLE), "-o", str(errors), "--errors", str(errors)]) == 2
    assert "are the same file" in capsys.readouterr().err
