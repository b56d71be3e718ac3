"""Compressed files read and written as if they were plain: gzip, bzip2 and xz (the
standard library) and Zstandard (with the ``zstandard`` package: ``pip install
'align[zstd]'``). Reading goes by the file's first bytes, so a ``.gz`` that is not
gzip is read as it is; writing goes by the name (``-o out.tsv.gz``), and gzip is
written with no name and no time in its header, so the same pairs give the same
bytes. A leaf: it imports only align's errors.
"""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from typing import IO

from align.errors import InputError, OutputError

SUFFIXES = (".gz", ".bz2", ".xz", ".zst")
_MAGIC = ((b"\x1f\x8b", ".gz"), (b"BZh", ".bz2"), (b"\xfd7zXZ\x00", ".xz"), (b"\x28\xb5\x2f\xfd", ".zst"))
ERRORS = (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError)  # what damaged data raises


def suffix(path: str) -> str | None:
    """The compression a name says (``.gz``...), or None."""
    lower = path.lower()
    return next((s for s in SUFFIXES if lower.endswith(s)), None)


def strip(path: str) -> str:
    """``path`` without its compression suffix: what it holds (``page.html.gz`` -> ``page.html``)."""
    end = suffix(path)
    return path[: -len(end)] if end else path


def sniff(head: bytes) -> str | None:
    """The compression of data starting with ``head``, by its magic bytes, or None."""
    return next((end for magic, end in _MAGIC if head.startswith(magic)), None)


def _zstd():
    try:
        import zstandard  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return zstandard


class TruncatedInput(Exception):
    """A compressed stream ended early (warcio takes EOFError for a clean end)."""


class GzipStream:
    """Read a (multi-member) gzip file, handing out every byte that decompresses before
    damage; a stream cut short raises ``TruncatedInput`` only once those are read.

    Python's ``gzip`` loses the last block it was decompressing when the file is cut,
    and warcio's own reader ends quietly, hiding the damage.
    """

    BLOCK = 1 << 16

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self.buffer = b""
        self.done = False          # the raw file is exhausted
        self._started = False      # some input was read (an empty file is no damage)
        self._truncated = False    # it ended inside a gzip member

    def _fill(self, size: int) -> None:
        while not self.done and (size < 0 or len(self.buffer) < size):
            data = self.inflate.unused_data or self.raw.read(self.BLOCK)
            if self.inflate.unused_data:  # the next gzip member starts here
                self.inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
            if not data:
                self.done = True
                if not self.inflate.eof and self._started:
                    self._truncated = True
                break
            self._started = True
            self.buffer += self.inflate.decompress(data)

    def read(self, size: int = -1) -> bytes:
        self._fill(size)
        if not self.buffer and self._truncated:
            raise TruncatedInput("the gzip stream ends before its end marker")
        out = self.buffer if size < 0 else self.buffer[:size]
        self.buffer = self.buffer[len(out):]
        return out

    def readline(self, size: int = -1) -> bytes:
        while b"\n" not in self.buffer and not self.done:
            self._fill(len(self.buffer) + self.BLOCK)
        end = self.buffer.find(b"\n") + 1 or len(self.buffer)
        return self.read(end if size < 0 else min(end, size))

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def tell(self) -> int:
        """Bytes of the compressed file read so far (for progress)."""
        return self.raw.tell()

    def close(self) -> None:
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Counted:
    """A decompressing reader whose ``tell`` is the compressed bytes read (for progress)."""

    def __init__(self, raw: IO[bytes], stream: IO[bytes]):
        self.raw, self.stream = raw, stream

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def readline(self, size: int = -1) -> bytes:
        return self.stream.readline(size)

    def __iter__(self):
        return iter(self.stream.readline, b"")

    def tell(self) -> int:
        return self.raw.tell()

    def close(self) -> None:
        self.stream.close()
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_read(path: str):
    """A binary reader of ``path``'s content, decompressed if it is compressed (by its
    first bytes); ``tell`` counts the bytes of the file itself."""
    raw = open(path, "rb")  # once: a pipe (a FIFO, <(cmd)) cannot be opened again
    kind = sniff(raw.peek(6)[:6])
    if kind is None:
        return raw
    if kind == ".gz":
        return GzipStream(raw)
    if kind == ".bz2":
        return _Counted(raw, bz2.BZ2File(raw))
    if kind == ".xz":
        return _Counted(raw, lzma.LZMAFile(raw))
    zstd = _zstd()
    if zstd is None:
        raw.close()
        raise InputError(f"{path}: Zstandard-compressed; reading it needs the zstandard package: "
                         "pip install 'align[zstd]'")
    return _Counted(raw, io.BufferedReader(zstd.ZstdDecompressor().stream_reader(raw)))


def read_all(path: str, max_bytes: int | None = None) -> bytes:
    """The whole content of ``path``, decompressed; more than ``max_bytes`` once
    decompressed is ``InputError`` (a small file may hold a very large one)."""
    with open_read(path) as fh:
        try:
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
            if max_bytes is None or len(data) <= max_bytes:
                fh.read(1)  # at the end: a stream cut short says so here
        except (TruncatedInput, *ERRORS) as exc:
            raise InputError(f"{path}: compressed data cut short or corrupt ({str(exc) or type(exc).__name__}); "
                             "fetch or repair the file") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"{path}: decompresses to more than one document may hold ({max_bytes / 1e6:.0f} MB); "
                         "split it, or raise --max-doc-mb")
    return data


def writer(fh: IO[bytes], path: str) -> IO[bytes]:
    """A compressing writer over ``fh`` for a ``path`` whose name says a compression
    (``fh`` itself otherwise); closing it does not close ``fh``."""
    end = suffix(path)
    if end is None:
        return fh
    if end == ".gz":
        return gzip.GzipFile(filename="", fileobj=fh, mode="wb", mtime=0)  # type: ignore[return-value]
    if end == ".bz2":
        return bz2.BZ2File(fh, "wb")
    if end == ".xz":
        return lzma.LZMAFile(fh, "wb")
    zstd = _zstd()
    if zstd is None:
        raise OutputError(f"{path}: writing Zstandard needs the zstandard package: pip install 'align[zstd]'")
    return zstd.ZstdCompressor().stream_writer(fh, closefd=False)
