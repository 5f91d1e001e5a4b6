"""Every route through a flow, and a partial route traced from answers (for highlighting)."""

import msgspec

from .answers import Feed
from .engine import Walk, acknowledge, begin, choose, current, exits, is_finished
from .errors import UsageError
from .models import Action, Flow, Outcome, Question

MAX_ROUTES = 10_000


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


def all_routes(flow: Flow) -> list[Route]:
    """Every route from the start to an outcome, depth first in choice order (loops are not followed)."""
    routes: list[Route] = []
    stack: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [(flow.start, (), ())]
    while stack:
        node_id, nodes, answers = stack.pop()
        if node_id not in flow.nodes or node_id in nodes:
            continue
        node = flow.nodes[node_id]
        passed = (*nodes, node_id)
        if isinstance(node, Outcome):
            routes.append(Route(list(passed), list(answers), node_id, node.ref, node.title))
            if len(routes) > MAX_ROUTES:
                raise UsageError(f"{flow.id} has more than {MAX_ROUTES} routes; too many to list")
        for label, target in reversed(exits(node)):
            stack.append((target, passed, answers if label is None else (*answers, label)))
    return routes


def trace(flow: Flow, feed: Feed) -> Walk:
    """Walk as far as the answers go (a partial route is fine); unused or bad answers are errors."""
    feed.check_nodes(flow)
    walk = begin(flow)
    while not is_finished(flow, walk):
        node = current(flow, walk)
        if isinstance(node, Action):
            walk = acknowledge(flow, walk)
            continue
        assert isinstance(node, Question)
        label = feed.take(walk.at, node)
        if label is None:
            break
        walk = choose(flow, walk, label)
    feed.check_all_used(flow, walk)
    return walk
