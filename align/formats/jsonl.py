"""JSONL corpora: one pair a JSON object a line."""
from __future__ import annotations

import json
from collections.abc import Iterable

from align.files import STDOUT, open_output
from align.formats.output import json_line, read_stdin, read_text, skip_or_raise, write_meta
from align.records import Pair


def write_jsonl(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """One JSON object a line; the signature goes to a sidecar. Returns pairs written."""
    n = 0
    with open_output(path) as fh:
        for pair in pairs:
            fh.write(json_line(pair.to_dict()))
            n += 1
    if path != STDOUT:
        write_meta(path, signature)
    return n


def read_jsonl(path: str, errors: list[str] | None = None, encoding: str | None = None) -> list[Pair]:
    """Pairs from JSONL with at least ``he``, ``en`` (``doc`` and ``score`` optional);
    ``-`` reads standard input. A malformed row raises ``InputError`` naming its line;
    with ``errors``, its message is kept there and the row skipped."""
    text = read_stdin() if path == STDOUT else read_text(path, encoding)
    pairs = []
    # split on "\n" only: JSON strings may hold U+2028, which splitlines() would cut at
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            pairs.append(Pair.from_dict(json.loads(line), path))
        except (ValueError, RecursionError) as exc:
            why = "nested too deep" if isinstance(exc, RecursionError) else exc
            skip_or_raise(f"{path}:{number}: not a pair record ({why})", errors)
    return pairs
