"""The data models: flows, their nodes, contacts. Decoded strictly from YAML by `loading`."""

import datetime as dt
from typing import Annotated, Literal

import msgspec

Text = Annotated[str, msgspec.Meta(min_length=1)]
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"  # ids of flows, nodes, contacts and guidance
NodeId = Annotated[str, msgspec.Meta(pattern=ID_PATTERN)]
# A phone number as printed: digits and spaces, an optional leading +, an optional extension.
Phone = Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9][0-9 ]*[0-9]( ext [0-9]+)?$")]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    pass


class Source(_Strict, frozen=True):
    """Where a flow comes from: the document, the part of it that holds the chart, and when the
    document was published (`undated; about 2018–19` where it carries no date), with the evidence."""

    document: Text
    part: Text
    publisher: Text | None = None
    published: Text | None = None
    evidence: Text | None = None


class Choice(_Strict, frozen=True):
    """One answer to a question, and the node it leads to."""

    label: Text
    next: NodeId


class IndicatorLevels(_Strict, frozen=True):
    """Which choice each guidance column stands for, so that ticked indicators can be tallied by level."""

    levels: dict[str, Text]


class Question(_Strict, tag="question", tag_field="type", frozen=True):
    """A decision box of the chart. `text` is the box verbatim; `prompt` a plainer wording."""

    text: Text
    section: Text
    choices: Annotated[list[Choice], msgspec.Meta(min_length=2)]
    prompt: Text | None = None
    guidance: list[NodeId] = []
    indicators: IndicatorLevels | None = None


class Action(_Strict, tag="action", frozen=True):
    """A box that asks the practitioner to do something before the walk goes on."""

    text: Text
    section: Text
    next: NodeId


class Deadline(_Strict, frozen=True):
    """A task due a fixed time after the walk ends, such as written confirmation within 48 hours.
    `send_to` is the contact it goes to, whose email is offered when the deadline falls while it is closed."""

    task: Text
    within: Text
    counted_from: Text
    send_to: NodeId | None = None
    subject: Text | None = None  # the written confirmation's subject line, for the email draft
    include: list[Text] = []  # what the written confirmation should contain, by the protocol


class Duty(_Strict, frozen=True):
    """An outcome's action with another wording for when offices are closed. Either text may name a
    contact's number or email as `{phone:ID}` or `{email:ID}`, filled in from the contacts file."""

    text: Text
    out_of_hours: Text


class Conditions(_Strict, frozen=True):
    """Circumstances the protocol attaches to an outcome, such as section 13's for a pregnancy."""

    text: Text
    items: Annotated[list[Text], msgspec.Meta(min_length=1)]


class Outcome(_Strict, tag="outcome", frozen=True):
    """An end of the chart, with everything its action summary needs."""

    ref: Text
    title: Text
    text: Text
    section: Text
    actions: list[Text | Duty]
    contacts: list[NodeId]
    urgent: bool = False
    deadlines: list[Deadline] = []
    conditions: Conditions | None = None
    notes: list[Text] = []
    read: list[Text] = []


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
    title: Text
    audience: Text
    source: Source
    version: Text
    reviewed: dt.date
    review_by: dt.date | None = None
    description: Text
    advice: Advice
    start: NodeId
    nodes: dict[str, Node]


class Check(_Strict, frozen=True):
    """The last check of a contact against a live, current directory: when (`date`), by whom, against what."""

    date: dt.date
    by: Text
    against: Text


class Document(_Strict, frozen=True):
    """A published document that contacts were copied from, and what is known of its date."""

    title: Text
    published: Text
    evidence: Text | None = None


class Contact(_Strict, kw_only=True, frozen=True):
    """A service to phone or write to. `source` says where the details were copied from (`document`
    names it, for its date); `checked` is the last check against a current directory, if any.
    `hours_source` says where its hours are published; without one they are assumed."""

    name: Text
    phones: list[Phone] = []
    email: Email | None = None
    web: Text | None = None
    hours: Literal["office", "out-of-hours", "always"]
    hours_source: Text | None = None
    out_of_hours: NodeId | None = None
    source: Text
    document: NodeId | None = None
    checked: Check | None = None
    national: bool = False
    named_person: bool = False
    note: Text | None = None


class OfficeHours(_Strict, frozen=True):
    """When services that keep office hours are open."""

    timezone: Text
    days: list[Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]]
    opens: Annotated[str, msgspec.Meta(pattern=r"^[0-2][0-9]:[0-5][0-9]$")]
    closes: Annotated[str, msgspec.Meta(pattern=r"^[0-2][0-9]:[0-5][0-9]$")]
    bank_holidays: Text
    bank_holiday_division: Text
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
    heading: Text


class GuidanceRow(_Strict, frozen=True):
    cells: list[list[Text]]
    key: NodeId | None = None
    heading: Text | None = None


class Guidance(_Strict, frozen=True):
    """A table of the protocol's own words: rows (parent, child, ...) by columns (levels of need, ...)."""

    title: Text
    section: Text
    columns: Annotated[list[GuidanceColumn], msgspec.Meta(min_length=1)]
    rows: Annotated[list[GuidanceRow], msgspec.Meta(min_length=1)]
    intro: Text | None = None


class GuidanceBook(_Strict, frozen=True):
    """The reference file: guidance tables by id."""

    guidance: dict[str, Guidance]


def flow_schema(kind: str = "flow") -> str:
    """The JSON Schema of flow files (`flow`) or of the contacts file (`contacts`), for editors."""
    import json

    model = {"flow": Flow, "contacts": Directory, "local-contacts": LocalContacts, "guidance": GuidanceBook}[kind]
    schema = msgspec.json.schema(model)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"decision-trees {kind} file"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
