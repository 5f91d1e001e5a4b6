"""The walk: a step function over plain data. No I/O; prompting and rendering live at the edge."""

from itertools import pairwise
from typing import assert_never

import msgspec

from decision_trees.core.errors import AnswerError, FlowDataError
from decision_trees.core.models import Action, Choice, Flow, Node, Outcome, Question


class Step(msgspec.Struct, frozen=True):
    """One node passed on the route; `answer` is the chosen label, None for an action. `noted` is
    True for an action the practitioner said they had noted (only an interactive walk asks)."""

    node: str
    answer: str | None = None
    noted: bool = False


class Trail(msgspec.Struct, frozen=True):
    """The route so far as a linked list, newest step first, so that a step costs the same however
    long the route (a tuple copied at every step made long walks quadratic)."""

    step: Step
    before: "Trail | None"
    length: int


class Walk(msgspec.Struct, frozen=True):
    """Where a walk stands: the route so far, the node it is at, and steps undone by Back."""

    at: str
    trail: Trail | None = None
    ahead: tuple[Step, ...] = ()

    @property
    def route(self) -> tuple[Step, ...]:
        """The steps taken, first to last."""
        steps: list[Step] = []
        trail = self.trail
        while trail is not None:
            steps.append(trail.step)
            trail = trail.before
        return tuple(reversed(steps))

    @property
    def length(self) -> int:
        return self.trail.length if self.trail is not None else 0


def begin(flow: Flow) -> Walk:
    return Walk(at=flow.start)


def current(flow: Flow, walk: Walk) -> Node:
    return flow.nodes[walk.at]


def is_finished(flow: Flow, walk: Walk) -> bool:
    return isinstance(current(flow, walk), Outcome)


def outcome(flow: Flow, walk: Walk) -> Outcome:
    node = current(flow, walk)
    if not isinstance(node, Outcome):
        raise ValueError(f"the walk is at {walk.at!r}, not at an outcome")
    return node


def remembered(walk: Walk) -> str | None:
    """The answer given here before the practitioner went Back, offered as the default."""
    if walk.ahead and walk.ahead[0].node == walk.at:
        return walk.ahead[0].answer
    return None


def can_go_back(walk: Walk) -> bool:
    trail = walk.trail
    while trail is not None:
        if trail.step.answer is not None:
            return True
        trail = trail.before
    return False


def _advance(flow: Flow, walk: Walk, step: Step, to: str) -> Walk:
    # A route longer than the flow has nodes must pass some node twice: a loop. Counting costs
    # nothing per step, where searching the route for `to` made long walks quadratic.
    if to == walk.at or walk.length >= len(flow.nodes):
        hops = [s.node for s in walk.route] + [walk.at, to]
        seen: set[str] = set()
        for before, node in pairwise(hops):  # name the first node passed twice
            seen.add(before)
            if node in seen:
                raise FlowDataError(f"flow {flow.id!r} loops back to node {node!r} from {before!r}")
    # Taking the same step as before Back keeps the later answers as defaults; a different one drops them.
    ahead = walk.ahead[1:] if walk.ahead and walk.ahead[0] == step else ()
    return Walk(at=to, trail=Trail(step, walk.trail, walk.length + 1), ahead=ahead)


def choose(flow: Flow, walk: Walk, label: str) -> Walk:
    """Answer the current question with the choice labelled exactly `label`."""
    node = current(flow, walk)
    if not isinstance(node, Question):
        raise AnswerError(f"node {walk.at!r} is not a question")
    for choice in node.choices:
        if choice.label == label:
            return _advance(flow, walk, Step(walk.at, choice.label), choice.next)
    raise AnswerError(f"{label!r} is not a choice at {walk.at!r}; valid choices: {labels(node)}")


def acknowledge(flow: Flow, walk: Walk, *, noted: bool = False) -> Walk:
    """Pass an action box: `noted` when the practitioner said they had noted it, else still to do."""
    node = current(flow, walk)
    if not isinstance(node, Action):
        raise AnswerError(f"node {walk.at!r} is not an action")
    return _advance(flow, walk, Step(walk.at, noted=noted), node.next)


def back(walk: Walk) -> Walk:
    """Return to the previous question, keeping the undone steps as defaults."""
    if not can_go_back(walk):
        raise AnswerError("there is no earlier question to go back to")
    trail = walk.trail
    undone: list[Step] = []
    while trail is not None:
        step = trail.step
        undone.insert(0, step)
        trail = trail.before
        if step.answer is not None:
            return Walk(at=step.node, trail=trail, ahead=(*undone, *walk.ahead))
    raise AnswerError("there is no earlier question to go back to")


def labels(question: Question) -> str:
    return ", ".join(c.label for c in question.choices)


def candidates(question: Question, given: str) -> list[Choice]:
    """The choices `given` could name: its label in any case, else every label it is a prefix of."""
    wanted = " ".join(given.split()).casefold()
    if not wanted:
        return []
    exact = [c for c in question.choices if c.label.casefold() == wanted]
    return exact or [c for c in question.choices if c.label.casefold().startswith(wanted)]


def route_questions(flow: Flow, walk: Walk) -> list[tuple[Question, str]]:
    """The questions answered so far, with their answers."""
    pairs = []
    for step in walk.route:
        node = flow.nodes[step.node]
        if isinstance(node, Question) and step.answer is not None:
            pairs.append((node, step.answer))
    return pairs


Edge = tuple[str, str, str | None]
"""(from node, to node, the choice's label, or None for an action's single arrow)."""


def exits(node: Node) -> list[tuple[str | None, str]]:
    """Each way out of a node: (choice label, or None for an action; next node id). None for an end."""
    match node:
        case Question():
            return [(c.label, c.next) for c in node.choices]
        case Action():
            return [(None, node.next)]
        case Outcome():
            return []
        case other:
            assert_never(other)


def edges(flow: Flow) -> list[Edge]:
    """Every arrow of the chart, in file order."""
    return [(node_id, target, label) for node_id, node in flow.nodes.items() for label, target in exits(node)]


def walked_edges(walk: Walk) -> list[Edge]:
    """The arrows the walk has taken."""
    hops = [step.node for step in walk.route] + [walk.at]
    return [(step.node, target, step.answer) for step, target in zip(walk.route, hops[1:], strict=True)]


def answers_given(walk: Walk) -> dict[str, str]:
    """The choice taken at each question on the route, by node id."""
    return {step.node: step.answer for step in walk.route if step.answer is not None}


def explain(flow: Flow, node_id: str, answer: str | None = None) -> list[str]:
    """Trainer's notes for a node: its id and where each answer leads (the one taken marked »)."""
    node = flow.nodes[node_id]
    lines = [f"[{node_id}] {node.text}"]
    for label, target in exits(node):
        to = flow.nodes.get(target)
        where = f"{to.ref} " if isinstance(to, Outcome) else ""
        text = to.text if to is not None else "(missing)"
        mark = "»" if answer is not None and label == answer else " "
        lines.append(f"  {mark} {label or '(next)'} → [{target}] {where}{text}")
    return lines
