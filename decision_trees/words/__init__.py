"""The phrasebook: the tool's own sentences, as templates in a data file (`en-GB.json`), by group:
`summary`, `card`, `page`, `terminal`, `headings`, `reports` (what the commands print besides summaries:
lists, validation, checks, comparisons, practice feedback) and `messages` (errors, warnings and notes,
and validation findings), and the `disclaimer`. A `{field}` in a template is filled
in by the tool. A partnership's own wording is a second file beside its flows (`phrasebook.json`),
whose entries replace these by group and key (`use`); a second language is a whole second file.

Read once, when first imported: its own file, shipped in the package, like a module."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import msgspec

BUNDLED = Path(__file__).with_name("en-GB.json")
GROUPS = ("headings", "summary", "card", "page", "terminal", "reports", "messages")


class Wording(Protocol):
    """A partnership's own wording (`data.wording.Wording`): some templates, by group and key."""

    @property
    def disclaimer(self) -> str | None: ...


# Its shape is checked by a test (`data.wording.Phrasebook`), not on every start: read as plain data.
BOOK: dict[str, Any] = msgspec.json.decode(BUNDLED.read_bytes())
# The groups in force: the bundled templates, with a partnership's in their place once `use`d. The
# same dictionaries throughout, so that every module that holds one sees the wording in force.
HEADINGS: dict[str, str] = dict(BOOK["headings"])
SUMMARY: dict[str, str] = dict(BOOK["summary"])
CARD: dict[str, str] = dict(BOOK["card"])
PAGE: dict[str, str] = dict(BOOK["page"])
TERMINAL: dict[str, str] = dict(BOOK["terminal"])
REPORTS: dict[str, str] = dict(BOOK["reports"])
MESSAGES: dict[str, str] = dict(BOOK["messages"])
IN_FORCE = {
    "headings": HEADINGS,
    "summary": SUMMARY,
    "card": CARD,
    "page": PAGE,
    "terminal": TERMINAL,
    "reports": REPORTS,
    "messages": MESSAGES,
}
_DISCLAIMER: dict[str, str] = {"current": BOOK["disclaimer"]}


def disclaimer() -> str:
    """The sentence every summary ends with: the decision stays the practitioner's."""
    return _DISCLAIMER["current"]


def fields(template: str) -> set[str]:
    """The `{field}`s a template fills in (`{count:,}` and `{name!r}` fill in `count` and `name`);
    ValueError where a brace is out of place."""
    import string  # only to check a partnership's wording: a walk does not load it (benchmarks/)

    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def problems(wording: Wording) -> list[str]:
    """Why a partnership's wording cannot stand in for the bundled one: a key the tool has no
    sentence for, or a template that fills in other fields than the bundled one."""
    found = []
    for group in GROUPS:
        bundled: dict[str, str] = BOOK[group]
        for key, template in getattr(wording, group).items():
            said = f"{group}.{key}"
            if key not in bundled:
                found.append(MESSAGES["wording_not_a_sentence"].format(said=said, file=BUNDLED.name))
                continue
            try:
                filled = fields(template)
            except ValueError:
                found.append(MESSAGES["wording_brace"].format(said=said))
                continue
            wanted = fields(bundled[key])
            # A field is a plain name: `{x.y}` or `{x[0]}` would reach into the tool's own objects.
            if filled != wanted or any(not name.isidentifier() for name in filled):
                listed = ", ".join(sorted(wanted)) or MESSAGES["wording_no_fields"]
                found.append(MESSAGES["wording_fields"].format(said=said, fields=listed))
    return found


def use(wording: Wording | None) -> None:
    """Put a partnership's wording in force (None: the bundled wording alone)."""
    for group, in_force in IN_FORCE.items():
        in_force.clear()
        in_force.update(BOOK[group])
        if wording is not None:
            in_force.update(getattr(wording, group))
    _DISCLAIMER["current"] = wording.disclaimer if wording is not None and wording.disclaimer else BOOK["disclaimer"]
