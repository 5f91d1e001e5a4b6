"""The summary's JSON contract: the types every output draws and `walk --format json` encodes, as
`decision-trees/summary/N` (raise N where their shape changes). No sentence is made here: the
phrasing (summary.py) fills them from the core's decision, with the phrasebook's words."""

from __future__ import annotations

import datetime as dt

import msgspec

from decision_trees.core.card import Card
from decision_trees.core.guidance import Tally
from decision_trees.core.models import Check, Reference

SCHEMA = "decision-trees/summary/4"  # 4: the action card first; 3: actions, notes and advice carry their source


class ContactsFile(msgspec.Struct, frozen=True):
    """A contacts file a summary's numbers came from, and its sha256, so that a replay shows which
    numbers were given."""

    file: str
    sha256: str
    local: bool  # a partnership's own file, overriding bundled entries by id


class ContactCheck(msgspec.Struct, frozen=True):
    """A contact a flow uses that is overdue a check against a current directory."""

    id: str
    name: str
    status: str  # "not-checked", or "overdue" (last checked before the cut-off)
    checked: dt.date | None
    listed_in: str  # the contacts file the entry comes from
    flows: list[str]


class FlowRef(msgspec.Struct, frozen=True):
    id: str
    version: str
    title: str
    source: str
    published: str | None
    reviewed: dt.date  # when the flow was compared with the protocol's text, not a check of currency
    reading: str | None = None  # what the routes are a reading of (not the printed arrows)
    open_questions: list[str] = []  # for the local owner to settle against the printed chart
    source_kind: str | None = None  # what the source is ("web pages"), where not a protocol
    # The other documents the flow's sentences cite, by the names they cite them by.
    references: list[Reference] = []


class RouteStep(msgspec.Struct, frozen=True):
    node: str
    kind: str
    text: str
    answer: str | None
    section: str
    noted: bool = False  # an action box the practitioner said, in an interactive walk, they had noted


class OutcomeView(msgspec.Struct, frozen=True):
    node: str
    ref: str
    title: str
    text: str
    section: str
    urgent: bool
    verbatim: bool = True  # its text is the chart's own words, shown in quotation marks; else a paraphrase


class SentenceSource(msgspec.Struct, frozen=True):
    """Where a sentence comes from: `quote` (a box's words, as printed), `paraphrase` (the protocol
    in the tool's words, with its section) or `tool` (the tool's own advice, marked so in the text)."""

    kind: str
    section: str | None = None


class ActionItem(msgspec.Struct, frozen=True):
    text: str
    origin: str  # "chart" for an action box passed on the route, "outcome" for the outcome's duties
    noted: bool = False  # a chart action acknowledged in an interactive walk; otherwise still to do
    source: SentenceSource = SentenceSource("tool")


class NoteView(msgspec.Struct, frozen=True):
    text: str
    source: SentenceSource


class ContactView(msgspec.Struct, frozen=True):
    id: str
    name: str
    phones: list[str]
    email: str | None
    web: str | None
    hours: str
    hours_assumed: bool
    open_now: bool
    availability: str
    opens: str | None
    opens_text: str | None
    closes: str | None
    closes_text: str | None
    note: str | None
    source: str
    published: str | None
    checked: Check | None
    check_status: str  # "checked", "overdue" (over a year ago), "not-checked", or "national" (999)
    named_person: bool
    provenance: str
    corroboration: list[str] = []  # what public pages say of it, each with where and how dated
    # How many pages that speak of it too were given above, under an earlier contact (each page once).
    corroboration_above: int = 0
    hours_source: str = ""  # where what `availability` says of its hours comes from


class DeadlineView(msgspec.Struct, frozen=True):
    task: str
    within: str
    counted_from: str
    counting: str
    due: str
    due_text: str
    send_to: str | None
    closed_when_due: bool
    before_due: str | None
    send_to_name: str | None = None
    send_to_email: str | None = None
    subject: str | None = None
    include: list[str] = []
    status: str = "due"  # "overdue" when it fell before the walk ended (a call made long before)
    late: str | None = None  # for an overdue deadline: what to do now
    # A written confirmation the tool drafts: it goes to a contact with an email, and says what it holds.
    drafted: bool = False
    # How it is sent, as the flow declares: "email", "form" (at the address), "phone" or "letter".
    follow_up: str = "email"
    follow_up_address: str | None = None
    follow_up_what: str | None = None


class ConditionsView(msgspec.Struct, frozen=True):
    text: str
    items: list[str]


class CallView(msgspec.Struct, frozen=True):
    """The phone referral, when its time was given: when, and whom the tool advised phoning then."""

    at: str
    at_text: str
    contact: str | None
    name: str | None
    phones: list[str]


class AdviceView(msgspec.Struct, frozen=True):
    text: str
    contacts: list[ContactView]
    source: SentenceSource = SentenceSource("tool")


class DangerView(msgspec.Struct, frozen=True):
    text: str
    phones: list[str]


class Summary(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the practitioner needs at the end of a walk, the card first. Its JSON form is
    documented and stable."""

    schema: str
    card: Card
    flow: FlowRef
    case_ref: str | None
    ended_at: str
    ended_text: str
    office_hours: bool
    office_hours_assumed: bool
    immediate_danger: DangerView
    outcome: OutcomeView
    closed_now: list[str]
    actions: list[ActionItem]
    contacts: list[ContactView]
    deadlines: list[DeadlineView]
    conditions: ConditionsView | None
    notes: list[NoteView]
    advice: AdviceView
    read: list[str]
    route: list[RouteStep]
    indicators: list[Tally]
    hours_basis: str | None
    not_checked: list[str]
    disclaimer: str
    contacts_files: list[ContactsFile]
    files: dict[str, str] = {}  # files written beside the summary: output, record, email_draft, calendar
    called: CallView | None = None  # the phone referral, when --called-at gave its time
