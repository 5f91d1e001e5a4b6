"""The walk: a step function over plain data. No I/O; prompting and rendering live at the edge."""

from itertools import pairwise

import msgspec

from decision_trees.core.errors import AnswerError, FlowDataError
from decision_trees.core.kinds.base import Answer, Exit, Noted, answer_text
from decision_trees.core.models import Flow, Node, Outcome
from decision_trees.words import MESSAGES


class Step(msgspec.Struct, frozen=True):
    """One node passed on the route: the typed answer given there (`Noted` for an action box, which
    is passed), and the label of the exit it took (None for an action box's one arrow)."""

    node: str
    answer: Answer = Noted()
    label: str | None = None

    @property
    def asked(self) -> bool:
        """Whether the node asked something (a question, a checklist): Back returns to such a step."""
        return not isinstance(self.answer, Noted)

    @property
    def noted(self) -> bool:
        """An action box the practitioner said they had noted (only an interactive walk asks)."""
        return isinstance(self.answer, Noted) and self.answer.noted

    @property
    def text(self) -> str | None:
        """The answer as text (the codec's), None for an action box."""
        return answer_text(self.answer)


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
    return current(flow, walk).end() is not None


def outcome(flow: Flow, walk: Walk) -> Outcome:
    end = current(flow, walk).end()
    if end is None:
        raise ValueError(MESSAGES["walk_at_not_at_outcome"].format(at=walk.at))
    return end


def ending(flow: Flow, node_id: str) -> Outcome:
    """The end `node_id` names; a `FlowDataError` if it names another kind of node."""
    end = flow.nodes[node_id].end()
    if end is None:
        raise FlowDataError(MESSAGES["flow_node_not_end"].format(id=flow.id, node_id=node_id))
    return end


def ends(flow: Flow) -> dict[str, Outcome]:
    """Every end of the flow, by node id, in file order."""
    return {node_id: end for node_id, node in flow.nodes.items() if (end := node.end()) is not None}


def remembered(walk: Walk) -> Answer | None:
    """The answer given here before the practitioner went Back, offered as the default."""
    if walk.ahead and walk.ahead[0].node == walk.at:
        return walk.ahead[0].answer
    return None


def can_go_back(walk: Walk) -> bool:
    trail = walk.trail
    while trail is not None:
        if trail.step.asked:
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
                raise FlowDataError(MESSAGES["flow_loops_back_node_from"].format(id=flow.id, node=node, before=before))
    # Taking the same step as before Back keeps the later answers as defaults; a different one drops them.
    ahead = walk.ahead[1:] if walk.ahead and walk.ahead[0] == step else ()
    return Walk(at=to, trail=Trail(step, walk.trail, walk.length + 1), ahead=ahead)


def step(flow: Flow, walk: Walk, answer: Answer) -> Walk:
    """The one move of every walk (scripted, interactive, practice, batch): the current node reads
    the typed answer and says where it leads; an answer it cannot take is an `AnswerError`."""
    way = current(flow, walk).lead(walk.at, answer)
    return _advance(flow, walk, Step(walk.at, answer, way.label), way.next)


def back(walk: Walk) -> Walk:
    """Return to the previous question, keeping the undone steps as defaults."""
    if not can_go_back(walk):
        raise AnswerError(MESSAGES["there_no_earlier_question_go"])
    trail = walk.trail
    undone: list[Step] = []
    while trail is not None:
        step = trail.step
        undone.insert(0, step)
        trail = trail.before
        if step.asked:
            return Walk(at=step.node, trail=trail, ahead=(*undone, *walk.ahead))
    raise AnswerError(MESSAGES["there_no_earlier_question_go"])


def route_questions(flow: Flow, walk: Walk) -> list[tuple[Node, str]]:
    """The nodes that asked something so far, with their answers as text."""
    return [(flow.nodes[step.node], step.text) for step in walk.route if step.text is not None]


Edge = tuple[str, str, str | None]
"""(from node, to node, the exit's label, or None for an action's single arrow)."""


def exits(node: Node) -> list[Exit]:
    """Each way out of a node, as its kind says (none for an end)."""
    return node.exits()


def edges(flow: Flow) -> list[Edge]:
    """Every arrow of the chart, in file order."""
    return [(node_id, way.next, way.label) for node_id, node in flow.nodes.items() for way in node.exits()]


def walked_edges(walk: Walk) -> list[Edge]:
    """The arrows the walk has taken."""
    hops = [step.node for step in walk.route] + [walk.at]
    return [(step.node, target, step.label) for step, target in zip(walk.route, hops[1:], strict=True)]


def answers_given(walk: Walk) -> dict[str, str]:
    """The answer given at each node that asked one, as text, by node id."""
    return {step.node: step.text for step in walk.route if step.text is not None}


def explain(flow: Flow, node_id: str, label: str | None = None) -> list[str]:
    """Trainer's notes for a node: its id and where each exit leads (the one taken, `label`, marked »)."""
    node = flow.nodes[node_id]
    lines = [f"[{node_id}] {node.text}"]
    for way in node.exits():
        to = flow.nodes.get(way.next)
        end = to.end() if to is not None else None
        where = f"{end.ref} " if end is not None else ""
        text = to.text if to is not None else "(missing)"
        mark = "»" if label is not None and way.label == label else " "
        lines.append(f"  {mark} {way.label or '(next)'} → [{way.next}] {where}{text}")
    return lines
