"""UK time from the compiled table: the same answers as the zone database, to the second and fold."""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decision_trees.clock import TableZone, parse_now, zone_periods
from decision_trees.errors import FlowDataError
from decision_trees.loading import load_library

LONDON = ZoneInfo("Europe/London")
TABLE = TableZone("Europe/London", zone_periods("Europe/London", 2025, 2027))
QUARTER_HOUR = dt.timedelta(minutes=15)


def _same_wall(ours: dt.datetime, theirs: dt.datetime) -> None:
    assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None), (ours, theirs)
    assert ours.fold == theirs.fold, (ours, theirs)
    assert (ours.utcoffset(), ours.dst(), ours.tzname()) == (theirs.utcoffset(), theirs.dst(), theirs.tzname())


def _local_times(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    found, when = [], start
    while when < end:
        found.append(when)
        when += QUARTER_HOUR
    return found


def test_the_compiled_library_carries_the_office_hours_zone_as_a_table() -> None:
    calendar = load_library().calendar()
    assert isinstance(calendar.tz, TableZone)
    assert str(calendar.tz) == "Europe/London"
    assert load_library(use_compiled=False).calendar().tz == LONDON


@pytest.mark.parametrize("fold", [0, 1])
def test_every_quarter_hour_of_a_year_has_the_zone_database_offset(fold: int) -> None:
    # 2026 on the wall clock, both folds: the skipped hour of 29 March and the repeated one of 25 October.
    for naive in _local_times(dt.datetime(2026, 1, 1), dt.datetime(2027, 1, 1)):
        ours, theirs = naive.replace(tzinfo=TABLE, fold=fold), naive.replace(tzinfo=LONDON, fold=fold)
        assert (ours.utcoffset(), ours.dst(), ours.tzname()) == (theirs.utcoffset(), theirs.dst(), theirs.tzname()), (
            naive,
            fold,
        )


def test_every_quarter_hour_of_a_year_converts_from_utc_as_the_zone_database_does() -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for step in range(365 * 96):
        instant = start + step * QUARTER_HOUR
        _same_wall(instant.astimezone(TABLE), instant.astimezone(LONDON))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026-10-25T01:30", "2026-10-25T01:30:00+01:00"),  # the repeated hour: the first pass, in BST
        ("2026-10-25T00:30+00:00", "2026-10-25T01:30:00+01:00"),
        ("2026-10-25T01:30+00:00", "2026-10-25T01:30:00+00:00"),  # the second pass, in GMT
    ],
)
def test_the_clock_changes_read_as_the_zone_database_reads_them(text: str, iso: str) -> None:
    assert parse_now(text, TABLE).isoformat() == parse_now(text, LONDON).isoformat() == iso


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(1990, 7, 1, 12, 0),  # before the table
        dt.datetime(2025, 1, 1, 0, 30),  # inside its first day, where a wall time could lie before it
        dt.datetime(2027, 12, 31, 23, 30),  # inside its last day
        dt.datetime(2040, 10, 28, 1, 30),  # after it: the repeated hour of 2040, from the zone database
    ],
)
@pytest.mark.parametrize("fold", [0, 1])
def test_outside_its_years_the_table_defers_to_the_zone_database(when: dt.datetime, fold: int) -> None:
    ours, theirs = when.replace(tzinfo=TABLE, fold=fold), when.replace(tzinfo=LONDON, fold=fold)
    assert (ours.utcoffset(), ours.dst(), ours.tzname()) == (theirs.utcoffset(), theirs.dst(), theirs.tzname())
    instant = theirs.astimezone(dt.UTC)
    _same_wall(instant.astimezone(TABLE), instant.astimezone(LONDON))


@pytest.mark.parametrize("name", ["Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Kolkata", "Europe/Dublin"])
@given(second=st.integers(min_value=1_704_067_200, max_value=1_767_225_599))  # 2024 to 2025, UTC
def test_any_second_in_other_zones_too(name: str, second: int) -> None:
    # Half-hour summer time, a southern summer, an abolished one, and "negative" summer time (Dublin).
    database = ZoneInfo(name)
    table = _table(name)
    instant = dt.datetime.fromtimestamp(second, dt.UTC)
    _same_wall(instant.astimezone(table), instant.astimezone(database))
    for fold in (0, 1):
        naive = instant.replace(tzinfo=None, fold=fold)
        ours, theirs = naive.replace(tzinfo=table), naive.replace(tzinfo=database)
        assert (ours.utcoffset(), ours.dst(), ours.tzname()) == (theirs.utcoffset(), theirs.dst(), theirs.tzname())


@pytest.mark.parametrize("name", ["Australia/Lord_Howe", "America/Sao_Paulo", "Europe/Dublin", "Europe/London"])
def test_every_quarter_hour_around_each_change_of_other_zones(name: str) -> None:
    database, table = ZoneInfo(name), _table(name)
    changes = [dt.datetime.fromtimestamp(period[0], dt.UTC) for period in zone_periods(name, 2023, 2026)[1:-1]]
    assert changes or name == "America/Sao_Paulo"  # Brazil ended summer time in 2019
    for change in changes:
        for step in range(-12, 12):
            instant = change + step * QUARTER_HOUR
            _same_wall(instant.astimezone(table), instant.astimezone(database))
            for fold in (0, 1):
                naive = instant.astimezone(database).replace(tzinfo=None, fold=fold)
                ours, theirs = naive.replace(tzinfo=table), naive.replace(tzinfo=database)
                assert (ours.utcoffset(), ours.tzname()) == (theirs.utcoffset(), theirs.tzname()), (naive, fold)


@cache
def _table(name: str) -> TableZone:
    return TableZone(name, zone_periods(name, 2023, 2026))


def test_a_table_without_periods_is_refused() -> None:
    with pytest.raises(FlowDataError, match="no periods"):
        TableZone("Europe/London", [])


def test_fromutc_insists_on_its_own_zone() -> None:
    with pytest.raises(ValueError, match="not self"):
        TABLE.fromutc(dt.datetime(2026, 1, 1, tzinfo=LONDON))
