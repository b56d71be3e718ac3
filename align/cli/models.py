"""``align models``: list, import, install, verify or remove translation models."""
from __future__ import annotations

import argparse
import sys

from align.cli.common import MODELS_HELP

MODELS_EPILOG = """\
examples:
  align models import translate-he_en-1_5.argosmodel   # an Argos Translate package
  align models import opus-mt-he-en/ --langs he-en       # a converted OPUS-MT folder
  align models list
  align models verify
  align models install argos-he-en                       # needs a network
  align models remove translate-he_en-1_5
"""


def cmd_models(args, parser) -> int:
    from align.mt import store as models

    if args.action == "list":
        found = models.installed(args.models)
        if not found:
            print("no models installed; searched: " + ", ".join(map(str, models.search_path(args.models))),
                  file=sys.stderr)
        for m in found:
            print(f"{m.name}\t{m.source_lang}->{m.target_lang}\t{m.kind}\t{m.size / 1e6:.1f} MB\t"
                  f"sha256:{m.model_sha256[:12]}\t{m.license or 'licence unknown'}\t{m.path}")
        return 0
    if args.action == "import":
        m = models.import_model(args.target, args.models, name=args.name, langs=args.langs,
                                force=args.force)
        print(f"installed {m.name} ({m.kind}, {m.source_lang}->{m.target_lang}) in {m.path}",
              file=sys.stderr)
        return 0
    if args.action == "install":
        m = models.install(args.target, args.models, force=args.force)
        print(f"installed {m.name} in {m.path}", file=sys.stderr)
        return 0
    if args.action == "verify":
        targets = [models.find(args.target, args.models)] if args.target else models.installed(args.models)
        status = 0
        for m in targets:
            bad = models.verify(m)
            print(f"{m.name}: " + ("ok" if not bad else "CHANGED OR MISSING: " + ", ".join(bad)))
            status = status or (1 if bad else 0)
        return status
    if args.action == "remove":
        path = models.remove(args.target, args.models)
        print(f"removed {path}", file=sys.stderr)
        return 0
    parser.error(f"unknown action {args.action}")  # argparse's choices prevent this
    return 2


def _add_models(sub) -> None:
    """The ``models`` command's options."""
    mod = sub.add_parser(
        "models", help="list, import, install, verify or remove translation models",
        description="Manage offline translation models. Nothing is downloaded except by "
                    "`install`, which needs a network; offline, use `import` with a file.",
        epilog=MODELS_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    mod.add_argument("action", choices=["list", "import", "install", "verify", "remove"])
    mod.add_argument("target", nargs="?", metavar="PATH|NAME",
                     help="import: an .argosmodel/zip file or a model folder; install: a known "
                          "model name; verify/remove: an installed model's name")
    mod.add_argument("--name", help="import: install under this name")
    mod.add_argument("--langs", metavar="SRC-TGT",
                     help="import: the direction when the files do not say (OPUS-MT), e.g. he-en")
    mod.add_argument("--force", action="store_true", help="replace a model of the same name")
    mod.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    mod.set_defaults(func=cmd_models, subparser=mod)
