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
        m = models.import_model(args.target, args.models, name=args.name, langs=args.langs, force=args.force)
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
    """The ``models`` command: one subcommand per action, so that options go before or
    after the name (``verify --models DIR NAME`` as well as ``verify NAME --models DIR``)."""
    mod = sub.add_parser(
        "models", help="list, import, install, verify or remove translation models",
        description="Manage offline translation models. Nothing is downloaded except by "
                    "`install`, which needs a network; offline, use `import` with a file.",
        epilog=MODELS_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = mod.add_subparsers(dest="action", metavar="ACTION", required=True)
    spec = {
        "list": ("the installed models: name, direction, kind, size, sha256, licence, folder", None),
        "import": ("install a model from a file or folder: an Argos .argosmodel (or zip) or a "
                   "converted CTranslate2 folder (OPUS-MT, NLLB, M2M)",
                   ("PATH", "an .argosmodel/zip file or a model folder")),
        "install": ("download a known model and install it (needs a network)",
                    ("NAME", "a known model name, e.g. argos-he-en")),
        "verify": ("check every file of an installed model (or all of them) against the sha256 "
                   "its manifest recorded at import", ("NAME", "an installed model (default: all)")),
        "remove": ("delete an installed model", ("NAME", "an installed model's name")),
    }
    for action, (text, target) in spec.items():
        one = actions.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        if target:
            one.add_argument("target", metavar=target[0], help=target[1],
                             nargs="?" if action == "verify" else None)
        if action == "import":
            one.add_argument("--name", help="install under this name")
            one.add_argument("--langs", metavar="SRC-TGT",
                             help="the direction when the files do not say (OPUS-MT), e.g. he-en")
        if action in ("import", "install"):
            one.add_argument("--force", action="store_true", help="replace a model of the same name")
        one.add_argument("--models", metavar="DIR", help=MODELS_HELP)
        one.set_defaults(func=cmd_models, subparser=one, **({} if target else {"target": None}))
    mod.set_defaults(func=cmd_models, subparser=mod)
