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
from collections.abc import Sequence
from typing import Any

from discipline_flow.diagrams._graph import Graph, Node, as_graph
from discipline_flow.diagrams._layout import plan
from discipline_flow.diagrams._options import DiagramOptions
from discipline_flow.diagrams._text import word
from discipline_flow.workflow import Workflow

__all__ = ["FOCUS_FILL", "FOCUS_LINE", "dot_string", "to_dot"]

_START = "__start__"
#: The node of the footnotes of a compact diagram, and the suffix of a state's note of loops.
_NOTES = "__notes__"
_LOOPS = "__loops"
_NOTE_LINE = "#6b7280"
#: Colours of the focus state of a focus view (``focus=``).
FOCUS_FILL = "#d1fae5"
FOCUS_LINE = "#047857"
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


def _node_attrs(node: Node, lines: tuple[str, ...]) -> str:
    attrs = [f"label={_label(list(lines))}"]
    if node.is_terminal:
        attrs.append("peripheries=2")
    if node.is_current:
        attrs.append('style="rounded,filled,bold"')
        attrs.append('fillcolor="#fde68a"')
        attrs.append('color="#b45309"')
        attrs.append("penwidth=2")
    elif node.is_focus:
        attrs.append('style="rounded,filled,bold"')
        attrs.append(f'fillcolor="{FOCUS_FILL}"')
        attrs.append(f'color="{FOCUS_LINE}"')
        attrs.append("penwidth=2.5")
    elif node.is_visited:
        attrs.append('style="rounded,filled"')
        attrs.append('fillcolor="#dbeafe"')
        attrs.append('color="#1d4ed8"')
    return ", ".join(attrs)


def _left(lines: Sequence[str]) -> str:
    """Lines as one quoted DOT label, each left-justified (``\\l``)."""
    return '"' + "".join(f"{_escape(line)}\\l" for line in lines) + '"'


def render_dot(graph: Graph) -> str:
    """The DOT text of ``graph``."""
    opts = graph.options
    drawing = plan(graph)
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
    for node, head, details in drawing.nodes:
        out.append(f'    "{node.id}" [{_node_attrs(node, (*head, *details))}];')
    for node in graph.nodes:
        if node.is_initial:
            out.append(f'    "{_START}" -> "{node.id}";')
    for edge, lines in drawing.edges:
        attrs = f"label={_label(list(lines))}"
        if edge.taken:
            attrs += ', color="#b45309", penwidth=2.5'
        out.append(f'    "{edge.source}" -> "{edge.target}" [{attrs}];')
    for node, lines in drawing.loops:
        # One note per state for the moves that stay in it, beside the state (same rank).
        note = f"{node.id}{_LOOPS}"
        out.append(
            f'    "{note}" [shape=note, fontsize=10, color="{_NOTE_LINE}", label={_left(lines)}];'
        )
        out.append(
            f'    "{node.id}" -> "{note}" [style=dashed, arrowhead=none, color="{_NOTE_LINE}"];'
        )
        out.append(f'    {{ rank=same; "{node.id}"; "{note}"; }}')
    if drawing.footnotes:
        notes = [word("notes", opts.lang)]
        for footnote in drawing.footnotes:
            notes.append(f"[{footnote.number}] {footnote.lines[0]}")
            notes.extend(f"      {line}" for line in footnote.lines[1:])
        out.append(f'    "{_NOTES}" [shape=plaintext, fontsize=10, label={_left(notes)}];')
        out.append(f'    {{ rank=sink; "{_NOTES}"; }}')
    out.append("}")
    return "\n".join(out) + "\n"


def to_dot(workflow: Workflow[Any, Any] | Graph, options: DiagramOptions | None = None) -> str:
    """The Graphviz DOT text of ``workflow`` (or of a built :class:`Graph`)."""
    return render_dot(as_graph(workflow, options))
