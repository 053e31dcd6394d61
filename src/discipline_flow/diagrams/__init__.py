"""Diagrams of workflows and cases, as a pure function of the definition.

A workflow is first drawn as a small :class:`Graph` (:func:`build_graph`), which the renderers
format: Mermaid ``stateDiagram-v2`` (:func:`to_mermaid`), Graphviz DOT (:func:`to_dot`), Markdown
tables (:func:`to_markdown`), and SVG or PNG images through Graphviz when it is installed
(:func:`to_svg`, :func:`to_png`). :class:`DiagramOptions` chooses the language, what is annotated
(guards, authority, deadlines, legal basis), a case to highlight and a subset of states. A case's
history is drawn by :func:`case_timeline` (Mermaid ``gantt``, from the rows of :func:`timeline_of`)
and linked cases by :func:`matter_tree`.

>>> from discipline_flow.diagrams import DiagramOptions, to_mermaid
>>> from discipline_flow.diagrams._examples import complaint_workflow
>>> text = to_mermaid(complaint_workflow(), DiagramOptions(lang="vi"))
>>> 'state "Đã thụ lý" as ACCEPTED' in text
True
"""

from __future__ import annotations

from discipline_flow.diagrams._graph import (
    DeadlineNote,
    Edge,
    Graph,
    GuardNote,
    Node,
    build_graph,
)
from discipline_flow.diagrams._images import (
    ImageFormat,
    diagram_file_name,
    has_graphviz,
    to_png,
    to_svg,
)
from discipline_flow.diagrams._options import (
    DiagramOptions,
    Direction,
    Highlight,
    Language,
    Layout,
)
from discipline_flow.diagrams.dot import to_dot
from discipline_flow.diagrams.markdown import to_markdown
from discipline_flow.diagrams.mermaid import to_mermaid
from discipline_flow.diagrams.timeline import (
    DeadlineBar,
    StateBar,
    StepMark,
    Timeline,
    case_timeline,
    matter_tree,
    timeline_of,
)

__all__ = [
    "DeadlineBar",
    "DeadlineNote",
    "DiagramOptions",
    "Direction",
    "Edge",
    "Graph",
    "GuardNote",
    "Highlight",
    "ImageFormat",
    "Language",
    "Layout",
    "Node",
    "StateBar",
    "StepMark",
    "Timeline",
    "build_graph",
    "case_timeline",
    "diagram_file_name",
    "has_graphviz",
    "matter_tree",
    "timeline_of",
    "to_dot",
    "to_markdown",
    "to_mermaid",
    "to_png",
    "to_svg",
]
