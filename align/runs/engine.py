"""Where the chunks of a run are done: in this process, in a pool of worker processes, or
on a Dask cluster, results in input order whatever the number of workers.

The unit of work is a chunk of documents (``Item``s of ``align.inputs``): one call of
``align_chunk`` parses, detects and pairs a chunk, embedding its candidates in full
batches; ``documents_chunk`` sentence-aligns a chunk of document pairs. Workers end
with their parent (``end_with_parent``) and are killed at once on an interrupt."""
from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, field
from functools import partial

from align.errors import AlignError, unforeseen
from align.inputs.sources import Item, load
from align.records import Bead, Pair
from align.runs.registry import _LOCK, COUNTS, Settings, document_tools, scorer_for

CHUNK = 32          # documents per task: enough candidates for full embedding batches


ENGINES = ("local", "dask")


SCHEDULER_TIMEOUT = "10s"  # how long to try to reach a Dask scheduler


@dataclass
class Result:
    """One document's outcome: its records (the ``Pair``s of a page, or the ``Bead``s of
    a pair of documents), or the reason it has none."""

    index: int
    doc: str
    pairs: Sequence[Pair | Bead] = field(default_factory=list)
    error: str | None = None
    encoding: str | None = None  # what the document's bytes were read as (``align.encoding``)


def align_chunk(settings: Settings, chunk: Sequence[tuple[int, Item]]) -> list[Result]:
    """Parse, detect and pair a chunk of ``(index, item)``; one ``Result`` per item, in
    order. A document that cannot be read gets an error; the others are unaffected."""
    from align.detection import detect
    from align.linking.captions import align_batch

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
            except Exception as exc:  # noqa: BLE001 - whatever one page does, it is that page's error
                results[index] = Result(index, item.doc, error=unforeseen(item.where or item.doc, exc))
        found: list[list[Pair] | None]
        try:
            found = list(align_batch([(doc.doc, segs) for _, doc, segs in pages], scorer, settings.threshold))
        except Exception:  # noqa: BLE001 - one page broke the batch: align them one by one to find it
            found = []
            for index, document, segs in pages:
                try:
                    found += align_batch([(document.doc, segs)], scorer, settings.threshold)
                except Exception as exc:  # noqa: BLE001
                    results[index] = Result(index, document.doc, error=unforeseen(document.doc, exc))
                    found.append(None)
        for (index, document, _), pairs in zip(pages, found):
            if pairs is not None:
                results[index] = Result(index, document.doc, [document.locate(p) for p in pairs],
                                        encoding=document.encoding)
        return [results[index] for index, _ in chunk]




def documents_chunk(settings: Settings, chunk: Sequence[tuple[int, Item]]) -> list[Result]:
    """Sentence-align a chunk of ``pair`` items; every bead comes back as a ``Bead``
    (see ``Aligned.texted``). A pair of files that cannot be read gets an error."""
    from align.inputs.plain import from_bytes
    from align.linking.documents import align_texts, encodings

    with _LOCK:
        scorer, embedder, translator = document_tools(settings)
        COUNTS["chunks"] += 1
        out = []
        for index, item in chunk:
            try:
                if item.error:
                    raise AlignError(item.error)
                he = from_bytes(item.data, item.doc, forced=item.encoding)
                en = from_bytes(item.partner_data, item.partner, forced=item.encoding)
                embedder.trim()
                aligned = align_texts(he.lines, en.lines, embedder.embed, settings.presplit,
                                      settings.beads, translator, scorer)
                out.append(Result(index, item.doc, aligned.texted(item.doc, encodings(he.encoding, en.encoding))))
            except AlignError as exc:
                out.append(Result(index, item.doc, error=str(exc)))
            except Exception as exc:  # noqa: BLE001 - one pair of documents, its own error
                out.append(Result(index, item.doc, error=unforeseen(item.doc, exc)))
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


def _counted(task: Callable, settings: Settings, chunk) -> tuple[list[Result], tuple[int, int, int]]:
    """``task(settings, chunk)``, and what the evidence cache answered meanwhile in this
    process (hits, misses, writes): a worker's counts, sent back to the parent."""
    from align.runs.cache import shared

    store = shared()
    before = astuple(store.stats) if store else (0, 0, 0)
    batch = task(settings, chunk)
    after = astuple(store.stats) if store else (0, 0, 0)
    return batch, (after[0] - before[0], after[1] - before[1], after[2] - before[2])


def results(items: Iterable[Item], settings: Settings, workers: int = 1, engine: str = "local",
            scheduler: str | None = None, start: int = 0) -> Iterator[Result]:
    """Every document's ``Result``, in input order, numbering from ``start``. What the
    workers' evidence caches answered is added to this process's counts (the summary
    and ``align cache stats`` tell the whole run)."""
    from align.runs.cache import shared

    with executor(engine, workers, scheduler) as pool:
        window = 2 * max(workers, 1)
        tasks = chunks(items, start, CHUNK_SIZES[settings.task])
        for batch, (hits, misses, written) in ordered(partial(_counted, TASKS[settings.task], settings),
                                                      tasks, pool, window):
            store = shared() if pool is not None else None  # in this process: counted already
            if store is not None:
                store.stats.hits += hits
                store.stats.misses += misses
                store.stats.written += written
            yield from batch
