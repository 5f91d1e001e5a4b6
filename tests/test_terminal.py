"""Real-terminal walks through a pseudo-terminal: arrow keys, Back, Ctrl-C."""

from __future__ import annotations

import os
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

from .conftest import NOW, ROOT  # noqa: E402

DOWN = "\x1b[B"
ENTER = "\r"


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "decision_trees", *args],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        dimensions=(40, 100),
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
    child.send(DOWN * 3 + ENTER)  # past Low, Medium, High to Back
    child.expect("Is substance misuse impacting on parenting")
    child.send(DOWN * 2 + ENTER)  # from the remembered Yes, past No to Back: to the CSSW question
    child.expect("Is Children’s Safeguarding and Social Work")
    # The earlier answer "No" is the default now: Enter takes it, and "Yes" stays remembered after it.
    child.send(ENTER)
    child.expect("Is substance misuse impacting on parenting")
    child.send(ENTER)
    child.expect("low, medium or high")
    child.send(DOWN * 2 + ENTER)  # High level need
    child.expect("A4-6")
    child.expect("Wed 25 Nov 2026, 14:30 GMT")
    child.expect("020 7974 3317")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_action_boxes_are_shown_and_acknowledged() -> None:
    child = spawn("walk", "appendix-3", "--now", NOW, "--format", "markdown")
    child.expect("Undertake Drug Use Screening Tool")
    child.expect("Have you noted this action")
    child.send(ENTER)
    child.expect("Is parent currently attending a treatment service")
    child.send(ENTER)  # Yes
    child.expect("Contact substance misuse key worker")
    child.send(ENTER)
    child.expect("A3-1")
    child.expect(r"- \[ \] Undertake Drug Use Screening Tool")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_says_how_to_pick_up_the_walk() -> None:
    child = spawn("walk", "appendix-4", "--now", NOW)
    child.expect("Does the service user have a child")
    child.send(DOWN + ENTER)  # No
    child.expect("contact with someone else")
    child.sendintr()
    child.expect("walk interrupted")
    child.expect("decision-trees walk appendix-4 --answers 'No'")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_no_flow_offers_the_list() -> None:
    child = spawn("walk", "--now", NOW, "--format", "json")
    child.expect("Which flow")
    child.send(DOWN + ENTER)  # Appendix 4
    child.expect("Does the service user have a child")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
