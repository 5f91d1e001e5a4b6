"""Flows as Mermaid or Graphviz DOT. Every label is escaped, so no box text can break the output."""

from __future__ import annotations

import re

from decision_trees.core.engine import Edge, Walk, edges, ends, walked_edges
from decision_trees.core.models import Flow

_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 .,:;!?/()’‘“”–-]")


def _mermaid_text(text: str) -> str:
    """Quoted Mermaid label text: anything but plain characters becomes an entity code."""
    flat = " ".join(text.split())
    return "".join(c if _MERMAID_SAFE.fullmatch(c) else f"#{ord(c)};" for c in flat)


def _mermaid_id(node_id: str) -> str:
    return "n_" + node_id.replace("-", "_")


def _on_route(walk: Walk | None) -> tuple[set[str], set[Edge]]:
    if walk is None:
        return set(), set()
    return {s.node for s in walk.route} | {walk.at}, set(walked_edges(walk))


# How each shape a kind is drawn as looks, in Mermaid and in DOT.
MERMAID_SHAPES = {"decision": "{%s}", "box": "[%s]", "end": "([%s])"}
DOT_SHAPES = {"decision": "diamond", "box": "box", "end": "box"}


def _box(node_id: str, flow: Flow) -> str:
    return flow.nodes[node_id].box()


def to_mermaid(flow: Flow, highlight: Walk | None = None) -> str:
    """A Mermaid flowchart: questions as diamonds, actions as boxes, outcomes as rounded ends."""
    lines = ["flowchart TD"]
    for node_id, node in flow.nodes.items():
        box = f'"{_mermaid_text(_box(node_id, flow))}"'
        shape = MERMAID_SHAPES[node.shape]
        lines.append(f"    {_mermaid_id(node_id)}{shape % box}")
    marked_nodes, marked_edges = _on_route(highlight)
    marked_links = []
    for index, (source, target, label) in enumerate(edges(flow)):
        arrow = f'-->|"{_mermaid_text(label)}"|' if label is not None else "-->"
        lines.append(f"    {_mermaid_id(source)} {arrow} {_mermaid_id(target)}")
        if (source, target, label) in marked_edges:
            marked_links.append(str(index))
    lines.append("    classDef outcome stroke-width:2px")
    outcomes = [_mermaid_id(n) for n in ends(flow)]
    if outcomes:
        lines.append(f"    class {','.join(outcomes)} outcome")
    if marked_nodes:
        lines.append("    classDef route fill:#fde68a,stroke:#b45309,stroke-width:3px")
        lines.append(f"    class {','.join(_mermaid_id(n) for n in flow.nodes if n in marked_nodes)} route")
    if marked_links:
        lines.append(f"    linkStyle {','.join(marked_links)} stroke:#b45309,stroke-width:3px")
    return "\n".join(lines) + "\n"


DOT_LINE = 24  # characters a line of a box: long box texts otherwise lay the chart out thousands of pixels wide


def _dot_text(text: str, wrap: int = 0) -> str:
    """A DOT double-quoted string body: backslashes and quotes escaped, control characters dropped;
    with `wrap`, broken into centred lines of about that many characters, at words."""
    flat = " ".join(text.split())
    flat = "".join(c for c in flat if c.isprintable())
    lines = _lines(flat, wrap) if wrap else [flat]
    return "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)


def _lines(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]


def to_dot(flow: Flow, highlight: Walk | None = None, ids: bool = False) -> str:
    """A Graphviz digraph: questions as diamonds, actions as boxes, outcomes as rounded bold boxes.
    With `ids`, each node's SVG element is given the id `node:ID` and each edge `edge:N` (its place
    in `engine.edges`), for the walk-through page to mark the route on the drawing."""
    lines = [f'digraph "{_dot_text(flow.id)}" {{', "    rankdir=TB;"]
    lines += ['    node [fontname="Helvetica"];', '    edge [fontname="Helvetica"];']
    marked_nodes, marked_edges = _on_route(highlight)
    for node_id, node in flow.nodes.items():
        attrs = [f"shape={DOT_SHAPES[node.shape]}", f'label="{_dot_text(_box(node_id, flow), DOT_LINE)}"']
        if node.shape == "end":
            attrs.append('style="rounded,bold"')
        if node_id in marked_nodes:
            attrs.append('color="#b45309", penwidth=3')
        if ids:
            attrs.append(f'id="node:{_dot_text(node_id)}"')
        lines.append(f'    "{_dot_text(node_id)}" [{", ".join(attrs)}];')
    for index, (source, target, label) in enumerate(edges(flow)):
        attrs = [f'label="{_dot_text(label, DOT_LINE)}"'] if label is not None else []
        if (source, target, label) in marked_edges:
            attrs.append('color="#b45309", penwidth=3')
        if ids:
            attrs.append(f'id="edge:{index}"')
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f'    "{_dot_text(source)}" -> "{_dot_text(target)}"{suffix};')
    lines.append("}")
    return "\n".join(lines) + "\n"
