"""`python -m decision_trees`: the same as the decision-trees command."""

import importlib

# The wheel maps the top-level cli.py to decision_trees.cli; a checkout resolves it via __init__.
importlib.import_module("decision_trees.cli").main()
