"""Plain text sources: bytes decoded as ``align.encoding`` reads text (UTF-8, UTF-16,
windows-1255 or windows-1252), one line a line."""
from __future__ import annotations

import os
import re
import sys

from align.compressed import read_all
from align.encoding import Decoded, decode_text
from align.errors import InputError
from align.records import Document

_NEWLINE = re.compile(r"\r\n|\r|\n")


STDIN = "-"


def decode(data: bytes, name: str, forced: str | None = None) -> Decoded:
    """The text of a text file (``align.encoding.decode_text``), refusing binary data
    with a clear message."""
    return decode_text(data, name, binary="align reads text, so pass the text file instead", forced=forced)


def from_text(text: str, name: str, encoding: str | None = None) -> Document:
    """Build a document from already decoded text."""
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return Document(name, lines, encoding=encoding)


def from_bytes(data: bytes, name: str, doc: str | None = None, forced: str | None = None) -> Document:
    """A document from a text file's bytes (``name`` in messages, ``doc`` its name)."""
    decoded = decode(data, name, forced)
    return from_text(decoded.text, name if doc is None else doc, decoded.encoding)


def read(path: str, encoding: str | None = None) -> Document:
    """Read ``path`` (or standard input for ``-``) as a text document.

    Raises ``InputError`` naming the path for a missing file, a directory,
    an unreadable, binary or non-UTF-8 file.
    """
    if path == STDIN:
        return from_bytes(sys.stdin.buffer.read(), "<stdin>", STDIN, encoding)
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory; pass the files inside it "
                         f"(e.g. {os.path.join(path, '*.txt')})")
    try:
        data = read_all(path)  # decompressed, if it is compressed
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check that it exists "
                         "and that you may read it") from None
    return from_bytes(data, path, forced=encoding)
