"""UK time: --now read as the zone database reads it, office hours, and the GOV.UK way of saying times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from decision_trees.core.clock import ambiguity, clock_time, describe, parse_now
from decision_trees.core.errors import UsageError
from decision_trees.data.loading import load_library

LONDON = ZoneInfo("Europe/London")


def test_the_library_calendar_uses_the_zone_database() -> None:
    for library in (load_library(), load_library(use_compiled=False)):
        assert library.calendar().tz == LONDON


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026-10-25T01:30", "2026-10-25T01:30:00+01:00"),  # the repeated hour: the first pass, in BST
        ("2026-10-25T00:30+00:00", "2026-10-25T01:30:00+01:00"),
        ("2026-10-25T01:30+00:00", "2026-10-25T01:30:00+00:00"),  # the second pass, in GMT
        ("2026-07-01T12:00", "2026-07-01T12:00:00+01:00"),
        ("2026-12-01T12:00Z", "2026-12-01T12:00:00+00:00"),
    ],
)
def test_now_reads_as_the_zone_database_reads_it(text: str, iso: str) -> None:
    assert parse_now(text, LONDON).isoformat() == iso


@pytest.mark.parametrize("text", ["2026-03-29T01:00", "2026-03-29T01:30", "2026-03-29T01:59"])
def test_a_time_the_clocks_skip_is_refused(text: str) -> None:
    with pytest.raises(UsageError, match="does not exist in Europe/London"):
        parse_now(text, LONDON)


def test_only_a_repeated_time_without_an_offset_is_ambiguous() -> None:
    assert ambiguity("2026-10-25T01:30", parse_now("2026-10-25T01:30", LONDON))
    assert ambiguity("2026-10-25T01:30+01:00", parse_now("2026-10-25T01:30+01:00", LONDON)) is None
    assert ambiguity("2026-10-25T02:30", parse_now("2026-10-25T02:30", LONDON)) is None


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [(9, 0, "9am"), (14, 30, "2:30pm"), (12, 0, "midday"), (0, 0, "midnight"), (12, 5, "12:05pm"), (0, 15, "12:15am")],
)
def test_times_in_gov_uk_style(hour: int, minute: int, words: str) -> None:
    assert clock_time(dt.time(hour, minute)) == words


def test_a_date_and_time_in_words() -> None:
    assert describe(dt.datetime(2026, 11, 25, 14, 30, tzinfo=LONDON)) == "2:30pm on Wednesday 25 November 2026 (GMT)"
    assert (
        describe(dt.datetime(2026, 7, 1, 0, 0, tzinfo=LONDON)) == "midnight at the start of Wednesday 1 July 2026 (BST)"
    )
