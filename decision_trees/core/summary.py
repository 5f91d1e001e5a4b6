"""The phrasing: the core's decision (decision.py) put into the summary's words, with where each fact
comes from, filling the JSON contract's types (contract.py). Nothing is decided here; the sentences
the outputs draw around the summary are the phrasebook's (phrasebook.py)."""

import datetime as dt

import msgspec

from decision_trees.core.card import build_card
from decision_trees.core.citing import TOOLS_OWN, citations, cited
from decision_trees.core.clock import DAYS, OfficeCalendar, clock_time, describe, describe_day, duration
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
    office_assumed,
)
from decision_trees.core.engine import Walk, answers_given
from decision_trees.core.guidance import Tally
from decision_trees.core.models import (
    Contact,
    Corroboration,
    Deadline,
    Directory,
    Flow,
    Guidance,
    OfficeHours,
    Opening,
    Outcome,
)
from decision_trees.core.phrasebook import disclaimer
from decision_trees.words import SUMMARY as W


def box_source(section: str | None, verbatim: bool = True) -> SentenceSource:
    """An action box's source: the chart's own words (a quote), or this project's paraphrase of the
    protocol, at its section."""
    return SentenceSource("quote" if verbatim else "paraphrase", section)


def guidance_contacts(guidance: Guidance, directory: Directory, today: dt.date) -> list[str]:
    """The contacts a guidance section prints, a line each: name, numbers, and where they come from."""
    lines = []
    for contact_id in guidance.contacts:
        contact = directory.contacts.get(contact_id)
        if contact is not None:
            reach = " · ".join([*contact.numbers, *([contact.email] if contact.email else [])])
            lines.append(f"{contact.name}: {reach}. {provenance(contact, directory, today)}")
    return lines


def flow_name(flow: Flow) -> str:
    """`Area, Part of the document: Title`: where it is from, then its title."""
    where = ", ".join(x for x in (flow.source.area, flow.source.part) if x)
    return f"{where}: {flow.title}"


def section_words(section: str) -> str:
    """`section 10.1–10.3`, but `Appendix 5` as it is: never "section Appendix 5"."""
    return section if section.startswith("Appendix") else W["summary_section"].format(section=section)


def source_of(text: str, flow: Flow) -> SentenceSource:
    """The sources a text gives; the tool's own when it says so at its end, or when it gives none."""
    names = [reference.cite for reference in flow.references]
    found = cited(text, names)
    if found is None or found == TOOLS_OWN:
        return SentenceSource("tool")
    return SentenceSource("paraphrase", "; ".join(citations(text, names)) or found)


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
        flow.source.kind,
        list(flow.references),
    )


def provenance_sentence(
    flow_id: str,
    version: str,
    source: str,
    published: str | None,
    reviewed: dt.date,
    reading: str | None = None,
    kind: str | None = None,
) -> str:
    """Where a flow comes from, what its routes are a reading of, and what its review date does and
    does not mean."""
    return W["provenance_kind" if kind else "provenance"].format(
        kind=kind,
        flow=flow_id,
        version=version,
        source=source,
        published=f" ({published})" if published else "",
        reviewed=describe_day(reviewed),
        reading=f" {reading}" if reading else "",
    )


def flow_provenance_text(flow: Flow) -> str:
    source = flow.source
    return provenance_sentence(
        flow.id,
        flow.version,
        f"{source.document}, {source.part}",
        source.published,
        flow.reviewed,
        flow.reading,
        source.kind,
    )


def office_hours_text(hours: OfficeHours) -> str:
    """`weekdays 9am to 5pm`, from the contacts file's office hours."""
    days = W["weekdays"] if hours.days == ["Mon", "Tue", "Wed", "Thu", "Fri"] else ", ".join(hours.days)
    opens, closes = (dt.time.fromisoformat(t) for t in (hours.opens, hours.closes))
    return W["office_hours_words"].format(days=days, opens=clock_time(opens), closes=clock_time(closes))


def _spans_words(spans: list[str]) -> str:
    """`8:45am to 5pm and 7pm to midnight`; `all day`."""
    said = []
    for span in spans:
        if span == "00:00-24:00":
            said.append(W["all_day"])
            continue
        start, end = span.split("-")
        words = [clock_time(dt.time.fromisoformat(t)) if t != "24:00" else clock_time(dt.time(0)) for t in (start, end)]
        said.append(W["span"].format(start=words[0], end=words[1]))
    return W["span_join"].join(said)


def opening_words(opening: Opening) -> str:
    """A service's own hours in words: `Monday to Thursday 8:45am to 5pm; Friday 8:45am to 4pm;
    closed on bank holidays`, days with the same hours said together."""
    runs: list[tuple[list[str], list[str]]] = []
    week = {str(day): spans for day, spans in opening.week.items()}
    for day in DAYS:
        spans = sorted(week.get(day, []))
        if runs and runs[-1][1] == spans and runs[-1][0][-1] == DAYS[DAYS.index(day) - 1]:
            runs[-1][0].append(day)
        else:
            runs.append(([day], spans))
    parts = []
    for days, spans in runs:
        if not spans:
            continue
        names = [W["day_names"].split()[DAYS.index(d)] for d in days]
        if len(names) == 1:
            said = names[0]
        else:
            said = W["day_pair" if len(names) == 2 else "day_range"].format(first=names[0], last=names[-1])
        parts.append(W["days_spans"].format(days=said, spans=_spans_words(spans)))
    if opening.bank_holidays:
        parts.append(W["bank_holidays_spans"].format(spans=_spans_words(sorted(opening.bank_holidays))))
    else:
        parts.append(W["bank_holidays_closed"])
    return W["days_join"].join(parts)


def hours_text(contact: Contact, directory: Directory) -> str:
    """A contact's hours in words: its own, else the contacts file's office hours."""
    return opening_words(contact.opening) if contact.opening else office_hours_text(directory.office_hours)


def provenance(contact: Contact, directory: Directory, today: dt.date) -> str:
    """Where a contact's details come from and whether anyone has checked them, in plain words."""
    status = check_status(contact, today)
    if status == "national":
        return f"{contact.source}."
    document = directory.documents.get(contact.document or "")
    published = W["provenance_published"].format(published=document.published) if document else ""
    copied = W["provenance_copied"].format(source=_the(contact.source), published=published)
    if contact.named_person:
        copied += " " + W["named_person"]
    check = contact.checked
    if check is None:
        return f"{copied} {W['not_checked']}"
    checked = W["last_checked"].format(date=describe_day(check.date), by=check.by, against=check.against)
    if status == "overdue":
        return f"{copied} {checked} {W['check_overdue']}"
    return f"{copied} {checked}"


def hours_said_by(contact: Contact, directory: Directory, *, short: bool = False) -> str:
    """Where what is said of a contact's hours comes from: where they are published, or that they are
    this tool's assumption (with what the contacts file records of them: a public page, the basis).
    `short`, for the availability line: the full source is the view's `hours_source`, and the footer's
    basis says it once; "" where the contacts file's own office hours are published."""
    if contact.opening is not None and contact.opening.source is not None:
        return contact.opening.source
    if contact.opening is None and contact.hours == "always":
        return contact.source
    if contact.opening is None and contact.hours_source is not None:
        return contact.hours_source
    if contact.opening is None and not directory.office_hours.assumed:
        return "" if short else W["hours_in_file"]
    if short:
        return W["hours_assumption"]
    said = contact.opening.basis if contact.opening is not None else contact.hours_note
    return W["hours_assumption_because"].format(note=f"; {said}" if said else "")


def _availability_words(found: Availability, directory: Directory, urgent: bool = False) -> str:
    """Whether a contact is open, in words, and on what basis. On a route that is not urgent, the
    out-of-hours cover a service hands over to is named as being for urgent concerns only."""
    contact = directory.contacts[found.contact]
    if contact.hours == "always" and contact.opening is None:
        return W["any_time"]
    source = hours_said_by(contact, directory, short=True)
    said_by = W["hours_source"].format(source=source) if source else ""
    assumed = W["hours_assumed_mark"] if found.assumed else ""
    if contact.hours == "out-of-hours" and contact.opening is None:
        if not found.open_now:
            usual = office_hours_text(directory.office_hours)
            prefix = W["assumed_prefix"] if found.assumed else ""
            return W["out_of_hours_only"].format(assumed=prefix, usual=usual, said_by=said_by)
        return W["open_out_of_hours"].format(assumed=assumed, said_by=said_by)
    hours = hours_text(contact, directory)
    if found.open_now:
        if found.assumed:
            text = W["open_assumed"].format(hours=hours)
        else:
            text = W["open_hours"].format(hours=hours) if contact.opening else W["open_office"]
        if found.closes is None:
            return text + said_by
        takeover = directory.contacts.get(found.takeover or "")
        then = ""
        if takeover is not None:  # the cover takes urgent concerns; a routine referral waits
            then = W["then_phone" if urgent else "then_urgent_only"].format(name=takeover.name)
        return W["closes_at"].format(open=text, time=clock_time(found.closes), then=then, said_by=said_by)
    assert found.opens is not None
    uncovered = "" if contact.out_of_hours or contact.hours != "office" else W["no_cover"]
    key = "closed_assumed" if found.assumed else ("closed_published" if contact.opening else "closed_office")
    return W[key].format(hours=hours, opens=describe(found.opens), uncovered=uncovered, said_by=said_by)


def contact_view(found: Availability, directory: Directory, today: dt.date, urgent: bool = False) -> ContactView:
    contact = directory.contacts[found.contact]
    document = directory.documents.get(contact.document or "")
    return ContactView(
        id=found.contact,
        name=contact.name,
        phones=contact.numbers,
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
    inferred = W["this_project_infers_not_page"].format(inference=found.inference) if found.inference else ""
    return W["at_says_found_by_this"].format(
        kind=found.kind, title=found.title, address=found.address, dated=found.dated, says=found.says, inferred=inferred
    )


def _closed_words(decision: Decision, views: dict[str, ContactView], directory: Directory) -> list[str]:
    """Outside office hours: which services are closed, when they open, and what their out-of-hours
    alternative is for (or that none is published). One sentence for each alternative, however many
    services it stands in for."""
    lines = []
    for alternative, ids in decision.closed:
        services = [views[c] for c in ids]
        names = _join([W["sentence"].format(name=s.name) for s in services])
        assumed = all(s.hours_assumed for s in services)
        one = len(services) == 1
        closed_words = W["closed_now_assumed"] if assumed else W["closed_now_one" if one else "closed_now_many"]
        said = f"{names[0].upper()}{names[1:]} {closed_words}"
        if alternative is None:
            said += W["no_cover_one" if one else "no_cover_many"]
        other = directory.contacts[alternative] if alternative else _open_cover(decision, directory)
        if decision.end.urgent and other is not None:
            lines.append(W["phone_cover_now"].format(said=said, name=other.name, numbers=" or ".join(other.numbers)))
            continue
        opens = W[("opens_assumed_" if assumed else "opens_") + ("one" if one else "many")]
        then = decision.end.when_closed or W["routine_then"]
        line = W["closed_line"].format(said=said, opens=opens, time=services[0].opens_text, then=then)
        if other is not None:
            line += W["cover_urgent_only"].format(name=other.name, numbers=" or ".join(other.numbers))
        lines.append(line)
    if decision.no_open_number:
        lines.append(W["no_number"])
    return lines


def _open_cover(decision: Decision, directory: Directory) -> Contact | None:
    """The route's own out-of-hours number that is open now, if it lists one."""
    found = next((c for c in decision.contacts if c.open_now and directory.contacts[c.contact].hours != "office"), None)
    return directory.contacts[found.contact] if found else None


def _the(source: str) -> str:
    """A source with its article: "the borough protocol", but "the county's page" as it is written."""
    article = W["article"]
    return source if source.lower().startswith(article.lower()) else article + source


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + W["join_last"] + items[-1]


def _deadline_view(found: DeadlineFacts, end: Outcome, directory: Directory) -> DeadlineView:
    deadline = end.deadlines[found.index]
    within = deadline.within
    counted_from = deadline.counted_from
    if found.from_call:
        counted_from = W["from_call"].format(time=describe(found.counted_from))
    amount, unit = duration(within) or (0, "h")
    counting = W[f"counting_{unit}"].format(amount=amount, start=counted_from)
    if deadline.says:
        counting += W["counting_says"].format(says=deadline.says)
    contact = directory.contacts[deadline.send_to] if deadline.send_to else None
    before = late = None
    if found.overdue:
        late = W["deadline_overdue"].format(due=describe(found.due))
    elif found.closed_when_due and contact is not None:
        before = _before_due(deadline, contact, directory)
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
        drafted=bool(deadline.by == "email" and contact is not None and contact.email and deadline.include),
        follow_up=deadline.by,
        follow_up_address=deadline.follow_up.address if deadline.follow_up else None,
        follow_up_what=deadline.follow_up.what if deadline.follow_up else None,
    )


def _before_due(deadline: Deadline, contact: Contact, directory: Directory) -> str:
    """The service a deadline's task goes to is closed when it falls: how to send it before then,
    by the channel the flow declares."""
    state = W["closed_then_assumed"] if hours_assumed(contact, directory) else W["closed_then"]
    channel = f" {deadline.channel}" if deadline.channel else ""
    address = deadline.follow_up.address if deadline.follow_up else None
    said = {"name": contact.name, "state": state, "task": deadline.task, "channel": channel}
    if deadline.by == "email" and contact.email:
        return W["before_email"].format(**said, email=contact.email, source=_the(contact.source))
    if deadline.by == "form" and address:
        return W["before_form"].format(**said, address=address)
    if deadline.by == "letter" and address:
        return W["before_letter"].format(**said, address=address)
    if deadline.by == "phone" and contact.numbers:
        return W["before_phone"].format(**said, numbers=" or ".join(contact.numbers))
    return W["before_any"].format(**said)


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
    actions = _action_items(decision)
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
    verbatim = flow.verbatim(decision.outcome_id)
    return Summary(
        schema=SCHEMA,
        card=build_card(decision, directory, len(not_checked)),
        flow=flow_ref(flow),
        case_ref=case_ref,
        ended_at=_iso(decision.ended_at),
        ended_text=describe(decision.ended_at),
        office_hours=decision.in_hours,
        office_hours_assumed=office_assumed([*end.contacts, *flow.advice.contacts], directory),
        immediate_danger=DangerView(directory.immediate_danger.text, danger.numbers),
        outcome=OutcomeView(decision.outcome_id, end.ref, end.title, end.text, end.section, end.urgent, verbatim),
        closed_now=closed_now,
        actions=actions,
        contacts=contacts,
        deadlines=[_deadline_view(found, end, directory) for found in decision.deadlines],
        conditions=conditions,
        notes=[NoteView(note, source_of(note, flow)) for note in end.notes],
        advice=AdviceView(advice_text or flow.advice.text, advice, source_of(advice_text or flow.advice.text, flow)),
        read=list(end.read),
        route=route,
        indicators=indicators,
        # Said only where a service shown keeps the contacts file's assumed office hours. A flow that
        # shows no contacts has no use for which contacts file its (absent) numbers came from.
        hours_basis=hours.basis if hours.assumed and any(_file_hours(c.id, directory) for c in shown) else None,
        not_checked=not_checked,
        disclaimer=disclaimer(),
        contacts_files=list(contacts_files or []) if shown else [],
        called=_call_view(decision, directory),
    )


def _action_items(decision: Decision) -> list[ActionItem]:
    """The actions in words: a chart box is the chart's (quoted where verbatim); every other action, a
    duty in either wording included, cites its own source; the call made says when."""
    items = []
    for action in decision.actions:
        text = action.text
        if action.done_at is not None:
            text = W["phoned_at"].format(time=describe(action.done_at), text=text)
        chart = action.origin == "chart"
        said = box_source(action.section, action.verbatim) if chart else source_of(action.text, decision.flow)
        items.append(ActionItem(text, action.origin, action.noted, said))
    return items


def _file_hours(contact_id: str, directory: Directory) -> bool:
    """Whether a contact keeps the contacts file's office hours (or the rest of the week around them)."""
    contact = directory.contacts[contact_id]
    return contact.opening is None and contact.hours != "always"


def _call_view(decision: Decision, directory: Directory) -> CallView | None:
    if decision.called_at is None:
        return None
    reached = directory.contacts[decision.called] if decision.called else None
    return CallView(
        _iso(decision.called_at),
        describe(decision.called_at),
        decision.called,
        reached.name if reached else None,
        reached.numbers if reached else [],
    )


# Sentences the outputs draw around the summary's data: made here, with the rest of its words.
