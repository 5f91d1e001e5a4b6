"""Text from flow files made safe to show: control characters (terminal escapes) become visible."""

from __future__ import annotations

import re
from functools import cache


@cache
def _control() -> re.Pattern[str]:
    # Compiled on first use: a scripted JSON walk never needs it.
    return re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with every control character, and every bidirectional override, written as \\xNN or \\uNNNN."""
    return _control().sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)
