"""How an input's bytes become text: the way browsers resolve an encoding (the WHATWG
Encoding Standard, whose label table ``webencodings`` holds), with Hebrew defaults.

In order (``decode``):

1. ``--encoding`` when given (``forced``);
2. a byte-order mark (UTF-8, UTF-16);
3. what the source declares: the transport's charset (an HTTP header, a WARC record),
   then an HTML page's ``<meta charset>`` or ``http-equiv`` (in its first 1,024 bytes).
   A label is read through the WHATWG table (``iso-8859-8-i``, ``logical``,
   ``x-cp1255``, ``latin1`` all resolve); an unknown label, ``replacement`` and
   ``x-user-defined`` declare nothing usable and fall through. A single-byte charset
   declared over bytes that are valid UTF-8 (a frequent mislabel) is read as UTF-8, and
   so is ``utf-16`` declared in a page's own ``<meta>`` (as browsers do); UTF-8
   declared over bytes that are not UTF-8 is detected as in 4;
4. nothing usable declared: UTF-16 without a mark (a zero or 0x05 in every other
   byte), then UTF-8 if the bytes decode as UTF-8, else windows-1255 or windows-1252,
   Hebrew or Western European, the encodings of a Hebrew–English site (``detect``:
   words of Hebrew letters against accented Latin words, then ``charset-normalizer``);
   windows-1255 when neither can tell.

``iso-8859-8`` (also ``visual``) is Hebrew in visual order, stored as displayed, left
to right: its lines are put back into logical order (``visual_to_logical``).
Plain text (``decode_text``: a text file, a TSV or JSONL corpus) is read the same way
without a ``<meta>``. A leaf: it imports only align's errors and files.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from align.errors import InputError

# Encodings that declare nothing usable: WHATWG's "replacement" (ISO-2022-KR, HZ...: a
# decoder that gives one U+FFFD) and "x-user-defined" (bytes 0x80-0xFF to private use).
_UNUSABLE = frozenset({"replacement", "x-user-defined"})
FALLBACK = "windows-1255"
VISUAL = "iso-8859-8"
PRESCAN = 1024  # bytes of a page searched for its <meta> charset, as browsers do
_META = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([^\s"'/>;]+)""", re.I)


@dataclass(frozen=True)
class Decoded:
    """Text, the encoding it was read with (a WHATWG name: ``utf-8``,
    ``windows-1255``...) and how that was decided: ``forced``, ``bom``, ``declared``
    (the transport), ``meta``, ``utf-8 over LABEL`` (declared otherwise, but the bytes
    are UTF-8), ``utf-8`` (undeclared), ``detected`` or ``fallback``; ``ignored``: a
    declared label that was unknown or unusable, for the messages."""

    text: str
    encoding: str
    how: str
    ignored: str | None = None


@lru_cache(maxsize=256)
def lookup(label: str | None) -> str | None:
    """The WHATWG name of encoding ``label`` (``"iso-8859-8-i"`` for ``logical``), or
    None for an unknown one. Labels are case- and space-insensitive."""
    if not label:
        return None
    import webencodings  # type: ignore[import-untyped]

    found = webencodings.lookup(label.strip().strip("\"'"))
    return found.name if found is not None else None


def usable(label: str | None) -> str | None:
    """``lookup(label)`` when it is an encoding text can be read in, else None."""
    name = lookup(label)
    return None if name is None or name in _UNUSABLE else name


def check_label(label: str) -> str:
    """The WHATWG name of an encoding the user gives (``--encoding``), or ``InputError``."""
    name = usable(label)
    if name is None:
        raise InputError(f"--encoding {label}: not an encoding a browser knows (try utf-8, windows-1255, "
                         "iso-8859-8-i or windows-1252)")
    return name


def _codec(name: str) -> str:
    import webencodings

    return webencodings.lookup(name).codec_info.name


def meta_charset(data: bytes) -> str | None:
    """The label an HTML page declares in a ``<meta>`` of its first 1,024 bytes."""
    m = _META.search(data[:PRESCAN])
    return m.group(1).decode("ascii", "replace") if m else None


def _bom(data: bytes) -> tuple[str, int] | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16le", 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16be", 2
    return None


def _as_utf8(data: bytes) -> str | None:
    """``data`` decoded as UTF-8, or None when it is not UTF-8 (decoded once: every
    page asks this)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _utf16_order(data: bytes) -> str | None:
    """``utf-16le`` or ``utf-16be`` for text in UTF-16 without a mark, else None."""
    from align.files import _utf16_text

    head = data[:512]
    for order in ("le", "be"):
        if _utf16_text(head, order):
            return f"utf-16{order}"
    return None


def _read(data: bytes, name: str) -> str:
    return data.decode(_codec(name), "replace")


# A word of high bytes alone (Hebrew letters in windows-1255 are 0xE0-0xFA), and a word
# mixing them with ASCII letters (an accented Latin word in windows-1252: "café").
_HIGH_WORD = re.compile(rb"(?<![A-Za-z\x80-\xff])[\xe0-\xfa]{2,}(?![A-Za-z\x80-\xff])")
_MIXED_WORD = re.compile(rb"[A-Za-z]+[\xc0-\xff]+[A-Za-z]*|[\xc0-\xff]+[A-Za-z]+")


def detect(data: bytes) -> tuple[str, str]:
    """``(encoding, how)`` of bytes that are not UTF-8 and declare nothing: windows-1255
    when words of Hebrew letters alone outnumber Latin words with accented letters in
    them (a page mostly English with Hebrew captions is still Hebrew to this tool),
    windows-1252 when it is the other way; else as ``charset-normalizer`` judges
    between the two; windows-1255 if it cannot."""
    hebrew, latin = len(_HIGH_WORD.findall(data)), len(_MIXED_WORD.findall(data))
    if hebrew != latin:
        return ("windows-1255" if hebrew > latin else "windows-1252"), "detected"
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a core dependency
        return FALLBACK, "fallback"
    best = from_bytes(data, cp_isolation=["cp1255", "cp1252"]).best()
    if best is None:
        return FALLBACK, "fallback"
    return ("windows-1252" if best.encoding == "cp1252" else "windows-1255"), "detected"


def decode(data: bytes, html: bool = False, transport: str | None = None, forced: str | None = None) -> Decoded:
    """The text of ``data`` and how it was read (see the module docstring). ``html``:
    a page, whose ``<meta>`` may declare its charset; ``transport``: the charset its
    source declared; ``forced``: a WHATWG name (``check_label``) that wins over all."""
    if forced:
        return _visual(Decoded(_read(data, forced), forced, "forced"))
    bom = _bom(data)
    if bom:
        name, skip = bom
        return Decoded(_read(data[skip:], name), name, "bom")
    ignored = None
    for label, how in ((transport, "declared"), (meta_charset(data) if html else None, "meta")):
        if not label:
            continue
        found = usable(label)
        if found is None:
            ignored = ignored or label
            continue
        name = found
        if name.startswith("utf-16") and (how == "meta" or not _utf16_order(data)):
            name = "utf-8"  # a page cannot declare UTF-16 in its own ASCII bytes; browsers read UTF-8
        if name.startswith("utf-16"):
            return Decoded(_read(data, name), name, how, ignored)
        text = _as_utf8(data) if name == "utf-8" or not data.isascii() else None
        if name != "utf-8" and text is not None:
            return Decoded(text, "utf-8", f"utf-8 over {label}")
        if name == "utf-8":
            if text is not None:
                return Decoded(text, name, how, ignored)
            found, how = detect(data)  # declared UTF-8, but a legacy encoding's bytes
            return Decoded(_read(data, found), found, f"{how} over {label}")
        return _visual(Decoded(_read(data, name), name, how, ignored))
    order = _utf16_order(data)
    if order:
        return Decoded(_read(data, order), order, "utf-16", ignored)
    text = _as_utf8(data)
    if text is not None:
        return Decoded(text, "utf-8", "utf-8", ignored)
    name, how = detect(data)
    return Decoded(_read(data, name), name, how, ignored)


def _visual(decoded: Decoded) -> Decoded:
    if decoded.encoding != VISUAL:
        return decoded
    return Decoded(decoded.text, decoded.encoding, decoded.how + ", visual order", decoded.ignored)


def is_binary(data: bytes) -> bool:
    """Data holding NUL bytes that is not UTF-16 text: a binary file, refused before any
    decoding (and detection) is spent on it."""
    from align.files import SNIFF

    return b"\x00" in data[:SNIFF] and not (_bom(data) or _utf16_order(data))


def is_visual(decoded: Decoded) -> bool:
    """Whether the text is Hebrew in visual order, to be put back with ``visual_to_logical``."""
    return decoded.encoding == VISUAL


# --- visual order -------------------------------------------------------------------

_LTR = re.compile(r"[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F .,:/%'\-]*[A-Za-z0-9\u00C0-\u024F%])?")
_MIRROR = str.maketrans("()[]{}<>", ")(][}{><")
_HEBREW = re.compile(r"[\u0590-\u05FF]")


def visual_to_logical(line: str) -> str:
    """A line of Hebrew stored in visual order (as displayed, left to right, in a
    right-to-left paragraph) in logical order: the line read from its right end, each
    run of Latin letters and digits kept in its own order, brackets mirrored. A line
    with no Hebrew letter is left as it is."""
    if not _HEBREW.search(line):
        return line
    reversed_line = line[::-1].translate(_MIRROR)
    return _LTR.sub(lambda m: m.group(0)[::-1], reversed_line)


def decode_text(data: bytes, name: str, binary: str | None = None, forced: str | None = None) -> Decoded:
    """A text file's ``decode``: UTF-8, UTF-16 (with or without a mark), windows-1255
    or windows-1252 as detected; lines in visual order put back. ``binary``: what to
    pass instead of data holding NUL bytes that is not UTF-16 text (``InputError``)."""
    if binary is not None and is_binary(data) and not (forced or "").startswith("utf-16"):
        raise InputError(f"{name}: looks like a binary file (it holds NUL bytes); {binary}")
    decoded = decode(data, forced=forced)
    if is_visual(decoded):
        text = "\n".join(visual_to_logical(line) for line in decoded.text.split("\n"))
        return Decoded(text, decoded.encoding, decoded.how, decoded.ignored)
    return decoded
