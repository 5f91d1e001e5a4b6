"""The one exception hierarchy. The CLI catches `DecisionTreesError` once and exits with `exit_code`."""


class DecisionTreesError(Exception):
    """A problem the user can fix; its message is one line naming the problem and the way out."""

    exit_code = 1
    label = "error: "  # what the one line on stderr says it is


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
