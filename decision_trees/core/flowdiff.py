"""What a change to a flow does to its advice, route by route (GOV.UK Smart Answers' regression
artefacts, for a clinical safety officer's change record). Routes are matched by the answers that
lead to them; a route's advice is everything its summary would tell a practitioner to do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from decision_trees.core.answers import feed_from, walk_scripted
from decision_trees.core.clock import OfficeCalendar
from decision_trees.core.engine import Walk, outcome
from decision_trees.core.errors import DecisionTreesError
from decision_trees.core.kinds.base import Exit, answer_text
from decision_trees.core.models import Directory, Flow, Node
from decision_trees.core.summary import summarise
from decision_trees.core.text import cut
from decision_trees.words import REPORTS

CANNOT_WALK = "error: "  # how a case's end reads when its answers cannot be walked


class Change(msgspec.Struct, frozen=True):
    """One fact of the advice that changed: before and after, and when it differs (the instants
    compared at which it does; empty for the route, which is the same at every instant)."""

    field: str
    before: Any
    after: Any
    at: list[str] = []


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

    @property
    def walked_in_neither(self) -> bool:
        return self.old.startswith(CANNOT_WALK) and self.new.startswith(CANNOT_WALK)


class FlowDiff(msgspec.Struct, frozen=True):
    old: str
    new: str
    only_old: list[RouteOnly]
    only_new: list[RouteOnly]
    changed: list[RouteChange]  # the first of them, up to the limit; the counts give them all
    unchanged: int
    changed_count: int = 0
    only_old_count: int = 0
    only_new_count: int = 0
    cases: list[CaseResult] | None = None  # with --cases: only those answer sets are compared

    @property
    def advice_changed(self) -> bool:
        if self.cases is not None:
            return any(case.changed for case in self.cases)
        return bool(self.only_old_count or self.only_new_count or self.changed_count)

    @property
    def listed_all(self) -> bool:
        return (len(self.changed), len(self.only_old), len(self.only_new)) == (
            self.changed_count,
            self.only_old_count,
            self.only_new_count,
        )


# The parts of a summary that are the same for any walk at any time, or belong to the route rather
# than its end (the route is compared on its own, question by question): never a change of advice.
_NOT_ADVICE = {"schema", "flow", "case_ref", "ended_at", "ended_text", "route", "indicators", "contacts_files",
               "files", "called"}  # fmt: skip


class Side(msgspec.Struct, frozen=True):
    """One version of a flow, with the contacts and office calendar its summaries are made with."""

    flow: Flow
    directory: Directory
    calendar: OfficeCalendar


def instants(calendar: OfficeCalendar, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """The times at which two versions' advice is compared, after `now`: in office hours, Friday
    just before and at closing, a weekday night, a Saturday, and a bank holiday."""
    local = now.astimezone(calendar.tz)
    opens, closes = calendar.opens, calendar.closes
    days = [local.date() + dt.timedelta(days=n) for n in range(1, 400)]

    def at(day: dt.date, time: dt.time, minutes: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=calendar.tz) + dt.timedelta(minutes=minutes)

    working = next(d for d in days if calendar.is_working_day(d))
    friday = next((d for d in days if d.weekday() == 4 and calendar.is_working_day(d)), working)
    saturday = next(d for d in days if d.weekday() == 5)
    found = [
        (REPORTS["office_hours"], at(working, opens, 90)),
        (REPORTS["friday_just_before_closing"], at(friday, closes, -1)),
        (REPORTS["friday_at_closing"], at(friday, closes)),
        (REPORTS["weekday_night"], at(working, dt.time(20, 0))),
        (REPORTS["a_saturday"], at(saturday, dt.time(10, 0))),
    ]
    holiday = next((d for d in days if calendar.is_bank_holiday(d) and d.weekday() < 5), None)
    if holiday is not None:
        found.append((REPORTS["bank_holiday"], at(holiday, dt.time(10, 0))))
    return found


def decision(side: Side, outcome_id: str, when: dt.datetime) -> dict[str, Any]:
    """What a route's end tells the practitioner at `when`: its summary, less what is not advice."""
    summary = summarise(side.flow, Walk(at=outcome_id), side.directory, side.calendar, when)
    return {k: v for k, v in msgspec.to_builtins(summary).items() if k not in _NOT_ADVICE}


def compare_ends(
    old: Side, old_end: str, new: Side, new_end: str, moments: list[tuple[str, dt.datetime]]
) -> list[Change]:
    """Each fact of the advice that differs between two ends, with the instants at which it does
    (before and after as at the first of them)."""
    changes: dict[str, Change] = {}
    for label, when in moments:
        was, now = decision(old, old_end, when), decision(new, new_end, when)
        for name in was:
            if was[name] == now[name]:
                continue
            if name in changes:
                changes[name] = msgspec.structs.replace(changes[name], at=[*changes[name].at, label])
            else:
                changes[name] = Change(name, was[name], now[name], [label])
    return list(changes.values())


def _stop(flow: Flow, node_id: str) -> tuple[tuple[str, ...], str]:
    """The chart actions passed from `node_id` on, and the question or outcome reached (a flow with a
    loop does not load, so the chain of actions ends)."""
    passed: list[str] = []
    node = flow.nodes.get(node_id)
    while node is not None and not node.asks and node.end() is None:
        passed.append(node.text)
        node_id = node.exits()[0].next
        node = flow.nodes.get(node_id)
    return tuple(passed), node_id


def _ways(node: Node | None) -> dict[str, Exit]:
    """The exits of a node that asks, by what makes each the same exit in either version."""
    if node is None or not node.asks:
        return {}
    return {way.identity or str(way.label): way for way in node.exits()}


# A pair of places, one in each version, reached by the same answers; `dirty` when the chart actions
# passed on the way there already differ. Either place may be None: the route exists in one version only.
Pair = tuple[str | None, str | None, bool]
Counts = tuple[int, int, int, int]  # routes changed, unchanged, only in the old, only in the new
Listed = tuple[list["RouteChange"], list["RouteOnly"], list["RouteOnly"]]


class _Comparison:
    """Both versions walked side by side, answer by answer. Routes are counted by dynamic programming
    over pairs of places, so that the work grows with the size of the flows, not with the number of
    routes (2^40 routes in two 8 KB files); only the routes listed are ever built."""

    def __init__(self, old: Side, new: Side, moments: list[tuple[str, dt.datetime]]) -> None:
        self.sides = (old, new)
        self.old, self.new = old.flow, new.flow
        self.moments = moments
        self.counts: dict[Pair, Counts] = {}
        self.advice: dict[tuple[str, str], list[Change]] = {}

    def nodes(self, pair: Pair) -> tuple[Node | None, Node | None]:
        old_id, new_id, _ = pair
        return (
            self.old.nodes.get(old_id) if old_id is not None else None,
            self.new.nodes.get(new_id) if new_id is not None else None,
        )

    def children(self, pair: Pair) -> list[tuple[str, Pair, tuple[str, ...], tuple[str, ...]]]:
        """Each answer on from `pair`: its label, the pair it leads to, and the texts passed on the way
        in each version, the question's and the chart actions' (matched without regard to case)."""
        old_node, new_node = self.nodes(pair)
        old_choices, new_choices = _ways(old_node), _ways(new_node)
        old_asked = (old_node.text,) if old_choices and old_node else ()
        new_asked = (new_node.text,) if new_choices and new_node else ()
        found = []
        for key in [*old_choices, *(k for k in new_choices if k not in old_choices)]:
            was, now = old_choices.get(key), new_choices.get(key)
            old_actions, old_next = _stop(self.old, was.next) if was else ((), None)
            new_actions, new_next = _stop(self.new, now.next) if now else ((), None)
            # An exit whose label changed (a band's totals) is part of what the route passes.
            if was and now and was.label != now.label:
                old_actions, new_actions = (str(was.label), *old_actions), (str(now.label), *new_actions)
            old_actions, new_actions = old_asked + old_actions, new_asked + new_actions
            both = old_next is not None and new_next is not None
            dirty = both and (pair[2] or old_actions != new_actions)
            taken = now or was
            label = (answer_text(taken.example) or key) if taken else key
            found.append((label, (old_next, new_next, dirty), old_actions, new_actions))
        return found

    def ends(self, pair: Pair) -> Counts | None:
        """The counts of a pair where a route ends on either side; None when it goes on in both."""
        old_node, new_node = self.nodes(pair)
        old_end = old_node is not None and old_node.end() is not None
        new_end = new_node is not None and new_node.end() is not None
        if pair[0] is None or pair[1] is None:  # in one version only: one route for each end below
            if old_end or new_end:
                return (0, 0, 1, 0) if pair[0] is not None else (0, 0, 0, 1)
            return None
        if old_end and new_end:
            changed = pair[2] or bool(self.changes(pair[0], pair[1]))
            return (1, 0, 0, 0) if changed else (0, 1, 0, 0)
        if old_end or new_end:  # the same answers end in one version and go on in the other
            return 0, 0, self.count((pair[0], None, False))[2], self.count((None, pair[1], False))[3]
        return None

    def changes(self, old_end: str, new_end: str) -> list[Change]:
        key = (old_end, new_end)
        if key not in self.advice:
            self.advice[key] = compare_ends(self.sides[0], old_end, self.sides[1], new_end, self.moments)
        return self.advice[key]

    def count(self, root: Pair) -> Counts:
        """The counts of routes from `root`, without recursion (a route may be thousands of questions long)."""
        stack = [(root, False)]
        while stack:
            pair, expanded = stack.pop()
            if pair in self.counts:
                continue
            ended = self.ends(pair)
            if ended is not None:
                self.counts[pair] = ended
                continue
            kids = [child for _, child, _, _ in self.children(pair)]
            if expanded:
                found = [self.counts[child] for child in kids]
                self.counts[pair] = (
                    sum(c[0] for c in found),
                    sum(c[1] for c in found),
                    sum(c[2] for c in found),
                    sum(c[3] for c in found),
                )
                continue
            stack.append((pair, True))
            stack.extend((child, False) for child in kids if child not in self.counts)
        return self.counts[root]

    def listed(self, root: Pair, limit: int, actions: tuple[tuple[str, ...], tuple[str, ...]]) -> Listed:
        """The first `limit` routes of each kind, depth first in choice order, visiting only pairs
        below which a route of a kind still wanted lies. The answers and texts so far are shared
        cells (`_Trail`), made into lists only for a route that is listed: copied at every step,
        they made a 20,000-question chain need gigabytes."""
        changed: list[RouteChange] = []
        only: tuple[list[RouteOnly], list[RouteOnly]] = ([], [])
        start = (None, _Trail.of(actions[0]), _Trail.of(actions[1]))
        stack: list[tuple[Pair, _Trail | None, _Trail | None, _Trail | None]] = [(root, *start)]
        while stack:
            pair, answers, old_actions, new_actions = stack.pop()
            counts = self.count(pair)
            if not (
                (len(changed) < limit and counts[0])
                or (len(only[0]) < limit and counts[2])
                or (len(only[1]) < limit and counts[3])
            ):
                continue
            old_node, new_node = self.nodes(pair)
            was = old_node.end() if old_node is not None else None
            now = new_node.end() if new_node is not None else None
            if was is not None and now is not None:
                changes = list(self.changes(str(pair[0]), str(pair[1])))
                if pair[2]:  # as counted: a question, a band or a chart action on the route reads otherwise
                    changes.append(Change("route", _Trail.items(old_actions), _Trail.items(new_actions)))
                if changes and len(changed) < limit:
                    route = _Trail.items(answers)
                    changed.append(RouteChange(route, f"{was.ref} {was.title}", f"{now.ref} {now.title}", changes))
                continue
            if was is not None and len(only[0]) < limit:
                only[0].append(RouteOnly(_Trail.items(answers), was.ref, was.title))
            elif now is not None and len(only[1]) < limit:
                only[1].append(RouteOnly(_Trail.items(answers), now.ref, now.title))
            for label, child, more_old, more_new in reversed(self.children(pair)):
                stack.append(
                    (
                        child,
                        _Trail(label, answers),
                        _Trail.extend(old_actions, more_old),
                        _Trail.extend(new_actions, more_new),
                    )
                )
        return changed, only[0], only[1]


class _Trail:
    """One item of a route so far, and the items before it: routes that share a beginning share it."""

    __slots__ = ("before", "item")

    def __init__(self, item: str, before: _Trail | None) -> None:
        self.item, self.before = item, before

    @staticmethod
    def extend(trail: _Trail | None, items: tuple[str, ...]) -> _Trail | None:
        for item in items:
            trail = _Trail(item, trail)
        return trail

    @staticmethod
    def of(items: tuple[str, ...]) -> _Trail | None:
        return _Trail.extend(None, items)

    @staticmethod
    def items(trail: _Trail | None) -> list[str]:
        found = []
        while trail is not None:
            found.append(trail.item)
            trail = trail.before
        return found[::-1]


def diff_flows(old_side: Side, new_side: Side, now: dt.datetime, limit: int = 1000) -> FlowDiff:
    """Routes only in the old version, only in the new, and those whose advice changed at any of the
    `instants` after `now`, with before and after: each counted in full, the first `limit` listed."""
    old, new = old_side.flow, new_side.flow
    comparison = _Comparison(old_side, new_side, instants(new_side.calendar, now))
    old_actions, old_first = _stop(old, old.start)
    new_actions, new_first = _stop(new, new.start)
    root: Pair = (old_first, new_first, old_actions != new_actions)
    changed_count, unchanged, removed, added = comparison.count(root)
    changed, only_old, only_new = comparison.listed(root, limit, (old_actions, new_actions))
    return FlowDiff(
        old=old.id,
        new=new.id,
        only_old=only_old,
        only_new=only_new,
        changed=changed,
        unchanged=unchanged,
        changed_count=changed_count,
        only_old_count=removed,
        only_new_count=added,
    )


def compare_cases(
    old: Side, new: Side, cases: list[tuple[str, list[str] | dict[str, str] | str]], now: dt.datetime
) -> list[CaseResult]:
    """Walk each past case's answers on both versions: whose advice would now differ, and in what."""

    moments = instants(new.calendar, now)

    def end(side: Side, answers: list[str] | dict[str, str] | str) -> tuple[str, str | None]:
        try:
            walk = walk_scripted(side.flow, feed_from(answers))
        except DecisionTreesError as exc:
            return f"{CANNOT_WALK}{exc}", None
        found = outcome(side.flow, walk)
        return f"{found.ref} {found.title}", walk.at

    results = []
    for name, answers in cases:
        (old_words, old_end), (new_words, new_end) = end(old, answers), end(new, answers)
        if old_end is not None and new_end is not None:
            differ = [c.field for c in compare_ends(old, old_end, new, new_end, moments)]
        else:
            differ = [] if old_words == new_words else ["outcome"]
        results.append(CaseResult(name, _shown(answers), old_words, new_words, differ))
    return results


def _shown(answers: list[str] | dict[str, str] | str) -> list[str] | dict[str, str] | str:
    """Answers as a report shows them: the first few, each cut short (a case can hold anything)."""
    if isinstance(answers, str):
        return cut(answers, 80)
    if isinstance(answers, list):
        return [cut(a) for a in answers[:20]]
    return {cut(k): cut(v) for k, v in list(answers.items())[:20]}
