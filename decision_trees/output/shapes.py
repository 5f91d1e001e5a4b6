"""The shapes of the JSON the commands print, one type each, tagged with `schema`: what the reports
encode, and what `decision-trees schema` turns into the JSON Schemas in docs/schemas/. A scripted
user checks the tag, and a test checks each command's output against its schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import msgspec

from decision_trees.core.contract import ContactCheck, Summary
from decision_trees.core.models import Contact, Directory, Flow, GuidanceBook, LocalContacts, Source
from decision_trees.core.practice import Feedback, Score, VignetteFile
from decision_trees.runs.batch import CaseError


class FlowEntry(msgspec.Struct, kw_only=True):
    id: str
    aliases: list[str]
    title: str
    audience: str
    source: Source
    version: str
    reviewed: dt.date
    reviewed_means: str


class FlowList(msgspec.Struct, kw_only=True):
    schema: str = "decision-trees/list/1"
    flows: list[FlowEntry]


class RouteEnd(msgspec.Struct):
    node: str
    ref: str
    title: str


class RouteEntry(msgspec.Struct):
    answers: list[str]
    answers_option: str
    nodes: list[str]
    outcome: RouteEnd


class RouteList(msgspec.Struct, kw_only=True):
    schema: str = "decision-trees/paths/1"
    flow: str
    total: int  # routes in all; `routes` may hold fewer (--limit)
    routes: list[RouteEntry]


class IndicatorEntry(msgspec.Struct):
    node: str
    id: str
    level: str
    text: str
    source: str


class IndicatorList(msgspec.Struct, kw_only=True):
    schema: str = "decision-trees/indicators/1"
    flow: str
    indicators: list[IndicatorEntry]


class ContactEntry(Contact, kw_only=True, frozen=True):
    """A contact as its file gives it, with the file it comes from and whether it was checked."""

    listed_in: str | None
    check_status: str
    provenance: str


class ContactList(msgspec.Struct, kw_only=True):
    schema: str = "decision-trees/contacts/1"
    contacts: dict[str, ContactEntry]


class BreachEntry(msgspec.Struct, kw_only=True):
    invariant: str
    hazard: str
    flow: str | None
    node: str | None
    contact: str | None
    message: str


class ContactsCheck(msgspec.Struct, kw_only=True):
    schema: str = "decision-trees/contacts-check/1"
    unchecked: list[ContactCheck]
    breaches: list[BreachEntry]


class FindingEntry(msgspec.Struct, kw_only=True):
    file: str
    line: int | None
    node: str | None
    rule: str
    hazard: str | None
    severity: str
    message: str


class RuleEntry(msgspec.Struct):
    severity: str
    meaning: str


class ValidationReport(msgspec.Struct, kw_only=True):
    schema: str = "decision-trees/validate/1"
    files: int
    findings: list[FindingEntry]
    rules: dict[str, RuleEntry]


class PracticeReport(msgspec.Struct, kw_only=True):
    schema: str = "decision-trees/practice/1"
    flow: str
    results: list[Feedback]
    score: Score


class VignetteEntry(msgspec.Struct):
    number: int
    id: str
    name: str
    text: str


class VignetteList(msgspec.Struct, kw_only=True):
    schema: str = "decision-trees/vignettes/1"
    flow: str
    vignettes: list[VignetteEntry]


# Each output's schema name (for `decision-trees schema` and docs/schemas/), and its type.
OUTPUTS: dict[str, Any] = {
    "summary": Summary,
    "list": FlowList,
    "paths": RouteList,
    "indicators": IndicatorList,
    "contacts-list": ContactList,
    "contacts-check": ContactsCheck,
    "validate": ValidationReport,
    "practise": PracticeReport,
    "vignettes-list": VignetteList,
    "batch-error": CaseError,  # batch's lines for the cases it could not walk; the rest are summaries
}


# Each file format's type: the flow files, the contacts file and a partnership's, the guidance, the vignettes.
FILES: dict[str, Any] = {
    "flow": Flow,
    "contacts": Directory,
    "local-contacts": LocalContacts,
    "guidance": GuidanceBook,
    "vignettes": VignetteFile,
}


def output_schema(kind: str) -> str:
    """The JSON Schema of a command's JSON output, generated from its type."""
    return _schema(OUTPUTS[kind], f"decision-trees {kind} output")


def file_schema(kind: str = "flow") -> str:
    """The JSON Schema of a file format (flows/*.schema.json), for editors and `validate`."""
    return _schema(FILES[kind], f"decision-trees {kind} file")


def _schema(model: Any, title: str) -> str:
    schema = msgspec.json.schema(model)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
