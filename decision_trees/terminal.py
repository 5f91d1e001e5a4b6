"""Rich rendering for the terminal: the summary, the flow tree, lists. Data is never read as markup."""

from __future__ import annotations

import datetime as dt
from typing import IO

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from .clock import describe_day
from .formats import flow_provenance, route_mark
from .guidance import Tally
from .models import Action, Contact, Directory, Flow, Guidance, Outcome, Question
from .routes import Route
from .summary import ContactView, Summary, provenance
from .text import visible


def literal(text: str, style: str = "") -> Text:
    """Text shown exactly as written: no markup, and control characters made visible."""
    return Text(visible(text), style=style)


def console(file: IO[str] | None = None, *, width: int | None = None, colour: bool | None = None) -> Console:
    return Console(
        file=file,
        width=width,
        no_color=None if colour is None else not colour,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


def reach(phones: list[str], email: str | None, web: str | None) -> str:
    """Phones, email and web one to a line, so that a narrow table never splits a number."""
    return "\n".join([*phones, *(x for x in (email, web) if x)])


HOURS = {"office": "office hours", "out-of-hours": "out of hours only", "always": "any time"}


def _listing(title: str, rows: list[tuple[str, Text]]) -> Group:
    """A titled list whose items wrap under themselves, not under the marker."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1)
    for marker, text in rows:
        grid.add_row(marker, text)
    return Group(Text(""), literal(title, "bold"), grid)


def summary_renderable(summary: Summary) -> Group:
    out = summary.outcome
    parts: list[object] = []
    danger = Text.assemble(("! ", "bold red"), literal(summary.immediate_danger.text, "bold red"))
    parts.append(danger)
    headline = Text.assemble(
        literal(summary.flow.title, "bold"),
        "\n",
        (f"{out.ref}  ", "bold"),
        literal(out.title, "bold"),
        "\n",
        literal(f"“{out.text}”", "italic"),
    )
    when = "in office hours" if summary.office_hours else "outside office hours"
    headline.append(f"\nWalk ended at {summary.ended_text}, {when}.", style="dim")
    if summary.case_ref:
        headline.append("\nCase reference: ", style="dim")
        headline.append_text(literal(summary.case_ref))
    parts.append(Panel(headline, box=box.ROUNDED))
    if summary.closed_now:
        parts.append(_listing("Out of hours", [("!", literal(line, "bold")) for line in summary.closed_now]))
    if summary.deadlines:
        rows = []
        for deadline in summary.deadlines:
            text = Text.assemble(
                literal(deadline.task, "bold"), " by ", literal(deadline.due_text, "bold yellow"), "\n"
            )
            text.append_text(literal(f"Counted as {deadline.counting}.", "dim"))
            if deadline.before_due:
                text.append("\n")
                text.append_text(literal(deadline.before_due))
            rows.append(("!", text))
        parts.append(_listing("Deadlines", rows))

    parts.append(_listing("Actions", [("[x]" if a.noted else "[ ]", literal(a.text)) for a in summary.actions]))
    if summary.conditions:
        parts.append(_listing(summary.conditions.text, [("•", literal(i)) for i in summary.conditions.items]))
    if summary.contacts:
        parts.append(_listing("Contacts", _contact_rows(summary.contacts)))
    if summary.notes:
        parts.append(_listing("Notes", [("•", literal(n)) for n in summary.notes]))
    for tally in summary.indicators:
        rows = [("", tally_text(tally))]
        if tally.chosen:
            rows.append(("", Text.assemble("You chose ", literal(tally.chosen, "bold"), ".")))
        rows += [("☑", literal(f"[{i.level}] {i.text} ({i.source})")) for i in tally.ticked]
        parts.append(_listing(f"Indicators ticked at “{tally.question}”", rows))
    shown = {c.id for c in summary.contacts}
    advice = [("", literal(summary.advice.text)), *_contact_rows(summary.advice.contacts, shown)]
    parts.append(_listing("If you’re not sure", advice))
    route = [
        (f"{n}.", Text.assemble(literal(step.text), ("  → " if step.answer else "  ", "cyan"), literal(
            route_mark(step) if step.answer else f"({route_mark(step)})", "cyan")))
        for n, step in enumerate(summary.route, 1)
    ]  # fmt: skip
    parts.append(_listing("Route taken", route))
    parts.append(Text.assemble("\n", ("Read in the protocol: ", "bold"), literal(", ".join(summary.read))))
    parts.append(Text.assemble("\n", literal(summary.disclaimer, "bold")))
    parts.append(literal(flow_provenance(summary), "dim"))
    if summary.hours_basis:
        parts.append(literal(f"Opening hours: {summary.hours_basis}", "dim"))
    return Group(*parts)  # type: ignore[arg-type]


def _contact_rows(contacts: list[ContactView], shown: set[str] | None = None) -> list[tuple[str, Text]]:
    """Each contact: name and whether it is open, then each number or address on a line of its own,
    then where the details come from (unless already `shown` above)."""
    rows: list[tuple[str, Text]] = []
    for contact in contacts:
        if shown and contact.id in shown:
            rows.append(("☎", Text.assemble(literal(contact.name, "bold"), ": ", literal(", ".join(contact.phones)))))
            continue
        style = "green" if contact.open_now else ""
        head = Text.assemble(literal(contact.name, "bold"), " – ", literal(contact.availability, style))
        reach_lines = [*contact.phones, *(x for x in (contact.email, contact.web) if x)]
        lines = [head, *(literal(line) for line in reach_lines), literal(contact.provenance, "dim")]
        rows.append(("☎", Text("\n").join(lines)))
    return rows


def flow_tree(flow: Flow) -> Tree:
    """The whole flow as a tree; a node reached a second time is shown by reference, not again."""
    root = Tree(Text.assemble(literal(flow.title, "bold"), f"  ({flow.id} v{flow.version})"))
    shown: set[str] = set()

    def add(parent: Tree, node_id: str, label: Text | None) -> None:
        node = flow.nodes[node_id]
        line = Text()
        if label is not None:
            line.append_text(label)
        if node_id in shown:
            line.append(f"see [{node_id}] above", style="dim")
            parent.add(line)
            return
        shown.add(node_id)
        kind = {Question: "?", Action: "▸", Outcome: "■"}[type(node)]
        ref = f"{node.ref} " if isinstance(node, Outcome) else ""
        line.append(f"{kind} {ref}", style="bold")
        line.append_text(literal(node.text, "bold" if isinstance(node, Outcome) else ""))
        line.append(f"  [{node_id}]", style="dim")
        branch = parent.add(line)
        if isinstance(node, Question):
            for choice in node.choices:
                add(branch, choice.next, Text.assemble(literal(choice.label, "cyan"), " → "))
        elif isinstance(node, Action):
            add(branch, node.next, None)

    add(root, flow.start, None)
    return root


def flows_table(flows: list[Flow]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Flow", no_wrap=True)
    table.add_column("Title and audience", ratio=3)
    table.add_column("Source", ratio=2)
    for flow in flows:
        name = flow.aliases[0] if flow.aliases else flow.id
        table.add_row(
            literal(name, "bold"),
            Text.assemble(literal(flow.title, "bold"), "\n", literal(flow.audience, "dim")),
            literal(
                f"{flow.source.part}, published: {flow.source.published or 'not known'}. "
                f"Version {flow.version}, compared with the protocol text on {describe_day(flow.reviewed)}"
            ),
        )
    return table


def contacts_table(directory: Directory, today: dt.date) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Service", ratio=3)
    table.add_column("Phone / email / web", ratio=3, overflow="fold")
    table.add_column("Where it comes from", ratio=3)
    for contact_id, contact in directory.contacts.items():
        table.add_row(
            Text.assemble(
                literal(contact.name, "bold"),
                "\n",
                literal(f"{contact_id} · {HOURS[contact.hours]}{_assumed(contact, directory)}", "dim"),
            ),
            literal(reach(contact.phones, contact.email, contact.web)),
            literal(provenance(contact, directory, today), "dim"),
        )
    return table


def _assumed(contact: Contact, directory: Directory) -> str:
    assumed = contact.hours != "always" and contact.hours_source is None and directory.office_hours.assumed
    return " (assumed: the protocol publishes no hours)" if assumed else ""


def routes_table(flow: Flow, routes: list[Route]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, title=literal(f"{flow.title}: {len(routes)} routes"))
    table.add_column("#", justify="right")
    table.add_column("Answers (as --answers)", ratio=3)
    table.add_column("Outcome", ratio=3)
    for number, route in enumerate(routes, 1):
        table.add_row(
            str(number), literal(route.answers_option), Text.assemble((route.ref, "bold"), " ", literal(route.title))
        )
    return table


def guidance_table(guidance: Guidance) -> Table:
    """A guidance table as the protocol prints it: a row per heading, a column per level or kind."""
    table = Table(
        title=literal(f"{guidance.title} (section {guidance.section})"),
        box=box.SIMPLE_HEAD,
        expand=True,
        show_lines=True,
        caption=literal(guidance.intro) if guidance.intro else None,
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
    counts = " · ".join(f"{label} {count}" for label, count in tally.counts.items())
    text = Text.assemble(("  Indicators ticked: ", "bold"), literal(counts))
    if tally.points_to:
        text.append(" → they point to ")
        text.append(literal(tally.points_to, "bold"))
        text.append(" (the highest level ticked; the decision is yours)", style="dim")
    return text


def guidance_plain(guidance: Guidance) -> str:
    """A guidance table as lines, for a screen reader: each row and column named, then its items."""
    lines = [f"{guidance.title} (section {guidance.section})."]
    if guidance.intro:
        lines.append(guidance.intro)
    for row in guidance.rows:
        for column, items in zip(guidance.columns, row.cells, strict=False):
            heading = f"{row.heading}, {column.heading}" if row.heading else column.heading
            lines.append(f"{heading}:")
            lines += [f"  - {item}" for item in items]
    return "\n".join(lines)
