"""Inputs at corpus scale: files, folders, glob patterns, JSONL records and WARC crawls.

``iter_items(inputs)`` turns what the user named into a stream of ``Item``s, one per
document, in a fixed order: inputs in the order given, a folder's files sorted by path,
a glob's matches sorted, records in file order. Nothing is parsed here beyond what is
needed to find the documents; an input or record that cannot be read becomes an
``Item`` carrying the error, so one bad record never stops the others.

Items are small and picklable: they travel to worker processes and cluster workers,
which turn them into ``Document``s with ``load``.
"""
from __future__ import annotations

import glob
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from align.compressed import ERRORS, TruncatedInput, open_read, read_all, strip
from align.errors import InputError
from align.files import utf16_problem
from align.inputs.plain import from_bytes
from align.records import Document

STDIN = "-"
MAX_DOC_MB = 10.0  # a news page is well under 1 MB; far more is not one page
# Extensions a folder is searched for (case-insensitive), longest first.
FOLDER_EXTENSIONS = (".warc.gz", ".jsonl.gz", ".html", ".htm", ".xhtml", ".txt", ".jsonl",
                     ".warc")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
# Files of many documents each: WARC crawls and JSONL page records.
WARC_EXTENSIONS = (".warc", ".warc.gz")
RECORDS_EXTENSIONS = (".jsonl", ".jsonl.gz", ".ndjson")
_GLOB_CHARS = re.compile(r"[*?\[]")
_HTML_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)


@dataclass(frozen=True)
class Item:
    """One document to align, read but not parsed.

    ``doc`` is the name written with its pairs (a path, a record id or a URL); ``kind``
    is ``text``, ``html`` or ``pair`` (a Hebrew file and its English ``partner``);
    ``data`` holds the raw bytes, ``charset`` what the source says they are in, and
    ``error`` the reason, when the document could not be read.
    """

    doc: str
    kind: str
    data: bytes = b""
    charset: str | None = None
    error: str | None = None
    partner: str = ""            # kind ``pair`` (document alignment): the English file
    partner_data: bytes = b""    # and its bytes; ``doc`` and ``data`` are the Hebrew side
    where: str = ""              # for messages: "crawl.warc.gz: record 12 (URL)"
    encoding: str | None = None  # --encoding: read with this, whatever is declared (a WHATWG name)
    position: int = 0            # bytes of all the inputs read once it was found (progress)


def failed(doc: str, message: str) -> Item:
    return Item(doc=doc, kind="error", error=message)


def load(item: Item) -> Document:
    """Parse an item into a ``Document`` (HTML through ``align.html``)."""
    if item.error:
        raise InputError(item.error)
    where = item.where or item.doc
    if item.kind == "html":
        from align.inputs.html import parse_html

        document = parse_html(item.data, where, item.charset, item.encoding)
        return Document(item.doc, document.lines, document.origins, document.encoding)
    return from_bytes(item.data, where, item.doc, item.encoding)


def _is_html(name: str, data: bytes) -> bool:
    return name.lower().endswith(HTML_EXTENSIONS) or bool(_HTML_SNIFF.match(data[:1024]))


def _too_big(name: str, size: int, max_bytes: int) -> str | None:
    if size <= max_bytes:
        return None
    return (f"{name}: {size / 1e6:.1f} MB is more than one document may hold "
            f"({max_bytes / 1e6:.0f} MB); split it into pages, or raise --max-doc-mb")


def _file_item(path: str, max_bytes: int) -> Item:
    """A text or HTML file as one item (its size is checked before it is read)."""
    try:
        size = os.path.getsize(path)
        problem = _too_big(path, size, max_bytes)
        if problem:
            return failed(path, problem)
        data = read_all(path, max_bytes)  # decompressed, if it is compressed
    except InputError as exc:
        return failed(path, str(exc))
    except FileNotFoundError:
        return failed(path, f"{path}: no such file; check the path")
    except OSError as exc:
        return failed(path, f"{path}: cannot be read ({exc.strerror}); check that it exists "
                            "and that you may read it")
    return Item(doc=path, kind="html" if _is_html(strip(path), data) else "text", data=data)


def _record_item(path: str, number: int, line: bytes, max_bytes: int) -> Item:
    where = f"{path}:{number}"
    try:
        row = json.loads(line)
    except ValueError as exc:
        return failed(where, f"{where}: not a JSON record ({exc}); each line must be "
                             '{"id": ..., "text": ...} or {"id": ..., "html": ...}')
    body = row.get("text", row.get("html")) if isinstance(row, dict) else None
    if not isinstance(body, str):
        return failed(where, f"{where}: a record needs a string \"text\" or \"html\" field")
    doc = str(row["id"]) if row.get("id") is not None else where
    data = body.encode("utf-8", "surrogatepass")
    # "html" says so; a "text" that is a whole HTML document is read as one too
    kind = "html" if ("html" in row and "text" not in row) or _is_html("", data) else "text"
    where = f"{where} (id {doc})" if row.get("id") is not None else where
    problem = _too_big(where, len(data), max_bytes)
    return failed(doc, problem) if problem else Item(doc=doc, kind=kind, data=data, charset="utf-8",
                                                     where=where)


def _jsonl_items(path: str, max_bytes: int) -> Iterator[Item]:
    """One item per record of a JSONL file (compressed or not)."""
    try:
        with open_read(path) as fh:
            yield from _records(path, fh, max_bytes)
    except (TruncatedInput, *ERRORS) as exc:  # opening it
        yield failed(path, f"{path}: cannot be read ({str(exc) or type(exc).__name__})")


def _records(path: str, fh, max_bytes: int) -> Iterator[Item]:
    """The items of the JSONL page records read from ``fh`` (a file, or standard input)."""
    number, first = 0, True
    try:
        for number, line in enumerate(fh, start=1):
            if not line.endswith(b"\n"):
                fh.read(1)  # a last line without newline: raises if the file was cut here
            utf16 = utf16_problem(line, path) if number == 1 else None
            if utf16:
                yield failed(path, utf16)
                return
            if not line.strip():
                continue
            item = _record_item(path, number, line, max_bytes)
            if first and item.error and _other_json(line):
                # JSON of another kind (a corpus, a gold file): one message, not one a line
                yield failed(path, f"{path}: not a file of page records (line 1 has no "
                                   '"text" or "html" field); skipped')
                return
            first = False
            yield replace(item, position=fh.tell()) if hasattr(fh, "tell") else item
    except (TruncatedInput, *ERRORS) as exc:
        yield failed(path, f"{path}: cut short or corrupt after line {number} "
                           f"({str(exc) or type(exc).__name__}); the records before it are kept; "
                           "fetch or repair the file and run again")


def _other_json(line: bytes) -> bool:
    """A JSON object with neither ``text`` nor ``html``: a record of another kind (a
    record whose ``html`` is no string is a bad record, named alone)."""
    try:
        row = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(row, dict) and "text" not in row and "html" not in row


def records_on_stdin(data: bytes) -> bool:
    """Whether standard input holds JSONL page records (its first line a JSON object
    with a ``text`` or ``html`` field), as ``cat recs.jsonl | align captions -`` gives."""
    first = data.lstrip().split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return False
    try:
        row = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(row, dict) and ("text" in row or "html" in row)


def _charset(content_type: str | None) -> str | None:
    m = re.search(r"charset=[\"']?([\w.:-]+)", content_type or "", re.I)
    return m.group(1) if m else None


def _warc_record(path: str, number: int, record, max_bytes: int) -> Item | None:
    """The item of one WARC record: HTML responses only (None for the rest)."""
    if record.rec_type != "response":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{number}"
    where = f"{path}: record {number} ({url})"
    headers = record.http_headers
    ctype = headers.get_header("Content-Type") if headers else None
    if ctype and "html" not in ctype.lower():
        return None  # images, scripts, feeds: not pages
    data = record.content_stream().read(max_bytes + 1)
    if not data.strip():
        return failed(url, f"{where}: the response has no body; nothing to align")
    problem = _too_big(where, len(data), max_bytes)
    return failed(url, problem) if problem else Item(doc=url, kind="html", data=data,
                                                     charset=_charset(ctype), where=where)


def _warc_items(path: str, max_bytes: int) -> Iterator[Item]:
    """One item per HTML response of a WARC file; its URL becomes ``doc``."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        yield failed(path, f"{path}: reading WARC files needs the warcio package: "
                           "pip install warcio")
        return
    done = 0
    try:
        with open_read(path) as fh:
            for record in ArchiveIterator(fh):
                item = _warc_record(path, done + 1, record, max_bytes)
                done += 1
                if item is not None:
                    yield replace(item, position=fh.tell())
    except (ArchiveLoadFailed, TruncatedInput, *ERRORS) as exc:
        reason = str(exc).strip() or type(exc).__name__
        if done == 0 and not isinstance(exc, TruncatedInput):
            yield failed(path, f"{path}: not a readable WARC file ({reason}); check that it is one")
            return
        kept = "the record before it is" if done == 1 else f"the {done} records before it are"
        yield failed(path, f"{path}: cut short or corrupt at record {done + 1} ({reason}); "
                           f"{kept} kept; fetch or repair the file and run again")


def _items_of_file(path: str, max_bytes: int) -> Iterator[Item]:
    lower = strip(path).lower()  # crawl.warc.gz is a WARC, recs.jsonl.xz records
    if lower.endswith(WARC_EXTENSIONS):
        yield from _warc_items(path, max_bytes)
    elif lower.endswith(RECORDS_EXTENSIONS):
        yield from _jsonl_items(path, max_bytes)
    else:
        yield _file_item(path, max_bytes)


def folder_files(folder: str, extensions: Iterable[str] = FOLDER_EXTENSIONS) -> list[str]:
    """Files under ``folder`` (recursively) whose names end with one of ``extensions``
    (compressed or not: ``page.html.gz``), sorted; hidden files and folders are left out."""
    ends = tuple(e.lower() if e.startswith(".") else "." + e.lower() for e in extensions)
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, f) for f in files  # page.html.gz too: compressed files are read as theirs
                  if not f.startswith(".") and (f.lower().endswith(ends) or strip(f.lower()).endswith(ends))]
    return sorted(found)


def expand(inputs: Iterable[str | Item], extensions: Iterable[str] = FOLDER_EXTENSIONS) -> Iterator[str | Item]:
    """The files named by ``inputs`` (paths, folders, glob patterns), in order; an input
    naming nothing becomes an error ``Item`` (an ``Item`` given passes as it is)."""
    for name in inputs:
        if isinstance(name, Item):
            yield name
        elif name == STDIN or os.path.isfile(name):
            yield name
        elif os.path.isdir(name):
            files = folder_files(name, extensions)
            if not files:
                yield failed(name, f"{name}: no files ending in {', '.join(extensions)} in this "
                                   "folder; pass --ext to read others")
            yield from files
        elif os.path.exists(name):  # a FIFO, a device, <(cmd): read as a file
            yield name
        elif os.path.lexists(name):
            yield failed(name, f"{name}: a symbolic link that leads nowhere (a loop, or its target is gone); "
                               "check the link")
        elif _GLOB_CHARS.search(name):
            files = sorted(f for f in glob.glob(name, recursive=True) if os.path.isfile(f))
            if not files:
                yield failed(name, f"{name}: no file matches this pattern")
            yield from files
        else:
            yield failed(name, f"{name}: no such file or folder; check the path")


@dataclass(frozen=True)
class Listing:
    """What ``inputs`` name, listed before any is read: ``entries`` for ``iter_items``
    (files, and the inputs naming nothing as error items), how many documents they are
    when each file is one document (``documents``, else None: JSONL records and WARC
    crawls hold many), and the bytes of all the files (``size``; None with stdin)."""

    entries: tuple[str | Item, ...]
    documents: int | None
    size: int | None


def list_inputs(inputs: Iterable[str], extensions: Iterable[str] = FOLDER_EXTENSIONS) -> Listing:
    """List ``inputs`` (folders searched, patterns matched) so that a run knows its total."""
    entries = tuple(expand(inputs, extensions))
    files = [e for e in entries if isinstance(e, str)]
    streams = any(f == STDIN or strip(f).lower().endswith(WARC_EXTENSIONS + RECORDS_EXTENSIONS) for f in files)
    try:
        size = None if STDIN in files else sum(os.path.getsize(f) for f in files)
    except OSError:
        size = None
    return Listing(entries, None if streams else len(entries), size)


def iter_items(inputs: Iterable[str | Item], max_doc_mb: float = MAX_DOC_MB,
               extensions: Iterable[str] = FOLDER_EXTENSIONS, encoding: str | None = None) -> Iterator[Item]:
    """Every document named by ``inputs`` (or by a ``Listing``'s entries), one ``Item``
    each, in a fixed order; each item's ``position`` counts the bytes read so far.
    ``encoding`` (a WHATWG name, ``--encoding``): every document is read with it."""
    for item in _iter_items(inputs, max_doc_mb, extensions):
        yield replace(item, encoding=encoding) if encoding and not item.error else item


def _iter_items(inputs: Iterable[str | Item], max_doc_mb: float, extensions: Iterable[str]) -> Iterator[Item]:
    max_bytes = int(max_doc_mb * 1e6)
    base = 0
    for entry in expand(inputs, extensions):
        if isinstance(entry, Item):
            yield replace(entry, position=base)
        elif entry == STDIN:
            data = sys.stdin.buffer.read()
            if records_on_stdin(data):
                yield from _records("<stdin>", io.BytesIO(data), max_bytes)
                continue
            problem = _too_big("<stdin>", len(data), max_bytes)
            yield failed(STDIN, problem) if problem else Item(
                doc=STDIN, kind="html" if _is_html("", data) else "text", data=data)
        else:
            try:
                size = os.path.getsize(entry)
            except OSError:
                size = 0
            for item in _items_of_file(entry, max_bytes):
                yield replace(item, position=base + (item.position or size))
            base += size
