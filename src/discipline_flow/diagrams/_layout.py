"""What a state diagram writes where: self-loops grouped per state, and the compact layout.

The DOT and Mermaid renderers draw a :class:`Drawing` planned here from a graph, so both write
the same words in the same places:

- **Self-loops** (a move that stays in its state, such as recording a follow-up) are not drawn
  as arrows, whose labels Graphviz stacks on top of each other: each state with such moves gets
  one note listing them, each marked ``↻``.
- **Compact layout** (:class:`~discipline_flow.diagrams.Layout`): an arrow or a state says only
  its name and a footnote number ``[n]``; guards, deadlines and legal basis are written once
  each in numbered footnotes under the diagram (the same details share one number).

>>> from discipline_flow.diagrams import DiagramOptions, build_graph
>>> from discipline_flow.diagrams._examples import complaint_workflow
>>> drawing = plan(build_graph(complaint_workflow(), DiagramOptions(layout="compact")))
>>> [lines for edge, lines in drawing.edges][:2]
[('Accept [2]',), ('Reject [3]',)]
>>> print(drawing.footnotes[1])
[2] if: authority_competent_body, filed_within_window
"""

from __future__ import annotations

import textwrap

import attrs

from discipline_flow.diagrams._graph import Edge, Graph, Node
from discipline_flow.diagrams._options import (
    COMPACT_LINE,
    COMPACT_MOVES,
    COMPACT_STATES,
    DiagramOptions,
    Direction,
    Layout,
)
from discipline_flow.diagrams._text import (
    citation_text,
    deadline_text,
    edge_lines,
    guard_list,
    shown_guards,
    word,
)

__all__ = [
    "FOOTNOTE_WIDTH",
    "LABEL_WIDTH",
    "LABEL_WIDTH_ACROSS",
    "LOOP_MARK",
    "Drawing",
    "Footnote",
    "is_compact",
    "plan",
]

#: The mark of a move that stays in its state, in the state's note.
LOOP_MARK = "↻"
#: Characters a footnote line holds before it wraps (a footnote never widens a diagram much).
FOOTNOTE_WIDTH = 100
#: Characters a state's or an arrow's name holds in the compact layout before it wraps (fewer
#: left to right, where every character of an arrow's label pushes the next state away).
LABEL_WIDTH = 18
LABEL_WIDTH_ACROSS = 14


@attrs.frozen
class Footnote:
    """A numbered detail under a compact diagram: guards, deadlines and basis of a move or state.

    ``lines`` is the text wrapped to :data:`FOOTNOTE_WIDTH` characters.
    """

    number: int
    lines: tuple[str, ...]

    def __str__(self) -> str:
        return f"[{self.number}] " + "\n    ".join(self.lines)


@attrs.frozen
class Drawing:
    """A graph planned for drawing.

    ``nodes``: each state with its name (lines, a footnote mark in the compact layout) and its
    detail lines (the deadlines its entry starts, in the full layout). ``loops``: each state that
    has moves staying in it, with the lines of its note. ``edges``: every move between two
    different states with the lines of its label, the first one its name. ``footnotes``: the
    numbered details of the compact layout (none in the full one).
    """

    graph: Graph
    is_compact: bool
    nodes: tuple[tuple[Node, tuple[str, ...], tuple[str, ...]], ...]
    loops: tuple[tuple[Node, tuple[str, ...]], ...]
    edges: tuple[tuple[Edge, tuple[str, ...]], ...]
    footnotes: tuple[Footnote, ...]


def is_compact(graph: Graph) -> bool:
    """Whether ``graph`` is drawn in the compact layout under its options."""
    layout = graph.options.layout
    if layout is not Layout.AUTO:
        return layout is Layout.COMPACT
    if len(graph.nodes) > COMPACT_STATES or len(graph.edges) > COMPACT_MOVES:
        return True
    options = graph.options
    lang, cite = options.lang, options.show_citations
    lines = [line for edge in graph.edges for line in edge_lines(edge, options)]
    lines.extend(
        deadline_text(note, lang, with_citation=cite)
        for node in graph.nodes
        for note in node.deadlines
    )
    return any(len(line) > COMPACT_LINE for line in lines)


class _Numbers:
    """Footnote numbers by text, given in the order the texts are first met."""

    def __init__(self) -> None:
        self.by_text: dict[str, int] = {}

    def mark(self, details: list[str]) -> str:
        """`` [n]`` for the details (joined), or empty text when there are none."""
        if not details:
            return ""
        text = " · ".join(details)
        number = self.by_text.setdefault(text, len(self.by_text) + 1)
        return f" [{number}]"

    def footnotes(self) -> tuple[Footnote, ...]:
        return tuple(
            Footnote(number, tuple(textwrap.wrap(text, FOOTNOTE_WIDTH, break_on_hyphens=False)))
            for text, number in self.by_text.items()
        )


def _wrap(text: str, options: DiagramOptions) -> tuple[str, ...]:
    width = LABEL_WIDTH if options.direction is Direction.DOWN else LABEL_WIDTH_ACROSS
    return tuple(textwrap.wrap(text, width, break_on_hyphens=False)) or (text,)


def _details(edge: Edge, options: DiagramOptions) -> list[str]:
    """The guards, deadlines and basis of a move, as its footnote says them."""
    lang, cite = options.lang, options.show_citations
    details = []
    if options.show_guards or options.show_authority:
        guards = shown_guards(
            edge, show_guards=options.show_guards, show_authority=options.show_authority
        )
        if guards:
            details.append(f"{word('if', lang)}: {guard_list(guards, with_citation=cite)}")
    details.extend(deadline_text(note, lang, with_citation=cite) for note in edge.deadlines)
    if cite and edge.basis is not None:
        details.append(f"{word('basis', lang)}: {citation_text(edge.basis)}")
    return details


def _node_parts(
    node: Node, options: DiagramOptions, numbers: _Numbers | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    details = [
        deadline_text(note, options.lang, with_citation=options.show_citations)
        for note in node.deadlines
    ]
    if numbers is None:
        return (node.label,), tuple(details)
    return _wrap(node.label + numbers.mark(details), options), ()


def _edge_parts(edge: Edge, options: DiagramOptions, numbers: _Numbers | None) -> tuple[str, ...]:
    lines = edge_lines(edge, options)
    if numbers is None:
        return tuple(lines)
    return _wrap(lines[0] + numbers.mark(_details(edge, options)), options)


def plan(graph: Graph) -> Drawing:
    """The :class:`Drawing` of ``graph``: loops grouped per state, compact when it should be."""
    options = graph.options
    compact = is_compact(graph)
    numbers = _Numbers() if compact else None
    nodes: list[tuple[Node, tuple[str, ...], tuple[str, ...]]] = []
    for node in graph.nodes:
        head, details = _node_parts(node, options, numbers)
        nodes.append((node, head, details))
    loop_lines: dict[str, list[str]] = {}
    edges: list[tuple[Edge, tuple[str, ...]]] = []
    for edge in graph.edges:
        lines = _edge_parts(edge, options, numbers)
        if edge.source != edge.target:
            edges.append((edge, lines))
            continue
        note = loop_lines.setdefault(edge.source, [])
        if compact:
            note.append(f"{LOOP_MARK} {' '.join(lines)}")
        else:
            note.append(f"{LOOP_MARK} {lines[0]}")
            note.extend(f"    {line}" for line in lines[1:])
    loops = tuple(
        (node, tuple(loop_lines[node.id])) for node in graph.nodes if node.id in loop_lines
    )
    footnotes = numbers.footnotes() if numbers is not None else ()
    return Drawing(graph, compact, tuple(nodes), loops, tuple(edges), footnotes)
