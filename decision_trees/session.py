"""The library API: load flows, walk one, list its routes, validate files, from Python as the
command line does. The command line is a thin client of this module (as sqlite-utils' is of its
`Database`): each command translates its options into one of these calls.

    from decision_trees import load, walk

    summary = walk("appendix-4", "yes,no,yes,high", now="2026-11-23T14:30")
    summary.deadlines[0].due_text        # '2:30pm on Wednesday 25 November 2026 (GMT)'

    library = load()                     # or load("path/to/flows")
    session = Session(library, "appendix-4", answers="yes,no,yes,high", case_ref="CR-2026/0042")
    walked = session.run()               # scripted; pass `walker=` to ask questions at a terminal
    walked.summary, walked.record_text(markdown=True)

No terminal, no prompting and no rendering here: those sit at the edge and call in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from decision_trees.core.answers import Feed, parse_answer_options, split_answers, walk_scripted
from decision_trees.core.engine import Walk
from decision_trees.core.errors import AnswerError, UsageError
from decision_trees.core.models import Flow
from decision_trees.core.record import (
    Journal,
    Record,
    check_case_ref,
    flow_hash,
    make_record,
    record_json,
    record_markdown,
)
from decision_trees.core.routing import Route, all_routes, count_routes
from decision_trees.core.summary import Summary, summarise
from decision_trees.data.library import Library

if TYPE_CHECKING:
    from decision_trees.data.validation import Finding

# The interactive walk, as the edge supplies it: (flow, feed, journal, indicator ticks) -> finished walk.
Walker = Callable[[Flow, Feed, Journal, dict[str, list[str]]], Walk]


def load(flows_dir: Path | str | None = None) -> Library:
    """Every flow of a flows directory (the bundled flows by default), checked, with contacts and guidance."""
    from decision_trees.data.loading import load_library

    return load_library(Path(flows_dir) if flows_dir is not None else None)


@dataclass
class Walked:
    """A finished walk: its summary, and the journal a record is made from."""

    flow: Flow
    walk: Walk
    summary: Summary
    journal: Journal
    resumed: bool

    def record(self) -> Record:
        return make_record(self.flow, self.journal, self.summary)

    def record_text(self, *, markdown: bool) -> str:
        """The record as JSON, or as Markdown with the replayable part as front matter."""
        if not markdown:
            return record_json(self.record())
        from decision_trees.output.formats import to_markdown

        return record_markdown(self.record(), to_markdown(self.summary))

    def warnings(self) -> list[str]:
        """What the practitioner should know before relying on the summary (never blocking)."""
        from decision_trees.output.formats import unchecked_warning

        warning = unchecked_warning(self.summary)
        return [warning] if warning else []


@dataclass
class Session:
    """One walk of one flow, from the answers given to the summary: what `decision-trees walk` does.

    Answers come as `answers` (in question order: "yes,no" or a list), `answer` (by question id),
    `answers_file` (YAML or JSON, or a record to replay) and `resume` (the saved interrupted walk);
    answers by id take precedence. `now` fixes the clock (a date-time, or ISO text read as UK time)."""

    library: Library
    flow_name: str | Flow
    answers: str | list[str] | None = None
    answer: dict[str, str] | list[str] | None = None
    answers_file: Path | None = None
    indicators: Iterable[str] = ()
    resume: bool = False
    case_ref: str | None = None
    now: dt.datetime | str | None = None
    notes: list[str] = field(default_factory=list)  # said once, before the walk: a flow changed, a time read

    def __post_init__(self) -> None:
        from decision_trees.core.clock import ambiguity, parse_now

        self.flow = self.flow_name if isinstance(self.flow_name, Flow) else self.library.find(self.flow_name)
        self.calendar = self.library.calendar()
        if isinstance(self.now, str):
            text, self.now = self.now, parse_now(self.now, self.calendar.tz)
            note = ambiguity(text, self.now)
            if note:
                self.notes.append(note)
        elif isinstance(self.now, dt.datetime) and self.now.tzinfo is None:
            self.now = self.now.replace(tzinfo=self.calendar.tz)
        self.reference = check_case_ref(self.case_ref) if self.case_ref is not None else None
        self._gather()
        self.journal = Journal(self.clock)

    def clock(self) -> dt.datetime:
        """The time now, or the fixed `now`."""
        return self.now if isinstance(self.now, dt.datetime) else dt.datetime.now(self.calendar.tz)

    def _gather(self) -> None:
        """Answers from the file, the resumed walk and the options, merged as the CLI documents."""
        from decision_trees.data.answerfiles import AnswerSet, read_answers_file

        given = read_answers_file(self.answers_file) if self.answers_file else AnswerSet([], {})
        if isinstance(self.answers, str):
            given.ordered += split_answers(self.answers)
        elif self.answers:
            given.ordered += list(self.answers)
        by_node = parse_answer_options(self.answer) if isinstance(self.answer, list) else dict(self.answer or {})
        given.by_node.update(by_node)
        if self.resume:
            from decision_trees.data.files import resume_file

            saved = resume_file(self.flow.id)
            if not saved.exists():
                name = self.flow_name if isinstance(self.flow_name, str) else self.flow.id
                raise UsageError(
                    f"no interrupted walk of {self.flow.id} is saved; start one with: decision-trees walk {name}"
                )
            kept = read_answers_file(saved)
            given.by_node = {**kept.by_node, **given.by_node}
            given.indicators = kept.indicators + given.indicators
            given.flow_id, given.flow_hash = kept.flow_id, kept.flow_hash
        if given.flow_hash and given.flow_hash != flow_hash(self.flow):
            self.notes.append(
                f"warning: {self.flow.id} has changed since these answers were recorded "
                f"(flow version now {self.flow.version}); check the route before relying on it"
            )
        self.given = given
        self.ticks = self._ticks([*given.indicators, *self.indicators])

    def _ticks(self, ids: list[str]) -> dict[str, list[str]]:
        """Indicators by question; the guidance is decoded only when some were given."""
        if not ids:
            return {}
        from decision_trees.core.guidance import assign_indicators

        return assign_indicators(self.flow, self.library.guidance, ids)

    @property
    def has_answers(self) -> bool:
        """Whether any answer or indicator was given ahead of the walk (so: never prompt for a flow)."""
        return bool(self.given.ordered or self.given.by_node or self.ticks or self.resume)

    def feed(self) -> Feed:
        return Feed(self.given.ordered, self.given.by_node)

    def run(self, walker: Walker | None = None) -> Walked:
        """Walk on the answers given (a missing one is an `AnswerError`), or with `walker` asking
        the questions they leave open; then check the indicators and summarise."""
        feed = self.feed()
        if walker is None:
            finished = walk_scripted(self.flow, feed, self.journal)
        else:
            finished = walker(self.flow, feed, self.journal, self.ticks)
        return self.finish(finished)

    def finish(self, finished: Walk) -> Walked:
        passed = {step.node for step in finished.route}
        for node_id in self.ticks:
            if node_id not in passed:
                raise AnswerError(f"indicators were given for {node_id!r}, but the route did not pass through it")
        tallies = []
        if self.ticks:
            from decision_trees.core.guidance import tallies as count_ticks

            tallies = count_ticks(self.flow, self.library.guidance, self.ticks)
        summary = summarise(
            self.flow,
            finished,
            self.library.directory,
            self.calendar,
            self.clock(),
            tallies=tallies,
            case_ref=self.reference,
        )
        return Walked(self.flow, finished, summary, self.journal, self.resume)


def walk(
    flow: str,
    answers: str | list[str] | None = None,
    *,
    answer: dict[str, str] | None = None,
    flows_dir: Path | str | None = None,
    now: dt.datetime | str | None = None,
    indicators: Iterable[str] = (),
    case_ref: str | None = None,
) -> Summary:
    """Walk `flow` on the answers given and return its summary (errors as `decision_trees.core.errors`)."""
    session = Session(
        load(flows_dir), flow, answers=answers, answer=answer, indicators=indicators, case_ref=case_ref, now=now
    )
    return session.run().summary


def routes(flow: Flow, limit: int | None = None) -> tuple[list[Route], int]:
    """The routes of a flow (at most `limit`) and how many there are in all."""
    return all_routes(flow, limit), count_routes(flow)


def validate(paths: list[Path], today: dt.date | None = None) -> tuple[list[Finding], int]:
    """Every finding for the flow files or flows directories given, and how many files were read
    (`today` is the date for the review and staleness checks; None skips them)."""
    from decision_trees.data.loading import validate_paths  # the YAML loader and the lint rules: only when validating

    return validate_paths(paths, today)
