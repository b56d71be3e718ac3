"""The command line: ``align captions``, ``detect``, ``translate``, ``check``,
``documents``, ``calibrate``, ``eval`` and ``models``; ``main(argv) -> int``.

Exit status: 0 when every input was read, 1 when an input could not be read (the
others are still processed and written), 2 for usage errors and for a command refused
before any work (an output in the way), 3 when ``check
--fail-under`` is not met, 130 when interrupted.

One module per command (``align/cli/captions.py``...), each parsing its options and calling
the library; ``common`` holds what they share.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from align import __version__
from align.cli.cache import _add_cache
from align.cli.calibrate import _add_calibrate
from align.cli.captions import _add_captions
from align.cli.check import _add_check
from align.cli.common import Refused, _error, _to_file, check_named_inputs, log_to_stderr
from align.cli.detect import _add_detect
from align.cli.documents import _add_documents
from align.cli.evaluate import _add_eval
from align.cli.models import _add_models
from align.cli.translate import _add_translate
from align.errors import AlignError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="align",
        description="Pair Hebrew and English captions in news pages into a parallel corpus, offline.")
    parser.add_argument("--version", action="version", version=f"align {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the whole traceback of a failure (anywhere on the command line)")
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
    _add_cache(sub)
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


def unrecognized(extra: Sequence[str], parser: argparse.ArgumentParser) -> str:
    """The message for arguments ``parser`` does not know, naming the nearest option
    for a mistyped one (``--treshold``: did you mean ``--threshold``?)."""
    import difflib

    known = [s for action in parser._actions for s in action.option_strings]
    for arg in extra:
        guess = difflib.get_close_matches(arg.split("=")[0], known, n=1, cutoff=0.75) if arg.startswith("--") else []
        if guess:
            return f"unrecognized argument {arg}: did you mean {guess[0]}? (see {parser.prog} -h)"
    return f"unrecognized arguments: {' '.join(extra)}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    end = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:end]  # anywhere before "--": the whole traceback of any failure
    if debug:
        argv = [a for k, a in enumerate(argv) if a != "--debug" or k > end]
        os.environ["ALIGN_DEBUG"] = "1"  # worker processes see it too
    args, extra = parser.parse_known_args(argv)
    if extra:  # said by the command's own parser, with the option it most likely meant
        args.subparser.error(unrecognized(extra, args.subparser))
    log_to_stderr()
    closed = _closed_stream(args)
    if closed:
        _error(closed)
        return 2
    if hasattr(args, "no_cache"):
        from align.runs import cache

        cache.configure(args.cache, args.cache_size, args.no_cache)
        cache.new_run()
    try:
        check_named_inputs(args)
        with _sigterm_as_interrupt():
            return args.func(args, args.subparser)  # its usage errors show its own usage
    except BrokenPipeError:
        # The reader (head, less) went away: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Refused as exc:  # refused before any work: nothing was read or written
        _error(str(exc))
        return 2
    except AlignError as exc:
        _error(str(exc))
        return 1
    except OSError as exc:  # standard output on a full disk (/dev/full), a closed pipe's relatives
        if debug:
            raise
        where = exc.filename or "standard output"
        _error(f"{where}: cannot be written or read ({exc.strerror or exc}); write to a file with -o OUT, "
               "or free some space")
        return 1
    except Exception as exc:  # noqa: BLE001 - no traceback reaches a user unless asked for
        if debug:
            raise
        _error(f"internal error ({type(exc).__name__}: {exc}); run the same command with --debug for "
               "the whole traceback, and please report it")
        return 1
    except KeyboardInterrupt as exc:
        output = getattr(args, "output", None)
        hint = (f"; run the same command with --resume to continue writing {output}"
                if hasattr(args, "resume") and _to_file(output) else "")
        what = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
        print(f"\nalign: {what}{hint}", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    finally:
        _record_cache_use()


def _closed_stream(args) -> str | None:
    """The message for a standard stream the command needs that is closed (``>&-``,
    ``<&-``); a closed stdout is harmless when the command writes to -o."""
    paths = list(getattr(args, "paths", None) or getattr(args, "inputs", None) or [])
    paths += [getattr(args, "corpus", None)]
    if sys.stdin is None and "-" in paths:
        return "standard input is closed, and - reads it; give the input as a file"
    if sys.stdout is None:
        if _to_file(getattr(args, "output", None)):
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # nothing goes there
            return None
        return "standard output is closed, and the output goes there; write to a file with -o OUT"
    return None


def _record_cache_use() -> None:
    """Keep what the caches this process opened answered, for ``align cache stats``."""
    from align.runs.cache import opened

    for store in opened():
        store.record_run()
