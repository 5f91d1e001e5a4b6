"""decision-trees: walk safeguarding referral flowcharts and end with an action summary."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent
if not (_HERE / "cli.py").exists() and (_HERE.parent / "cli.py").exists():
    # A source checkout: the wheel maps the top-level cli.py into this package; here we
    # let `decision_trees.cli` resolve to the checkout's own file.
    __path__.append(str(_HERE.parent))
