"""Summaries as JSON and Markdown: plain text, no terminal libraries, so scripted runs stay fast."""

from __future__ import annotations

import msgspec

from .summary import ContactView, Summary
from .text import visible


def to_json(summary: Summary) -> str:
    return msgspec.json.format(msgspec.json.encode(summary).decode("utf-8"), indent=2) + "\n"


def phone_line(contact: ContactView) -> str:
    """`020 7974 3317 · name@example.org` with whatever the contact has."""
    parts = [*contact.phones, *(x for x in (contact.email, contact.web) if x)]
    return " · ".join(parts)


def availability(contact: ContactView) -> str:
    if contact.hours == "always":
        return "any time"
    if contact.hours == "out-of-hours":
        return "open now (out of hours)" if contact.open_now else "out of hours only"
    if contact.open_now:
        return "open now (office hours)"
    return f"closed now; opens {contact.opens_text}" if contact.opens_text else "closed now"


def _md_escape(text: str) -> str:
    # Box texts must come out literally, not as Markdown emphasis, links or HTML, nor terminal escapes.
    text = visible(text)
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def to_markdown(summary: Summary) -> str:
    """A summary to paste into case notes."""
    e = _md_escape
    out = summary.outcome
    lines = [
        f"## {e(summary.flow.title)}: {e(out.ref)} {e(out.title)}",
        "",
        f"**{e(summary.immediate_danger.text)}**",
        "",
        f"> {e(out.text)}",
        "",
        f"Walk ended {summary.ended_text} ({'office hours' if summary.office_hours else 'outside office hours'}).",
        "",
    ]
    if summary.case_ref:
        lines[-1:-1] = [f"Case reference: {e(summary.case_ref)}.", ""]
    if summary.deadlines:
        lines += ["### Deadlines", ""]
        lines += [
            f"- **{e(d.task)} by {d.due_text}** ({d.within}, counted from {e(d.counted_from)})"
            for d in summary.deadlines
        ]
        lines.append("")
    lines += ["### Actions", ""]
    lines += [f"- [ ] {e(a.text)}" for a in summary.actions]
    lines.append("")
    if summary.conditions:
        lines += [e(summary.conditions.text), ""]
        lines += [f"- {e(item)}" for item in summary.conditions.items]
        lines.append("")
    if summary.contacts:
        lines += ["### Contacts", ""]
        for contact in summary.contacts:
            lines.append(f"- **{e(contact.name)}**: {e(phone_line(contact))} – {availability(contact)}")
        lines.append("")
    if summary.notes:
        lines += ["### Notes", ""]
        lines += [f"- {e(note)}" for note in summary.notes]
        lines.append("")
    for tally in summary.indicators:
        counts = ", ".join(f"{e(label)}: {count}" for label, count in tally.counts.items())
        lines += [f"### Indicators ticked at “{e(tally.question)}”", "", counts + "."]
        if tally.points_to:
            lines.append(
                f"They point to **{e(tally.points_to)}** (the highest level ticked); "
                f"the practitioner chose **{e(tally.chosen or '-')}**."
            )
        lines.append("")
        lines += [f"- [{e(i.level)}] {e(i.text)} ({e(i.source)})" for i in tally.ticked]
        lines.append("")
    lines += ["### Where in doubt", "", e(summary.advice.text)]
    for contact in summary.advice.contacts:
        lines.append(f"- {e(contact.name)}: {e(phone_line(contact))} – {availability(contact)}")
    lines += ["", "### Route taken", ""]
    for number, step in enumerate(summary.route, 1):
        answer = f" **{e(step.answer)}**" if step.answer else " (done)"
        lines.append(f"{number}. {e(step.text)}{answer}")
    lines += ["", "### Read in the protocol", "", ", ".join(e(r) for r in summary.read) or "-", ""]
    sources = sorted({f"{c.source}, checked {c.checked:%d %b %Y}" for c in summary.contacts})
    lines += [
        "---",
        f"{e(summary.flow.source)} · flow {e(summary.flow.id)} v{e(summary.flow.version)}, "
        f"reviewed {summary.flow.reviewed:%d %b %Y}.",
    ]
    lines += [f"Contact details from {e(s)}." for s in sources]
    return "\n".join(lines) + "\n"
