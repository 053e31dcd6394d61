"""Mermaid ``stateDiagram-v2`` text of a workflow.

State ids are safe identifiers (:func:`~discipline_flow.diagrams._ids.safe_id`); labels are
written with Mermaid's entity codes for the characters its grammar would read (quotes, colons,
semicolons, ``#``, angle brackets and braces), so any label, in English or Vietnamese, draws as
written.

>>> from discipline_flow.diagrams import DiagramOptions, to_mermaid
>>> from discipline_flow.diagrams._examples import inspection_workflow
>>> print(to_mermaid(inspection_workflow(), DiagramOptions(states=["CONCLUDED", "CLOSED_NO_VIOLATION"])))
%% example_inspection@1
stateDiagram-v2
    direction TB
    state "Concluded" as CONCLUDED
    state "Closed#58; no violation" as CLOSED_NO_VIOLATION
    CONCLUDED --> CLOSED_NO_VIOLATION : Close
    CLOSED_NO_VIOLATION --> [*]
<BLANKLINE>
"""

from __future__ import annotations

import re
from typing import Any

from discipline_flow.diagrams._graph import Graph, as_graph
from discipline_flow.diagrams._layout import plan
from discipline_flow.diagrams._options import DiagramOptions
from discipline_flow.workflow import Workflow

__all__ = ["CURRENT_STYLE", "FOCUS_STYLE", "VISITED_STYLE", "mermaid_text", "to_mermaid"]

_CODES = {
    "#": "#35;",
    '"': "#quot;",
    ":": "#58;",
    ";": "#59;",
    "<": "#lt;",
    ">": "#gt;",
    "{": "#123;",
    "}": "#125;",
    "%": "#37;",
    "|": "#124;",
    "\r": " ",
    "\n": " ",
    "\t": " ",
}
_SPECIAL = re.compile("[" + re.escape("".join(_CODES)) + "]")


#: Colours of the highlighted case: where it is now, and the states it passed through.
CURRENT_STYLE = "fill:#fde68a,stroke:#b45309,stroke-width:3px"
VISITED_STYLE = "fill:#dbeafe,stroke:#1d4ed8"
#: Colours of the focus state of a focus view (``focus=``).
FOCUS_STYLE = "fill:#d1fae5,stroke:#047857,stroke-width:3px"


def mermaid_text(text: str) -> str:
    """``text`` with Mermaid's entity codes for the characters its grammar reads.

    >>> mermaid_text('Resolve: "upheld" (QĐ 30; §5)')
    'Resolve#58; #quot;upheld#quot; (QĐ 30#59; §5)'
    """
    if _SPECIAL.search(text) is None:  # most labels: nothing to encode
        return text
    return _SPECIAL.sub(lambda match: _CODES[match.group()], text)


def render_mermaid(graph: Graph) -> str:
    """The ``stateDiagram-v2`` text of ``graph``.

    The moves that stay in a state are listed in the state's box (one line each, marked
    ``↻``); a compact diagram's footnotes follow as ``%%`` comments (the docs pages print them
    under the diagram).
    """
    opts = graph.options
    drawing = plan(graph)
    loops = {node.id: lines for node, lines in drawing.loops}
    out = [f"%% {mermaid_text(graph.workflow)}", "stateDiagram-v2"]
    out.append(f"    direction {opts.direction.value}")
    if opts.highlight is not None:
        out.append(f"    classDef current {CURRENT_STYLE}")
        out.append(f"    classDef visited {VISITED_STYLE}")
    if opts.focus is not None:
        out.append(f"    classDef focus {FOCUS_STYLE}")
    for node, head, details in drawing.nodes:
        out.append(f'    state "{"<br/>".join(mermaid_text(line) for line in head)}" as {node.id}')
        for line in (*details, *loops.get(node.id, ())):
            out.append(f"    {node.id} : {mermaid_text(line.strip())}")
    out.extend([f"    [*] --> {node.id}" for node in graph.nodes if node.is_initial])
    out.extend(
        [
            f"    {edge.source} --> {edge.target} : "
            + "<br/>".join([mermaid_text(line) for line in lines])
            for edge, lines in drawing.edges
        ]
    )
    out.extend([f"    {node.id} --> [*]" for node in graph.nodes if node.is_terminal])
    visited = [n.id for n in graph.nodes if n.is_visited and not n.is_current]
    if visited:
        out.append(f"    class {','.join(visited)} visited")
    current = [n.id for n in graph.nodes if n.is_current]
    if current:
        out.append(f"    class {','.join(current)} current")
    focus = [n.id for n in graph.nodes if n.is_focus and not n.is_current]
    if focus:
        out.append(f"    class {','.join(focus)} focus")
    for footnote in drawing.footnotes:
        out.append(f"%% [{footnote.number}] {' '.join(footnote.lines)}")
    return "\n".join(out) + "\n"


def to_mermaid(workflow: Workflow[Any, Any] | Graph, options: DiagramOptions | None = None) -> str:
    """The Mermaid ``stateDiagram-v2`` text of ``workflow`` (or of a built :class:`Graph`)."""
    return render_mermaid(as_graph(workflow, options))
