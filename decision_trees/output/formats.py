"""Summaries as JSON and Markdown: plain text, no terminal libraries, so scripted runs stay fast."""

from __future__ import annotations

import msgspec

from decision_trees.core.card import BOX, card_rows, emphasis
from decision_trees.core.contract import ContactView, Summary
from decision_trees.core.phrasebook import (
    HEADINGS,
    SECTIONS,
    action_text,
    contacts_files_sentence,
    counted_sentence,
    ended_sentence,
    indicators_heading,
    pieces,
    route_mark,
    sentence,
    tally_pieces,
)
from decision_trees.core.summary import provenance_sentence
from decision_trees.core.text import visible


def to_json(summary: Summary) -> str:
    return msgspec.json.format(msgspec.json.encode(summary).decode("utf-8"), indent=2) + "\n"


def phone_line(contact: ContactView) -> str:
    """`020 7946 0123 · name@example.org` with whatever the contact has."""
    parts = [*contact.phones, *(x for x in (contact.email, contact.web) if x)]
    return " · ".join(parts)


def availability(contact: ContactView) -> str:
    return contact.availability


def flow_provenance(summary: Summary) -> str:
    """Where the flow comes from, and what the review date does and does not mean."""
    flow = summary.flow
    return provenance_sentence(
        flow.id, flow.version, flow.source, flow.published, flow.reviewed, flow.reading, flow.source_kind
    )


def _md_pieces(found: list[tuple[str, str | None]]) -> str:
    """A sentence's pieces in Markdown: each value it names in bold."""
    return "".join(f"**{_md_escape(text)}**" if field else _md_escape(text) for text, field in found)


def _md_escape(text: str) -> str:
    # Box texts must come out literally, not as Markdown emphasis, links or HTML, nor terminal escapes.
    text = visible(text)
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _md_card(summary: Summary) -> list[str]:
    """The action card: 999 and each warning in bold, then each part ("Now", "By", "Then", "Phone")
    as a bold word and a list; phone numbers and the deadlines' times in bold."""
    dues = [d.due_text for d in summary.deadlines]
    lines: list[str] = []
    rows = card_rows(summary.card, dues)
    for marker, words in rows[2:] if len(rows) > 1 else rows:  # the title is the heading's
        text = _md_bold(words, dues)
        if marker == "!":
            lines += ([""] if lines and lines[-1] else []) + [f"**{_md_escape(words)}**", ""]
            continue
        if marker:
            lines += ([""] if lines and lines[-1] else []) + [f"**{marker}**", ""]
        lines.append(f"- [ ] {text.removeprefix(_md_escape(BOX))}" if words.startswith(BOX) else f"- {text}")
    return [f"**{_md_escape(summary.card.danger)}**", "", *lines, *([""] if lines and lines[-1] else [])]


def _md_bold(words: str, dues: list[str]) -> str:
    """Escaped words with their phone numbers and the deadlines' times in bold."""
    out, at = [], 0
    for start, end in emphasis(words, dues):
        out += [_md_escape(words[at:start]), f"**{_md_escape(words[start:end])}**"]
        at = end
    return "".join([*out, _md_escape(words[at:])])


def to_markdown(summary: Summary) -> str:
    """A summary to paste into case notes: the action card, then the details: the outcome, its
    sections in the one order, and the footer."""
    e = _md_escape
    out = summary.outcome
    lines = [
        f"## {e(summary.flow.title)}: {e(out.ref)} {e(out.title)}",
        "",
        *_md_card(summary),
        "---",
        "",
        f"### {e(sentence('details_heading'))}",
        "",
        f"> {e(out.text)}" if out.verbatim else e(out.text),
        "",
        ended_sentence(summary),
        "",
    ]
    if summary.case_ref:
        lines[-1:-1] = [e(sentence("case_ref", ref=summary.case_ref)), ""]
    for key in SECTIONS:
        lines += _MD_SECTIONS[key](summary)
    lines += ["---", "", e(summary.disclaimer), "", e(flow_provenance(summary))]
    if summary.hours_basis:
        lines += ["", e(sentence("hours_basis", basis=summary.hours_basis))]
    if summary.contacts_files:
        lines += ["", e(contacts_files_sentence(summary))]
    return "\n".join(lines) + "\n"


def _md_closed_now(summary: Summary) -> list[str]:
    if not summary.closed_now:
        return []
    return [f"### {HEADINGS['closed_now']}", "", *(f"- **{_md_escape(line)}**" for line in summary.closed_now), ""]


def _md_deadlines(summary: Summary) -> list[str]:
    e = _md_escape
    if not summary.deadlines:
        return []
    lines = [f"### {HEADINGS['deadlines']}", ""]
    for d in summary.deadlines:
        lines.append(f"- **{e(sentence('deadline', task=d.task, due=d.due_text))}** {e(counted_sentence(d))}")
        if d.late:
            lines.append(f"  **{e(d.late)}**")
        if d.before_due:
            lines.append(f"  {e(d.before_due)}")
    return [*lines, ""]


def _md_actions(summary: Summary) -> list[str]:
    items = [f"- [ ] {_md_escape(action_text(a))}" for a in summary.actions]
    return [f"### {HEADINGS['actions']}", "", *items, ""]


def _md_conditions(summary: Summary) -> list[str]:
    if not summary.conditions:
        return []
    e = _md_escape
    return [e(summary.conditions.text), "", *(f"- {e(item)}" for item in summary.conditions.items), ""]


def _md_contact_section(summary: Summary) -> list[str]:
    return [f"### {HEADINGS['contacts']}", "", *_md_contacts(summary.contacts)] if summary.contacts else []


def _md_notes(summary: Summary) -> list[str]:
    if not summary.notes:
        return []
    return [f"### {HEADINGS['notes']}", "", *(f"- {_md_escape(note.text)}" for note in summary.notes), ""]


def _md_indicators(summary: Summary) -> list[str]:
    e = _md_escape
    lines: list[str] = []
    for tally in summary.indicators:
        lines += [f"### {e(indicators_heading(tally))}", "", _md_pieces(tally_pieces(tally)) + "."]
        if tally.chosen:
            lines.append(_md_pieces(pieces("chosen", level=tally.chosen)))
        lines.append("")
        lines += [f"- [{e(i.level)}] {e(i.text)} ({e(i.source)})" for i in tally.ticked]
        lines.append("")
    return lines


def _md_advice(summary: Summary) -> list[str]:
    lines = [f"### {HEADINGS['advice']}", "", _md_escape(summary.advice.text), ""]
    return lines + _md_contacts(summary.advice.contacts, {c.id for c in summary.contacts})


def _md_route(summary: Summary) -> list[str]:
    e = _md_escape
    lines = [f"### {HEADINGS['route']}", ""]
    for number, step in enumerate(summary.route, 1):
        mark = route_mark(step)
        lines.append(f"{number}. {e(step.text)} **{e(mark)}**" if step.answer else f"{number}. {e(step.text)} ({mark})")
    return [*lines, ""]


def _md_read(summary: Summary) -> list[str]:
    return [f"### {HEADINGS['read']}", "", ", ".join(_md_escape(r) for r in summary.read) or "-", ""]


_MD_SECTIONS = {
    "closed_now": _md_closed_now,
    "deadlines": _md_deadlines,
    "actions": _md_actions,
    "conditions": _md_conditions,
    "contacts": _md_contact_section,
    "notes": _md_notes,
    "indicators": _md_indicators,
    "advice": _md_advice,
    "route": _md_route,
    "read": _md_read,
}


def _md_contacts(contacts: list[ContactView], shown: set[str] | None = None) -> list[str]:
    e = _md_escape
    lines = []
    for contact in contacts:
        if shown and contact.id in shown:
            lines.append(f"- **{e(contact.name)}**: {e(phone_line(contact))} ({e(sentence('as_above'))}).")
            continue
        lines.append(f"- **{e(contact.name)}**: {e(phone_line(contact))}. {e(contact.availability)}.")
        if contact.note:  # what the contacts file says of using it
            lines.append(f"  {e(contact.note)}")
        lines.append(f"  {e(contact.provenance)}")
        lines += [f"  {e(line)}" for line in contact.corroboration]
        if contact.corroboration_above:
            lines.append(f"  {e(sentence('corroboration_above', count=str(contact.corroboration_above)))}")
    lines.append("")
    return lines
