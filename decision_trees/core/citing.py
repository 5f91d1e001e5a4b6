"""Where a sentence of a flow says it comes from: the parenthesis at its end, read once for the
summary (each sentence's source), the card (which leaves it to the details) and `validate` (I6)."""

from __future__ import annotations

# A sentence's source as flow files give it, in a parenthesis at its end: "(section 9.1)", "(Appendix
# 4)", "(sections 10 and 17.1)", or "(this tool’s advice)" for the tool's own.
_CITES = ("section ", "sections ", "Appendix ", "Appendices ")
TOOLS_OWN = "this tool’s"


def cited(text: str) -> str | None:
    """What the parenthesis ending a sentence cites: from its first "section" or "Appendix" to the
    next ";", or TOOLS_OWN; None when the sentence ends with no source."""
    end = text.rstrip(".”")
    start = end.rfind("(")
    if not end.endswith(")") or start < 0 or ")" in end[start:-1]:
        return None
    inside = end[start + 1 : -1]
    if TOOLS_OWN in inside:
        return TOOLS_OWN
    for word in _CITES:
        at = inside.find(word)
        if at >= 0 and inside[at + len(word) : at + len(word) + 1].isdigit():
            return inside[at:].split(";")[0].split("”")[0].strip()
    return None


def citations(text: str) -> list[str]:
    """Every section a text cites, in order, each once: a note of several sentences may cite several."""
    found: list[str] = []
    for inside in (part.split(")")[0] for part in text.split("(")[1:]):
        for word in _CITES:
            at = inside.find(word)
            if at >= 0 and inside[at + len(word) : at + len(word) + 1].isdigit():
                found.append(inside[at:].split(";")[0].split("”")[0].strip())
                break
    return list(dict.fromkeys(found))
