"""The data models: flows, their nodes, contacts. Decoded strictly from YAML by `loading`. Each kind
of node lives in its own module (`core/kinds/`); `Node` is every kind a flow may hold."""

import datetime as dt
from typing import Annotated, ClassVar, Literal, Protocol

import msgspec

from decision_trees.core.fields import (
    EMAIL_PATTERN,
    END,
    ID_PATTERN,
    MAX_PHONES,
    ONE_LINE,
    PATTERN_MEANINGS,
    PHONE_PATTERN,
    Email,
    Line,
    NodeId,
    Phone,
    Text,
)
from decision_trees.core.fields import Strict as _Strict
from decision_trees.core.kinds.action import Action
from decision_trees.core.kinds.base import Answer, Ask, Exit, Problem
from decision_trees.core.kinds.outcome import Conditions, Deadline, Duty, Outcome
from decision_trees.core.kinds.question import Choice, IndicatorLevels, Question
from decision_trees.core.kinds.scored import ScoredChecklist
from decision_trees.words import SUMMARY

__all__ = [
    "EMAIL_PATTERN", "END", "ID_PATTERN", "MAX_PHONES", "ONE_LINE", "PATTERN_MEANINGS", "PHONE_PATTERN",
    "Action", "Choice", "Conditions", "Deadline", "Duty", "Email", "IndicatorLevels", "Line", "NodeId",
    "Outcome", "Phone", "Question", "Text",
]  # fmt: skip


class Source(_Strict, frozen=True):
    """Where a flow comes from: the document, the part of it that holds the chart, and when the
    document was published (`undated; about 2018–19` where it carries no date), with the evidence.
    `address`: where it is published. `kind`: what it is, such as "protocol" or "web pages"."""

    document: Line
    part: Line
    area: Line | None = None  # the place whose protocol it is, to name the flow by
    publisher: Line | None = None
    published: Line | None = None
    evidence: Text | None = None
    address: Line | None = None
    kind: Line | None = None


class Reference(_Strict, frozen=True):
    """Another document a flow's sentences cite, by the name they cite it by (`cite`: a sentence
    ending "(Contact page)" cites the document whose `cite` is "Contact page"), with its address, its
    date as shown (or "date unknown") and what kind of document it is."""

    cite: Line
    title: Line
    dated: Line
    kind: Line
    address: Line | None = None


class Kind(Protocol):
    """What every kind of node must give, so that nothing outside its module asks what kind a node
    is: `models.KINDS` holds each kind as this type, and mypy names any part a new kind leaves out."""

    kind: ClassVar[str]  # its name in a summary's route
    asks: ClassVar[bool]  # answered (a question, a checklist), or passed (an action box) or an end
    shape: ClassVar[Literal["decision", "box", "end"]]  # how the diagrams draw it
    chart_action: ClassVar[bool]  # passing it puts its box among the summary's actions
    rules: ClassVar[dict[str, tuple[str, str]]]  # its own `validate` rules: name, (severity, meaning)

    @property
    def text(self) -> str: ...  # the chart's words
    @property
    def section(self) -> str: ...  # where the protocol says it
    @property
    def wording(self) -> Literal["verbatim", "paraphrase"] | None: ...  # its text's, else the flow's

    def exits(self) -> list[Exit]: ...
    def ask(self) -> Ask | None: ...
    def valid(self) -> list[str]: ...
    def parse(self, node_id: str, given: str) -> Answer: ...
    def lead(self, node_id: str, answer: Answer) -> Exit: ...
    def problems(self) -> list[Problem]: ...
    def named_contacts(self) -> list[str]: ...
    def box(self) -> str: ...
    def end(self) -> Outcome | None: ...


Node = Question | Action | Outcome | ScoredChecklist
# Every kind, as the type each must be: mypy names what a kind added here leaves out (a test keeps
# this and `Node` alike).
KINDS: tuple[type[Kind], ...] = (Question, Action, Outcome, ScoredChecklist)


class Advice(_Strict, frozen=True):
    """Where to seek advice; shown on every summary of a flow (the decision stays human)."""

    text: Text
    contacts: list[NodeId] = []
    out_of_hours: Text | None = None


class Flow(_Strict, kw_only=True, frozen=True):
    """One flowchart as a graph. Node ids are the keys of `nodes`."""

    id: NodeId
    aliases: list[NodeId] = []
    title: Line
    audience: Text
    source: Source
    version: Line
    reviewed: dt.date
    review_by: dt.date | None = None
    description: Text
    # What the routes are a reading of, said in every summary's footer (the arrows lost in a text
    # extraction, or prose with no chart), and the questions a local owner must settle.
    reading: Text | None = None
    open_questions: list[Text] = []
    consent_section: Line | None = None  # the section every `referral` end cites for consent
    # The other documents its sentences cite, by the names they cite them by.
    references: list[Reference] = []
    # Whether the boxes' texts are the chart's own words (shown in quotation marks) or this project's
    # paraphrase of prose (never in quotation marks). A node may say otherwise for itself (`wording`).
    box_text: Literal["verbatim", "paraphrase"] = "verbatim"
    advice: Advice
    start: NodeId
    nodes: dict[str, Node]

    def verbatim(self, node_id: str) -> bool:
        """Whether a node's text is the chart's own words, to be shown in quotation marks."""
        return (self.nodes[node_id].wording or self.box_text) == "verbatim"


class Check(_Strict, frozen=True):
    """The last check of a contact against a live, current directory: when (`date`), by whom, against what."""

    date: dt.date
    by: Line
    against: Line


class Corroboration(_Strict, kw_only=True, frozen=True):
    """A public page found to say something about a contact: where, what it says, how dated. Not a
    check (`checked` is a person checking against a live directory), and never proof it is current."""

    kind: Literal["web page", "press report"]
    title: Line
    address: Line
    dated: Line  # as the page shows it, or "date unknown"
    says: Text  # a paraphrase of what the page says, and nothing more
    inference: Text | None = None  # what this project draws from it, kept apart from what it says


class Document(_Strict, frozen=True):
    """A published document that contacts were copied from, and what is known of its date."""

    title: Line
    published: Line
    evidence: Text | None = None
    # The document's text, kept beside the contacts file (a path relative to it): every phone number
    # and email copied from the document must appear in it, in the section its `source` names.
    text: Line | None = None


Day = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# A span of a day when a service is open, "08:45-17:00"; "24:00" ends a span at midnight.
SPAN_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)" + END
Span = Annotated[str, msgspec.Meta(pattern=SPAN_PATTERN)]
PATTERN_MEANINGS[SPAN_PATTERN] = "pattern_span"
Division = Literal["england-and-wales", "scotland", "northern-ireland"]


class Opening(_Strict, kw_only=True, frozen=True):
    """A service's own hours, weekday by weekday: each day's spans (a day left out is closed), its
    hours on a bank holiday of its `division` (none: closed), and dates with hours of their own.
    `source` says where they are published; without one they are assumed, and `basis` says on what."""

    week: dict[Day, list[Span]]
    bank_holidays: list[Span] = []
    exceptions: dict[dt.date, list[Span]] = {}
    division: Division | None = None  # the bank holidays it keeps: without one, the contacts file's
    source: Line | None = None
    basis: Text | None = None


class PhoneLine(_Strict, kw_only=True, frozen=True):
    """A phone number with what to do once through (`option`: the menu option to select; an
    extension is part of the number), or with the condition for using it (`when`: a fallback)."""

    number: Phone
    option: Line | None = None
    when: Line | None = None


def phone_words(phone: PhoneLine) -> str:
    """A number with its menu option, or with the condition for using it, in the phrasebook's words."""
    said = SUMMARY["phone_option"].format(number=phone.number, option=phone.option) if phone.option else phone.number
    return SUMMARY["phone_when"].format(number=said, when=phone.when) if phone.when else said


class Contact(_Strict, kw_only=True, frozen=True):
    """A service to phone or write to. `source` says where the details were copied from (`document`
    names it, for its date); `checked` is the last check against a current directory, if any.
    `hours` is its part in the day: a service of `office` hours, `out-of-hours` cover, or open at any
    time (`always`). Its own hours are `opening`; without them, the contacts file's office hours
    (or the rest of the week, for out-of-hours cover), published only where `hours_source` says so."""

    name: Line
    phones: Annotated[list[Phone | PhoneLine], msgspec.Meta(max_length=MAX_PHONES)] = []
    email: Email | None = None
    web: Line | None = None
    hours: Literal["office", "out-of-hours", "always"]
    opening: Opening | None = None
    hours_source: Line | None = None
    # Where the hours are not published: what a public page says of them, with the page and its date.
    hours_note: Line | None = None
    out_of_hours: NodeId | None = None
    source: Line
    document: NodeId | None = None
    checked: Check | None = None
    corroboration: list[Corroboration] = []
    national: bool = False
    named_person: bool = False
    note: Text | None = None

    @property
    def numbers(self) -> list[str]:
        """Its phone numbers as every output shows them: each with its menu option, or with the
        condition for using it."""
        return [phone if isinstance(phone, str) else phone_words(phone) for phone in self.phones]

    @property
    def digits(self) -> list[str]:
        """Its phone numbers alone."""
        return [phone if isinstance(phone, str) else phone.number for phone in self.phones]


class OfficeHours(_Strict, frozen=True):
    """When services that keep office hours are open."""

    timezone: Line
    days: list[Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]]
    opens: Annotated[str, msgspec.Meta(pattern=r"^[0-2][0-9]:[0-5][0-9]$")]
    closes: Annotated[str, msgspec.Meta(pattern=r"^[0-2][0-9]:[0-5][0-9]$")]
    bank_holidays: Line
    bank_holiday_division: Line
    assumed: bool = True
    basis: Text | None = None


class ImmediateDanger(_Strict, frozen=True):
    text: Text
    contact: NodeId


class Directory(_Strict, frozen=True):
    """The contacts file: every contact, the office hours, and the line for immediate danger."""

    office_hours: OfficeHours
    immediate_danger: ImmediateDanger
    contacts: dict[str, Contact]
    documents: dict[str, Document] = {}


class LocalContacts(_Strict, frozen=True):
    """A partnership's own contacts file: entries that replace the bundled ones of the same id (each
    whole, with its own `checked`), entries of a new id, added, and the documents they cite."""

    contacts: dict[str, Contact]
    documents: dict[str, Document] = {}


class GuidanceColumn(_Strict, frozen=True):
    key: NodeId
    heading: Line
    section: Line | None = None  # the column's own subsection (10.2), where the table spans several


class GuidanceRow(_Strict, frozen=True):
    cells: list[list[Text]]
    key: NodeId | None = None
    heading: Text | None = None


class Guidance(_Strict, frozen=True):
    """A table of the protocol's own words: rows (parent, child, ...) by columns (levels of need, ...)."""

    title: Line
    section: Line
    columns: Annotated[list[GuidanceColumn], msgspec.Meta(min_length=1)]
    rows: Annotated[list[GuidanceRow], msgspec.Meta(min_length=1)]
    intro: Text | None = None
    contacts: list[NodeId] = []  # the contacts the section prints (ids in the contacts file)
    # The protocol's own words (verbatim), or this project's paraphrase of prose.
    wording: Literal["verbatim", "paraphrase"] = "verbatim"


class GuidanceBook(_Strict, frozen=True):
    """The reference file: guidance tables by id."""

    guidance: dict[str, Guidance]
