"""A flow as one self-contained HTML walk-through for trainers: the questions as buttons, the chart's
verbatim text, guidance and the indicator checklist, and at an end the same summary as the command
line for the viewer's clock, looked up in each outcome's decision as the core made it at export
(the page's script has no rule of its own: it finds the piece of time that holds the instant and
formats times in UK time). No external scripts, styles, fonts or requests; every text from the data
is set as text, never as markup.

The page's script and styles are generic (`walkthrough.html`, beside this module); everything about
the flow comes in as JSON data, built here."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import msgspec

from decision_trees.core.answers import Feed, trace
from decision_trees.core.card import CARD_WORDS, PHONE
from decision_trees.core.clock import clock_time, describe, describe_day
from decision_trees.core.engine import edges, ends
from decision_trees.core.guidance import indicators_for, tally
from decision_trees.core.kinds.base import Ask, Ticked, answer_text
from decision_trees.core.models import Flow, GuidanceBook, Node
from decision_trees.core.phrasebook import HEADINGS, SECTIONS, WORDS, disclaimer, sentence
from decision_trees.core.practice import feedback, score, stale
from decision_trees.core.routing import Route, all_routes
from decision_trees.core.summary import box_source, flow_provenance_text, guidance_contacts, section_words
from decision_trees.core.timeline import CLOSES, CLOSES_AT, OPENS, OPENS_AT, outcome_timeline
from decision_trees.data.library import Library
from decision_trees.data.loading import flow_vignettes
from decision_trees.output.diagram import to_dot
from decision_trees.output.reports import case_name, practice_text
from decision_trees.words import PAGE

TEMPLATE = Path(__file__).with_name("walkthrough.html")
# Graphviz as WebAssembly (vendor/README.md): the page lays the chart out with a real engine, offline.
LAYOUT_ENGINE = Path(__file__).with_name("vendor") / "viz-global.js"
ROUTES_SHOWN = 200  # the routes view lists every route of a chart; a generated flow's millions, no


# The page's own sentences, which name the command line (the summary's words never do).
PAGE_WORDS = PAGE


def to_html(flow: Flow, library: Library, today: Any, until: Any = None) -> str:
    """The walk-through page of `flow`, as one HTML document, holding each outcome's decision from
    the start of `today` to `until` (two years on by default)."""
    data = page_data(flow, library, today, until)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Inside <script type="application/json">, nothing may close the element or open a comment.
    safe = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return fill_template(
        TEMPLATE.read_text(encoding="utf-8"),
        {
            "TITLE": escape(f"{flow.source.part}: {flow.title}"),
            "LAYOUT": LAYOUT_ENGINE.read_text(encoding="utf-8"),  # checked to hold no "</script" (test_html.py)
            "DATA": safe,
        },
    )


def fill_template(page: str, values: dict[str, str]) -> str:
    """Each {{NAME}} of the template replaced in one pass, so that a value holding "{{DIAGRAM}}" (a
    flow's title) is never filled in turn. Every value comes escaped for where it goes."""
    import re

    return re.sub(r"\{\{([A-Z]+)\}\}", lambda found: values[found[1]], page)


def decisions(flow: Flow, library: Library, start: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    """Each outcome's decision from `start` to `until`, as the core makes it (core/timeline.py): the
    page looks an instant up and decides nothing."""

    facts: list[dict[str, Any]] = []
    known: dict[str, int] = {}
    timelines = {
        node_id: outcome_timeline(
            flow, node_id, library.directory, library.calendar(), start, until, facts, known, library.contacts_files
        )
        for node_id in ends(flow)
    }
    return {
        "facts": facts,
        "timelines": msgspec.to_builtins(timelines),
        "tokens": {"opens": OPENS, "closes": CLOSES, "opens_at": OPENS_AT, "closes_at": CLOSES_AT},
        "from_text": describe(start.astimezone(library.calendar().tz)),
        "until_text": describe(until.astimezone(library.calendar().tz)),
        # The same two instants as the clock input writes them, for the page to compare a chosen time with.
        "from_wall": start.astimezone(library.calendar().tz).strftime("%Y-%m-%dT%H:%M"),
        "until_wall": until.astimezone(library.calendar().tz).strftime("%Y-%m-%dT%H:%M"),
    }


CLOCK_MARGIN = dt.timedelta(days=10)  # days either side of the page's window whose words it holds


def clock_table(tz: dt.tzinfo, start: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    """UK time as the core words it, for every day and minute the page may show, so that the page
    formats no time itself: each day's date and words, each minute's words and clock face, and each
    stretch of one UTC offset (from a minute since the epoch, UTC: the offset in minutes, the zone's
    abbreviation and the offset as ISO 8601 writes it). The page only looks these up."""
    first = (start - CLOCK_MARGIN).astimezone(tz).date()
    last = (until + CLOCK_MARGIN).astimezone(tz).date()
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    zones: list[list[Any]] = []
    for day in days:
        at = dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
        for hour in range(25):  # each hour of the day: the clocks change on the hour
            moment = (at + dt.timedelta(hours=hour)).astimezone(tz)
            offset = moment.utcoffset() or dt.timedelta(0)
            minutes = int(offset.total_seconds() // 60)
            if not zones or zones[-1][1] != minutes:
                iso = moment.isoformat(timespec="minutes")[-6:]
                zones.append([int(moment.timestamp() // 60), minutes, moment.tzname(), iso])
    clock = [dt.time(m // 60, m % 60) for m in range(24 * 60)]
    return {
        "first_day": (first - dt.date(1970, 1, 1)).days,
        "days": [[day.isoformat(), describe_day(day)] for day in days],
        "minutes": [clock_time(t) for t in clock],
        "faces": [t.strftime("%H:%M") for t in clock],
        "zones": zones,
    }


def page_data(flow: Flow, library: Library, today: Any, until: Any = None) -> dict[str, Any]:
    directory = library.directory
    tz = library.calendar().tz
    start = dt.datetime.combine(today, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime.combine(until or today + dt.timedelta(days=731), dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    book = library.guidance
    routes = all_routes(flow, ROUTES_SHOWN)  # for the routes view and the practice table
    nodes = {node_id: node_table(node_id, node, book, flow.verbatim(node_id)) for node_id, node in flow.nodes.items()}
    return {
        "flow": {
            "id": flow.id,
            "title": flow.title,
            "part": flow.source.part,
            "start": flow.start,
            "provenance": flow_provenance_text(flow),
            "description": flow.description,
            "open_questions": list(flow.open_questions),
        },
        "nodes": nodes,
        "edges": [[source, target] for source, target, _ in edges(flow)],
        "routes": [
            {"nodes": route.nodes, "answers": route.answers, "end": route.end, "ref": route.ref, "title": route.title}
            for route in routes
        ],
        "practice": practice_data(flow, library, routes),
        "dot": to_dot(flow, ids=True),  # what `export --format dot` writes, laid out on the page by Graphviz
        "danger": {
            "text": directory.immediate_danger.text,
            "phones": directory.contacts[directory.immediate_danger.contact].phones,
        },
        "clock": clock_table(tz, start, end),  # UK time in the core's words, looked up
        "guidance": {
            g: {
                **msgspec.to_builtins(book.guidance[g]),
                "section_words": section_words(book.guidance[g].section),
                "contact_lines": guidance_contacts(book.guidance[g], directory, today),
            }
            for n in nodes.values()
            for g in n.get("guidance", [])
        },
        "disclaimer": disclaimer(),
        "sections": [[key, HEADINGS.get(key)] for key in SECTIONS],  # the one order, and the headings
        "words": {**WORDS, **PAGE_WORDS},  # the summary's own sentences, as templates, and the page's
        "card_words": CARD_WORDS,  # the action card's
        "phone_pattern": PHONE,  # phone numbers, drawn in bold
        "decisions": decisions(flow, library, start, end),
    }


def practice_data(flow: Flow, library: Library, routes: list[Route]) -> dict[str, Any]:
    """The flow's vignettes, and the core's feedback for each vignette on every route a trainee can
    take (route: node ids joined by ">"), worked out here so that the page only looks it up. The
    feedback's words are the terminal's (`reports.practice_text`), line by line, without the score."""

    written = flow_vignettes(library.root, library.find, flow)
    vignettes = [v for v in written if stale(flow, v, library.guidance) is None]
    if not vignettes or len(routes) >= ROUTES_SHOWN:
        return {"vignettes": [], "feedback": {}}
    walks = {">".join(route.nodes): trace(flow, Feed(route.answers)) for route in routes}
    table: dict[str, dict[str, Any]] = {}
    for vignette in vignettes:
        table[vignette.id] = {}
        for key, walk in walks.items():
            found = feedback(flow, library.guidance, vignette, walk)
            lines = practice_text([found], score([found]), commands=False).splitlines()
            kept = lines[: next(n for n, line in enumerate(lines) if line.startswith("Score: "))]
            table[vignette.id][key] = {"correct": found.correct, "lines": kept}
    # Neutral names until a case is answered; its title (which can name the answer) comes with the feedback.
    listed = [{"id": v.id, "name": case_name(n, v, answered=False), "text": v.text} for n, v in enumerate(vignettes, 1)]
    return {"vignettes": listed, "feedback": table}


def _tallies(node_id: str, question: Ask, book: GuidanceBook) -> dict[str, Any]:
    """Which level ticked indicators point to, worked out by the core for every set of levels that
    can be ticked (a bit each, in the flow's order), so that the page's checklist only looks it up."""

    offered = indicators_for(question, book)
    levels = list(dict.fromkeys(question.levels.values()))
    first = {level: next((i.id for i in offered if i.level == level), None) for level in levels}
    points_to: dict[str, str | None] = {}
    for mask in range(1, 2 ** len(levels)):
        ids = [first[level] for bit, level in enumerate(levels) if mask >> bit & 1]
        if all(ids):
            points_to[str(mask)] = tally(node_id, question, offered, [i for i in ids if i]).points_to
    return {"levels": levels, "points_to": points_to}


def _indicators(question: Ask, book: GuidanceBook) -> list[dict[str, str]]:
    return [{"id": i.id, "text": i.text, "level": i.level, "source": i.source} for i in indicators_for(question, book)]


def _leads(node_id: str, node: Node, ask: Ask) -> dict[str, dict[str, Any]]:
    """Where each set of ticks leads, worked out by the node's own kind for every set (a bit each,
    in the node's order), so that the page only looks it up: the exit's label, the next node, and
    the answer as the route records it."""
    leads = {}
    for mask in range(2 ** len(ask.options)):
        answer = Ticked(tuple(o.key for bit, o in enumerate(ask.options) if mask >> bit & 1))
        way = node.lead(node_id, answer)
        leads[str(mask)] = {"label": way.label, "next": way.next, "answer": answer_text(answer)}
    return leads


def node_table(node_id: str, node: Node, book: GuidanceBook, verbatim: bool = True) -> dict[str, Any]:
    """A node as the page shows it, the same table for every kind, so that the page never asks what
    kind a node is: the words at its head, the chart's own words where those are not them, its
    section, and its options, each with where it leads, the answer it records (none for an action
    box, which is noted) and its key; or, where it asks for ticks, the items and where each set of
    ticks leads (`leads`). `step` is what the route records of it (the summary's route step);
    `asks`, whether the route records an answer there; `chart_action`, whether passing it puts its
    box among the summary's actions; `end`, an end's own
    words, whose advice comes from `decisions`."""
    table: dict[str, Any] = {
        "text": "", "chart": None, "section": node.section, "options": [], "guidance": [], "indicators": [],
        "levels": [], "points_to": {}, "step": None, "chart_action": False, "source": None, "end": None,
        "ticks": [], "leads": {}, "asks": node.asks, "verbatim": verbatim,
    }  # fmt: skip
    end, ask = node.end(), node.ask()
    if end is not None or ask is None:
        return table | {
            "text": f"{end.ref} {end.title}" if end else node.text,
            "end": {"ref": end.ref, "title": end.title, "text": end.text, "section": end.section} if end else None,
        }
    table |= {
        "text": (ask.prompt or ask.text) if node.asks else sentence("action", text=ask.text),
        "chart": ask.text if ask.prompt else None,
        "guidance": [g for g in ask.guidance if g in book.guidance],
        "indicators": _indicators(ask, book),
        "step": {"kind": node.kind, "text": ask.text, "section": ask.section},
        "chart_action": node.chart_action,
        **_tallies(node_id, ask, book),
    }
    if node.chart_action:
        table["source"] = msgspec.to_builtins(box_source(ask.section, verbatim))  # the core's, as the summary gives it
    if ask.shape == "many":
        table["ticks"] = [{"key": o.key, "label": o.label, "score": o.score} for o in ask.options]
        table["leads"] = _leads(node_id, node, ask)
        return table
    table["options"] = [
        {"label": way.label or sentence("noted_continue"), "next": way.next, "answer": answer_text(way.example)}
        for way in node.exits()
    ]
    return table
