"""Many walks of one flow in one process: JSON lines in, one JSON result a line out, in input order."""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

import msgspec

from decision_trees.core.clock import parse_now
from decision_trees.core.errors import DecisionTreesError, UsageError
from decision_trees.core.models import Flow
from decision_trees.data.answerfiles import bounded_lines, parse_case
from decision_trees.data.library import Library
from decision_trees.session import Memo, Session, settle
from decision_trees.words import MESSAGES


class CaseError(msgspec.Struct, kw_only=True):
    """A case that could not be walked (docs/schemas/batch-error.schema.json)."""

    schema: str = "decision-trees/batch-error/1"
    line: int
    case_ref: str | None
    error: str
    exit_code: int


MAX_MESSAGE = 500

_encode = msgspec.json.Encoder().encode


def run_batch(library: Library, flow: Flow, now: dt.datetime, lines: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each input line's result as a JSON line, and whether it succeeded: exactly one output line
    for every input line, in order, blank and malformed ones included. Each case is walked by the
    same `Session` as `walk`, so a line is what `walk --format json` gives for the same case."""

    tz = library.calendar().tz
    memo: Memo = {}
    for number, line in enumerate(lines, 1):
        case_ref: str | None = None
        try:
            case = parse_case(line, number)
            setting = settle(tz, case.now if case.now is not None else now, case.called_at, case.case_ref)
            case_ref = setting.case_ref  # a refused one is never echoed back
            ordered, by_node = (None, case.answers) if isinstance(case.answers, dict) else (case.answers, None)
            session = Session(
                library,
                flow,
                answers=ordered,
                answer=by_node,
                indicators=case.indicators,
                setting=setting,
            )
            yield _encode(session.run(memo=memo).summary) + b"\n", True
        except DecisionTreesError as exc:
            code = 2 if exc.exit_code == 1 else exc.exit_code
            message = exc.said(lambda key: f'"{key}"')  # each input as the case's key names it
            if len(message) > MAX_MESSAGE:  # one result line stays short, whatever the case held
                message = message[: MAX_MESSAGE - 40] + MESSAGES["clipped_tail"].format(message_count=len(message))
            yield _encode(CaseError(line=number, case_ref=case_ref, error=message, exit_code=code)) + b"\n", False


Progress = Callable[[Iterable[bytes], int | None], Iterable[bytes]]


def run_file(
    library: Library, flow_name: str, cases: Path, now: str | None, *, progress: Progress | None = None
) -> int:
    """`batch`: walk every case of a JSON-lines file (`-` for stdin), writing one JSON line to stdout
    for each; returns how many failed. `progress` wraps the lines (given the file's size) to show how
    far it has got, as the terminal's progress bar does."""

    flow = library.find(flow_name)
    calendar = library.calendar()
    clock = parse_now(now, calendar.tz) if now else dt.datetime.now(calendar.tz)
    name = MESSAGES["stream_stdin"] if str(cases) == "-" else str(cases)
    if str(cases) == "-":
        source: IO[bytes] = sys.stdin.buffer
    else:
        try:
            source = cases.open("rb")
            if not stat.S_ISREG(os.fstat(source.fileno()).st_mode) and not stat.S_ISFIFO(
                os.fstat(source.fileno()).st_mode
            ):
                source.close()
                raise UsageError(MESSAGES["device_folder_not_file_cases"].format(cases=cases))
        except OSError as exc:
            raise UsageError(MESSAGES["cannot_read"].format(cases=cases, strerror=exc.strerror)) from None
    failed = 0
    out = sys.stdout.buffer
    with source:
        lines: Iterable[bytes] = _read(bounded_lines(source), name)
        if progress is not None:
            lines = progress(lines, None if str(cases) == "-" else _size(cases))
        for data, ok in run_batch(library, flow, clock, lines):
            out.write(data)
            failed += not ok
    out.flush()
    return failed


def _read(lines: Iterator[bytes], name: str) -> Iterator[bytes]:
    """The lines, with a failure to read them (a closed standard input) said as reading, not writing."""
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except OSError as exc:
            raise UsageError(MESSAGES["cannot_read_cases"].format(name=name, strerror=exc.strerror or exc)) from None
        yield line


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
