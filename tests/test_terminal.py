"""Real-terminal walks through a pseudo-terminal: arrow keys, Back, Ctrl-C."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

from .conftest import NOW, ROOT  # noqa: E402

DOWN = "\x1b[B"
UP = "\x1b[A"
SPACE = " "
ENTER = "\r"


def spawn(*args: str, state: str = "", width: int = 100, lines: int = 40, cwd: Path = ROOT) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(width), "LINES": str(lines)}
    if state:
        env["DECISION_TREES_STATE_DIR"] = state
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "decision_trees", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        dimensions=(lines, width),
        timeout=15,
    )
    return child


def test_walk_with_arrow_keys_back_and_remembered_answers() -> None:
    child = spawn("walk", "appendix-4", "--now", NOW)
    child.expect("Does the service user have a child")
    child.send(ENTER)  # Yes (first choice)
    child.expect("Is Children’s Safeguarding and Social Work")
    child.send(DOWN + ENTER)  # No
    child.expect("Is substance misuse impacting on parenting")
    child.send(ENTER)  # Yes
    child.expect("low, medium or high")
    child.send(UP + ENTER)  # up from the first choice wraps round to Back, the last
    child.expect("Is substance misuse impacting on parenting")
    child.send(UP + ENTER)  # from the remembered Yes (the first) up to Back: to the CSSW question
    child.expect("Is Children’s Safeguarding and Social Work")
    # The earlier answer "No" is the default now: Enter takes it, and "Yes" stays remembered after it.
    child.send(ENTER)
    child.expect("Is substance misuse impacting on parenting")
    child.send(ENTER)
    child.expect("low, medium or high")
    child.send(DOWN * 2 + ENTER)  # High level need
    # The offer to save comes before the card, so that the walk ends with the card on screen.
    child.expect("Save in this folder")
    child.expect("and a draft of the email")  # the urgent route asks for written confirmation
    child.send(DOWN * 2 + ENTER)  # No
    child.expect("A4-6")
    child.expect("Now")
    child.expect("020 7974 3317")
    child.expect("2:30pm on Wednesday 25 November 2026")  # By: the deadline, 48 hours on
    child.expect("Details and sources")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_action_boxes_are_shown_and_acknowledged() -> None:
    child = spawn("walk", "appendix-3", "--now", NOW, "--format", "markdown")
    child.expect("If a child is in immediate danger, phone 999 now")  # before anything else
    child.expect("Undertake Drug Use Screening Tool")
    child.expect("Have you noted this action")
    child.send(ENTER)
    child.expect("Is parent currently attending a treatment service")
    child.send(ENTER)  # Yes
    child.expect("Contact substance misuse key worker")
    child.send(ENTER)
    child.expect("Save in this folder")  # before the summary, which then ends the screen
    child.send(DOWN + ENTER)  # No
    child.expect("A3-1")
    # Noted at the terminal, and never ticked: pasted into case notes, a tick reads as done (issue 28, 2.10).
    child.expect(r"- \[ \] Undertake Drug Use Screening Tool with parent\(s\) \(noted during the walk; not done yet\)")
    child.expect(r"Undertake Drug Use Screening Tool with parent\(s\) \(noted, not done\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_an_interrupted_walk_resumes_at_the_same_question(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    child = spawn("walk", "appendix-4", "--now", NOW, state=state)
    child.expect("Does the service user have a child")
    child.send(DOWN + ENTER)  # No
    child.expect("contact with someone else")
    child.send(ENTER)  # Yes
    child.expect("Is Children’s Safeguarding and Social Work")
    child.sendintr()
    child.expect("decision-trees: Walk stopped; your answers so far are saved in")
    child.expect("decision-trees walk appendix-4 --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = tmp_path / "state" / "resume" / "camden-appendix-4.json"
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    assert json.loads(saved.read_text(encoding="utf-8"))["answers"] == {"has-child": "No", "other-children": "Yes"}

    child = spawn("walk", "appendix-4", "--resume", "--now", NOW, "--format", "json", state=state)
    child.expect("Is Children’s Safeguarding and Social Work")  # the same question, nothing asked before it
    assert "Does the service user have a child" not in child.before.split("✓")[-1]
    child.send(ENTER)  # Yes
    child.expect("Save in this folder")
    child.send(DOWN + ENTER)  # No
    child.expect('"ref": "A4-3"')
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not saved.exists()  # a finished walk leaves nothing behind


def test_guidance_opens_and_returns_to_the_same_question_and_indicators_are_tallied() -> None:
    child = spawn("walk", "appendix-4", "--now", NOW, "--format", "markdown", width=200)
    child.expect("Does the service user have a child")
    child.send(ENTER)  # Yes
    child.expect("Is Children’s Safeguarding and Social Work")
    child.send(DOWN + ENTER)  # No
    child.expect("Is substance misuse impacting on parenting")
    child.send(ENTER)  # Yes
    child.expect("low, medium or high")
    child.send(DOWN * 3 + ENTER)  # the first guidance: section 10
    child.expect("three levels")
    child.expect("parents deny substance")
    child.expect("Press any key to return to the question")
    child.send(" ")
    child.expect("low, medium or high")  # back at the same question
    child.send(UP * 2 + ENTER)  # from Low, up past Back to "Tick the indicators"
    child.expect("Tick the indicators that apply")
    child.send(SPACE + DOWN * 5 + SPACE + DOWN * 8 + SPACE + ENTER)  # low:1, medium:1, high:1 of section 10
    child.expect("Indicators ticked: ")
    child.expect("Low level need 1 · Medium level need 1 · High level need 1")
    child.expect("they point to ")
    child.expect("High level need")
    child.expect("Tick the indicators that apply \\(3 ticked\\)")
    child.send(DOWN + ENTER)  # Medium: the practitioner's choice stands
    child.expect("Save in this folder")
    child.send(DOWN + ENTER)  # No
    child.expect("A4-5")
    child.expect("they point to \\*\\*High level need\\*\\*")
    child.expect("Answer chosen: \\*\\*Medium level need\\*\\*")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_no_flow_offers_the_list() -> None:
    child = spawn("walk", "--now", NOW, "--format", "json")
    child.expect("Which flow")
    child.send(DOWN + ENTER)  # Appendix 4
    child.expect("Does the service user have a child")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


@pytest.mark.parametrize("signal_name", ["SIGHUP", "SIGTERM", "SIGQUIT"])
def test_a_closed_terminal_a_kill_or_ctrl_backslash_saves_the_walk(tmp_path: Path, signal_name: str) -> None:
    import signal

    sent = getattr(signal, signal_name)
    state = str(tmp_path / "state")
    child = spawn("walk", "appendix-4", "--now", NOW, state=state)
    child.expect("Does the service user have a child")
    child.send(ENTER)  # Yes
    child.expect("Is Children’s Safeguarding and Social Work")
    child.expect("Back")
    child.kill(sent)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == sent or child.exitstatus == 128 + sent
    saved = tmp_path / "state" / "resume" / "camden-appendix-4.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["answers"] == {"has-child": "Yes"}


@pytest.mark.parametrize("setting", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_no_color_or_a_dumb_terminal_gets_plain_numbered_prompts(setting: dict[str, str]) -> None:
    env = {**os.environ, "TERM": "xterm-256color", **setting}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "decision_trees", "walk", "appendix-4", "--now", NOW],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        dimensions=(40, 100),
        timeout=15,
    )
    child.expect("  1. Yes")
    child.expect("Type a number or an answer: ")
    child.sendline("1")
    child.expect("b. Back to the previous question")
    child.sendline("b")  # back to the first question
    child.expect("Does the service user have a child")
    child.sendline("2")
    child.sendline("no")
    child.sendline("no")  # not pregnant: A4-2
    child.expect("Save in this folder")
    child.sendline("No")
    child.expect("A4-2")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "\x1b[" not in (child.before or "")


def test_batch_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(f'{{"case_ref": "C{i}", "answers": "yes,yes"}}\n' for i in range(30000)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = f"{sys.executable} -m decision_trees batch appendix-4 {cases} --now {NOW} > {out}"
    child = pexpect.spawn("/bin/sh", ["-c", command], cwd=str(ROOT), encoding="utf-8", dimensions=(40, 100), timeout=60)
    child.expect("walking cases")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30000
    assert all(json.loads(line)["outcome"]["ref"] == "A4-3" for line in lines)  # no progress bar in the results


def test_a_new_walk_offers_to_resume_a_saved_one(tmp_path: Path) -> None:
    state = tmp_path / "state"
    saved = state / "resume" / "camden-appendix-4.json"
    saved.parent.mkdir(parents=True)
    saved.write_text(json.dumps({"answers": {"has-child": "No", "other-children": "Yes"}, "indicators": []}))
    child = spawn("walk", "appendix-4", "--now", NOW, "--format", "json", state=str(state))
    child.expect("An interrupted walk of appendix-4 is saved, with 2 answers. Resume it?")
    child.send(ENTER)  # Resume the saved walk (the default)
    child.expect("Is Children’s Safeguarding and Social Work")
    child.send(ENTER)  # Yes
    child.expect("Save in this folder")
    child.send(DOWN + ENTER)  # No
    child.expect('"ref": "A4-3"')
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and not saved.exists()

    saved.write_text(json.dumps({"answers": {"has-child": "No", "other-children": "Yes"}, "indicators": []}))
    child = spawn("walk", "appendix-4", "--now", NOW, state=str(state))
    child.expect("Resume it?")
    child.send(DOWN + ENTER)  # Start again: the practitioner chose to drop the saved answers
    child.expect("Does the service user have a child")
    assert not saved.exists()
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()


def screen_text(text: str) -> str:
    """What a screen shows, as one line of words: escape codes gone, white space folded."""
    return " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).split())


@pytest.mark.parametrize("width", [60, 100])
def test_the_checklist_is_grouped_wrapped_and_filtered(width: int) -> None:
    child = spawn(
        "walk", "appendix-4", "--answers", "yes,no,yes", "--now", NOW, "--format", "json", width=width, lines=200
    )
    child.expect("Tick the indicators that apply")
    child.send(DOWN * 7 + ENTER)  # past Medium, High and the four guidance tables
    child.expect("Appendix 5, Parent: Low level need")
    shown = screen_text(child.before)
    for section, heading in (("10.1", "Low"), ("10.2", "Medium"), ("10.3", "High")):  # each its own subsection
        assert f"-- Section {section}: {heading} level need --" in shown
    assert "Indicators ticked:" in shown
    # The longest item of section 10, whole: wrapped at word boundaries, never cut at the window.
    item = (
        "[High level need] the family’s accommodation is at risk due to arrears or anti-social behaviour "
        "stemming from substance misuse;"
    )
    assert item in shown
    child.send("accommodation")  # type to filter
    child.expect(r"Filter:(\s|\x1b\[\d*C)*accommodation")  # the space may be drawn as a cursor move
    child.send(SPACE)
    child.expect("they point to High")  # the tally, live, before Enter
    child.send(ENTER)
    child.expect("Tick the indicators that apply \\(1 ticked\\)")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()


def test_questions_wrap_at_word_boundaries() -> None:
    child = spawn("walk", "appendix-4", "--answers", "yes,no,yes", "--now", NOW, width=100)
    child.expect(r"Tick the indicators")
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    assert "are the parenting concerns or the child’s needs" in " ".join(shown.split())
    for cut in ("chi\r", "chi\n", "Ent\r", "Ent\n"):
        assert cut not in shown
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()


def test_an_urgent_walk_at_a_terminal_offers_the_email_draft(tmp_path: Path) -> None:
    child = spawn(
        "walk", "appendix-4", "--answers", "yes,no,yes", "--now", NOW, "--format", "json",
        state=str(tmp_path / "state"), cwd=tmp_path,
    )  # fmt: skip
    child.expect("low, medium or high")
    child.send(DOWN * 2 + ENTER)  # High level need
    child.expect("Save in this folder")  # before the summary, which ends the screen (issue 29)
    child.expect("summary-20261123T1430.md")
    child.expect("confirmation-20261123T1430.eml")
    child.send(ENTER)  # both
    child.expect("written to")
    child.expect(str(tmp_path / "summary-20261123T1430.md").replace(".", "\\."))  # its full path
    child.expect("written to")
    child.expect(str(tmp_path / "confirmation-20261123T1430.eml").replace(".", "\\."))
    child.expect('"ref": "A4-6"')
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "X-Unsent: 1" in (tmp_path / "confirmation-20261123T1430.eml").read_text(encoding="utf-8")
    notes = (tmp_path / "summary-20261123T1430.md").read_text(encoding="utf-8")
    assert notes.index("**Now**") < notes.index("### Details") < notes.index("### Contacts")  # the card, then all


def test_an_output_that_cannot_be_written_is_refused_before_the_first_question(tmp_path: Path) -> None:
    child = spawn("walk", "appendix-4", "--now", NOW, "-o", "nodir/s.md", state=str(tmp_path / "state"), cwd=tmp_path)
    child.expect("cannot write nodir/s.md: folder nodir does not exist")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "Does the service user" not in (child.before or "")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_ctrl_backslash_at_a_plain_prompt_saves_the_walk(tmp_path: Path) -> None:
    import signal

    child = spawn("walk", "appendix-4", "--plain", "--now", NOW, state=str(tmp_path / "state"))
    child.expect("Type a number or an answer")
    child.sendline("1")
    child.expect("Is Children’s Safeguarding")
    child.expect("Type a number or an answer")
    child.send("\x1c")  # Ctrl-\\ as typed: the terminal turns it into SIGQUIT
    child.expect("your answers so far are saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 128 + signal.SIGQUIT
    saved = tmp_path / "state" / "resume" / "camden-appendix-4.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["answers"] == {"has-child": "Yes"}


def test_the_picker_names_solihull_and_the_header_is_whole_at_60_columns(tmp_path: Path) -> None:
    """Issue 23, item 3: the flow picker and the header say whose protocol it is, and are not cut off."""
    child = spawn("walk", "--now", NOW, "--format", "json", state=str(tmp_path), width=60)
    child.expect("Which flow")
    child.expect("Solihull, Sections 5 and 7")
    child.send(DOWN + DOWN + ENTER)  # Solihull
    child.expect("Solihull, Sections 5 and 7")  # the header, wrapped rather than cut
    child.expect("question 1")
    child.expect("Significant Harm")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()


GAP = r"(?:\s|\x1b\[[0-9;?]*[A-Za-z])+"  # between two words: spaces, a line break, styles


def split_words(raw: str, width: int) -> list[str]:
    """Words the window split where it ended: a line running to the last column whose last word,
    joined to the first word of the next line, is a word the tool wrote. The screen is the one a
    VT100 terminal of `width` columns shows (pyte), so a wrap the terminal made counts, not only
    the line breaks the tool wrote."""
    pyte = pytest.importorskip("pyte")
    screen = pyte.Screen(width, 400)
    pyte.Stream(screen).feed(raw)
    written = set(re.findall(r"\w+", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)))
    rows = [screen.display[row] for row in range(screen.lines)]
    split = []
    for line, below in itertools.pairwise(rows):
        end, start = re.search(r"\w+$", line), re.match(r"\w+", below)
        whole = re.search(r"\S+$", line), re.match(r"\S+", below)
        if whole[0] and whole[1] and len(whole[0].group() + whole[1].group()) >= width - 2:
            continue  # a path or an address wider than the window: folding it is all a line can do
        if end and start and end.group() + start.group() in written:
            split.append(f"{end.group()}|{start.group()}")
    return split


@pytest.mark.parametrize("width", [30, 60, 100])
def test_no_word_is_split_at_any_width(tmp_path: Path, width: int) -> None:
    """Issue 23, item 6: a whole walk, its summary, the draft's offer and the warnings, then Ctrl-C
    at a question, on a screen of 30, 60 and 100 columns: every line breaks between words, and the
    chart's own words sit indented under "Chart:"."""
    state = str(tmp_path / "state")
    child = spawn("walk", "appendix-4", "--now", "2026-11-28T14:30", state=state, width=width, lines=400, cwd=tmp_path)
    child.logfile_read = seen = io.StringIO()  # everything drawn, not only what came after the last expect
    for expected, keys in (
        ("Does the service user", ENTER),  # Yes
        ("currently involved", DOWN + ENTER),  # No
        ("impacting on", ENTER),  # Yes
        ("low, medium or", DOWN * 2 + ENTER),  # High level need
        ("Save in this", DOWN * 2 + ENTER),  # No
    ):
        child.expect(expected.replace(" ", GAP))  # the words may be wrapped onto two lines
        child.send(keys)
    child.expect(pexpect.EOF)
    walk = seen.getvalue()
    child.close()
    assert child.exitstatus == 0
    assert "phone 999 now" in screen_text(walk) and "not checked against a current" in screen_text(walk)
    child = spawn("walk", "appendix-4", "--now", NOW, state=state, width=width, lines=400, cwd=tmp_path)
    child.logfile_read = seen = io.StringIO()
    child.expect("Does the service user".replace(" ", GAP))
    child.send(ENTER)
    child.expect("currently involved".replace(" ", GAP))
    child.sendintr()
    child.expect(pexpect.EOF)
    stopped = seen.getvalue()
    child.close()
    assert "--resume" in stopped
    assert split_words(walk, width) == [] and split_words(stopped, width) == []
    pyte = pytest.importorskip("pyte")
    screen = pyte.Screen(width, 400)
    pyte.Stream(screen).feed(stopped)
    rows = screen.display
    chart = next(i for i, row in enumerate(rows) if row.startswith("  Chart: "))
    if not rows[chart].rstrip().endswith("”"):  # the chart's words run on: under them, not under "Chart:"
        assert rows[chart + 1].startswith(" " * 9)
