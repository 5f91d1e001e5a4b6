"""The core: plain data and the walk as a step function. No I/O, and no rich, questionary or typer."""
