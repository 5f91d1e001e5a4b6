"""Output on any console: a Windows code page, the C locale, a pipe. Characters a console cannot
show become plain equivalents; JSON is UTF-8 whatever the console's encoding."""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import sys
import unicodedata
from typing import Any, TextIO

from decision_trees.words import MESSAGES

ERRORS = "decision-trees-plain"

# What the tool and the bundled flows print that a legacy code page may lack, in plain characters.
PLAIN = {
    "☎": "Tel",
    "→": "->",
    "←": "<-",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "•": "*",
    "·": "-",
    "☑": "[x]",
    "✓": "v",
    "▸": ">",
    "■": "#",
    "…": "...",
    "\u00a0": " ",
    "£": "GBP ",
    # Lines and boxes, where rich has not already chosen ASCII ones.
    "─": "-",
    "━": "-",
    "│": "|",
    "├": "+",
    "└": "+",
    "┌": "+",
    "┐": "+",
    "┘": "+",
    "┬": "+",
    "┴": "+",
    "┼": "+",
}


def plain(text: str) -> str:
    """`text` in characters any console can show: known symbols replaced, accents dropped, then '?'."""
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
        elif char in PLAIN:
            out.append(PLAIN[char])
        else:
            decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
            out.append(decomposed or "?")
    return "".join(out)


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return plain(error.object[error.start : error.end]), error.end


def is_utf8(stream: TextIO) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding in ("utf8", "utf8sig")


class Closed(io.TextIOBase):
    """Stands in for a standard stream that was closed when the tool started (`>&-`, `<&-`), where
    Python leaves None: it reads as empty, and writing to it fails as writing to a closed file does,
    so that the summary is saved and the error said (on stderr, if that is open)."""

    encoding = "utf-8"

    def __init__(self, stream: str) -> None:
        super().__init__()
        self.stream = stream  # stdin, stdout or stderr
        self.name = MESSAGES[f"stream_{stream}"]

    def isatty(self) -> bool:
        return False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        return ""

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return ""

    def write(self, text: str) -> int:
        if self.stream == "stderr":
            return len(text)  # nowhere to say anything: the exit code still tells
        raise OSError(errno.EBADF, MESSAGES["stream_closed"].format(name=self.name))

    def fileno(self) -> int:
        raise io.UnsupportedOperation(MESSAGES["stream_closed"].format(name=self.name))

    @property
    def buffer(self) -> ClosedBytes:  # batch reads and writes bytes
        return ClosedBytes(self.name)


class ClosedBytes(io.RawIOBase):
    """The bytes side of a `Closed` stream: reading and writing both fail, as on a closed file, so that
    `batch - <&-` says standard input is closed instead of reading no cases and exiting 0."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name  # in words: "standard input"

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> bytes:
        raise OSError(errno.EBADF, MESSAGES["stream_closed"].format(name=self.name))

    def readinto(self, buffer: Any) -> int:
        raise OSError(errno.EBADF, MESSAGES["stream_closed"].format(name=self.name))

    def write(self, data: Any) -> int:
        raise OSError(errno.EBADF, MESSAGES["stream_closed"].format(name=self.name))


def guard_streams() -> None:
    """Put a `Closed` stand-in where a standard stream is missing, so that no command meets None."""
    for stream in ("stdin", "stdout", "stderr"):
        if getattr(sys, stream) is None:
            setattr(sys, stream, Closed(stream))


def prepare(*streams: TextIO) -> None:
    """Make `streams` (stdout and stderr by default) write what their encoding lacks in plain
    characters instead of failing."""
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        codecs.register_error(ERRORS, _replace)
    for stream in streams or (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not is_utf8(stream):
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change keeps its own way
                reconfigure(errors=ERRORS)


def write_json(text: str, stream: TextIO | None = None) -> None:
    """JSON to stdout as UTF-8 bytes whatever the console's encoding; to a terminal that is not
    UTF-8, with non-ASCII characters escaped instead, so that it reads right there."""
    stream = stream or sys.stdout
    if is_utf8(stream):
        stream.write(text)
        return
    if stream.isatty():
        import json

        stream.write(json.dumps(json.loads(text), indent=2, ensure_ascii=True) + "\n")
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def fit(text: str, stream: TextIO | None = None) -> str:
    """`text` wrapped at word boundaries to the window when `stream` (stderr) is a terminal, so that
    no word, option or command is split where the window ends; its later lines are indented. A pipe
    or a file keeps each message on one line, for the scripts that read it."""
    stream = stream or sys.stderr
    try:
        if not stream.isatty():
            return text
        width = _columns(stream)
    except (OSError, ValueError):
        return text
    import textwrap

    return "\n".join(
        textwrap.fill(line, width - 1, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)
        for line in text.split("\n")
    )


def _columns(stream: TextIO) -> int:
    """The window's width: $COLUMNS as the shell sets it, else the terminal's own; never under 20."""
    import os

    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = os.get_terminal_size(stream.fileno()).columns
    return min(max(20, columns), MAX_COLUMNS)


MAX_COLUMNS = 1000  # wider than any screen: COLUMNS=99999999999 would otherwise pad lines to gigabytes
