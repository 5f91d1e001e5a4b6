"""Reading flows, contacts and reference data from a flows directory, strictly, before any question."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import yaml

from .clock import OfficeCalendar
from .errors import FlowDataError, UsageError
from .models import Action, Contact, Directory, Flow, Node, Question

CONTACTS_FILE = "contacts.yaml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML that refuses duplicate keys and keeps line numbers."""


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    mapping = _Map()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            seen = key in mapping
        except TypeError:
            raise FlowDataError(f"a key must be plain text, not {type(key).__name__}", line=line) from None
        if seen:
            first = mapping.key_lines[key]
            raise FlowDataError(f"duplicate key {key!r} (first given at line {first})", line=line)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> _Seq:
    seq = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    seq.line = node.start_mark.line + 1
    seq.item_lines = [child.start_mark.line + 1 for child in node.value]
    return seq


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; every failure is a `FlowDataError` naming the file and line."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FlowDataError("file not found", file=name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FlowDataError(f"cannot read the file ({exc})", file=name) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except FlowDataError as exc:
        raise FlowDataError(exc.detail, file=name, line=exc.line) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        problem = exc.problem or "not valid YAML"
        raise FlowDataError(f"not valid YAML: {problem}", file=name, line=line) from None
    except yaml.YAMLError as exc:
        raise FlowDataError(f"not valid YAML: {exc}", file=name) from None
    except RecursionError:
        raise FlowDataError("the YAML nests too deeply or refers to itself", file=name) from None


_PATH_TOKEN = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def _line_of(data: Any, msgspec_path: str, key: str | None = None) -> int | None:
    """The line that a msgspec error path (`$.choices[0].label`) points to in lined YAML data."""
    line = getattr(data, "line", None)
    for name, index in _PATH_TOKEN.findall(msgspec_path.removeprefix("$")):
        if name and isinstance(data, _Map) and name in data:
            line, data = data.key_lines[name], data[name]
        elif index and isinstance(data, _Seq) and int(index) < len(data):
            line, data = data.item_lines[int(index)], data[int(index)]
        else:
            break
    if key is not None and isinstance(data, _Map) and key in data:
        line = data.key_lines[key]
    return line


_MSGSPEC_ERROR = re.compile(r"^(?P<what>.*?)(?: - at `(?P<path>[^`]*)`)?$")


def _convert(data: Any, kind: type[Any], *, file: str, where: str = "") -> Any:
    try:
        return msgspec.convert(data, kind, strict=True)
    except msgspec.ValidationError as exc:
        match = _MSGSPEC_ERROR.match(str(exc))
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


def load_flow(path: Path, directory: Directory) -> Flow:
    """Load one flow file and check its graph: start, next nodes, contacts, labels, ids."""
    name = str(path)
    data = read_yaml(path)
    if not isinstance(data, _Map):
        raise FlowDataError("a flow file must be a mapping with id, title, start, nodes, ...", file=name, line=1)
    raw_nodes = data.get("nodes")
    header = _Map({k: v for k, v in data.items() if k != "nodes"})
    header.line, header.key_lines = data.line, data.key_lines
    header["nodes"] = {}
    flow: Flow = _convert(header, Flow, file=name)
    if not isinstance(raw_nodes, _Map) or not raw_nodes:
        line = data.key_lines.get("nodes", data.line)
        raise FlowDataError("`nodes` must be a mapping of node id to node", file=name, line=line)
    nodes: dict[str, Node] = {}
    for node_id, raw in raw_nodes.items():
        line = raw_nodes.key_lines[node_id]
        if not isinstance(node_id, str) or not _ID.match(node_id):
            raise FlowDataError(
                f"node id {node_id!r} must be lower-case letters, digits and hyphens", file=name, line=line
            )
        if not isinstance(raw, _Map):
            raise FlowDataError(f"node {node_id!r} must be a mapping with a type", file=name, line=line)
        nodes[node_id] = _convert(raw, Node, file=name, where=f"node {node_id!r}: ")  # type: ignore[arg-type]
    flow = msgspec.structs.replace(flow, nodes=nodes)
    _check_graph(flow, data, directory, name)
    return flow


def _item_line(raw: Any, key: str, index: int | None = None) -> int | None:
    """The line of `raw[key]` (or of its item `index`) in lined YAML data."""
    if not isinstance(raw, _Map) or key not in raw:
        return getattr(raw, "line", None)
    value = raw[key]
    if index is not None and isinstance(value, _Seq) and index < len(value):
        return value.item_lines[index]
    return raw.key_lines[key]


def _check_graph(flow: Flow, data: _Map, directory: Directory, file: str) -> None:
    raw_nodes = data["nodes"]
    valid_ids = ", ".join(flow.nodes)

    def fail(node_id: str, message: str, key: str, index: int | None = None) -> None:
        line = _item_line(raw_nodes[node_id], key, index)
        raise FlowDataError(f"node {node_id!r}: {message}", file=file, line=line)

    if flow.start not in flow.nodes:
        raise FlowDataError(
            f"start node {flow.start!r} does not exist; valid node ids: {valid_ids}",
            file=file,
            line=_item_line(data, "start"),
        )
    for node_id, node in flow.nodes.items():
        if isinstance(node, Question):
            seen: set[str] = set()
            for index, choice in enumerate(node.choices):
                if choice.label.casefold() in seen:
                    fail(node_id, f"two choices have the label {choice.label!r}", "choices", index)
                seen.add(choice.label.casefold())
                if choice.next not in flow.nodes:
                    fail(
                        node_id,
                        f"leads to {choice.next!r}, which does not exist; valid node ids: {valid_ids}",
                        "choices",
                        index,
                    )
        elif isinstance(node, Action):
            if node.next not in flow.nodes:
                fail(node_id, f"leads to {node.next!r}, which does not exist; valid node ids: {valid_ids}", "next")
        else:
            for index, contact in enumerate(node.contacts):
                if contact not in directory.contacts:
                    known = ", ".join(directory.contacts)
                    fail(node_id, f"contact {contact!r} is not in {CONTACTS_FILE}; known: {known}", "contacts", index)
    for index, contact in enumerate(flow.advice.contacts):
        if contact not in directory.contacts:
            line = _item_line(data.get("advice"), "contacts", index)
            raise FlowDataError(f"advice contact {contact!r} is not in {CONTACTS_FILE}", file=file, line=line)


def load_directory(root: Path) -> Directory:
    """Load the contacts file of a flows directory and check its cross-references."""
    path = root / CONTACTS_FILE
    name = str(path)
    data = read_yaml(path)
    if not isinstance(data, _Map) or not isinstance(data.get("contacts"), _Map):
        raise FlowDataError("the contacts file needs office_hours, immediate_danger and contacts", file=name, line=1)
    raw_contacts = data["contacts"]
    contacts: dict[str, Contact] = {}
    for contact_id, raw in raw_contacts.items():
        line = raw_contacts.key_lines[contact_id]
        if not isinstance(contact_id, str) or not _ID.match(contact_id):
            raise FlowDataError(
                f"contact id {contact_id!r} must be lower-case letters, digits and hyphens", file=name, line=line
            )
        if not isinstance(raw, _Map):
            raise FlowDataError(
                f"contact {contact_id!r} must be a mapping with name, phones, ...", file=name, line=line
            )
        contacts[contact_id] = _convert(raw, Contact, file=name, where=f"contact {contact_id!r}: ")
    header = _Map({k: v for k, v in data.items() if k != "contacts"})
    header.line, header.key_lines = data.line, data.key_lines
    header["contacts"] = {}
    directory: Directory = msgspec.structs.replace(_convert(header, Directory, file=name), contacts=contacts)
    for contact_id, contact in contacts.items():
        if contact.out_of_hours and contact.out_of_hours not in contacts:
            raise FlowDataError(
                f"contact {contact_id!r}: out_of_hours contact {contact.out_of_hours!r} does not exist",
                file=name,
                line=_item_line(raw_contacts[contact_id], "out_of_hours"),
            )
    if directory.immediate_danger.contact not in contacts:
        raise FlowDataError(
            f"immediate_danger contact {directory.immediate_danger.contact!r} does not exist",
            file=name,
            line=_item_line(data, "immediate_danger"),
        )
    return directory


class _Event(msgspec.Struct):
    date: dt.date


class _Division(msgspec.Struct):
    events: list[_Event]


def load_calendar(root: Path, directory: Directory) -> OfficeCalendar:
    """Office hours with the bank holidays of the directory's table (GOV.UK's bank-holidays.json format)."""
    hours = directory.office_hours
    path = root / hours.bank_holidays
    try:
        table = msgspec.json.decode(path.read_bytes(), type=dict[str, _Division])
    except FileNotFoundError:
        raise FlowDataError("bank holiday table not found", file=str(path)) from None
    except (OSError, msgspec.DecodeError) as exc:
        raise FlowDataError(f"bank holiday table cannot be read: {exc}", file=str(path)) from None
    if hours.bank_holiday_division not in table:
        raise FlowDataError(
            f"division {hours.bank_holiday_division!r} is not in the table; it has: {', '.join(table)}",
            file=str(path),
        )
    days = [event.date for event in table[hours.bank_holiday_division].events]
    return OfficeCalendar(hours, days, {day.year for day in days})


class Library(msgspec.Struct, frozen=True):
    """Every flow of one flows directory, with its contacts."""

    root: Path
    directory: Directory
    flows: dict[str, Flow]
    files: dict[str, Path]

    def find(self, name: str) -> Flow:
        """The flow whose id or alias is `name` (any case); a `UsageError` lists the valid names."""
        wanted = name.strip().casefold()
        for flow in self.flows.values():
            if wanted == flow.id or wanted in flow.aliases:
                return flow
        names = ", ".join(n for f in self.flows.values() for n in [*f.aliases[:1], f.id])
        raise UsageError(f"no flow called {name!r}; choose one of: {names} (see `decision-trees list`)")

    def calendar(self) -> OfficeCalendar:
        return load_calendar(self.root, self.directory)


def flow_files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.glob("*.yaml")) if p.name != CONTACTS_FILE)


def load_library(root: Path | None = None) -> Library:
    """Load and check every flow in `root` (the bundled flows by default)."""
    root = root or bundled_flows_dir()
    if not root.is_dir():
        raise UsageError(f"flows directory {str(root)!r} does not exist")
    directory = load_directory(root)
    flows: dict[str, Flow] = {}
    files: dict[str, Path] = {}
    owner: dict[str, str] = {}
    for path in flow_files(root):
        flow = load_flow(path, directory)
        for name in (flow.id, *flow.aliases):
            if name in owner:
                raise FlowDataError(f"flow id or alias {name!r} is also used by {files[owner[name]]}", file=str(path))
            owner[name] = flow.id
        flows[flow.id] = flow
        files[flow.id] = path
    if not flows:
        raise FlowDataError("no flow files (*.yaml) found", file=str(root))
    return Library(root=root, directory=directory, flows=flows, files=files)
