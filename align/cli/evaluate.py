"""``align eval``: precision, recall and F1 against gold."""
from __future__ import annotations

import argparse
import json
import textwrap

from align.cli.common import Refused, _error, add_encoding
from align.errors import InputError


def cmd_eval(args, parser) -> int:
    from align.review.evaluate import bead_scores, pair_scores, read_alignment

    bad_rows: list[str] = []
    try:
        gold_kind, gold = read_alignment(args.gold, bad_rows, args.encoding)  # a malformed row: named, skipped
        pred_kind, pred = read_alignment(args.pred, bad_rows, args.encoding)
    except InputError as exc:
        _error(str(exc))
        return 1
    for message in bad_rows:
        _error(message)
    if gold_kind != pred_kind:
        raise Refused(f"{args.gold} holds {gold_kind} but {args.pred} holds {pred_kind}: compare "
                      "pairs with pairs, or beads with beads")
    scores = bead_scores(gold, pred) if gold_kind == "beads" else pair_scores(gold, pred)
    print(json.dumps(scores, indent=2))
    return 1 if bad_rows else 0


def _add_eval(sub) -> None:
    """The ``eval`` command's options."""
    ev = sub.add_parser(
        "eval", help="score an alignment against gold",
        description=textwrap.fill(
            "Strict and lax precision/recall/F1 over beads (JSONL or Parquet with he_ids/en_ids, or "
            "Vecalign lines), or precision/recall/F1 over pairs in any format align writes (JSONL, TSV, "
            "TMX, a Moses PREFIX, Parquet, a dataset folder written with -f hf). Texts are compared as "
            "align normalises them (bidi marks removed, NBSP and every run of white space one space, "
            "NFC); pairs by document file name and text, or by text alone when either file has no "
            "documents (TSV, Moses).", 80),
        epilog="examples:\n  align eval gold.jsonl beads.jsonl\n  align eval gold.jsonl pairs.tsv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.add_argument("gold", metavar="GOLD", help="the gold beads or pairs")
    ev.add_argument("pred", metavar="PRED", help="the beads or pairs to score against GOLD")
    add_encoding(ev)
    ev.set_defaults(func=cmd_eval, subparser=ev)
