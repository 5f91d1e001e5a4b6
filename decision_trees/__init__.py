"""decision-trees: walk safeguarding referral flowcharts and end with an action summary.

The library API (see README, "Use from Python"), loaded on first use so that `import
decision_trees` stays cheap for the command line:

    from decision_trees import load, walk, Session, routes, validate
"""

from importlib import import_module
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
if not (_HERE / "cli.py").exists() and (_HERE.parent / "cli.py").exists():
    # A source checkout: the wheel maps the top-level cli.py into this package; here we
    # let `decision_trees.cli` resolve to the checkout's own file.
    __path__.append(str(_HERE.parent))

# name: the module that defines it.
_API = {
    "load": "session",
    "walk": "session",
    "routes": "session",
    "validate": "checks",
    "diff": "checks",
    "check_contacts": "checks",
    "Session": "session",
    "Walked": "session",
    "Library": "data.library",
    "Flow": "core.models",
    "Summary": "core.contract",
    "DecisionTreesError": "core.errors",
    "UsageError": "core.errors",
    "AnswerError": "core.errors",
    "FlowDataError": "core.errors",
    "OutputError": "core.errors",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
