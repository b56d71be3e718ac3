"""``align calibrate``: learn a reviewer's standard from their labels."""
from __future__ import annotations

import argparse
import os
import sys

from align.cli.common import (
    MODELS_HELP,
    Refused,
    _threshold,
    add_cache,
    add_encoding,
    add_translation,
    cache_summary,
    guard,
    planned,
)
from align.errors import InputError
from align.linking.captions import DEFAULT_THRESHOLD
from align.owned import tidy
from align.scoring import DEFAULT_SCORER, SCORERS


def cmd_calibrate(args, parser) -> int:
    from align.inputs.sources import expand
    from align.review.calibration import calibrate, format_figures, is_labels_file
    from align.runs.registry import Settings, scorer_for
    from align.scoring.standard import describe, save

    labels = [p for p in args.inputs if is_labels_file(p)]
    pages = [p for p in args.inputs if p not in labels]
    for path in args.inputs:  # a mistyped name is named now, not after the pages are scored
        if path.endswith(".jsonl") and not os.path.exists(path):
            raise InputError(f"{path}: no such labels file")
    for entry in expand(pages):
        if not isinstance(entry, str):  # an input that cannot be read
            raise InputError(entry.error or f"{entry.doc}: cannot be read")
    if not labels:
        raise Refused("no labels file among the inputs: give a .jsonl whose rows hold he, en and "
                      "label (T, P or D), such as a review report's export")
    guard(planned("-o", args.output), [*labels, *pages], args.force)
    scorer = scorer_for(Settings(scorer=args.scorer, models=args.models, beam=args.beam,
                                 compute_type=args.compute_type), fresh=True)

    def warn(message: str) -> None:
        print(f"align: warning: {message}", file=sys.stderr)

    name = args.standard or {"translation": "lenient", "different": "strict"}.get(args.partial or "", "strict")
    standard, figures, found = calibrate(labels, pages, scorer, name, args.threshold, warn, args.encoding)
    counts = " ".join(f"{k} {v}" for k, v in standard.labels.items())
    print(f"align calibrate: {len(found)} labels ({counts}), {sum(lab.found for lab in found)} found in "
          f"their pages; {name} standard: P counts as {'a translation' if name == 'lenient' else 'not one'}",
          file=sys.stderr)
    print(format_figures(figures, name, args.threshold), file=sys.stderr)
    cache_summary()
    if figures.worse:
        raise Refused(f"not written: the standard fitted on these labels is worse than the built-in {name} "
                      f"one held out: {figures.worse}. Keep using the built-in standard (no --calibration), "
                      "or label more pairs, from more pages, and calibrate again")
    save(standard, args.output)
    print(f"align calibrate: standard {standard.id} ({describe(standard)}) written to {args.output}; "
          f"use it with --calibration {args.output}", file=sys.stderr)
    return 0


def _add_calibrate(sub) -> None:
    """The ``calibrate`` command's options."""
    cal = sub.add_parser(
        "calibrate", help="learn a reviewer's standard of translation from their labels",
        description="Fit how sure a pair must be, and of what, to count as a translation, to a "
                    "reviewer's T/P/D decisions (the export of a --report page, or any JSONL with "
                    "he, en, label and doc). The built-in standard is the prior, so 50-100 labels "
                    "move it without overfitting, and what one side says that the other lacks can "
                    "never raise a score. Prints precision, recall and ranking (AUC) of translations "
                    "on the labels, held out one document at a time, before and after; a standard "
                    "that does worse held out than the built-in one is not written.",
        epilog="examples:\n"
               "  align captions pages/ -o pairs.jsonl --report review.html   # label in the page, export\n"
               "  align calibrate labels.jsonl pages/ -o cal.json\n"
               "  align captions pages/ -o pairs.jsonl --calibration cal.json\n"
               "  align check corpus.tsv --calibration cal.json\n\n"
               "Inputs that are .jsonl files whose rows carry a label are labels; the rest are the\n"
               "pages they came from (files, folders, globs, as for captions). Each label is found\n"
               "in its page (by doc, or by file name) so that its page and image evidence is what\n"
               "captions computes there; labels not found are named and judged as lone pairs.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    cal.add_argument("inputs", nargs="+", metavar="LABELS.jsonl|PAGE",
                     help="labels files (rows {\"he\", \"en\", \"label\": \"T\"|\"P\"|\"D\", \"doc\"}), "
                          "then the pages they came from")
    cal.add_argument("-o", "--output", metavar="CAL.json", required=True, type=tidy,
                     help="where the standard is written (JSON)")
    cal.add_argument("--standard", choices=["strict", "lenient"], default=None,
                     help="the built-in standard to start from, and what a P (partial) label counts as: "
                          "strict (default: P is not a translation) or lenient (P is one)")
    cal.add_argument("--partial", choices=["different", "translation"], default=None,
                     help=argparse.SUPPRESS)  # before 0.6: --partial translation is --standard lenient
    cal.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD, metavar="X",
                     help=f"the threshold of the held-out figures (default {DEFAULT_THRESHOLD})")
    cal.add_argument("--scorer", choices=list(SCORERS), default=DEFAULT_SCORER,
                     help="the scorer whose evidence the standard weighs (default auto); use the "
                          "same one with --calibration")
    cal.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    cal.add_argument("--force", action="store_true", help="overwrite an existing CAL.json")
    add_translation(cal)
    add_encoding(cal)
    add_cache(cal)
    cal.set_defaults(func=cmd_calibrate, subparser=cal)
