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
journal and manifest are removed.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from .corpus import STDOUT, WRITERS, Pair
from .document import Document
from .errors import AlignError, OutputError
from .sources import Item, load

CHUNK = 32          # documents per task: enough candidates for full embedding batches
ENGINES = ("local", "dask")
SCHEDULER_TIMEOUT = "10s"  # how long to try to reach a Dask scheduler
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Settings:
    """What decides the pairs of a run; sent to every worker, and kept in the manifest.

    ``task`` is ``captions`` (``scorer``, ``threshold``) or ``documents`` (sentence
    alignment of Hebrew/English file pairs: ``presplit``, ``beads``).
    """

    scorer: str = "auto"
    threshold: float = 0.5
    models: str | None = None
    task: str = "captions"
    presplit: bool = False
    beads: str = "merges"
    calibration: str | None = None  # a reviewer's standard (align calibrate's CAL.json)
    standard: str | None = None     # its id, checked where it is loaded (a worker, a resume)


@dataclass
class Result:
    """One document's outcome: its pairs, or the reason it has none."""

    index: int
    doc: str
    pairs: list[Pair] = field(default_factory=list)
    error: str | None = None


# One scorer per process and settings: built on a worker's first chunk, kept after.
_SCORERS: dict[Settings, Any] = {}
COUNTS = {"scorers": 0, "chunks": 0}  # in this process; tests check one model per worker
_LOCK = threading.Lock()  # a Dask worker with several threads runs one chunk at a time


def scorer_for(settings: Settings, fresh: bool = False):
    """The scorer of ``settings`` in this process (its model loads on first use).

    ``fresh`` builds it anew, as a command does at the start of a run, so that a
    translation model installed since an earlier run in this process is seen.
    """
    from .scoring import get_scorer

    if fresh or settings not in _SCORERS:
        _SCORERS[settings] = get_scorer(settings.scorer, settings.models)
        COUNTS["scorers"] += 1
    scorer = _SCORERS[settings]
    if settings.calibration:  # read each time (a small file): a notebook may calibrate again
        scorer.standard = load_standard(settings.calibration, scorer, settings.standard)
    return scorer


def start_scorer(settings: Settings) -> tuple[Settings, Any]:
    """At the start of a command: the scorer of ``settings`` built anew (a model
    installed since is seen), and the settings with the id of its standard filled in,
    so that workers and a resumed run use that very standard."""
    scorer = scorer_for(settings, fresh=True)
    if settings.calibration:
        settings = replace(settings, standard=scorer.standard.id)
        _SCORERS[settings] = scorer
    return settings, scorer


def load_standard(path: str, scorer, expected: str | None = None):
    """The reviewer's standard in ``path`` for ``scorer`` (``CalibrationError`` when it
    does not fit); ``expected``: the id it had when the run started."""
    from .errors import CalibrationError
    from .scoring.standard import load

    standard = load(path, getattr(scorer, "layout_key", scorer.name))
    if expected is not None and standard.id != expected:
        raise CalibrationError(f"{path}: changed since the run started (id {standard.id}, was "
                               f"{expected}); run the command again")
    return standard


def locate(document: Document, pair: Pair) -> Pair:
    """Report an HTML page's pair by its source lines and elements, not its line index."""
    if not document.origins:
        return pair
    return replace(pair, he_line=document.source_line(pair.he_line),
                   en_line=document.source_line(pair.en_line),
                   he_lines=document.source_lines(pair.he_lines),
                   en_lines=document.source_lines(pair.en_lines),
                   he_element=document.element(pair.he_line),
                   en_element=document.element(pair.en_line))


def align_chunk(settings: Settings, chunk: Sequence[tuple[int, Item]]) -> list[Result]:
    """Parse, detect and pair a chunk of ``(index, item)``; one ``Result`` per item, in
    order. A document that cannot be read gets an error; the others are unaffected."""
    from .captions import align_batch
    from .detection import detect

    with _LOCK:
        scorer = scorer_for(settings)
        COUNTS["chunks"] += 1
        results: dict[int, Result] = {}
        pages = []
        for index, item in chunk:
            try:
                document = load(item)
                pages.append((index, document, detect(document)))
            except AlignError as exc:
                results[index] = Result(index, item.doc, error=str(exc))
            except (RecursionError, MemoryError, ValueError) as exc:  # pathological input
                results[index] = Result(index, item.doc, error=(
                    f"{item.doc}: could not be processed ({type(exc).__name__}: {exc})"))
        found = align_batch([(doc.doc, segs) for _, doc, segs in pages], scorer, settings.threshold)
        for (index, document, _), pairs in zip(pages, found):
            results[index] = Result(index, document.doc, [locate(document, p) for p in pairs])
        return [results[index] for index, _ in chunk]


def document_tools(settings: Settings, fresh: bool = False):
    """The calibrated scorer of this process for sentence alignment, with the sentence
    embedder and (if a he->en model is installed) the translator inside it: returns
    ``(scorer, embedder, translator)``; ``fresh`` as for ``scorer_for``."""
    from .check import embedder_of
    from .scoring.calibrated import scorer_translator

    scorer = scorer_for(settings, fresh)
    return scorer, embedder_of(scorer), scorer_translator(scorer)


def documents_chunk(settings: Settings, chunk: Sequence[tuple[int, Item]]) -> list[Result]:
    """Sentence-align a chunk of ``pair`` items; every bead comes back as a ``Pair``
    (see ``Aligned.bead_pairs``). A pair of files that cannot be read gets an error."""
    from .document import decode, from_text
    from .documents import align_texts

    with _LOCK:
        scorer, embedder, translator = document_tools(settings)
        COUNTS["chunks"] += 1
        out = []
        for index, item in chunk:
            try:
                if item.error:
                    raise AlignError(item.error)
                he = from_text(decode(item.data, item.doc), item.doc)
                en = from_text(decode(item.partner_data, item.partner), item.partner)
                embedder.trim()
                aligned = align_texts(he.lines, en.lines, embedder.embed, settings.presplit,
                                      settings.beads, translator, scorer)
                out.append(Result(index, item.doc, aligned.bead_pairs(item.doc)))
            except AlignError as exc:
                out.append(Result(index, item.doc, error=str(exc)))
        return out


TASKS = {"captions": align_chunk, "documents": documents_chunk}
# Documents per task: captions batch many small pages; articles are each a full job.
CHUNK_SIZES = {"captions": CHUNK, "documents": 4}


def threads_per_worker(workers: int) -> int:
    """Math threads for each of ``workers`` processes: the cores shared out, at least 1."""
    return max(1, (os.cpu_count() or 1) // max(workers, 1))


def _init_worker(threads: int, parent: int | None = None) -> None:
    os.environ["OMP_NUM_THREADS"] = str(threads)  # read when the model library loads
    if parent is not None:
        end_with_parent(parent)


def end_with_parent(parent: int) -> None:
    """Make this worker process end when ``parent`` dies, however it dies.

    On Linux the kernel sends SIGKILL at the parent's death (``PR_SET_PDEATHSIG``);
    elsewhere a daemon thread checks every second whether the parent is gone. A worker
    left behind would hold a model's memory, blocked on a queue nobody feeds.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) == 0:  # 1 = PR_SET_PDEATHSIG
                if os.getppid() != parent:  # the parent died before the call
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass  # no prctl: fall back to watching

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="align-parent-watch", daemon=True).start()


def _stop_workers(pool) -> None:
    """Kill a process pool's workers at once (an interrupted or failed run): their
    chunks are lost anyway, and a clean shutdown would wait for each to finish."""
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            process.kill()


@contextlib.contextmanager
def _environment(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def executor(engine: str, workers: int, scheduler: str | None = None):
    """A ``concurrent.futures``-style executor for ``engine``, or None to run in-process.

    ``local`` with one worker runs here; with more, a pool of spawned processes, one
    model thread each. ``dask`` connects to ``scheduler`` or starts a local cluster of
    ``workers`` processes with one thread each.
    """
    if engine == "local" and workers <= 1:
        yield None
    elif engine == "local":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Workers inherit the environment when they start: the cores are shared out, so
        # N workers never run more math threads than there are cores (numpy and the
        # model read these when they load).
        threads = str(threads_per_worker(workers))
        with _environment(OMP_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=threads,
                          MKL_NUM_THREADS=threads):  # workers start on demand, inside this
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_init_worker, initargs=(int(threads), os.getpid()))
            try:
                yield pool
            except BaseException:  # Ctrl-C, SIGTERM, an error: no worker is left behind
                _stop_workers(pool)
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
    elif engine == "dask":
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise AlignError("--engine dask needs Dask: pip install 'align[dask]'") from None
        if scheduler:
            try:
                client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise AlignError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); "
                                 "start it, or check the address") from None
            with client:
                yield client.get_executor(pure=False)
        else:
            threads = str(threads_per_worker(workers))
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None, env={"OMP_NUM_THREADS": threads,
                                                           "OPENBLAS_NUM_THREADS": threads}) as cluster, \
                    Client(cluster) as client:
                yield client.get_executor(pure=False)
    else:
        raise AlignError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")


def chunks(items: Iterable[Item], start: int = 0, size: int = CHUNK) -> Iterator[list[tuple[int, Item]]]:
    """Number ``items`` from ``start`` and cut them into lists of ``size``, at multiples
    of ``size`` counted from the first document, so a resumed run cuts where a whole
    run does."""
    batch: list[tuple[int, Item]] = []
    for index, item in enumerate(items, start=start):
        batch.append((index, item))
        if (index + 1) % size == 0:
            yield batch
            batch = []
    if batch:
        yield batch


def ordered(fn: Callable, tasks: Iterable, pool, window: int) -> Iterator:
    """``fn`` over ``tasks``, results in task order; at most ``window`` tasks in flight,
    so the input is read only as fast as it is processed."""
    if pool is None:
        yield from map(fn, tasks)
        return
    pending: deque = deque()
    try:
        for task in tasks:
            pending.append(pool.submit(fn, task))
            while len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except Exception as exc:
        from concurrent.futures.process import BrokenProcessPool

        lost = isinstance(exc, BrokenProcessPool) or type(exc).__module__.startswith("distributed")
        if not lost:
            raise  # an error of align's own: its traceback matters
        raise AlignError(f"a worker was lost ({type(exc).__name__}: {exc}); out of memory? "
                         "With -o, finished documents are kept: run the same command with "
                         "--resume") from None
    finally:
        for future in pending:
            future.cancel()


def results(items: Iterable[Item], settings: Settings, workers: int = 1, engine: str = "local",
            scheduler: str | None = None, start: int = 0) -> Iterator[Result]:
    """Every document's ``Result``, in input order, numbering from ``start``."""
    with executor(engine, workers, scheduler) as pool:
        window = 2 * max(workers, 1)
        tasks = chunks(items, start, CHUNK_SIZES[settings.task])
        for batch in ordered(partial(TASKS[settings.task], settings), tasks, pool, window):
            yield from batch


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


def _digest(pair: Pair) -> bytes:
    return hashlib.blake2b(f"{pair.he}\0{pair.en}".encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()


def dedup(read: Callable[[], Iterator[Pair]]) -> Iterator[Pair]:
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

    def pairs(self) -> Iterator[Pair]:
        with open(self.partial, encoding="utf-8") as fh:
            for line in fh:
                yield Pair.from_dict(json.loads(line))

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
             report: Callable[[str], None]) -> Iterator[Result]:
    """Pass results through, counting them and reporting errors as they come."""
    for result in stream:
        progress.update(result)
        if result.error:
            report(result.error)
        yield result


def remove_temporaries(out: str) -> list[str]:
    """Remove what a run killed while writing ``OUT`` left: the temporary files (and
    dataset folders) named ``.OUT.*.tmp`` beside it, which the writers rename into place
    only when they finish. Called under the run's lock, so none is another run's."""
    import glob
    import shutil

    folder, base = os.path.split(os.path.abspath(out))
    removed = []
    for path in glob.glob(os.path.join(glob.escape(folder), "." + glob.escape(base) + ".*.tmp")):
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
        report: Callable[[str], None] = lambda message: None,
        writer: Callable | None = None) -> Summary:
    """Align every item and write the corpus to ``out`` (``None``: stdout) as ``fmt``
    (with ``writer``, default ``WRITERS[fmt]``).

    Errors of single documents go to ``report`` as they happen and are listed in the
    summary; they never stop the run. Straight to stdout, pairs stream out as documents
    finish; otherwise they go through a journal (see the module's docstring).
    """
    write = writer or WRITERS[fmt]
    progress = progress or Progress(stream=io.StringIO())  # not a terminal: silent
    summary = progress.summary

    def aligned(todo: Iterable[Item], start: int = 0) -> Iterator[Result]:
        stream = results(todo, settings, workers, engine, scheduler, start)
        return _tracked(stream, progress, report)

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
            summary.resumed_from, summary.documents, summary.pairs = start, start, kept
            summary.errors += earlier
            progress.resumed(start)
        else:
            journal.start(header)
        for batch in _batches(aligned(journal.skip(items, start), start), CHUNK_SIZES[settings.task]):
            journal.record(batch)
        journal.close()
        try:
            write(dedup(journal.pairs) if deduplicate else journal.pairs(), out or STDOUT, signature)
        except (OSError, OutputError) as exc:  # a full disk, a file-size limit
            why = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise OutputError(f"{out}: cannot be written ({why}); every document is done and "
                              f"kept in {journal.partial}: free some space and run the same "
                              "command with --resume") from None
        progress.close()
        journal.remove()
    return summary
