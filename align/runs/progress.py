"""What a run has done: the ``Summary`` it returns, and the status line it draws on a
terminal (documents, pairs, pages/s), from the same counts."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import IO

from align.runs.engine import Result


@dataclass
class Summary:
    """What a run has done so far: documents, pairs, and the errors of those it could not read."""

    documents: int = 0
    pairs: int = 0
    errors: list[str] = field(default_factory=list)
    resumed_from: int = 0

    def add(self, result: Result) -> None:
        self.documents += 1
        self.pairs += len(result.pairs)
        if result.error:
            self.errors.append(result.error)


class Progress:
    """One status line on stderr (documents, pairs, pages/s), only when it is a terminal.

    It counts into ``summary`` (a run's ``Summary``), so the line and the summary a run
    returns are the same numbers.
    """

    def __init__(self, stream: IO[str] | None = None, every: float = 0.25):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every = every
        self.summary = Summary()
        self._skip = 0
        self._start = self._last = time.monotonic()

    def update(self, result: Result) -> None:
        self.summary.add(result)
        now = time.monotonic()
        if self.enabled and now - self._last >= self.every:
            self._last = now
            self._draw(now)

    def resumed(self, docs: int) -> None:
        """The run resumes after ``docs`` documents: its rate counts from here."""
        self._skip = docs

    def note(self, message: str) -> None:
        """Print a message line (an error) without garbling the status line."""
        if self.enabled:
            self.stream.write("\r\033[K")
        self.stream.write(message + "\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        done = self.summary
        rate = (done.documents - self._skip) / max(now - self._start, 1e-9)
        failed = f", {len(done.errors)} failed" if done.errors else ""
        self.stream.write(f"\ralign: {done.documents} documents, {done.pairs} pairs{failed}, "
                          f"{rate:.1f} pages/s ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
