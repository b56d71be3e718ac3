"""Writing outputs safely: a temporary file renamed into place, standard output, the
signature sidecar ``OUT.meta.json``, and the checks every writer makes first."""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator

from align.compressed import read_all
from align.encoding import decode_text
from align.errors import InputError, OutputError
from align.files import atomic_open
from align.records import Pair


def meta_path(path: str) -> str:
    """Where the sidecar signature of ``path`` goes."""
    return path + ".meta.json"


def output_paths(fmt: str, path: str) -> list[str]:
    """Every file a writer of ``fmt`` creates for ``-o path``."""
    if fmt == "moses":
        return [path + ".he", path + ".en", meta_path(path)]
    if fmt in ("tmx", "parquet", "hf"):  # the signature is inside (header, schema, card)
        return [path]
    return [path, meta_path(path)]


def write_meta(path: str, signature: dict, files: list[str] | None = None) -> None:
    """Write the run's signature as ``path.meta.json``, with the names of the ``files``
    it signs (default: ``path``'s), so that a later ``--force`` knows them for align's
    (``align.owned``)."""
    import os

    signed = [os.path.basename(f) for f in (files or [path])]
    with atomic_open(meta_path(path)) as fh:
        json.dump({**signature, "files": signed}, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")


# What a line-based format (TSV, Moses) cannot carry in a field: a tab (a column) and
# every character str.splitlines() and tools built on it take for a line break.
LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# What XML 1.0 (TMX) cannot carry at all.
XML_INVALID = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]")
CANNOT_CARRY = {"tsv": (LINE_BREAKS, "a tab or line break"), "moses": (LINE_BREAKS, "a tab or line break"),
                "tmx": (XML_INVALID, "a character XML cannot carry")}


def json_line(row: dict) -> str:
    """One JSONL line: UTF-8 text as it is, but U+2028 and U+2029 escaped, as JSON
    allows, so that no reader splitting on Unicode line breaks cuts the line."""
    return json.dumps(row, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


class RowsSkipped(OutputError):
    """Some pairs could not be written in the format (each named); the rest were."""


Writer = Callable[[Iterable[Pair], str, dict], int]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _problem(pair: Pair, fmt: str) -> str | None:
    """Why ``pair`` cannot be written as ``fmt``, or None."""
    rule, what = CANNOT_CARRY.get(fmt, (None, ""))
    for name in ("he", "en", "doc", "mt", "he_element", "en_element", "image"):
        value = getattr(pair, name)
        if not isinstance(value, str):
            continue
        if _SURROGATE.search(value):
            return f"its {name} holds a lone surrogate, text that is not valid Unicode (decoded with errors?)"
        if rule is not None and (name in ("he", "en") or fmt == "tmx") and rule.search(value):
            return f"its {name} holds {what} ({value[:40]!r})"
    return None


def _valid_pairs(pairs: Iterable[Pair], fmt: str, skipped: list[str]) -> Iterator[Pair]:
    """``pairs`` that ``fmt`` can carry; each other one is named in ``skipped`` and left
    out, so that one row never sinks a corpus."""
    for n, pair in enumerate(pairs, start=1):
        problem = _problem(pair, fmt)
        if problem:
            skipped.append(f"pair {n} (from {pair.doc[:80]}): {problem}")
            continue
        yield pair


def _checked(writer: Writer, fmt: str) -> Writer:
    """``writer`` that leaves out (and names) the pairs ``fmt`` cannot carry: the file
    is written with the others, then ``RowsSkipped`` says which were left out."""
    def write(pairs: Iterable[Pair], path: str, signature: dict) -> int:
        skipped: list[str] = []
        n = writer(_valid_pairs(pairs, fmt, skipped), path, signature)
        if skipped:
            where = "standard output" if path == "-" else path
            shown = "; ".join(skipped[:3]) + ("; ..." if len(skipped) > 3 else "")
            raise RowsSkipped(f"{where}: {len(skipped)} pair{'s' if len(skipped) > 1 else ''} not written, "
                              f"which {fmt} cannot carry ({shown}); the other {n} are written; use -f jsonl "
                              "to keep every pair")
        return n
    write.__doc__, write.__name__ = writer.__doc__, writer.__name__
    return write


def read_text(path: str, encoding: str | None = None) -> str:
    try:
        data = read_all(path)  # decompressed, if it is compressed
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check that it exists and "
                         "that you may read it") from None
    return _utf8(data, path, encoding)


def read_stdin() -> str:
    return _utf8(sys.stdin.buffer.read(), "<stdin>")


def _utf8(data: bytes, name: str, encoding: str | None = None) -> str:
    """A corpus file's text (UTF-8, UTF-16, windows-1255 or windows-1252: ``align.encoding``),
    newlines as universal newlines read them."""
    return decode_text(data, name, forced=encoding).text.replace("\r\n", "\n").replace("\r", "\n")


def skip_or_raise(message: str, errors: list[str] | None) -> None:
    """A malformed row of a corpus: ``InputError`` (the whole file refused), or, with
    ``errors``, its message kept there and the row skipped (``align check`` goes on)."""
    if errors is None:
        raise InputError(message)
    errors.append(message)
