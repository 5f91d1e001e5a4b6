"""Keeping a practitioner's answers when a walk cannot end as it should: interrupted (Ctrl-C, a
closed terminal, a kill) or finished but its files could not be written. Nothing typed is lost."""

from __future__ import annotations

import shlex

from decision_trees.core.engine import Walk, answers_given
from decision_trees.core.errors import DecisionTreesError, option
from decision_trees.core.models import Flow
from decision_trees.core.record import RESUME_SCHEMA, flow_hash
from decision_trees.data import files


def keep_walk(flow: Flow, walk: Walk, ticks: dict[str, list[str]], *, finished: bool = False) -> str:
    """Save the answers so far for a resumed walk; say how to pick up, or why they could not be saved."""
    name = flow.aliases[0] if flow.aliases else flow.id
    answers = answers_given(walk)
    earlier = files.saved_answers(flow.id)
    stopped = "the walk is finished" if finished else "Walk stopped"
    if earlier is not None and earlier > len(answers):
        # Never replace saved answers with fewer: the practitioner did not choose to start again.
        return (
            f"{stopped}; the walk saved earlier ({earlier} answers) is kept, as this one had fewer "
            f"({len(answers)}). To pick it up: decision-trees walk {name} {option('resume')}"
        )
    data: dict[str, object] = {
        "schema": RESUME_SCHEMA,
        "flow": {"id": flow.id, "version": flow.version, "hash": flow_hash(flow)},
        "answers": answers,
        "indicators": [i for ids in ticks.values() for i in ids],
    }
    try:
        path = files.save_resume(flow.id, data)
    except (OSError, DecisionTreesError) as exc:  # the write check refuses a link or a folder it may not use
        why = exc.strerror or exc if isinstance(exc, OSError) else exc
        return (
            f"{stopped}; the answers could not be saved in {files.state_dir()} ({why}). "
            f"Nothing you typed is lost: to walk it again with them, {replay_line(name, walk, ticks)}"
        )
    if finished:
        return (
            f"your answers are saved in {path}. To show or write the summary again: "
            f"decision-trees walk {name} {option('resume')}, with the options you gave"
        )
    return (
        f"Walk stopped; your answers so far are saved in {path}. To pick up at the same question: "
        f"decision-trees walk {name} {option('resume')} (or delete them: decision-trees forget {name})"
    )


def replay_line(name: str, walk: Walk, ticks: dict[str, list[str]]) -> str:
    """The last resort where nothing can be written: the command that walks the same answers again."""
    answers = ",".join(step.text for step in walk.route if step.text is not None)
    line = f"decision-trees walk {shlex.quote(name)}"
    line += f" {option('answers')} {shlex.quote(answers)}" if answers else ""
    return line + "".join(f" {option('indicator')} {shlex.quote(i)}" for ids in ticks.values() for i in ids)
