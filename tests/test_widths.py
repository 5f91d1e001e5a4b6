"""Issue 29, 3 and 4: whole words at every width from 30 columns, in a real terminal (pexpect, with
pyte keeping the screen as the terminal draws it), and the way through a walk."""

from __future__ import annotations

import itertools
import os
import re
import sys
import time

import pexpect
import pyte
import pytest

from .conftest import NOW, ROOT

DOWN, UP, SPACE, ENTER = "\x1b[B", "\x1b[A", " ", "\r"


class Terminal:
    """A walk in a pseudo-terminal of `width` × `lines`, and the screen it has drawn."""

    def __init__(self, *args: str, width: int, lines: int = 40) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(width), "LINES": str(lines)}
        env["PROMPT_TOOLKIT_NO_CPR"] = "1"
        env.pop("NO_COLOR", None)
        self.child = pexpect.spawn(
            sys.executable, ["-m", "decision_trees", *args], cwd=str(ROOT), env=env, encoding="utf-8",
            dimensions=(lines, width), timeout=15,
        )  # fmt: skip
        self.screen = pyte.Screen(width, lines)
        self.stream = pyte.Stream(self.screen)
        self.width = width

    def expect(self, pattern: str) -> None:
        self.child.expect(pattern)
        self.stream.feed(self.child.before + self.child.after)

    def settle(self) -> list[str]:
        """The screen once the program has stopped drawing."""
        self.stream.feed(self.child.buffer)  # read already, past the last match
        self.child.buffer = ""
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
                end = time.monotonic() + 0.3
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                break
        return [row.rstrip() for row in self.screen.display]

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def close(self) -> None:
        self.child.sendintr()
        self.child.close()


def split_words(rows: list[str], width: int) -> list[str]:
    """The places where a word runs off the end of a row into the next: a letter in the last column
    and a letter at the start of the next row is the terminal's own wrapping, which cuts words."""
    return [
        f"{row[-8:]}|{following[:8]}"
        for row, following in itertools.pairwise(rows)
        if len(row) == width and row[-1].isalnum() and following[:1].isalnum()
    ]


@pytest.mark.parametrize("width", [30, 60, 100])
def test_the_checklist_keeps_whole_words(width: int) -> None:
    term = Terminal("walk", "appendix-4", "--answers", "yes,no,yes", "--now", NOW, width=width, lines=40)
    term.expect(r"ticked\)")
    term.send(DOWN * 7 + ENTER)
    term.expect("Enter")
    term.send(SPACE)  # one ticked: the tally line names a level
    rows = term.settle()
    text = "\n".join(rows)
    assert not split_words(rows, width), split_words(rows, width)
    assert "Enter when done" in " ".join(text.split()) and "E\nnter" not in text
    assert re.search(r"they point to\s+Low\s+level\s+need", " ".join(rows))
    for cut in ("level n\n", "the hig\n", "High l\n"):
        assert cut not in text
    term.close()


def test_the_last_checklist_item_is_whole_on_screen_at_60_by_40() -> None:
    from decision_trees import load
    from decision_trees.core.guidance import indicators_for

    library = load()
    offered = {
        f"[{i.level}] {i.text}" for i in indicators_for(library.find("a4").nodes["need-level"].ask(), library.guidance)
    }
    term = Terminal("walk", "appendix-4", "--answers", "yes,no,yes", "--now", NOW, width=60, lines=40)
    term.expect(r"ticked\)")
    term.send(DOWN * 7 + ENTER)
    term.expect("Enter")
    term.send(DOWN * 200)  # to the last item, past the foot of the window
    rows = term.settle()
    at = next(n for n, row in enumerate(rows) if row.lstrip().startswith("» "))
    item = [rows[at].lstrip().removeprefix("» [ ] ")]
    for row in rows[at + 1 :]:  # its later lines, indented under it
        if not row.startswith("    ") or row.lstrip().startswith(("[", "--")):
            break
        item.append(row.strip())
    assert " ".join(item) in offered, (item, rows[-5:])  # the whole item, not its first line only
    term.close()


@pytest.mark.parametrize("width", [30, 60])
def test_guidance_at_a_narrow_window_is_a_list_and_the_pause_is_whole(width: int) -> None:
    term = Terminal("walk", "appendix-4", "--answers", "yes,no", "--now", NOW, width=width, lines=200)
    term.expect("impacting on parenting")
    term.send(DOWN * 3 + ENTER)  # the first guidance section (Appendix 1)
    term.expect("return")
    rows = term.settle()
    text = "\n".join(rows)
    assert not re.search(r"\w…", "\n".join(r for r in rows if "✓" not in r))  # no cell cut short
    assert not split_words(rows, width), split_words(rows, width)
    assert "Press any key to return to the question" in " ".join(text.split())
    assert "th\ne question" not in text
    term.close()


@pytest.mark.parametrize("width", [30, 60, 100])
def test_the_summary_and_its_details_keep_whole_words_and_addresses(width: int) -> None:
    term = Terminal(
        "walk", "appendix-3", "--answers", "no,no,yes", "--now", NOW, "--details", width=width, lines=500
    )  # fmt: skip
    rows = term.settle()
    assert not split_words(rows, width), split_words(rows, width)
    assert all(row.strip() != "/" for row in rows)  # a long web address leaves no lone "/"
    assert all(len(row) <= width for row in rows)
    term.child.close()


def test_the_header_counts_questions_from_the_longest_route_left_and_folds_the_answered() -> None:
    term = Terminal("walk", "appendix-3", "--now", NOW, width=80, lines=60)
    term.expect("an action box")  # the action box is not "question 1"
    term.send(ENTER)  # noted
    term.expect("question 1")
    assert "question 1 of at most 3" in " ".join(" ".join(term.settle()).split())
    term.send(DOWN + ENTER)  # No
    term.expect("question 2")
    rows = term.settle()
    assert "question 2 of at most 3" in " ".join(" ".join(rows).split())
    answered = [row for row in rows if row.lstrip().startswith("✓")]
    assert answered and all(len(row) < 80 for row in answered)  # one line each
    assert answered[-1].lstrip().startswith("✓ No  Is parent currently attending")
    term.close()


def test_the_flow_picker_says_who_each_flow_is_for_and_filters_as_you_type() -> None:
    term = Terminal("walk", "--now", NOW, width=120, lines=40)
    term.expect("Which flow")
    rows = term.settle()
    said = " ".join(" ".join(rows).split())
    assert "Appendix 4: Referral to Children and Families Contact Service. For: Substance misuse workers" in said
    assert "For: CSSW social workers" in said
    term.send("Solihull")
    rows = term.settle()
    said = " ".join(" ".join(rows).split())
    assert "Threshold for referral" in said and "Appendix 4: Referral" not in said
    term.close()


def test_ctrl_c_is_a_walk_stopped_not_an_error(tmp_path: object) -> None:
    term = Terminal("walk", "appendix-4", "--now", NOW, width=80)
    term.expect("Does the service user have a child")
    term.child.sendintr()
    term.child.expect(pexpect.EOF)
    said = " ".join(term.child.before.split())
    assert "decision-trees: Walk stopped; your answers so far are saved" in said and "error" not in said
