"""UK time: parsing --now, deadlines as absolute times, office hours and bank holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from functools import lru_cache

from decision_trees.core.errors import FlowDataError, UsageError, option
from decision_trees.core.models import OfficeHours, Opening
from decision_trees.words import MESSAGES
from decision_trees.words import SUMMARY as WORDS

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# GOV.UK's division names, as used by the `holidays` package's subdivisions of GB.
HOLIDAY_SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


@lru_cache(maxsize=8)
def zone(name: str) -> dt.tzinfo:
    """The IANA time zone `name` from the zone database."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FlowDataError(MESSAGES["unknown_time_zone_use_iana"].format(name=name)) from None


FIRST_YEAR, LAST_YEAR = 2000, 2099  # the years a fixed clock may name: deadlines and holidays stay in range


def parse_now(text: str, tz: dt.tzinfo, name: str = "now") -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is read as local time in `tz`. A local time the
    clocks skip is refused; a repeated one is read as the first (see `ambiguity`). `name`: the input
    it came from, as errors name it."""
    given = option(name)
    if not text.strip():
        raise UsageError(MESSAGES["empty_give_date_time_example"].format(given=given))
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(MESSAGES["not_date_time_use_iso"].format(given=given, text=text)) from None
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        raise UsageError(
            MESSAGES["outside_years_this_tool_handles"].format(
                given=given, text=text, first_year=FIRST_YEAR, last_year=LAST_YEAR
            )
        )
    if when.tzinfo is not None:
        return when.astimezone(tz)
    local = when.replace(tzinfo=tz)
    if local.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != when:
        raise UsageError(MESSAGES["does_not_exist_clocks_go"].format(given=given, text=text, zone=tz))
    return local


def ambiguity(text: str, when: dt.datetime, name: str = "now") -> str | None:
    """A note when the input `name` gave a local time that happens twice (the clocks going back),
    saying which reading was taken; None otherwise."""
    if dt.datetime.fromisoformat(text.strip()).tzinfo is not None:
        return None  # an offset was given: nothing to choose
    other = when.replace(fold=1 - when.fold)
    if other.utcoffset() == when.utcoffset():
        return None
    return MESSAGES["happens_twice_as_clocks_go"].format(
        name=option(name),
        text=text.strip(),
        zone=when.tzinfo,
        when=when.isoformat(timespec="minutes"),
        offset=when.tzname(),
        second=other.astimezone(dt.UTC).astimezone(when.tzinfo).isoformat(timespec="minutes"),
    )


# The longest a flow may give for a deadline: a year, in each unit. Anything longer is a typing
# error, and would carry a due date past any calendar (2147483648h, 99999999d).
LONGEST = {"h": 366 * 24, "d": 366, "m": 366 * 24 * 60, "wd": 262}
UNITS = ("wd", "h", "d", "m")  # working days first: "wd" ends in "d"


def duration(text: str) -> tuple[int, str] | None:
    """`48h` as (48, "h"): a whole number (no leading 0) of at most a year, then h, d, m or wd
    (working days); else None."""
    text = text.strip()
    unit = next((u for u in UNITS if text.endswith(u)), "")
    amount = text[: len(text) - len(unit)].rstrip()
    if not unit or not (amount.isascii() and amount.isdigit()) or amount.startswith("0"):
        return None
    if len(amount) > 7 or int(amount) > LONGEST[unit]:
        return None
    return int(amount), unit


def parse_duration(text: str, calendar: OfficeCalendar | None = None) -> Callable[[dt.datetime], dt.datetime]:
    """`48h` or `90m` is elapsed time (right across a clock change); `2d` is the same local time 2 days
    on; `1wd` the same local time on the next working day of `calendar` (weekends and bank holidays
    passed over)."""
    found = duration(text)
    if found is None:
        raise FlowDataError(
            MESSAGES["deadline_not_duration_such_as"].format(
                text=text[:40], hours=LONGEST["h"], days=LONGEST["d"], minutes=LONGEST["m"], working_days=LONGEST["wd"]
            )
        )
    amount, unit = found
    if unit == "wd":

        def on(start: dt.datetime) -> dt.datetime:
            if calendar is None:
                raise FlowDataError(MESSAGES["deadline_counts_working_days_which"].format(text=text))
            return calendar.working_days_on(start, amount)

        return on
    if unit == "d":
        return lambda start: (start.replace(tzinfo=None) + dt.timedelta(days=amount)).replace(tzinfo=start.tzinfo)
    step = dt.timedelta(hours=amount) if unit == "h" else dt.timedelta(minutes=amount)
    return lambda start: (start.astimezone(dt.UTC) + step).astimezone(start.tzinfo)


def due_at(start: dt.datetime, within: str, calendar: OfficeCalendar | None = None) -> dt.datetime:
    return parse_duration(within, calendar)(start)


def clock_time(when: dt.datetime | dt.time) -> str:
    """GOV.UK style, in the phrasebook's words: `9am`, `2:30pm`, `midday`, `midnight`."""
    if when.minute == 0 and when.hour in (0, 12):
        return WORDS["midnight" if when.hour == 0 else "midday"]
    minutes = "" if when.minute == 0 else f":{when.minute:02d}"
    return WORDS["am" if when.hour < 12 else "pm"].format(hour=when.hour % 12 or 12, minutes=minutes)


def describe_day(day: dt.date) -> str:
    """`Wednesday 25 November 2026`, in the phrasebook's words whatever the locale."""
    weekday = WORDS["day_names"].split()[day.weekday()]
    return WORDS["date"].format(
        weekday=weekday, day=day.day, month=WORDS["month_names"].split()[day.month - 1], year=day.year
    )


def describe(when: dt.datetime) -> str:
    """`2:30pm on Wednesday 25 November 2026 (GMT)`: GOV.UK style, with the zone's abbreviation so
    that a deadline across a clock change reads right."""
    zone_name = WORDS["zone"].format(zone=when.tzname()) if when.tzname() else ""
    key = "time_midnight" if when.hour == 0 and when.minute == 0 else "time_on"
    return WORDS[key].format(time=clock_time(when), day=describe_day(when.date()), zone=zone_name)


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


class OfficeCalendar:
    """The area's calendar: its time zone, its bank holidays (by division), and when services that
    keep the contacts file's office hours are open: weekdays and times, less bank holidays."""

    def __init__(
        self,
        hours: OfficeHours,
        bank_holidays: Collection[dt.date] | Mapping[str, Collection[dt.date]],
        tz: dt.tzinfo | None = None,
    ) -> None:
        self.tz = tz or zone(hours.timezone)
        self.days = {DAYS.index(day) for day in hours.days}
        self.opens = _clock(hours.opens)
        self.closes = _clock(hours.closes)
        self.division = hours.bank_holiday_division
        tables = bank_holidays if isinstance(bank_holidays, Mapping) else {self.division: bank_holidays}
        self._holidays = {division: set(days) for division, days in tables.items()}
        # The years each division's table covers; others come from the `holidays` package.
        self._years = {division: {day.year for day in days} for division, days in self._holidays.items()}
        self._schedules: dict[int, tuple[Opening, Schedule]] = {}

    def is_bank_holiday(self, day: dt.date, division: str | None = None) -> bool:
        division = division or self.division
        years = self._years.setdefault(division, set())
        holidays = self._holidays.setdefault(division, set())
        if day.year not in years:
            holidays.update(holidays_from_package(division, day.year))
            years.add(day.year)
        return day in holidays

    def working_days_on(self, start: dt.datetime, count: int) -> dt.datetime:
        """The same local time `count` working days after `start` (weekends and bank holidays passed over)."""
        local = start.astimezone(self.tz)
        day = local.date()
        while count:
            day += dt.timedelta(days=1)
            count -= self.is_working_day(day)
        return dt.datetime.combine(day, local.time().replace(fold=0), tzinfo=self.tz)

    def office(self) -> Schedule:
        """The office hours as a schedule."""
        spans = ((_minutes_of(self.opens), _minutes_of(self.closes)),)
        return Schedule(self, {day: spans for day in self.days}, (), {}, None)

    def always(self) -> Schedule:
        """Every hour of every day."""
        return Schedule(self, dict.fromkeys(range(7), ((0, DAY),)), ((0, DAY),), {}, None)

    def schedule(self, opening: Opening) -> Schedule:
        """A contact's own opening as a schedule, made once for each opening."""
        found = self._schedules.get(id(opening))
        if found is None or found[0] is not opening:
            found = self._schedules[id(opening)] = (opening, Schedule.of(opening, self))
        return found[1]

    def rest_of_week(self) -> Schedule:
        """Outside the office hours: the nights, weekends and bank holidays that out-of-hours cover keeps."""
        opens, closes = _minutes_of(self.opens), _minutes_of(self.closes)
        week: dict[int, Spans] = {
            day: ((0, opens), (closes, DAY)) if day in self.days else ((0, DAY),) for day in range(7)
        }
        return Schedule(self, week, ((0, DAY),), {}, None)

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
        raise FlowDataError(MESSAGES["office_hours_never_open_check"])


def holidays_from_package(division: str, year: int) -> dict[dt.date, str]:
    """Bank holidays of one year from the maintained `holidays` package, for years the table lacks."""
    import holidays  # imported here: it is slow, and the shipped table covers the usual years

    subdivision = HOLIDAY_SUBDIVISIONS.get(division)
    if subdivision is None:
        raise FlowDataError(
            MESSAGES["bank_holiday_division_not_one"].format(
                division=division, holiday_subdivisions=", ".join(HOLIDAY_SUBDIVISIONS)
            )
        )
    return dict(holidays.country_holidays("GB", subdiv=subdivision, years=year))


DAY = 24 * 60  # minutes in a day: a span that ends at midnight ends here
Spans = tuple[tuple[int, int], ...]  # minutes from midnight, the start in, the end out


def _minutes_of(when: dt.time) -> int:
    return when.hour * 60 + when.minute


def _span(text: str) -> tuple[int, int]:
    """`08:45-17:00` as minutes from midnight, (525, 1020); `24:00` as the end of the day."""
    start, end = (int(part[:2]) * 60 + int(part[3:]) for part in text.split("-"))
    return start, end


class Schedule:
    """When one service is open, day by day in the area's time zone: its spans on each weekday
    (0 is Monday), its spans on a bank holiday of its division, and dates with spans of their own."""

    def __init__(
        self,
        calendar: OfficeCalendar,
        week: dict[int, Spans],
        bank_holidays: Spans,
        dates: dict[dt.date, Spans],
        division: str | None,
    ) -> None:
        self.calendar, self.tz = calendar, calendar.tz
        self.week, self.bank_holidays, self.dates, self.division = week, bank_holidays, dates, division

    @classmethod
    def of(cls, opening: Opening, calendar: OfficeCalendar) -> Schedule:
        """A contact's own opening, as a schedule."""
        week = {DAYS.index(day): tuple(sorted(map(_span, spans))) for day, spans in opening.week.items()}
        dates = {day: tuple(sorted(map(_span, spans))) for day, spans in opening.exceptions.items()}
        holidays = tuple(sorted(map(_span, opening.bank_holidays)))
        return cls(calendar, week, holidays, dates, opening.division)

    def spans(self, day: dt.date) -> Spans:
        if day in self.dates:
            return self.dates[day]
        if self.calendar.is_bank_holiday(day, self.division):
            return self.bank_holidays
        return self.week.get(day.weekday(), ())

    def at(self, day: dt.date, minute: int) -> dt.datetime:
        """The instant `minute` minutes after the start of `day` (a minute past the day goes on to the next)."""
        return dt.datetime.combine(day + dt.timedelta(days=minute // DAY), _time(minute % DAY), tzinfo=self.tz)

    def is_open(self, when: dt.datetime) -> bool:
        local = when.astimezone(self.tz)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.spans(local.date()))

    def closing(self, when: dt.datetime) -> dt.datetime | None:
        """When a service open at `when` closes: the end of its open stretch, across midnight where the
        next day's first span starts then; None if it does not close within a week."""
        local = when.astimezone(self.tz)
        day, minute = local.date(), local.hour * 60 + local.minute
        for _ in range(8):
            end = next((e for s, e in self.spans(day) if s <= minute < e), None)
            if end is None:  # closed from here: at `when` itself, or at the midnight the stretch ended
                return self.at(day, minute)
            if end < DAY:
                return self.at(day, end)
            day, minute = day + dt.timedelta(days=1), 0
        return None

    def next_opening(self, when: dt.datetime) -> dt.datetime:
        """When a service closed at `when` next opens (within a year)."""
        local = when.astimezone(self.tz)
        day, minute = local.date(), local.hour * 60 + local.minute
        for _ in range(370):
            start = next((s for s, _ in self.spans(day) if s > minute), None)
            if start is not None:
                return self.at(day, start)
            day, minute = day + dt.timedelta(days=1), -1
        raise FlowDataError(MESSAGES["service_never_opens_coming_year"])

    def edges(self, day: dt.date) -> list[dt.datetime]:
        """Every time on `day` at which the service opens or closes."""
        return [self.at(day, minute) for span in self.spans(day) for minute in span if 0 < minute < DAY]


def _time(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)
