"""``align documents``: sentence-align Hebrew articles with their English versions."""
from __future__ import annotations

import argparse
from dataclasses import replace

from align.cli.common import (
    CALIBRATION_HELP,
    FORCE_HELP,
    FORMAT_HELP,
    MODELS_HELP,
    _check_run_output,
    _error,
    _output_path_needed,
    _resolve_format,
    _run_options,
    _threshold,
    _to_file,
    add_cache,
    add_encoding,
    add_standard,
    add_translation,
    empty_dataset,
    guard,
    no_bar,
    planned,
    write_errors,
)
from align.errors import InputError
from align.files import STDOUT
from align.formats import WRITERS
from align.formats.output import write_meta
from align.inputs.plain import read
from align.linking.documents import DEFAULT_MIN_SCORE, encodings
from align.owned import tidy
from align.records import make_signature


def cmd_documents(args, parser) -> int:
    from align.inputs.pairs import document_pairs
    from align.linking.documents import align_texts

    _resolve_format(parser, args)
    _output_path_needed(parser, args)
    repeated = next((a for k, a in enumerate(args.inputs) if a in args.inputs[:k]), None)
    if repeated is not None:
        parser.error(f"{repeated} is given twice: give a Hebrew file and its English file, prefixes, "
                     "or a .tsv/.jsonl list of pairs")
    bad_rows: list[str] = []  # rows of a list that name no pair of files: named, skipped
    try:
        pairs = document_pairs(args.inputs, bad_rows)
    except InputError as exc:
        _error(str(exc))
        return 1
    for message in bad_rows:
        _error(message)
    batch = len(pairs) > 1 or len(args.inputs) != 2
    if batch:
        return max(_documents_batch(args, parser, pairs), 1 if bad_rows else 0)
    if args.resume or args.workers > 1 or args.engine != "local":
        parser.error("--resume, --workers and --engine are for a batch of documents "
                     "(PREFIX... or a .tsv/.jsonl list)")
    guard(planned("-o", args.output, args.format), _inputs(args, pairs), args.force)
    from align.formats.beads import write_vecalign
    from align.runs.registry import Settings, document_tools

    scorer, embedder, translator = document_tools(
        Settings(task="documents", models=args.models, presplit=args.presplit, beads=args.beads,
                 calibration=args.calibration, standard=args.standard, beam=args.beam,
                 compute_type=args.compute_type), fresh=True)
    (he_path, en_path), = pairs
    try:
        he_doc, en_doc = read(he_path, args.encoding), read(en_path, args.encoding)
    except InputError as exc:
        _error(str(exc))
        return 1
    result = align_texts(he_doc.lines, en_doc.lines, embedder.embed, args.presplit, args.beads,
                         translator, scorer)
    signature = _bead_signature(scorer, args)
    read_as = encodings(he_doc.encoding, en_doc.encoding)
    if args.format == "vecalign":
        write_vecalign(result.beads, args.output)
        if _to_file(args.output):
            write_meta(args.output, signature)
    else:  # one document's JSONL beads name no document; every other output does
        beads = result.texted(None if args.format == "jsonl" else he_path, read_as)
        bead_writer(args.format, args.threshold)(beads, args.output or STDOUT, signature)
    return empty_dataset(args.format, args.output)


def _documents_batch(args, parser, pairs) -> int:
    """Many document pairs: streamed, parallel and resumable like ``captions``."""
    from align.runs.journal import run_lock

    if args.format == "vecalign":
        parser.error("-f vecalign is for one pair of documents; use jsonl for a batch")
    args.dedup = False
    if not _check_run_output(parser, args, _inputs(args, pairs)):
        return 0
    with run_lock(args.output):  # a second run writing the same OUT is refused here
        return _documents_run(args, parser, pairs)


def _inputs(args, pairs) -> list[str]:
    """Every file the command reads: the arguments, and each pair's two documents."""
    return [*args.inputs, *(path for pair in pairs for path in pair)]


def _documents_run(args, parser, pairs) -> int:
    from align.inputs.pairs import pair_items
    from align.runs.journal import run
    from align.runs.progress import Progress
    from align.runs.registry import Settings, start_scorer

    settings, scorer = start_scorer(Settings(task="documents", models=args.models, presplit=args.presplit,
                                             beads=args.beads, calibration=args.calibration,
                                             standard=args.standard, beam=args.beam,
                                             compute_type=args.compute_type))
    sig = _bead_signature(scorer, args)
    writer = bead_writer(args.format, args.threshold)
    progress = Progress(total=len(pairs), unit="doc", quiet=no_bar(args))
    summary = run(pair_items(pairs, args.max_doc_mb, args.encoding), settings, args.output, args.format, sig,
                  workers=args.workers, engine=args.engine, scheduler=args.scheduler,
                  resume=args.resume, progress=progress, writer=writer, fail_fast=args.fail_fast,
                  report=lambda message: progress.note(f"align: error: {message}"))
    write_errors(args.errors, summary)
    empty = 0 if summary.nothing_read else empty_dataset(args.format, args.output)
    return 1 if summary.errors else empty


def _bead_signature(scorer, args) -> dict:
    """The signature of a sentence-aligned corpus: the bead scorer and the splitting."""
    sig = make_signature(scorer, args.threshold)
    sig.update(presplit=args.presplit, beads=args.beads)
    return sig


def bead_writer(fmt: str, threshold: float):
    """How beads are written as ``fmt``, by one document and by a batch alike: JSONL and
    Parquet beads keep every bead, marking each two-sided one under ``threshold``
    ``below_threshold``; a corpus format holds the beads ``Bead.kept`` at it, as pairs."""
    from align.formats.beads import write_beads
    from align.formats.parquet import write_bead_parquet

    if fmt in ("jsonl", "parquet"):
        def write_marked(found, path, signature):
            marked = (replace(b, below_threshold=True) if b.two_sided() and not b.kept(threshold) else b
                      for b in found)
            return (write_beads if fmt == "jsonl" else write_bead_parquet)(marked, path, signature)
        return write_marked

    def write_corpus(found, path, signature):
        return WRITERS[fmt]((b.as_pair() for b in found if b.kept(threshold)), path, signature)
    return write_corpus


def _add_documents(sub) -> None:
    """The ``documents`` command's options."""
    doc = sub.add_parser(
        "documents", help="align the sentences of a Hebrew article and its English version",
        description="Split both files into sentences (or take one per line with "
                    "--presplit) and align them in order: beads of 1-1, 1-2, 2-1, 1-0 and "
                    "0-1 sentences (and 2-2, 1-3, 3-1 with --beads wide).",
        epilog="examples:\n  align documents story.he.txt story.en.txt > beads.jsonl\n"
               "  align documents a.he a.en --presplit -f vecalign\n"
               "  align documents a.he a.en -f tmx -o a.tmx\n"
               "  align documents corpus/doc1 corpus/doc2 --presplit   # doc1.he + doc1.en, ...\n"
               "  align documents pairs.tsv -f moses -o corpus        # he<TAB>en paths per line",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    doc.add_argument("inputs", nargs="+", metavar="INPUT",
                     help="HE_FILE EN_FILE; or PREFIX... (PREFIX.he + PREFIX.en); or a .tsv/"
                          ".jsonl list of Hebrew and English paths")
    doc.add_argument("-f", "--format", choices=["jsonl", "vecalign", *[w for w in WRITERS if w != "jsonl"]],
                     help=f"jsonl beads, vecalign lines, or a corpus format ({FORMAT_HELP})")
    doc.add_argument("-o", "--output", metavar="OUT", type=tidy,
                     help="write here instead of stdout, in the format its name says; a name that "
                          "says no format needs -f")
    doc.add_argument("--threshold", "--min-score", type=_threshold, default=DEFAULT_MIN_SCORE, metavar="X",
                     help=f"a corpus format (tsv, tmx, moses, hf) holds the beads with both sides scoring at "
                          f"least X (default {DEFAULT_MIN_SCORE}); jsonl and parquet beads keep every bead and "
                          "mark those under X below_threshold")
    doc.add_argument("--presplit", action="store_true", help="one sentence per line already")
    doc.add_argument("--beads", choices=["merges", "wide"], default="merges",
                     help="merges: up to 1-2/2-1 (default); wide: also 2-2, 1-3, 3-1")
    doc.add_argument("--force", action="store_true", help=FORCE_HELP)
    doc.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    doc.add_argument("--calibration", metavar="CAL.json", help=CALIBRATION_HELP)
    add_standard(doc)
    add_translation(doc)
    add_encoding(doc)
    add_cache(doc)
    _run_options(doc, dedup=False)
    doc.set_defaults(func=cmd_documents, subparser=doc)
