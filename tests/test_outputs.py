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
