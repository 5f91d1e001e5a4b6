"""Shared fixtures. Golden files are regenerated with: uv run pytest --update-goldens"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = "2026-11-23T14:30"  # a Monday, in office hours, GMT
# The protocol texts the flows are checked against, kept in the repository (tests/data/protocol/SOURCE.md).
PROTOCOL_DIR = Path(__file__).resolve().parent / "data" / "protocol"
SHARED_PROTOCOL_DIR = ROOT.parent / "shared" / "protocol"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/* from the current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Any:
        return self.runner.invoke(app, list(args), input=input)

    def walk_json(self, flow: str, answers: str, *extra: str, now: str = NOW) -> dict[str, Any]:
        result = self("walk", flow, "--answers", answers, "--format", "json", "--now", now, *extra)
        assert result.exit_code == 0, result.output + result.stderr
        data: dict[str, Any] = json.loads(result.stdout)
        return data


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Interrupted walks are saved here, never in the real user state directory."""
    folder = tmp_path / "state"
    monkeypatch.setenv("DECISION_TREES_STATE_DIR", str(folder))
    # Nor a contacts file of the machine's: no local contacts unless a test gives them.
    monkeypatch.delenv("DECISION_TREES_CONTACTS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return folder


@pytest.fixture
def flows(tmp_path: Path) -> Path:
    """A copy of the bundled flows directory to change (without its compiled form, so YAML is read)."""
    from decision_trees.data.loading import bundled_flows_dir

    target = tmp_path / "flows"
    shutil.copytree(bundled_flows_dir(), target, ignore=shutil.ignore_patterns("*.compiled.json"))
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in `path` with `new`; return the 1-based line where it stood."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The disk fills while the files named in the returned set are written: their temporary file
    is made, then every write to it fails with ENOSPC (it is /dev/full underneath)."""
    import tempfile

    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    real = tempfile.mkstemp
    failing: set[str] = set()

    def mkstemp(*args: Any, prefix: str = "", **kwargs: Any) -> tuple[int, str]:
        handle, path = real(*args, prefix=prefix, **kwargs)
        if any(prefix == f".{name}." for name in failing):
            import os

            os.close(handle)
            return os.open("/dev/full", os.O_WRONLY), path
        return handle, path

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    return failing
