"""Lint rules over flows and contacts. Errors stop a walk before any question; warnings do not."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Callable
from typing import get_args

import msgspec

from decision_trees.core.citing import citations
from decision_trees.core.clock import describe_day, parse_duration
from decision_trees.core.decision import CHECK_AFTER, UNCHECKED, check_status, placeholders
from decision_trees.core.engine import ends
from decision_trees.core.errors import FlowDataError
from decision_trees.core.invariants import INVARIANTS, Breach, sentences
from decision_trees.core.kinds.base import Ask
from decision_trees.core.models import Directory, Duty, Flow, GuidanceBook, Node, Outcome
from decision_trees.words import MESSAGES

# rule -> (severity, what it means). The README's table of rules is checked against this.
RULES: dict[str, tuple[str, str]] = {
    "unreadable": ("error", "the file cannot be read"),
    "yaml": ("error", "the file is not valid YAML"),
    "schema": ("error", "a key, type or value does not fit the flow format"),
    "duplicate-id": ("error", "two flows share an id or alias"),
    "missing-start": ("error", "the start node does not exist"),
    "missing-node": ("error", "a choice or action leads to a node that does not exist"),
    "unknown-contact": ("error", "a contact id is not in the contacts file"),
    "phone-shape": ("error", "a phone number is not the shape of a UK number"),
    "not-in-source": ("error", "a number or email copied from a document is not printed in that document's kept text"),
    "escalation": ("error", "a higher level of need leads to a less urgent end than a lower one"),
    "consent": ("error", "a referral end does not cite the flow's consent section"),
    "duplicate-label": ("error", "two choices of one question have the same label"),
    "bad-deadline": ("error", "a deadline's `within` is not a duration such as 48h, 90m or 2d"),
    "unknown-guidance": ("error", "a question names guidance that is not in reference/guidance.yaml"),
    "bad-indicators": ("error", "a question's indicator levels name a column or choice that does not exist"),
    "cycle": ("error", "the flow can loop back to a node already passed"),
    "dead-end": ("error", "a question or action has no way on to an outcome"),
    "unreachable": ("warning", "no route from the start reaches the node"),
    "no-actions": ("warning", "an outcome lists no actions"),
    "no-phone": ("warning", "a contact has no phone number"),
    "stale-contact": ("warning", "a contact was never checked against a current directory, or not for a year"),
    "review-due": ("warning", "the flow's review date has passed"),
    "encoded-word": (
        "error",
        "a title, task or subject holds an RFC 2047 encoded word, which a mail reader would decode",
    ),
    "no-out-of-hours-number": ("warning", "out of hours, an end names no open service with a phone number"),
    "long-card": ("warning", "an end's action card runs past 24 lines at 80 columns: its long actions need a `brief`"),
    "bundled-contacts": ("warning", "a flow file with no contacts.yaml beside it is checked against the bundled one"),
    "vignette": (
        "error",
        "a practice vignette names no flow, repeats an id, its answers no longer take its route, "
        "or its expected level disagrees with its cues",
    ),
    "compiled": ("error", "library.compiled.json was edited by hand, or says other than its sources"),
    "stale-compiled": ("warning", "library.compiled.json is older than its sources, so walks read the sources"),
    # The safety invariants (core/invariants.py), each an error naming its hazard.
    **{key: ("error", f"{meaning} (hazard {hazard})") for key, (hazard, meaning) in INVARIANTS.items()},
    # Each kind of node's own rules, such as a scored checklist's bands.
    **{rule: meaning for kind in get_args(Node) for rule, meaning in kind.rules.items()},
}
STALE_AFTER = CHECK_AFTER


class Finding(msgspec.Struct, frozen=True):
    """One problem: where it is, which rule, what is wrong."""

    file: str
    line: int | None
    node: str | None
    rule: str
    message: str

    @property
    def severity(self) -> str:
        return RULES[self.rule][0]

    @property
    def hazard(self) -> str | None:
        """The hazard in docs/safety/hazard-log.md whose control the finding breaks, if any."""
        return INVARIANTS[self.rule][0] if self.rule in INVARIANTS else None

    def describe(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        node = MESSAGES["finding_node"].format(node=self.node) if self.node else ""
        rule = MESSAGES["finding_rule"].format(rule=self.rule, hazard=self.hazard) if self.hazard else self.rule
        return f"{where}: {self.severity} [{rule}]{node} {self.message}"


def from_breaches(breaches: list[Breach], file: str, line_of: LineOf, contacts: bool = False) -> list[Finding]:
    """Invariant breaches as findings, each at the line of what breaks it."""
    found = []
    for breach in breaches:
        owner = breach.contact if contacts else breach.node
        found.append(
            Finding(file, line_of(owner, breach.key, breach.index), breach.node, breach.invariant, breach.message)
        )
    return found


def from_error(rule: str, error: FlowDataError, file: str, node: str | None = None) -> Finding:
    return Finding(error.file or file, error.line, node, rule, error.detail)


LineOf = Callable[[str | None, str, int | None], int | None]
"""(node id or None for the flow's top level, key, item index) -> line."""


def _edges(flow: Flow, node_id: str) -> list[str]:
    return [way.next for way in flow.nodes[node_id].exits()]


def lint_flow(
    flow: Flow, directory: Directory, file: str, line_of: LineOf, today: dt.date | None, book: GuidanceBook
) -> list[Finding]:
    """Every graph finding of one flow, in file order of the nodes. `today` None skips dated rules."""
    findings: list[Finding] = []

    def add(node: str | None, rule: str, message: str, key: str, index: int | None = None) -> None:
        findings.append(Finding(file, line_of(node, key, index), node, rule, message))

    nodes = flow.nodes
    valid = ", ".join(nodes)
    if flow.start not in nodes:
        add(None, "missing-start", MESSAGES["start_node_does_not_exist"].format(start=flow.start, valid=valid), "start")
    for node_id, node in nodes.items():
        _lint_exits(node_id, node, nodes, valid, add)
        for problem in node.problems():
            add(node_id, problem.rule, problem.message, problem.key, problem.index)
        if (ask := node.ask()) is not None:
            _lint_guidance(node_id, ask, book, add)
        if (end := node.end()) is not None:
            _lint_outcome(node_id, end, directory, add)
    names = [flow.id]
    for index, alias in enumerate(flow.aliases):
        if alias in names:
            add(None, "duplicate-id", MESSAGES["alias_repeats_flow_own_id"].format(alias=alias), "aliases", index)
        names.append(alias)
    for index, contact in enumerate(flow.advice.contacts):
        if contact not in directory.contacts:
            add(
                None,
                "unknown-contact",
                MESSAGES["advice_contact_not_contacts_file"].format(contact=contact),
                "advice",
                index,
            )
    findings += _lint_graph(flow, file, line_of)
    if not any(f.rule == "cycle" for f in findings):
        findings += _lint_escalation(flow, file, line_of)
    findings += _lint_consent(flow, file, line_of)
    if today is not None:
        due = flow.review_by or flow.reviewed + STALE_AFTER
        if due < today:
            add(None, "review-due", MESSAGES["review_was_due_check_flow"].format(due=describe_day(due)), "reviewed")
    return findings


def _urgencies(flow: Flow) -> dict[str, tuple[int, int]]:
    """The least and most urgent end each node can reach (an acyclic flow), found iteratively."""
    found: dict[str, tuple[int, int]] = {}
    for root in flow.nodes:
        stack = [root]
        while stack:
            node_id = stack[-1]
            if node_id in found:
                stack.pop()
                continue
            end = flow.nodes[node_id].end()
            if end is not None:
                found[node_id] = (end.urgency, end.urgency)
                stack.pop()
                continue
            waiting = [t for t in _edges(flow, node_id) if t in flow.nodes and t not in found]
            if waiting:
                stack += waiting
                continue
            reached = [found[t] for t in _edges(flow, node_id) if t in found]
            found[node_id] = (min(r[0] for r in reached), max(r[1] for r in reached)) if reached else (0, 0)
            stack.pop()
    return found


def _lint_escalation(flow: Flow, file: str, line_of: LineOf) -> list[Finding]:
    """A question's `escalation` lists its answers from the least need to the most: a higher need must
    never lead only to less urgent ends than a lower one (both the least and the most urgent end it
    can reach rise or stay level)."""
    findings: list[Finding] = []
    reach: dict[str, tuple[int, int]] | None = None
    for node_id, node in flow.nodes.items():
        ask = node.ask()
        if ask is None or not ask.escalation:
            continue
        ways = [way for way in node.exits() if way.label is not None]
        targets = {way.label: way.next for way in ways if way.label is not None}
        unknown = [label for label in ask.escalation if label not in targets]
        if unknown:
            message = MESSAGES["escalation_names_which_not_choice"].format(
                unknown=unknown[0], targets=", ".join(targets)
            )
            findings.append(Finding(file, line_of(node_id, "escalation", None), node_id, "escalation", message))
            continue
        reach = reach or _urgencies(flow)
        for lower, higher in zip(ask.escalation, ask.escalation[1:], strict=False):
            low, high = reach.get(targets[lower], (0, 0)), reach.get(targets[higher], (0, 0))
            if high[0] < low[0] or high[1] < low[1]:
                message = MESSAGES["more_need_leads_with_ends"].format(
                    higher=higher,
                    higher_end=targets[higher],
                    higher_from=high[0],
                    higher_to=high[1],
                    lower=lower,
                    lower_end=targets[lower],
                    lower_from=low[0],
                    lower_to=low[1],
                )
                way = next(way for way in ways if way.label == higher)
                findings.append(Finding(file, line_of(node_id, way.key, way.index), node_id, "escalation", message))
    return findings


def _lint_consent(flow: Flow, file: str, line_of: LineOf) -> list[Finding]:
    """Where the flow names its consent section, every `referral` end cites it in an action or note."""
    section = flow.consent_section
    if section is None:
        return []
    pattern = re.compile(rf"(?<![0-9.]){re.escape(section)}(?![0-9])")
    findings = []
    for node_id, node in ends(flow).items():
        if not node.referral:
            continue
        texts = [text for key, _, _, text in sentences(node) if key in ("actions", "notes")]
        if not any(pattern.search(cited) for text in texts for cited in citations(text)):
            message = MESSAGES["referral_end_but_no_action"].format(section=section)
            findings.append(Finding(file, line_of(node_id, "actions", None), node_id, "consent", message))
    return findings


def _lint_guidance(node_id: str, node: Ask, book: GuidanceBook, add: Callable[..., None]) -> None:
    for index, guidance_id in enumerate(node.guidance):
        if guidance_id not in book.guidance:
            known = ", ".join(book.guidance) or "none"
            add(
                node_id,
                "unknown-guidance",
                MESSAGES["guidance_does_not_exist_known"].format(guidance_id=guidance_id, known=known),
                "guidance",
                index,
            )
    labels = {o.label for o in node.options}
    columns = {c.key for g in node.guidance if g in book.guidance for c in book.guidance[g].columns}
    for key, label in node.levels.items():
        if label not in labels:
            add(
                node_id,
                "bad-indicators",
                MESSAGES["indicator_level_names_which_not"].format(key=key, label=label),
                "indicators",
            )
        if key not in columns:
            add(
                node_id, "bad-indicators", MESSAGES["indicator_level_not_column_guidance"].format(key=key), "indicators"
            )


def look_alike_key(label: str) -> str:
    """What a label looks like: NFKC, case and spacing folded, and each character replaced by the
    first of the characters Unicode lists as confusable with it (TR 39's confusables), so that "Yes",
    "yes ", "Ｙｅｓ" and a Cyrillic "Yеs" have one key."""
    import unicodedata

    from confusable_homoglyphs.confusables import confusables_data  # the table: only when validating

    folded = " ".join(unicodedata.normalize("NFKC", label).casefold().split())
    return "".join(min([char, *(h["c"] for h in confusables_data.get(char, []))]) for char in folded)


def _lint_exits(node_id: str, node: Node, nodes: dict[str, Node], valid: str, add: Callable[..., None]) -> None:
    """Every exit leads to a node that exists, and no two exits' labels look alike."""
    seen: dict[str, str] = {}
    for way in node.exits():
        if way.label is not None:
            key = look_alike_key(way.label)
            if key in seen:
                alike = seen[key].casefold() != way.label.casefold()  # more than case: say what differs
                same = MESSAGES["labels_that_look_alike"].format(seen=seen[key]) if alike else MESSAGES["the_label"]
                add(
                    node_id,
                    "duplicate-label",
                    MESSAGES["two_choices_have"].format(same=same, label=way.label),
                    way.key,
                    way.index,
                )
            seen.setdefault(key, way.label)
        if way.next not in nodes:
            named = MESSAGES["choice_leads"].format(label=way.label) if way.label is not None else "leads"
            add(
                node_id,
                "missing-node",
                MESSAGES["which_does_not_exist_valid"].format(named=named, next=way.next, valid=valid),
                way.key,
                way.index,
            )


def _lint_outcome(node_id: str, node: Outcome, directory: Directory, add: Callable[..., None]) -> None:
    if not node.actions:
        add(node_id, "no-actions", MESSAGES["outcome_lists_no_actions_practitioner"], "actions")
    for index, contact in enumerate(node.contacts):
        if contact not in directory.contacts:
            known = ", ".join(directory.contacts)
            add(
                node_id,
                "unknown-contact",
                MESSAGES["contact_not_contacts_file_known"].format(contact=contact, known=known),
                "contacts",
                index,
            )
    subjects: list[tuple[str, int | None, str]] = [("title", None, node.title)]
    subjects += [("deadlines", i, value) for i, d in enumerate(node.deadlines) for value in (d.task, d.subject or "")]
    for key, at, text in subjects:
        if _ENCODED_WORD.search(text):
            message = MESSAGES["holds_rfc_2047_encoded_word"].format(text=text[:60])
            add(node_id, "encoded-word", message, key, at)
    for index, deadline in enumerate(node.deadlines):
        try:
            parse_duration(deadline.within)
        except FlowDataError as exc:
            add(node_id, "bad-deadline", exc.detail, "deadlines", index)
        if deadline.send_to is not None and deadline.send_to not in directory.contacts:
            add(
                node_id,
                "unknown-contact",
                MESSAGES["deadline_send_not_contacts_file"].format(send_to=deadline.send_to),
                "deadlines",
                index,
            )
    for index, item in enumerate(node.actions):
        texts = item.texts if isinstance(item, Duty) else [item]
        for contact in (c for text in texts for c in placeholders(text)):
            if contact not in directory.contacts:
                add(
                    node_id,
                    "unknown-contact",
                    MESSAGES["action_names_contact_which_not"].format(number=index + 1, contact=contact),
                    "actions",
                    index,
                )


# An RFC 2047 encoded word, as mail readers decode it in a subject: "=?utf-8?q?…?=" or "?b?".
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _lint_graph(flow: Flow, file: str, line_of: LineOf) -> list[Finding]:
    """Reachability, cycles and dead ends; iterative, so that large flows cannot exhaust the stack."""
    nodes = flow.nodes
    findings: list[Finding] = []
    reachable: set[str] = set()
    if flow.start in nodes:
        queue = deque([flow.start])
        reachable.add(flow.start)
        while queue:
            for target in _edges(flow, queue.popleft()):
                if target in nodes and target not in reachable:
                    reachable.add(target)
                    queue.append(target)
    # Nodes from which an outcome can be reached, found backwards from the outcomes.
    incoming: dict[str, list[str]] = {n: [] for n in nodes}
    for node_id in nodes:
        for target in _edges(flow, node_id):
            if target in nodes:
                incoming[target].append(node_id)
    finishing = set(ends(flow))
    queue = deque(finishing)
    while queue:
        for source in incoming[queue.popleft()]:
            if source not in finishing:
                finishing.add(source)
                queue.append(source)
    for node_id in nodes:
        if node_id not in reachable and flow.start in nodes:
            findings.append(
                Finding(
                    file,
                    line_of(node_id, "type", None),
                    node_id,
                    "unreachable",
                    MESSAGES["no_route_from_start_reaches"],
                )
            )
        if node_id not in finishing:
            findings.append(
                Finding(
                    file,
                    line_of(node_id, "type", None),
                    node_id,
                    "dead-end",
                    MESSAGES["no_route_from_this_node"],
                )
            )
    findings += _cycles(flow, file, line_of)
    return findings


def _cycles(flow: Flow, file: str, line_of: LineOf) -> list[Finding]:
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(flow.nodes, white)
    findings: list[Finding] = []
    for root in flow.nodes:
        if colour[root] != white:
            continue
        colour[root] = grey
        stack = [(root, iter(_edges(flow, root)))]
        while stack:
            node_id, targets = stack[-1]
            for target in targets:
                if target not in colour:
                    continue
                if colour[target] == grey:
                    findings.append(
                        Finding(
                            file,
                            line_of(node_id, "type", None),
                            node_id,
                            "cycle",
                            MESSAGES["leads_back_making_loop"].format(target=target),
                        )
                    )
                elif colour[target] == white:
                    colour[target] = grey
                    stack.append((target, iter(_edges(flow, target))))
                    break
            else:
                colour[node_id] = black
                stack.pop()
    return findings


def lint_directory(directory: Directory, file: str, line_of: LineOf, today: dt.date | None) -> list[Finding]:
    """Contacts without a phone, and contacts not checked for a year."""
    findings: list[Finding] = []
    for contact_id, contact in directory.contacts.items():
        if not contact.phones:
            findings.append(
                Finding(
                    file,
                    line_of(contact_id, "name", None),
                    None,
                    "no-phone",
                    MESSAGES["contact_has_no_phone_number"].format(contact_id=contact_id, name=contact.name),
                )
            )
        status = check_status(contact, today) if today is not None else "national"
        if status in UNCHECKED:
            if contact.checked is None:
                message = MESSAGES["contact_was_copied_from_source"].format(contact_id=contact_id)
            else:
                message = MESSAGES["contact_was_last_checked_against"].format(
                    contact_id=contact_id, date=contact.checked.date.isoformat()
                )
            line = line_of(contact_id, "checked" if contact.checked else "source", None)
            findings.append(Finding(file, line, None, "stale-contact", message))
    return findings
