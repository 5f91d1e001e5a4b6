"""A flows directory's own wording: its phrasebook file, read and checked against the bundled one."""

from __future__ import annotations

from pathlib import Path

import msgspec

from decision_trees import words
from decision_trees.core.errors import FlowDataError

WORDING_FILE = "phrasebook.json"  # a partnership's own wording, beside its flows


def read_wording(root: Path) -> words.Wording | None:
    """A flows directory's own wording (`phrasebook.json`), checked against the bundled phrasebook;
    None where it has none."""
    path = root / WORDING_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FlowDataError(f"cannot be read: {exc.strerror or exc}", file=str(path), rule="unreadable") from None
    try:
        wording = msgspec.json.decode(data, type=words.Wording)
    except msgspec.DecodeError as exc:
        raise FlowDataError(f"is not a phrasebook: {exc}", file=str(path)) from None
    problems = words.problems(wording)
    if problems:
        raise FlowDataError(problems[0], file=str(path))
    return wording
