"""Issue 21: every sentence traceable. What public pages add to a contact, kept apart from checks;
the advice route by route; and the safety invariants that `validate` enforces."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from decision_trees.core import invariants, summary
from decision_trees.core.clock import OfficeCalendar
from decision_trees.data.loading import load_library

from .conftest import PROTOCOL_DIR, Cli, edit

SATURDAY = "2026-11-28T10:00"
TREATMENT = ["icas", "specialist-drug-service", "community-drug-service", "camden-recovery-service"]

# 2. What public sources add.


@pytest.mark.parametrize("answers", ["Yes", "No,Yes", "No,No,Yes", "No,No,No"])
@pytest.mark.parametrize("now", ["2026-11-23T14:30", SATURDAY])
def test_every_appendix_3_summary_says_the_treatment_services_may_have_changed(
    cli: Cli, answers: str, now: str
) -> None:
    summary = cli.walk_json("appendix-3", answers, now=now)
    shown = {c["id"]: c for c in [*summary["contacts"], *summary["advice"]["contacts"]]}
    listed = [service for service in TREATMENT if service in shown]
    for number, service in enumerate(listed):
        said = " ".join(shown[service]["corroboration"])
        if number == 0:  # each press report given once, under the first service it speaks of
            assert "press report" in said and "23 June 2022" in said and "12 July 2024" in said
            assert "may no longer take referrals under this name and number" in said
        else:
            assert said == "" and shown[service]["corroboration_above"] == 2
        assert shown[service]["check_status"] == "not-checked"  # a press report is not a check


def test_appendix_3_lists_the_treatment_services_with_the_caution_in_every_form(cli: Cli) -> None:
    for form in ("text", "markdown"):
        out = cli("walk", "appendix-3", "--answers", "No,Yes", "--now", SATURDAY, "--format", form, "--details").stdout
        flat = " ".join(out.split())
        assert flat.count("may no longer take referrals under this name and number") == 1, form  # once a page
        assert flat.count("2 page(s) cited above speak of it too (not a check)") == 3, form


def test_camden_pages_corroborate_the_contact_service_but_are_not_a_check(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high")
    service = next(c for c in summary["contacts"] if c["id"] == "contact-service")
    said = " ".join(service["corroboration"])
    assert "https://www.camden.gov.uk/safeguarding-children" in said and "date unknown" in said
    assert "LBCMASHadmin@camden.gov.uk" in said
    assert "not a check against a current directory" in said
    assert service["check_status"] == "not-checked" and service["checked"] is None
    assert service["hours_assumed"] is True  # a page not at the council's address settles no hours


def test_the_contacts_command_shows_the_corroboration(cli: Cli) -> None:
    out = " ".join(cli("contacts").stdout.split())
    assert "A web page, “Safeguarding children”, at https://www.camden.gov.uk/safeguarding-children" in out


# 4 and 5. The safety invariants, enforced by `validate`; each hazard control removed in turn.

A4, A3, SOLIHULL, CONTACTS = "appendix-4.yaml", "appendix-3.yaml", "solihull-threshold.yaml", "contacts.yaml"
A4_6_CALL = (
    "      - text: Phone the Children and Families Contact Service now on {phone:contact-service} to make an urgent "
    "referral, and ask whether the family is already known (section 10).\n"
    "        out_of_hours: Phone the Emergency Duty Team now on {phone:emergency-duty-team} to make an urgent referral "
    "(the Contact Service may be closed now, as its hours are assumed), and ask whether the family is already known "
    "(section 10).\n"
    "        call: true\n"
)
S_1_REFER = "      - text: Refer to Children’s Social Work Services now, in accordance with the LSCP’s procedures (section 7).\n"
S_1_OUT = (
    "        out_of_hours: >-\n"
    "          Children’s Social Work Services may be closed now. The protocol prints no phone numbers and\n"
    "          says nothing of out of hours: phone your local out-of-hours children’s social care service\n"
    "          (the emergency duty team) now, and refer in accordance with the LSCP’s procedures (this\n"
    "          tool’s advice).\n"
)
# (invariant, hazard, file, old text, new text): a copy of the flows with one control taken away.
CONTROLS_REMOVED = [
    ("I1", "H5", CONTACTS, '    phones: ["999"]\n    hours: always\n', '    phones: ["999"]\n    hours: office\n'),
    (
        "I2",
        "H5",
        A4,
        A4_6_CALL,
        "      - Phone the Children and Families Contact Service now on {phone:contact-service} to make an urgent "
        "referral.\n",
    ),
    ("I2", "H5", CONTACTS, "    out_of_hours: emergency-duty-team\n", ""),
    # Adult treatment services alone: out of hours, a route names no open number (H18).
    ("I2", "H5", A3, "camden-recovery-service, emergency-duty-team]", "camden-recovery-service]"),
    ("I2", "H5", SOLIHULL, S_1_REFER + S_1_OUT, "      - Refer to Children’s Social Work Services now (section 7).\n"),
    ("I3", "H5", CONTACTS, "    hours: out-of-hours\n", "    hours: office\n"),
    # Issue 31: a service's own hours, day by day. A Friday hour with no service open is found at the
    # times it opens and closes, which the grid of every hour alone would pass over.
    ("I2", "H5", CONTACTS, 'Fri: ["00:00-09:00", "16:00-24:00"]', 'Fri: ["00:00-09:00", "16:30-24:00"]'),
    ("I4", "H4", A4, "within: 48h", "within: 72h"),
    ("I6", "H1", A4, "(section 13).", "."),
    # Issue 28, section 3: I5 and I6 on every sentence a flow supplies, and on the 999 line.
    (
        "I5",
        "H12",
        A4,
        "(the Contact Service may be closed now, as its hours are assumed)",
        "(the Contact Service is closed)",
    ),
    (
        "I6",
        "H1",
        A4,
        "when_closed: contact the allocated worker then; the Contact Service can tell you who it is (section 10)",
        "when_closed: contact the allocated worker then; the Contact Service can tell you who it is",
    ),
    (
        "I6",
        "H1",
        A4,
        "and ask whether the family is already known (section 10).\n        out_of_hours",
        "and ask whether the family is already known.\n        out_of_hours",
    ),
    ("I6", "H1", CONTACTS, "phone 999 now (national practice; this tool’s advice).", "phone 999 now."),
    (
        "I7",
        "H9",
        CONTACTS,
        "name: Emergency Duty Team (out of hours)",
        'name: "Emergency Duty Team\\u202e (out of hours)"',
    ),
    (
        "I8",
        "H11",
        CONTACTS,
        "    out_of_hours: emergency-duty-team\n",
        "    out_of_hours: emergency-duty-team\n    national: true\n",
    ),
    (
        "I8",
        "H11",
        CONTACTS,
        "    out_of_hours: emergency-duty-team\n",
        "    out_of_hours: emergency-duty-team\n    checked: {date: 2099-01-01, by: Someone, against: A directory}\n",
    ),
]


def validate_json(cli: Cli, flows: Path) -> tuple[int, list[dict[str, Any]]]:
    result = cli("validate", str(flows), "--format", "json", "--today", "2026-12-02")
    return result.exit_code, json.loads(result.stdout)["findings"]


@pytest.mark.parametrize(
    ("invariant", "hazard", "file", "old", "new"), CONTROLS_REMOVED, ids=[f"{c[0]}-{c[2]}" for c in CONTROLS_REMOVED]
)
def test_removing_a_control_fails_validate_with_its_hazard(
    cli: Cli, flows: Path, invariant: str, hazard: str, file: str, old: str, new: str
) -> None:
    assert validate_json(cli, flows)[0] == 1  # only the warnings of unchecked contacts, before the change
    assert not [f for f in validate_json(cli, flows)[1] if f["severity"] == "error"]
    line = edit(flows / file, old, new)
    code, found = validate_json(cli, flows)
    assert code == 1
    hits = [f for f in found if f["rule"] == invariant]
    assert hits, found
    assert {f["hazard"] for f in hits} == {hazard} and {f["severity"] for f in hits} == {"error"}
    # At the line of what breaks it: the edit itself, or what relies on it (the cover a service names).
    assert all(isinstance(f["line"], int) for f in hits), hits
    if invariant in ("I4", "I6", "I7", "I8"):
        assert any(abs(f["line"] - line) <= 3 for f in hits), (hits, line)
    text = cli("validate", str(flows), "--today", "2026-12-02").stdout
    assert f"[{invariant}, hazard {hazard}]" in text


def test_the_hazard_log_names_an_invariant_for_each_one_validate_enforces() -> None:
    log = (Path(__file__).resolve().parents[1] / "docs" / "safety" / "hazard-log.md").read_text(encoding="utf-8")
    for invariant, (hazard, _) in invariants.INVARIANTS.items():
        section = log.split(f"## {hazard} ")[1].split("\n## ")[0]
        assert f"invariant {invariant}" in section, (invariant, hazard)


def test_assumed_hours_that_read_as_certain_break_i5(monkeypatch: pytest.MonkeyPatch) -> None:
    library = load_library()
    calendar = OfficeCalendar(library.directory.office_hours, library.bank_holidays)
    flow = library.flows["camden-appendix-4"]
    today = dt.date(2026, 12, 2)
    assert not invariants.check_flow(flow, library.directory, calendar, today)
    monkeypatch.setattr(summary, "_availability_words", lambda found, directory, urgent=False: "Closed now")
    assert {b.invariant for b in invariants.check_flow(flow, library.directory, calendar, today)} == {"I5"}


def test_validate_runs_the_grid_on_the_bundled_data_quickly() -> None:
    library = load_library()
    calendar = OfficeCalendar(library.directory.office_hours, library.bank_holidays)
    grid = invariants.instants(calendar, dt.date(2026, 12, 2))
    assert len(grid) > 200
    fridays = [at for at in grid if at.weekday() == 4 and (at.hour, at.minute) in ((16, 59), (17, 0))]
    assert len(fridays) == 2
    assert sum(calendar.is_bank_holiday(at.date()) for at in grid) >= 16  # 8 a year, two hours each
    assert len({at.utcoffset() for at in grid}) == 2  # both sides of the clock changes


@pytest.mark.parametrize("file", ["contacts-breaking-i3", "contacts-breaking-i2"])
def test_a_walk_with_a_contacts_file_that_breaks_i2_or_i3_is_refused(cli: Cli, tmp_path: Path, file: str) -> None:
    contact = "emergency-duty-team" if file.endswith("i3") else "contact-service"
    local = tmp_path / "contacts.yaml"
    local.write_text(
        f'contacts:\n  {contact}:\n    name: A service\n    phones: ["020 7946 0000"]\n'
        "    hours: office\n    source: our directory\n",  # the EDT in office hours (I3); the Contact Service uncovered (I2)
        encoding="utf-8",
    )
    result = cli("walk", "--details", "appendix-4", "--answers", "yes,no,yes,high", "--contacts", str(local))
    assert result.exit_code == 2
    (error,) = result.stderr.splitlines()
    assert str(local) in error and "(hazard H5)" in error and "contacts check" in error
    checked = cli("contacts", "check", "--contacts", str(local), "--format", "json")
    assert checked.exit_code == 1
    assert {b["invariant"] for b in json.loads(checked.stdout)["breaches"]} & {"I2", "I3"}


def open_questions() -> dict[str, list[str]]:
    """FLOWS.md's open questions (kept in tests/data/protocol), by appendix: the first phrase each quotes."""
    text = (PROTOCOL_DIR / "FLOWS.md").read_text(encoding="utf-8").split("## Open questions")[1]
    found: dict[str, list[str]] = {}
    for item in re.split(r"\n\d+\. ", "\n" + text.split("\n", 1)[1])[1:]:
        appendix, _, rest = item.partition(":")
        quoted = re.findall(r'"([^"]+)"', rest)
        phrase = " ".join((quoted[0] if quoted else " ".join(rest.split()[1:6])).split())  # "whether the screening …"
        found.setdefault(appendix.strip(), []).append(phrase.replace("'", "’"))
    return found


def test_each_flow_lists_the_open_questions_for_its_owner() -> None:
    """H10's control: deleting an open question from a flow's description, or from the list that every
    summary's JSON and the page carry, fails here. FLOWS.md's "Both charts" questions are both flows'."""
    library = load_library()
    flows = {"Appendix 3": library.flows["camden-appendix-3"], "Appendix 4": library.flows["camden-appendix-4"]}
    questions = open_questions()
    assert sorted(questions) == sorted([*flows, "Both charts"]) and sum(map(len, questions.values())) == 6
    for appendix, flow in flows.items():
        description = " ".join(flow.description.split()).replace("'", "’")
        listed = [" ".join(q.split()).replace("'", "’") for q in flow.open_questions]
        phrases = [*questions[appendix], *questions["Both charts"]]
        assert len(listed) == len(phrases), appendix
        for number, phrase in enumerate(phrases, 1):
            assert f"({number})" in description and phrase in description, (appendix, phrase)
            assert phrase in listed[number - 1], (appendix, phrase)
    # And the other reading of Appendix 3, in the order of the text extraction (FLOWS.md, question 5).
    assert "(3) the text extraction lists the boxes" in " ".join(flows["Appendix 3"].description.split())


# 3. Every sentence has a source.


def _flat(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).lower()


PROTOCOLS = {
    "camden": _flat((PROTOCOL_DIR / "camden-joint-working-protocol.txt").read_text(encoding="utf-8")),
    "solihull": _flat((PROTOCOL_DIR / "solihull-joint-services-protocol-10.3.txt").read_text(encoding="utf-8")),
}


def _sentences(flow: Any) -> list[str]:
    from decision_trees.core.models import Duty, Outcome

    found = [flow.advice.text, *([flow.advice.out_of_hours] if flow.advice.out_of_hours else [])]
    for node in flow.nodes.values():
        if isinstance(node, Outcome):
            for item in node.actions:
                found += item.texts if isinstance(item, Duty) else [item]
            found += node.notes
    return found


@pytest.mark.parametrize("flow_id", ["camden-appendix-3", "camden-appendix-4", "solihull-threshold"])
def test_every_quotation_in_a_flow_is_word_for_word_from_its_protocol(flow_id: str) -> None:
    flow = load_library().flows[flow_id]
    protocol = PROTOCOLS["solihull" if flow_id.startswith("solihull") else "camden"]
    quoted = [q for text in _sentences(flow) for q in re.findall(r"“([^”]+)”", text)]
    assert quoted, flow_id
    for quotation in quoted:
        assert _flat(quotation).rstrip("?.") in protocol, quotation


@pytest.mark.parametrize("answers", ["yes,no,yes,high", "yes,no,no", "no,no,yes", "yes,yes"])
def test_every_action_note_and_advice_in_the_json_carries_its_source(cli: Cli, answers: str) -> None:
    summary = cli.walk_json("appendix-4", answers, now=SATURDAY)
    said = [*summary["actions"], *summary["notes"], summary["advice"]]
    assert all(item["source"]["kind"] in ("quote", "paraphrase", "tool") for item in said)
    for item in said:
        kind, section = item["source"]["kind"], item["source"]["section"]
        if kind == "quote":  # a box's words, as printed
            assert _flat(item["text"]) in PROTOCOLS["camden"], item["text"]
        if kind in ("quote", "paraphrase"):
            assert section, item
        else:  # the tool's own says so where it is shown
            assert "this tool’s" in item["text"], item["text"]


def test_the_tools_own_sentences_are_marked_in_every_output(cli: Cli) -> None:
    text = cli("walk", "--details", "appendix-4", "--answers", "yes,no,yes,high", "--now", SATURDAY).stdout
    assert "This tool counts them from the phone call" in " ".join(text.split())
    assert "(this tool’s reading)" in " ".join(text.split())


# 1. The advice, route by route (the points not tested elsewhere).


def test_solihull_pregnancy_route_asks_for_section_5s_criteria_for_other_children(cli: Cli) -> None:
    summary = cli.walk_json("solihull", "No,Yes")
    assert summary["outcome"]["ref"] == "S-3"
    texts = " ".join(a["text"] for a in summary["actions"])
    assert "this route has not asked section 5’s criteria for them" in texts
    assert "5" in summary["read"]


def test_solihull_s_6_gives_section_2s_duty_to_share(cli: Cli) -> None:
    summary = cli.walk_json("solihull", "No,No,No")
    assert summary["outcome"]["ref"] == "S-6"
    duty = next(a for a in summary["actions"] if "duty to share" in a["text"])
    assert duty["source"] == {"kind": "paraphrase", "section": "section 2"}
    # The protocol's words (lower-cased and flattened there): "a duty to share information with ..."
    assert _flat("duty to share information with Children’s Social Work Services") in PROTOCOLS["solihull"]


@pytest.mark.parametrize("answers", ["Yes,Yes", "No,No,No"])
def test_solihull_footers_name_no_camden_team_or_contacts_file(cli: Cli, answers: str) -> None:
    summary = cli.walk_json("solihull", answers, now=SATURDAY)
    assert summary["hours_basis"] is None and summary["contacts_files"] == []
    out = cli("walk", "--details", "solihull", "--answers", answers, "--now", SATURDAY, "--format", "markdown").stdout
    assert "Emergency Duty Team is assumed" not in out and "sha256" not in out
    assert "(the hours are assumed)" in out


def test_the_draft_gives_its_lists_honest_titles(cli: Cli, tmp_path: Path) -> None:
    draft = tmp_path / "d.eml"
    cli("walk", "--details", "appendix-4", "--answers", "yes,no,yes,high", "--email-draft", str(draft))
    text = " ".join(draft.read_text(encoding="utf-8").split())
    assert "The actions on this tool's checklist (not agreed with anyone" in text
    assert "What it should contain, as the flow lists it (check it against the protocol)" in text
    assert "by the protocol:" not in text and "The actions agreed" not in text


def test_a3_2_gives_its_referral_once(cli: Cli) -> None:
    summary = cli.walk_json("appendix-3", "No,Yes")
    assert sum("Refer" in a["text"] and "service" in a["text"] for a in summary["actions"]) == 1
    assert any("no wrong door" in n["text"] for n in summary["notes"])


def test_validate_checks_the_invariants_with_a_local_contacts_file(cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "contacts.yaml"
    local.write_text(
        'contacts:\n  contact-service:\n    name: Contact Service\n    phones: ["020 7974 3317"]\n'
        "    hours: office\n    source: our directory\n",
        encoding="utf-8",
    )  # the Contact Service without its out-of-hours cover
    result = cli("validate", "--contacts", str(local), "--today", "2026-12-02", "--format", "json")
    assert result.exit_code == 1
    errors = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    assert errors and {(f["file"], f["rule"], f["hazard"]) for f in errors} == {(str(local), "I2", "H5")}
    spoofed = tmp_path / "spoofed.yaml"
    spoofed.write_text(local.read_text(encoding="utf-8").replace("name: Contact", 'name: "Contact\\u202e'), "utf-8")
    found = json.loads(cli("validate", "--contacts", str(spoofed), "--format", "json").stdout)["findings"]
    assert {(f["rule"], f["hazard"]) for f in found if f["severity"] == "error"} == {("I7", "H9")}


def test_sections_14_and_15_give_their_contacts_where_their_guidance_is_shown(cli: Cli) -> None:
    fourteen = " ".join(cli("guidance", "section-14").stdout.split())
    assert "Camden Mental Health Assessment and Advice Team: 07776 475526" in fourteen
    assert "Not checked against a current directory" in fourteen
    fifteen = " ".join(cli("guidance", "section-15").stdout.split())
    assert "Camden Safety Net" in fifteen and "CSSW MARAC coordinator: 020 7974 1833" in fifteen
    assert "the risk of violence increases during pregnancy" in fifteen


def test_a_guidance_contact_that_does_not_exist_is_found_by_validate(cli: Cli, flows: Path) -> None:
    edit(flows / "reference" / "guidance.yaml", "contacts: [mental-health-advice]", "contacts: [mh-team]")
    code, found = validate_json(cli, flows)
    assert code == 1
    assert any(f["rule"] == "unknown-contact" and "mh-team" in f["message"] for f in found)
