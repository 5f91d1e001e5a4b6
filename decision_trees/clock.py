"""UK time: parsing --now, deadlines as absolute times, office hours and bank holidays."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import FlowDataError, UsageError
from .models import OfficeHours

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DURATION = re.compile(r"^([1-9][0-9]*)\s*(h|d|m)$")

# GOV.UK's division names, as used by the `holidays` package's subdivisions of GB.
HOLIDAY_SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


@lru_cache(maxsize=8)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FlowDataError(f"unknown time zone {name!r} (use an IANA name such as Europe/London)") from None


def parse_now(text: str, tz: ZoneInfo) -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is read as local time in `tz`."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--now {text!r} is not a date and time; use ISO 8601, for example --now 2026-11-23T14:30"
        ) from None
    if when.tzinfo is None:
        return when.replace(tzinfo=tz)
    return when.astimezone(tz)


def parse_duration(text: str) -> Callable[[dt.datetime], dt.datetime]:
    """`48h` or `90m` is elapsed time (right across a clock change); `2d` is the same local time 2 days on."""
    match = _DURATION.match(text.strip())
    if not match:
        raise FlowDataError(f"deadline {text!r} is not a duration such as 48h, 90m or 2d")
    amount, unit = int(match[1]), match[2]
    if unit == "d":
        return lambda start: (start.replace(tzinfo=None) + dt.timedelta(days=amount)).replace(tzinfo=start.tzinfo)
    step = dt.timedelta(hours=amount) if unit == "h" else dt.timedelta(minutes=amount)
    return lambda start: (start.astimezone(dt.UTC) + step).astimezone(start.tzinfo)


def due_at(start: dt.datetime, within: str) -> dt.datetime:
    return parse_duration(within)(start)


def describe(when: dt.datetime) -> str:
    """`Wed 25 Nov 2026, 14:30 GMT`: English names whatever the locale, with the zone's abbreviation."""
    return (
        f"{_DAYS[when.weekday()]} {when.day} {_MONTHS[when.month - 1]} {when.year}, "
        f"{when:%H:%M} {when.tzname() or ''}".rstrip()
    )


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


class OfficeCalendar:
    """When services that keep office hours are open: weekdays and times, less bank holidays."""

    def __init__(self, hours: OfficeHours, bank_holidays: Collection[dt.date], years: Collection[int]) -> None:
        self.tz = zone(hours.timezone)
        self.days = {_DAYS.index(day) for day in hours.days}
        self.opens = _clock(hours.opens)
        self.closes = _clock(hours.closes)
        self.division = hours.bank_holiday_division
        self._holidays = set(bank_holidays)
        self._years = set(years)

    def is_bank_holiday(self, day: dt.date) -> bool:
        if day.year not in self._years:
            self._holidays.update(holidays_from_package(self.division, day.year))
            self._years.add(day.year)
        return day in self._holidays

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.days and not self.is_bank_holiday(day)

    def is_open(self, when: dt.datetime) -> bool:
        local = when.astimezone(self.tz)
        return self.is_working_day(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, when: dt.datetime) -> dt.datetime:
        """The next time offices open after `when` (which should be outside office hours)."""
        local = when.astimezone(self.tz)
        day = local.date()
        if local.time() >= self.opens:
            day += dt.timedelta(days=1)
        for _ in range(370):
            if self.is_working_day(day):
                return dt.datetime.combine(day, self.opens, tzinfo=self.tz)
            day += dt.timedelta(days=1)
        raise FlowDataError("office hours never open: check office_hours.days in the contacts file")


def holidays_from_package(division: str, year: int) -> dict[dt.date, str]:
    """Bank holidays of one year from the maintained `holidays` package, for years the table lacks."""
    import holidays  # imported here: it is slow, and the shipped table covers the usual years

    subdivision = HOLIDAY_SUBDIVISIONS.get(division)
    if subdivision is None:
        raise FlowDataError(f"bank holiday division {division!r} is not one of {', '.join(HOLIDAY_SUBDIVISIONS)}")
    return dict(holidays.country_holidays("GB", subdiv=subdivision, years=year))
