"""Strict loading: every bad flow or contacts file is one error naming the file and line."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from decision_trees.core.errors import FlowDataError
from decision_trees.data.loading import bundled_flows_dir, load_library

from .conftest import edit

BUNDLED = bundled_flows_dir()


A4 = "appendix-4.yaml"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            A4,
            '    section: "5.2"\n    choices:',
            '    section: "5.2"\n    colour: red\n    choices:',
            "node 'has-child': object contains unknown field `colour`",
        ),
        (
            A4,
            '{label: "No", next: a4-2}',
            '{label: "No", next: a4-99}',
            "node 'pregnant': choice 'No' leads to 'a4-99', which does not exist; valid: has-child",
        ),
        (A4, "start: has-child", "start: kids", "start node 'kids' does not exist"),
        (
            A4,
            "contacts: [contact-service, emergency-duty-team]",
            "contacts: [contact-service, mash-team]",
            "node 'a4-6': contact 'mash-team' is not in the contacts file",
        ),
        (
            A4,
            '{label: "Yes", next: a4-3}',
            "{label: Yes, next: a4-3}",
            "expected `str`, got `bool` at choices[0].label (YAML reads yes/no/on/off as true/false",
        ),
        (A4, "  other-children:\n", "  has-child:\n", "duplicate key: 'has-child'"),
        (
            A4,
            '{label: "No", next: other-children}',
            '{label: "yes", next: other-children}',
            "node 'has-child': two choices have the label 'yes'",
        ),
        (A4, "    type: action\n", "    type: box\n", "node 'family-support': invalid value 'box' at type"),
        (A4, 'version: "1.0.0"', "version: 1.0", "expected `str`, got `float` at version (put the value in quotes)"),
        (A4, "title: Referral to Children", "titel: Referral to Children", "unknown field `titel`"),
        (A4, "start: has-child", "start: [has-child", "not valid YAML"),
        (A4, "aliases: [appendix-4, a4]", "aliases: [appendix-3, a4]", "flow id or alias 'appendix-3' is also used"),
        (A4, "  a4-1:\n", "  A4_1:\n", "node id 'A4_1' must be lower-case letters, digits and hyphens"),
        (
            "contacts.yaml",
            "    out_of_hours: emergency-duty-team",
            "    out_of_hours: night-team",
            "out_of_hours contact 'night-team' does not exist",
        ),
        (
            "contacts.yaml",
            "    hours: out-of-hours\n",
            "    hours: evenings\n",
            "contact 'emergency-duty-team': invalid enum value 'evenings' at hours",
        ),
        (A4, "  has-child:\n", "  has-child: !!python/object/apply:os.system ['echo hi']\n  x:\n", "is not allowed"),
    ],
)
def test_bad_data_is_one_error_with_file_and_line(flows: Path, file: str, old: str, new: str, message: str) -> None:
    line = edit(flows / file, old, new)
    with pytest.raises(FlowDataError) as caught:
        load_library(flows)
    error = caught.value
    assert message in str(error)
    assert error.file is not None
    assert error.file.endswith(file)
    if "also used" not in message and "does not exist" not in message[:20]:
        assert error.line is not None
        assert abs(error.line - line) <= 2, (error.line, line)


def test_missing_contacts_file(flows: Path) -> None:
    (flows / "contacts.yaml").unlink()
    with pytest.raises(FlowDataError, match=r"contacts\.yaml: file not found"):
        load_library(flows)


def test_missing_bank_holiday_table(flows: Path) -> None:
    (flows / "reference" / "bank-holidays.json").unlink()
    with pytest.raises(FlowDataError, match="bank holiday table not found"):
        load_library(flows).calendar()


def test_the_cli_reports_bad_flow_data_without_a_traceback(flows: Path) -> None:
    from typer.testing import CliRunner

    import cli as cli_module

    edit(flows / A4, "start: has-child", "start: kids")
    result = CliRunner().invoke(cli_module.app, ["walk", "appendix-4", "--answers", "yes", "--flows-dir", str(flows)])
    assert result.exit_code == 3
    assert "appendix-4.yaml:" in result.stderr
    assert "start node 'kids' does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_shipped_bank_holidays_match_the_maintained_source() -> None:
    import json

    from decision_trees.core.clock import holidays_from_package

    table = json.loads((BUNDLED / "reference" / "bank-holidays.json").read_text(encoding="utf-8"))
    events = table["england-and-wales"]["events"]
    years = sorted({int(e["date"][:4]) for e in events})
    expected = sorted(d.isoformat() for y in years for d in holidays_from_package("england-and-wales", y))
    assert [e["date"] for e in events] == expected, "regenerate: uv run python scripts/update_bank_holidays.py"
    assert years[-1] >= 2030


class _Item(msgspec.Struct, forbid_unknown_fields=True):
    text: str


class _Doc(msgspec.Struct, forbid_unknown_fields=True):
    text: str = ""
    nested: list[_Item] = []


@pytest.mark.parametrize(
    ("kind", "data", "what", "path"),
    [
        (_Item, {"text": 1}, "Expected `str`, got `int`", "$.text"),
        (_Doc, {"text": "a", "colour": "red"}, "Object contains unknown field `colour`", None),
        (_Doc, {"nested": [{"text": True}]}, "Expected `str`, got `bool`", "$.nested[0].text"),
        (_Item, {}, "Object missing required field `text`", None),
    ],
)
def test_msgspec_errors_keep_the_shape_the_loader_reads(
    kind: type, data: dict[str, object], what: str, path: str | None
) -> None:
    """msgspec gives a ValidationError's path only inside its message ("... - at `$.a[0].b`");
    yamlfile.convert reads it with MSGSPEC_ERROR. If a msgspec release changes the shape, this fails
    first, naming the message."""
    import re

    from decision_trees.data.yamlfile import MSGSPEC_ERROR

    with pytest.raises(msgspec.ValidationError) as error:
        msgspec.convert(data, kind, strict=True)
    match = re.match(MSGSPEC_ERROR, str(error.value))
    assert match is not None
    assert match["what"] == what, str(error.value)
    assert match["path"] == path, str(error.value)
