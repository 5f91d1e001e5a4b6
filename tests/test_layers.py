"""The layers stay layers: the core imports nothing from the edge, and nothing but the terminal and
the command line imports the terminal libraries (DEVELOPERS.md: a pure core)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import decision_trees

PACKAGE = Path(decision_trees.__file__).parent
EDGE_LIBRARIES = {"rich", "questionary", "prompt_toolkit", "typer", "click"}
# layer: the package's layers it may import from (itself included)
ALLOWED = {
    "core": {"core"},
    "data": {"core", "data"},
    "runs": {"core", "data", "session", "runs"},  # many walks, each through the same Session as walk
    "output": {"core", "data", "runs", "output"},
    "terminal": {"core", "data", "output", "terminal", "session"},
}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_it_may(layer: str) -> None:
    modules = sorted((PACKAGE / layer).glob("*.py"))
    assert modules
    for module in modules:
        for name in imports(module):
            parts = name.split(".")
            if parts[0] == "decision_trees" and len(parts) > 1:
                assert parts[1] in ALLOWED[layer], (module.name, name)
            if layer in ("core", "data"):
                assert parts[0] not in EDGE_LIBRARIES, (module.name, name)


def test_the_core_does_no_io() -> None:
    import re

    for module in sorted((PACKAGE / "core").glob("*.py")):
        source = module.read_text(encoding="utf-8")
        for call in (
            r"(?<![\w.])open\(",
            r"\.read_text\(",
            r"\.write_text\(",
            r"\.read_bytes\(",
            r"(?<![\w.])print\(",
            r"sys\.std",
        ):
            assert re.search(call, source) is None, (module.name, call)


def test_the_session_draws_nothing() -> None:
    """The library API decides; renderers sit above it (issue 20: layers that only point down)."""
    found = imports(PACKAGE / "session.py")
    assert not {n for n in found if n.split(".")[:2] in (["decision_trees", "output"], ["decision_trees", "terminal"])}
    assert not {n for n in found if n.split(".")[0] in EDGE_LIBRARIES}


def test_no_function_is_over_80_lines() -> None:
    """Issue 20's budget: a function that long does several things; give each its own."""
    long = []
    for module in [*sorted(PACKAGE.rglob("*.py")), PACKAGE.parent / "cli.py"]:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    long.append(f"{module.name}:{node.lineno} {node.name} ({length} lines)")
    assert long == []
