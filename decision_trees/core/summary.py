"""The phrasing: the core's decision (decision.py) put into the summary's words, with where each fact
comes from, filling the JSON contract's types (contract.py). Nothing is decided here; the sentences
the outputs draw around the summary are the phrasebook's (phrasebook.py)."""

import datetime as dt

import msgspec

from decision_trees.core.card import build_card
from decision_trees.core.citing import TOOLS_OWN, citations, cited
from decision_trees.core.clock import OfficeCalendar, clock_time, describe, describe_day
from decision_trees.core.contract import (
    SCHEMA,
    ActionItem,
    AdviceView,
    CallView,
    ConditionsView,
    ContactsFile,
    ContactView,
    DangerView,
    DeadlineView,
    FlowRef,
    NoteView,
    OutcomeView,
    RouteStep,
    SentenceSource,
    Summary,
)
from decision_trees.core.decision import (
    UNCHECKED,
    Availability,
    DeadlineFacts,
    Decision,
    check_status,
    decide,
    hours_assumed,
)
from decision_trees.core.engine import Walk, answers_given
from decision_trees.core.guidance import Tally
from decision_trees.core.models import (
    Contact,
    Corroboration,
    Directory,
    Flow,
    Guidance,
    OfficeHours,
    Outcome,
)
from decision_trees.core.phrasebook import disclaimer


def box_source(section: str | None) -> SentenceSource:
    """An action box's source: the chart's own words, at its section."""
    return SentenceSource("quote", section)


def guidance_contacts(guidance: Guidance, directory: Directory, today: dt.date) -> list[str]:
    """The contacts a guidance section prints, a line each: name, numbers, and where they come from."""
    lines = []
    for contact_id in guidance.contacts:
        contact = directory.contacts.get(contact_id)
        if contact is not None:
            reach = " · ".join([*contact.phones, *([contact.email] if contact.email else [])])
            lines.append(f"{contact.name}: {reach}. {provenance(contact, directory, today)}")
    return lines


def flow_name(flow: Flow) -> str:
    """`Solihull, Sections 5 and 7 (…): Threshold for referral …`: where it is from, then its title."""
    where = ", ".join(x for x in (flow.source.area, flow.source.part) if x)
    return f"{where}: {flow.title}"


def section_words(section: str) -> str:
    """`section 10.1–10.3`, but `Appendix 5` as it is: never "section Appendix 5"."""
    return section if section.startswith("Appendix") else f"section {section}"


def source_of(text: str) -> SentenceSource:
    """The sources a text gives; the tool's own when it says so at its end, or when it gives none."""
    found = cited(text)
    if found is None or found == TOOLS_OWN:
        return SentenceSource("tool")
    return SentenceSource("paraphrase", "; ".join(citations(text)) or found)


def _iso(when: dt.datetime) -> str:
    """ISO 8601 with the UTC offset spelt out (+00:00 in winter, +01:00 in summer), to the second."""
    return when.isoformat(timespec="seconds")


def flow_ref(flow: Flow) -> FlowRef:
    source = flow.source
    return FlowRef(
        flow.id,
        flow.version,
        flow.title,
        f"{source.document}, {source.part}",
        source.published,
        flow.reviewed,
        flow.reading,
        list(flow.open_questions),
    )


def provenance_sentence(
    flow_id: str, version: str, source: str, published: str | None, reviewed: dt.date, reading: str | None = None
) -> str:
    """Where a flow comes from, what its routes are a reading of, and what its review date does and
    does not mean."""
    when = f" ({published})" if published else ""
    read = f" {reading}" if reading else ""
    return (
        f"Flow {flow_id} version {version}, from the {source}{when}. Its questions and routes were compared "
        f"with the protocol text on {describe_day(reviewed)}.{read} That is not a check that the protocol is "
        "still current."
    )


def flow_provenance_text(flow: Flow) -> str:
    source = flow.source
    return provenance_sentence(
        flow.id, flow.version, f"{source.document}, {source.part}", source.published, flow.reviewed, flow.reading
    )


def office_hours_text(hours: OfficeHours) -> str:
    """`weekdays 9am to 5pm`, from the contacts file's office hours."""
    days = "weekdays" if hours.days == ["Mon", "Tue", "Wed", "Thu", "Fri"] else ", ".join(hours.days)
    opens, closes = (dt.time.fromisoformat(t) for t in (hours.opens, hours.closes))
    return f"{days} {clock_time(opens)} to {clock_time(closes)}"


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


def hours_said_by(contact: Contact, directory: Directory, *, short: bool = False) -> str:
    """Where what is said of a contact's hours comes from: where they are published, or that they are
    this tool's assumption (with what a public page says of them, where the contacts file records it).
    `short`, for the availability line: the full source is the view's `hours_source`, and the footer's
    basis says it once; "" where the contacts file's own office hours are published."""
    if contact.hours == "always":
        return contact.source
    if contact.hours_source is not None:
        return contact.hours_source
    if not directory.office_hours.assumed:
        return "" if short else "the office hours in the contacts file"
    if short:
        return f"{TOOLS_OWN} assumption"
    note = f"; {contact.hours_note}" if contact.hours_note else ""
    return f"{TOOLS_OWN} assumption: the protocol publishes no hours{note}"


def _availability_words(found: Availability, directory: Directory, urgent: bool = False) -> str:
    """Whether a contact is open, in words, and on what basis. On a route that is not urgent, the
    out-of-hours cover a service hands over to is named as being for urgent concerns only."""
    contact = directory.contacts[found.contact]
    usual = office_hours_text(directory.office_hours)
    if contact.hours == "always":
        return "Any time"
    said_by = f" ({source})" if (source := hours_said_by(contact, directory, short=True)) else ""
    if contact.hours == "out-of-hours":
        if not found.open_now:
            return f"Out of office hours only ({'assumed: ' if found.assumed else ''}outside {usual}){said_by}"
        return "Open now, out of office hours" + (" (hours assumed)" if found.assumed else "") + said_by
    if found.open_now:
        text = f"Open now, if it keeps the assumed hours ({usual})" if found.assumed else "Open now (office hours)"
        if found.closes is not None:
            takeover = directory.contacts.get(found.takeover or "")
            then = ""
            if takeover is not None:  # the cover takes urgent concerns; a routine referral waits
                then = (
                    f"; after that, phone the {takeover.name}"
                    if urgent
                    else f"; after that, the {takeover.name} is for urgent concerns only, not a routine referral"
                )
            return f"{text}. It closes at {clock_time(found.closes)}{then}{said_by}"
        return text + said_by
    assert found.opens is not None
    # Section 10 names out-of-hours cover for children's social care only: say where none is published.
    uncovered = "" if contact.out_of_hours else ". No out-of-hours cover is published for it"
    if found.assumed:
        return (
            f"Its hours are not published: assumed {usual}, so it may be closed now. "
            f"Assumed to open at {describe(found.opens)}{uncovered}{said_by}"
        )
    return f"Closed now. Opens at {describe(found.opens)}{uncovered}{said_by}"


def contact_view(found: Availability, directory: Directory, today: dt.date, urgent: bool = False) -> ContactView:
    contact = directory.contacts[found.contact]
    document = directory.documents.get(contact.document or "")
    return ContactView(
        id=found.contact,
        name=contact.name,
        phones=list(contact.phones),
        email=contact.email,
        web=contact.web,
        hours=contact.hours,
        hours_assumed=hours_assumed(contact, directory),
        open_now=found.open_now,
        availability=_availability_words(found, directory, urgent),
        opens=_iso(found.opens) if found.opens else None,
        opens_text=describe(found.opens) if found.opens else None,
        closes=_iso(found.closes) if found.closes else None,
        closes_text=describe(found.closes) if found.closes else None,
        note=contact.note,
        source=contact.source,
        published=document.published if document else None,
        checked=contact.checked,
        check_status=check_status(contact, today),
        named_person=contact.named_person,
        provenance=provenance(contact, directory, today),
        corroboration=[corroboration_sentence(c) for c in contact.corroboration],
        hours_source=hours_said_by(contact, directory),
    )


def first_mentions(contacts: list[ContactView]) -> list[list[str]]:
    """Each contact's corroboration, less what an earlier contact's already gave: a page that
    speaks of several services is shown once, under the first."""
    seen: set[str] = set()
    found = []
    for contact in contacts:
        found.append([said for said in contact.corroboration if said not in seen])
        seen.update(contact.corroboration)
    return found


def corroboration_sentence(found: Corroboration) -> str:
    """`A web page, “Safeguarding children”, at https://… (date unknown), says …`."""
    inferred = f" This project infers (not the page’s words): {found.inference}" if found.inference else ""
    return (
        f"A {found.kind}, “{found.title}”, at {found.address} ({found.dated}), says {found.says}{inferred} "
        "Found by this project; not a check against a current directory."
    )


def _closed_words(decision: Decision, views: dict[str, ContactView], directory: Directory) -> list[str]:
    """Outside office hours: which services are closed, when they open, and what their out-of-hours
    alternative is for (or that none is published). One sentence for each alternative, however many
    services it stands in for."""
    lines = []
    for alternative, ids in decision.closed:
        services = [views[c] for c in ids]
        names = _join([f"the {s.name}" for s in services])
        assumed = all(s.hours_assumed for s in services)
        one = len(services) == 1
        closed_words = "may be closed now (hours assumed)" if assumed else f"{'is' if one else 'are'} closed now"
        said = f"{names[0].upper()}{names[1:]} {closed_words}"
        if alternative is None:
            said += f", and no out-of-hours cover is published for {'it' if one else 'them'}"
        other = directory.contacts[alternative] if alternative else _open_cover(decision, directory)
        if decision.end.urgent and other is not None:
            lines.append(f"{said}. Phone the {other.name} now on {' or '.join(other.phones)} ({TOOLS_OWN} advice).")
            continue
        opens = {(True, True): "It is assumed to open", (True, False): "They are assumed to open",
                 (False, True): "It opens", (False, False): "They open"}[(assumed, one)]  # fmt: skip
        then = decision.end.when_closed or f"make a routine referral then ({TOOLS_OWN} advice)"
        line = f"{said}. {opens} at {services[0].opens_text}: {then}."
        if other is not None:
            line += (
                f" The {other.name}, on {' or '.join(other.phones)}, is for urgent concerns about a child, "
                f"not for a routine referral ({TOOLS_OWN} advice)."
            )
        lines.append(line)
    if decision.no_open_number:
        lines.append(NO_NUMBER)
    return lines


# Out of hours, on a route whose flow names no open service with a number: said plainly, with the way out.
NO_NUMBER = (
    "No out-of-hours phone number is configured for this flow, so this summary cannot give one. Your "
    "partnership can add its out-of-hours children’s social care service to the contacts file and name it "
    f"in the flow’s advice or in this end’s contacts ({TOOLS_OWN} advice)."
)


def _open_cover(decision: Decision, directory: Directory) -> Contact | None:
    """The route's own out-of-hours number that is open now, if it lists one."""
    found = next((c for c in decision.contacts if c.open_now and directory.contacts[c.contact].hours != "office"), None)
    return directory.contacts[found.contact] if found else None


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _deadline_view(found: DeadlineFacts, end: Outcome, directory: Directory) -> DeadlineView:
    deadline = end.deadlines[found.index]
    within = deadline.within
    counted_from = f"the phone referral at {describe(found.counted_from)}" if found.from_call else deadline.counted_from
    amount, unit = within[:-1], within[-1]
    if unit == "d":
        counting = f"{amount} days from {counted_from}, at the same time of day"
    else:
        noun = "hours" if unit == "h" else "minutes"
        counting = (
            f"{amount} {noun} of elapsed time from {counted_from}, including nights, weekends and bank holidays "
            f"(this tool’s cautious reading: the protocol says only “within {amount} {noun}”)"
        )
    contact = directory.contacts[deadline.send_to] if deadline.send_to else None
    before = late = None
    if found.overdue:
        late = f"This is overdue: it was due by {describe(found.due)}, before this walk ended. Send it now."
    elif found.closed_when_due and contact is not None:
        state = "may be closed then (hours assumed)" if hours_assumed(contact, directory) else "is closed then"
        how = (
            f"you can email it to {contact.email} (the address as printed in the {contact.source})"
            if contact.email
            else f"send it ({TOOLS_OWN} advice)"
        )
        channel = f" {deadline.channel}" if deadline.channel else ""
        before = f"The {contact.name} {state}. Send the written confirmation before then: {how}.{channel}"
    return DeadlineView(
        deadline.task,
        within,
        counted_from,
        counting,
        _iso(found.due),
        describe(found.due),
        deadline.send_to,
        found.closed_when_due,
        before,
        contact.name if contact else None,
        contact.email if contact else None,
        subject=deadline.subject,
        include=list(deadline.include),
        status="overdue" if found.overdue else "due",
        late=late,
        drafted=bool(contact is not None and contact.email and deadline.include),
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
    """The summary of a finished walk: the core's decision (see `decide`), in words. `ended_at` must
    be timezone-aware; deadlines are counted from it, or from `phoned_at`, the phone referral's time."""
    decision = decide(flow, walk, directory, calendar, ended_at, phoned_at)
    return phrase(decision, directory, walk, tallies=tallies, case_ref=case_ref, contacts_files=contacts_files)


def phrase(
    decision: Decision,
    directory: Directory,
    walk: Walk,
    *,
    tallies: list[Tally] | None = None,
    case_ref: str | None = None,
    contacts_files: list[ContactsFile] | None = None,
) -> Summary:
    """A decision in words, as the summary every output draws."""
    flow, end, today = decision.flow, decision.end, decision.checked_on
    route = []
    for step in decision.route:
        node = flow.nodes[step.node]
        route.append(RouteStep(step.node, node.kind, node.text, step.text, node.section, step.noted))
    actions = []
    for action in decision.actions:
        text = action.text
        if action.done_at is not None:
            text = f"Phoned at {describe(action.done_at)}, as this tool advised then: {text}"
        # A chart box is quoted; every other action, a duty in either wording included, cites its own source.
        said = box_source(action.section) if action.origin == "chart" else source_of(action.text)
        actions.append(ActionItem(text, action.origin, action.noted, said))
    contacts = [contact_view(found, directory, today, end.urgent) for found in decision.contacts]
    advice = [contact_view(found, directory, today, end.urgent) for found in decision.advice_contacts]
    danger = directory.contacts[directory.immediate_danger.contact]
    conditions = ConditionsView(end.conditions.text, list(end.conditions.items)) if end.conditions else None
    answers = answers_given(walk)
    indicators = [msgspec.structs.replace(t, chosen=answers.get(t.node)) for t in tallies or [] if t.node in answers]
    shown = [*contacts, *advice]
    # A page that speaks of several services is given once, under the first of them.
    mentions = first_mentions(shown)

    def once(view: ContactView, shown_here: list[str]) -> ContactView:
        above = len(view.corroboration) - len(shown_here)
        return msgspec.structs.replace(view, corroboration=shown_here, corroboration_above=above)

    contacts = [once(c, m) for c, m in zip(contacts, mentions, strict=False)]
    advice = [once(c, m) for c, m in zip(advice, mentions[len(contacts) :], strict=True)]
    hours = directory.office_hours
    advice_text = flow.advice.out_of_hours if decision.advice_out_of_hours else flow.advice.text
    closed_now = _closed_words(decision, {v.id: v for v in contacts}, directory)
    not_checked = list(dict.fromkeys(c.id for c in shown if c.check_status in UNCHECKED))
    return Summary(
        schema=SCHEMA,
        card=build_card(decision, directory, len(not_checked)),
        flow=flow_ref(flow),
        case_ref=case_ref,
        ended_at=_iso(decision.ended_at),
        ended_text=describe(decision.ended_at),
        office_hours=decision.in_hours,
        office_hours_assumed=directory.office_hours.assumed,
        immediate_danger=DangerView(directory.immediate_danger.text, list(danger.phones)),
        outcome=OutcomeView(decision.outcome_id, end.ref, end.title, end.text, end.section, end.urgent),
        closed_now=closed_now,
        actions=actions,
        contacts=contacts,
        deadlines=[_deadline_view(found, end, directory) for found in decision.deadlines],
        conditions=conditions,
        notes=[NoteView(note, source_of(note)) for note in end.notes],
        advice=AdviceView(advice_text or flow.advice.text, advice, source_of(advice_text or flow.advice.text)),
        read=list(end.read),
        route=route,
        indicators=indicators,
        # A flow that shows no contacts (Solihull's) has no use for the basis of their hours, nor for
        # which contacts file its (absent) numbers came from.
        hours_basis=hours.basis if hours.assumed and shown else None,
        not_checked=not_checked,
        disclaimer=disclaimer(),
        contacts_files=list(contacts_files or []) if shown else [],
        called=_call_view(decision, directory),
    )


def _call_view(decision: Decision, directory: Directory) -> CallView | None:
    if decision.called_at is None:
        return None
    reached = directory.contacts[decision.called] if decision.called else None
    return CallView(
        _iso(decision.called_at),
        describe(decision.called_at),
        decision.called,
        reached.name if reached else None,
        list(reached.phones) if reached else [],
    )


# Sentences the outputs draw around the summary's data: made here, with the rest of its words.
