"""Prompts as plain lines: numbered choices typed as a number or a label, for screen readers, dumb
terminals and NO_COLOR, and for answers piped in one a line. No questionary, no colour, no cursor moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from decision_trees.core.errors import AnswerError
from decision_trees.core.kinds.base import matching
from decision_trees.core.text import visible
from decision_trees.output.consoles import fit
from decision_trees.terminal.prompting import BACK, DONE
from decision_trees.words import TERMINAL as T


class LinePrompter:
    """Reads one answer a line from `source`; when `piped`, a bad line is an error, not a new try."""

    def __init__(self, source: TextIO, sink: TextIO, *, piped: bool) -> None:
        self.source = source
        self.sink = sink
        self.piped = piped
        self.lines_read = 0

    def _say(self, text: str = "") -> None:
        self.sink.write(fit(visible(text), self.sink) + "\n")
        self.sink.flush()

    def _read(self, prompt: str) -> str:
        self.sink.write(prompt)
        self.sink.flush()
        line = self.source.readline()
        if line == "":
            raise EOFError
        self.lines_read += 1
        if self.piped:
            self._say(line.rstrip("\n"))  # echo, so that the transcript reads as a dialogue
        return line.strip()

    def choose(
        self,
        message: str,
        labels: list[str],
        *,
        default: str | None,
        allow_back: bool,
        instruction: str,
        extras: list[tuple[str, str]] | None = None,
        search: bool = False,
    ) -> str:
        extras = extras or []
        while True:
            self._say(f"{message} {instruction}")
            for number, label in enumerate(labels, 1):
                self._say(f"  {number}. {label}")
            for number, (title, _) in enumerate(extras, len(labels) + 1):
                self._say(f"  {number}. {title}")
            if allow_back:
                self._say(T["b_back_previous_question"])
            hint = T["enter_for_default"].format(default=default) if default else ""
            text = self._read(T["type_number_answer"].format(hint=hint))
            if not text and default:
                return default
            if text.isdigit() and 1 <= int(text) <= len(labels) + len(extras):
                index = int(text) - 1
                return labels[index] if index < len(labels) else extras[index - len(labels)][1]
            if allow_back and text.casefold() in ("b", "back"):
                return BACK
            found = matching(labels, text)
            if len(found) == 1:
                return found[0]
            problem = (
                T["not_one_choices"].format(text=text) if not found else T["could_mean_more_than_one"].format(text=text)
            )
            if self.piped:
                raise AnswerError(
                    T["line_valid_choices"].format(
                        lines_read=self.lines_read, problem=problem, labels=", ".join(labels)
                    )
                )
            self._say(T["type_number_from_1_answer"].format(problem=problem, most=len(labels) + len(extras)))

    def confirm_action(self, message: str, *, allow_back: bool) -> str:
        if self.piped:
            return DONE  # actions need no answer, so no line is taken for them
        back = T["type_b_go_back"] if allow_back else ""
        text = self._read(T["press_enter_when_noted"].format(message=message, back=back))
        return BACK if allow_back and text.casefold() in ("b", "back") else DONE

    def tick(
        self,
        message: str,
        items: list[tuple[str, str]],
        *,
        ticked: list[str],
        groups: list[str] | None = None,
        tally: Callable[[list[str]], str] | None = None,
    ) -> list[str]:
        self._say(message)
        heading = None
        for number, (title, value) in enumerate(items, 1):
            if groups and groups[number - 1] != heading:
                heading = groups[number - 1]
                self._say(f"{heading}:")
            mark = "ticked" if value in ticked else ""
            self._say(f"  {number}. {title} {mark}".rstrip())
        while True:
            text = self._read(T["type_numbers_that_apply_separated"])
            if not text:
                return list(ticked)
            numbers = text.replace(",", " ").split()
            if all(n.isdigit() and 1 <= int(n) <= len(items) for n in numbers):
                return [items[int(n) - 1][1] for n in dict.fromkeys(numbers)]
            if self.piped:
                raise AnswerError(
                    T["line_not_list_numbers_from"].format(
                        lines_read=self.lines_read, text=text, items_count=len(items)
                    )
                )
            self._say(T["numbers_from_1_please"].format(items_count=len(items)))

    def pause(self) -> None:
        if not self.piped:
            self._read(T["press_enter"])
