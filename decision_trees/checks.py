"""The library's checks, beside its walk (`session`): `validate` (flow files and folders, with a
partnership's contacts), `check_contacts` (whose check is overdue), `contact_breaches` (the safety
invariants a library's contacts break) and `diff` (what a change to a flow does to its advice)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import msgspec

from decision_trees.core import invariants
from decision_trees.core.clock import OfficeCalendar
from decision_trees.core.contract import ContactCheck
from decision_trees.core.decision import contacts_in_use
from decision_trees.core.errors import ContactsFileError, DecisionTreesError, UsageError, option
from decision_trees.core.flowdiff import FlowDiff, Side, compare_cases, diff_flows
from decision_trees.core.invariants import Breach
from decision_trees.core.models import Directory, Flow
from decision_trees.core.record import check_case_ref
from decision_trees.data import localcontacts
from decision_trees.data.answerfiles import parse_case, read_answers_file
from decision_trees.data.library import CONTACTS_FILE, Library
from decision_trees.data.loading import load_directory, load_flow, load_guidance, load_library, validate_paths
from decision_trees.data.validation import Finding
from decision_trees.data.yamlfile import read_text
from decision_trees.session import load
from decision_trees.words import MESSAGES


def contact_breaches(library: Library, today: dt.date) -> list[Breach]:
    """The safety invariants the contacts in use break (I1, I2, I3, I8), over every flow's routes."""

    return localcontacts.breaches(library, today)


def validate(
    paths: list[Path], today: dt.date | None = None, contacts: Path | None = None
) -> tuple[list[Finding], int]:
    """Every finding for the flow files or flows directories given, and how many files were read
    (`today` is the date for the review and staleness checks; None skips them). With a local
    contacts file (`contacts`, $DECISION_TREES_CONTACTS or the config folder's), the safety
    invariants are checked again with its entries in place, and what they break is reported on it."""

    findings, read = validate_paths(paths, today)
    local = localcontacts.find(contacts)
    roots = [path for path in paths if path.is_dir()]
    if local is None or today is None or not roots or any(f.severity == "error" for f in findings):
        return findings, read
    return findings + _local_findings(roots[0], local, today), read + 1


def _local_findings(root: Path, local: Path, today: dt.date) -> list[Finding]:
    """The safety invariants the local contacts file breaks, with the flows of `root`."""

    try:
        library = localcontacts.apply(load_library(root), local, enforce=False)
    except ContactsFileError as exc:
        return [Finding(str(local), None, None, exc.rule, str(exc))]
    directory, flows = library.directory, list(library.flows.values())
    calendar = OfficeCalendar(directory.office_hours, library.bank_holidays)
    broken = invariants.check_directory(directory, today)
    for flow in flows:
        broken += [
            msgspec.structs.replace(b, flow=flow.id)
            for b in invariants.check_flow(flow, directory, calendar, today)
            if b.invariant in ("I2", "I5")  # those a contacts file can break; the rest are the flow's own
        ]
    return [
        Finding(str(local), None, b.node, b.invariant, f"{b.flow}: {b.message}" if b.flow else b.message)
        for b in broken
    ]


def parse_age(text: str) -> tuple[int, str]:
    """`12m` (months), `365d` (days) or `1y` (years) as (amount, unit)."""

    match = re.fullmatch(r"\s*([1-9][0-9]{0,3})\s*([dmy])\s*", text)
    if match is None:
        raise UsageError(MESSAGES["not_age_use_number_d"].format(option_max_age=option("max_age"), text=text))
    return int(match[1]), match[2]


def cut_off(today: dt.date, age: tuple[int, str]) -> dt.date:
    """The date before which a check is too old."""
    amount, unit = age
    if unit == "d":
        return today - dt.timedelta(days=amount)
    months = amount * (12 if unit == "y" else 1)
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def check_contacts(library: Library, today: dt.date, max_age: str = "12m") -> list[ContactCheck]:
    """Every contact a flow uses that was never checked against a current directory, or was last
    checked before `max_age` ago (for a partnership's scheduled CI: `decision-trees contacts check`)."""

    before = cut_off(today, parse_age(max_age))
    users: dict[str, list[str]] = {}
    for flow in library.flows.values():
        for contact_id in contacts_in_use(flow, library.directory):
            users.setdefault(contact_id, []).append(flow.id)
    found = []
    for contact_id, flows in sorted(users.items()):
        contact = library.directory.contacts[contact_id]
        if contact.national:
            continue
        checked = contact.checked.date if contact.checked else None
        if checked is None or checked < before:
            status = "not-checked" if checked is None else "overdue"
            origin = library.contact_origins.get(contact_id, "")
            found.append(ContactCheck(contact_id, contact.name, status, checked, origin, sorted(flows)))
    return found


def diff(
    old: Path,
    new: Path,
    library: Library | None = None,
    cases: list[Path] | None = None,
    *,
    limit: int = 1000,
    now: dt.datetime | None = None,
) -> FlowDiff:
    """What changing flow file `old` into `new` does to each route's advice, compared at a set of
    instants after `now` (or, with `cases`, to those past cases: batch JSON-lines files or records).
    Each file's own folder supplies its contacts and guidance when it has a contacts.yaml; otherwise
    `library` (the bundled flows) does."""

    library = library or load()
    sides = []
    for path in (old, new):
        flow, directory = _flow_file(path, library)
        sides.append(Side(flow, directory, OfficeCalendar(directory.office_hours, library.bank_holidays)))
    when = now or dt.datetime.now(sides[1].calendar.tz)
    found = diff_flows(sides[0], sides[1], when, limit)
    if cases is None:
        return found
    loaded = [case for path in cases for case in _cases(path)]
    return msgspec.structs.replace(found, cases=compare_cases(sides[0], sides[1], loaded, when))


def _flow_file(path: Path, library: Library) -> tuple[Flow, Directory]:

    folder = path.parent
    if (folder / CONTACTS_FILE).is_file() and folder.resolve() != library.root.resolve():
        directory, book = load_directory(folder), load_guidance(folder)
    else:
        directory, book = library.directory, library.guidance
    return load_flow(path, directory, book), directory


def _cases(path: Path) -> list[tuple[str, list[str] | dict[str, str] | str]]:
    """Answer sets from a batch JSON-lines file (one a line), or from a record or answers file."""

    if path.suffix == ".jsonl":
        found: list[tuple[str, list[str] | dict[str, str] | str]] = []
        for number, line in enumerate(read_text(path).splitlines(), 1):
            if not line.strip():
                continue
            try:
                case = parse_case(line.encode("utf-8"), number)
            except DecisionTreesError as exc:
                raise UsageError(MESSAGES["each_line_case_as_batch"].format(path=path, problem=exc)) from None
            found.append(
                (
                    _case_name(case.case_ref, MESSAGES["line_of_file"].format(name=path.name, number=number)),
                    case.answers,
                )
            )
        return found
    given = read_answers_file(path)
    return [(path.name, given.by_node or given.ordered)]


def _case_name(case_ref: str | None, otherwise: str) -> str:
    """A case's reference when it is one; otherwise (none, or one that may be a name, which is never
    echoed) where the case stands."""
    if case_ref is None:
        return otherwise
    try:
        return check_case_ref(case_ref)
    except UsageError:
        return otherwise
