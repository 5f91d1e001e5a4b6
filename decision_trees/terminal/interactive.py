"""The walk at a terminal: one question at a time, with Back, guidance and indicators, drawn on stderr."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from types import FrameType

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from decision_trees.core import engine
from decision_trees.core.answers import Feed, first_few, missing_answer
from decision_trees.core.engine import (
    Walk,
    back,
    begin,
    can_go_back,
    current,
    is_finished,
    remembered,
    route_questions,
    step,
)
from decision_trees.core.errors import AnswerError, WalkInterrupted
from decision_trees.core.guidance import Indicator, indicators_for, tally
from decision_trees.core.kinds.base import Answer, Ask, Chosen, Noted, Ticked, answer_text
from decision_trees.core.models import Flow, GuidanceBook
from decision_trees.core.phrasebook import WORDS, sentence
from decision_trees.core.record import Journal
from decision_trees.core.routing import questions_left
from decision_trees.core.summary import flow_name
from decision_trees.keeping import keep_walk
from decision_trees.output.consoles import fit
from decision_trees.terminal.prompting import BACK, GUIDE, TICK, Prompter
from decision_trees.terminal.render import (
    GuidanceView,
    Hanging,
    Wrapped,
    console,
    guidance_plain,
    literal,
    tally_text,
)
from decision_trees.words import MESSAGES
from decision_trees.words import TERMINAL as T


@dataclass
class Screen:
    """Where and how the walk is drawn: the console (stderr), the prompter, plain or rich."""

    ui: Console
    prompter: Prompter
    plain: bool
    piped: bool = False  # answers read from a pipe: nobody is there to note an action box
    guidance_contacts: dict[str, list[str]] = field(default_factory=dict)  # guidance id: its contacts, a line each


def _header(screen: Screen, flow: Flow, walk: Walk) -> None:
    """Where the walk stands: the flow, "question 3 of at most 5" (the longest route left) or an
    action box, then each answered question folded into one line (in full, for a screen reader)."""
    answered = route_questions(flow, walk)
    step = len(answered) + 1
    if current(flow, walk).asks:
        where = T["where_question"].format(step=step, most=step - 1 + questions_left(flow, walk.at))
    else:
        where = T["where_action"]
    ui = screen.ui
    if screen.plain:
        ui.print()
        ui.print(Wrapped(literal(f"{flow_name(flow)}. {where[0].upper()}{where[1:]}.")))
        for node, answer in answered:
            ui.print(Wrapped(literal(T["answered"].format(text=node.text, answer=answer))))
        return
    # Wrapped at words, not a rule: a rule cuts a long title off at 60 columns.
    ui.print(Hanging(Text("── ", "dim"), literal(f"{flow_name(flow)} · {where}", "dim")))
    for node, answer in answered:
        room = max(1, ui.width - 1 - cell_len(f"  ✓ {answer}  "))
        ui.print(Text.assemble(("  ✓ ", "green"), literal(answer, "cyan"), "  ", literal(fold(node.text, room), "dim")))


def fold(text: str, room: int) -> str:
    """`text` cut to `room` cells at a word, with "…": an answered question on one line."""
    if cell_len(text) <= room:
        return text
    words, kept = text.split(), ""
    for word in words:
        if cell_len(f"{kept} {word}".strip()) + 1 > room:
            break
        kept = f"{kept} {word}".strip()
    return f"{kept}…" if kept else "…"


class _Stopping:
    """Whether the walk has begun to stop (the first Ctrl-C, a hang-up): from then on, every further
    signal is ignored, so that saving the answers finishes however many arrive."""

    def __init__(self) -> None:
        self.begun = False

    def begin(self) -> None:
        self.begun = True
        with contextlib.suppress(ValueError):  # not the main thread: nothing to change
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _save_on_any_stop(save: Callable[[], str]) -> Iterator[_Stopping]:
    """Ctrl-C raises KeyboardInterrupt, for the walk to save and say how to pick up; a closed
    terminal (SIGHUP), a kill (SIGTERM) or Ctrl-\\ (SIGQUIT) saves the walk at once and exits 128+signal.
    Once either has begun, later signals are ignored: three quick Ctrl-Cs once lost every answer.

    The hang-up handler saves itself rather than raise into prompt_toolkit's event loop, so that
    nothing depends on an exception finding its way out of a terminal that has gone."""
    stopping = _Stopping()

    def interrupt(signum: int, frame: FrameType | None) -> None:
        # Raised each time until the walk has caught one and begun to save: a Ctrl-C that arrives
        # before the prompt takes the keyboard may be absorbed by it, and the next must still stop.
        if not stopping.begun:
            raise KeyboardInterrupt

    def hang_up(signum: int, frame: FrameType | None) -> None:
        if stopping.begun:
            return  # a save is under way; it finishes, and the walk ends as it says
        stopping.begin()
        message = save()
        try:
            sys.stderr.write(fit(f"decision-trees: {message}") + "\n")
            sys.stderr.flush()
        except OSError:
            pass  # the terminal is gone; the answers are saved all the same
        os._exit(128 + signum)

    wanted = [getattr(signal, name) for name in ("SIGHUP", "SIGTERM", "SIGQUIT") if hasattr(signal, name)]
    previous = {sig: signal.signal(sig, hang_up) for sig in wanted}
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, interrupt)
    try:
        yield stopping
    finally:
        for sig, handler in previous.items():
            # Stopping: the answers are being saved and the message said; no signal may cut that short.
            signal.signal(sig, signal.SIG_IGN if stopping.begun and sig == signal.SIGINT else handler)


def walk_interactively(
    flow: Flow,
    feed: Feed,
    *,
    book: GuidanceBook,
    journal: Journal,
    ticks: dict[str, list[str]],
    prompter: Prompter,
    plain: bool = False,
    explain: bool = False,
    piped: bool = False,
    guidance_contacts: dict[str, list[str]] | None = None,
    keep: bool = True,
) -> Walk:
    """Ask every question the feed does not answer; actions are shown and acknowledged.
    `guidance_contacts`: the contacts each guidance section prints, as `summary.guidance_contacts`.
    `keep`: an interrupted walk is saved for --resume; practice (False) is never saved, so that an
    invented case can never be resumed as a real one."""
    ui = console(stderr=True, colour=False if plain else None)
    screen = Screen(ui, prompter, plain, piped, guidance_contacts or {})
    walk = begin(flow)
    feed.check_nodes(flow)

    def kept() -> str:
        return keep_walk(flow, walk, ticks) if keep else T["practice_stopped_nothing_was_saved"]

    with _save_on_any_stop(kept) as stopping:
        try:
            while not is_finished(flow, walk):
                walk = _step(screen, flow, walk, feed, book, journal, ticks, explain)
        except EOFError:
            node = current(flow, walk)
            if piped and node.asks:
                # Piped answers ran out: the input is the user's own record, so say what is missing.
                raise missing_answer(walk.at, node) from None
            stopping.begin()
            raise WalkInterrupted(kept()) from None
        except KeyboardInterrupt:  # from the signal, or from the prompt (Ctrl-C as a key)
            stopping.begin()
            with contextlib.suppress(OSError):
                ui.print()  # the terminal echoed "^C" where the cursor was: the message starts a line of its own
            raise WalkInterrupted(kept()) from None
    feed.check_all_used(flow, walk)
    if piped:
        _refuse_left_over(walk)
    return walk


PIPED_REST = 1 << 20  # what is read of a pipe's left-over lines at most: enough to count and show a few


def _refuse_left_over(walk: Walk) -> None:
    """Answers piped in past the end of the walk show a case that was not meant, as left-over
    `--answers` do: refused (exit 2), naming them. The questions after the walk ask only a terminal."""
    try:
        rest = [line.strip() for line in sys.stdin.read(PIPED_REST).splitlines() if line.strip()]
    except (OSError, UnicodeError, ValueError):
        return  # nothing more can be read: nothing left over to say
    if rest:
        raise AnswerError(
            T["answer_left_over_after_walk"].format(rest_count=len(rest), at=walk.at, first_few=first_few(rest))
        )


def _step(
    screen: Screen,
    flow: Flow,
    walk: Walk,
    feed: Feed,
    book: GuidanceBook,
    journal: Journal,
    ticks: dict[str, list[str]],
    explain: bool,
) -> Walk:
    """One move: an action noted, a question answered (from the feed or the practitioner), or Back."""
    node = current(flow, walk)
    ask = node.ask()
    if ask is None:
        raise ValueError(MESSAGES["walk_finished"])  # the caller stops at an outcome
    if not node.asks:
        return _note(screen, flow, walk, ask, feed, journal, explain)
    answer = feed.take(walk.at, node)
    if answer is None:
        asked = ASKERS[ask.shape](screen, flow, walk, ask, book, journal, ticks, explain)
        if asked is None:
            journal.log("back", walk.at)
            return back(walk)
        answer = asked
    journal.log("answer", walk.at, answer_text(answer))
    return step(flow, walk, answer)


def _show(screen: Screen, flow: Flow, walk: Walk, node: Ask, explain: bool) -> None:
    """What every node that asks or is noted shows first: where the walk stands, the trainer's notes
    (`explain`), and the chart's own words under a plainer prompt."""
    _header(screen, flow, walk)
    if explain:
        for line in engine.explain(flow, walk.at):
            screen.ui.print(literal(line, "magenta"))
    if node.prompt:
        screen.ui.print(chart_line(flow, walk.at, node.text))


def _note(screen: Screen, flow: Flow, walk: Walk, node: Ask, feed: Feed, journal: Journal, explain: bool) -> Walk:
    """An action box: shown and acknowledged at a terminal; passed when answers are fed in."""
    ui = screen.ui
    shown = not feed
    noted = shown and not screen.piped
    if shown:
        _show(screen, flow, walk, node, explain)
        ui.print(Hanging(Text(T["action"], "bold"), literal(node.text, "bold")))
        ui.print(Hanging(Text("  "), literal(T["protocol_section"].format(section=node.section), "dim")))
        if screen.prompter.confirm_action(T["noted_prompt"], allow_back=can_go_back(walk)) == BACK:
            journal.log("back", walk.at)
            return back(walk)
    journal.log("action", walk.at)
    return step(flow, walk, Noted(noted))


def _choose(
    screen: Screen,
    flow: Flow,
    walk: Walk,
    node: Ask,
    book: GuidanceBook,
    journal: Journal,
    ticks: dict[str, list[str]],
    explain: bool,
) -> Answer | None:
    """One choice, or None for Back; guidance and indicator ticking return to the same question."""
    guides = [(g, book.guidance[g]) for g in node.guidance if g in book.guidance]
    offered = indicators_for(node, book)
    ui, prompter = screen.ui, screen.prompter
    while True:
        _show(screen, flow, walk, node, explain)
        if walk.at in ticks:
            ui.print(tally_text(tally(walk.at, node, offered, ticks[walk.at])))
        extras = [(T["show_guidance"].format(title=g.title, section=g.section), GUIDE + gid) for gid, g in guides]
        if offered:
            extras.append((T["tick_count"].format(count=len(ticks.get(walk.at, []))), TICK))
        before = remembered(walk)
        answer = prompter.choose(
            node.prompt or node.text,
            [o.label for o in node.options],
            default=answer_text(before) if before is not None else None,
            allow_back=can_go_back(walk),
            instruction=T["instruction" if screen.plain else "instruction_keys"].format(section=node.section),
            extras=extras,
        )
        if answer.startswith(GUIDE):
            guidance_id = answer.removeprefix(GUIDE)
            journal.log("guidance", walk.at, detail=[guidance_id])
            table, reach = book.guidance[guidance_id], screen.guidance_contacts.get(guidance_id, [])
            if screen.plain:
                ui.print(literal(guidance_plain(table, reach)))
            else:
                ui.print(GuidanceView(table, reach))
            prompter.pause()
            continue
        if answer == TICK:
            levels = list(node.levels.values())
            rank = {level: number for number, level in enumerate(levels)}
            # Table by table, as the question lists its guidance, each by level: the flow's order, not a
            # protocol's (an indicator's id starts with its table's).
            tables = list(dict.fromkeys(i.id.split(":", 1)[0] for i in offered))
            ordered = sorted(
                offered,
                key=lambda i: (tables.index(i.id.split(":", 1)[0]), rank.get(i.level, len(rank)), offered.index(i)),
            )
            chosen = prompter.tick(
                T["tick_prompt"],
                [(f"[{i.level}] {i.text}", i.id) for i in ordered],
                ticked=ticks.get(walk.at, []),
                groups=[_group_heading(i.source, i.level) for i in ordered],
                tally=partial(_tally_line, walk.at, node, offered),
            )
            ticks[walk.at] = chosen
            journal.log("indicators", walk.at, detail=chosen)
            continue
        return None if answer == BACK else Chosen(answer)


def _tick(
    screen: Screen,
    flow: Flow,
    walk: Walk,
    node: Ask,
    book: GuidanceBook,
    journal: Journal,
    ticks: dict[str, list[str]],
    explain: bool,
) -> Answer | None:
    """The items of a checklist ticked, or None for Back: the node's own rule says where the ticks
    lead, shown before the practitioner goes on; ticking again returns to the same checklist."""
    before = remembered(walk)
    chosen = list(before.items) if isinstance(before, Ticked) else []
    here = current(flow, walk)
    while True:
        _show(screen, flow, walk, node, explain)
        answer = Ticked(tuple(o.key for o in node.options if o.key in chosen))
        names = "; ".join(o.label for o in node.options if o.key in chosen) or sentence("ticks_none")
        screen.ui.print(Wrapped(literal(sentence("ticks_ticked", items=names))))
        picked = screen.prompter.choose(
            node.prompt or node.text,
            [sentence("ticks_go_on", leads=str(here.lead(walk.at, answer).label))],
            default=None,
            allow_back=can_go_back(walk),
            instruction=T["instruction"].format(section=node.section),
            extras=[(sentence("ticks_tick", count=str(len(chosen))), TICK)],
        )
        if picked == BACK:
            return None
        if picked != TICK:
            return answer
        chosen = screen.prompter.tick(
            sentence("ticks_legend"),
            [(sentence("ticks_item", label=o.label, score=str(o.score)), o.key) for o in node.options],
            ticked=chosen,
        )
        journal.log("ticks", walk.at, detail=chosen)


# What asks each shape of question: one choice, or ticks. An action box is noted, an end asks nothing.
ASKERS: dict[
    str, Callable[[Screen, Flow, Walk, Ask, GuidanceBook, Journal, dict[str, list[str]], bool], Answer | None]
] = {
    "one": _choose,
    "many": _tick,
}


def chart_line(flow: Flow, node_id: str, text: str) -> Hanging:
    """A box's words under its plainer prompt: quoted where they are the chart's own ("Chart: “…”",
    the quotation hanging under its label), else said to be this project's paraphrase."""
    head, _, tail = WORDS["chart" if flow.verbatim(node_id) else "chart_paraphrase"].partition("{text}")
    if head.endswith("“"):
        return Hanging(Text("  " + head[:-1], "dim"), literal(f"“{text}{tail}", "dim italic"))
    return Hanging(Text("  "), literal(f"{head}{text}{tail}", "dim italic"))


def _tally_line(node_id: str, node: Ask, offered: list[Indicator], ids: list[str]) -> str:
    return tally_text(tally(node_id, node, offered, ids)).plain.strip()


def _group_heading(source: str, level: str) -> str:
    where = T["section_source"].format(source=source) if source[:1].isdigit() else source
    return f"{where}: {level}"
