"""Keeping a practitioner's answers when a walk cannot end as it should: interrupted (Ctrl-C, a
closed terminal, a kill) or finished but its files could not be written. Nothing typed is lost."""

from __future__ import annotations

import shlex

from decision_trees.core.engine import Walk, answers_given
from decision_trees.core.errors import DecisionTreesError, option
from decision_trees.core.models import Flow
from decision_trees.core.record import RESUME_SCHEMA, flow_hash
from decision_trees.data import files
from decision_trees.words import MESSAGES


def keep_walk(flow: Flow, walk: Walk, ticks: dict[str, list[str]], *, finished: bool = False) -> str:
    """Save the answers so far for a resumed walk; say how to pick up, or why they could not be saved."""
    name = flow.aliases[0] if flow.aliases else flow.id
    answers = answers_given(walk)
    earlier = files.saved_answers(flow.id)
    stopped = MESSAGES["walk_finished"] if finished else MESSAGES["walk_stopped"]
    if earlier is not None and earlier > len(answers):
        # Never replace saved answers with fewer: the practitioner did not choose to start again.
        return MESSAGES["walk_saved_earlier_answers_kept"].format(
            stopped=stopped, earlier=earlier, answers_count=len(answers), name=name, option_resume=option("resume")
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
        return MESSAGES["answers_could_not_be_saved"].format(
            stopped=stopped, state_dir=files.state_dir(), why=why, replay_line=replay_line(name, walk, ticks)
        )
    if finished:
        return MESSAGES["your_answers_are_saved_show"].format(path=path, name=name, option_resume=option("resume"))
    return MESSAGES["walk_stopped_your_answers_so"].format(path=path, name=name, option_resume=option("resume"))


def replay_line(name: str, walk: Walk, ticks: dict[str, list[str]]) -> str:
    """The last resort where nothing can be written: the command that walks the same answers again."""
    answers = ",".join(step.text for step in walk.route if step.text is not None)
    line = f"decision-trees walk {shlex.quote(name)}"
    line += f" {option('answers')} {shlex.quote(answers)}" if answers else ""
    return line + "".join(f" {option('indicator')} {shlex.quote(i)}" for ids in ticks.values() for i in ids)
