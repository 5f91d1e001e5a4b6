"""The action summary at the end of a walk, as plain data: what to do, whom to phone, by when, and
where each fact comes from."""

import datetime as dt
import re
from typing import assert_never

import msgspec

from decision_trees.core.clock import OfficeCalendar, clock_time, describe, describe_day, due_at
from decision_trees.core.engine import Walk, answers_given, outcome
from decision_trees.core.guidance import Tally
from decision_trees.core.models import Action, Check, Contact, Directory, Duty, Flow, OfficeHours, Outcome, Question

SCHEMA = "decision-trees/summary/2"
DISCLAIMER = (
    "This tool helps you follow the protocol. It does not replace your professional judgement "
    "or your local safeguarding procedures."
)
CHECK_AFTER = dt.timedelta(days=365)  # a contact checked longer ago than this is overdue a check
CLOSING_SOON = dt.timedelta(minutes=30)  # within this of closing time, say when a service closes
_PLACEHOLDER = r"\{(phone|email):([a-z0-9][a-z0-9-]*)\}"


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


class ActionItem(msgspec.Struct, frozen=True):
    text: str
    origin: str  # "chart" for an action box passed on the route, "outcome" for the outcome's duties
    noted: bool = False  # a chart action acknowledged in an interactive walk; otherwise still to do


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
    closed_now: list[str]
    actions: list[ActionItem]
    contacts: list[ContactView]
    deadlines: list[DeadlineView]
    conditions: ConditionsView | None
    notes: list[str]
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


def _iso(when: dt.datetime) -> str:
    """ISO 8601 with the UTC offset spelt out (+00:00 in winter, +01:00 in summer), to the second."""
    return when.isoformat(timespec="seconds")


def provenance_sentence(flow_id: str, version: str, source: str, published: str | None, reviewed: dt.date) -> str:
    """Where a flow comes from, and what its review date does and does not mean."""
    when = f" ({published})" if published else ""
    return (
        f"Flow {flow_id} version {version}, from the {source}{when}. Its questions and routes were compared "
        f"with the protocol text on {describe_day(reviewed)}. That is not a check that the protocol is still current."
    )


def flow_provenance_text(flow: Flow) -> str:
    source = flow.source
    return provenance_sentence(
        flow.id, flow.version, f"{source.document}, {source.part}", source.published, flow.reviewed
    )


def office_hours_text(hours: OfficeHours) -> str:
    """`weekdays 9am to 5pm`, from the contacts file's office hours."""
    days = "weekdays" if hours.days == ["Mon", "Tue", "Wed", "Thu", "Fri"] else ", ".join(hours.days)
    opens, closes = (dt.time.fromisoformat(t) for t in (hours.opens, hours.closes))
    return f"{days} {clock_time(opens)} to {clock_time(closes)}"


def check_status(contact: Contact, today: dt.date) -> str:
    if contact.national:
        return "national"
    if contact.checked is None:
        return "not-checked"
    return "overdue" if contact.checked.date + CHECK_AFTER < today else "checked"


def provenance(contact: Contact, directory: Directory, today: dt.date) -> str:
    """Where a contact's details come from and whether anyone has checked them, in plain words."""
    status = check_status(contact, today)
    if status == "national":
        return f"{contact.source}."
    document = directory.documents.get(contact.document or "")
    published = f" ({document.published})" if document else ""
    copied = f"Copied from the {contact.source}{published}."
    if contact.named_person:
        copied += " The email is a named person’s, as printed there: they may have moved on."
    check = contact.checked
    if check is None:
        return f"{copied} Not checked against a current directory. Check it before you rely on it."
    checked = f"Last checked on {describe_day(check.date)} by {check.by}, against {check.against}."
    if status == "overdue":
        return f"{copied} {checked} That was over a year ago. Check it before you rely on it."
    return f"{copied} {checked}"


def _availability(
    contact: Contact, hours: OfficeHours, calendar: OfficeCalendar, at: dt.datetime, directory: Directory
) -> tuple[bool, str, dt.datetime | None, dt.datetime | None]:
    """Whether a contact is open at `at`, in words, and when it next opens or (soon) closes."""
    assumed = contact.hours != "always" and contact.hours_source is None and hours.assumed
    usual = office_hours_text(hours)
    in_hours = calendar.is_open(at)
    if contact.hours == "always":
        return True, "Any time", None, None
    if contact.hours == "out-of-hours":
        if in_hours:
            return False, f"Out of office hours only ({'assumed: ' if assumed else ''}outside {usual})", None, None
        return True, "Open now, out of office hours" + (" (hours assumed)" if assumed else ""), None, None
    if in_hours:
        closes = calendar.closing(at)
        text = f"Open now, if it keeps the assumed hours ({usual})" if assumed else "Open now (office hours)"
        if closes - at <= CLOSING_SOON:
            takeover = directory.contacts.get(contact.out_of_hours or "")
            then = f"; after that, phone the {takeover.name}" if takeover else ""
            return True, f"{text}. It closes at {clock_time(closes)}{then}", None, closes
        return True, text, None, None
    opens = calendar.next_opening(at)
    if assumed:
        text = (
            f"Its hours are not published: assumed {usual}, so it may be closed now. "
            f"Assumed to open at {describe(opens)}"
        )
    else:
        text = f"Closed now. Opens at {describe(opens)}"
    return False, text, opens, None


def contact_view(contact_id: str, directory: Directory, calendar: OfficeCalendar, at: dt.datetime) -> ContactView:
    contact = directory.contacts[contact_id]
    hours = directory.office_hours
    open_now, words, opens, closes = _availability(contact, hours, calendar, at, directory)
    document = directory.documents.get(contact.document or "")
    return ContactView(
        id=contact_id,
        name=contact.name,
        phones=list(contact.phones),
        email=contact.email,
        web=contact.web,
        hours=contact.hours,
        hours_assumed=contact.hours != "always" and contact.hours_source is None and hours.assumed,
        open_now=open_now,
        availability=words,
        opens=_iso(opens) if opens else None,
        opens_text=describe(opens) if opens else None,
        closes=_iso(closes) if closes else None,
        closes_text=describe(closes) if closes else None,
        note=contact.note,
        source=contact.source,
        published=document.published if document else None,
        checked=contact.checked,
        check_status=check_status(contact, at.date()),
        named_person=contact.named_person,
        provenance=provenance(contact, directory, at.date()),
    )


def order_contacts(ids: list[str], directory: Directory, out_of_hours: bool) -> list[str]:
    """The outcome's contacts; outside office hours, an open number comes first: each office-hours
    contact's out-of-hours alternative, then the contacts open at any time, then the closed ones."""
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


def fill(text: str, directory: Directory) -> str:
    """An action's text with `{phone:ID}` and `{email:ID}` filled in from the contacts file."""

    def one(match: re.Match[str]) -> str:
        contact = directory.contacts[match[2]]
        if match[1] == "phone":
            return " or ".join(contact.phones) or contact.name
        return contact.email or contact.name

    return re.sub(_PLACEHOLDER, one, text)


def contacts_in_use(flow: Flow, directory: Directory) -> set[str]:
    """Every contact a flow can show: its outcomes' and its advice's, their out-of-hours alternatives,
    those its deadlines go to and its actions name, and the number for immediate danger."""
    used = {directory.immediate_danger.contact, *flow.advice.contacts}
    for node in flow.nodes.values():
        if isinstance(node, Outcome):
            used.update(node.contacts)
            used.update(d.send_to for d in node.deadlines if d.send_to)
            for item in node.actions:
                texts = [item.text, item.out_of_hours] if isinstance(item, Duty) else [item]
                used.update(c for text in texts for c in placeholders(text))
    alternatives = (directory.contacts[c].out_of_hours for c in used if c in directory.contacts)
    used |= {alternative for alternative in alternatives if alternative}
    return {c for c in used if c in directory.contacts}


def placeholders(text: str) -> list[str]:
    """The contact ids an action's text names as `{phone:ID}` or `{email:ID}`."""
    return [match[2] for match in re.finditer(_PLACEHOLDER, text)]


def _closed_now(urgent: bool, views: list[ContactView], directory: Directory) -> list[str]:
    """Outside office hours: which services are closed, when they open, and what their out-of-hours
    alternative is for. One sentence for each alternative, however many services it stands in for."""
    closed: dict[str, list[ContactView]] = {}
    for view in views:
        alternative = directory.contacts[view.id].out_of_hours
        if view.hours == "office" and not view.open_now and alternative is not None:
            closed.setdefault(alternative, []).append(view)
    lines = []
    for alternative, services in closed.items():
        other = directory.contacts[alternative]
        number = " or ".join(other.phones)
        names = _join([f"the {s.name}" for s in services])
        assumed = all(s.hours_assumed for s in services)
        closed_words = "probably closed now (hours assumed)" if assumed else "closed now"
        verb = "is" if len(services) == 1 else "are"
        if urgent:
            lines.append(
                f"{names[0].upper()}{names[1:]} {verb} {closed_words}. Phone the {other.name} now on {number}."
            )
            continue
        one = len(services) == 1
        opens = {(True, True): "It is assumed to open", (True, False): "They are assumed to open",
                 (False, True): "It opens", (False, False): "They open"}[(assumed, one)]  # fmt: skip
        lines.append(
            f"{names[0].upper()}{names[1:]} {verb} {closed_words}. {opens} at {services[0].opens_text}: "
            f"make a routine referral then. The {other.name}, on {number}, is for urgent concerns about a child, "
            "not for a routine referral."
        )
    return lines


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _deadline_view(
    task: str, within: str, counted_from: str, send_to: str | None, ended_at: dt.datetime,
    directory: Directory, calendar: OfficeCalendar, walk_ended: dt.datetime,
) -> DeadlineView:  # fmt: skip
    due = due_at(ended_at, within)
    amount, unit = within[:-1], within[-1]
    if unit == "d":
        counting = f"{amount} days from {counted_from}, at the same time of day"
    else:
        noun = "hours" if unit == "h" else "minutes"
        counting = f"{amount} {noun} by the clock from {counted_from}, including nights, weekends and bank holidays"
    closed = False
    before = None
    name = email = None
    if send_to is not None:
        contact = directory.contacts[send_to]
        name, email = contact.name, contact.email
        view = contact_view(send_to, directory, calendar, due)
        closed = contact.hours == "office" and not view.open_now
        if closed:
            state = "is probably closed then (hours assumed)" if view.hours_assumed else "is closed then"
            how = f"you can email it to {contact.email}" if contact.email else "send it"
            before = f"The {contact.name} {state}. Send the written confirmation before then: {how}."
    if due <= walk_ended:  # the call was made long enough ago that the time has already passed
        late = f"This is overdue: it was due by {describe(due)}, before this walk ended. Send it now."
        return DeadlineView(
            task, within, counted_from, counting, _iso(due), describe(due), send_to, False, None, name, email,
            status="overdue", late=late,
        )  # fmt: skip
    return DeadlineView(
        task, within, counted_from, counting, _iso(due), describe(due), send_to, closed, before, name, email
    )


def summarise(
    flow: Flow,
    walk: Walk,
    directory: Directory,
    calendar: OfficeCalendar,
    ended_at: dt.datetime,
    *,
    tallies: list[Tally] | None = None,
    case_ref: str | None = None,
    contacts_files: list[ContactsFile] | None = None,
    phoned_at: dt.datetime | None = None,
) -> Summary:
    """Build the summary of a finished walk. `ended_at` must be timezone-aware; deadlines are
    counted from it, or from `phoned_at`, when the phone referral was made, if given."""
    end = outcome(flow, walk)
    ended_at = ended_at.astimezone(calendar.tz)
    in_hours = calendar.is_open(ended_at)

    route: list[RouteStep] = []
    chart_actions: list[ActionItem] = []
    for step in walk.route:
        match flow.nodes[step.node]:
            case Question() as node:
                route.append(RouteStep(step.node, "question", node.text, step.answer, node.section))
            case Action() as node:
                route.append(RouteStep(step.node, "action", node.text, None, node.section, step.noted))
                chart_actions.append(ActionItem(node.text, "chart", step.noted))
            case Outcome():
                pass  # the route's end is the summary's outcome, not a step of it
            case other:
                assert_never(other)

    def view(ids: list[str]) -> list[ContactView]:
        return [contact_view(c, directory, calendar, ended_at) for c in order_contacts(ids, directory, not in_hours)]

    phoned = phoned_at.astimezone(calendar.tz) if phoned_at is not None else ended_at
    open_at_call = calendar.is_open(phoned)

    def duty(item: str | Duty) -> ActionItem:
        if not isinstance(item, Duty):
            return ActionItem(fill(item, directory), "outcome")
        if item.call and phoned_at is not None:  # made already: the advice as it stood at the call
            advised = fill(item.text if open_at_call else item.out_of_hours, directory)
            return ActionItem(f"Phoned at {describe(phoned)}, as this tool advised then: {advised}", "outcome", True)
        return ActionItem(fill(item.text if in_hours else item.out_of_hours, directory), "outcome")

    contacts = view(list(end.contacts))
    advice = view(list(flow.advice.contacts))
    called = None
    if phoned_at is not None:
        first = next(iter(order_contacts(list(end.contacts), directory, not open_at_call)), None)
        reached = directory.contacts[first] if first else None
        called = CallView(
            _iso(phoned),
            describe(phoned),
            first,
            reached.name if reached else None,
            list(reached.phones) if reached else [],
        )
    call_done = phoned_at is not None and any(isinstance(a, Duty) and a.call for a in end.actions)
    deadlines = [
        msgspec.structs.replace(
            _deadline_view(
                d.task,
                d.within,
                f"the phone referral at {describe(phoned)}" if phoned_at is not None else d.counted_from,
                d.send_to,
                phoned,
                directory,
                calendar,
                ended_at,
            ),
            subject=d.subject,
            include=list(d.include),
        )
        for d in end.deadlines
    ]
    danger = directory.contacts[directory.immediate_danger.contact]
    conditions = ConditionsView(end.conditions.text, list(end.conditions.items)) if end.conditions else None
    answers = answers_given(walk)
    indicators = [msgspec.structs.replace(t, chosen=answers.get(t.node)) for t in tallies or [] if t.node in answers]
    shown = [*contacts, *advice]
    hours = directory.office_hours
    advice_text = flow.advice.text if in_hours or not flow.advice.out_of_hours else flow.advice.out_of_hours
    source = flow.source
    return Summary(
        schema=SCHEMA,
        flow=FlowRef(
            flow.id, flow.version, flow.title, f"{source.document}, {source.part}", source.published, flow.reviewed
        ),
        case_ref=case_ref,
        ended_at=_iso(ended_at),
        ended_text=describe(ended_at),
        office_hours=in_hours,
        immediate_danger=DangerView(directory.immediate_danger.text, list(danger.phones)),
        outcome=OutcomeView(walk.at, end.ref, end.title, end.text, end.section, end.urgent),
        # Once the urgent call is made, "phone … now" for it would be out of date.
        closed_now=[] if in_hours or (end.urgent and call_done) else _closed_now(end.urgent, contacts, directory),
        actions=[*chart_actions, *(duty(item) for item in end.actions)],
        contacts=contacts,
        deadlines=deadlines,
        conditions=conditions,
        notes=list(end.notes),
        advice=AdviceView(advice_text, advice),
        read=list(end.read),
        route=route,
        indicators=indicators,
        hours_basis=hours.basis if hours.assumed else None,
        not_checked=list(dict.fromkeys(c.id for c in shown if c.check_status in ("not-checked", "overdue"))),
        disclaimer=DISCLAIMER,
        contacts_files=list(contacts_files or []),
        called=called,
    )
