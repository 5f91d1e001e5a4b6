"""The `practise` command's work: show a vignette, let the trainee walk the flow as usual (guidance
and indicators offered), then say where their route left the one the protocol's criteria give. The
comparison is the core's (core/practice.py); nothing practised is ever saved as a walk."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from decision_trees.core import practice
from decision_trees.core.errors import StaleVignette, UsageError, WalkInterrupted
from decision_trees.core.models import Flow
from decision_trees.core.practice import Vignette
from decision_trees.core.practice import score as score
from decision_trees.data.library import Library
from decision_trees.data.loading import flow_vignettes
from decision_trees.output.reports import case_name, practice_text
from decision_trees.session import Session, settle
from decision_trees.terminal.interactive import walk_interactively
from decision_trees.terminal.prompting import Prompter
from decision_trees.terminal.walking import make_prompter, plain_by_default
from decision_trees.walks import say

ANOTHER, FINISH = "Another vignette", "Finish"


@dataclass
class PracticeRequest:
    flow: str
    vignettes: list[str] = field(default_factory=list)  # ids, in the order to practise them
    answers: list[str] = field(default_factory=list)  # scripted: one --answers a vignette, in order
    plain: bool = False
    non_interactive: bool = False


def vignettes_for(library: Library, flow: Flow) -> list[Vignette]:
    """The flow's vignettes, from every file of the flows directory's vignettes/ that names it."""

    found = flow_vignettes(library.root, library.find, flow)
    if not found:
        raise UsageError(f"{flow.id} has no practice vignettes; add them in {library.root / 'vignettes'}")
    return found


def run_practice(library: Library, request: PracticeRequest) -> list[practice.Feedback]:
    """Practise the vignettes asked for (or, at a terminal, chosen one after another); the feedback
    for each. A vignette that no longer fits its flow stops practice before any question."""
    flow = library.find(request.flow)
    listed = vignettes_for(library, flow)
    known = {v.id: v for v in listed}
    if len(known) < len(listed):  # validate reports it too; practice never picks one of two silently
        twice = next(v.id for n, v in enumerate(listed) if v.id in {w.id for w in listed[:n]})
        raise StaleVignette(f"vignette id {twice!r} is given twice for {flow.id}; give each case its own id in "
                            f"{library.root / 'vignettes'} (decision-trees validate finds every one)")  # fmt: skip
    numbered = {str(n): v.id for n, v in enumerate(listed, 1)}  # "Case 3" is --vignette 3
    for vignette_id in request.vignettes:
        if vignette_id not in known and vignette_id not in numbered:
            raise UsageError(
                f"no vignette {vignette_id!r} for {flow.id}; give a case number from 1 to {len(listed)} "
                "(see --list) or its id"
            )
    chosen = [known[numbered.get(v, v)] for v in request.vignettes]
    for vignette in chosen or known.values():
        problem = practice.stale(flow, vignette, library.guidance)
        if problem is not None:
            raise StaleVignette(f"vignette {vignette.id!r} no longer fits {flow.id}: {problem}; mend it in "
                                f"{library.root / 'vignettes'} (decision-trees validate finds every one)")  # fmt: skip
    if request.answers:
        if len(request.answers) != len(chosen):
            raise UsageError("give one --answers for each --vignette, in the same order")
        return [
            _practise(library, flow, v, answers, None, 0) for v, answers in zip(chosen, request.answers, strict=True)
        ]
    if request.non_interactive or not sys.stdin.isatty():
        raise UsageError("practice asks questions: walk it at a terminal, or give --vignette ID and --answers")
    prompter = make_prompter(request.plain or plain_by_default(), piped=False)
    results: list[practice.Feedback] = []
    queue = list(chosen)
    while True:
        picked = queue.pop(0) if queue else _pick(prompter, list(known.values()), results)
        if picked is None:  # stopped at the list after some practice: finish, with the score
            return results
        try:
            results.append(_practise(library, flow, picked, None, prompter, listed.index(picked) + 1))
        except WalkInterrupted:
            if results:  # the score so far is not lost with the walk
                say(f"Before stopping: {score(results).correct} of {len(results)} matched.")
            raise
        say(_feedback_lines(results))
        if queue:
            continue
        try:
            again = prompter.choose("Practise another?", [ANOTHER, FINISH], default=ANOTHER, allow_back=False,
                                    instruction="")  # fmt: skip
        except (KeyboardInterrupt, EOFError):
            again = FINISH
        if again == FINISH:
            return results


def _pick(prompter: Prompter, vignettes: list[Vignette], done: list[practice.Feedback]) -> Vignette | None:
    """The next case, by a neutral name until it is answered: a title can give the answer away."""
    practised = {result.vignette for result in done}
    titles = [case_name(n, v, v.id in practised) for n, v in enumerate(vignettes, 1)]
    try:
        picked = prompter.choose("Which vignette?", titles, default=None, allow_back=False, instruction="")
    except (KeyboardInterrupt, EOFError):
        if done:
            return None
        raise UsageError("no vignette chosen") from None
    return vignettes[titles.index(picked)]


def _practise(
    library: Library, flow: Flow, vignette: Vignette, answers: str | None, prompter: Prompter | None, number: int
) -> practice.Feedback:
    """One vignette: shown, walked (scripted when `answers`), compared."""
    session = Session(library, flow, answers=answers, setting=settle(library.calendar().tz, None))
    if prompter is None:
        return practice.feedback(flow, library.guidance, vignette, session.run().walk)

    say("")
    say(f"{case_name(number, vignette, answered=False)}: walk the flow as you read the case.")
    say(vignette.text)
    walked = session.run(
        lambda flow, feed, journal, ticks: walk_interactively(
            flow,
            feed,
            book=library.guidance,
            journal=journal,
            ticks=ticks,
            prompter=prompter,
            guidance_contacts=session.guidance_contacts(),
            keep=False,
        )
    )
    return practice.feedback(flow, library.guidance, vignette, walked.walk)


def _feedback_lines(results: list[practice.Feedback]) -> str:

    return practice_text(results[-1:], score(results))
