"""Practice on invented cases (vignettes): the route a vignette's answers take, whether it still fits
its flow and agrees with its own cues, and where a trainee's walk left it. Pure: no I/O, nothing printed.

The level of need is the practitioner's judgement: a case says which facts it rests on (its cues,
each with the indicator or section it matches), why its answer follows from them, and any other
answer the protocol's words also support, with the reason."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from decision_trees.core.engine import Walk, begin, current, outcome, step
from decision_trees.core.errors import AnswerError
from decision_trees.core.fields import Line, NodeId, Text
from decision_trees.core.fields import Strict as _Strict
from decision_trees.core.guidance import indicators_for, offered_indicators, tally
from decision_trees.core.kinds.base import Answer, Noted, answer_text
from decision_trees.core.models import Flow, GuidanceBook, Node
from decision_trees.core.summary import section_words
from decision_trees.words import MESSAGES


class Cue(_Strict, frozen=True):
    """A fact of the case, and what it matches: an indicator (its id, as `decision-trees indicators`
    lists them) or a section of the protocol."""

    fact: Text
    indicator: Line | None = None
    section: Line | None = None


class Defensible(_Strict, frozen=True):
    """Another answer the protocol's words also support: its answers, the end they reach, and why."""

    answers: Annotated[dict[NodeId, Line], msgspec.Meta(min_length=1)]
    outcome: Line
    reason: Text


class Vignette(_Strict, frozen=True):
    """An invented case for practice: its text, the protocol sections it is written from, the answers
    its cues give, question by question, with the outcome they reach, and why."""

    id: NodeId
    title: Line  # shown only once the case is answered: a title can give the answer away
    text: Text
    sections: Annotated[list[Line], msgspec.Meta(min_length=1)]
    answers: Annotated[dict[NodeId, Line], msgspec.Meta(min_length=1)]  # question id: the choice's label
    outcome: Line  # the outcome's ref (A4-6) or node id
    cues: Annotated[list[Cue], msgspec.Meta(min_length=1)]
    reason: Text  # which facts decide it, shown with the feedback
    against_cues: Text | None = None  # why the answer differs from where the ticked cues point, if it does
    defensible: list[Defensible] = msgspec.field(default_factory=list)


class VignetteFile(_Strict, frozen=True):
    """A flow's vignettes (flows/vignettes/FLOW.yaml)."""

    flow: NodeId
    vignettes: Annotated[list[Vignette], msgspec.Meta(min_length=1)]


class End(msgspec.Struct, frozen=True):
    """An outcome, as feedback names it."""

    node: str
    ref: str
    title: str


class GuidanceRef(msgspec.Struct, frozen=True):
    """A decision aid offered at a question: `decision-trees guidance ID` shows it."""

    id: str
    title: str
    section: str


class Difference(msgspec.Struct, frozen=True):
    """The first question where the trainee's route left the vignette's: what the protocol's criteria
    give there, what was chosen, and where the protocol decides it."""

    node: str
    question: str
    expected_answer: str
    given_answer: str
    section: str
    guidance: list[GuidanceRef]  # the decision aids the question offers


class CueView(msgspec.Struct, frozen=True):
    """A cue as feedback shows it: the fact, and what it matches in words (an indicator's level, text
    and source, or a section)."""

    fact: str
    matches: str
    level: str | None = None  # the choice an indicator stands for


class Feedback(msgspec.Struct, frozen=True):
    """One vignette practised: `verdict` is "matches" (the case's answer), "defensible" (another answer
    the case accepts, with `defensible_reason`) or "differs"; `correct` is true unless it differs."""

    vignette: str
    title: str
    correct: bool
    expected: End
    reached: End
    first_difference: Difference | None
    verdict: Literal["matches", "defensible", "differs"] = "matches"
    reason: str = ""
    cues: list[CueView] = []
    defensible_reason: str | None = None
    sections: list[str] = []


def expected_walk(flow: Flow, vignette: Vignette | Defensible) -> Walk:
    """The walk the answers of a vignette (or of one of its defensible answers) take. `AnswerError`
    when they no longer fit the flow: a question on the route with no answer, an answer that is not a
    choice's exact label, an answer left unused, or another outcome than the one named."""
    walk, used = begin(flow), set()
    while (node := current(flow, walk)).end() is None:
        answer: Answer = Noted()
        if node.asks:
            if walk.at not in vignette.answers:
                raise AnswerError(MESSAGES["gives_no_answer_question"].format(at=walk.at, text=node.text))
            given = vignette.answers[walk.at]
            answer = _exactly(node, walk.at, given)
            used.add(walk.at)
        walk = step(flow, walk, answer)
    unused = [node_id for node_id in vignette.answers if node_id not in used]
    if unused:
        raise AnswerError(MESSAGES["answers_off_route_other_answers"].format(unused=", ".join(unused)))
    end = outcome(flow, walk)
    if vignette.outcome not in (end.ref, walk.at):
        raise AnswerError(MESSAGES["answers_reach_not"].format(ref=end.ref, outcome=vignette.outcome))
    return walk


def _exactly(node: Node, node_id: str, given: str) -> Answer:
    """The answer a case file gives, which must be written exactly as the codec writes it (a choice's
    whole label, ticks in the checklist's order): a case is read by people as well as the tool."""
    try:
        answer = node.parse(node_id, given)
    except AnswerError:
        answer = None
    if answer is None or answer_text(answer) != given:
        valid = ", ".join(node.valid())
        raise AnswerError(MESSAGES["answer_not_choice_valid_choices"].format(given=given, node_id=node_id, valid=valid))
    return answer


def stale(flow: Flow, vignette: Vignette, book: GuidanceBook | None = None) -> str | None:
    """Why the vignette no longer fits its flow, or disagrees with its own cues; None when it is sound.
    Without `book`, the cues are not checked against the indicators."""
    try:
        expected_walk(flow, vignette)
        for index, other in enumerate(vignette.defensible, 1):
            try:
                expected_walk(flow, other)
            except AnswerError as exc:
                raise AnswerError(MESSAGES["defensible_answer"].format(index=index, problem=exc)) from None
    except AnswerError as exc:
        return str(exc)
    return None if book is None else cue_problem(flow, book, vignette)


def cue_problem(flow: Flow, book: GuidanceBook, vignette: Vignette) -> str | None:
    """Where the case's answers and its cues disagree: a cue that matches nothing, an indicator the
    flow does not offer, a question offering indicators answered with none ticked, or an answer
    other than the level its indicators point to, unless `against_cues` says why."""
    offered = offered_indicators(flow, book)
    ticked: dict[str, list[str]] = {}
    for index, cue in enumerate(vignette.cues, 1):
        if cue.indicator is None and cue.section is None:
            return MESSAGES["cue_names_neither_indicator_nor"].format(index=index, fact=cue.fact[:40])
        if cue.indicator is not None:
            if cue.indicator not in offered:
                return MESSAGES["cue_names_indicator_which_does"].format(
                    index=index, indicator=cue.indicator, id=flow.id
                )
            ticked.setdefault(offered[cue.indicator][0], []).append(cue.indicator)
    asked = {node_id for node_id, _ in offered.values()}
    for node_id in vignette.answers:
        if node_id in asked and node_id not in ticked:
            return MESSAGES["answers_which_offers_indicators_but"].format(node_id=node_id)
    for node_id, ids in ticked.items():
        ask = flow.nodes[node_id].ask()
        if ask is None:
            continue  # an end offers no indicators (`offered` names only nodes that ask)
        points_to = tally(node_id, ask, indicators_for(ask, book), ids).points_to
        given = vignette.answers.get(node_id)
        if given is None:
            return MESSAGES["cues_tick_indicators_at_which"].format(node_id=node_id)
        if given != points_to and vignette.against_cues is None:
            return MESSAGES["answer_but_cues_point_change"].format(node_id=node_id, given=given, points_to=points_to)
    return None


def _end(flow: Flow, walk: Walk) -> End:
    node = outcome(flow, walk)
    return End(walk.at, node.ref, node.title)


def cue_views(flow: Flow, book: GuidanceBook, vignette: Vignette) -> list[CueView]:
    """The case's cues in words: each fact, and the indicator (level, text, where) or section it matches."""
    offered = offered_indicators(flow, book)
    found = []
    for cue in vignette.cues:
        if cue.indicator in offered:
            _, indicator = offered[cue.indicator]
            found.append(
                CueView(cue.fact, f"{indicator.level}: “{indicator.text}” ({indicator.source})", indicator.level)
            )
        else:
            found.append(CueView(cue.fact, section_words(cue.section) if cue.section else ""))
    return found


def feedback(flow: Flow, book: GuidanceBook, vignette: Vignette, given: Walk) -> Feedback:
    """How the trainee's walk `given` compares with the vignette's: whether it reached the case's end
    or another the case accepts, and the first question where the two routes part (they agree on every
    question before it, so they stand at the same one)."""
    expected = expected_walk(flow, vignette)
    difference = None
    for taken in given.route:
        ask = flow.nodes[taken.node].ask()
        if ask is not None and taken.text is not None and taken.text != vignette.answers.get(taken.node):
            offered = [g for g in ask.guidance if g in book.guidance]
            guidance = [GuidanceRef(g, book.guidance[g].title, book.guidance[g].section) for g in offered]
            difference = Difference(
                taken.node, ask.text, vignette.answers.get(taken.node, ""), taken.text, ask.section, guidance
            )
            break
    reached = _end(flow, given)
    verdict: Literal["matches", "defensible", "differs"] = "differs"
    why = None
    if reached.node == _end(flow, expected).node:
        verdict = "matches"
    else:
        for other in vignette.defensible:
            if _end(flow, expected_walk(flow, other)).node == reached.node:
                verdict, why = "defensible", other.reason
                break
    return Feedback(
        vignette.id,
        vignette.title,
        verdict != "differs",
        _end(flow, expected),
        reached,
        difference,
        verdict=verdict,
        reason=vignette.reason,
        cues=cue_views(flow, book, vignette),
        defensible_reason=why,
        sections=list(vignette.sections),
    )


class Score(msgspec.Struct, frozen=True):
    """Vignettes practised in a row, how many reached the case's end or a defensible one, and of
    those how many were defensible."""

    correct: int
    of: int
    defensible: int = 0


def score(results: list[Feedback]) -> Score:
    return Score(
        sum(result.correct for result in results),
        len(results),
        sum(result.verdict == "defensible" for result in results),
    )
