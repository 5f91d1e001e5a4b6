"""A scored checklist: the practitioner ticks the items that apply, each item has a score, and the
total picks the way on by bands that cover every total once."""

from itertools import combinations
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

import msgspec

from decision_trees.core.errors import AnswerError
from decision_trees.core.fields import Line, NodeId, Strict, Text
from decision_trees.core.kinds.base import NONE_TICKED, Answer, Ask, Exit, Option, Problem, Ticked, tick_keys

if TYPE_CHECKING:
    from decision_trees.core.kinds.outcome import Outcome

MAX_ITEMS = 12  # every set of ticks is worked out once for the page: 4,096 at most


class Item(Strict, frozen=True):
    """One item to tick, by key, with its words and its score."""

    key: NodeId
    label: Line
    score: Annotated[int, msgspec.Meta(ge=0, le=1000)]


class Band(Strict, frozen=True):
    """The totals from `low` to `high`, both included, and the node they lead to."""

    low: Annotated[int, msgspec.Meta(ge=0)]
    high: Annotated[int, msgspec.Meta(ge=0)]
    next: NodeId
    label: Line | None = None  # the band's name on the chart; "total 3 to 5" without one

    @property
    def name(self) -> str:
        if self.label is not None:
            return self.label
        return f"total {self.low}" if self.low == self.high else f"total {self.low} to {self.high}"


class ScoredChecklist(Strict, tag="scored-checklist", frozen=True):
    """Items to tick, each with a score; the total of the ticked items picks a band, and the band the
    next node. The bands must cover every total from 0 to all items ticked, once each."""

    kind: ClassVar[str] = "scored-checklist"
    asks: ClassVar[bool] = True
    shape: ClassVar[Literal["decision", "box", "end"]] = "decision"
    chart_action: ClassVar[bool] = False
    rules: ClassVar[dict[str, tuple[str, str]]] = {
        "bands": ("error", "a scored checklist's bands leave a total out, overlap, or cannot be reached"),
    }

    text: Text
    section: Line
    items: Annotated[list[Item], msgspec.Meta(min_length=1, max_length=MAX_ITEMS)]
    bands: Annotated[list[Band], msgspec.Meta(min_length=1)]
    prompt: Text | None = None
    guidance: list[NodeId] = []
    # The chart's own words (verbatim) or a paraphrase of prose; without it, the flow's `box_text`.
    wording: Literal["verbatim", "paraphrase"] | None = None

    def total(self, answer: Ticked) -> int:
        scores = {item.key: item.score for item in self.items}
        return sum(scores[key] for key in answer.items)

    def _fewest(self, band: Band) -> Ticked | None:
        """The fewest ticks, earliest first, whose total falls in `band`; None if no set does."""
        for count in range(len(self.items) + 1):
            for chosen in combinations(self.items, count):
                if band.low <= sum(item.score for item in chosen) <= band.high:
                    return Ticked(tuple(item.key for item in chosen))
        return None

    def exits(self) -> list[Exit]:
        return [
            Exit(band.name, band.next, self._fewest(band) or Ticked(), "bands", i, f"band {i + 1}", band.low, band.high)
            for i, band in enumerate(self.bands)
        ]

    def ask(self) -> Ask | None:
        options = [Option(item.key, item.label, item.score) for item in self.items]
        return Ask("many", self.text, self.section, options, self.prompt, list(self.guidance))

    def valid(self) -> list[str]:
        return [*(item.key for item in self.items), NONE_TICKED]

    def parse(self, node_id: str, given: str) -> Answer:
        """The items `given` ticks, by key (in any case), joined by "+" or ","; `none` ticks none."""
        keys = {item.key.casefold(): item.key for item in self.items}
        ticked = set()
        for key in tick_keys(given):
            if key.casefold() not in keys:
                raise AnswerError(
                    f"ticks {key!r}, which is not an item at {node_id!r} ({self.text}); "
                    f"items: {', '.join(keys.values())}, or {NONE_TICKED}",
                    code="no-such-choice", node=node_id, choices=self.valid(),
                )  # fmt: skip
            ticked.add(keys[key.casefold()])
        return Ticked(tuple(item.key for item in self.items if item.key in ticked))

    def lead(self, node_id: str, answer: Answer) -> Exit:
        if not isinstance(answer, Ticked):
            raise AnswerError(f"node {node_id!r} is a checklist: it takes ticks", code="no-such-choice", node=node_id)
        total = self.total(answer)
        for way in self.exits():
            if way.low is not None and way.high is not None and way.low <= total <= way.high:
                return way
        raise AnswerError(f"the ticks at {node_id!r} add up to {total}, which no band holds", node=node_id)

    def problems(self) -> list[Problem]:
        """Items twice, and bands that leave a total out, overlap or no set of ticks can reach."""
        found = []
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            if item.key.casefold() in seen:
                found.append(Problem("duplicate-label", f"two items have the key {item.key!r}", "items", index))
            seen.add(item.key.casefold())
        most = sum(item.score for item in self.items)
        covered = [0] * (most + 1)
        for index, band in enumerate(self.bands):
            if band.low > band.high:
                found.append(
                    Problem("bands", f"band {band.name!r} runs from {band.low} down to {band.high}", "bands", index)
                )
            for total in range(band.low, min(band.high, most) + 1):
                covered[total] += 1
            if band.low <= band.high and self._fewest(band) is None:
                found.append(
                    Problem("bands", f"no set of ticks adds up to a total in band {band.name!r}", "bands", index)
                )
        gaps = [str(total) for total, count in enumerate(covered) if count == 0]
        twice = [str(total) for total, count in enumerate(covered) if count > 1]
        if gaps:
            found.append(
                Problem("bands", f"no band holds the total(s) {', '.join(gaps[:5])} (totals run 0 to {most})", "bands")
            )
        if twice:
            found.append(Problem("bands", f"more than one band holds the total(s) {', '.join(twice[:5])}", "bands"))
        return found

    def named_contacts(self) -> list[str]:
        return []

    def box(self) -> str:
        return self.text

    def end(self) -> "Outcome | None":
        return None
