"""Issue 32, hostile round five: no traceback on any input, bounded work on any flow, and batch's
streams. Each test names the reproduction it holds; each fails without its fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from benchmarks.large_flows import write_chain

from .conftest import ROOT, Cli


def clean(result: object) -> None:
    stderr = getattr(result, "stderr", "")
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) <= 2, stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["validate", "--today", "9999-12-31"], "--today 9999-12-31 is outside the years this tool handles"),
        (["export", "a4", "--format", "html", "--until", "9999-12-31"], "--until 9999-12-31 is outside the years"),
        (
            ["export", "a4", "--format", "html", "--from", "0001-01-02", "--until", "0001-02-01"],
            "--from 0001-01-02 is outside",
        ),
    ],
)
def test_dates_past_any_calendar_are_one_line_errors(cli: Cli, tmp_path: Path, args: list[str], said: str) -> None:
    result = cli(*args, *(["--output", str(tmp_path / "p.html")] if args[0] == "export" else []))
    assert result.exit_code == 2 and said in result.stderr
    clean(result)


@pytest.mark.parametrize("within", ["2147483648h", "99999999d", "99999999999999999999h", "9" * 5000 + "h", "367d"])
def test_every_duration_a_flow_states_is_bounded(cli: Cli, flows: Path, within: str) -> None:
    path = flows / "appendix-4.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("within: 48h", f"within: {within}"), encoding="utf-8")
    found = json.loads(cli("validate", str(flows), "--format", "json").stdout)["findings"]
    assert any(f["rule"] == "bad-deadline" and "of at most a year" in f["message"] for f in found)
    for args in (["walk", "a4", "--answers", "yes,no,yes,high"], ["export", "a4", "--format", "dot"]):
        result = cli(*args, "--flows-dir", str(flows))
        assert result.exit_code == 3 and "at most a year" in result.stderr, args  # a flow data error
        clean(result)
    result = cli("diff", str(ROOT / "flows" / "appendix-4.yaml"), str(path))
    assert result.exit_code == 2 and "at most a year" in result.stderr
    clean(result)


def test_a_screen_width_past_any_screen_is_clamped(tmp_path: Path) -> None:
    """COLUMNS=99999999999 on a terminal: rich padded every line to it (MemoryError)."""
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "COLUMNS": "99999999999", "TERM": "xterm", "DECISION_TREES_STATE_DIR": str(tmp_path)}
    child = pexpect.spawn(sys.executable, ["-m", "decision_trees", "walk", "a4", "--answers", "yes,yes"],
                          cwd=str(ROOT), env=env, encoding="utf-8", timeout=30)  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in child.before
    assert max(len(line) for line in child.before.splitlines()) <= 1000


def test_show_of_a_thousand_question_chain_is_a_tree_that_fits_the_screen(cli: Cli, tmp_path: Path) -> None:
    """It recursed once a level (RecursionError), and would have been 4,000 columns wide."""
    write_chain(tmp_path, 1000, "line")
    result = cli("show", "chain", "--flows-dir", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "continued at [q12]" in flat and "[q999]" in flat
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_paths_and_diff_count_two_to_the_five_thousand_routes_in_words(cli: Cli, tmp_path: Path) -> None:
    """Python refuses to print an integer of over 4,300 digits: the counts are said by their size."""
    old = write_chain(tmp_path, 5000, "doubling")
    result = cli("paths", "chain", "--limit", "2", "--flows-dir", str(tmp_path))
    assert result.exit_code == 0 and "about 10^1,505 (a 1,506-digit number) routes" in " ".join(result.stdout.split())
    new = write_chain(tmp_path / "new", 5000, "doubling")
    new.write_text(new.read_text(encoding="utf-8").replace("The end", "The new end"), encoding="utf-8")
    text = cli("diff", str(old), str(new), "--limit", "1", "--flows-dir", str(tmp_path))
    assert text.exit_code == 1 and "about 10^1,505 (a 1,506-digit number) route(s) changed" in " ".join(
        text.stdout.split()
    )
    data = json.loads(
        cli("diff", str(old), str(new), "--limit", "1", "--format", "json", "--flows-dir", str(tmp_path)).stdout
    )
    assert data["counts_exact"] is False and data["changed_count"].startswith("about 10^1,505")
    bundled = str(ROOT / "flows" / "appendix-4.yaml")
    assert json.loads(cli("diff", bundled, bundled, "--format", "json").stdout)["counts_exact"] is True


def _peak_listing(length: int, folder: Path) -> int:
    """Peak memory of diff's listing of one changed route on a chain of `length` questions."""
    import datetime as dt

    from decision_trees.core.clock import OfficeCalendar
    from decision_trees.core.flowdiff import Side, diff_flows
    from decision_trees.data.loading import load_directory, load_flow, read_bank_holidays

    old, new = write_chain(folder, length, "line"), write_chain(folder / "new", length, "line")
    new.write_text(new.read_text(encoding="utf-8").replace("The end", "The new end"), encoding="utf-8")
    directory = load_directory(folder)
    calendar = OfficeCalendar(directory.office_hours, read_bank_holidays(folder, directory))
    sides = [Side(load_flow(path, directory), directory, calendar) for path in (old, new)]
    tracemalloc.start()
    diff_flows(*sides, dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC), limit=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_diff_memory_grows_with_the_chain_not_its_square(tmp_path: Path) -> None:
    """Every waiting route copied the answers so far: 5.7 GB at 20,000 questions, even with --limit 1."""
    small, large = _peak_listing(1500, tmp_path / "small"), _peak_listing(3000, tmp_path / "large")
    assert large < 3 * small, (small, large)  # doubling the chain: about twice, never four times


def test_paths_as_text_lays_out_each_row_with_its_own_replay(cli: Cli, tmp_path: Path) -> None:
    """Every row was given every row's replay to keep whole: time grew with --limit squared. A replay
    wider than the window is folded at it, every answer kept."""
    write_chain(tmp_path, 300, "line")
    out = cli("paths", "chain", "--limit", "300", "--flows-dir", str(tmp_path)).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Route k answers Yes k times, then No; the last question's Yes adds one route of 300 Yes.
    assert "".join(lines).count("Yes") == sum(range(300)) + 300


def _batch(args: list[str], **streams: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "decision_trees", "batch", "a4", *args], cwd=ROOT,
                          capture_output="stdout" not in streams, timeout=60, check=False, **streams)  # type: ignore[call-overload]  # fmt: skip


def test_batch_with_closed_streams_says_which(tmp_path: Path) -> None:
    """`batch … - <&-` and `>&-` printed a traceback ('Closed' object has no attribute 'buffer')."""
    closed_in = subprocess.run(
        f"{sys.executable} -m decision_trees batch a4 - <&-", shell=True, cwd=ROOT, capture_output=True, timeout=60
    )
    assert closed_in.returncode == 2 and b"cannot read standard input: standard input is closed" in closed_in.stderr
    closed_out = subprocess.run(
        f"echo '{{\"answers\": [\"yes\", \"yes\"]}}' | {sys.executable} -m decision_trees batch a4 - >&-",
        shell=True, cwd=ROOT, stderr=subprocess.PIPE, timeout=60,
    )  # fmt: skip
    assert closed_out.returncode == 4 and b"standard output is closed" in closed_out.stderr
    assert b"Traceback" not in closed_in.stderr + closed_out.stderr


def test_batch_refuses_a_device_and_a_line_that_never_ends() -> None:
    device = _batch(["/dev/zero"])
    assert device.returncode == 2 and b"/dev/zero is a device or a folder, not a file of cases" in device.stderr
    endless = subprocess.run([sys.executable, "-m", "decision_trees", "batch", "a4", "-"], cwd=ROOT,
                             input=b"\0" * (20 << 20), capture_output=True, timeout=60, check=False)  # fmt: skip
    assert endless.returncode == 2 and b"runs on past 16 MiB with no line break" in endless.stderr


def test_batch_accepts_notepads_byte_order_mark() -> None:
    done = subprocess.run([sys.executable, "-m", "decision_trees", "batch", "a4", "-", "--now", "2026-11-23T14:30"],
                          cwd=ROOT, input=b'\xef\xbb\xbf{"answers": ["yes", "yes"]}\n', capture_output=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"]["ref"] == "A4-3"


# High: nothing lost.


def _walk_at_a_terminal(state: Path, *args: str) -> object:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "PROMPT_TOOLKIT_NO_CPR": "1",
           "DECISION_TREES_STATE_DIR": str(state)}  # fmt: skip
    return pexpect.spawn(sys.executable, ["-m", "decision_trees", "walk", "a4", *args], cwd=str(ROOT), env=env,
                         encoding="utf-8", dimensions=(40, 100), timeout=20)  # fmt: skip


@pytest.mark.parametrize("presses", [2, 3, 5])
def test_a_burst_of_ctrl_c_still_saves_the_answers(tmp_path: Path, presses: int) -> None:
    """Three quick Ctrl-Cs saved nothing in 10 runs of 10; some runs were killed by the signal."""
    pexpect = pytest.importorskip("pexpect")
    for run in range(3):
        state = tmp_path / f"state-{run}"
        child = _walk_at_a_terminal(state)
        child.expect("care for a child")
        child.send("\r")  # Yes
        child.expect("CSSW currently involved")
        child.send("\x03" * presses)  # all at once: the first is a key to the prompt, the rest signals
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 130 and child.signalstatus is None, (run, child.exitstatus, child.signalstatus)
        assert "Traceback" not in child.before and "Exception ignored" not in child.before
        saved = json.loads((state / "resume" / "camden-appendix-4.json").read_text(encoding="utf-8"))
        assert saved["answers"] == {"has-child": "Yes"}, run


@pytest.mark.parametrize("how", ["a link", "a folder it may not write"])
def test_where_nothing_can_be_written_the_answers_are_given_as_a_command(tmp_path: Path, how: str) -> None:
    """A saved-walk file that is a symbolic link, or a read-only folder: on Ctrl-C the walk exited 2
    with 'is a symbolic link; give the real path', saying nothing of the interruption or the answers."""
    pexpect = pytest.importorskip("pexpect")
    if how == "a folder it may not write" and os.geteuid() == 0:
        pytest.skip("root writes to a read-only folder")  # the link case covers the same path as root
    state = tmp_path / "state"
    (state / "resume").mkdir(parents=True)
    if how == "a link":
        (state / "resume" / "camden-appendix-4.json").symlink_to(tmp_path / "elsewhere.json")
    else:
        (state / "resume").chmod(0o500)
    child = _walk_at_a_terminal(state)
    child.expect("care for a child")
    child.send("\r")
    child.expect("CSSW currently involved")
    child.send("\x1b[B\r")  # No
    child.expect("impacting on parenting")
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    said = " ".join(child.before.split())
    assert child.exitstatus == 130, said
    assert "Walk stopped; the answers could not be saved" in said
    assert "decision-trees walk appendix-4 --answers Yes,No" in said and "Traceback" not in said


def test_a_summary_that_cannot_be_shown_or_saved_goes_to_stderr(tmp_path: Path) -> None:
    """stdout failing (>/dev/full) and summaries/ refused: the summary was neither shown nor saved."""
    state = tmp_path / "state"
    state.mkdir()
    (state / "summaries").symlink_to(tmp_path / "nowhere")  # the write check refuses a link
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "decision_trees", "walk", "a4", "--answers", "yes,no,yes,high", "--now",
             "2026-11-23T14:30"], cwd=ROOT, stdout=full, stderr=subprocess.PIPE, timeout=60, check=False,
            env={**os.environ, "DECISION_TREES_STATE_DIR": str(state)},
        )  # fmt: skip
    said = done.stderr.decode("utf-8")
    assert done.returncode == 4, said
    assert "Phone the Children and Families Contact Service now on 020 7974 3317" in " ".join(said.split())
    assert "it is written above, on standard error" in said and "Traceback" not in said
    assert "decision-trees walk a4 --answers" in said or "your answers are saved in" in said


@pytest.mark.parametrize("arriving", ["SIGINT", "SIGTERM"])
def test_signals_arriving_while_the_answers_are_saved_do_not_stop_the_save(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, arriving: str
) -> None:
    """The second and third Ctrl-C (or a kill) land while the answers are written: before, each raised
    KeyboardInterrupt inside the save, and nothing was kept."""
    import datetime as dt
    import signal

    from decision_trees.core.answers import Feed
    from decision_trees.core.errors import WalkInterrupted
    from decision_trees.core.record import Journal
    from decision_trees.data import files
    from decision_trees.data.loading import load_library
    from decision_trees.terminal.interactive import walk_interactively

    monkeypatch.setenv("DECISION_TREES_STATE_DIR", str(tmp_path))
    library = load_library()
    flow = library.flows["camden-appendix-4"]
    real_save = files.save_resume

    def save_under_fire(flow_id: str, data: dict[str, object]) -> Path:
        for _ in range(3):
            os.kill(os.getpid(), getattr(signal, arriving))
        return real_save(flow_id, data)

    monkeypatch.setattr(files, "save_resume", save_under_fire)

    class Interrupted:
        def choose(self, message: str, labels: list[str], **_: object) -> str:
            if "CSSW" in message:
                raise KeyboardInterrupt  # Ctrl-C, as the prompt raises it
            return labels[0]

        def confirm_action(self, message: str, **_: object) -> str:
            return "\x00done"

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(WalkInterrupted) as stopped:
            walk_interactively(flow, Feed([]), book=library.guidance, journal=Journal(lambda: dt.datetime.now(dt.UTC)),
                               ticks={}, prompter=Interrupted())  # type: ignore[arg-type]  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])
    assert "your answers so far are saved in" in str(stopped.value)
    saved = json.loads((tmp_path / "resume" / "camden-appendix-4.json").read_text(encoding="utf-8"))
    assert saved["answers"] == {"has-child": "Yes"}


# Medium.


def test_piped_answers_left_over_are_refused_as_answers_are() -> None:
    """`printf 'yes\\nyes\\nno\\nhigh\\n' | walk appendix-4` exited 0 at A4-3, the last two ignored."""
    done = subprocess.run([sys.executable, "-m", "decision_trees", "walk", "appendix-4", "--now", "2026-11-23T14:30"],
                          cwd=ROOT, input=b"yes\nyes\nno\nhigh\n", capture_output=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2 and done.stdout == b""
    assert b"2 answer(s) left over after the walk ended at 'a4-3': 'no', 'high'" in done.stderr
    exact = subprocess.run([sys.executable, "-m", "decision_trees", "walk", "appendix-4", "--now", "2026-11-23T14:30"],
                           cwd=ROOT, input=b"yes\nyes\n", capture_output=True, timeout=60, check=False)  # fmt: skip
    assert exact.returncode == 0 and b"A4-3" in exact.stdout


@pytest.mark.parametrize(
    "hidden",
    [
        "".join(chr(0xE0000 + ord(c)) for c in "IGNORE PREVIOUS"),  # Unicode tags
        "\u034f",  # combining grapheme joiner
        "\ufe0f",  # a variation selector
        "\u3164",  # Hangul filler
        "\uffa0",  # halfwidth Hangul filler
    ],
)
def test_every_default_ignorable_character_is_refused_at_load(cli: Cli, flows: Path, hidden: str) -> None:
    """35 of them spelled "IGNORE PREVIOUS; phone 0800 000 000" through a flow into the summary."""
    path = flows / "appendix-4.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("No further action", f"No further{hidden} action", 1),
                    encoding="utf-8")  # fmt: skip
    result = cli("walk", "--details", "a4", "--answers", "no,no,no", "--flows-dir", str(flows))
    assert result.exit_code == 3 and f"U+{ord(hidden[0]):04X}" in result.stderr and str(path) in result.stderr
    found = json.loads(cli("validate", str(flows), "--format", "json").stdout)["findings"]
    assert any(f["rule"] == "I7" for f in found)


@pytest.mark.parametrize("command", [["practise", "a4", "--list"], ["validate"]])
def test_an_unreadable_vignettes_folder_is_a_read_failure_naming_it(
    cli: Cli, flows: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """It said "cannot write the output: Permission denied", exit 4. (Simulated: the tests run as root.)"""
    real = Path.iterdir

    def refused(self: Path) -> object:
        if self.name == "vignettes":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refused)
    args = [*command, str(flows)] if command[0] == "validate" else [*command, "--flows-dir", str(flows)]
    result = cli(*args)
    assert result.exit_code == 3, result.stderr
    assert f"{flows / 'vignettes'}: cannot read the folder: Permission denied" in result.stderr
    assert "cannot write the output" not in result.stderr


# Low.


@pytest.mark.parametrize("how", ["--plain", "NO_COLOR"])
def test_no_escape_codes_on_the_chart_line_without_colour(tmp_path: Path, how: str) -> None:
    """--plain (for a screen reader) and NO_COLOR still wrote dim and italic codes on "Chart:"."""
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "PROMPT_TOOLKIT_NO_CPR": "1",
           "DECISION_TREES_STATE_DIR": str(tmp_path)}  # fmt: skip
    env.pop("NO_COLOR", None)
    args = ["-m", "decision_trees", "walk", "a4", "--now", "2026-11-23T14:30"]
    if how == "NO_COLOR":
        env["NO_COLOR"] = "1"
    else:
        args.append(how)
    child = pexpect.spawn(
        sys.executable, args, cwd=str(ROOT), env=env, encoding="utf-8", dimensions=(40, 100), timeout=20
    )
    child.expect("care for a child")
    child.send("1\r")
    child.expect("currently involved")
    shown = child.before + child.after
    child.close(force=True)
    (chart,) = [line for line in shown.splitlines() if "Chart:" in line]
    assert "\x1b[" not in chart, repr(chart)


def test_an_output_name_too_long_is_refused_before_the_first_question(cli: Cli, tmp_path: Path) -> None:
    """A 300-character --output name got exit 4, "File name too long", after the walk, unnamed."""
    name = tmp_path / ("x" * 300 + ".txt")
    result = cli("walk", "--details", "a4", "--output", str(name), input="")
    assert result.exit_code == 2 and f"cannot write {name}: its name is 304 bytes long" in result.stderr
    assert "Does the service user" not in result.stderr + result.stdout


def test_a_saved_walk_whose_answers_are_a_list_is_refused_naming_the_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was silently ignored, even with 100,000 entries."""
    monkeypatch.setenv("DECISION_TREES_STATE_DIR", str(tmp_path))
    saved = tmp_path / "resume" / "camden-appendix-4.json"
    saved.parent.mkdir(parents=True)
    saved.write_text(json.dumps({"schema": "decision-trees/resume/1", "answers": ["Yes"] * 100_000}), encoding="utf-8")
    result = cli("walk", "--details", "a4", "--resume")
    assert result.exit_code == 2 and f"the saved walk {saved} is not one this tool wrote" in result.stderr
    assert "a list of 100,000" in result.stderr


@pytest.mark.parametrize(
    "other", ["Y\u0435s", "Yes ", "\uff39\uff45\uff53"]
)  # Cyrillic e; a trailing space; full width
def test_answers_that_only_look_different_are_refused(cli: Cli, flows: Path, other: str) -> None:
    """ "Yes" beside a Cyrillic "Yеs", or "Yes " with a trailing space, passed validate."""
    path = flows / "appendix-4.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('{label: "No", next: a4-2}', f'{{label: "{other}", next: a4-2}}', 1), encoding="utf-8")
    found = [f for f in json.loads(cli("validate", str(flows), "--format", "json").stdout)["findings"]
             if f["rule"] == "duplicate-label"]  # fmt: skip
    assert found and "look alike" in found[0]["message"] and found[0]["node"] == "pregnant"


def test_an_encoded_word_in_the_subject_is_refused(cli: Cli, flows: Path) -> None:
    """A raw =?utf-8?q?…?= reached the .eml, where mail readers showed decoded text not in the flow."""
    path = flows / "appendix-4.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "subject: Confirmation of urgent referral by phone (CAF)",
        "subject: Confirmation =?utf-8?q?IGNORE_PREVIOUS=3B_phone_0800_000_000?=",
    ), encoding="utf-8")  # fmt: skip
    found = [f for f in json.loads(cli("validate", str(flows), "--format", "json").stdout)["findings"]
             if f["rule"] == "encoded-word"]  # fmt: skip
    assert found and found[0]["node"] == "a4-6" and found[0]["severity"] == "error"
    result = cli("walk", "--details", "a4", "--answers", "yes,no,yes,high", "--flows-dir", str(flows))
    assert result.exit_code == 3 and "RFC 2047 encoded word" in result.stderr
