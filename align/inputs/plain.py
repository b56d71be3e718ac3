"""Plain text sources: bytes decoded as UTF-8 (a BOM allowed), one line a line."""
from __future__ import annotations

import os
import re
import sys

from align.errors import InputError
from align.files import utf16_problem
from align.records import Document

_NEWLINE = re.compile(r"\r\n|\r|\n")


_SNIFF = 8192


STDIN = "-"


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), refusing UTF-16 and binary data with a clear message."""
    problem = utf16_problem(data, name)
    if problem:
        raise InputError(problem)
    if b"\x00" in data[:_SNIFF]:
        raise InputError(f"{name}: looks like a binary file (it holds NUL bytes); "
                         "align reads UTF-8 text, so pass the text file instead")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 1].hex()
        raise InputError(
            f"{name}: not UTF-8 text (byte 0x{bad} at offset {exc.start}); "
            "convert it first, e.g. iconv -f windows-1255 -t utf-8 FILE > FILE.utf8"
        ) from None


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
