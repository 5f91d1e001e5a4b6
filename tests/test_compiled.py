"""The compiled form of a flows directory: equal to the YAML, and never used once stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from decision_trees.data.compiled import COMPILED_FILE, read_compiled
from decision_trees.data.loading import bundled_flows_dir, compile_library, load_library

from .conftest import Cli


def test_the_committed_compiled_file_is_fresh() -> None:
    root = bundled_flows_dir()
    assert read_compiled(root) is not None, (
        "stale: run `uv run decision-trees compile` and commit flows/library.compiled.json"
    )
    assert (root / COMPILED_FILE).read_text(encoding="utf-8") == compile_library(root)


def test_the_compiled_library_equals_the_yaml_one() -> None:
    compiled, parsed = load_library(), load_library(use_compiled=False)
    assert (compiled.flows, compiled.directory, compiled.guidance, compiled.files, compiled.bank_holidays) == (
        parsed.flows,
        parsed.directory,
        parsed.guidance,
        parsed.files,
        parsed.bank_holidays,
    )
    assert compiled.calendar().is_bank_holiday(__import__("datetime").date(2026, 12, 28))


def test_a_stale_compiled_file_is_ignored(tmp_path: Path, cli: Cli) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(bundled_flows_dir(), flows)
    assert read_compiled(flows) is not None
    path = flows / "appendix-4.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "title: CSSW already involved – contact the allocated worker", "title: Edited locally"
        ),
        encoding="utf-8",
    )
    assert read_compiled(flows) is None
    summary = json.loads(
        cli("walk", "a4", "--answers", "yes,yes", "--format", "json", "--flows-dir", str(flows)).stdout
    )
    assert summary["outcome"]["title"] == "Edited locally"


def test_adding_or_removing_a_flow_makes_it_stale(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(bundled_flows_dir(), flows)
    (flows / "solihull-threshold.yaml").unlink()
    assert read_compiled(flows) is None
    shutil.copy(bundled_flows_dir() / "solihull-threshold.yaml", flows / "extra.yaml")
    assert read_compiled(flows) is None


def test_compile_command_writes_and_refuses_broken_flows(tmp_path: Path, cli: Cli) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(bundled_flows_dir(), flows)
    (flows / COMPILED_FILE).unlink()
    result = cli("compile", str(flows))
    assert result.exit_code == 0
    assert read_compiled(flows) is not None
    path = flows / "appendix-4.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("start: has-child", "start: nowhere"), encoding="utf-8")
    broken = cli("compile", str(flows))
    assert broken.exit_code == 3
    assert "start node 'nowhere' does not exist" in broken.stderr
