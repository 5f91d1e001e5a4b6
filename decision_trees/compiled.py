"""A flows directory compiled to one JSON file, so that a walk needs no YAML parser.

`decision-trees compile DIR` writes DIR/library.compiled.json after loading and checking DIR. It
records the sha256 of every source file; it is used only while every one of them still matches and
no flow file has been added or removed. A stale compiled file is ignored, never trusted. It also
carries the office-hours time zone as a table (`clock.TableZone`), so that a walk needs no zoneinfo."""

import datetime as dt
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from .models import Directory, Flow, GuidanceBook

if TYPE_CHECKING:
    from .loading import Library

COMPILED_FILE = "library.compiled.json"
SCHEMA = "decision-trees/compiled/2"  # 2: with the time zone table


class Compiled(msgspec.Struct, frozen=True):
    schema: str
    sources: dict[str, str]
    directory: Directory
    flows: dict[str, Flow]
    files: dict[str, str]
    guidance: msgspec.Raw  # decoded only when a walk offers guidance or indicators
    bank_holidays: list[dt.date]
    zone: list[tuple[int, int, int, str]]  # the office-hours zone's periods over the table's years


@cache
def _sha256() -> Any:
    """sha256 without hashlib, which loads OpenSSL: about 5 ms of every walk's start-up (measured).
    Cached: a failed import is not remembered, and costs a path search each time."""
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]  # CPython 3.12+
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]  # CPython 3.11
        except ImportError:
            from hashlib import sha256
    return sha256


def _digest(path: Path) -> str:
    return str(_sha256()(path.read_bytes()).hexdigest())


def _source_names(root: Path, bank_holidays: str) -> list[str]:
    from .loading import GUIDANCE_FILE, flow_files

    names = [p.name for p in flow_files(root)] + ["contacts.yaml", bank_holidays]
    return names + ([GUIDANCE_FILE] if (root / GUIDANCE_FILE).exists() else [])


def compile_library(root: Path) -> str:
    """The compiled form of a flows directory, after loading (and so checking) it from its sources."""
    from .clock import zone_periods
    from .loading import load_library, read_bank_holidays

    library = load_library(root, use_compiled=False)
    calendar_source = library.directory.office_hours.bank_holidays
    bank_holidays = read_bank_holidays(root, library.directory)
    years = {day.year for day in bank_holidays} or {dt.date.today().year}
    compiled = Compiled(
        schema=SCHEMA,
        sources={name: _digest(root / name) for name in _source_names(root, calendar_source)},
        directory=library.directory,
        flows=library.flows,
        files={flow_id: path.name for flow_id, path in library.files.items()},
        guidance=msgspec.Raw(msgspec.json.encode(library.guidance)),
        bank_holidays=bank_holidays,
        zone=zone_periods(library.directory.office_hours.timezone, min(years), max(years)),
    )
    return msgspec.json.encode(compiled).decode("utf-8") + "\n"


def read_compiled(root: Path) -> "Library | None":
    """The library from DIR's compiled file if it is there and fresh, else None."""
    from .loading import Library

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
        if any(_digest(root / name) != digest for name, digest in compiled.sources.items()):
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
        zone=compiled.zone,
    )
