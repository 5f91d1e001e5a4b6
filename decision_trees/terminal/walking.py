"""The `walk` command at a terminal: decide how to ask (arrow keys, plain lines, or piped answers),
say 999 first, offer a saved walk, ask the questions, offer to save the summary for the case notes,
then hand the finished walk to the library (`decision_trees.walks`) to deliver. A scripted walk never
comes here."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from decision_trees.core.card import brief
from decision_trees.core.engine import route_questions
from decision_trees.core.errors import OutputError, UsageError, kept
from decision_trees.core.summary import flow_name
from decision_trees.data.files import check_writable, saved_answers, write_private
from decision_trees.data.library import Library
from decision_trees.output.consoles import Closed
from decision_trees.output.drafts import email_draft
from decision_trees.output.formats import to_markdown
from decision_trees.session import Session, Walked, settle
from decision_trees.terminal.interactive import walk_interactively
from decision_trees.terminal.lineprompts import LinePrompter
from decision_trees.terminal.prompts import ArrowPrompter
from decision_trees.terminal.render import summary_text
from decision_trees.walks import WalkRequest, check_targets, finish, forget_saved, say
from decision_trees.words import TERMINAL as T

if TYPE_CHECKING:
    from decision_trees.core.models import Flow
    from decision_trees.terminal.prompting import Prompter


def run_walk(library: Library, request: WalkRequest) -> Walked:
    """Walk as the command line does at a terminal, or on answers piped one a line; raises the
    tool's errors (caught once, in cli.py)."""
    check_targets(request)
    # Checked once, before the flow is chosen or any question asked; the Session takes them as settled.
    setting = settle(library.calendar().tz, request.now, request.called_at, request.case_ref)
    if isinstance(sys.stdin, Closed) and not request.given:
        raise OutputError(T["standard_input_closed_so_no"])
    # Piped input with no answers given: one answer a line, read as a person's would be.
    piped = not sys.stdin.isatty() and not request.given
    plain = request.plain or piped or plain_by_default()
    prompter = make_prompter(plain, piped)
    say(library.directory.immediate_danger.text)  # 999 before anything else
    flow = _choose_flow(library, request.flow, prompter)
    # Only a walk that asks questions can be interrupted and saved, so only it looks for a saved one.
    resume = request.resume or _offer_saved_walk(flow, prompter, piped)
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
    saved: list[Path] = []
    # A question asked at the terminal (more were answered than given): the offer comes before the
    # card is shown, so that the walk ends on the card.
    asked = len(route_questions(flow, walked.walk)) > len(session.given.ordered) + len(session.given.by_node)
    if not piped and asked and request.output is None and request.email_draft is None:
        saved = _offer_case_notes(walked, prompter)
    fmt = "markdown" if plain and request.fmt == "text" else request.fmt  # linear text for a screen reader
    notes = next((path for path in saved if path.suffix == ".md"), None)
    return finish(session, walked, request, fmt=fmt, render_text=summary_text, notes=notes)


def _walk(session: Session, request: WalkRequest, prompter: Prompter, *, plain: bool, piped: bool) -> Walked:
    """The walk itself, asking at the terminal what the answers given leave open."""
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
    notes, draft = _free_name("summary", walked, ".md"), _free_name("confirmation", walked, ".eml")
    text = email_draft(walked.summary)
    both = T["save_both"].format(notes=notes, draft=draft)
    choices = [both] if text is not None else []
    one = T["save_one"].format(notes=notes)
    choices += [one, T["save_no"]]
    try:
        check_writable(notes, force=False)
        picked = prompter.choose(T["save_where"], choices, default=choices[0], allow_back=False, instruction="")
    except UsageError as exc:
        say(T["decision_trees_nothing_offered_save"].format(kept=kept(exc)))
        return []
    except (KeyboardInterrupt, EOFError):
        return []
    wanted = [(notes, to_markdown(walked.summary))] if picked != T["save_no"] else []
    if picked == both and text is not None:
        wanted.append((draft, text))
    written = []
    for path, content in wanted:
        try:
            write_private(path, content, force=False)
        except (OSError, UsageError) as exc:
            why = exc.strerror or exc if isinstance(exc, OSError) else exc
            say(T["decision_trees_could_not_be"].format(path=path.resolve(), why=why))
            continue
        say(T["decision_trees_written"].format(path=path.resolve()))
        written.append(path)
    return written


def plain_by_default() -> bool:
    """Plain numbered prompts without being asked: NO_COLOR is set, or the terminal is dumb."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def make_prompter(plain: bool, piped: bool) -> Prompter:
    if plain:
        return LinePrompter(sys.stdin, sys.stderr, piped=piped)

    return ArrowPrompter()


def _choose_flow(library: Library, name: str | None, prompter: Prompter) -> Flow:
    if name is not None:
        return library.find(name)
    flows = list(library.flows.values())
    # Who each flow is for, so that a social worker does not pick the treatment workers' chart.
    titles = [T["flow_for"].format(name=flow_name(f), audience=brief(f.audience)) for f in flows]
    try:
        picked = prompter.choose(
            T["which_flow"], titles, default=None, allow_back=False, instruction=T["filter"], search=True
        )
    except (KeyboardInterrupt, EOFError):
        raise UsageError(T["no_flow_chosen"]) from None
    return flows[titles.index(picked)]


def _offer_saved_walk(flow: Flow, prompter: Prompter, piped: bool) -> bool:
    """When an interrupted walk of `flow` is saved, say so, and at a terminal offer to resume it.
    True to resume. Choosing to start again deletes the saved walk; otherwise it is kept."""
    count = saved_answers(flow.id)
    if count is None:
        return False
    name = flow.aliases[0] if flow.aliases else flow.id
    if piped:  # answers come one a line: no line may be taken for the offer
        say(T["decision_trees_note_interrupted_walk"].format(name=name, answers=_answers(count)))
        return False
    resume, restart = T["resume"], T["start_again"]
    try:
        picked = prompter.choose(
            T["resume_prompt"].format(name=name, answers=_answers(count)),
            [resume, restart],
            default=resume,
            allow_back=False,
            instruction="",
        )
    except (KeyboardInterrupt, EOFError):
        raise UsageError(T["nothing_chosen_saved_walk_kept"].format(name=name)) from None
    if picked == restart:
        forget_saved(flow.id)
        return False
    return True


def _answers(count: int) -> str:
    return T["one_answer"] if count == 1 else T["answers"].format(count=count)
