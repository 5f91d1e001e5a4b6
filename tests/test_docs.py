"""The README and docs/ document what the tool does: every walk option, the sample summary, the JSON
fields, the rules, the commands; their examples run as written, and their links lead somewhere."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from cli import app

from .conftest import GOLDEN, ROOT, Cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").rglob("*.md"))}


def test_every_walk_option_is_in_the_commands_doc() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, TyperGroup)
    walk = command.commands["walk"]
    options = {name for param in walk.params for name in param.opts if name.startswith("--") and name != "--help"}
    table = DOCS["commands.md"].split("## Options of `walk`", 1)[1].split("## Other commands", 1)[0]
    documented = set(re.findall(r"^\| `(--[a-z-]+)", table, re.MULTILINE))
    assert options - documented == set()
    assert {"--answers", "--answer", "--answers-file", "--now", "--format", "--output", "--force"} <= options


def test_the_readme_sample_is_the_golden_summary() -> None:
    sample = README.split("```markdown\n", 1)[1].split("...\n```", 1)[0]
    assert (GOLDEN / "a4-6.md").read_text(encoding="utf-8").startswith(sample)


def test_the_json_doc_lists_every_field(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high")
    table = DOCS["json-formats.md"].split("## JSON summary", 1)[1]
    for field in summary:
        if field != "schema":
            assert f"`{field}`" in table, field
    for contact_field in summary["contacts"][0]:
        assert f"`{contact_field}`" in table, contact_field


def test_the_quick_start_has_the_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "uv run decision-trees walk appendix-4\nuv run pytest\n" in quick


def test_every_validate_rule_is_in_the_authoring_doc() -> None:
    from decision_trees.data.validation import RULES

    for rule, (severity, _) in RULES.items():
        assert f"| `{rule}` | {severity} |" in DOCS["authoring.md"], rule


def test_every_command_is_in_the_commands_doc() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, TyperGroup)
    table = DOCS["commands.md"].split("## Other commands", 1)[1]
    for name in command.commands:
        assert f"| `decision-trees {name}" in table or name == "walk", name


def test_the_python_example_in_the_docs_runs() -> None:
    """docs/python-api.md's example, run as written: its asserts are the test."""
    example = DOCS["python-api.md"].split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(example, "docs/python-api.md", "exec"), {})


def test_the_python_doc_names_every_module_in_its_layer_table() -> None:
    import decision_trees

    table = DOCS["python-api.md"].split("Where\nthings are, by layer:", 1)[1]
    package = Path(decision_trees.__file__).parent
    layers = [folder for folder in package.iterdir() if (folder / "__init__.py").exists()]
    assert {folder.name for folder in layers} == {"words", "core", "data", "runs", "output", "terminal"}
    for folder in layers:
        row = next(line for line in table.splitlines() if line.startswith(f"| `decision_trees/{folder.name}/`"))
        for module in sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__"):
            assert f"`{module}`" in row, (folder.name, module)


def test_the_readme_is_for_practitioners_and_short() -> None:
    assert len(README.splitlines()) <= 300
    for heading in ("## Installing it as a command", "## Walking a flow", "### The next step", "## Scripted runs"):
        assert heading in README, heading
    assert "### Performance" not in README and "## Use from Python" not in README


def test_every_doc_is_linked_from_the_readme_and_every_link_resolves() -> None:
    pages = {"README.md": README} | {f"docs/{name}": text for name, text in DOCS.items()}
    for path in (ROOT / "docs").rglob("*.md"):
        assert f"]({path.relative_to(ROOT).as_posix()})" in README, path
    for name, text in pages.items():
        folder = (
            (ROOT / name).parent if name == "README.md" else next((ROOT / "docs").rglob(name.split("/")[-1])).parent
        )
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if not target.startswith(("http://", "https://")):
                assert (folder / target).exists(), (name, target)


def _example_lines() -> list[tuple[str, list[str]]]:
    """Every `decision-trees` command in a shell block of the README and docs/, as arguments."""
    import shlex

    found = []
    for name, text in {"README.md": README, **DOCS}.items():
        for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
            for line in block.splitlines():
                command = line.split("#", 1)[0].split("|")[-1].strip().removeprefix("uv run ")
                if command.startswith("decision-trees "):
                    found.append((name, shlex.split(command)[1:]))
    return found


@pytest.mark.parametrize(("name", "args"), _example_lines(), ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_every_shell_example_is_a_command_the_tool_takes(cli: Cli, name: str, args: list[str]) -> None:
    command = typer.main.get_command(app)
    with contextlib.suppress(typer.Exit):  # --version and --help do their work while parsing
        command.make_context("decision-trees", list(args))  # parses: every option and argument exists
    if "--answers" in args:  # the scripted walks run as written
        result = cli(*args)
        assert result.exit_code == 0, (name, result.stderr)
