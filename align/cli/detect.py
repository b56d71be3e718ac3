"""``align detect``: the segments found in each input, as JSONL."""
from __future__ import annotations

import argparse
import sys

from align.cli.common import _error, add_encoding
from align.detection import detect
from align.errors import InputError, unforeseen
from align.formats.output import json_line


def cmd_detect(args, parser) -> int:
    from align.inputs.sources import iter_items, load

    failures = 0
    for item in iter_items(args.paths, encoding=args.encoding):
        try:
            document = load(item)
            segments = detect(document)
        except InputError as exc:
            _error(str(exc))
            failures += 1
            continue
        except Exception as exc:  # noqa: BLE001 - one document, its own error
            _error(unforeseen(item.where or item.doc, exc))
            failures += 1
            continue
        for seg in segments:
            if args.kind and seg.kind not in args.kind:
                continue
            row = seg.to_dict(document.doc)
            if document.origins:  # HTML: source lines and the element of the first
                row.update(line=document.source_line(seg.line), lines=document.source_lines(seg.lines),
                           element=document.element(seg.line))
            if document.encoding:
                row["encoding"] = document.encoding
            sys.stdout.write(json_line(row))
    return 1 if failures else 0


def _add_detect(sub) -> None:
    """The ``detect`` command's options."""
    det = sub.add_parser(
        "detect", help="show the segments found in each input",
        description="Write one JSON line per segment: doc, lang (he/en/other), kind "
                    "(caption/body/title/credit/boilerplate), text, line and every line "
                    "it repeats on.",
        epilog="example:\n  align detect corpora/ynetnews-gallant-trip.txt --kind caption",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    det.add_argument("paths", nargs="+", metavar="INPUT",
                     help="text or HTML files, folders, glob patterns, JSONL records, WARC "
                          "files; - reads stdin")
    det.add_argument("--kind", action="append",
                     choices=["caption", "body", "title", "credit", "boilerplate"],
                     help="only segments of this kind (repeatable)")
    add_encoding(det)
    det.set_defaults(func=cmd_detect, subparser=det)
