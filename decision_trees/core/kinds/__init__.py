"""Kinds of node, one module each: a question, an action box, an end, a scored checklist. Each kind
says its exits, what it asks, how a typed answer is read from text and checked, where an answer
leads, and its problems as data; `base` holds the answers and the shapes they share."""
