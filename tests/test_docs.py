"""The README documents what the tool does: every walk option, the sample summary, the JSON fields."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.core import TyperGroup

from cli import app

from .conftest import GOLDEN, ROOT, Cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_walk_option_is_in_the_readme() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, TyperGroup)
    walk = command.commands["walk"]
    options = {name for param in walk.params for name in param.opts if name.startswith("--") and name != "--help"}
    documented = set(re.findall(r"`(--[a-z-]+)", README))
    assert options - documented == set()
    assert {"--answers", "--answer", "--answers-file", "--now", "--format", "--output", "--force"} <= options


def test_the_readme_sample_is_the_golden_summary() -> None:
    sample = README.split("```markdown\n", 1)[1].split("...\n```", 1)[0]
    assert (GOLDEN / "a4-6.md").read_text(encoding="utf-8").startswith(sample)


def test_the_readme_lists_every_json_field(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high")
    table = README.split("### JSON summary", 1)[1].split("## Other commands", 1)[0]
    for field in summary:
        if field != "schema":
            assert f"`{field}`" in table, field
    for contact_field in summary["contacts"][0]:
        assert f"`{contact_field}`" in table, contact_field


def test_the_quick_start_has_the_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "uv run decision-trees walk appendix-4\nuv run pytest\n" in quick


def test_every_validate_rule_is_in_the_readme() -> None:
    from decision_trees.data.validation import RULES

    for rule, (severity, _) in RULES.items():
        assert f"| `{rule}` | {severity} |" in README, rule


def test_every_command_is_in_the_readme() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, TyperGroup)
    for name in command.commands:
        assert f"decision-trees {name}" in README, name


def test_the_python_example_in_the_readme_runs() -> None:
    """The README's "Use from Python" example, run as written: its asserts are the test."""
    example = README.split("## Use from Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(example, "README.md: Use from Python", "exec"), {})


def test_the_readme_names_every_module_in_its_layer_table() -> None:
    import decision_trees

    table = README.split("Where\nthings are, by layer:", 1)[1].split("## Flows are data", 1)[0]
    package = Path(decision_trees.__file__).parent
    layers = [folder for folder in package.iterdir() if (folder / "__init__.py").exists()]
    assert {folder.name for folder in layers} == {"core", "data", "runs", "output", "terminal"}
    for folder in layers:
        row = next(line for line in table.splitlines() if line.startswith(f"| `decision_trees/{folder.name}/`"))
        for module in sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__"):
            assert f"`{module}`" in row, (folder.name, module)
