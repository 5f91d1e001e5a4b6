"""The CLI through Typer's CliRunner: outputs, clocks, bad inputs, goldens."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from decision_trees.data.loading import load_library

from .conftest import GOLDEN, NOW, ROOT, Cli

CONTACTS_HASH = "sha256:(the bundled contacts file's)"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("a4-6.json", ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--format", "json"]),
        ("a4-6.md", ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--format", "markdown"]),
        ("a4-6.txt", ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--format", "text"]),
        ("a4-6-details.txt", ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--details"]),
        (
            "a4-1-out-of-hours.md",
            ["walk", "appendix-4", "--answers", "no,no,yes", "--format", "markdown", "--now", "2026-12-25T10:00"],
        ),
        ("a3-3.md", ["walk", "appendix-3", "--answers", "no,no,yes", "--format", "markdown"]),
    ],
)
def test_summary_matches_golden_file(cli: Cli, update_goldens: bool, name: str, args: list[str]) -> None:
    if "--now" not in args:
        args = [*args, "--now", NOW]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    golden = GOLDEN / name
    # The contacts file's hash changes with any contact a partnership adds: the golden file names it
    # by a stand-in, so that it holds only what these walks say (issue 31).
    digest = "sha256:" + hashlib.sha256((Path(load_library().root) / "contacts.yaml").read_bytes()).hexdigest()
    said = result.stdout.replace(digest, CONTACTS_HASH)
    if update_goldens:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(said, encoding="utf-8")
    assert said == golden.read_text(encoding="utf-8"), f"regenerate with: uv run pytest --update-goldens ({name})"


@pytest.mark.parametrize(
    ("now", "office", "first", "due"),
    [
        # Monday in office hours, GMT.
        ("2026-11-23T14:30", True, "contact-service", "2026-11-25T14:30:00+00:00"),
        # Monday 17:00 is closed: the Emergency Duty Team first.
        ("2026-11-23T17:00", False, "emergency-duty-team", "2026-11-25T17:00:00+00:00"),
        # Saturday.
        ("2026-11-21T11:00", False, "emergency-duty-team", "2026-11-23T11:00:00+00:00"),
        # Christmas Day 2026 is a Friday and a bank holiday.
        ("2026-12-25T10:00", False, "emergency-duty-team", "2026-12-27T10:00:00+00:00"),
        # Boxing Day substitute, Monday 28 Dec 2026.
        ("2026-12-28T10:00", False, "emergency-duty-team", "2026-12-30T10:00:00+00:00"),
        # Summer time: BST, +01:00.
        ("2026-07-01T09:00", True, "contact-service", "2026-07-03T09:00:00+01:00"),
        # 48 hours across the end of summer time (Sun 25 Oct 2026): the clock goes back an hour.
        ("2026-10-24T14:30", False, "emergency-duty-team", "2026-10-26T13:30:00+00:00"),
        # ...and across its start (Sun 29 Mar 2026): forward an hour.
        ("2026-03-28T14:30", False, "emergency-duty-team", "2026-03-30T15:30:00+01:00"),
        # An explicit UTC offset is converted to UK time.
        ("2026-07-01T08:00+00:00", True, "contact-service", "2026-07-03T09:00:00+01:00"),
        # A year beyond the shipped table falls back to the holidays package: 25 Dec 2040 is a Tuesday.
        ("2040-12-25T10:00", False, "emergency-duty-team", "2040-12-27T10:00:00+00:00"),
        ("2040-12-27T10:00", True, "contact-service", "2040-12-29T10:00:00+00:00"),
    ],
)
def test_office_hours_and_deadlines(cli: Cli, now: str, office: bool, first: str, due: str) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high", now=now)
    assert summary["office_hours"] is office
    assert summary["contacts"][0]["id"] == first
    assert summary["deadlines"][0]["due"] == due
    service = next(c for c in summary["contacts"] if c["id"] == "contact-service")
    assert service["open_now"] is office
    assert (service["opens"] is None) is office


def test_out_of_hours_the_next_opening_skips_the_weekend(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,medium", now="2026-11-20T18:00")
    assert [c["id"] for c in summary["contacts"]] == ["emergency-duty-team", "contact-service"]
    assert summary["contacts"][1]["opens_text"] == "9am on Monday 23 November 2026 (GMT)"


def test_json_has_the_documented_fields(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,yes")
    assert set(summary) == {
        "schema",
        "card",
        "flow",
        "ended_at",
        "ended_text",
        "office_hours",
        "office_hours_assumed",
        "immediate_danger",
        "outcome",
        "actions",
        "contacts",
        "deadlines",
        "conditions",
        "notes",
        "advice",
        "read",
        "route",
        "case_ref",
        "indicators",
        "closed_now",
        "hours_basis",
        "not_checked",
        "disclaimer",
        "contacts_files",
        "files",
        "called",
    }
    assert summary["ended_at"] == "2026-11-23T14:30:00+00:00"
    assert summary["outcome"] == {
        "node": "a4-3",
        "ref": "A4-3",
        "title": "CSSW already involved – contact the allocated worker",
        "text": "Contact allocated CSSW worker.",
        "section": "10",
        "urgent": False,
        "verbatim": True,  # the box is the chart's own words
    }
    assert summary["route"][0] == {
        "node": "has-child",
        "kind": "question",
        "text": "Does the service user have a child/ care for a child?",
        "answer": "Yes",
        "section": "5.2",
        "noted": False,
    }
    assert {"name", "phones", "email"} <= set(summary["contacts"][0])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["walk", "appendix-9", "--answers", "yes"], 2, "no flow called 'appendix-9'; choose one of: appendix-3"),
        (
            ["walk", "appendix-4", "--answers", "yes,maybe"],
            2,
            "answer 2 'maybe' matches no choice at 'cssw-involved' (Are CSSW currently involved?); valid choices: Yes, No",
        ),
        (["walk", "appendix-4", "--answers", "yes,no,yes"], 2, "no answer for question 'need-level'"),
        (
            ["walk", "appendix-4", "--answers", "yes,no,yes"],
            2,
            "valid choices: Low level need, Medium level need, High level need",
        ),
        (
            ["walk", "appendix-4", "--answers", "yes,yes,no"],
            2,
            "1 answer(s) left over after the walk ended at 'a4-3': 'no'",
        ),
        (["walk", "appendix-4", "--answers", "yes,,no"], 2, "answer 2 in --answers 'yes,,no' is empty"),
        (["walk", "appendix-4", "--answer", "has-child"], 2, "--answer 'has-child' must be NODE_ID=CHOICE"),
        (["walk", "appendix-4", "--answer", "kids=yes"], 2, "an answer names 'kids', which is not a question"),
        (
            ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--now", "tomorrow"],
            2,
            "--now 'tomorrow' is not a date",
        ),
        (["walk", "--answers", "yes"], 2, "name the flow to walk; choose one of: appendix-3, appendix-4"),
        (["walk", "appendix-4", "--answers", "yes,no,yes,high", "--format", "pdf"], 2, "'pdf' is not one of"),
        (["show", "nothing"], 2, "no flow called 'nothing'"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_an_exit_code(cli: Cli, args: list[str], code: int, message: str) -> None:
    result = cli(*args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_the_answers_can_be_given_by_node_id(cli: Cli) -> None:
    summary = cli.walk_json(
        "appendix-4",
        "yes",
        "--answer",
        "cssw-involved=no",
        "--answer",
        "impacting=yes",
        "--answer",
        "need-level=medium",
    )
    assert summary["outcome"]["ref"] == "A4-5"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("answers.yaml", 'has-child: "No"\nother-children: "No"\npregnant: "Yes"\n'),
        ("answers.json", '{"has-child": "no", "other-children": "no", "pregnant": "yes"}'),
        ("answers.yml", "answers: [no, no, yes]\n".replace("no", '"no"').replace("yes", '"yes"')),
    ],
)
def test_answers_file(cli: Cli, tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = cli("walk", "appendix-4", "--answers-file", str(path), "--format", "json", "--now", NOW)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"]["ref"] == "A4-1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("has-child: No\n", "must map question ids to choices as text"),
        ("has-child: [\n", "not valid YAML"),
    ],
)
def test_bad_answers_file(cli: Cli, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(content, encoding="utf-8")
    result = cli("walk", "appendix-4", "--answers-file", str(path))
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_answers_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("walk", "appendix-4", "--answers-file", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    assert "none.yaml" in result.stderr


def test_output_refuses_to_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    args = ["walk", "appendix-4", "--answers", "yes,yes", "--format", "markdown", "--now", NOW, "--output", str(target)]
    assert cli(*args).exit_code == 0
    first = target.read_text(encoding="utf-8")
    assert first.startswith("## Referral to Children and Families Contact Service: A4-3")
    refused = cli(*args)
    assert refused.exit_code == 2
    assert "already exists" in refused.stderr
    assert "--force" in refused.stderr
    assert cli(*args, "--force").exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["summary.md"]


def test_text_output_to_a_file_fits_80_columns(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "summary.txt"
    result = cli("walk", "appendix-4", "--answers", "no,no,yes", "--now", NOW, "--output", str(target))
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "020 7974 3317" in text
    assert "999" in text


def test_list_show_and_contacts(cli: Cli) -> None:
    listed = cli("list", "--format", "json")
    # Every flow the bundled folder holds, in order (a partnership's added file is listed too).
    assert [f["id"] for f in json.loads(listed.stdout)["flows"]] == sorted(load_library().flows)
    assert {"camden-appendix-3", "camden-appendix-4", "solihull-threshold"} <= set(load_library().flows)
    text = cli("list")
    assert "Referral to Substance Misuse Services" in text.stdout
    assert "appendix-4" in text.stdout
    shown = cli("show", "appendix-4")
    assert shown.exit_code == 0
    for node in load_library().find("appendix-4").nodes.values():
        assert node.text.split()[0] in shown.stdout
    assert "A4-6" in shown.stdout
    assert "see [cssw-involved] above" in shown.stdout
    contacts = json.loads(cli("contacts", "--format", "json").stdout)["contacts"]
    assert contacts["contact-service"]["phones"] == ["020 7974 3317"]
    assert "Emergency Duty Team" in cli("contacts").stdout


def _modules_after(*args: str) -> set[str]:
    code = (
        "import sys, runpy; sys.argv = ['decision-trees', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('decision_trees', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES"))
    return set(line.split()[1:])


@pytest.mark.parametrize(
    "args",
    [["--help"], ["walk", "--help"], ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--format", "json"]],
)
def test_scripted_runs_and_help_do_not_import_questionary_or_rich(args: list[str]) -> None:
    modules = _modules_after(*args)
    assert "typer" in modules  # the probe itself works
    assert not {m for m in modules if m.split(".")[0] in {"questionary", "prompt_toolkit", "holidays"}}
    if args[0] == "walk" and "--format" in args:
        assert "rich" not in modules
        # The compiled library spares the YAML parser; nothing only writing files needs is loaded.
        # hashlib is: the compiled form is trusted only on its sources' sha256 (issue 19, item 6).
        # (tempfile is loaded, but by platformdirs, to find the user's contacts file, not by us.)
        assert not modules & {"yaml", "_yaml", "json"}
        assert "hashlib" in modules
        assert "zoneinfo" in modules  # UK time from the standard library's zone database


def test_the_console_script_runs_commands_with_the_garbage_collector_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import importlib

    from decision_trees import launch

    command_line = importlib.import_module("decision_trees.cli")  # as the installed package names it
    seen: list[tuple[bool, int]] = []
    monkeypatch.setattr(command_line, "main", lambda: seen.append((gc.isenabled(), gc.get_freeze_count())))
    try:
        launch.main()
    finally:
        gc.unfreeze()
    assert seen and seen[0][0], "commands must run with the collector on: long walks and batches need it"
    assert seen[0][1] > 0  # what start-up made is frozen out of its sight


def test_core_modules_import_no_interface_libraries() -> None:
    code = (
        "import sys\nimport decision_trees.core.engine, decision_trees.data.loading, decision_trees.core.answers, "
        "decision_trees.core.summary, decision_trees.output.formats, decision_trees.core.clock\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert not set(done.stdout.split()) & {"typer", "rich", "questionary", "prompt_toolkit", "click"}


def test_version(cli: Cli) -> None:
    assert cli("--version").stdout.startswith("decision-trees ")


def test_the_typer_pin_keeps_pydantic_out_of_start_up() -> None:
    """Why pyproject.toml pins typer below 0.29: 0.29 made pydantic a dependency and builds a pydantic
    adapter for every parameter on every run (about 250 ms). To lift the pin, try the newer Typer:
    if this still passes (no pydantic at start-up), the pin can go."""
    from importlib.metadata import version

    for args in (["--help"], ["walk", "appendix-4", "--answers", "yes,yes", "--format", "json"]):
        assert not {m for m in _modules_after(*args) if m.split(".")[0] == "pydantic"}, args
    major, minor = (int(part) for part in version("typer").split(".")[:2])
    assert (major, minor) < (0, 29), "typer was upgraded: check start-up (benchmarks/startup.py) and this test"
