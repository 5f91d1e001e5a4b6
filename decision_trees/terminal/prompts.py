"""The only module that touches questionary. Prompts draw on stderr so stdout carries just the summary."""

from __future__ import annotations

import sys
from typing import Any

import questionary
from prompt_toolkit.output import create_output

from decision_trees.core.text import visible
from decision_trees.terminal.prompting import BACK, DONE


def _output() -> dict[str, Any]:
    return {"output": create_output(stdout=sys.stderr)}


def _ask(question: questionary.Question) -> Any:
    answer = question.unsafe_ask()  # raises KeyboardInterrupt on Ctrl-C, so the caller can save the walk
    if answer is None:
        raise KeyboardInterrupt
    return answer


def choose(
    message: str,
    labels: list[str],
    *,
    default: str | None,
    allow_back: bool,
    instruction: str,
    extras: list[tuple[str, str]] | None = None,
) -> str:
    """A label of `labels`, the value of one of `extras` (title, value), or BACK."""
    choices: list[Any] = [questionary.Choice(visible(label), value=label) for label in labels]
    if extras:
        extra = (questionary.Choice(visible(title), value=value) for title, value in extras)
        choices += [questionary.Separator(), *extra]
    if allow_back:
        choices += [questionary.Separator(), questionary.Choice("← Back", value=BACK)]
    return str(_ask(questionary.select(message, choices, default=default, instruction=instruction, **_output())))


def confirm_action(message: str, *, allow_back: bool) -> str:
    """DONE once the practitioner has seen the action, or BACK."""
    choices: list[Any] = [questionary.Choice("Noted – continue", value=DONE)]
    if allow_back:
        choices.append(questionary.Choice("← Back", value=BACK))
    return str(_ask(questionary.select(message, choices, instruction="(action)", **_output())))


def tick(message: str, items: list[tuple[str, str]], *, ticked: list[str]) -> list[str]:
    """The values of the items ticked in a checkbox list (title, value), starting from `ticked`."""
    choices = [questionary.Choice(visible(title), value=value, checked=value in ticked) for title, value in items]
    return list(_ask(questionary.checkbox(message, choices, **_output())))


def pause(message: str) -> None:
    questionary.press_any_key_to_continue(message, **_output()).unsafe_ask()


class ArrowPrompter:
    """The arrow-key prompts, with the same interface as `lineprompts.LinePrompter`."""

    choose = staticmethod(choose)
    confirm_action = staticmethod(confirm_action)
    tick = staticmethod(tick)
    pause = staticmethod(pause)
