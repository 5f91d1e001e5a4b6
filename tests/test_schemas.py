"""Issue 29, 6: every JSON output carries a `schema` tag and matches its JSON Schema in docs/schemas/,
each generated from the one type the command encodes (output/shapes.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .conftest import NOW, Cli

DOCS = Path(__file__).parent.parent / "docs" / "schemas"
OUTPUTS = {
    "summary": ("walk", "a4", "--answers", "yes,no,yes,high", "--now", NOW, "--format", "json"),
    "list": ("list", "--format", "json"),
    "paths": ("paths", "appendix-4", "--format", "json"),
    "indicators": ("indicators", "appendix-4", "--format", "json"),
    "contacts-list": ("contacts", "--format", "json"),
    "contacts-check": ("contacts", "check", "--format", "json"),
    "validate": ("validate", "--format", "json"),
    "practise": ("practise", "a4", "--vignette", "1", "--answers", "yes,no,yes,high", "--format", "json"),
    "vignettes-list": ("practise", "a4", "--list", "--format", "json"),
}


@pytest.mark.parametrize("kind", [*OUTPUTS, "batch-error"])
def test_each_schema_in_the_docs_is_the_one_generated_from_the_models(cli: Cli, kind: str) -> None:
    committed = (DOCS / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert cli("schema", kind).stdout == committed, (
        f"regenerate: uv run decision-trees schema {kind} > {DOCS}/{kind}.schema.json"
    )


def check(kind: str, data: Any) -> None:
    schema = json.loads((DOCS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    shape = schema["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    tag = shape["properties"]["schema"].get("default")  # the summary's is set, not defaulted
    assert data["schema"] == (tag or "decision-trees/summary/4")


@pytest.mark.parametrize("kind", OUTPUTS)
def test_each_json_output_carries_its_tag_and_meets_its_schema(cli: Cli, kind: str) -> None:
    result = cli(*OUTPUTS[kind])
    assert result.exit_code in (0, 1), result.stderr
    check(kind, json.loads(result.stdout))


def test_batch_lines_are_summaries_or_errors_each_of_one_shape(cli: Cli) -> None:
    cases = '{"case_ref": "X1", "answers": "no,no,no"}\n{"case_ref": "X2", "answers": "maybe"}\n'
    result = cli("batch", "a4", "-", "--now", NOW, input=cases)
    good, bad = (json.loads(line) for line in result.stdout.splitlines())
    check("summary", good)
    check("batch-error", bad)
    assert good["schema"] == "decision-trees/summary/4" and bad["schema"] == "decision-trees/batch-error/1"


def test_a_schema_test_fails_when_a_field_is_missing(cli: Cli) -> None:
    data = json.loads(cli(*OUTPUTS["paths"]).stdout)
    del data["routes"][0]["nodes"]
    with pytest.raises(jsonschema.ValidationError):
        check("paths", data)
