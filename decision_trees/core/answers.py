"""Answers given ahead of the walk (--answers, --answer, --answers-file), and the scripted walk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from decision_trees.core.engine import Walk, begin, current, step
from decision_trees.core.errors import AnswerError, option
from decision_trees.core.kinds.base import Answer, Noted, answer_text
from decision_trees.core.models import Flow, Node
from decision_trees.core.text import clip


class AnswerSet(msgspec.Struct):
    """Answers given ahead of a walk: in order and by node, indicators, and (from a record) the flow
    it was made on and its case reference."""

    ordered: list[str]
    by_node: dict[str, str]
    indicators: list[str] = []
    flow_id: str | None = None
    flow_hash: str | None = None
    case_ref: str | None = None  # a record's, kept when it is replayed


if TYPE_CHECKING:
    from decision_trees.core.record import Journal


class Feed:
    """Answers waiting to be used: in question order, and by node id."""

    def __init__(self, ordered: list[str] | None = None, by_node: dict[str, str] | None = None) -> None:
        self._ordered = list(ordered or [])
        self.by_node = dict(by_node or {})
        self._used = 0  # answers taken from the front of `_ordered`: an index, as pop(0) is linear

    @property
    def ordered(self) -> list[str]:
        """The ordered answers not yet used."""
        return self._ordered[self._used :]

    def __bool__(self) -> bool:
        return self._used < len(self._ordered) or bool(self.by_node)

    def check_nodes(self, flow: Flow) -> None:
        """Refuse answers for nodes that are not questions of `flow`, before anything is asked."""
        if not self.by_node:
            return
        questions = [n for n, node in flow.nodes.items() if node.asks]
        for node_id in self.by_node:
            if node_id not in questions:
                raise AnswerError(
                    f"an answer names {clip(node_id)}, which is not a question of {flow.id}; "
                    f"question ids: {', '.join(questions)}"
                )

    def take(self, node_id: str, node: Node) -> Answer | None:
        """The answer given for this node, read by its kind, or None if none was given."""
        if node_id in self.by_node:
            given = self.by_node.pop(node_id)
            by_node = True
        elif self._used < len(self._ordered):
            given = self._ordered[self._used]
            self._used += 1
            by_node = False
        else:
            return None
        try:
            return node.parse(node_id, given)
        except AnswerError as exc:
            origin = f"the answer {clip(given)} for {node_id!r}" if by_node else f"answer {self._used} {clip(given)}"
            raise AnswerError(f"{origin} {exc.template}", code=exc.code, node=exc.node, choices=exc.choices) from None

    def check_all_used(self, flow: Flow, walk: Walk) -> None:
        """Refuse answers left over when the walk ended: they show a case that was not meant."""
        end = f"{walk.at!r}"
        rest = self.ordered
        if rest:
            raise AnswerError(f"{len(rest)} answer(s) left over after the walk ended at {end}: {first_few(rest)}")
        if self.by_node:
            unused = first_few(list(self.by_node), quote=False)
            raise AnswerError(f"answers for {unused} were not used: the route to {end} does not pass through them")


def first_few(items: list[str], *, quote: bool = True, show: int = 5) -> str:
    """The first few items, and how many more: a message stays one short line however many there are."""
    shown = ", ".join(clip(i) if quote or len(i) > 40 else i for i in items[:show])
    return shown + (f" and {len(items) - show} more" if len(items) > show else "")


def feed_from(answers: str | list[str] | dict[str, str]) -> Feed:
    """A feed from answers as scenario files and batch lines give them: `--answers` text, a list
    in question order, or a mapping of question id to choice."""
    if isinstance(answers, str):
        return Feed(split_answers(answers))
    if isinstance(answers, list):
        return Feed(answers)
    return Feed([], answers)


def missing_answer(node_id: str, node: Node) -> AnswerError:
    valid = node.valid()
    return AnswerError(
        f"no answer for question {node_id!r} ({node.text}); valid choices: {', '.join(valid)}; "
        f"give it with {option('answer')} {node_id}=CHOICE or in {option('answers')}",
        code="missing-answer",
        node=node_id,
        choices=valid,
    )


def walk_scripted(flow: Flow, feed: Feed, journal: Journal | None = None) -> Walk:
    """Walk `flow` on the fed answers alone: actions pass, a missing answer is an `AnswerError`."""
    return advance(flow, feed, journal)


def trace(flow: Flow, feed: Feed) -> Walk:
    """Walk as far as the answers go (a partial route is fine, for highlighting); unused or bad
    answers are errors."""
    return advance(flow, feed, partial=True)


def advance(flow: Flow, feed: Feed, journal: Journal | None = None, *, partial: bool = False) -> Walk:
    """The one loop that walks on fed answers: actions pass; a question takes its answer from the
    feed; without one, the walk stops there when `partial`, else it is an `AnswerError`."""
    feed.check_nodes(flow)
    walk = begin(flow)
    while (node := current(flow, walk)).end() is None:
        answer: Answer = Noted()
        if node.asks:
            given = feed.take(walk.at, node)
            if given is None:
                if partial:
                    break
                raise missing_answer(walk.at, node)
            answer = given
        if journal:
            text = answer_text(answer)
            journal.log("answer" if text is not None else "action", walk.at, text)
        walk = step(flow, walk, answer)
    feed.check_all_used(flow, walk)
    return walk


def split_answers(text: str) -> list[str]:
    """`"yes, no,high"` → ["yes", "no", "high"]; an empty item is an error, not a skipped question."""
    items = [item.strip() for item in text.split(",")]
    for position, item in enumerate(items, 1):
        if not item:
            raise AnswerError(
                f"answer {position} in {option('answers')} {clip(text)} is empty; give one answer per question",
                code="empty-answer",
            )
    return items


def parse_answer_options(options: list[str]) -> dict[str, str]:
    """`["has-child=yes"]` → {"has-child": "yes"}."""
    by_node: dict[str, str] = {}
    for given in options:
        node_id, sep, choice = given.partition("=")
        if not sep or not node_id.strip() or not choice.strip():
            flag = option("answer")
            raise AnswerError(f"{flag} {clip(given)} must be NODE_ID=CHOICE, for example {flag} has-child=yes")
        if node_id.strip() in by_node:
            raise AnswerError(f"{option('answer')} gives {clip(node_id.strip())} twice", code="answer-twice")
        by_node[node_id.strip()] = choice.strip()
    return by_node
