"""Issue 12: a partnership can deploy it. Its own contacts without a copy of the flows, `contacts
check` for its scheduled CI, a route-by-route `diff` for its change record, and a hazard log."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from decision_trees import load
from decision_trees.core.decision import contacts_in_use
from decision_trees.data.library import bundled_flows_dir

from .conftest import NOW, ROOT, Cli, edit

LOCAL = """\
contacts:
  contact-service:
    name: Children and Families Contact Service (MASH)
    phones: ["020 7974 9999"]
    email: mash@camden.example.org
    hours: office
    out_of_hours: emergency-duty-team
    source: Camden council website, MASH page
    checked: {date: 2026-11-20, by: Partnership business unit, against: camden.gov.uk/mash}
"""
A4_HIGH = ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--now", NOW]


@pytest.fixture
def local(tmp_path: Path) -> Path:
    path = tmp_path / "my contacts.yaml"
    path.write_text(LOCAL, encoding="utf-8")
    return path


# 1. Local contacts without a copy of the flows.


def test_a_local_file_replaces_a_bundled_entry_on_walk(cli: Cli, local: Path) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high", "--contacts", str(local))
    contact = summary["contacts"][0]
    assert contact["phones"] == ["020 7974 9999"] and contact["check_status"] == "checked"
    assert summary["contacts"][1]["phones"] == ["020 7974 4444"]  # the others stay bundled
    assert summary["not_checked"] == ["emergency-duty-team"]
    files = summary["contacts_files"]
    assert files[0]["file"] == "contacts.yaml (bundled)" and files[0]["local"] is False
    assert files[1] == {
        "file": str(local),
        "sha256": "sha256:" + hashlib.sha256(local.read_bytes()).hexdigest(),
        "local": True,
    }


def test_the_environment_variable_and_the_config_folder(cli: Cli, local: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("DECISION_TREES_CONTACTS", str(local))
    assert cli.walk_json("appendix-4", "yes,yes")["contacts"][0]["phones"] == ["020 7974 9999"]
    monkeypatch.delenv("DECISION_TREES_CONTACTS")
    assert cli.walk_json("appendix-4", "yes,yes")["contacts"][0]["phones"] == ["020 7974 3317"]
    config = tmp_path / "config" / "decision-trees"  # XDG_CONFIG_HOME is tmp_path/config (conftest)
    config.mkdir(parents=True)
    shutil.copy(local, config / "contacts.yaml")
    assert cli.walk_json("appendix-4", "yes,yes")["contacts"][0]["phones"] == ["020 7974 9999"]
    # --contacts comes first, then the environment variable, then the config folder.
    other = tmp_path / "other.yaml"
    other.write_text(LOCAL.replace("9999", "8888"), encoding="utf-8")
    monkeypatch.setenv("DECISION_TREES_CONTACTS", str(other))
    assert cli.walk_json("appendix-4", "yes,yes")["contacts"][0]["phones"] == ["020 7974 8888"]
    assert cli.walk_json("appendix-4", "yes,yes", "--contacts", str(local))["contacts"][0]["phones"] == [
        "020 7974 9999"
    ]


def test_every_command_that_shows_contacts_takes_the_override(cli: Cli, local: Path, tmp_path: Path) -> None:
    listed = json.loads(cli("contacts", "--format", "json", "--contacts", str(local)).stdout)["contacts"]
    assert listed["contact-service"]["phones"] == ["020 7974 9999"]
    assert listed["contact-service"]["listed_in"] == str(local)
    assert listed["emergency-duty-team"]["listed_in"] == "contacts.yaml (bundled)"
    text = cli.runner.invoke(__import__("cli").app, ["contacts", "--contacts", str(local)], env={"COLUMNS": "200"})
    assert f"From {local}" in text.stdout and "020 7974 9999" in text.stdout
    assert f"local contacts file: {local}" in text.stderr
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"answers": "yes,yes"}\n', encoding="utf-8")
    batch = cli("batch", "a4", str(cases), "--now", NOW, "--contacts", str(local))
    assert json.loads(batch.stdout)["contacts"][0]["phones"] == ["020 7974 9999"]
    text_walk = cli(*A4_HIGH, "--contacts", str(local))
    assert "Phone the Children and Families Contact Service now on 020 7974 9999" in " ".join(text_walk.stdout.split())
    check = cli("contacts", "check", "--today", "2026-11-27", "--contacts", str(local))
    assert "contact-service" not in check.stdout and "emergency-duty-team" in check.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("hours: office", "hours: daytime"), "invalid enum value 'daytime' at hours"),
        (('phones: ["020 7974 9999"]', 'phones: ["call 020"]'), "expected a phone number in digits and spaces"),
        (("email: mash@camden.example.org", "email: mash-at-camden"), "expected one plain email address"),
        (("hours: office", "hours: [office"), "not valid YAML"),
        (("contacts:\n", "contact:\n"), "needs a `contacts:` mapping"),
        (("    checked: {date: 2026-11-20,", "    checked: {when: 2026-11-20,"), "unknown field `when`"),
    ],
)
def test_a_bad_local_file_is_a_one_line_error_with_its_line(cli: Cli, local: Path, change: tuple[str, str], message: str) -> None:  # fmt: skip
    line = edit(local, *change)
    result = cli(*A4_HIGH, "--contacts", str(local))
    assert result.exit_code == 2
    (error,) = [e for e in result.stderr.splitlines() if "error" in e]
    assert message in error and f"{local}:" in error
    if "mapping" not in message:
        assert re.search(rf"{re.escape(str(local))}:{line}\b|{re.escape(str(local))}:{line + 1}\b", error), (
            error,
            line,
        )


def test_a_missing_local_file_is_an_error(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = cli(*A4_HIGH, "--contacts", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2 and "is not a file" in result.stderr
    monkeypatch.setenv("DECISION_TREES_CONTACTS", str(tmp_path / "none.yaml"))
    assert "DECISION_TREES_CONTACTS=" in cli(*A4_HIGH).stderr


# 2. contacts check.


def test_contacts_check_on_the_bundled_data(cli: Cli) -> None:
    result = cli("contacts", "check", "--today", "2026-11-27")
    assert result.exit_code == 1
    listed = {line.split(": ")[1].split(" ")[0] for line in result.stdout.splitlines()}
    library = load()
    in_use = set().union(*(contacts_in_use(flow, library.directory) for flow in library.flows.values()))
    # Every contact some flow uses that is copied and unchecked: as many as the files hold, whatever they are.
    assert listed == {c for c in in_use if not library.directory.contacts[c].national}
    assert {"contact-service", "emergency-duty-team", "icas"} <= listed  # Camden's among them
    assert "police-emergency" not in result.stdout  # 999 is national: nothing local to check
    assert "mental-health-advice" not in result.stdout  # no flow uses it
    found = json.loads(cli("contacts", "check", "--today", "2026-11-27", "--format", "json").stdout)
    assert {c["status"] for c in found["unchecked"]} == {"not-checked"}
    assert found["breaches"] == []  # the bundled contacts break no safety invariant


def test_contacts_check_passes_once_every_contact_in_use_is_checked(cli: Cli, flows: Path) -> None:
    from .test_authoring import checked_everywhere

    checked_everywhere(flows / "contacts.yaml", "2026-06-01")
    assert cli("contacts", "check", "--today", "2026-11-27", "--flows-dir", str(flows)).exit_code == 0
    late = cli("contacts", "check", "--today", "2026-11-27", "--max-age", "3m", "--flows-dir", str(flows))
    assert late.exit_code == 1 and "last checked 2026-06-01" in late.stdout
    assert cli("contacts", "check", "--max-age", "soon").exit_code == 2


# 3. diff.


def copy_flows(tmp_path: Path) -> Path:
    target = tmp_path / "new"
    shutil.copytree(bundled_flows_dir(), target, ignore=shutil.ignore_patterns("*.compiled.json"))
    return target


def diff(cli: Cli, new: Path, *extra: str) -> tuple[int, dict[str, object]]:
    result = cli(
        "diff", str(bundled_flows_dir() / "appendix-4.yaml"), str(new / "appendix-4.yaml"), "--format", "json", *extra
    )
    return result.exit_code, json.loads(result.stdout) if result.stdout else {}


def test_diff_of_a_flow_with_itself_is_clean(cli: Cli, tmp_path: Path) -> None:
    code, found = diff(cli, copy_flows(tmp_path))
    assert code == 0 and found["changed"] == [] and found["only_old"] == [] and found["unchanged"] == 12


def test_diff_finds_a_changed_edge(cli: Cli, tmp_path: Path) -> None:
    new = copy_flows(tmp_path)
    edit(new / "appendix-4.yaml", "{label: Medium level need, next: a4-5}", "{label: Medium level need, next: a4-6}")
    code, found = diff(cli, new)
    assert code == 1
    (route,) = [r for r in found["changed"] if r["answers"] == ["Yes", "No", "Yes", "Medium level need"]]
    assert route["old_outcome"].startswith("A4-5") and route["new_outcome"].startswith("A4-6")
    assert {c["field"] for c in route["changes"]} >= {"outcome", "actions", "deadlines", "contacts"}
    outcome = next(c for c in route["changes"] if c["field"] == "outcome")
    assert (outcome["before"]["urgent"], outcome["after"]["urgent"]) == (False, True)
    assert len(found["changed"]) == 2  # own child and someone else's child


def test_diff_finds_a_changed_number(cli: Cli, tmp_path: Path) -> None:
    new = copy_flows(tmp_path)
    # A changed number says where it now comes from: one still credited to the protocol that the
    # protocol does not print is refused (issue 28, `not-in-source`).
    path = new / "contacts.yaml"
    head, _, block = path.read_text(encoding="utf-8").partition("  emergency-duty-team:\n")
    block = block.replace('phones: ["020 7974 4444"]', 'phones: ["020 7974 4445"]', 1).replace(
        "    source: Camden joint working protocol, section 10\n    document: camden-protocol\n",
        "    source: The partnership's directory\n",
        1,
    )
    path.write_text(head + "  emergency-duty-team:\n" + block, encoding="utf-8")
    code, found = diff(cli, new)
    assert code == 1
    # The Emergency Duty Team is on every route: out of hours, in the advice for when you are not sure.
    assert found["changed_count"] == 12
    urgent = next(r for r in found["changed"] if r["answers"] == ["Yes", "No", "Yes", "High level need"])
    change = next(c for c in urgent["changes"] if c["field"] == "contacts")
    assert change["before"][1]["phones"] == ["020 7974 4444"] and change["after"][1]["phones"] == ["020 7974 4445"]
    assert change["at"][0] == "in office hours"
    routine = next(r for r in found["changed"] if r["answers"] == ["Yes", "Yes"])
    # A routine route shows the team's number only out of hours, as the open number for urgent concerns
    # (A4-3's action too: where the concern cannot wait, issue 28, 2.5).
    # The action card is advice too, the first a practitioner reads: its change is reported with the rest.
    assert {c["field"] for c in routine["changes"]} == {"closed_now", "contacts", "advice", "actions", "card"}
    assert not any("in office hours" in c["at"] for c in routine["changes"])


def test_diff_finds_a_changed_action_and_reports_it_for_signing(cli: Cli, tmp_path: Path) -> None:
    new = copy_flows(tmp_path)
    edit(new / "appendix-4.yaml", "Attend the professional meetings", "Decline the professional meetings")
    code, found = diff(cli, new)
    assert code == 1 and {tuple(c["field"] for c in r["changes"]) for r in found["changed"]} == {("card", "actions")}
    markdown = cli(
        "diff", str(bundled_flows_dir() / "appendix-4.yaml"), str(new / "appendix-4.yaml"), "--format", "markdown"
    )
    assert markdown.exit_code == 1
    assert (
        "## Routes whose advice changed" in markdown.stdout and "Decline the professional meetings" in markdown.stdout
    )
    assert "Approved by the clinical safety officer" in markdown.stdout and "sha256:" in markdown.stdout
    text = cli("diff", str(bundled_flows_dir() / "appendix-4.yaml"), str(new / "appendix-4.yaml"))
    assert "before: " in text.stdout and "2 route(s) changed, 0 removed, 0 added, 10 unchanged." in text.stdout


def test_diff_finds_routes_added_and_removed(cli: Cli, tmp_path: Path) -> None:
    new = copy_flows(tmp_path)
    edit(
        new / "appendix-4.yaml",
        '      - {label: "No", next: a4-2}',
        '      - {label: "No", next: a4-2}\n      - {label: "Not known", next: a4-1}',
    )
    code, found = diff(cli, new)
    assert code == 1 and [r["answers"] for r in found["only_new"]] == [["No", "No", "Not known"]]


def test_diff_limited_to_past_cases(cli: Cli, tmp_path: Path) -> None:
    new = copy_flows(tmp_path)
    edit(new / "appendix-4.yaml", "{label: Medium level need, next: a4-5}", "{label: Medium level need, next: a4-6}")
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"case_ref": "C1", "answers": "yes,no,yes,medium"}\n{"case_ref": "C2", "answers": "yes,yes"}\n')
    code, found = diff(cli, new, "--cases", str(cases))
    assert code == 1
    first, second = found["cases"]
    assert first["case"] == "C1" and first["old"].startswith("A4-5") and first["new"].startswith("A4-6")
    assert second["changed"] == []
    record = tmp_path / "walk.json"
    assert cli(*A4_HIGH, "--record", str(record), "--format", "json").exit_code == 0
    code, found = diff(cli, new, "--cases", str(record))
    assert code == 0 and found["cases"][0]["changed"] == []


def test_diff_bad_input_is_exit_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("diff", str(tmp_path / "none.yaml"), str(bundled_flows_dir() / "appendix-4.yaml"))
    assert result.exit_code == 2 and "file not found" in result.stderr
    broken = copy_flows(tmp_path)
    edit(broken / "appendix-4.yaml", "start: has-child", "start: [has-child")
    assert cli("diff", str(bundled_flows_dir() / "appendix-4.yaml"), str(broken / "appendix-4.yaml")).exit_code == 2


# 4. The hazard log.

HAZARD_LOG = ROOT / "docs" / "safety" / "hazard-log.md"


def hazards() -> list[tuple[str, str]]:
    text = HAZARD_LOG.read_text(encoding="utf-8")
    return re.findall(r"^## (H\d+)[^\n]*\n(.*?)(?=^## H\d+|\Z)", text, re.MULTILINE | re.DOTALL)


def test_the_hazard_log_starts_from_the_shared_hazards() -> None:
    found = dict(hazards())
    shared = (ROOT / "tests" / "data" / "protocol" / "HAZARDS.md").read_text(encoding="utf-8")
    for number in re.findall(r"^\| (H\d+) \|", shared, re.MULTILINE):
        assert number in found, number
    assert len(found) >= 15  # and those found since


def test_every_hazard_has_a_control_and_every_named_test_exists() -> None:
    tests = {
        f"{path.name}::{name}"
        for path in (ROOT / "tests").glob("test_*.py")
        for name in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    for number, body in hazards():
        for field in ("Cause", "Effect", "Severity", "Likelihood", "Controls"):
            assert f"**{field}**" in body, (number, field)
        controls = re.findall(r"^- \*\*Control\*\*", body, re.MULTILINE)
        assert controls, f"{number} has no control"
        named = re.findall(r"`(test_\w+\.py::test_\w+)`", body)
        assert named, f"{number} names no test"
        for test in named:
            assert test in tests, (number, test)


def test_diff_finds_a_change_to_the_out_of_hours_advice(cli: Cli, tmp_path: Path) -> None:
    """Issue 20: the advice for when offices are closed is part of every route's decision."""
    new = copy_flows(tmp_path)
    text = (new / "appendix-4.yaml").read_text(encoding="utf-8")
    start = text.index("  out_of_hours: >-")
    end = text.index("  contacts: [contact-service]\nstart:")
    wait = '  out_of_hours: "Wait until Monday. Do not phone the Emergency Duty Team."\n'
    (new / "appendix-4.yaml").write_text(text[:start] + wait + text[end:], encoding="utf-8")
    code, found = diff(cli, new)
    assert code == 1 and found["changed_count"] == 12
    for route in found["changed"]:
        (change,) = route["changes"]
        assert change["field"] == "advice" and change["after"]["text"] == wait.split('"')[1]
        assert "in office hours" not in change["at"] and "a Saturday" in change["at"]
