"""Keeping a practitioner's answers when a walk cannot end as it should: interrupted (Ctrl-C, a
closed terminal, a kill) or finished but its files could not be written. Nothing typed is lost."""

from __future__ import annotations

from decision_trees.core.engine import Walk, answers_given
from decision_trees.core.models import Flow
from decision_trees.core.record import RESUME_SCHEMA, flow_hash
from decision_trees.data import files


def keep_walk(flow: Flow, walk: Walk, ticks: dict[str, list[str]], *, finished: bool = False) -> str:
    """Save the answers so far for --resume; say how to pick up, or why they could not be saved."""
    name = flow.aliases[0] if flow.aliases else flow.id
    answers = answers_given(walk)
    earlier = files.saved_answers(flow.id)
    stopped = "the walk is finished" if finished else "walk interrupted"
    if earlier is not None and earlier > len(answers):
        # Never replace saved answers with fewer: the practitioner did not choose to start again.
        return (
            f"{stopped}; the walk saved earlier ({earlier} answers) is kept, as this one had fewer "
            f"({len(answers)}). To pick it up: decision-trees walk {name} --resume"
        )
    data: dict[str, object] = {
        "schema": RESUME_SCHEMA,
        "flow": {"id": flow.id, "version": flow.version, "hash": flow_hash(flow)},
        "answers": answers,
        "indicators": [i for ids in ticks.values() for i in ids],
    }
    try:
        path = files.save_resume(flow.id, data)
    except OSError as exc:
        folder = files.state_dir()
        return (
            f"{stopped}; the answers could not be saved in {folder} ({exc.strerror or exc}). "
            f"Start again with: decision-trees walk {name}"
        )
    if finished:
        return (
            f"your answers are saved in {path}. To show or write the summary again: "
            f"decision-trees walk {name} --resume, with the options you gave"
        )
    return (
        f"walk interrupted; your answers so far are saved in {path}. To pick up at the same question: "
        f"decision-trees walk {name} --resume (or delete them: decision-trees forget {name})"
    )
