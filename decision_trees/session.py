"""The library API: load flows, walk one, list its routes, validate files, from Python as the
command line does. The command line is a thin client of this module (as sqlite-utils' is of its
`Database`): each command translates its options into one of these calls.

    from decision_trees import load, walk

    summary = walk("appendix-4", "yes,no,yes,high", now="2026-11-23T14:30")
    summary.deadlines[0].due_text        # '2:30pm on Wednesday 25 November 2026 (GMT)'

    library = load()                     # or load("path/to/flows")
    session = Session(library, "appendix-4", answers="yes,no,yes,high", case_ref="CR-2026/0042")
    walked = session.run()               # scripted; pass `walker=` to ask questions at a terminal
    walked.summary, walked.record_text()

No terminal, no prompting and no rendering here: those sit at the edge and call in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from decision_trees.core.answers import AnswerSet, Feed, parse_answer_options, split_answers, walk_scripted
from decision_trees.core.clock import ambiguity, describe, parse_now
from decision_trees.core.contract import Summary
from decision_trees.core.decision import Decision, decide
from decision_trees.core.engine import Walk
from decision_trees.core.errors import AnswerError, UsageError, option
from decision_trees.core.guidance import asked, assign_indicators
from decision_trees.core.guidance import tallies as count_ticks
from decision_trees.core.models import Flow
from decision_trees.core.record import (
    Journal,
    Record,
    check_case_ref,
    flow_hash,
    make_record,
    name_like,
    record_json,
    record_markdown,
)
from decision_trees.core.routing import all_routes, count_routes
from decision_trees.core.summary import guidance_contacts, phrase
from decision_trees.data import localcontacts
from decision_trees.data.answerfiles import read_answers_file
from decision_trees.data.files import resume_file
from decision_trees.data.library import Library, bundled_flows_dir
from decision_trees.data.opening import open_library
from decision_trees.words import MESSAGES

if TYPE_CHECKING:
    from decision_trees.core.routing import Route

# The interactive walk, as the edge supplies it: (flow, feed, journal, indicator ticks) -> finished walk.
Walker = Callable[[Flow, Feed, Journal, dict[str, list[str]]], Walk]


def load(flows_dir: Path | str | None = None, *, contacts: Path | str | None = None, enforce: bool = True) -> Library:
    """Every flow of a flows directory (the bundled flows by default), checked, with contacts and
    guidance. A local contacts file replaces bundled entries by id: `contacts`, else the one named by
    DECISION_TREES_CONTACTS, else contacts.yaml in the user config directory, if there is one."""

    library = open_library(Path(flows_dir) if flows_dir is not None else bundled_flows_dir())
    local = localcontacts.find(Path(contacts) if contacts is not None else None)
    return localcontacts.apply(library, local, enforce=enforce) if local is not None else library


class Walked(msgspec.Struct):
    """A finished walk: the core's decision for it, as facts, that decision in words (the summary
    every output draws), and the journal a record is made from."""

    flow: Flow
    walk: Walk
    decision: Decision
    summary: Summary
    journal: Journal
    resumed: bool

    def record(self) -> Record:
        return make_record(self.flow, self.journal, self.summary)

    def record_text(self, summary_markdown: str | None = None) -> str:
        """The record as JSON; given the summary drawn as Markdown, as Markdown with the replayable
        part as front matter (the session draws nothing itself)."""
        if summary_markdown is None:
            return record_json(self.record())
        return record_markdown(self.record(), summary_markdown)


class Setting(msgspec.Struct, frozen=True):
    """When a walk is taken to happen and for which case, checked once: the fixed clock (`now`), when
    the phone referral was made (`called_at`), the case reference, and what to say about them."""

    now: dt.datetime | None
    called_at: dt.datetime | None
    case_ref: str | None
    notes: list[str]


def settle(
    tz: dt.tzinfo,
    now: dt.datetime | str | None = None,
    called_at: dt.datetime | str | None = None,
    case_ref: str | None = None,
) -> Setting:
    """The one place `--now`, `--called-at` and `--case-ref` are checked: text is read as UK time
    (a time the clocks skip is refused), a call cannot come after the walk's fixed end, and a
    reference that may be a name is refused or warned about."""

    notes: list[str] = []

    def read(value: dt.datetime | str | None, name: str) -> dt.datetime | None:
        if isinstance(value, str):
            when = parse_now(value, tz, name)
            note = ambiguity(value, when, name)
            if note:
                notes.append(note)
            return when
        return value if value is None or value.tzinfo is not None else value.replace(tzinfo=tz)

    fixed, called = read(now, "now"), read(called_at, "called_at")
    check_call(called, fixed or dt.datetime.now(tz))
    reference = check_case_ref(case_ref) if case_ref is not None else None
    if reference is not None and name_like(reference):
        notes.append(MESSAGES["warning_case_reference_looks_like"])
    return Setting(fixed, called, reference, notes)


def check_call(called_at: dt.datetime | None, ended_at: dt.datetime) -> None:
    """A phone referral cannot have been made after the walk that advised it ended."""
    if called_at is not None and called_at > ended_at:
        raise UsageError(
            MESSAGES["after_walk_ended_give_time"].format(
                option_called_at=option("called_at"),
                called_at=describe(called_at.astimezone(ended_at.tzinfo)),
                ended_at=describe(ended_at),
            )
        )


# Walks and summaries already made, shared between sessions (a batch's cases): a scripted walk at a
# fixed time, and a summary, depend on nothing but what they are given.
Memo = dict[tuple[object, ...], tuple[Walk, Decision, Summary]]


class Session:
    """One walk of one flow, from the answers given to the summary: what `decision-trees walk` does.

    Answers come as `answers` (in question order: "yes,no" or a list), `answer` (by question id),
    `answers_file` (YAML or JSON, or a record to replay) and `resume` (the saved interrupted walk);
    answers by id take precedence. `now` fixes the clock (a date-time, or ISO text read as UK time).
    `notes` collects what to say once before the walk: a flow changed since a record, a time read."""

    def __init__(
        self,
        library: Library,
        flow: str | Flow,
        *,
        answers: str | list[str] | None = None,
        answer: dict[str, str] | list[str] | None = None,
        answers_file: Path | None = None,
        indicators: Iterable[str] = (),
        resume: bool = False,
        case_ref: str | None = None,
        now: dt.datetime | str | None = None,
        called_at: dt.datetime | str | None = None,
        setting: Setting | None = None,
    ) -> None:
        self.library = library
        self.flow_name = flow
        self.flow = flow if isinstance(flow, Flow) else library.find(flow)
        self.calendar = library.calendar()
        # `setting`, when the caller has settled the times and reference already (the walk command
        # does, before any question), else `now`, `called_at` and `case_ref` as given.
        setting = setting or settle(self.calendar.tz, now, called_at, case_ref)
        self.now = setting.now
        self.called_at = setting.called_at  # when the phone referral was made; else the walk's end
        self.reference = setting.case_ref
        self.notes: list[str] = list(setting.notes)
        self.resume = resume
        self._gather(answers, answer, answers_file, list(indicators))
        self.journal = Journal(self.clock)

    def guidance_contacts(self) -> dict[str, list[str]]:
        """The contacts each guidance section of this flow prints, a line each, from the contacts in use."""

        book, today = self.library.guidance, self.clock().date()
        offered = {g for ask in asked(self.flow).values() for g in ask.guidance}
        return {
            g: guidance_contacts(book.guidance[g], self.library.directory, today)
            for g in offered
            if g in book.guidance and book.guidance[g].contacts
        }

    def clock(self) -> dt.datetime:
        """The time now, or the fixed `now`."""
        return self.now if self.now is not None else dt.datetime.now(self.calendar.tz)

    def _gather(
        self,
        answers: str | list[str] | None,
        answer: dict[str, str] | list[str] | None,
        answers_file: Path | None,
        indicators: list[str],
    ) -> None:
        """Answers from the file, the resumed walk and the options, merged as the CLI documents."""

        given = AnswerSet([], {})
        if answers_file:  # the file reader (and YAML) only when there is a file
            given = read_answers_file(answers_file)
        if isinstance(answers, str):
            given.ordered += split_answers(answers)
        elif answers:
            given.ordered += list(answers)
        by_node = parse_answer_options(answer) if isinstance(answer, list) else dict(answer or {})
        given.by_node.update(by_node)
        if self.resume:
            saved = resume_file(self.flow.id)
            if not saved.exists():
                name = self.flow_name if isinstance(self.flow_name, str) else self.flow.id
                raise UsageError(MESSAGES["no_interrupted_walk_saved_start"].format(id=self.flow.id, name=name))

            kept = read_answers_file(saved)
            if kept.ordered:  # this tool saves answers by question: a list is not a walk it saved
                name = self.flow_name if isinstance(self.flow_name, str) else self.flow.id
                raise UsageError(
                    MESSAGES["saved_walk_not_one_this"].format(saved=saved, ordered_count=len(kept.ordered), name=name)
                )
            given.by_node = {**kept.by_node, **given.by_node}
            given.indicators = kept.indicators + given.indicators
            given.flow_id, given.flow_hash = kept.flow_id, kept.flow_hash
        if given.flow_hash and given.flow_hash != flow_hash(self.flow):
            self.notes.append(
                MESSAGES["warning_has_changed_since_these"].format(id=self.flow.id, version=self.flow.version)
            )
        self.given = given
        if self.reference is None and given.case_ref is not None:  # a record replayed keeps its reference
            self.reference = check_case_ref(given.case_ref)
        self.ticks = self._ticks([*given.indicators, *indicators])

    def _ticks(self, ids: list[str]) -> dict[str, list[str]]:
        """Indicators by question; the guidance is decoded only when some were given."""
        if not ids:
            return {}

        return assign_indicators(self.flow, self.library.guidance, ids)

    @property
    def has_answers(self) -> bool:
        """Whether any answer or indicator was given ahead of the walk (so: never prompt for a flow)."""
        return bool(self.given.ordered or self.given.by_node or self.ticks or self.resume)

    def feed(self) -> Feed:
        return Feed(self.given.ordered, self.given.by_node)

    def run(self, walker: Walker | None = None, *, memo: Memo | None = None) -> Walked:
        """Walk on the answers given (a missing one is an `AnswerError`), or with `walker` asking
        the questions they leave open; then check the indicators and summarise. `memo` shares
        summaries between sessions that take the same route at the same time (a batch's cases)."""
        if walker is not None:
            return self.finish(walker(self.flow, self.feed(), self.journal, self.ticks), memo=memo)
        # A scripted walk at a fixed time depends on nothing but what it was given.
        key = None
        if memo is not None and self.now is not None:
            given = (tuple(self.given.ordered), tuple(self.given.by_node.items()))
            key = (self.flow.id, given, self._ticks_key(), self.now, self.called_at)
            known = memo.get(key)
            if known is not None:
                return self._walked(*known)
        walked = self.finish(walk_scripted(self.flow, self.feed(), self.journal), memo=memo)
        if key is not None and memo is not None:
            memo[key] = (walked.walk, walked.decision, walked.summary)
        return walked

    def _ticks_key(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((node, tuple(ids)) for node, ids in self.ticks.items())

    def _walked(self, finished: Walk, decision: Decision, summary: Summary) -> Walked:
        if self.reference is not None:
            summary = msgspec.structs.replace(summary, case_ref=self.reference)
        return Walked(self.flow, finished, decision, summary, self.journal, self.resume)

    def finish(self, finished: Walk, *, memo: Memo | None = None) -> Walked:
        ended = self.clock()
        check_call(self.called_at, ended)
        passed = {step.node for step in finished.route}
        for node_id in self.ticks:
            if node_id not in passed:
                raise AnswerError(MESSAGES["indicators_were_given_but_route"].format(node_id=node_id))
        # A summary depends on nothing else: the same route, indicators and times give the same one.
        key = (self.flow.id, ended, self.called_at, finished.route, self._ticks_key())
        known = memo.get(key) if memo is not None else None
        if known is None:
            known = (finished, *self._decide(finished, ended))
            if memo is not None:
                memo[key] = known
        return self._walked(finished, known[1], known[2])

    def _decide(self, finished: Walk, ended: dt.datetime) -> tuple[Decision, Summary]:
        """The core's decision, made once, and its words."""
        tallies = []
        if self.ticks:
            tallies = count_ticks(self.flow, self.library.guidance, self.ticks)
        directory = self.library.directory
        decision = decide(self.flow, finished, directory, self.calendar, ended, self.called_at)
        summary = phrase(decision, directory, finished, tallies=tallies, contacts_files=self.library.contacts_files)
        return decision, summary


def walk(
    flow: str,
    answers: str | list[str] | None = None,
    *,
    answer: dict[str, str] | None = None,
    flows_dir: Path | str | None = None,
    contacts: Path | str | None = None,
    now: dt.datetime | str | None = None,
    indicators: Iterable[str] = (),
    case_ref: str | None = None,
) -> Summary:
    """Walk `flow` on the answers given and return its summary (errors as in `decision_trees.core.errors`)."""
    session = Session(
        load(flows_dir, contacts=contacts),
        flow,
        answers=answers,
        answer=answer,
        indicators=indicators,
        case_ref=case_ref,
        now=now,
    )
    return session.run().summary


def routes(flow: Flow, limit: int | None = None) -> tuple[list[Route], int]:
    """The routes of a flow (at most `limit`) and how many there are in all."""

    return all_routes(flow, limit), count_routes(flow)
