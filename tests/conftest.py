"""Shared fixtures: paths to test data, one scorer per session, a CLI runner."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tinymodel, for fixtures

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "ynetnews-gallant-trip.txt"
SAMPLE_GOLD = DATA / "ynetnews-gallant-trip.gold.jsonl"
PAGES = DATA / "pages"


@pytest.fixture(autouse=True)
def no_installed_models(tmp_path_factory, monkeypatch):
    """Tests see no model the machine may have installed, unless they install one.

    The working folder is a fresh temp folder too, so ``./models`` is empty.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("ALIGN_MODELS", str(home / "models"))
    # no evidence cache unless a test asks for one (``--cache DIR``): counts of what a
    # run embeds stay what they are, and nothing is written to the user's cache
    monkeypatch.setenv("ALIGN_CACHE", str(home / "cache"))
    monkeypatch.setenv("ALIGN_NO_CACHE", "1")
    monkeypatch.delenv("ALIGN_CACHE_SIZE", raising=False)
    monkeypatch.chdir(home)
    return home / "models"


@pytest.fixture(scope="session")
def scorer():
    """The default scorer (strict standard); its model loads once for the whole run."""
    from align.scoring import get_scorer

    return get_scorer("auto")


@pytest.fixture(scope="session")
def lenient():
    """The default scorer under the lenient standard: a score is the probability that
    two captions translate each other at least in part. The fixture pages' gold pairs
    are the captions that belong together, some of them partial translations by the
    guideline, so tests of finding and pairing captions use this one."""
    from align.scoring import get_scorer
    from align.scoring.standard import builtin

    scorer = get_scorer("auto")
    scorer.standard = builtin("lenient")
    return scorer


def page(*lines: str) -> str:
    """A page of text from lines."""
    return "\n".join(lines) + "\n"


@pytest.fixture
def run_cli():
    """Run ``python -m align ARGS`` in a subprocess; returns the CompletedProcess."""
    def run(*args, stdin: bytes | None = None, cwd=None, env=None):
        env = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
        return subprocess.run([sys.executable, "-m", "align", *map(str, args)], input=stdin,
                              capture_output=True, cwd=cwd, env=env, timeout=300)
    return run


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """Real tiny models (nonsense output), built once: an Argos package (and one in the
    real Argos 1.5 layout), an OPUS-MT folder and an NLLB-style multilingual folder,
    plus an en->he Argos package."""
    import tinymodel

    root = tmp_path_factory.mktemp("tiny")
    paths = {}
    for key, build in {
        "argos": lambda w: tinymodel.argos_package(str(root / "translate-he_en-0_1.argosmodel"), w),
        "argos15": lambda w: tinymodel.argos_package(str(root / "translate-he_en-1_5.argosmodel"), w,
                                                     version="1.5"),
        "argos_en_he": lambda w: tinymodel.argos_package(str(root / "translate-en_he-0_1.argosmodel"),
                                                         w, "en", "he"),
        "opus": lambda w: tinymodel.opus_folder(str(root / "opus-mt-he-en"), w),
        "multi": lambda w: tinymodel.multilingual_folder(str(root / "nllb-tiny"), w),
    }.items():
        work = root / f"work-{key}"
        work.mkdir()
        paths[key] = Path(build(str(work)))
    return paths
