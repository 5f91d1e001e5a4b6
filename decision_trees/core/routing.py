"""Every route through a flow, and a partial route traced from answers (for highlighting)."""

from collections.abc import Callable, Iterator

import msgspec

from decision_trees.core.kinds.base import Answer, Exit, answer_text
from decision_trees.core.models import Flow, Node


class Route(msgspec.Struct, frozen=True):
    """One way from the start to an end: the nodes passed, the answers given, where it ends."""

    nodes: list[str]
    given: list[Answer]  # an answer that takes each exit, at each node that asks one
    end: str
    ref: str
    title: str

    @property
    def answers(self) -> list[str]:
        """The answers as text, in the order the route asks them."""
        return [text for answer in self.given if (text := answer_text(answer)) is not None]

    @property
    def answers_option(self) -> str:
        """The answers as `--answers` takes them, to replay the route."""
        return ",".join(self.answers)


def all_routes(flow: Flow, limit: int | None = None) -> list[Route]:
    """Every route from the start to an outcome, depth first in choice order (loops are not
    followed), or the first `limit` of them. Linear in the routes' total length."""
    routes: list[Route] = []
    nodes: list[str] = []
    taken: list[Answer | None] = []
    on_path: set[str] = set()
    pending: list[Iterator[Exit]] = []  # the exits still to follow, per node on the path

    def enter(node_id: str, answer: Answer | None) -> None:
        if node_id not in flow.nodes or node_id in on_path:
            return
        node = flow.nodes[node_id]
        if (end := node.end()) is not None:
            given = [a for a in [*taken[1:], answer] if a is not None]
            routes.append(Route([*nodes, node_id], given, node_id, end.ref, end.title))
            return
        nodes.append(node_id)
        taken.append(answer)
        on_path.add(node_id)
        pending.append(iter(node.exits()))

    enter(flow.start, None)
    while pending and (limit is None or len(routes) < limit):
        following = next(pending[-1], None)
        if following is None:
            pending.pop()
            on_path.discard(nodes.pop())
            taken.pop()
            continue
        enter(following.next, following.example)
    return routes[:limit] if limit is not None else routes


def count_routes(flow: Flow) -> int:
    """How many routes lead from the start to an outcome, without listing them (loops not followed:
    a flow with a loop does not load)."""
    return _fold(flow, flow.start, lambda node, below: 1 if node.end() is not None else sum(below))


def questions_left(flow: Flow, start: str) -> int:
    """The most questions any route from `start` still asks, `start` included if it is one: so
    that a walk can say "question 3 of at most 5" (loops not followed)."""
    return _fold(flow, start, lambda node, below: int(node.asks) + max(below, default=0))


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
        targets = [way.next for way in node.exits() if way.next in flow.nodes]
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
