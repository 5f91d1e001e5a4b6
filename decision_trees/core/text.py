"""Text that could mislead a reader: control characters (terminal escapes, fake line breaks),
bidirectional overrides and marks (which reorder what is shown, so that "3210 6497 020" displays as
"020 7946 0123") and invisible characters (zero-width spaces and joiners, which make two different
texts look the same). Flow and contacts files may hold none of them (`misleading`, used at load);
anything shown from elsewhere has them written out visibly (`visible`)."""

from __future__ import annotations

import re
from functools import cache

from decision_trees.words import MESSAGES

# One set, used both to refuse and to escape. A line break is allowed in text (a flow's prose may
# have paragraphs); the fields that must be one line refuse it through their type (models.Line).
_TAB = r"\x09"
_MISLEADING = (
    r"\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1 controls but the tab and the line break, DEL
    r"\u00ad"  # soft hyphen
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
    r"\u180e\u200b-\u200d\u2060-\u2064\ufeff"  # zero-width spaces and joiners, invisible operators
    r"\u2028\u2029"  # line and paragraph separators
    r"\ufff9-\ufffb"  # interlinear annotation
    # The rest of Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): shown as nothing,
    # so 35 Unicode tags once spelt a hidden instruction through a flow into the summary and the email.
    # None is allowed: no flow or contacts file of a protocol in English needs one.
    r"\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2065\u206a-\u206f\u3164"
    r"\ufe00-\ufe0f\uffa0\ufff0-\ufff8"
    r"\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)


@cache
def misleading() -> re.Pattern[str]:
    """The pattern of every character a flow or contacts file may not hold."""
    # Compiled on first use: a scripted JSON walk from the compiled form never needs it.
    return re.compile(f"[{_TAB}{_MISLEADING}]")


@cache
def _shown() -> re.Pattern[str]:
    return re.compile(f"[{_MISLEADING}]")  # a tab shows as white space, which it is


def describe(char: str) -> str:
    """A character as U+XXXX with its Unicode name, for an error message."""
    import unicodedata

    name = unicodedata.name(char, "")
    if not name:
        name = {"\t": "TAB", "\r": "CARRIAGE RETURN"}.get(char, "control character")
    return f"U+{ord(char):04X} ({name})"


def visible(text: str) -> str:
    """`text` with every misleading character but the tab written as \\xNN, \\uNNNN or \\UNNNNNNNN."""
    return _shown().sub(lambda m: _escape(ord(m[0])), text)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def clip(text: str, size: int = 40) -> str:
    """`text` quoted, cut to `size` characters with how long it was: an echo of what a user gave (an
    answer, a key) stays short, whatever they gave."""
    if len(text) <= size:
        return repr(text)
    return MESSAGES["clipped_quoted"].format(text=text[:size], text_count=len(text))


def cut(text: str, size: int = 40) -> str:
    """`text` unquoted, cut to `size` characters with how long it was."""
    return text if len(text) <= size else MESSAGES["clipped"].format(text=text[:size], text_count=len(text))


def count_words(count: int) -> str:
    """`1,234`; a count too long to print in full (2 to the power 20,000 routes) as its size in digits.
    Python refuses to turn an integer of over 4,300 digits into a string, and nobody reads one."""
    if count.bit_length() <= 50:
        return f"{count:,}"
    digits = int(count.bit_length() * 0.30102999566398120) + 1  # log10(2): within one of the true count
    return MESSAGES["about_10_digit_number"].format(exponent=digits - 1, digits=digits)
