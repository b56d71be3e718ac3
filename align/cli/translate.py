"""``align translate``: Hebrew lines to English with the offline model."""
from __future__ import annotations

import argparse
import sys

from align.cli.common import MODELS_HELP, _documents, add_translation
from align.text import clean


def cmd_translate(args, parser) -> int:
    from align.mt.store import find
    from align.mt.translator import Translator
    from align.text import has_hebrew

    translator = Translator(find(args.model, args.models), beam_size=args.beam, compute_type=args.compute_type)
    failures: list[str] = []
    for document in _documents(args.paths, failures):
        lines = [clean(line) for line in document.lines]
        hebrew = [line for line in lines if has_hebrew(line)]
        english = dict(zip(hebrew, translator.translate(hebrew)))
        for line in lines:
            sys.stdout.write((english[line] if line in english else line) + "\n")
    return 1 if failures else 0


def _add_translate(sub) -> None:
    """The ``translate`` command's options."""
    tr = sub.add_parser(
        "translate", help="translate Hebrew lines to English with the installed model",
        description="Print one line per input line: lines holding Hebrew are translated "
                    "by the offline he→en model, other lines pass through unchanged.",
        epilog="examples:\n  align translate captions.he\n  echo 'מערכת חץ 3' | align translate -",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    tr.add_argument("paths", nargs="+", metavar="PATH", help="UTF-8 text files; - reads stdin")
    tr.add_argument("--model", metavar="NAME", help="an installed model (default: the first he→en one)")
    tr.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    add_translation(tr)
    tr.set_defaults(func=cmd_translate, subparser=tr)
