"""batch: many cases in one process, in input order, bad cases reported and skipped over."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import NOW, Cli


def run(cli: Cli, tmp_path: Path, lines: list[str], *extra: str) -> tuple[int, list[dict[str, object]], str]:
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("batch", "appendix-4", str(cases), "--now", NOW, *extra)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_batch_gives_the_walk_json_for_every_case_in_order(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = run(
        cli,
        tmp_path,
        [
            '{"case_ref": "C1", "answers": "yes,no,yes,high"}',
            '{"case_ref": "C2", "answers": {"has-child": "no", "other-children": "no", "pregnant": "yes"}}',
            '{"answers": ["yes", "yes"]}',
            "",
            '{"case_ref": "C4", "answers": "yes,no,yes,high"}',
        ],
    )
    assert code == 1  # the blank line is a case that failed
    assert len(out) == 5  # one result a line, so that results pair with input lines by position
    assert out[3] == {
        "schema": "decision-trees/batch-error/1",
        "line": 4,
        "case_ref": None,
        "error": "line 4 is blank; give one case a line (blank lines are not skipped, so results pair with "
        "input lines)",
        "exit_code": 2,
    }
    del out[3]
    assert [(o["case_ref"], o["outcome"]["ref"]) for o in out] == [
        ("C1", "A4-6"),
        ("C2", "A4-1"),
        (None, "A4-3"),
        ("C4", "A4-6"),
    ]
    single = cli.walk_json("appendix-4", "yes,no,yes,high", "--case-ref", "C1")
    assert out[0] == single  # the same object as walk --format json


def test_a_bad_case_is_an_error_line_and_the_batch_goes_on(cli: Cli, tmp_path: Path) -> None:
    code, out, err = run(
        cli,
        tmp_path,
        [
            '{"case_ref": "C1", "answers": "yes,maybe"}',
            "not json",
            '{"case_ref": "C3", "answers": "yes,yes"}',
            '{"case_ref": "John Smith", "answers": "yes,yes"}',
            '{"answers": "yes,no"}',
            '{"case_ref": "C6", "answerz": "yes"}',
        ],
    )
    assert code == 1
    assert "5 case(s) failed" in err
    assert out[0]["line"] == 1 and out[0]["case_ref"] == "C1" and "valid choices: Yes, No" in out[0]["error"]
    assert out[1]["line"] == 2 and "not valid JSON" in out[1]["error"]
    assert out[2]["outcome"]["ref"] == "A4-3"
    assert "never a name" in out[3]["error"]
    assert out[3]["case_ref"] is None and "John Smith" not in json.dumps(out[3])  # never echoed back
    assert "no answer for question 'impacting'" in out[4]["error"] and out[4]["exit_code"] == 2
    assert "line 6 is not a case" in out[5]["error"]


def test_batch_reads_stdin(cli: Cli) -> None:
    result = cli("batch", "a4", "-", "--now", NOW, input='{"case_ref": "X1", "answers": "no,no,no"}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout)["outcome"]["ref"] == "A4-2"


def test_batch_missing_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("batch", "a4", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


CASES = [
    {"case_ref": "CR-2026/0042", "answers": "yes,no,yes,high", "now": "2026-11-28T10:00"},
    {"answers": "yes,no,yes,high", "now": "2026-11-30T11:00", "called_at": "2026-11-28T10:00"},
    {
        "case_ref": "C-7",
        "answers": {"has-child": "yes", "cssw-involved": "no", "impacting": "yes", "need-level": "low"},
        "indicators": ["section-10:low:1", "section-10:low:2"],
        "now": "2026-11-23T16:45",
    },
    {"answers": ["no", "no", "no"], "now": "2026-12-25T10:00"},
]


@pytest.mark.parametrize("case", CASES, ids=range(len(CASES)))
def test_a_batch_line_is_what_walk_gives_for_the_same_case(cli: Cli, tmp_path: Path, case: dict[str, Any]) -> None:
    """Issue 20: batch walks each case through the same Session as walk."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(case) + "\n", encoding="utf-8")
    result = cli("batch", "appendix-4", str(cases))
    assert result.exit_code == 0, result.stdout
    args = ["walk", "appendix-4", "--format", "json", "--now", case["now"]]
    answers = case["answers"]
    if isinstance(answers, dict):
        args += [f"--answer={node}={choice}" for node, choice in answers.items()]
    else:
        args += ["--answers", answers if isinstance(answers, str) else ",".join(answers)]
    args += ["--case-ref", case["case_ref"]] if "case_ref" in case else []
    args += ["--called-at", case["called_at"]] if "called_at" in case else []
    for indicator in case.get("indicators", []):
        args += ["--indicator", indicator]
    walked = cli(*args)
    assert walked.exit_code == 0, walked.stderr
    assert json.loads(result.stdout) == json.loads(walked.stdout)
