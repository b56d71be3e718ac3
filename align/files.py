"""Files written safely, for every room that writes one: a temporary file beside the
target renamed into place only on success (``atomic_open``), or standard output
(``open_output``, ``binary_output``); and, for every room that reads one, what UTF-16
bytes are (``utf16_problem``: JSONL records must be UTF-8; ``align.encoding`` reads the
rest). A leaf: it imports nothing of align but its errors and ``compressed``."""
from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import IO

from align import compressed
from align.errors import OutputError

STDOUT = "-"


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(path: str, binary: bool = False) -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it to ``path`` only on success. A
    name that says a compression (``out.tsv.gz``) is written compressed."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                                   dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}); "
                          "choose another -o path") from None
    try:
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes 0600; outputs get the usual mode
        with os.fdopen(fd, "wb") as raw:
            packed = compressed.writer(raw, path)  # out.tsv.gz: gzip; raw itself otherwise
            fh = packed if binary else io.TextIOWrapper(packed, encoding="utf-8", newline="\n")
            try:
                yield fh
            finally:
                if fh is not raw:
                    fh.close()  # flushes the compressor; raw stays open for the with
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise OutputError(f"{path}: cannot be replaced ({exc.strerror}); "
                              "choose another -o path") from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """Standard output for ``None`` or ``-``; otherwise ``atomic_open(path)``."""
    if path in (None, STDOUT):
        yield sys.stdout
        sys.stdout.flush()
    else:
        with atomic_open(path) as fh:
            yield fh


@contextlib.contextmanager
def binary_output(path: str):
    if path == STDOUT:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
    else:
        with atomic_open(path, binary=True) as fh:
            yield fh


SNIFF = 8192  # bytes looked at to tell binary data


def utf16_problem(data: bytes, name: str) -> str | None:
    """The message for ``data`` that is UTF-16 text (a byte-order mark, or a zero or
    0x05 in every other byte and readable text when decoded, as Windows tools often
    save), or None. Said before any "binary file" or "not UTF-8" message, which would
    mislead for such a file; the ``iconv`` to run is given when ``name`` is a file."""
    head = data[:512]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "UTF-16"  # the mark tells iconv the byte order
    elif _utf16_text(head, "le"):
        encoding = "UTF-16LE"
    elif _utf16_text(head, "be"):
        encoding = "UTF-16BE"
    else:
        return None
    how = (f"iconv -f {encoding} -t UTF-8 {name} > {name}.utf8" if os.path.isfile(name)
           else f"from {encoding} to UTF-8")
    return f"{name}: UTF-16 text, and align reads UTF-8; convert it first: {how}"


def _utf16_text(head: bytes, order: str) -> bool:
    """Whether ``head`` reads as UTF-16 (``le`` or ``be``) Latin or Hebrew text: every
    high byte 0x00 (Latin, digits, spaces) or 0x05 (Hebrew), some 0x00, and printable
    once decoded. UTF-8 Hebrew has 0xD7 there, UTF-8 text no 0x00 at all, and binary
    data decodes to control characters."""
    head = head[: len(head) // 2 * 2]
    high = head[1::2] if order == "le" else head[0::2]
    if len(high) < 2 or not high.count(0) or high.count(0) + high.count(5) < 0.9 * len(high):
        return False
    text = head.decode(f"utf-16-{order}", "replace")
    return sum(c.isprintable() or c in "\n\r\t" for c in text) >= 0.95 * len(text)
