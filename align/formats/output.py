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


def _single_line(text: str, what: str) -> str:
    if "\t" in text or "\n" in text or "\r" in text:
        raise OutputError(f"{what}: text holds a tab or newline, which would break the "
                          f"row ({text[:40]!r}); use -f jsonl or tmx for such text")
    return text


Writer = Callable[[Iterable[Pair], str, dict], int]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_pairs(pairs: Iterable[Pair], path: str) -> Iterator[Pair]:
    """``pairs``, each checked to be writable as UTF-8: a lone surrogate (text decoded
    with errors, or built by hand) is refused with the pair it is in, never half-written."""
    for n, pair in enumerate(pairs, start=1):
        for name in ("he", "en", "doc", "mt", "he_element", "en_element", "image"):
            value = getattr(pair, name)
            if isinstance(value, str) and _SURROGATE.search(value):
                raise OutputError(f"{path}: pair {n} ({name} of {pair.doc[:60]!r}) holds a lone surrogate, "
                                  "text that is not valid Unicode (decoded with errors?); clean it first")
        yield pair


def _checked(writer: Writer) -> Writer:
    def write(pairs: Iterable[Pair], path: str, signature: dict) -> int:
        return writer(_valid_pairs(pairs, path), path, signature)
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
