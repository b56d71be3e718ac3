"""Scoring alignments against gold: beads (strict and lax) and caption pairs."""
from __future__ import annotations

import json
import re

from align.errors import InputError

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
    """Precision/recall/F1 of caption pairs ``(doc, he, en)``; ``doc`` compared by file name."""
    g, p = set(gold), set(pred)
    tp = len(g & p)
    return {"pairs": _prf(tp, len(p), tp, len(g)), "gold_pairs": len(g), "pred_pairs": len(p)}


def read_alignment(path: str):
    """``("beads", [(he_ids, en_ids), ...])`` from JSONL beads or Vecalign lines, or
    ``("pairs", [(doc, he, en), ...])`` from JSONL caption pairs."""
    import os

    if path.lower().endswith(".parquet") or os.path.isdir(path):  # -f parquet, -f hf
        from align.formats.parquet import hf_shards, read_bead_rows

        files = hf_shards(path) if os.path.isdir(path) else [path]
        rows = [row for f in files for row in read_bead_rows(f)]
        return _rows_alignment(rows, path)
    from align.formats.output import read_text

    lines = [line for line in read_text(path).split("\n") if line.strip()]
    if lines and _VECALIGN.match(lines[0]):
        beads = []
        for number, line in enumerate(lines, start=1):
            m = _VECALIGN.match(line)
            if not m:
                raise InputError(f"{path}:{number}: not a Vecalign line like [0]:[0,1]:0.5")
            beads.append(tuple(tuple(int(x) for x in s.split(",") if x.strip()) for s in m.groups()[:2]))
        return "beads", beads
    rows = []
    for number, line in enumerate(lines, start=1):
        try:
            rows.append(json.loads(line))
        except ValueError:
            raise InputError(f"{path}:{number}: neither JSON nor a Vecalign line") from None
    return _rows_alignment(rows, path)


def _rows_alignment(rows: list[dict], path: str):
    """Beads or pairs from rows read as dicts (JSONL lines, Parquet rows)."""
    import os

    if rows and "he" not in rows[0] and isinstance(rows[0].get("translation"), dict):
        rows = [{**r, **r["translation"]} for r in rows]
    if rows and "he_ids" in rows[0]:
        return "beads", [(tuple(r["he_ids"]), tuple(r["en_ids"])) for r in rows]
    if rows and "he" in rows[0]:
        return "pairs", [(os.path.basename(r.get("doc", "")), r["he"].strip(), r["en"].strip()) for r in rows]
    raise InputError(f"{path}: no beads (he_ids, en_ids) or pairs (he, en) found")
