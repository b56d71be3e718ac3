"""Corpus-scale runs of `align captions` (and `align documents` in batch form): streamed,
parallel, resumable.

The unit of work is a chunk of documents (``Item``s from ``align.sources``): one call
of ``align_chunk`` parses, detects and pairs a chunk, embedding its candidates in full
batches. Chunks run in this process, in a pool of worker processes (``--workers``),
or on a Dask cluster (``--engine dask``); each process builds its scorer once and
keeps it for every chunk it is given. Results come back in input order whatever the
number of workers, so the output never depends on it.

With ``-o OUT`` pairs go to a journal, ``OUT.partial`` (JSONL), as documents finish,
and a manifest, ``OUT.progress``, records each finished document and where its pairs
end in the journal; both are flushed and fsynced chunk by chunk, pairs first. A killed
run restarted with ``--resume`` cuts the journal back to the last recorded document,
skips the documents already done and carries on; at the end the journal is written
out in the chosen format (deduplicated with ``--dedup``), renamed into place, and the
journal and manifest are removed. When no input could be read at all, nothing is
written (no corpus, no sidecar) and the journal is removed too.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, replace
from typing import Any

from align.errors import AlignError, OutputError
from align.files import STDOUT
from align.formats import WRITERS
from align.formats.output import RowsSkipped
from align.inputs.sources import Item
from align.owned import NotOurs, why_not_ours
from align.records import Bead, Pair
from align.runs.engine import CHUNK, CHUNK_SIZES, Result, results
from align.runs.progress import Progress, Summary
from align.runs.registry import Settings

MANIFEST_VERSION = 1






def _digest(pair: Pair) -> bytes:
    return hashlib.blake2b(f"{pair.he}\0{pair.en}".encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()


def dedup(read: Callable[[], Iterator[Any]]) -> Iterator[Pair]:
    """Identical pairs (same ``he`` and ``en``) once each, at their first place, with
    ``count``. ``read`` opens the pairs afresh: one pass counts, one pass writes. Memory
    grows with the number of distinct pairs (16 bytes of hash each), not with the input."""
    counts: dict[bytes, int] = {}
    for pair in read():
        key = _digest(pair)
        counts[key] = counts.get(key, 0) + 1
    for pair in read():
        count = counts.pop(_digest(pair), None)
        if count is not None:
            yield replace(pair, count=count)


class Journal:
    """The journal (``OUT.partial``) and manifest (``OUT.progress``) of a run writing OUT."""

    def __init__(self, out: str):
        self.out = out
        self.partial = out + ".partial"
        self.progress = out + ".progress"

    def exists(self) -> bool:
        return os.path.exists(self.progress)

    def start(self, header: dict) -> None:
        try:
            with open(self.partial, "wb"):
                pass
            with open(self.progress, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({"align_run": MANIFEST_VERSION, **header}, sort_keys=True) + "\n")
                _sync(fh)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write the run's journal beside it "
                              f"({exc.strerror}); choose another -o path") from None
        self._open()

    def resume(self, header: dict) -> tuple[int, int, list[str]]:
        """Check the manifest against ``header``, cut the journal back to its last
        finished document; return (documents done, pairs kept, earlier errors).

        Reads the manifest as a stream: memory does not grow with the documents done.
        """
        done, end, pairs, errors = 0, 0, 0, []
        with open(self.progress, "rb") as fh:
            first = _json_line(fh.readline().decode("utf-8", "replace"))
            if first is None or first.get("align_run") != MANIFEST_VERSION:
                raise AlignError(f"{self.progress}: not a manifest this version of align wrote; "
                                 "start again with --force")
            mine = {"align_run": MANIFEST_VERSION, **header}
            if first != mine:
                changed = sorted(k for k in set(first) | set(mine) if first.get(k) != mine.get(k))
                raise AlignError(f"{self.out}: the interrupted run used other settings "
                                 f"({', '.join(changed)} differ); resume with the same command, "
                                 "or start again with --force")
            good = fh.tell()
            for line in fh:
                entry = _json_line(line.decode("utf-8", "replace"))
                if entry is None or entry.get("i") != done:
                    break  # the line being written when the run was killed
                done, end, good = done + 1, entry["end"], good + len(line)
                pairs += entry["pairs"]
                if entry.get("error"):
                    errors.append(entry["error"])
        with open(self.partial, "ab") as fh:  # pairs written after the last entry go
            fh.truncate(end)
        with open(self.progress, "ab") as fh:  # so does a torn last line
            fh.truncate(good)
        self._open()
        return done, pairs, errors

    def _recorded_docs(self, count: int) -> Iterator[str]:
        """The names of the first ``count`` documents in the manifest, read lazily."""
        with open(self.progress, encoding="utf-8") as fh:
            fh.readline()
            for _ in range(count):
                yield json.loads(fh.readline())["doc"]

    def skip(self, items: Iterable[Item], count: int) -> Iterator[Item]:
        """``items`` after the first ``count``, which must be the documents the manifest
        says were done (the same inputs in the same order)."""
        it = iter(items)
        expected = self._recorded_docs(count) if count else iter(())
        for index, doc in enumerate(expected):
            item = next(it, None)
            if item is None or item.doc != doc:
                now = "nothing" if item is None else repr(item.doc)
                raise AlignError(f"{self.out}: the inputs changed since the interrupted run "
                                 f"(document {index + 1} was {doc!r}, now {now}); resume with "
                                 "the same inputs, or start again with --force")
        yield from it

    def _open(self) -> None:
        self._pairs = open(self.partial, "ab")
        self._manifest = open(self.progress, "a", encoding="utf-8")

    def record(self, batch: Sequence[Result]) -> None:
        """Append a batch's pairs, then (once they are on disk) its manifest entries."""
        try:
            self._record(batch)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write the run's journal ({exc.strerror}); "
                              "the finished documents are kept: fix this (disk full?) and "
                              "run the same command with --resume") from None

    def _record(self, batch: Sequence[Result]) -> None:
        entries = []
        for result in batch:
            for pair in result.pairs:
                self._pairs.write(json.dumps(pair.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n")
            entries.append({"i": result.index, "doc": result.doc, "pairs": len(result.pairs),
                            "end": self._pairs.tell(), **({"error": result.error} if result.error else {})})
        _sync(self._pairs)
        self._manifest.write("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
        _sync(self._manifest)

    def pairs(self) -> Iterator[Pair | Bead]:
        """The records journaled so far, in order: pairs, or beads (which carry ``he_ids``)."""
        with open(self.partial, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                yield Bead.from_dict(row) if "he_ids" in row else Pair.from_dict(row)

    def close(self) -> None:
        """Close the journal. Everything recorded was synced already, so a close that
        fails to flush (a full disk) loses only what resume would cut away anyway."""
        for fh in (getattr(self, "_pairs", None), getattr(self, "_manifest", None)):
            if fh is not None and not fh.closed:
                with contextlib.suppress(OSError):
                    fh.close()

    def remove(self) -> None:
        self.close()
        for path in (self.partial, self.progress):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def _sync(fh) -> None:
    fh.flush()
    os.fsync(fh.fileno())


def _json_line(line: str) -> dict | None:
    if not line.endswith("\n"):
        return None
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _batches(stream: Iterator[Result], size: int = CHUNK) -> Iterator[list[Result]]:
    """Results grouped as their chunks were (see ``chunks``), to be recorded together."""
    batch: list[Result] = []
    for result in stream:
        batch.append(result)
        if (result.index + 1) % size == 0:
            yield batch
            batch = []
    if batch:
        yield batch


def _tracked(stream: Iterator[Result], progress: Progress,
             report: Callable[[str], None], fail_fast: bool = False) -> Iterator[Result]:
    """Pass results through, counting them and reporting errors as they come; with
    ``fail_fast``, the first error ends the run (``FailFast``)."""
    for result in stream:
        progress.update(result)
        if result.error:
            report(result.error)
            if fail_fast:
                raise FailFast(f"stopped at the first document that could not be read (--fail-fast): "
                               f"{result.doc}")
        yield result


class FailFast(AlignError):
    """``--fail-fast``: a document could not be read, and the run stops there."""


def remove_temporaries(out: str) -> list[str]:
    """Remove what a run killed while writing ``OUT`` left: the temporary files (and
    dataset folders) named ``.OUT.*.tmp`` beside it, which the writers rename into place
    only when they finish. Called under the run's lock, so none is another run's."""
    import glob
    import shutil

    folder, base = os.path.split(os.path.abspath(out))
    removed = []
    # tempfile's names for OUT, its sidecar and Moses sides, and a dataset folder set aside
    ours = re.compile(re.escape("." + base) + r"(?:\.meta\.json|\.he|\.en)?\.[a-z0-9_]{8}(?:\.old)?\.tmp")
    for path in glob.glob(os.path.join(glob.escape(folder), "." + glob.escape(base) + ".*.tmp")):
        if not ours.fullmatch(os.path.basename(path)):
            continue
        with contextlib.suppress(OSError):
            shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)
            removed.append(path)
    return removed


@contextlib.contextmanager
def run_lock(out: str | None) -> Iterator[None]:
    """Hold ``OUT.lock`` while a run writes ``OUT``: a second run writing the same OUT is
    refused at its start, naming the first. The lock is the kernel's (``flock``), so a
    run killed with SIGKILL leaves no stale lock: its file may remain, but the next run
    takes it. The file is removed when the run ends."""
    if out in (None, STDOUT) or not os.path.isdir(os.path.dirname(os.path.abspath(out))):
        yield  # stdout, or a folder that does not exist (the usage checks say so)
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    path = out + ".lock"
    if os.path.lexists(path) and why_not_ours(path):  # a file of the user's, of that name
        raise NotOurs(f"{path}: {why_not_ours(path)}, and a run writing {out} keeps its lock there; "
                      "move it away or choose another -o path")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create its lock file {path} ({exc.strerror}); "
                          "choose another -o path") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "another process"
            raise AlignError(f"{out}: another align run is writing it now ({holder}); wait for it "
                             "to end, or give another -o") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _unwritten(exc: OSError | OutputError, out: str | None, partial: str) -> OutputError:
    """What to tell the user when the corpus cannot be written from a finished journal."""
    if out in (None, STDOUT):  # the journal was scratch: there is nothing to resume
        why = exc.strerror if isinstance(exc, OSError) else str(exc)
        return OutputError(f"standard output cannot be written ({why}); write to a file with -o OUT")
    if isinstance(exc, OutputError):  # a pair the format cannot hold: not a disk problem
        return OutputError(f"{exc}; every document is aligned and kept in {partial}")
    return OutputError(f"{out}: cannot be written ({exc.strerror}); every document is done and "
                       f"kept in {partial}: free some space and run the same command with --resume")


@contextlib.contextmanager
def _journal_for(out: str | None) -> Iterator[Journal]:
    """The journal of a run writing ``out``; for stdout (``--dedup``), a scratch one."""
    if out in (None, STDOUT):
        import tempfile

        with tempfile.TemporaryDirectory(prefix="align-") as scratch:
            journal = Journal(os.path.join(scratch, "pairs"))
            try:
                yield journal
            finally:
                journal.close()
    else:
        journal = Journal(out)
        try:
            yield journal
        finally:
            journal.close()


def run(items: Iterable[Item], settings: Settings, out: str | None, fmt: str, signature: dict, *,
        workers: int = 1, engine: str = "local", scheduler: str | None = None,
        resume: bool = False, deduplicate: bool = False, progress: Progress | None = None,
        report: Callable[[str], None] = lambda message: None, fail_fast: bool = False,
        writer: Callable[[Iterable[Any], str, dict], int] | None = None) -> Summary:
    """Align every item and write the corpus to ``out`` (``None``: stdout) as ``fmt``
    (with ``writer``, default ``WRITERS[fmt]``).

    Errors of single documents go to ``report`` as they happen and are listed in the
    summary; they never stop the run, unless ``fail_fast`` (``FailFast`` at the first;
    the journal kept for ``--resume``). Straight to stdout, pairs stream out as documents
    finish; otherwise they go through a journal (see the module's docstring).
    """
    # pairs (captions) or beads (documents): the writer takes what the task makes
    write: Callable[[Iterable[Any], str, dict], int] = writer or WRITERS[fmt]
    progress = progress or Progress(stream=io.StringIO())  # not a terminal: silent
    summary = progress.summary

    def aligned(todo: Iterable[Item], start: int = 0) -> Iterator[Result]:
        stream = results(todo, settings, workers, engine, scheduler, start)
        return _tracked(stream, progress, report, fail_fast)

    items = progress.watch(items)
    if out in (None, STDOUT) and not deduplicate:
        write((pair for result in aligned(items) for pair in result.pairs), STDOUT, signature)
        progress.close()
        return summary

    header = {"settings": asdict(settings), "format": fmt, "dedup": deduplicate}
    if out not in (None, STDOUT):
        remove_temporaries(out)
    with _journal_for(out) as journal:
        start = 0
        if resume and journal.exists():
            start, kept, earlier = journal.resume(header)
            progress.resumed(start, kept, earlier)  # counted into the summary
        else:
            journal.start(header)
        for batch in _batches(aligned(journal.skip(items, start), start), CHUNK_SIZES[settings.task]):
            journal.record(batch)
        journal.close()
        if out not in (None, STDOUT) and summary.nothing_read:
            progress.close()  # every input failed: no corpus, no sidecar, and the rerun is not refused
            journal.remove()
            report(f"no input could be read: nothing written to {out}")
            return summary
        try:
            write(dedup(journal.pairs) if deduplicate else journal.pairs(), out or STDOUT, signature)
        except BrokenPipeError:
            raise  # the reader (head, less) went away: a normal end, not a full disk
        except RowsSkipped:  # written, but for the pairs the format cannot carry (named)
            progress.close()
            journal.remove()
            raise
        except (OSError, OutputError) as exc:  # a full disk, a file-size limit, a refused pair
            raise _unwritten(exc, out, journal.partial) from None
        progress.close()
        journal.remove()
    return summary
