"""Checks of copied contact details against the text they were copied from, and of a number's shape.
A digit changed or dropped, or a misspelt domain, is a referral that goes nowhere (hazard H3)."""

from __future__ import annotations

import re

from decision_trees.core.models import Contact

_HEADING = re.compile(r"^([1-9][0-9]?(?:\.[0-9]{1,2})*)\.?(?:\s|$)")
_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_CITED_SECTION = re.compile(r"\bsection (\d+(?:\.\d+)*)")


def section_text(text: str, section: str) -> str | None:
    """The part of a document's text under the heading `section` (its subsections included), or None
    when the text has no such heading."""
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if (m := _HEADING.match(line)) and m[1] == section), None)
    if start is None:
        return None
    end = len(lines)
    for n in range(start + 1, len(lines)):
        found = _HEADING.match(lines[n])
        if found and not found[1].startswith(section + "."):
            end = n
            break
    return "\n".join(lines[start:end])


def _numbers(text: str) -> set[str]:
    """Every run of digits (spaces inside a run ignored) that the text prints: the numbers as printed."""
    return {re.sub(r"\s", "", run) for run in re.findall(r"\d[\d ]*\d|\d", text)}


def _phone_digits(phone: str) -> tuple[str, str | None]:
    main, _, extension = phone.partition(" ext ")
    return main.replace(" ", "").lstrip("+"), extension or None


def not_in_source(contact_id: str, contact: Contact, text: str) -> list[tuple[str, str]]:
    """(key, message) for each number or email of a contact copied from a document that its text does
    not print, in the section the contact's `source` names where the text has it."""
    cited = _CITED_SECTION.search(contact.source)
    part = section_text(text, cited[1]) if cited else None
    where = f"section {cited[1]} of the document's text" if part is not None and cited else "the document's text"
    scope = part if part is not None else text
    printed = _numbers(scope)
    emails = {found.lower() for found in _EMAIL.findall(scope)}
    missing = f"is not printed in {where}; check it against the document"
    problems = []
    for phone in contact.digits:
        main, extension = _phone_digits(phone)
        if main not in {n.lstrip("+") for n in printed} or (extension and extension not in printed):
            problems.append(("phones", f"contact {contact_id!r}: {phone} {missing}"))
    if contact.email and contact.email.lower() not in emails:
        problems.append(("email", f"contact {contact_id!r}: {contact.email} {missing}"))
    return problems


def phone_shape(contact_id: str, contact: Contact) -> list[tuple[str, str]]:
    """(key, message) for each number not of a UK shape: 0 and 9 or 10 more digits, +44 and 9 or 10
    more, or a short national number (999, 111) on a contact marked national."""
    problems = []
    for phone in contact.digits:
        main, _ = _phone_digits(phone)
        if phone.startswith("+"):
            fits = main.startswith("44") and 11 <= len(main) <= 12
        elif main.startswith("0"):
            fits = 10 <= len(main) <= 11
        else:
            fits = contact.national and 3 <= len(main) <= 5
        if not fits:
            shape = "0 and 9 or 10 more digits, +44 and 9 or 10 more, or a short number on a national service"
            problems.append(("phones", f"contact {contact_id!r}: {phone} is not the shape of a UK number ({shape})"))
    return problems
