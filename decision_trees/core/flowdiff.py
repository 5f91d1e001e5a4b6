"""What a change to a flow does to its advice, route by route (GOV.UK Smart Answers' regression
artefacts, for a clinical safety officer's change record). Routes are matched by the answers that
lead to them; a route's advice is everything its summary would tell a practitioner to do."""

from __future__ import annotations

from typing import Any

import msgspec

from decision_trees.core.models import Directory, Duty, Flow, Outcome
from decision_trees.core.routing import Route, all_routes
from decision_trees.core.summary import fill

Answers = tuple[str, ...]


class Change(msgspec.Struct, frozen=True):
    field: str
    before: Any
    after: Any


class RouteChange(msgspec.Struct, frozen=True):
    answers: list[str]
    old_outcome: str
    new_outcome: str
    changes: list[Change]


class RouteOnly(msgspec.Struct, frozen=True):
    answers: list[str]
    outcome: str
    title: str


class CaseResult(msgspec.Struct, frozen=True):
    """How one past case ends under the old flow and under the new one."""

    case: str
    answers: list[str] | dict[str, str] | str
    old: str  # the outcome, or the error the answers now meet
    new: str
    changed: list[str]  # the fields of the advice that differ; empty when the case ends the same


class FlowDiff(msgspec.Struct, frozen=True):
    old: str
    new: str
    only_old: list[RouteOnly]
    only_new: list[RouteOnly]
    changed: list[RouteChange]
    unchanged: int
    cases: list[CaseResult] | None = None  # with --cases: only those answer sets are compared

    @property
    def advice_changed(self) -> bool:
        if self.cases is not None:
            return any(case.changed for case in self.cases)
        return bool(self.only_old or self.only_new or self.changed)


def advice(flow: Flow, outcome_id: str, directory: Directory) -> dict[str, Any]:
    """Everything a route's end tells the practitioner, with contacts' numbers resolved."""
    end = flow.nodes[outcome_id]
    assert isinstance(end, Outcome)

    def duty(item: str | Duty) -> list[str]:
        if isinstance(item, Duty):
            return [fill(item.text, directory), "out of hours: " + fill(item.out_of_hours, directory)]
        return [fill(item, directory)]

    def contact(contact_id: str) -> dict[str, Any]:
        found = directory.contacts.get(contact_id)
        if found is None:
            return {"id": contact_id}
        return {"id": contact_id, "name": found.name, "phones": found.phones, "email": found.email}

    return {
        "outcome": f"{end.ref} {end.title}",
        "chart text": end.text,
        "urgent": end.urgent,
        "actions": [line for item in end.actions for line in duty(item)],
        "contacts": [contact(c) for c in end.contacts],
        "deadlines": [msgspec.to_builtins(d) for d in end.deadlines],
        "conditions": msgspec.to_builtins(end.conditions) if end.conditions else None,
        "notes": list(end.notes),
        "advice": flow.advice.text,
        "advice contacts": [contact(c) for c in flow.advice.contacts],
    }


def _key(route: Route) -> Answers:
    return tuple(answer.casefold() for answer in route.answers)


def _chart_actions(flow: Flow, route: Route) -> list[str]:
    from decision_trees.core.models import Action

    return [node.text for node_id in route.nodes if isinstance(node := flow.nodes[node_id], Action)]


def diff_flows(old: Flow, old_directory: Directory, new: Flow, new_directory: Directory) -> FlowDiff:
    """Routes only in `old`, only in `new`, and those whose advice changed, with before and after."""
    before = {_key(r): r for r in all_routes(old)}
    after = {_key(r): r for r in all_routes(new)}
    changed: list[RouteChange] = []
    unchanged = 0
    for key in [k for k in before if k in after]:
        was, now = before[key], after[key]
        old_advice = {**advice(old, was.end, old_directory), "chart actions on the route": _chart_actions(old, was)}
        new_advice = {**advice(new, now.end, new_directory), "chart actions on the route": _chart_actions(new, now)}
        changes = [
            Change(name, old_advice[name], new_advice[name])
            for name in old_advice
            if old_advice[name] != new_advice[name]
        ]
        if changes:
            changed.append(RouteChange(list(now.answers), f"{was.ref} {was.title}", f"{now.ref} {now.title}", changes))
        else:
            unchanged += 1
    return FlowDiff(
        old=old.id,
        new=new.id,
        only_old=[RouteOnly(list(r.answers), r.ref, r.title) for k, r in before.items() if k not in after],
        only_new=[RouteOnly(list(r.answers), r.ref, r.title) for k, r in after.items() if k not in before],
        changed=changed,
        unchanged=unchanged,
    )


def compare_cases(
    old: Flow,
    old_directory: Directory,
    new: Flow,
    new_directory: Directory,
    cases: list[tuple[str, list[str] | dict[str, str] | str]],
) -> list[CaseResult]:
    """Walk each past case's answers on both flows: which would now end differently, and how."""
    from decision_trees.core.answers import feed_from, walk_scripted
    from decision_trees.core.errors import DecisionTreesError

    def end(flow: Flow, directory: Directory, answers: list[str] | dict[str, str] | str) -> tuple[str, dict[str, Any]]:
        try:
            walk = walk_scripted(flow, feed_from(answers))
        except DecisionTreesError as exc:
            return f"error: {exc}", {}
        found = advice(flow, walk.at, directory)
        return str(found["outcome"]), found

    results = []
    for name, answers in cases:
        old_end, old_advice = end(old, old_directory, answers)
        new_end, new_advice = end(new, new_directory, answers)
        fields = sorted({*old_advice, *new_advice})
        differ = [f for f in fields if old_advice.get(f) != new_advice.get(f)]
        if old_end != new_end and not differ:
            differ = ["outcome"]
        results.append(CaseResult(name, answers, old_end, new_end, differ))
    return results
