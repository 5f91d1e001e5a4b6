"""Reading flows, contacts and reference data from a flows directory, strictly, before any question."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from .clock import OfficeCalendar, Period, TableZone
from .errors import FlowDataError, UsageError
from .models import ID_PATTERN, Contact, Directory, Flow, GuidanceBook, Node

# validation is imported where findings are made: a walk from a fresh compiled form makes none.
if TYPE_CHECKING:
    from .validation import Finding

    pass

CONTACTS_FILE = "contacts.yaml"
GUIDANCE_FILE = "reference/guidance.yaml"
# Patterns are compiled on first use (re caches them): most runs never need them.


def bundled_flows_dir() -> Path:
    """The flows shipped with the package: inside it when installed, beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "flows"
    return installed if installed.is_dir() else here.parent / "flows"


class _Map(dict[Any, Any]):
    """A mapping that remembers the line of each key, for error messages."""

    line: int
    key_lines: dict[Any, int]


class _Seq(list[Any]):
    line: int
    item_lines: list[int]


MAX_FILE_BYTES = 16 * 1024 * 1024


MAX_DEPTH = 64
_STANDARD_SCALARS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def _build(text: str) -> Any:
    """The one document of `text` as plain data with line numbers, from the C parser's events.

    Iterative, so that deep nesting cannot exhaust the stack; plain scalars are resolved with
    PyYAML's own YAML 1.1 rules (so an unquoted `yes` is still a bool, and caught as one)."""
    import yaml
    from yaml import events

    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    constructor = yaml.SafeLoader("")
    stack: list[Any] = []  # containers being filled
    keys: list[Any] = []  # for mappings: the key waiting for its value (or _NO_KEY)
    root: Any = None
    documents = 0

    def scalar(event: Any) -> Any:
        tag = event.tag
        if tag not in (None, "!") and not (event.implicit[0] or event.implicit[1]):
            if tag not in _STANDARD_SCALARS:
                raise FlowDataError(f"YAML tag {tag!r} is not allowed", line=event.start_mark.line + 1)
        elif not event.style and event.implicit[0]:  # plain: the C parser says '' where Python says None
            value = event.value
            tag = "tag:yaml.org,2002:str"
            for candidate, pattern in resolvers.get(value[:1] if value else "", []):
                if pattern.match(value):
                    tag = candidate
                    break
        else:
            return event.value
        if tag == "tag:yaml.org,2002:str":
            return event.value
        if tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
            raise FlowDataError("merge keys (<<) are not allowed", line=event.start_mark.line + 1)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        return constructor.yaml_constructors[tag](constructor, node)

    def add(value: Any, event: Any) -> None:
        nonlocal root
        line = event.start_mark.line + 1
        if not stack:
            root = value
            return
        parent = stack[-1]
        if isinstance(parent, _Seq):
            parent.append(value)
            parent.item_lines.append(line)
        elif keys[-1] is _NO_KEY:
            if isinstance(value, (_Map, _Seq)):
                raise FlowDataError("a key must be plain text, not a mapping or list", line=line)
            if value in parent:
                raise FlowDataError(
                    f"duplicate key {value!r} (first given at line {parent.key_lines[value]})", line=line
                )
            keys[-1] = value
            parent.key_lines[value] = line
        else:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY

    parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    get_event = parser.get_event
    scalar_event, stream_end = events.ScalarEvent, events.StreamEndEvent
    map_start, seq_start = events.MappingStartEvent, events.SequenceStartEvent
    # Plain scalars that no implicit resolver could turn into anything but text: the common case.
    special = frozenset(resolvers)
    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                value = event.value
                if event.style or event.tag is not None or not event.implicit[0] or not value or value[0] in special:
                    value = scalar(event)
                if stack and keys[-1] is not _NO_KEY:  # a mapping's value: the commonest step
                    stack[-1][keys[-1]] = value
                    keys[-1] = _NO_KEY
                else:
                    add(value, event)
            elif kind is map_start or kind is seq_start:
                if (
                    event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
                    and not event.implicit
                ):
                    raise FlowDataError(f"YAML tag {event.tag!r} is not allowed", line=event.start_mark.line + 1)
                if len(stack) >= MAX_DEPTH:
                    raise FlowDataError("the YAML nests too deeply", line=event.start_mark.line + 1)
                container: Any = _Map() if kind is map_start else _Seq()
                container.line = event.start_mark.line + 1
                if kind is map_start:
                    container.key_lines = {}
                else:
                    container.item_lines = []
                add(container, event)
                stack.append(container)
                keys.append(_NO_KEY)
            elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
                stack.pop()
                keys.pop()
            elif kind is events.AliasEvent:
                raise FlowDataError("anchors and aliases (& and *) are not allowed", line=event.start_mark.line + 1)
            elif kind is events.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise FlowDataError("a file must hold one YAML document", line=event.start_mark.line + 1)
            elif kind is stream_end:
                break
    finally:
        parser.dispose()
    return root


_NO_KEY = object()
_CONTAINER_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; every failure is a `FlowDataError` naming the file and line."""
    return parse_yaml(read_text(path), str(path))


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """A file's text, reading no more than `limit` bytes (a device such as /dev/zero has no size to
    check first); every failure is a one-line `FlowDataError` naming the file."""
    name = str(path)
    try:
        if path.is_dir():
            raise FlowDataError("is a folder; give a file", file=name, rule="unreadable")
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except FileNotFoundError:
        raise FlowDataError("file not found", file=name, rule="unreadable") from None
    except OSError as exc:
        raise FlowDataError(f"cannot read the file ({exc.strerror or exc})", file=name, rule="unreadable") from None
    if len(data) > limit:
        raise FlowDataError(f"the file is larger than {limit >> 20} MiB", file=name, rule="unreadable")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FlowDataError("is not UTF-8 text", file=name, line=line, rule="unreadable") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FlowDataError("contains a NUL character; is it a text file?", file=name, line=line, rule="unreadable")
    return text


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text by the project's rules (no aliases, tags or duplicate keys; lines kept)."""
    import yaml

    try:
        return _build(text)
    except FlowDataError as exc:
        raise FlowDataError(exc.detail, file=name, line=exc.line, rule="yaml") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        problem = exc.problem or "not valid YAML"
        raise FlowDataError(f"not valid YAML: {problem}", file=name, line=line, rule="yaml") from None
    except yaml.YAMLError as exc:
        raise FlowDataError(f"not valid YAML: {exc}", file=name, rule="yaml") from None
    except RecursionError:
        raise FlowDataError("the YAML nests too deeply or refers to itself", file=name, rule="yaml") from None


_PATH_PART = r"\.([^.\[]+)|\[(\d+)\]"


def _line_of(data: Any, msgspec_path: str, key: str | None = None) -> int | None:
    """The line that a msgspec error path (`$.choices[0].label`) points to in lined YAML data."""
    line = getattr(data, "line", None)
    for name, index in re.findall(_PATH_PART, msgspec_path.removeprefix("$")):
        if name and isinstance(data, _Map) and name in data:
            line, data = data.key_lines[name], data[name]
        elif index and isinstance(data, _Seq) and int(index) < len(data):
            line, data = data.item_lines[int(index)], data[int(index)]
        else:
            break
    if key is not None and isinstance(data, _Map) and key in data:
        line = data.key_lines[key]
    return line


_MSGSPEC_ERROR = r"^(?P<what>.*?)(?: - at `(?P<path>[^`]*)`)?$"


def _convert(data: Any, kind: type[Any], *, file: str, where: str = "") -> Any:
    try:
        return msgspec.convert(data, kind, strict=True)
    except msgspec.ValidationError as exc:
        match = re.match(_MSGSPEC_ERROR, str(exc))
        assert match is not None
        what, path = match["what"], match["path"] or "$"
        unknown = re.search(r"unknown field `([^`]*)`", what)
        line = _line_of(data, path, unknown[1] if unknown else None)
        field = path.removeprefix("$").lstrip(".")
        hint = ""
        if "got `bool`" in what:
            hint = " (YAML reads yes/no/on/off as true/false: put the text in quotes)"
        elif "got `float`" in what or "got `int`" in what:
            hint = " (put the value in quotes)"
        elif unknown:
            hint = " (check the spelling; see the flow format in the README)"
        at = f" at {field}" if field else ""
        raise FlowDataError(f"{where}{what[0].lower()}{what[1:]}{at}{hint}", file=file, line=line) from None


def _header(data: _Map, items: str) -> _Map:
    """`data` with its mapping of `items` emptied, to decode the rest before the items one by one."""
    header = _Map({k: v for k, v in data.items() if k != items})
    header.line, header.key_lines = data.line, data.key_lines
    header[items] = {}
    return header


def _convert_each(raw: _Map, kind: Any, file: str, what: str, findings: list[Finding]) -> dict[str, Any]:
    """Decode each entry of a mapping of id to entry; each bad entry is one finding, the rest go on."""
    from .validation import Finding, from_error

    decoded: dict[str, Any] = {}
    for item_id, item in raw.items():
        line = raw.key_lines[item_id]
        node = item_id if what == "node" and isinstance(item_id, str) else None
        if not isinstance(item_id, str) or not re.match(ID_PATTERN, item_id):
            message = f"{what} id {item_id!r} must be lower-case letters, digits and hyphens"
            findings.append(Finding(file, line, None, "schema", message))
        elif not isinstance(item, _Map):
            findings.append(Finding(file, line, node, "schema", f"{what} {item_id!r} must be a mapping"))
        else:
            try:
                where = "" if node else f"{what} {item_id!r}: "
                decoded[item_id] = _convert(item, kind, file=file, where=where)
            except FlowDataError as exc:
                findings.append(from_error("schema", exc, file, node))
    return decoded


def _raise_first_error(findings: list[Finding]) -> None:
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        node = f"node {first.node!r}: " if first.node else ""
        more = f" (and {len(errors) - 1} more: run `decision-trees validate`)" if len(errors) > 1 else ""
        raise FlowDataError(f"{node}{first.message}{more}", file=first.file, line=first.line, rule=first.rule)


def load_guidance(root: Path) -> GuidanceBook:
    """The guidance tables of a flows directory; none if it has no guidance file."""
    path = root / GUIDANCE_FILE
    if not path.exists():
        return GuidanceBook(guidance={})
    book: GuidanceBook = _convert(read_yaml(path), GuidanceBook, file=str(path))
    return book


def check_flow(
    path: Path, directory: Directory, today: dt.date | None = None, book: GuidanceBook | None = None
) -> tuple[Flow | None, list[Finding]]:
    """A flow file and every finding about it; the flow is None when it could not be decoded."""
    from .validation import Finding, from_error, lint_flow

    name = str(path)
    try:
        data = read_yaml(path)
    except FlowDataError as exc:
        return None, [from_error(exc.rule, exc, name)]
    if not isinstance(data, _Map):
        return None, [Finding(name, 1, None, "schema", "a flow file must be a mapping with id, title, start, nodes")]
    findings: list[Finding] = []
    raw_nodes = data.get("nodes")
    header = _header(data, "nodes")
    flow: Flow | None = None
    try:
        flow = _convert(header, Flow, file=name)
    except FlowDataError as exc:
        findings.append(from_error("schema", exc, name))
    if not isinstance(raw_nodes, _Map) or not raw_nodes:
        line = data.key_lines.get("nodes", data.line)
        findings.append(Finding(name, line, None, "schema", "`nodes` must be a mapping of node id to node"))
        return None, findings
    nodes: dict[str, Node] = _convert_each(raw_nodes, Node, name, "node", findings)
    if flow is None or findings:
        return None, findings
    flow = msgspec.structs.replace(flow, nodes=nodes)

    def line_of(node: str | None, key: str, index: int | None) -> int | None:
        return _item_line(data if node is None else raw_nodes.get(node), key, index)

    return flow, lint_flow(flow, directory, name, line_of, today, book or GuidanceBook(guidance={}))


def load_flow(path: Path, directory: Directory, book: GuidanceBook | None = None) -> Flow:
    """Load one flow file; any error-level finding stops here, before any question is asked."""
    flow, findings = check_flow(path, directory, book=book)
    _raise_first_error(findings)
    assert flow is not None
    return flow


def _item_line(raw: Any, key: str, index: int | None = None) -> int | None:
    """The line of `raw[key]` (or of its item `index`) in lined YAML data."""
    if not isinstance(raw, _Map) or key not in raw:
        return getattr(raw, "line", None)
    value = raw[key]
    if index is not None and isinstance(value, _Seq) and index < len(value):
        return value.item_lines[index]
    return raw.key_lines[key]


def check_directory(root: Path, today: dt.date | None = None) -> tuple[Directory | None, list[Finding]]:
    """The contacts file of a flows directory and every finding about it."""
    from .validation import Finding, from_error, lint_directory

    path = root / CONTACTS_FILE
    name = str(path)
    try:
        data = read_yaml(path)
    except FlowDataError as exc:
        return None, [from_error(exc.rule, exc, name)]
    if not isinstance(data, _Map) or not isinstance(data.get("contacts"), _Map):
        message = "the contacts file needs office_hours, immediate_danger and contacts"
        return None, [Finding(name, 1, None, "schema", message)]
    raw_contacts = data["contacts"]
    findings: list[Finding] = []
    contacts: dict[str, Contact] = _convert_each(raw_contacts, Contact, name, "contact", findings)
    header = _header(data, "contacts")
    try:
        directory: Directory = msgspec.structs.replace(_convert(header, Directory, file=name), contacts=contacts)
    except FlowDataError as exc:
        return None, [*findings, from_error("schema", exc, name)]
    for contact_id, contact in contacts.items():
        if contact.out_of_hours and contact.out_of_hours not in contacts:
            line = _item_line(raw_contacts[contact_id], "out_of_hours")
            message = f"contact {contact_id!r}: out_of_hours contact {contact.out_of_hours!r} does not exist"
            findings.append(Finding(name, line, None, "unknown-contact", message))
        if contact.document and contact.document not in directory.documents:
            line = _item_line(raw_contacts[contact_id], "document")
            known = ", ".join(directory.documents) or "none"
            message = f"contact {contact_id!r}: document {contact.document!r} is not under documents; known: {known}"
            findings.append(Finding(name, line, None, "schema", message))
    if directory.immediate_danger.contact not in contacts:
        message = f"immediate_danger contact {directory.immediate_danger.contact!r} does not exist"
        findings.append(Finding(name, _item_line(data, "immediate_danger"), None, "unknown-contact", message))

    def line_of(contact: str | None, key: str, index: int | None) -> int | None:
        return _item_line(raw_contacts.get(contact) if contact else data, key, index)

    findings += lint_directory(directory, name, line_of, today)
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


def load_calendar(root: Path, directory: Directory) -> OfficeCalendar:
    """Office hours with the bank holidays of the directory's table."""
    days = read_bank_holidays(root, directory)
    return OfficeCalendar(directory.office_hours, days)


def read_bank_holidays(root: Path, directory: Directory) -> list[dt.date]:
    """The bank holidays of the directory's division, from its table (GOV.UK's bank-holidays.json format)."""
    hours = directory.office_hours
    path = root / hours.bank_holidays
    try:
        table = msgspec.json.decode(path.read_bytes(), type=dict[str, _Division])
    except FileNotFoundError:
        raise FlowDataError("bank holiday table not found", file=str(path), rule="unreadable") from None
    except (OSError, msgspec.DecodeError) as exc:
        raise FlowDataError(f"bank holiday table cannot be read: {exc}", file=str(path)) from None
    if hours.bank_holiday_division not in table:
        raise FlowDataError(
            f"division {hours.bank_holiday_division!r} is not in the table; it has: {', '.join(table)}",
            file=str(path),
        )
    return [event.date for event in table[hours.bank_holiday_division].events]


class Library:
    """Every flow of one flows directory, with its contacts and guidance."""

    def __init__(
        self,
        root: Path,
        directory: Directory,
        flows: dict[str, Flow],
        files: dict[str, Path],
        guidance: GuidanceBook | Callable[[], GuidanceBook],
        bank_holidays: list[dt.date] | None = None,
        zone: list[Period] | None = None,
    ) -> None:
        self.root = root
        self.directory = directory
        self.flows = flows
        self.files = files
        self.bank_holidays = bank_holidays  # from the compiled form; else read when needed
        self.zone = zone  # likewise: the office-hours zone as a table, else from the zone database
        self._guidance = guidance

    @cached_property
    def guidance(self) -> GuidanceBook:
        """The guidance tables; from the compiled form they are decoded only when first asked for."""
        return self._guidance if isinstance(self._guidance, GuidanceBook) else self._guidance()

    def find(self, name: str) -> Flow:
        """The flow whose id or alias is `name` (any case); a `UsageError` lists the valid names."""
        wanted = name.strip().casefold()
        for flow in self.flows.values():
            if wanted == flow.id or wanted in flow.aliases:
                return flow
        names = ", ".join(n for f in self.flows.values() for n in [*f.aliases[:1], f.id])
        raise UsageError(f"no flow called {name!r}; choose one of: {names} (see `decision-trees list`)")

    def calendar(self) -> OfficeCalendar:
        if self.bank_holidays is None:
            return load_calendar(self.root, self.directory)
        hours = self.directory.office_hours
        return OfficeCalendar(hours, self.bank_holidays, TableZone(hours.timezone, self.zone) if self.zone else None)


def flow_files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.glob("*.yaml")) if p.name != CONTACTS_FILE)


def load_library(root: Path | None = None, *, use_compiled: bool = True) -> Library:
    """Load and check every flow in `root` (the bundled flows by default); a fresh compiled form of
    the directory, if there is one, is read instead of its YAML."""
    root = root or bundled_flows_dir()
    if not root.is_dir():
        if root.exists():
            raise UsageError(f"--flows-dir {str(root)!r} is a file; give the folder that holds the flow files")
        raise UsageError(f"flows directory {str(root)!r} does not exist")
    if use_compiled:
        from .compiled import read_compiled

        compiled: Library | None = read_compiled(root)
        if compiled is not None:
            return compiled
    directory = load_directory(root)
    book = load_guidance(root)
    flows: dict[str, Flow] = {}
    files: dict[str, Path] = {}
    owner: dict[str, str] = {}
    for path in flow_files(root):
        flow = load_flow(path, directory, book)
        for name in (flow.id, *flow.aliases):
            if name in owner:
                raise FlowDataError(f"flow id or alias {name!r} is also used by {files[owner[name]]}", file=str(path))
            owner[name] = flow.id
        flows[flow.id] = flow
        files[flow.id] = path
    if not flows:
        raise FlowDataError("no flow files (*.yaml) found", file=str(root))
    return Library(root=root, directory=directory, flows=flows, files=files, guidance=book)


def validate_paths(paths: list[Path], today: dt.date | None) -> tuple[list[Finding], int]:
    """Every finding for the given flow files or flows directories, and how many files were read."""
    from .validation import Finding, from_error

    findings: list[Finding] = []
    read = 0
    groups: dict[Path, list[Path]] = {}
    for path in paths:
        if path.is_dir():
            groups.setdefault(path, []).extend(flow_files(path))
        elif not path.exists():
            findings.append(Finding(str(path), None, None, "unreadable", "file not found"))
        else:
            groups.setdefault(path.parent, []).append(path)
    for root, files in groups.items():
        directory, found = check_directory(root, today)
        findings += found
        read += 1
        if directory is None:
            continue
        try:
            load_calendar(root, directory)
        except FlowDataError as exc:
            findings.append(from_error(exc.rule, exc, str(root / directory.office_hours.bank_holidays)))
        try:
            book = load_guidance(root)
        except FlowDataError as exc:
            findings.append(from_error(exc.rule, exc, str(root / GUIDANCE_FILE)))
            book = GuidanceBook(guidance={})
        owner: dict[str, Path] = {}
        for path in dict.fromkeys(files):
            flow, found = check_flow(path, directory, today, book)
            findings += found
            read += 1
            if flow is None:
                continue
            for name in (flow.id, *flow.aliases):
                if name in owner and owner[name] != path:
                    message = f"flow id or alias {name!r} is also used by {owner[name]}"
                    findings.append(Finding(str(path), None, None, "duplicate-id", message))
                owner.setdefault(name, path)
    return findings, read
