"""The models of this process: one scorer per ``Settings``, built on first use and kept.

The command line, the Python API and every worker process get their scorer here, so a
model loads once per process and settings; a reviewer's standard (``--calibration``)
is attached here and checked against the id the run started with."""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Settings:
    """What decides the pairs of a run; sent to every worker, and kept in the manifest.

    ``task`` is ``captions`` (``scorer``, ``threshold``) or ``documents`` (sentence
    alignment of Hebrew/English file pairs: ``presplit``, ``beads``).
    """

    scorer: str = "auto"
    threshold: float = 0.5
    models: str | None = None
    task: str = "captions"
    presplit: bool = False
    beads: str = "merges"
    calibration: str | None = None  # a reviewer's standard (align calibrate's CAL.json)
    calibrated: str | None = None   # its id, checked where it is loaded (a worker, a resume)
    standard: str | None = None     # strict or lenient (None: the calibration's, else strict)
    beam: int = 2                   # the translation model's beam size, when one is installed
    compute_type: str = "int8"      # ... and its arithmetic on the CPU


# One scorer per process and settings: built on a worker's first chunk, kept after.
_SCORERS: dict[Settings, Any] = {}


COUNTS = {"scorers": 0, "chunks": 0}  # in this process; tests check one model per worker


_LOCK = threading.Lock()  # a Dask worker with several threads runs one chunk at a time


def scorer_for(settings: Settings, fresh: bool = False):
    """The scorer of ``settings`` in this process (its model loads on first use).

    ``fresh`` builds it anew, as a command does at the start of a run, so that a
    translation model installed since an earlier run in this process is seen.
    """
    from align.scoring import get_scorer

    if fresh or settings not in _SCORERS:
        _SCORERS[settings] = get_scorer(settings.scorer, settings.models,
                                        {"beam_size": settings.beam, "compute_type": settings.compute_type})
        COUNTS["scorers"] += 1
    scorer = _SCORERS[settings]
    from align.detection import keep_verdicts_in
    from align.runs.cache import shared

    keep_verdicts_in(shared())
    for user in (getattr(scorer, "embedder", None), getattr(scorer, "translator", None)):
        if user is not None and hasattr(user, "store"):
            user.store = shared()  # as the environment says now (a command may have changed it)
    if settings.calibration:  # read each time (a small file): a notebook may calibrate again
        scorer.standard = load_standard(settings.calibration, scorer, settings.calibrated, settings.standard)
    else:
        from align.scoring.standard import builtin

        scorer.standard = builtin(settings.standard or "strict")
    return scorer


def start_scorer(settings: Settings) -> tuple[Settings, Any]:
    """At the start of a command: the scorer of ``settings`` built anew (a model
    installed since is seen), and the settings with the id of its standard filled in,
    so that workers and a resumed run use that very standard."""
    scorer = scorer_for(settings, fresh=True)
    if settings.calibration:
        settings = replace(settings, calibrated=scorer.standard.id)
        _SCORERS[settings] = scorer
    return settings, scorer


def load_standard(path: str, scorer, expected: str | None = None, name: str | None = None):
    """The reviewer's standard in ``path`` for ``scorer`` (``CalibrationError`` when it
    does not fit); ``expected``: the id it had when the run started; ``name``: the
    standard asked for (strict or lenient), which must be the one the file holds."""
    from align.errors import CalibrationError
    from align.scoring.standard import load

    standard = load(path, getattr(scorer, "layout_key", scorer.name))
    if expected is not None and standard.id != expected:
        raise CalibrationError(f"{path}: changed since the run started (id {standard.id}, was "
                               f"{expected}); run the command again")
    if name is not None and standard.name != name:
        raise CalibrationError(f"{path} holds a {standard.name} standard, not a {name} one; leave out "
                               f"--standard {name}, or calibrate with --standard {name}")
    return standard


def document_tools(settings: Settings, fresh: bool = False):
    """The calibrated scorer of this process for sentence alignment, with the sentence
    embedder and (if a he->en model is installed) the translator inside it: returns
    ``(scorer, embedder, translator)``; ``fresh`` as for ``scorer_for``."""

    scorer = scorer_for(settings, fresh)
    return scorer, scorer.embedder, scorer.translator
