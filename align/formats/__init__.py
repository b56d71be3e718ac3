"""Every corpus format align reads and writes, side by side, and the one registry.

``WRITERS[name](pairs, path, signature) -> int`` and ``READERS[name](path) -> list[Pair]``
for ``jsonl``, ``tsv``, ``tmx``, ``moses``, ``parquet`` and ``hf`` (a Hugging Face
dataset folder); the CLI offers exactly these names. Every writer writes to a temporary
file beside the target and renames it into place (``align.formats.output``), and
checks each pair is writable first.
"""
from __future__ import annotations

import os
from collections.abc import Callable

from align.errors import InputError
from align.files import STDOUT
from align.formats.jsonl import read_jsonl, write_jsonl
from align.formats.moses import read_moses, write_moses
from align.formats.output import Writer, _checked
from align.formats.parquet import read_hf, read_parquet, write_hf, write_parquet
from align.formats.tmx import read_tmx, write_tmx
from align.formats.tsv import read_tsv, write_tsv
from align.records import Pair

WRITERS: dict[str, Writer] = {name: _checked(w) for name, w in {
    "jsonl": write_jsonl,
    "tsv": write_tsv,
    "tmx": write_tmx,
    "moses": write_moses,
    "parquet": write_parquet,
    "hf": write_hf,
}.items()}


READERS: dict[str, Callable[[str], list[Pair]]] = {
    "jsonl": read_jsonl,
    "tsv": read_tsv,
    "tmx": read_tmx,
    "moses": read_moses,
    "parquet": read_parquet,
    "hf": read_hf,
}


def corpus_format(path: str) -> tuple[str, str]:
    """``(format, path)`` of a corpus: by extension (.jsonl .tsv .tmx), or a Moses pair
    given as PREFIX, PREFIX.he or PREFIX.en (returns the prefix)."""
    if path == STDOUT:  # "-": JSONL on standard input, as `align captions` writes it
        return "jsonl", path
    lower = path.lower()
    for ext, fmt in ((".jsonl", "jsonl"), (".json", "jsonl"), (".tsv", "tsv"), (".tmx", "tmx"),
                     (".parquet", "parquet")):
        if lower.endswith(ext):
            return fmt, path
    if os.path.isdir(path):  # a dataset folder that -f hf wrote
        return "hf", path
    for ext in (".he", ".en"):
        if lower.endswith(ext):
            path = path[: -len(ext)]
    if os.path.isfile(path + ".he") and os.path.isfile(path + ".en"):
        return "moses", path
    raise InputError(f"{path}: cannot tell the corpus format; name it .jsonl, .tsv, .tmx or "
                     ".parquet, give a dataset folder (-f hf), or the prefix of a Moses pair "
                     "PREFIX.he + PREFIX.en")


def read_corpus(path: str) -> tuple[str, list[Pair]]:
    """Read any corpus the writers write; returns its format and its pairs."""
    fmt, real = corpus_format(path)
    if fmt not in ("moses", "hf") and real != STDOUT and not os.path.isfile(real):
        raise InputError(f"{path}: no such file; check the path")
    return fmt, READERS[fmt](real)
