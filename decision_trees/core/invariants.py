"""The safety invariants, checked over data rather than shown by examples: `validate` runs them on
the bundled flows and on a partnership's own, and a walk with a contacts file that breaks I1, I2
or I3 is refused. Each names the hazard it controls in docs/safety/hazard-log.md.

A route's advice depends on its outcome and the instant (its chart actions only add to it), so the
flow checks run over every reachable outcome at every instant of `instants`: linear in the flow."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import msgspec

from decision_trees.core.card import CARD_LINES, build_card
from decision_trees.core.cardlayout import card_lines, wrapped_lines
from decision_trees.core.citing import citations, cited
from decision_trees.core.clock import OfficeCalendar, describe
from decision_trees.core.decision import (
    UNCHECKED,
    Availability,
    Decision,
    availability,
    check_status,
    contacts_in_use,
    decide,
    hours_assumed,
    placeholders,
)
from decision_trees.core.engine import Walk, ending
from decision_trees.core.models import Contact, Directory, Duty, Flow, Node, Outcome
from decision_trees.core.summary import contact_view
from decision_trees.words import MESSAGES

# id -> (hazard, what must hold). The hazard log names these ids in its controls.
INVARIANTS: dict[str, tuple[str, str]] = {
    "I1": ("H5", "999 comes first: the immediate-danger number is open at any time and named in its sentence"),
    "I2": ("H5", "at every instant, every route first names a service open then, with a phone number in digits"),
    "I3": ("H5", "an out-of-hours cover exists, is open when its service is closed, has a phone, and no cover loops"),
    "I4": ("H4", "an outcome whose box says 'within N hours' has a deadline of N hours"),
    "I5": ("H12", "no 'open now' or 'closed now' without a basis: assumed hours say they are assumed"),
    "I6": ("H1", "every sentence has a source: a section, or marked as the tool's own"),
    "I7": ("H9", "no control, bidi or zero-width character, and no line break in a one-line field"),
    "I8": ("H11", "no `checked` date in the future, and no `national: true` on a service with a local number"),
}
_WITHIN = re.compile(r"within (\d+|one|two|three|four|five|seven|ten) (working days?|hours?|days?)", re.IGNORECASE)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "ten": 10}


class Breach(msgspec.Struct, frozen=True):
    """One invariant broken: which, where (a node or a contact, and the key), and how."""

    invariant: str
    message: str
    node: str | None = None
    contact: str | None = None
    key: str = "text"
    index: int | None = None
    flow: str | None = None

    @property
    def hazard(self) -> str:
        return INVARIANTS[self.invariant][0]

    def describe(self) -> str:
        """`I2 (hazard H5), appendix-4 node 'a4-6': at …, the first service it names … is closed then`."""
        where = ", ".join(
            x for x in (self.flow, MESSAGES["node_named"].format(node=self.node) if self.node else None) if x
        )
        where = where or (MESSAGES["contact_named"].format(contact=self.contact) if self.contact else "")
        return MESSAGES["breach"].format(
            invariant=self.invariant, hazard=self.hazard, where=", " + where if where else "", message=self.message
        )


def instants(calendar: OfficeCalendar, today: dt.date) -> list[dt.datetime]:
    """Every hour of the coming week, Friday at 4:59pm and 5pm, every bank holiday of the coming year
    (morning and afternoon), and the hours either side of both clock changes."""
    tz = calendar.tz
    monday = today + dt.timedelta(days=7 - today.weekday())
    found = [dt.datetime.combine(monday, dt.time(), tz) + dt.timedelta(hours=h) for h in range(7 * 24)]
    friday = monday + dt.timedelta(days=4)
    found += [dt.datetime.combine(friday, dt.time(16, 59), tz), dt.datetime.combine(friday, dt.time(17), tz)]
    year = [today + dt.timedelta(days=n) for n in range(366)]
    for day in year:
        if calendar.is_bank_holiday(day):
            found += [dt.datetime.combine(day, dt.time(h), tz) for h in (10, 16)]
        start = dt.datetime.combine(day, dt.time(), tz)
        if start.utcoffset() != (start + dt.timedelta(days=1)).utcoffset():  # the clocks change tonight
            utc = start.astimezone(dt.UTC)
            found += [(utc + dt.timedelta(hours=h)).astimezone(tz) for h in range(24, 36)]
    return list(dict.fromkeys(found))


def reachable_outcomes(flow: Flow) -> list[str]:
    """The outcomes some route from the start reaches, in the order a search meets them."""
    seen, stack, found = {flow.start}, [flow.start], []
    while stack:
        node_id = stack.pop()
        node = flow.nodes[node_id]
        if node.end() is not None:
            found.append(node_id)
        for way in node.exits():
            if way.next not in seen:
                seen.add(way.next)
                stack.append(way.next)
    return found


def check_directory(directory: Directory, today: dt.date) -> list[Breach]:
    """I1, I3 and I8 over a contacts file (I7 is refused when any file is read)."""
    found: list[Breach] = []
    danger = directory.immediate_danger
    first = directory.contacts.get(danger.contact)
    if first is None or first.hours != "always" or not _dialled(first.digits):
        message = MESSAGES["immediate_danger_contact_not_number"].format(contact=danger.contact)
        found.append(Breach("I1", message, key="immediate_danger"))
    elif not any(phone in danger.text for phone in first.digits):
        message = MESSAGES["immediate_danger_sentence_does_not"].format(phones=first.phones[0])
        found.append(Breach("I1", message, key="immediate_danger"))
    if cited(danger.text) is None:
        message = MESSAGES["immediate_danger_sentence_gives_no"]
        found.append(Breach("I6", message, key="immediate_danger"))
    for contact_id, contact in directory.contacts.items():
        found += _cover_breaches(contact_id, directory)
        if contact.checked is not None and contact.checked.date > today:
            when = contact.checked.date.isoformat()
            found.append(
                Breach(
                    "I8", MESSAGES["checked_on_date_still_come"].format(when=when), contact=contact_id, key="checked"
                )
            )
        if contact.national and any(not _national(phone) for phone in contact.digits):
            message = MESSAGES["marked_national_but_has_local"]
            found.append(Breach("I8", message, contact=contact_id, key="national"))
    return found


def _cover_breaches(contact_id: str, directory: Directory) -> list[Breach]:
    contact = directory.contacts[contact_id]
    if contact.out_of_hours is None:
        return []
    chain: list[str] = [contact_id]
    at: str | None = contact.out_of_hours
    while at is not None:
        cover = directory.contacts.get(at)
        if cover is None:
            return [
                Breach("I3", MESSAGES["out_hours_cover_does_not"].format(at=at), contact=contact_id, key="out_of_hours")
            ]
        if at in chain:
            loop = " → ".join([*chain, at])
            return [
                Breach(
                    "I3", MESSAGES["out_hours_covers_loop"].format(loop=loop), contact=contact_id, key="out_of_hours"
                )
            ]
        if cover.hours == "office":
            message = MESSAGES["out_hours_cover_keeps_office"].format(at=at)
            return [Breach("I3", message, contact=contact_id, key="out_of_hours")]
        if not _dialled(cover.digits):
            message = MESSAGES["out_hours_cover_has_no"].format(at=at)
            return [Breach("I3", message, contact=contact_id, key="out_of_hours")]
        chain.append(at)
        at = cover.out_of_hours
    return []


def check_flow(flow: Flow, directory: Directory, calendar: OfficeCalendar, today: dt.date) -> list[Breach]:
    """I2, I4, I5 and I6 over every reachable outcome of a flow, at every instant of `instants`."""
    found: list[Breach] = []
    used = contacts_in_use(flow, directory)
    names = [reference.cite for reference in flow.references]
    grid = [*instants(calendar, today), *own_hours([directory.contacts[c] for c in sorted(used)], calendar, today)]
    decided: dict[bytes, list[Breach]] = {}
    for outcome_id in reachable_outcomes(flow):
        end = ending(flow, outcome_id)
        found += _deadline_breaches(outcome_id, end)
        found += _source_breaches(outcome_id, end, names)
        found += _certainty_breaches(outcome_id, end, directory)
        key = _alike(end)
        if key not in decided:
            decided[key] = _route_breaches(flow, outcome_id, directory, calendar, grid, words=True)
        found += [msgspec.structs.replace(b, node=outcome_id) for b in decided[key]]
    for part, text in (("text", flow.advice.text), ("out_of_hours", flow.advice.out_of_hours)):
        if text is not None and cited(text, names) is None:
            found.append(Breach("I6", MESSAGES["advice_gives_no_section_not"].format(part=part)))
    return found


def check_contacts(directory: Directory, flows: list[Flow], calendar: OfficeCalendar, today: dt.date) -> list[Breach]:
    """What a contacts file must not break before a walk uses it: I1, I3 and I8, and I2 on every
    flow's routes. Whether a service is open turns only on whether it is office hours, so one instant
    in office hours and one outside them stand for the whole grid here."""
    found = check_directory(directory, today)
    pair = _open_and_closed(calendar, today, directory)
    for flow in flows:
        for outcome_id in reachable_outcomes(flow):
            for breach in _route_breaches(flow, outcome_id, directory, calendar, pair, words=False):
                found.append(msgspec.structs.replace(breach, flow=flow.id))
    return found


def _route_breaches(
    flow: Flow, outcome_id: str, directory: Directory, calendar: OfficeCalendar, grid: list[dt.datetime], *, words: bool
) -> list[Breach]:
    """I2 (and with `words`, I5) for the routes ending at one outcome; the first instant that breaks one."""
    walk = Walk(at=outcome_id)
    for at in grid:
        decision = decide(flow, walk, directory, calendar, at)
        breach = _first_named(decision, directory, calendar, at)
        if breach is None and words:
            breach = _basis_breach(decision, directory, at)
        if breach is not None:
            return [breach]  # one instant is enough to show it; the rest would repeat it
    return []


def _first_named(decision: Decision, directory: Directory, calendar: OfficeCalendar, at: dt.datetime) -> Breach | None:
    """I2 at one instant: the first service the route names is open then and has a number."""
    outcome_id, end = decision.outcome_id, decision.end
    when = describe(at)
    named = decision.contacts or decision.advice_contacts
    if not named:  # a flow that publishes no numbers: out of hours, it must send the worker to the local service
        # An urgent route says so in its own actions; another may leave it to the flow's advice.
        variant = any(isinstance(a, Duty) and a.out_of_hours for a in end.actions) or (
            decision.advice_out_of_hours and not end.urgent
        )
        if decision.in_hours or variant:
            return None
        message = MESSAGES["at_out_hours_names_no"].format(when=when)
        return Breach("I2", message, node=outcome_id)
    first: Availability = named[0]
    contact = directory.contacts[first.contact]
    if not first.open_now or not _dialled(contact.digits):
        why = MESSAGES["closed_then"] if not first.open_now else MESSAGES["has_no_phone_number"]
        return Breach(
            "I2", MESSAGES["at_first_service_names"].format(when=when, contact=first.contact, why=why), node=outcome_id
        )
    for index, item in enumerate(end.actions):
        # The wording that applies then; a plain action has one wording at every hour.
        text = item.wording(decision.in_hours) if isinstance(item, Duty) else item
        urgent = (isinstance(item, Duty) and item.call) or re.search(r"\bnow\b", text) is not None
        called = placeholders(text)
        if urgent and called and not availability(called[0], directory, calendar, at).open_now:
            message = MESSAGES["at_action_says_phone_now"].format(when=when, number=index + 1, called=called[0])
            return Breach("I2", message, node=outcome_id, key="actions", index=index)
    return None


def _basis_breach(decision: Decision, directory: Directory, at: dt.datetime) -> Breach | None:
    """I5 at one instant: a service whose hours are assumed never reads as certainly open or closed."""
    outcome_id, today = decision.outcome_id, decision.checked_on
    for view in (contact_view(found, directory, today) for found in [*decision.contacts, *decision.advice_contacts]):
        if view.hours_assumed and view.hours != "always" and "assum" not in view.availability:
            when = describe(at)
            message = MESSAGES["at_reads_though_hours_are"].format(
                when=when, id=view.id, availability=view.availability
            )
            return Breach("I5", message, node=outcome_id, key="contacts")
    return None


def _deadline_breaches(outcome_id: str, end: Outcome) -> list[Breach]:
    """I4: a box that says 'within N hours' (or days) has a deadline of just that."""
    said = _WITHIN.search(end.text)
    if said is None:
        return []
    amount = int(said[1]) if said[1].isdigit() else _NUMBERS[said[1].lower()]
    unit = said[2].lower()
    wanted = (amount, "wd" if unit.startswith("working") else "h" if unit.startswith("hour") else "d")
    given = [re.fullmatch(r"\s*([0-9]+)\s*(wd|h|d|m)\s*", d.within) for d in end.deadlines]
    if any(g is not None and (int(g[1]), g[2]) == wanted for g in given):
        return []
    message = MESSAGES["box_says_but_no_deadline"].format(said=said[0], amount=wanted[0], unit=wanted[1])
    return [Breach("I4", message, node=outcome_id, key="deadlines")]


def sentences(end: Outcome) -> list[tuple[str, int | None, str, str]]:
    """Every sentence an outcome supplies, as (key, index, what it is, text): both wordings of a duty,
    the notes, what to do when a service opens, the conditions and how a deadline is sent."""
    found: list[tuple[str, int | None, str, str]] = []
    for index, item in enumerate(end.actions):
        if isinstance(item, Duty):
            found.append(("actions", index, MESSAGES["action_number"].format(number=index + 1), item.text))
            if item.out_of_hours is not None:
                found.append(
                    (
                        "actions",
                        index,
                        MESSAGES["action_number_out_of_hours"].format(number=index + 1),
                        item.out_of_hours,
                    )
                )
        else:
            found.append(("actions", index, MESSAGES["action_number"].format(number=index + 1), item))
    found += [
        ("notes", index, MESSAGES["note_number"].format(number=index + 1), note) for index, note in enumerate(end.notes)
    ]
    if end.when_closed:
        found.append(("when_closed", None, "when_closed", end.when_closed))
    if end.conditions:
        found.append(("conditions", None, MESSAGES["the_conditions"], end.conditions.text))
    found += [
        ("deadlines", index, MESSAGES["deadline_channel"].format(number=index + 1), d.channel)
        for index, d in enumerate(end.deadlines)
        if d.channel
    ]
    return found


def _source_breaches(outcome_id: str, end: Outcome, names: list[str]) -> list[Breach]:
    """I6: every sentence gives its section at its end, or says it is the tool's own (the conditions,
    which lead into a list, may cite anywhere); the box text is sourced by the outcome's `section`."""
    found = []
    for key, index, what, text in sentences(end):
        if (citations(text, names) if key == "conditions" else [cited(text, names)]) not in ([], [None]):
            continue
        message = MESSAGES["gives_no_section_not_marked"].format(what=what, text=text[:60])
        found.append(Breach("I6", message, node=outcome_id, key=key, index=index))
    return found


# "is closed", "are open now": said as certain. Where the hours are assumed, only "may be" will do.
_CERTAIN = re.compile(r"\b(?:is|are)\s+(?:now\s+)?(?:closed|open)\b", re.IGNORECASE)


def _certainty_breaches(outcome_id: str, end: Outcome, directory: Directory) -> list[Breach]:
    """I5 on every sentence a flow supplies: none says a service is closed or open, as certain, where
    the hours of a service the outcome or the sentence names are assumed."""
    found = []
    for key, index, what, text in sentences(end):
        said = _CERTAIN.search(text)
        if said is None:
            continue
        assumed = [
            c
            for c in [*end.contacts, *placeholders(text)]
            if c in directory.contacts and hours_assumed(directory.contacts[c], directory)
        ]
        if assumed:
            message = MESSAGES["says_though_hours_are_assumed"].format(what=what, said=said[0], assumed=assumed[0])
            found.append(Breach("I5", message, node=outcome_id, key=key, index=index))
    return found


def unnumbered_out_of_hours(flow: Flow, directory: Directory, calendar: OfficeCalendar, today: dt.date) -> list[str]:
    """The reachable outcomes that, out of office hours, name no open service with a phone number (a
    flow whose protocol prints none): `validate` warns, so that a partnership adds its own."""
    closed = _open_and_closed(calendar, today)[1]
    found = []
    decided: dict[bytes, bool] = {}
    for outcome_id in reachable_outcomes(flow):
        key = _alike(flow.nodes[outcome_id])
        if key not in decided:
            decided[key] = decide(flow, Walk(at=outcome_id), directory, calendar, closed).no_open_number
        if decided[key]:
            found.append(outcome_id)
    return found


def long_cards(flow: Flow, directory: Directory, calendar: OfficeCalendar, today: dt.date) -> list[tuple[str, int]]:
    """The reachable outcomes whose action card runs past CARD_LINES at CARD_WIDTH columns, in or out
    of office hours, before any chart box a route adds, with the lines it takes: `validate` warns,
    so that a partnership gives its long actions a `brief`. Outcomes alike but for their title are
    measured once, the title's own lines added."""
    found = []
    measured: dict[bytes, int] = {}
    for outcome_id in reachable_outcomes(flow):
        end = ending(flow, outcome_id)
        key = _alike(end)
        if key not in measured:
            instants = _open_and_closed(calendar, today, directory)
            measured[key] = max(_card_length(flow, outcome_id, directory, calendar, at) for at in instants)
        title = wrapped_lines(f"{end.ref} {end.title}")
        if measured[key] + title > CARD_LINES:
            found.append((outcome_id, measured[key] + title))
    return found


def _card_length(flow: Flow, outcome_id: str, directory: Directory, calendar: OfficeCalendar, at: dt.datetime) -> int:
    """The card's lines at `at`, less its title's."""
    decision = decide(flow, Walk(at=outcome_id), directory, calendar, at)
    shown = [*decision.contacts, *decision.advice_contacts]
    unchecked = any(check_status(directory.contacts[c.contact], at.date()) in UNCHECKED for c in shown)
    card = msgspec.structs.replace(build_card(decision, directory, int(unchecked)), title="")
    return len(card_lines(card, [describe(d.due) for d in decision.deadlines]))  # an empty row takes none


def _alike(end: Node) -> bytes:
    """What a decision reads of an outcome (not its ref, title or box text): outcomes alike in it are
    decided alike, so a generated flow of 10,000 nodes with 5,000 such outcomes is decided once."""
    return msgspec.json.encode(msgspec.structs.replace(end, ref="", title="", text="", section=""))


def _open_and_closed(calendar: OfficeCalendar, today: dt.date, directory: Directory | None = None) -> list[dt.datetime]:
    """The first instant in office hours from `today`, and the first out of them after it: for services
    that keep the contacts file's office hours, whether one is open turns only on this, so the two
    stand for every instant. A service with hours of its own adds the times it opens and closes."""
    start = dt.datetime.combine(today, dt.time(), calendar.tz)
    opened = start if calendar.is_open(start) else calendar.next_opening(start)
    return [
        opened,
        calendar.closing(opened),
        *(own_hours(directory.contacts.values(), calendar, today) if directory else []),
    ]


def own_hours(contacts: Iterable[Contact], calendar: OfficeCalendar, today: dt.date) -> list[dt.datetime]:
    """For each service with hours of its own: every time it opens or closes in the coming week and on
    the next bank holiday, and the minute before each, so that every kind of hour is checked."""
    days = [today + dt.timedelta(days=n) for n in range(8)]
    holiday = next((d for d in (today + dt.timedelta(days=n) for n in range(366)) if calendar.is_bank_holiday(d)), None)
    days += [holiday] if holiday else []
    found: set[dt.datetime] = set()
    for contact in contacts:
        if contact.opening is not None:
            hours = calendar.schedule(contact.opening)
            found |= {at - delta for day in days for at in hours.edges(day) for delta in (dt.timedelta(0), _MINUTE)}
    return sorted(found)


_MINUTE = dt.timedelta(minutes=1)


def _dialled(phones: list[str]) -> bool:
    return any(phone[:1].isdigit() or phone.startswith("+") for phone in phones)


def _national(phone: str) -> bool:
    """999, 112, 111 and the like: short national numbers, not a local office's."""
    return phone.replace(" ", "").isdigit() and len(phone.replace(" ", "")) <= 5
