"""The pairs of documents ``align documents`` is given: two files, prefixes (``X`` for
``X.he`` + ``X.en``), or .tsv/.jsonl lists of pairs; and their ``pair`` items, read lazily,
for a corpus-scale run. What cannot be a pair (one file, a folder, a path given twice)
is said at once, with the forms that work."""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator

from align.compressed import read_all
from align.errors import InputError
from align.inputs.plain import decode
from align.inputs.sources import MAX_DOC_MB, Item, _file_item, failed


def pair_items(pairs: Iterable[tuple[str, str]], max_doc_mb: float = MAX_DOC_MB,
               encoding: str | None = None) -> Iterator[Item]:
    """Items for document alignment, one per ``(he_path, en_path)``; read lazily (with
    ``encoding`` when given: ``--encoding``)."""
    max_bytes = int(max_doc_mb * 1e6)
    for he_path, en_path in pairs:
        he, en = _file_item(he_path, max_bytes), _file_item(en_path, max_bytes)
        problem = he.error or en.error
        yield failed(he_path, problem) if problem else Item(
            doc=he_path, kind="pair", data=he.data, partner=en_path, partner_data=en.data, encoding=encoding)


def document_pairs(args: list[str], errors: list[str] | None = None) -> list[tuple[str, str]]:
    """``(he_path, en_path)`` pairs from the command line: two files; or prefixes X
    (X.he + X.en); or .tsv / .jsonl lists of pairs (``he<TAB>en`` or
    ``{"he": path, "en": path}``). Paths in a list are relative to the list's folder."""
    lists = [a for a in args if a.endswith((".tsv", ".jsonl")) and os.path.isfile(a)]
    files = [a for a in args if os.path.isfile(a) and a not in lists]
    forms = ("give a Hebrew file and its English file (HE_FILE EN_FILE), prefixes (PREFIX for "
             "PREFIX.he + PREFIX.en), or a .tsv/.jsonl list of pairs")
    repeated = next((a for k, a in enumerate(args) if a in args[:k]), None)
    if repeated is not None:
        raise InputError(f"{repeated} is given twice; {forms}")
    if len(args) == 2 and files and not lists:  # HE_FILE EN_FILE
        missing = next((a for a in args if not os.path.isfile(a)), None)
        if missing is not None:
            raise InputError(f"{missing}: no such file ({files[0]} is one); {forms}")
        return [(args[0], args[1])]
    for arg in args:
        if arg in files and not (os.path.isfile(arg + ".he") or os.path.isfile(arg + ".en")):
            raise InputError(f"{arg} is one file, and align documents needs two: {forms}")
        if os.path.isdir(arg) and not os.path.isfile(arg + ".he"):
            raise InputError(f"{arg} is a folder; {forms}")
    pairs = []
    for arg in args:
        pairs += _listed_pairs(arg, errors) if arg in lists else [(arg + ".he", arg + ".en")]
    return pairs


def _listed_pairs(path: str, errors: list[str] | None = None) -> list[tuple[str, str]]:
    """The ``(he_path, en_path)`` rows of a .tsv or .jsonl list, relative to its folder."""
    base = os.path.dirname(path)
    text = decode(read_all(path), path).text
    pairs = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            if path.endswith(".jsonl"):
                row = json.loads(line)
                he, en = row["he"], row["en"]
            else:
                he, en = line.split("\t")[:2]
            if not (isinstance(he, str) and isinstance(en, str) and he and en):
                raise TypeError
        except (ValueError, KeyError, TypeError, RecursionError):
            message = f"{path}:{number}: expected a Hebrew and an English path"
            if errors is None:
                raise InputError(message) from None
            errors.append(message + "; the row is skipped")
            continue
        pairs.append((os.path.join(base, he), os.path.join(base, en)))
    return pairs
