"""Issue 19, "Nothing lost, nothing spoofed": every write, every console width, every contacts file.
Each fault is met through the command line, as a user meets it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from decision_trees.data.compiled import COMPILED_FILE
from decision_trees.data.loading import bundled_flows_dir

from .conftest import NOW, ROOT, Cli, edit

A4_HIGH = ("walk", "appendix-4", "--answers", "yes,no,yes,high", "--now", NOW)
PIPED = "yes\nno\nyes\nhigh\n"


def one_line(result: Any, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def run(*args: str, env: dict[str, str] | None = None, close: tuple[int, ...] = (), **kwargs: Any) -> Any:
    """The command in a process of its own, with standard streams `close`d as `>&-` does."""

    def closing() -> None:
        for fd in close:
            os.close(fd)

    return subprocess.run(
        [sys.executable, "-m", "decision_trees", *args],
        env={**os.environ, **(env or {})},
        preexec_fn=closing if close else None,
        capture_output=not close,
        stdout=None if not close else (None if 1 in close else subprocess.PIPE),
        stderr=None if not close else subprocess.PIPE,
        cwd=kwargs.pop("cwd", ROOT),
        timeout=kwargs.pop("timeout", 60),
        text=True,
        check=False,
        **kwargs,
    )


# 1. A file refused at write time never costs the walk.


@pytest.mark.parametrize("option", ["-o", "--record", "--email-draft", "--calendar"])
@pytest.mark.parametrize("where", ["nodir/file", "dangling"])
def test_a_path_that_cannot_be_written_is_refused_before_the_first_question(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, where: str
) -> None:
    monkeypatch.chdir(tmp_path)
    if where == "dangling":
        Path("dangling").symlink_to(tmp_path / "nowhere" / "x")
    result = cli("walk", "appendix-4", "--now", NOW, option, where, input=PIPED)
    line = one_line(result, 2)
    assert where.split("/")[0] in line
    assert "Does the service user" not in result.stderr + result.stdout  # not a question was asked
    assert sorted(p.name for p in tmp_path.iterdir()) == (["dangling"] if where == "dangling" else ["state"][:0])


def test_a_calendar_that_cannot_be_written_leaves_no_hidden_summary(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("walk", "appendix-4", "--now", NOW, "-o", "s.md", "--calendar", "nodir/c.ics", input=PIPED)
    assert "cannot write nodir/c.ics" in one_line(result, 2)
    assert list(tmp_path.iterdir()) == []  # no .s.md.XXXX.tmp


def test_a_full_disk_during_the_walk_shows_the_summary_and_keeps_the_answers(
    cli: Cli, tmp_path: Path, full_disk: set[str]
) -> None:
    full_disk.add("s.md")
    out = tmp_path / "s.md"
    failed = cli("walk", "appendix-4", "--now", NOW, "-o", str(out), input=PIPED)
    line = one_line(failed, 4)
    assert "No space left on device" in line and "your answers are saved" in line
    assert "phone 999 now" in failed.stdout and "A4-6" in failed.stdout  # shown, since not written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state"]  # no temporary file left
    full_disk.clear()
    again = cli("walk", "appendix-4", "--resume", "--now", NOW, "-o", str(out))
    assert again.exit_code == 0, again.stderr
    assert "A4-6" in out.read_text(encoding="utf-8")


# 2. Any console width: below 30 columns, laid out as at 30.


@pytest.mark.parametrize("columns", ["0", "1", "10", "30"])
@pytest.mark.parametrize(
    "command", [A4_HIGH, ("list",), ("contacts",), ("paths", "appendix-4"), ("show", "appendix-4")]
)
def test_any_console_width_prints_everything_and_splits_no_number(columns: str, command: tuple[str, ...]) -> None:
    done = run(*command, env={"COLUMNS": columns, "FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert done.returncode == 0, done.stderr
    plain = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)
    assert len(plain.splitlines()) > 5
    assert "Traceback" not in done.stderr
    if command[0] == "walk":
        assert "phone 999 now" in plain.replace("\n", " ")
        assert "999" in plain and "020 7974 4444" in plain and "020 7974 3317" in plain
        assert max(len(line) for line in plain.splitlines()) <= 30


# 3. The email draft never costs the summary.


def test_a_subject_that_ends_in_a_line_break_is_refused_at_load(cli: Cli, flows: Path) -> None:
    line = edit(
        flows / "appendix-4.yaml",
        "subject: Confirmation of urgent referral by phone (CAF)",
        "subject: |\n          Confirmation of urgent referral by phone (CAF)",
    )
    walked = cli("walk", "a4", "--answers", "yes,no,yes,high", "--flows-dir", str(flows))
    assert f"appendix-4.yaml:{line}:" in one_line(walked, 3) and "one line of text" in walked.stderr
    found = cli("validate", str(flows), "--format", "json")
    assert [f["line"] for f in json.loads(found.stdout)["findings"] if f["severity"] == "error"] == [line]


LOCAL = """contacts:
  contact-service:
    name: Children and Families Contact Service (MASH)
    phones: ["020 7974 3317"]
    email: {email}
    hours: office
    out_of_hours: emergency-duty-team
    source: The partnership's own directory
"""


@pytest.mark.parametrize(
    "email",
    ['"LBCMASHadmin:;attacker@evil.example"', '"x@y.uk\\n"', '"a,b@evil.example"', '"Name <a@b.uk>"', '"a b@x.uk"'],
)
def test_an_email_is_exactly_one_plain_address(cli: Cli, tmp_path: Path, email: str) -> None:
    local = tmp_path / "local.yaml"
    local.write_text(LOCAL.format(email=email), encoding="utf-8")
    for command in (A4_HIGH, ("contacts",), ("export", "appendix-4", "--format", "html")):
        line = one_line(cli(*command, "--contacts", str(local)), 2)
        assert f"{local}:5:" in line and "one plain email address" in line


def test_a_phone_number_matches_its_pattern_whole(cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text(LOCAL.format(email="x@y.uk").replace('"020 7974 3317"', '"020 7974 3317\\n"'), encoding="utf-8")
    assert "a phone number in digits and spaces" in one_line(cli(*A4_HIGH, "--contacts", str(local)), 2)


def test_two_drafts_in_one_minute_never_replace_each_other(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    names = []
    for _ in range(2):
        child = pexpect.spawn(
            sys.executable,
            ["-m", "decision_trees", "walk", "appendix-4", "--answers", "yes,no,yes", "--now", NOW, "--format", "json"],
            cwd=str(tmp_path),
            env={**os.environ, "TERM": "xterm-256color", "DECISION_TREES_STATE_DIR": str(tmp_path / "state")},
            encoding="utf-8",
            dimensions=(40, 100),
            timeout=15,
        )
        child.expect("low, medium or high")
        child.send("\x1b[B\x1b[B\r")  # High level need
        child.expect("Save in this folder")
        child.send("\r")  # the summary and the draft
        child.expect(r"written to\s+\S*/(confirmation-[0-9T-]+\.eml)")  # the path may start a line
        names.append(child.match.group(1))
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    assert names == ["confirmation-20261123T1430.eml", "confirmation-20261123T1430-2.eml"]
    assert all("X-Unsent: 1" in (tmp_path / name).read_text(encoding="utf-8") for name in names)


# 4. Closed standard streams.


@pytest.mark.parametrize(
    "command", [A4_HIGH, ("list",), ("contacts",), ("show", "a4"), ("paths", "a4"), ("--help",), ("walk", "--help")]
)
def test_a_closed_standard_output_is_one_line_and_the_walk_is_kept(tmp_path: Path, command: tuple[str, ...]) -> None:
    state = tmp_path / "state"
    done = run(*command, env={"DECISION_TREES_STATE_DIR": str(state)}, close=(1,))
    assert done.returncode == 4
    (line,) = done.stderr.strip().splitlines()[-1:]
    assert "standard output is closed" in line and "Traceback" not in done.stderr
    if command[0] == "walk" and "--help" not in command:
        (summary,) = (state / "summaries").iterdir()
        assert "A4-6" in summary.read_text(encoding="utf-8") and str(summary) in line
        assert json.loads((state / "resume" / "camden-appendix-4.json").read_text(encoding="utf-8"))["answers"]


def test_a_closed_standard_input_is_one_line_or_no_matter(tmp_path: Path) -> None:
    env = {"DECISION_TREES_STATE_DIR": str(tmp_path / "state")}
    asking = run("walk", "a4", env=env, close=(0,))
    assert asking.returncode == 4 and "Traceback" not in asking.stderr
    assert "standard input is closed, so no question can be asked" in asking.stderr
    scripted = run(*A4_HIGH, "--format", "json", env=env, close=(0,))
    assert scripted.returncode == 0 and json.loads(scripted.stdout)["outcome"]["ref"] == "A4-6"


# 5. No KeyError tracebacks.


def test_a_local_out_of_hours_cover_that_does_not_exist_is_one_line(cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text(LOCAL.format(email="x@y.uk").replace("emergency-duty-team", "no-such-contact"), encoding="utf-8")
    line = one_line(cli(*A4_HIGH, "--contacts", str(local)), 2)
    assert f"{local}:7:" in line and "'no-such-contact' does not exist" in line


def reseal(path: Path, change: tuple[str, str]) -> None:
    """Edit the compiled form and make its seal match, as someone who knows the format could."""
    data = path.read_bytes()
    head = b'{"seal": "sha256:'
    start = len(head) + 64 + len(b'", "compiled": ')
    payload = data[start:-2].replace(change[0].encode(), change[1].encode())
    assert payload != data[start:-2]
    path.write_bytes(
        head + hashlib.sha256(payload).hexdigest().encode() + data[len(head) + 64 : start] + payload + b"}\n"
    )


@pytest.fixture
def compiled_flows(tmp_path: Path) -> Path:
    target = tmp_path / "compiled-flows"
    shutil.copytree(bundled_flows_dir(), target)
    return target


def test_a_compiled_choice_to_a_missing_node_is_one_line(cli: Cli, compiled_flows: Path) -> None:
    reseal(compiled_flows / COMPILED_FILE, ('"next":"a4-6"', '"next":"a4-66"'))
    for command in (("walk", "a4", "--answers", "yes,no,yes,high"), ("show", "a4")):
        line = one_line(cli(*command, "--flows-dir", str(compiled_flows)), 3)
        assert "'a4-66'" in line and COMPILED_FILE in line


# 6. The compiled form proves it came from the sources.


def test_an_edited_compiled_file_is_not_trusted(cli: Cli, compiled_flows: Path) -> None:
    path = compiled_flows / COMPILED_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("020 7974 4444", "020 7946 0000"), encoding="utf-8")
    summary = cli.walk_json("a4", "yes,no,yes,high", "--flows-dir", str(compiled_flows), now="2026-11-28T10:00")
    text = json.dumps(summary)
    assert "020 7974 4444" in text and "020 7946 0000" not in text  # the sources' number, not the edit
    digest = "sha256:" + hashlib.sha256((compiled_flows / "contacts.yaml").read_bytes()).hexdigest()
    assert digest in text
    found = cli("validate", str(compiled_flows), "--format", "json")
    assert found.exit_code == 1
    assert [f["message"] for f in json.loads(found.stdout)["findings"] if f["rule"] == "compiled"] == [
        "its seal does not match its content: it was edited by hand. Rebuild it: decision-trees compile"
    ]


def test_a_resealed_compiled_file_is_reported_by_validate(cli: Cli, compiled_flows: Path) -> None:
    reseal(compiled_flows / COMPILED_FILE, ("020 7974 4444", "020 7946 0000"))
    found = cli("validate", str(compiled_flows), "--format", "json")
    assert found.exit_code == 1
    (finding,) = [f for f in json.loads(found.stdout)["findings"] if f["rule"] == "compiled"]
    assert finding["severity"] == "error" and "says other than its sources" in finding["message"]


def test_a_stale_compiled_file_is_a_warning_and_walks_read_the_sources(cli: Cli, compiled_flows: Path) -> None:
    edit(compiled_flows / "contacts.yaml", "020 7974 4444", "020 7974 4445")
    assert "020 7974 4445" in json.dumps(cli.walk_json("a4", "yes,no,yes,high", "--flows-dir", str(compiled_flows)))
    found = json.loads(cli("validate", str(compiled_flows), "--format", "json").stdout)["findings"]
    assert [(f["rule"], f["severity"]) for f in found if "compiled" in f["rule"]] == [("stale-compiled", "warning")]


# 7. Spoofed text is refused at load, whichever command reads it.


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", '"Emergency Duty Team\\u202e"'),
        ("name", '"Emergency\\u200f Duty Team"'),
        ("name", '"Emergency\\u061c Duty Team"'),
        ("name", '"Emergency\\u200b Duty Team"'),
        ("name", '"Emergency\\u2060 Duty Team"'),
        ("name", '"Emergency Duty Team\\nEmergency Duty Team (new number): 020 7946 0000"'),
        ("source", '"Camden protocol\\nEmergency Duty Team: 020 7946 0000 (new number)"'),
    ],
)
def test_spoofing_text_in_a_contacts_file_is_refused_by_every_command(
    cli: Cli, tmp_path: Path, flows: Path, field: str, value: str
) -> None:
    local = tmp_path / "local.yaml"
    text = LOCAL.format(email="x@y.uk").replace("contact-service", "emergency-duty-team")
    lines = text.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.startswith(f"    {field}:"))
    lines[number - 1] = f"    {field}: {value}\n"
    local.write_text("".join(lines), encoding="utf-8")
    for command in (A4_HIGH, ("contacts",), ("contacts", "check"), ("export", "appendix-4", "--format", "html")):
        line = one_line(cli(*command, "--contacts", str(local)), 2)
        assert f"{local}:{number}:" in line
        assert "020 7946 0000" not in line and "\u202e" not in line
    bundled = flows / "contacts.yaml"
    where = edit(
        bundled,
        "name: Emergency Duty Team (out of hours)",
        f"{field}: {value}" if field == "name" else "name: Emergency Duty Team (out of hours)",
    )
    if field == "source":
        where = edit(bundled, "source: Camden joint working protocol, section 10", f"source: {value}")
    assert f"contacts.yaml:{where}:" in one_line(cli(*A4_HIGH, "--flows-dir", str(flows)), 3)
    found = json.loads(cli("validate", str(flows), "--format", "json").stdout)["findings"]
    assert (where, "contacts.yaml") in {(f["line"], Path(f["file"]).name) for f in found if f["severity"] == "error"}


# 8. Bounded work on hostile flows.


def chain(questions: int, end_text: str) -> str:
    """A flow of `questions` yes/no questions, both answers leading on: 2^questions routes."""
    nodes = "".join(
        f"  q{i}:\n    type: question\n    text: Question {i}?\n    section: '1'\n    choices:\n"
        f"      - {{label: 'Yes', next: {f'q{i + 1}' if i + 1 < questions else 'end'}}}\n"
        f"      - {{label: 'No', next: {f'q{i + 1}' if i + 1 < questions else 'end'}}}\n"
        for i in range(questions)
    )
    return (
        "id: chain\ntitle: Chain\naudience: tests\nsource: {document: d, part: p}\nversion: '1'\n"
        "reviewed: 2026-11-23\ndescription: d\nadvice: {text: ask}\nstart: q0\nnodes:\n"
        f"{nodes}  end:\n    type: outcome\n    ref: E-1\n    title: End\n    text: {end_text}\n    section: '1'\n"
        "    actions: [Phone]\n    contacts: [contact-service]\n"
    )


def test_diff_counts_two_to_the_forty_routes_without_building_them(cli: Cli, flows: Path) -> None:
    old, new = flows / "old.yaml", flows / "new.yaml"
    old.write_text(chain(40, "Refer"), encoding="utf-8")
    new.write_text(chain(40, "Refer now"), encoding="utf-8")
    assert old.stat().st_size < 10_000
    result = cli("diff", str(old), str(new), "--limit", "3", "--format", "json")
    assert result.exit_code == 1, result.stderr
    found = json.loads(result.stdout)
    assert (found["changed_count"], found["unchanged"], len(found["changed"])) == (2**40, 0, 3)
    text = cli("diff", str(old), str(new), "--limit", "3").stdout
    assert "1,099,511,627,776 route(s) changed" in text and "Only the first 3 of each kind are listed" in text


def test_diff_matches_routes_answer_by_answer(cli: Cli, flows: Path) -> None:
    new = flows / "new-a4.yaml"
    shutil.copy(flows / "appendix-4.yaml", new)
    edit(new, '{label: "No", next: a4-2}', '{label: "No", next: a4-1}')
    found = json.loads(cli("diff", str(flows / "appendix-4.yaml"), str(new), "--format", "json").stdout)
    assert (found["changed_count"], found["only_old_count"], found["only_new_count"]) == (1, 0, 0)
    (route,) = found["changed"]
    assert (route["old_outcome"][:4], route["new_outcome"][:4]) == ("A4-2", "A4-1")
    assert found["unchanged"] == 11


@pytest.mark.parametrize(
    "change",
    [
        ('{label: "No", next: a4-2}', '{label: "No", next: a4-1}'),
        ('{label: "No", next: other-children}', '{label: "Not known", next: other-children}'),
        ("text: Contact allocated CSSW worker.", "text: Contact the allocated worker."),
        ("text: Are CSSW currently involved?", "text: Is CSSW involved now?"),
        ("020 7974 4444", "020 7974 4445"),
    ],
)
def test_diff_counts_as_listing_every_route_would(cli: Cli, flows: Path, change: tuple[str, str]) -> None:
    """The paired walk agrees with the plain way: every route of both versions, matched by answers."""
    import datetime as dt

    from decision_trees.core.clock import OfficeCalendar
    from decision_trees.core.flowdiff import Side, compare_ends, instants
    from decision_trees.core.routing import all_routes
    from decision_trees.data.loading import load_directory, load_flow, load_guidance, read_bank_holidays

    new_dir = flows.parent / "new"
    shutil.copytree(flows, new_dir)
    edit(new_dir / ("contacts.yaml" if change[0].startswith("020") else "appendix-4.yaml"), *change)
    old_flow, new_flow = (
        load_flow(d / "appendix-4.yaml", load_directory(d), load_guidance(d)) for d in (flows, new_dir)
    )
    old_dir, new_directory = load_directory(flows), load_directory(new_dir)
    before = {tuple(a.casefold() for a in r.answers): r for r in all_routes(old_flow)}
    after = {tuple(a.casefold() for a in r.answers): r for r in all_routes(new_flow)}
    sides = [
        Side(f, d, OfficeCalendar(d.office_hours, read_bank_holidays(flows, d)))
        for f, d in ((old_flow, old_dir), (new_flow, new_directory))
    ]
    moments = instants(sides[1].calendar, dt.datetime.now(dt.UTC))

    def texts(flow: Any, route: Any) -> list[str]:
        """The route's questions and chart actions, as the practitioner reads them."""
        return [flow.nodes[n].text for n in route.nodes[:-1]]

    changed = sum(
        1
        for key in before.keys() & after.keys()
        if compare_ends(sides[0], before[key].end, sides[1], after[key].end, moments)
        or texts(old_flow, before[key]) != texts(new_flow, after[key])
    )
    found = json.loads(
        cli("diff", str(flows / "appendix-4.yaml"), str(new_dir / "appendix-4.yaml"), "--format", "json").stdout
    )
    assert (found["changed_count"], found["only_old_count"], found["only_new_count"]) == (
        changed,
        len(before.keys() - after.keys()),
        len(after.keys() - before.keys()),
    )
    assert len(found["changed"]) == found["changed_count"] and len(found["only_old"]) == found["only_old_count"]


def test_a_fifo_is_refused_at_once(tmp_path: Path, flows: Path) -> None:
    fifo = flows / "waiting.yaml"
    os.mkfifo(fifo)
    listed = run("list", "--flows-dir", str(flows), timeout=30)
    assert listed.returncode == 3 and "is not a regular file" in listed.stderr
    compared = run("diff", str(fifo), str(flows / "appendix-4.yaml"), timeout=30)
    assert compared.returncode == 2 and "is not a regular file" in compared.stderr


def test_a_link_to_another_file_never_echoes_its_content(cli: Cli, tmp_path: Path, flows: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$secrethash:20228:0:99999:7:::\n", encoding="utf-8")
    (flows / "zz.yaml").symlink_to(secret)
    for command in (("list", "--flows-dir", str(flows)), ("validate", str(flows))):
        result = cli(*command)
        assert "secrethash" not in result.stdout + result.stderr
        assert "a key that is no field of this format" in result.stdout + result.stderr


def test_thousands_of_phones_are_refused_clearly(cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    phones = ", ".join(f'"020 7974 {n:04d}"' for n in range(25_000))
    local.write_text(LOCAL.format(email="x@y.uk").replace('["020 7974 3317"]', f"[{phones}]"), encoding="utf-8")
    line = one_line(cli("contacts", "--contacts", str(local)), 2)
    assert f"{local}:4:" in line and "length <= 20" in line and len(line) < 300


# 9. Bounded echoes.


def test_a_huge_answer_is_not_echoed_whole(cli: Cli, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"answers": "x" * 800_000}) + "\n" + json.dumps({"answers": ",".join("y" * 9)}) + "\n")
    result = cli("batch", "a4", str(cases), "--now", NOW)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(len(line) < 1000 for line in lines)
    assert "800,000 characters" in json.loads(lines[0])["error"]


def test_diff_cases_never_echo_a_name_and_count_every_case(cli: Cli, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps(c)
            for c in [
                {"case_ref": "John Smith", "answers": "yes,no,yes,high"},
                {"case_ref": "CR-1", "answers": "yes,yes"},
                {"case_ref": "CR-2", "answers": "no,no,no,no,no"},
            ]
        )
        + "\n"
    )
    a4 = str(bundled_flows_dir() / "appendix-4.yaml")
    result = cli("diff", a4, a4, "--cases", str(cases))
    assert result.exit_code == 0
    assert "John Smith" not in result.stdout + result.stderr
    assert (
        "3 case(s): 0 would now get different advice, 2 the same advice, 1 cannot be walked in either version."
        in result.stdout
    )
    assert "CR-2: cannot be walked in either version" in result.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"answers": 5}\n')
    assert f"{bad}: line 1 is not a case" in one_line(cli("diff", a4, a4, "--cases", str(bad)), 2)


# 10. Smaller faults.


def test_a_state_folder_that_refuses_writes_is_named_and_the_walk_goes_on(
    cli: Cli, state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("walk", "a4", "--answers", "yes,no", "--now", NOW, input="\n").exit_code != 0  # nothing saved yet
    saved = state_dir / "resume" / "camden-appendix-4.json"
    saved.parent.mkdir(parents=True)
    saved.write_text(json.dumps({"answers": {"has-child": "Yes", "cssw-involved": "No"}}), encoding="utf-8")
    real_unlink = Path.unlink

    def refuse(path: Path, missing_ok: bool = False) -> None:
        if state_dir in path.parents:
            raise PermissionError(13, "Permission denied")
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    resumed = cli("walk", "a4", "--resume", "--answers", "yes,high", "--now", NOW)
    assert resumed.exit_code == 0, resumed.stderr
    assert "A4-6" in resumed.stdout
    assert f"cannot delete the saved walk {saved}: Permission denied" in resumed.stderr
    forgotten = cli("forget")
    assert forgotten.exit_code == 4 and f"cannot delete the saved walk {saved}" in forgotten.stderr


def test_start_again_goes_on_when_the_saved_walk_cannot_be_deleted(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from decision_trees.core.errors import OutputError
    from decision_trees.data import files
    from decision_trees.data.loading import load_library
    from decision_trees.terminal import walking

    class Restart:
        def choose(self, message: str, labels: list[str], **kwargs: Any) -> str:
            return labels[1]  # Start again

    def refuse(flow_id: str | None = None) -> list[Path]:
        raise OutputError(f"cannot delete the saved walk {state_dir}/resume/x.json: Read-only file system")

    monkeypatch.setattr(walking, "saved_answers", lambda flow_id: 2)
    monkeypatch.setattr(files, "forget", refuse)
    flow = load_library().find("a4")
    assert walking._offer_saved_walk(flow, Restart(), piped=False) is False  # type: ignore[arg-type]
    assert "Read-only file system" in capsys.readouterr().err


def test_a_title_holding_a_placeholder_does_not_break_the_page(cli: Cli, flows: Path) -> None:
    edit(
        flows / "appendix-4.yaml",
        "title: Referral to Children and Families Contact Service",
        "title: Chart {{DIAGRAM}} {{DATA}}",
    )
    page = cli("export", "a4", "--format", "html", "--flows-dir", str(flows)).stdout
    head = page[: page.index("</head>")]
    assert "<title>Appendix 4: Chart {{DIAGRAM}} {{DATA}}</title>" in head and "<svg" not in head
    assert page.count('id="flow-data"') == 1


@pytest.mark.parametrize(
    ("ref", "warned"),
    [("Jane.Doe.2019", True), ("jsmith.jones-01", True), ("CR-2026/0042", False), ("MASH/2019/7", False)],
)
def test_a_case_reference_that_looks_like_a_name_is_warned_about(cli: Cli, ref: str, warned: bool) -> None:
    result = cli(*A4_HIGH, "--case-ref", ref)
    assert result.exit_code == 0
    assert ("looks like it may hold a name" in result.stderr) is warned
    assert ref not in result.stderr


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_contacts_file_anyone_may_change_is_refused(cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text(LOCAL.format(email="x@y.uk"), encoding="utf-8")
    local.chmod(0o666)
    line = one_line(cli(*A4_HIGH, "--contacts", str(local)), 2)
    assert "can be changed by any user of this machine" in line and f"chmod o-w {local}" in line


def test_a_folder_where_the_config_contacts_file_belongs_is_said(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "config" / "decision-trees" / "contacts.yaml").mkdir(parents=True)
    line = one_line(cli(*A4_HIGH), 2)
    assert "contacts.yaml is not a file" in line
