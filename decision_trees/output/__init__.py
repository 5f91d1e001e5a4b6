"""Output: summaries and reports as text and JSON, diagrams, consoles and their encodings, delivery."""
