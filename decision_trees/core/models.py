"""The data models: flows, their nodes, contacts. Decoded strictly from YAML by `loading`."""

import datetime as dt
from typing import Annotated, Literal

import msgspec

# Patterns end in `$(?!\n)`: Python's `$` also matches before a final line break, which the
# lookahead refuses; JSON Schema's (ECMA) `$` needs no such care, and the schema stays valid there.
END = r"$(?!\n)"
Text = Annotated[str, msgspec.Meta(min_length=1)]
# A field shown as one line (a name, a title, a subject): a line break in it could print a fake line.
ONE_LINE = r"^[^\n]+" + END
Line = Annotated[str, msgspec.Meta(min_length=1, pattern=ONE_LINE)]
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*" + END  # ids of flows, nodes, contacts and guidance
NodeId = Annotated[str, msgspec.Meta(pattern=ID_PATTERN)]
# A phone number as printed: digits and spaces, an optional leading +, an optional extension.
PHONE_PATTERN = r"^\+?[0-9][0-9 ]*[0-9]( ext [0-9]+)?" + END
Phone = Annotated[str, msgspec.Meta(pattern=PHONE_PATTERN, max_length=40)]
# One plain address (RFC 5322's dot-atom form): no display name, no quoting, no second address, no
# group syntax. `loading` also parses it with the standard library's `email` package.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}" + END
)
Email = Annotated[str, msgspec.Meta(pattern=EMAIL_PATTERN, max_length=254)]
# What each pattern asks for, in words, for the one-line error that names a field that breaks it.
PATTERN_MEANINGS = {
    ONE_LINE: "one line of text, with no line break (a YAML `|` block ends in one: use `>-` or quotes)",
    ID_PATTERN: "an id of lower-case letters, digits and hyphens",
    PHONE_PATTERN: "a phone number in digits and spaces, such as 020 7974 3317 (or 020 7974 3317 ext 123)",
    EMAIL_PATTERN: "one plain email address, such as name@example.gov.uk (no name, quotes, commas or second address)",
}
MAX_PHONES = 20  # a contact lists a few numbers; thousands would only slow every listing


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    pass


class Source(_Strict, frozen=True):
    """Where a flow comes from: the document, the part of it that holds the chart, and when the
    document was published (`undated; about 2018–19` where it carries no date), with the evidence."""

    document: Line
    part: Line
    area: Line | None = None  # the place whose protocol it is ("Camden"), to name the flow by
    publisher: Line | None = None
    published: Line | None = None
    evidence: Text | None = None


class Choice(_Strict, frozen=True):
    """One answer to a question, and the node it leads to."""

    label: Line
    next: NodeId


class IndicatorLevels(_Strict, frozen=True):
    """Which choice each guidance column stands for, so that ticked indicators can be tallied by level."""

    levels: dict[str, Text]


class Question(_Strict, tag="question", tag_field="type", frozen=True):
    """A decision box of the chart. `text` is the box verbatim; `prompt` a plainer wording."""

    text: Text
    section: Line
    choices: Annotated[list[Choice], msgspec.Meta(min_length=2)]
    prompt: Text | None = None
    guidance: list[NodeId] = []
    indicators: IndicatorLevels | None = None
    # The choices' labels from the least need to the most: `validate` checks that a higher need never
    # leads to a less urgent end (each end's `urgency`).
    escalation: list[Line] = []


class Action(_Strict, tag="action", frozen=True):
    """A box that asks the practitioner to do something before the walk goes on."""

    text: Text
    section: Line
    next: NodeId


class Deadline(_Strict, frozen=True):
    """A task due a fixed time after the walk ends, such as written confirmation within 48 hours.
    `send_to` is the contact it goes to, whose email is offered when the deadline falls while it is closed."""

    task: Line
    within: Line
    counted_from: Line
    send_to: NodeId | None = None
    subject: Line | None = None  # the written confirmation's subject line, for the email draft
    include: list[Line] = []  # what the written confirmation should contain, by the protocol
    # How the protocol says the confirmation is sent, where it says so, with its section: shown beside
    # the contact's email, which is only where the address is printed.
    channel: Text | None = None


class Duty(_Strict, frozen=True):
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


class Conditions(_Strict, frozen=True):
    """Circumstances the protocol attaches to an outcome, such as section 13's for a pregnancy."""

    text: Text
    items: Annotated[list[Text], msgspec.Meta(min_length=1)]


class Outcome(_Strict, tag="outcome", frozen=True):
    """An end of the chart, with everything its action summary needs."""

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


Node = Question | Action | Outcome


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
    advice: Advice
    start: NodeId
    nodes: dict[str, Node]


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


class Contact(_Strict, kw_only=True, frozen=True):
    """A service to phone or write to. `source` says where the details were copied from (`document`
    names it, for its date); `checked` is the last check against a current directory, if any.
    `hours_source` says where its hours are published; without one they are assumed."""

    name: Line
    phones: Annotated[list[Phone], msgspec.Meta(max_length=MAX_PHONES)] = []
    email: Email | None = None
    web: Line | None = None
    hours: Literal["office", "out-of-hours", "always"]
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
    whole, with its own `checked`), and the documents they cite."""

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


class GuidanceBook(_Strict, frozen=True):
    """The reference file: guidance tables by id."""

    guidance: dict[str, Guidance]
