"""Issue 22, item 5: practice on vignettes. The core's comparison on a small inline flow; every
bundled vignette against its flow; the `practise` command scripted, listed, stale and at a terminal."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import msgspec
import pytest
import yaml

from decision_trees.core import practice
from decision_trees.core.answers import Feed, walk_scripted
from decision_trees.core.models import Guidance, GuidanceBook, Question
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


def vignette(answers: dict[str, str], outcome_ref: str, **more: object) -> Vignette:
    data = {"id": "v", "title": "V", "text": "t", "sections": ["1"], "answers": answers, "outcome": outcome_ref,
            "cues": [{"fact": "f", "section": "1"}], "reason": "r", **more}  # fmt: skip
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
    paths = {
        tuple(p["nodes"]): p["answers_option"]
        for p in json.loads(cli("paths", flow, "--format", "json").stdout)["routes"]
    }
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
    assert json.loads(result.stdout)["score"] == {"correct": count, "of": count, "defensible": 0}
    assert len(json.loads(cli("practise", flow, "--list", "--format", "json").stdout)["vignettes"]) == count


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
    assert "The case's answer reaches A4-6" in text and "you chose “Medium level need”" in text
    assert "decision-trees guidance section-10" in text and "Score: 0 of 1" in text


def test_a_score_is_kept_over_several_vignettes(cli: Cli) -> None:
    result = cli(
        "practise", "solihull", "--vignette", "s-emergency", "--answers", "yes,yes",
        "--vignette", "s-pregnant", "--answers", "no,no,no", "--format", "json",
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert report["score"] == {"correct": 1, "of": 2, "defensible": 0}
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
        (
            ["--vignette", "nope", "--answers", "yes"],
            "no vignette 'nope' for camden-appendix-4; give a case number from 1 to",
        ),
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
    cases = sum(len(yaml.safe_load(Path(f).read_text(encoding="utf-8"))["vignettes"]) for f in files)
    assert report["failed"] == 0 and report["passed"] == cases


def test_practice_at_a_terminal_shows_the_case_keeps_a_score_and_saves_nothing(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "100",
           "DECISION_TREES_STATE_DIR": str(tmp_path / "state")}  # fmt: skip
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable, ["-m", "decision_trees", "practise", "appendix-3", "--vignette", "a3-wants-help"],
        cwd=str(ROOT), env=env, encoding="utf-8", dimensions=(60, 100), timeout=15,
    )  # fmt: skip
    child.expect("Case 2: walk the flow")  # a neutral name until it is answered
    child.expect("asks where she could")
    child.expect("Have you noted this action")  # the screening box, as in a walk
    child.send("\r")
    child.expect("currently attending a treatment service")
    child.send("\r")  # Yes: but she is not in touch with any service
    child.expect("Have you noted this action")  # contact the key worker
    child.send("\r")
    child.expect("A mother who asks for help with her drinking")  # the title, once answered
    child.expect("Your route reached A3-1")
    child.expect("The case's answer reaches A3-2")
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


# Issue 28, item 1: cases that teach the protocol's reading.

INDICATOR_FLOW_BOOK = GuidanceBook(
    guidance={
        "levels": msgspec.convert(
            {"title": "Levels", "section": "10", "columns": [{"key": "low", "heading": "Low"},
             {"key": "high", "heading": "High"}], "rows": [{"cells": [["calm"], ["chaos"]]}]},
            Guidance,
        )
    }
)  # fmt: skip
INDICATOR_FLOW = msgspec.structs.replace(
    FLOW,
    nodes={
        **FLOW.nodes,
        "q2": msgspec.convert(
            {"type": "question", "text": "Level?", "section": "10", "guidance": ["levels"],
             "indicators": {"levels": {"low": "Low", "high": "High"}},
             "choices": [{"label": "High", "next": "end-high"}, {"label": "Low", "next": "end-low"}]},
            Question,
        ),
    },
)  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "cues", "more", "problem"),
    [
        ("High", [{"fact": "f", "indicator": "levels:high:1"}], {}, None),
        ("Low", [{"fact": "f", "indicator": "levels:high:1"}], {}, "its cues point to 'High'"),
        ("Low", [{"fact": "f", "indicator": "levels:high:1"}], {"against_cues": "the lead says so"}, None),
        ("High", [{"fact": "f", "section": "10"}], {}, "offers indicators, but no cue names one"),
        ("High", [{"fact": "f", "indicator": "levels:middle:1"}], {}, "does not offer"),
        ("High", [{"fact": "f"}], {}, "names neither an indicator nor a section"),
        # the highest level any cue meets decides, as the walk's tally does
        ("High", [{"fact": "a", "indicator": "levels:low:1"}, {"fact": "b", "indicator": "levels:high:1"}], {}, None),
    ],
)
def test_a_cases_answer_agrees_with_its_cues_or_says_why_not(
    answer: str, cues: list[dict[str, str]], more: dict[str, str], problem: str | None
) -> None:
    case = vignette({"q1": "Yes", "q2": answer}, "E-H" if answer == "High" else "E-L", cues=cues, **more)
    found = practice.stale(INDICATOR_FLOW, case, INDICATOR_FLOW_BOOK)
    assert found is None if problem is None else problem in (found or ""), found


def test_a_defensible_answer_is_said_so_with_its_reason_not_wrong() -> None:
    other = {"answers": {"q1": "Yes", "q2": "Low"}, "outcome": "E-L", "reason": "cautious, not wrong"}
    case = vignette({"q1": "Yes", "q2": "High"}, "E-H", defensible=[other])
    reached = practice.feedback(FLOW, BOOK, case, walk_scripted(FLOW, Feed(["Yes", "Low"])))
    assert (reached.verdict, reached.correct, reached.defensible_reason) == ("defensible", True, "cautious, not wrong")
    wrong = practice.feedback(FLOW, BOOK, case, walk_scripted(FLOW, Feed(["No"])))
    assert (wrong.verdict, wrong.correct, wrong.defensible_reason) == ("differs", False, None)
    assert practice.score([reached, wrong]) == practice.Score(1, 2, 1)
    # A defensible answer that no longer fits the flow is stale, as the case's own answer would be.
    broken = vignette({"q1": "Yes", "q2": "High"}, "E-H", defensible=[{**other, "outcome": "E-N"}])
    assert "its defensible answer 1: its answers reach E-L, not E-N" in (practice.stale(FLOW, broken) or "")


def test_the_bundled_cases_teach_the_protocols_reading(cli: Cli) -> None:
    """Issue 28, 1.1-1.4: bruising with a disclosure, going home tonight, is an emergency (section 7's
    "may"); the teenager picked up by the police is High; the unbooked pregnancy requires a Contact
    Service referral; where no need is shown, both courses at A4-4 are named."""

    def practise(flow: str, case: str, answers: str) -> dict[str, object]:
        result = cli("practise", flow, "--vignette", case, "--answers", answers, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)["results"][0]

    harm = practise("solihull", "s-significant-harm", "yes,yes")
    assert harm["verdict"] == "matches" and "may" in harm["reason"] and "police" in harm["reason"]
    assert practise("solihull", "s-significant-harm", "yes,no")["verdict"] == "differs"
    assert practise("solihull", "s-harm-no-emergency", "yes,yes")["verdict"] == "defensible"
    teen = practise("a4", "a4-other-children-medium", "no,yes,no,yes,high")
    assert teen["verdict"] == "matches" and any("appendix-5" not in c["matches"] and "High" in c["matches"]
                                                for c in teen["cues"])  # fmt: skip
    assert practise("a4", "a4-other-children-medium", "no,yes,no,yes,medium")["verdict"] == "differs"
    pregnant = practise("a4", "a4-pregnant", "no,no,yes")
    assert "required here, not optional" in pregnant["reason"] and "must make a referral" in pregnant["reason"]
    for case in ("a4-not-impacting", "a4-other-children-not-impacting"):
        reason = " ".join(
            practise("a4", case, "yes,no,no" if case == "a4-not-impacting" else "no,yes,no,no")["reason"].split()
        )
        assert "Two courses are defensible" in reason and "17.1" in reason and "10.1" in reason


def test_nothing_gives_the_answer_away_before_it_is_given(cli: Cli) -> None:
    listed = cli("practise", "appendix-4", "--list").stdout
    assert "Case 1" in listed and "Case 13" in listed
    for giveaway in ("a4-high-need", "Heavy poly-use", "10.3", "Written from the protocol", "High"):
        assert giveaway not in listed, giveaway
    scripted = json.loads(cli("practise", "appendix-4", "--list", "--format", "json").stdout)["vignettes"]
    assert {"title", "sections"}.isdisjoint(scripted[0]) and scripted[3]["name"] == "Case 4"
    # a case is chosen by its number as well as its id
    by_number = json.loads(
        cli("practise", "a4", "--vignette", "4", "--answers", "yes,no,yes,high", "--format", "json").stdout
    )
    assert by_number["results"][0]["vignette"] == "a4-high-need"


def test_practise_refuses_a_duplicate_case_id_as_validate_does(cli: Cli, flows: Path) -> None:
    """Issue 32, medium 3: with two cases of one id, practise ran the last one silently."""
    path = flows / "vignettes" / "appendix-3.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: a3-wants-help", "id: a3-already-in-treatment"), encoding="utf-8")
    result = cli(
        "practise", "a3", "--vignette", "a3-already-in-treatment", "--answers", "yes", "--flows-dir", str(flows)
    )
    assert result.exit_code == 1 and "'a3-already-in-treatment' is given twice" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_names_the_cues_line_of_a_case_that_disagrees_with_them(cli: Cli, flows: Path) -> None:
    """Issue 28, section 3: a case whose expected level disagrees with its cues fails validate."""
    path = flows / "vignettes" / "appendix-4.yaml"
    edit(path, 'need-level: "High level need"}\n    outcome: A4-6\n    cues:\n      - {fact: "Heroin',
         'need-level: "Medium level need"}\n    outcome: A4-5\n    cues:\n      - {fact: "Heroin')  # fmt: skip
    result = cli("validate", str(flows), "--format", "json")
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "vignette"]
    assert result.exit_code == 1 and len(found) == 1
    assert "its cues point to 'High level need'" in found[0]["message"]
    line = path.read_text(encoding="utf-8").splitlines()[found[0]["line"] - 1]
    assert line.strip() == "cues:"
