"""The `walk` command's work, as copier's Worker does it: decide how to ask (arrow keys, plain lines,
piped answers, or not at all), say 999 first, offer a saved walk, run the `Session`, and deliver
the summary and record. The command itself only turns its options into a `WalkRequest`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from decision_trees.core.card import brief
from decision_trees.core.engine import explain, route_questions
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
    if warning and not request.quiet:
        say(f"decision-trees: {warning}")
    fmt = "markdown" if plain and request.fmt == "text" else request.fmt  # linear text for a screen reader
    kept: list[Path] = []
    # A question asked at the terminal (more were answered than given): the offer comes before the
    # card is shown, so that the walk ends on the card.
    asked = len(route_questions(flow, walked.walk)) > len(session.given.ordered) + len(session.given.by_node)
    if prompter is not None and not piped and asked and request.output is None and request.email_draft is None:
        kept = _offer_case_notes(walked, prompter)
    extra = _drafts(walked, session, request, request.email_draft)
    files = {"output": request.output, "record": request.record, **{k: p for k, (p, _) in extra.items()}}
    walked.summary = msgspec.structs.replace(
        walked.summary, files={name: str(path) for name, path in files.items() if path is not None}
    )
    try:
        _deliver(walked, request, fmt, list(extra.values()), kept[0] if kept else None)
    except OutputError as exc:  # the summary is shown or saved; keep the answers too, to write the files again
        from decision_trees.terminal.keeping import keep_walk

        raise OutputError(f"{exc}; {keep_walk(flow, walked.walk, session.ticks, finished=True)}") from None
    if resume:
        _forget_saved(flow.id)
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


def _free_name(kind: str, walked: Walked, suffix: str) -> Path:
    """`summary-20261204T1645.md` in this folder; a second walk in the same minute gets `-2`, never
    the earlier file."""
    stamp = walked.summary.ended_at[:16].replace(":", "").replace("-", "")
    name, number = Path(f"{kind}-{stamp}{suffix}"), 1
    while name.exists() or name.is_symlink():
        number += 1
        name = Path(f"{kind}-{stamp}-{number}{suffix}")
    return name


def _offer_case_notes(walked: Walked, prompter: Prompter) -> list[Path]:
    """At the end of a walk at a terminal: offer to save the Markdown summary for the case notes and,
    where the route asks for written confirmation, a draft of it. The paths written, summary first."""
    from decision_trees.data.files import check_writable, write_private
    from decision_trees.output.drafts import email_draft
    from decision_trees.output.formats import to_markdown

    notes, draft = _free_name("summary", walked, ".md"), _free_name("confirmation", walked, ".eml")
    text = email_draft(walked.summary)
    both = f"Save the summary for the case notes ({notes}) and a draft of the email ({draft}), never sent"
    choices = [both] if text is not None else []
    one = f"Save the summary for the case notes ({notes})"
    choices += [one, "No"]
    try:
        check_writable(notes, force=False)
        picked = prompter.choose("Save in this folder?", choices, default=choices[0], allow_back=False, instruction="")
    except UsageError as exc:
        say(f"decision-trees: nothing offered to save: {exc}")
        return []
    except (KeyboardInterrupt, EOFError):
        return []
    wanted = [(notes, to_markdown(walked.summary))] if picked != "No" else []
    if picked == both and text is not None:
        wanted.append((draft, text))
    written = []
    for path, content in wanted:
        try:
            write_private(path, content, force=False)
        except (OSError, UsageError) as exc:
            why = exc.strerror or exc if isinstance(exc, OSError) else exc
            say(f"decision-trees: {path.resolve()} could not be written: {why}")
            continue
        say(f"decision-trees: written to {path.resolve()}")
        written.append(path)
    return written


def _deliver(
    walked: Walked, request: WalkRequest, fmt: str, extra: list[tuple[Path, str]], notes: Path | None = None
) -> None:
    from decision_trees.output.delivery import Delivery, deliver

    deliver(
        Delivery(
            summary=_summary_text(
                walked, fmt, to_file=request.output is not None, details=request.details, notes=notes
            ),
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


def _summary_text(walked: Walked, fmt: str, *, to_file: bool, details: bool, notes: Path | None = None) -> str:
    """The summary as JSON, Markdown or the terminal's text (only that one loads rich)."""
    from decision_trees.output import formats

    if fmt == "json":
        return formats.to_json(walked.summary)
    if fmt == "markdown":
        return formats.to_markdown(walked.summary)
    from decision_trees.terminal.render import summary_text

    return summary_text(walked.summary, to_file=to_file, details=details, notes=notes)


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
    # Who each flow is for, so that a social worker does not pick the treatment workers' chart.
    titles = [f"{flow_name(f)}. For: {brief(f.audience)}" for f in flows]
    try:
        picked = prompter.choose(
            "Which flow?", titles, default=None, allow_back=False, instruction="(type to filter)", search=True
        )
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
