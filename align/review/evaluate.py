"""Scoring alignments against gold: beads (strict and lax) and caption pairs."""
from __future__ import annotations

import json
import re

from align.errors import InputError
from align.records import numbers, text_field

_VECALIGN = re.compile(r"^\[([\d,\s]*)\]:\[([\d,\s]*)\](?::\s*(\S+))?\s*$")


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict:
    p = tp_p / n_pred if n_pred else 1.0
    r = tp_r / n_gold if n_gold else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def bead_scores(gold, pred) -> dict:
    """Strict and lax precision/recall/F1 over beads with both sides non-empty.

    ``gold``, ``pred``: sequences of ``(he_ids, en_ids)``. Strict: a bead counts when it
    equals a gold bead. Lax: when it shares a Hebrew and an English sentence with one.
    """
    g = [(tuple(h), tuple(e)) for h, e in gold if len(h) and len(e)]
    p = [(tuple(h), tuple(e)) for h, e in pred if len(h) and len(e)]
    gold_set = set(g)
    strict = sum(1 for b in p if b in gold_set)

    def overlaps(b, others):
        return any(set(b[0]) & set(o[0]) and set(b[1]) & set(o[1]) for o in others)

    return {"strict": _prf(strict, len(p), strict, len(g)),
            "lax": _prf(sum(overlaps(b, g) for b in p), len(p), sum(overlaps(b, p) for b in g), len(g)),
            "gold_beads": len(g), "pred_beads": len(p)}


def pair_scores(gold, pred) -> dict:
    """Precision/recall/F1 of caption pairs ``(doc, he, en)``, texts as ``normalised``
    gives them; ``doc`` is compared by file name, unless either side has a pair with no
    ``doc`` (TSV and Moses carry none), when pairs are compared by their texts alone."""
    by_text = any(not doc for doc, _, _ in [*gold, *pred])
    g = {(("" if by_text else doc), he, en) for doc, he, en in gold}
    p = {(("" if by_text else doc), he, en) for doc, he, en in pred}
    tp = len(g & p)
    return {"pairs": _prf(tp, len(p), tp, len(g)), "gold_pairs": len(g), "pred_pairs": len(p),
            "compared_by": "text" if by_text else "document and text"}


def normalised(text: str) -> str:
    """A pair's side as align compares it: ``align.text.clean`` (bidi controls and
    control characters removed, every run of white space, NBSP and line separators
    included, one space, NFC)."""
    from align.text import clean

    return clean(text)


# Corpus formats whose pairs eval reads with the corpus readers (JSONL, Parquet and hf
# folders are read below, where beads are told from pairs).
_CORPUS_ONLY = ("tsv", "tmx", "moses")


def read_alignment(path: str, errors: list[str] | None = None, encoding: str | None = None):
    """``("beads", [(he_ids, en_ids), ...])`` from JSONL or Parquet beads or Vecalign
    lines, or ``("pairs", [(doc, he, en), ...])`` from caption pairs in any format
    align writes (JSONL, TSV, TMX, Moses, Parquet, an hf folder), texts
    ``normalised`` and ``doc`` its file name ("" when the format has none). A
    malformed row raises ``InputError`` naming its line; with ``errors``, its message
    is kept there and the row skipped. ``encoding``: a text file is read in it, whatever
    it looks like (``--encoding``)."""
    import os

    from align.formats import corpus_format, read_corpus
    from align.formats.output import skip_or_raise

    try:
        fmt = corpus_format(path)[0]
    except InputError:
        fmt = None  # Vecalign lines, or JSONL under another name: told by their content below
    if fmt in _CORPUS_ONLY:
        _, pairs = read_corpus(path, errors, encoding)
        docless = fmt != "tmx"  # TSV and Moses hold no document; a TMX unit may (x-doc)
        return "pairs", [("" if docless or p.doc == path else os.path.basename(p.doc),
                          normalised(p.he), normalised(p.en)) for p in pairs]
    if path.lower().endswith(".parquet") or os.path.isdir(path):  # -f parquet, -f hf
        from align.formats.parquet import hf_shards, read_bead_rows

        files = hf_shards(path) if os.path.isdir(path) else [path]
        rows = [(n, row) for n, row in enumerate((row for f in files for row in read_bead_rows(f)), start=1)]
        return _rows_alignment(rows, path, errors)
    from align.formats.output import read_text

    lines = [(n, line) for n, line in enumerate(read_text(path, encoding).split("\n"), start=1) if line.strip()]
    if lines and _VECALIGN.match(lines[0][1]):
        beads = []
        for number, line in lines:
            m = _VECALIGN.match(line)
            if not m:
                skip_or_raise(f"{path}:{number}: not a Vecalign line like [0]:[0,1]:0.5", errors)
                continue
            beads.append(tuple(tuple(int(x) for x in s.split(",") if x.strip()) for s in m.groups()[:2]))
        return "beads", beads
    rows = []
    for number, line in lines:
        try:
            rows.append((number, json.loads(line)))
        except (ValueError, RecursionError):
            skip_or_raise(f"{path}:{number}: neither JSON nor a Vecalign line", errors)
    return _rows_alignment(rows, path, errors)


def _rows_alignment(rows: list[tuple[int, dict]], path: str, errors: list[str] | None = None):
    """Beads or pairs from numbered rows read as dicts (JSONL lines, Parquet rows); the
    first row says which; a row of the wrong shape is named (``skip_or_raise``)."""
    import os

    from align.formats.output import skip_or_raise

    def flat(row):
        if isinstance(row, dict) and "he" not in row and isinstance(row.get("translation"), dict):
            return {**row, **row["translation"]}
        return row

    rows = [(n, flat(r)) for n, r in rows]
    first = next((r for _, r in rows if isinstance(r, dict)), {})
    kind = "beads" if "he_ids" in first else "pairs" if "he" in first else None
    if kind is None:
        raise InputError(f"{path}: no beads (he_ids, en_ids) or pairs (he, en) found")
    out: list = []
    for number, row in rows:
        try:
            if not isinstance(row, dict):
                raise ValueError(f"a {type(row).__name__}, not an object")
            if kind == "beads":
                out.append((numbers(row.get("he_ids"), "he_ids", "sentence numbers"),
                            numbers(row.get("en_ids"), "en_ids", "sentence numbers")))
            else:
                doc = row.get("doc") or ""
                out.append((os.path.basename(doc if isinstance(doc, str) else str(doc)),
                            normalised(text_field(row, "he")), normalised(text_field(row, "en"))))
        except ValueError as exc:
            skip_or_raise(f"{path}:{number}: not a {kind[:-1]} ({exc})", errors)
    return kind, out
