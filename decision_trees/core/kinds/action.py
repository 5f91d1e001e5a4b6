"""An action box: something the chart asks the practitioner to do before the walk goes on."""

from typing import TYPE_CHECKING, ClassVar, Literal

from decision_trees.core.errors import AnswerError
from decision_trees.core.fields import Line, NodeId, Strict, Text
from decision_trees.core.kinds.base import Answer, Ask, Exit, Noted, Problem
from decision_trees.words import MESSAGES

if TYPE_CHECKING:
    from decision_trees.core.kinds.outcome import Outcome


class Action(Strict, tag="action", frozen=True):
    """A box that asks the practitioner to do something before the walk goes on."""

    kind: ClassVar[str] = "action"
    asks: ClassVar[bool] = False  # passed, never answered: Back goes past it
    shape: ClassVar[Literal["decision", "box", "end"]] = "box"
    chart_action: ClassVar[bool] = True  # passing it puts its box among the summary's actions
    rules: ClassVar[dict[str, tuple[str, str]]] = {}  # its own `validate` rules: none

    text: Text
    section: Line
    next: NodeId
    # The chart's own words (verbatim) or a paraphrase of prose; without it, the flow's `box_text`.
    wording: Literal["verbatim", "paraphrase"] | None = None

    def exits(self) -> list[Exit]:
        return [Exit(None, self.next, Noted())]

    def ask(self) -> Ask | None:
        return Ask("note", self.text, self.section, [])

    def valid(self) -> list[str]:
        return []

    def parse(self, node_id: str, given: str) -> Answer:
        return Noted()

    def lead(self, node_id: str, answer: Answer) -> Exit:
        if not isinstance(answer, Noted):
            raise AnswerError(MESSAGES["node_action_box_takes_no"].format(node_id=node_id))
        return self.exits()[0]

    def problems(self) -> list[Problem]:
        return []

    def named_contacts(self) -> list[str]:
        return []

    def box(self) -> str:
        return self.text

    def end(self) -> "Outcome | None":
        return None
