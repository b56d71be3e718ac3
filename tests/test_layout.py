"""The house: packages by stage, no import cycles (function-level imports included),
and no module past ~400 lines without a reason written at its top."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "align"
LIMIT = 400
# A long module must say why it is one room, in its docstring, with these words.
REASON = "One room"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every align module ``path`` imports, at any depth of the code."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for target in [base] + [f"{base}.{a.name}" for a in node.names]:
                if target in modules and target != name:
                    found.add(target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules and a.name != name}
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(_modules()))
def test_a_long_module_says_why_it_is_one_room(name):
    path = _modules()[name]
    lines = path.read_text("utf-8").count("\n")
    if lines > LIMIT:
        doc = ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""
        assert REASON in doc, f"{path}: {lines} lines and no '{REASON}: ...' reason in its docstring"


def test_records_do_no_io():
    """The records layer imports nothing of align but itself, and no I/O module."""
    graph = import_graph()
    assert graph["align.records"] <= {"align"}
    source = (PACKAGE / "records.py").read_text("utf-8")
    for module in ("open(", "import os", "import sys", "import json"):
        assert module not in source


# What each room may import (docs/DESIGN.md). A room not listed may import any room
# listed before it in PIPELINE order.
ALLOWED = {
    "align.records": set(),
    "align.errors": set(),
    "align.text": {"align.errors"},
    "align.inputs": {"align.records", "align.errors", "align.text", "align.files", "align.encoding",
                     "align.compressed"},
    "align.detection": {"align.records", "align.errors", "align.text"},
    "align.mt": {"align.errors", "align.text"},
    "align.files": {"align.errors", "align.compressed"},
    "align.compressed": {"align.errors"},
    "align.owned": {"align.errors", "align.compressed"},
    "align.encoding": {"align.errors", "align.files"},
    "align.scoring": {"align.errors", "align.text", "align.mt", "align.records", "align.files"},
    "align.linking": {"align.records", "align.errors", "align.text", "align.scoring", "align.detection"},
    "align.formats": {"align.records", "align.errors", "align.files", "align.owned", "align.encoding",
                      "align.compressed"},
}


def _room(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_each_room_imports_only_what_it_may(room):
    graph = import_graph()
    used = {_room(t) for m, targets in graph.items() if _room(m) == room for t in targets}
    used -= {room, "align"}
    assert used <= ALLOWED[room], f"{room} imports {sorted(used - ALLOWED[room])}"


def test_nothing_imports_the_command_line():
    graph = import_graph()
    users = {m for m, targets in graph.items() if not m.startswith("align.cli") and m != "align.__main__"
             and any(t.startswith("align.cli") for t in targets)}
    assert users == set()
