"""Answers given ahead of the walk (--answers, --answer, --answers-file), and the scripted walk."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from .engine import Walk, acknowledge, begin, candidates, choose, current, is_finished, labels
from .errors import AnswerError, FlowDataError
from .models import Action, Flow, Question

if TYPE_CHECKING:
    from .record import Journal


class Feed:
    """Answers waiting to be used: in question order, and by node id."""

    def __init__(self, ordered: list[str] | None = None, by_node: dict[str, str] | None = None) -> None:
        self._ordered = list(ordered or [])
        self.by_node = dict(by_node or {})
        self._used = 0  # answers taken from the front of `_ordered`: an index, as pop(0) is linear

    @property
    def ordered(self) -> list[str]:
        """The ordered answers not yet used."""
        return self._ordered[self._used :]

    def __bool__(self) -> bool:
        return self._used < len(self._ordered) or bool(self.by_node)

    def check_nodes(self, flow: Flow) -> None:
        """Refuse answers for nodes that are not questions of `flow`, before anything is asked."""
        if not self.by_node:
            return
        questions = [n for n, node in flow.nodes.items() if isinstance(node, Question)]
        for node_id in self.by_node:
            if node_id not in questions:
                raise AnswerError(
                    f"an answer names {node_id!r}, which is not a question of {flow.id}; "
                    f"question ids: {', '.join(questions)}"
                )

    def take(self, node_id: str, question: Question) -> str | None:
        """The label of the choice given for this question, or None if none was given."""
        if node_id in self.by_node:
            given = self.by_node.pop(node_id)
            origin = f"the answer {given[:60]!r} for {node_id!r}"
        elif self._used < len(self._ordered):
            given = self._ordered[self._used]
            self._used += 1
            origin = f"answer {self._used} {given[:60]!r}"
        else:
            return None
        found = candidates(question, given)
        where = f"{node_id!r} ({question.text})"
        if not found:
            raise AnswerError(f"{origin} matches no choice at {where}; valid choices: {labels(question)}")
        if len(found) > 1:
            names = " or ".join(repr(c.label) for c in found)
            raise AnswerError(f"{origin} could mean {names} at {where}; type more of the label")
        return found[0].label

    def check_all_used(self, flow: Flow, walk: Walk) -> None:
        """Refuse answers left over when the walk ended: they show a case that was not meant."""
        end = f"{walk.at!r}"
        rest = self.ordered
        if rest:
            raise AnswerError(f"{len(rest)} answer(s) left over after the walk ended at {end}: {first_few(rest)}")
        if self.by_node:
            unused = first_few(list(self.by_node), quote=False)
            raise AnswerError(f"answers for {unused} were not used: the route to {end} does not pass through them")


def first_few(items: list[str], *, quote: bool = True, show: int = 5) -> str:
    """The first few items, and how many more: a message stays one short line however many there are."""
    shown = ", ".join(repr(i[:60]) if quote else i[:60] for i in items[:show])
    return shown + (f" and {len(items) - show} more" if len(items) > show else "")


def feed_from(answers: str | list[str] | dict[str, str]) -> Feed:
    """A feed from answers as scenario files and batch lines give them: `--answers` text, a list
    in question order, or a mapping of question id to choice."""
    if isinstance(answers, str):
        return Feed(split_answers(answers))
    if isinstance(answers, list):
        return Feed(answers)
    return Feed([], answers)


def missing_answer(node_id: str, question: Question) -> AnswerError:
    return AnswerError(
        f"no answer for question {node_id!r} ({question.text}); valid choices: {labels(question)}; "
        f"give it with --answer {node_id}=CHOICE or in --answers"
    )


def walk_scripted(flow: Flow, feed: Feed, journal: Journal | None = None) -> Walk:
    """Walk `flow` on the fed answers alone: actions pass, a missing answer is an `AnswerError`."""
    feed.check_nodes(flow)
    walk = begin(flow)
    while not is_finished(flow, walk):
        node = current(flow, walk)
        if isinstance(node, Action):
            if journal:
                journal.log("action", walk.at)
            walk = acknowledge(flow, walk)
            continue
        assert isinstance(node, Question)
        label = feed.take(walk.at, node)
        if label is None:
            raise missing_answer(walk.at, node)
        if journal:
            journal.log("answer", walk.at, label)
        walk = choose(flow, walk, label)
    feed.check_all_used(flow, walk)
    return walk


def split_answers(text: str) -> list[str]:
    """`"yes, no,high"` → ["yes", "no", "high"]; an empty item is an error, not a skipped question."""
    items = [item.strip() for item in text.split(",")]
    for position, item in enumerate(items, 1):
        if not item:
            raise AnswerError(f"answer {position} in --answers {text!r} is empty; give one answer per question")
    return items


def parse_answer_options(options: list[str]) -> dict[str, str]:
    """`["has-child=yes"]` → {"has-child": "yes"}."""
    by_node: dict[str, str] = {}
    for option in options:
        node_id, sep, choice = option.partition("=")
        if not sep or not node_id.strip() or not choice.strip():
            raise AnswerError(f"--answer {option!r} must be NODE_ID=CHOICE, for example --answer has-child=yes")
        if node_id.strip() in by_node:
            raise AnswerError(f"--answer gives {node_id.strip()!r} twice")
        by_node[node_id.strip()] = choice.strip()
    return by_node


class AnswerSet(msgspec.Struct):
    """Answers read from a file: in order and by node, indicators, and the flow a record was made on."""

    ordered: list[str]
    by_node: dict[str, str]
    indicators: list[str] = []
    flow_id: str | None = None
    flow_hash: str | None = None


def _front_matter(text: str) -> str:
    """The YAML between the opening `---` lines of a Markdown record."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        raise ValueError("a Markdown answers file must start with --- front matter (as `walk --record` writes)")
    end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    return "\n".join(lines[1:end])


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKey(key)
        found[key] = value
    return found


def parse_json(text: str, name: str) -> Any:
    """JSON as the project reads it: a key given twice in one object is an error naming the key and
    its line, never a silent last-one-wins; nesting too deep for the parser is an error too."""
    import json

    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except DuplicateKey as exc:
        import re

        places = [m.start() for m in re.finditer(re.escape(json.dumps(exc.key)) + r"\s*:", text)]
        where = text[: places[1]].count("\n") + 1 if len(places) > 1 else None
        raise FlowDataError(
            f"gives the key {exc.key[:60]!r} twice; give each key once", file=name, line=where
        ) from None
    except json.JSONDecodeError as exc:
        raise FlowDataError(f"is not valid JSON: {exc.msg}", file=name, line=exc.lineno) from None
    except RecursionError:
        raise FlowDataError("is nested too deeply to be answers", file=name) from None


def read_answers_file(path: Path) -> AnswerSet:
    """Answers from YAML or JSON: a mapping of node id to choice, a list in question order, either of
    them under an `answers` key (so that other fields may sit beside it), or a record of a walk."""
    from .loading import parse_yaml, read_text

    name = str(path)
    try:
        text = read_text(path)
        if path.suffix == ".json":
            data: Any = parse_json(text, name)
        elif path.suffix == ".md":
            data = parse_yaml(_front_matter(text), name)
        else:
            data = parse_yaml(text, name)
    except FlowDataError as exc:
        raise AnswerError(f"answers file {exc}") from None
    except ValueError as exc:
        raise AnswerError(f"answers file {name} cannot be read: {exc}") from None
    indicators: list[str] = []
    flow_id = flow_hash = None
    if isinstance(data, dict) and "answers" in data:
        raw_indicators = data.get("indicators", [])
        if isinstance(raw_indicators, list) and all(isinstance(i, str) for i in raw_indicators):
            indicators = list(raw_indicators)
        stamp = data.get("flow")
        if isinstance(stamp, dict):
            flow_id, flow_hash = stamp.get("id"), stamp.get("hash")
        data = data["answers"]
    if isinstance(data, list) and all(isinstance(a, str) for a in data):
        return AnswerSet([a.strip() for a in data], {}, indicators, flow_id, flow_hash)
    if isinstance(data, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return AnswerSet([], {k.strip(): v.strip() for k, v in data.items()}, indicators, flow_id, flow_hash)
    raise AnswerError(
        f"answers file {name} must map question ids to choices as text "
        '(e.g. {"has-child": "Yes"}), or list the choices in order; quote Yes and No in YAML'
    )
