"""Parquet and Hugging Face dataset folders, out and in.

``-f parquet`` writes one row per pair with typed columns (see ``PAIR_SCHEMA``) in row
groups of ``ROW_GROUP`` pairs, streaming: memory stays flat however long the run. The
run's signature is JSON in the schema metadata under ``align``.

``-f hf`` writes a folder that ``datasets.load_dataset(FOLDER)`` opens as it is:
``data/train-NNNNN-of-MMMMM.parquet`` shards whose rows hold a ``translation`` struct
(``he``, ``en``) beside the other columns, and a dataset card ``README.md`` whose YAML
header names the languages, the task, the config and the features (the licence is left
for the user to fill in), and whose body gives the signature and the counts. Writing
it needs pyarrow only, not ``datasets``.

Both are written under a temporary name and renamed into place. The readers give back
``Pair``s, so ``align check`` and ``align eval`` read what the writers write.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator

from align.errors import InputError, OutputError
from align.files import atomic_open, umask
from align.owned import never_replaced, tidy, why_not_ours
from align.records import Bead, Pair

ROW_GROUP = 10_000  # pairs a row group; a shard of an hf folder holds SHARD of them
SHARD = 500_000
METADATA_KEY = b"align"
_COLUMNS = ("doc", "he", "en", "score", "he_line", "en_line", "he_lines", "en_lines", "mt",
            "he_element", "en_element", "image", "count", "verdict", "he_uncovered", "en_uncovered", "encoding")


def _pa():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # a core dependency; only a broken install lacks it
        raise OutputError("Parquet needs pyarrow: pip install pyarrow") from None
    return pa, pq


def pair_schema(translation: bool = False, signature: dict | None = None):
    """The columns of a pair row; with ``translation``, a ``translation`` struct
    (``he``, ``en``) comes first, as Hugging Face's translation feature has it."""
    pa, _ = _pa()
    fields = [pa.field("translation", pa.struct([("he", pa.string()), ("en", pa.string())]))] if translation else []
    fields += [pa.field("doc", pa.string()), pa.field("he", pa.string()), pa.field("en", pa.string()),
               pa.field("score", pa.float64()), pa.field("he_line", pa.int64()), pa.field("en_line", pa.int64()),
               pa.field("he_lines", pa.list_(pa.int64())), pa.field("en_lines", pa.list_(pa.int64())),
               pa.field("mt", pa.string()), pa.field("he_element", pa.string()),
               pa.field("en_element", pa.string()), pa.field("image", pa.string()),
               pa.field("count", pa.int64()), pa.field("verdict", pa.string()),
               pa.field("he_uncovered", pa.list_(pa.string())), pa.field("en_uncovered", pa.list_(pa.string())),
               pa.field("encoding", pa.string())]
    meta = {METADATA_KEY: json.dumps(signature, ensure_ascii=False, sort_keys=True).encode()} if signature else None
    return pa.schema(fields, metadata=meta)


def bead_schema(signature: dict | None = None):
    """The columns of a bead row (``align documents``): sentence indices as lists."""
    pa, _ = _pa()
    meta = {METADATA_KEY: json.dumps(signature, ensure_ascii=False, sort_keys=True).encode()} if signature else None
    return pa.schema([pa.field("doc", pa.string()), pa.field("he_ids", pa.list_(pa.int64())),
                      pa.field("en_ids", pa.list_(pa.int64())), pa.field("he", pa.string()),
                      pa.field("en", pa.string()), pa.field("score", pa.float64()),
                      pa.field("he_lines", pa.list_(pa.int64())), pa.field("en_lines", pa.list_(pa.int64())),
                      pa.field("below_threshold", pa.bool_()), pa.field("encoding", pa.string())], metadata=meta)


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pair_row(pair: Pair, translation: bool) -> dict:
    row = {name: getattr(pair, name) for name in _COLUMNS}
    if translation:
        row["translation"] = {"he": pair.he, "en": pair.en}
    return row


def _write_rows(rows: Iterable[dict], where, schema, limit: int | None = None) -> int:
    """Write ``rows`` to ``where`` (a path or a binary file) in row groups; stop after
    ``limit`` rows (None: all)."""
    pa, pq = _pa()
    n = 0
    with pq.ParquetWriter(where, schema, compression="zstd") as writer:
        for batch in _batches(rows if limit is None else _take(iter(rows), limit), ROW_GROUP):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def _take(rows: Iterator[dict], limit: int) -> Iterator[dict]:
    for _ in range(limit):
        row = next(rows, None)
        if row is None:
            return
        yield row


def _write_file(rows: Iterable[dict], path: str, schema) -> int:
    """``rows`` as one Parquet file at ``path``, through ``atomic_open``'s temporary file."""
    if path == "-":
        raise OutputError("Parquet is a binary file: give -o FILE.parquet")
    try:
        with atomic_open(path, binary=True) as fh:
            return _write_rows(rows, fh, schema)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None


def write_parquet(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """Pairs as one Parquet file (see the module doc)."""
    return _write_file((_pair_row(p, False) for p in pairs), path, pair_schema(False, signature))


def write_bead_parquet(beads: Iterable[Bead], path: str, signature: dict) -> int:
    """Beads as Parquet rows with ``he_ids``/``en_ids`` lists (``Bead.to_dict``), the
    file lines and ``below_threshold`` (false unless marked)."""
    rows = ({"below_threshold": False, **b.to_dict()} for b in beads)
    return _write_file(rows, path, bead_schema(signature))


def write_hf(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """A Hugging Face dataset folder (see the module doc). An existing folder is
    replaced only as a whole, once the new one is complete."""
    if path == "-":
        raise OutputError("-f hf writes a folder: give -o FOLDER")
    path = tidy(path)
    _replaceable(path)
    parent = os.path.dirname(os.path.abspath(path))
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=parent)
    try:
        os.makedirs(os.path.join(tmp, "data"))
        rows = (_pair_row(p, True) for p in pairs)
        schema = pair_schema(True, signature)
        shards: list[str] = []
        n = 0
        while True:
            name = os.path.join(tmp, "data", f"shard-{len(shards):05d}.parquet")
            written = _write_rows(rows, name, schema, SHARD)
            if not written and shards:
                os.unlink(name)
                break
            shards.append(name)
            n += written
            if written < SHARD:
                break
        for k, name in enumerate(shards):  # the names Hugging Face expects
            os.replace(name, os.path.join(tmp, "data", f"train-{k:05d}-of-{len(shards):05d}.parquet"))
        with open(os.path.join(tmp, "README.md"), "w", encoding="utf-8") as fh:
            fh.write(dataset_card(signature, n, len(shards)))
        os.chmod(tmp, 0o777 & ~umask())
        _swap(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the dataset folder ({exc.strerror})") from None
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp)
    return n


def _replaceable(path: str) -> None:
    """Refuse to replace ``path`` unless it is a dataset folder align wrote (and not the
    root, home or current folder, nor one above it): the folder is replaced whole."""
    if not os.path.lexists(path):
        return
    if not os.path.isdir(path) or os.path.islink(path):
        raise OutputError(f"{path}: not a folder; -f hf writes a dataset folder: give a new folder's name")
    why = never_replaced(path) or why_not_ours(path)
    if why:
        raise OutputError(f"{path}: will not be replaced ({why}); give a new folder's name")


def _swap(new: str, path: str) -> None:
    """Put folder ``new`` in place of ``path``: the old folder (align's, checked) is
    renamed aside first and removed only once the new one is in place; if that fails,
    it is put back."""
    old = None
    if os.path.isdir(path):
        old = f"{new[:-len('.tmp')]}.old.tmp"
        os.replace(path, old)
    try:
        os.replace(new, path)
    except OSError:
        if old:
            os.replace(old, path)
        raise
    if old:
        shutil.rmtree(old)


_FEATURES = [("doc", "string"), ("he", "string"), ("en", "string"), ("score", "float64"),
             ("he_line", "int64"), ("en_line", "int64"), ("he_lines", ["int64"]), ("en_lines", ["int64"]),
             ("mt", "string"), ("he_element", "string"), ("en_element", "string"), ("image", "string"),
             ("count", "int64"), ("verdict", "string"), ("he_uncovered", ["string"]), ("en_uncovered", ["string"]),
             ("encoding", "string")]


# What an hf folder of no pairs is, and is not, good for (datasets 2.x-5.x skip a split
# of no rows and then refuse it: huggingface/datasets#5, open PR #8401).
EMPTY_NOTE = ("This folder holds no pairs: the run found none. `datasets.load_dataset` cannot open a split "
              "of no rows (it raises 'Instruction \"train\" corresponds to no data'); "
              "`pyarrow.parquet.read_table(\"data\")` and `pandas.read_parquet(\"data\")` read it as an empty "
              "table with every column.")


def dataset_rows(folder: str) -> int:
    """How many pairs the dataset folder ``folder`` holds (from its shards' footers)."""
    return sum(_table(shard).metadata.num_rows for shard in hf_shards(folder))


def dataset_card(signature: dict, rows: int, shards: int) -> str:
    """The ``README.md`` of an hf folder: YAML header and a short body. The header
    declares no ``configs``: ``datasets`` finds the train split by the shards' names
    (``data/train-*``), and keys its cache on their modification times; with declared
    ``configs`` it keys the cache on the card alone, so a folder rewritten, or another
    of the same name, loaded the first one's cached rows (datasets 5.2)."""
    lines = ["---", "language:", "- he", "- en", "task_categories:", "- translation",
             "license: other  # fill in the licence of your sources", "dataset_info:",
             "  features:", "  - name: translation", "    dtype:", "      translation:", "        languages:",
             "        - he", "        - en"]
    for name, kind in _FEATURES:
        lines += [f"  - name: {name}"]
        lines += [f"    dtype: {kind}"] if isinstance(kind, str) else ["    sequence: " + kind[0]]
    lines += ["---", "",
              "# Hebrew–English pairs written by align", "",
              f"{rows} pairs in {shards} Parquet shard{'s' if shards != 1 else ''} under `data/`. Each row holds "
              "`translation` (`he`, `en`) and the pair's provenance: `doc`, `score` (the calibrated "
              "probability that the two translate each other, under the standard the signature "
              "names), `verdict` (T a full translation, P a partial one), the words of each side "
              "with no counterpart (`he_uncovered`, `en_uncovered`), line numbers, the encoding its page "
              "was read with (`encoding`), and for HTML pages the elements and the image.", "",
              "Fill in the licence above: it is that of the pages the pairs came from.", "",
              *([EMPTY_NOTE, ""] if rows == 0 else []),
              "```python", "import datasets", 'ds = datasets.load_dataset("path/to/this/folder", split="train")',
              "```", "", "## Signature", "", "```json",
              json.dumps(signature, indent=2, ensure_ascii=False, sort_keys=True), "```", ""]
    return "\n".join(lines)


def _bad_file_errors() -> tuple[type[BaseException], ...]:
    pa, _ = _pa()
    return (pa.ArrowException, OSError, ValueError, EOFError)


def _table(path: str):
    _, pq = _pa()
    try:
        return pq.ParquetFile(path)
    except _bad_file_errors() as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None


def _rows(path: str) -> Iterator[dict]:
    handle = _table(path)
    for group in range(handle.num_row_groups):
        try:
            rows = handle.read_row_group(group).to_pylist()
        except _bad_file_errors() as exc:  # a damaged row group
            raise InputError(f"{path}: row group {group} cannot be read ({exc}); the file is "
                             "damaged: write it again") from None
        yield from rows


def _pair(row: dict, path: str) -> Pair:
    he, en = row.get("he"), row.get("en")
    if (he is None or en is None) and isinstance(row.get("translation"), dict):
        he, en = row["translation"].get("he"), row["translation"].get("en")
    if he is None or en is None:
        raise InputError(f"{path}: a row has no he/en (or translation) columns")
    extra = {name: row.get(name) for name in ("he_line", "en_line", "mt", "he_element", "en_element",
                                              "image", "count", "verdict", "he_uncovered", "en_uncovered",
                                              "encoding")}
    return Pair(doc=row.get("doc") or path, he=he, en=en, score=float(row.get("score") or 0.0),
                he_lines=list(row.get("he_lines") or []), en_lines=list(row.get("en_lines") or []), **extra)


def read_parquet(path: str) -> list[Pair]:
    """The pairs of a Parquet file ``-f parquet`` wrote (or any with he/en or a
    translation struct)."""
    return [_pair(row, path) for row in _rows(path)]


def hf_shards(folder: str) -> list[str]:
    """The Parquet shards of a dataset folder, in order."""
    data = os.path.join(folder, "data")
    base = data if os.path.isdir(data) else folder
    shards = sorted(os.path.join(base, f) for f in os.listdir(base) if f.endswith(".parquet"))
    if not shards:
        raise InputError(f"{folder}: a folder without Parquet shards (data/*.parquet); "
                         "give a folder that `align ... -f hf` wrote")
    return shards


def read_hf(folder: str) -> list[Pair]:
    """The pairs of a dataset folder ``-f hf`` wrote."""
    return [pair for shard in hf_shards(folder) for pair in read_parquet(shard)]


def signature_of(path: str) -> dict | None:
    """The run signature stored in a Parquet file's schema metadata, if any."""
    meta = _table(path).schema_arrow.metadata or {}
    return json.loads(meta[METADATA_KEY]) if METADATA_KEY in meta else None


def read_bead_rows(path: str) -> list[dict]:
    """Bead rows (``he_ids``, ``en_ids``...) or pair rows of a Parquet file, as dicts."""
    return list(_rows(path))
