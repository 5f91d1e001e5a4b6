"""Practice on invented cases (vignettes): the route a vignette's answers take, whether it still fits
its flow, and where a trainee's walk left it. Pure: no I/O, nothing printed."""

from __future__ import annotations

from typing import Annotated

import msgspec

from decision_trees.core.engine import Walk, acknowledge, begin, choose, current
from decision_trees.core.errors import AnswerError
from decision_trees.core.models import Action, Flow, GuidanceBook, Line, NodeId, Outcome, Question, Text, _Strict


class Vignette(_Strict, frozen=True):
    """An invented case for practice: its text, the protocol sections it is written from, and the
    answers the protocol's criteria give, question by question, with the outcome they reach."""

    id: NodeId
    title: Line
    text: Text
    sections: Annotated[list[Line], msgspec.Meta(min_length=1)]
    answers: Annotated[dict[NodeId, Line], msgspec.Meta(min_length=1)]  # question id: the choice's label
    outcome: Line  # the outcome's ref (A4-6) or node id


class VignetteFile(_Strict, frozen=True):
    """A flow's vignettes (flows/vignettes/FLOW.yaml)."""

    flow: NodeId
    vignettes: Annotated[list[Vignette], msgspec.Meta(min_length=1)]


class End(msgspec.Struct, frozen=True):
    """An outcome, as feedback names it."""

    node: str
    ref: str
    title: str


class GuidanceRef(msgspec.Struct, frozen=True):
    """A decision aid offered at a question: `decision-trees guidance ID` shows it."""

    id: str
    title: str
    section: str


class Difference(msgspec.Struct, frozen=True):
    """The first question where the trainee's route left the vignette's: what the protocol's criteria
    give there, what was chosen, and where the protocol decides it."""

    node: str
    question: str
    expected_answer: str
    given_answer: str
    section: str
    guidance: list[GuidanceRef]  # the decision aids the question offers


class Feedback(msgspec.Struct, frozen=True):
    """One vignette practised: whether the outcome matches, both ends, and the first difference."""

    vignette: str
    title: str
    correct: bool
    expected: End
    reached: End
    first_difference: Difference | None


def expected_walk(flow: Flow, vignette: Vignette) -> Walk:
    """The walk the vignette's answers take. `AnswerError` when they no longer fit the flow: a
    question on the route with no answer, an answer that is not a choice's exact label, an answer
    left unused, or another outcome than the vignette expects."""
    walk, used = begin(flow), set()
    while True:
        node = current(flow, walk)
        if isinstance(node, Outcome):
            break
        if isinstance(node, Action):
            walk = acknowledge(flow, walk)
            continue
        if walk.at not in vignette.answers:
            raise AnswerError(f"it gives no answer for question {walk.at!r} ({node.text})")
        label = vignette.answers[walk.at]
        if label not in [c.label for c in node.choices]:
            valid = ", ".join(c.label for c in node.choices)
            raise AnswerError(f"its answer {label!r} to {walk.at!r} is not a choice; valid choices: {valid}")
        used.add(walk.at)
        walk = choose(flow, walk, label)
    unused = [node_id for node_id in vignette.answers if node_id not in used]
    if unused:
        raise AnswerError(f"it answers {', '.join(unused)}, off the route its other answers take")
    end = current(flow, walk)
    assert isinstance(end, Outcome)
    if vignette.outcome not in (end.ref, walk.at):
        raise AnswerError(f"its answers reach {end.ref}, not {vignette.outcome}")
    return walk


def stale(flow: Flow, vignette: Vignette) -> str | None:
    """Why the vignette no longer fits its flow, or None when it does."""
    try:
        expected_walk(flow, vignette)
    except AnswerError as exc:
        return str(exc)
    return None


def _end(flow: Flow, walk: Walk) -> End:
    node = current(flow, walk)
    assert isinstance(node, Outcome)
    return End(walk.at, node.ref, node.title)


def feedback(flow: Flow, book: GuidanceBook, vignette: Vignette, given: Walk) -> Feedback:
    """How the trainee's walk `given` compares with the vignette's: the first question where the
    two routes part (they agree on every question before it, so they stand at the same one)."""
    expected = expected_walk(flow, vignette)
    difference = None
    for step in given.route:
        node = flow.nodes[step.node]
        if isinstance(node, Question) and step.answer is not None and step.answer != vignette.answers.get(step.node):
            offered = [g for g in node.guidance if g in book.guidance]
            guidance = [GuidanceRef(g, book.guidance[g].title, book.guidance[g].section) for g in offered]
            difference = Difference(
                step.node, node.text, vignette.answers.get(step.node, ""), step.answer, node.section, guidance
            )
            break
    return Feedback(
        vignette.id,
        vignette.title,
        _end(flow, given).node == _end(flow, expected).node,
        _end(flow, expected),
        _end(flow, given),
        difference,
    )


class Score(msgspec.Struct, frozen=True):
    """Vignettes practised in a row, and how many reached the expected outcome."""

    correct: int
    of: int


def score(results: list[Feedback]) -> Score:
    return Score(sum(result.correct for result in results), len(results))
