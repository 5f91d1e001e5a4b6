"""Scenario tests for flows: answers in, the expected outcome, actions, contacts and deadlines out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec

from decision_trees.core.clock import OfficeCalendar, parse_now
from decision_trees.core.engine import Edge, edges, walked_edges
from decision_trees.core.errors import DecisionTreesError
from decision_trees.core.practice import VignetteFile
from decision_trees.data.library import Library
from decision_trees.data.yamlfile import convert, read_yaml
from decision_trees.session import Session, settle
from decision_trees.words import REPORTS


class Expectation(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    outcome: str
    actions: list[str] = []
    contacts: list[str] | None = None
    deadlines: list[str] | None = None


class Scenario(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    name: str
    answers: str | list[str] | dict[str, str]
    expect: Expectation
    flow: str | None = None
    now: str | None = None


class ScenarioFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    flow: str | None = None
    now: str | None = None
    scenarios: list[Scenario]


class Result(msgspec.Struct, frozen=True):
    name: str
    flow: str
    passed: bool
    problems: list[str]


class Coverage(msgspec.Struct, frozen=True):
    flow: str
    nodes: list[str]
    edges: list[str]
    missed_nodes: list[str]
    missed_edges: list[str]


def load_scenarios(path: Path) -> ScenarioFile:
    """A scenario file; or a vignettes file (flows/vignettes/), each vignette a scenario that walks
    its expected answers to its expected outcome."""
    data = read_yaml(path)
    if isinstance(data, dict) and "vignettes" in data:
        found: VignetteFile = convert(data, VignetteFile, file=str(path))
        return ScenarioFile(
            flow=found.flow,
            scenarios=[
                Scenario(
                    name=REPORTS["scenario_vignette"].format(id=v.id),
                    answers=v.answers,
                    expect=Expectation(outcome=v.outcome),
                )
                for v in found.vignettes
            ],
        )
    scenarios: ScenarioFile = convert(data, ScenarioFile, file=str(path))
    return scenarios


def _edge_name(edge: Edge) -> str:
    source, target, label = edge
    return f"{source} --{label}--> {target}" if label is not None else f"{source} --> {target}"


def run_scenarios(
    library: Library, scenarios: ScenarioFile, calendar: OfficeCalendar, default_now: dt.datetime
) -> tuple[list[Result], list[Coverage]]:
    """Run every scenario; a scenario that cannot be walked fails with the error as its problem."""
    results: list[Result] = []
    seen_nodes: dict[str, set[str]] = {}
    seen_edges: dict[str, set[str]] = {}
    for scenario in scenarios.scenarios:
        flow_name = scenario.flow or scenarios.flow
        if flow_name is None:
            results.append(Result(scenario.name, "?", False, [REPORTS["no_flow_named_give_flow"]]))
            continue
        try:
            flow = library.find(flow_name)
        except DecisionTreesError as exc:
            results.append(Result(scenario.name, flow_name, False, [str(exc)]))
            continue
        try:
            # Walked by the same Session as `walk`, so a scenario checks what a practitioner would see.
            setting = settle(calendar.tz, scenario.now or scenarios.now or default_now)
            answers, by_node = (
                (None, scenario.answers) if isinstance(scenario.answers, dict) else (scenario.answers, None)
            )
            walked = Session(library, flow, answers=answers, answer=by_node, setting=setting).run()
            walk, summary = walked.walk, walked.summary
        except DecisionTreesError as exc:
            results.append(Result(scenario.name, flow.id, False, [str(exc)]))
            continue
        seen_nodes.setdefault(flow.id, set()).update([s.node for s in walk.route] + [walk.at])
        seen_edges.setdefault(flow.id, set()).update(_edge_name(e) for e in walked_edges(walk))
        results.append(Result(scenario.name, flow.id, not (p := _compare(scenario.expect, summary)), p))
    coverage = []
    for flow_id, nodes in seen_nodes.items():
        flow = library.flows[flow_id]
        all_edges = [_edge_name(e) for e in edges(flow)]
        coverage.append(
            Coverage(
                flow=flow_id,
                nodes=[n for n in flow.nodes if n in nodes],
                edges=[e for e in all_edges if e in seen_edges[flow_id]],
                missed_nodes=[n for n in flow.nodes if n not in nodes],
                missed_edges=[e for e in all_edges if e not in seen_edges[flow_id]],
            )
        )
    return results, coverage


def _compare(expect: Expectation, summary: Any) -> list[str]:
    problems = []
    outcome = summary.outcome
    if expect.outcome not in (outcome.ref, outcome.node):
        problems.append(
            REPORTS["outcome_expected_got"].format(outcome=expect.outcome, ref=outcome.ref, node=outcome.node)
        )
    texts = [a.text for a in summary.actions]
    for wanted in expect.actions:
        if not any(wanted.casefold() in text.casefold() for text in texts):
            problems.append(REPORTS["actions_none_contains"].format(wanted=wanted))
    if expect.contacts is not None:
        got = [c.id for c in summary.contacts]
        if got != expect.contacts:
            problems.append(
                REPORTS["contacts_expected_got"].format(
                    contacts=", ".join(expect.contacts) or "none", got=", ".join(got) or "none"
                )
            )
    if expect.deadlines is not None:
        got = [d.due for d in summary.deadlines]
        if got != expect.deadlines:
            problems.append(
                REPORTS["deadlines_expected_got"].format(
                    deadlines=", ".join(expect.deadlines) or "none", got=", ".join(got) or "none"
                )
            )
    return problems


def merge_coverage(coverage: list[Coverage]) -> list[Coverage]:
    """One coverage entry a flow, across scenario files."""
    merged: dict[str, Coverage] = {}
    for cover in coverage:
        if cover.flow in merged:
            old = merged[cover.flow]
            nodes = set(old.nodes) | set(cover.nodes)
            edges = set(old.edges) | set(cover.edges)
            order_nodes = old.nodes + old.missed_nodes
            order_edges = old.edges + old.missed_edges
            cover = Coverage(
                cover.flow,
                [n for n in order_nodes if n in nodes],
                [e for e in order_edges if e in edges],
                [n for n in order_nodes if n not in nodes],
                [e for e in order_edges if e not in edges],
            )
        merged[cover.flow] = cover
    return list(merged.values())


def run_files(library: Library, files: list[Path], now: str | None) -> tuple[list[Result], list[Coverage]]:
    """Run scenario files against a library: every result, and node and edge coverage by flow.
    `now` (ISO text) is the clock for files that fix none."""
    calendar = library.calendar()
    default_now = parse_now(now, calendar.tz) if now else dt.datetime.now(calendar.tz)
    results: list[Result] = []
    coverage: list[Coverage] = []
    for file in files:
        found, covered = run_scenarios(library, load_scenarios(file), calendar, default_now)
        results += found
        coverage += covered
    return results, merge_coverage(coverage)
