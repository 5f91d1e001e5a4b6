"""A question: a decision box of the chart, answered by one of its choices."""

from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

import msgspec

from decision_trees.core.errors import AnswerError
from decision_trees.core.fields import Line, NodeId, Strict, Text
from decision_trees.core.kinds.base import Answer, Ask, Chosen, Exit, Option, Problem, answer_text, matching
from decision_trees.words import MESSAGES

if TYPE_CHECKING:
    from decision_trees.core.kinds.outcome import Outcome


class Choice(Strict, frozen=True):
    """One answer to a question, and the node it leads to."""

    label: Line
    next: NodeId


class IndicatorLevels(Strict, frozen=True):
    """Which choice each guidance column stands for, so that ticked indicators can be tallied by level."""

    levels: dict[str, Text]


class Question(Strict, tag="question", tag_field="type", frozen=True):
    """A decision box of the chart. `text` is the box verbatim; `prompt` a plainer wording."""

    kind: ClassVar[str] = "question"
    asks: ClassVar[bool] = True  # counted in "question 3 of at most 5", and Back returns to it
    shape: ClassVar[Literal["decision", "box", "end"]] = "decision"
    chart_action: ClassVar[bool] = False
    rules: ClassVar[dict[str, tuple[str, str]]] = {}  # its own `validate` rules: none

    text: Text
    section: Line
    choices: Annotated[list[Choice], msgspec.Meta(min_length=2)]
    prompt: Text | None = None
    guidance: list[NodeId] = []
    indicators: IndicatorLevels | None = None
    # The choices' labels from the least need to the most: `validate` checks that a higher need never
    # leads to a less urgent end (each end's `urgency`).
    escalation: list[Line] = []
    # The chart's own words (verbatim) or a paraphrase of prose; without it, the flow's `box_text`.
    wording: Literal["verbatim", "paraphrase"] | None = None

    def exits(self) -> list[Exit]:
        return [
            Exit(c.label, c.next, Chosen(c.label), "choices", i, c.label.casefold()) for i, c in enumerate(self.choices)
        ]

    def ask(self) -> Ask | None:
        levels = dict(self.indicators.levels) if self.indicators else {}
        options = [Option(c.label, c.label) for c in self.choices]
        return Ask(
            "one", self.text, self.section, options, self.prompt, list(self.guidance), levels, list(self.escalation)
        )

    def valid(self) -> list[str]:
        return [c.label for c in self.choices]

    def parse(self, node_id: str, given: str) -> Answer:
        """The choice `given` names: its label in any case, else the one label it begins. An error's
        message says what the answer does, for the caller to say which answer it was."""
        found = matching(self.valid(), given)
        if len(found) == 1:
            return Chosen(found[0])
        where = f"{node_id!r} ({self.text})"
        if not found:
            raise AnswerError(
                MESSAGES["matches_no_choice_at_valid"].format(where=where, valid=", ".join(self.valid())),
                code="no-such-choice",
                node=node_id,
                choices=self.valid(),
            )
        names = " or ".join(repr(label) for label in found)
        raise AnswerError(
            MESSAGES["could_mean_at_type_more"].format(names=names, where=where),
            code="ambiguous-answer",
            node=node_id,
            choices=self.valid(),
        )

    def lead(self, node_id: str, answer: Answer) -> Exit:
        for way in self.exits():
            if way.example == answer:
                return way
        raise AnswerError(
            MESSAGES["not_choice_at_valid_choices"].format(
                answer_text=answer_text(answer), node_id=node_id, valid=", ".join(self.valid())
            ),
            code="no-such-choice",
            node=node_id,
            choices=self.valid(),
        )

    def problems(self) -> list[Problem]:
        return []

    def named_contacts(self) -> list[str]:
        return []

    def box(self) -> str:
        return self.text

    def end(self) -> "Outcome | None":
        return None
