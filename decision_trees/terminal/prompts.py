"""The only module that touches questionary. Prompts draw on stderr so stdout carries just the summary."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, cast

import questionary
from prompt_toolkit.output import create_output

from decision_trees.core.text import visible
from decision_trees.terminal.prompting import BACK, DONE
from decision_trees.words import TERMINAL as T


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
    search: bool = False,
) -> str:
    """A label of `labels`, the value of one of `extras` (title, value), or BACK; with `search`,
    typing filters the list."""
    titles = [_wrap(visible(label), _width() - 4, 3) for label in labels]
    choices: list[Any] = [questionary.Choice(title, value=label) for title, label in zip(titles, labels, strict=True)]
    if extras:
        extra = [(_wrap(visible(title), _width() - 4, 3), value) for title, value in extras]
        titles += [title for title, _ in extra]
        choices += [questionary.Separator(), *(questionary.Choice(title, value=value) for title, value in extra)]
    if allow_back:
        choices += [questionary.Separator(), questionary.Choice(T["back"], value=BACK)]
    message, instruction = _fit(message, instruction or T["use_arrow_keys"], titles)
    # Typing filters the list where asked; j and k are then letters to type, not keys that move.
    question = questionary.select(
        message,
        choices,
        default=default,
        instruction=instruction,
        use_search_filter=search,
        use_jk_keys=not search,
        **_output(),
    )
    return str(_ask(question))


def confirm_action(message: str, *, allow_back: bool) -> str:
    """DONE once the practitioner has seen the action, or BACK."""
    choices: list[Any] = [questionary.Choice(T["noted_continue"], value=DONE)]
    if allow_back:
        choices.append(questionary.Choice(T["back"], value=BACK))
    message, instruction = _fit(message, "(action)", [T["noted_continue"], T["back"]])
    return str(_ask(questionary.select(message, choices, instruction=instruction, **_output())))


def _fit(message: str, instruction: str, answers: list[str]) -> tuple[str, str]:
    """The question and its instruction wrapped at word boundaries to the window. questionary
    prints "? QUESTION INSTRUCTION" on one line, and after an answer "? QUESTION ANSWER", so when
    the longer of the two would not fit after the question's last line, both start on a line of
    their own; the terminal would otherwise split words wherever the window ends."""
    width = _width() - 1  # a character in the last column makes some consoles wrap early
    lines = _wrap(message, width - 2, 2).split("\n")
    tail = max(len(instruction), *(len(answer.split("\n", 1)[0]) for answer in answers))
    last = len(lines[-1]) + (2 if len(lines) == 1 else 0)  # the first line follows "? "
    if last + 1 + tail > width:
        lines.append("")  # questionary's space after the question, then the instruction, indent it by 2
        instruction = _wrap(instruction, width - 2, 2)
    return "\n".join(lines) + (" " if not lines[-1] else ""), instruction


def _width() -> int:
    import shutil

    return max(30, shutil.get_terminal_size((80, 24)).columns)


def _wrap(text: str, width: int, indent: int) -> str:
    """`text` wrapped at word boundaries to `width`, its later lines indented to sit under the first."""
    import textwrap

    return textwrap.fill(
        text, width=max(20, width), subsequent_indent=" " * indent, break_long_words=False, break_on_hyphens=False
    )


class _Ticking:
    """Where the checklist's cursor is, and what has been typed to filter it."""

    def __init__(self) -> None:
        self.cursor = 0
        self.filter = ""


def tick(
    message: str,
    items: list[tuple[str, str]],
    *,
    ticked: list[str],
    groups: list[str] | None = None,
    tally: Callable[[list[str]], str] | None = None,
) -> list[str]:
    """The values ticked of `items` (title, value), starting from `ticked`: grouped under headings,
    each item wrapped to the window, filtered by typing, with the tally by level shown live.

    questionary's checkbox can show none of a live tally, headings that wrap, or a filter beside
    them, so this one prompt is drawn with prompt_toolkit (which questionary itself is built on)."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.data_structures import Point
    from prompt_toolkit.layout import HSplit, Layout, Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    width = _width() - 6
    chosen = [value for _, value in items if value in ticked]
    rows = [
        (groups[index] if groups else "", _wrap(visible(title), width, 4), value)
        for index, (title, value) in enumerate(items)
    ]
    state = _Ticking()

    def shown() -> list[tuple[str, str, str]]:
        wanted = state.filter.casefold()
        return [row for row in rows if wanted in row[1].casefold()] if wanted else rows

    def body() -> list[tuple[str, str]]:
        lines: list[tuple[str, str]] = []
        heading = None
        for index, (group, title, value) in enumerate(shown()):
            if group and group != heading:
                heading = group
                lines.append(("bold", _wrap(f"-- {group} --", width, 3) + "\n"))
            pointer = "»" if index == state.cursor else " "
            mark = "[x]" if value in chosen else "[ ]"
            lines.append(("reverse" if index == state.cursor else "", f"{pointer} {mark} {title}\n"))
        return lines or [("", T["nothing_matches_filter"])]

    def cursor_line() -> Point:
        line, heading = 0, None
        for index, (group, title, _) in enumerate(shown()):
            if group and group != heading:
                heading = group
                line += _wrap(f"-- {group} --", width, 3).count("\n") + 1
            if index == state.cursor:  # its last line, so that the whole item scrolls into view
                return Point(0, line + title.count("\n"))
            line += title.count("\n") + 1
        return Point(0, 0)

    def head() -> list[tuple[str, str]]:
        # Every line wrapped at words here: the window would split words wherever it ends.
        lines = [("bold", _wrap(message, _width() - 2, 2) + "\n")]
        if tally is not None:
            lines.append(("", _wrap(tally(list(chosen)), _width() - 1, 2) + "\n"))
        search = T["filter_typed"].format(filter=state.filter) if state.filter else T["type_filter"]
        lines.append(("italic", _wrap(T["space_ticks_enter_when_done"].format(search=search), _width() - 1, 0) + "\n"))
        return lines

    keys = _ticking_keys(state, shown, chosen, [value for _, value in items])
    layout = Layout(
        HSplit(
            [
                Window(FormattedTextControl(cast(Any, head)), dont_extend_height=True, wrap_lines=True),
                Window(FormattedTextControl(cast(Any, body), focusable=True, get_cursor_position=cursor_line)),
            ]
        )
    )
    app: Application[list[str]] = Application(layout=layout, key_bindings=keys, full_screen=False, **_output())
    return list(app.run())


def _ticking_keys(
    state: _Ticking, shown: Callable[[], list[tuple[str, str, str]]], chosen: list[str], values: list[str]
) -> Any:
    """The checklist's keys: arrows move, Space ticks, typing filters, Enter ends, Ctrl-C stops."""
    from prompt_toolkit.key_binding import KeyBindings

    keys = KeyBindings()

    @keys.add("up")
    def _up(event: Any) -> None:
        state.cursor = max(0, state.cursor - 1)

    @keys.add("down")
    def _down(event: Any) -> None:
        state.cursor = min(len(shown()) - 1, state.cursor + 1)

    @keys.add(" ")
    def _toggle(event: Any) -> None:
        visible_rows = shown()
        if visible_rows:
            value = visible_rows[state.cursor][2]
            chosen.remove(value) if value in chosen else chosen.append(value)

    @keys.add("backspace")
    def _unfilter(event: Any) -> None:
        state.filter = state.filter[:-1]
        state.cursor = 0

    @keys.add("<any>")
    def _filter(event: Any) -> None:
        typed = event.data
        if typed.isprintable() and typed != " ":
            state.filter = state.filter + typed
            state.cursor = 0

    @keys.add("enter")
    def _done(event: Any) -> None:
        event.app.exit(result=[value for value in values if value in chosen])

    @keys.add("c-c")
    def _stop(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt())

    return keys


def pause() -> None:
    questionary.press_any_key_to_continue(_wrap(T["press_key"], _width() - 2, 0), **_output()).unsafe_ask()


class ArrowPrompter:
    """The arrow-key prompts, with the same interface as `lineprompts.LinePrompter`."""

    choose = staticmethod(choose)
    confirm_action = staticmethod(confirm_action)
    tick = staticmethod(tick)
    pause = staticmethod(pause)
