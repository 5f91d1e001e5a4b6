"""An end of the chart, with everything its action summary needs: the actions, the contacts, the
deadlines and the conditions the protocol attaches."""

from typing import Annotated, ClassVar, Literal

import msgspec

from decision_trees.core.errors import AnswerError
from decision_trees.core.fields import Line, NodeId, Strict, Text
from decision_trees.core.kinds.base import Answer, Ask, Exit, Problem
from decision_trees.words import MESSAGES


class FollowUp(Strict, frozen=True):
    """How a deadline's task is sent, as the protocol says: by `email` (a draft is written), an online
    `form` (at `address`), a `phone` call, or a `letter` (to `address`); `what` says what to put in
    it, with its source."""

    by: Literal["email", "form", "phone", "letter"]
    address: Line | None = None
    what: Text | None = None


class Deadline(Strict, frozen=True):
    """A task due some time after the walk ends, such as a written confirmation: `within` is 48h, 90m,
    2d or 1wd (working days, by the area's calendar). `says` is the protocol's own words for the time
    limit, the only words a summary quotes. `send_to` is the contact it goes to, and `follow_up` how
    (an email, an online form, a phone call or a letter); without one, by email where the contact
    has an address."""

    task: Line
    within: Line
    counted_from: Line
    says: Line | None = None
    send_to: NodeId | None = None
    follow_up: FollowUp | None = None
    subject: Line | None = None  # the written confirmation's subject line, for the email draft
    include: list[Line] = []  # what the written confirmation should contain, by the protocol
    # How the protocol says the confirmation is sent, where it says so, with its section: shown beside
    # the contact's email, which is only where the address is printed.
    channel: Text | None = None

    @property
    def by(self) -> str:
        """How it is sent: the flow's `follow_up`, else an email."""
        return self.follow_up.by if self.follow_up else "email"


class Duty(Strict, frozen=True):
    """An outcome's action written out: with another wording for when offices are closed, or a
    `brief` form for the action card (the details keep the full text and its source). Either text
    may name a contact's number or email as `{phone:ID}` or `{email:ID}`, filled in from the
    contacts file. `call` marks the phone referral itself: given the time of the call
    (`--called-at`), it is reported as done then, with the wording the tool gave at that time, and
    not asked for again."""

    text: Text
    out_of_hours: Text | None = None
    call: bool = False
    brief: Line | None = None

    def wording(self, in_hours: bool) -> str:
        """The text that applies in or out of office hours."""
        return self.text if in_hours or self.out_of_hours is None else self.out_of_hours

    @property
    def texts(self) -> list[str]:
        return [self.text, *(t for t in (self.out_of_hours, self.brief) if t is not None)]


class Conditions(Strict, frozen=True):
    """Circumstances the protocol attaches to an outcome, such as section 13's for a pregnancy."""

    text: Text
    items: Annotated[list[Text], msgspec.Meta(min_length=1)]


class Outcome(Strict, tag="outcome", frozen=True):
    """An end of the chart, with everything its action summary needs."""

    kind: ClassVar[str] = "outcome"
    asks: ClassVar[bool] = False
    shape: ClassVar[Literal["decision", "box", "end"]] = "end"
    chart_action: ClassVar[bool] = False
    rules: ClassVar[dict[str, tuple[str, str]]] = {}  # its own `validate` rules: none

    ref: Line
    title: Line
    text: Text
    section: Line
    actions: list[Text | Duty]
    contacts: list[NodeId]
    urgent: bool = False
    deadlines: list[Deadline] = []
    conditions: Conditions | None = None
    notes: list[Text] = []
    read: list[Text] = []
    # Out of office hours, on a route that is not urgent: what to do when the closed service opens
    # (without it: "make a routine referral then"). A4-3, for one, makes no referral.
    when_closed: Line | None = None
    brief_when_closed: Line | None = None  # the same in a few words, for the action card
    urgency: Annotated[int, msgspec.Meta(ge=0, le=9)] = 0  # higher is more urgent; see Question.escalation
    referral: bool = False  # a referral end: it must cite the flow's `consent_section`
    # The chart's own words (verbatim) or a paraphrase of prose; without it, the flow's `box_text`.
    wording: Literal["verbatim", "paraphrase"] | None = None

    def exits(self) -> list[Exit]:
        return []

    def ask(self) -> Ask | None:
        return None

    def valid(self) -> list[str]:
        return []

    def parse(self, node_id: str, given: str) -> Answer:
        raise AnswerError(MESSAGES["node_end_walk_has_finished"].format(node_id=node_id))

    def lead(self, node_id: str, answer: Answer) -> Exit:
        raise AnswerError(MESSAGES["node_end_walk_has_finished"].format(node_id=node_id))

    def problems(self) -> list[Problem]:
        return []

    def named_contacts(self) -> list[str]:
        """The contacts it names: its own, and those its deadlines send to."""
        return [*self.contacts, *(d.send_to for d in self.deadlines if d.send_to)]

    def box(self) -> str:
        return f"{self.ref}: {self.text}"

    def end(self) -> "Outcome | None":
        """The end itself: what the summary is made from (every other kind has none)."""
        return self
