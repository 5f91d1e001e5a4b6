"""`python -m decision_trees`: the same as the decision-trees command."""

from decision_trees.launch import main

main()
