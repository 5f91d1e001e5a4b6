"""The terminal: the walk command's work, prompting (questionary or plain lines) and rich rendering."""
