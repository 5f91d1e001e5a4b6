"""Answers from files: YAML or JSON answers files, records of walks, and saved walks. JSON is read
strictly: a key given twice is an error, never a silent last-one-wins."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any

import msgspec

from decision_trees.core.answers import AnswerSet
from decision_trees.core.errors import AnswerError, DecisionTreesError, FlowDataError, UsageError
from decision_trees.data.yamlfile import parse_yaml, read_text
from decision_trees.words import MESSAGES


def _front_matter(text: str) -> str:
    """The YAML between the opening `---` lines of a Markdown record."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        raise ValueError(MESSAGES["markdown_answers_file_must_start"])
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


@cache
def _decoder() -> Any:
    """One strict decoder for every JSON input (json.loads would make one a call: batch reads many)."""
    import json

    return json.JSONDecoder(object_pairs_hook=_no_duplicates)


def parse_json(text: str, name: str) -> Any:
    """JSON as the project reads it: a key given twice in one object is an error naming the key and
    its line, never a silent last-one-wins; nesting too deep for the parser is an error too."""
    import json

    try:
        return _decoder().decode(text)
    except DuplicateKey as exc:
        import re

        places = [m.start() for m in re.finditer(re.escape(json.dumps(exc.key)) + r"\s*:", text)]
        where = text[: places[1]].count("\n") + 1 if len(places) > 1 else None
        raise FlowDataError(
            MESSAGES["gives_key_twice_give_each"].format(key=exc.key[:60]), file=name, line=where
        ) from None
    except json.JSONDecodeError as exc:
        raise FlowDataError(MESSAGES["not_valid_json"].format(problem=exc.msg), file=name, line=exc.lineno) from None
    except RecursionError:
        raise FlowDataError(MESSAGES["nested_too_deeply_be_answers"], file=name) from None


def read_answers_file(path: Path) -> AnswerSet:
    """Answers from YAML or JSON: a mapping of node id to choice, a list in question order, either of
    them under an `answers` key (so that other fields may sit beside it), or a record of a walk."""

    name = str(path)
    try:
        text = read_text(path, regular_only=False)
        if path.suffix == ".json":
            data: Any = parse_json(text, name)
        elif path.suffix == ".md":
            data = parse_yaml(_front_matter(text), name)
        else:
            data = parse_yaml(text, name)
    except FlowDataError as exc:
        raise AnswerError(MESSAGES["answers_file_problem"].format(problem=exc)) from None
    except ValueError as exc:
        raise AnswerError(MESSAGES["answers_file_cannot_be_read"].format(name=name, problem=exc)) from None
    indicators: list[str] = []
    flow_id = flow_hash = case_ref = None
    if isinstance(data, dict) and "answers" in data:
        if isinstance(data.get("case_ref"), str):
            case_ref = data["case_ref"]
        raw_indicators = data.get("indicators", [])
        if isinstance(raw_indicators, list) and all(isinstance(i, str) for i in raw_indicators):
            indicators = list(raw_indicators)
        stamp = data.get("flow")
        if isinstance(stamp, dict):
            flow_id, flow_hash = stamp.get("id"), stamp.get("hash")
        data = data["answers"]
    if isinstance(data, list) and all(isinstance(a, str) for a in data):
        return AnswerSet([a.strip() for a in data], {}, indicators, flow_id, flow_hash, case_ref)
    if isinstance(data, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return AnswerSet([], {k.strip(): v.strip() for k, v in data.items()}, indicators, flow_id, flow_hash, case_ref)
    raise AnswerError(MESSAGES["answers_file_must_map_question"].format(name=name))


# Batch lines: one case a line, as `batch` and `diff --cases` take them.


class Case(msgspec.Struct, forbid_unknown_fields=True):
    """One input line: `{"case_ref": "C1", "answers": "yes,no,yes,high"}` or answers by node id, and
    optionally `"now"` (the time of that referral, so that a past case's deadlines are its own),
    `"called_at"` and `"indicators"`: each as `walk` takes them."""

    answers: str | list[str] | dict[str, str]
    case_ref: str | None = None
    now: str | None = None
    called_at: str | None = None
    indicators: list[str] = []


MAX_LINE_BYTES = 1024 * 1024  # a case is a few hundred bytes; a longer line is refused, not read whole
TOO_LONG = b"\x00too-long"


RUNS_ON = 16 * MAX_LINE_BYTES  # past this with no line break, the source is not a file of cases


def bounded_lines(source: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """The lines of `source`, never reading more than `limit` bytes into one: a longer line is
    yielded as `TOO_LONG`, and the rest of it skipped, up to RUNS_ON bytes: a line that runs on past
    that (`/dev/zero` through a pipe) stops the reading with a `UsageError`. A UTF-8 byte-order mark
    at the start (Notepad writes one) is not part of the first line."""
    number = 0
    while True:
        line = source.readline(limit + 1)
        if not line:
            return
        number += 1
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if len(line) > limit and not line.endswith(b"\n"):
            skipped = len(line)
            while line and not line.endswith(b"\n"):
                if skipped > RUNS_ON:
                    raise UsageError(MESSAGES["line_runs_on_past_mib"].format(number=number, mib=RUNS_ON >> 20))
                line = source.readline(limit + 1)
                skipped += len(line)
            yield TOO_LONG
            continue
        yield line


def parse_case(line: bytes, number: int) -> Case:
    """One JSON line as a case; a `DecisionTreesError` naming the line when it is not one."""
    if line == TOO_LONG:
        raise DecisionTreesError(MESSAGES["line_longer_than_mib_one"].format(number=number, mib=MAX_LINE_BYTES >> 20))
    if not line.strip():
        raise DecisionTreesError(MESSAGES["line_blank_give_one_case"].format(number=number))
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise DecisionTreesError(MESSAGES["line_not_utf_8_text"].format(number=number)) from None
    try:
        data = parse_json(text, "")
    except FlowDataError as exc:
        raise DecisionTreesError(MESSAGES["batch_line"].format(number=number, detail=exc.detail)) from None
    try:
        return msgspec.convert(data, Case)
    except msgspec.ValidationError as exc:
        raise DecisionTreesError(MESSAGES["line_not_case"].format(number=number, problem=exc)) from None
