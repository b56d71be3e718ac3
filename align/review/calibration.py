"""Learn a reviewer's standard from their labels: what ``align calibrate`` does.

Labels are JSONL rows ``{"he", "en", "label": "T"|"P"|"D"}``, with ``doc`` (or
``pages``, a list) naming the page a pair came from and, optionally, its ``image``:
the export of a review report, or a gold file. Each labelled pair is found in its page
when the pages are given, so its evidence is what ``align captions`` computes there
(page context, the image alone); a pair that is not found, or whose pages are not
given, is judged as a lone pair, as ``align check`` judges a corpus row. A standard is
then fitted with the built-in one as its prior (``align.scoring.standard``), and
leave-one-document-out figures on the labels themselves say what it changes.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from align.errors import AlignError, CalibrationError, unforeseen
from align.scoring.standard import FEATURES, NAMES, Standard, builtin, fit, positive
from align.text import clean

LABELS = ("T", "P", "D")
_LONG_LABELS = {"translation": "T", "partial": "P", "different": "D"}
MIN_LABELS = 20      # fewer decisions than this cannot move a standard, only shake it
MIN_PER_SIDE = 5     # translations and non-translations each
FOLDS = 5            # cross-validation folds when the labels name a single document
EVIDENCE = (*FEATURES, "layout")
WORSE_BY = 0.005     # a fitted standard ranking held-out labels worse than this is not written


@dataclass
class Label:
    """One reviewed pair: its texts (cleaned), T/P/D, the pages it is on, its image,
    and where it was read (``source``:``line``)."""

    he: str
    en: str
    label: str
    docs: list[str]
    image: str | None
    source: str
    line: int
    evidence: dict[str, float] = field(default_factory=dict)
    found: bool = False

    @property
    def doc(self) -> str:
        """The document it is held out with (its first page, or its labels file)."""
        return self.docs[0] if self.docs else self.source

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


def _label_of(value, where: str) -> str:
    if isinstance(value, str):
        text = value.strip()
        if text.upper() in LABELS:
            return text.upper()
        if text.lower() in _LONG_LABELS:
            return _LONG_LABELS[text.lower()]
    raise CalibrationError(f"{where}: label must be T, P or D (translation, partial, different), "
                           f"not {value!r}")


def _text_of(row: dict, side: str, where: str) -> str:
    value = row.get(side)
    if not isinstance(value, str) or not clean(value):
        raise CalibrationError(f"{where}: \"{side}\" must be a non-empty string")
    return clean(value)


def _docs_of(row: dict, where: str) -> list[str]:
    docs = row.get("pages", row.get("doc"))
    if docs is None:
        return []
    docs = [docs] if isinstance(docs, str) else docs
    if not isinstance(docs, list) or not all(isinstance(d, str) for d in docs):
        raise CalibrationError(f"{where}: \"doc\" must be a path, \"pages\" a list of paths")
    return docs


def read_labels(paths: Sequence[str], warn: Callable[[str], None] | None = None) -> list[Label]:
    """Every label of ``paths`` in order; a pair labelled twice (same page and texts:
    one caption pair on two images, or a file given twice) is one label, its last, and
    ``warn`` says how many rows were merged and names those whose labels disagree.
    Raises ``CalibrationError`` naming the file and line of a row that cannot be read."""
    found: dict[tuple[str, str, str], Label] = {}
    merged: list[tuple[Label, Label]] = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as fh:
                lines = list(fh)
        except FileNotFoundError:
            raise CalibrationError(f"{path}: no such labels file") from None
        except IsADirectoryError:
            raise CalibrationError(f"{path} is a folder; give a labels .jsonl file") from None
        except UnicodeDecodeError:
            from align.files import utf16_problem

            with open(path, "rb") as raw:
                utf16 = utf16_problem(raw.read(512), path)
            raise CalibrationError(utf16 or f"{path}: not UTF-8 text; labels are JSONL in UTF-8") from None
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(text)
            except json.JSONDecodeError as exc:
                raise CalibrationError(f"{where}: not a JSON object ({exc.msg}); each line must be "
                                       '{"he": ..., "en": ..., "label": "T"|"P"|"D"}') from None
            if not isinstance(row, dict):
                raise CalibrationError(f"{where}: not a JSON object; each line must be "
                                       '{"he": ..., "en": ..., "label": "T"|"P"|"D"}')
            label = Label(_text_of(row, "he", where), _text_of(row, "en", where),
                          _label_of(row.get("label"), where), _docs_of(row, where),
                          row.get("image") if isinstance(row.get("image"), str) else None, path, number)
            key = (label.doc, label.he, label.en)
            if key in found:
                merged.append((found.pop(key), label))  # the last label, at its place
            found[key] = label
    if merged and warn is not None:
        differ = [(a, b) for a, b in merged if a.label != b.label]
        shown = "; ".join(f"{a.where} {a.label} and {b.where} {b.label} ({b.he[:30]} | {b.en[:30]})"
                          for a, b in differ[:3]) + ("; ..." if len(differ) > 3 else "")
        warn(f"{len(merged)} label row{'s' if len(merged) > 1 else ''} repeat a pair labelled before (same page "
             f"and texts) and count once: {len(found)} labels from {len(found) + len(merged)} rows"
             + (f"; {len(differ)} of them disagree and the last is kept: {shown}" if differ else ""))
    return list(found.values())


def is_labels_file(path: str) -> bool:
    """Whether ``path`` is read as labels rather than as pages: a ``.jsonl`` file whose
    first row is not a page record (JSONL pages hold ``text`` or ``html``)."""
    if not path.endswith(".jsonl") or not os.path.isfile(path):
        return False
    try:
        with open(path, encoding="utf-8") as fh:
            for text in fh:
                if text.strip():
                    row = json.loads(text)
                    return not (isinstance(row, dict) and ("text" in row or "html" in row))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return True  # read as labels, which names the line that cannot be read
    return True


def _row(ev: dict[str, np.ndarray], i: int, j: int) -> dict[str, float]:
    return {name: float(ev[name][i, j]) for name in EVIDENCE}


def page_cells(scorer, pages: Iterable[str], warn: Callable[[str], None],
               encoding: str | None = None) -> dict[str, dict]:
    """The evidence of every candidate pair of every page, as ``align captions``
    computes it: ``{doc: {(he, en): evidence row}}``. A page that cannot be read is
    named through ``warn`` and left out."""
    from align.detection import detect
    from align.inputs.sources import iter_items, load
    from align.linking.captions import candidates, evidence, scopes
    from align.scoring.logodds import calibration

    weight = calibration()["layout"].get(getattr(scorer, "layout_key", scorer.name), 0.0)
    cells: dict[str, dict] = {}
    for item in iter_items(list(pages), encoding=encoding):
        try:
            document = load(item)
            page: dict[tuple[str, str], dict[str, float]] = {}
            for he, en in scopes(*candidates(detect(document))):
                if not he or not en:
                    continue
                ev = evidence(scorer, he, en, weight)
                for i, h in enumerate(he):
                    for j, e in enumerate(en):
                        page.setdefault((h.text, e.text), _row(ev, i, j))
        except AlignError as exc:
            warn(f"{exc}; its labels are judged as lone pairs")
            continue
        except Exception as exc:  # noqa: BLE001 - one page, its own error
            warn(f"{unforeseen(item.where or item.doc, exc)}; its labels are judged as lone pairs")
            continue
        found = cells.setdefault(document.doc, {})
        for key, row in page.items():
            found.setdefault(key, row)
    return cells


def _page_of(docs: Sequence[str], cells: dict[str, dict]) -> list[dict]:
    """The pages among ``cells`` that a label's ``docs`` name (by path, then file name)."""
    names = {os.path.basename(d): d for d in cells}
    out = []
    for doc in docs:
        if doc in cells:
            out.append(cells[doc])
        elif os.path.basename(doc) in names:
            out.append(cells[names[os.path.basename(doc)]])
    return out


def attach_evidence(labels: list[Label], scorer, pages: Sequence[str],
                    warn: Callable[[str], None], encoding: str | None = None) -> None:
    """Give every label its evidence: found in its page when ``pages`` holds it (or in
    any page when the label names none), else judged as a lone pair; labels not
    found in the pages given are named through ``warn``."""
    cells = page_cells(scorer, pages, warn, encoding) if pages else {}
    alone = []
    for label in labels:
        for page in (_page_of(label.docs, cells) if label.docs else list(cells.values())):
            if (label.he, label.en) in page:
                label.evidence, label.found = page[(label.he, label.en)], True
                break
        else:
            alone.append(label)
    if pages and alone:
        shown = "; ".join(f"{lab.where} {lab.he[:30]} | {lab.en[:40]}" for lab in alone[:5])
        more = f" and {len(alone) - 5} more" if len(alone) > 5 else ""
        warn(f"{len(alone)} of {len(labels)} labels were not found in the pages given, so they are "
             f"judged as lone pairs: {shown}{more}")
    if alone:
        ev = scorer.pair_evidence([lab.he for lab in alone], [lab.en for lab in alone])
        for k, label in enumerate(alone):
            label.evidence = {name: float(ev[name][k]) for name in EVIDENCE}


def check_enough(labels: Sequence[Label], name: str, source: str) -> None:
    """Refuse labels a standard cannot be learnt from, in one line."""
    if len(labels) < MIN_LABELS:
        raise CalibrationError(f"{source}: {len(labels)} labels; calibrate needs at least {MIN_LABELS} "
                               f"(with {MIN_PER_SIDE} translations and {MIN_PER_SIDE} others); "
                               "label more pairs in the report")
    yes = sum(positive(lab.label, name) for lab in labels)
    kinds = sorted({lab.label for lab in labels})
    if yes == 0 or yes == len(labels):
        raise CalibrationError(f"{source}: every label is {'/'.join(kinds)}, one class under the {name} "
                               "standard; a standard needs translations and others to tell apart")
    if min(yes, len(labels) - yes) < MIN_PER_SIDE:
        raise CalibrationError(f"{source}: {yes} translations and {len(labels) - yes} others under the "
                               f"{name} standard; calibrate needs at least {MIN_PER_SIDE} of each")


def scores(standard: Standard, labels: Sequence[Label]) -> np.ndarray:
    """Each label's score under ``standard`` (k,)."""
    return standard.apply({name: np.array([lab.evidence[name] for lab in labels]) for name in EVIDENCE})


def fit_labels(labels: Sequence[Label], prior: Standard, scorer_name: str) -> Standard:
    """A standard fitted to ``labels`` (their evidence attached), ``prior`` its start."""
    return fit([lab.evidence for lab in labels], [lab.label for lab in labels], prior, scorer_name)


def folds(labels: Sequence[Label]) -> tuple[str, list[np.ndarray]]:
    """How labels are held out: by document when they name two or more, else in
    ``FOLDS`` folds by row. Returns a description and a boolean mask per fold."""
    docs = [lab.doc for lab in labels]
    names = sorted(set(docs))
    if len(names) >= 2:
        return "leave-one-document-out", [np.array([d == name for d in docs]) for name in names]
    index = np.arange(len(labels))
    return (f"{FOLDS}-fold by row (the labels name one document)",
            [index % FOLDS == k for k in range(FOLDS)])


@dataclass
class Figures:
    """Precision and recall of translations on held-out labels, and how well the scores
    rank them (AUC), before (the built-in standard) and after (a standard fitted on the
    other folds)."""

    method: str
    rows: list[dict]   # per fold: name, labels, and before/after counts
    ranks: dict = field(default_factory=dict)  # before/after: AUC of the held-out scores, pooled
    written: dict = field(default_factory=dict)  # the standard written, on all labels (the built-in's: "before")

    def pooled(self, when: str) -> dict:
        keys = ("emitted", "correct", "positives")
        total = {k: sum(r[when][k] for r in self.rows) for k in keys}
        return _prf(total)

    @property
    def worse(self) -> str | None:
        """Why the fitted standard is worse than the built-in one on the held-out labels,
        or None: it ranks them worse (AUC), or it has lower F1 at the threshold."""
        before, after = self.ranks.get("before"), self.ranks.get("after")
        if before is not None and after is not None and after < before - WORSE_BY:
            return f"it ranks the held-out labels worse (AUC {after:.3f} against {before:.3f} built in)"
        b, a = self.pooled("before"), self.pooled("after")
        if a["f1"] < b["f1"] - WORSE_BY:
            return f"its held-out F1 is lower ({a['f1']:.3f} against {b['f1']:.3f} built in)"
        return None


def _prf(c: dict) -> dict:
    p = c["correct"] / c["emitted"] if c["emitted"] else 1.0
    r = c["correct"] / c["positives"] if c["positives"] else 1.0
    return {**c, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def _counts(score: np.ndarray, truth: np.ndarray, threshold: float) -> dict:
    emitted = score >= threshold
    return _prf({"emitted": int(emitted.sum()), "correct": int((emitted & truth).sum()),
                 "positives": int(truth.sum())})


def auc(score: np.ndarray, truth: np.ndarray) -> float | None:
    """The share of (translation, other) pairs the scores put in the right order (ties
    half), or None without both."""
    pos, neg = score[truth], score[~truth]
    if not len(pos) or not len(neg):
        return None
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def held_out(labels: Sequence[Label], name: str, scorer_name: str, threshold: float) -> Figures:
    """Held-out figures on the labels themselves (see ``folds``): the built-in standard
    ``name`` before, a standard fitted on the other folds after."""
    method, masks = folds(labels)
    truth = np.array([positive(lab.label, name) for lab in labels])
    prior = builtin(name)
    rows: list[dict] = []
    pooled = {"before": np.zeros(len(labels)), "after": np.zeros(len(labels))}
    for mask in masks:
        test = [lab for lab, m in zip(labels, mask) if m]
        train = [lab for lab, m in zip(labels, mask) if not m]
        fold_name = test[0].doc if method.startswith("leave") else f"fold {len(rows) + 1}"
        before = scores(prior, test)
        train_truth = truth[~mask]
        if train_truth.all() or not train_truth.any():
            after = before  # nothing to learn from the others: the built-in stands
        else:
            after = scores(fit_labels(train, prior, scorer_name), test)
        pooled["before"][mask], pooled["after"][mask] = before, after
        rows.append({"name": fold_name, "labels": int(mask.sum()),
                     "before": _counts(before, truth[mask], threshold),
                     "after": _counts(after, truth[mask], threshold)})
    return Figures(method, rows, {when: auc(v, truth) for when, v in pooled.items()})


def format_figures(figures: Figures, name: str, threshold: float) -> str:
    """The held-out table for people."""
    lines = [f"held out ({figures.method}); {name} standard: a translation is "
             f"{'T' if name == 'strict' else 'T or P'}, threshold {threshold}:",
             f"  {'document':40s} {'labels':>6s}   before P / R      after P / R"]
    for r in figures.rows + [{"name": "all", "labels": sum(x["labels"] for x in figures.rows),
                              "before": figures.pooled("before"), "after": figures.pooled("after")}]:
        b, a = r["before"], r["after"]
        lines.append(f"  {os.path.basename(r['name'])[:40]:40s} {r['labels']:6d}   "
                     f"{b['precision']:.3f} / {b['recall']:.3f}    {a['precision']:.3f} / {a['recall']:.3f}")
    before, after = figures.ranks.get("before"), figures.ranks.get("after")
    if before is not None and after is not None:
        lines.append(f"  ranking (AUC), all held out: before {before:.3f}, after {after:.3f}")
    if figures.written:  # every label is held out once, so the built-in's own figures are the "all" row's before
        b, a = figures.pooled("before"), figures.written
        lines.append(f"the standard as written, on all {a['labels']} labels (seen in fitting, so not a promise): "
                     f"P / R {b['precision']:.3f} / {b['recall']:.3f} built in, "
                     f"{a['precision']:.3f} / {a['recall']:.3f} written")
    return "\n".join(lines)


def calibrate(label_paths: Sequence[str], pages: Sequence[str], scorer, name: str = "strict",
              threshold: float = 0.5, warn: Callable[[str], None] = lambda message: None,
              encoding: str | None = None) -> tuple[Standard, Figures, list[Label]]:
    """Read labels, find them in ``pages``, check there are enough, fit a standard on
    all of them (the built-in standard ``name``, strict or lenient, as its prior) and
    measure it held out. ``scorer``: a calibrated scorer with a built-in standard (its
    evidence is what the standard weighs)."""
    if name not in NAMES:
        raise CalibrationError(f"--standard must be one of {', '.join(NAMES)}, not {name!r}")
    if not scorer.standard.is_builtin:
        raise CalibrationError("calibrate needs the scorer's built-in standard, not a calibration")
    labels = read_labels(label_paths, warn)
    check_enough(labels, name, ", ".join(label_paths))
    if not pages:
        warn("no pages given: every label is judged as a lone pair (as align check judges a row); "
             "give the pages the labels came from to fit the page and image evidence as captions sees it")
    attach_evidence(labels, scorer, pages, warn, encoding)
    scorer_name = getattr(scorer, "layout_key", scorer.name)
    figures = held_out(labels, name, scorer_name, threshold)
    standard = fit_labels(labels, builtin(name), scorer_name)
    truth = np.array([positive(lab.label, name) for lab in labels])
    figures.written = {**_counts(scores(standard, labels), truth, threshold), "labels": len(labels)}
    return standard, figures, labels
