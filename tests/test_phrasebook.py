"""Issue 30, 6: every sentence the tool says is a template in the phrasebook (`words/en-GB.json`),
not a string in Python: the summaries, the terminal's walk, the reports of the other commands, the
errors, warnings and notes. A second language, or a partnership's own wording, is then a file."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import msgspec
import pytest

import decision_trees
from decision_trees import words
from decision_trees.data.wording import Phrasebook

PACKAGE = Path(decision_trees.__file__).parent
ROOT = PACKAGE.parent
SOURCES = sorted([*PACKAGE.rglob("*.py"), ROOT / "cli.py"])

# Strings that are not the tool's sentences, by module, with why. Each must still be in its module
# (a stale entry fails below), so the list cannot quietly grow past what it excuses.
NOT_SENTENCES = {
    # Python's own message for a missing attribute of the package (the lazy `__getattr__`).
    "__init__.py": ["module {} has no attribute {}"],
    # A comment-like constant: the shape of a tuple, for the reader of the code.
    "core/engine.py": ["(from node, to node, the exit's label"],
    # Unicode's names for two characters that have none, in a character's description (U+000D).
    "core/text.py": ["CARRIAGE RETURN", "control character"],
    # Matched against the text of msgspec's errors, to say them better.
    "data/yamlfile.py": ["matching regex", "got `bool`", "got `float`", "got `int`", "unknown field"],
    "data/validation.py": ["(node id or None for the flow's top level"],  # a type's shape, for the reader
    # Diagram syntax and calendar identifiers, not words.
    "output/diagram.py": ["classDef", "digraph", "fontname", "class {}", "linkStyle", "color=", "flowchart TD"],
    "output/drafts.py": ["-//decision-trees//"],
    "output/shapes.py": ["decision-trees {} output", "decision-trees {} file"],
    # Rich's styles.
    "terminal/interactive.py": ["dim italic"],
    "terminal/render.py": ["bold red"],
}
# Names whose values are not sentences said to a user, with why:
NOT_SENTENCES_NAMED = {
    # The rule catalogues: each rule's definition, beside its code, mirrored by docs/authoring.md's
    # table and the hazard log (tests compare them); a new kind of node brings its own rules.
    "RULES",
    "INVARIANTS",
    "rules",
    "TOOLS_OWN",  # matched in a flow file's citation: "(this tool’s advice)"
    "FORCE_HELP",  # the command line's help, for Typer
}
# The program's name before a line it says: `decision-trees: ...`, `decision-trees walk ...`.
_PROGRAM = re.compile(r"decision-trees(: (error: )?| walk | )(\{\})*\n?")
_REGEX = re.compile(r"\\[dswb]|\(\?|^\^|\$$|%[a-zA-Z]")


def _strings(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    """Every string literal that is not a docstring, an annotation or part of an f-string."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))
        if isinstance(node, ast.JoinedStr):
            skip |= {id(part) for part in ast.walk(node) if part is not node}
        if isinstance(node, (ast.FunctionDef, ast.AnnAssign, ast.arg)) and getattr(node, "returns", None):
            skip.add(id(node.returns))  # type: ignore[union-attr]
        if isinstance(node, (ast.AnnAssign, ast.arg)) and node.annotation is not None:
            skip |= {id(part) for part in ast.walk(node.annotation)}
        if isinstance(node, ast.keyword) and node.arg in ("help", "description", "pattern"):
            skip.add(id(node.value))  # the command line's help, for Typer; a schema's description
        if isinstance(node, ast.Compare):  # matched against text, not said
            skip |= {id(part) for part in [node.left, *node.comparators]}
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "replace":
            skip |= {id(node.args[0])} if node.args else set()
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id in NOT_SENTENCES_NAMED for t in targets):
            skip |= {id(part) for part in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node, node.value))
        elif isinstance(node, ast.JoinedStr):
            found.append((node, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)))
    return found


def sentences(source: str) -> list[str]:
    """The strings of a module that read as words of the tool: two words or more, not a pattern."""
    found = []
    for _, text in _strings(ast.parse(source)):
        bare = re.sub(r"\{\}", " ", text)
        if _PROGRAM.fullmatch(text) or _REGEX.search(text) or not re.search(r"\s", text.strip()):
            continue
        if len(re.findall(r"[A-Za-z]{2,}", bare)) >= 2:
            found.append(text)
    return found


def _excused(name: str, text: str) -> bool:
    return any(part in text for part in NOT_SENTENCES.get(name, []))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix() if path.is_relative_to(PACKAGE) else path.name


def test_no_sentence_of_the_tool_is_written_in_python() -> None:
    found = {
        _name(path): [t for t in sentences(path.read_text(encoding="utf-8")) if not _excused(_name(path), t)]
        for path in SOURCES
    }
    assert {name: texts for name, texts in found.items() if texts} == {}


def test_the_sentence_finder_can_fail_and_its_excuses_are_not_stale() -> None:
    source = 'def f(x):\n    raise ValueError(f"no flow called {x}; choose another")\n'
    assert sentences(source) == ["no flow called {}; choose another"]
    assert sentences('"""A docstring says things."""\nPATTERN = r"^(?P<a>\\d+) b"\nx = "word"\n') == []
    for name, parts in NOT_SENTENCES.items():
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        texts += [text for node, text in _strings(tree) if isinstance(node, ast.JoinedStr)]
        assert all(any(part in text for text in texts) for part in parts), name


def keys_used(path: Path) -> list[tuple[str, str, int]]:
    """(group, key, line) for each `ALIAS["key"]` of a phrasebook group a module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    alias: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "decision_trees.words":
            for name in node.names:
                if name.name.isupper():
                    alias[name.asname or name.name] = name.name.lower()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Constant):
            continue
        target = node.value
        group = None
        if isinstance(target, ast.Name) and target.id in alias:
            group = alias[target.id]
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "words":
            group = target.attr.lower()  # words.MESSAGES, in cli.py
        if group in words.IN_FORCE and isinstance(node.slice.value, str):
            found.append((group, node.slice.value, node.lineno))
    return found


def test_every_sentence_the_code_names_is_in_the_phrasebook() -> None:
    used = [(path.name, group, key, line) for path in SOURCES for group, key, line in keys_used(path)]
    assert len(used) > 400  # the finder finds them
    missing = [u for u in used if u[2] not in words.BOOK[u[1]]]
    assert missing == []


class _Filler:
    """Stands for any value: a number, a date (`{day:%d %b %Y}`), a name."""

    def __format__(self, spec: str) -> str:
        return "x"


def test_the_bundled_phrasebook_has_every_group_and_well_formed_templates() -> None:
    book = msgspec.json.decode(words.BUNDLED.read_bytes(), type=Phrasebook)  # no group missing, none unknown
    assert set(words.GROUPS) <= set(msgspec.structs.asdict(book))
    for group in words.GROUPS:
        for key, template in words.BOOK[group].items():
            assert all(name.isidentifier() for name in words.fields(template)), (group, key)
            template.format(**dict.fromkeys(words.fields(template), _Filler()))  # every field can be filled


def test_a_partnership_template_may_not_reach_into_the_tools_objects() -> None:
    """`{said.__class__}` would print the tool's internals; `{said[0]}` likewise. Only plain names."""

    class Wording:
        disclaimer = None

    wording = Wording()
    for group in words.GROUPS:
        setattr(wording, group, {})
    wording.messages = {  # type: ignore[attr-defined]
        "wording_brace": "{said.__class__}",
        "stream_closed": "{name} is shut {",
        "wording_no_fields": "nothing",
    }
    found = words.problems(wording)
    assert len(found) == 2 and "messages.wording_brace must fill in the same fields" in found[0]
    assert "messages.stream_closed has a brace out of place" in found[1]


@pytest.mark.parametrize("group", ["messages", "reports"])
def test_a_partnerships_wording_reaches_errors_and_reports(group: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli import app

    flows = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", flows)
    entries = {
        "messages": {"no_flow_called_choose_one": "flow {name!r} is unknown here; pick one of: {names}"},
        "reports": {"contact_need_checking": "{found_count} number(s) to check again"},
    }[group]
    (flows / "phrasebook.json").write_text(json.dumps({group: entries}), encoding="utf-8")
    runner = CliRunner()
    try:
        if group == "messages":
            result = runner.invoke(app, ["walk", "no-such-flow", "--answers", "yes", "--flows-dir", str(flows)])
            assert result.exit_code == 2 and "flow 'no-such-flow' is unknown here; pick one of:" in result.stderr
        else:
            result = runner.invoke(app, ["contacts", "check", "--flows-dir", str(flows), "--today", "2026-12-06"])
            assert result.exit_code == 1 and "number(s) to check again" in result.stderr
    finally:
        words.use(None)


def test_a_finding_gives_a_date_in_the_phrasebooks_words() -> None:
    """GOV.UK style, whatever the locale: never strftime's "23 Nov 2027"."""
    from typer.testing import CliRunner

    from cli import app

    result = CliRunner().invoke(app, ["validate", str(ROOT / "flows" / "appendix-4.yaml"), "--today", "2099-01-01"])
    found = [line for line in result.stdout.splitlines() if "[review-due]" in line]
    assert found and re.search(
        r"review was due on [A-Z][a-z]+day [1-9][0-9]? [A-Z][a-z]{2,} 20[0-9]{2}; check", found[0]
    )
