"""The walk at a terminal: one question at a time, with Back, drawn on stderr."""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from . import engine, prompts
from .answers import Feed
from .engine import (
    Walk,
    acknowledge,
    back,
    begin,
    can_go_back,
    choose,
    current,
    is_finished,
    remembered,
    route_questions,
)
from .errors import WalkInterrupted
from .models import Action, Flow, Question
from .terminal import literal


def resume_hint(flow: Flow, walk: Walk) -> str:
    """The command that replays the answers given so far."""
    name = flow.aliases[0] if flow.aliases else flow.id
    answered = [label for _, label in route_questions(flow, walk)]
    if not answered:
        return f"decision-trees walk {name}"
    if any("," in label or "'" in label for label in answered):
        options = " ".join(f"--answer '{step.node}={step.answer}'" for step in walk.route if step.answer)
        return f"decision-trees walk {name} {options}"
    return f"decision-trees walk {name} --answers '{','.join(answered)}'"


def _header(ui: Console, flow: Flow, walk: Walk) -> None:
    step = len(route_questions(flow, walk)) + 1
    ui.print(Rule(literal(f"{flow.source.part} · {flow.title} · question {step}"), style="dim"))
    for node, answer in route_questions(flow, walk):
        ui.print(Text.assemble(("  ✓ ", "green"), literal(node.text, "dim"), "  ", literal(answer, "cyan")))


def walk_interactively(flow: Flow, feed: Feed, *, explain: bool = False) -> Walk:
    """Ask every question the feed does not answer; actions are shown and acknowledged."""
    ui = Console(stderr=True, highlight=False)
    walk = begin(flow)
    feed.check_nodes(flow)
    try:
        while not is_finished(flow, walk):
            node = current(flow, walk)
            if isinstance(node, Action):
                if feed:
                    walk = acknowledge(flow, walk)
                    continue
                _header(ui, flow, walk)
                if explain:
                    for line in engine.explain(flow, walk.at):
                        ui.print(literal(line, "magenta"))
                ui.print(Text.assemble(("▸ Action: ", "bold yellow"), literal(node.text, "bold")))
                ui.print(literal(f"  Protocol section {node.section}", "dim"))
                if prompts.confirm_action("Have you noted this action?", allow_back=can_go_back(walk)) == prompts.BACK:
                    walk = back(walk)
                else:
                    walk = acknowledge(flow, walk)
                continue
            assert isinstance(node, Question)
            label = feed.take(walk.at, node)
            if label is None:
                _header(ui, flow, walk)
                if explain:
                    for line in engine.explain(flow, walk.at):
                        ui.print(literal(line, "magenta"))
                if node.prompt:
                    ui.print(Text.assemble(("  Chart: ", "dim"), literal(f"“{node.text}”", "dim italic")))
                label = prompts.choose(
                    node.prompt or node.text,
                    [c.label for c in node.choices],
                    default=remembered(walk),
                    allow_back=can_go_back(walk),
                    instruction=f"(section {node.section}; arrow keys, Enter)",
                )
                if label == prompts.BACK:
                    walk = back(walk)
                    continue
            walk = choose(flow, walk, label)
    except (KeyboardInterrupt, EOFError):
        raise WalkInterrupted(
            f"walk interrupted; nothing was saved. To pick up at the same question: {resume_hint(flow, walk)}"
        ) from None
    feed.check_all_used(flow, walk)
    return walk
