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
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Union

from align.errors import AlignError, InputError, OutputError
from align.linking.captions import DEFAULT_THRESHOLD
from align.records import Bead, Document, Pair, Segment
from align.review.check import Checked

Source = Union[str, "os.PathLike[str]"]


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2048].lower()
    return head.startswith("<") and any(tag in head for tag in ("<html", "<body", "<img", "<figure", "<p", "<div"))


_HEBREW = re.compile("[\u0590-\u05ff]")
_FILE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}(?:\.gz)?$")


def looks_like_path(text: str) -> bool:
    """Whether a string given as a source is meant as a path: one line, no Hebrew (a
    caption to pair has some), and a file suffix (``page.txt``), a slash or a glob
    character. Such a string names a file or is a mistake; it is never taken as text."""
    if "\n" in text or len(text) >= 4096 or _HEBREW.search(text):
        return False
    text = text.strip()
    return bool(_FILE_SUFFIX.search(text) or "/" in text or os.sep in text or any(c in text for c in "*?["))


def _as_path(source: object) -> str | None:
    """``source`` as a path, when it is one, the one way every entry of the API tells:
    a ``pathlib.Path``; a one-line string naming something that exists; or one that
    ``looks_like_path``. None: it is text."""
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    if isinstance(source, str) and "\n" not in source and len(source) < 4096 \
            and (os.path.exists(source) or looks_like_path(source)):
        return source
    return None


def _named(exc: InputError, source: object) -> InputError:
    """``exc``, saying why a string naming nothing was taken as a path."""
    if isinstance(source, str) and not os.path.exists(source):
        return InputError(f"{exc} (a one-line string with no Hebrew that looks like a path is taken "
                          "as one; end text with a newline to pass it as text)")
    return exc


def _documents(source: Source) -> list[Document]:
    """The documents of ``source``: a path (see ``_as_path``: a file, folder, glob,
    JSONL records or a WARC), or text itself (plain text or an HTML page)."""
    from align.inputs.html import parse_html
    from align.inputs.plain import from_text
    from align.inputs.sources import iter_items, load

    path = _as_path(source)
    if path is not None:  # a mistyped path is named, never read as text
        try:
            return [load(item) for item in iter_items([path])]
        except InputError as exc:
            raise _named(exc, source) from None
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
            calibration: Source | None = None, standard: str | None = None, beam: int = 2,
            compute_type: str = "int8"):
    """The scorer of these settings in this process, built on first use (``fresh``:
    built anew, so that a translation model installed since is seen), with the
    built-in ``standard`` (strict or lenient), or the reviewer's standard of
    ``calibration`` (a CAL.json path) when one is given."""
    from align.runs.registry import Settings, scorer_for

    _check_standard(standard)
    return scorer_for(Settings(scorer=scorer, models=models, calibration=_path(calibration), standard=standard,
                               beam=beam, compute_type=compute_type), fresh)


def _check_standard(standard: str | None) -> None:
    from align.scoring.standard import NAMES

    if standard is not None and standard not in NAMES:
        raise AlignError(f"standard={standard!r}: choose strict (a full translation) or lenient "
                         "(a translation at least in part)")


def _path(calibration: Source | None) -> str | None:
    return None if calibration is None else os.fspath(calibration)


def pair_captions(source: Source, *, threshold: float = DEFAULT_THRESHOLD, scorer: str = "auto",
                  models: str | None = None, calibration: Source | None = None,
                  standard: str | None = None, beam: int = 2, compute_type: str = "int8") -> list[Pair]:
    """Pair the Hebrew captions of ``source`` with their English captions, as ``align
    captions`` does: text, an HTML page as a string, or a path (a file, a folder, a
    glob pattern, JSONL records, a WARC). Returns ``Pair``s in input order, each with
    its ``verdict`` (T or P) and the words of each side with no counterpart.
    ``standard``: ``"strict"`` (the default: a score is the probability of a full
    translation) or ``"lenient"`` (of a translation at least in part);
    ``calibration``: a reviewer's standard (``align calibrate``'s CAL.json); ``beam``
    and ``compute_type``: how an installed translation model decodes."""
    from align.detection import detect as find
    from align.linking.captions import align_captions

    model = _scorer(scorer, models, calibration=calibration, standard=standard, beam=beam,
                    compute_type=compute_type)
    pairs = []
    for document in _documents(source):
        pairs += [document.locate(p) for p in align_captions(document.doc, find(document), model, threshold)]
    return pairs


def _lines_of(side: Sequence[str] | Source) -> list[str]:
    """The lines of one side of ``align_documents``: a list of sentences as it is; a
    path (see ``_as_path``) read as a file; any other string as running text."""
    from align.inputs.plain import read

    path = _as_path(side)
    if path is not None:
        try:
            return read(path).lines
        except InputError as exc:
            raise _named(exc, side) from None
    if isinstance(side, str):
        return side.splitlines()
    assert not isinstance(side, os.PathLike)  # _as_path took every path
    return list(side)


def align_documents(he: Sequence[str] | Source, en: Sequence[str] | Source, *, presplit: bool | None = None,
                    beads: str = "merges", models: str | None = None,
                    calibration: Source | None = None, standard: str | None = None, beam: int = 2,
                    compute_type: str = "int8") -> list[Bead]:
    """Sentence-align a Hebrew article with its English translation, as ``align
    documents`` does. Each side is a list of sentences (``presplit``, the default for
    lists), or running text or a file (a path, as ``pair_captions`` tells one from
    text) to split into sentences; each bead's score is under ``standard`` (strict
    or lenient), or the standard of ``calibration`` when one is given."""
    from align.linking.documents import align_texts
    from align.runs.registry import Settings, document_tools

    if presplit is None:
        presplit = not isinstance(he, (str, os.PathLike))
    he_lines, en_lines = _lines_of(he), _lines_of(en)
    _check_standard(standard)
    scorer, embedder, translator = document_tools(Settings(task="documents", models=models, presplit=presplit,
                                                           beads=beads, calibration=_path(calibration),
                                                           standard=standard, beam=beam,
                                                           compute_type=compute_type))
    aligned = align_texts(he_lines, en_lines, embedder.embed, presplit, beads, translator, scorer)
    return aligned.texted()


def _pair(item, k: int) -> Pair:
    """Pair ``k`` (1-based) of a corpus given to ``check_pairs``: a ``Pair``, a dict with
    string ``he`` and ``en``, or a ``(he, en)`` tuple or list of two strings."""
    if isinstance(item, Pair):
        return item
    if isinstance(item, dict) and isinstance(item.get("he"), str) and isinstance(item.get("en"), str):
        try:
            return Pair.from_dict(item, doc=item.get("doc", "python"))
        except (TypeError, ValueError) as exc:
            raise AlignError(f"pair {k}: {exc}") from None
    if isinstance(item, (tuple, list)) and len(item) == 2 and all(isinstance(x, str) for x in item):
        return Pair("python", item[0], item[1], 0.0, he_line=k, en_line=k)
    shown = repr(item) if len(repr(item)) <= 60 else repr(item)[:57] + "..."
    raise AlignError(f"pair {k} is {shown}: give a Pair, a dict with string \"he\" and \"en\", "
                     "or a (he, en) tuple of two strings")


def check_pairs(pairs: Iterable[Pair | dict | tuple[str, str]] | Source, *, min_score: float = DEFAULT_THRESHOLD,
                models: str | None = None, calibration: Source | None = None, standard: str | None = None,
                progress: Callable[[str, int, int], None] | None = None, beam: int = 2,
                compute_type: str = "int8") -> list[Checked]:
    """Check a corpus as ``align check`` does: each pair gets a score and the flags that
    apply (``misaligned``, ``untranslated``, ``number_mismatch``...). ``pairs`` may be
    ``Pair``s, dicts with ``he`` and ``en``, or ``(he, en)`` tuples of strings (anything
    else is an ``AlignError`` naming the pair), or the path of a corpus in any format
    ``align check`` reads. ``standard``: strict (default) or lenient, what a score is the
    probability of; ``calibration``: a reviewer's standard (scores and ``low_score``
    follow it). ``progress(stage, done, total)`` is told how
    far the check is, stage by stage."""
    from align.formats import read_corpus
    from align.review.check import check

    if isinstance(pairs, (str, os.PathLike)):  # a corpus file, as align check reads it
        pairs = read_corpus(os.fspath(pairs))[1]
    scorer = _scorer("auto", models, calibration=calibration, standard=standard, beam=beam,
                     compute_type=compute_type)
    return check([_pair(item, k) for k, item in enumerate(pairs, start=1)], scorer, min_score,
                 scorer.translator, progress)


def signature(*, threshold: float = DEFAULT_THRESHOLD, scorer: str = "auto", models: str | None = None,
              calibration: Source | None = None, standard: str | None = None, beam: int = 2,
              compute_type: str = "int8") -> dict:
    """The signature of pairs made with these settings (those of ``pair_captions``):
    align's version, the scorer, its model and the model's sha256, the built-in
    calibration's id or the reviewer's standard, the standard and the threshold, as
    every corpus the command line writes records it. The scorer is the one
    ``pair_captions`` uses with the same settings (built once per process)."""
    from align.records import make_signature

    return dict(make_signature(_scorer(scorer, models, calibration=calibration, standard=standard, beam=beam,
                                       compute_type=compute_type), threshold))


_default_signature = signature  # write()'s parameter of that name hides the function


def write(pairs: Iterable[Pair | Bead | dict | tuple], path: Source, format: str | None = None,
          signature: dict | None = None) -> int:
    """Write ``pairs`` as a corpus at ``path``, as ``align captions -o`` writes one;
    returns how many were written.

    ``format``: ``jsonl``, ``tsv``, ``tmx``, ``moses``, ``parquet`` or ``hf``; by
    default the one ``path``'s name says (``.jsonl``, ``.tsv``, ``.tmx``, ``.parquet``,
    optionally compressed; ``PREFIX.he`` for a Moses pair); any other name needs
    ``format``. ``path`` ``"-"`` is standard output. ``signature``: what the file
    records of the settings; by default ``align.signature()``, the settings
    ``pair_captions`` uses by default (pass ``align.signature(threshold=...)`` for
    others). Pairs are ``Pair``s, ``Bead``s (those with both sides), dicts with
    ``he`` and ``en``, or ``(he, en)`` tuples. A file align did not write is never
    replaced (``OutputError``); one align wrote is. A pair the format cannot carry is
    left out, the rest written, and then ``OutputError`` names it."""
    from align.files import STDOUT
    from align.formats import WRITERS, output_format, output_target
    from align.formats.output import output_paths
    from align.owned import clashes, run_outputs, tidy, why_not_ours

    if format is not None and format not in WRITERS:
        raise AlignError(f"format={format!r}: choose one of {', '.join(WRITERS)}")
    target = tidy(os.fspath(path))
    fmt = output_format(target, format, "jsonl", options=("format=", "path"))
    target = output_target(fmt, target)
    if target != STDOUT:
        outputs = run_outputs("path", target, output_paths(fmt, target), folder=fmt == "hf")
        clashes(outputs, [])
        for out in outputs:  # align's own files are replaced; a user's never
            why = why_not_ours(out.path) if os.path.lexists(out.path) else None
            if why:
                raise OutputError(f"{out.path}: {why}; align.write replaces only what align wrote: move it "
                                  "away or write elsewhere")
    rows = (p.as_pair() if isinstance(p, Bead) else _pair(p, k)
            for k, p in enumerate(pairs, start=1) if not isinstance(p, Bead) or p.two_sided())
    return WRITERS[fmt](rows, target, _default_signature() if signature is None else signature)
