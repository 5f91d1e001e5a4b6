"""Bad input of every kind gives the tool's own errors, or is shown literally and harmlessly."""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from decision_trees.core.answers import Feed, split_answers, walk_scripted
from decision_trees.core.errors import AnswerError, DecisionTreesError, FlowDataError
from decision_trees.data.loading import bundled_flows_dir, load_library

from .conftest import NOW, Cli, edit

A4_TEXT = (bundled_flows_dir() / "appendix-4.yaml").read_text(encoding="utf-8")


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (LAUGHS, "anchors and aliases (& and *) are not allowed"),
        ("base: &b {type: action}\nother:\n  <<: *b\n", "merge keys (<<) are not allowed"),
        (
            "x: !!python/object/apply:os.system ['echo pwned']\n",
            "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        ),
        ("x: " + "[" * 5000 + "]" * 5000 + "\n", "the YAML nests too deeply"),
        ("\x00\x01binary", "contains a NUL character"),
        ("- just\n- a list\n", "a flow file must be a mapping"),
        ("id: [unclosed\n", "not valid YAML"),
        ("", "a flow file must be a mapping"),
    ],
)
def test_hostile_flow_files_are_refused_clearly(flows: Path, content: str, message: str) -> None:
    (flows / "appendix-4.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(FlowDataError) as caught:
        load_library(flows)
    assert message in str(caught.value)


def test_a_huge_file_is_refused_without_reading_it(flows: Path) -> None:
    with (flows / "appendix-4.yaml").open("w", encoding="utf-8") as file:
        file.write("# " + "x" * (17 * 1024 * 1024) + "\n")
    with pytest.raises(FlowDataError, match="larger than 16 MiB"):
        load_library(flows)


HOSTILE = "[bold red]Markup[/] `code` *em* <b>html</b> | pipe {{DIAGRAM}} {phone}"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_markup_in_box_texts_is_shown_literally(cli: Cli, flows: Path, fmt: str) -> None:
    path = flows / "appendix-4.yaml"
    path.write_text(
        A4_TEXT.replace("text: Contact allocated CSSW worker.", f"text: {json.dumps(HOSTILE)}"), encoding="utf-8"
    )
    result = cli(
        "walk",
        "--details",
        "appendix-4",
        "--answers",
        "yes,yes",
        "--format",
        fmt,
        "--now",
        NOW,
        "--flows-dir",
        str(flows),
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        assert json.loads(out)["outcome"]["text"] == HOSTILE  # data stays exact in JSON
    else:
        assert "[bold red]Markup[/]" in out.replace("\\[", "[").replace("\\]", "]")


# As written in the file: the character itself, or a YAML escape that makes it.
@pytest.mark.parametrize(
    "character",
    [
        "\x1b",
        "\x07",
        "\\e",
        "\\a",
        "\\x85",
        "\\t",
        "\u202e",
        "\u202d",
        "\u200f",
        "\u061c",
        "\u200b",
        "\\u2066",
        "\ufeff",
    ],
)
def test_control_bidi_and_invisible_characters_in_a_flow_are_refused_at_load(
    cli: Cli, flows: Path, character: str
) -> None:
    path = flows / "appendix-4.yaml"
    line = edit(path, "text: Contact allocated CSSW worker.", f'text: "Contact allocated {character}CSSW worker."')
    for command in (["walk", "a4", "--answers", "yes,yes"], ["list"], ["show", "a4"], ["paths", "a4"]):
        result = cli(*command, "--flows-dir", str(flows))
        assert result.exit_code == 3, (command, result.stdout)
        (error,) = result.stderr.splitlines()
        assert f"appendix-4.yaml:{line}: has U+" in error and "could make the text read other than it is" in error
        assert character not in error
    found = cli("validate", str(flows), "--format", "json", "--today", "2026-11-23")
    assert {(f["rule"], f["line"]) for f in json.loads(found.stdout)["findings"] if f["severity"] == "error"} == {
        ("I7", line)  # the safety invariant it breaks (hazard H9)
    }


def test_escapes_in_error_messages_are_shown_literally(cli: Cli) -> None:
    result = cli("walk", "--details", "appendix-4", "--answers", "yes,\x1b[2Jmaybe")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "\\x1b[2J" in result.stderr


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("yes,no,yes,high,extra", "1 answer(s) left over"),
        ("yes,no,yes,", "answer 4 in --answers 'yes,no,yes,' is empty"),
        (",", "answer 1"),
        ("yes,n o", "matches no choice"),
        ("yes,no,yes,medium level need please", "matches no choice"),
    ],
)
def test_bad_answers_name_the_valid_choices(cli: Cli, answers: str, message: str) -> None:
    result = cli("walk", "--details", "appendix-4", "--answers", answers)
    assert result.exit_code == 2
    assert message in result.stderr


LIBRARY = load_library()
FLOW = LIBRARY.find("appendix-4")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fuzzed_answers_only_ever_give_answer_errors(answers: str) -> None:
    with contextlib.suppress(AnswerError):
        walk_scripted(FLOW, Feed(split_answers(answers)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(A4_TEXT)),
    cut=st.integers(min_value=0, max_value=40),
    insert=st.text(max_size=12),
)
def test_fuzzed_flow_files_only_ever_give_the_tools_own_errors(position: int, cut: int, insert: str) -> None:
    mutated = A4_TEXT[:position] + insert + A4_TEXT[position + cut :]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "flows"
        shutil.copytree(bundled_flows_dir(), root, ignore=shutil.ignore_patterns("*.compiled.json"))
        (root / "appendix-4.yaml").write_text(mutated, encoding="utf-8")
        with contextlib.suppress(DecisionTreesError):
            load_library(root)
        result = CliRunner().invoke(
            app, ["walk", "a4", "--answers", "yes,yes", "--flows-dir", str(root), "--format", "json"]
        )
        assert result.exit_code in (0, 2, 3), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("aliases", ["[appendix-4, camden-appendix-4]", "[appendix-4, a4, a4]"])
def test_aliases_that_repeat_a_name_are_a_one_line_error(cli: Cli, flows: Path, aliases: str) -> None:
    line = edit(flows / "appendix-4.yaml", "aliases: [appendix-4, a4]", f"aliases: {aliases}")
    for command in (["list"], ["walk", "a3", "--answers", "yes"], ["validate"]):
        result = cli(*command, "--flows-dir", str(flows)) if command != ["validate"] else cli("validate", str(flows))
        assert result.exit_code in (1, 3), command
        output = result.stderr if command != ["validate"] else result.stdout
        assert f"appendix-4.yaml:{line}:" in output and "repeats the flow's own id or another alias" in output
        assert "Traceback" not in result.output and "KeyError" not in result.output
