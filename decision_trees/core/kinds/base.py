"""What every kind of node shares: typed answers and their one text form (the codec of `--answers`,
`--answer`, records, saved walks, batch, scenarios, vignettes and routes), exits, and what a node asks."""

import re
from typing import Literal, assert_never

import msgspec


class Chosen(msgspec.Struct, frozen=True, tag="choice"):
    """One choice of a question, by its label."""

    label: str


class Ticked(msgspec.Struct, frozen=True, tag="ticks"):
    """The items ticked on a checklist, by their keys, in the checklist's order (none is an answer too)."""

    items: tuple[str, ...] = ()


class Noted(msgspec.Struct, frozen=True, tag="noted"):
    """An action box passed: `noted` when the practitioner said at a terminal they had noted it."""

    noted: bool = False


Answer = Chosen | Ticked | Noted

NONE_TICKED = "none"  # the text of an empty set of ticks: an answer, where an empty item is a mistake
# Ticks are written joined by "+", so that they stay one item of a comma-separated `--answers`; read
# back, a comma joins them as well (`--answer NODE=item,item`).
TICK_JOIN = "+"
_TICK_SPLIT = re.compile(r"[,+]")


def answer_text(answer: Answer) -> str | None:
    """An answer as text, which the node's `read` takes back: None for an action box, which is passed."""
    match answer:
        case Chosen():
            return answer.label
        case Ticked():
            return TICK_JOIN.join(answer.items) or NONE_TICKED
        case Noted():
            return None
        case other:
            assert_never(other)


def matching(labels: list[str], given: str) -> list[str]:
    """The labels `given` could name: one equal to it in any case (spaces folded), else every label it
    begins."""
    wanted = " ".join(given.split()).casefold()
    if not wanted:
        return []
    exact = [label for label in labels if label.casefold() == wanted]
    return exact or [label for label in labels if label.casefold().startswith(wanted)]


def tick_keys(text: str) -> list[str]:
    """The item keys of a ticks answer (`a+b`, `a,b`, or `none`), each stripped; an empty key is kept,
    for the node to refuse by name."""
    if text.strip().casefold() == NONE_TICKED:
        return []
    return [key.strip() for key in _TICK_SPLIT.split(text)]


class Exit(msgspec.Struct, frozen=True):
    """A way out of a node: its label on the chart (None for an action box's one arrow), the node it
    leads to, an answer that takes it (for routes, scenarios and vignettes), and, for a checklist's
    band, the totals it holds."""

    label: str | None
    next: str
    example: Answer
    key: str = "next"  # where the flow file writes it: the field, and the item's place in a list
    index: int | None = None
    # What makes it the same exit in another version of the flow, for `diff`: a choice is its label
    # in any case; a band is its place, so that a band whose totals change is reported as changed.
    identity: str | None = None
    low: int | None = None
    high: int | None = None


class Problem(msgspec.Struct, frozen=True):
    """What a node's own kind finds wrong with it (its exits, its bands), for `validate` to report
    at the field `key` (and item `index`) of the node in its file."""

    rule: str
    message: str
    key: str
    index: int | None = None


class Option(msgspec.Struct, frozen=True):
    """One thing a node offers: a choice or an item to tick, by key, with its words and its score."""

    key: str
    label: str
    score: int = 0


class Ask(msgspec.Struct, frozen=True):
    """What a node asks, for any prompter or page to show without knowing its kind: `one` choice of
    the options, `many` ticks, or a box to `note`. `text` is the chart's words; `prompt` a plainer
    wording where the flow gives one; `guidance` the tables offered beside it, and `levels` the
    choice each of their columns stands for, so that indicators ticked there can be tallied."""

    shape: Literal["one", "many", "note"]
    text: str
    section: str
    options: list[Option]
    prompt: str | None = None
    guidance: list[str] = []
    levels: dict[str, str] = {}
    escalation: list[str] = []  # the options' labels from the least need to the most, where the flow says
