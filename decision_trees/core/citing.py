"""Where a sentence of a flow says it comes from: the parenthesis at its end, read once for the
summary (each sentence's source), the card (which leaves it to the details) and `validate` (I6)."""

from __future__ import annotations

import re
from collections.abc import Collection

# A sentence's source as flow files give it, in a parenthesis at its end, as the document writes it:
# "(section 9.1)", "(sections 10 and 17.1)", "(Appendix 4)", "(Appendix A)", "(para 4.2)", "(page 3)";
# or a document the flow names among its `references`, by its `cite` ("(Contact page)"); or
# "(this tool’s advice)" for the tool's own.
_CITES = re.compile(
    r"\b(?:sections?|Appendix|Appendices|paras?|paragraphs?|pages?|[Pp]art|[Cc]hapter|Annex)\s+[0-9A-Z]"
)
TOOLS_OWN = "this tool’s"


def _find(inside: str, names: Collection[str]) -> str | None:
    """What a parenthesis cites: from its first citation word (or named document) to the next ";"."""
    starts = [found.start() for found in _CITES.finditer(inside)]
    starts += [at for name in names if (at := inside.find(name)) >= 0]
    if not starts:
        return None
    return inside[min(starts) :].split(";")[0].split("”")[0].strip()


def cited(text: str, names: Collection[str] = ()) -> str | None:
    """What the parenthesis ending a sentence cites: from its first citation to the next ";", or
    TOOLS_OWN; None when the sentence ends with no source. `names`: the documents the flow cites by
    name (its `references`)."""
    end = text.rstrip(".”")
    start = end.rfind("(")
    if not end.endswith(")") or start < 0 or ")" in end[start:-1]:
        return None
    inside = end[start + 1 : -1]
    if TOOLS_OWN in inside:
        return TOOLS_OWN
    return _find(inside, names)


def citations(text: str, names: Collection[str] = ()) -> list[str]:
    """Every source a text cites, in order, each once: a note of several sentences may cite several."""
    found = (_find(part.split(")")[0], names) for part in text.split("(")[1:])
    return list(dict.fromkeys(c for c in found if c is not None))
