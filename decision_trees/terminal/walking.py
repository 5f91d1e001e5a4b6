"""The `walk` command's work, as copier's Worker does it: decide how to ask (arrow keys, plain lines,
piped answers, or not at all), say 999 first, offer a saved walk, run the `Session`, and deliver
the summary and record. The command itself only turns its options into a `WalkRequest`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from decision_trees.core.engine import explain
from decision_trees.core.errors import OutputError, UsageError
from decision_trees.core.summary import flow_name
from decision_trees.core.text import visible
from decision_trees.data.library import Library
from decision_trees.output.consoles import Closed, fit
from decision_trees.session import Session, Walked, settle

if TYPE_CHECKING:
    from decision_trees.core.models import Flow
    from decision_trees.terminal.prompting import Prompter

FORMATS = ("text", "markdown", "json")


class WalkRequest(msgspec.Struct, kw_only=True):
    """The `walk` command's options, as given."""

    flow: str | None
    answers: str | None = None
    answer: list[str] | None = None
    answers_file: Path | None = None
    indicators: list[str] | None = None
    non_interactive: bool = False
    fmt: str = "text"
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


def say(line: str) -> None:
    """A line for the person at the console (stderr), never mixed into results on stdout."""

    sys.stderr.write(fit(visible(line)) + "\n")


def run_walk(library: Library, request: WalkRequest) -> Walked:
    """Walk as the command line does; raises the tool's errors (caught once, in cli.py)."""
    _check_targets(request)
    # Checked once, before the flow is chosen or any question asked; the Session takes them as settled.
    setting = settle(library.calendar().tz, request.now, request.called_at, request.case_ref)
    given = bool(request.answers or request.answer or request.answers_file or request.resume or request.indicators)
    if isinstance(sys.stdin, Closed) and not given:
        raise OutputError(
            "standard input is closed, so no question can be asked; give the answers with --answers "
            "(or --answers-file), or walk at a terminal"
        )
    terminal = sys.stdin.isatty()
    # Piped input with no answers given: one answer a line, read as a person's would be.
    piped = not terminal and not request.non_interactive and not given
    interactive = (terminal and not request.non_interactive) or piped
    plain = request.plain or piped or plain_by_default()
    prompter = make_prompter(plain, piped) if interactive else None
    if prompter is not None:
        say(library.directory.immediate_danger.text)  # 999 before anything else
    flow = _choose_flow(library, request.flow, prompter)
    # Only a walk that asks questions can be interrupted and saved, so only it looks for a saved one
    # (a scripted walk need not load platformdirs to find the state directory).
    resume = request.resume or (prompter is not None and _offer_saved_walk(flow, prompter, piped))
    session = Session(
        library,
        flow,
        answers=request.answers,
        answer=request.answer,
        answers_file=request.answers_file,
        indicators=request.indicators or (),
        resume=resume,
        setting=setting,
    )
    for note in session.notes:
        say(f"decision-trees: {note}")
    walked = _walk(session, request, prompter, plain=plain, piped=piped)
    from decision_trees.core.summary import unchecked_warning

    warning = unchecked_warning(walked.summary)
    if warning:
        say(f"decision-trees: {warning}")
    fmt = "markdown" if plain and request.fmt == "text" else request.fmt  # linear text for a screen reader
    extra = _drafts(walked, session, request, request.email_draft)
    files = {"output": request.output, "record": request.record, **{k: p for k, (p, _) in extra.items()}}
    walked.summary = msgspec.structs.replace(
        walked.summary, files={name: str(path) for name, path in files.items() if path is not None}
    )
    try:
        _deliver(walked, request, fmt, list(extra.values()))
    except OutputError as exc:  # the summary is shown or saved; keep the answers too, to write the files again
        from decision_trees.terminal.keeping import keep_walk

        raise OutputError(f"{exc}; {keep_walk(flow, walked.walk, session.ticks, finished=True)}") from None
    if resume:
        _forget_saved(flow.id)
    if request.email_draft is None and prompter is not None and not piped:
        sys.stdout.flush()  # the summary on screen before the question
        _offer_email_draft(walked, prompter)  # after the summary: the advice comes first
    return walked


def _check_targets(request: WalkRequest) -> None:
    """Every file the walk will write can be written, and each is named once: refused before any
    question, not after the walk."""
    targets = [t for t in (request.output, request.record, request.email_draft, request.calendar) if t is not None]
    if not targets:
        return
    from decision_trees.data.files import check_writable  # the file layer: only when a file is written

    for target in targets:
        check_writable(target, request.force)
    if len({target.resolve() for target in targets}) < len(targets):
        raise UsageError("--output, --record, --email-draft and --calendar name the same file; give each its own")


def _walk(session: Session, request: WalkRequest, prompter: Prompter | None, *, plain: bool, piped: bool) -> Walked:
    """The walk itself: scripted (explained, with --explain), or asking at the terminal."""
    if prompter is None:
        walked = session.run()
        if request.explain:
            for step in walked.walk.route:
                say("\n".join(explain(session.flow, step.node, step.answer)))
        return walked
    from decision_trees.terminal.interactive import walk_interactively

    return session.run(
        lambda flow, feed, journal, ticks: walk_interactively(
            flow,
            feed,
            book=session.library.guidance,
            journal=journal,
            ticks=ticks,
            prompter=prompter,
            plain=plain,
            explain=request.explain,
            piped=piped,
            guidance_contacts=session.guidance_contacts(),
        )
    )


def _forget_saved(flow_id: str) -> bool:
    """Delete a flow's saved walk; where the state folder refuses, say so and walk on. True if deleted."""
    from decision_trees.data.files import forget

    try:
        forget(flow_id)
    except OutputError as exc:
        say(f"decision-trees: note: {exc}")
        return False
    return True


def _drafts(
    walked: Walked, session: Session, request: WalkRequest, email_draft: Path | None
) -> dict[str, tuple[Path, str]]:
    """The email draft and calendar asked for, as (path, text); a route that has none says so."""
    found: dict[str, tuple[Path, str]] = {}
    if email_draft is None and request.calendar is None:
        return found
    from decision_trees.output import drafts

    if email_draft is not None:
        text = drafts.email_draft(walked.summary)
        if text is None:
            say(
                f"decision-trees: {walked.summary.outcome.ref} asks for no written confirmation; no email draft written"
            )
        else:
            found["email_draft"] = (email_draft, text)
    if request.calendar is not None:
        ics = drafts.calendar(walked.summary, walked.decision, session.calendar.tz, session.clock())
        if ics is None:
            say(f"decision-trees: {walked.summary.outcome.ref} has no deadline; no calendar file written")
        else:
            found["calendar"] = (request.calendar, ics.decode("utf-8"))
    return found


def _offer_email_draft(walked: Walked, prompter: Prompter) -> Path | None:
    """At the end of a walk at a terminal that asks for written confirmation, offer a draft of it."""
    from decision_trees.output.drafts import confirmation

    if confirmation(walked.summary) is None:
        return None
    stamp = walked.summary.ended_at[:16].replace(":", "").replace("-", "")
    name = Path(f"confirmation-{stamp}.eml")
    number = 1
    while name.exists() or name.is_symlink():  # two walks in one minute: never leave the earlier draft in place
        number += 1
        name = Path(f"confirmation-{stamp}-{number}.eml")
    from decision_trees.data.files import check_writable

    try:
        check_writable(name, force=False)
    except UsageError as exc:
        say(f"decision-trees: no email draft offered: {exc}")
        return None
    yes = "Yes: write a draft (never sent; open it in your email program)"
    try:
        picked = prompter.choose(
            f"This route asks you to confirm in writing. Write a draft of the email to {name} in this folder?",
            [yes, "No"],
            default=yes,
            allow_back=False,
            instruction="",
        )
    except (KeyboardInterrupt, EOFError):
        return None
    if picked != yes:
        return None
    from decision_trees.data.files import write_private
    from decision_trees.output.drafts import email_draft

    text = email_draft(walked.summary)
    assert text is not None  # the route asks for confirmation: there is a draft
    try:
        write_private(name, text, force=False)
    except OSError as exc:
        say(f"decision-trees: the email draft could not be written to {name.resolve()}: {exc.strerror or exc}")
        return None
    say(f"decision-trees: email draft written to {name.resolve()}")
    return name


def _deliver(walked: Walked, request: WalkRequest, fmt: str, extra: list[tuple[Path, str]]) -> None:
    from decision_trees.output.delivery import Delivery, deliver

    deliver(
        Delivery(
            summary=_summary_text(walked, fmt, to_file=request.output is not None),
            as_json=fmt == "json",
            suffix={"json": ".json", "markdown": ".md", "text": ".txt"}[fmt],
            output=request.output,
            record=request.record,
            record_text=_record_text(walked, request.record),
            force=request.force,
            flow_id=walked.flow.id,
            extra=extra,
        )
    )


def _summary_text(walked: Walked, fmt: str, *, to_file: bool) -> str:
    """The summary as JSON, Markdown or the terminal's text (only that one loads rich)."""
    from decision_trees.output import formats

    if fmt == "json":
        return formats.to_json(walked.summary)
    if fmt == "markdown":
        return formats.to_markdown(walked.summary)
    from decision_trees.terminal.render import summary_text

    return summary_text(walked.summary, to_file=to_file)


def _record_text(walked: Walked, record: Path | None) -> str | None:
    """The record to write: JSON, or Markdown (with the summary as the notes show it) for FILE.md."""
    if record is None:
        return None
    from decision_trees.output.formats import to_markdown

    return walked.record_text(to_markdown(walked.summary) if record.suffix == ".md" else None)


def plain_by_default() -> bool:
    """Plain numbered prompts without being asked: NO_COLOR is set, or the terminal is dumb."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def make_prompter(plain: bool, piped: bool) -> Prompter:
    if plain:
        from decision_trees.terminal.lineprompts import LinePrompter

        return LinePrompter(sys.stdin, sys.stderr, piped=piped)
    from decision_trees.terminal.prompts import (
        ArrowPrompter,  # questionary: loaded only for a walk at a terminal
    )

    return ArrowPrompter()


def _choose_flow(library: Library, name: str | None, prompter: Prompter | None) -> Flow:
    if name is not None:
        return library.find(name)
    if prompter is None:
        names = ", ".join(f.aliases[0] if f.aliases else f.id for f in library.flows.values())
        raise UsageError(f"name the flow to walk; choose one of: {names}")
    flows = list(library.flows.values())
    titles = [flow_name(f) for f in flows]
    try:
        picked = prompter.choose("Which flow?", titles, default=None, allow_back=False, instruction="")
    except (KeyboardInterrupt, EOFError):
        raise UsageError("no flow chosen") from None
    return flows[titles.index(picked)]


def _offer_saved_walk(flow: Flow, prompter: Prompter, piped: bool) -> bool:
    """When an interrupted walk of `flow` is saved, say so, and at a terminal offer to resume it.
    True to resume. Choosing to start again deletes the saved walk; otherwise it is kept."""
    from decision_trees.data.files import saved_answers

    count = saved_answers(flow.id)
    if count is None:
        return False
    name = flow.aliases[0] if flow.aliases else flow.id
    if piped:  # answers come one a line: no line may be taken for the offer
        say(
            f"decision-trees: note: an interrupted walk of {name} is saved ({_answers(count)}) and is kept; "
            f"resume it with: decision-trees walk {name} --resume"
        )
        return False
    resume, restart = "Resume the saved walk", "Start again (the saved answers are deleted)"
    try:
        picked = prompter.choose(
            f"An interrupted walk of {name} is saved, with {_answers(count)}. Resume it?",
            [resume, restart],
            default=resume,
            allow_back=False,
            instruction="",
        )
    except (KeyboardInterrupt, EOFError):
        raise UsageError(f"nothing chosen; the saved walk of {name} is kept") from None
    if picked == restart:
        _forget_saved(flow.id)
        return False
    return True


def _answers(count: int) -> str:
    return "1 answer" if count == 1 else f"{count} answers"
