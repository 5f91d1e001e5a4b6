"""Checks of copied contact details against the text they were copied from, and of a number's shape.
A digit changed or dropped, or a misspelt domain, is a referral that goes nowhere (hazard H3)."""

from __future__ import annotations

import re
from pathlib import Path

from decision_trees.core.errors import FlowDataError
from decision_trees.core.models import Contact, Document
from decision_trees.data.yamlfile import read_text
from decision_trees.words import MESSAGES

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
    where = (
        MESSAGES["section_document_text"].format(cited=cited[1])
        if part is not None and cited
        else MESSAGES["document_text"]
    )
    scope = part if part is not None else text
    printed = _numbers(scope)
    emails = {found.lower() for found in _EMAIL.findall(scope)}
    missing = MESSAGES["not_printed_check_against_document"].format(where=where)
    problems = []
    for phone in contact.digits:
        main, extension = _phone_digits(phone)
        if main not in {n.lstrip("+") for n in printed} or (extension and extension not in printed):
            problems.append(
                ("phones", MESSAGES["phone_not_in_source"].format(contact_id=contact_id, phone=phone, missing=missing))
            )
    if contact.email and contact.email.lower() not in emails:
        problems.append(
            (
                "email",
                MESSAGES["email_not_in_source"].format(contact_id=contact_id, email=contact.email, missing=missing),
            )
        )
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
            shape = MESSAGES["0_9_10_more_digits"]
            problems.append(
                (
                    "phones",
                    MESSAGES["contact_not_shape_uk_number"].format(contact_id=contact_id, phone=phone, shape=shape),
                )
            )
    return problems


def contact_problems(
    contact_id: str, contact: Contact, contacts: dict[str, Contact], sources: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """What the schema cannot see in one contact, as (key, rule, message): an email that the standard
    library does not read as exactly one plain address, an out-of-hours cover that does not exist, a
    number not of a UK shape, and a number or email that the text of the document it was copied from
    (`sources`: document id to text) does not print."""

    found = [(key, "phone-shape", message) for key, message in phone_shape(contact_id, contact)]
    text = (sources or {}).get(contact.document or "")
    if text is not None:
        found += [(key, "not-in-source", message) for key, message in not_in_source(contact_id, contact, text)]
    if contact.email is not None and not _one_address(contact.email):
        message = MESSAGES["contact_email_not_one_plain"].format(contact_id=contact_id, email=contact.email[:80])
        found.append(("email", "schema", message))
    if contact.out_of_hours and contact.out_of_hours not in contacts:
        message = MESSAGES["contact_out_hours_contact_does"].format(
            contact_id=contact_id, out_of_hours=contact.out_of_hours
        )
        found.append(("out_of_hours", "unknown-contact", message))
    return found


def document_texts(root: Path, documents: dict[str, Document]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The texts that documents keep beside the contacts file (`text`, relative to `root`), by
    document id, and (document id, message) for each that cannot be read."""
    texts: dict[str, str] = {}
    unread: list[tuple[str, str]] = []
    for document_id, document in documents.items():
        if document.text is None:
            continue
        try:
            texts[document_id] = read_text(root / document.text)
        except (OSError, FlowDataError) as exc:
            why = exc.detail if isinstance(exc, FlowDataError) else str(exc)
            unread.append(
                (
                    document_id,
                    MESSAGES["document_text_cannot_be_read"].format(
                        document_id=document_id, text=document.text, why=why
                    ),
                )
            )
    return texts, unread


def _one_address(text: str) -> bool:
    # The standard library's mail parser, only when a contacts file is checked: not on a walk.
    from email.errors import HeaderParseError
    from email.headerregistry import Address
    from email.utils import getaddresses

    try:
        address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):
        return False
    return address.addr_spec == text and getaddresses([text]) == [("", text)]
