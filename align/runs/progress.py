"""What a run has done: the ``Summary`` it returns, and the progress bar it draws on a
terminal from the same counts (tqdm: done of total, percent, rate, time left).

A run over files that are one document each counts documents; one over JSONL records
or WARC crawls, whose documents are known only once read, counts bytes of input read
(each ``Item`` carries its ``position``). When stderr is not a terminal, or with
``quiet``, nothing is drawn: a log or a pipe gets no bar characters.
"""
from __future__ import annotations

import shutil
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from align.inputs.sources import Item, Listing
from align.runs.engine import Result

BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| <done>/<total> [{elapsed}<{remaining}, {rate_fmt}{postfix}]"
BAR_NO_TOTAL = "{desc}: <done> [{elapsed}, {rate_fmt}{postfix}]"


@dataclass
class Summary:
    """What a run has done so far: documents, pairs, and the errors of those it could not read."""

    documents: int = 0
    pairs: int = 0
    errors: list[str] = field(default_factory=list)
    resumed_from: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (doc, error) of this run's errors
    encodings: dict[str, int] = field(default_factory=dict)  # documents read with each encoding

    @property
    def nothing_read(self) -> bool:
        """Whether every document of the run (there was one at least) failed."""
        return bool(self.documents) and len(self.errors) >= self.documents

    def add(self, result: Result) -> None:
        self.documents += 1
        self.pairs += len(result.pairs)
        if result.error:
            self.errors.append(result.error)
            self.failures.append((result.doc, result.error))
        if result.encoding:
            self.encodings[result.encoding] = self.encodings.get(result.encoding, 0) + 1


def on_terminal(stream: IO[str]) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def _bar(stream: IO[str], desc: str, total: int | None, unit: str, initial: int = 0, every: float = 0.25):
    """A tqdm bar on ``stream`` (tqdm is imported only when one is drawn)."""
    from tqdm import tqdm

    # the terminal's width; a terminal reporting none (0 columns: a bare pty) gets 100
    width = max(shutil.get_terminal_size((100, 24)).columns, 40)
    return tqdm(total=total, initial=initial, unit=unit, unit_scale=unit == "B", desc=desc, file=stream,
                mininterval=every, ncols=width, smoothing=0.1, leave=True,
                bar_format=_counts(BAR_FORMAT if total else BAR_NO_TOTAL, unit))


def _counts(form: str, unit: str) -> str:
    """``form`` with its counts in ``unit``: 3.44MB/12.0MB, 40/3000 docs."""
    if unit == "B":
        return form.replace("<done>", "{n_fmt}B").replace("<total>", "{total_fmt}B")
    if "<total>" in form:
        return form.replace("<done>", "{n_fmt}").replace("<total>", "{total_fmt} " + unit + "s")
    return form.replace("<done>", "{n_fmt} " + unit + "s")


class Progress:
    """How far a run is, counted into ``summary`` (the ``Summary`` the run returns), and
    drawn as a bar on ``stream`` when it is a terminal and not ``quiet``.

    ``total`` is what the run will do in ``unit``: documents (``"doc"``), or bytes of
    input (``"B"``) when the inputs hold many documents each; None when unknown (stdin).
    """

    def __init__(self, stream: IO[str] | None = None, *, total: int | None = None, unit: str = "doc",
                 quiet: bool = False, every: float = 0.25, desc: str = "align"):
        self.stream = stream or sys.stderr
        self.enabled = not quiet and on_terminal(self.stream)
        self.summary = Summary()
        self.total, self.unit, self.every, self.desc = total, unit, every, desc
        self._positions: deque[tuple[int, int]] = deque()  # (index, position) of items sent
        self._bar: Any = None
        self._skipped = 0  # bytes of input a resumed run skips (the bar starts there)

    @classmethod
    def of(cls, listing: Listing, **options) -> Progress:
        """A progress for a run over ``listing``: documents when each file is one, else bytes."""
        if listing.documents is not None:
            return cls(total=listing.documents, unit="doc", **options)
        return cls(total=listing.size, unit="B", **options)

    def watch(self, items: Iterable[Item]) -> Iterator[Item]:
        """Pass ``items`` through (numbered from 0, as the run numbers its results),
        noting where in the input each ends, for a bar counted in bytes."""
        for index, item in enumerate(items):
            if self.enabled and self.unit == "B":
                self._positions.append((index, item.position))
            yield item

    def resumed(self, docs: int, pairs: int = 0, errors: Iterable[str] = ()) -> None:
        """The run resumes after ``docs`` documents (with their ``pairs`` and ``errors``):
        the summary counts them, and the bar starts there, its rate counting from here."""
        self.summary.resumed_from = self.summary.documents = docs
        self.summary.pairs = pairs
        self.summary.errors += errors

    def update(self, result: Result) -> None:
        self.summary.add(result)
        if not self.enabled:
            return
        done = self._done(result.index)
        if self._bar is None:
            start = self.summary.resumed_from if self.unit == "doc" else self._skipped
            self._bar = _bar(self.stream, self.desc, self.total, self.unit, start, self.every)
        if done > self._bar.n:
            self._bar.update(done - self._bar.n)
        failed = f", {len(self.summary.errors)} failed" if self.summary.errors else ""
        self._bar.set_postfix_str(f"{self.summary.pairs:,} pairs{failed}", refresh=False)

    def _done(self, index: int) -> int:
        """How far the run is once result ``index`` is in, in the bar's unit."""
        if self.unit == "doc":
            return self.summary.documents
        position = None
        while self._positions and self._positions[0][0] <= index:
            number, position = self._positions.popleft()
            if self._bar is None and number < index:  # documents a resumed run skips
                self._skipped = position
        return position if position is not None else (self._bar.n if self._bar else self._skipped)

    def note(self, message: str) -> None:
        """Print a message line (an error) without garbling the bar."""
        if self._bar is not None:
            self._bar.write(message, file=self.stream)
        else:
            self.stream.write(message + "\n")
            self.stream.flush()

    def close(self) -> None:
        """Leave the finished bar on the terminal: it is the run's summary line."""
        if self._bar is not None:
            self._bar.refresh()
            self._bar.close()
            self._bar = None


class Steps:
    """A bar per stage of work done in steps (``align check``: scoring, re-pairing,
    translating), for ``review.check.check``'s ``progress(stage, done, total)``; drawn
    only on a terminal and not ``quiet``."""

    def __init__(self, stream: IO[str] | None = None, quiet: bool = False, unit: str = "pair"):
        self.stream = stream or sys.stderr
        self.enabled = not quiet and on_terminal(self.stream)
        self.unit = unit
        self._stage: str | None = None
        self._bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self._stage:
            self.close()
            self._stage = stage
            self._bar = _bar(self.stream, f"align check: {stage}", total, self.unit)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
