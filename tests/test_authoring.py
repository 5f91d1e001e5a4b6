"""Issue 3's commands for trainers and flow authors: validate, schema, export, paths, test, local flows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from decision_trees.data.loading import bundled_flows_dir, load_library
from decision_trees.data.validation import RULES
from decision_trees.output.shapes import file_schema as flow_schema

from .conftest import NOW, PROTOCOL_DIR, ROOT, Cli, edit

BUNDLED = bundled_flows_dir()
TODAY = "2026-11-23"


def findings(cli: Cli, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = cli("validate", *args, "--format", "json", "--today", TODAY)
    return result.exit_code, json.loads(result.stdout)["findings"]


A4 = "appendix-4.yaml"
# One deliberately broken flow for every rule: (rule, file, old text, new text).
BREAKS = [
    ("yaml", A4, "start: has-child", "start: [has-child"),
    ("schema", A4, '    section: "5.2"\n    choices:', '    section: "5.2"\n    colour: red\n    choices:'),
    ("missing-start", A4, "start: has-child", "start: kids"),
    ("missing-node", A4, '{label: "No", next: a4-2}', '{label: "No", next: a4-99}'),
    ("unknown-contact", A4, "contacts: [contact-service, emergency-duty-team]", "contacts: [mash-team]"),
    ("duplicate-label", A4, '{label: "No", next: other-children}', '{label: "yes", next: other-children}'),
    ("bad-deadline", A4, "within: 48h", "within: two days"),
    ("cycle", A4, "    next: a4-4\n", "    next: has-child\n"),
    ("dead-end", A4, "    next: a4-4\n", "    next: family-support\n"),
    ("unreachable", A4, '{label: "No", next: a4-2}', '{label: "No", next: a4-1}'),
    ("no-actions", A4, "    actions:\n      - Keep asking", "    actions: []\n    x_actions:\n      - Keep asking"),
    ("no-phone", "contacts.yaml", '    phones: ["020 7974 1833"]\n', ""),
    (
        "stale-contact",
        "contacts.yaml",
        "    document: camden-protocol\n",
        "    document: camden-protocol\n    checked: {date: 2024-01-01, by: Business unit, against: Camden website}\n",
    ),
    ("review-due", A4, "review_by: 2027-11-23", "review_by: 2026-01-01"),
    ("duplicate-id", A4, "aliases: [appendix-4, a4]", "aliases: [appendix-3, a4]"),
    ("unknown-guidance", A4, "guidance: [section-13]", "guidance: [section-99]"),
    ("bad-indicators", A4, "medium: Medium level need,", "medium: Middling need,"),
    # Issue 28, section 3: a check for each kind of error an outside review found.
    ("phone-shape", "contacts.yaml", '    phones: ["020 7974 1833"]\n', '    phones: ["020 7974 18333"]\n'),
    ("not-in-source", "contacts.yaml", '    phones: ["020 7974 1833"]\n', '    phones: ["020 7974 1834"]\n'),
    ("not-in-source", "contacts.yaml", "email: camdensafetynet@camden.gov.uk", "email: camdensafetynet@camdem.gov.uk"),
    (
        "escalation",
        A4,
        "      - {label: Medium level need, next: a4-5}\n      - {label: High level need, next: a4-6}\n",
        "      - {label: Medium level need, next: a4-6}\n      - {label: High level need, next: a4-5}\n",
    ),
    ("consent", A4, '    section: "13"\n    urgency: 2\n', '    section: "13"\n    urgency: 2\n    referral: true\n'),
    ("encoded-word", A4, "title: No further action now", "title: No further =?utf-8?q?action?= now"),
    (
        "long-card",
        A4,
        "      - Keep asking the service user about any children",
        "      - " + "Keep a long action here, with no brief for the card to give. " * 30 + "(section 5.2).\n"
        "      - Keep asking the service user about any children",
    ),
    (
        "vignette",
        "vignettes/appendix-4.yaml",
        'answers: {has-child: "Yes", cssw-involved: "Yes"}',
        'answers: {has-child: "Yes", cssw-involved: "No"}',
    ),
]


def test_every_rule_has_a_broken_flow() -> None:
    # compiled: test_compiled.py; bundled-contacts: test_practitioner.py; the safety invariants: test_traceable.py's CONTROLS_REMOVED.
    from decision_trees.core.models import KINDS

    from .test_traceable import CONTROLS_REMOVED

    invariants = {invariant for invariant, *_ in CONTROLS_REMOVED} | {"I5"}  # I5: by monkeypatch there
    own = {rule for kind in KINDS for rule in kind.rules}  # a kind's own rules: broken by its own tests
    assert {rule for rule, *_ in BREAKS} | own | {
        "unreadable",
        "compiled",
        "stale-compiled",
        "bundled-contacts",
        "no-out-of-hours-number",  # on the bundled Solihull flow: test_right_advice.py
    } | invariants == set(RULES)


def checked_everywhere(contacts: Path, on: str = "2026-11-01") -> None:
    """Give every contact copied from the protocol a check against a current directory."""
    lines = contacts.read_text(encoding="utf-8").splitlines(keepends=True)
    check = f"    checked: {{date: {on}, by: Partnership business unit, against: the council's website}}\n"
    kept = [line for line in lines if not line.startswith("    checked: {date:")]
    # Every contact copied from a document (each area's), as the file lists them.
    contacts.write_text("".join(line + check if line.startswith("    document: ") else line for line in kept))


# Solihull's protocol prints no number: out of hours, each of its ends says none is configured.
NO_NUMBER = {"solihull-threshold.yaml": {"s-1", "s-2", "s-3", "s-4", "s-5", "s-6"}}


def without_unnumbered(found: list[dict[str, object]]) -> list[dict[str, object]]:
    """The findings but the warnings that Solihull's ends name no out-of-hours number, checked here."""
    unnumbered = [f for f in found if f["rule"] == "no-out-of-hours-number"]
    assert {f["node"] for f in unnumbered} == NO_NUMBER["solihull-threshold.yaml"]
    assert all(str(f["file"]).endswith("solihull-threshold.yaml") for f in unnumbered)
    return [f for f in found if f["rule"] != "no-out-of-hours-number"]


def test_the_bundled_flows_are_clean_but_for_contacts_nobody_has_checked(cli: Cli) -> None:
    code, found = findings(cli)
    found = without_unnumbered(found)
    assert code == 1
    assert {f["rule"] for f in found} == {"stale-contact"}
    directory = load_library().directory
    unchecked = {cid for cid, c in directory.contacts.items() if not c.national}
    assert {str(f["message"]).split("'")[1] for f in found} == unchecked
    assert "never checked against a current directory" in str(found[0]["message"])


def test_contacts_checked_within_a_year_are_clean(cli: Cli, flows: Path) -> None:
    checked_everywhere(flows / "contacts.yaml")
    (flows / "solihull-threshold.yaml").unlink()  # its ends name no out-of-hours number: a warning each
    for stale in (flows / "vignettes" / "solihull-threshold.yaml", flows / "scenarios" / "solihull-threshold.yaml"):
        stale.unlink()
    code, found = findings(cli, str(flows))
    assert (code, found) == (0, [])
    assert "no findings" in cli("validate", str(flows), "--today", TODAY).stderr
    checked_everywhere(flows / "contacts.yaml", "2025-01-01")
    code, found = findings(cli, str(flows))
    assert code == 1 and {f["rule"] for f in found} == {"stale-contact"}
    assert "over a year ago" in str(found[0]["message"])


@pytest.mark.parametrize(("rule", "file", "old", "new"), BREAKS, ids=[b[0] for b in BREAKS])
def test_validate_finds_each_rule(cli: Cli, flows: Path, rule: str, file: str, old: str, new: str) -> None:
    if rule == "no-actions":
        old, new = (
            "    actions:\n      - Keep asking the service user about any children they care for or live with throughout your involvement, not only at assessment (section 5.2).\n      - Take action if concerns about a child arise later, and walk this chart again (section 5.2).\n",
            "    actions: []\n",
        )
    line = edit(flows / file, old, new)
    code, found = findings(cli, str(flows))
    assert code == 1
    hits = [f for f in found if f["rule"] == rule]
    assert hits, found
    hit = hits[0]
    assert str(hit["file"]).endswith(file if rule != "duplicate-id" else ".yaml")
    assert hit["severity"] == RULES[rule][0]
    if rule not in {"duplicate-id", "cycle", "dead-end", "unreachable"}:
        assert isinstance(hit["line"], int) and abs(hit["line"] - line) <= 3, (hit, line)
    text = cli("validate", str(flows), "--today", TODAY)
    assert f"[{rule}]" in text.stdout


def test_validate_names_node_and_rule_in_text(cli: Cli, flows: Path) -> None:
    line = edit(flows / A4, '{label: "No", next: a4-2}', '{label: "No", next: a4-99}')
    result = cli("validate", str(flows / A4), "--today", TODAY)
    assert result.exit_code == 1
    assert (
        f"appendix-4.yaml:{line}: error [missing-node] node 'pregnant': choice 'No' leads to 'a4-99'" in result.stdout
    )


def test_validate_exit_2_when_a_file_cannot_be_read(cli: Cli, tmp_path: Path) -> None:
    code, found = findings(cli, str(tmp_path / "nope.yaml"))
    assert code == 2
    assert found[0]["rule"] == "unreadable"


def test_a_broken_flow_stops_the_walk_but_a_warning_does_not(cli: Cli, flows: Path) -> None:
    checked_everywhere(flows / "contacts.yaml", "2020-01-01")
    ok = cli("walk", "appendix-4", "--answers", "yes,yes", "--now", NOW, "--format", "json", "--flows-dir", str(flows))
    assert ok.exit_code == 0
    edit(flows / A4, "    next: a4-4\n", "    next: has-child\n")
    broken = cli("walk", "appendix-4", "--answers", "yes,yes", "--flows-dir", str(flows))
    assert broken.exit_code == 3
    assert "[cycle]" not in broken.stderr and "loop" in broken.stderr


def test_the_committed_schemas_are_generated_from_the_models(cli: Cli) -> None:
    for kind in ("flow", "contacts", "local-contacts", "guidance", "vignettes"):
        committed = (BUNDLED / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == flow_schema(kind), (
            f"regenerate: uv run decision-trees schema {kind} > flows/{kind}.schema.json"
        )
        assert cli("schema", kind).stdout == committed
    for path in BUNDLED.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        expected = "contacts.schema.json" if path.name == "contacts.yaml" else "flow.schema.json"
        assert first == f"# yaml-language-server: $schema={expected}"
    first = (BUNDLED / "reference" / "guidance.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../guidance.schema.json"
    for path in (BUNDLED / "vignettes").glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../vignettes.schema.json\n")


def test_the_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads(flow_schema("flow"))
    flow = schema["$defs"]["Flow"]
    assert flow["additionalProperties"] is False
    assert set(flow["required"]) >= {"id", "title", "start", "nodes", "source", "version", "reviewed"}


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_export_draws_every_node_and_edge(cli: Cli, fmt: str) -> None:
    result = cli("export", "appendix-4", "--format", fmt)
    assert result.exit_code == 0
    out = result.stdout
    if fmt == "mermaid":
        assert out.startswith("flowchart TD\n")
        assert 'n_has_child{"Does the service user have a child/ care for a child?"}' in out
        assert 'n_a4_6(["A4-6: Urgent referral to SW service – confirm in writing' in out
        assert out.count("-->") == 14
    else:
        assert out.startswith('digraph "camden-appendix-4" {')
        assert '"has-child" [shape=diamond' in out
        assert out.count(" -> ") == 14


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_export_escapes_hostile_box_text(cli: Cli, flows: Path, fmt: str) -> None:
    edit(
        flows / A4,
        "text: Are CSSW currently involved?",
        'text: "Are \\"CSSW\\"] --> x{evil} ;\\n digraph } [label=<b>] `code` #1 \\\\ involved?"',
    )
    out = cli("export", "appendix-4", "--format", fmt, "--flows-dir", str(flows)).stdout
    marker = "n_cssw_involved{" if fmt == "mermaid" else '"cssw-involved" [shape'
    line = next(l for l in out.splitlines() if l.strip().startswith(marker))
    if fmt == "mermaid":
        body = line.split('{"', 1)[1].rsplit('"}', 1)[0]
        assert not set(body) & set('"[]{}<>`#\\') - {"#"}
        assert "#34;" in body and "#93;" in body
    else:
        label = line.split('label="', 1)[1].rsplit('"]', 1)[0]
        assert '\\"CSSW\\"' in label
        assert label.count('"') == label.count('\\"')


def test_export_highlights_a_route(cli: Cli) -> None:
    out = cli("export", "appendix-4", "--highlight", "yes,no").stdout
    assert "class n_has_child,n_cssw_involved,n_impacting route" in out
    assert "linkStyle 0,7 " in out
    dot = cli("export", "appendix-4", "--format", "dot", "--highlight", "yes,yes").stdout
    assert '"has-child" -> "cssw-involved" [label="Yes", color="#b45309", penwidth=3];' in dot
    bad = cli("export", "appendix-4", "--highlight", "maybe")
    assert bad.exit_code == 2 and "valid choices: Yes, No" in bad.stderr


def test_the_authoring_doc_shows_the_mermaid_of_appendix_4(cli: Cli) -> None:
    doc = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert "```mermaid\n" + cli("export", "appendix-4").stdout + "```" in doc


@pytest.mark.parametrize(("flow", "count"), [("appendix-4", 12), ("appendix-3", 4), ("solihull", 7)])
def test_paths_lists_every_route(cli: Cli, flow: str, count: int) -> None:
    routes = json.loads(cli("paths", flow, "--format", "json").stdout)["routes"]
    assert len(routes) == count
    for route in routes:  # each route replays to its own outcome
        summary = cli.walk_json(flow, route["answers_option"])
        assert summary["outcome"]["node"] == route["outcome"]["node"]
    assert f"{count} routes" in cli("paths", flow).stdout


def test_shipped_scenarios_pass_and_cover_every_edge(cli: Cli) -> None:
    files = sorted(str(p) for p in (BUNDLED / "scenarios").glob("*.yaml"))
    result = cli("test", *files, "--require-coverage", "--format", "json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["failed"] == 0 and report["passed"] >= 19
    # A scenarios file for every bundled flow, whatever flows the folder holds.
    assert {c["flow"] for c in report["coverage"]} == set(load_library().flows)
    assert all(c["missed_edges"] == [] and c["missed_nodes"] == [] for c in report["coverage"])


def test_a_failing_scenario_is_reported_clearly(cli: Cli, tmp_path: Path) -> None:
    scenarios = tmp_path / "s.yaml"
    scenarios.write_text(
        'flow: appendix-4\nnow: "2026-11-23T14:30"\nscenarios:\n'
        '  - name: wrong level\n    answers: "yes,no,yes,medium"\n'
        '    expect: {outcome: A4-6, deadlines: ["2026-11-25T14:30:00+00:00"], contacts: [emergency-duty-team]}\n'
        '  - name: bad answer\n    answers: "yes,maybe"\n    expect: {outcome: A4-3}\n',
        encoding="utf-8",
    )
    result = cli("test", str(scenarios))
    assert result.exit_code == 1
    out = result.stdout
    assert "FAIL camden-appendix-4: wrong level" in out
    assert "outcome: expected A4-6, got A4-5 (a4-5)" in out
    assert "deadlines: expected 2026-11-25T14:30:00+00:00, got none" in out
    assert "contacts: expected emergency-duty-team, got contact-service" in out
    assert "FAIL camden-appendix-4: bad answer" in out and "valid choices: Yes, No" in out
    assert "not covered: has-child --No--> other-children" in out
    assert "0 passed, 2 failed" in out
    assert cli("test", str(scenarios), "--require-coverage").exit_code == 1


def test_flows_dir_and_its_environment_variable(cli: Cli, flows: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked_everywhere(flows / "contacts.yaml")
    (flows / "solihull-threshold.yaml").unlink()
    (flows / "vignettes" / "solihull-threshold.yaml").unlink()  # its practice cases go with it
    edit(flows / A4, "title: Referral to Children and Families Contact Service", "title: Local referral chart")
    listed = json.loads(cli("list", "--format", "json", "--flows-dir", str(flows)).stdout)["flows"]
    assert {f["id"]: f["title"] for f in listed}["camden-appendix-4"] == "Local referral chart"
    monkeypatch.setenv("DECISION_TREES_FLOWS_DIR", str(flows))
    bundled = len(json.loads(cli("list", "--format", "json", "--flows-dir", str(bundled_flows_dir())).stdout)["flows"])
    assert len(json.loads(cli("list", "--format", "json").stdout)["flows"]) == bundled - 1  # Solihull's, gone
    assert cli.walk_json("appendix-4", "yes,yes")["flow"]["title"] == "Local referral chart"
    for command in (["show", "a4"], ["contacts"], ["paths", "a4"], ["export", "a4"], ["validate", "--today", TODAY]):
        assert cli(*command).exit_code == 0, command


def test_two_flows_with_one_alias_in_a_directory_are_an_error(cli: Cli, flows: Path) -> None:
    edit(flows / A4, "aliases: [appendix-4, a4]", "aliases: [appendix-3, a4]")
    result = cli("list", "--flows-dir", str(flows))
    assert result.exit_code == 3
    assert "flow id or alias 'appendix-3' is also used by" in result.stderr


def test_flows_dir_that_does_not_exist(cli: Cli, tmp_path: Path) -> None:
    result = cli("list", "--flows-dir", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_explain_shows_where_each_answer_leads(cli: Cli) -> None:
    result = cli("walk", "appendix-4", "--answers", "yes,no,yes,high", "--explain", "--now", NOW, "--format", "json")
    assert result.exit_code == 0
    assert "[need-level] Discuss with CP designated lead." in result.stderr
    assert "» High level need → [a4-6] A4-6 Urgent referral" in result.stderr
    assert "  Medium level need → [a4-5] A4-5 Complete CAF and Refer to CSSW" in result.stderr
    assert json.loads(result.stdout)["outcome"]["ref"] == "A4-6"


def test_solihull_outcomes_quote_the_protocol(cli: Cli) -> None:
    path = PROTOCOL_DIR / "solihull-joint-services-protocol-10.3.txt"
    protocol = " ".join(path.read_text(encoding="utf-8").split())
    from decision_trees.core.models import Outcome
    from decision_trees.data.loading import load_library

    flow = load_library().find("solihull")
    assert "a reading of prose" in flow.description.lower()
    for node in flow.nodes.values():
        if isinstance(node, Outcome):
            assert " ".join(node.text.split()) in protocol, node.ref


def test_coverage_is_merged_across_scenario_files(cli: Cli, tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(
        'flow: appendix-3\nscenarios:\n  - {name: one, answers: "yes", expect: {outcome: A3-1}}\n', encoding="utf-8"
    )
    second.write_text(
        "flow: appendix-3\nscenarios:\n"
        '  - {name: two, answers: "no,yes", expect: {outcome: A3-2}}\n'
        '  - {name: three, answers: "no,no,yes", expect: {outcome: A3-3}}\n'
        '  - {name: four, answers: "no,no,no", expect: {outcome: A3-4}}\n',
        encoding="utf-8",
    )
    alone = json.loads(cli("test", str(second), "--format", "json").stdout)["coverage"]
    assert alone[0]["missed_edges"] != []
    result = cli("test", str(first), str(second), "--require-coverage", "--format", "json")
    assert result.exit_code == 0
    [cover] = json.loads(result.stdout)["coverage"]
    assert (cover["missed_nodes"], cover["missed_edges"]) == ([], [])
