"""Reading flows, contacts and reference data from a flows directory, strictly, before any question."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from decision_trees.core import invariants
from decision_trees.core.card import CARD_LINES
from decision_trees.core.clock import OfficeCalendar
from decision_trees.core.contract import ContactsFile
from decision_trees.core.errors import DecisionTreesError, FlowDataError, UsageError, option
from decision_trees.core.models import ID_PATTERN, Contact, Directory, Flow, GuidanceBook, Node
from decision_trees.core.practice import VignetteFile, cue_problem, stale
from decision_trees.data.compiled import COMPILED_FILE, compile_loaded, compiled_problem, read_compiled
from decision_trees.data.files import write_private
from decision_trees.data.library import (
    CONTACTS_FILE,
    GUIDANCE_FILE,
    Library,
    bundled_flows_dir,
    contacts_file_name,
    flow_files,
)
from decision_trees.data.sourcetext import contact_problems, document_texts
from decision_trees.data.validation import Finding, from_breaches, from_error, lint_directory, lint_flow
from decision_trees.data.wording import WORDING_FILE, read_wording
from decision_trees.data.yamlfile import LinedList, LinedMap, convert, read_yaml
from decision_trees.words import MESSAGES

# validation is imported where findings are made: a walk from a fresh compiled form makes none.
if TYPE_CHECKING:
    from decision_trees.core.practice import Vignette, VignetteFile
    from decision_trees.data.validation import Finding

    pass


def _header(data: LinedMap, items: str) -> LinedMap:
    """`data` with its mapping of `items` emptied, to decode the rest before the items one by one."""
    header = LinedMap({k: v for k, v in data.items() if k != items})
    header.line, header.key_lines = data.line, data.key_lines
    header[items] = {}
    return header


def convert_each(raw: LinedMap, kind: Any, file: str, what: str, findings: list[Finding]) -> dict[str, Any]:
    """Decode each entry of a mapping of id to entry; each bad entry is one finding, the rest go on."""

    decoded: dict[str, Any] = {}
    for item_id, item in raw.items():
        line = raw.key_lines[item_id]
        node = item_id if what == "node" and isinstance(item_id, str) else None
        if not isinstance(item_id, str) or not re.match(ID_PATTERN, item_id):
            message = MESSAGES["id_must_be_lower_case"].format(what=what, item_id=item_id)
            findings.append(Finding(file, line, None, "schema", message))
        elif not isinstance(item, LinedMap):
            findings.append(
                Finding(file, line, node, "schema", MESSAGES["must_be_mapping"].format(what=what, item_id=item_id))
            )
        else:
            try:
                where = "" if node else f"{what} {item_id!r}: "
                decoded[item_id] = convert(item, kind, file=file, where=where)
            except FlowDataError as exc:
                findings.append(from_error(exc.rule, exc, file, node))
    return decoded


def _raise_first_error(findings: list[Finding]) -> None:
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        node = MESSAGES["node_prefix"].format(node=first.node) if first.node else ""
        more = MESSAGES["more_run_decision_trees_validate"].format(count=len(errors) - 1) if len(errors) > 1 else ""
        raise FlowDataError(f"{node}{first.message}{more}", file=first.file, line=first.line, rule=first.rule)


def load_guidance(root: Path) -> GuidanceBook:
    """The guidance tables of a flows directory; none if it has no guidance file."""
    path = root / GUIDANCE_FILE
    if not path.exists():
        return GuidanceBook(guidance={})
    book: GuidanceBook = convert(read_yaml(path), GuidanceBook, file=str(path))
    return book


def check_flow(
    path: Path,
    directory: Directory,
    today: dt.date | None = None,
    book: GuidanceBook | None = None,
    calendar: OfficeCalendar | None = None,
) -> tuple[Flow | None, list[Finding]]:
    """A flow file and every finding about it; the flow is None when it could not be decoded. With a
    calendar and a date, `validate`'s case, the safety invariants too (core/invariants.py)."""

    name = str(path)
    try:
        data = read_yaml(path)
    except FlowDataError as exc:
        return None, [from_error(exc.rule, exc, name)]
    if not isinstance(data, LinedMap):
        return None, [Finding(name, 1, None, "schema", MESSAGES["flow_file_must_be_mapping"])]
    findings: list[Finding] = []
    raw_nodes = data.get("nodes")
    header = _header(data, "nodes")
    flow: Flow | None = None
    try:
        flow = convert(header, Flow, file=name)
    except FlowDataError as exc:
        findings.append(from_error(exc.rule, exc, name))
    if not isinstance(raw_nodes, LinedMap) or not raw_nodes:
        line = data.key_lines.get("nodes", data.line)
        findings.append(Finding(name, line, None, "schema", MESSAGES["nodes_must_be_mapping_node"]))
        return None, findings
    nodes: dict[str, Node] = convert_each(raw_nodes, Node, name, "node", findings)
    if flow is None or findings:
        return None, findings
    flow = msgspec.structs.replace(flow, nodes=nodes)

    def line_of(node: str | None, key: str, index: int | None) -> int | None:
        return _item_line(data if node is None else raw_nodes.get(node), key, index)

    findings = lint_flow(flow, directory, name, line_of, today, book or GuidanceBook(guidance={}))
    if calendar is not None and today is not None and not any(f.severity == "error" for f in findings):
        findings += from_breaches(invariants.check_flow(flow, directory, calendar, today), name, line_of)
        message = MESSAGES["out_office_hours_names_no"]
        findings += [
            Finding(name, line_of(node, "contacts", None), node, "no-out-of-hours-number", message)
            for node in invariants.unnumbered_out_of_hours(flow, directory, calendar, today)
        ]
        long = MESSAGES["long_card"]
        findings += [
            Finding(name, line_of(node, "actions", None), node, "long-card", long.format(lines=lines, most=CARD_LINES))
            for node, lines in invariants.long_cards(flow, directory, calendar, today)
        ]
    return flow, findings


def load_flow(path: Path, directory: Directory, book: GuidanceBook | None = None) -> Flow:
    """Load one flow file; any error-level finding stops here, before any question is asked."""
    flow, findings = check_flow(path, directory, book=book)
    _raise_first_error(findings)
    assert flow is not None
    return flow


def _item_line(raw: Any, key: str, index: int | None = None) -> int | None:
    """The line of `raw[key]` (or of its item `index`) in lined YAML data."""
    if not isinstance(raw, LinedMap) or key not in raw:
        return getattr(raw, "line", None)
    value = raw[key]
    if index is not None and isinstance(value, LinedList) and index < len(value):
        return value.item_lines[index]
    return raw.key_lines[key]


def check_directory(root: Path, today: dt.date | None = None) -> tuple[Directory | None, list[Finding]]:
    """The contacts file of a flows directory and every finding about it."""

    path = root / CONTACTS_FILE
    name = str(path)
    try:
        data = read_yaml(path)
    except FlowDataError as exc:
        return None, [from_error(exc.rule, exc, name)]
    if not isinstance(data, LinedMap) or not isinstance(data.get("contacts"), LinedMap):
        message = MESSAGES["contacts_file_needs_office_hours"]
        return None, [Finding(name, 1, None, "schema", message)]
    raw_contacts = data["contacts"]
    findings: list[Finding] = []
    contacts: dict[str, Contact] = convert_each(raw_contacts, Contact, name, "contact", findings)
    header = _header(data, "contacts")
    try:
        directory: Directory = msgspec.structs.replace(convert(header, Directory, file=name), contacts=contacts)
    except FlowDataError as exc:
        return None, [*findings, from_error(exc.rule, exc, name)]
    sources, unread = document_texts(root, directory.documents)
    findings += [Finding(name, _item_line(data.get("documents"), document), None, "unreadable", message)
                 for document, message in unread]  # fmt: skip
    for contact_id, contact in contacts.items():
        for key, rule, message in contact_problems(contact_id, contact, contacts, sources):
            findings.append(Finding(name, _item_line(raw_contacts[contact_id], key), None, rule, message))
        if contact.document and contact.document not in directory.documents:
            line = _item_line(raw_contacts[contact_id], "document")
            known = ", ".join(directory.documents) or "none"
            message = MESSAGES["contact_document_not_under_documents"].format(
                contact_id=contact_id, document=contact.document, known=known
            )
            findings.append(Finding(name, line, None, "schema", message))
    if directory.immediate_danger.contact not in contacts:
        message = MESSAGES["immediate_danger_contact_does_not"].format(contact=directory.immediate_danger.contact)
        findings.append(Finding(name, _item_line(data, "immediate_danger"), None, "unknown-contact", message))

    def line_of(contact: str | None, key: str, index: int | None) -> int | None:
        return _item_line(raw_contacts.get(contact) if contact else data, key, index)

    findings += lint_directory(directory, name, line_of, today)
    if today is not None and not any(f.severity == "error" for f in findings):
        findings += from_breaches(invariants.check_directory(directory, today), name, line_of, contacts=True)
    return directory, findings


def load_directory(root: Path) -> Directory:
    """Load the contacts file of a flows directory; any error-level finding stops here."""
    directory, findings = check_directory(root)
    _raise_first_error(findings)
    assert directory is not None
    return directory


class _Event(msgspec.Struct):
    date: dt.date


class _Division(msgspec.Struct):
    events: list[_Event]


def read_bank_holidays(root: Path, directory: Directory) -> dict[str, list[dt.date]]:
    """The bank holidays of every division of the table (GOV.UK's bank-holidays.json format), which
    must hold the directory's own division: a contact may keep another's."""
    hours = directory.office_hours
    path = root / hours.bank_holidays
    try:
        table = msgspec.json.decode(path.read_bytes(), type=dict[str, _Division])
    except FileNotFoundError:
        raise FlowDataError(MESSAGES["bank_holiday_table_not_found"], file=str(path), rule="unreadable") from None
    except (OSError, msgspec.DecodeError) as exc:
        raise FlowDataError(MESSAGES["bank_holiday_table_cannot_be"].format(problem=exc), file=str(path)) from None
    if hours.bank_holiday_division not in table:
        raise FlowDataError(
            MESSAGES["division_not_table_has"].format(
                bank_holiday_division=hours.bank_holiday_division, table=", ".join(table)
            ),
            file=str(path),
        )
    return {division: [event.date for event in found.events] for division, found in table.items()}


def load_library(root: Path | None = None, *, use_compiled: bool = True) -> Library:
    """Load and check every flow in `root` (the bundled flows by default); a fresh compiled form of
    the directory, if there is one, is read instead of its YAML."""
    root = root or bundled_flows_dir()
    if use_compiled:
        found = read_compiled(root)
        if found is not None:
            return found
    if not root.is_dir():
        if root.exists():
            given = option("flows_dir")
            raise UsageError(MESSAGES["file_give_folder_that_holds"].format(given=given, root=str(root)))
        raise UsageError(MESSAGES["flows_directory_does_not_exist"].format(root=str(root)))
    directory = load_directory(root)
    book = load_guidance(root)
    flows: dict[str, Flow] = {}
    files: dict[str, Path] = {}
    owner: dict[str, str] = {}
    for path in flow_files(root):
        flow = load_flow(path, directory, book)
        for name in (flow.id, *flow.aliases):
            if name in owner:
                raise FlowDataError(
                    MESSAGES["flow_id_alias_also_used"].format(name=name, files=files[owner[name]]), file=str(path)
                )
            owner[name] = flow.id
        flows[flow.id] = flow
        files[flow.id] = path
    if not flows:
        raise FlowDataError(MESSAGES["no_flow_files_yaml_found"], file=str(root))
    return Library(
        root=root,
        directory=directory,
        flows=flows,
        files=files,
        guidance=book,
        bank_holidays=read_bank_holidays(root, directory),
        contacts_files=[ContactsFile(contacts_file_name(root), sha256_of(root / CONTACTS_FILE), local=False)],
    )


def sha256_of(path: Path) -> str:
    """A file's sha256, for records that must show which contacts file gave the numbers."""
    import hashlib  # only when hashing: a walk from the compiled form has the hash already

    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


VIGNETTES_DIR = "vignettes"  # beside scenarios/: invented cases for `decision-trees practise`


def vignette_files(root: Path) -> list[Path]:
    """The vignette files of a flows directory; a folder that cannot be read is a read failure naming
    it (exit 3), never taken for a failure to write the output."""
    folder = root / VIGNETTES_DIR
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".yaml") if folder.is_dir() else []
    except OSError as exc:
        raise FlowDataError(
            MESSAGES["cannot_read_folder_check_that"].format(strerror=exc.strerror or exc),
            file=str(folder),
            rule="unreadable",
        ) from None


def load_vignettes(path: Path, data: Any = None) -> VignetteFile:
    """A vignettes file (or its YAML `data`, already read), checked against its schema (not yet
    against its flow: `practice.stale`)."""

    found: VignetteFile = convert(read_yaml(path) if data is None else data, VignetteFile, file=str(path))
    return found


def flow_vignettes(root: Path, find: Callable[[str], Flow], flow: Flow) -> list[Vignette]:
    """The vignettes of `root/vignettes/` for `flow` (`find` resolves the id or alias each file names)."""
    found: list[Vignette] = []
    for path in vignette_files(root):
        file = load_vignettes(path)
        if find(file.flow).id == flow.id:
            found += file.vignettes
    return found


def check_vignettes(
    root: Path, files: list[Path], flows: dict[str, Flow], settled: bool, book: GuidanceBook
) -> list[Finding]:
    """Every vignette of `files` that cannot be read, names no flow of `flows` (by id or alias),
    repeats an id, no longer fits its flow (its answers take another route or end), or disagrees with
    its own cues (the level its indicators point to; `practice.cue_problem`). `flows` holds
    the directory's flows without errors; unless `settled` (every flow file read without error), a
    vignette naming none of them waits: its flow's own findings come first."""

    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            data = read_yaml(path)
            found = load_vignettes(path, data)
        except FlowDataError as exc:
            findings.append(from_error(exc.rule, exc, str(path)))
            continue
        flow = flows.get(found.flow)
        if flow is None:
            if not settled:
                continue
            message = MESSAGES["flow_not_known"].format(flow=found.flow, root=root, flows=", ".join(sorted(flows)))
            findings.append(Finding(str(path), _item_line(data, "flow"), None, "vignette", message))
            continue
        for index, vignette in enumerate(found.vignettes):
            line = _item_line(data, "vignettes", index)
            if vignette.id in seen:
                message = MESSAGES["vignette_also"].format(id=vignette.id, seen=seen[vignette.id])
                findings.append(Finding(str(path), line, None, "vignette", message))
            seen.setdefault(vignette.id, str(path))
            problem = stale(flow, vignette)
            key = "answers"  # where the mending is
            if problem is None:
                problem, key = cue_problem(flow, book, vignette), "cues"
            if problem is not None:
                message = MESSAGES["vignette_no_longer_fits"].format(id=vignette.id, flow=flow.id, problem=problem)
                at = _item_line(data["vignettes"][index], key)
                findings.append(Finding(str(path), at or line, None, "vignette", message))
    return findings


def validate_paths(paths: list[Path], today: dt.date | None) -> tuple[list[Finding], int]:
    """Every finding for the given flow files or flows directories, and how many files were read."""

    findings: list[Finding] = []
    read = 0
    groups: dict[Path, list[Path]] = {}
    for path in paths:
        if path.is_dir():
            groups.setdefault(path, []).extend(flow_files(path))
        elif not path.exists():
            findings.append(Finding(str(path), None, None, "unreadable", MESSAGES["file_not_found"]))
        else:
            groups.setdefault(path.parent, []).append(path)
    for path in paths:
        if path.is_dir():
            findings += _compiled_findings(path)
            try:
                read_wording(path)
            except FlowDataError as exc:
                findings.append(from_error(exc.rule, exc, str(path / WORDING_FILE)))
    for root, files in groups.items():
        if root not in paths and not (root / CONTACTS_FILE).exists():
            # A flow copied out alone: its own errors still matter, and the bundled contacts,
            # guidance and calendar resolve its references, saying so.
            bundled = bundled_flows_dir()
            message = MESSAGES["no_beside_contacts_guidance_are"].format(contacts_file=CONTACTS_FILE, bundled=bundled)
            findings += [Finding(str(path), None, None, "bundled-contacts", message) for path in dict.fromkeys(files)]
            directory, _ = check_directory(bundled, None)
            root = bundled
            broken = set()
        else:
            directory, found = check_directory(root, today)
            findings += found
            read += 1
            broken = _broken_contacts(root, directory)
        if directory is None:
            continue
        calendar = None
        try:
            calendar = OfficeCalendar(directory.office_hours, read_bank_holidays(root, directory))
        except FlowDataError as exc:
            findings.append(from_error(exc.rule, exc, str(root / directory.office_hours.bank_holidays)))
        try:
            book = load_guidance(root)
        except FlowDataError as exc:
            findings.append(from_error(exc.rule, exc, str(root / GUIDANCE_FILE)))
            book = GuidanceBook(guidance={})
        for guidance_id, guidance in book.guidance.items():
            for contact_id in guidance.contacts:
                if contact_id not in directory.contacts:
                    message = MESSAGES["guidance_names_contact_not_contacts"].format(
                        guidance_id=guidance_id, contact_id=contact_id
                    )
                    findings.append(Finding(str(root / GUIDANCE_FILE), None, None, "unknown-contact", message))
        owner: dict[str, Path] = {}
        clean: dict[str, Flow] = {}  # the flows without errors, by id and alias, for their vignettes
        settled = True
        for path in dict.fromkeys(files):
            flow, found = check_flow(path, directory, today, book, calendar)
            # A contact the contacts file holds but could not read is reported there, once: not again
            # as missing wherever a flow names it.
            found = [f for f in found if not (f.rule == "unknown-contact" and _names_any(f.message, broken))]
            findings += found
            read += 1
            ok = flow is not None and not any(f.severity == "error" for f in found)
            settled = settled and ok
            if flow is None:
                continue
            for name in (flow.id, *flow.aliases):
                if name in owner and owner[name] != path:
                    message = MESSAGES["compiled_id_used_twice"].format(name=name, owner=owner[name])
                    findings.append(Finding(str(path), None, None, "duplicate-id", message))
                owner.setdefault(name, path)
                if ok:
                    clean.setdefault(name, flow)
        if root in paths:  # a whole flows directory: its vignettes too
            vignettes = vignette_files(root)
            findings += check_vignettes(root, vignettes, clean, settled, book)
            read += len(vignettes)
    return findings, read


def _broken_contacts(root: Path, directory: Directory | None) -> set[str]:
    """The contact ids a contacts file holds whose entries could not be read (each reported there)."""
    try:
        data = read_yaml(root / CONTACTS_FILE)
    except FlowDataError:
        return set()
    raw = data.get("contacts") if isinstance(data, LinedMap) else None
    read = set(directory.contacts) if directory is not None else set()
    return {str(contact_id) for contact_id in raw} - read if isinstance(raw, LinedMap) else set()


def _names_any(message: str, ids: set[str]) -> bool:
    return any(f"{contact_id!r}" in message for contact_id in ids)


def _compiled_findings(root: Path) -> list[Finding]:
    """A compiled file that walks would not use, or that says other than its sources do."""

    path = root / COMPILED_FILE
    problem = compiled_problem(root)
    if problem is not None:
        return [Finding(str(path), None, None, *problem)]
    if not path.exists():
        return []
    try:
        rebuilt = compile_library(root)
    except DecisionTreesError:
        return []  # the sources' own findings say why
    if path.read_text(encoding="utf-8") != rebuilt:
        message = MESSAGES["says_other_than_sources_though"]
        return [Finding(str(path), None, None, "compiled", message)]
    return []


def compile_library(root: Path) -> str:
    """The compiled form of a flows directory, after loading (and so checking) it from its sources."""

    return compile_loaded(load_library(root, use_compiled=False))


def write_compiled(root: Path) -> Path:
    """Check a flows directory and write its compiled form beside its sources; returns the path."""

    if not root.is_dir():
        raise UsageError(MESSAGES["flows_directory_does_not_exist"].format(root=str(root)))
    write_private(root / COMPILED_FILE, compile_library(root), force=True, mode=0o644)  # data to share
    return root / COMPILED_FILE
