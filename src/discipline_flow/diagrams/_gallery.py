"""The gallery page of the docs: every shipped workflow drawn by Graphviz and by Mermaid.

The docs build (``docs/_hooks.py``) replaces the line ``<!-- gallery -->`` of a hand-written page
with :func:`gallery`: for each workflow its SVG from DOT (inline, at its natural size, so its
labels keep their size; the page scrolls sideways where one is wider than the column), its
Mermaid diagram (drawn in the browser), and the footnotes of a compact diagram under them.

>>> from discipline_flow.diagrams._examples import complaint_workflow
>>> page = gallery([complaint_workflow()], svg=lambda workflow: "<svg></svg>")
>>> print(page.splitlines()[0])
## Complaint about discipline (example) {: #example_complaint }
>>> '<div class="df-graphviz" data-workflow="example_complaint@1"><svg></svg></div>' in page
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from discipline_flow.diagrams._graph import build_graph, members
from discipline_flow.diagrams._layout import plan
from discipline_flow.diagrams._pages import mermaid_block, workflow_page_path
from discipline_flow.diagrams.markdown import markdown_cell
from discipline_flow.workflow import Workflow

__all__ = ["GALLERY_MARKER", "gallery", "inline_svg"]

#: The line of a hand-written page the docs build replaces with :func:`gallery`.
GALLERY_MARKER = "<!-- gallery -->"
#: What an SVG file has before its ``<svg>`` element (XML declaration, doctype, comments).
_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def inline_svg(svg_text: str) -> str:
    """``svg_text`` (a Graphviz SVG file) as one block of HTML for a Markdown page: no XML
    declaration, doctype or comments, and no blank line (a blank line would end the block).

    >>> inline_svg('<?xml version="1.0"?>\\n<!-- x -->\\n<svg>\\n\\n<g/></svg>\\n')
    '<svg>\\n<g/></svg>'
    """
    text = _COMMENT.sub("", _PROLOGUE.sub("", svg_text, count=1))
    return "\n".join(line for line in text.splitlines() if line.strip())


def gallery(
    workflows: Sequence[Workflow[Any, Any]],
    *,
    svg: Callable[[Workflow[Any, Any]], str] | None,
    page: str = "processes/gallery.md",
) -> str:
    """The gallery of ``workflows``: a section per workflow with its Graphviz SVG (made by
    ``svg``, or a note that Graphviz was missing when ``svg`` is None) and its Mermaid diagram,
    both at the default options, and a link to its page (relative to ``page``)."""
    depth = page.count("/")
    out: list[str] = []
    for workflow in workflows:
        title = workflow.label.en if workflow.label is not None else workflow.name
        link = "../" * depth + workflow_page_path(workflow)
        compact = plan(build_graph(workflow)).is_compact
        out.extend(
            [
                f"## {markdown_cell(title)} {{: #{workflow.name} }}",
                "",
                (
                    f"`{workflow.key}`: {len(members(workflow.states))} states, "
                    f"{len(workflow.compiled)} transitions"
                    + (", drawn compact (details in the numbered notes)" if compact else "")
                    + f". [Its page]({link}) has the tables and the Vietnamese diagram."
                ),
                "",
                "**Graphviz** (SVG from DOT)",
                "",
            ]
        )
        if svg is None:
            out.extend(
                [
                    "*(Graphviz's `dot` was not installed when this site was built: no SVG.)*",
                    "",
                ]
            )
        else:
            out.extend(
                [
                    (
                        f'<div class="df-graphviz" data-workflow="{workflow.key}">'
                        f"{inline_svg(svg(workflow))}</div>"
                    ),
                    "",
                ]
            )
        out.extend(["**Mermaid** (drawn in the browser)", "", *mermaid_block(workflow), ""])
    return "\n".join(out)
