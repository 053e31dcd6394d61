"""A workflow as two Markdown tables: its states, then its transitions.

Columns follow the options (guards, deadlines, basis); cells escape ``|`` so any label fits.

>>> from discipline_flow.diagrams import DiagramOptions, to_markdown
>>> from discipline_flow.diagrams._examples import inspection_workflow
>>> print(to_markdown(inspection_workflow(), DiagramOptions(states=["CONCLUDED", "CLOSED_NO_VIOLATION"])))
| State | Label | Kind | Deadlines started |
|---|---|---|---|
| `CONCLUDED` | Concluded |  |  |
| `CLOSED_NO_VIOLATION` | Closed: no violation | terminal |  |
<BLANKLINE>
| From | Trigger | To | Guards | Deadlines started |
|---|---|---|---|---|
| `CONCLUDED` | Close (`CLOSE`) | `CLOSED_NO_VIOLATION` |  |  |
<BLANKLINE>
"""

from __future__ import annotations

import re
from typing import Any

from discipline_flow.diagrams._graph import Graph, Node, as_graph
from discipline_flow.diagrams._options import DiagramOptions, Language
from discipline_flow.diagrams._text import (
    citation_text,
    deadline_text,
    guard_list,
    shown_guards,
    word,
)
from discipline_flow.workflow import Workflow

__all__ = ["markdown_cell", "to_markdown"]

_SPECIAL = re.compile(r"[\\|\r\n]")


def markdown_cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell.

    >>> markdown_cell("a | b\\nc")
    'a \\\\| b<br>c'
    """
    if _SPECIAL.search(text) is None:  # most cells: nothing to escape
        return text
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rule(columns: int) -> str:
    return "|" + "---|" * columns


def _kind(node: Node, lang: Language) -> str:
    kinds = []
    if node.is_initial:
        kinds.append(word("initial", lang))
    if node.is_terminal:
        kinds.append(word("terminal", lang))
    if node.is_current:
        kinds.append(f"**{word('current', lang)}**")
    elif node.is_visited:
        kinds.append(word("visited", lang))
    if node.is_focus:
        kinds.append(f"**{word('focus', lang)}**")
    return ", ".join(kinds)


def render_markdown(graph: Graph) -> str:
    """The states table and the transitions table of ``graph``."""
    opts = graph.options
    lang = opts.lang
    cite = opts.show_citations
    names = {node.id: node.name for node in graph.nodes}

    header = [word("state", lang), word("label", lang), word("kind", lang)]
    if opts.show_deadlines:
        header.append(word("deadlines", lang))
    out = [_row(header), _rule(len(header))]
    for node in graph.nodes:
        cells = [f"`{node.name}`", markdown_cell(node.label), _kind(node, lang)]
        if opts.show_deadlines:
            cells.append(
                "<br>".join(
                    markdown_cell(deadline_text(n, lang, with_citation=cite))
                    for n in node.deadlines
                )
            )
        out.append(_row(cells))
    out.append("")

    show_guard_column = opts.show_guards or opts.show_authority
    header = [word("from", lang), word("trigger", lang), word("to", lang)]
    if show_guard_column:
        header.append(word("guards", lang))
    if opts.show_deadlines:
        header.append(word("deadlines", lang))
    if cite:
        header.append(word("citation", lang))
    if opts.highlight is not None:
        header.append(word("taken", lang))
    out.extend([_row(header), _rule(len(header))])
    for edge in graph.edges:
        cells = [
            f"`{names[edge.source]}`",
            f"{markdown_cell(edge.label)} (`{edge.trigger}`)",
            f"`{names[edge.target]}`",
        ]
        if show_guard_column:
            guards = shown_guards(
                edge, show_guards=opts.show_guards, show_authority=opts.show_authority
            )
            cells.append(markdown_cell(guard_list(guards, with_citation=cite)))
        if opts.show_deadlines:
            cells.append(
                "<br>".join(
                    markdown_cell(deadline_text(n, lang, with_citation=cite))
                    for n in edge.deadlines
                )
            )
        if cite:
            cells.append(markdown_cell(citation_text(edge.basis)) if edge.basis else "")
        if opts.highlight is not None:
            cells.append(", ".join(str(n) for n in edge.taken))
        out.append(_row(cells))
    return "\n".join(out) + "\n"


def to_markdown(workflow: Workflow[Any, Any] | Graph, options: DiagramOptions | None = None) -> str:
    """The states and transitions of ``workflow`` (or of a built :class:`Graph`) as Markdown."""
    return render_markdown(as_graph(workflow, options))
