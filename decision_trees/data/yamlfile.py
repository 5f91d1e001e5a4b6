"""Reading text and YAML files strictly, with the line of every key and item kept for messages.

What it guarantees, for flows, contacts, reference data and answers alike:
- a file is read no further than a cap (16 MiB), so a device such as /dev/zero is refused at once;
- it must be UTF-8 text with no NUL character;
- one YAML document; no anchors or aliases (no alias bombs), no merge keys, no tags but the standard
  ones, no key given twice, nesting at most 64 deep;
- every mapping and list remembers the line of each key and item (`LinedMap`, `LinedList`), so that
  a schema error names its line.

PyYAML's own loaders give no line numbers and take the last of two equal keys, so the document is
built from the C parser's events by `_Builder`: one small method an event, but scalars (most of
them), which its loop handles itself, for speed (benchmarks/throughput.py validates 10,000 nodes).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import msgspec

from decision_trees.core import text as text_rules
from decision_trees.core.errors import FlowDataError
from decision_trees.core.models import PATTERN_MEANINGS
from decision_trees.words import MESSAGES

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
_STANDARD_SCALARS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_CONTAINER_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class LinedMap(dict[Any, Any]):
    """A mapping that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[Any, int]


class LinedList(list[Any]):
    """A list that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


def read_text(path: Path, limit: int = MAX_FILE_BYTES, *, regular_only: bool = True) -> str:
    """A file's text, reading no more than `limit` bytes (a device such as /dev/zero has no size to
    check first); every failure is a one-line `FlowDataError` naming the file. With `regular_only`
    (flows, contacts, reference data) a FIFO or a device is refused without waiting on it; answers
    may come through a pipe (`--answers-file <(...)`)."""

    name = str(path)
    try:
        if path.is_dir():
            raise FlowDataError(MESSAGES["folder_give_file"], file=name, rule="unreadable")
        # Opened without blocking, so that a FIFO is seen for what it is before anything waits on it.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(handle, "rb") as file:
            if regular_only and not stat.S_ISREG(os.fstat(handle).st_mode):
                raise FlowDataError(MESSAGES["not_regular_file_pipe_device"], file=name, rule="unreadable")
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                os.set_blocking(handle, True)  # a pipe given on purpose: wait for what it sends
            data = file.read(limit + 1)
    except FileNotFoundError:
        raise FlowDataError(MESSAGES["file_not_found"], file=name, rule="unreadable") from None
    except OSError as exc:
        raise FlowDataError(
            MESSAGES["cannot_read_file"].format(strerror=exc.strerror or exc), file=name, rule="unreadable"
        ) from None
    if len(data) > limit:
        raise FlowDataError(MESSAGES["file_larger_than_mib"].format(mib=limit >> 20), file=name, rule="unreadable")
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark at the start, as Notepad writes, is dropped
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FlowDataError(MESSAGES["not_utf_8_text"], file=name, line=line, rule="unreadable") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FlowDataError(MESSAGES["contains_nul_character_text_file"], file=name, line=line, rule="unreadable")
    return text


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; every failure is a `FlowDataError` naming the file and line."""
    return parse_yaml(read_text(path), str(path))


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text by the project's rules (see the module's docstring)."""
    import yaml  # loaded only when YAML is read: a walk from a fresh compiled form reads none

    try:
        return _Builder(yaml).build(text)
    except FlowDataError as exc:
        raise FlowDataError(
            exc.detail, file=name, line=exc.line, rule=exc.rule if exc.rule == "I7" else "yaml"
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML itself refuses, such as an escape
        at = text.encode("utf-8")[: exc.position].count(b"\n") + 1  # the C reader counts UTF-8 bytes
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise FlowDataError(
            MESSAGES["misleading_character"].format(char=text_rules.describe(char)),
            file=name,
            line=at,
            rule="I7",
        ) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        problem = exc.problem or MESSAGES["not_valid_yaml"]
        raise FlowDataError(MESSAGES["not_yaml"].format(problem=problem), file=name, line=line, rule="yaml") from None
    except yaml.YAMLError as exc:
        raise FlowDataError(MESSAGES["not_yaml"].format(problem=exc), file=name, rule="yaml") from None


_KEY_LIKE = r"[A-Za-z_][A-Za-z0-9_-]{0,40}"  # what a field name or id looks like: only such keys are echoed
_NO_KEY = object()  # a mapping waiting for its next key, not for a value


class _Builder:
    """The one document of a YAML text as plain data with line numbers, built from parser events.

    Iterative (an explicit stack), so that deep nesting cannot exhaust Python's; plain scalars are
    resolved with PyYAML's own YAML 1.1 rules, so an unquoted `yes` is still a bool, and caught as one."""

    def __init__(self, yaml: Any) -> None:
        self.yaml = yaml
        self.resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
        self.special = frozenset(self.resolvers)  # first characters a plain scalar may be resolved by
        self.constructor = yaml.SafeLoader("")
        self.stack: list[Any] = []  # the containers being filled
        self.keys: list[Any] = []  # for each: the key waiting for its value, or _NO_KEY
        self.root: Any = None
        self.documents = 0

    def build(self, text: str) -> Any:
        events = self.yaml.events
        handlers = {
            events.MappingStartEvent: self.open,
            events.SequenceStartEvent: self.open,
            events.MappingEndEvent: self.close,
            events.SequenceEndEvent: self.close,
            events.AliasEvent: self.alias,
            events.DocumentStartEvent: self.document,
        }
        scalar_event, stream_end = events.ScalarEvent, events.StreamEndEvent
        stack, keys, special = self.stack, self.keys, self.special
        misleading = text_rules.misleading()
        parser: Any = getattr(self.yaml, "CSafeLoader", self.yaml.SafeLoader)(text)
        get_event = parser.get_event
        try:
            while True:
                event = get_event()
                kind = type(event)
                if kind is scalar_event:  # the commonest event, handled here rather than in a method
                    value = event.value
                    if misleading.search(value):
                        self.refuse(event)
                    if (
                        event.style
                        or event.tag is not None
                        or not event.implicit[0]
                        or not value
                        or value[0] in special
                    ):
                        value = self.resolve(event)
                    if stack and keys[-1] is not _NO_KEY:  # a mapping's value: the commonest step
                        stack[-1][keys[-1]] = value
                        keys[-1] = _NO_KEY
                    else:
                        self.add(value, event)
                elif kind is stream_end:
                    return self.root
                else:
                    handler = handlers.get(kind)
                    if handler is not None:
                        handler(event)
        finally:
            parser.dispose()

    def refuse(self, event: Any) -> None:
        """A control, bidirectional or invisible character in a value: it could make the text read
        other than it is (a reordered phone number, a fake line), so the file is refused."""
        value = event.value
        found = text_rules.misleading().search(value)
        assert found is not None
        line = self._line(event)
        if event.style in ("|", ">"):  # a block's text starts on the line after its indicator
            line += 1 + value[: found.start()].count("\n")
        raise FlowDataError(
            MESSAGES["misleading_character"].format(char=text_rules.describe(found[0])),
            line=line,
            rule="I7",
        )

    @staticmethod
    def _line(event: Any) -> int:
        return int(event.start_mark.line) + 1

    def resolve(self, event: Any) -> Any:
        """A scalar's value by its tag, or by the implicit resolvers for a plain one."""
        tag = event.tag
        if tag not in (None, "!") and not (event.implicit[0] or event.implicit[1]):
            if tag not in _STANDARD_SCALARS:
                raise FlowDataError(MESSAGES["yaml_tag_not_allowed"].format(tag=tag), line=self._line(event))
        elif not event.style and event.implicit[0]:  # plain: the C parser says '' where Python says None
            tag = "tag:yaml.org,2002:str"
            for candidate, pattern in self.resolvers.get(event.value[:1] if event.value else "", []):
                if pattern.match(event.value):
                    tag = candidate
                    break
        else:
            return event.value
        if tag == "tag:yaml.org,2002:str":
            return event.value
        if tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
            raise FlowDataError(MESSAGES["merge_keys_are_not_allowed"], line=self._line(event))
        node = self.yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        return self.constructor.yaml_constructors[tag](self.constructor, node)

    def add(self, value: Any, event: Any) -> None:
        """Put a value where the document stands: the root, a list's next item, or a mapping's key."""
        line = self._line(event)
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        if isinstance(parent, LinedList):
            parent.append(value)
            parent.item_lines.append(line)
        elif self.keys[-1] is _NO_KEY:
            if isinstance(value, (LinedMap, LinedList)):
                raise FlowDataError(MESSAGES["key_must_be_plain_text"], line=line)
            if value in parent:
                key = repr(value) if isinstance(value, str) and re.fullmatch(_KEY_LIKE, value) else MESSAGES["a_key"]
                raise FlowDataError(
                    MESSAGES["duplicate_key_first_given_at"].format(key=key, first_line=parent.key_lines[value]),
                    line=line,
                )
            self.keys[-1] = value
            parent.key_lines[value] = line
        else:
            parent[self.keys[-1]] = value
            self.keys[-1] = _NO_KEY

    def open(self, event: Any) -> None:
        if event.tag not in _CONTAINER_TAGS and not event.implicit:
            raise FlowDataError(MESSAGES["yaml_tag_not_allowed"].format(tag=event.tag), line=self._line(event))
        if len(self.stack) >= MAX_DEPTH:
            raise FlowDataError(MESSAGES["yaml_nests_too_deeply"], line=self._line(event))
        container: Any
        if isinstance(event, self.yaml.events.MappingStartEvent):
            container = LinedMap()
            container.key_lines = {}
        else:
            container = LinedList()
            container.item_lines = []
        container.line = self._line(event)
        self.add(container, event)
        self.stack.append(container)
        self.keys.append(_NO_KEY)

    def close(self, event: Any) -> None:
        self.stack.pop()
        self.keys.pop()

    def alias(self, event: Any) -> None:
        raise FlowDataError(MESSAGES["anchors_aliases_are_not_allowed"], line=self._line(event))

    def document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise FlowDataError(MESSAGES["file_must_hold_one_yaml"], line=self._line(event))


_PATH_PART = r"\.([^.\[]+)|\[(\d+)\]"
# msgspec's ValidationError is a message with the path at its end: "Expected `str`, got `int` - at
# `$.nodes.a.text`". msgspec gives no structured form, so tests/test_loading.py pins this shape.
MSGSPEC_ERROR = r"^(?P<what>.*?)(?: - at `(?P<path>[^`]*)`)?$"


def line_of(data: Any, msgspec_path: str, key: str | None = None) -> int | None:
    """The line that a msgspec error path (`$.choices[0].label`) points to in lined YAML data."""
    line = getattr(data, "line", None)
    for name, index in re.findall(_PATH_PART, msgspec_path.removeprefix("$")):
        if name and isinstance(data, LinedMap) and name in data:
            line, data = data.key_lines[name], data[name]
        elif index and isinstance(data, LinedList) and int(index) < len(data):
            line, data = data.item_lines[int(index)], data[int(index)]
        else:
            break
    if key is not None and isinstance(data, LinedMap) and key in data:
        line = data.key_lines[key]
    return line


def convert(data: Any, kind: type[Any], *, file: str, where: str = "") -> Any:
    """Lined YAML data as a model; a schema error names the file, the line and the field, with a hint."""
    try:
        return msgspec.convert(data, kind, strict=True)
    except msgspec.ValidationError as exc:
        match = re.match(MSGSPEC_ERROR, str(exc))
        assert match is not None  # the pattern matches any text
        what, path = match["what"], match["path"] or "$"
        unknown = re.search(r"unknown field `([^`]*)`", what)
        line = line_of(data, path, unknown[1] if unknown else None)
        if unknown and not re.fullmatch(_KEY_LIKE, unknown[1]):
            # Not a field name: it may be another file's content (a link to /etc/shadow), never echoed.
            what = what.replace(f"unknown field `{unknown[1]}`", MESSAGES["key_that_no_field_this"])
        field = path.removeprefix("$").lstrip(".")
        rule = "schema"
        if "matching regex" in what:
            meaning = next((key for p, key in PATTERN_MEANINGS.items() if repr(p) in what), None)
            what = MESSAGES["expected"].format(meaning=MESSAGES[meaning]) if meaning else what
            rule = "I7" if meaning == "pattern_one_line" else rule
        hint = ""
        if "got `bool`" in what:
            hint = MESSAGES["yaml_reads_yes_no_on"]
        elif "got `float`" in what or "got `int`" in what:
            hint = MESSAGES["put_value_quotes"]
        elif unknown:
            hint = MESSAGES["check_spelling_see_flow_format"]
        at = MESSAGES["at_field"].format(field=field) if field else ""
        raise FlowDataError(f"{where}{what[0].lower()}{what[1:]}{at}{hint}", file=file, line=line, rule=rule) from None
