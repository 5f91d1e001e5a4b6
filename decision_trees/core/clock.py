"""UK time: parsing --now, deadlines as absolute times, office hours and bank holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from functools import lru_cache

from decision_trees.core.errors import FlowDataError, UsageError, option
from decision_trees.core.models import OfficeHours

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# GOV.UK's division names, as used by the `holidays` package's subdivisions of GB.
HOLIDAY_SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


@lru_cache(maxsize=8)
def zone(name: str) -> dt.tzinfo:
    """The IANA time zone `name` from the zone database."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FlowDataError(f"unknown time zone {name!r} (use an IANA name such as Europe/London)") from None


FIRST_YEAR, LAST_YEAR = 2000, 2099  # the years a fixed clock may name: deadlines and holidays stay in range


def parse_now(text: str, tz: dt.tzinfo, name: str = "now") -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is read as local time in `tz`. A local time the
    clocks skip is refused; a repeated one is read as the first (see `ambiguity`). `name`: the input
    it came from, as errors name it."""
    given = option(name)
    if not text.strip():
        raise UsageError(
            f"{given} is empty; give a date and time, for example {given} 2026-11-23T14:30, or leave it out"
        )
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{given} {text!r} is not a date and time; use ISO 8601, for example {given} 2026-11-23T14:30"
        ) from None
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        raise UsageError(f"{given} {text!r} is outside the years this tool handles ({FIRST_YEAR} to {LAST_YEAR})")
    if when.tzinfo is not None:
        return when.astimezone(tz)
    local = when.replace(tzinfo=tz)
    if local.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != when:
        raise UsageError(
            f"{given} {text!r} does not exist in {tz}: the clocks go forward then; "
            "give a time an hour later, or add a UTC offset such as +00:00"
        )
    return local


def ambiguity(text: str, when: dt.datetime, name: str = "now") -> str | None:
    """A note when the input `name` gave a local time that happens twice (the clocks going back),
    saying which reading was taken; None otherwise."""
    if dt.datetime.fromisoformat(text.strip()).tzinfo is not None:
        return None  # an offset was given: nothing to choose
    other = when.replace(fold=1 - when.fold)
    if other.utcoffset() == when.utcoffset():
        return None
    return (
        f"{option(name)} {text.strip()} happens twice in {when.tzinfo} as the clocks go back; "
        f"took the first, {when.isoformat(timespec='minutes')} ({when.tzname()}). For the second, give "
        f"{option(name)} {other.astimezone(dt.UTC).astimezone(when.tzinfo).isoformat(timespec='minutes')}"
    )


# The longest a flow may give for a deadline: a year, in each unit. Anything longer is a typing
# error, and would carry a due date past any calendar (2147483648h, 99999999d).
LONGEST = {"h": 366 * 24, "d": 366, "m": 366 * 24 * 60}


def duration(text: str) -> tuple[int, str] | None:
    """`48h` as (48, "h"): a whole number (no leading 0) of at most a year, then h, d or m; else None."""
    text = text.strip()
    amount, unit = text[:-1].rstrip(), text[-1:]
    if unit not in ("h", "d", "m") or not (amount.isascii() and amount.isdigit()) or amount.startswith("0"):
        return None
    if len(amount) > 7 or int(amount) > LONGEST[unit]:
        return None
    return int(amount), unit


def parse_duration(text: str) -> Callable[[dt.datetime], dt.datetime]:
    """`48h` or `90m` is elapsed time (right across a clock change); `2d` is the same local time 2 days on."""
    found = duration(text)
    if found is None:
        raise FlowDataError(
            f"deadline {text[:40]!r} is not a duration such as 48h, 90m or 2d, of at most a year "
            f"({LONGEST['h']}h, {LONGEST['d']}d or {LONGEST['m']}m)"
        )
    amount, unit = found
    if unit == "d":
        return lambda start: (start.replace(tzinfo=None) + dt.timedelta(days=amount)).replace(tzinfo=start.tzinfo)
    step = dt.timedelta(hours=amount) if unit == "h" else dt.timedelta(minutes=amount)
    return lambda start: (start.astimezone(dt.UTC) + step).astimezone(start.tzinfo)


def due_at(start: dt.datetime, within: str) -> dt.datetime:
    return parse_duration(within)(start)


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def clock_time(when: dt.datetime | dt.time) -> str:
    """GOV.UK style: `9am`, `2:30pm`, `midday`, `midnight`."""
    if when.minute == 0 and when.hour in (0, 12):
        return "midnight" if when.hour == 0 else "midday"
    hour = when.hour % 12 or 12
    suffix = "am" if when.hour < 12 else "pm"
    return f"{hour}{suffix}" if when.minute == 0 else f"{hour}:{when.minute:02d}{suffix}"


def describe_day(day: dt.date) -> str:
    """`Wednesday 25 November 2026`, in English whatever the locale."""
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def describe(when: dt.datetime) -> str:
    """`2:30pm on Wednesday 25 November 2026 (GMT)`: GOV.UK style, with the zone's abbreviation so
    that a deadline across a clock change reads right."""
    zone_name = f" ({when.tzname()})" if when.tzname() else ""
    time = clock_time(when)
    joint = " at the start of " if time == "midnight" else " on "
    return f"{time}{joint}{describe_day(when.date())}{zone_name}"


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


class OfficeCalendar:
    """When services that keep office hours are open: weekdays and times, less bank holidays."""

    def __init__(
        self,
        hours: OfficeHours,
        bank_holidays: Collection[dt.date],
        tz: dt.tzinfo | None = None,
    ) -> None:
        self.tz = tz or zone(hours.timezone)
        self.days = {_DAYS.index(day) for day in hours.days}
        self.opens = _clock(hours.opens)
        self.closes = _clock(hours.closes)
        self.division = hours.bank_holiday_division
        self._holidays = set(bank_holidays)
        self._years = {day.year for day in self._holidays}  # the years the table covers

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

    def closing(self, when: dt.datetime) -> dt.datetime:
        """When offices close on the day of `when` (which should be inside office hours)."""
        local = when.astimezone(self.tz)
        return dt.datetime.combine(local.date(), self.closes, tzinfo=self.tz)

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
