"""The phrasebook: the tool's own sentences, as templates in a data file (`en-GB.json`), by group:
`summary`, `card`, `page`, `terminal` and `headings`, and the `disclaimer`. A `{field}` in a template is filled
in by the tool. A partnership's own wording is a second file beside its flows (`phrasebook.json`),
whose entries replace these by group and key (`use`); a second language is a whole second file.

Read once, when first imported: its own file, shipped in the package, like a module."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec

BUNDLED = Path(__file__).with_name("en-GB.json")
GROUPS = ("headings", "summary", "card", "page", "terminal")
_FIELD = re.compile(r"\{(\w+)\}")


class Phrasebook(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Every sentence template of the tool's outputs, by group and key."""

    language: str
    disclaimer: str
    headings: dict[str, str]
    summary: dict[str, str]
    card: dict[str, str]
    page: dict[str, str]
    terminal: dict[str, str]  # the walk at a terminal: its prompts and offers
    about: str | None = None


class Wording(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A partnership's own wording: some templates, by group and key, in place of the bundled ones."""

    language: str | None = None
    disclaimer: str | None = None
    headings: dict[str, str] = {}
    summary: dict[str, str] = {}
    card: dict[str, str] = {}
    page: dict[str, str] = {}
    terminal: dict[str, str] = {}
    about: str | None = None


BOOK = msgspec.json.decode(BUNDLED.read_bytes(), type=Phrasebook)
# The groups in force: the bundled templates, with a partnership's in their place once `use`d. The
# same dictionaries throughout, so that every module that holds one sees the wording in force.
HEADINGS: dict[str, str] = dict(BOOK.headings)
SUMMARY: dict[str, str] = dict(BOOK.summary)
CARD: dict[str, str] = dict(BOOK.card)
PAGE: dict[str, str] = dict(BOOK.page)
TERMINAL: dict[str, str] = dict(BOOK.terminal)
IN_FORCE = {"headings": HEADINGS, "summary": SUMMARY, "card": CARD, "page": PAGE, "terminal": TERMINAL}
_DISCLAIMER = {"in force": BOOK.disclaimer}


def disclaimer() -> str:
    """The sentence every summary ends with: the decision stays the practitioner's."""
    return _DISCLAIMER["in force"]


def fields(template: str) -> set[str]:
    """The `{field}`s a template fills in."""
    return set(_FIELD.findall(template))


def problems(wording: Wording) -> list[str]:
    """Why a partnership's wording cannot stand in for the bundled one: a key the tool has no
    sentence for, or a template that fills in other fields than the bundled one."""
    found = []
    for group in GROUPS:
        bundled: dict[str, str] = dict(getattr(BOOK, group))
        for key, template in getattr(wording, group).items():
            if key not in bundled:
                found.append(f"{group}.{key} is not a sentence of the tool; its keys are in {BUNDLED.name}")
            elif fields(template) != fields(bundled[key]):
                wanted = ", ".join(sorted(fields(bundled[key]))) or "no fields"
                found.append(f"{group}.{key} must fill in the same fields as the bundled sentence ({wanted})")
    return found


def use(wording: Wording | None) -> None:
    """Put a partnership's wording in force (None: the bundled wording alone)."""
    for group, in_force in IN_FORCE.items():
        in_force.clear()
        in_force.update(getattr(BOOK, group))
        if wording is not None:
            in_force.update(getattr(wording, group))
    _DISCLAIMER["in force"] = wording.disclaimer if wording is not None and wording.disclaimer else BOOK.disclaimer
