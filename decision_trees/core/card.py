"""The action card: what a practitioner needs first, from the core's decision, in words. 999; what
to do now, with the number to phone (an open service first); by when each deadline falls; the other
actions, briefly; the other contacts the route names, each once. Every output draws it first and
works none of it out again; the details follow it in the summary."""

from __future__ import annotations

import re
from collections.abc import Collection

import msgspec

from decision_trees.core.citing import cited
from decision_trees.core.clock import clock_time, describe
from decision_trees.core.decision import ActionFacts, Availability, Decision, hours_assumed
from decision_trees.core.models import Directory
from decision_trees.words import CARD, MESSAGES

CARD_LINES = 24  # the card fits this many lines at CARD_WIDTH columns, for every route at every hour
CARD_WIDTH = 80


class CardContact(msgspec.Struct, frozen=True):
    """A contact on the card: its numbers, and whether it is open now, briefly and on what basis."""

    id: str
    name: str
    phones: list[str]
    state: str


class CardItem(msgspec.Struct, frozen=True):
    text: str
    noted: bool = False  # a chart box noted during the walk: still to do
    quoted: bool = False  # the chart's own words, shown in quotation marks


class CardDue(msgspec.Struct, frozen=True):
    """A deadline on the card: the summary's `deadlines[deadline]` gives its time in words."""

    deadline: int
    task: str
    overdue: bool
    note: str | None = None  # overdue, or the service may be closed when it falls


class CardGroup(msgspec.Struct, frozen=True):
    """Contacts in the same state, which is said once for them all when there are several."""

    state: str
    contacts: list[CardContact]


class Card(msgspec.Struct, frozen=True):
    danger: str
    title: str
    now: str | None  # the outcome's first action to do
    call: CardContact | None  # the number to phone for it, an open service's
    wait: str | None  # out of hours, on a route whose call waits: when the closed services open
    by: list[CardDue]
    chart: list[CardItem]  # the chart's action boxes passed on the route, in its own words
    then: list[CardItem]  # the outcome's other actions, briefly
    contacts: list[CardGroup]  # the route's other contacts, each once
    warnings: list[str]  # no open number configured; numbers not checked


# The card's words; the details give each sentence in full with its source.
CARD_WORDS = CARD  # the card's words, from the phrasebook


def brief(text: str, names: Collection[str] = ()) -> str:
    """An action without the source at its end (the details keep it): "Phone … (section 10)." as
    "Phone …."; any other parenthesis at its end is part of what to do, and stays."""
    end = text.rstrip()
    body = end.removesuffix(".")
    start = body.rfind(" (")
    if body.endswith(")") and start > 0 and ")" not in body[start:-1] and cited(end, names) is not None:
        return body[:start] + "."
    return end


def state(found: Availability, directory: Directory, urgent: bool) -> str:
    """Whether a contact is open now, in a few words, saying where its hours are assumed. When a
    closed service opens is the Now line's, or the details'."""
    contact = directory.contacts[found.contact]
    if contact.hours == "always" and contact.opening is None:
        return CARD["any_time"]
    assumed = CARD["assumed"] if found.assumed else ""
    if contact.hours == "out-of-hours" and contact.opening is None:
        if not found.open_now:
            return CARD["out_of_hours_only"].format(assumed=assumed)
        return CARD["open_now"].format(assumed=assumed) + ("" if urgent else CARD["urgent_only"])
    if found.open_now:
        said = CARD["open_assumed"] if found.assumed else CARD["open"]
        if contact.hours == "out-of-hours" and not urgent:
            said += CARD["urgent_only"]
        if found.closes is None:
            return said
        cover = directory.contacts.get(found.takeover or "")
        then = CARD["then_phone"].format(name=cover.name) if cover is not None and urgent else ""
        return CARD["closes_at"].format(open=said, time=clock_time(found.closes), then=then)
    return CARD["closed_assumed"] if found.assumed else CARD["closed"]


def _item(action: ActionFacts, names: Collection[str]) -> CardItem:
    if action.origin == "chart":
        return CardItem(action.text, action.noted, quoted=action.verbatim)
    return CardItem(action.brief or brief(action.text, names), action.noted)


def build_card(decision: Decision, directory: Directory, not_checked: int) -> Card:
    """The card for a decision; `not_checked`, how many of its contacts nobody has checked lately."""
    end = decision.end
    shown = [c for c in decision.contacts if directory.contacts[c.contact].phones]
    views = {c.contact: _contact(c, directory, end.urgent) for c in shown}
    call = views.get(decision.phone_now or "")
    names = [reference.cite for reference in decision.flow.references]
    chart = [_item(a, names) for a in decision.actions if a.origin == "chart"]
    then = [_item(a, names) for a in decision.actions if a.origin == "outcome"]
    first = decision.first_to_do
    now = item_text(then.pop(first - len(chart))) if first is not None else None
    wait = _wait(decision, directory) if decision.phone_now is None and decision.closed and not end.urgent else None
    by = [_due(decision, directory, index) for index in range(len(decision.deadlines))]
    warnings = [CARD_WORDS["no_number"]] if decision.no_open_number else []
    if not_checked:
        warnings.append(CARD_WORDS["unchecked"])
    return Card(
        danger=directory.immediate_danger.text,
        title=f"{end.ref} {end.title}",
        now=now,
        call=call,
        wait=wait,
        by=by,
        chart=chart,
        then=then,
        contacts=_groups([view for key, view in views.items() if key != decision.phone_now]),
        warnings=warnings,
    )


def _wait(decision: Decision, directory: Directory) -> str:
    """Out of hours, on a route that waits for a closed service: when it opens, and what to do then."""
    ids = decision.closed[0][1]
    found = next(c for c in decision.contacts if c.contact == ids[0])
    assert found.opens is not None
    then = decision.end.brief_when_closed or decision.end.when_closed or CARD_WORDS["routine"]
    key = "wait_assumed" if found.assumed else "wait"
    one = len(ids) == 1
    names = CARD["service_one" if one else "service_many"]
    verb = CARD[("is" if one else "are") if found.assumed else ("opens" if one else "open_verb")]
    said = CARD_WORDS[key].format(names=names, open=verb, opens=describe(found.opens), then=then[0].upper() + then[1:])
    return brief(said + ".")


def _groups(contacts: list[CardContact]) -> list[CardGroup]:
    """The contacts by state, in the order each state is first met."""
    groups: dict[str, list[CardContact]] = {}
    for contact in contacts:
        groups.setdefault(contact.state, []).append(contact)
    return [CardGroup(state, members) for state, members in groups.items()]


def _contact(found: Availability, directory: Directory, urgent: bool) -> CardContact:
    contact = directory.contacts[found.contact]
    return CardContact(found.contact, contact.name, contact.numbers, state(found, directory, urgent))


def _due(decision: Decision, directory: Directory, index: int) -> CardDue:
    facts = decision.deadlines[index]
    deadline = decision.end.deadlines[facts.index]
    note = None
    if facts.overdue:
        note = CARD_WORDS["overdue"]
    elif facts.closed_when_due and deadline.send_to:
        contact = directory.contacts[deadline.send_to]
        key = "closed_then" if hours_assumed(contact, directory) else "closed_then_certain"
        note = CARD_WORDS[key].format(name=MESSAGES["the_service"].format(name=contact.name))
    address = deadline.follow_up.address if deadline.follow_up else None
    if deadline.by != "email" and (address or deadline.by == "phone"):  # how to send it, where not by email
        note = (note or "") + CARD[f"follow_{deadline.by}"].format(address=address)
    return CardDue(facts.index, deadline.task, facts.overdue, note.strip() if note else None)


def card_rows(card: Card, due_texts: list[str]) -> list[tuple[str, str]]:
    """The card as (marker, text) rows, in the order every output draws them: a marker starts a
    part ("Now", "By", "Then", "Phone"), "" continues it, "!" marks a warning or 999."""
    rows: list[tuple[str, str]] = [("!", card.danger), ("", card.title)]
    if card.now:
        rows.append((CARD_WORDS["now"], card.now))
    if card.call:
        rows.append(("" if card.now else CARD_WORDS["phone"], phone_line(card.call)))
    if card.wait:
        rows.append(("" if card.now else CARD_WORDS["now"], card.wait))
    for n, due in enumerate(card.by):
        words = f"{due_texts[due.deadline]}: {due.task}." + (f" {due.note}" if due.note else "")
        rows.append((CARD_WORDS["by"] if n == 0 else "", words))
    for n, item in enumerate([*card.chart, *card.then]):
        rows.append((CARD_WORDS["then"] if n == 0 else "", BOX + item_text(item)))
    for n, group in enumerate(card.contacts):
        marker = CARD_WORDS["phone"] if n == 0 else ""
        if len(group.contacts) == 1:
            rows.append((marker, phone_line(group.contacts[0])))
            continue
        rows.append((marker, f"{group.state[0].upper()}{group.state[1:]}:"))  # said once for them all
        rows += [("", f"{' or '.join(c.phones)}  {c.name}") for c in group.contacts]
    rows += [("!", warning) for warning in card.warnings]
    return rows


def emphasis(words: str, dues: list[str]) -> list[tuple[int, int]]:
    """Where a row of the card names a phone number or a deadline's time: what every output draws
    in bold, as (start, end), in order and not overlapping."""
    spans = sorted(
        found.span()
        for pattern in (PHONE, *(re.escape(due) for due in dues if due))
        for found in re.finditer(pattern, words)
    )
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def item_text(item: CardItem) -> str:
    """An item as the card shows it: a chart box in quotation marks, and said to be noted where it was."""
    text = f"“{item.text}”" if item.quoted else item.text
    return text + (CARD_WORDS["noted"] if item.noted else "")


def phone_line(contact: CardContact) -> str:
    """`020 7946 0123  Children's services front door: open now`."""
    return f"{' or '.join(contact.phones)}  {contact.name}: {contact.state}"


# UK phone numbers as protocols print them (020 7946 0123, 0207 946 0500 ext 35040): never split.
PHONE = r"(?:\+44 ?|0)\d{2,4}(?: \d{3,4}){1,3}(?: ext \d+)?"
BOX = "[ ] "  # an item to tick off: never ticked by the tool
MARKER_WIDTH = 6  # "Phone " : the widest marker and its space
