"""Compressed inputs and outputs (issue 33): .gz, .bz2, .xz and .zst read as their
content for every input kind, and written compressed by the output's name, atomically
and the same bytes every run."""
from __future__ import annotations

import bz2
import gzip
import json
import lzma
import shutil

import pytest
from conftest import DATA, SAMPLE

from align import compressed
from align.cli import main

PAGE = DATA / "html" / "news-gallery.html"


def _zstd():
    import zstandard

    def decompress(data: bytes) -> bytes:
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)

    return zstandard.ZstdCompressor().compress, decompress


CODECS = {".gz": lambda: (gzip.compress, gzip.decompress), ".bz2": lambda: (bz2.compress, bz2.decompress),
          ".xz": lambda: (lzma.compress, lzma.decompress), ".zst": _zstd}


def pack(data: bytes, end: str) -> bytes:
    return CODECS[end]()[0](data)


def unpack(data: bytes) -> bytes:
    return CODECS[compressed.sniff(data)]()[1](data)


def rows(capsys) -> list[tuple]:
    return [(r["he"], r["en"], r["score"]) for r in map(json.loads, capsys.readouterr().out.splitlines())]


ENDS = [".gz", ".bz2", ".xz", ".zst"]


@pytest.mark.parametrize("end", ENDS)
@pytest.mark.parametrize("source", [PAGE, SAMPLE], ids=["html", "txt"])
def test_a_compressed_page_gives_the_pairs_of_the_page(tmp_path, capsys, end, source):
    assert main(["captions", str(source), "--standard", "lenient"]) == 0
    expected = rows(capsys)
    packed = tmp_path / (source.name + end)
    packed.write_bytes(pack(source.read_bytes(), end))
    assert main(["captions", str(packed), "--standard", "lenient"]) == 0
    assert rows(capsys) == expected and expected


@pytest.mark.parametrize("end", ENDS)
def test_a_folder_of_compressed_pages_is_searched(tmp_path, capsys, end):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / ("a.html" + end)).write_bytes(pack(PAGE.read_bytes(), end))
    (tmp_path / "pages" / "notes.doc.gz").write_bytes(gzip.compress(b"not a page"))
    assert main(["captions", str(PAGE), "--standard", "lenient"]) == 0
    expected = rows(capsys)
    assert main(["captions", str(tmp_path / "pages"), "--standard", "lenient"]) == 0
    assert rows(capsys) == expected and expected


@pytest.mark.parametrize("end", ENDS)
@pytest.mark.parametrize("name, text", [
    ("c.tsv", "יואב גלנט\tYoav Gallant\t0.9\n"),
    ("c.jsonl", '{"he": "יואב גלנט", "en": "Yoav Gallant"}\n'),
])
def test_check_reads_a_compressed_corpus(tmp_path, capsys, end, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / (name + end)).write_bytes(pack(text.encode("utf-8"), end))
    outputs = []
    for path in (tmp_path / name, tmp_path / (name + end)):
        assert main(["check", str(path), "-q"]) == 0
        outputs.append([{k: v for k, v in json.loads(line).items() if k != "doc"}
                        for line in capsys.readouterr().out.splitlines()])
    assert outputs[0] == outputs[1] and outputs[0]


@pytest.mark.parametrize("end", ENDS)
@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "tmx"])
def test_an_output_named_compressed_is_written_compressed_and_reads_back(tmp_path, capsys, end, fmt):
    plain, packed = tmp_path / f"out.{fmt}", tmp_path / f"out.{fmt}{end}"
    assert main(["captions", str(SAMPLE), "-o", str(plain), "--standard", "lenient"]) == 0
    assert main(["captions", str(SAMPLE), "-o", str(packed), "--standard", "lenient"]) == 0
    data = packed.read_bytes()
    assert compressed.sniff(data) == end and unpack(data) == plain.read_bytes()
    first = data
    assert main(["captions", str(SAMPLE), "-o", str(packed), "--standard", "lenient", "--force"]) == 0
    assert packed.read_bytes() == first  # the same bytes again: no time or name in the header
    assert main(["check", str(packed), "-q"]) == 0  # align reads what it wrote
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_pandas_reads_a_gzipped_tsv(tmp_path):
    pandas = pytest.importorskip("pandas")
    out = tmp_path / "out.tsv.gz"
    assert main(["captions", str(SAMPLE), "-o", str(out), "--standard", "lenient"]) == 0
    frame = pandas.read_csv(out, sep="\t", header=None, quoting=3)
    assert frame.shape == (2, 3)


@pytest.mark.parametrize("fmt, name", [("parquet", "x.parquet.gz"), ("moses", "x.gz")])
def test_formats_that_cannot_be_compressed_are_refused(tmp_path, capsys, fmt, name):
    with pytest.raises(SystemExit) as exit_info:
        main(["captions", str(SAMPLE), "-f", fmt, "-o", str(tmp_path / name)])
    assert exit_info.value.code == 2 and "cannot be written" in capsys.readouterr().err


def test_a_bomb_is_refused_and_the_other_pages_written(tmp_path, capsys):
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<html><body>" + b" " * 30_000_000 + b"</body></html>"))
    shutil.copy(PAGE, tmp_path / "p.html")
    status = main(["captions", str(bomb), str(tmp_path / "p.html"), "--max-doc-mb", "1", "--standard", "lenient"])
    captured = capsys.readouterr()
    assert status == 1 and "bomb.html.gz: decompresses to more than one document may hold" in captured.err
    assert len(captured.out.splitlines()) == 4  # the page's pairs


def test_a_corrupt_compressed_page_is_named_and_the_others_written(tmp_path, capsys):
    cut = tmp_path / "cut.html.gz"
    cut.write_bytes(gzip.compress(PAGE.read_bytes())[:200])
    status = main(["captions", str(cut), str(PAGE), "--standard", "lenient"])
    captured = capsys.readouterr()
    assert status == 1 and "cut.html.gz: compressed data cut short or corrupt" in captured.err
    assert len(captured.out.splitlines()) == 4  # the page's pairs


def test_force_knows_a_compressed_tmx_for_align_s(tmp_path):
    from align.owned import why_not_ours

    out = tmp_path / "out.tmx.gz"
    assert main(["captions", str(SAMPLE), "-o", str(out)]) == 0
    assert why_not_ours(str(out)) is None
    other = tmp_path / "other.tmx.gz"
    other.write_bytes(gzip.compress(b'<?xml version="1.0"?><tmx><header creationtool="OmegaT"/></tmx>'))
    assert why_not_ours(str(other))
