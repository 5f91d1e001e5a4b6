"""The record of a walk: what was asked, answered, gone back over and ticked, and when. Plain data."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import msgspec

from decision_trees.core.contract import Summary
from decision_trees.core.errors import UsageError, option
from decision_trees.core.models import Flow
from decision_trees.words import MESSAGES, REPORTS

RECORD_SCHEMA = "decision-trees/record/1"
RESUME_SCHEMA = "decision-trees/resume/1"
_CASE_REF = r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}\Z"  # compiled on first use


def flow_hash(flow: Flow) -> str:
    """A hash of the flow's data (not its file's layout or comments): sha256 of its canonical JSON."""
    import hashlib

    return "sha256:" + hashlib.sha256(msgspec.json.encode(flow)).hexdigest()


def check_case_ref(text: str) -> str:
    """A case reference: letters, digits and / _ . - with at least one digit, so that it cannot be a name."""
    ref = text.strip()
    if not re.match(_CASE_REF, ref) or not any(c.isdigit() for c in ref):
        raise UsageError(MESSAGES["not_a_case_reference"].format(option_case_ref=option("case_ref")))
    return ref


def name_like(ref: str) -> bool:
    """Whether a case reference looks like a person's name with a number (`Jane.Doe.2019`): two or
    more parts of letters that are not all capitals (CR-2026 and MASH/0042 are not)."""
    parts = re.split(r"[/_.-]", ref)
    return sum(1 for part in parts if len(part) >= 2 and part.isalpha() and not part.isupper()) >= 2


class Event(msgspec.Struct, frozen=True, omit_defaults=True):
    """One thing that happened in a walk: an answer, an action noted, a Back, guidance opened, indicators."""

    at: str
    event: str
    node: str
    answer: str | None = None
    detail: list[str] = []


class Journal:
    """Collects events as a walk goes; `clock` gives the time of each (fixed by --now in tests)."""

    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self.clock = clock
        self.started = clock()
        self._logged: list[tuple[dt.datetime, str, str, str | None, list[str]]] = []

    def log(self, event: str, node: str, answer: str | None = None, detail: list[str] | None = None) -> None:
        # The time is written out only when a record is made: most walks (a batch's) make none.
        self._logged.append((self.clock(), event, node, answer, detail or []))

    @property
    def events(self) -> list[Event]:
        return [Event(at.isoformat(timespec="seconds"), e, n, a, d) for at, e, n, a, d in self._logged]


class FlowStamp(msgspec.Struct, frozen=True):
    id: str
    version: str
    hash: str


class Record(msgspec.Struct, frozen=True):
    """A walk's record. Its `answers` and `indicators` make it an answers file too (--answers-file)."""

    schema: str
    flow: FlowStamp
    case_ref: str | None
    started_at: str
    ended_at: str
    answers: dict[str, str]
    indicators: list[str]
    events: list[Event]
    summary: Summary


def make_record(flow: Flow, journal: Journal, summary: Summary) -> Record:
    answers = {step.node: step.answer for step in summary.route if step.answer is not None}
    ticked = [i.id for tally in summary.indicators for i in tally.ticked]
    return Record(
        schema=RECORD_SCHEMA,
        flow=FlowStamp(flow.id, flow.version, flow_hash(flow)),
        case_ref=summary.case_ref,
        started_at=journal.started.isoformat(timespec="seconds"),
        ended_at=summary.ended_at,
        answers=answers,
        indicators=ticked,
        events=list(journal.events),
        summary=summary,
    )


def record_json(record: Record) -> str:
    return msgspec.json.format(msgspec.json.encode(record).decode("utf-8"), indent=2) + "\n"


def record_markdown(record: Record, summary_markdown: str) -> str:
    """Markdown with the replayable part as YAML front matter, then the steps and the summary."""
    import json

    front = {
        "schema": record.schema,
        "flow": msgspec.to_builtins(record.flow),
        "case_ref": record.case_ref,
        "started_at": record.started_at,
        "ended_at": record.ended_at,
        "answers": record.answers,
        "indicators": record.indicators,
    }
    # JSON is valid YAML: the front matter reads back exactly, whatever the labels contain.
    lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()), "---", ""]
    lines += [REPORTS["record_walk"].format(title=record.summary.flow.title), ""]
    if record.case_ref:
        lines += [REPORTS["case_reference"].format(case_ref=record.case_ref), ""]
    lines += [REPORTS["time_event_node_answer"], "|---|---|---|---|"]
    for event in record.events:
        answer = (event.answer or "") + (f" ({'; '.join(event.detail)})" if event.detail else "")
        lines.append(f"| {event.at} | {event.event} | {event.node} | {answer.replace('|', '/')} |")
    return "\n".join(lines) + "\n\n" + summary_markdown
