"""What a practitioner must do at the end of a walk, decided once, as facts: no sentences here.

For one walk ended at one instant, `decide` works out which variant of each action applies (in or
out of office hours), whom to phone first, whether each service is open and on what basis (hours
published or assumed), when each deadline falls and from what it is counted, whether it is overdue,
and which advice applies. `summary.py` puts these facts into words; every output draws those words
and decides nothing again."""

from __future__ import annotations

import datetime as dt
import re

import msgspec

from decision_trees.core.clock import OfficeCalendar, Schedule, due_at
from decision_trees.core.engine import Step, Walk, ending, ends, outcome
from decision_trees.core.models import Contact, Directory, Duty, Flow, Outcome

CHECK_AFTER = dt.timedelta(days=365)  # a contact checked longer ago than this is overdue a check
CLOSING_SOON = dt.timedelta(minutes=30)  # within this of closing time, say when a service closes
REMIND_BEFORE = dt.timedelta(hours=1)  # the reminder leaves at least this long before the deadline
REMIND_STEP = dt.timedelta(minutes=15)  # the reminder falls on a quarter hour
REMIND_SOON = dt.timedelta(minutes=5)  # when no office time is left: this soon after the walk
_PLACEHOLDER = r"\{(phone|email):([a-z0-9][a-z0-9-]*)\}"


class Availability(msgspec.Struct, frozen=True):
    """Whether a contact is open at an instant, on what basis, and when that changes: `opens` when a
    closed office-hours service next opens; `closes` when an open one closes within half an hour,
    and `takeover`, its out-of-hours cover, then."""

    contact: str
    open_now: bool
    assumed: bool  # its hours are not published: the office hours are assumed
    opens: dt.datetime | None = None
    closes: dt.datetime | None = None
    takeover: str | None = None


class ActionFacts(msgspec.Struct, frozen=True):
    """An action to do: the chart's box or the outcome's duty, in the wording that applies (filled
    with numbers from the contacts file); `done_at` for the phone referral already made."""

    text: str
    origin: str  # "chart" or "outcome"
    noted: bool = False
    done_at: dt.datetime | None = None
    section: str | None = None  # a chart box's, or the outcome's for a duty worded for the hour
    brief: str | None = None  # the few words the action card gives, where the flow gives them
    verbatim: bool = True  # a chart box's words are the chart's own (quoted), not a paraphrase


class DeadlineFacts(msgspec.Struct, frozen=True):
    """One of the outcome's deadlines: when it falls, counted from the call (`from_call`) or the end
    of the walk, whether the service it goes to is closed then, and whether it is already overdue."""

    index: int  # in the outcome's deadlines
    due: dt.datetime
    counted_from: dt.datetime
    from_call: bool
    closed_when_due: bool
    overdue: bool
    remind_at: dt.datetime  # when a calendar reminder should go off


class Decision(msgspec.Struct, frozen=True):
    """Everything the core decides for one walk at one instant."""

    flow: Flow
    outcome_id: str
    ended_at: dt.datetime
    in_hours: bool
    route: list[Step]
    actions: list[ActionFacts]
    contacts: list[Availability]  # in the order to phone them: an open number first
    advice_out_of_hours: bool  # the flow's advice for when offices are closed applies
    advice_contacts: list[Availability]
    deadlines: list[DeadlineFacts]
    # Out of hours: each cover (None: no cover is published) and the closed services it stands in for.
    closed: list[tuple[str | None, list[str]]]
    called_at: dt.datetime | None  # the phone referral, when its time was given
    called: str | None  # the contact the tool advised phoning then
    checked_on: dt.date  # the day contacts' checks are judged on
    # Out of hours, no service the route or the advice names is open with a phone number (a protocol
    # that prints none): the summary says none is configured, and `validate` warns.
    no_open_number: bool = False
    # The outcome's first action still to do (not a chart box passed on the way, nor the phone call
    # already made), and the contact to phone now: an
    # open service with a number, or none out of hours on a route that waits for a closed service.
    first_to_do: int | None = None
    phone_now: str | None = None

    @property
    def end(self) -> Outcome:
        return ending(self.flow, self.outcome_id)


# The check statuses of a contact nobody has checked against a current directory in CHECK_AFTER.
UNCHECKED = frozenset({"not-checked", "overdue"})


def check_status(contact: Contact, today: dt.date) -> str:
    if contact.national:
        return "national"
    if contact.checked is None:
        return "not-checked"
    return "overdue" if contact.checked.date + CHECK_AFTER < today else "checked"


def hours_assumed(contact: Contact, directory: Directory) -> bool:
    """Whether what the tool says of a contact's hours is its assumption, not published hours."""
    if contact.opening is not None:
        return contact.opening.source is None
    return contact.hours != "always" and contact.hours_source is None and directory.office_hours.assumed


def hours_of(contact_id: str, directory: Directory, calendar: OfficeCalendar) -> Schedule:
    """When a contact is open: its own opening, else the contacts file's office hours (the rest of
    the week for out-of-hours cover; every hour for a service open at any time)."""
    contact = directory.contacts[contact_id]
    if contact.opening is not None:
        return calendar.schedule(contact.opening)
    return {"office": calendar.office, "out-of-hours": calendar.rest_of_week, "always": calendar.always}[
        contact.hours
    ]()


def availability(contact_id: str, directory: Directory, calendar: OfficeCalendar, at: dt.datetime) -> Availability:
    """Whether a contact is open at `at`, and when it next opens or (soon) closes. Out-of-hours cover
    that keeps the rest of the week is said to be open or not, as it stands in for office hours."""
    contact = directory.contacts[contact_id]
    assumed = hours_assumed(contact, directory)
    hours = hours_of(contact_id, directory, calendar)
    open_now = hours.is_open(at)
    if contact.opening is None and contact.hours != "office":
        return Availability(contact_id, open_now, assumed if contact.hours != "always" else False)
    if not open_now:
        return Availability(contact_id, False, assumed, opens=hours.next_opening(at))
    closes = hours.closing(at)
    if closes is not None and closes - at <= CLOSING_SOON:
        return Availability(contact_id, True, assumed, closes=closes, takeover=contact.out_of_hours)
    return Availability(contact_id, True, assumed)


def office_service(ids: list[str], directory: Directory) -> str | None:
    """The service whose hours are an end's office hours: the first of office hours among `ids` (the
    end's contacts, then its flow's advice's); None where none keeps office hours."""
    return next((c for c in ids if c in directory.contacts and directory.contacts[c].hours == "office"), None)


def office_open(ids: list[str], directory: Directory, calendar: OfficeCalendar, at: dt.datetime) -> bool:
    """Whether it is office hours for an end at `at`: whether its office service is open then; the
    contacts file's office hours where it has none."""
    first = office_service(ids, directory)
    return hours_of(first, directory, calendar).is_open(at) if first else calendar.is_open(at)


def office_assumed(ids: list[str], directory: Directory) -> bool:
    """Whether an end's office hours are assumed: its office service's, else the contacts file's."""
    first = office_service(ids, directory)
    return hours_assumed(directory.contacts[first], directory) if first else directory.office_hours.assumed


def remind_at(hours: Schedule, due: dt.datetime, ended_at: dt.datetime) -> dt.datetime:
    """When a deadline's reminder goes off: the last quarter hour the service it goes to is open, at
    least an hour before it falls, so that it can still be sent to an open office; when no such time
    is left before then, soon after the walk."""
    latest = (due - REMIND_BEFORE).astimezone(hours.tz)
    day = latest.date()
    while day >= ended_at.astimezone(hours.tz).date():  # a day at a time, not a quarter at a time
        for start, end in reversed(hours.spans(day)):
            opens = hours.at(day, start)
            last = min(latest, hours.at(day, end) - REMIND_STEP)
            at = last.replace(minute=last.minute - last.minute % 15, second=0, microsecond=0)
            if at >= opens and at > ended_at:
                return at
            if at <= ended_at:
                return ended_at + REMIND_SOON
        day -= dt.timedelta(days=1)
    return ended_at + REMIND_SOON


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
            return " or ".join(contact.numbers) or contact.name
        return contact.email or contact.name

    return re.sub(_PLACEHOLDER, one, text)


def placeholders(text: str) -> list[str]:
    """The contact ids an action's text names as `{phone:ID}` or `{email:ID}`."""
    return [match[2] for match in re.finditer(_PLACEHOLDER, text)]


def contacts_in_use(flow: Flow, directory: Directory) -> set[str]:
    """Every contact a flow can show: its outcomes' and its advice's, their out-of-hours alternatives,
    those its deadlines go to and its actions name, and the number for immediate danger."""
    used = {directory.immediate_danger.contact, *flow.advice.contacts}
    for node in ends(flow).values():
        used.update(node.named_contacts())
        for item in node.actions:
            texts = item.texts if isinstance(item, Duty) else [item]
            used.update(c for text in texts for c in placeholders(text))
    alternatives = (directory.contacts[c].out_of_hours for c in used if c in directory.contacts)
    used |= {alternative for alternative in alternatives if alternative}
    return {c for c in used if c in directory.contacts}


def decide(
    flow: Flow,
    walk: Walk,
    directory: Directory,
    calendar: OfficeCalendar,
    ended_at: dt.datetime,
    phoned_at: dt.datetime | None = None,
) -> Decision:
    """The decision for a finished walk ended at `ended_at` (timezone-aware); deadlines are counted
    from it, or from `phoned_at`, when the phone referral was made, if given."""
    end = outcome(flow, walk)
    ended_at = ended_at.astimezone(calendar.tz)
    services = [*end.contacts, *flow.advice.contacts]
    in_hours = office_open(services, directory, calendar, ended_at)
    route: list[Step] = []
    chart: list[ActionFacts] = []
    for step in walk.route:  # the route's end is the decision's outcome, not a step of it
        node = flow.nodes[step.node]
        route.append(step)
        if node.chart_action:
            chart.append(
                ActionFacts(node.text, "chart", step.noted, section=node.section, verbatim=flow.verbatim(step.node))
            )
    phoned = phoned_at.astimezone(calendar.tz) if phoned_at is not None else ended_at
    open_at_call = office_open(services, directory, calendar, phoned)

    def duty(item: str | Duty) -> ActionFacts:
        if not isinstance(item, Duty):
            return ActionFacts(fill(item, directory), "outcome")
        if item.call and phoned_at is not None:  # made already: the advice as it stood at the call
            advised = fill(item.wording(open_at_call), directory)
            return ActionFacts(
                advised, "outcome", noted=True, done_at=phoned, section=end.section, brief=_brief(item, directory)
            )
        return ActionFacts(
            fill(item.wording(in_hours), directory), "outcome", section=end.section, brief=_brief(item, directory)
        )

    def reach(ids: list[str]) -> list[Availability]:
        return [availability(c, directory, calendar, ended_at) for c in order_contacts(ids, directory, not in_hours)]

    contacts = reach(list(end.contacts))
    call_done = phoned_at is not None and any(isinstance(a, Duty) and a.call for a in end.actions)
    closed: dict[str | None, list[str]] = {}
    if not in_hours and not (end.urgent and call_done):  # once the urgent call is made, "phone … now" is past
        for found in contacts:
            alternative = directory.contacts[found.contact].out_of_hours
            if directory.contacts[found.contact].hours == "office" and not found.open_now:
                closed.setdefault(alternative, []).append(found.contact)
    deadlines = _deadlines(end, directory, calendar, phoned, phoned_at is not None, ended_at)
    first = next(iter(order_contacts(list(end.contacts), directory, not open_at_call)), None)
    advice_contacts = reach(list(flow.advice.contacts))
    actions = [*chart, *(duty(item) for item in end.actions)]
    waits = bool(closed) and not end.urgent  # a routine route out of hours: the call waits for the opening
    open_numbers = (c.contact for c in contacts if c.open_now and directory.contacts[c.contact].phones)
    return Decision(
        flow=flow,
        outcome_id=walk.at,
        ended_at=ended_at,
        in_hours=in_hours,
        route=route,
        actions=actions,
        contacts=contacts,
        advice_out_of_hours=not in_hours and flow.advice.out_of_hours is not None,
        advice_contacts=advice_contacts,
        deadlines=deadlines,
        closed=list(closed.items()),
        called_at=phoned if phoned_at is not None else None,
        called=first if phoned_at is not None else None,
        checked_on=ended_at.date(),
        no_open_number=not in_hours and not _any_open_number([*contacts, *advice_contacts], directory),
        first_to_do=next((n for n, a in enumerate(actions) if a.done_at is None and a.origin == "outcome"), None),
        phone_now=None if waits or call_done else next(open_numbers, None),
    )


def _deadlines(
    end: Outcome,
    directory: Directory,
    calendar: OfficeCalendar,
    phoned: dt.datetime,
    from_call: bool,
    ended_at: dt.datetime,
) -> list[DeadlineFacts]:
    """When each of the outcome's deadlines falls, counted from `phoned`, and whether it is overdue or
    falls while the service it goes to is closed."""
    found = []
    for index, deadline in enumerate(end.deadlines):
        due = due_at(phoned, deadline.within, calendar)
        hours = calendar.office()
        shut = False
        if deadline.send_to is not None:
            hours = hours_of(deadline.send_to, directory, calendar)
            shut = directory.contacts[deadline.send_to].hours != "always" and not hours.is_open(due)
        overdue = due <= ended_at  # then whether the service is open when it fell no longer matters
        remind = remind_at(hours, due, ended_at)
        found.append(DeadlineFacts(index, due, phoned, from_call, shut and not overdue, overdue, remind))
    return found


def _brief(item: Duty, directory: Directory) -> str | None:
    return fill(item.brief, directory) if item.brief else None


def _any_open_number(named: list[Availability], directory: Directory) -> bool:
    return any(found.open_now and directory.contacts[found.contact].phones for found in named)
