"""A flows directory's own wording: its phrasebook file, read and checked against the bundled one."""

from __future__ import annotations

from pathlib import Path

import msgspec

from decision_trees import words
from decision_trees.core.errors import FlowDataError
from decision_trees.words import MESSAGES

WORDING_FILE = "phrasebook.json"  # a partnership's own wording, beside its flows


class Phrasebook(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The shape of a whole phrasebook (the bundled `words/en-GB.json`, or a second language):
    every sentence template of the tool's outputs, by group and key."""

    language: str
    disclaimer: str
    headings: dict[str, str]
    summary: dict[str, str]
    card: dict[str, str]
    page: dict[str, str]
    terminal: dict[str, str]  # the walk at a terminal: its prompts and offers
    reports: dict[str, str]  # what the commands print besides summaries
    messages: dict[str, str]  # errors, warnings, notes and validation findings
    about: str | None = None


class Wording(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A partnership's own wording: some templates, by group and key, in place of the bundled ones."""

    language: str | None = None
    disclaimer: str | None = None
    headings: dict[str, str] = {}
    summary: dict[str, str] = {}
    card: dict[str, str] = {}
    page: dict[str, str] = {}
    terminal: dict[str, str] = {}
    reports: dict[str, str] = {}
    messages: dict[str, str] = {}
    about: str | None = None


def read_wording(root: Path) -> Wording | None:
    """A flows directory's own wording (`phrasebook.json`), checked against the bundled phrasebook;
    None where it has none."""
    path = root / WORDING_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FlowDataError(
            MESSAGES["cannot_be_read"].format(strerror=exc.strerror or exc), file=str(path), rule="unreadable"
        ) from None
    try:
        wording = msgspec.json.decode(data, type=Wording)
    except msgspec.DecodeError as exc:
        raise FlowDataError(MESSAGES["not_phrasebook"].format(problem=exc), file=str(path)) from None
    problems = words.problems(wording)
    if problems:
        raise FlowDataError(problems[0], file=str(path))
    return wording
