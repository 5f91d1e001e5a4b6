"""Many walks of one flow in one process: JSON lines in, one JSON result a line out, in input order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import msgspec

from .answers import feed_from, walk_scripted
from .clock import OfficeCalendar
from .errors import DecisionTreesError
from .models import Directory, Flow
from .record import check_case_ref
from .summary import Summary, summarise


class Case(msgspec.Struct, forbid_unknown_fields=True):
    """One input line: `{"case_ref": "C1", "answers": "yes,no,yes,high"}` or answers by node id."""

    answers: str | list[str] | dict[str, str]
    case_ref: str | None = None


class CaseError(msgspec.Struct):
    line: int
    case_ref: str | None
    error: str
    exit_code: int


_decode = msgspec.json.Decoder(Case).decode
_encode = msgspec.json.Encoder().encode


def run_batch(
    flow: Flow, directory: Directory, calendar: OfficeCalendar, now: dt.datetime, lines: Iterable[bytes]
) -> Iterator[tuple[bytes, bool]]:
    """Each input line's result as a JSON line, and whether it succeeded. Blank lines are skipped.

    Summaries are shared between cases that take the same route: with one clock for the whole batch,
    a summary depends on nothing else."""
    by_route: dict[tuple[tuple[str, str | None], ...], Summary] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        case_ref: str | None = None
        try:
            try:
                case = _decode(line)
            except msgspec.ValidationError as exc:
                raise DecisionTreesError(f"line {number} is not a case: {exc}") from None
            except msgspec.DecodeError as exc:
                raise DecisionTreesError(f"line {number} is not JSON: {exc}") from None
            case_ref = case.case_ref
            if case_ref is not None:
                check_case_ref(case_ref)
            walk = walk_scripted(flow, feed_from(case.answers))
            key = tuple((s.node, s.answer) for s in walk.route)
            summary = by_route.get(key)
            if summary is None:
                summary = by_route[key] = summarise(flow, walk, directory, calendar, now)
            result: Any = msgspec.structs.replace(summary, case_ref=case_ref) if case_ref else summary
            yield _encode(result) + b"\n", True
        except DecisionTreesError as exc:
            code = 2 if exc.exit_code == 1 else exc.exit_code
            yield _encode(CaseError(number, case_ref, str(exc), code)) + b"\n", False
