"""The action summary at the end of a walk, as plain data: what to do, whom to phone, by when."""

import datetime as dt

import msgspec

from .clock import OfficeCalendar, describe, due_at
from .engine import Walk, answers_given, outcome
from .guidance import Tally
from .models import Action, Contact, Directory, Flow, Question

SCHEMA = "decision-trees/summary/1"


class FlowRef(msgspec.Struct, frozen=True):
    id: str
    version: str
    title: str
    source: str
    reviewed: dt.date


class RouteStep(msgspec.Struct, frozen=True):
    node: str
    kind: str
    text: str
    answer: str | None
    section: str


class OutcomeView(msgspec.Struct, frozen=True):
    node: str
    ref: str
    title: str
    text: str
    section: str


class ActionItem(msgspec.Struct, frozen=True):
    text: str
    origin: str  # "chart" for an action box passed on the route, "outcome" for the outcome's duties


class ContactView(msgspec.Struct, frozen=True):
    id: str
    name: str
    phones: list[str]
    email: str | None
    web: str | None
    hours: str
    open_now: bool
    opens: str | None
    opens_text: str | None
    note: str | None
    source: str
    checked: dt.date


class DeadlineView(msgspec.Struct, frozen=True):
    task: str
    within: str
    counted_from: str
    due: str
    due_text: str


class ConditionsView(msgspec.Struct, frozen=True):
    text: str
    items: list[str]


class AdviceView(msgspec.Struct, frozen=True):
    text: str
    contacts: list[ContactView]


class DangerView(msgspec.Struct, frozen=True):
    text: str
    phones: list[str]


class Summary(msgspec.Struct, frozen=True):
    """Everything the practitioner needs at the end of a walk. Its JSON form is documented and stable."""

    schema: str
    flow: FlowRef
    case_ref: str | None
    ended_at: str
    ended_text: str
    office_hours: bool
    immediate_danger: DangerView
    outcome: OutcomeView
    actions: list[ActionItem]
    contacts: list[ContactView]
    deadlines: list[DeadlineView]
    conditions: ConditionsView | None
    notes: list[str]
    advice: AdviceView
    read: list[str]
    route: list[RouteStep]
    indicators: list[Tally]


def _iso(when: dt.datetime) -> str:
    """ISO 8601 with the UTC offset spelt out (+00:00 in winter, +01:00 in summer), to the second."""
    return when.isoformat(timespec="seconds")


def _contact_view(contact_id: str, contact: Contact, calendar: OfficeCalendar, at: dt.datetime) -> ContactView:
    if contact.hours == "always":
        open_now = True
    elif contact.hours == "office":
        open_now = calendar.is_open(at)
    else:
        open_now = not calendar.is_open(at)
    opens = calendar.next_opening(at) if contact.hours == "office" and not open_now else None
    return ContactView(
        id=contact_id,
        name=contact.name,
        phones=list(contact.phones),
        email=contact.email,
        web=contact.web,
        hours=contact.hours,
        open_now=open_now,
        opens=_iso(opens) if opens else None,
        opens_text=describe(opens) if opens else None,
        note=contact.note,
        source=contact.source,
        checked=contact.checked,
    )


def order_contacts(ids: list[str], directory: Directory, out_of_hours: bool) -> list[str]:
    """The outcome's contacts; outside office hours, the out-of-hours services come first."""
    if not out_of_hours:
        return list(dict.fromkeys(ids))
    ordered: list[str] = []
    for contact_id in ids:
        alternative = directory.contacts[contact_id].out_of_hours
        if alternative:
            ordered.append(alternative)
    ordered += [c for c in ids if directory.contacts[c].hours != "office"]
    ordered += [c for c in ids if directory.contacts[c].hours == "office"]
    return list(dict.fromkeys(ordered))


def summarise(
    flow: Flow,
    walk: Walk,
    directory: Directory,
    calendar: OfficeCalendar,
    ended_at: dt.datetime,
    *,
    tallies: list[Tally] | None = None,
    case_ref: str | None = None,
) -> Summary:
    """Build the summary of a finished walk. `ended_at` must be timezone-aware."""
    end = outcome(flow, walk)
    ended_at = ended_at.astimezone(calendar.tz)
    in_hours = calendar.is_open(ended_at)

    route: list[RouteStep] = []
    chart_actions: list[ActionItem] = []
    for step in walk.route:
        node = flow.nodes[step.node]
        if isinstance(node, Question):
            route.append(RouteStep(step.node, "question", node.text, step.answer, node.section))
        elif isinstance(node, Action):
            route.append(RouteStep(step.node, "action", node.text, None, node.section))
            chart_actions.append(ActionItem(node.text, "chart"))

    contacts = [
        _contact_view(cid, directory.contacts[cid], calendar, ended_at)
        for cid in order_contacts(list(end.contacts), directory, not in_hours)
    ]
    deadlines = []
    for deadline in end.deadlines:
        due = due_at(ended_at, deadline.within)
        deadlines.append(DeadlineView(deadline.task, deadline.within, deadline.counted_from, _iso(due), describe(due)))
    danger = directory.contacts[directory.immediate_danger.contact]
    conditions = ConditionsView(end.conditions.text, list(end.conditions.items)) if end.conditions else None
    answers = answers_given(walk)
    indicators = [msgspec.structs.replace(t, chosen=answers.get(t.node)) for t in tallies or [] if t.node in answers]
    return Summary(
        schema=SCHEMA,
        flow=FlowRef(flow.id, flow.version, flow.title, f"{flow.source.document}, {flow.source.part}", flow.reviewed),
        case_ref=case_ref,
        ended_at=_iso(ended_at),
        ended_text=describe(ended_at),
        office_hours=in_hours,
        immediate_danger=DangerView(directory.immediate_danger.text, list(danger.phones)),
        outcome=OutcomeView(walk.at, end.ref, end.title, end.text, end.section),
        actions=[*chart_actions, *(ActionItem(text, "outcome") for text in end.actions)],
        contacts=contacts,
        deadlines=deadlines,
        conditions=conditions,
        notes=list(end.notes),
        advice=AdviceView(
            flow.advice.text,
            [_contact_view(c, directory.contacts[c], calendar, ended_at) for c in flow.advice.contacts],
        ),
        read=list(end.read),
        route=route,
        indicators=indicators,
    )
