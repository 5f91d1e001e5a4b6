"""The `decision-trees` console script: the command line, started quickly."""

import gc
import importlib


def main() -> None:
    # Start-up (Typer, then the command line) makes only objects that live as long as the process,
    # so the cyclic garbage collector finds nothing to free while it runs and only costs time
    # (benchmarks/startup.py). They are frozen out of its sight, and it is back on before any
    # command runs: long walks and batches are collected as usual.
    gc.disable()
    try:
        # The wheel maps the top-level cli.py to decision_trees.cli; a checkout resolves it via __init__.
        command_line = importlib.import_module("decision_trees.cli")
    finally:
        gc.freeze()
        gc.enable()
    command_line.main()
