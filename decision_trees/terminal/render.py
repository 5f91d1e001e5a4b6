"""Rich rendering for the terminal: the summary, the flow tree, lists. Data is never read as markup."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from decision_trees.core.card import BOX, MARKER_WIDTH, PHONE, card_rows, emphasis
from decision_trees.core.clock import describe_day
from decision_trees.core.contract import ContactView, Summary
from decision_trees.core.decision import hours_assumed
from decision_trees.core.guidance import Tally
from decision_trees.core.models import Contact, Directory, Flow, Guidance, GuidanceBook
from decision_trees.core.phrasebook import (
    HEADINGS,
    SECTIONS,
    action_text,
    contacts_files_sentence,
    counted_sentence,
    ended_sentence,
    indicators_heading,
    pieces,
    route_mark,
    sentence,
    tally_pieces,
)
from decision_trees.core.routing import Route
from decision_trees.core.summary import (
    corroboration_sentence,
    flow_provenance_text,
    hours_said_by,
    opening_words,
    provenance,
    section_words,
)
from decision_trees.core.text import count_words, visible
from decision_trees.output.consoles import MAX_COLUMNS, plain
from decision_trees.output.formats import flow_provenance
from decision_trees.words import TERMINAL as T


def literal(text: str, style: str = "") -> Text:
    """Text shown exactly as written: no markup, and control characters made visible."""
    return Text(visible(text), style=style)


MIN_WIDTH = 30  # a narrower console (COLUMNS=0, 1, 10) is laid out as at 30 columns, and the terminal wraps it


def console(
    file: IO[str] | None = None, *, width: int | None = None, colour: bool | None = None, stderr: bool = False
) -> Console:
    import os

    # No colour wanted (--plain, for a screen reader, or NO_COLOR): no escape codes at all. rich's
    # no_color drops colours but still writes dim, italic and bold.
    bare = colour is False or (colour is None and bool(os.environ.get("NO_COLOR")))
    made = Console(
        file=file,
        stderr=stderr,
        width=width,
        no_color=None if colour is None else not colour,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        color_system=None if bare else "auto",
    )
    if not MIN_WIDTH <= made.width <= MAX_COLUMNS:  # rich takes $COLUMNS as it is, however wide
        made.width = min(max(made.width, MIN_WIDTH), MAX_COLUMNS)
    return made


_TRAILING = r" +((?:\x1b\[[0-9;]*m)*)$"  # spaces at a line's end, before any closing colour codes


class _Buffer(io.StringIO):
    """A string buffer that reports the encoding of the console it stands in for, so that rich
    chooses ASCII lines and boxes for a legacy code page as it would for that console."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def render(renderable: object, out: Console | None = None) -> str:
    """What the console would print, with no padding at the ends of lines (a file or a pipe gets
    none). Rendered into a buffer, so that nothing reaches the console's file until it is written."""
    out = out or console()
    shadow = Console(
        file=_Buffer(out.encoding),
        width=out.width,
        color_system=out.color_system,  # type: ignore[arg-type]
        force_terminal=out.is_terminal,
        no_color=out.no_color,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    shadow.print(renderable)
    text = shadow.file.getvalue()  # type: ignore[attr-defined]
    return re.sub(_TRAILING, r"\1", text, flags=re.MULTILINE)


def show(renderable: object, out: Console | None = None) -> None:
    """Print to the console with no padding at the ends of lines."""
    out = out or console()
    out.file.write(render(renderable, out))
    out.file.flush()


def _units(plain: str, keep: Sequence[str]) -> list[tuple[int, int]]:
    """The spans a line may break between: words, with a phone number or a `keep` phrase as one."""
    pattern = "|".join([*(re.escape(k) for k in sorted(keep, key=len, reverse=True) if k), PHONE])  # never split
    whole = [m.span() for m in re.finditer(pattern, plain)]  # in order, not overlapping
    units: list[tuple[int, int]] = []
    next_whole = 0  # words and spans both run left to right: one pass over each, not one per word
    tail = re.compile(r"\S*")
    for word in re.finditer(r"\S+", plain):
        start, end = word.span()
        if units and start < units[-1][1]:
            continue  # inside a protected span already taken
        while next_whole < len(whole) and whole[next_whole][1] <= start:
            next_whole += 1
        if next_whole < len(whole) and whole[next_whole][0] <= start:
            high = whole[next_whole][1]
            found = tail.match(plain, high)
            end = found.end() if found else high
        units.append((start, end))
    return units


def break_offsets(plain: str, width: int, keep: Sequence[str] = ()) -> list[int]:
    """Where to break `plain` to fit `width` cells: between words, never inside a kept span. A
    single word wider than the line (a long web address) breaks after a "/", "-", "." or "?", so
    that it never leaves a lone "/" on a line of its own."""
    offsets: list[int] = []
    line_start = 0
    for start, end in _units(plain, keep):
        if start > line_start and cell_len(plain[line_start:end]) > width:
            offsets.append(start)
            line_start = start
        while cell_len(plain[line_start:end]) > width:
            cut = _inner_break(plain, line_start, end, width)
            if cut is None:
                break
            offsets.append(cut)
            line_start = cut
    return offsets


def _inner_break(plain: str, start: int, end: int, width: int) -> int | None:
    """The last place inside plain[start:end] to break a long word within `width` cells, leaving
    more than one character on the line after it; None if there is none."""
    best = None
    for at in range(start + 1, end - 1):
        if cell_len(plain[start:at]) > width:
            break
        if plain[at - 1] in "/-.?&" and end - at > 1:
            best = at
    return best


def for_console(text: Text, encoding: str) -> Text:
    """`text` with what `encoding` cannot hold in plain characters (☎ as Tel, → as ->), styles kept,
    so that lines are measured as they will print."""
    if encoding.lower().replace("-", "").startswith("utf"):
        return text
    plain_text = text.plain
    try:
        plain_text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass

    pieces, where = [], [0]
    for char in plain_text:
        try:
            char.encode(encoding)
            piece = char
        except (UnicodeEncodeError, LookupError):
            piece = plain(char)
        pieces.append(piece)
        where.append(where[-1] + len(piece))
    changed = Text("".join(pieces), style=text.style, end=text.end)
    for span in text.spans:
        changed.stylize(span.style, where[span.start], where[span.end])
    return changed


class Wrapped:
    """Text wrapped at spaces, never inside a phone number or a `keep` phrase (an email, a web
    address, a case reference and a replay string have no spaces, so they stay whole anyway). Only a
    single word wider than the line is folded."""

    def __init__(self, text: Text, keep: Sequence[str] = ()) -> None:
        self.text = text
        self.keep = list(keep)

    def __rich_console__(self, con: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        for paragraph in for_console(self.text, options.encoding).split("\n"):
            for line in paragraph.divide(break_offsets(paragraph.plain, width, self.keep)):
                line.rstrip()
                line.no_wrap, line.overflow, line.end = True, "fold", "\n"
                if cell_len(line.plain) > width:
                    line.no_wrap = False  # a single word wider than the line: fold it
                yield line

    def __rich_measure__(self, con: Console, options: ConsoleOptions) -> Measurement:
        plain = for_console(self.text, options.encoding).plain
        widest = max((cell_len(plain[a:b]) for a, b in _units(plain, self.keep)), default=0)
        longest = max((cell_len(line) for line in plain.split("\n")), default=0)
        return Measurement(min(widest, options.max_width), min(longest, options.max_width))


class Hanging:
    """`marker` then `body`, the body's later lines indented to sit under its first, not under the
    marker: "  Chart: “…”" and "  ✓ question  answer" read as one item at any width. Lines made by
    `Wrapped`, so never padded at the end (a table's cells would be, in a file or a pipe)."""

    def __init__(self, marker: Text, body: Text) -> None:
        self.marker, self.body = marker, body

    def __rich_console__(self, con: Console, options: ConsoleOptions) -> RenderResult:
        indent = cell_len(self.marker.plain)
        if options.max_width - indent < NARROW // 2:  # too narrow to indent: one wrapped paragraph
            yield Wrapped(Text.assemble(self.marker, self.body))
            return
        lines = Wrapped(self.body).__rich_console__(con, options.update_width(options.max_width - indent))
        for index, line in enumerate(lines):
            assert isinstance(line, Text)
            out = Text.assemble(self.marker if index == 0 else " " * indent, line, end="\n")
            out.no_wrap, out.overflow = line.no_wrap, "fold"
            yield out


def reach(phones: list[str], email: str | None, web: str | None) -> str:
    """Phones, email and web one to a line, so that a narrow table never splits a number."""
    return "\n".join([*phones, *(x for x in (email, web) if x)])


NARROW = 40  # below this many columns, lists drop their hanging indent to keep room for numbers


class Listing:
    """A titled list whose items wrap under themselves, not under the marker; in a narrow window
    the marker starts the item's first line and nothing is indented."""

    def __init__(self, title: str, rows: list[tuple[str, Text]]) -> None:
        self.title = title
        self.rows = rows

    def __rich_console__(self, con: Console, options: ConsoleOptions) -> RenderResult:
        yield Text("")
        yield Wrapped(literal(self.title, "bold"))
        rows = [(for_console(Text(marker), options.encoding).plain, text) for marker, text in self.rows]
        if options.max_width < NARROW:
            for marker, text in rows:
                yield Wrapped(Text.assemble(f"{marker} " if marker else "", text))
            return
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=max([3, *(cell_len(m) for m, _ in rows)]), justify="right")
        grid.add_column(ratio=1)
        for marker, text in rows:
            grid.add_row(Text(marker), Wrapped(text))  # a Text: "[x]" as a str would be read as markup
        yield grid


def _listing(title: str, rows: list[tuple[str, Text]]) -> Listing:
    return Listing(title, rows)


class CardView:
    """The action card: a marker column ("Now", "By", "Then", "Phone") and its words, wrapped under
    themselves (an item to tick, under its words, not its box); phone numbers and times in bold,
    only 999 in red. Below NARROW columns nothing is indented."""

    def __init__(self, summary: Summary) -> None:
        self.dues = [d.due_text for d in summary.deadlines]
        self.rows = card_rows(summary.card, self.dues)

    def __rich_console__(self, con: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        indent = MARKER_WIDTH if width >= NARROW else 0
        for number, (marker, words) in enumerate(self.rows):
            style = "bold red" if number == 0 else "bold" if marker == "!" or number == 1 else ""
            body = self._emphasised(words, style)
            if not indent:
                yield Wrapped(Text.assemble((f"{marker} " if marker else "", "bold"), body), keep=self.dues)
                continue
            box_width = len(BOX) if words.startswith(BOX) else 0
            lines = Wrapped(body[box_width:], keep=self.dues).__rich_console__(
                con, options.update_width(max(1, width - indent - box_width))
            )
            for index, line in enumerate(lines):
                assert isinstance(line, Text)
                lead = Text(f"{marker:<{indent}}", style="bold") if index == 0 else Text(" " * indent)
                box_part = BOX if index == 0 else " " * box_width
                out = Text.assemble(lead, box_part[:box_width], line, end="\n")
                out.no_wrap, out.overflow = line.no_wrap, "fold"
                yield out

    def _emphasised(self, words: str, style: str) -> Text:
        """The row's words with its phone numbers and deadlines' times in bold."""
        text = literal(words, style)
        for start, end in emphasis(words, self.dues):
            text.stylize("bold", start, end)
        return text


def summary_renderable(summary: Summary, *, details: bool = True, more: str = "") -> Group:
    """The summary for the terminal: the action card, then (with `details`) the outcome's box and
    its sections in the one order (SECTIONS), then the footer; else one line on how to see them."""
    out = summary.outcome
    parts: list[object] = [CardView(summary)]
    if not details:
        parts += [Text(""), Wrapped(literal(more or T["details_line"]))]
        return Group(*parts)  # type: ignore[arg-type]
    parts.append(Text(""))
    parts.append(Wrapped(literal(sentence("details_heading"), "bold")))
    parts.append(Wrapped(Text.assemble(literal(summary.flow.title), " – ", literal(out.ref))))
    parts.append(Wrapped(literal(f"“{out.text}”" if out.verbatim else out.text, "italic")))
    parts.append(Wrapped(Text(ended_sentence(summary), style="dim")))
    if summary.case_ref:
        parts.append(Wrapped(styled(pieces("case_ref", ref=summary.case_ref), "dim", "")))
    for key in SECTIONS:
        parts += _SECTION_DRAWERS[key](summary)
    parts.append(Text(""))
    parts.append(Wrapped(literal(summary.disclaimer, "bold")))
    parts.append(Wrapped(literal(flow_provenance(summary), "dim")))
    if summary.hours_basis:
        parts.append(Wrapped(literal(sentence("hours_basis", basis=summary.hours_basis), "dim")))
    if summary.contacts_files:
        parts.append(Wrapped(literal(contacts_files_sentence(summary), "dim")))
    return Group(*parts)  # type: ignore[arg-type]


def _closed_now(summary: Summary) -> list[object]:
    if not summary.closed_now:
        return []
    return [_listing(HEADINGS["closed_now"], [("!", literal(line, "bold")) for line in summary.closed_now])]


def _deadlines(summary: Summary) -> list[object]:
    rows = []
    for deadline in summary.deadlines:
        # Bold, never yellow: it must read on a white terminal as on a black one.
        text = styled(pieces("deadline", task=deadline.task, due=deadline.due_text), "", "bold", due="bold")
        text.append("\n")
        text.append_text(literal(counted_sentence(deadline), "dim"))
        for line in (deadline.late, deadline.before_due):
            if line:
                text.append("\n")
                text.append_text(literal(line, "bold red" if line is deadline.late else ""))
        rows.append(("!", text))
    return [_listing(HEADINGS["deadlines"], rows)] if rows else []


def _actions(summary: Summary) -> list[object]:
    return [_listing(HEADINGS["actions"], [("[ ]", literal(action_text(a))) for a in summary.actions])]


def _conditions(summary: Summary) -> list[object]:
    if not summary.conditions:
        return []
    return [_listing(summary.conditions.text, [("•", literal(i)) for i in summary.conditions.items])]


def _contacts(summary: Summary) -> list[object]:
    return [_listing(HEADINGS["contacts"], _contact_rows(summary.contacts))] if summary.contacts else []


def _notes(summary: Summary) -> list[object]:
    return [_listing(HEADINGS["notes"], [("•", literal(n.text)) for n in summary.notes])] if summary.notes else []


def _indicators(summary: Summary) -> list[object]:
    parts: list[object] = []
    for tally in summary.indicators:
        rows = [("", tally_text(tally))]
        if tally.chosen:
            rows.append(("", styled(pieces("chosen", level=tally.chosen), "", "bold")))
        rows += [("☑", literal(f"[{i.level}] {i.text} ({i.source})")) for i in tally.ticked]
        parts.append(_listing(indicators_heading(tally), rows))
    return parts


def _advice(summary: Summary) -> list[object]:
    shown = {c.id for c in summary.contacts}
    advice = [("", literal(summary.advice.text)), *_contact_rows(summary.advice.contacts, shown)]
    return [_listing(HEADINGS["advice"], advice)]


def _route(summary: Summary) -> list[object]:
    route = [
        (f"{n}.", Text.assemble(literal(step.text), ("  → " if step.answer else "  ", "cyan"), literal(
            route_mark(step) if step.answer else f"({route_mark(step)})", "cyan")))
        for n, step in enumerate(summary.route, 1)
    ]  # fmt: skip
    return [_listing(HEADINGS["route"], route)]


def _read(summary: Summary) -> list[object]:
    heading = HEADINGS["read"]
    return [Text(""), Wrapped(Text.assemble((f"{heading}: ", "bold"), literal(", ".join(summary.read))))]


_SECTION_DRAWERS = {
    "closed_now": _closed_now,
    "deadlines": _deadlines,
    "actions": _actions,
    "conditions": _conditions,
    "contacts": _contacts,
    "notes": _notes,
    "indicators": _indicators,
    "advice": _advice,
    "route": _route,
    "read": _read,
}


def _contact_rows(contacts: list[ContactView], shown: set[str] | None = None) -> list[tuple[str, Text]]:
    """Each contact: name and whether it is open, then each number or address on a line of its own,
    then where the details come from (unless already `shown` above)."""
    rows: list[tuple[str, Text]] = []
    for contact in contacts:
        # The number is the boldest thing on the line; whether it was checked is never dim.
        if shown and contact.id in shown:
            rows.append(("☎", Text.assemble(literal(contact.name), ": ", literal(", ".join(contact.phones), "bold"))))
            continue
        head = Text.assemble(literal(contact.name, "underline"), " – ", literal(contact.availability))
        reach_lines = [
            *(literal(p, "bold") for p in contact.phones),
            *(literal(x) for x in (contact.email, contact.web) if x),
        ]
        note = [literal(contact.note)] if contact.note else []  # what the contacts file says of using it
        lines = [head, *reach_lines, *note, literal(contact.provenance)]
        lines += [literal(line) for line in contact.corroboration]
        if contact.corroboration_above:
            lines.append(literal(sentence("corroboration_above", count=str(contact.corroboration_above))))
        rows.append(("☎", Text("\n").join(lines)))
    return rows


TREE_DEPTH = 12  # deeper branches continue from the top, so that a long chain stays on the screen
TREE_MARKS = {"decision": "? ", "box": "▸ ", "end": "■ "}  # by the shape a kind is drawn as


def flow_tree(flow: Flow) -> Tree:
    """The whole flow as a tree; a node reached a second time is shown by reference, not again. Built
    without recursion, and never deeper than TREE_DEPTH: a longer branch goes on as a branch of its own."""
    root = Tree(Text.assemble(literal(flow.title, "bold"), T["flow_version"].format(id=flow.id, version=flow.version)))
    shown: set[str] = set()
    pending: list[tuple[Tree, str, Text | None, int]] = [(root, flow.start, None, 0)]
    while pending:
        parent, node_id, label, depth = pending.pop()
        node = flow.nodes[node_id]
        line = Text()
        if label is not None:
            line.append_text(label)
        if node_id in shown:
            line.append(T["see_above"].format(node_id=node_id), style="dim")
            parent.add(Wrapped(line))
            continue
        end = node.end()
        if depth >= TREE_DEPTH and end is None:  # a branch of its own, below
            line.append(T["continued_at_below"].format(node_id=node_id), style="dim")
            parent.add(Wrapped(line))
            pending.insert(0, (root, node_id, Text("… "), 1))
            continue
        shown.add(node_id)
        if end is not None:
            line.append(f"■ {end.ref} ", style="bold")
            line.append_text(literal(end.text, "bold"))
        else:
            line.append(TREE_MARKS[node.shape], style="bold")
            line.append_text(literal(node.text))
        line.append(f"  [{node_id}]", style="dim")
        branch = parent.add(Wrapped(line))
        for way in reversed(node.exits()):  # a stack: the first choice is shown first
            label = Text.assemble(literal(way.label, "cyan"), " → ") if way.label is not None else None
            pending.append((branch, way.next, label, depth + 1))
    return root


def flows_table(flows: list[Flow]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column(T["flow_heading"], no_wrap=True)
    table.add_column(T["title_audience"], ratio=3)
    table.add_column(T["source_heading"], ratio=2)
    for flow in flows:
        name = flow.aliases[0] if flow.aliases else flow.id
        table.add_row(
            literal(name, "bold"),
            Text.assemble(literal(flow.title, "bold"), "\n", literal(flow.audience, "dim")),
            literal(
                T["published_version_compared_with_protocol"].format(
                    part=flow.source.part,
                    published=flow.source.published or T["not_known"],
                    version=flow.version,
                    reviewed=describe_day(flow.reviewed),
                )
            ),
        )
    return table


def contacts_table(directory: Directory, today: dt.date, origins: dict[str, str] | None = None) -> Listing:
    """Every contact: name, id and hours, each number or address on a line of its own, and where it
    comes from. A list, not a table, so that no column is ever too narrow for an address."""
    rows: list[tuple[str, Text]] = []
    for contact_id, contact in directory.contacts.items():
        lines = [
            literal(contact.name, "bold"),
            literal(f"{contact_id} · {_hours(contact, directory)}", "dim"),
            *(literal(line) for line in reach(contact.numbers, contact.email, contact.web).splitlines()),
            literal(provenance(contact, directory, today), "dim"),
            *(literal(corroboration_sentence(c)) for c in contact.corroboration),
        ]
        if origins and origins.get(contact_id):
            lines.append(literal(T["from_origins"].format(origins=origins[contact_id]), "dim"))
        rows.append(("☎", Text("\n").join(lines)))
    return Listing(HEADINGS["contacts"], rows)


def _hours(contact: Contact, directory: Directory) -> str:
    """A contact's hours as the contacts file gives them, and on what they rest: where they are
    published, or what the assumption is (said in the contact's own file's words)."""
    said = opening_words(contact.opening) if contact.opening else T[f"hours_{contact.hours}"]
    source = hours_said_by(contact, directory)
    return f"{said} ({source})" if source and (contact.opening or hours_assumed(contact, directory)) else said


def routes_table(flow: Flow, routes: list[Route], total: int | None = None) -> Group:
    """Every route: its outcome, then the `--answers` that replay it, kept whole on a line."""
    rows = [
        (
            f"{number}.",
            Text.assemble(
                (route.ref, "bold"),
                " ",
                literal(route.title),
                "\n",
                "--answers ",
                literal(_quoted(route), "cyan"),
            ),
        )
        for number, route in enumerate(routes, 1)
    ]
    count = len(routes) if total is None else total
    shown = T["routes_count"].format(count=count_words(count)) + (
        T["first_shown"].format(routes_count=len(routes)) if count > len(routes) else ""
    )
    listing = Listing(f"{flow.title}: {shown}", [])
    # Each row keeps its own replay string whole: given every row's, the work grew with --limit squared.
    return Group(
        listing, *(_Keep(marker, text, [_quoted(route)]) for (marker, text), route in zip(rows, routes, strict=True))
    )


def _quoted(route: Route) -> str:
    """The replay string as a shell takes it: quoted when a label has a space."""
    return f'"{route.answers_option}"' if " " in route.answers_option else route.answers_option


class _Keep:
    """One numbered row whose `keep` phrases never break (a narrow window: no hanging indent)."""

    def __init__(self, marker: str, text: Text, keep: list[str]) -> None:
        self.marker, self.text, self.keep = marker, text, keep

    def __rich_console__(self, con: Console, options: ConsoleOptions) -> RenderResult:
        if any(cell_len(phrase) > options.max_width for phrase in self.keep):
            # Wider than the window, it cannot be kept on one line: folded at the width, as a terminal
            # folds it, and not laid out (a 20,000-answer replay took rich minutes to wrap).
            width = max(options.max_width, 1)
            for line in f"{self.marker} {self.text.plain}".split("\n"):
                for start in range(0, max(len(line), 1), width):
                    yield Segment(line[start : start + width])
                    yield Segment.line()
            return
        if options.max_width < NARROW:
            yield Wrapped(Text.assemble(f"{self.marker} ", self.text), self.keep)
            return
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=3, justify="right")
        grid.add_column(ratio=1)
        grid.add_row(self.marker, Wrapped(self.text, self.keep))
        yield grid


COLUMN_CELLS = 20  # a guidance table's column narrower than this splits its words: a list instead


class GuidanceView:
    """A guidance section: a table where each column has room for its words, else a list (each row
    and column named, then its items), so that no word is cut at a narrow window."""

    def __init__(self, guidance: Guidance, contacts: Sequence[str] = ()) -> None:
        self.guidance, self.contacts = guidance, contacts

    def __rich_console__(self, con: Console, options: ConsoleOptions) -> RenderResult:
        columns = len(self.guidance.columns) + (1 if any(r.heading for r in self.guidance.rows) else 0)
        if options.max_width >= COLUMN_CELLS * columns:
            yield guidance_table(self.guidance, self.contacts)
            return
        for line in guidance_plain(self.guidance, self.contacts).split("\n"):
            yield Hanging(Text("  " if line.startswith("  - ") else ""), literal(line.removeprefix("  ")))


def guidance_table(guidance: Guidance, contacts: Sequence[str] = ()) -> Table:
    """A guidance table as the protocol prints it: a row per heading, a column per level or kind,
    then the contacts the section prints (`summary.guidance_contacts`)."""
    caption = "\n".join([*([guidance.intro] if guidance.intro else []), *contacts])
    table = Table(
        title=literal(f"{guidance.title} ({section_words(guidance.section)})"),
        box=box.SIMPLE_HEAD,
        expand=True,
        show_lines=True,
        caption=literal(caption) if caption else None,
    )
    headed = any(row.heading for row in guidance.rows)
    if headed:
        table.add_column("", style="bold")
    for column in guidance.columns:
        table.add_column(literal(column.heading), ratio=1)
    for row in guidance.rows:
        cells = [Text("\n").join(literal(f"• {item}") for item in items) for items in row.cells]
        table.add_row(*([literal(row.heading or "")] if headed else []), *cells)
    return table


def tally_text(tally: Tally) -> Text:
    """`Indicators ticked: Low 2 · Medium 1 · High 0 → they point to Low level need`."""
    return Text("  ").append_text(styled(tally_pieces(tally), "", "", level="bold"))


def styled(found: list[tuple[str, str | None]], words: str, values: str, **fields: str) -> Text:
    """A sentence's pieces as Text: its words in one style, its values in another (or their own)."""
    return Text.assemble(*(literal(text, fields.get(field, values) if field else words) for text, field in found))


def guidance_plain(guidance: Guidance, contacts: Sequence[str] = ()) -> str:
    """A guidance table as lines, for a screen reader: each row and column named, then its items,
    then the contacts the section prints."""
    lines = [f"{guidance.title} ({section_words(guidance.section)})."]
    if guidance.intro:
        lines.append(guidance.intro)
    for row in guidance.rows:
        for column, items in zip(guidance.columns, row.cells, strict=False):
            heading = f"{row.heading}, {column.heading}" if row.heading else column.heading
            lines.append(f"{heading}:")
            lines += [f"  - {item}" for item in items]
    return "\n".join([*lines, *contacts])


def flow_page(flow: Flow) -> Group:
    """`show`: the flow as a tree, its description (the reading's open questions), and its provenance."""

    return Group(
        flow_tree(flow), Wrapped(literal(flow.description, "dim")), Wrapped(literal(flow_provenance_text(flow)))
    )


def guidance_list(book: GuidanceBook) -> Group:
    return Group(
        *(literal(f"{key:<12} {table.title} ({section_words(table.section)})") for key, table in book.guidance.items())
    )


def with_progress(lines: Iterable[bytes], total: int | None) -> Iterator[bytes]:
    """The lines, while a bar on stderr (stdout carries the results) shows how much is done."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn(T["walking_cases"]),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("cases", total=total)
        for line in lines:
            progress.update(task, advance=len(line))
            yield line


def summary_text(summary: Summary, *, to_file: bool, details: bool = True, notes: Path | None = None) -> str:
    """The summary in the terminal's form (80 columns and no colour, in a file, details always);
    `notes`, the Markdown summary saved for the case notes, which holds the details."""
    if to_file:
        return render(summary_renderable(summary), console(io.StringIO(), width=80, colour=False))
    more = T["details_sources"].format(path=notes.resolve()) if notes else T["details_line"]
    return render(summary_renderable(summary, details=details, more=more))
