"""Issue 4 through the CLI: indicators, records and their replay, case references, saved walks."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from decision_trees.data.loading import bundled_flows_dir, load_library

from .conftest import NOW, PROTOCOL_DIR, Cli

HIGH = ["--indicator", "section-10:high:2", "--indicator", "appendix-5:child:high:3"]
LOW = ["--indicator", "appendix-5:parent:low:1"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_indicators_are_tallied_and_the_choice_stays_the_practitioners(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,medium", *HIGH, *LOW)
    [tally] = summary["indicators"]
    assert tally["node"] == "need-level"
    assert tally["counts"] == {"Low level need": 1, "Medium level need": 0, "High level need": 2}
    assert tally["points_to"] == "High level need"
    assert tally["chosen"] == "Medium level need"
    assert summary["outcome"]["ref"] == "A4-5"
    assert [i["id"] for i in tally["ticked"]] == [
        "section-10:high:2",
        "appendix-5:child:high:3",
        "appendix-5:parent:low:1",
    ]
    assert tally["ticked"][0]["text"] == "parents deny substance misuse is an issue and/or do not engage with services;"


@pytest.mark.parametrize(
    ("ticked", "points_to"),
    [
        ([], None),
        (["section-10:low:1"], "Low level need"),
        (["section-10:low:1", "appendix-5:environment:medium:2"], "Medium level need"),
    ],
)
def test_the_pointer_is_the_highest_level_ticked(cli: Cli, ticked: list[str], points_to: str | None) -> None:
    args = [a for t in ticked for a in ("--indicator", t)]
    summary = cli.walk_json("appendix-4", "yes,no,yes,low", *args)
    assert [t["points_to"] for t in summary["indicators"]] == ([points_to] if ticked else [])


def test_indicators_in_markdown_and_text(cli: Cli) -> None:
    md = cli(
        "walk", "--details", "appendix-4", "--answers", "yes,no,yes,medium", *HIGH, "--format", "markdown", "--now", NOW
    ).stdout
    assert "### Indicators ticked at “Discuss with CP designated lead." in md
    assert "→ they point to **High level need** (the highest level ticked: the tool's rule, not the protocol's" in md
    assert "Answer chosen: **Medium level need**." in md
    text = cli("walk", "--details", "appendix-4", "--answers", "yes,no,yes,medium", *HIGH, "--now", NOW).stdout
    assert "Indicators ticked" in text
    assert "Answer chosen: Medium level need." in " ".join(text.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--indicator", "section-10:huge:1"],
            "indicator 'section-10:huge:1' is not offered by camden-appendix-4 (offered at: need-level)",
        ),
        (
            ["--indicator", "section-10:high:1"],
            "indicators were given for 'need-level', but the route did not pass through it",
        ),
    ],
)
def test_bad_indicators(cli: Cli, args: list[str], message: str) -> None:
    result = cli("walk", "--details", "appendix-4", "--answers", "yes,yes", *args, "--now", NOW)
    assert result.exit_code == 2
    assert message in result.stderr


def test_indicators_command_lists_the_ids(cli: Cli) -> None:
    rows = json.loads(cli("indicators", "appendix-4", "--format", "json").stdout)["indicators"]
    assert len(rows) == 73
    assert {r["node"] for r in rows} == {"need-level"}
    assert {
        "id": "section-10:high:2",
        "level": "High level need",
        "node": "need-level",
        "text": "parents deny substance misuse is an issue and/or do not engage with services;",
        "source": "10.3",
    } in rows
    assert "appendix-5:parent:low:1" in cli("indicators", "a4").stdout


def test_guidance_command(cli: Cli) -> None:
    listed = cli("guidance").stdout
    for key in ("section-10", "appendix-1", "appendix-2", "appendix-5", "section-13", "section-14", "section-15"):
        assert key in listed
    table = cli("guidance", "appendix-2").stdout
    assert "Elevated risk" in table and "total denial" in table
    bad = cli("guidance", "appendix-9")
    assert bad.exit_code == 2 and "choose one of: section-10" in bad.stderr


def test_guidance_is_verbatim_from_the_protocol() -> None:
    path = PROTOCOL_DIR / "camden-joint-working-protocol.txt"
    protocol = " ".join(path.read_text(encoding="utf-8").split())
    book = load_library().guidance
    count = 0
    for key, table in book.guidance.items():
        if table.wording == "paraphrase":
            continue  # another area's, in this project's words (tests/test_wiltshire.py)
        for row in table.rows:
            for items in row.cells:
                for item in items:
                    assert " ".join(item.split()) in protocol, (key, item)
                    count += 1
    assert count == 155


@pytest.mark.parametrize("suffix", [".json", ".md"])
def test_a_record_replays_to_the_same_outcome(cli: Cli, tmp_path: Path, suffix: str) -> None:
    record = tmp_path / f"walk{suffix}"
    first = cli(
        "walk",
        "appendix-4",
        "--answers",
        "no,yes,no,yes,high",
        *HIGH,
        "--case-ref",
        "CR-2026/0042",
        "--record",
        str(record),
        "--format",
        "json",
        "--now",
        NOW,
    )
    assert first.exit_code == 0, first.stderr
    assert mode(record) == 0o600
    text = record.read_text(encoding="utf-8")
    assert "CR-2026/0042" in text
    if suffix == ".json":
        data = json.loads(text)
        assert data["schema"] == "decision-trees/record/1"
        assert data["flow"]["id"] == "camden-appendix-4"
        assert data["flow"]["hash"].startswith("sha256:")
        assert data["started_at"] == data["ended_at"] == "2026-11-23T14:30:00+00:00"
        assert [e["event"] for e in data["events"]] == ["answer"] * 5
        assert data["answers"]["need-level"] == "High level need"
        assert data["summary"]["outcome"]["ref"] == "A4-6"
    else:
        assert text.startswith('---\nschema: "decision-trees/record/1"\n')
        assert "| 2026-11-23T14:30:00+00:00 | answer | need-level | High level need |" in text
        assert "## Referral to Children and Families Contact Service: A4-6" in text
    replay = cli("walk", "appendix-4", "--answers-file", str(record), "--format", "json", "--now", NOW)
    assert replay.exit_code == 0, replay.stderr
    assert "has changed" not in replay.stderr  # same flow: no warning that it changed
    again, before = json.loads(replay.stdout), json.loads(first.stdout)
    assert again["outcome"] == before["outcome"]
    assert again["indicators"] == before["indicators"]
    assert again["route"] == before["route"]


def test_replay_warns_when_the_flow_has_changed(cli: Cli, tmp_path: Path) -> None:
    record = tmp_path / "walk.json"
    cli("walk", "--details", "appendix-4", "--answers", "yes,yes", "--record", str(record), "--now", NOW)
    flows = tmp_path / "flows"
    shutil.copytree(bundled_flows_dir(), flows)
    path = flows / "appendix-4.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Contact the allocated social worker", "Phone the allocated social worker"
        ),
        encoding="utf-8",
    )
    replay = cli(
        "walk", "--details", "appendix-4", "--answers-file", str(record), "--now", NOW, "--flows-dir", str(flows)
    )
    assert replay.exit_code == 0
    assert "warning: camden-appendix-4 has changed since these answers were recorded" in replay.stderr


def test_a_record_of_an_interactive_walk_keeps_every_back(tmp_path: Path) -> None:
    from decision_trees.core.record import Journal

    journal = Journal(lambda: __import__("datetime").datetime(2026, 11, 23, 14, 30))
    journal.log("answer", "has-child", "Yes")
    journal.log("back", "cssw-involved")
    journal.log("answer", "has-child", "Yes")
    assert [e.event for e in journal.events] == ["answer", "back", "answer"]


@pytest.mark.parametrize("ref", ["John Smith", "smith", "", "A" * 41, "12 34", "<b>1</b>"])
def test_a_case_reference_cannot_be_a_name(cli: Cli, ref: str) -> None:
    result = cli("walk", "--details", "appendix-4", "--answers", "yes,yes", "--case-ref", ref)
    assert result.exit_code == 2
    assert "never a name" in result.stderr


def test_a_case_reference_appears_in_the_summary(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,yes", "--case-ref", "MASH-123")
    assert summary["case_ref"] == "MASH-123"
    md = cli(
        "walk", "appendix-4", "--answers", "yes,yes", "--case-ref", "MASH-123", "--format", "markdown", "--now", NOW
    )
    assert "Case reference: MASH-123." in md.stdout


def test_summary_files_are_owner_only(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    assert (
        cli("walk", "--details", "appendix-4", "--answers", "yes,yes", "--output", str(target), "--now", NOW).exit_code
        == 0
    )
    assert mode(target) == 0o600


def test_output_and_record_must_differ(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    result = cli(
        "walk", "--details", "appendix-4", "--answers", "yes,yes", "--output", str(target), "--record", str(target)
    )
    assert result.exit_code == 2
    assert "same file" in result.stderr


def test_output_never_follows_a_symlink(cli: Cli, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    result = cli("walk", "--details", "appendix-4", "--answers", "yes,yes", "--output", str(link), "--force")
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_resume_without_a_saved_walk(cli: Cli) -> None:
    result = cli("walk", "--details", "appendix-4", "--resume")
    assert result.exit_code == 2
    assert "no interrupted walk of camden-appendix-4 is saved" in result.stderr


def test_resume_and_forget_in_scripted_runs(cli: Cli, state_dir: Path) -> None:
    saved = state_dir / "resume" / "camden-appendix-4.json"
    saved.parent.mkdir(parents=True)
    saved.write_text(
        json.dumps({"schema": "decision-trees/resume/1", "answers": {"has-child": "Yes"}}), encoding="utf-8"
    )
    partial = cli("walk", "--details", "appendix-4", "--resume", "--now", NOW)
    assert partial.exit_code == 2  # scripted: the next question has no answer
    assert "no answer for question 'cssw-involved'" in partial.stderr
    assert saved.exists()
    done = cli("walk", "appendix-4", "--resume", "--answers", "yes", "--format", "json", "--now", NOW)
    assert json.loads(done.stdout)["outcome"]["ref"] == "A4-3"
    assert not saved.exists()
    saved.write_text("{}", encoding="utf-8")
    forgot = cli("forget", "appendix-4")
    assert forgot.exit_code == 0
    assert "deleted 1 saved walk(s)" in forgot.stderr
    assert not saved.exists()
    assert "deleted 0 saved walk(s)" in cli("forget").stderr
