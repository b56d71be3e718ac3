"""The command line: ``align captions``, ``detect``, ``translate``, ``check``,
``documents``, ``calibrate``, ``eval`` and ``models``; ``main(argv) -> int``.

Exit status: 0 when every input was read, 1 when an input could not be read (the
others are still processed and written), 2 for usage errors, 3 when ``check
--fail-under`` is not met, 130 when interrupted.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import Sequence

from . import __version__
from .captions import DEFAULT_THRESHOLD
from .corpus import STDOUT, WRITERS, make_signature, output_paths
from .detection import detect
from .document import read
from .errors import AlignError, InputError
from .scoring import DEFAULT_SCORER, SCORERS
from .text import clean

MODELS_HELP = ("folder searched first for translation models (then $ALIGN_MODELS, "
               "./models, ~/.local/share/align/models); imports go here")
CALIBRATION_HELP = ("a reviewer's standard made by align calibrate (CAL.json): scores say how sure "
                    "a pair is a translation by that standard; its id goes into the signature")
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

Exit status: 0, or 1 if the corpus cannot be read, 2 for usage errors, 3 when
--fail-under is not met.
"""

MODELS_EPILOG = """\
examples:
  align models import translate-he_en-1_5.argosmodel   # an Argos Translate package
  align models import opus-mt-he-en/ --langs he-en       # a converted OPUS-MT folder
  align models list
  align models verify
  align models install argos-he-en                       # needs a network
  align models remove translate-he_en-1_5
"""

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


def _error(message: str) -> None:
    print(f"align: error: {message}", file=sys.stderr)


def _documents(paths: Sequence[str], failures: list[str]):
    """Yield readable documents; report and record the others."""
    for path in paths:
        try:
            yield read(path)
        except InputError as exc:
            _error(str(exc))
            failures.append(path)


def _threshold(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {x}")
    return x


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {n}")
    return n


def _guard_outputs(parser: argparse.ArgumentParser, paths, force: bool, folder: bool = False) -> None:
    """Refuse, before any work, outputs that would fail or overwrite: ``paths`` are the
    files a command will write (empty for stdout); ``folder``: they are folders (-f hf)."""
    for path in paths:
        if os.path.isdir(path) and not folder:
            parser.error(f"{path} is a folder; give a file path")
        if os.path.exists(path) and not force:
            parser.error(f"{path} already exists; pass --force to overwrite it")
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            parser.error(f"-o {path}: folder {parent} does not exist")


def _to_file(output: str | None) -> bool:
    return output not in (None, STDOUT)


# Formats that cannot go to stdout, and what -o must name for them.
_NEEDS_PATH = {"moses": "two files: give -o PREFIX (writes PREFIX.he, PREFIX.en)",
               "parquet": "a binary file: give -o FILE.parquet",
               "hf": "a dataset folder: give -o FOLDER"}


def _output_path_needed(parser: argparse.ArgumentParser, args) -> None:
    """Refuse a format that cannot be written to stdout when no -o is given."""
    if args.format in _NEEDS_PATH and not _to_file(args.output):
        parser.error(f"-f {args.format} writes {_NEEDS_PATH[args.format]}")


def _check_run_output(parser: argparse.ArgumentParser, args, sidecar: bool = True) -> bool:
    """Usage checks of a journaled run; returns False when there is nothing to do."""
    _output_path_needed(parser, args)
    if args.resume and not _to_file(args.output):
        parser.error("--resume continues the run that writes -o OUT: give -o OUT")
    if args.resume and args.force:
        parser.error("--resume continues a run and --force starts it over: choose one")
    if args.scheduler and args.engine != "dask":
        parser.error("--scheduler is for --engine dask")
    if not _to_file(args.output):
        return True
    from .run import Journal

    journal = Journal(args.output)
    if journal.exists() and not (args.resume or args.force):
        parser.error(f"{journal.progress} shows an unfinished run writing {args.output}: pass "
                     "--resume to continue it, or --force to start over")
    if args.resume and journal.exists():
        return True
    finals = output_paths(args.format, args.output) if sidecar else [args.output]
    if args.resume and all(os.path.exists(p) for p in finals[:1]):
        print(f"align: {args.output} is finished already; nothing to resume", file=sys.stderr)
        return False
    _guard_outputs(parser, finals, args.force, folder=args.format == "hf")
    return True


def cmd_captions(args, parser) -> int:
    from .run import run_lock

    if args.report:
        _guard_outputs(parser, [args.report], args.force)
    with run_lock(args.output):  # a second run writing the same OUT is refused here
        if not _check_run_output(parser, args):
            return 0
        return _captions_run(args, parser)


def _captions_run(args, parser) -> int:
    from .run import Progress, Settings, run, start_scorer
    from .sources import FOLDER_EXTENSIONS, iter_items

    settings, scorer = start_scorer(Settings(scorer=args.scorer, threshold=args.threshold, models=args.models,
                                             calibration=args.calibration))  # an in-process run uses it
    signed = _to_file(args.output) or args.format == "tmx"  # stdout jsonl/tsv carry no signature
    sig = make_signature(scorer, args.threshold) if signed else {}
    if args.dedup:
        sig["dedup"] = True
    items = iter_items(args.paths, args.max_doc_mb, args.ext or FOLDER_EXTENSIONS)
    progress = Progress()
    summary = run(items, settings, args.output, args.format, sig, workers=args.workers,
                  engine=args.engine, scheduler=args.scheduler, resume=args.resume,
                  deduplicate=args.dedup, progress=progress,
                  report=lambda message: progress.note(f"align: error: {message}"))
    if args.verbose:
        resumed = f" (resumed after {summary.resumed_from})" if summary.resumed_from else ""
        print(f"align: {summary.pairs} pairs from {summary.documents} documents{resumed}, "
              f"{len(summary.errors)} could not be read", file=sys.stderr)
    if summary.errors and summary.resumed_from:
        print(f"align: {len(summary.errors)} documents could not be read in all "
              "(earlier ones are listed in the manifest's error entries)", file=sys.stderr)
    if args.report:
        _captions_report(args, scorer, sig or make_signature(scorer, args.threshold))
    return 1 if summary.errors else 0


def _captions_report(args, scorer, sig: dict) -> None:
    """Write ``--report``: the pages read and paired again, with their abstentions."""
    from .captions import review
    from .corpus import atomic_open
    from .report import render_captions
    from .sources import FOLDER_EXTENSIONS, iter_items, load

    rows = []
    for item in iter_items(args.paths, args.max_doc_mb, args.ext or FOLDER_EXTENSIONS):
        try:
            document = load(item)
        except AlignError:
            continue  # reported by the run already
        pairs, skipped = review(document.doc, detect(document), scorer, args.threshold)
        line = document.source_line
        rows += [{"doc": document.doc, "status": "paired", "image": p.image, "score": p.score, "he": p.he,
                  "en": p.en, "line": line(p.he_line),
                  "why": "within its image" if p.image else ""} for p in pairs]
        rows += [{"doc": document.doc, "status": "abstained", "image": a.image, "score": a.score, "he": a.he,
                  "en": a.en, "line": line(a.he_line or a.en_line), "why": a.why} for a in skipped]
    title = "align captions: " + ", ".join(os.path.basename(p) for p in args.paths[:3])
    title += f" and {len(args.paths) - 3} more" if len(args.paths) > 3 else ""
    with atomic_open(args.report) as fh:
        fh.write(render_captions(rows, sig, title))
    print(f"align: report written to {args.report}", file=sys.stderr)


def cmd_detect(args, parser) -> int:
    from .sources import iter_items, load

    failures = 0
    for item in iter_items(args.paths):
        try:
            document = load(item)
        except InputError as exc:
            _error(str(exc))
            failures += 1
            continue
        for seg in detect(document):
            if args.kind and seg.kind not in args.kind:
                continue
            row = seg.to_dict(document.doc)
            if document.origins:  # HTML: source lines and the element of the first
                row.update(line=document.source_line(seg.line), lines=document.source_lines(seg.lines),
                           element=document.element(seg.line))
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 1 if failures else 0


def cmd_translate(args, parser) -> int:
    from .models import find
    from .text import has_hebrew
    from .translate import Translator

    translator = Translator(find(args.model, args.models), beam_size=args.beam)
    failures: list[str] = []
    for document in _documents(args.paths, failures):
        lines = [clean(line) for line in document.lines]
        hebrew = [line for line in lines if has_hebrew(line)]
        english = dict(zip(hebrew, translator.translate(hebrew)))
        for line in lines:
            sys.stdout.write((english[line] if line in english else line) + "\n")
    return 1 if failures else 0


def cmd_models(args, parser) -> int:
    from . import models

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


def cmd_check(args, parser) -> int:
    from .api import _scorer as api_scorer, check_pairs
    from .check import format_summary, summary

    from .corpus import atomic_open, open_output, read_corpus
    from .report import render

    planned = [args.output] if _to_file(args.output) else []
    planned += [args.report] if args.report else []
    if args.keep:
        from .corpus import corpus_format

        try:
            keep_fmt = corpus_format(args.corpus)[0]
        except AlignError as exc:
            parser.error(str(exc))
        if keep_fmt == "hf":
            _guard_outputs(parser, [args.keep], args.force, folder=True)
        else:
            planned += output_paths(keep_fmt, args.keep)
    _guard_outputs(parser, planned, args.force)
    try:
        fmt, pairs = read_corpus(args.corpus)
    except InputError as exc:
        _error(str(exc))
        return 1
    scorer = api_scorer("auto", args.models, fresh=True, calibration=args.calibration)  # a new model is seen
    items = check_pairs(pairs, min_score=args.min_score, models=args.models,
                        calibration=args.calibration)  # uses that scorer
    sig = make_signature(scorer, args.min_score)
    sig["min_score"] = args.min_score
    stats = summary(items)
    with open_output(args.output) as fh:
        fh.writelines(json.dumps(it.to_dict(), ensure_ascii=False) + "\n" for it in items)
    if args.keep:
        kept = [it.pair for it in items if it.good and it.score >= args.min_score]
        WRITERS[fmt](kept, args.keep, sig)
    if args.report:
        with atomic_open(args.report) as fh:
            fh.write(render(items, stats, sig, f"align check: {os.path.basename(args.corpus)}"))
    print(format_summary(stats), file=sys.stderr)
    if args.fail_under is not None and stats["good_share"] < args.fail_under:
        print(f"align check: {100 * stats['good_share']:.1f}% good pairs is under "
              f"--fail-under {args.fail_under}", file=sys.stderr)
        return 3
    return 0


def cmd_documents(args, parser) -> int:
    from .documents import align_texts, document_pairs

    _output_path_needed(parser, args)
    try:
        pairs = document_pairs(args.inputs)
    except InputError as exc:
        _error(str(exc))
        return 1
    batch = len(pairs) > 1 or len(args.inputs) != 2
    if batch:
        return _documents_batch(args, parser, pairs)
    if args.resume or args.workers > 1 or args.engine != "local":
        parser.error("--resume, --workers and --engine are for a batch of documents "
                     "(PREFIX... or a .tsv/.jsonl list)")
    beads_out = args.format in ("jsonl", "vecalign")  # bead lines, no signature sidecar
    if _to_file(args.output):
        _guard_outputs(parser, [args.output] if beads_out else output_paths(args.format, args.output),
                       args.force, folder=args.format == "hf")
    from .corpus import open_output
    from .run import Settings, document_tools

    scorer, embedder, translator = document_tools(
        Settings(task="documents", models=args.models, presplit=args.presplit, beads=args.beads,
                 calibration=args.calibration), fresh=True)
    (he_path, en_path), = pairs
    try:
        he_doc, en_doc = read(he_path), read(en_path)
    except InputError as exc:
        _error(str(exc))
        return 1
    result = align_texts(he_doc.lines, en_doc.lines, embedder.embed, args.presplit, args.beads,
                         translator, scorer)
    if args.format == "parquet":
        from .parquet import write_bead_parquet

        write_bead_parquet(result.bead_pairs(he_path), args.output, _bead_signature(scorer, args))
        return 0
    if args.format == "vecalign":
        lines = result.vecalign_lines()
    elif args.format == "jsonl":
        lines = [json.dumps(row, ensure_ascii=False) for row in result.rows()]
    else:
        WRITERS[args.format](result.pairs(he_path), args.output or STDOUT,
                             _bead_signature(scorer, args))
        return 0
    with open_output(args.output) as fh:
        fh.writelines(line + "\n" for line in lines)
    return 0


def _documents_batch(args, parser, pairs) -> int:
    """Many document pairs: streamed, parallel and resumable like ``captions``."""
    from .run import run_lock

    if args.format == "vecalign":
        parser.error("-f vecalign is for one pair of documents; use jsonl for a batch")
    args.dedup = False
    with run_lock(args.output):  # a second run writing the same OUT is refused here
        if not _check_run_output(parser, args, sidecar=args.format != "jsonl"):
            return 0
        return _documents_run(args, parser, pairs)


def _documents_run(args, parser, pairs) -> int:
    from .documents import write_beads
    from .run import Progress, Settings, run, start_scorer
    from .sources import pair_items

    settings, scorer = start_scorer(Settings(task="documents", models=args.models, presplit=args.presplit,
                                             beads=args.beads, calibration=args.calibration))
    if args.format == "jsonl":
        writer, sig = write_beads, {}
    elif args.format == "parquet":  # beads, sentence indices as lists, signature inside
        from .parquet import write_bead_parquet

        writer, sig = write_bead_parquet, _bead_signature(scorer, args)
    else:
        def writer(found, path, signature):  # a corpus holds beads with both sides only
            return WRITERS[args.format]((p for p in found if p.he and p.en), path, signature)
        sig = _bead_signature(scorer, args)
    progress = Progress()
    summary = run(pair_items(pairs, args.max_doc_mb), settings, args.output, args.format, sig,
                  workers=args.workers, engine=args.engine, scheduler=args.scheduler,
                  resume=args.resume, progress=progress, writer=writer,
                  report=lambda message: progress.note(f"align: error: {message}"))
    return 1 if summary.errors else 0


def _bead_signature(scorer, args) -> dict:
    """The signature of a sentence-aligned corpus: the bead scorer and the splitting."""
    sig = make_signature(scorer, 0.0)
    sig.update(presplit=args.presplit, beads=args.beads)
    return sig


def cmd_calibrate(args, parser) -> int:
    from .calibration import calibrate, format_figures, is_labels_file
    from .run import Settings, scorer_for
    from .scoring.standard import describe, save

    from .sources import expand

    labels = [p for p in args.inputs if is_labels_file(p)]
    pages = [p for p in args.inputs if p not in labels]
    for path in args.inputs:  # a mistyped name is named now, not after the pages are scored
        if path.endswith(".jsonl") and not os.path.exists(path):
            raise InputError(f"{path}: no such labels file")
    for entry in expand(pages):
        if not isinstance(entry, str):  # an input that cannot be read
            raise InputError(entry.error or f"{entry.doc}: cannot be read")
    if not labels:
        parser.error("no labels file among the inputs: give a .jsonl whose rows hold he, en and "
                     "label (T, P or D), such as a review report's export")
    _guard_outputs(parser, [args.output], args.force)
    scorer = scorer_for(Settings(scorer=args.scorer, models=args.models), fresh=True)

    def warn(message: str) -> None:
        print(f"align: warning: {message}", file=sys.stderr)

    standard, figures, found = calibrate(labels, pages, scorer, args.partial, args.threshold, warn)
    counts = " ".join(f"{k} {v}" for k, v in standard.labels.items())
    print(f"align calibrate: {len(found)} labels ({counts}), {sum(lab.found for lab in found)} found in "
          f"their pages; P counts as {'a translation' if args.partial == 'translation' else 'not one'}",
          file=sys.stderr)
    print(format_figures(figures, args.partial, args.threshold), file=sys.stderr)
    save(standard, args.output)
    print(f"align calibrate: standard {standard.id} ({describe(standard)}) written to {args.output}; "
          f"use it with --calibration {args.output}", file=sys.stderr)
    return 0


def cmd_eval(args, parser) -> int:
    from .evaluate import bead_scores, pair_scores, read_alignment

    try:
        gold_kind, gold = read_alignment(args.gold)
        pred_kind, pred = read_alignment(args.pred)
    except InputError as exc:
        _error(str(exc))
        return 1
    if gold_kind != pred_kind:
        parser.error(f"{args.gold} holds {gold_kind} but {args.pred} holds {pred_kind}")
    scores = bead_scores(gold, pred) if gold_kind == "beads" else pair_scores(gold, pred)
    print(json.dumps(scores, indent=2))
    return 0


def _run_options(sub: argparse.ArgumentParser, dedup: bool) -> None:
    """Options of a corpus-scale run (captions, and documents in batch form)."""
    run = sub.add_argument_group("corpus-scale runs")
    run.add_argument("--workers", type=_positive, default=1, metavar="N",
                     help="align documents in N processes, one model each (default 1); "
                          "the output is the same for any N")
    run.add_argument("--engine", choices=["local", "dask"], default="local",
                     help="local: this machine (default); dask: a Dask cluster, local unless "
                          "--scheduler is given (pip install 'align[dask]')")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --engine dask: the scheduler to use, e.g. tcp://host:8786")
    run.add_argument("--resume", action="store_true",
                     help="continue the interrupted run that writes -o OUT, from OUT.progress")
    if dedup:
        run.add_argument("--dedup", action="store_true",
                         help="write each identical pair once, at its first place, with its count")
        run.add_argument("--ext", action="append", metavar="EXT",
                         help="file endings searched for in folders (repeatable; default: .txt "
                              ".html .htm .xhtml .jsonl .jsonl.gz .warc .warc.gz)")
    run.add_argument("--max-doc-mb", type=float, default=10.0, metavar="MB",
                     help="refuse documents larger than this (default 10); a page is far smaller")


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
    cap.add_argument("-f", "--format", choices=list(WRITERS), default="jsonl",
                     help="output format (default: jsonl); parquet: typed columns, the signature "
                          "in the file; hf: a folder datasets.load_dataset opens as it is")
    cap.add_argument("-o", "--output", metavar="OUT",
                     help="write here instead of stdout (moses: a prefix for OUT.he and OUT.en; "
                          "parquet and hf need it)")
    cap.add_argument("--force", action="store_true", help="overwrite existing output files")
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
    cap.add_argument("-v", "--verbose", action="store_true", help="print a summary on stderr")
    cap.add_argument("--report", metavar="HTML",
                     help="also write a self-contained HTML report for review: every pair and "
                          "every caption (an image's alt and title, side by side) that gave "
                          "none, with its score and why; the pages are read and scored again "
                          "in this process, so use it on the pages you review, not a crawl")
    _run_options(cap, dedup=True)
    cap.set_defaults(func=cmd_captions)


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
    tr.add_argument("--beam", type=int, default=2, metavar="N", help="beam size (default 2)")
    tr.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    tr.set_defaults(func=cmd_translate)


def _add_check(sub) -> None:
    """The ``check`` command's options."""
    chk = sub.add_parser(
        "check", help="score and flag the pairs of an existing corpus",
        description="Score every pair of a corpus (TSV, JSONL, TMX, or a Moses pair "
                    "PREFIX.he + PREFIX.en) and flag suspicious ones: empty, untranslated, "
                    "wrong_script, length_ratio, number_mismatch, duplicate, misaligned "
                    "(with the row whose English fits better), partial (one side says "
                    "clearly more), low_score. Writes annotated JSONL (stdout or -o) and a "
                    "summary on stderr.",
        epilog=EPILOG_CHECK, formatter_class=argparse.RawDescriptionHelpFormatter)
    chk.add_argument("corpus", metavar="CORPUS",
                     help="a .tsv, .jsonl or .tmx file, a Moses PREFIX, or - for JSONL on stdin")
    chk.add_argument("-o", "--output", metavar="ANNOTATED", help="annotated JSONL here, not stdout")
    chk.add_argument("--report", metavar="HTML", help="write a self-contained HTML report")
    chk.add_argument("--min-score", type=_threshold, default=0.5, metavar="X",
                     help="pairs scoring under X are low_score, and not kept (default 0.5)")
    chk.add_argument("--keep", metavar="OUT",
                     help="write the good pairs (no flag, score >= X) here, in the input's format")
    chk.add_argument("--fail-under", type=_threshold, metavar="RATE",
                     help="exit with status 3 when the share of good pairs is below RATE")
    chk.add_argument("--force", action="store_true", help="overwrite existing output files")
    chk.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    chk.add_argument("--calibration", metavar="CAL.json", help=CALIBRATION_HELP)
    chk.set_defaults(func=cmd_check)


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
                     default="jsonl", help="jsonl beads (default), vecalign lines, or a corpus format")
    doc.add_argument("-o", "--output", metavar="OUT")
    doc.add_argument("--presplit", action="store_true", help="one sentence per line already")
    doc.add_argument("--beads", choices=["merges", "wide"], default="merges",
                     help="merges: up to 1-2/2-1 (default); wide: also 2-2, 1-3, 3-1")
    doc.add_argument("--force", action="store_true", help="overwrite existing output files")
    doc.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    doc.add_argument("--calibration", metavar="CAL.json", help=CALIBRATION_HELP)
    _run_options(doc, dedup=False)
    doc.set_defaults(func=cmd_documents)


def _add_calibrate(sub) -> None:
    """The ``calibrate`` command's options."""
    cal = sub.add_parser(
        "calibrate", help="learn a reviewer's standard of translation from their labels",
        description="Fit how sure a pair must be, and of what, to count as a translation, to a "
                    "reviewer's T/P/D decisions (the export of a --report page, or any JSONL with "
                    "he, en, label and doc). The built-in standard is the prior, so 50-100 labels "
                    "move it without overfitting. Prints precision and recall of translations on "
                    "the labels, held out one document at a time, before and after.",
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
    cal.add_argument("-o", "--output", metavar="CAL.json", required=True,
                     help="where the standard is written (JSON)")
    cal.add_argument("--partial", choices=["different", "translation"], default="different",
                     help="what a P (partial) label means: different (default: a strict corpus) or "
                          "translation (a lenient one)")
    cal.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD, metavar="X",
                     help=f"the threshold of the held-out figures (default {DEFAULT_THRESHOLD})")
    cal.add_argument("--scorer", choices=list(SCORERS), default=DEFAULT_SCORER,
                     help="the scorer whose evidence the standard weighs (default auto); use the "
                          "same one with --calibration")
    cal.add_argument("--models", metavar="DIR", help=MODELS_HELP)
    cal.add_argument("--force", action="store_true", help="overwrite an existing CAL.json")
    cal.set_defaults(func=cmd_calibrate)


def _add_eval(sub) -> None:
    """The ``eval`` command's options."""
    ev = sub.add_parser(
        "eval", help="score an alignment against gold",
        description="Strict and lax precision/recall/F1 over beads (JSONL or Parquet with "
                    "he_ids/en_ids, or Vecalign lines), or over caption pairs (JSONL or Parquet "
                    "with he/en, or a dataset folder written with -f hf).",
        epilog="example:\n  align eval gold.jsonl beads.jsonl")
    ev.add_argument("gold", metavar="GOLD")
    ev.add_argument("pred", metavar="PRED")
    ev.set_defaults(func=cmd_eval)


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
    det.set_defaults(func=cmd_detect)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="align",
        description="Pair Hebrew and English captions in news pages into a parallel corpus, offline.")
    parser.add_argument("--version", action="version", version=f"align {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _add_captions(sub)
    _add_translate(sub)
    _add_check(sub)
    _add_documents(sub)
    _add_calibrate(sub)
    _add_eval(sub)
    _add_models(sub)
    _add_detect(sub)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler, ``kill``, a container stopping): handled as Ctrl-C is."""


def _on_sigterm(signum, frame):
    raise Terminated()


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """While a command runs, SIGTERM raises ``Terminated``: the journal is closed and
    synced as for Ctrl-C, workers are stopped, and the exit status is 143."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "action", None) in ("import", "install", "remove") and not args.target:
        args.subparser.error(f"{args.action} needs a {'PATH' if args.action == 'import' else 'NAME'}")
    try:
        with _sigterm_as_interrupt():
            return args.func(args, parser)
    except BrokenPipeError:
        # The reader (head, less) went away: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except AlignError as exc:
        _error(str(exc))
        return 1
    except KeyboardInterrupt as exc:
        output = getattr(args, "output", None)
        hint = (f"; run the same command with --resume to continue writing {output}"
                if hasattr(args, "resume") and _to_file(output) else "")
        what = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
        print(f"\nalign: {what}{hint}", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
