"""Every format align writes, read by the tools users feed it to: the read calls the
README gives, on real-shaped pairs (gershayim, a field opening with a quote, bidi
controls, emoji, backslashes, strings readers take for missing values) and on an empty
corpus. Each cell reads back exactly the texts written.

The readers are in the test extra; a cell whose reader is not installed is skipped
(CI installs them all)."""
from __future__ import annotations

import csv
import json
import os

import pytest

import align
from align.records import Pair

pytestmark = pytest.mark.slow

ROWS = [
    ('צה"ל יירט רקטה מעל אשקלון', '"Iron Dome" intercepts a rocket over Ashkelon'),
    ("הרב ז\"ל הובא למנוחות \u200fבירושלים\u200f", "The late rabbi was laid to rest in Jerusalem 🇮🇱"),
    ("\u202bגלנט\u202c בוושינגטון, 12.5 ק\"מ", "Gallant in Washington, \"talks\" went 'well' (7.8 mi)"),
    ("NA", "null"),
    ("#שלום, ״עולם״", "C:\\temp\\x \\n is not a line break; nor is \\t"),
    ("'גרש' בתחילה", "'Quoted' at the start, and a trailing quote\""),
]
PAIRS = [Pair(doc="pages/p.html", he=he, en=en, score=round(0.9 - k / 20, 2), he_line=k + 1, en_line=k + 2,
              verdict="T", he_uncovered=[], en_uncovered=["mi"] if k == 2 else [], encoding="utf-8")
         for k, (he, en) in enumerate(ROWS)]
SIGNATURE = {"tool": "align", "version": align.__version__, "threshold": 0.5}
COLUMNS = ["he", "en", "score"]  # a TSV's columns, in order (a fourth, count, after --dedup)


def _tsv_pandas(path):
    import pandas as pd

    frame = pd.read_csv(path, sep="\t", header=None, names=COLUMNS, quoting=csv.QUOTE_NONE,
                        keep_default_na=False, dtype={"he": str, "en": str})
    return list(zip(frame["he"], frame["en"]))


def _tsv_polars(path):
    import polars as pl

    frame = pl.read_csv(path, separator="\t", has_header=False, quote_char=None,
                        schema={"he": pl.String, "en": pl.String, "score": pl.Float64}, raise_if_empty=False)
    return list(zip(frame["he"], frame["en"]))


def _tsv_duckdb(path):
    import duckdb

    rows = duckdb.sql(f"SELECT he, en FROM read_csv('{path}', delim='\t', header=false, quote='', escape='', "
                      "auto_detect=false, columns={'he': 'VARCHAR', 'en': 'VARCHAR', 'score': 'DOUBLE'})")
    return rows.fetchall()


def _tsv_datasets(path):
    import datasets

    ds = datasets.load_dataset("csv", data_files=path, delimiter="\t", column_names=COLUMNS,
                               quoting=csv.QUOTE_NONE, keep_default_na=False, split="train")
    return list(zip(ds["he"], ds["en"]))


def _tsv_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return [(row[0], row[1]) for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _jsonl_json(path):
    with open(path, encoding="utf-8") as fh:
        return [(row["he"], row["en"]) for row in map(json.loads, fh)]


def _jsonl_pandas(path):
    import pandas as pd

    frame = pd.read_json(path, lines=True, dtype=False)
    return list(zip(frame["he"], frame["en"])) if len(frame) else []


def _jsonl_polars(path):
    import polars as pl

    frame = pl.read_ndjson(path)
    return list(zip(frame["he"], frame["en"]))


def _jsonl_duckdb(path):
    import duckdb

    rel = duckdb.sql(f"SELECT * FROM read_json('{path}', format='newline_delimited')")
    return [(row["he"], row["en"]) for row in (dict(zip(rel.columns, r)) for r in rel.fetchall())]


def _jsonl_datasets(path):
    import datasets

    ds = datasets.load_dataset("json", data_files=path, split="train")
    return list(zip(ds["he"], ds["en"]))


def _parquet_pyarrow(path):
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return list(zip(table.column("he").to_pylist(), table.column("en").to_pylist()))


def _parquet_pandas(path):
    import pandas as pd

    frame = pd.read_parquet(path)
    return list(zip(frame["he"], frame["en"]))


def _parquet_polars(path):
    import polars as pl

    frame = pl.read_parquet(path)
    return list(zip(frame["he"], frame["en"]))


def _parquet_duckdb(path):
    import duckdb

    return duckdb.sql(f"SELECT he, en FROM read_parquet('{path}')").fetchall()


def _hf_datasets(path):
    import datasets

    ds = datasets.load_dataset(path, split="train")
    return [(t["he"], t["en"]) for t in ds["translation"]]


def _hf_pyarrow(path):
    return _parquet_pyarrow(os.path.join(path, "data"))


def _hf_polars(path):
    import polars as pl

    frame = pl.read_parquet(os.path.join(path, "data", "*.parquet"))
    return [(t["he"], t["en"]) for t in frame["translation"]]


def _tmx_translate_toolkit(path):
    from translate.storage.tmx import tmxfile

    with open(path, "rb") as fh:
        return [(unit.source, unit.target) for unit in tmxfile(fh, "he", "en").units]


def _tmx_lxml(path):
    from lxml import etree

    tree = etree.parse(path)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    return [tuple(tu.find(f"tuv[@{lang}='{side}']/seg").text or "" for side in ("he", "en"))
            for tu in tree.iter("tu")]


def _moses_lines(path):
    with open(path + ".he", encoding="utf-8", newline="") as he, open(path + ".en", encoding="utf-8", newline="") as en:
        return list(zip(he.read().splitlines(), en.read().splitlines()))  # every Unicode line break counts


def _moses_sacremoses(path):
    from sacremoses import MosesDetokenizer, MosesTokenizer

    rows = _moses_lines(path)
    tokenizer, detokenizer = MosesTokenizer(lang="en"), MosesDetokenizer(lang="en")
    for _, en in rows:  # what a Moses pipeline does with each line: one sentence in, tokens out
        tokens = tokenizer.tokenize(en, escape=False)
        assert tokens and detokenizer.detokenize(tokens).replace(" ", "") == en.replace(" ", "")
    return rows


MATRIX = [
    ("jsonl", "p.jsonl", "json", _jsonl_json, "json"), ("jsonl", "p.jsonl", "pandas", _jsonl_pandas, "pandas"),
    ("jsonl", "p.jsonl", "polars", _jsonl_polars, "polars"), ("jsonl", "p.jsonl", "duckdb", _jsonl_duckdb, "duckdb"),
    ("jsonl", "p.jsonl", "datasets", _jsonl_datasets, "datasets"),
    ("tsv", "p.tsv", "csv", _tsv_csv, "csv"), ("tsv", "p.tsv", "pandas", _tsv_pandas, "pandas"),
    ("tsv", "p.tsv", "polars", _tsv_polars, "polars"), ("tsv", "p.tsv", "duckdb", _tsv_duckdb, "duckdb"),
    ("tsv", "p.tsv", "datasets", _tsv_datasets, "datasets"),
    ("tsv.gz", "p.tsv.gz", "pandas", _tsv_pandas, "pandas"),
    ("parquet", "p.parquet", "pyarrow", _parquet_pyarrow, "pyarrow"),
    ("parquet", "p.parquet", "pandas", _parquet_pandas, "pandas"),
    ("parquet", "p.parquet", "polars", _parquet_polars, "polars"),
    ("parquet", "p.parquet", "duckdb", _parquet_duckdb, "duckdb"),
    ("hf", "ds", "datasets", _hf_datasets, "datasets"), ("hf", "ds", "pyarrow", _hf_pyarrow, "pyarrow"),
    ("hf", "ds", "polars", _hf_polars, "polars"),
    ("tmx", "p.tmx", "translate-toolkit", _tmx_translate_toolkit, "translate"),
    ("tmx", "p.tmx", "lxml", _tmx_lxml, "lxml"),
    ("moses", "c", "splitlines", _moses_lines, "os"), ("moses", "c", "sacremoses", _moses_sacremoses, "sacremoses"),
]
# A reader that cannot open an empty corpus, and what it says (documented in the README).
EMPTY_FAILS = {("jsonl", "datasets"): (StopIteration, None),
               ("tsv", "datasets"): (ValueError, "corresponds to no data"),
               ("hf", "datasets"): (ValueError, "corresponds to no data"),
               ("jsonl", "polars"): (Exception, "empty")}


def _write(tmp_path, fmt: str, name: str, pairs) -> str:
    path = str(tmp_path / name)
    align.write(pairs, path, format=fmt.split(".")[0], signature=SIGNATURE)
    return path


@pytest.mark.parametrize("fmt, name, reader, read, module", MATRIX, ids=[f"{m[0]}-{m[2]}" for m in MATRIX])
def test_every_reader_gets_back_exactly_what_was_written(tmp_path, fmt, name, reader, read, module):
    pytest.importorskip(module)
    path = _write(tmp_path, fmt, name, PAIRS)
    assert read(path) == ROWS


@pytest.mark.parametrize("fmt, name, reader, read, module", MATRIX, ids=[f"{m[0]}-{m[2]}" for m in MATRIX])
def test_an_empty_corpus_is_a_valid_file_each_reader_opens(tmp_path, fmt, name, reader, read, module):
    pytest.importorskip(module)
    path = _write(tmp_path, fmt, name, [])
    if (fmt, reader) in EMPTY_FAILS:  # the reader's own limit: the README says so
        kind, words = EMPTY_FAILS[(fmt, reader)]
        with pytest.raises(kind, match=words):
            read(path)
        return
    assert read(path) == []


def test_moses_lines_never_split_on_a_unicode_line_break(tmp_path):
    odd = Pair(doc="p", he="שורה\u2028שנייה", en="one\u2029two", score=0.9)
    with pytest.raises(align.OutputError, match="1 pair not written"):
        align.write([*PAIRS, odd], str(tmp_path / "c.he"), signature=SIGNATURE)
    assert _moses_lines(str(tmp_path / "c")) == ROWS  # the others, one line each


def test_dedup_tsv_has_a_fourth_column_the_readers_take_by_name(tmp_path):
    pd = pytest.importorskip("pandas")
    path = tmp_path / "d.tsv"
    align.write([Pair(doc="p", he=he, en=en, score=0.5, count=2) for he, en in ROWS], str(path), signature=SIGNATURE)
    frame = pd.read_csv(path, sep="\t", header=None, names=[*COLUMNS, "count"], quoting=csv.QUOTE_NONE,
                        keep_default_na=False, dtype={"he": str, "en": str})
    assert list(zip(frame["he"], frame["en"])) == ROWS and set(frame["count"]) == {2}
