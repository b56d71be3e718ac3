"""Shared fixtures: paths to test data, one scorer per session, a CLI runner."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "ynetnews-gallant-trip.txt"
SAMPLE_GOLD = DATA / "ynetnews-gallant-trip.gold.jsonl"
PAGES = DATA / "pages"


@pytest.fixture(scope="session")
def scorer():
    """The default scorer; its model loads once for the whole run."""
    from align.scoring import get_scorer

    return get_scorer("auto")


def page(*lines: str) -> str:
    """A page of text from lines."""
    return "\n".join(lines) + "\n"


@pytest.fixture
def run_cli():
    """Run ``python -m align ARGS`` in a subprocess; returns the CompletedProcess."""
    def run(*args, stdin: bytes | None = None, cwd=None):
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        return subprocess.run([sys.executable, "-m", "align", *map(str, args)], input=stdin,
                              capture_output=True, cwd=cwd, env=env, timeout=300)
    return run
