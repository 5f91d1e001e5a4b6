"""Issue 31: what makes a protocol local is said in its files: each service's hours day by day,
deadlines in working days with the protocol's own words, follow-up by an online form, a phone menu
and a fallback line, citations as the document writes them, paraphrase never quoted, a partnership's
added contacts, and no area's words in the tool's own Python, phrasebook, help or generic docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import decision_trees
from decision_trees import load

from .conftest import ROOT, Cli

# An area of its own, beside the bundled flows: its front door keeps Monday to Thursday 8am to 5pm and
# Friday 8am to 4:30pm, its out-of-hours team from 5pm; a referral is followed up by an online form
# within one working day; its phone has a menu and a fallback line; its sentences cite a document's
# appendix by letter and a paragraph.
CONTACTS = """
  area-front-door:
    name: Borough Front Door
    phones:
      - {number: "0300 555 0101", option: "2"}
      - {number: "0300 555 0199", when: "only if the line above is engaged for over 10 minutes"}
    hours: office
    opening:
      week:
        Mon: ["08:00-17:00"]
        Tue: ["08:00-17:00"]
        Wed: ["08:00-17:00"]
        Thu: ["08:00-17:00"]
        Fri: ["08:00-16:30"]
      source: the Borough's published protocol, Appendix A
    out_of_hours: area-night-team
    source: the Borough's published protocol, Appendix A
  area-night-team:
    name: Borough Night Team
    phones: ["0300 555 0202"]
    hours: out-of-hours
    opening:
      week:
        Mon: ["00:00-08:00", "16:30-24:00"]
        Tue: ["00:00-08:00", "17:00-24:00"]
        Wed: ["00:00-08:00", "17:00-24:00"]
        Thu: ["00:00-08:00", "17:00-24:00"]
        Fri: ["00:00-08:00", "16:30-24:00"]
        Sat: ["00:00-24:00"]
        Sun: ["00:00-24:00"]
      bank_holidays: ["00:00-24:00"]
      source: the Borough's published protocol, Appendix A
    source: the Borough's published protocol, Appendix A
"""
FLOW = """
id: borough-referral
title: Referral to the Borough Front Door
audience: Workers in the Borough.
source: {document: The Borough's published protocol, part: Appendix A, area: Borough}
version: "1.0.0"
reviewed: 2026-12-01
description: A test area's referral, in files only.
box_text: paraphrase
advice: {text: "Ask your manager if you are unsure (para 4.2).", contacts: [area-front-door]}
start: worried
nodes:
  worried:
    type: question
    text: Is the child at risk of harm?
    section: Appendix A
    choices: [{label: "Yes", next: refer}, {label: "No", next: none}]
  refer:
    type: outcome
    ref: B-1
    title: Refer now
    text: Refer by phone now, then complete the online referral form within one working day
    section: Appendix A
    urgent: true
    urgency: 2
    actions:
      - text: Phone the Front Door now on {phone:area-front-door} (Appendix A).
        out_of_hours: Phone the Night Team now on {phone:area-night-team} (Appendix A).
        call: true
      - Complete the online referral form within one working day (para 4.2).
    contacts: [area-front-door, area-night-team]
    deadlines:
      - task: Complete the online referral form
        within: 1wd
        says: within one working day
        counted_from: the phone referral, taken as the end of this walk
        send_to: area-front-door
        follow_up: {by: form, address: "https://borough.example.gov.uk/refer", what: "the child's details and your concern (page 3)"}
  none:
    type: outcome
    ref: B-2
    title: No referral
    text: No referral now
    section: Appendix A
    actions: ["Keep the child's needs under review (page 3)."]
    contacts: []
"""


@pytest.fixture
def borough(flows: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (flows / "borough.yaml").write_text(FLOW, encoding="utf-8")
    contacts = flows / "contacts.yaml"
    contacts.write_text(contacts.read_text(encoding="utf-8").rstrip() + "\n" + CONTACTS, encoding="utf-8")
    monkeypatch.setenv("DECISION_TREES_FLOWS_DIR", str(flows))
    return flows


def test_the_area_validates_with_no_error(cli: Cli, borough: Path) -> None:
    found = json.loads(cli("validate", str(borough), "--format", "json").stdout)["findings"]
    assert [f for f in found if f["severity"] == "error"] == []


@pytest.mark.parametrize(
    ("now", "first", "office"),
    [
        ("2026-12-08T16:45", "area-front-door", True),  # a Tuesday: open until 5pm
        ("2026-12-11T16:45", "area-night-team", False),  # a Friday: the front door closed at 4:30pm
        ("2026-12-11T16:15", "area-front-door", True),
        ("2026-12-12T10:00", "area-night-team", False),  # a Saturday
        ("2026-12-25T10:00", "area-night-team", False),  # a bank holiday
    ],
)
def test_each_service_keeps_its_own_hours_day_by_day(cli: Cli, borough: Path, now: str, first: str, office: bool) -> None:  # fmt: skip
    summary = cli.walk_json("borough-referral", "yes", now=now)
    assert summary["card"]["call"]["id"] == first and summary["office_hours"] is office
    assert summary["office_hours_assumed"] is False  # the hours are published
    front = next(c for c in summary["contacts"] if c["id"] == "area-front-door")
    assert "Friday 8am to 4:30pm" in front["availability"] and "not published" not in front["availability"]
    assert front["hours_source"] == "the Borough's published protocol, Appendix A"
    assert summary["hours_basis"] is None  # no word of the contacts file's assumed office hours


def test_a_deadline_of_working_days_passes_over_weekends_and_quotes_only_the_protocol(cli: Cli, borough: Path) -> None:  # fmt: skip
    (deadline,) = cli.walk_json("borough-referral", "yes", now="2026-12-11T15:00")["deadlines"]
    assert deadline["due_text"] == "3pm on Monday 14 December 2026 (GMT)"  # Friday 3pm, one working day on
    assert deadline["counting"].endswith("(this tool’s reading of the protocol’s “within one working day”)")
    (christmas,) = cli.walk_json("borough-referral", "yes", now="2026-12-24T11:00")["deadlines"]
    assert christmas["due_text"] == "11am on Tuesday 29 December 2026 (GMT)"  # the 25th and 28th are bank holidays


def test_a_follow_up_by_form_is_on_the_card_and_in_the_calendar_and_drafts_no_email(cli: Cli, borough: Path, tmp_path: Path) -> None:  # fmt: skip
    summary = cli.walk_json("borough-referral", "yes", now="2026-12-11T15:00")
    (deadline,) = summary["deadlines"]
    assert deadline["follow_up"] == "form" and deadline["drafted"] is False
    assert deadline["follow_up_address"] == "https://borough.example.gov.uk/refer"
    assert "Online form: https://borough.example.gov.uk/refer." in summary["card"]["by"][0]["note"]
    import icalendar

    ics = tmp_path / "due.ics"
    result = cli("walk", "borough-referral", "--answers", "yes", "--now", "2026-12-11T15:00", "--calendar", str(ics))
    assert result.exit_code == 0, result.stderr
    (event,) = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert "Use the online form at https://borough.example.gov.uk/refer." in str(event["description"])
    draft = tmp_path / "d.eml"
    cli("walk", "borough-referral", "--answers", "yes", "--email-draft", str(draft))
    assert not draft.exists()  # nothing to email: the flow says a form


def test_a_phone_menu_and_a_fallback_line_are_shown_wherever_the_number_is(cli: Cli, borough: Path) -> None:
    summary = cli.walk_json("borough-referral", "yes", now="2026-12-08T10:00")
    assert summary["card"]["call"]["phones"] == [
        "0300 555 0101, then select option 2",
        "0300 555 0199 (only if the line above is engaged for over 10 minutes)",
    ]
    for fmt in ("text", "markdown"):
        walked = cli("walk", "borough-referral", "--answers", "yes", "--now", "2026-12-08T10:00", "--format", fmt, "--details")  # fmt: skip
        out = " ".join(walked.stdout.split())
        assert "0300 555 0101, then select option 2" in out and "engaged for over 10 minutes" in out


def test_citations_as_the_document_writes_them_and_paraphrase_unquoted(cli: Cli, borough: Path) -> None:
    summary = cli.walk_json("borough-referral", "yes")
    assert [a["source"]["section"] for a in summary["actions"]] == ["Appendix A", "para 4.2"]
    assert summary["outcome"]["verbatim"] is False
    text = cli("walk", "borough-referral", "--answers", "yes", "--details").stdout
    assert "“Refer by phone now" not in text


def test_a_box_saying_working_days_needs_that_deadline(cli: Cli, borough: Path) -> None:
    (borough / "borough.yaml").write_text(FLOW.replace("within: 1wd", "within: 24h"), encoding="utf-8")
    result = cli("validate", str(borough))
    assert "[I4" in result.stdout and "no deadline is 1wd" in result.stdout


def test_a_partnerships_file_may_add_a_contact(cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "ours.yaml"
    entry = (
        "contacts:\n  our-helpline:\n    name: Our own helpline\n    phones: ['0300 555 0303']\n    hours: always\n"
        "    source: our partnership's directory\n    checked: {date: 2026-11-01, by: Us, against: our directory}\n"
    )
    local.write_text(entry, encoding="utf-8")
    listed = json.loads(cli("contacts", "--format", "json", "--contacts", str(local)).stdout)
    assert listed["contacts"]["our-helpline"]["listed_in"] == str(local)
    broken = tmp_path / "broken.yaml"
    broken.write_text(entry.replace("hours: always", "hours: office\n    out_of_hours: nobody"), encoding="utf-8")
    refused = cli("contacts", "check", "--contacts", str(broken))
    assert refused.exit_code != 0 and "nobody" in refused.stderr + refused.stdout


def test_one_bad_number_is_one_error(cli: Cli, flows: Path) -> None:
    contacts = flows / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8").replace('phones: ["020 7974 3317"]', 'phones: ["call 3317"]')
    contacts.write_text(text, encoding="utf-8")
    found = json.loads(cli("validate", str(flows), "--format", "json").stdout)["findings"]
    errors = [f for f in found if f["severity"] == "error"]
    assert len(errors) == 1 and errors[0]["rule"] == "schema" and errors[0]["file"].endswith("contacts.yaml")


def _area_words() -> set[str]:
    """Every bundled area's name, its services' names, numbers and emails, as its files give them."""
    library = load()
    danger = library.directory.immediate_danger.contact
    words = {flow.source.area for flow in library.flows.values() if flow.source.area}
    for contact_id, contact in library.directory.contacts.items():
        if contact_id != danger and not contact.national:
            words |= {contact.name, *contact.digits, *([contact.email] if contact.email else [])}
    return {w for w in words if w}


GENERIC_DOCS = ("authoring.md", "python-api.md", "json-formats.md", "development.md", "performance.md")


def test_no_area_is_named_in_the_tools_own_words(cli: Cli) -> None:
    import typer.main

    from cli import app

    words = _area_words()
    assert {"Camden", "Wiltshire", "020 7974 3317", "0300 456 0108"} <= words  # the test can fail
    package = Path(decision_trees.__file__).parent
    sources = [*package.rglob("*.py"), *package.rglob("*.json"), package / "output" / "walkthrough.html"]
    sources += [ROOT / "cli.py", *(ROOT / "docs" / name for name in GENERIC_DOCS)]
    found = {str(path): [w for w in words if w in path.read_text(encoding="utf-8")] for path in sources}
    assert {path: hits for path, hits in found.items() if hits} == {}
    group = typer.main.get_command(app)
    for name in [None, *getattr(group, "commands", {})]:
        shown = cli(*([name] if name else []), "--help").stdout
        assert [w for w in words if w in shown] == [], name
    assert not re.search(r"appendix-\d", " ".join(cli("walk", "--help").stdout.split()))


def test_a_partnerships_own_wording_is_a_file_beside_its_flows(cli: Cli, flows: Path) -> None:
    (flows / "phrasebook.json").write_text(
        json.dumps({"card": {"now": "Do now"}, "disclaimer": "Use your professional judgement: this tool only helps."}),
        encoding="utf-8",
    )
    shown = cli("walk", "appendix-4", "--answers", "yes,yes", "--flows-dir", str(flows)).stdout
    assert "Do now" in shown and "Use your professional judgement: this tool only helps." not in shown
    summary = json.loads(cli("walk", "appendix-4", "--answers", "yes,yes", "--flows-dir", str(flows), "--format", "json").stdout)  # fmt: skip
    assert summary["disclaimer"] == "Use your professional judgement: this tool only helps."
    (flows / "phrasebook.json").write_text(json.dumps({"card": {"nowt": "x", "now": "{when} now"}}), encoding="utf-8")
    refused = cli("walk", "appendix-4", "--answers", "yes,yes", "--flows-dir", str(flows))
    assert refused.exit_code != 0 and "card.nowt is not a sentence of the tool" in refused.stderr
    found = json.loads(cli("validate", str(flows), "--format", "json").stdout)["findings"]
    assert any(f["file"].endswith("phrasebook.json") and f["severity"] == "error" for f in found)
