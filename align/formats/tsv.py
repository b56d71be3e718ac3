"""TSV corpora: ``he<TAB>en<TAB>score`` (and ``<TAB>count``) rows, no header."""
from __future__ import annotations

from collections.abc import Iterable

from align.errors import InputError
from align.files import STDOUT, open_output
from align.formats.output import read_text, skip_or_raise, write_meta
from align.records import Pair


def write_tsv(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """``he<TAB>en<TAB>score`` rows, no header, and a fourth column ``count`` after
    deduplication. Through ``WRITERS["tsv"]``: a pair whose text holds a tab or a line
    break is left out there and named (``align.formats.output``)."""
    n = 0
    with open_output(path) as fh:
        for pair in pairs:
            count = "" if pair.count is None else f"\t{pair.count}"
            fh.write(f"{pair.he}\t{pair.en}\t{pair.score}{count}\n")  # WRITERS left out what breaks a row
            n += 1
    if path != STDOUT:
        write_meta(path, signature)
    return n


ROW_SHAPE = "each row must be he<TAB>en[<TAB>score[<TAB>count]]"


def _shown(value: str) -> str:
    return repr(value) if len(value) <= 40 else repr(value[:37] + "...")


def read_tsv(path: str, errors: list[str] | None = None, encoding: str | None = None) -> list[Pair]:
    """Pairs from ``he<TAB>en[<TAB>score]`` rows; a malformed row raises ``InputError``
    naming its line, or with ``errors`` is kept there and skipped."""
    pairs = []
    for number, line in enumerate(read_text(path, encoding).split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line:
            continue
        try:
            pairs.append(_row(path, number, line))
        except InputError as exc:
            skip_or_raise(str(exc), errors)
    return pairs


def _row(path: str, number: int, line: str) -> Pair:
    cols = line.split("\t")
    if len(cols) not in (2, 3, 4):
        columns = f"{len(cols)} column{'s' if len(cols) > 1 else ''}"
        raise InputError(f"{path}:{number}: {columns} (tab-separated); {ROW_SHAPE}")
    try:
        score = float(cols[2]) if len(cols) >= 3 else 0.0
    except ValueError:
        raise InputError(f"{path}:{number}: column 3 is {_shown(cols[2])}, not a score (a number); "
                         f"{ROW_SHAPE}") from None
    try:
        count = int(cols[3]) if len(cols) == 4 else None
    except ValueError:
        raise InputError(f"{path}:{number}: column 4 is {_shown(cols[3])}, not a count (a whole "
                         f"number); {ROW_SHAPE}") from None
    return Pair(doc=path, he=cols[0], en=cols[1], score=score, count=count)
