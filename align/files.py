"""Files written safely, for every room that writes one: a temporary file beside the
target renamed into place only on success (``atomic_open``), or standard output
(``open_output``, ``binary_output``). A leaf: it imports nothing of align but its errors."""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import IO

from align.errors import OutputError

STDOUT = "-"


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(path: str, binary: bool = False) -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it to ``path`` only on success."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                                   dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}); "
                          "choose another -o path") from None
    try:
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes 0600; outputs get the usual mode
        with (os.fdopen(fd, "wb") if binary else
              os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            yield fh
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
