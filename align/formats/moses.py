"""Moses corpora: line-aligned ``PREFIX.he`` and ``PREFIX.en``."""
from __future__ import annotations

from collections.abc import Iterable

from align.errors import InputError, OutputError
from align.files import STDOUT, atomic_open
from align.formats.output import read_text, write_meta
from align.records import Pair


def write_moses(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """Line-aligned ``path.he`` and ``path.en`` plus the sidecar signature."""
    if path == STDOUT:
        raise OutputError("the moses format writes two files: give -o PREFIX")
    n = 0
    with atomic_open(path + ".he") as he_fh, atomic_open(path + ".en") as en_fh:
        for pair in pairs:
            he_fh.write(pair.he + "\n")  # WRITERS left out what breaks a line (align.formats.output)
            en_fh.write(pair.en + "\n")
            n += 1
    write_meta(path, signature, [path + ".he", path + ".en"])
    return n


def read_moses(path: str) -> list[Pair]:
    """Pairs from line-aligned ``path.he`` and ``path.en``."""
    he = read_text(path + ".he").split("\n")
    en = read_text(path + ".en").split("\n")
    if he and he[-1] == "" and en and en[-1] == "":
        he, en = he[:-1], en[:-1]
    if len(he) != len(en):
        raise InputError(f"{path}: {path}.he has {len(he)} lines but {path}.en has {len(en)}")
    return [Pair(doc=path, he=h, en=e, score=0.0, he_line=i, en_line=i)
            for i, (h, e) in enumerate(zip(he, en), start=1)]
