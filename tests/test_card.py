"""Issue 29, 1: every summary opens with the action card (999, Now, By, Then, the contacts), decided
by the core once and drawn first by every output; it fits 24 lines at 80 columns for every route of
every bundled flow at every kind of hour."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from decision_trees import Session, load
from decision_trees.core.card import CARD_LINES, CARD_WIDTH, brief
from decision_trees.core.cardlayout import card_lines

from .conftest import NOW, Cli

FLOWS = ("appendix-3", "appendix-4", "solihull")
# In hours; the last half hour; Friday 4:59pm; a weeknight; Saturday; a bank holiday; before opening.
KINDS_OF_HOUR = (
    "2026-11-23T14:30", "2026-11-27T16:45", "2026-11-27T16:59", "2026-11-24T20:00",
    "2026-11-28T10:00", "2026-12-25T10:00", "2026-11-30T08:59",
)  # fmt: skip


def every_route() -> list[tuple[str, list[str]]]:
    from decision_trees.session import routes

    library = load()
    return [(flow, route.answers) for flow in FLOWS for route in routes(library.find(flow))[0]]


def card_of(cli: Cli, flow: str, answers: list[str], now: str, *extra: str) -> list[str]:
    result = cli("walk", flow, "--answers", ",".join(answers), "--now", now, *extra)
    assert result.exit_code == 0, result.stderr
    card, _, after = result.stdout.rstrip("\n").rpartition("\n\n")
    assert " ".join(after.split()) == "Details and sources: add --details, or --format markdown --output FILE."
    return card.split("\n")


@pytest.mark.parametrize(("flow", "answers"), every_route())
def test_the_card_fits_24_lines_at_80_columns_at_every_kind_of_hour(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, flow: str, answers: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", str(CARD_WIDTH))
    library = load()
    for now in KINDS_OF_HOUR:
        for extra in ((), ("--called-at", "2026-11-20T09:00")):  # the call made days before: overdue
            if extra and now == NOW and flow != "appendix-4":
                continue
            shown = card_of(cli, flow, answers, now, *extra)
            assert len(shown) <= CARD_LINES, (flow, answers, now, extra, "\n".join(shown))
            assert all(len(line) <= CARD_WIDTH for line in shown)
            assert shown[0].startswith("!     If a child is in immediate danger, phone 999 now")
            # The terminal lays the card out as core/card.py's plain layout does, line for line.
            summary = Session(library, flow, answers=answers, now=now, called_at=extra[1] if extra else None).run()
            plain = card_lines(summary.summary.card, [d.due_text for d in summary.summary.deadlines])
            assert shown == plain


def test_a_card_longer_than_24_lines_fails_the_measure(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The measure can fail: at 40 columns, A3-3 out of hours is longer than the budget."""
    monkeypatch.setenv("COLUMNS", "40")
    assert len(card_of(cli, "appendix-3", ["No", "No", "Yes"], "2026-11-28T10:00")) > CARD_LINES


def summary_json(cli: Cli, answers: str, now: str = NOW, flow: str = "a4", *extra: str) -> dict[str, Any]:
    return cli.walk_json(flow, answers, *extra, now=now)


def test_in_hours_now_is_the_first_action_with_an_open_number() -> None:
    summary = Session(load(), "a4", answers="yes,no,yes,high", now=NOW).run().summary
    card = summary.card
    assert card.now is not None and card.now.startswith("Phone the Children and Families Contact Service now")
    assert card.now.endswith("already known.")  # the source is the details' ("(section 10)")
    assert card.call is not None and card.call.id == "contact-service" and card.call.phones == ["020 7974 3317"]
    assert card.wait is None
    assert [due.task for due in card.by] == ["Confirm in writing using the CAF"]
    assert [c.id for group in card.contacts for c in group.contacts] == ["emergency-duty-team"]  # each once


def test_out_of_hours_an_urgent_route_phones_the_open_cover_now() -> None:
    card = Session(load(), "a4", answers="yes,no,yes,high", now="2026-11-28T10:00").run().summary.card
    assert card.call is not None and card.call.id == "emergency-duty-team"
    assert card.now is not None and "020 7974 4444" in card.now
    assert card.call.state == "open now (hours assumed)"
    shown = [c for group in card.contacts for c in group.contacts]
    assert [c.id for c in shown] == ["contact-service"] and "may be closed now" in shown[0].state


def test_out_of_hours_a_routine_route_waits_and_names_the_cover_for_urgent_concerns_only() -> None:
    card = Session(load(), "a4", answers="yes,no,yes,medium", now="2026-11-28T10:00").run().summary.card
    assert card.call is None
    assert card.wait == (
        "The service marked closed below is assumed to open at 9am on Monday 30 November 2026 (GMT). "
        "Make a routine referral then."
    )
    states = {c.id: group.state for group in card.contacts for c in group.contacts}
    assert states["emergency-duty-team"] == "open now (hours assumed): for urgent concerns only"


def test_a_deadline_already_past_says_so_on_the_card() -> None:
    summary = Session(load(), "a4", answers="yes,no,yes,high", now=NOW, called_at="2026-11-20T09:00").run().summary
    assert summary.card.by[0].overdue and summary.card.by[0].note == "Overdue: send it now."
    assert summary.card.now is not None and summary.card.now.startswith("Confirm the referral")  # the call is made


def test_a_chart_box_noted_is_not_done() -> None:
    from decision_trees.core.card import card_rows
    from decision_trees.core.engine import begin, step
    from decision_trees.core.kinds.base import Chosen, Noted
    from decision_trees.core.summary import summarise

    library = load()
    flow = library.find("appendix-3")
    walk = step(flow, begin(flow), Noted(noted=True))  # the screening tool, noted at a terminal
    walk = step(flow, step(flow, walk, Chosen("Yes")), Noted(noted=True))
    at = dt.datetime(2026, 11, 23, 14, 30, tzinfo=library.calendar().tz)
    card = summarise(flow, walk, library.directory, library.calendar(), at).card
    said = [text for _, text in card_rows(card, [])]
    assert "[ ] “Undertake Drug Use Screening Tool with parent(s)” (noted during the walk; not done yet)" in said


def test_brief_drops_the_source_and_keeps_the_rest() -> None:
    assert brief("Phone them now (section 10).") == "Phone them now."
    assert brief("Refer (all go through it; section 10).") == "Refer."
    assert brief("Phone 999 (the number) if (x) y.") == "Phone 999 (the number) if (x) y."
    assert brief("Phone the duty desk (or its deputy).") == "Phone the duty desk (or its deputy)."  # not a source
    assert brief("Record it (this tool’s advice).") == "Record it."


def test_every_output_draws_the_card_first(cli: Cli) -> None:
    data = cli.walk_json("a4", "yes,no,yes,high")
    assert list(data)[:2] == ["schema", "card"] and data["schema"] == "decision-trees/summary/4"
    markdown = cli("walk", "a4", "--answers", "yes,no,yes,high", "--now", NOW, "--format", "markdown").stdout
    assert markdown.index("999") < markdown.index("**Now**") < markdown.index("**020 7974 3317**")
    assert markdown.index("**By**") < markdown.index("### Details") < markdown.index("### Contacts")
    details = cli("walk", "a4", "--answers", "yes,no,yes,high", "--now", NOW, "--details").stdout
    assert details.index("Now") < details.index("\nDetails\n") < details.index("Contacts")
    assert "Details and sources: add --details" not in details


def test_corroboration_is_shown_once_per_source(cli: Cli) -> None:
    for fmt in ("markdown", "json"):
        out = cli("walk", "appendix-3", "--answers", "no,no,yes", "--now", NOW, "--format", fmt).stdout
        assert out.count("Council to shell out £54m") == 1, fmt
    text = cli("walk", "appendix-3", "--answers", "no,no,yes", "--now", NOW, "--details").stdout
    assert " ".join(text.split()).count("Council to shell out £54m") == 1


def test_quiet_drops_the_unchecked_warning_but_the_json_keeps_it(cli: Cli) -> None:
    loud = cli("walk", "a4", "--answers", "yes,no,yes,high", "--now", NOW, "--format", "json")
    quiet = cli("walk", "a4", "--answers", "yes,no,yes,high", "--now", NOW, "--format", "json", "--quiet")
    assert "not checked" in loud.stderr and quiet.stderr == ""
    assert json.loads(quiet.stdout)["not_checked"] == ["contact-service", "emergency-duty-team"]


def test_help_says_what_the_short_form_leaves_out(cli: Cli) -> None:
    said = " ".join(cli("walk", "--help").stdout.split())
    assert re.search(r"--details .*each action in full with its source", said)


def test_the_card_is_measured_at_the_time_given(cli: Cli) -> None:
    """The card of a time a week on says that week's opening time, not today's."""
    later = dt.datetime.fromisoformat("2026-12-05T10:00")
    card = Session(load(), "a4", answers="yes,no,yes,medium", now=later).run().summary.card
    assert card.wait is not None and "Monday 7 December 2026" in card.wait


def test_numbers_are_the_boldest_and_nothing_is_yellow_or_dim_that_must_be_read() -> None:
    """Issue 29, 4: on a light or a dark terminal alike, a number is bold, a deadline is not yellow,
    and "not checked" is not dim."""
    import io

    from rich.console import Console

    from decision_trees.terminal.render import render, summary_renderable

    summary = Session(load(), "a4", answers="yes,no,yes,high", now=NOW).run().summary
    out = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="standard", highlight=False)
    shown = render(summary_renderable(summary), out)
    assert "\x1b[33" not in shown and "\x1b[93" not in shown  # no yellow, bright or not
    assert re.search(r"\x1b\[1m020 7974 3317\x1b\[0m", shown)  # the number alone, in bold
    assert re.search(r"\x1b\[1m2:30pm on Wednesday 25 November 2026 \(GMT\)", shown)
    for line in shown.splitlines():
        if "Not checked against a current directory" in line or "not checked in the last year" in line:
            assert "\x1b[2m" not in line, line  # never dim


def test_what_the_page_turns_on_is_every_fact_of_the_decision() -> None:
    """Issue 30, 3: the page's pieces of time are cut where the decision changes; what it turns on
    is derived from the decision's own fields (less the moving times), not kept by hand, so that a
    fact added to the decision (the card's first_to_do and phone_now, say) cuts the time too."""
    import msgspec

    from decision_trees.core.decision import Decision
    from decision_trees.core.timeline import _turns_on

    walked = Session(load(), "a4", answers="yes,no,yes,high", now="2026-11-27T16:45").run()
    key = msgspec.json.decode(_turns_on(walked.decision, load().directory))
    assert set(key) == (set(Decision.__struct_fields__) - {"flow", "checked_on"}) | {"checks"}
    assert key["ended_at"] is True and key["contacts"][0]["closes"] is True  # set, not when
    assert key["phone_now"] == "contact-service" and key["first_to_do"] == 0
