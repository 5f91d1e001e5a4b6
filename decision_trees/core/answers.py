"""Answers given ahead of the walk (--answers, --answer, --answers-file), and the scripted walk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from decision_trees.core.engine import Walk, begin, current, step
from decision_trees.core.errors import AnswerError, option
from decision_trees.core.kinds.base import Answer, Noted, answer_text
from decision_trees.core.models import Flow, Node
from decision_trees.core.text import clip
from decision_trees.words import MESSAGES


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
                    MESSAGES["answer_names_which_not_question"].format(
                        node_id=clip(node_id), id=flow.id, questions=", ".join(questions)
                    )
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
            origin = (
                MESSAGES["answer_for_node"].format(given=clip(given), node_id=node_id)
                if by_node
                else MESSAGES["answer_in_order"].format(used=self._used, given=clip(given))
            )
            raise AnswerError(f"{origin} {exc.template}", code=exc.code, node=exc.node, choices=exc.choices) from None

    def check_all_used(self, flow: Flow, walk: Walk) -> None:
        """Refuse answers left over when the walk ended: they show a case that was not meant."""
        end = f"{walk.at!r}"
        rest = self.ordered
        if rest:
            raise AnswerError(
                MESSAGES["answer_left_over_after_walk"].format(rest_count=len(rest), end=end, first_few=first_few(rest))
            )
        if self.by_node:
            unused = first_few(list(self.by_node), quote=False)
            raise AnswerError(MESSAGES["answers_were_not_used_route"].format(unused=unused, end=end))


def first_few(items: list[str], *, quote: bool = True, show: int = 5) -> str:
    """The first few items, and how many more: a message stays one short line however many there are."""
    shown = ", ".join(clip(i) if quote or len(i) > 40 else i for i in items[:show])
    return shown + (MESSAGES["and_more"].format(count=len(items) - show) if len(items) > show else "")


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
        MESSAGES["no_answer_question_valid_choices"].format(
            node_id=node_id,
            text=node.text,
            valid=", ".join(valid),
            option_answer=option("answer"),
            option_answers=option("answers"),
        ),
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
                MESSAGES["answer_empty_give_one_answer"].format(
                    position=position, option_answers=option("answers"), answers=clip(text)
                ),
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
            raise AnswerError(MESSAGES["must_be_node_id_choice"].format(flag=flag, given=clip(given)))
        if node_id.strip() in by_node:
            raise AnswerError(
                MESSAGES["gives_twice"].format(option_answer=option("answer"), node_id=clip(node_id.strip())),
                code="answer-twice",
            )
        by_node[node_id.strip()] = choice.strip()
    return by_node
