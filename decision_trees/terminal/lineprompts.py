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
                self._say("  b. Back to the previous question")
            hint = f', Enter for "{default}"' if default else ""
            text = self._read(f"Type a number or an answer{hint}: ")
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
            problem = f"{text!r} is not one of the choices" if not found else f"{text!r} could mean more than one"
            if self.piped:
                raise AnswerError(f"line {self.lines_read}: {problem}; valid choices: {', '.join(labels)}")
            self._say(f"{problem}. Type a number from 1 to {len(labels) + len(extras)}, or the answer.")

    def confirm_action(self, message: str, *, allow_back: bool) -> str:
        if self.piped:
            return DONE  # actions need no answer, so no line is taken for them
        back = ", or type b to go back" if allow_back else ""
        text = self._read(f"{message} Press Enter when noted{back}: ")
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
            text = self._read("Type the numbers that apply, separated by spaces (Enter keeps the ticks as they are): ")
            if not text:
                return list(ticked)
            numbers = text.replace(",", " ").split()
            if all(n.isdigit() and 1 <= int(n) <= len(items) for n in numbers):
                return [items[int(n) - 1][1] for n in dict.fromkeys(numbers)]
            if self.piped:
                raise AnswerError(f"line {self.lines_read}: {text!r} is not a list of numbers from 1 to {len(items)}")
            self._say(f"Numbers from 1 to {len(items)}, please.")

    def pause(self, message: str) -> None:
        if not self.piped:
            self._read(message.replace("any key", "Enter") + ": ")
