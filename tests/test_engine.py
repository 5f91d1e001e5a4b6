"""The engine and answer matching, on small inline flows."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from decision_trees.core import engine
from decision_trees.core.answers import Feed, split_answers, walk_scripted
from decision_trees.core.errors import AnswerError, FlowDataError
from decision_trees.core.kinds.base import Chosen, Noted, Ticked, matching
from decision_trees.core.models import Flow

BASE = {
    "id": "tiny",
    "title": "Tiny",
    "audience": "tests",
    "source": {"document": "doc", "part": "Appendix T"},
    "version": "1",
    "reviewed": dt.date(2026, 1, 1),
    "description": "d",
    "advice": {"text": "ask"},
}


def outcome(ref: str) -> dict[str, object]:
    return {"type": "outcome", "ref": ref, "title": ref, "text": ref, "section": "1", "actions": ["do"], "contacts": []}


def make_flow(start: str, **nodes: dict[str, object]) -> Flow:
    return msgspec.convert({**BASE, "start": start, "nodes": nodes}, Flow)


def q(text: str, *pairs: tuple[str, str]) -> dict[str, object]:
    return {"type": "question", "text": text, "section": "1", "choices": [{"label": l, "next": n} for l, n in pairs]}


# q1 -> (Yes) act -> q2 -> High/Low ; (No) -> end-no
FLOW = make_flow(
    "q1",
    q1=q("First?", ("Yes", "act"), ("No", "end-no")),
    act={"type": "action", "text": "Do this", "section": "2", "next": "q2"},
    q2=q("Level?", ("High level need", "end-high"), ("Low level need", "end-low"), ("Highish", "end-low")),
    **{"end-no": outcome("N"), "end-high": outcome("H"), "end-low": outcome("L")},
)


@pytest.mark.parametrize(
    ("answers", "end"),
    [("yes,high level need", "end-high"), ("YES, low", "end-low"), ("no", "end-no"), ("y,highi", "end-low")],
)
def test_scripted_walk_reaches_the_expected_end(answers: str, end: str) -> None:
    walk = walk_scripted(FLOW, Feed(split_answers(answers)))
    assert walk.at == end
    assert engine.is_finished(FLOW, walk)


def test_actions_pass_in_scripted_walks_and_stay_on_the_route() -> None:
    walk = walk_scripted(FLOW, Feed(["yes", "low"]))
    assert [s.node for s in walk.route] == ["q1", "act", "q2"]
    assert walk.route[1].answer == Noted() and walk.route[1].text is None and walk.route[1].label is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("high level need", ["High level need"]),
        ("low", ["Low level need"]),
        ("h", ["High level need", "Highish"]),
        ("highish", ["Highish"]),
        ("zzz", []),
        ("  ", []),
    ],
)
def test_matching(given: str, expected: list[str]) -> None:
    assert matching(FLOW.nodes["q2"].valid(), given) == expected


@pytest.mark.parametrize(
    ("feed", "message"),
    [
        (Feed(["yes", "h"]), "could mean 'High level need' or 'Highish'"),
        (Feed(["maybe"]), "answer 1 'maybe' matches no choice at 'q1' (First?); valid choices: Yes, No"),
        (
            Feed(["yes"]),
            "no answer for question 'q2' (Level?); valid choices: High level need, Low level need, Highish",
        ),
        (Feed(["no", "extra"]), "1 answer(s) left over after the walk ended at 'end-no': 'extra'"),
        (Feed(["no"], {"q2": "low"}), "answers for q2 were not used"),
        (Feed([], {"nope": "yes"}), "'nope', which is not a question of tiny; question ids: q1, q2"),
        (Feed([], {"q1": "perhaps"}), "the answer 'perhaps' for 'q1' matches no choice"),
    ],
)
def test_bad_answers_are_refused_with_the_choices(feed: Feed, message: str) -> None:
    with pytest.raises(AnswerError, match=None) as caught:
        walk_scripted(FLOW, feed)
    assert message in str(caught.value)


def test_answers_by_node_take_precedence_over_order() -> None:
    walk = walk_scripted(FLOW, Feed(["low"], {"q1": "yes"}))
    assert walk.at == "end-low"


def test_empty_item_in_answers_is_an_error() -> None:
    with pytest.raises(AnswerError, match=r"answer 2 .* is empty"):
        split_answers("yes,,high")


def test_back_returns_to_the_previous_question_and_remembers_later_answers() -> None:
    walk = engine.begin(FLOW)
    assert not engine.can_go_back(walk)
    walk = engine.step(FLOW, walk, Chosen("Yes"))
    walk = engine.step(FLOW, walk, Noted())
    walk = engine.step(FLOW, walk, Chosen("Low level need"))
    assert walk.at == "end-low"
    walk = engine.back(walk)
    assert walk.at == "q2"
    assert engine.remembered(walk) == Chosen("Low level need")
    walk = engine.back(walk)  # skips the action back to q1
    assert walk.at == "q1"
    assert engine.remembered(walk) == Chosen("Yes")
    assert walk.route == ()
    # The same answer keeps the later answers as defaults...
    again = engine.step(FLOW, engine.step(FLOW, walk, Chosen("Yes")), Noted())
    assert again.at == "q2"
    assert engine.remembered(again) == Chosen("Low level need")
    # ...a different one drops them.
    other = engine.step(FLOW, walk, Chosen("No"))
    assert other.ahead == ()


def test_back_at_the_first_question_is_refused() -> None:
    with pytest.raises(AnswerError):
        engine.back(engine.begin(FLOW))


def test_a_loop_is_caught_instead_of_walking_forever() -> None:
    looping = make_flow(
        "a",
        a={"type": "action", "text": "A", "section": "1", "next": "b"},
        b={"type": "action", "text": "B", "section": "1", "next": "a"},
    )
    with pytest.raises(FlowDataError, match="loops back to node 'a'"):
        walk_scripted(looping, Feed())


def test_a_step_refuses_a_label_that_is_not_exact_and_an_answer_of_another_kind() -> None:
    with pytest.raises(AnswerError, match="valid choices: Yes, No"):
        engine.step(FLOW, engine.begin(FLOW), Chosen("yes"))
    with pytest.raises(AnswerError, match="valid choices: Yes, No"):
        engine.step(FLOW, engine.begin(FLOW), Ticked(("yes",)))
    with pytest.raises(AnswerError, match="is an action box: it takes no answer"):
        engine.step(FLOW, engine.step(FLOW, engine.begin(FLOW), Chosen("Yes")), Chosen("Yes"))
