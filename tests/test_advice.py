"""Issue 10: advice a practitioner can rely on. Provenance stated so it can't be misread, assumed
hours said to be assumed, 999 first, an open number first out of hours on every route, the whole
pregnancy rule, the 48-hour deadline explained, what the tool is, and --now values that can't be right."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cli import app
from decision_trees.core.routing import all_routes
from decision_trees.data.loading import load_library

from .conftest import NOW, PROTOCOL_DIR, Cli

DANGER = "If a child is in immediate danger, phone 999 now (national practice; this tool’s advice)."  # national practice, marked as the tool’s own (FLOWS.md)

SATURDAY = "2026-11-28T10:00"  # a weekend
FRIDAY_LATE = "2026-11-27T17:01"  # a minute after the assumed closing time
BANK_HOLIDAY = "2026-12-25T11:00"
SPRING_FORWARD = "2026-03-29T10:00"  # the day the clocks go forward (a Sunday)
OUT_OF_HOURS = [SATURDAY, FRIDAY_LATE, BANK_HOLIDAY, SPRING_FORWARD]
NOT_CHECKED = "Not checked against a current directory. Check it before you rely on it."


def every_route() -> list[tuple[str, str]]:
    library = load_library()
    return [(flow.id, route.answers_option) for flow in library.flows.values() for route in all_routes(flow)]


def walk(cli: Cli, flow: str, answers: str, now: str = NOW, *extra: str) -> Any:
    result = cli("walk", "--details", flow, "--answers", answers, "--now", now, *extra)
    assert result.exit_code == 0, result.output + result.stderr
    return result


# 1. Where the numbers come from.


def test_every_copied_contact_says_it_was_not_checked(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high")
    for contact in [*summary["contacts"], *summary["advice"]["contacts"]]:
        assert contact["checked"] is None
        assert contact["check_status"] == "not-checked"
        assert contact["published"] == "undated; about 2018–19"
        assert contact["provenance"].startswith("Copied from the Camden joint working protocol, section 10")
        assert "(undated; about 2018–19)" in contact["provenance"]
        assert contact["provenance"].endswith(NOT_CHECKED)
    assert summary["not_checked"] == ["contact-service", "emergency-duty-team"]
    assert summary["flow"]["published"] == "undated; about 2018–19"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_summaries_say_so_in_words(cli: Cli, fmt: str) -> None:
    out = " ".join(walk(cli, "appendix-4", "yes,no,yes,high", NOW, "--format", fmt).stdout.split())
    assert NOT_CHECKED in out
    assert "compared with the protocol text on Monday 23 November 2026" in out
    assert "That is not a check that the protocol is still current." in out
    assert "checked 23 Nov 2026" not in out and "reviewed 23 Nov" not in out


def test_walk_warns_in_one_line_but_still_gives_the_summary(cli: Cli) -> None:
    result = walk(cli, "appendix-4", "yes,no,yes,high", NOW, "--format", "json")
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "not checked against a current directory" in warnings[0]
    assert "contact-service, emergency-duty-team" in warnings[0]
    assert json.loads(result.stdout)["contacts"][0]["phones"] == ["020 7974 3317"]


def test_a_contact_checked_recently_is_not_warned_about(cli: Cli, flows: Any) -> None:
    from .test_authoring import checked_everywhere

    checked_everywhere(flows / "contacts.yaml", "2026-11-01")
    result = walk(cli, "appendix-4", "yes,no,yes,high", NOW, "--format", "json", "--flows-dir", str(flows))
    assert "warning" not in result.stderr
    contact = json.loads(result.stdout)["contacts"][0]
    assert contact["check_status"] == "checked"
    assert contact["checked"] == {
        "date": "2026-11-01",
        "by": "Partnership business unit",
        "against": "the council's website",
    }
    assert "Last checked on Sunday 1 November 2026 by Partnership business unit" in contact["provenance"]
    checked_everywhere(flows / "contacts.yaml", "2025-06-01")
    stale = walk(cli, "appendix-4", "yes,no,yes,high", NOW, "--format", "json", "--flows-dir", str(flows))
    assert "warning" in stale.stderr
    assert json.loads(stale.stdout)["contacts"][0]["check_status"] == "overdue"


def test_contacts_and_list_say_where_each_fact_comes_from(cli: Cli) -> None:
    contacts = json.loads(cli("contacts", "--format", "json").stdout)["contacts"]
    assert contacts["contact-service"]["check_status"] == "not-checked"
    assert contacts["contact-service"]["provenance"].endswith(NOT_CHECKED)
    # 999 cites nothing the user does not have.
    assert contacts["police-emergency"]["check_status"] == "national"
    assert "FLOWS.md" not in json.dumps(contacts)
    assert "may have moved on" in contacts["uclh-midwife"]["provenance"]
    text = cli.runner.invoke(app, ["contacts"], env={"COLUMNS": "250"}).stdout
    assert "Not checked against a current directory." in text
    # Assumed hours say so, in words that hold for any area's file (issue 31, 10).
    assert "office hours (this tool’s assumption: no published hours were found for it" in text
    assert "the protocol publishes no hours" not in text
    listed = " ".join(cli("list").stdout.split())
    assert "undated; about 2018–19" in listed
    shown = " ".join(cli("show", "a4").stdout.split())
    assert "compared with the protocol text on Monday 23 November 2026" in shown


# 2. Hours the protocol doesn't give are assumptions.


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_assumed_hours_are_never_closed_now(cli: Cli, fmt: str) -> None:
    out = " ".join(walk(cli, "appendix-4", "yes,no,no", SATURDAY, "--format", fmt).stdout.split())
    assert "closed now" not in out.replace("may be closed now", "")
    assert "probably" not in out  # the README's words: "may be closed now", never "probably closed"
    assert "Its hours are not published: assumed weekdays 9am to 5pm, so it may be closed now." in out
    assert "Opening hours: The protocol publishes no opening hours." in out


def test_hours_are_marked_assumed_in_json(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,no", now=SATURDAY)
    assert all(c["hours_assumed"] for c in summary["contacts"])
    assert summary["hours_basis"].startswith("The protocol publishes no opening hours.")


# 3. 999 first.


def test_999_is_the_first_thing_a_plain_walk_shows(cli: Cli) -> None:
    result = cli("walk", "--details", "appendix-4", "--now", NOW, input="yes\nno\nyes\nhigh\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == DANGER
    assert result.stdout.index("phone 999 now") < result.stdout.index("### Actions")


def test_999_comes_before_the_choice_of_flow(cli: Cli) -> None:
    result = cli("walk", "--details", "--plain", "--now", NOW, input="2\nyes\nyes\n")
    assert result.stderr.splitlines()[0] == DANGER


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_999_heads_every_summary(cli: Cli, fmt: str) -> None:
    lines = [line for line in walk(cli, "appendix-3", "no,no,no", NOW, "--format", fmt).stdout.splitlines() if line]
    # First, or straight after the markdown's one-line heading.
    assert "If a child is in immediate danger, phone 999 now (national practice" in lines[0 if fmt == "text" else 1]


# 4. Out of hours on every route.


@pytest.mark.parametrize("now", OUT_OF_HOURS)
@pytest.mark.parametrize(("flow", "answers"), every_route())
def test_out_of_hours_every_route_gives_an_open_number_first(cli: Cli, flow: str, answers: str, now: str) -> None:
    summary = cli.walk_json(flow, answers, now=now)
    assert summary["office_hours"] is False
    for contacts in (summary["contacts"], summary["advice"]["contacts"]):
        if contacts:
            assert contacts[0]["open_now"], (flow, answers, contacts[0]["id"])
            opened = [c["open_now"] for c in contacts]
            assert opened == sorted(opened, reverse=True), "open numbers come before closed ones"
    if flow.startswith("camden"):
        # Some open number on every Camden route: the route's own or the advice's.
        assert any(c["open_now"] for c in [*summary["contacts"], *summary["advice"]["contacts"]])


def test_in_office_hours_the_contact_service_comes_first(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high")
    assert [c["id"] for c in summary["contacts"]] == ["contact-service", "emergency-duty-team"]
    assert summary["closed_now"] == []
    assert summary["actions"][0]["text"].startswith(
        "Phone the Children and Families Contact Service now on 020 7974 3317"
    )


@pytest.mark.parametrize("now", OUT_OF_HOURS)
def test_urgent_referral_out_of_hours_names_the_emergency_duty_team_first(cli: Cli, now: str) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high", now=now)
    assert summary["actions"][0]["text"].startswith("Phone the Emergency Duty Team now on 020 7974 4444")
    assert summary["closed_now"] == [
        "The Children and Families Contact Service (MASH) may be closed now (hours assumed). "
        "Phone the Emergency Duty Team (out of hours) now on 020 7974 4444 (this tool’s advice)."
    ]
    assert summary["advice"]["contacts"][0]["id"] == "emergency-duty-team"
    assert "Emergency Duty Team" in summary["advice"]["text"]


@pytest.mark.parametrize(("answers", "ref"), [("yes,no,no", "A4-4"), ("yes,no,yes,medium", "A4-5")])
def test_routine_routes_out_of_hours_say_when_the_contact_service_opens(cli: Cli, answers: str, ref: str) -> None:
    summary = cli.walk_json("appendix-4", answers, now=SATURDAY)
    assert summary["outcome"]["ref"] == ref
    (line,) = summary["closed_now"]
    assert (
        "It is assumed to open at 9am on Monday 30 November 2026 (GMT): make a routine referral then (this tool’s advice)."
        in line
    )
    assert "is for urgent concerns about a child, not for a routine referral (this tool’s advice)." in line
    assert summary["contacts"][0]["id"] == "emergency-duty-team"


def test_appendix_3_out_of_hours_puts_the_emergency_duty_team_first(cli: Cli) -> None:
    summary = cli.walk_json("appendix-3", "no,yes", now=SATURDAY)
    assert summary["contacts"][0]["id"] == "emergency-duty-team"
    (line,) = summary["closed_now"]
    assert line.startswith("The Integrated Camden Alcohol Service")
    # Issue 21: section 10 names out-of-hours cover for children's social care only, not for these.
    assert " may be closed now (hours assumed), and no out-of-hours cover is published for them." in line
    assert (
        "They are assumed to open at 9am on Monday 30 November 2026 (GMT): make a routine referral then (this tool’s advice)."
        in line
    )
    assert "The Emergency Duty Team (out of hours), on 020 7974 4444, is for urgent concerns about a child" in line
    icas = next(c for c in summary["contacts"] if c["id"] == "icas")
    assert icas["availability"].endswith("No out-of-hours cover is published for it (this tool’s assumption)")
    weekday = cli.walk_json("appendix-3", "no,yes", now="2026-11-23T16:45")  # closing soon
    icas = next(c for c in weekday["contacts"] if c["id"] == "icas")
    assert icas["availability"].endswith("It closes at 5pm (this tool’s assumption)")  # and no "after that, phone …"


def test_solihull_emergency_out_of_hours_invents_no_number(cli: Cli) -> None:
    summary = cli.walk_json("solihull", "yes,yes", now=SATURDAY)
    assert summary["outcome"]["ref"] == "S-1"
    first = summary["actions"][0]["text"]
    assert "The protocol prints no phone numbers" in first
    assert "local out-of-hours children’s social care" in first
    assert summary["contacts"] == []
    in_hours = cli.walk_json("solihull", "yes,yes")
    assert in_hours["actions"][0]["text"].startswith("Refer to Children’s Social Work Services now")


# 5. The whole pregnancy rule.


def test_a4_1_gives_the_general_rule_and_the_unborn_child_criteria(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "no,no,yes")
    conditions = summary["conditions"]
    assert len(conditions["items"]) == 6
    assert "specialist pre-birth assessment" in conditions["text"]
    assert "needs services to promote their safety and welfare (section 13)" in " ".join(conditions["text"].split())
    assert "(section 10.2)" in conditions["text"] and "(section 10.3)" in conditions["text"]
    assert {"10.2", "10.3", "13"} <= set(summary["read"])


@pytest.mark.parametrize("answers", ["yes,yes", "yes,no,no", "yes,no,yes,medium", "yes,no,yes,high"])
def test_routes_with_children_say_what_to_do_in_a_pregnancy(cli: Cli, answers: str) -> None:
    notes = " ".join(n["text"] for n in cli.walk_json("appendix-4", answers)["notes"])
    assert "If the service user or their partner is pregnant" in notes
    assert "specialist pre-birth assessment" in notes and "(section 13)" in notes


# 6. The 48-hour deadline explained.


def test_the_deadline_counts_clock_hours_and_says_so_in_every_form(cli: Cli) -> None:
    (deadline,) = cli.walk_json("appendix-4", "yes,no,yes,high")["deadlines"]
    assert "of elapsed time" in deadline["counting"] and "weekends and bank holidays" in deadline["counting"]
    # The counting is the tool's reading, and says so (issue 21, 1.7).
    # Issue 31: the quotation is the flow's `says`, the protocol's own words, never made up from `within`.
    assert "(this tool’s reading of the protocol’s “within 48 hours”)" in deadline["counting"]
    for fmt in ("text", "markdown"):
        out = " ".join(walk(cli, "appendix-4", "yes,no,yes,high", NOW, "--format", fmt).stdout.split())
        assert "Counted as 48 hours of elapsed time from the phone referral, taken as the end of this walk" in out
        assert "this tool’s reading of the protocol’s “within 48 hours”" in out


def test_a_deadline_that_falls_while_closed_says_to_email_before_it(cli: Cli) -> None:
    # Thursday 6pm: due 6pm on Saturday, when the Contact Service is closed.
    (deadline,) = cli.walk_json("appendix-4", "yes,no,yes,high", now="2026-11-26T18:00")["deadlines"]
    assert deadline["due_text"] == "6pm on Saturday 28 November 2026 (GMT)"
    assert deadline["closed_when_due"] is True
    assert "you can email it to LBCMASHadmin@camden.gov.uk" in deadline["before_due"]
    out = " ".join(walk(cli, "appendix-4", "yes,no,yes,high", "2026-11-26T18:00").stdout.split())
    assert (
        "Confirm in writing using the CAF before then: you can email it to LBCMASHadmin@camden.gov.uk (the address as printed in the Camden joint working protocol, section 10)."
        in out
    )
    (open_then,) = cli.walk_json("appendix-4", "yes,no,yes,high")["deadlines"]
    assert open_then["closed_when_due"] is False and open_then["before_due"] is None


def test_a_deadline_across_the_clock_change(cli: Cli) -> None:
    (deadline,) = cli.walk_json("appendix-4", "yes,no,yes,high", now="2026-10-24T10:00")["deadlines"]
    assert deadline["due"] == "2026-10-26T09:00:00+00:00"
    assert deadline["due_text"] == "9am on Monday 26 October 2026 (GMT)"


def test_a3_3_gives_the_early_help_escalation_route(cli: Cli) -> None:
    summary = cli.walk_json("appendix-3", "no,no,yes")
    escalation = [a["text"] for a in summary["actions"] if "7.2" in a["text"]]
    assert escalation and "refer to CSSW" in escalation[0] and "Contact Service" in escalation[0]


# 7. Say what the tool is.


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_summary_says_what_the_tool_is(cli: Cli, fmt: str) -> None:
    out = " ".join(walk(cli, "appendix-4", "no,no,no", NOW, "--format", fmt).stdout.split())
    assert "This tool helps you follow the protocol. It does not replace your professional judgement" in out


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_scripted_chart_actions_are_to_do_never_done(cli: Cli, fmt: str) -> None:
    out = walk(cli, "appendix-3", "no,no,no", NOW, "--format", fmt).stdout
    assert "(done)" not in out
    assert "(to do)" in out
    assert "[x]" not in out


def test_an_action_noted_in_an_interactive_walk_is_marked_noted() -> None:
    import datetime as dt
    import io

    from decision_trees.core.answers import Feed
    from decision_trees.core.record import Journal
    from decision_trees.terminal.interactive import walk_interactively
    from decision_trees.terminal.lineprompts import LinePrompter

    library = load_library()
    flow = library.find("appendix-3")
    journal = Journal(lambda: dt.datetime(2026, 11, 23, 14, 30, tzinfo=dt.UTC))

    def run(piped: bool) -> Any:
        answers = "no\nno\nno\n" if piped else "\nno\nno\nno\n"  # at a screen, Enter notes the action
        prompter = LinePrompter(io.StringIO(answers), io.StringIO(), piped=piped)
        return walk_interactively(
            flow, Feed(), book=library.guidance, journal=journal, ticks={}, prompter=prompter, plain=True, piped=piped
        )

    assert run(piped=False).route[0].noted is True
    assert run(piped=True).route[0].noted is False  # piped answers: nobody said they noted it


# 8. --now values that can't be right.


def test_a_time_the_clocks_skip_is_refused(cli: Cli) -> None:
    result = cli("walk", "--details", "appendix-4", "--answers", "no,no,no", "--now", "2026-03-29T01:30")
    assert result.exit_code == 2
    assert "does not exist in Europe/London" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_repeated_time_says_which_reading_it_took(cli: Cli) -> None:
    result = cli("walk", "appendix-4", "--answers", "no,no,no", "--now", "2026-10-25T01:30", "--format", "json")
    assert result.exit_code == 0
    assert "happens twice" in result.stderr and "took the first, 2026-10-25T01:30+01:00 (BST)" in result.stderr
    assert "--now 2026-10-25T01:30+00:00" in result.stderr
    assert json.loads(result.stdout)["ended_at"] == "2026-10-25T01:30:00+01:00"


@pytest.mark.parametrize(("now", "message"), [("", "--now is empty"), ("9999-12-31T23:00", "outside the years")])
def test_now_that_cannot_be_right_is_a_one_line_error(cli: Cli, now: str, message: str) -> None:
    result = cli("walk", "--details", "appendix-4", "--answers", "yes,no,yes,high", "--now", now)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# Issue 21, route by route (a start): what the protocol says for these ends, out of hours too.
PROTOCOL_TEXT = (PROTOCOL_DIR / "camden-joint-working-protocol.txt").read_text(encoding="utf-8")


def test_solihull_significant_harm_gives_an_out_of_hours_route(cli: Cli) -> None:
    weekday = cli.walk_json("solihull", "Yes,No")
    saturday = cli.walk_json("solihull", "Yes,No", now=SATURDAY)
    assert weekday["outcome"]["ref"] == saturday["outcome"]["ref"] == "S-2"
    assert weekday["actions"][0]["text"].startswith("Refer to Children’s Social Work Services")
    first = saturday["actions"][0]["text"]
    assert "local out-of-hours children’s social care service" in first and "do not wait" in first


def test_a4_5_keeps_section_17_1_on_refused_consent(cli: Cli) -> None:
    assert "If consent is refused workers should consider whether it is a proportionate response" in PROTOCOL_TEXT
    notes = [n["text"] for n in cli.walk_json("appendix-4", "yes,no,yes,medium")["notes"]]
    assert (
        "If consent is refused, consider whether a referral is still a proportionate response to safeguard the child (section 17.1)."
        in notes
    )


def test_a4_3_out_of_hours_says_to_contact_the_allocated_worker_not_to_refer(cli: Cli) -> None:
    (line,) = cli.walk_json("appendix-4", "yes,yes", now=SATURDAY)["closed_now"]
    assert "contact the allocated worker then; the Contact Service can tell you who it is (section 10)" in line
    assert "make a routine referral then" not in line
    (other,) = cli.walk_json("appendix-4", "yes,no,yes,low", now=SATURDAY)["closed_now"]
    assert "make a routine referral then" in other  # A4-4 does refer
