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
    assert "- Does the service user have a child/ care for a child? → Yes" in body
    assert "low, medium or high → High level need" in body  # question and answer apart (issue 23)
    assert message["Date"] == "Mon, 23 Nov 2026 14:30:00 +0000"  # mail readers list it by this
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
    result = cli(
        "walk", "--details", "a4", "--answers", answers, "--now", NOW, "--email-draft", str(eml), "--calendar", str(ics)
    )
    assert result.exit_code == 0
    assert not eml.exists() and not ics.exists()
    assert f"{ref} asks for no written confirmation; no email draft written" in result.stderr
    assert f"{ref} has no deadline; no calendar file written" in result.stderr


def test_the_calendar_has_the_due_time_across_the_clock_change(cli: Cli, tmp_path: Path) -> None:
    ics = tmp_path / "deadline.ics"
    # A referral at 10:00 on Saturday 24 October 2026 (BST) is due at 09:00 GMT on Monday 26 October.
    result = cli(
        "walk", "--details", "a4", "--answers", "yes,no,yes,high", "--now", "2026-10-24T10:00", "--calendar", str(ics)
    )
    assert result.exit_code == 0, result.stderr
    book = icalendar.Calendar.from_ical(ics.read_bytes())
    (event,) = book.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 10, 26, 9, 0, tzinfo=dt.UTC)
    assert str(start.tzinfo) == "Europe/London"
    assert [tz["TZID"] for tz in book.walk("VTIMEZONE")] == ["Europe/London"]
    (alarm,) = event.walk("VALARM")
    # No office time is left before it (a weekend): soon after the walk, counted across the clock change.
    when = start.astimezone(dt.UTC) + alarm.decoded("trigger")
    assert when == dt.datetime(2026, 10, 24, 9, 5, tzinfo=dt.UTC)
    description = str(event["description"])
    # What is due then is the written confirmation, never the call (made by then), nor "phone … now".
    assert description.startswith("Due by 9am on Monday 26 October 2026 (GMT): Confirm in writing using the CAF.")
    assert "LBCMASHadmin@camden.gov.uk" in description and "Phone" not in description
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


# Issue 20, item 3: the phone call's time.
SATURDAY_CALL = ("walk", "a4", "--answers", "yes,no,yes,high", "--called-at", "2026-11-28T10:00")


def test_a_call_after_the_walk_ended_is_refused(cli: Cli) -> None:
    result = cli(
        "walk", "--details", "a4", "--answers", "yes,no,yes,high", "--now", NOW, "--called-at", "2026-11-23T14:31"
    )
    assert result.exit_code == 2
    assert "--called-at 2:31pm on Monday 23 November 2026 (GMT) is after the walk ended" in result.stderr


def test_the_draft_names_the_service_advised_when_the_call_was_made(cli: Cli, tmp_path: Path) -> None:
    eml = tmp_path / "c.eml"
    result = cli(*SATURDAY_CALL, "--now", "2026-11-30T09:30", "--email-draft", str(eml), "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["called"] == {
        "at": "2026-11-28T10:00:00+00:00",
        "at_text": "10am on Saturday 28 November 2026 (GMT)",
        "contact": "emergency-duty-team",
        "name": "Emergency Duty Team (out of hours)",
        "phones": ["020 7974 4444"],
    }
    body = read_eml(eml).get_content()  # type: ignore[attr-defined]
    assert (
        "at 10am on Saturday 28 November 2026 (GMT) to the Emergency Duty Team (out of hours) (020 7974 4444)" in body
    )
    # The call is done: the summary does not ask for it again, in the words of Monday morning.
    (call, *_) = summary["actions"]
    assert call["noted"] and call["text"].startswith("Phoned at 10am on Saturday 28 November 2026 (GMT), as this tool")
    assert "Phone the Emergency Duty Team now" in call["text"]  # the advice as it stood on Saturday
    assert not any(
        a["text"].startswith("Phone the Children and Families Contact Service now") for a in summary["actions"]
    )


def test_a_deadline_past_at_the_end_of_the_walk_is_overdue_everywhere(cli: Cli, tmp_path: Path) -> None:
    eml, ics = tmp_path / "c.eml", tmp_path / "c.ics"
    late = ("--now", "2026-11-30T11:00")
    summary = json.loads(cli(*SATURDAY_CALL, *late, "--format", "json").stdout)
    (deadline,) = summary["deadlines"]
    assert (deadline["status"], deadline["before_due"]) == ("overdue", None)
    assert (
        deadline["late"]
        == "This is overdue: it was due by 10am on Monday 30 November 2026 (GMT), before this walk ended. Send it now."
    )
    assert deadline["late"] in " ".join(cli(*SATURDAY_CALL, *late, "--details").stdout.split())
    assert f"**{deadline['late']}**" in cli(*SATURDAY_CALL, *late, "--format", "markdown").stdout
    assert cli(*SATURDAY_CALL, *late, "--email-draft", str(eml), "--calendar", str(ics)).exit_code == 0
    assert (
        "This confirmation is late: it was due by 10am on Monday 30 November 2026 (GMT)" in read_eml(eml).get_content()
    )  # type: ignore[attr-defined]
    (event,) = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert "This is overdue" in str(event["description"])
    on_time = json.loads(cli(*SATURDAY_CALL, "--now", "2026-11-30T09:59", "--format", "json").stdout)
    assert on_time["deadlines"][0]["status"] == "due"


@pytest.mark.parametrize(
    ("now", "alarm"),
    [
        ("2026-11-23T14:30", "2026-11-25T13:30"),  # due Wednesday 2:30pm, in office hours: an hour before
        ("2026-11-27T16:30", "2026-11-27T16:45"),  # due Sunday: the last quarter hour of Friday's office hours
        ("2026-11-27T16:50", "2026-11-27T16:55"),  # no office time left before it: soon after the walk
    ],
)
def test_the_reminder_goes_off_while_the_office_is_still_open(cli: Cli, tmp_path: Path, now: str, alarm: str) -> None:
    """Issue 23: an alarm that can still be acted on, and the summary's advice for the deadline with it."""
    ics = tmp_path / "c.ics"
    result = cli(
        "walk", "--details", "appendix-4", "--answers", "yes,no,yes,high", "--now", now, "--calendar", str(ics)
    )
    assert result.exit_code == 0, result.stderr
    (event,) = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    (found,) = event.walk("VALARM")
    due = event.decoded("dtstart")
    went = (due.astimezone(dt.UTC) + found.decoded("trigger")).astimezone(due.tzinfo)
    assert went.replace(tzinfo=None) == dt.datetime.fromisoformat(alarm)
    if now == "2026-11-27T16:30":
        assert "may be closed then (hours assumed). Confirm in writing using the CAF before then" in str(
            event["description"]
        )


def _offset_by_the_files_own_rules(ics: bytes, instant: dt.datetime) -> dt.timedelta:
    """The UTC offset at `instant` by the VTIMEZONE's own rules, read as RFC 5545 says: each DTSTART
    and RDATE is a local time in force before the change (TZOFFSETFROM). Not icalendar's reading."""
    lines = ics.decode("utf-8").replace("\r\n ", "").split("\r\n")
    changes: list[tuple[dt.datetime, dt.timedelta]] = []
    part: dict[str, str] = {}

    def offset(text: str) -> dt.timedelta:
        sign = -1 if text[0] == "-" else 1
        return sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))

    for line in lines:
        if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            part = {}
        elif line in ("END:STANDARD", "END:DAYLIGHT"):
            walls = [part["DTSTART"], *filter(None, part.get("RDATE", "").split(","))]
            before, after = offset(part["TZOFFSETFROM"]), offset(part["TZOFFSETTO"])
            for wall in walls:
                local = dt.datetime.strptime(wall, "%Y%m%dT%H%M%S")
                changes.append(((local - before).replace(tzinfo=dt.UTC), after))
        elif ":" in line:
            key, _, value = line.partition(":")
            part[key.split(";")[0]] = value
    return max((c for c in changes if c[0] <= instant), key=lambda c: c[0])[1]


@pytest.mark.parametrize("now", ["2026-10-24T10:00", "2027-03-26T10:00", "2026-12-05T16:45"])
def test_the_calendars_own_time_zone_rules_agree_with_zoneinfo_on_both_change_days(
    cli: Cli, tmp_path: Path, now: str
) -> None:
    """Issue 28, 2.11: icalendar 7.3.2's VTIMEZONE put the March change at 02:00 local time; the tz
    database says 01:00. Every hour of both change days of the years around the deadline must agree."""
    from zoneinfo import ZoneInfo

    ics = tmp_path / "d.ics"
    assert (
        cli("walk", "--details", "a4", "--answers", "yes,no,yes,high", "--now", now, "--calendar", str(ics)).exit_code
        == 0
    )
    data, london = ics.read_bytes(), ZoneInfo("Europe/London")
    year = int(now[:4])
    for day in (dt.date(year, 3, 31 - (dt.date(year, 3, 31).weekday() + 1) % 7),
                dt.date(year, 10, 31 - (dt.date(year, 10, 31).weekday() + 1) % 7)):  # fmt: skip
        start = dt.datetime.combine(day, dt.time(), dt.UTC) - dt.timedelta(hours=2)
        for hour in range(28):
            instant = start + dt.timedelta(hours=hour, minutes=30)
            assert _offset_by_the_files_own_rules(data, instant) == instant.astimezone(london).utcoffset(), instant
    text = data.decode("utf-8").replace("\r\n ", "")
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    # Issue 13's numbers are back in the description: the route's contacts, each with its number.
    assert "020 7974 3317" in text.split("BEGIN:VEVENT")[1] and "020 7974 4444" in text.split("BEGIN:VEVENT")[1]
