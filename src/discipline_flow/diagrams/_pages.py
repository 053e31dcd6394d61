"""Documentation pages generated from the library's own definitions.

The docs build (``docs/_hooks.py``) calls these to write one page per shipped workflow (its
Mermaid diagram in English and Vietnamese and its tables), an index of the workflows, and the
rules reference (every rule of every built-in ruleset and every deadline rule, with its citation
and status). They are plain functions of the definitions, so the tests check them without
building the site.

>>> from discipline_flow.diagrams._examples import complaint_workflow
>>> page = workflow_page(complaint_workflow())
>>> page.splitlines()[0]
'# Complaint about discipline (example)'
>>> "```mermaid" in page
True
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from discipline_flow import errors
from discipline_flow.citation import Citation, RuleStatus
from discipline_flow.diagrams._cli import shipped_workflows
from discipline_flow.diagrams._examples import complaint_workflow, inspection_workflow
from discipline_flow.diagrams._graph import build_graph, members
from discipline_flow.diagrams._layout import plan
from discipline_flow.diagrams._options import DiagramOptions, Language
from discipline_flow.diagrams.markdown import markdown_cell, to_markdown
from discipline_flow.diagrams.mermaid import to_mermaid
from discipline_flow.rules import authority_markdown, default_registry, rules_markdown
from discipline_flow.serialization import WorkflowRegistry
from discipline_flow.workflow import Workflow

__all__ = [
    "ERROR_TREE_MARKER",
    "WORKFLOWS_DIR",
    "WORKFLOW_MARKER",
    "DocsWorkflows",
    "docs_workflows",
    "embedded_workflow",
    "error_tree",
    "fill_workflow_markers",
    "mermaid_block",
    "rules_page",
    "workflow_markers",
    "workflow_page",
    "workflow_page_path",
    "workflows_index",
]

#: Where the generated workflow pages live inside the docs.
WORKFLOWS_DIR = "workflows"


@attrs.frozen
class DocsWorkflows:
    """The workflows the docs draw, and whether they are the examples (no shipped ones found).

    ``workflows`` holds one workflow per name, its latest version; ``versions`` every version
    of each name that is shipped (a workflow's version is the ruleset it was built from).
    """

    workflows: tuple[Workflow[Any, Any], ...]
    are_examples: bool
    versions: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


def docs_workflows(registry: WorkflowRegistry | None = None) -> DocsWorkflows:
    """The workflows of ``registry`` (the shipped ones by default), latest version of each, or
    the examples when it holds none."""
    if registry is None:
        registry = shipped_workflows()
    versions: dict[str, list[str]] = {}
    for workflow in registry:  # in process order, oldest ruleset first
        versions.setdefault(workflow.name, []).append(workflow.version)
    if versions:
        return DocsWorkflows(
            tuple(registry.get(name) for name in versions),
            are_examples=False,
            versions={name: tuple(found) for name, found in versions.items()},
        )

    examples = (inspection_workflow(), complaint_workflow())
    return DocsWorkflows(
        examples, are_examples=True, versions={w.name: (w.version,) for w in examples}
    )


def workflow_page_path(workflow: Workflow[Any, Any]) -> str:
    """The docs path of ``workflow``'s page, e.g. ``workflows/inspection.md``."""
    return f"{WORKFLOWS_DIR}/{workflow.name}.md"


def _title(workflow: Workflow[Any, Any], lang: str = "en") -> str:
    if workflow.label is not None:
        return workflow.label.text(lang)
    return workflow.name.replace("_", " ").capitalize()


def _cite(citation: Citation | None) -> str:
    if citation is None:
        return ""
    return markdown_cell(citation.reference)


def _status(citation: Citation | None) -> str:
    return citation.status.value if citation is not None else ""


def _deadline_rules_table(workflow: Workflow[Any, Any]) -> list[str]:
    if not workflow.deadline_rules:
        return ["This workflow starts no deadlines."]
    out = [
        "| Rule | Label | Nhãn | Period | Starts | Basis | Status |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in workflow.deadline_rules:
        if rule.starts_on_trigger is not None:
            starts = f"trigger `{rule.starts_on_trigger.name}`"
        elif rule.starts_on_enter is not None:
            starts = f"entering `{rule.starts_on_enter.name}`"
        else:
            starts = ""
        out.append(
            f"| `{rule.name}` | {markdown_cell(rule.label_en)} | {markdown_cell(rule.label_vi)} "
            f"| {markdown_cell(rule.period_label())} | {starts} | {_cite(rule.citation)} "
            f"| {_status(rule.citation)} |"
        )
    return out


def mermaid_block(workflow: Workflow[Any, Any], options: DiagramOptions | None = None) -> list[str]:
    """The lines of a fenced Mermaid diagram of ``workflow`` and, when it is drawn compact, its
    numbered footnotes under it (a list whose ``[n]`` match the marks on the diagram).

    >>> from discipline_flow.diagrams._examples import complaint_workflow
    >>> lines = mermaid_block(complaint_workflow(), DiagramOptions(layout="compact"))
    >>> lines[0]
    '```mermaid'
    >>> print(lines[-1])
    - \\[4\\] if: authority_competent_body · deadline: Direct the follow-up handling, 5 days
    """
    graph = build_graph(workflow, options)
    out = ["```mermaid", to_mermaid(graph).rstrip("\n"), "```"]
    footnotes = plan(graph).footnotes
    if footnotes:
        out.append("")
        out.extend(
            f"- \\[{note.number}\\] {markdown_cell(' '.join(note.lines))}" for note in footnotes
        )
    return out


def workflow_page(
    workflow: Workflow[Any, Any],
    *,
    is_example: bool = False,
    versions: Sequence[str] = (),
    explained_in: tuple[str, str] | None = None,
) -> str:
    """The Markdown page of one workflow: diagrams in both languages, tables, legal basis.

    ``versions`` lists every shipped version of the workflow; the page draws ``workflow``.
    ``explained_in`` is the title and link of the page that explains the process in prose.
    """
    out = [f"# {_title(workflow)}", ""]
    vi_title = _title(workflow, "vi")
    out.append(f"`{workflow.key}`" + (f" · *{vi_title}*" if vi_title != _title(workflow) else ""))
    out.append("")
    others = [v for v in versions if v != workflow.version]
    if others:
        listed = ", ".join(f"`{v}`" for v in others)
        out.extend(
            [
                (
                    f"This page draws version `{workflow.version}`, built from the ruleset of that "
                    f"name. Also shipped: {listed} (one per ruleset; a case keeps the version it was "
                    f"opened under). Draw one with `discipline-flow diagram "
                    f"{workflow.name}@VERSION`."
                ),
                "",
            ]
        )
    if is_example:
        out.extend(
            [
                '!!! note "Example workflow"',
                (
                    "    The shipped CPV workflows were not installed when this site was built, so "
                    "this page shows one of the library's small example workflows."
                ),
                "",
            ]
        )
    if workflow.description:
        out.extend([workflow.description, ""])
    if explained_in is not None:
        title, link = explained_in
        out.extend([f"The process is explained in [{markdown_cell(title)}]({link}).", ""])
    out.extend(
        [
            (
                "This page is generated from the definition when the documentation is built "
                "(`discipline-flow diagram` draws the same diagrams)."
            ),
            "",
            "## Diagram",
            "",
            *mermaid_block(workflow),
            "",
            "## Sơ đồ (tiếng Việt)",
            "",
            *mermaid_block(workflow, DiagramOptions(lang=Language.VI)),
            "",
            "## States and transitions",
            "",
            to_markdown(workflow, DiagramOptions(show_citations=True)).rstrip("\n"),
            "",
            "## Deadline rules",
            "",
            *_deadline_rules_table(workflow),
            "",
        ]
    )
    if workflow.citations:
        out.extend(["## Legal basis", ""])
        out.extend(f"- {markdown_cell(str(c))}" for c in workflow.citations)
        out.append("")
    return "\n".join(out)


def workflows_index(workflows: Sequence[Workflow[Any, Any]], *, are_examples: bool) -> str:
    """The index page listing every drawn workflow."""
    out = ["# Workflows", ""]
    if are_examples:
        out.extend(
            [
                (
                    "The shipped CPV workflows were not installed when this site was built; the "
                    "pages below draw the library's example workflows instead."
                ),
                "",
            ]
        )
    else:
        out.extend(
            [
                (
                    "Every workflow the library ships, drawn from its definition when the "
                    "documentation was built."
                ),
                "",
            ]
        )
    out.extend(["| Workflow | Key | States | Transitions |", "|---|---|---|---|"])
    for workflow in workflows:
        page = workflow_page_path(workflow).removeprefix(f"{WORKFLOWS_DIR}/")
        out.append(
            f"| [{markdown_cell(_title(workflow))}]({page}) | `{workflow.key}` "
            f"| {len(members(workflow.states))} | {len(workflow.compiled)} |"
        )
    out.append("")
    return "\n".join(out)


def rules_page(workflows: Sequence[Workflow[Any, Any]]) -> str:
    """Every rule of every built-in ruleset, and every deadline rule, with citation and status."""
    out = [
        "# Rules",
        "",
        (
            "Every rule the library encodes, with its legal basis and how well that basis is "
            "supported: **verified** (read in an official or legal-information page), "
            "**secondary** (seen only in secondary material), **assumed** (recalled or inferred, "
            "not confirmed), **overridden** (replaced by the embedding system). This page is "
            "generated from the definitions when the documentation is built."
        ),
        "",
    ]

    rulesets = tuple(default_registry())
    statuses = tuple(RuleStatus)
    out.extend(
        [
            "## Rulesets",
            "",
            (
                "Newest first; each is in force between the dates shown, and each is read from its "
                "file in the package, `discipline_flow/rules/data/NAME.toml` (see "
                "[add or override a rule](../how-to/add-or-override-a-rule.md)). Rules by status:"
            ),
            "",
            "| Ruleset | In force | " + " | ".join(s.value for s in statuses) + " | Rules |",
            "|---|---|" + "---:|" * (len(statuses) + 1),
            *(
                f"| `{r.name}` | {r.span} | "
                + " | ".join(str(len(r.by_status(s))) for s in statuses)
                + f" | {len(r.rules)} |"
                for r in reversed(rulesets)
            ),
            "",
        ]
    )
    for ruleset in reversed(rulesets):
        out.extend([f"### Ruleset `{ruleset.name}` ({ruleset.span})", ""])
        out.extend([f"From `discipline_flow/rules/data/{ruleset.name}.toml`.", ""])
        if ruleset.note:
            out.extend([markdown_cell(ruleset.note), ""])
        out.extend(["#### Rules", "", rules_markdown(ruleset).rstrip("\n"), ""])
        if ruleset.authority:
            out.extend(["#### Authority", "", authority_markdown(ruleset).rstrip("\n"), ""])
    out.extend(["## Deadline rules of the workflows", ""])
    for workflow in workflows:
        page = workflow_page_path(workflow)
        out.extend([f"### [{markdown_cell(_title(workflow))}](../{page})", ""])
        out.extend(_deadline_rules_table(workflow))
        out.append("")
    return "\n".join(out)


#: The marker in ``docs/reference/errors.md`` the docs build replaces with :func:`error_tree`.
ERROR_TREE_MARKER = "<!-- error-tree -->"


def error_tree() -> str:
    """Every error class of :mod:`discipline_flow.errors` as a nested Markdown list.

    Each entry names the builtin exceptions it also derives from and the first line of its
    docstring.

    >>> error_tree().splitlines()[0]
    '- **`DisciplineFlowError`**: Root of every error raised by discipline_flow.'
    """
    public = {getattr(errors, name) for name in errors.__all__}

    def children(cls: type[BaseException]) -> list[type[BaseException]]:
        found = [c for c in cls.__subclasses__() if c in public]
        order = list(errors.__all__)
        return sorted(found, key=lambda c: order.index(c.__name__))

    def line(cls: type[BaseException], depth: int) -> list[str]:
        builtins = [
            base.__name__
            for base in cls.__mro__[1:]
            if base.__module__ == "builtins" and base not in (Exception, BaseException, object)
        ]
        also = f" (also `{'`, `'.join(builtins)}`)" if builtins else ""
        doc = (cls.__doc__ or "").strip().splitlines()
        summary = f": {doc[0]}" if doc else ""
        out = [f"{'    ' * depth}- **`{cls.__name__}`**{also}{summary}"]
        for child in children(cls):
            out.extend(line(child, depth + 1))
        return out

    return "\n".join(line(errors.DisciplineFlowError, 0)) + "\n"


#: A line in a hand-written page where the diagram and table of workflow ``NAME`` go.
WORKFLOW_MARKER = re.compile(r"^<!-- workflow: ([A-Za-z_][A-Za-z0-9_]*) -->[ \t]*$", re.MULTILINE)


def embedded_workflow(workflow: Workflow[Any, Any], *, link: str) -> str:
    """What replaces a workflow marker: a caption, the Mermaid diagram, and the states and
    transitions in a collapsed block; ``link`` points to the workflow's own page."""
    table = to_markdown(workflow, DiagramOptions(show_citations=True)).rstrip("\n")
    return "\n".join(
        [
            (
                f"**{markdown_cell(_title(workflow))}** (`{workflow.key}`, drawn from the definition "
                f"when this site was built; [every table and the Vietnamese diagram]({link}))"
            ),
            "",
            *mermaid_block(workflow),
            "",
            f'??? info "States and transitions of `{workflow.name}`"',
            "",
            *(f"    {line}" if line else "" for line in table.splitlines()),
            "",
        ]
    )


def fill_workflow_markers(
    markdown: str,
    workflows: Mapping[str, Workflow[Any, Any]],
    *,
    page: str,
) -> tuple[str, tuple[str, ...]]:
    r"""``markdown`` with each workflow marker replaced; also the names no workflow has.

    ``page`` is the docs path of the page (links to the workflow pages are relative to it).

    >>> from discipline_flow.diagrams._examples import inspection_workflow
    >>> text, unknown = fill_workflow_markers(
    ...     "<!-- workflow: example_inspection -->\n<!-- workflow: nope -->\n",
    ...     {"example_inspection": inspection_workflow()},
    ...     page="processes/inspection.md",
    ... )
    >>> text.count("```mermaid"), unknown
    (1, ('nope',))
    >>> "[every table and the Vietnamese diagram](../workflows/example_inspection.md)" in text
    True
    """
    unknown: list[str] = []
    here = posixpath.dirname(page)

    def replace(match: re.Match[str]) -> str:
        workflow = workflows.get(match.group(1))
        if workflow is None:
            unknown.append(match.group(1))
            return match.group(0)
        link = posixpath.relpath(workflow_page_path(workflow), here or ".")
        return embedded_workflow(workflow, link=link)

    return WORKFLOW_MARKER.sub(replace, markdown), tuple(unknown)


def workflow_markers(markdown: str) -> tuple[str, ...]:
    """The workflow names the markers of ``markdown`` ask for, in order."""
    return tuple(WORKFLOW_MARKER.findall(markdown))
