"""Plain text sources: bytes decoded as UTF-8 (a BOM allowed), one line a line."""
from __future__ import annotations

import os
import re
import sys

from align.errors import InputError
from align.files import utf8_text
from align.records import Document

_NEWLINE = re.compile(r"\r\n|\r|\n")


STDIN = "-"


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), refusing UTF-16 and binary data with a clear message."""
    return utf8_text(data, name, binary="align reads UTF-8 text, so pass the text file instead")


def from_text(text: str, name: str) -> Document:
    """Build a document from already decoded text."""
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return Document(name, lines)


def read(path: str) -> Document:
    """Read ``path`` (or standard input for ``-``) as a UTF-8 text document.

    Raises ``InputError`` naming the path for a missing file, a directory,
    an unreadable, binary or non-UTF-8 file.
    """
    if path == STDIN:
        return from_text(decode(sys.stdin.buffer.read(), "<stdin>"), STDIN)
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory; pass the files inside it "
                         f"(e.g. {os.path.join(path, '*.txt')})")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check that it exists "
                         "and that you may read it") from None
    return from_text(decode(data, path), path)
