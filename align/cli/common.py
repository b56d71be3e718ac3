"""What the commands share: argument types, output guards, the options of corpus-scale
runs, and one way to print an error."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable, Sequence

from align.errors import AlignError, InputError, OutputError
from align.files import STDOUT
from align.formats.output import output_paths
from align.inputs.plain import read
from align.inputs.sources import FOLDER_EXTENSIONS
from align.owned import Output, clashes, replaceable, run_outputs, tidy

MODELS_HELP = ("folder searched first for translation models (then $ALIGN_MODELS, "
               "./models, ~/.local/share/align/models); imports go here")


CALIBRATION_HELP = ("a reviewer's standard made by align calibrate (CAL.json): scores say how sure "
                    "a pair is a translation by that standard; its id goes into the signature")


FORCE_HELP = ("replace outputs that align wrote before (a corpus, report, sidecar, dataset folder); "
              "never a file or folder it did not write, nor an input")


STANDARD_HELP = ("what a score is the probability of (../GUIDELINE: T when every piece of content on "
                 "each side has a counterpart on the other): strict (default) a full translation, so "
                 "pairs where one side says more score low; lenient a translation at least in part "
                 "(full or partial). Every pair says its verdict, T or P, either way")


def add_standard(parser) -> None:
    """The ``--standard`` option of every command that scores."""
    parser.add_argument("--standard", choices=["strict", "lenient"], default=None, help=STANDARD_HELP)


def _size(value: str) -> int:
    from align.runs.cache import parse_size

    try:
        return parse_size(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_translation(parser) -> None:
    """``--beam`` and ``--compute-type``: how an installed translation model decodes."""
    from align.mt.translator import COMPUTE_TYPES, DEFAULT_BEAM

    group = parser.add_argument_group("translation model (when one is installed: see 'align models')")
    group.add_argument("--beam", type=_positive, default=DEFAULT_BEAM, metavar="N",
                       help=f"beam size (default {DEFAULT_BEAM}; 1 is greedy and fastest)")
    group.add_argument("--compute-type", choices=COMPUTE_TYPES, default=COMPUTE_TYPES[0],
                       help="the model's arithmetic on the CPU (default int8, the fastest; both are "
                            "recorded in the corpus signature)")


def _encoding(value: str) -> str:
    from align.encoding import check_label

    try:
        return check_label(value)
    except AlignError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not {str(exc).split(': not ', 1)[1]}") from None


ENCODING_HELP = ("read every input in this encoding, whatever it declares (a label browsers know: utf-8, "
                 "windows-1255, iso-8859-8-i...); by default each is read as browsers read it: its BOM, "
                 "its declared charset (HTTP header, <meta>), UTF-8, else windows-1255 or windows-1252 "
                 "as detected")


def add_encoding(parser) -> None:
    """``--encoding``: every command that reads documents."""
    parser.add_argument("--encoding", type=_encoding, metavar="ENC", help=ENCODING_HELP)


def add_cache(parser) -> None:
    """``--cache``, ``--no-cache`` and ``--cache-size`` of every command that scores."""
    group = parser.add_argument_group("evidence cache")
    group.add_argument("--cache", metavar="DIR",
                       help="keep embeddings, latent terms, translations and language verdicts here "
                            "between runs, so each string costs the model once (default: $ALIGN_CACHE, else "
                            "~/.cache/align); the output is the same with or without; see 'align cache stats'")
    group.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    group.add_argument("--cache-size", type=_size, metavar="SIZE",
                       help="largest size of the cached vectors (default 2G); the least recently used "
                            "go first past it")


def cache_summary() -> None:
    """One stderr line: how many strings the evidence cache answered in this process
    (worker processes keep their own counts)."""
    from align.runs.cache import opened

    for store in opened():
        asked = store.stats.hits + store.stats.misses
        if asked:
            print(f"align: {store.stats.hits} of {asked} strings from the cache {store.path}, "
                  f"{store.stats.written} stored", file=sys.stderr)


QUIET_HELP = ("no progress bar (it is drawn on stderr only when stderr is a terminal: done of "
              "total, percent, rate and time left)")


def no_bar(args) -> bool:
    """No progress bar: ``-q``, or the corpus itself streams to the terminal (the pairs
    scrolling by are the progress, and a bar between them would garble both)."""
    from align.runs.progress import on_terminal

    return args.quiet or (not _to_file(args.output) and on_terminal(sys.stdout))


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


def _megabytes(value: str) -> float:
    import math

    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(x) or x <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of megabytes above 0, got {value}")
    return x


def _extension(value: str) -> str:
    if not value.strip(". ") or any(c in value for c in "/\\*?"):
        raise argparse.ArgumentTypeError(f"not a file ending: {value!r} (e.g. --ext .htm)")
    return value


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {n}")
    return n


class Refused(AlignError):
    """The command cannot start as typed, for a reason outside the command line itself
    (an output in the way, a missing folder): one line, exit status 2, no usage text."""


def guard(outputs: Sequence[Output], inputs: Iterable[str], force: bool) -> None:
    """Refuse, before any work, outputs that would fail, clash with each other or with
    an input, or replace what align did not write (``align.owned``: ``clashes``, then
    ``replaceable``, as ``check_plan`` does). Each
    ``Output`` names the option the user typed, so that a message can."""
    inputs = list(inputs)
    try:
        clashes(outputs, inputs)  # first: the likeliest slip, and said with both names
    except OutputError as exc:
        raise Refused(str(exc)) from None
    for out in outputs:
        option, path = out.option, out.path
        if out.folder and os.path.exists(path) and not os.path.isdir(path):
            raise Refused(f"{option} {path} is a file; a dataset folder goes there: give a folder's name")
        if os.path.isdir(path) and not out.folder:
            raise Refused(f"{out.named()} is a folder in the way; move it, or give {option} another name"
                          if out.extra else f"{option} {path} is a folder; give a file path")
        if os.path.exists(path) and not os.path.isfile(path) and not os.path.isdir(path):
            # a device or a pipe: renaming a finished file over it would replace it
            raise Refused(f"{out.named()} is not a regular file (a device or a pipe); leave out "
                          f"{option} to write to stdout, and redirect that")
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise Refused(f"{option} {path}: folder {parent} does not exist; create it first")
    try:
        replaceable(outputs, force)  # the clashes were checked first, above
    except OutputError as exc:
        raise Refused(str(exc)) from None


def planned(option: str, path: str | None, fmt: str | None = None) -> list[Output]:
    """The files ``option path`` writes: as ``fmt`` (its sidecar, Moses pairs; a folder
    for hf), or the one file; nothing for stdout."""
    if not _to_file(path):
        return []
    assert path is not None
    return run_outputs(option, path, output_paths(fmt, path) if fmt else [path], folder=fmt == "hf")


def check_named_inputs(args) -> None:
    """Refuse, before any work, a file or folder option naming nothing: ``--calibration``
    (a CAL.json) and ``--models`` (a folder searched for models; ``align models`` itself
    may create it). The message names the option."""
    calibration = getattr(args, "calibration", None)
    if calibration and not os.path.isfile(calibration):
        what = "is a folder" if os.path.isdir(calibration) else "no such file"
        raise Refused(f"--calibration {calibration}: {what}; give the CAL.json that align calibrate wrote")
    models = getattr(args, "models", None)
    if models and args.command != "models" and not os.path.isdir(models):
        raise Refused(f"--models {models}: no such folder; give the folder your models are in "
                      "(align models list --models DIR shows what one holds)")


FORMAT_HELP = ("default: the format -o's name says (.jsonl .tsv .tmx .parquet, maybe .gz .bz2 .xz "
               ".zst; PREFIX.he: moses), jsonl on stdout; any other name needs -f, and a name saying "
               "another format than -f is refused")


def _resolve_format(parser: argparse.ArgumentParser, args) -> None:
    """Set ``args.format`` the one way every command chooses it: -f, else -o's name,
    else jsonl on stdout (``align.formats.output_format``); a file name that says no
    format, and -f and a name that disagree, are refused."""
    from align.compressed import suffix
    from align.formats import output_format, output_target

    try:
        args.format = output_format(args.output, args.format, "jsonl")
    except OutputError as exc:
        parser.error(str(exc))
    if args.output:
        args.output = output_target(args.format, args.output)
    end = suffix(args.output or "")
    if end and args.format in ("parquet", "hf", "moses"):
        parser.error(f"-o {args.output}: {args.format} cannot be written {end}-compressed (Parquet compresses "
                     "its columns itself; a Moses pair is two files); leave out " + end)


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


def _check_run_output(parser: argparse.ArgumentParser, args, inputs: Iterable[str],
                      others: Sequence[Output] = (), files: Sequence[str] | None = None) -> bool:
    """Usage checks of a journaled run, and ``guard`` of all it writes: -o with its
    sidecar and journal, and ``others`` (--report); ``files``: what -o's writer creates
    (default: its format's). Returns False when there is nothing to do."""
    _output_path_needed(parser, args)
    if args.resume and not _to_file(args.output):
        parser.error("--resume continues the run that writes -o OUT: give -o OUT")
    if args.resume and args.force:
        parser.error("--resume continues a run and --force starts it over: choose one")
    if args.scheduler and args.engine != "dask":
        parser.error("--scheduler is for --engine dask")
    others = [*others, *planned("--errors", getattr(args, "errors", None))]
    if not _to_file(args.output):
        guard(others, inputs, args.force)
        return True
    from align.runs.journal import Journal

    journal = Journal(args.output)
    if journal.exists() and not (args.resume or args.force):
        raise Refused(f"{journal.progress} shows an unfinished run writing {args.output}: pass "
                      "--resume to continue it, or --force to start over")
    finals = output_paths(args.format, args.output) if files is None else list(files)
    outputs = [*run_outputs("-o", args.output, finals, folder=args.format == "hf", journal=True), *others]
    if args.resume and journal.exists():
        guard(outputs, inputs, force=True)  # the run's own files, from its start
        return True
    if args.resume and all(os.path.exists(p) for p in finals[:1]):
        print(f"align: {args.output} is finished already; nothing to resume", file=sys.stderr)
        return False
    guard(outputs, inputs, args.force)
    return True


def write_errors(path: str | None, summary) -> None:
    """``--errors FILE``: the documents of this run that could not be read, one JSON line each."""
    if not path:
        return
    import json

    from align.files import atomic_open

    with atomic_open(path) as fh:
        fh.writelines(json.dumps({"doc": doc, "error": error}, ensure_ascii=False) + "\n"
                      for doc, error in summary.failures)


EMPTY_DATASET = 4  # exit status: a dataset folder of no pairs was written, which load_dataset cannot open


def empty_dataset(fmt: str | None, path: str | None, option: str = "-o") -> int:
    """``EMPTY_DATASET`` when the ``fmt`` written to ``path`` is an hf folder holding no
    pairs (said on stderr: ``datasets.load_dataset`` refuses a split of no rows), else 0."""
    if fmt != "hf" or not path or not os.path.isdir(path):
        return 0
    from align.formats.parquet import dataset_rows

    if dataset_rows(path):
        return 0
    print(f"align: {option} {path}: no pairs, so the dataset folder holds an empty train split, which "
           "datasets.load_dataset cannot open (it refuses a split of no rows); pyarrow and pandas read "
           f"{os.path.join(path, 'data')} as an empty table (exit status {EMPTY_DATASET})", file=sys.stderr)
    return EMPTY_DATASET


def encodings_line(summary) -> str:
    """How many documents were read with each encoding: "utf-8 38, windows-1255 2"."""
    return ", ".join(f"{name} {n}" for name, n in sorted(summary.encodings.items(), key=lambda kv: (-kv[1], kv[0])))


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
        run.add_argument("--ext", action="append", metavar="EXT", type=_extension,
                         help="file endings searched for in folders (repeatable; default: "
                              f"{' '.join(sorted(FOLDER_EXTENSIONS))})")
    run.add_argument("--max-doc-mb", type=_megabytes, default=10.0, metavar="MB",
                     help="refuse documents larger than this (default 10); a page is far smaller")
    run.add_argument("--errors", metavar="FILE.jsonl", type=tidy,
                     help="also write each document that could not be read as a JSON line "
                          "({\"doc\", \"error\"}), to retry or report them")
    run.add_argument("--fail-fast", action="store_true",
                     help="stop at the first document that cannot be read (default: name it, go on, "
                          "exit 1 at the end)")
    run.add_argument("-q", "--quiet", action="store_true", help=QUIET_HELP)


class _StderrHandler(logging.Handler):
    """Library warnings as ``align: warning: ...`` lines on whatever stderr is now."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(f"align: {record.levelname.lower()}: {record.getMessage()}\n")


def log_to_stderr() -> None:
    """Show the library's warnings (``logging``) to the user, once per process."""
    logger = logging.getLogger("align")
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        logger.addHandler(_StderrHandler(logging.WARNING))
        logger.setLevel(logging.WARNING)
        logger.propagate = False
