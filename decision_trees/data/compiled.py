"""A flows directory compiled to one JSON file, so that a walk needs no YAML parser.

`decision-trees compile DIR` writes DIR/library.compiled.json after loading and checking DIR. It
records each source file's size and CRC-32 (zlib's, which Typer has already loaded), and is used
only while every one still matches and no flow file has been added or removed: a stale compiled
file is ignored, never trusted. Not modification times, as .pyc files use: a git clone or a wheel
install sets new times on every file, and the committed compiled file would never be used. Not
sha256: this checks for edits, not for an adversary who could as well edit the compiled file, and
hashlib's OpenSSL costs about 4 ms of every walk (benchmarks/startup.py)."""

import datetime as dt
import zlib
from pathlib import Path

import msgspec

from decision_trees.core.models import Directory, Flow, GuidanceBook
from decision_trees.core.summary import ContactsFile
from decision_trees.data.library import GUIDANCE_FILE, Library, contacts_file_name, flow_files

COMPILED_FILE = "library.compiled.json"
SCHEMA = "decision-trees/compiled/4"  # 4: with the contacts file's sha256


class Compiled(msgspec.Struct, frozen=True):
    schema: str
    sources: dict[str, tuple[int, int]]  # file name: (size, CRC-32)
    directory: Directory
    flows: dict[str, Flow]
    files: dict[str, str]
    guidance: msgspec.Raw  # decoded only when a walk offers guidance or indicators
    bank_holidays: list[dt.date]
    contacts_sha256: str  # for summaries and records, so that a walk need not hash


def _stamp(path: Path) -> tuple[int, int]:
    """A source file's size and CRC-32: what the compiled form is checked against."""
    data = path.read_bytes()
    return len(data), zlib.crc32(data)


def _source_names(root: Path, bank_holidays: str) -> list[str]:
    names = [p.name for p in flow_files(root)] + ["contacts.yaml", bank_holidays]
    return names + ([GUIDANCE_FILE] if (root / GUIDANCE_FILE).exists() else [])


def compile_loaded(library: Library) -> str:
    """The compiled form of a library just loaded (and so checked) from its sources."""
    root = library.root
    compiled = Compiled(
        schema=SCHEMA,
        sources={
            name: _stamp(root / name) for name in _source_names(root, library.directory.office_hours.bank_holidays)
        },
        directory=library.directory,
        flows=library.flows,
        files={flow_id: path.name for flow_id, path in library.files.items()},
        guidance=msgspec.Raw(msgspec.json.encode(library.guidance)),
        bank_holidays=library.bank_holidays,
        contacts_sha256=library.contacts_files[0].sha256,
    )
    return msgspec.json.encode(compiled).decode("utf-8") + "\n"


def read_compiled(root: Path) -> Library | None:
    """The library from DIR's compiled file if it is there and fresh, else None."""
    path = root / COMPILED_FILE
    try:
        compiled = msgspec.json.decode(path.read_bytes(), type=Compiled)
    except (OSError, msgspec.DecodeError):
        return None
    if compiled.schema != SCHEMA:
        return None
    names = _source_names(root, compiled.directory.office_hours.bank_holidays)
    if sorted(names) != sorted(compiled.sources):
        return None
    try:
        if any(_stamp(root / name) != tuple(stamp) for name, stamp in compiled.sources.items()):
            return None
    except OSError:
        return None
    return Library(
        root=root,
        directory=compiled.directory,
        flows=compiled.flows,
        files={flow_id: root / name for flow_id, name in compiled.files.items()},
        guidance=lambda: msgspec.json.decode(compiled.guidance, type=GuidanceBook),
        bank_holidays=compiled.bank_holidays,
        contacts_files=[ContactsFile(contacts_file_name(root), compiled.contacts_sha256, local=False)],
    )
