"""Sentence alignments as files: JSONL beads (``he_ids``, ``en_ids``, texts, score) with
the signature in a sidecar, as corpora have it. Corpus formats take beads with both
sides as pairs (``Bead.as_pair``); Parquet beads are in ``align.formats.parquet``."""
from __future__ import annotations

from collections.abc import Iterable

from align.files import STDOUT, open_output
from align.formats.output import json_line, write_meta
from align.records import Bead


def write_beads(beads: Iterable[Bead], path: str, signature: dict) -> int:
    """One JSON bead a line (``Bead.to_dict``); to a file, the signature goes to
    ``path.meta.json``. Returns the beads written."""
    n = 0
    with open_output(path) as fh:
        for bead in beads:
            fh.write(json_line(bead.to_dict()))
            n += 1
    if path not in (None, STDOUT):
        write_meta(path, signature)
    return n


def write_vecalign(beads: Iterable[Bead], path: str | None) -> int:
    """Vecalign-style lines (``[0]:[0,1]:0.8123``), as Vecalign's tools read them."""
    n = 0
    with open_output(path) as fh:
        for b in beads:
            fh.write(f"[{','.join(map(str, b.he_ids))}]:[{','.join(map(str, b.en_ids))}]:{b.score:.4f}\n")
            n += 1
    return n
