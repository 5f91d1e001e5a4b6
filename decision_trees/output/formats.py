"""Summaries as JSON and Markdown: plain text, no terminal libraries, so scripted runs stay fast."""

from __future__ import annotations

import msgspec

from decision_trees.core.summary import ContactView, RouteStep, Summary, provenance_sentence
from decision_trees.core.text import visible


def to_json(summary: Summary) -> str:
    return msgspec.json.format(msgspec.json.encode(summary).decode("utf-8"), indent=2) + "\n"


def phone_line(contact: ContactView) -> str:
    """`020 7974 3317 · name@example.org` with whatever the contact has."""
    parts = [*contact.phones, *(x for x in (contact.email, contact.web) if x)]
    return " · ".join(parts)


def availability(contact: ContactView) -> str:
    return contact.availability


def flow_provenance(summary: Summary) -> str:
    """Where the flow comes from, and what the review date does and does not mean."""
    flow = summary.flow
    return provenance_sentence(flow.id, flow.version, flow.source, flow.published, flow.reviewed)


def route_mark(step: RouteStep) -> str:
    """What the route shows after a step: the answer, or whether an action was noted or is still to do."""
    if step.answer is not None:
        return step.answer
    return "noted" if step.noted else "to do"


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
    when = "in office hours" if summary.office_hours else "outside office hours"
    lines = [
        f"## {e(summary.flow.title)}: {e(out.ref)} {e(out.title)}",
        "",
        f"**{e(summary.immediate_danger.text)}**",
        "",
        f"> {e(out.text)}",
        "",
        f"Walk ended at {summary.ended_text}, {when}.",
        "",
    ]
    if summary.case_ref:
        lines[-1:-1] = [f"Case reference: {e(summary.case_ref)}.", ""]
    if summary.closed_now:
        lines += ["### Out of hours", ""]
        lines += [f"- **{e(line)}**" for line in summary.closed_now]
        lines.append("")
    if summary.deadlines:
        lines += ["### Deadlines", ""]
        for d in summary.deadlines:
            lines.append(f"- **{e(d.task)} by {d.due_text}.** Counted as {e(d.counting)}.")
            if d.late:
                lines.append(f"  **{e(d.late)}**")
            if d.before_due:
                lines.append(f"  {e(d.before_due)}")
        lines.append("")
    lines += ["### Actions", ""]
    lines += [f"- [{'x' if a.noted else ' '}] {e(a.text)}" for a in summary.actions]
    lines.append("")
    if summary.conditions:
        lines += [e(summary.conditions.text), ""]
        lines += [f"- {e(item)}" for item in summary.conditions.items]
        lines.append("")
    if summary.contacts:
        lines += ["### Contacts", ""]
        lines += _md_contacts(summary.contacts)
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
    lines += ["### If you’re not sure", "", e(summary.advice.text), ""]
    lines += _md_contacts(summary.advice.contacts, {c.id for c in summary.contacts})
    lines += ["### Route taken", ""]
    for number, step in enumerate(summary.route, 1):
        mark = route_mark(step)
        lines.append(f"{number}. {e(step.text)} **{e(mark)}**" if step.answer else f"{number}. {e(step.text)} ({mark})")
    lines += ["", "### Read in the protocol", "", ", ".join(e(r) for r in summary.read) or "-", ""]
    lines += ["---", "", e(summary.disclaimer), "", e(flow_provenance(summary))]
    if summary.hours_basis:
        lines += ["", f"Opening hours: {e(summary.hours_basis)}"]
    if summary.contacts_files:
        lines += ["", e(contacts_files_line(summary))]
    return "\n".join(lines) + "\n"


def contacts_files_line(summary: Summary) -> str:
    """`Contact details from contacts.yaml (bundled), sha256:…`: which files gave the numbers."""
    return "Contact details from " + "; then ".join(f"{f.file} ({f.sha256})" for f in summary.contacts_files) + "."


def _md_contacts(contacts: list[ContactView], shown: set[str] | None = None) -> list[str]:
    e = _md_escape
    lines = []
    for contact in contacts:
        if shown and contact.id in shown:
            lines.append(f"- **{e(contact.name)}**: {e(phone_line(contact))} (as above).")
            continue
        lines.append(f"- **{e(contact.name)}**: {e(phone_line(contact))}. {e(contact.availability)}.")
        lines.append(f"  {e(contact.provenance)}")
    lines.append("")
    return lines


def unchecked_warning(summary: Summary) -> str | None:
    """One line for stderr when a summary shows contacts nobody has checked for a year or more."""
    if not summary.not_checked:
        return None
    names = ", ".join(summary.not_checked)
    return (
        f"warning: {len(summary.not_checked)} contact(s) in this summary were copied from the protocol and "
        f"not checked against a current directory in the last year ({names}); check them before you rely on them"
    )
