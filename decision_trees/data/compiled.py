"""A flows directory compiled to one JSON file, so that a walk needs no YAML parser.

`decision-trees compile DIR` writes DIR/library.compiled.json after loading and checking DIR. The
file proves where it came from in two ways, both checked on every read:
- it records each source file's sha256: it is used only while every source still has that hash
  and no flow file has been added or removed (a stale file is ignored and the sources are read);
- it is sealed: its first line holds the sha256 of the rest, so that an edit made inside it (a
  changed phone number) no longer matches and the file is ignored in the same way.
Summaries cite the contacts file's sha256 as computed here, from the file itself, on this run.

Not modification times, as .pyc files use: a git clone or a wheel install sets new times on every
file. A seal stops a hand edit, not someone who recomputes it: `validate` also rebuilds the compiled
form from the sources and reports a file that differs."""

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import msgspec

from decision_trees.core.contract import ContactsFile
from decision_trees.core.errors import FlowDataError
from decision_trees.core.models import Directory, Flow, GuidanceBook
from decision_trees.data.library import CONTACTS_FILE, GUIDANCE_FILE, Library, contacts_file_name, flow_files
from decision_trees.words import MESSAGES

COMPILED_FILE = "library.compiled.json"
SCHEMA = "decision-trees/compiled/7"  # 7: bank holidays of every division
_SEAL = b'{"seal": "sha256:'  # then 64 hex digits, '", "compiled":' and the payload, then "}\n"
_SEAL_END = b'", "compiled": '


class Compiled(msgspec.Struct, frozen=True):
    schema: str
    sources: dict[str, str]  # file name: its sha256
    directory: Directory
    flows: dict[str, msgspec.Raw]  # decoded when first used: a walk uses one flow of several
    names: dict[str, str]  # every id and alias (case-folded): the flow's id
    files: dict[str, str]
    guidance: msgspec.Raw  # decoded only when a walk offers guidance or indicators
    bank_holidays: dict[str, list[dt.date]]  # by division


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _source_names(root: Path, bank_holidays: str) -> list[str]:
    names = [p.name for p in flow_files(root)] + [CONTACTS_FILE, bank_holidays]
    return names + ([GUIDANCE_FILE] if (root / GUIDANCE_FILE).exists() else [])


def compile_loaded(library: Library) -> str:
    """The compiled form of a library just loaded (and so checked) from its sources, sealed."""
    root = library.root
    compiled = Compiled(
        schema=SCHEMA,
        sources={
            name: _sha256(root / name) for name in _source_names(root, library.directory.office_hours.bank_holidays)
        },
        directory=library.directory,
        flows={flow_id: msgspec.Raw(msgspec.json.encode(flow)) for flow_id, flow in library.flows.items()},
        names={name.casefold(): flow.id for flow in library.flows.values() for name in (flow.id, *flow.aliases)},
        files={flow_id: path.name for flow_id, path in library.files.items()},
        guidance=msgspec.Raw(msgspec.json.encode(library.guidance)),
        bank_holidays=library.bank_holidays,
    )
    payload = msgspec.json.encode(compiled)
    sealed = _SEAL + hashlib.sha256(payload).hexdigest().encode() + _SEAL_END + payload + b"}\n"
    return sealed.decode("utf-8")


def _unseal(data: bytes) -> bytes | None:
    """The payload of a sealed compiled file, or None when the seal is missing or does not match."""
    start = len(_SEAL) + 64 + len(_SEAL_END)
    if not data.startswith(_SEAL) or data[len(_SEAL) + 64 : start] != _SEAL_END or not data.endswith(b"}\n"):
        return None
    payload = data[start:-2]
    if hashlib.sha256(payload).hexdigest().encode() != data[len(_SEAL) : len(_SEAL) + 64]:
        return None
    return payload


def compiled_problem(root: Path) -> tuple[str, str] | None:
    """Why DIR's compiled file is not used, as (validate rule, message); None when it is used (or
    there is none). Stale is a warning (walks read the sources, only slower); edited is an error."""
    path = root / COMPILED_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return "stale-compiled", MESSAGES["cannot_be_read_walks_read"].format(strerror=exc.strerror)
    payload = _unseal(data)
    if payload is None and data.startswith(_SEAL):
        return (
            "compiled",
            MESSAGES["seal_does_not_match_content"],
        )
    try:
        compiled = msgspec.json.decode(payload or b"", type=Compiled)
    except msgspec.DecodeError:
        return (
            "stale-compiled",
            MESSAGES["older_format_walks_read_sources"],
        )
    if _fresh(root, compiled) is None:
        return (
            "stale-compiled",
            MESSAGES["does_not_match_sources_one"],
        )
    return None


def _fresh(root: Path, compiled: Compiled) -> dict[str, str] | None:
    """The sources' hashes when they are the ones the compiled form was made from, else None."""
    if compiled.schema != SCHEMA:
        return None
    names = _source_names(root, compiled.directory.office_hours.bank_holidays)
    if sorted(names) != sorted(compiled.sources):
        return None
    try:
        hashes = {name: _sha256(root / name) for name in compiled.sources}
    except OSError:
        return None
    return hashes if hashes == compiled.sources else None


def read_compiled(root: Path) -> Library | None:
    """The library from DIR's compiled file if it is there, sealed and fresh, else None."""
    path = root / COMPILED_FILE
    try:
        payload = _unseal(path.read_bytes())
        if payload is None:
            return None
        compiled = msgspec.json.decode(payload, type=Compiled)
    except (OSError, msgspec.DecodeError):
        return None
    hashes = _fresh(root, compiled)
    if hashes is None:
        return None
    _check_contacts(compiled.directory, str(path))
    return Library(
        root=root,
        directory=compiled.directory,
        flows=_Flows(compiled.flows, compiled.directory, str(path)),
        names=compiled.names,
        files={flow_id: root / name for flow_id, name in compiled.files.items()},
        guidance=lambda: msgspec.json.decode(compiled.guidance, type=GuidanceBook),
        bank_holidays=compiled.bank_holidays,
        contacts_files=[ContactsFile(contacts_file_name(root), "sha256:" + hashes[CONTACTS_FILE], local=False)],
    )


class _Flows(Mapping[str, Flow]):
    """The compiled flows by id, each decoded, and its references checked, when first used."""

    def __init__(self, raw: dict[str, msgspec.Raw], directory: Directory, name: str) -> None:
        self._raw, self._directory, self._name = raw, directory, name
        self._decoded: dict[str, Flow] = {}

    def __getitem__(self, flow_id: str) -> Flow:
        found = self._decoded.get(flow_id)
        if found is None:
            try:
                found = msgspec.json.decode(self._raw[flow_id], type=Flow)
            except msgspec.DecodeError as exc:  # sealed, so made by hand: refused as a whole file would be
                raise FlowDataError(
                    MESSAGES["flow_cannot_be_read_rebuild"].format(flow_id=flow_id, problem=exc), file=self._name
                ) from None
            _check_references(found, self._directory, self._name)
            self._decoded[flow_id] = found
        return found

    def __contains__(self, flow_id: object) -> bool:
        return flow_id in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _check_references(flow: Flow, directory: Directory, name: str) -> None:
    """Every node a flow names, and every contact, exists: a compiled file made by hand with a matching
    seal is refused in one line rather than failing half way through a walk."""
    named = [*flow.advice.contacts]
    targets = [flow.start]
    for node in flow.nodes.values():
        targets += [way.next for way in node.exits()]
        named += node.named_contacts()
    missing = [MESSAGES["flow_leads_node"].format(id=flow.id, node_id=t) for t in targets if t not in flow.nodes]
    missing += [
        MESSAGES["flow_names_contact"].format(id=flow.id, contact_id=c) for c in named if c not in directory.contacts
    ]
    if missing:
        raise FlowDataError(MESSAGES["which_does_not_hold_rebuild"].format(missing=missing[0]), file=name)


def _check_contacts(directory: Directory, name: str) -> None:
    """Every out-of-hours cover a contact names exists."""
    for contact_id, contact in directory.contacts.items():
        if contact.out_of_hours and contact.out_of_hours not in directory.contacts:
            raise FlowDataError(
                MESSAGES["contact_names_out_hours_contact"].format(
                    contact_id=contact_id, out_of_hours=contact.out_of_hours
                ),
                file=name,
            )
