"""Every route through a flow, and a partial route traced from answers (for highlighting)."""

from collections.abc import Callable, Iterator

import msgspec

from decision_trees.core.engine import exits
from decision_trees.core.models import Flow, Node, Outcome, Question


class Route(msgspec.Struct, frozen=True):
    """One way from the start to an end: the nodes passed, the answers given, where it ends."""

    nodes: list[str]
    answers: list[str]
    end: str
    ref: str
    title: str

    @property
    def answers_option(self) -> str:
        """The answers as `--answers` takes them, to replay the route."""
        return ",".join(self.answers)


def all_routes(flow: Flow, limit: int | None = None) -> list[Route]:
    """Every route from the start to an outcome, depth first in choice order (loops are not
    followed), or the first `limit` of them. Linear in the routes' total length."""
    routes: list[Route] = []
    nodes: list[str] = []
    labels: list[str | None] = []
    on_path: set[str] = set()
    pending: list[Iterator[tuple[str | None, str]]] = []  # the exits still to follow, per node on the path

    def enter(node_id: str, label: str | None) -> None:
        if node_id not in flow.nodes or node_id in on_path:
            return
        node = flow.nodes[node_id]
        if isinstance(node, Outcome):
            answers = [a for a in labels[1:] if a is not None] + ([label] if label is not None else [])
            routes.append(Route([*nodes, node_id], answers, node_id, node.ref, node.title))
            return
        nodes.append(node_id)
        labels.append(label)
        on_path.add(node_id)
        pending.append(iter(exits(node)))

    enter(flow.start, None)
    while pending and (limit is None or len(routes) < limit):
        following = next(pending[-1], None)
        if following is None:
            pending.pop()
            on_path.discard(nodes.pop())
            labels.pop()
            continue
        enter(following[1], following[0])
    return routes[:limit] if limit is not None else routes


def count_routes(flow: Flow) -> int:
    """How many routes lead from the start to an outcome, without listing them (loops not followed:
    a flow with a loop does not load)."""
    return _fold(flow, flow.start, lambda node, below: 1 if isinstance(node, Outcome) else sum(below))


def questions_left(flow: Flow, start: str) -> int:
    """The most questions any route from `start` still asks, `start` included if it is one: so
    that a walk can say "question 3 of at most 5" (loops not followed)."""
    return _fold(flow, start, lambda node, below: (1 if isinstance(node, Question) else 0) + max(below, default=0))


def _fold(flow: Flow, start: str, combine: Callable[[Node, list[int]], int]) -> int:
    """A value for `start` made from its own node and the values of the nodes it leads to, each
    node's worked out once, without recursion (loops not followed; a missing node counts 0)."""
    values: dict[str, int] = {}
    stack: list[tuple[str, bool]] = [(start, False)]
    visiting: set[str] = set()
    while stack:
        node_id, done = stack.pop()
        if node_id in values or node_id not in flow.nodes:
            continue
        node = flow.nodes[node_id]
        targets = [target for _, target in exits(node) if target in flow.nodes]
        if done:
            visiting.discard(node_id)
            values[node_id] = combine(node, [values.get(t, 0) for t in targets])
            continue
        if node_id in visiting:
            continue  # a loop: not followed
        visiting.add(node_id)
        stack.append((node_id, True))
        stack.extend((target, False) for target in reversed(targets) if target not in values)
    return values.get(start, 0)
