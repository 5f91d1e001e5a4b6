"""Issue 22, item 5: practice on vignettes. The core's comparison on a small inline flow; every
bundled vignette against its flow; the `practise` command scripted, listed, stale and at a terminal."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import msgspec
import pytest

from decision_trees.core import practice
from decision_trees.core.answers import Feed, walk_scripted
from decision_trees.core.models import GuidanceBook
from decision_trees.core.practice import Vignette

from .conftest import ROOT, Cli, edit
from .test_engine import make_flow, outcome, q

# q1 (Yes) -> q2 (High: end-high, Low: end-low); q1 (No) -> end-no
FLOW = make_flow(
    "q1",
    q1=q("First?", ("Yes", "q2"), ("No", "end-no")),
    q2=q("Level?", ("High", "end-high"), ("Low", "end-low")),
    **{"end-high": outcome("E-H"), "end-low": outcome("E-L"), "end-no": outcome("E-N")},
)
BOOK = GuidanceBook(guidance={})


def vignette(answers: dict[str, str], outcome_ref: str) -> Vignette:
    data = {"id": "v", "title": "V", "text": "t", "sections": ["1"], "answers": answers, "outcome": outcome_ref}
    return msgspec.convert(data, Vignette)


@pytest.mark.parametrize(
    ("answers", "expected", "problem"),
    [
        ({"q1": "Yes", "q2": "High"}, "E-H", None),
        ({"q1": "No"}, "E-N", None),
        ({"q1": "Yes"}, "E-H", "no answer for question 'q2'"),
        ({"q1": "yes", "q2": "High"}, "E-H", "'yes' to 'q1' is not a choice"),  # labels exactly, as data
        ({"q1": "No", "q2": "High"}, "E-N", "it answers q2, off the route"),
        ({"q1": "Yes", "q2": "Low"}, "E-H", "reach E-L, not E-H"),
    ],
)
def test_a_vignette_fits_its_flow_or_says_why_not(answers: dict[str, str], expected: str, problem: str | None) -> None:
    found = practice.stale(FLOW, vignette(answers, expected))
    assert found is None if problem is None else problem in (found or "")


@pytest.mark.parametrize(
    ("given", "correct", "parted_at", "given_answer"),
    [
        ("Yes,High", True, None, None),
        ("Yes,Low", False, "q2", "Low"),
        ("No", False, "q1", "No"),
    ],
)
def test_feedback_names_the_first_question_where_the_routes_parted(
    given: str, correct: bool, parted_at: str | None, given_answer: str | None
) -> None:
    walk = walk_scripted(FLOW, Feed(given.split(",")))
    found = practice.feedback(FLOW, BOOK, vignette({"q1": "Yes", "q2": "High"}, "E-H"), walk)
    assert found.correct is correct and found.expected.ref == "E-H"
    if parted_at is None:
        assert found.first_difference is None
    else:
        assert found.first_difference is not None
        assert (found.first_difference.node, found.first_difference.given_answer) == (parted_at, given_answer)
        assert found.first_difference.expected_answer == {"q1": "Yes", "q2": "High"}[parted_at]


ROUTES = {"appendix-3": 4, "appendix-4": 12, "solihull": 7}


@pytest.mark.parametrize(("flow", "routes"), ROUTES.items())
def test_every_route_of_every_bundled_flow_has_a_vignette(cli: Cli, flow: str, routes: int) -> None:
    """At least one vignette a route; each written from sections; each, practised on the answers of
    its own route (from `paths`), reaches its expected outcome."""
    from decision_trees import load
    from decision_trees.core.practice import expected_walk
    from decision_trees.terminal.practising import vignettes_for

    library = load()
    chosen = library.find(flow)
    paths = {tuple(p["nodes"]): p["answers_option"] for p in json.loads(cli("paths", flow, "--format", "json").stdout)}
    assert len(paths) == routes
    scripted, covered = [], set()
    for item in vignettes_for(library, chosen):
        assert item.sections and len(item.text) > 80, item.id
        walk = expected_walk(chosen, item)
        route = tuple([step.node for step in walk.route] + [walk.at])
        covered.add(route)
        scripted += ["--vignette", item.id, "--answers", paths[route]]
    assert covered == set(paths)
    result = cli("practise", flow, *scripted, "--format", "json")
    assert result.exit_code == 0, result.stderr
    count = len(scripted) // 4
    assert json.loads(result.stdout)["score"] == {"correct": count, "of": count}
    assert len(json.loads(cli("practise", flow, "--list", "--format", "json").stdout)) == count


def test_a_wrong_answer_is_feedback_not_an_error(cli: Cli) -> None:
    result = cli(
        "practise", "appendix-4", "--vignette", "a4-high-need", "--answers", "yes,no,yes,medium", "--format", "json"
    )
    assert result.exit_code == 0
    (found,) = json.loads(result.stdout)["results"]
    assert found["correct"] is False
    assert (found["expected"]["ref"], found["reached"]["ref"]) == ("A4-6", "A4-5")
    difference = found["first_difference"]
    assert {k: difference[k] for k in ("node", "expected_answer", "given_answer", "section")} == {
        "node": "need-level",
        "expected_answer": "High level need",
        "given_answer": "Medium level need",
        "section": "10.1–10.3, Appendix 5",
    }
    assert "low, medium or high" in difference["question"]
    assert [g["id"] for g in difference["guidance"]] == ["section-10", "appendix-5", "section-14", "section-15"]
    text = " ".join(
        cli("practise", "a4", "--vignette", "a4-high-need", "--answers", "yes,no,yes,medium").stdout.split()
    )
    assert "The protocol's criteria reach A4-6" in text and "you chose “Medium level need”" in text
    assert "decision-trees guidance section-10" in text and "Score: 0 of 1" in text


def test_a_score_is_kept_over_several_vignettes(cli: Cli) -> None:
    result = cli(
        "practise", "solihull", "--vignette", "s-emergency", "--answers", "yes,yes",
        "--vignette", "s-pregnant", "--answers", "no,no,no", "--format", "json",
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert report["score"] == {"correct": 1, "of": 2}
    assert report["results"][1]["first_difference"]["node"] == "pregnant"


def test_a_vignette_that_no_longer_fits_is_an_error_naming_it(cli: Cli, flows: Path) -> None:
    edit(flows / "appendix-4.yaml", '{label: "No", next: a4-2}', '{label: "No", next: a4-1}')
    result = cli("practise", "a4", "--vignette", "a4-no-children", "--answers", "no,no,no", "--flows-dir", str(flows))
    assert result.exit_code == 1
    assert (
        "vignette 'a4-no-children' no longer fits camden-appendix-4: its answers reach A4-1, not A4-2" in result.stderr
    )
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vignette", "nope", "--answers", "yes"], "no vignette 'nope' for camden-appendix-4; choose one of: a4-"),
        (["--vignette", "a4-pregnant", "--answers", "no,no,yes", "--answers", "no"], "one --answers for each"),
        (["--vignette", "a4-pregnant"], "give --vignette ID and --answers"),
        (["--vignette", "a4-pregnant", "--answers", "no,no,maybe"], "valid choices: Yes, No"),
    ],
)
def test_bad_practice_input_is_one_line_and_exit_2(cli: Cli, args: list[str], message: str) -> None:
    result = cli("practise", "appendix-4", *args)
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_test_walks_every_vignettes_expected_route(cli: Cli) -> None:
    files = sorted(str(p) for p in (ROOT / "flows" / "vignettes").glob("*.yaml"))
    report = json.loads(cli("test", *files, "--require-coverage", "--format", "json").stdout)
    assert report["failed"] == 0 and report["passed"] == 23


def test_practice_at_a_terminal_shows_the_case_keeps_a_score_and_saves_nothing(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "100",
           "DECISION_TREES_STATE_DIR": str(tmp_path / "state")}  # fmt: skip
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable, ["-m", "decision_trees", "practise", "appendix-3", "--vignette", "a3-wants-help"],
        cwd=str(ROOT), env=env, encoding="utf-8", dimensions=(60, 100), timeout=15,
    )  # fmt: skip
    child.expect("A mother who asks for help with her drinking")
    child.expect("Written from the protocol, section 8.2, 9.1")
    child.expect("Have you noted this action")  # the screening box, as in a walk
    child.send("\r")
    child.expect("currently attending a treatment service")
    child.send("\r")  # Yes: but she is not in touch with any service
    child.expect("Have you noted this action")  # contact the key worker
    child.send("\r")
    child.expect("Your route reached A3-1")
    child.expect("The protocol's criteria reach A3-2")
    child.expect("you chose “Yes”")
    child.expect("Score: 0 of 1")
    child.expect("Practise another")
    child.send("\r")  # another
    child.expect("Which vignette")
    child.sendintr()  # stopping at the list finishes, with the score
    child.expect("Score: 0 of 1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not (tmp_path / "state").exists() or not any((tmp_path / "state").rglob("*.json"))
