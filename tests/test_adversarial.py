"""Issue 16: nothing the user gives or saves can turn against them. Each case as the issue writes
it, through the CLI: duplicate answers, unbounded and deep inputs, failed writes, an overwritten
saved walk, batch pairing, long routes, and the hour before closing."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import msgspec
import pytest

from decision_trees.core import engine
from decision_trees.core.answers import Feed, walk_scripted
from decision_trees.core.kinds.base import Chosen
from decision_trees.core.models import Flow

from .conftest import NOW, Cli

A4_HIGH = ["walk", "appendix-4", "--answers", "yes,no,yes,high", "--now", NOW]


def one_line_error(result: object, code: int = 2) -> str:
    assert result.exit_code == code, result.stderr  # type: ignore[attr-defined]
    lines = [  # the warning about unchecked contacts may come first, on its own line
        line
        for line in result.stderr.strip().splitlines()
        if not line.startswith("decision-trees: warning:")  # type: ignore[attr-defined]
    ]
    assert len(lines) == 1 and lines[0].startswith("decision-trees: error: "), lines
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    return str(lines[0])


# 1. Duplicate keys in JSON.


def test_duplicate_answers_in_a_json_file_are_refused(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"has-child":"Yes","has-child":"No","other-children":"No","pregnant":"No"}')
    line = one_line_error(cli("walk", "--details", "appendix-4", "--answers-file", str(answers), "--now", NOW))
    assert f"{answers}:1: gives the key 'has-child' twice" in line


def test_duplicate_keys_name_their_line(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{\n  "answers": {\n    "has-child": "Yes",\n    "has-child": "No"\n  }\n}\n')
    assert f"{answers}:4: gives the key 'has-child' twice" in one_line_error(
        cli("walk", "--details", "a4", "--answers-file", str(answers))
    )


def test_duplicate_keys_in_a_record_are_refused(cli: Cli, tmp_path: Path) -> None:
    record = tmp_path / "walk.json"
    assert cli(*A4_HIGH, "--record", str(record), "--format", "json").exit_code == 0
    text = record.read_text(encoding="utf-8").replace('"answers": {', '"answers": {\n    "has-child": "No",', 1)
    record.write_text(text, encoding="utf-8")
    assert "gives the key 'has-child' twice" in one_line_error(
        cli("walk", "--details", "a4", "--answers-file", str(record))
    )


def test_duplicate_keys_in_a_batch_line_are_an_error_line(cli: Cli, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"answers": {"has-child": "Yes", "has-child": "No", "other-children": "No", "pregnant": "No"}}\n')
    result = cli("batch", "a4", str(cases), "--now", NOW)
    assert result.exit_code == 1
    (out,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert out["line"] == 1 and "gives the key 'has-child' twice" in out["error"]


# 2. Unbounded and deep inputs.


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_answers_file_is_read_no_further_than_the_cap(cli: Cli) -> None:
    assert "larger than 16 MiB" in one_line_error(cli("walk", "--details", "a4", "--answers-file", "/dev/zero"))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_batch_line_is_read_no_further_than_the_cap(cli: Cli, tmp_path: Path) -> None:
    from decision_trees.data.answerfiles import MAX_LINE_BYTES, TOO_LONG, bounded_lines

    source = io.BytesIO(b"x" * (3 * MAX_LINE_BYTES) + b'\n{"answers": "yes,yes"}\n')
    assert list(bounded_lines(source)) == [TOO_LONG, b'{"answers": "yes,yes"}\n']
    long = tmp_path / "cases.jsonl"
    long.write_bytes(b"x" * (MAX_LINE_BYTES + 10) + b"\n" + b'{"answers": "yes,yes"}\n')
    result = cli("batch", "a4", str(long), "--now", NOW)
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert "longer than 1 MiB" in first["error"] and second["outcome"]["ref"] == "A4-3"


def test_deeply_nested_json_is_a_one_line_error(cli: Cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in one_line_error(cli("walk", "--details", "a4", "--answers-file", str(deep)))
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"answers": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    result = cli("batch", "a4", str(cases), "--now", NOW)
    assert "nested too deeply" in json.loads(result.stdout)["error"]


def test_every_message_is_bounded(cli: Cli) -> None:
    many = ",".join(["yes"] * 100_000)
    line = one_line_error(cli("walk", "--details", "a4", "--answers", many, "--now", NOW))
    assert len(line) < 1000
    assert "99998 answer(s) left over" in line and "and 99993 more" in line
    huge = one_line_error(cli("walk", "--details", "a4", "--answers", "x" * 500_000, "--now", NOW))
    assert len(huge) < 1000


def test_a_nul_in_yaml_is_one_line(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(b"has-child: 'Yes'\nother: \x00\n")
    assert f"{answers}:2: contains a NUL character" in one_line_error(
        cli("walk", "--details", "a4", "--answers-file", str(answers))
    )


@pytest.mark.parametrize("option", ["--answers-file", "-o", "--record"])
def test_a_folder_where_a_file_belongs_is_the_tools_own_one_line_error(cli: Cli, tmp_path: Path, option: str) -> None:
    line = one_line_error(cli(*A4_HIGH, option, str(tmp_path)))
    assert "is a folder" in line and "Usage:" not in line


# 3. A failed write loses nothing and leaves nothing half-written.


def test_an_output_that_cannot_be_written_still_shows_the_summary(
    cli: Cli, full_disk: set[str], tmp_path: Path
) -> None:
    full_disk.add("summary.md")
    result = cli(*A4_HIGH, "--format", "markdown", "-o", str(tmp_path / "summary.md"))
    assert result.exit_code == 4
    assert "phone 999 now" in result.stdout and "Confirm in writing using the CAF by" in result.stdout
    line = one_line_error(result, 4)
    assert f"cannot write {tmp_path / 'summary.md'}: No space left on device" in line and "it is shown above" in line
    assert list(tmp_path.iterdir()) == [tmp_path / "state"]  # no temporary file left; the answers saved


def test_a_record_is_not_left_behind_when_the_output_fails(cli: Cli, tmp_path: Path, full_disk: set[str]) -> None:
    full_disk.add("summary.txt")
    record = tmp_path / "walk.json"
    result = cli(*A4_HIGH, "-o", str(tmp_path / "summary.txt"), "--record", str(record))
    assert result.exit_code == 4
    assert not record.exists() and list(tmp_path.iterdir()) == [tmp_path / "state"]
    assert "phone 999 now" in result.stdout


def test_an_output_is_not_left_behind_when_the_record_fails(cli: Cli, tmp_path: Path, full_disk: set[str]) -> None:
    full_disk.add("walk.json")
    out = tmp_path / "summary.md"
    result = cli(*A4_HIGH, "-o", str(out), "--record", str(tmp_path / "walk.json"))
    assert result.exit_code == 4
    assert list(tmp_path.iterdir()) == [tmp_path / "state"]  # no summary file, no temporary file
    assert "phone 999 now" in result.stdout
    assert "No space left on device" in one_line_error(result, 4)


def test_a_record_that_cannot_be_written_after_the_summary_is_shown(
    cli: Cli, tmp_path: Path, full_disk: set[str]
) -> None:
    full_disk.add("walk.json")
    result = cli(*A4_HIGH, "--format", "json", "--record", str(tmp_path / "walk.json"))
    assert result.exit_code == 4
    assert json.loads(result.stdout)["outcome"]["ref"] == "A4-6"  # shown first, whole
    assert f"cannot write {tmp_path / 'walk.json'}" in one_line_error(result, 4)


# 4. A saved walk is never overwritten without the practitioner choosing to.


def save_a_walk(state: Path, answers: dict[str, str]) -> Path:
    path = state / "resume" / "camden-appendix-4.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"schema": "decision-trees/resume/1", "answers": answers, "indicators": []}))
    return path


def test_a_new_walk_says_a_saved_walk_is_kept(cli: Cli, state_dir: Path) -> None:
    saved = save_a_walk(state_dir, {"has-child": "Yes", "cssw-involved": "No"})
    before = saved.read_bytes()
    result = cli("walk", "appendix-4", "--now", NOW, "--format", "json", input="yes\nno\nyes\nhigh\n")  # piped
    assert result.exit_code == 0
    assert "an interrupted walk of appendix-4 is saved (2 answers) and is kept" in result.stderr
    assert "decision-trees walk appendix-4 --resume" in result.stderr
    assert saved.read_bytes() == before


def test_an_interruption_never_replaces_saved_answers_with_fewer(state_dir: Path) -> None:
    import datetime as dt

    from decision_trees.core.errors import WalkInterrupted
    from decision_trees.core.record import Journal
    from decision_trees.data.loading import load_library
    from decision_trees.terminal.interactive import walk_interactively
    from decision_trees.terminal.lineprompts import LinePrompter

    saved = save_a_walk(state_dir, {"has-child": "Yes", "cssw-involved": "No"})
    before = saved.read_bytes()
    library = load_library()
    prompter = LinePrompter(io.StringIO(""), io.StringIO(), piped=False)  # input ends at question 1
    with pytest.raises(WalkInterrupted) as stopped:
        walk_interactively(
            library.find("a4"),
            Feed(),
            book=library.guidance,
            journal=Journal(lambda: dt.datetime(2026, 11, 23, 14, 30, tzinfo=dt.UTC)),
            ticks={},
            prompter=prompter,
            plain=True,
        )
    assert "the walk saved earlier (2 answers) is kept, as this one had fewer (0)" in str(stopped.value)
    assert saved.read_bytes() == before


# 5. Batch keeps its pairing, and each case may carry its own time.


def test_each_batch_case_may_carry_its_own_time(cli: Cli, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        '{"case_ref": "C1", "answers": "yes,no,yes,high", "now": "2026-11-28T10:00"}\n'
        '{"case_ref": "C2", "answers": "yes,no,yes,high"}\n'
        '{"case_ref": "C3", "answers": "yes,no,yes,high", "now": "2026-03-29T01:30"}\n'
    )
    result = cli("batch", "a4", str(cases), "--now", NOW)
    first, second, third = (json.loads(line) for line in result.stdout.splitlines())
    assert first["deadlines"][0]["due"] == "2026-11-30T10:00:00+00:00"
    assert first["office_hours"] is False and first["contacts"][0]["id"] == "emergency-duty-team"
    assert second["deadlines"][0]["due"] == "2026-11-25T14:30:00+00:00"  # the batch's --now
    assert third["line"] == 3 and "\"now\" '2026-03-29T01:30' does not exist" in third["error"]


def test_every_input_line_gives_one_output_line(cli: Cli, tmp_path: Path) -> None:
    lines = ['{"answers": "yes,yes"}', "", "   ", "not json", '{"answers": "no,no,no"}']
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(lines) + "\n")
    out = [json.loads(line) for line in cli("batch", "a4", str(cases), "--now", NOW).stdout.splitlines()]
    assert len(out) == len(lines)
    assert [o.get("line") for o in out] == [None, 2, 3, 4, None]


# 7. Walks linear in the route's length; paths bounded.


def chain(length: int) -> Flow:
    nodes: dict[str, object] = {
        f"q{i}": {
            "type": "question",
            "text": f"Step {i}?",
            "section": "1",
            "choices": [
                {"label": "Yes", "next": f"q{i + 1}" if i + 1 < length else "end"},
                {"label": "No", "next": "end"},
            ],
        }
        for i in range(length)
    }
    nodes["end"] = {
        "type": "outcome",
        "ref": "E",
        "title": "E",
        "text": "E",
        "section": "1",
        "actions": ["a"],
        "contacts": [],
    }
    base = {"id": "chain", "title": "C", "audience": "a", "source": {"document": "d", "part": "p"}, "version": "1",
            "reviewed": "2026-01-01", "description": "d", "advice": {"text": "t"}, "start": "q0", "nodes": nodes}  # fmt: skip
    return msgspec.convert(base, Flow)


def test_a_step_shares_the_route_so_far_instead_of_copying_it() -> None:
    flow = chain(3)
    first = engine.step(flow, engine.begin(flow), Chosen("Yes"))
    second = engine.step(flow, first, Chosen("Yes"))
    assert second.trail is not None and second.trail.before is first.trail  # appended, not copied
    assert second.length == 2 and [s.node for s in second.route] == ["q0", "q1"]


def test_a_long_route_walks_to_its_end() -> None:
    length = 20_000  # benchmarks/long_walk.py measures 100,000 and more
    feed = Feed(["yes"] * length)
    walk = walk_scripted(chain(length), feed)
    assert walk.at == "end" and walk.length == length
    assert feed.ordered == [] and not feed


def test_paths_says_how_many_routes_and_stops_at_the_limit(cli: Cli, tmp_path: Path) -> None:
    from decision_trees.core.routing import all_routes, count_routes

    flow = chain(40)  # 41 routes (No at each of 40 questions, or Yes to the end); a diamond below has 2**20
    assert count_routes(flow) == 41 == len(all_routes(flow)) and len(all_routes(flow, 7)) == 7
    nodes: dict[str, object] = {}
    for i in range(20):
        after = f"d{i + 1}" if i < 19 else "end"
        nodes[f"d{i}"] = {"type": "question", "text": f"Fork {i}?", "section": "1",
                          "choices": [{"label": "Left", "next": f"l{i}"}, {"label": "Right", "next": f"r{i}"}]}  # fmt: skip
        nodes[f"l{i}"] = {"type": "action", "text": f"Left {i}", "section": "1", "next": after}
        nodes[f"r{i}"] = {"type": "action", "text": f"Right {i}", "section": "1", "next": after}
    diamond = msgspec.convert({**msgspec.to_builtins(flow), "id": "diamond", "start": "d0",
                               "nodes": {**nodes, "end": msgspec.to_builtins(flow.nodes["end"])}}, Flow)  # fmt: skip
    assert count_routes(diamond) == 2**20
    assert len(all_routes(diamond, 1000)) == 1000


def test_paths_on_the_command_line_says_how_many(cli: Cli) -> None:
    result = cli("paths", "a4", "--limit", "3", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["routes"]) == 3 and json.loads(result.stdout)["total"] == 12
    assert "camden-appendix-4 has 12 routes; showing the first 3 (--limit)" in result.stderr


# 8. The hour before closing.


def test_in_the_last_half_hour_the_summary_says_when_it_closes(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high", now="2026-11-27T16:59")
    contact = summary["contacts"][0]
    assert contact["id"] == "contact-service" and contact["open_now"]
    assert "It closes at 5pm; after that, phone the Emergency Duty Team (out of hours)" in contact["availability"]
    assert contact["closes"] == "2026-11-27T17:00:00+00:00"
    earlier = cli.walk_json("appendix-4", "yes,no,yes,high", now="2026-11-27T16:00")["contacts"][0]
    assert "closes" not in earlier["availability"] and earlier["closes"] is None
    text = " ".join(
        cli("walk", "--details", "a4", "--answers", "yes,no,yes,high", "--now", "2026-11-27T16:45").stdout.split()
    )
    assert "It closes at 5pm; after that, phone the Emergency Duty Team (out of hours)" in text
    assert os.environ.get("DECISION_TREES_STATE_DIR")  # the saved-walk tests never touch the real one
