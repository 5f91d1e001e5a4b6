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
from decision_trees.words import TERMINAL as T


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
        raise UsageError(T["has_no_practice_vignettes_add"].format(id=flow.id, folder=library.root / "vignettes"))
    return found


def run_practice(library: Library, request: PracticeRequest) -> list[practice.Feedback]:
    """Practise the vignettes asked for (or, at a terminal, chosen one after another); the feedback
    for each. A vignette that no longer fits its flow stops practice before any question."""
    flow = library.find(request.flow)
    listed = vignettes_for(library, flow)
    known = {v.id: v for v in listed}
    if len(known) < len(listed):  # validate reports it too; practice never picks one of two silently
        twice = next(v.id for n, v in enumerate(listed) if v.id in {w.id for w in listed[:n]})
        raise StaleVignette(
            T["vignette_id_given_twice_give"].format(twice=twice, id=flow.id, folder=library.root / "vignettes")
        )
    numbered = {str(n): v.id for n, v in enumerate(listed, 1)}  # "Case 3" is --vignette 3
    for vignette_id in request.vignettes:
        if vignette_id not in known and vignette_id not in numbered:
            raise UsageError(
                T["no_vignette_give_case_number"].format(vignette_id=vignette_id, id=flow.id, listed_count=len(listed))
            )
    chosen = [known[numbered.get(v, v)] for v in request.vignettes]
    for vignette in chosen or known.values():
        problem = practice.stale(flow, vignette, library.guidance)
        if problem is not None:
            raise StaleVignette(
                T["vignette_no_longer_fits_mend"].format(
                    id=vignette.id, flow=flow.id, problem=problem, folder=library.root / "vignettes"
                )
            )
    if request.answers:
        if len(request.answers) != len(chosen):
            raise UsageError(T["give_one_answers_each_vignette"])
        return [
            _practise(library, flow, v, answers, None, 0) for v, answers in zip(chosen, request.answers, strict=True)
        ]
    if request.non_interactive or not sys.stdin.isatty():
        raise UsageError(T["practice_asks_questions_walk_at"])
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
                say(T["before_stopping_matched"].format(correct=score(results).correct, results_count=len(results)))
            raise
        say(_feedback_lines(results))
        if queue:
            continue
        try:
            again = prompter.choose(
                T["practise_another"],
                [T["another_vignette"], T["finish"]],
                default=T["another_vignette"],
                allow_back=False,
                instruction="",
            )
        except (KeyboardInterrupt, EOFError):
            again = T["finish"]
        if again == T["finish"]:
            return results


def _pick(prompter: Prompter, vignettes: list[Vignette], done: list[practice.Feedback]) -> Vignette | None:
    """The next case, by a neutral name until it is answered: a title can give the answer away."""
    practised = {result.vignette for result in done}
    titles = [case_name(n, v, v.id in practised) for n, v in enumerate(vignettes, 1)]
    try:
        picked = prompter.choose(T["which_vignette"], titles, default=None, allow_back=False, instruction="")
    except (KeyboardInterrupt, EOFError):
        if done:
            return None
        raise UsageError(T["no_vignette_chosen"]) from None
    return vignettes[titles.index(picked)]


def _practise(
    library: Library, flow: Flow, vignette: Vignette, answers: str | None, prompter: Prompter | None, number: int
) -> practice.Feedback:
    """One vignette: shown, walked (scripted when `answers`), compared."""
    session = Session(library, flow, answers=answers, setting=settle(library.calendar().tz, None))
    if prompter is None:
        return practice.feedback(flow, library.guidance, vignette, session.run().walk)

    say("")
    say(T["walk_flow_as_you_read"].format(case_name=case_name(number, vignette, answered=False)))
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
