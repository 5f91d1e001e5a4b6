"""The practitioner's next step, prepared: a draft of the written confirmation (an RFC 5322 message,
never sent) and a calendar reminder for each deadline (RFC 5545, with `icalendar`). Text only: the
files are written by `delivery`, like every other file. No personal names: only the case reference."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from decision_trees.core.phrasebook import confirmation_text, reminder_text

if TYPE_CHECKING:
    from decision_trees.core.contract import DeadlineView, Summary
    from decision_trees.core.decision import Decision


def confirmation(summary: Summary) -> DeadlineView | None:
    """The deadline that asks for written confirmation to a contact with an email, if the route has one."""
    return next((d for d in summary.deadlines if d.drafted), None)


def email_draft(summary: Summary) -> str | None:
    """A draft of the written confirmation, to open in Outlook or Thunderbird (X-Unsent: 1), or None
    when the route asks for none. The call is the one the summary records (`--called-at`), to the
    service the tool advised at that time; else it is taken as made at the end of the walk."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    due = confirmation(summary)
    if due is None:
        return None
    message = EmailMessage()
    message["To"] = due.send_to_email
    reference = f" ({summary.case_ref})" if summary.case_ref else ""
    message["Subject"] = f"{due.subject or due.task}: {summary.outcome.title}{reference}"
    message["Date"] = format_datetime(dt.datetime.fromisoformat(summary.ended_at))  # else mail readers show 1 January
    message["X-Unsent"] = "1"
    message.set_content(confirmation_text(summary, due))
    return message.as_string(policy=SMTP)


def calendar(summary: Summary, decision: Decision, zone: dt.tzinfo, now: dt.datetime) -> bytes | None:
    """An iCalendar file with one event for each deadline, at its due time in `zone` (with its
    VTIMEZONE) and an alarm when the decision says; None when the route has no deadline."""
    if not summary.deadlines:
        return None
    import icalendar  # only when a calendar file is asked for

    book = icalendar.Calendar()
    book.add("prodid", "-//decision-trees//safeguarding referral deadlines//EN")
    book.add("version", "2.0")
    dues = [dt.datetime.fromisoformat(d.due) for d in summary.deadlines]
    book.add_component(_timezone(icalendar, zone, min(dues).year - 1, max(dues).year + 1))
    for number, deadline in enumerate(summary.deadlines):
        due = dt.datetime.fromisoformat(deadline.due).astimezone(zone)
        event = icalendar.Event()
        event.add("uid", f"{summary.flow.id}-{summary.outcome.node}-{deadline.due}-{number}@decision-trees")
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(minutes=30))
        title, description, alarm_text = reminder_text(summary, deadline)
        event.add("summary", title)
        event.add("description", description)
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        # Relative, as calendars show it; in UTC, since Python subtracts times in one zone by the wall
        # clock, an hour out across a clock change.
        alarm.add("trigger", decision.deadlines[number].remind_at.astimezone(dt.UTC) - due.astimezone(dt.UTC))
        alarm.add("description", alarm_text)
        event.add_component(alarm)
        book.add_component(event)
    ics: bytes = book.to_ical()
    return ics


def _timezone(icalendar: Any, zone: dt.tzinfo, first: int, last: int) -> Any:
    """A VTIMEZONE for `zone` from January of `first` to December of `last`, from the zone's own
    transitions (not a library's table: icalendar 7.3.2 put the March change an hour late). Each
    transition is given, as RFC 5545 asks, at the local time in force before it (TZOFFSETFROM)."""
    start = dt.datetime(first, 1, 1, tzinfo=dt.UTC)
    found: list[tuple[dt.datetime, dt.datetime | None, dt.datetime]] = [(start, None, start.astimezone(zone))]
    at, end = start, dt.datetime(last + 1, 1, 1, tzinfo=dt.UTC)
    while at < end:
        step = at + dt.timedelta(hours=1)
        if step.astimezone(zone).utcoffset() != at.astimezone(zone).utcoffset():
            low, high = at, step  # the exact second the offset changes
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                same = middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset()
                low, high = (middle, high) if same else (low, middle)
            found.append((high, low.astimezone(zone), high.astimezone(zone)))
        at = step
    timezone = icalendar.Timezone()
    timezone.add("tzid", str(getattr(zone, "key", zone)))
    groups: dict[tuple[str, dt.timedelta, dt.timedelta, str], list[dt.datetime]] = {}
    for instant, before, after in found:
        offset_from = (before or after).utcoffset() or dt.timedelta()
        offset_to = after.utcoffset() or dt.timedelta()
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        wall = (instant + offset_from).replace(tzinfo=None)  # the local time before the change
        groups.setdefault((kind, offset_from, offset_to, after.tzname() or ""), []).append(wall)
    for (kind, offset_from, offset_to, name), walls in groups.items():
        part = icalendar.TimezoneDaylight() if kind == "DAYLIGHT" else icalendar.TimezoneStandard()
        part.add("dtstart", walls[0])
        if walls[1:]:
            part.add("rdate", walls[1:])
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        part.add("tzname", name)
        timezone.add_component(part)
    return timezone
