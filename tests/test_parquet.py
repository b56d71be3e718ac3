"""Parquet files and Hugging Face dataset folders, written and read back."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from align.cli import main
from align.formats import read_corpus
from align.formats.parquet import read_bead_rows, read_parquet, signature_of
from align.runs.journal import Journal
from align.runs.registry import Settings

DATA = Path(__file__).parent / "data"
INPUTS = sorted((DATA / "ynet").glob("*.html")) + sorted((DATA / "html").glob("*.html")) + \
    [DATA / "ynetnews-gallant-trip.txt"]


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory):
    out = tmp_path_factory.mktemp("jsonl") / "pairs.jsonl"
    assert main(["captions", *map(str, INPUTS), "-o", str(out)]) == 0
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def test_parquet_holds_every_field_of_the_jsonl_and_the_signature(jsonl, tmp_path):
    out = tmp_path / "pairs.parquet"
    assert main(["captions", *map(str, INPUTS), "-f", "parquet", "-o", str(out)]) == 0
    assert sorted(os.listdir(tmp_path)) == ["pairs.parquet"]  # no sidecar, no temporary left
    assert [p.to_dict() for p in read_parquet(str(out))] == jsonl
    sig = signature_of(str(out))
    assert sig["tool"] == "align" and sig["scorer"] == "auto" and "model_sha256" in sig


def test_parquet_columns_are_typed(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "pairs.parquet"
    assert main(["captions", str(DATA / "ynetnews-gallant-trip.txt"), "-f", "parquet", "-o", str(out)]) == 0
    schema = pq.read_schema(out)
    assert str(schema.field("score").type) == "double"
    assert str(schema.field("he_lines").type) == "list<element: int64>"
    assert str(schema.field("he_line").type) == "int64"


def test_an_hf_folder_opens_with_datasets_load_dataset(jsonl, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "dataset"
    assert main(["captions", *map(str, INPUTS), "-f", "hf", "-o", str(out)]) == 0
    assert (out / "README.md").read_text("utf-8").startswith("---\nlanguage:\n- he\n- en\n")
    ds = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache"))
    assert isinstance(ds.features["translation"], datasets.Translation)
    assert ds.features["translation"].languages == ["he", "en"]
    assert len(ds) == len(jsonl)
    assert [r["translation"] for r in ds] == [{"he": r["he"], "en": r["en"]} for r in jsonl]
    assert ds[0]["score"] == jsonl[0]["score"] and ds[0]["doc"] == jsonl[0]["doc"]


def test_hf_is_written_without_the_datasets_package(tmp_path):
    out = tmp_path / "dataset"
    code = ("import sys; sys.modules['datasets'] = None\n"
            "from align.cli import main\n"
            f"raise SystemExit(main(['captions', {str(DATA / 'ynetnews-gallant-trip.txt')!r}, '-f', 'hf', "
            f"'-o', {str(out)!r}, '--standard', 'lenient']))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert len(read_corpus(str(out))[1]) == 2


@pytest.mark.parametrize("fmt, name", [("parquet", "pairs.parquet"), ("hf", "dataset")])
def test_check_and_eval_read_what_the_writers_write(jsonl, tmp_path, capsys, fmt, name):
    out = tmp_path / name
    assert main(["captions", *map(str, INPUTS), "-f", fmt, "-o", str(out)]) == 0
    kept = tmp_path / ("kept.parquet" if fmt == "parquet" else "kept")
    assert main(["check", str(out), "-o", str(tmp_path / "checked.jsonl"), "--keep", str(kept)]) == 0
    checked = [json.loads(line) for line in (tmp_path / "checked.jsonl").read_text("utf-8").splitlines()]
    assert [(c["he"], c["en"]) for c in checked] == [(r["he"], r["en"]) for r in jsonl]
    assert read_corpus(str(kept))[0] == fmt and len(read_corpus(str(kept))[1]) >= 1
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in jsonl), "utf-8")
    capsys.readouterr()
    assert main(["eval", str(gold), str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["pairs"]["f1"] == 1.0


@pytest.mark.slow
def test_documents_beads_keep_their_sentence_indices_as_lists(tmp_path):
    out = tmp_path / "beads.parquet"
    docs = DATA / "docs"
    assert main(["documents", str(docs / "doc000"), str(docs / "doc001"), "--presplit", "-f", "parquet",
                 "-o", str(out)]) == 0
    rows = read_bead_rows(str(out))
    jsonl = tmp_path / "beads.jsonl"
    assert main(["documents", str(docs / "doc000"), str(docs / "doc001"), "--presplit", "-o", str(jsonl)]) == 0
    # the same beads; Parquet has a below_threshold column, JSONL marks only the beads under it
    assert rows == [{"below_threshold": False, **json.loads(line)} for line in jsonl.read_text("utf-8").splitlines()]
    assert isinstance(rows[0]["he_ids"], list) and signature_of(str(out))["presplit"] is True


@pytest.mark.parametrize("fmt", ["parquet", "hf"])
def test_binary_formats_need_an_output_path(capsys, fmt):
    with pytest.raises(SystemExit) as exc:
        main(["captions", str(DATA / "ynetnews-gallant-trip.txt"), "-f", fmt])
    assert exc.value.code == 2 and "-o" in capsys.readouterr().err


@pytest.mark.slow
def test_a_parquet_run_resumes_to_the_rows_of_an_uninterrupted_run(jsonl, tmp_path):
    """The journal is the same as for JSONL; a run killed after some documents resumes
    and writes the Parquet file of the whole run."""
    out = tmp_path / "pairs.parquet"
    items = list(map(str, INPUTS))
    journal = Journal(str(out))
    journal.start({"settings": asdict(Settings()), "format": "parquet", "dedup": False})
    journal.close()
    done = [r for r in jsonl if r["doc"] in items[:3]]
    with open(journal.partial, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in done)
    end = os.path.getsize(journal.partial)
    with open(journal.progress, "a", encoding="utf-8") as fh:
        for i, doc in enumerate(items[:3]):
            fh.write(json.dumps({"i": i, "doc": doc, "pairs": 0, "end": end}) + "\n")
    assert main(["captions", *items, "-f", "parquet", "-o", str(out), "--resume"]) == 0
    assert [p.to_dict() for p in read_parquet(str(out))] == jsonl
    assert sorted(os.listdir(tmp_path)) == ["pairs.parquet"]


def test_a_file_that_is_not_parquet_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet", "utf-8")
    assert main(["check", str(bad)]) == 1
    assert "bad.parquet: not a readable Parquet file" in capsys.readouterr().err
