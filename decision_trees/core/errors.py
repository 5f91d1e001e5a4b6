"""The one exception hierarchy. The CLI catches `DecisionTreesError` once and exits with `exit_code`.

An error names the input at fault through `option("now")`, never in one caller's terms: the command
line writes it `--now`, a batch line `"now"`, the library `now` (see `DecisionTreesError.said`). An
error about an answer also carries its `code`, its `node` and the valid `choices`, as data."""

from __future__ import annotations

from collections.abc import Callable, Sequence

_INPUT = "\ue001"  # around an input's name in a message (a private-use character: never typed)


def option(name: str) -> str:
    """An input named in a message (`now`, `answers`, `called_at`), for whoever shows it to name."""
    return f"{_INPUT}{name}{_INPUT}"


def named(text: str, term: Callable[[str], str]) -> str:
    """`text` with each input it names written by `term` (the command line's `--called-at`, say)."""
    parts = text.split(_INPUT)
    return "".join(part if index % 2 == 0 else term(part) for index, part in enumerate(parts))


def python_name(name: str) -> str:
    """The library's own term for an input: its keyword argument."""
    return f"`{name}`"


class DecisionTreesError(Exception):
    """A problem the user can fix; its message is one line naming the problem and the way out."""

    exit_code = 1
    label = "error: "  # what the one line on stderr says it is

    def __init__(
        self, message: str = "", *, code: str | None = None, node: str | None = None, choices: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.code = code  # what went wrong, for a program: "missing-answer", "no-such-choice", …
        self.node = node  # the question it concerns, if any
        self.choices = list(choices)  # the valid answers there

    @property
    def template(self) -> str:
        """The message with its inputs still to be named: what a wrapping error keeps."""
        return str(self.args[0]) if self.args else ""

    def said(self, term: Callable[[str], str] = python_name) -> str:
        """The message, each input it names written by `term`."""
        return named(self.template, term)

    def __str__(self) -> str:
        return self.said()


def kept(exc: BaseException) -> str:
    """An error's message for a wrapping one: its inputs left for whoever shows it to name."""
    return exc.template if isinstance(exc, DecisionTreesError) else str(exc)


class UsageError(DecisionTreesError):
    """Bad arguments: an unknown flow, a bad --now, an output file that exists."""

    exit_code = 2


class ContactsFileError(UsageError):
    """A local contacts file that cannot be used; `rule` is the validate rule it breaks."""

    def __init__(self, message: str, rule: str = "schema") -> None:
        super().__init__(message)
        self.rule = rule


class AnswerError(UsageError):
    """A scripted answer that does not fit the flow, or a question left without an answer."""


class FlowDataError(DecisionTreesError):
    """A flow, contacts or reference file that cannot be read or is not valid."""

    exit_code = 3

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, rule: str = "schema") -> None:
        self.file = file
        self.line = line
        self.detail = message
        self.rule = rule  # the validate rule it breaks
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        super().__init__(where + message)


class OutputError(DecisionTreesError):
    """A file could not be written, or the summary could not be shown; the message says where the
    summary is, so that the advice is never lost."""

    exit_code = 4


class WalkInterrupted(DecisionTreesError):
    """The practitioner stopped the walk (Ctrl-C, end of input); the message says how to resume.
    Not an error: it is reported as the walk stopped."""

    exit_code = 130
    label = ""


class StaleVignette(DecisionTreesError):
    """A practice vignette whose answers no longer take its route through the flow: the data needs
    mending (exit 1), unlike a trainee's wrong answer, which is the point of practice (exit 0)."""

    exit_code = 1
