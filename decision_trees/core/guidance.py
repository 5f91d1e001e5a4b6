"""Decision aids: guidance tables, the indicators a practitioner can tick, and their tally by level."""

import msgspec

from decision_trees.core.errors import AnswerError
from decision_trees.core.kinds.base import Ask
from decision_trees.core.models import Flow, GuidanceBook
from decision_trees.words import MESSAGES


class Indicator(msgspec.Struct, frozen=True):
    """One item of a guidance table that a practitioner can tick, with the level its column stands for."""

    id: str
    text: str
    level: str
    source: str


class Tally(msgspec.Struct, frozen=True):
    """Ticked indicators counted by choice; `points_to` is the highest level any of them falls under."""

    node: str
    question: str
    ticked: list[Indicator]
    counts: dict[str, int]
    points_to: str | None
    chosen: str | None = None


def indicator_id(guidance_id: str, row_key: str | None, column_key: str, number: int) -> str:
    return ":".join(p for p in (guidance_id, row_key, column_key, str(number)) if p)


def indicators_for(question: Ask, book: GuidanceBook) -> list[Indicator]:
    """The indicators offered where a node asks: items of its guidance in the columns it maps to choices."""
    if not question.levels:
        return []
    found: list[Indicator] = []
    for guidance_id in question.guidance:
        table = book.guidance.get(guidance_id)
        if table is None:
            continue
        for row in table.rows:
            for column, items in zip(table.columns, row.cells, strict=False):
                level = question.levels.get(column.key)
                if level is None:
                    continue
                where = f"{column.section or table.section}{', ' + row.heading if row.heading else ''}"
                found += [
                    Indicator(indicator_id(guidance_id, row.key, column.key, n), text, level, where)
                    for n, text in enumerate(items, 1)
                ]
    return found


def tally(node_id: str, question: Ask, offered: list[Indicator], ticked_ids: list[str]) -> Tally:
    """Count the ticked indicators by level. Unknown ids are an `AnswerError` naming the valid ones."""
    by_id = {i.id: i for i in offered}
    unknown = [t for t in ticked_ids if t not in by_id]
    if unknown:
        sample = ", ".join(list(by_id)[:3])
        raise AnswerError(
            MESSAGES["indicator_not_offered_at_ids"].format(unknown=unknown[0], node_id=node_id, sample=sample),
            code="unknown-indicator",
            node=node_id,
            choices=list(by_id),
        )
    ticked = [by_id[t] for t in dict.fromkeys(ticked_ids)]
    order = list(dict.fromkeys(question.levels.values()))
    counts = {label: sum(i.level == label for i in ticked) for label in order}
    # A guidance table lists the circumstances of each level: any one can meet it, so point to the highest
    # (levels in the order the flow lists them, lowest first).
    points_to = next((label for label in reversed(order) if counts[label]), None)
    return Tally(node_id, question.text, ticked, counts, points_to)


def asked(flow: Flow) -> dict[str, Ask]:
    """What each node that is not an end asks, by node id."""
    return {node_id: ask for node_id, node in flow.nodes.items() if (ask := node.ask()) is not None}


def offered_indicators(flow: Flow, book: GuidanceBook) -> dict[str, tuple[str, Indicator]]:
    """Every indicator a flow's questions offer, by id: the question that offers it, and the indicator."""
    return {
        indicator.id: (node_id, indicator)
        for node_id, ask in asked(flow).items()
        for indicator in indicators_for(ask, book)
    }


def assign_indicators(flow: Flow, book: GuidanceBook, ids: list[str]) -> dict[str, list[str]]:
    """Indicator ids grouped by the question that offers them; an id no question offers is an error."""
    offered = {indicator_id: node_id for indicator_id, (node_id, _) in offered_indicators(flow, book).items()}
    ticks: dict[str, list[str]] = {}
    for indicator in ids:
        if indicator not in offered:
            where = ", ".join(dict.fromkeys(offered.values())) or MESSAGES["none_questions"]
            name = flow.aliases[0] if flow.aliases else flow.id
            raise AnswerError(
                MESSAGES["indicator_not_offered_by_offered"].format(
                    indicator=indicator, id=flow.id, where=where, name=name
                )
            )
        ticks.setdefault(offered[indicator], []).append(indicator)
    return ticks


def tallies(flow: Flow, book: GuidanceBook, ticks: dict[str, list[str]]) -> list[Tally]:
    """The tally at each question where indicators were ticked."""
    found = []
    for node_id, ids in ticks.items():
        ask = asked(flow)[node_id]
        found.append(tally(node_id, ask, indicators_for(ask, book), ids))
    return found
