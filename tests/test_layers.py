"""The layers stay layers: the core imports nothing from the edge, and nothing but the terminal and
the command line imports the terminal libraries (DEVELOPERS.md: a pure core)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import decision_trees
from decision_trees import words
from tests.test_phrasebook import keys_used

PACKAGE = Path(decision_trees.__file__).parent
EDGE_LIBRARIES = {"rich", "questionary", "prompt_toolkit", "typer", "click"}
# layer: the package's layers it may import from (itself included)
ALLOWED = {
    "core": {"core", "words"},  # words: the phrasebook, a data file below the core
    "data": {"core", "data", "words"},
    "runs": {"core", "data", "session", "runs", "words"},  # many walks, each through the same Session as walk
    "output": {"core", "data", "runs", "output", "words"},
    "terminal": {"core", "data", "output", "terminal", "session", "walks", "keeping", "words"},
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


def test_a_scripted_walk_runs_no_terminal_code(tmp_path: Path) -> None:
    """Issue 30, 4: the walk's use case is the library's; `terminal/` keeps the prompters and rich.
    A scripted JSON walk, and the library's own call with a draft and a record, load no module of it."""
    import subprocess
    import sys

    code = (
        "import sys; from cli import main; sys.argv = ['decision-trees', 'walk', 'a4', '--answers', 'yes,no,yes,high', "
        "'--now', '2026-11-23T14:30', '--format', 'json', '-q', '--email-draft', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in sys.modules if m.startswith('decision_trees.terminal') or m.split('.')[0] in "
        "('rich', 'questionary', 'prompt_toolkit')], file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "c.eml")],
        capture_output=True, text=True, cwd=PACKAGE.parent, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
    assert (tmp_path / "c.eml").exists()


def _strings(module: Path) -> list[str]:
    """The string constants of a module that are not docstrings: what it may say to a user."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_no_option_of_the_command_line_is_named_in_the_core_the_data_or_the_library() -> None:
    """Issue 30, 5: an error names its input through `option(NAME)`; the command line writes it
    --NAME, a batch line "NAME", the library `NAME`. So the core never says a flag that a library
    user, a batch line or the page does not have (nor one that does not exist)."""
    import typer.main

    from cli import app

    command = typer.main.get_command(app)
    flags = {
        flag
        for sub in getattr(command, "commands", {}).values()
        for param in sub.params
        for flag in param.opts
        if flag.startswith("--")
    }
    assert {"--now", "--answers", "--called-at", "--force"} <= flags
    modules = [*(PACKAGE / "core").glob("*.py"), *(PACKAGE / "data").glob("*.py")]
    modules += [PACKAGE / name for name in ("session.py", "walks.py", "keeping.py")]
    # The phrasebook's sentences that these modules say, as well as their own strings.
    said = {
        module.name: [*_strings(module), *(words.BOOK[group][key] for group, key, _ in keys_used(module))]
        for module in {*modules, *(PACKAGE / "core").rglob("*.py"), *(PACKAGE / "data").rglob("*.py")}
    }
    assert sum(len(texts) for texts in said.values()) > 300  # the phrasebook's are counted
    found = [
        (name, flag, text[:60])
        for name, texts in said.items()
        for text in texts
        for flag in flags
        if re.search(rf"{re.escape(flag)}(?![\w-])", text)
    ]
    assert found == []


def test_an_error_names_its_input_in_each_callers_terms() -> None:
    from decision_trees.core.errors import AnswerError, option

    error = AnswerError(f"{option('called_at')} is after the walk ended", code="late-call")
    assert str(error) == "`called_at` is after the walk ended"  # the library's keyword
    assert error.said(lambda name: "--" + name.replace("_", "-")) == "--called-at is after the walk ended"
    assert error.code == "late-call"


def _import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package's modules it imports, at its top or in a function."""
    modules = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): p for p in PACKAGE.rglob("*.py")}
    modules = {name.removesuffix(".__init__"): path for name, path in modules.items()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def test_no_module_imports_itself_round_a_cycle() -> None:
    """Issue 30, 7: engine -> models -> practice -> engine, and compiled <-> loading, are gone, and
    no other cycle may come back (imports inside functions included)."""
    graph = _import_graph()
    cycles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for target in graph[node]:
                if target == start:
                    cycles.append(" -> ".join([*path, start]))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target]))
    assert cycles == []


def test_the_page_never_asks_what_kind_a_node_is() -> None:
    """Issue 30, 3: the page gets the same table for every node (its words, options and where each
    leads) and draws it; it names no kind of node, so a new kind needs nothing of it."""
    script = (PACKAGE / "output" / "walkthrough.html").read_text(encoding="utf-8").split("<script>", 2)[2]
    for kind in ("question", "action", "outcome"):  # compared with anything, or switched on
        assert not re.search(rf"""[=!]==?\s*["']{kind}["']|["']{kind}["']\s*[=!]==?|case\s+["']{kind}["']""", script)
    assert not re.search(r"\.kind\s*[=!]==?|switch\s*\([^)]*kind", script)


def _kind_checks(source: str, kinds: set[str]) -> list[int]:
    """The lines of `source` that ask what kind a node is: an isinstance or a match against a kind."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance" and len(node.args) == 2:
            named = {getattr(n, "id", getattr(n, "attr", None)) for n in ast.walk(node.args[1])}
            if named & kinds:
                found.append(node.lineno)
        if isinstance(node, ast.MatchClass) and getattr(node.cls, "id", getattr(node.cls, "attr", None)) in kinds:
            found.append(node.lineno)
    return found


def test_nothing_but_a_kinds_own_module_asks_what_kind_a_node_is() -> None:
    """Issue 30, 1: each kind of node is one module of core/kinds/; everything else asks the node
    (its exits, what it asks, its end) and never checks its type, so a new kind is handled
    everywhere by the methods `Kind` names, which mypy checks."""
    from typing import get_args

    from decision_trees.core.models import KINDS, Node

    assert set(KINDS) == set(get_args(Node))
    kinds = {kind.__name__ for kind in KINDS}
    sources = [path for path in PACKAGE.rglob("*.py") if "kinds" not in path.relative_to(PACKAGE).parts]
    sources.append(PACKAGE.parent / "cli.py")
    checks = {str(path): _kind_checks(path.read_text(encoding="utf-8"), kinds) for path in sources}
    assert {path: lines for path, lines in checks.items() if lines} == {}
    # The test can fail: it finds the checks that issue 30 removed.
    assert _kind_checks("if isinstance(node, Outcome): pass\nmatch n:\n    case Question(): pass\n", kinds) == [1, 3]


def test_the_page_formats_no_time_itself() -> None:
    """Issue 30, 3: times reach the page as the core's words (every day's and minute's, and each
    stretch of one UTC offset, `htmlpage.clock_table`); the script only looks them up."""
    script = (PACKAGE / "output" / "walkthrough.html").read_text(encoding="utf-8").split("<script>", 2)[2]
    for formatting in ("Intl.", "DateTimeFormat", "toLocale", "getHours", "getMonth", "getTimezoneOffset", "padStart"):
        assert formatting not in script, formatting


def test_no_module_of_the_package_is_imported_inside_a_function() -> None:
    """Issue 30, 7: imports sit at the top, where the layers and the import graph can be read; only
    a third-party (or standard library) module that start-up would otherwise pay for waits for its
    first use. The package's own modules never do."""
    late = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                own = isinstance(node, ast.ImportFrom) and (
                    node.level or (node.module or "").startswith("decision_trees")
                )
                own = own or (isinstance(node, ast.Import) and node.names[0].name.startswith("decision_trees"))
                if own:
                    late.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert late == []
