from decision_trees.cli import main

main()
