"""The `walk` command's use case, as a library call: check the files a walk will write, walk it on
the answers given (or with a walker that asks them), say what must be said, and deliver the summary
with its files (the email draft, the calendar, the record), so that none is lost. The terminal adds
only its prompters and its drawing: a scripted walk runs no code from `terminal/`.

    from decision_trees import load
    from decision_trees.walks import WalkRequest, run

    run(load(), WalkRequest(flow="a4", answers="yes,no,yes,high", fmt="json",
                            email_draft=Path("c.eml"), record=Path("walk.json")))
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol

import msgspec

from decision_trees.core.contract import Summary
from decision_trees.core.engine import explain
from decision_trees.core.errors import OutputError, UsageError, kept, named, option
from decision_trees.core.phrasebook import unchecked_warning
from decision_trees.core.text import visible
from decision_trees.data import files
from decision_trees.data.library import Library
from decision_trees.keeping import keep_walk
from decision_trees.output import drafts, formats
from decision_trees.output.consoles import fit
from decision_trees.output.delivery import Delivery, deliver
from decision_trees.session import Session, Walked, settle
from decision_trees.words import MESSAGES

FORMATS = ("text", "markdown", "json")


class TextRenderer(Protocol):
    """The summary in the terminal's text: drawn by the caller that can (rich), for a file or the
    screen, with or without the details, naming the Markdown summary saved for the case notes."""

    def __call__(self, summary: Summary, *, to_file: bool, details: bool, notes: Path | None) -> str: ...


class WalkRequest(msgspec.Struct, kw_only=True):
    """The `walk` command's options, as given."""

    flow: str | None
    answers: str | None = None
    answer: list[str] | None = None
    answers_file: Path | None = None
    indicators: list[str] | None = None
    non_interactive: bool = False
    fmt: str = "text"
    details: bool = False  # the card, then the details; else the card only (at the terminal)
    quiet: bool = False  # no unchecked-contacts warning on stderr
    output: Path | None = None
    record: Path | None = None
    force: bool = False
    resume: bool = False
    case_ref: str | None = None
    now: str | None = None
    explain: bool = False
    plain: bool = False
    email_draft: Path | None = None
    calendar: Path | None = None
    called_at: str | None = None

    @property
    def given(self) -> bool:
        """Whether answers come with the request (or a saved walk to resume)."""
        return bool(self.answers or self.answer or self.answers_file or self.resume or self.indicators)


def flag(name: str) -> str:
    """An input as the command line names it: `called_at` is --called-at."""
    return "--" + name.replace("_", "-")


def say(line: str) -> None:
    """A line for the person at the console (stderr), never mixed into results on stdout; the inputs
    it names, as the command line names them."""
    sys.stderr.write(fit(visible(named(line, flag))) + "\n")


def scripted(request: WalkRequest) -> bool:
    """Whether the walk asks nothing: --non-interactive, or answers given with no terminal to ask at."""
    return request.non_interactive or (request.given and not _stdin_is_terminal())


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed or replaced: no terminal
        return False


def check_targets(request: WalkRequest) -> None:
    """Every file the walk will write can be written, and each is named once: refused before any
    question, not after the walk."""
    targets = [t for t in (request.output, request.record, request.email_draft, request.calendar) if t is not None]
    if not targets:
        return

    for target in targets:
        files.check_writable(target, request.force)
    if len({target.resolve() for target in targets}) < len(targets):
        named = ", ".join(option(name) for name in ("output", "record", "email_draft"))
        raise UsageError(MESSAGES["name_same_file_give_each"].format(named=named, option_calendar=option("calendar")))


def run(library: Library, request: WalkRequest, render_text: TextRenderer | None = None) -> Walked:
    """A scripted walk, as the command line takes it: walked on the answers given, explained with
    `explain`, and delivered. `render_text` draws the text form (else it is the Markdown)."""
    check_targets(request)
    if request.flow is None:
        names = ", ".join(f.aliases[0] if f.aliases else f.id for f in library.flows.values())
        raise UsageError(MESSAGES["name_flow_walk_choose_one"].format(names=names))
    session = Session(
        library,
        request.flow,
        answers=request.answers,
        answer=request.answer,
        answers_file=request.answers_file,
        indicators=request.indicators or (),
        resume=request.resume,
        setting=settle(library.calendar().tz, request.now, request.called_at, request.case_ref),
    )
    for note in session.notes:
        say(f"decision-trees: {note}")
    walked = session.run()
    if request.explain:
        for step in walked.walk.route:
            say("\n".join(explain(session.flow, step.node, step.label)))
    return finish(session, walked, request, render_text=render_text)


def finish(
    session: Session,
    walked: Walked,
    request: WalkRequest,
    *,
    fmt: str | None = None,
    render_text: TextRenderer | None = None,
    notes: Path | None = None,
) -> Walked:
    """After the walk: the warning on unchecked contacts, then the summary (in `fmt`, else the
    request's) with the files asked for, written so that none is lost; the saved walk, if resumed,
    forgotten. `notes`: a Markdown summary already saved for the case notes, which the text names."""
    warning = unchecked_warning(walked.summary)
    if warning and not request.quiet:
        say(f"decision-trees: {warning}")
    extra = draft_files(walked, session, request)
    files = {"output": request.output, "record": request.record, **{k: p for k, (p, _) in extra.items()}}
    walked.summary = msgspec.structs.replace(
        walked.summary, files={name: str(path) for name, path in files.items() if path is not None}
    )
    form = fmt or request.fmt
    if form == "text" and render_text is None:
        form = "markdown"  # no drawing to hand: the Markdown, which reads the same in order
    text = (
        formats.to_json(walked.summary)
        if form == "json"
        else formats.to_markdown(walked.summary)
        if form == "markdown"
        else render_text(walked.summary, to_file=request.output is not None, details=request.details, notes=notes)  # type: ignore[misc]
    )
    record = None
    if request.record is not None:
        record = walked.record_text(formats.to_markdown(walked.summary) if request.record.suffix == ".md" else None)
    job = Delivery(
        summary=text,
        as_json=form == "json",
        suffix={"json": ".json", "markdown": ".md", "text": ".txt"}[form],
        output=request.output,
        record=request.record,
        record_text=record,
        force=request.force,
        flow_id=walked.flow.id,
        extra=list(extra.values()),
    )
    try:
        deliver(job)
    except OutputError as exc:  # the summary is shown or saved; keep the answers too, to write the files again
        raise OutputError(f"{kept(exc)}; {keep_walk(walked.flow, walked.walk, session.ticks, finished=True)}") from None
    if session.resume:
        forget_saved(walked.flow.id)
    return walked


def draft_files(walked: Walked, session: Session, request: WalkRequest) -> dict[str, tuple[Path, str]]:
    """The email draft and calendar asked for, as (path, text); a route that has none says so."""
    found: dict[str, tuple[Path, str]] = {}
    if request.email_draft is None and request.calendar is None:
        return found

    if request.email_draft is not None:
        text = drafts.email_draft(walked.summary)
        if text is None:
            ref = walked.summary.outcome.ref
            say(MESSAGES["decision_trees_asks_no_written"].format(ref=ref))
        else:
            found["email_draft"] = (request.email_draft, text)
    if request.calendar is not None:
        ics = drafts.calendar(walked.summary, walked.decision, session.calendar.tz, session.clock())
        if ics is None:
            say(MESSAGES["decision_trees_has_no_deadline"].format(ref=walked.summary.outcome.ref))
        else:
            found["calendar"] = (request.calendar, ics.decode("utf-8"))
    return found


def forget_saved(flow_id: str) -> bool:
    """Delete a flow's saved walk; where the state folder refuses, say so and walk on. True if deleted."""

    try:
        files.forget(flow_id)
    except OutputError as exc:
        say(MESSAGES["decision_trees_note"].format(kept=kept(exc)))
        return False
    return True
