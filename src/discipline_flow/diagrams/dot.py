r"""Graphviz DOT text of a workflow.

Every id and label is a quoted DOT string (quotes and backslashes escaped), so any label draws as
written; lines within a label are separated with ``\n``.

>>> from discipline_flow.diagrams import DiagramOptions, to_dot
>>> from discipline_flow.diagrams._examples import inspection_workflow
>>> print(to_dot(inspection_workflow(), DiagramOptions(states=["CONCLUDED", "CLOSED_NO_VIOLATION"])))
digraph "example_inspection@1" {
    graph [rankdir=TB, label="Inspection on signs of violation (example)\nexample_inspection@1", labelloc=t, fontname="DejaVu Sans"];
    node [shape=box, style=rounded, fontname="DejaVu Sans"];
    edge [fontname="DejaVu Sans", fontsize=10];
    "CONCLUDED" [label="Concluded"];
    "CLOSED_NO_VIOLATION" [label="Closed: no violation", peripheries=2];
    "CONCLUDED" -> "CLOSED_NO_VIOLATION" [label="Close"];
}
<BLANKLINE>
"""

from __future__ import annotations

import re
from typing import Any

from discipline_flow.diagrams._graph import Graph, Node, as_graph
from discipline_flow.diagrams._options import DiagramOptions
from discipline_flow.diagrams._text import (
    deadline_text,
    edge_lines,
)
from discipline_flow.workflow import Workflow

__all__ = ["dot_string", "to_dot"]

_START = "__start__"
_FONT = "DejaVu Sans"
_SPECIAL = re.compile(r'[\\"\r\n]')


def dot_string(text: str) -> str:
    r"""``text`` as a quoted DOT string.

    >>> print(dot_string('say "hi"'))
    "say \"hi\""
    """
    return f'"{_escape(text)}"'


def _escape(text: str) -> str:
    if _SPECIAL.search(text) is None:  # most labels: nothing to escape
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return escaped.replace("\r", " ").replace("\n", " ")


def _label(parts: list[str]) -> str:
    """Lines as one quoted DOT label, ``\\n`` between them."""
    return '"' + "\\n".join([_escape(p) for p in parts if p]) + '"'


def _node_attrs(graph: Graph, node: Node) -> str:
    opts = graph.options
    parts = [node.label]
    parts.extend(
        deadline_text(note, opts.lang, with_citation=opts.show_citations) for note in node.deadlines
    )
    attrs = [f"label={_label(parts)}"]
    if node.is_terminal:
        attrs.append("peripheries=2")
    if node.is_current:
        attrs.append('style="rounded,filled,bold"')
        attrs.append('fillcolor="#fde68a"')
        attrs.append('color="#b45309"')
        attrs.append("penwidth=2")
    elif node.is_visited:
        attrs.append('style="rounded,filled"')
        attrs.append('fillcolor="#dbeafe"')
        attrs.append('color="#1d4ed8"')
    return ", ".join(attrs)


def render_dot(graph: Graph) -> str:
    """The DOT text of ``graph``."""
    opts = graph.options
    out = [f"digraph {dot_string(graph.workflow)} {{"]
    title = _label([graph.title, graph.workflow])
    out.append(
        f"    graph [rankdir={opts.direction.value}, label={title}, labelloc=t, "
        f'fontname="{_FONT}"];'
    )
    out.append(f'    node [shape=box, style=rounded, fontname="{_FONT}"];')
    out.append(f'    edge [fontname="{_FONT}", fontsize=10];')
    if any(node.is_initial for node in graph.nodes):
        out.append(f'    "{_START}" [shape=point, width=0.15, label=""];')
    for node in graph.nodes:
        out.append(f'    "{node.id}" [{_node_attrs(graph, node)}];')
    for node in graph.nodes:
        if node.is_initial:
            out.append(f'    "{_START}" -> "{node.id}";')
    for edge in graph.edges:
        attrs = f"label={_label(edge_lines(edge, opts))}"
        if edge.taken:
            attrs += ', color="#b45309", penwidth=2.5'
        out.append(f'    "{edge.source}" -> "{edge.target}" [{attrs}];')
    out.append("}")
    return "\n".join(out) + "\n"


def to_dot(workflow: Workflow[Any, Any] | Graph, options: DiagramOptions | None = None) -> str:
    """The Graphviz DOT text of ``workflow`` (or of a built :class:`Graph`)."""
    return render_dot(as_graph(workflow, options))
