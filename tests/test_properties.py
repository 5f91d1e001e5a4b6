"""Property-based: random flows never crash validate or walk; they work or report findings."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from decision_trees.core import engine
from decision_trees.core.answers import Feed, walk_scripted
from decision_trees.core.errors import AnswerError, DecisionTreesError
from decision_trees.core.models import Flow
from decision_trees.data.loading import bundled_flows_dir, load_library, validate_paths

IDS = st.sampled_from(["a", "b", "c", "d", "e", "f", "start", "end", "x-1", "Bad_Id"])
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=12)
LABELS = st.sampled_from(["Yes", "No", "yes", "Maybe", "High level need", "", "1"])


@st.composite
def nodes(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["question", "action", "outcome", "other"]))
    node: dict[str, Any] = {"type": kind, "text": draw(TEXT), "section": draw(st.sampled_from(["1", "", "10.2"]))}
    if kind == "question":
        node["choices"] = draw(st.lists(st.fixed_dictionaries({"label": LABELS, "next": IDS}), min_size=0, max_size=4))
    elif kind == "action":
        node["next"] = draw(IDS)
    elif kind == "outcome":
        node.update(
            ref=draw(st.sampled_from(["R-1", "R-2", ""])),
            title=draw(TEXT),
            actions=draw(st.lists(TEXT, max_size=2)),
            contacts=draw(st.lists(st.sampled_from(["contact-service", "nobody", "police-emergency"]), max_size=2)),
            deadlines=draw(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "task": TEXT,
                            "within": st.sampled_from(["48h", "2d", "90m", "soon", "0h", ""]),
                            "counted_from": TEXT,
                        }
                    ),
                    max_size=1,
                )
            ),
        )
    if draw(st.booleans()) and draw(st.booleans()):
        node["unexpected"] = 1
    return node


@st.composite
def flows(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "id": draw(st.sampled_from(["random", "Random!", "r-2"])),
        "aliases": draw(st.lists(st.sampled_from(["r", "appendix-4", "x"]), max_size=2)),
        "title": draw(TEXT),
        "audience": "tests",
        "source": {"document": "doc", "part": "part"},
        "version": draw(st.sampled_from(["1", 1])),
        "reviewed": "2026-11-23",
        "description": "random",
        "advice": {
            "text": "ask",
            "contacts": draw(st.lists(st.sampled_from(["contact-service", "nobody"]), max_size=1)),
        },
        "start": draw(IDS),
        "nodes": draw(st.dictionaries(IDS, nodes(), min_size=0, max_size=7)),
    }


@st.composite
def dag_flows(draw: st.DrawFn) -> dict[str, Any]:
    """Well-formed flows (edges only go forward, the last nodes are outcomes), sometimes mutated once."""
    size = draw(st.integers(min_value=1, max_value=9))
    ids = [f"n{i}" for i in range(size)]
    nodes: dict[str, Any] = {}
    for index, node_id in enumerate(ids):
        later = ids[index + 1 :]
        kind = "outcome" if not later else draw(st.sampled_from(["question", "question", "action", "outcome"]))
        if kind == "question":
            labels = draw(
                st.lists(st.sampled_from(["Yes", "No", "Low", "High", "Maybe"]), min_size=2, max_size=3, unique=True)
            )
            nodes[node_id] = {
                "type": "question",
                "text": draw(TEXT) or "?",
                "section": "1",
                "choices": [{"label": l, "next": draw(st.sampled_from(later))} for l in labels],
            }
        elif kind == "action":
            nodes[node_id] = {
                "type": "action",
                "text": draw(TEXT) or "do",
                "section": "1",
                "next": draw(st.sampled_from(later)),
            }
        else:
            nodes[node_id] = {
                "type": "outcome",
                "ref": f"R-{index}",
                "title": "t",
                "text": draw(TEXT) or "end",
                "section": "1",
                "actions": ["act"],
                "contacts": ["contact-service"],
                "deadlines": [{"task": "t", "within": draw(st.sampled_from(["48h", "2d"])), "counted_from": "now"}],
            }
    flow = {
        "id": "dag",
        "title": "DAG",
        "audience": "tests",
        "source": {"document": "d", "part": "p"},
        "version": "1",
        "reviewed": "2026-11-23",
        "description": "d",
        "advice": {"text": "ask"},
        "start": "n0",
        "nodes": nodes,
    }
    mutation = draw(st.sampled_from(["none", "none", "none", "loop", "dangle", "start"]))
    if mutation == "loop" and size > 1 and nodes["n0"]["type"] != "outcome":
        last_question = [n for n in nodes.values() if n["type"] != "outcome"][-1]
        if "next" in last_question:
            last_question["next"] = "n0"
        else:
            last_question["choices"][0]["next"] = "n0"
    elif mutation == "dangle" and nodes["n0"]["type"] == "question":
        nodes["n0"]["choices"][-1]["next"] = "gone"
    elif mutation == "start":
        flow["start"] = "nowhere"
    return flow


def explore(flow: Flow) -> int:
    """Take every choice at every question; any error here means the loader let a broken flow through."""
    finished = 0
    stack = [engine.begin(flow)]
    while stack:
        walk = stack.pop()
        node = engine.current(flow, walk)
        ways = node.exits()
        stack += [engine.step(flow, walk, way.example) for way in ways]
        finished += not ways
        assert finished < 10_000
    return finished


ANSWERS = st.lists(st.sampled_from(["yes", "no", "y", "high", "low", "maybe", "1", "Y E S"]), max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flow=st.one_of(flows(), dag_flows()), answers=ANSWERS)
def test_random_flows_never_crash(flow: dict[str, Any], answers: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "flows"
        shutil.copytree(bundled_flows_dir(), root, ignore=shutil.ignore_patterns("*.yaml", "scenarios"))
        shutil.copy(bundled_flows_dir() / "contacts.yaml", root / "contacts.yaml")
        (root / "random.yaml").write_text(yaml.safe_dump(flow, allow_unicode=True), encoding="utf-8")

        findings, _ = validate_paths([root], None)
        errors = [f for f in findings if f.severity == "error"]
        for finding in findings:
            assert finding.describe()
        try:
            library = load_library(root)
        except DecisionTreesError:
            assert errors, "load refused a flow that validate passed"
            event("refused with findings")
            return
        event("loaded and walked")
        assert not errors, f"load accepted a flow with errors: {errors}"
        walk_flow = next(iter(library.flows.values()))
        assert explore(walk_flow) >= 1
        try:
            walk_scripted(walk_flow, Feed(answers))
            event("walk reached an outcome")
        except AnswerError:
            event("walk refused the answers")
        result = CliRunner().invoke(
            app,
            [
                "walk",
                walk_flow.id,
                "--answers",
                ",".join(answers) or "x",
                "--format",
                "json",
                "--now",
                "2026-11-23T14:30",
                "--flows-dir",
                str(root),
            ],
        )
        assert result.exit_code in (0, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        for command in (["show", walk_flow.id], ["paths", walk_flow.id], ["export", walk_flow.id]):
            shown = CliRunner().invoke(app, [*command, "--flows-dir", str(root)])
            assert shown.exit_code == 0, (command, shown.output, shown.exception)
