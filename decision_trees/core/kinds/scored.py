"""A scored checklist: the practitioner ticks the items that apply, each item has a score, and the
total picks the way on by bands that cover every total once."""

from itertools import combinations
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

import msgspec

from decision_trees.core.errors import AnswerError
from decision_trees.core.fields import Line, NodeId, Strict, Text
from decision_trees.core.kinds.base import NONE_TICKED, Answer, Ask, Exit, Option, Problem, Ticked, tick_keys
from decision_trees.words import MESSAGES

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
        return (
            MESSAGES["band_total"].format(low=self.low)
            if self.low == self.high
            else MESSAGES["band_totals"].format(low=self.low, high=self.high)
        )


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
            Exit(
                band.name,
                band.next,
                self._fewest(band) or Ticked(),
                "bands",
                i,
                MESSAGES["band_number"].format(number=i + 1),
                band.low,
                band.high,
            )
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
                    MESSAGES["ticks_which_not_item_at"].format(
                        key=key,
                        node_id=node_id,
                        text=self.text,
                        values=", ".join(keys.values()),
                        none_ticked=NONE_TICKED,
                    ),
                    code="no-such-choice",
                    node=node_id,
                    choices=self.valid(),
                )
            ticked.add(keys[key.casefold()])
        return Ticked(tuple(item.key for item in self.items if item.key in ticked))

    def lead(self, node_id: str, answer: Answer) -> Exit:
        if not isinstance(answer, Ticked):
            raise AnswerError(
                MESSAGES["node_checklist_takes_ticks"].format(node_id=node_id), code="no-such-choice", node=node_id
            )
        total = self.total(answer)
        for way in self.exits():
            if way.low is not None and way.high is not None and way.low <= total <= way.high:
                return way
        raise AnswerError(MESSAGES["ticks_at_add_up_which"].format(node_id=node_id, total=total), node=node_id)

    def problems(self) -> list[Problem]:
        """Items twice, and bands that leave a total out, overlap or no set of ticks can reach."""
        found = []
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            if item.key.casefold() in seen:
                found.append(
                    Problem("duplicate-label", MESSAGES["two_items_have_key"].format(key=item.key), "items", index)
                )
            seen.add(item.key.casefold())
        most = sum(item.score for item in self.items)
        covered = [0] * (most + 1)
        for index, band in enumerate(self.bands):
            if band.low > band.high:
                found.append(
                    Problem(
                        "bands",
                        MESSAGES["band_runs_from_down"].format(name=band.name, low=band.low, high=band.high),
                        "bands",
                        index,
                    )
                )
            for total in range(band.low, min(band.high, most) + 1):
                covered[total] += 1
            if band.low <= band.high and self._fewest(band) is None:
                found.append(Problem("bands", MESSAGES["no_set_ticks_adds_up"].format(name=band.name), "bands", index))
        gaps = [str(total) for total, count in enumerate(covered) if count == 0]
        twice = [str(total) for total, count in enumerate(covered) if count > 1]
        if gaps:
            found.append(
                Problem(
                    "bands", MESSAGES["no_band_holds_total_totals"].format(gaps=", ".join(gaps[:5]), most=most), "bands"
                )
            )
        if twice:
            found.append(
                Problem("bands", MESSAGES["more_than_one_band_holds"].format(twice=", ".join(twice[:5])), "bands")
            )
        return found

    def named_contacts(self) -> list[str]:
        return []

    def box(self) -> str:
        return self.text

    def end(self) -> "Outcome | None":
        return None
