"""Inputs at corpus scale: folders, globs, JSONL records, WARC files, and bad ones."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from warcs import write_warc

from align.cli import main
from align.inputs.sources import iter_items

HTML = Path(__file__).parent / "data" / "html"
SAMPLE = Path(__file__).parent / "data" / "ynetnews-gallant-trip.txt"
PAGE = (HTML / "wp-captions.html").read_bytes()


def _docs(*inputs, **kw):
    return [(i.doc, i.kind, i.error) for i in iter_items([str(x) for x in inputs], **kw)]


def test_folders_are_searched_recursively_in_sorted_order(tmp_path):
    for name in ["b/2.txt", "a.html", "b/1.htm", "b/c/3.txt", ".hidden/4.txt", "b/.5.txt", "skip.pdf"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    docs = [Path(d).relative_to(tmp_path).as_posix() for d, _, _ in _docs(tmp_path)]
    assert docs == ["a.html", "b/1.htm", "b/2.txt", "b/c/3.txt"]
    only = _docs(tmp_path, extensions=[".htm"])
    assert [Path(d).name for d, _, _ in only] == ["1.htm"]


def test_glob_patterns_and_a_pattern_matching_nothing(tmp_path):
    for name in ["p1.html", "p2.html", "q.txt"]:
        (tmp_path / name).write_text("x")
    assert [Path(d).name for d, _, _ in _docs(tmp_path / "p*.html")] == ["p1.html", "p2.html"]
    [(doc, kind, error)] = _docs(tmp_path / "none*.html")
    assert kind == "error" and "no file matches" in error


def test_html_is_told_by_extension_or_content(tmp_path):
    (tmp_path / "saved.txt").write_bytes(b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    (tmp_path / "page.htm").write_bytes(b"<p>x</p>")
    (tmp_path / "plain.txt").write_bytes(b"a <b> line")
    kinds = {Path(d).name: k for d, k, _ in _docs(tmp_path)}
    assert kinds == {"saved.txt": "html", "page.htm": "html", "plain.txt": "text"}


def test_jsonl_records_with_text_or_html(tmp_path):
    records = tmp_path / "records.jsonl"
    records.write_text("\n".join([
        json.dumps({"id": "a1", "text": SAMPLE.read_text("utf-8")}),
        json.dumps({"id": 7, "html": PAGE.decode("utf-8")}),
        "{not json",
        json.dumps({"text": "no id here"}),
        json.dumps({"id": "x", "body": "wrong field"}),
        json.dumps({"id": "h", "text": "<!DOCTYPE html><html><body><p>x</p></body></html>"}),
    ]) + "\n", encoding="utf-8")
    docs = _docs(records)
    assert docs[0][:2] == ("a1", "text") and docs[1][:2] == ("7", "html")
    assert docs[2][0] == f"{records}:3" and "not a JSON record" in docs[2][2]
    assert docs[3][:2] == (f"{records}:4", "text")
    assert docs[4][2].endswith('needs a string "text" or "html" field')
    assert docs[5][:2] == ("h", "html")  # a whole HTML document under "text"


def _warc(path, **kw):
    write_warc(path, [
        ("response", "https://news.example/a", "text/html; charset=utf-8", PAGE),
        ("request", "https://news.example/a", None, b"GET /a HTTP/1.1\r\n\r\n"),
        ("response", "https://news.example/logo.png", "image/png", b"\x89PNG\r\n"),
        ("response", "https://news.example/empty", "text/html", b""),
        ("response", "https://news.example/b", "text/html", (HTML / "lightbox.html").read_bytes()),
    ], **kw)


@pytest.mark.parametrize("gzipped", [True, False])
def test_warc_responses_become_documents_named_by_url(tmp_path, gzipped):
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    _warc(path, gzip=gzipped)
    docs = _docs(path)
    assert [(d, k) for d, k, _ in docs] == [("https://news.example/a", "html"),
                                          ("https://news.example/empty", "error"),
                                          ("https://news.example/b", "html")]
    assert "record 4 (https://news.example/empty): the response has no body" in docs[1][2]


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.8, 0.99])
def test_truncated_warc_keeps_the_records_before_the_cut_and_names_where(tmp_path, keep):
    whole = tmp_path / "whole.warc.gz"
    _warc(whole)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * keep)])
    full = _docs(whole)
    docs = _docs(cut)
    *kept, (doc, kind, error) = docs
    assert [d[:2] for d in kept] == [d[:2] for d in full[:len(kept)]]
    assert doc == str(cut) and kind == "error"
    assert "cut short or corrupt at record" in error and "records before it are kept" in error


def test_truncated_gzipped_jsonl_keeps_earlier_records(tmp_path):
    lines = "".join(json.dumps({"id": f"r{i}", "text": f"line {i} " * 50}) + "\n" for i in range(200))
    whole = gzip.compress(lines.encode())
    cut = tmp_path / "records.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    docs = _docs(cut)
    assert docs[-1][1] == "error" and "cut short or corrupt after line" in docs[-1][2]
    assert [d for d, _, _ in docs[:-1]] == [f"r{i}" for i in range(len(docs) - 1)]
    assert len(docs) > 2


def test_documents_over_the_size_limit_are_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 50_000_000)  # 50 MB on one line
    [(doc, kind, error)] = _docs(big)
    assert kind == "error" and "big.txt: 50.0 MB is more than one document may hold" in error
    [(_, kind, _)] = _docs(big, max_doc_mb=60)
    assert kind == "text"


def test_a_batch_of_bad_inputs_names_each_and_lands_the_rest(tmp_path, capsys):
    """The issue's list: a truncated gzip, an HTML file that is really binary, a 50 MB
    single-line text, a WARC record without a body; the good pages still give their pairs."""
    crawl = tmp_path / "crawl.warc.gz"
    _warc(crawl)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(crawl.read_bytes()[:300])
    binary = tmp_path / "binary.html"
    binary.write_bytes(bytes(range(256)) * 40)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 10_000_000)
    out = tmp_path / "pairs.jsonl"
    status = main(["captions", str(cut), str(binary), str(big), str(crawl), str(SAMPLE), "-o", str(out),
                   "--standard", "lenient"])
    err = capsys.readouterr().err
    assert status == 1
    for message in [f"{cut}: cut short or corrupt at record 1", f"{binary}: looks like a binary file",
                    f"{big}: 50.0 MB is more than one document may hold",
                    f"{crawl}: record 4 (https://news.example/empty): the response has no body"]:
        assert message in err
    docs = {json.loads(line)["doc"] for line in out.read_text("utf-8").splitlines()}
    assert docs == {"https://news.example/a", "https://news.example/b", str(SAMPLE)}


def test_parse_errors_of_a_crawl_record_name_the_file_and_record(tmp_path):
    from align.errors import InputError
    from align.inputs.sources import load

    crawl = tmp_path / "crawl.warc.gz"
    write_warc(crawl, [("response", "https://news.example/x", "text/html", b"\x00\x01" * 100)])
    [item] = iter_items([str(crawl)])
    assert item.doc == "https://news.example/x"
    with pytest.raises(InputError, match=r"crawl.warc.gz: record 1 \(https://news.example/x\): looks like a binary"):
        load(item)


def test_threads_are_shared_out_among_workers():
    from align.runs.engine import threads_per_worker

    cores = os.cpu_count() or 1
    assert threads_per_worker(1) == cores
    assert threads_per_worker(cores) == 1
    assert threads_per_worker(4 * cores) == 1


def test_a_jsonl_file_of_another_kind_is_one_error_not_one_a_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"doc": "d", "he": "א", "en": "a"}) + "\n" for _ in range(50)))
    [(doc, kind, error)] = _docs(gold)
    assert kind == "error" and "not a file of page records" in error


@pytest.mark.parametrize("name, data", [("notes.warc", b"hello world\nnot a crawl\n"),
                                        ("junk.warc.gz", __import__("gzip").compress(b"garbage"))])
def test_a_file_that_is_no_warc_says_so(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    [(doc, kind, error)] = _docs(path)
    assert kind == "error" and f"{name}: not a readable WARC file" in error


def test_an_oversized_first_record_is_its_own_error_not_the_files(tmp_path):
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"id": "big", "text": "x" * 2_000_000}) + "\n"
                       + json.dumps({"id": "ok", "text": "fine"}) + "\n")
    docs = _docs(records, max_doc_mb=1)
    assert docs[0][0] == "big" and "more than one document may hold" in docs[0][2]
    assert docs[1][:2] == ("ok", "text")
