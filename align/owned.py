"""What align wrote, and so what a run may replace.

``--force`` replaces only align's own work: a file whose content says align wrote it
(``why_not_ours`` gives None: a corpus, an annotated check, a report, a sidecar, a
calibration, a run's journal or lock), or a dataset folder holding nothing else
(``foreign_entry``). Before any work, a command lists every path it will write
(``Output``: the option that names it, the path, and the files that go with it:
sidecars, Moses pairs, the journal) and ``check_plan`` refuses, naming the options:

- a folder that must never be replaced: ``/``, the home folder, the current folder or
  one above it (``NotOurs``);
- two outputs that are one file, or one inside an output folder (``OutputClash``);
- an output that is an input, or a folder that holds one (``OutputClash``);
- an output in the way: without ``--force`` any existing one; with it, one align did
  not write (``NotOurs``, naming the first foreign file).

Paths are compared as the file system sees them: symlinks and ``..`` resolved, the
same file under two names (a hard link, another case on a case-insensitive file
system) found. A leaf: it imports only align's errors and ``compressed`` and, to read
a Parquet footer, pyarrow.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from align.errors import OutputError


class OutputClash(OutputError):
    """Two outputs of one run are the same file, or an output is an input."""


class NotOurs(OutputError):
    """An output would replace something align did not write."""


@dataclass(frozen=True)
class Output:
    """A file (or folder) a command will write: ``option`` and ``given`` say how the
    user named it (``-o out.jsonl``); ``path`` is the file itself, ``given`` or one
    that goes with it (its sidecar, a Moses side, the run's journal); ``what`` says what
    such a file is; ``folder``: a dataset folder (``-f hf``); ``scratch``: align's own
    bookkeeping (journal, manifest, lock), replaced without ``--force`` when align wrote
    it."""

    option: str
    given: str
    path: str = ""
    what: str = ""
    folder: bool = False
    scratch: bool = False

    def __post_init__(self):
        if not self.path:
            object.__setattr__(self, "path", self.given)

    @property
    def extra(self) -> bool:
        """A file that goes with the one named, not it."""
        return self.path != self.given

    def named(self) -> str:
        """How a message names it: ``-o out.jsonl``, ``-o out.jsonl: out.jsonl.partial (the run's journal)``."""
        if not self.extra:
            return f"{self.option} {self.path}"
        return f"{self.option} {self.given}: {self.path}" + (f" ({self.what})" if self.what else "")


def run_outputs(option: str, path: str, files: Sequence[str], folder: bool = False,
                journal: bool = False) -> list[Output]:
    """The outputs of ``option path``: ``files`` (what the writer creates: the path,
    its sidecar, Moses pairs) and, for a journaled run, ``path``.partial, .progress
    and .lock."""
    out = [Output(option, path, f, folder=folder and f == path) for f in files]
    if journal:
        out += [Output(option, path, path + end, f"the run's {what}", scratch=True)
                for end, what in ((".partial", "journal"), (".progress", "manifest"), (".lock", "lock"))]
    return out


def tidy(path: str) -> str:
    """``path`` without trailing separators ("ds/" is the folder ds, whose journal is
    ds.partial beside it, not ds/.partial inside it); the root stays the root."""
    stripped = path.rstrip("/" + os.sep)
    return stripped or path[:1]


# --- the same file under two names ---------------------------------------------------

def _key(path: str) -> str:
    return os.path.realpath(os.path.abspath(path))


@lru_cache(maxsize=256)
def _folds_case(folder: str) -> bool:
    """Whether ``folder``'s file system ignores case: a name made in it is found in
    another case. The probe is a temporary file of align's own, removed at once; a
    folder align cannot write in is taken as case-sensitive."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".align-Case-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    try:
        return os.path.exists(os.path.join(folder, os.path.basename(probe).lower()))
    finally:
        os.unlink(probe)


def _existing_parent(path: str) -> str:
    parent = os.path.dirname(path)
    while parent and not os.path.isdir(parent) and parent != os.path.dirname(parent):
        parent = os.path.dirname(parent)
    return parent


def same(a: str, b: str) -> bool:
    """Whether paths ``a`` and ``b`` are one file (or folder), as the file system sees it."""
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return True
    if os.path.exists(ka) and os.path.exists(kb):
        return os.path.samefile(ka, kb)
    return ka.casefold() == kb.casefold() and _folds_case(_existing_parent(ka))


def inside(path: str, folder: str) -> bool:
    """Whether ``path`` is in ``folder`` or below it (not ``folder`` itself)."""
    kp, kf = _key(path), _key(folder).rstrip(os.sep) + os.sep
    if kp.startswith(kf):
        return True
    return kp.casefold().startswith(kf.casefold()) and _folds_case(_existing_parent(kp))


# --- whose file is it -----------------------------------------------------------------

HEAD = 65536  # bytes read to tell a file's writer
_SHARD = re.compile(r"train-\d{5}-of-\d{5}\.parquet")
_LOCK = re.compile(r"pid \d+, started ")
_NOT_OURS = "not a file align writes"


def why_not_ours(path: str) -> str | None:
    """None when align wrote ``path`` (a file, or a dataset folder: ``foreign_entry``);
    else why it seems not to have. An empty file holds nothing to lose: align's.

    Files that say so themselves are known by their content: a TMX (``creationtool``),
    a report (its ``generator``), a sidecar, a calibration, a run's manifest and lock,
    ``align check``'s annotated rows, Parquet (align's schema key). Corpora of plain
    rows (JSONL pairs and beads, TSV, Moses, vecalign lines) look like anyone's, a
    user's own corpus or labels: they are align's only beside align's signature
    (``PATH.meta.json``), and a journal (``OUT.partial``) beside its manifest."""
    if os.path.isdir(path):
        entry = foreign_entry(path)
        return None if entry is None else f"it holds {entry}, which align did not write"
    from align.compressed import ERRORS, TruncatedInput, open_read

    try:
        with open_read(path) as fh:  # out.tmx.gz: its content says whose it is
            head = fh.read(HEAD)
    except (TruncatedInput, *ERRORS) as exc:
        return f"it cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if not head:
        return None
    if head.startswith(b"PAR1"):
        return None if _parquet_ours(path) else "a Parquet file without align's signature"
    complete = len(head) < HEAD
    text = head.decode("utf-8", "replace") if complete else head[: head.rfind(b"\n") + 1].decode("utf-8", "replace")
    if _says_ours(text, complete):
        return None
    if path.endswith(".partial"):
        return None if _manifest_ours(path[: -len(".partial")] + ".progress") else \
            f"{_NOT_OURS} (no manifest of align's beside it)"
    prefix, ext = os.path.splitext(path)
    sidecars = [path + ".meta.json"] + ([prefix + ".meta.json"] if ext in (".he", ".en") else [])
    if any(_signs(s, path) for s in sidecars):
        return None
    return (f"{_NOT_OURS}, or no signature of align's is beside it ({os.path.basename(sidecars[-1])}): "
            "a corpus align writes to standard output has none")


def _says_ours(text: str, complete: bool) -> bool:
    """Content that names align: a TMX, a report, a lock, a sidecar or calibration, a
    manifest, annotated rows of ``align check``, the ``--errors`` list of a run."""
    start = text.lstrip("\ufeff \n")
    if start.startswith(("<?xml", "<tmx")):
        return 'creationtool="align"' in start[:4096]
    if start[:15].lower().startswith(("<!doctype html", "<html")):
        return '<meta name="generator" content="align' in start[:4096]
    if _LOCK.match(start):
        return True
    if not start.startswith("{"):
        return False
    if complete and _json_ours(start):
        return True
    first = _json(start.split("\n", 1)[0])
    if first.get("align_run"):
        return True
    if set(first) == {"doc", "error"}:  # --errors FILE
        return all(set(_json(line)) == {"doc", "error"} for line in text.split("\n") if line.strip())
    return {"row", "flags", "reasons"} <= first.keys() and _checked_ours(text)


def _json(line: str) -> dict:
    try:
        value = json.loads(line)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _json_ours(text: str) -> bool:
    """A signature sidecar (``tool: align``) or a calibration (``format: align-calibration``)."""
    value = _json(text)
    return value.get("tool") == "align" or value.get("format") == "align-calibration"


def _signs(sidecar: str, path: str) -> bool:
    """Whether ``sidecar`` is align's signature of ``path``: it names the file (``files``).
    A sidecar written before it did so signs ``PATH`` (``PATH.meta.json``) unless it is
    a Moses pair's (``PATH.he`` and ``PATH.en`` beside it), and a Moses pair's sides."""
    try:
        with open(sidecar, encoding="utf-8") as fh:
            meta = _json(fh.read(HEAD))
    except (OSError, UnicodeDecodeError):
        return False
    if meta.get("tool") != "align":
        return False
    if isinstance(meta.get("files"), list):
        return os.path.basename(path) in meta["files"]
    if sidecar == path + ".meta.json":
        return not (os.path.exists(path + ".he") and os.path.exists(path + ".en"))
    return True


def _manifest_ours(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as fh:
            return bool(_json(fh.readline()).get("align_run"))
    except (OSError, UnicodeDecodeError):
        return False


def _checked_ours(text: str) -> bool:
    """Every line a row of ``align check``'s annotated JSONL."""
    lines = [line for line in text.split("\n") if line.strip()]
    return all({"row", "he", "en", "flags"} <= _json(line).keys() for line in lines)


def _parquet_ours(path: str) -> bool:
    try:
        import pyarrow.parquet as pq

        meta = pq.read_schema(path).metadata or {}
    except Exception:  # noqa: BLE001 - any unreadable footer: not known to be ours
        return False
    return b"align" in meta


def foreign_entry(folder: str) -> str | None:
    """The first entry of ``folder`` (a dataset folder) that align did not write, as a
    path, or None: align writes ``README.md`` (its card) and ``data/train-*.parquet``."""
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name == "README.md" and os.path.isfile(path) and _card_ours(path):
            continue
        if name == "data" and os.path.isdir(path) and not os.path.islink(path):
            for shard in sorted(os.listdir(path)):
                where = os.path.join(path, shard)
                if not (_SHARD.fullmatch(shard) and os.path.isfile(where) and _parquet_ours(where)):
                    return where
            continue
        return path
    return None


def _card_ours(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return "# Hebrew–English pairs written by align" in fh.read(HEAD)
    except OSError:
        return False


# --- the plan -------------------------------------------------------------------------

def never_replaced(folder: str) -> str | None:
    """Why ``folder`` must never be replaced (the root, the home folder, the current
    folder or one above it), or None."""
    key = _key(folder)
    if key == os.path.dirname(key):
        return "the root folder"
    if same(key, os.path.expanduser("~")):
        return "your home folder"
    cwd = os.getcwd()
    if same(key, cwd):
        return "the current folder"
    if inside(cwd, key):
        return "a folder above the current one"
    return None


def check_plan(outputs: Sequence[Output], inputs: Iterable[str], force: bool) -> None:
    """Refuse, before any work, a run whose outputs clash with each other or with an
    input (``clashes``), or would replace what they may not (see the module docstring)."""
    clashes(outputs, inputs)
    replaceable(outputs, force)


def clashes(outputs: Sequence[Output], inputs: Iterable[str]) -> None:
    """Raise ``OutputClash`` for two outputs that are one file (or one inside an output
    folder), and for an output that is an input or an output folder holding one."""
    inputs = [i for i in dict.fromkeys(inputs) if i and i != "-"]
    for out in outputs:
        why = never_replaced(out.path) if out.folder and os.path.lexists(out.path) else None
        if why:
            raise NotOurs(f"{out.named()} is {why}: a dataset folder replaces the folder it is "
                          f"given, so give a new folder's name (e.g. {out.option} dataset)")
    for n, a in enumerate(outputs):
        for b in outputs[:n]:
            if same(a.path, b.path):
                raise OutputClash(f"{b.named()} and {a.named()} are the same file; give each its own name")
            for outer, inner in ((a, b), (b, a)):
                if outer.folder and inside(inner.path, outer.path):
                    raise OutputClash(f"{inner.named()} is inside the dataset folder {outer.named()}, "
                                      "which the run replaces; write it elsewhere")
        for path in inputs:
            if same(a.path, path):
                raise OutputClash(f"{a.named()} is the input {path}: align would overwrite what it reads; "
                                  "give another output name")
            if a.folder and inside(path, a.path):
                raise OutputClash(f"{a.named()} holds the input {path}: align would replace the folder "
                                  "it reads from; give another output folder")


def replaceable(outputs: Sequence[Output], force: bool) -> None:
    """Raise ``NotOurs`` for an output in the way: without ``force`` any existing one
    (align's own journal and lock aside); with it, one align did not write."""
    for out in outputs:
        _check_one(out, force)


def _check_one(out: Output, force: bool) -> None:
    if not os.path.lexists(out.path):
        return
    if not (force or out.scratch):
        raise NotOurs(f"{out.named()} already exists; pass --force to replace it")
    why = why_not_ours(out.path)
    if why:
        raise NotOurs(f"{out.named()}: {why}; --force replaces only what align wrote, so move it "
                      f"away or give {out.option} another name")
