"""Output on any console: a Windows code page, the C locale, a pipe. Characters a console cannot
show become plain equivalents; JSON is UTF-8 whatever the console's encoding."""

from __future__ import annotations

import codecs
import contextlib
import sys
import unicodedata
from typing import TextIO

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
