"""Opening a flows directory for a walk: its compiled form when it is sealed and fresh, else its
sources, loaded and checked. Above both readers, so that neither imports the other."""

from __future__ import annotations

from pathlib import Path

from decision_trees import words
from decision_trees.data.compiled import read_compiled
from decision_trees.data.library import Library
from decision_trees.data.loading import load_library
from decision_trees.data.wording import read_wording


def open_library(root: Path) -> Library:
    """The library of `root`: its compiled form when it is sealed and fresh, else its sources; with
    its own wording, if it has a phrasebook file, put in force (else the bundled wording)."""
    words.use(read_wording(root))
    found = read_compiled(root)
    if found is not None:
        return found
    # The YAML reader (PyYAML and the source loader) only now: a walk from a fresh compiled form,
    # the common case, never loads it (benchmarks/startup.py).

    return load_library(root, use_compiled=False)
