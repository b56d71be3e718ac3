"""``align captions``: pair the captions of pages into a corpus (and a review report)."""
from __future__ import annotations

import argparse
import os
import sys

from align.cli.common import (
    CALIBRATION_HELP,
    FORCE_HELP,
    FORMAT_HELP,
    MODELS_HELP,
    _check_run_output,
    _resolve_format,
    _run_options,
    _threshold,
    _to_file,
    add_cache,
    add_encoding,
    add_standard,
    add_translation,
    cache_summary,
    empty_dataset,
    encodings_line,
    no_bar,
    planned,
    write_errors,
)
from align.formats import WRITERS
from align.linking.captions import DEFAULT_THRESHOLD
from align.owned import tidy
from align.records import make_signature
from align.scoring import DEFAULT_SCORER, SCORERS

EPILOG_CAPTIONS = """\
examples:
  align captions corpora/ynetnews-gallant-trip.txt
  align captions saved-pages/ -f tmx -o captions.tmx  # .txt .html .jsonl .warc.gz inside
  align captions 'crawl/*.warc.gz' -o pairs.jsonl --workers 2 --dedup
  align captions crawl/ -o pairs.jsonl --resume       # after the run above was killed
  align captions pages/*.txt -f moses -o corpus      # writes corpus.he, corpus.en
  align captions pages/ -f hf -o dataset && align check dataset   # Hugging Face folder
  cat page.txt | align captions - --threshold 0.7
  align captions page.html -o pairs.jsonl --report review.html   # for an editor

Each output line (jsonl) holds doc, he, en, score (0..1, the calibrated probability
that the two translate each other: a caption of another photo of the same story
scores low, however much it shares of names and topic),
he_line and en_line (1-based; he_lines/en_lines list every repeat); HTML pages add
he_element/en_element (img@alt, figcaption...) and image (the src of the image whose
caption both sides are), and their lines are HTML source lines. In HTML, each image is
a caption unit: its alt, title and figcaption pair with each other first, a pair
across two images needs far stronger evidence, and menus, section labels, headlines
and other link text are never captions.
With -o, the run's signature (version, scorer, model and its sha256, threshold) is
written beside the output as OUT.meta.json; TMX carries it in its header as well.
While a run writes OUT, its journal is OUT.partial and OUT.progress; --resume
continues from them, and they are removed when the run ends. Output order is input
order (folders sorted, records in file order), whatever --workers is.
"""


def cmd_captions(args, parser) -> int:
    from align.inputs.sources import FOLDER_EXTENSIONS, list_inputs
    from align.runs.journal import run_lock

    _resolve_format(parser, args)
    listing = list_inputs(args.paths, args.ext or FOLDER_EXTENSIONS)  # the total, for the bar
    inputs = [*args.paths, *(e for e in listing.entries if isinstance(e, str))]
    if not _check_run_output(parser, args, inputs, planned("--report", args.report)):
        return 0
    with run_lock(args.output):  # a second run writing the same OUT is refused here
        return _captions_run(args, parser, listing)


def _captions_run(args, parser, listing) -> int:
    from align.inputs.sources import iter_items
    from align.runs.journal import run
    from align.runs.progress import Progress
    from align.runs.registry import Settings, start_scorer

    settings, scorer = start_scorer(Settings(scorer=args.scorer, threshold=args.threshold, models=args.models,
                                             calibration=args.calibration, standard=args.standard,
                                             beam=args.beam, compute_type=args.compute_type))
    signed = _to_file(args.output) or args.format == "tmx"  # stdout jsonl/tsv carry no signature
    sig = make_signature(scorer, args.threshold) if signed else {}
    if args.dedup:
        sig["dedup"] = True
    items = iter_items(listing.entries, args.max_doc_mb, encoding=args.encoding)
    progress = Progress.of(listing, quiet=no_bar(args))
    summary = run(items, settings, args.output, args.format, sig, workers=args.workers,
                  engine=args.engine, scheduler=args.scheduler, resume=args.resume,
                  deduplicate=args.dedup, progress=progress, fail_fast=args.fail_fast,
                  report=lambda message: progress.note(f"align: error: {message}"))
    write_errors(args.errors, summary)
    if args.verbose:
        resumed = f" (resumed after {summary.resumed_from})" if summary.resumed_from else ""
        read_as = f"; read as {encodings_line(summary)}" if summary.encodings else ""
        print(f"align: {summary.pairs} pairs from {summary.documents} documents{resumed}, "
              f"{len(summary.errors)} could not be read{read_as}", file=sys.stderr)
        cache_summary()
    if summary.errors and summary.resumed_from:
        print(f"align: {len(summary.errors)} documents could not be read in all "
              "(earlier ones are listed in the manifest's error entries)", file=sys.stderr)
    if args.report:
        _captions_report(args, scorer, sig or make_signature(scorer, args.threshold))
    empty = 0 if summary.nothing_read else empty_dataset(args.format, args.output)
    return 1 if summary.errors else empty


def _captions_report(args, scorer, sig: dict) -> None:
    """Write ``--report``: the pages read and paired again, with their abstentions."""
    from align.inputs.sources import FOLDER_EXTENSIONS, iter_items
    from align.review.report import write_captions_report

    title = "align captions: " + ", ".join(os.path.basename(p) for p in args.paths[:3])
    title += f" and {len(args.paths) - 3} more" if len(args.paths) > 3 else ""
    items = iter_items(args.paths, args.max_doc_mb, args.ext or FOLDER_EXTENSIONS, args.encoding)
    write_captions_report(items, scorer, args.threshold, sig, title, args.report, args.calibration)
    print(f"align: report written to {args.report}", file=sys.stderr)


def _add_captions(sub) -> None:
    """The ``captions`` command's options."""
    cap = sub.add_parser(
        "captions", help="pair Hebrew captions with their English captions",
        description="Find the Hebrew and English captions in each input and pair the ones "
                    "that translate each other. Pages where no caption has a translation "
                    "give no pair.",
        epilog=EPILOG_CAPTIONS, formatter_class=argparse.RawDescriptionHelpFormatter)
    cap.add_argument("paths", nargs="+", metavar="INPUT",
                     help="text or HTML files, folders (searched recursively), glob patterns, "
                          "JSONL records ({\"id\", \"text\"|\"html\"}), WARC crawls "
                          "(.warc, .warc.gz); - reads stdin")
    cap.add_argument("-f", "--format", choices=list(WRITERS),
                     help=f"output format ({FORMAT_HELP}); parquet: typed columns, the signature "
                          "in the file; hf: a folder datasets.load_dataset opens as it is")
    cap.add_argument("-o", "--output", metavar="OUT", type=tidy,
                     help="write here instead of stdout, in the format its name says (moses: a prefix for "
                          "OUT.he and OUT.en; parquet and hf need it); a name that says no format needs -f")
    cap.add_argument("--force", action="store_true", help=FORCE_HELP)
    cap.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD, metavar="X",
                     help=f"emit a pair only if its score is at least X in 0..1 "
                          f"(default {DEFAULT_THRESHOLD}); higher = fewer, surer pairs")
    cap.add_argument("--scorer", choices=list(SCORERS), default=DEFAULT_SCORER,
                     help="auto (default): embeddings judged against the page's other "
                          "captions, numbers/names/length, and latent terms for pairs in doubt, "
                          "plus translation when a he→en model is installed; embedding: "
                          "embeddings alone; surface: no model, weak; translation: the model's "
                          "translation alone (chrF); all: everything, needs a model")
    cap.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    cap.add_argument("--calibration", metavar="CAL.json", help=CALIBRATION_HELP)
    add_standard(cap)
    add_translation(cap)
    add_encoding(cap)
    add_cache(cap)
    cap.add_argument("-v", "--verbose", action="store_true", help="print a summary on stderr")
    cap.add_argument("--report", metavar="HTML", type=tidy,
                     help="also write a self-contained HTML report for review: every pair and "
                          "every caption (an image's alt and title, side by side) that gave "
                          "none, with its score and why; the pages are read and scored again "
                          "in this process, so use it on the pages you review, not a crawl")
    _run_options(cap, dedup=True)
    cap.set_defaults(func=cmd_captions, subparser=cap)
