"""``align check``: score and flag the pairs of an existing corpus."""
from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from dataclasses import replace

from align.cli.common import (
    CALIBRATION_HELP,
    FORCE_HELP,
    MODELS_HELP,
    QUIET_HELP,
    _error,
    _threshold,
    add_cache,
    add_encoding,
    add_standard,
    add_translation,
    cache_summary,
    empty_dataset,
    guard,
    planned,
)
from align.errors import AlignError, InputError
from align.formats import EXTENSIONS, READERS, WRITERS, corpus_files
from align.formats.output import RowsSkipped
from align.owned import tidy
from align.records import make_signature

EPILOG_CHECK = """\
examples:
  align check pairs.tsv --report report.html > annotated.jsonl
  align check corpus.tmx --keep clean.tmx --min-score 0.7
  align check corpus --fail-under 0.9 -o annotated.jsonl     # corpus.he + corpus.en
  align captions pages/*.txt | align check - --report report.html

Each row's score is the caption scorer's for the pair alone (the probability that the
two translate each other, not merely share a topic); a row whose English belongs to
another row is misaligned even when it scores well alone, as a shuffle within one
story leaves plausible pairs. With a he->en model installed, the translation joins
the score, and each pair also gets the chrF of the model's translation against its
English (translation_chrf, mt).

Exit status: 0, or 1 if the corpus or some of its rows cannot be read (each row
named; the others are checked and written), 2 for usage errors, 3 when --fail-under
is not met.
"""


def cmd_check(args, parser) -> int:
    from align.api import check_pairs
    from align.files import atomic_open, open_output
    from align.formats import read_corpus
    from align.review.check import format_summary, summary
    from align.review.report import render
    from align.runs.progress import Steps
    from align.runs.registry import Settings, scorer_for

    keep_fmt = _keep_format(parser, args)
    outputs = planned("-o", args.output) + planned("--report", args.report)
    outputs += planned("--keep", args.keep, keep_fmt) if keep_fmt else []
    guard(outputs, corpus_files(args.corpus), args.force)
    bad_rows: list[str] = []
    unwritten = False  # --keep left out pairs its format cannot carry
    try:
        fmt, pairs = read_corpus(args.corpus, bad_rows, args.encoding)  # a malformed row: named, skipped
    except InputError as exc:
        _error(str(exc))
        return 1
    for message in bad_rows:
        _error(message)
    if bad_rows and not pairs:  # nothing could be read: no output at all, and the rerun is not refused
        _error(f"no row of {args.corpus} could be read: nothing written")
        print("align check: 0 pairs: nothing to check", file=sys.stderr)
        return 3 if args.fail_under is not None else 1  # the gate fails, as on an empty corpus
    # built anew (a model installed since is seen); check_pairs then uses this very scorer
    scorer = scorer_for(Settings(scorer="auto", models=args.models, calibration=args.calibration,
                                 standard=args.standard, beam=args.beam, compute_type=args.compute_type), fresh=True)
    steps = Steps(quiet=args.quiet)
    try:
        items = check_pairs(pairs, min_score=args.min_score, models=args.models, calibration=args.calibration,
                            standard=args.standard, progress=steps, beam=args.beam,
                            compute_type=args.compute_type)  # uses that scorer
    finally:
        steps.close()
    sig = make_signature(scorer, args.min_score)
    sig["min_score"] = args.min_score
    stats = summary(items)
    with open_output(args.output) as fh:
        fh.writelines(json.dumps(it.to_dict(), ensure_ascii=False) + "\n" for it in items)
    if keep_fmt:  # with the scores the check gave, not those the input carried
        kept = [replace(it.pair, score=round(it.score, 4)) for it in items
                if it.good and it.score >= args.min_score]
        try:
            WRITERS[keep_fmt](kept, args.keep, sig)
        except RowsSkipped as exc:  # written, but for the pairs the format cannot carry
            _error(str(exc))
            unwritten = True
    if args.report:
        with atomic_open(args.report) as fh:
            fh.write(render(items, stats, sig, f"align check: {os.path.basename(args.corpus)}", args.calibration))
    print(format_summary(stats), file=sys.stderr)
    if bad_rows:
        print(f"align check: {len(bad_rows)} row{'s' if len(bad_rows) > 1 else ''} could not be read "
              f"(named above) and {'were' if len(bad_rows) > 1 else 'was'} skipped", file=sys.stderr)
    cache_summary()
    if args.fail_under is not None and stats["good_share"] < args.fail_under:
        print(f"align check: {100 * stats['good_share']:.1f}% good pairs is under "
              f"--fail-under {args.fail_under}", file=sys.stderr)
        return 3
    empty = empty_dataset(keep_fmt, args.keep, "--keep")
    return 1 if bad_rows or unwritten else empty


def _keep_format(parser: argparse.ArgumentParser, args) -> str | None:
    """The format ``--keep`` writes: --keep-format, else the name's (.jsonl .tsv .tmx
    .parquet, PREFIX.he), else, for a name with no suffix, the input's when it is a
    Moses prefix or a dataset folder; None without --keep. Other names are refused."""
    from align.formats import corpus_format, output_format, output_target

    if not args.keep:
        if args.keep_format:
            parser.error("--keep-format says how --keep writes: give --keep OUT too")
        return None
    try:
        given = corpus_format(args.corpus)[0]
    except AlignError:  # the corpus cannot be read: that is said when it is read (exit 1)
        given = "jsonl"
    try:
        fmt = output_format(args.keep, args.keep_format, given, options=("--keep-format", "--keep"),
                            unnamed=given if given in ("moses", "hf") else None)
    except AlignError as exc:
        parser.error(str(exc))
    args.keep = output_target(fmt, args.keep)
    return fmt


def _add_check(sub) -> None:
    """The ``check`` command's options."""
    from align.review.check import FLAGS, MILD

    chk = sub.add_parser(
        "check", help="score and flag the pairs of an existing corpus",
        description=textwrap.fill(f"Score every pair of a corpus ({', '.join(READERS)}) and flag suspicious ones: "
                    f"{', '.join(f for f in FLAGS if f not in MILD)}; and, without marking the pair "
                    f"bad, {', '.join(sorted(MILD))}. Writes annotated JSONL (stdout or -o), each "
                    "flag with its reason, and a summary on stderr.", 80),
        epilog=EPILOG_CHECK, formatter_class=argparse.RawDescriptionHelpFormatter)
    chk.add_argument("corpus", metavar="CORPUS",
                     help=f"a {', '.join(sorted(EXTENSIONS))} file, a Hugging Face dataset folder (-f hf), "
                          "a Moses PREFIX (PREFIX.he + PREFIX.en), or - for JSONL on stdin")
    chk.add_argument("-o", "--output", metavar="ANNOTATED", type=tidy, help="annotated JSONL here, not stdout")
    chk.add_argument("--report", metavar="HTML", type=tidy, help="write a self-contained HTML report")
    chk.add_argument("--min-score", type=_threshold, default=0.5, metavar="X",
                     help="pairs scoring under X are low_score, and not kept (default 0.5)")
    chk.add_argument("--keep", metavar="OUT", type=tidy,
                     help="write the good pairs (no flag, score >= X) here, with the scores the "
                          "check gave them, in the format OUT's name says (.jsonl .tsv .tmx "
                          ".parquet, PREFIX.he for Moses); a name with no suffix takes the input's "
                          "format when that is a Moses pair or a dataset folder")
    chk.add_argument("--keep-format", choices=list(WRITERS), metavar="FMT",
                     help=f"write --keep as FMT ({', '.join(WRITERS)}), whatever its name")
    chk.add_argument("--fail-under", type=_threshold, metavar="RATE",
                     help="exit with status 3 when the share of good pairs is below RATE")
    chk.add_argument("--force", action="store_true", help=FORCE_HELP)
    chk.add_argument("-q", "--quiet", action="store_true", help=QUIET_HELP)
    chk.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    chk.add_argument("--calibration", metavar="CAL.json", help=CALIBRATION_HELP)
    add_standard(chk)
    add_translation(chk)
    add_encoding(chk)
    add_cache(chk)
    chk.set_defaults(func=cmd_check, subparser=chk)
