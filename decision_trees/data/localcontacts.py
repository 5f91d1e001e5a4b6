"""A partnership's own contacts, without a copy of the flows: a contacts file whose entries replace
the bundled ones by id. Found, in this order: `--contacts FILE`; the environment variable
DECISION_TREES_CONTACTS; `contacts.yaml` in the user config directory (platformdirs)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from decision_trees.core import invariants
from decision_trees.core.clock import OfficeCalendar
from decision_trees.core.contract import ContactsFile
from decision_trees.core.errors import ContactsFileError, FlowDataError, UsageError, option
from decision_trees.core.models import Contact, Document
from decision_trees.data.library import Library
from decision_trees.data.sourcetext import contact_problems, document_texts
from decision_trees.data.yamlfile import LinedMap, convert, line_of, parse_yaml, read_text
from decision_trees.words import MESSAGES

if TYPE_CHECKING:
    from decision_trees.core.invariants import Breach

CONTACTS_ENV = "DECISION_TREES_CONTACTS"
CONTACTS_NAME = "contacts.yaml"


def user_contacts_file() -> Path:
    """Where a practitioner's own contacts file is looked for (the README names it on each system)."""
    import platformdirs

    return platformdirs.user_config_path("decision-trees") / CONTACTS_NAME


def find(explicit: Path | None) -> Path | None:
    """The local contacts file in use, or None. One that is named but missing, a folder where the
    config file should be, and a file any user may change are errors: the numbers a walk gives must be
    the partnership's, never the bundled ones by accident, nor anyone else's."""
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError(
                MESSAGES["not_file_give_path_contacts"].format(option_contacts=option("contacts"), explicit=explicit)
            )
        return _trusted(explicit)
    named = os.environ.get(CONTACTS_ENV)
    if named:
        if not Path(named).is_file():
            raise UsageError(
                MESSAGES["localcontacts_not_file_give_path_contacts"].format(contacts_env=CONTACTS_ENV, named=named)
            )
        return _trusted(Path(named))
    found = user_contacts_file()
    if found.exists() and not found.is_file():
        raise UsageError(MESSAGES["not_file_so_your_local"].format(found=found))
    return _trusted(found) if found.is_file() else None


def _trusted(path: Path) -> Path:
    """`path`, unless any user of the machine may change it (the numbers in it could be anyone's)."""

    if os.name != "nt" and path.stat().st_mode & stat.S_IWOTH:
        raise UsageError(MESSAGES["contacts_file_can_be_changed"].format(path=path))
    return path


def apply(library: Library, path: Path, *, enforce: bool = True) -> Library:
    """`library` with the entries of the contacts file at `path` in place of the bundled ones of the same
    id, and those of a new id added. Every
    problem (YAML, schema, an unknown id, a malformed number or email) is a one-line `UsageError`
    naming the file and line; so, with `enforce`, is a file that breaks a safety invariant that a
    walk relies on (I2: an open number first on every route; I3: out-of-hours cover that exists)."""
    # The YAML reader and the contact checks: only with a local file, not on every walk.

    name = str(path)
    try:
        text = read_text(path)
        data = parse_yaml(text, name)
        if not isinstance(data, LinedMap) or not isinstance(data.get("contacts"), LinedMap):
            raise FlowDataError(MESSAGES["contacts_file_needs_contacts_mapping"], file=name, line=1)
        unknown_keys = set(data) - {"contacts", "documents"}
        if unknown_keys:
            key = sorted(unknown_keys)[0]
            raise FlowDataError(
                MESSAGES["unknown_key_local_contacts_file"].format(key=key),
                file=name,
                line=data.key_lines[key],
            )
        documents: dict[str, Document] = {}
        if "documents" in data:
            documents = convert(data["documents"], dict[str, Document], file=name, where="documents: ")
        bundled = library.directory
        entries: dict[str, Contact] = {}
        for contact_id, raw in data["contacts"].items():  # a bundled contact replaced, or one added
            entries[contact_id] = convert(
                raw, Contact, file=name, where=MESSAGES["contact_prefix"].format(contact_id=contact_id)
            )
        all_documents = {**bundled.documents, **documents}
        every = without_replaced({**bundled.contacts, **entries}, bundled.contacts, entries)
        sources = _document_texts(library, bundled.documents, path, documents, data.key_lines.get("documents"))
        for contact_id, contact in entries.items():
            for key, _, message in contact_problems(contact_id, contact, every, sources):
                line = line_of(data["contacts"], f"$.{contact_id}", key)
                raise FlowDataError(message, file=name, line=line)
            if contact.document and contact.document not in all_documents:
                raise FlowDataError(
                    MESSAGES["contact_cites_document_which_not"].format(
                        contact_id=contact_id, document=contact.document
                    ),
                    file=name,
                    line=data["contacts"].key_lines[contact_id],
                )
    except FlowDataError as exc:
        raise ContactsFileError(MESSAGES["contacts_file"].format(problem=exc), exc.rule) from None
    import hashlib  # only with a local contacts file

    directory = msgspec.structs.replace(bundled, contacts=every, documents=all_documents)
    digest = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    merged = Library(
        root=library.root,
        directory=directory,
        flows=library.flows,
        files=library.files,
        guidance=lambda: library.guidance,
        bank_holidays=library.bank_holidays,
        contacts_files=[*library.contacts_files, ContactsFile(name, digest, local=True)],
        names=library.names,
    )
    merged.contact_origins.update(dict.fromkeys(entries, name))
    if enforce:
        broken = [b for b in breaches(merged) if b.invariant in ("I1", "I2", "I3")]
        if broken:
            raise ContactsFileError(
                MESSAGES["contacts_file_breaks_fix_file"].format(name=name, breach=broken[0].describe()),
                broken[0].invariant,
            )
    return merged


def _document_texts(
    library: Library, bundled: dict[str, Document], path: Path, documents: dict[str, Document], line: int | None
) -> dict[str, str]:
    """The texts the bundled documents and the local file's own keep, by document id; a local one that
    cannot be read is an error at its `documents` line."""

    sources, _ = document_texts(library.root, bundled)
    local, unread = document_texts(path.parent, documents)
    if unread:
        raise FlowDataError(unread[0][1], file=str(path), line=line)
    return {**sources, **local}


def without_replaced(
    every: dict[str, Contact], bundled: dict[str, Contact], entries: dict[str, Contact]
) -> dict[str, Contact]:
    """`every` with no public page's word that quotes a number or email the partnership replaced: a
    page quoting a replaced service's old number beside another service's would show it still."""
    kept = {_digits(p) for c in every.values() for p in c.digits} | {c.email.lower() for c in every.values() if c.email}
    replaced = [bundled[c_id] for c_id in entries if c_id in bundled]
    gone = {_digits(p) for c in replaced for p in c.digits} | {c.email.lower() for c in replaced if c.email}
    gone -= kept
    if not gone:
        return every

    def quotes_gone(says: str) -> bool:
        flat = says.lower()
        return any(g in _digits(says) if g.isdigit() else g in flat for g in gone)

    return {
        c_id: contact
        if c_id in entries
        else msgspec.structs.replace(
            contact,
            corroboration=[c for c in contact.corroboration if not quotes_gone(f"{c.says} {c.inference or ''}")],
        )
        for c_id, contact in every.items()
    }


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def breaches(library: Library, today: dt.date | None = None) -> list[Breach]:
    """The safety invariants a library's contacts break, over every flow's routes (core/invariants.py)."""

    calendar = OfficeCalendar(library.directory.office_hours, library.bank_holidays)
    day = today or dt.date.today()
    return invariants.check_contacts(library.directory, list(library.flows.values()), calendar, day)
