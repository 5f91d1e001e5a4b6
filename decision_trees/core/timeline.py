"""An outcome's decision over a span of time, for a page that must decide nothing itself.

A summary at instant t depends on t in two ways only:
- through facts that stay the same between boundaries: whether offices are open, whether they
  close within half an hour, whether the service a deadline goes to is open when it falls, whether
  a contact's last check is over a year old;
- through times that move with t: when the walk ended (t itself), when each deadline falls (t plus
  an offset that changes only across a clock change), when a closed service next opens, when an
  open one closes.
So the span is cut at every boundary, each piece's facts are the core's own summary at its start,
with the moving times taken out as tokens and offsets, and pieces with the same facts share them.
The page finds the piece that holds an instant and puts the times back, formatted in UK time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from decision_trees.core.clock import OfficeCalendar, describe
from decision_trees.core.contract import ContactsFile
from decision_trees.core.decision import CLOSING_SOON, Decision, check_status, decide
from decision_trees.core.engine import Walk, ending
from decision_trees.core.models import Directory, Flow, Outcome
from decision_trees.core.summary import phrase

# Stand-ins for the moving times in the facts' sentences (a private-use character on each side).
OPENS, CLOSES = "\ue000opens\ue000", "\ue000closes\ue000"  # in words, within a sentence
OPENS_AT, CLOSES_AT = "\ue000opens-at\ue000", "\ue000closes-at\ue000"  # an ISO 8601 field's whole value
# What a page fills in for each instant, not facts: the walk's own end and the deadlines' times.
_MOVING = ("ended_at", "ended_text")


class Piece(msgspec.Struct, array_like=True, frozen=True):
    """From `start` (minutes since the Unix epoch, UTC), facts number `facts` hold, with the moving
    times of that piece: when closed services open, when open ones close, and each deadline's
    offset from the instant in minutes."""

    start: int
    facts: int
    opens: int | None
    closes: int | None
    offsets: list[int]


class Timeline(msgspec.Struct, frozen=True):
    """An outcome's decision from `start` to `end` (minutes since the Unix epoch, UTC)."""

    start: int
    end: int
    pieces: list[Piece]


def _minutes(when: dt.datetime) -> int:
    return int(when.timestamp() // 60)


def boundaries(
    calendar: OfficeCalendar, directory: Directory, end: Outcome, start: dt.datetime, until: dt.datetime
) -> list[dt.datetime]:
    """Every instant in [start, until) at which the outcome's facts may change."""
    tz = calendar.tz
    found: set[dt.datetime] = {start}
    day = start.astimezone(tz).date() - dt.timedelta(days=3)
    last = until.astimezone(tz).date() + dt.timedelta(days=3)
    offsets = [d.within for d in end.deadlines if d.send_to]
    while day <= last:
        if calendar.is_working_day(day):
            opens = dt.datetime.combine(day, calendar.opens, tzinfo=tz)
            closes = dt.datetime.combine(day, calendar.closes, tzinfo=tz)
            found |= {opens, closes, closes.astimezone(dt.UTC) - CLOSING_SOON}
            for within in offsets:  # when the deadline starts or stops falling in office hours
                found |= {_before(edge, within, tz) for edge in (opens, closes)}
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
        found.add(midnight)  # a contact's check goes overdue at the start of a day
        following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
        if midnight.utcoffset() != following.utcoffset():  # the clocks change today
            for hour in range(6):  # a deadline of days keeps its clock time, so its length changes here
                edge = midnight + dt.timedelta(hours=hour)
                found.add(edge.astimezone(dt.UTC).astimezone(tz))
                for within in (w for w in offsets if w.endswith("d")):
                    found.add(_before(edge, within, tz))
        day += dt.timedelta(days=1)
    return sorted(b.astimezone(dt.UTC) for b in found if start <= b < until)


def _before(edge: dt.datetime, within: str, tz: dt.tzinfo) -> dt.datetime:
    """The instant from which a deadline of `within` falls at `edge` (or after it)."""
    amount, unit = int(within[:-1]), within[-1]
    if unit == "d":  # the same clock time some days earlier
        local = edge.astimezone(tz)
        return dt.datetime.combine(local.date() - dt.timedelta(days=amount), local.time(), tzinfo=tz)
    # Elapsed time, so counted in UTC: an aware datetime's own arithmetic keeps the wall clock.
    return edge.astimezone(dt.UTC) - dt.timedelta(minutes=amount * (60 if unit == "h" else 1))


def outcome_timeline(
    flow: Flow,
    outcome_id: str,
    directory: Directory,
    calendar: OfficeCalendar,
    start: dt.datetime,
    until: dt.datetime,
    facts: list[dict[str, Any]],
    known: dict[str, int],
    contacts_files: list[ContactsFile] | None = None,
) -> Timeline:
    """The outcome's decision from `start` to `until`, as pieces; new facts are appended to `facts`
    (`known` maps each one's JSON to its number), so that outcomes share them."""
    end = ending(flow, outcome_id)
    walk = Walk(at=outcome_id)
    pieces: list[Piece] = []
    made: dict[bytes, int] = {}  # facts by what the decision turns on, each made once
    for at in boundaries(calendar, directory, end, start, until):
        decision = decide(flow, walk, directory, calendar, at)
        reach = [*decision.contacts, *decision.advice_contacts]
        opens = next((found.opens for found in reach if found.opens), None)
        closes = next((found.closes for found in reach if found.closes), None)
        key = _turns_on(decision, directory)
        number = made.get(key)
        if number is None:
            summary = phrase(decision, directory, walk, contacts_files=contacts_files)
            data = _facts(msgspec.to_builtins(summary), opens, closes)
            text = msgspec.json.encode(data).decode("utf-8")
            number = known.get(text)
            if number is None:
                number = known[text] = len(facts)
                facts.append(data)
            made[key] = number
        offsets = [_minutes(deadline.due) - _minutes(at) for deadline in decision.deadlines]
        piece = Piece(
            _minutes(at), number, _minutes(opens) if opens else None, _minutes(closes) if closes else None, offsets
        )
        if pieces and (pieces[-1].facts, pieces[-1].opens, pieces[-1].closes, pieces[-1].offsets) == (
            piece.facts,
            piece.opens,
            piece.closes,
            piece.offsets,
        ):
            continue  # the same decision as the piece before: one piece
        pieces.append(piece)
    return Timeline(_minutes(start), _minutes(until), pieces)


# The decision's fields that move with the instant: the instant itself, when closed services open and
# open ones close, when deadlines fall (and from when, and their reminders), a call's time, the day.
# Whether each is set is a fact; its value is put back by the page. Every other field is a fact.
_MOVING_TIMES = frozenset({"ended_at", "opens", "closes", "due", "counted_from", "remind_at", "done_at", "called_at"})


def _turns_on(decision: Decision, directory: Directory) -> bytes:
    """The decision less its moving times: two instants with the same of this have the same facts,
    in words too. Derived from the decision's own fields, so that a field added to it counts here."""
    fields = {
        name: getattr(decision, name) for name in decision.__struct_fields__ if name not in ("flow", "checked_on")
    }
    # The day a contact's check is judged on moves; whether each check is overdue then is a fact.
    fields["checks"] = [check_status(contact, decision.checked_on) for contact in directory.contacts.values()]
    return msgspec.json.encode(_still(msgspec.to_builtins(fields)))


def _still(value: Any) -> Any:
    """`value` with each moving time replaced by whether it is set."""
    if isinstance(value, dict):
        return {key: (item is not None if key in _MOVING_TIMES else _still(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [_still(item) for item in value]
    return value


def _facts(data: dict[str, Any], opens: dt.datetime | None, closes: dt.datetime | None) -> dict[str, Any]:
    """A summary's facts with the moving times taken out: tokens for when services open and close,
    and no end time or due times (the page puts them back for each instant)."""
    words = {describe(opens): OPENS} if opens else {}
    if closes:
        words[describe(closes)] = CLOSES
    stamps = {opens.isoformat(timespec="seconds"): OPENS_AT} if opens else {}
    if closes:
        stamps[closes.isoformat(timespec="seconds")] = CLOSES_AT

    def strip(value: Any) -> Any:
        if isinstance(value, str):
            if value in stamps:
                return stamps[value]
            for said, token in words.items():
                value = value.replace(said, token)
            return value
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()}
        return value

    facts = {k: strip(v) for k, v in data.items() if k not in _MOVING}
    for deadline in facts["deadlines"]:
        deadline.pop("due"), deadline.pop("due_text")
    return facts
