"""Issue 28, section 2: the advice an outside review found wanting, route by route and hour by hour.
Each test names the item it holds; section 3's checks are in test_authoring.py (BREAKS) and
test_traceable.py (CONTROLS_REMOVED), section 1's in test_practice.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import Cli

WEEKDAY = "2026-11-23T14:30"
SATURDAY = "2026-11-28T22:00"
FRIDAY_4_45 = "2026-11-27T16:45"  # a quarter of an hour before the assumed closing time


def flat(text: str) -> str:
    return " ".join(text.split())


def action_texts(summary: dict[str, Any]) -> list[str]:
    return [a["text"] for a in summary["actions"]]


def test_2_1_solihull_out_of_hours_is_the_tools_own_and_agrees_with_office_hours(cli: Cli) -> None:
    for answers in ("yes,yes", "yes,no"):
        closed = cli.walk_json("solihull", answers, now=SATURDAY)
        first = closed["actions"][0]
        assert first["source"] == {"kind": "tool", "section": None}, first  # section 7 says nothing of out of hours
        assert "says nothing of out of hours" in first["text"]
    s2_open = cli.walk_json("solihull", "yes,no", now=WEEKDAY)["actions"][0]
    assert "Do it today" in s2_open["text"] and "(section 7)" in s2_open["text"]
    s2_closed = flat(cli.walk_json("solihull", "yes,no", now=SATURDAY)["actions"][0]["text"])
    # Both say one thing: refer at the first opening; sooner only where emergency action may be necessary.
    assert "Refer as soon as they open" in s2_closed and "emergency action may be necessary" in s2_closed
    assert "do not wait for the office to open" not in s2_closed


def test_2_2_no_out_of_hours_number_is_said_plainly_with_the_way_out(cli: Cli) -> None:
    closed = cli.walk_json("solihull", "yes,yes", now=SATURDAY)
    said = " ".join(closed["closed_now"])
    assert "No out-of-hours phone number is configured for this flow" in said and "contacts file" in said
    assert "No out-of-hours phone number" not in " ".join(
        cli.walk_json("solihull", "yes,yes", now=WEEKDAY)["closed_now"]
    )
    assert "No out-of-hours phone number" not in " ".join(cli.walk_json("a4", "yes,yes", now=SATURDAY)["closed_now"])


def test_2_3_the_tools_own_sentences_and_the_hours_carry_their_source(cli: Cli) -> None:
    closed = cli.walk_json("a4", "yes,no,yes,medium", now=SATURDAY)
    edt = next(line for line in closed["closed_now"] if "is for urgent concerns about a child" in line)
    assert edt.endswith("not for a routine referral (this tool’s advice).")
    for contact in closed["contacts"]:
        assert "(this tool’s assumption)" in contact["availability"], contact["availability"]
        assert "camdenrise.co.uk, date unknown" in contact["hours_source"]
    # The email for the confirmation: where the address is printed, and the protocol's own channel.
    late = cli.walk_json("a4", "yes,no,yes,high", now="2026-11-26T20:00")
    before = late["deadlines"][0]["before_due"]
    assert "(the address as printed in the Camden joint working protocol, section 10)" in before
    assert "eCAF system" in before and "(section 20.4)" in before


def test_2_4_every_output_says_the_routes_are_a_reading_with_the_open_questions(cli: Cli, tmp_path: Path) -> None:
    for fmt in ("text", "markdown"):
        out = flat(cli("walk", "--details", "a4", "--answers", "yes,yes", "--now", WEEKDAY, "--format", fmt).stdout)
        assert "text extraction of the chart, in which the printed arrows were lost" in out, fmt
    summary = cli.walk_json("appendix-3", "yes")
    assert "not the printed arrows" in summary["flow"]["reading"] and len(summary["flow"]["open_questions"]) == 4
    solihull = cli.walk_json("solihull", "yes,yes")["flow"]
    assert "reading of the protocol’s prose" in solihull["reading"] and solihull["open_questions"]
    page = tmp_path / "a3.html"
    assert cli("export", "appendix-3", "--format", "html", "--output", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "open-questions" in html and "not the printed arrows" in html


def test_2_5_a4_3_out_of_hours_gives_the_emergency_duty_team_where_it_cannot_wait(cli: Cli) -> None:
    first = flat(cli.walk_json("a4", "yes,yes", now=SATURDAY)["actions"][0]["text"])
    assert "cannot wait until they open, phone the Emergency Duty Team now on 020 7974 4444" in first
    assert "immediately" in cli.walk_json("a4", "yes,yes", now=WEEKDAY)["actions"][0]["text"]


def test_2_6_standing_duties_on_every_end_that_needs_them(cli: Cli) -> None:
    for answers in ("no,no,yes", "yes,yes", "yes,no,no", "yes,no,yes,medium", "yes,no,yes,high"):
        notes = " ".join(n["text"] for n in cli.walk_json("a4", answers)["notes"])
        assert "will require residential treatment" in notes and "when parents leave treatment" in notes, answers
        assert "(section 5.2)" in notes and "(sections 5.2 and 18.5)" in notes
    for answers in ("yes", "no,yes", "no,no,yes", "no,no,no"):
        summary = cli.walk_json("appendix-3", answers)
        said = " ".join([*action_texts(summary), *(n["text"] for n in summary["notes"])])
        assert "follow child protection procedures (section 8.2)" in said, answers


def test_2_7_a_routine_route_at_4_45pm_on_a_friday_is_not_sent_to_the_emergency_duty_team(cli: Cli) -> None:
    for answers in ("yes,yes", "yes,no,yes,medium"):
        service = cli.walk_json("a4", answers, now=FRIDAY_4_45)["contacts"][0]
        assert "after that, phone the Emergency Duty Team" not in service["availability"]
        assert "is for urgent concerns only, not a routine referral" in service["availability"]
    urgent = cli.walk_json("a4", "yes,no,yes,high", now=FRIDAY_4_45)["contacts"][0]
    assert "after that, phone the Emergency Duty Team" in urgent["availability"]


def test_2_8_a4_6_out_of_hours_says_may_be_closed(cli: Cli) -> None:
    first = cli.walk_json("a4", "yes,no,yes,high", now=SATURDAY)["actions"][0]["text"]
    assert "may be closed now" in first and "is closed" not in first


def test_2_9_citations_say_what_the_sections_say(cli: Cli) -> None:
    a4_4 = action_texts(cli.walk_json("a4", "yes,no,no"))
    assert not any("record their answer" in text and "17.1" in text for text in a4_4)
    assert any("Record their answer" in text and text.endswith("(this tool’s advice).") for text in a4_4)
    indicators = json.loads(cli("indicators", "a4", "--format", "json").stdout)["indicators"]
    sources = {i["level"]: i["source"] for i in indicators if i["id"].startswith("section-10:")}
    assert sources == {"Low level need": "10.1", "Medium level need": "10.2", "High level need": "10.3"}
    pregnancy = next(n for n in cli.walk_json("a4", "yes,yes")["notes"] if "pregnant" in n["text"])
    assert pregnancy["source"] == {"kind": "paraphrase", "section": "section 13; section 10.2; section 10.3"}
    shown = cli.walk_json("appendix-3", "no,yes")["contacts"]
    press = next(line for c in shown for line in c["corroboration"] if "press report" in line)
    says, _, inferred = press.partition(" This project infers (not the page’s words): ")
    assert "to start in 2023." in says and "may no longer take referrals" not in says
    assert inferred.startswith("this service may no longer take referrals")


def test_2_10_noted_is_not_done_in_markdown(cli: Cli) -> None:
    out = cli("walk", "--details", "appendix-3", "--answers", "yes", "--format", "markdown").stdout
    assert "- [x]" not in out and "- [ ] Undertake Drug Use Screening Tool" in out


def test_2_12_a_replaced_number_is_shown_nowhere(cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "contacts.yaml"
    local.write_text(
        'contacts:\n  contact-service:\n    name: Front door\n    phones: ["020 7946 0001"]\n'
        "    email: front.door@example.gov.uk\n    hours: office\n    out_of_hours: emergency-duty-team\n"
        "    source: Our directory\n",
        encoding="utf-8",
    )
    for now in (WEEKDAY, SATURDAY):
        result = cli(
            "walk", "a4", "--answers", "yes,no,yes,high", "--now", now, "--format", "json", "--contacts", str(local)
        )
        assert result.exit_code == 0, result.stderr
        assert "020 7974 3317" not in result.stdout and "LBCMASHadmin" not in result.stdout, now
        assert "020 7946 0001" in result.stdout


@pytest.mark.parametrize("answers", ["no,no,yes"])
def test_1_3_a4_1_says_the_contact_service_referral_is_required_at_any_hour(cli: Cli, answers: str) -> None:
    open_ = flat(" ".join(action_texts(cli.walk_json("a4", answers, now=WEEKDAY))))
    assert "you must also refer to the Children and Families Contact Service" in open_ and "not optional" in open_
    closed = flat(" ".join(cli.walk_json("a4", answers, now=SATURDAY)["closed_now"]))
    assert "make a routine referral then" not in closed
    assert "the Contact Service referral is required, not optional" in closed and "Emergency Duty Team" in closed


@pytest.mark.parametrize(
    ("phone", "extra", "said"),
    [
        ("020 7946 00011", "", "is not the shape of a UK number"),
        ("020 7974 3318", "    document: camden-protocol\n", "is not printed in section 10 of the document's text"),
    ],
)
def test_3_a_partnerships_file_is_checked_as_the_bundled_one_is(
    cli: Cli, tmp_path: Path, phone: str, extra: str, said: str
) -> None:
    """Issue 28, section 3: `contacts check` refuses a number of the wrong shape, and one credited to the
    protocol that the protocol does not print, naming the file and line."""
    local = tmp_path / "contacts.yaml"
    local.write_text(
        f'contacts:\n  contact-service:\n    name: Front door\n    phones: ["{phone}"]\n    hours: office\n'
        f"    out_of_hours: emergency-duty-team\n    source: Camden joint working protocol, section 10\n{extra}",
        encoding="utf-8",
    )
    result = cli("contacts", "check", "--contacts", str(local))
    assert result.exit_code == 2 and f"{local}:4:" in result.stderr and said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
