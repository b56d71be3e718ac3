"""A persistent cache of evidence: vectors that cost a model call, kept between runs.

One SQLite file in WAL mode (standard library; several processes may read and write
at once, and a write killed half-way is rolled back when the file is next opened).
Each entry is keyed by what made it and what it was made from:

- ``kind``: what the entry is: ``"e5-passage"`` a sentence or word embedding,
  ``"latent"`` latent terms, ``"mt"`` a machine translation (UTF-8 text);
- ``model``: the sha256 of the model's weights, so a changed model never returns a
  stale vector (its entries are simply never asked for again, and age out);
- ``text``: the exact string given to the model, stored as its sha256.

Vectors are float32 blobs, translations UTF-8. Every lookup stamps the entries it used; when the file
holds more than its size limit, the least recently used entries are removed.

Faults never stop a run: a folder that cannot be written (read-only, full disk) makes
the cache read-only or off, said once on stderr. A file that is not an align cache,
or is damaged, is refused with a ``CacheError`` naming it and how to clear it.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.errors import AlignError

FORMAT = "align-evidence-cache"
VERSION = 1
FILE = "evidence.sqlite"
DEFAULT_SIZE = 2 * 1024 ** 3      # bytes of vectors kept before the oldest are evicted
CHUNK = 500                       # keys asked or written per SQL statement


class CacheError(AlignError):
    """The cache file is not one align wrote, or is damaged."""


def default_folder() -> str:
    """``$ALIGN_CACHE``, else ``$XDG_CACHE_HOME/align``, else ``~/.cache/align``."""
    if os.environ.get("ALIGN_CACHE"):
        return os.environ["ALIGN_CACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "align")


def configure(folder: str | None, size: int | None = None, off: bool = False) -> None:
    """Set this process's cache for a command, through the environment so that worker
    processes (a pool, a local Dask cluster) started from it use the same one:
    ``ALIGN_CACHE`` (the folder; ``folder``, else ``default_folder()``),
    ``ALIGN_CACHE_SIZE`` (bytes), ``ALIGN_NO_CACHE=1`` (``off``, or already set in the
    environment and no ``folder`` named)."""
    os.environ["ALIGN_CACHE"] = os.path.abspath(folder or default_folder())
    if folder:  # a folder named is a cache asked for, whatever the environment says
        os.environ.pop("ALIGN_NO_CACHE", None)
    if size is not None:
        os.environ["ALIGN_CACHE_SIZE"] = str(int(size))
    if off:
        os.environ["ALIGN_NO_CACHE"] = "1"


_OPEN: dict[tuple[str, int], EvidenceCache] = {}


def new_run() -> None:
    """Start counting hits, misses and writes afresh (a command run in a process that
    ran others before: a notebook, the tests)."""
    for store in _OPEN.values():
        store.stats = Stats()


def opened() -> list[EvidenceCache]:
    """The caches this process has opened through ``shared``."""
    return list(_OPEN.values())


def shared() -> EvidenceCache | None:
    """The cache the environment names, one per process: None when ``ALIGN_NO_CACHE=1``
    or no ``ALIGN_CACHE`` is set (the library keeps nothing unless asked; the command
    line sets ``ALIGN_CACHE`` to its default folder, see ``configure``)."""
    if os.environ.get("ALIGN_NO_CACHE") == "1" or not os.environ.get("ALIGN_CACHE"):
        return None
    key = (default_folder(), int(os.environ.get("ALIGN_CACHE_SIZE") or DEFAULT_SIZE))
    if key not in _OPEN:
        _OPEN[key] = EvidenceCache(*key)
    return _OPEN[key]


def parse_size(text: str) -> int:
    """Bytes from ``500M``, ``2G``, ``1.5GB`` or a plain number of bytes."""
    units = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = t[-1:] if t[-1:] in units and t[-1:] else ""
    try:
        value = float(t[:-1] if unit else t)
    except ValueError:
        raise ValueError(f"{text!r} is not a size: give bytes, or a number with K, M or G (500M, 2G)") from None
    if value <= 0:
        raise ValueError(f"{text!r}: the cache size must be above 0")
    return int(value * units[unit])


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass
class Stats:
    """What the cache answered in this process: ``hits`` found, ``misses`` not found,
    ``written`` stored."""

    hits: int = 0
    misses: int = 0
    written: int = 0


class EvidenceCache:
    """Vectors by (kind, model, text) in ``folder``/evidence.sqlite.

    ``size``: bytes of vectors kept (least recently used evicted past it)."""

    def __init__(self, folder: str, size: int = DEFAULT_SIZE, warn=None):
        self.folder = folder
        self.path = os.path.join(folder, FILE)
        self.size = size
        self.stats = Stats()
        self.writable = True
        self._warn = warn or (lambda message: print(f"align: warning: {message}", file=sys.stderr))
        self._warned = False
        self._used: int | None = None   # bytes of vectors, as this process last counted them
        self._db = self._open()

    # --- opening -------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection | None:
        try:
            os.makedirs(self.folder, exist_ok=True)
        except OSError as exc:
            if not os.path.exists(self.path):
                self._off(f"cannot create the cache folder {self.folder} ({exc.strerror}); running without it")
                return None
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            # A new file only: rows of 1.5-2 KB leave 4 KB pages half empty (the file
            # was 3.2x its vectors; with 16 KB pages, 1.5x).
            db.execute("PRAGMA page_size=16384")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._schema(db)
            return db
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc) or "unable to open" in str(exc):
                return self._read_only(exc)
            raise self._damaged(exc) from None
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None

    def _read_only(self, exc) -> sqlite3.Connection | None:
        if not os.path.exists(self.path):
            self._off(f"cannot write the cache {self.path} ({exc}); running without it")
            return None
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30, isolation_level=None)
            self._check_format(db)
        except sqlite3.DatabaseError as err:
            raise self._damaged(err) from None
        self.writable = False
        self._say(f"the cache {self.path} cannot be written ({exc}); reading it only")
        return db

    def _schema(self, db: sqlite3.Connection) -> None:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
                db.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?), ('version', ?)", (FORMAT, str(VERSION)))
                db.execute("CREATE TABLE IF NOT EXISTS vectors (kind TEXT, model TEXT, text BLOB, vec BLOB, "
                           "used REAL, PRIMARY KEY (kind, model, text)) WITHOUT ROWID")
                db.execute("CREATE INDEX IF NOT EXISTS by_use ON vectors (used)")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        self._check_format(db)

    def _check_format(self, db: sqlite3.Connection) -> None:
        try:
            meta = dict(db.execute("SELECT k, v FROM meta"))
        except sqlite3.OperationalError:
            meta = {}
        if meta.get("format") != FORMAT:
            raise sqlite3.DatabaseError("it holds no align cache")
        if meta.get("version") != str(VERSION):
            raise sqlite3.DatabaseError(f"it is version {meta.get('version')} of the cache, this align reads "
                                        f"version {VERSION}")

    def _damaged(self, exc) -> CacheError:
        return CacheError(f"{self.path} is not a usable align cache ({exc}); remove it with "
                          f"'align cache clear --cache {self.folder}' (or delete the file), or run with --no-cache")

    def _say(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            self._warn(message)

    def _off(self, message: str) -> None:
        self.writable = False
        self._say(message)

    # --- use -----------------------------------------------------------------------

    def get(self, kind: str, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors (float32) of ``texts`` that the cache holds, by text."""
        return {t: np.frombuffer(b, dtype=np.float32).copy() for t, b in self.get_raw(kind, model, texts).items()}

    def put(self, kind: str, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors (as float32) by text; see ``put_raw``."""
        self.put_raw(kind, model, {t: np.ascontiguousarray(v, dtype=np.float32).tobytes() for t, v in items.items()})

    def get_raw(self, kind: str, model: str, texts: Sequence[str]) -> dict[str, bytes]:
        """The stored bytes of ``texts`` that the cache holds, by text."""
        if self._db is None or not texts:
            return {}
        unique = list(dict.fromkeys(texts))
        by_key = {text_key(t): t for t in unique}
        found: dict[str, bytes] = {}
        keys = list(by_key)
        for i in range(0, len(keys), CHUNK):
            part = keys[i:i + CHUNK]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(f"SELECT text, vec FROM vectors WHERE kind=? AND model=? AND text IN ({marks})",
                                    (kind, model, *part)).fetchall()
            for key, blob in rows:
                found[by_key[key]] = bytes(blob)
        self.stats.hits += len(found)
        self.stats.misses += len(unique) - len(found)
        if found and self.writable:
            self._touch(kind, model, [text_key(t) for t in found])
        return found

    def put_raw(self, kind: str, model: str, items: dict[str, bytes]) -> None:
        """Store ``items`` (text: bytes) in one transaction; past the size limit, evict."""
        if self._db is None or not self.writable or not items:
            return
        now = time.time()
        rows = [(kind, model, text_key(t), value, now) for t, value in items.items()]
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:  # a full disk, a folder made read-only
            self._off(f"could not write to the cache {self.path} ({exc}); going on without storing")
            return
        self.stats.written += len(rows)
        # Summing the file's vectors on every write would cost a scan of the table: count
        # what this process adds, and look at the whole only when that passes the limit.
        if self._used is None:
            self._used = self.bytes_used()
        self._used += sum(len(r[3]) for r in rows)
        if self._used > self.size:
            try:
                self.evict()
            except sqlite3.OperationalError as exc:
                self._off(f"could not evict from the cache {self.path} ({exc}); going on without storing")

    def _touch(self, kind: str, model: str, keys: list[bytes]) -> None:
        now = time.time()
        assert self._db is not None
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("UPDATE vectors SET used=? WHERE kind=? AND model=? AND text=?",
                                     [(now, kind, model, k) for k in keys])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            self._off(f"could not write to the cache {self.path} ({exc}); going on without storing")

    def bytes_used(self) -> int:
        if self._db is None:
            return 0
        return int(self._db.execute("SELECT COALESCE(SUM(LENGTH(vec)), 0) FROM vectors").fetchone()[0])

    def entries(self) -> int:
        if self._db is None:
            return 0
        return int(self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def evict(self) -> int:
        """Remove the least recently used entries until the vectors fit in ``size``
        bytes; returns how many went."""
        used = self._used = self.bytes_used()
        if used <= self.size or self._db is None:
            return 0
        removed = 0
        target = int(self.size * 0.9)  # leave room, so that eviction is not paid on every write
        while used > target:
            rows = self._db.execute("SELECT kind, model, text, LENGTH(vec) FROM vectors ORDER BY used LIMIT ?",
                                    (CHUNK,)).fetchall()
            if not rows:
                break
            self._db.execute("BEGIN IMMEDIATE")
            for kind, model, key, n in rows:
                self._db.execute("DELETE FROM vectors WHERE kind=? AND model=? AND text=?", (kind, model, key))
                used -= n
                removed += 1
                if used <= target:
                    break
            self._db.execute("COMMIT")
        self._used = used
        return removed

    def db_ok(self) -> bool:
        """Whether SQLite finds the file whole (``PRAGMA quick_check``)."""
        return self._db is None or self._db.execute("PRAGMA quick_check").fetchone()[0] == "ok"

    def record_run(self) -> None:
        """Keep this process's hits, misses and writes as the last run's (for ``align
        cache stats``)."""
        if self._db is None or not self.writable:
            return
        value = f"{self.stats.hits} {self.stats.misses} {self.stats.written}"
        try:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('last_run', ?)", (value,))
        except sqlite3.OperationalError as exc:
            self._off(f"could not write to the cache {self.path} ({exc}); going on without storing")

    def last_run(self) -> Stats | None:
        if self._db is None:
            return None
        row = self._db.execute("SELECT v FROM meta WHERE k='last_run'").fetchone()
        return Stats(*map(int, row[0].split())) if row else None

    def clear(self) -> None:
        if self._db is not None and self.writable:
            self._db.execute("DELETE FROM vectors")
            self._db.execute("VACUUM")
            self._used = 0

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
