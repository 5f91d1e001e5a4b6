"""Many walks of one flow in one process: JSON lines in, one JSON result a line out, in input order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import msgspec

from decision_trees.core.answers import feed_from, walk_scripted
from decision_trees.core.clock import OfficeCalendar
from decision_trees.core.errors import DecisionTreesError, FlowDataError, UsageError
from decision_trees.core.models import Directory, Flow
from decision_trees.core.record import check_case_ref
from decision_trees.core.summary import ContactsFile, Summary, summarise
from decision_trees.data.library import Library


class Case(msgspec.Struct, forbid_unknown_fields=True):
    """One input line: `{"case_ref": "C1", "answers": "yes,no,yes,high"}` or answers by node id, and
    optionally `"now"`: the time of that referral, so that a past case's deadlines are its own."""

    answers: str | list[str] | dict[str, str]
    case_ref: str | None = None
    now: str | None = None


class CaseError(msgspec.Struct):
    line: int
    case_ref: str | None
    error: str
    exit_code: int


MAX_LINE_BYTES = 1024 * 1024  # a case is a few hundred bytes; a longer line is refused, not read whole
TOO_LONG = b"\x00too-long"
MAX_MESSAGE = 500

_encode = msgspec.json.Encoder().encode


def bounded_lines(source: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """The lines of `source`, never reading more than `limit` bytes into one: a longer line is
    yielded as `TOO_LONG`, and the rest of it skipped."""
    while True:
        line = source.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = source.readline(limit + 1)
            yield TOO_LONG
            continue
        yield line


def parse_case(line: bytes, number: int) -> Case:
    """One JSON line as a case; a `DecisionTreesError` naming the line when it is not one."""
    from decision_trees.data.answerfiles import parse_json

    if line == TOO_LONG:
        raise DecisionTreesError(f"line {number} is longer than {MAX_LINE_BYTES >> 20} MiB; one case a line")
    if not line.strip():
        raise DecisionTreesError(f"line {number} is blank; give one case a line (blank lines are not skipped, so "
                                 "results pair with input lines)")  # fmt: skip
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise DecisionTreesError(f"line {number} is not UTF-8 text") from None
    try:
        data = parse_json(text, "")
    except FlowDataError as exc:
        raise DecisionTreesError(f"line {number} {exc.detail}") from None
    try:
        return msgspec.convert(data, Case)
    except msgspec.ValidationError as exc:
        raise DecisionTreesError(f"line {number} is not a case: {exc}") from None


def run_batch(
    flow: Flow,
    directory: Directory,
    calendar: OfficeCalendar,
    now: dt.datetime,
    lines: Iterable[bytes],
    contacts_files: list[ContactsFile] | None = None,
) -> Iterator[tuple[bytes, bool]]:
    """Each input line's result as a JSON line, and whether it succeeded: exactly one output line
    for every input line, in order, blank and malformed ones included.

    Summaries are shared between cases that take the same route at the same time: a summary depends
    on nothing else."""
    from decision_trees.core.clock import parse_now

    by_route: dict[tuple[object, ...], Summary] = {}
    for number, line in enumerate(lines, 1):
        case_ref: str | None = None
        try:
            case = parse_case(line, number)
            if case.case_ref is not None:
                case_ref = check_case_ref(case.case_ref)  # a refused one is never echoed back
            when = parse_now(case.now, calendar.tz) if case.now is not None else now
            walk = walk_scripted(flow, feed_from(case.answers))
            key = (when, *((s.node, s.answer) for s in walk.route))
            summary = by_route.get(key)
            if summary is None:
                summary = by_route[key] = summarise(
                    flow, walk, directory, calendar, when, contacts_files=contacts_files
                )
            result: Any = msgspec.structs.replace(summary, case_ref=case_ref) if case_ref else summary
            yield _encode(result) + b"\n", True
        except DecisionTreesError as exc:
            code = 2 if exc.exit_code == 1 else exc.exit_code
            message = str(exc).replace("--now", '"now"').replace("--case-ref", '"case_ref"')
            if len(message) > MAX_MESSAGE:  # one result line stays short, whatever the case held
                message = message[: MAX_MESSAGE - 40] + f"… ({len(message):,} characters)"
            yield _encode(CaseError(number, case_ref, message, code)) + b"\n", False


Progress = Callable[[Iterable[bytes], int | None], Iterable[bytes]]


def run_file(
    library: Library, flow_name: str, cases: Path, now: str | None, *, progress: Progress | None = None
) -> int:
    """`batch`: walk every case of a JSON-lines file (`-` for stdin), writing one JSON line to stdout
    for each; returns how many failed. `progress` wraps the lines (given the file's size) to show how
    far it has got, as the terminal's progress bar does."""
    import sys

    from decision_trees.core.clock import parse_now

    flow = library.find(flow_name)
    calendar = library.calendar()
    clock = parse_now(now, calendar.tz) if now else dt.datetime.now(calendar.tz)
    if str(cases) == "-":
        source: IO[bytes] = sys.stdin.buffer
    else:
        try:
            source = cases.open("rb")
        except OSError as exc:
            raise UsageError(f"cannot read {cases}: {exc.strerror}") from None
    failed = 0
    out = sys.stdout.buffer
    with source:
        lines: Iterable[bytes] = bounded_lines(source)
        if progress is not None:
            lines = progress(lines, None if str(cases) == "-" else _size(cases))
        for data, ok in run_batch(flow, library.directory, calendar, clock, lines, library.contacts_files):
            out.write(data)
            failed += not ok
    out.flush()
    return failed


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
