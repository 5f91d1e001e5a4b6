"""The sentences the outputs draw around a summary's data: filled in from the phrasebook's templates
(`decision_trees.words`, a data file), and the few made whole (the draft's and the reminder's)."""

from __future__ import annotations

from decision_trees.core.contract import ActionItem, DeadlineView, RouteStep, Summary
from decision_trees.core.guidance import Tally
from decision_trees.words import HEADINGS, SUMMARY, disclaimer

__all__ = ["HEADINGS", "SECTIONS", "WORDS", "disclaimer"]

# The summary's parts, in the one order every output draws them; each part's heading is the
# phrasebook's (none: the part is headed by its own text, the conditions' or the question the
# indicators were ticked at).
SECTIONS: tuple[str, ...] = (
    "closed_now", "deadlines", "actions", "conditions", "contacts", "notes", "indicators", "advice", "route", "read",
)  # fmt: skip
# The sentences, as templates, for the page too, whose script fills them in for the instant it shows.
# A `{field}` is a value an output may style (bold, a colour); the words around it are the phrasebook's.
WORDS = SUMMARY


def pieces(key: str, **values: str) -> list[tuple[str, str | None]]:
    """A sentence of WORDS as its pieces: (words, None) and (value, field name), so that an output can
    style a value without making the sentence itself."""
    template = WORDS[key]
    assert isinstance(template, str)
    found: list[tuple[str, str | None]] = []
    rest = template
    while "{" in rest:
        words, _, rest = rest.partition("{")
        field, _, rest = rest.partition("}")
        found += [(words, None)] if words else []
        found.append((values[field], field))
    return found + ([(rest, None)] if rest else [])


def sentence(key: str, **values: str) -> str:
    """A sentence of WORDS, filled in."""
    return "".join(text for text, _ in pieces(key, **values))


def tally_pieces(tally: Tally) -> list[tuple[str, str | None]]:
    """`Indicators ticked: Low 2 · Medium 1 · High 0 → they point to Low level need (…)`."""
    counts = " · ".join(f"{label} {count}" for label, count in tally.counts.items())
    found = pieces("tally", counts=counts)
    return found + (pieces("points_to", level=tally.points_to) if tally.points_to else [])


def action_text(action: ActionItem) -> str:
    """An action as a checklist shows it: never ticked, and said to be noted where it was."""
    return action.text + (str(WORDS["noted_action"]) if action.noted else "")


def route_mark(step: RouteStep) -> str:
    """What the route shows after a step: the answer, or whether an action was noted or is still to do."""
    if step.answer is not None:
        return step.answer
    return sentence("noted") if step.noted else sentence("to_do")


def unchecked_warning(summary: Summary) -> str | None:
    """One line for stderr when a summary shows contacts nobody has checked for a year or more."""
    if not summary.not_checked:
        return None
    return sentence("unchecked", count=str(len(summary.not_checked)), ids=", ".join(summary.not_checked))


def ended_sentence(summary: Summary) -> str:
    assumed = WORDS["assumed_hours"] if summary.office_hours_assumed else ""
    return sentence("ended_open" if summary.office_hours else "ended_closed", time=summary.ended_text, assumed=assumed)


def counted_sentence(deadline: DeadlineView) -> str:
    return sentence("counted", counting=deadline.counting)


def indicators_heading(tally: Tally) -> str:
    return sentence("indicators", question=tally.question)


def contacts_files_sentence(summary: Summary) -> str:
    """`Contact details from contacts.yaml (bundled) (sha256:…).`: which files gave the numbers."""
    files = WORDS["contacts_files_join"].join(f"{f.file} ({f.sha256})" for f in summary.contacts_files)
    return sentence("contacts_files", files=files)


def confirmation_text(summary: Summary, due: DeadlineView) -> str:
    """The draft written confirmation's body, from the summary (never sent: the practitioner checks it)."""
    if summary.called is not None:
        phoned_at, name, phones = summary.called.at_text, summary.called.name, summary.called.phones
    else:  # taken as made at the end of the walk, to the first number the summary gives
        first = summary.contacts[0] if summary.contacts else None
        phoned_at, name, phones = summary.ended_text, first.name if first else None, first.phones if first else []
    to_whom = sentence("draft_to_whom", name=name, numbers=", ".join(phones)) if name else ""
    lines = [
        WORDS["draft_head"],
        "",
        sentence("draft_confirms", time=phoned_at, to_whom=to_whom),
        sentence("draft_outcome", flow=summary.flow.title, ref=summary.outcome.ref, title=summary.outcome.title),
    ]
    if summary.case_ref:
        lines.append(sentence("case_ref", ref=summary.case_ref))
    lines += ["", WORDS["draft_answers"]]
    lines += [f"- {step.text} → {step.answer}" for step in summary.route if step.answer is not None]
    for tally in summary.indicators:
        lines += ["", sentence("draft_indicators", question=tally.question)]
        lines += [f"- [{i.level}] {i.text} ({i.source})" for i in tally.ticked]
    lines += ["", WORDS["draft_actions"]]
    lines += [f"- {action.text}" for action in summary.actions]
    late = due.status == "overdue"
    lines += ["", sentence("draft_late" if late else "draft_due", due=due.due_text, counting=due.counting)]
    lines += ["", WORDS["draft_include"]]
    lines += [f"- {item}" for item in due.include]
    lines += ["", summary.disclaimer, ""]
    return "\n".join(lines)


def _numbers(summary: Summary) -> str:
    """The route's contacts with their numbers, for a reminder read away from the summary."""
    return "; ".join(f"{c.name} {' or '.join(c.phones)}" for c in summary.contacts if c.phones)


def reminder_text(summary: Summary, deadline: DeadlineView) -> tuple[str, str, str]:
    """A deadline's calendar reminder: its title, its description and its alarm's words. What is due
    then is the written confirmation, never the call, which is made by then."""
    reference = f" ({summary.case_ref})" if summary.case_ref else ""
    send = sentence("reminder_send", name=deadline.send_to_name) if deadline.send_to_name else ""
    if send and deadline.follow_up == "email" and deadline.send_to_email:
        send += sentence("reminder_email", email=deadline.send_to_email)
    how = _how(deadline)
    description = [
        sentence("reminder_due", due=deadline.due_text, task=deadline.task),
        sentence("reminder_outcome", ref=summary.outcome.ref, title=summary.outcome.title, reference=reference),
        counted_sentence(deadline),
        *([f"{send}."] if send else []),
        *([how] if how else []),
        *([sentence("reminder_numbers", numbers=numbers)] if (numbers := _numbers(summary)) else []),
        *([deadline.late] if deadline.late else []),
        *([deadline.before_due] if deadline.before_due else []),
        summary.immediate_danger.text,
    ]
    title = sentence("reminder_title", task=deadline.task, due=deadline.due_text, reference=reference)
    return title, "\n".join(description), sentence("reminder_alarm", task=deadline.task, due=deadline.due_text)


def _how(deadline: DeadlineView) -> str | None:
    """How a deadline's task is sent, where the flow declares a channel other than email."""
    address = deadline.follow_up_address
    if deadline.follow_up == "phone":
        return WORDS["reminder_phone"]
    if deadline.follow_up in ("form", "letter") and address:
        return sentence(f"reminder_{deadline.follow_up}", address=address)
    return None
