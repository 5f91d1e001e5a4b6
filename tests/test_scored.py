"""Issue 30's proof: a scored checklist, a kind of node added as one module (core/kinds/scored.py)
and one line of the `Node` union, working in every walk, output and check on a test flow."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import NOW, Cli

SOURCE = Path(__file__).parent / "data" / "scored"
FLOW = "scored-test"


@pytest.fixture
def scored(flows: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled flows with the test flow added, the flows folder of every command."""
    shutil.copy(SOURCE / "scored-checklist.yaml", flows)
    monkeypatch.setenv("DECISION_TREES_FLOWS_DIR", str(flows))
    return flows


def walk(cli: Cli, *args: str) -> dict:
    result = cli("walk", FLOW, "--format", "json", "--now", NOW, *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_test_flow_validates_with_no_error(cli: Cli, scored: Path) -> None:
    result = cli("validate", str(scored), "--format", "json")
    found = json.loads(result.stdout)["findings"]
    assert [f for f in found if f["severity"] == "error"] == []
    assert [f for f in found if f["file"].endswith("scored-checklist.yaml")] == []


@pytest.mark.parametrize(
    ("bands", "says"),
    [
        ("{low: 0, high: 2, next: a3-1}, {low: 4, high: 10, next: a3-3}", "no band holds the total(s) 3"),
        ("{low: 0, high: 3, next: a3-1}, {low: 3, high: 10, next: a3-3}", "more than one band holds the total(s) 3"),
        ("{low: 0, high: 9, next: a3-1}", "no band holds the total(s) 10"),
        ("{low: 0, high: 10, next: a3-1}, {low: 11, high: 12, next: a3-3}", "no set of ticks adds up"),
    ],
)
def test_validate_refuses_bands_with_a_gap_an_overlap_or_no_way_in(
    cli: Cli, scored: Path, bands: str, says: str
) -> None:
    path = scored / "scored-checklist.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    bands:\n")
    end = text.index("\n\n", start)
    path.write_text(text[:start] + f"    bands: [{bands}]" + text[end:], encoding="utf-8")
    result = cli("validate", str(scored))
    assert result.exit_code == 1
    assert "[bands]" in result.stdout and says in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("args", "ref", "ticks"),
    [
        (["--answer", "worries=alone,school", "--answer", "persist=yes"], "S-2", "school+alone"),
        (["--answers", "alone+school,no"], "S-1", "school+alone"),
        (["--answers", "none"], "S-1", "none"),
        (["--answers", "Injury+SCHOOL"], "S-2", "school+injury"),
    ],
)
def test_ticks_are_given_by_node_or_in_order(cli: Cli, scored: Path, args: list[str], ref: str, ticks: str) -> None:
    summary = walk(cli, *args)
    assert summary["outcome"]["ref"] == ref
    assert summary["route"][0] == {
        "node": "worries", "kind": "scored-checklist", "text": "Tick each worry that applies to the household",
        "answer": ticks, "section": "8.2", "noted": False,
    }  # fmt: skip


def test_a_tick_that_is_not_an_item_is_refused_with_the_items(cli: Cli, scored: Path) -> None:
    result = cli("walk", FLOW, "--answer", "worries=alone,drink", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "ticks 'drink', which is not an item at 'worries'" in result.stderr
    assert "items: missed, school, alone, injury, or none" in result.stderr


def test_every_route_replays_to_its_end(cli: Cli, scored: Path) -> None:
    result = cli("paths", FLOW, "--format", "json")
    routes = json.loads(result.stdout)["routes"]
    assert [(r["answers_option"], r["outcome"]["ref"]) for r in routes] == [
        ("none", "S-1"), ("alone,Yes", "S-2"), ("alone,No", "S-1"), ("school+injury", "S-2"),
    ]  # fmt: skip
    for route in routes:
        assert walk(cli, "--answers", route["answers_option"])["outcome"]["ref"] == route["outcome"]["ref"]


def test_markdown_and_the_diagrams_show_the_checklist(cli: Cli, scored: Path) -> None:
    markdown = cli("walk", FLOW, "--answers", "injury+alone", "--format", "markdown", "--now", NOW).stdout
    assert "Tick each worry that applies to the household **alone+injury**" in markdown
    mermaid = cli("export", FLOW, "--format", "mermaid").stdout
    assert 'n_worries{"Tick each worry that applies to the household"}' in mermaid
    assert 'n_worries -->|"Some worries"| n_escalate' in mermaid
    dot = cli("export", FLOW, "--format", "dot", "--highlight", "alone,yes").stdout
    assert '"worries" [shape=diamond' in dot
    assert '"worries" -> "escalate" [label="Some worries", color="#b45309", penwidth=3];' in dot


def test_diff_reports_a_changed_band_as_a_changed_route(cli: Cli, scored: Path, tmp_path: Path) -> None:
    old = scored / "scored-checklist.yaml"
    new = tmp_path / "new.yaml"
    text = old.read_text(encoding="utf-8")
    new.write_text(
        text.replace(
            "{low: 3, high: 5, next: escalate, label: Some worries}",
            "{low: 3, high: 4, next: escalate, label: Some worries (3 to 4)}",
        ).replace(
            "{low: 6, high: 10, next: a3-3, label: Many worries}", "{low: 5, high: 10, next: a3-3, label: Many worries}"
        ),
        encoding="utf-8",
    )
    result = cli("diff", str(old), str(new), "--format", "json")
    report = json.loads(result.stdout)
    assert report["only_old_count"] == 0 and report["only_new_count"] == 0
    assert report["changed_count"] == 2  # the two routes through the band, not two removed and two added
    routes = {tuple(c["answers"]): c["changes"] for c in report["changed"]}
    assert routes[("alone", "Yes")][0]["before"][:2] == [
        "Tick each worry that applies to the household",
        "Some worries",
    ]
    assert routes[("alone", "Yes")][0]["after"][1] == "Some worries (3 to 4)"


def test_batch_scenarios_vignettes_and_records(cli: Cli, scored: Path, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        '{"case_ref": "C1", "answers": {"worries": "alone,school", "persist": "No"}}\n'
        '{"case_ref": "C2", "answers": "school+injury"}\n',
        encoding="utf-8",
    )
    lines = [json.loads(line) for line in cli("batch", FLOW, str(cases), "--now", NOW).stdout.splitlines()]
    assert [line["outcome"]["ref"] for line in lines] == ["S-1", "S-2"]

    (scored / "scenarios" / "scored.yaml").write_text(
        'flow: scored-test\nnow: "2026-11-23T14:30"\nscenarios:\n'
        '  - {name: few, answers: "missed", expect: {outcome: S-1}}\n'
        '  - {name: some then yes, answers: {worries: "alone", persist: "Yes"}, expect: {outcome: S-2}}\n'
        '  - {name: many, answers: "injury+school", expect: {outcome: S-2}}\n'
        '  - {name: some then no, answers: "missed+school,no", expect: {outcome: S-1}}\n',
        encoding="utf-8",
    )
    tested = cli("test", str(scored / "scenarios" / "scored.yaml"), "--require-coverage")
    assert tested.exit_code == 0, tested.stdout + tested.stderr

    (scored / "vignettes" / "scored.yaml").write_text(
        "flow: scored-test\nvignettes:\n  - id: s-many\n    title: Many worries\n"
        "    text: A child is left alone and has an unexplained injury.\n"
        '    sections: ["8.2"]\n    answers: {worries: "alone+injury"}\n    outcome: S-2\n'
        '    cues: [{fact: "Left alone with an injury.", section: "8.2"}]\n'
        "    reason: The worries add up to 7 (section 8.2).\n",
        encoding="utf-8",
    )
    practised = cli("practise", FLOW, "--vignette", "s-many", "--answers", "injury+alone", "--format", "json")
    assert practised.exit_code == 0, practised.stderr
    assert json.loads(practised.stdout)["results"][0]["verdict"] == "matches"
    wrong = cli("practise", FLOW, "--vignette", "s-many", "--answers", "missed", "--format", "json")
    assert json.loads(wrong.stdout)["results"][0]["first_difference"]["given_answer"] == "missed"

    record = tmp_path / "record.json"
    cli("walk", FLOW, "--answers", "alone,yes", "--record", str(record), "--format", "json", "--now", NOW)
    assert json.loads(record.read_text(encoding="utf-8"))["answers"] == {"worries": "alone", "persist": "Yes"}
    assert walk(cli, "--answers-file", str(record))["outcome"]["ref"] == "S-2"


def test_a_plain_interactive_walk_ticks_and_goes_back_inside_the_checklist(cli: Cli, scored: Path) -> None:
    # Tick items 3 and 4 (alone, injury: 7, many worries)... then change the mind: back at the
    # question after the checklist, return to it, the ticks kept, untick one and go on.
    typed = "2\n1 2\n1\nb\n2\n3\n1\n1\n"
    result = cli("walk", FLOW, "--plain", "--now", NOW, "--format", "json", input=typed)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"]["ref"] == "S-2"
    said = result.stderr
    assert "Go on with these ticks (Few worries)" in said
    assert "Go on with these ticks (Some worries)" in said  # 1 + 2: 3
    assert "Missed appointments (score 1)" in said
    assert said.count("Tick each worry that applies") >= 2  # asked again after Back


def test_at_a_real_terminal_ticks_lead_on_and_back_returns_to_them(scored: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    import os
    import sys

    down, space, enter, up = "\x1b[B", " ", "\r", "\x1b[A"
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40", "PROMPT_TOOLKIT_NO_CPR": "1"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "decision_trees", "walk", FLOW, "--now", NOW], env=env,
                          encoding="utf-8", dimensions=(40, 100), timeout=15)  # fmt: skip
    child.expect("Go on with these ticks \\(Few worries\\)")
    child.send(down + enter)  # tick the items
    child.expect("Missed appointments \\(score 1\\)")
    child.send(down * 2 + space + enter)  # Child left alone: 3
    child.expect("Go on with these ticks \\(Some worries\\)")
    child.send(enter)
    child.expect("Have you noted this action")
    child.send(enter)
    child.expect("Do the worries persist")
    child.send(up + enter)  # Back, the last choice: past the action box, to the checklist
    child.expect("Ticked: Child left alone.")
    child.expect("Go on with these ticks \\(Some worries\\)")
    child.send(down + enter)
    child.expect("Unexplained injury")
    child.send(down * 3 + space + enter)  # and Unexplained injury: 7
    child.expect("Go on with these ticks \\(Many worries\\)")
    child.send(enter)
    child.expect("Save in this folder")
    child.send(down + enter)  # No
    child.expect("S-2")
    child.expect(pexpect.EOF)


def test_the_page_ticks_looks_up_where_they_lead_and_prints_the_card(cli: Cli, scored: Path, tmp_path: Path) -> None:
    from .test_html import CHROMIUM, MONDAY, open_page

    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    path = tmp_path / "scored.html"
    assert cli("export", FLOW, "--format", "html", "-o", str(path), "--from", "2026-10-01").exit_code == 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page, _, errors = open_page(browser, path, MONDAY)
        assert page.inner_text("#go-on") == "Go on with these ticks (Few worries)"
        page.get_by_label("Child left alone (score 3)").check()
        assert page.inner_text("#go-on") == "Go on with these ticks (Some worries)"
        page.get_by_label("Unexplained injury (score 4)").check()
        assert page.inner_text("#go-on") == "Go on with these ticks (Many worries)"
        page.click("#go-on")
        assert page.locator("#step").get_attribute("data-outcome") == "S-2"
        route = page.inner_text("#route")
        assert "Tick each worry that applies to the household → alone+injury" in route
        # The page's summary is the command line's, route included.
        summary = page.evaluate("() => summaryFor([{node: 'worries', answer: 'alone+injury'}], 'a3-3', new Date())")
        assert summary["route"] == walk(cli, "--answers", "alone+injury")["route"]
        page.get_by_role("button", name="← Back").click()
        assert page.get_by_label("Unexplained injury (score 4)").is_checked()  # the ticks are kept
        page.click("#go-on")
        page.emulate_media(media="print")  # the print-out: the card, on one page
        assert page.locator("#card").is_visible() and page.locator("#print").is_hidden()
        assert len(re.findall(rb"/Type\s*/Page(?![s\w])", page.pdf(format="A4"))) == 1
        assert errors == []
        browser.close()
