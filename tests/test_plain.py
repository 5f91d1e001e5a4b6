"""Plain prompts and piped answers: numbered choices, one answer a line, no line dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from decision_trees.terminal.render import console, summary_renderable

from .conftest import NOW, Cli


def piped(cli: Cli, lines: list[str], *args: str) -> object:
    return cli("walk", "appendix-4", "--now", NOW, "--format", "json", *args, input="".join(f"{l}\n" for l in lines))


def test_piped_answers_one_a_line(cli: Cli) -> None:
    result = piped(cli, ["yes", "2", "Yes", "high"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"]["ref"] == "A4-6"
    assert "  1. Yes\n  2. No\n" in result.stderr
    assert "\x1b[" not in result.stderr  # no colour, no cursor movement
    prompts = [line for line in result.stderr.splitlines() if not line.startswith("Type a number")]
    assert all(line == line.rstrip() for line in prompts), "no padding at the ends of lines"
    assert "  Chart: “Discuss with CP designated lead." in result.stderr  # "Chart:" hangs its lines


def test_guidance_and_indicators_from_a_pipe_take_no_extra_lines(cli: Cli) -> None:
    # impacting: 1 Yes, 2 No, 3-4 guidance; need-level: 1-3 levels, 4-7 guidance, 8 tick
    result = piped(cli, ["yes", "no", "4", "yes", "8", "1 6 14", "high"])
    assert result.exit_code == 0, result.stderr
    assert "Risk assessment matrix (Appendix 2)." in result.stderr
    assert "Parent, Elevated risk:" in result.stderr
    tally = json.loads(result.stdout)["indicators"][0]
    assert tally["counts"] == {"Low level need": 1, "Medium level need": 1, "High level need": 1}
    assert tally["chosen"] == "High level need"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["yes", "maybe"], "line 2: 'maybe' is not one of the choices; valid choices: Yes, No"),
        (["yes", "no"], "no answer for question 'impacting' (Is substance misuse impacting on parenting?)"),
        ([], "no answer for question 'has-child'"),
    ],
)
def test_bad_or_missing_piped_answers(cli: Cli, state_dir: Path, lines: list[str], message: str) -> None:
    result = piped(cli, lines)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (state_dir / "resume").exists()  # the piped input is itself the record


def test_back_from_a_pipe(cli: Cli) -> None:
    result = piped(cli, ["yes", "b", "no", "no", "yes"])  # back to the first question, then a new route
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"]["ref"] == "A4-1"


def test_plain_text_summary_is_linear(cli: Cli) -> None:
    result = cli("walk", "appendix-4", "--now", NOW, input="yes\nyes\n")
    assert result.exit_code == 0
    assert result.stdout.startswith("## Referral to Children and Families Contact Service: A4-3")
    assert "╭" not in result.stdout


@pytest.mark.parametrize("width", [60, 80, 120, 200])
@pytest.mark.parametrize("answers", ["yes,no,yes,high", "no,no,yes", "no,no,no"])
def test_summaries_stay_readable_from_60_to_200_columns(cli: Cli, width: int, answers: str) -> None:
    import io

    import msgspec

    from decision_trees.core.contract import Summary

    summary = (
        msgspec.json.decode(cli.walk_json("appendix-4", answers).__repr__().encode(), type=Summary) if False else None
    )
    data = cli("walk", "appendix-4", "--answers", answers, "--now", NOW, "--format", "json").stdout
    summary = msgspec.json.decode(data.encode(), type=Summary)
    buffer = io.StringIO()
    console(buffer, width=width, colour=False).print(summary_renderable(summary))
    text = buffer.getvalue()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    flat = " ".join(text.split())
    for phone in [p for c in summary.contacts for p in c.phones] + ["999"]:
        assert phone in text, (width, phone)  # never split across lines
    for action in summary.actions:
        assert " ".join(action.text.split()) in flat
