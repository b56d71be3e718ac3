"""Reading sources into ``Document`` objects that remember where every line came from."""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass

from .errors import InputError

_NEWLINE = re.compile(r"\r\n|\r|\n")
_SNIFF = 8192
STDIN = "-"


@dataclass(frozen=True)
class Origin:
    """Where a line of a parsed HTML page came from.

    ``element`` names the element or attribute (``figcaption``, ``img@alt``), ``line``
    is its line in the HTML source, ``groups`` numbers the figures and galleries it
    sits in (innermost last; empty outside any), and ``role`` is ``caption``,
    ``credit``, ``link`` (a block that is all link text: headlines of a listing, menu
    items) or ``text``. ``image`` is the image the line captions (its ``src``), when
    there is one: the image's own attributes, or the text of a figure holding one image.
    """

    element: str
    line: int
    groups: tuple[int, ...] = ()
    role: str = "text"
    image: str | None = None


@dataclass(frozen=True)
class Document:
    """A source: its name as the user gave it and its lines (1-based in output).

    Text files have one line per line of text. HTML pages have one line per text
    block or caption attribute, and ``origins`` says where each came from.
    """

    doc: str
    lines: list[str]
    origins: list[Origin] | None = None

    def source_line(self, number: int) -> int:
        """Where line ``number`` (1-based) is in the source: itself for text, the
        element's line in the HTML for a parsed page."""
        return self.origins[number - 1].line if self.origins else number

    def source_lines(self, numbers) -> list[int]:
        """``source_line`` of each of ``numbers``, repeats removed, in order."""
        return list(dict.fromkeys(self.source_line(n) for n in numbers))

    def element(self, number: int) -> str | None:
        """The HTML element line ``number`` came from (None for text)."""
        return self.origins[number - 1].element if self.origins else None


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), refusing binary data with a clear message."""
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
