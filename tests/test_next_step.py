"""Issue 13: the practitioner's next step, done. A draft of the written confirmation (.eml, never
sent) and a calendar reminder for each deadline (.ics), written like every other file."""

from __future__ import annotations

import datetime as dt
import json
import stat
from email import policy
from email.parser import BytesParser
from pathlib import Path

import icalendar
import pytest

from .conftest import NOW, Cli

A4_HIGH = ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--now", NOW]


def read_eml(path: Path) -> object:
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def test_the_email_draft_parses_back_into_the_fields(cli: Cli, tmp_path: Path) -> None:
    eml = tmp_path / "confirmation.eml"
    result = cli(
        *A4_HIGH, "--case-ref", "CR-2026/0042", "--indicator", "section-10:high:5", "--email-draft", str(eml),
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    message = read_eml(eml)
    assert message["X-Unsent"] == "1"  # Outlook and Thunderbird open it as a draft
    assert message["To"] == "LBCMASHadmin@camden.gov.uk"
    assert message["Subject"] == (
        "Confirmation of urgent referral by phone (CAF): Child protection (level 4) – urgent referral (CR-2026/0042)"
    )
    body = message.get_content()  # type: ignore[attr-defined]
    assert "the referral I made by phone at 2:30pm on Monday 23 November 2026 (GMT)" in body
    assert "to the Children and Families Contact Service (MASH) (020 7974 3317)" in body
    assert "- Does the service user have a child/ care for a child? Yes" in body
    assert "[High level need] there are clear signs of neglect" in body
    assert "- Inform the parents that a referral is being made" in body
    assert "due by 2:30pm on Wednesday 25 November 2026 (GMT)" in body
    assert "- A CAF referral, giving as much information as possible (section 10)." in body
    assert "Case reference: CR-2026/0042." in body
    assert oct(stat.S_IMODE(eml.stat().st_mode)) == "0o600"
    assert json.loads(result.stdout)["files"] == {"email_draft": str(eml)}


def test_called_at_is_when_the_phone_referral_was_made(cli: Cli, tmp_path: Path) -> None:
    eml = tmp_path / "c.eml"
    result = cli(*A4_HIGH, "--called-at", "2026-11-23T11:05", "--email-draft", str(eml), "--format", "json")
    summary = json.loads(result.stdout)
    assert summary["deadlines"][0]["due"] == "2026-11-25T11:05:00+00:00"
    assert summary["deadlines"][0]["counted_from"] == "the phone referral at 11:05am on Monday 23 November 2026 (GMT)"
    assert "by phone at 11:05am on Monday 23 November 2026 (GMT)" in read_eml(eml).get_content()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("answers", "ref"), [("yes,yes", "A4-3"), ("no,no,no", "A4-2")])
def test_a_route_without_written_confirmation_writes_nothing_and_says_so(cli: Cli, tmp_path: Path, answers: str, ref: str) -> None:  # fmt: skip
    eml, ics = tmp_path / "c.eml", tmp_path / "c.ics"
    result = cli("walk", "a4", "--answers", answers, "--now", NOW, "--email-draft", str(eml), "--calendar", str(ics))
    assert result.exit_code == 0
    assert not eml.exists() and not ics.exists()
    assert f"{ref} asks for no written confirmation; no email draft written" in result.stderr
    assert f"{ref} has no deadline; no calendar file written" in result.stderr


def test_the_calendar_has_the_due_time_across_the_clock_change(cli: Cli, tmp_path: Path) -> None:
    ics = tmp_path / "deadline.ics"
    # A referral at 10:00 on Saturday 24 October 2026 (BST) is due at 09:00 GMT on Monday 26 October.
    result = cli("walk", "a4", "--answers", "yes,no,yes,high", "--now", "2026-10-24T10:00", "--calendar", str(ics))
    assert result.exit_code == 0, result.stderr
    book = icalendar.Calendar.from_ical(ics.read_bytes())
    (event,) = book.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 10, 26, 9, 0, tzinfo=dt.UTC)
    assert str(start.tzinfo) == "Europe/London"
    assert [tz["TZID"] for tz in book.walk("VTIMEZONE")] == ["Europe/London"]
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == -dt.timedelta(hours=4)
    description = str(event["description"])
    assert "020 7974 4444" in description and "First action: Phone the Emergency Duty Team now" in description
    assert "Confirm in writing using the CAF by 9am on Monday 26 October 2026 (GMT)" in str(event["summary"])
    assert oct(stat.S_IMODE(ics.stat().st_mode)) == "0o600"


def test_drafts_are_refused_when_they_exist_and_named_in_the_record(cli: Cli, tmp_path: Path) -> None:
    eml, ics, record = tmp_path / "c.eml", tmp_path / "c.ics", tmp_path / "walk.json"
    eml.write_text("mine", encoding="utf-8")
    refused = cli(*A4_HIGH, "--email-draft", str(eml))
    assert refused.exit_code == 2 and "already exists" in refused.stderr and eml.read_text() == "mine"
    done = cli(*A4_HIGH, "--email-draft", str(eml), "--calendar", str(ics), "--record", str(record), "--force")
    assert done.exit_code == 0
    files = json.loads(record.read_text(encoding="utf-8"))["summary"]["files"]
    assert files == {"record": str(record), "email_draft": str(eml), "calendar": str(ics)}
    same = cli(*A4_HIGH, "--email-draft", str(ics), "--calendar", str(ics), "--force")
    assert same.exit_code == 2 and "name the same file" in same.stderr


def test_a_draft_that_cannot_be_written_leaves_nothing_behind(cli: Cli, tmp_path: Path, full_disk: set[str]) -> None:
    full_disk.add("c.eml")
    ics = tmp_path / "c.ics"
    result = cli(*A4_HIGH, "--calendar", str(ics), "--email-draft", str(tmp_path / "c.eml"))
    assert result.exit_code == 4 and not ics.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state"]
    assert "phone 999 now" in result.stdout
