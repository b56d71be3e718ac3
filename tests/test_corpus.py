"""Writers and readers: JSONL, TSV, TMX (parsed back), Moses; atomic writes."""
import json
import os
import xml.etree.ElementTree as ET

import pytest

from align.errors import OutputError
from align.files import atomic_open
from align.formats import READERS, WRITERS
from align.formats.output import RowsSkipped, meta_path
from align.formats.tmx import XML_LANG
from align.records import Pair

PAIRS = [
    Pair("a.txt", "מערכת חץ 3", "Israel's Arrow 3 anti-missile system", 0.9987, 33, 35, [33, 34], [35]),
    Pair("a.txt", "יואב גלנט & <לויד>", 'He said "hi" & left <now>', 0.75, 8, 10, [8], [10]),
    Pair("b.txt", "שָׁלוֹם, צה״ל", "Hello, IDF", 0.5, 1, 2, [1], [2]),
]
SIG = {"tool": "align", "version": "9.9", "scorer": "auto", "threshold": 0.5,
       "model_sha256": "ab" * 32, "signature": "version:9.9|scorer:auto"}


def _target(tmp_path, fmt):
    return str(tmp_path / ("corpus" if fmt == "moses" else f"corpus.{fmt}"))


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_round_trip(fmt, tmp_path):
    out = _target(tmp_path, fmt)
    assert WRITERS[fmt](iter(PAIRS), out, SIG) == len(PAIRS)
    back = READERS[fmt](out)
    assert [(p.he, p.en) for p in back] == [(p.he, p.en) for p in PAIRS]
    if fmt != "moses":
        assert [p.score for p in back] == [p.score for p in PAIRS]
    if fmt == "tmx":  # signed in its header instead
        assert not os.path.exists(meta_path(out))
    elif fmt in ("parquet", "hf"):  # signed in the schema metadata (and the dataset card)
        from align.formats.parquet import hf_shards, signature_of

        assert not os.path.exists(meta_path(out))
        assert signature_of(hf_shards(out)[0] if fmt == "hf" else out)["signature"] == SIG["signature"]
        assert back == PAIRS  # every field, typed
    else:
        assert json.loads(open(meta_path(out), encoding="utf-8").read())["signature"] == SIG["signature"]
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


def test_jsonl_lines_are_pure_pairs(tmp_path):
    out = _target(tmp_path, "jsonl")
    WRITERS["jsonl"](PAIRS, out, SIG)
    rows = [json.loads(line) for line in open(out, encoding="utf-8")]
    assert rows[0] == {"doc": "a.txt", "he": "מערכת חץ 3", "en": "Israel's Arrow 3 anti-missile system",
                       "score": 0.9987, "he_line": 33, "en_line": 35, "he_lines": [33, 34], "en_lines": [35]}
    assert all("signature" not in r for r in rows)


def test_tmx_structure(tmp_path):
    out = _target(tmp_path, "tmx")
    WRITERS["tmx"](PAIRS, out, SIG)
    root = ET.parse(out).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attr, value in [("creationtool", "align"), ("creationtoolversion", "9.9"), ("srclang", "he"),
                        ("segtype", "sentence"), ("adminlang", "en"), ("datatype", "plaintext")]:
        assert header.get(attr) == value
    assert header.get("o-tmf")
    sig = json.loads(header.find("prop[@type='x-align-signature']").text)
    assert sig["model_sha256"] == SIG["model_sha256"]
    tus = root.findall("body/tu")
    assert len(tus) == 3
    assert tus[1].find("prop[@type='x-score']").text == "0.75"
    langs = [tuv.get(XML_LANG) for tuv in tus[1].findall("tuv")]
    assert langs == ["he", "en"]
    assert [tuv.findtext("seg") for tuv in tus[1].findall("tuv")] == [PAIRS[1].he, PAIRS[1].en]


def test_moses_line_counts_match(tmp_path):
    out = _target(tmp_path, "moses")
    WRITERS["moses"](PAIRS, out, SIG)
    he = open(out + ".he", encoding="utf-8").read().splitlines()
    en = open(out + ".en", encoding="utf-8").read().splitlines()
    assert len(he) == len(en) == len(PAIRS)
    assert he[0] == "מערכת חץ 3" and en[0] == "Israel's Arrow 3 anti-missile system"


@pytest.mark.parametrize("fmt", ["tsv", "moses"])
@pytest.mark.parametrize("bad", ["tab\there", "new\nline", "cr\rhere"])
def test_line_formats_leave_out_a_row_with_breaking_characters(fmt, bad, tmp_path):
    """Issue 34: one row a format cannot carry is named and left out; the rest are written."""
    out = _target(tmp_path, fmt)
    with pytest.raises(RowsSkipped, match=r"pair 2 \(from x\): its he holds a tab or line break"):
        WRITERS[fmt]([PAIRS[0], Pair("x", bad, "ok", 0.9)], out, SIG)
    assert [(p.he, p.en) for p in READERS[fmt](out)] == [(PAIRS[0].he, PAIRS[0].en)]


def test_tmx_leaves_out_control_characters(tmp_path):
    with pytest.raises(RowsSkipped, match="its he holds a character XML cannot carry"):
        WRITERS["tmx"]([Pair("x", "a\x01b", "ok", 0.9)], _target(tmp_path, "tmx"), SIG)
    assert READERS["tmx"](_target(tmp_path, "tmx")) == []  # a valid TMX with an empty body


def test_atomic_open_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_open(str(target)) as fh:
            fh.write("new")
            raise RuntimeError("boom")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.txt"]


def test_write_into_missing_folder(tmp_path):
    with pytest.raises(OutputError, match="cannot write here"):
        WRITERS["jsonl"](PAIRS, str(tmp_path / "nope" / "x.jsonl"), SIG)


def test_jsonl_text_with_a_line_separator_survives(tmp_path):
    out = _target(tmp_path, "jsonl")
    pair = Pair("x", "שורה\u2028שנייה", "line\u2028two", 0.9)
    WRITERS["jsonl"]([pair], out, SIG)
    assert READERS["jsonl"](out) == [pair]


def test_tsv_reader_accepts_crlf(tmp_path):
    path = tmp_path / "c.tsv"
    path.write_bytes("שלום\tpeace\t0.9\r\nחץ\tarrow\r\n".encode())
    assert [(p.he, p.en, p.score) for p in READERS["tsv"](str(path))] == [
        ("שלום", "peace", 0.9), ("חץ", "arrow", 0.0)]


def test_outputs_get_the_usual_permissions(tmp_path):
    out = tmp_path / "x.jsonl"
    WRITERS["jsonl"](PAIRS, str(out), SIG)
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_a_lone_surrogate_is_refused_by_every_writer_and_nothing_is_left(fmt, tmp_path):
    """Found by fuzzing: text decoded with errors crashed every writer with a
    UnicodeEncodeError, halfway through the file."""
    from align.errors import OutputError

    out = _target(tmp_path, fmt)
    bad = PAIRS + [Pair("c.txt", "שלום \ud800", "Hello", 0.5)]
    with pytest.raises(OutputError, match=r"pair 4 \(from c.txt\): its he holds a lone surrogate"):
        WRITERS[fmt](iter(bad), out, SIG)
    assert len(READERS[fmt](out)) == len(PAIRS)  # the others are written (issue 34)


def test_tmx_refuses_a_control_character_in_a_property(tmp_path):
    """Found by fuzzing: a doc name holding a control character reached lxml and raised
    a ValueError."""
    from align.errors import OutputError

    with pytest.raises(OutputError, match="its doc holds a character XML cannot carry"):
        WRITERS["tmx"]([Pair("a\x01b.txt", "שלום", "Hello", 0.5)], str(tmp_path / "c.tmx"), SIG)


def test_a_damaged_parquet_row_group_is_a_clear_error(tmp_path):
    """Found by fuzzing: pyarrow's OSError on a damaged page escaped the reader."""
    from align.errors import InputError

    path = tmp_path / "c.parquet"
    WRITERS["parquet"](PAIRS, str(path), SIG)
    data = bytearray(path.read_bytes())
    data[4:40] = bytes(36)  # the first column chunk's page header
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="c.parquet"):
        READERS["parquet"](str(path))
