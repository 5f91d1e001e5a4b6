"""Issue 11: every console a practitioner has. The real command as a subprocess, for every command,
under a Windows code page (cp1252), the C locale without UTF-8 (ASCII) and a UTF-8 locale, at 30,
40, 80 and 200 columns: no traceback, phone numbers and addresses whole, JSON that decodes as UTF-8."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import NOW, ROOT, Cli

ENCODINGS = {
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "c-locale": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""},
    "utf-8": {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
}
WIDTHS = [30, 40, 80, 200]
WHOLE = ["020 7974 3317", "020 7974 4444", "LBCMASHadmin@camden.gov.uk"]
A4_HIGH = ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--now", NOW]


def run(args: list[str], encoding: str, width: int = 80, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG", "PYTHONUTF8")}
    env.update({k: v for k, v in ENCODINGS[encoding].items() if v})
    env.update({"COLUMNS": str(width), "LINES": "50", "TERM": "xterm", "PYTHONPATH": str(ROOT)})
    return subprocess.run(
        [sys.executable, "-m", "decision_trees", *args],
        input=stdin.encode(),
        capture_output=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=60,
    )


def text_of(result: subprocess.CompletedProcess[bytes], encoding: str) -> str:
    codec = {"cp1252": "cp1252", "c-locale": "ascii", "utf-8": "utf-8"}[encoding]
    return result.stdout.decode(codec)  # the console's own encoding, and nothing it cannot hold


COMMANDS = [
    (["--help"], 0),
    (["--version"], 0),
    (A4_HIGH, 0),
    ([*A4_HIGH, "--format", "markdown"], 0),
    ([*A4_HIGH, "--plain"], 0),
    (["list"], 0),
    (["show", "appendix-4"], 0),
    (["contacts"], 0),
    (["paths", "appendix-4"], 0),
    (["export", "appendix-4"], 0),
    (["export", "appendix-4", "--format", "dot"], 0),
    (["guidance"], 0),
    (["guidance", "section-10"], 0),
    (["indicators", "appendix-4"], 0),
    (["schema"], 0),
    (["validate", "--today", "2026-11-23"], 1),  # the bundled contacts: never checked
    (["test", "flows/scenarios/appendix-4.yaml"], 0),
    (["forget"], 0),
    (["walk", "appendix-9", "--answers", "yes"], 2),
]


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize(("args", "code"), COMMANDS, ids=[" ".join(a[:2]) for a, _ in COMMANDS])
def test_every_command_prints_on_every_console(args: list[str], code: int, encoding: str, tmp_path: Path) -> None:
    result = run(args, encoding)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, err
    assert b"Traceback" not in result.stdout + result.stderr
    text_of(result, encoding)  # decodes in the console's own encoding
    if args[0] == "walk" and code == 0:
        out = text_of(result, encoding)
        assert "phone 999 now" in out
        for whole in WHOLE[:1]:
            assert whole in out


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args",
    [
        [*A4_HIGH[:-1], "2026-11-28T10:00", "--case-ref", "CR-2026/0042", "--details"],
        [*A4_HIGH, "--format", "markdown"],
        ["walk", "appendix-4", "--answers", "no,no,yes", "--now", "2026-11-28T10:00", "--details"],
        ["contacts"],
        ["paths", "appendix-4"],
        ["show", "appendix-4"],
    ],
    ids=["walk-text", "walk-markdown", "walk-a4-1", "contacts", "paths", "show"],
)
def test_numbers_addresses_and_replays_are_never_split(args: list[str], width: int, encoding: str) -> None:
    result = run(args, encoding, width)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    out = text_of(result, encoding)
    lines = out.splitlines()
    assert all(line == line.rstrip() for line in lines), "no padding at the ends of lines"
    if args[0] != "walk" or "--format" not in args:
        assert all(len(line) <= width for line in lines), [line for line in lines if len(line) > width]
    if args[0] in ("walk", "contacts"):
        for whole in WHOLE if args[0] == "contacts" or "2026-11-28T10:00" in args else WHOLE[:1]:
            assert any(whole in line for line in lines), (whole, width)
    if "--case-ref" in args:
        assert any("CR-2026/0042" in line for line in lines)
    if args[0] == "contacts":
        for whole in ["info.fdacteam@Tavi-Port.nhs.uk", "0207 794 0500 ext 35040", "07534 265 622"]:
            assert any(whole in line for line in lines), whole
    if args[0] == "paths":
        assert any('"Yes,No,Yes,Low level need"' in line for line in lines)


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_json_is_utf8_whatever_the_console(encoding: str) -> None:
    result = run([*A4_HIGH, "--format", "json"], encoding)
    assert result.returncode == 0
    summary = json.loads(result.stdout.decode("utf-8"))
    assert (
        summary["outcome"]["text"] == "Urgent referral to SW service – confirm in writing using the CAF within 48 hours"
    )
    listed = json.loads(run(["contacts", "--format", "json"], encoding).stdout.decode("utf-8"))["contacts"]
    assert listed["contact-service"]["provenance"].endswith("Check it before you rely on it.")
    assert "’" in run(["list", "--format", "json"], encoding).stdout.decode("utf-8")


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_files_are_utf8_whatever_the_console(encoding: str, tmp_path: Path) -> None:
    out, record = tmp_path / "summary.md", tmp_path / "walk.json"
    result = run([*A4_HIGH, "--format", "markdown", "-o", str(out), "--record", str(record)], encoding)
    assert result.returncode == 0, result.stderr
    assert "– confirm in writing" in out.read_text(encoding="utf-8")
    assert json.loads(record.read_text(encoding="utf-8"))["summary"]["outcome"]["ref"] == "A4-6"


def test_plain_characters_stand_in_for_what_a_code_page_lacks() -> None:
    out = text_of(run([*A4_HIGH, "--details"], "c-locale"), "c-locale")
    assert "Tel Children and Families Contact Service (MASH) - Open now" in out
    assert re.search(r"\?\w", out) is None  # no unknown character stood in for by "?" mid-word
    cp1252 = text_of(run(["show", "appendix-4"], "cp1252"), "cp1252")
    assert "Yes -> ? Are CSSW currently involved?" in cp1252  # → has no place in cp1252; ’ has


def test_a_summary_that_cannot_be_shown_is_saved_and_said_where(tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = {**os.environ, "DECISION_TREES_STATE_DIR": str(state), "PYTHONPATH": str(ROOT)}
    record = tmp_path / "walk.json"
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "decision_trees", *A4_HIGH, "--record", str(record)],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
        )
    err = result.stderr.decode()
    assert result.returncode == 4, err
    assert "Traceback" not in err
    (saved,) = (state / "summaries").iterdir()
    assert f"the summary could not be shown (No space left on device); it is saved in {saved}" in err
    assert "phone 999 now" in saved.read_text(encoding="utf-8")
    assert json.loads(record.read_text(encoding="utf-8"))["summary"]["outcome"]["ref"] == "A4-6"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["list"], ["contacts", "--format", "json"], ["show", "a4"]])
def test_stdout_on_a_full_disk_is_one_line(args: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "decision_trees", *args], stdout=full, stderr=subprocess.PIPE, env=env, timeout=60
        )
    err = result.stderr.decode()
    assert result.returncode == 4
    assert err.strip().splitlines() == ["decision-trees: error: cannot write the output: No space left on device"]


# Windows, as far as Linux can stand in for it.


def test_owner_only_permissions_degrade_gracefully_on_windows(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import decision_trees.data.files as files

    monkeypatch.setattr(files, "POSIX_PERMISSIONS", False)  # as on Windows (os.name == "nt")
    calls: list[object] = []
    monkeypatch.setattr(files.os, "chmod", lambda *a: calls.append(a))
    folder = tmp_path / "Case notes" / "My walks"
    folder.mkdir(parents=True)
    out = folder / "summary 1.md"
    result = cli(*A4_HIGH, "--format", "markdown", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "phone 999 now" in out.read_text(encoding="utf-8")
    assert calls == []  # chmod means little on Windows: the file keeps its folder's access list


def test_a_filesystem_without_permissions_still_gets_the_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import decision_trees.data.files as files

    def refuse(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "chmod", refuse)
    out = tmp_path / "summary.md"
    assert cli(*A4_HIGH, "--format", "markdown", "-o", str(out)).exit_code == 0
    assert out.exists()


def test_backslash_paths_are_used_as_given(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "walk\\record.json"  # on POSIX, one file name with a backslash in it
    assert cli(*A4_HIGH, "--record", name, "--format", "json").exit_code == 0
    assert (tmp_path / name).exists()


def test_no_sighup_on_windows_is_no_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    from decision_trees.terminal import interactive

    monkeypatch.delattr(signal, "SIGHUP")
    with interactive._save_on_any_stop(lambda: "saved"):
        pass
    assert signal.getsignal(signal.SIGTERM) is not None


def test_windows_dependencies_are_declared() -> None:
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "\"tzdata; sys_platform == 'win32'\"" in project
