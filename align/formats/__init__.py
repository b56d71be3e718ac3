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

from align.compressed import strip
from align.errors import InputError, OutputError
from align.files import STDOUT
from align.formats.jsonl import read_jsonl, write_jsonl
from align.formats.moses import read_moses, write_moses
from align.formats.output import Writer, _checked
from align.formats.parquet import read_hf, read_parquet, write_hf, write_parquet
from align.formats.tmx import read_tmx, write_tmx
from align.formats.tsv import read_tsv, write_tsv
from align.records import Pair

WRITERS: dict[str, Writer] = {name: _checked(w, name) for name, w in {
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


# A file's name says its format; Moses pairs (PREFIX.he + PREFIX.en) and dataset
# folders (hf) have no extension of their own.
EXTENSIONS = {".jsonl": "jsonl", ".tsv": "tsv", ".tmx": "tmx", ".parquet": "parquet"}


def named_format(path: str | None) -> str | None:
    """The format a file name says (``x.tsv`` -> ``tsv``), or None when it says none."""
    if not path or path == STDOUT:
        return None
    lower = strip(path).lower()  # out.tsv.gz is TSV, compressed
    return next((fmt for ext, fmt in EXTENSIONS.items() if lower.endswith(ext)), None)


def output_format(path: str | None, given: str | None, fallback: str,
                  options: tuple[str, str] = ("-f", "-o"), unnamed: str | None = None) -> str:
    """The format to write ``path`` in, chosen one way by every command: ``given`` (the
    ``-f`` the user typed) when there is one, else the format the name says (.jsonl
    .tsv .tmx .parquet, each maybe compressed; PREFIX.he or PREFIX.en: a Moses pair),
    else ``fallback`` when writing to standard output. A file name that says no format
    is refused (``unnamed``, when given, is used for one with no suffix at all: the
    input's Moses prefix or dataset folder). A name that says another format than
    ``given`` (``-f tsv -o x.jsonl``) is refused rather than written as a mismatch;
    ``options`` name the two options in messages."""
    named = named_format(path)
    if given and named and named != given:
        ext = next(e for e, f in EXTENSIONS.items() if path and strip(path).lower().endswith(e))
        raise OutputError(f"{options[0]} {given} but {options[1]} {path} is named as {named} ({ext}): "
                          f"name the file for {given}, or leave out {options[0]} to write {named}")
    if given or named:
        return given or named  # type: ignore[return-value]
    if not path or path == STDOUT:
        return fallback
    bare = strip(path)
    if bare.lower().endswith((".he", ".en")):
        return "moses"
    ext = os.path.splitext(os.path.basename(bare))[1]
    if unnamed and not ext:
        return unnamed
    raise OutputError(unnamed_message(path, ext, options))


def output_target(fmt: str, path: str) -> str:
    """What the writer of ``fmt`` is given for the name ``path``: for Moses, the pair's
    prefix (``corpus.he`` and ``corpus.en`` name the ``corpus`` pair, as ``align check
    corpus.he`` reads it); else ``path`` itself."""
    return path[:-3] if fmt == "moses" and path.endswith((".he", ".en")) else path


def unnamed_message(path: str, ext: str, options: tuple[str, str]) -> str:
    """Why ``path`` (whose format suffix is ``ext``, maybe empty) does not say a format."""
    known = ("name it .jsonl, .tsv, .tmx or .parquet (the first three may end .gz, .bz2, .xz or .zst), "
             f"PREFIX.he for a Moses pair, or say the format with {options[0]} "
             f"({', '.join(WRITERS)}; {options[0]} hf for a dataset folder)")
    if ext.lower() == ".json":
        return (f"{options[1]} {path}: align writes JSON Lines (one object a line), which json.load cannot read "
                f"as one document; name it .jsonl (pandas.read_json(..., lines=True) reads it), or pass "
                f"{options[0]} jsonl to keep this name")
    what = f"its suffix {ext} is no format align writes" if ext else "the name says no format"
    return f"{options[1]} {path}: {what}; {known}"


def corpus_format(path: str) -> tuple[str, str]:
    """``(format, path)`` of a corpus: by extension (.jsonl .tsv .tmx .parquet), a
    dataset folder (hf), or a Moses pair given as PREFIX, PREFIX.he or PREFIX.en
    (returns the prefix)."""
    if path == STDOUT:  # "-": JSONL on standard input, as `align captions` writes it
        return "jsonl", path
    named = named_format(path)
    if named:
        return named, path
    lower = path.lower()
    if strip(lower).endswith(".json"):  # JSON Lines, as align before 0.11 wrote it for -o x.json
        return "jsonl", path
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


def corpus_files(path: str) -> list[str]:
    """The files (or dataset folder) a corpus ``path`` names: itself, and for a Moses
    pair, PREFIX.he and PREFIX.en; what no output of the same run may be."""
    if path == STDOUT:
        return []
    try:
        fmt, real = corpus_format(path)
    except InputError:
        return [path]
    return [path, real + ".he", real + ".en"] if fmt == "moses" else [path]


ROW_READERS = {"jsonl": read_jsonl, "tsv": read_tsv, "tmx": read_tmx}  # they can skip a bad row


def read_corpus(path: str, errors: list[str] | None = None, encoding: str | None = None) -> tuple[str, list[Pair]]:
    """Read any corpus the writers write; returns its format and its pairs. A malformed
    row raises ``InputError``; with ``errors``, each one's message is kept there and the
    row skipped (JSONL, TSV, TMX), so that the rest is read. ``encoding``: a text
    corpus (JSONL, TSV) is read in it, whatever it looks like (``--encoding``)."""
    fmt, real = corpus_format(path)
    if fmt not in ("moses", "hf") and real != STDOUT and (not os.path.exists(real) or os.path.isdir(real)):
        raise InputError(f"{path}: no such file; check the path")
    if encoding and fmt in ("jsonl", "tsv"):
        return fmt, ROW_READERS[fmt](real, errors, encoding)  # type: ignore[call-arg]
    if errors is not None and fmt in ROW_READERS:
        return fmt, ROW_READERS[fmt](real, errors)
    return fmt, READERS[fmt](real)
