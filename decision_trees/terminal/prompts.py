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
    message = _wrap(message, _width() - 2, 2)  # at word boundaries, not wherever the window ends
    choices: list[Any] = [questionary.Choice(_wrap(visible(label), _width() - 4, 3), value=label) for label in labels]
    if extras:
        extra = (questionary.Choice(_wrap(visible(title), _width() - 4, 3), value=value) for title, value in extras)
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


def _width() -> int:
    import shutil

    return max(30, shutil.get_terminal_size((80, 24)).columns)


def _wrap(text: str, width: int, indent: int) -> str:
    """`text` wrapped at word boundaries to `width`, its later lines indented to sit under the first."""
    import textwrap

    return textwrap.fill(text, width=max(20, width), subsequent_indent=" " * indent, break_long_words=False)


def tick(
    message: str, items: list[tuple[str, str]], *, ticked: list[str], groups: list[str] | None = None
) -> list[str]:
    """The values of the items ticked in a checkbox list (title, value), starting from `ticked`;
    grouped under headings, each item wrapped to the window, and filtered by typing."""
    width = _width() - 6  # the pointer and the tick box
    choices: list[Any] = []
    heading = None
    for index, (title, value) in enumerate(items):
        if groups and groups[index] != heading:
            heading = groups[index]
            choices.append(questionary.Separator(_wrap(f"-- {heading} --", width, 3)))
        choices.append(questionary.Choice(_wrap(visible(title), width, 4), value=value, checked=value in ticked))
    question = questionary.checkbox(
        _wrap(message, _width() - 2, 2),
        choices,
        instruction="(space ticks, type to filter)",
        use_search_filter=True,
        use_jk_keys=False,
        **_output(),
    )
    return list(_ask(question))


def pause(message: str) -> None:
    questionary.press_any_key_to_continue(message, **_output()).unsafe_ask()


class ArrowPrompter:
    """The arrow-key prompts, with the same interface as `lineprompts.LinePrompter`."""

    choose = staticmethod(choose)
    confirm_action = staticmethod(confirm_action)
    tick = staticmethod(tick)
    pause = staticmethod(pause)
