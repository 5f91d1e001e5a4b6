"""A flows directory as the tool uses it: its flows, contacts, guidance and calendar, and where its
files are. Made by `loading.load_library` (from YAML) or `compiled.read_compiled` (from its compiled
form); this module depends on neither, so that neither depends on the other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from pathlib import Path

from decision_trees.core.clock import OfficeCalendar
from decision_trees.core.contract import ContactsFile
from decision_trees.core.errors import UsageError
from decision_trees.core.models import Directory, Flow, GuidanceBook
from decision_trees.words import MESSAGES

CONTACTS_FILE = "contacts.yaml"
GUIDANCE_FILE = "reference/guidance.yaml"


def bundled_flows_dir() -> Path:
    """The flows shipped with the package: inside it when installed, beside it in a source checkout."""
    package = Path(__file__).resolve().parent.parent  # decision_trees/, this file being in data/
    installed = package / "flows"
    return installed if installed.is_dir() else package.parent / "flows"


def flow_files(root: Path) -> Iterator[Path]:
    # Not glob("*.yaml"): that compiles a pattern on every walk, for a test a suffix answers.
    found = (p for p in root.iterdir() if p.suffix == ".yaml" and not p.name.startswith("."))
    return (p for p in sorted(found) if p.name != CONTACTS_FILE)


def contacts_file_name(root: Path) -> str:
    """How summaries name a directory's contacts file: the bundled one by name, so that a summary
    reads the same on every machine; a partnership's by its path."""
    if root.resolve() == bundled_flows_dir().resolve():
        return MESSAGES["bundled_file"].format(contacts_file=CONTACTS_FILE)
    return str(root / CONTACTS_FILE)


class Library:
    """Every flow of one flows directory, with its contacts and guidance."""

    def __init__(
        self,
        root: Path,
        directory: Directory,
        flows: Mapping[str, Flow],
        files: dict[str, Path],
        guidance: GuidanceBook | Callable[[], GuidanceBook],
        bank_holidays: dict[str, list[dt.date]],
        contacts_files: list[ContactsFile],
        names: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        self.directory = directory
        self.flows = flows
        self.names = names  # every id and alias (case-folded): the flow's id, where known without decoding
        self.files = files
        self.bank_holidays = bank_holidays
        self.contacts_files = contacts_files  # the bundled file, then any local one
        # contact id: the file its entry came from (a local file's entries replace bundled ones)
        self.contact_origins = dict.fromkeys(directory.contacts, contacts_files[0].file if contacts_files else "")
        self._guidance = guidance
        self._calendar: OfficeCalendar | None = None

    @cached_property
    def guidance(self) -> GuidanceBook:
        """The guidance tables; from the compiled form they are decoded only when first asked for."""
        return self._guidance if isinstance(self._guidance, GuidanceBook) else self._guidance()

    def find(self, name: str) -> Flow:
        """The flow whose id or alias is `name` (any case); a `UsageError` lists the valid names."""
        wanted = name.strip().casefold()
        if self.names is not None and wanted in self.names:
            return self.flows[self.names[wanted]]
        for flow in self.flows.values():
            if wanted == flow.id or wanted in flow.aliases:
                return flow
        names = ", ".join(n for f in self.flows.values() for n in [*f.aliases[:1], f.id])
        raise UsageError(MESSAGES["no_flow_called_choose_one"].format(name=name, names=names))

    def calendar(self) -> OfficeCalendar:
        """Office hours, less the directory's bank holidays (made once: a batch walks thousands)."""
        if self._calendar is None:
            self._calendar = OfficeCalendar(self.directory.office_hours, self.bank_holidays)
        return self._calendar
