"""The practitioner's next step, prepared: a draft of the written confirmation (an RFC 5322 message,
never sent) and a calendar reminder for each deadline (RFC 5545, with `icalendar`). Text only: the
files are written by `delivery`, like every other file. No personal names: only the case reference."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decision_trees.core.summary import DeadlineView, Summary

ALARM_BEFORE = dt.timedelta(hours=4)


def confirmation(summary: Summary) -> DeadlineView | None:
    """The deadline that asks for written confirmation to a contact with an email, if the route has one."""
    return next((d for d in summary.deadlines if d.send_to_email and d.include), None)


def email_draft(summary: Summary) -> str | None:
    """A draft of the written confirmation, to open in Outlook or Thunderbird (X-Unsent: 1), or None
    when the route asks for none. The call is the one the summary records (`--called-at`), to the
    service the tool advised at that time; else it is taken as made at the end of the walk."""
    from email.message import EmailMessage
    from email.policy import SMTP

    due = confirmation(summary)
    if due is None:
        return None
    message = EmailMessage()
    message["To"] = due.send_to_email
    reference = f" ({summary.case_ref})" if summary.case_ref else ""
    message["Subject"] = f"{due.subject or due.task}: {summary.outcome.title}{reference}"
    message["X-Unsent"] = "1"
    message.set_content(_body(summary, due))
    return message.as_string(policy=SMTP)


def _body(summary: Summary, due: DeadlineView) -> str:
    if summary.called is not None:
        phoned_at, name, phones = summary.called.at_text, summary.called.name, summary.called.phones
    else:  # taken as made at the end of the walk, to the first number the summary gives
        first = summary.contacts[0] if summary.contacts else None
        phoned_at, name, phones = summary.ended_text, first.name if first else None, first.phones if first else []
    to_whom = f" to the {name} ({', '.join(phones)})" if name else ""
    lines = [
        "DRAFT - check every line, and add what the protocol asks for, before you send it.",
        "",
        f"This confirms in writing the referral I made by phone at {phoned_at}{to_whom}.",
        f"Outcome of the {summary.flow.title} chart: {summary.outcome.ref} {summary.outcome.title}.",
    ]
    if summary.case_ref:
        lines.append(f"Case reference: {summary.case_ref}.")
    lines += ["", "The questions and the answers given:"]
    lines += [f"- {step.text} {step.answer}" for step in summary.route if step.answer is not None]
    for tally in summary.indicators:
        lines += ["", f'Indicators ticked at "{tally.question}":']
        lines += [f"- [{i.level}] {i.text} ({i.source})" for i in tally.ticked]
    lines += ["", "The actions agreed:"]
    lines += [f"- {action.text}" for action in summary.actions]
    if due.status == "overdue":
        lines += ["", f"This confirmation is late: it was due by {due.due_text} ({due.counting}). I am sending it now."]
    else:
        lines += ["", f"This confirmation is due by {due.due_text} ({due.counting})."]
    lines += ["", "What it should contain, by the protocol:"]
    lines += [f"- {item}" for item in due.include]
    lines += ["", summary.disclaimer, ""]
    return "\n".join(lines)


def calendar(summary: Summary, zone: dt.tzinfo, now: dt.datetime) -> bytes | None:
    """An iCalendar file with one event for each deadline, at its due time in `zone` (with its
    VTIMEZONE) and an alarm before it; None when the route has no deadline."""
    if not summary.deadlines:
        return None
    import icalendar  # only when a calendar file is asked for

    book = icalendar.Calendar()
    book.add("prodid", "-//decision-trees//safeguarding referral deadlines//EN")
    book.add("version", "2.0")
    reference = f" ({summary.case_ref})" if summary.case_ref else ""
    for number, deadline in enumerate(summary.deadlines):
        due = dt.datetime.fromisoformat(deadline.due).astimezone(zone)
        event = icalendar.Event()
        event.add("uid", f"{summary.flow.id}-{summary.outcome.node}-{deadline.due}-{number}@decision-trees")
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(minutes=30))
        event.add("summary", f"{deadline.task} by {deadline.due_text}{reference}")
        # What is due at the deadline (the written confirmation), never the call, which is made by then.
        send = f"Send it to the {deadline.send_to_name}" if deadline.send_to_name else ""
        if send and deadline.send_to_email:
            send += f" ({deadline.send_to_email})"
        description = [
            f"Due by {deadline.due_text}: {deadline.task}.",
            f"{summary.outcome.ref} {summary.outcome.title}{reference}.",
            f"Counted as {deadline.counting}.",
            *([f"{send}."] if send else []),
            *([deadline.late] if deadline.late else []),
            *([deadline.before_due] if deadline.before_due else []),
            summary.immediate_danger.text,
        ]
        event.add("description", "\n".join(description))
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -ALARM_BEFORE)
        alarm.add("description", f"{deadline.task}: due by {deadline.due_text}")
        event.add_component(alarm)
        book.add_component(event)
    book.add_missing_timezones()
    ics: bytes = book.to_ical()
    return ics
