"""The Python API: what the command line does, as functions for notebooks and pipelines.

    import align
    pairs = align.pair_captions("corpora/ynetnews-gallant-trip.txt")
    rows = [p.to_dict() for p in pairs]

Models load on the first call that needs them and are kept for the next calls (one
per process and settings, the same cache the command line's runs use); importing
``align`` loads nothing.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Union

from align.errors import InputError
from align.linking.captions import DEFAULT_THRESHOLD
from align.records import Bead, Document, Pair, Segment
from align.review.check import Checked

Source = Union[str, "os.PathLike[str]"]


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2048].lower()
    return head.startswith("<") and any(tag in head for tag in ("<html", "<body", "<img", "<figure", "<p", "<div"))


def _documents(source: Source) -> list[Document]:
    """The documents of ``source``: a path (file, folder, glob pattern, JSONL records,
    WARC), or text itself (plain text or an HTML page)."""
    from align.inputs.html import parse_html
    from align.inputs.plain import from_text
    from align.inputs.sources import iter_items, load

    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source
                                           and len(source) < 4096 and os.path.exists(source)):
        return [load(item) for item in iter_items([os.fspath(source)])]
    if not isinstance(source, str):
        raise InputError(f"expected text or a path, got {type(source).__name__}")
    if _looks_like_html(source):
        return [parse_html(source.encode("utf-8"), "<text>", "utf-8")]
    return [from_text(source, "<text>")]


def detect(source: Source) -> list[Segment]:
    """The Hebrew and English segments of ``source`` (text or a path; for several
    documents, their segments one after the other), as ``align detect`` finds them."""
    from align.detection import detect as find

    return [segment for document in _documents(source) for segment in find(document)]


def _scorer(scorer: str = "auto", models: str | None = None, fresh: bool = False,
            calibration: Source | None = None):
    """The scorer of these settings in this process, built on first use (``fresh``:
    built anew, so that a translation model installed since is seen), with the
    reviewer's standard of ``calibration`` (a CAL.json path) when one is given."""
    from align.runs.registry import Settings, scorer_for

    return scorer_for(Settings(scorer=scorer, models=models, calibration=_path(calibration)), fresh)


def _path(calibration: Source | None) -> str | None:
    return None if calibration is None else os.fspath(calibration)


def pair_captions(source: Source, *, threshold: float = DEFAULT_THRESHOLD, scorer: str = "auto",
                  models: str | None = None, calibration: Source | None = None) -> list[Pair]:
    """Pair the Hebrew captions of ``source`` with their English captions, as ``align
    captions`` does: text, an HTML page as a string, or a path (a file, a folder, a
    glob pattern, JSONL records, a WARC). Returns ``Pair``s in input order.
    ``calibration``: a reviewer's standard (``align calibrate``'s CAL.json)."""
    from align.detection import detect as find
    from align.linking.captions import align_captions

    model = _scorer(scorer, models, calibration=calibration)
    pairs = []
    for document in _documents(source):
        pairs += [document.locate(p) for p in align_captions(document.doc, find(document), model, threshold)]
    return pairs


def align_documents(he: Sequence[str] | str, en: Sequence[str] | str, *, presplit: bool | None = None,
                    beads: str = "merges", models: str | None = None,
                    calibration: Source | None = None) -> list[Bead]:
    """Sentence-align a Hebrew article with its English translation, as ``align
    documents`` does. Each side is a list of sentences (``presplit``, the default for
    lists) or running text (split into sentences, the default for a string); each
    bead's score is under the standard of ``calibration`` when one is given."""
    from align.linking.documents import align_texts
    from align.runs.registry import Settings, document_tools

    if presplit is None:
        presplit = not isinstance(he, str)
    he_lines = he.splitlines() if isinstance(he, str) else list(he)
    en_lines = en.splitlines() if isinstance(en, str) else list(en)
    scorer, embedder, translator = document_tools(Settings(task="documents", models=models, presplit=presplit,
                                                           beads=beads, calibration=_path(calibration)))
    aligned = align_texts(he_lines, en_lines, embedder.embed, presplit, beads, translator, scorer)
    return aligned.texted()


def _pair(item, k: int) -> Pair:
    if isinstance(item, Pair):
        return item
    if isinstance(item, dict):
        return Pair.from_dict(item, doc=item.get("doc", "python"))
    he, en = item
    return Pair("python", he, en, 0.0, he_line=k, en_line=k)


def check_pairs(pairs: Iterable[Pair | dict | tuple[str, str]], *, min_score: float = DEFAULT_THRESHOLD,
                models: str | None = None, calibration: Source | None = None) -> list[Checked]:
    """Check a corpus as ``align check`` does: each pair gets a score and the flags that
    apply (``misaligned``, ``untranslated``, ``number_mismatch``...). ``pairs`` may be
    ``Pair``s, dicts with ``he`` and ``en``, or ``(he, en)`` tuples. ``calibration``:
    a reviewer's standard (scores and ``low_score`` follow it)."""
    from align.review.check import check

    scorer = _scorer("auto", models, calibration=calibration)
    return check([_pair(item, k) for k, item in enumerate(pairs, start=1)], scorer, min_score,
                 scorer.translator)
