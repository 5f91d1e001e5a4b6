"""The action card laid out in plain text at a width, whole words only: what the test of CARD_LINES
measures and what `validate`'s long-card rule counts (the terminal lays it out the same way)."""

from __future__ import annotations

import re
import textwrap

from decision_trees.core.card import BOX, CARD_WIDTH, MARKER_WIDTH, PHONE, Card, card_rows

NBSP = "\u00a0"


def wrapped_lines(text: str, width: int = CARD_WIDTH) -> int:
    """How many lines a row of the card with no marker (its title) takes at `width`."""
    indent = " " * MARKER_WIDTH
    return len(textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent, break_long_words=False))


def card_lines(card: Card, due_texts: list[str], width: int = CARD_WIDTH) -> list[str]:
    """The card laid out in plain text at `width` columns, whole words only, a phone number never
    split; below 40 columns, with nothing indented (as the terminal lays it out)."""
    lines: list[str] = []
    indent = MARKER_WIDTH if width >= 40 else 0
    for marker, said in card_rows(card, due_texts):
        text = re.sub(PHONE, lambda m: m[0].replace(" ", NBSP), said)  # a number is never split
        if indent:
            first = f"{marker:<{indent}}"
            hang = " " * (indent + (len(BOX) if text.startswith(BOX) else 0))  # under the words, not the box
            wrapped = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=hang,
                                    break_long_words=False, break_on_hyphens=False)  # fmt: skip
        else:
            lead = f"{marker} " if marker else ""
            wrapped = textwrap.wrap(lead + text, width, break_long_words=False, break_on_hyphens=False)
        lines += [line.replace(NBSP, " ") for line in wrapped]
    return lines
