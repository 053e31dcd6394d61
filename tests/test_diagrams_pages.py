"""The documentation pages generated from the definitions (workflows, rules, error tree)."""

from __future__ import annotations

import attrs

from discipline_flow import errors
from discipline_flow.diagrams import DiagramOptions, to_markdown, to_mermaid
from discipline_flow.diagrams._examples import complaint_workflow, inspection_workflow
from discipline_flow.diagrams._pages import (
    ERROR_TREE_MARKER,
    docs_workflows,
    error_tree,
    fill_workflow_markers,
    rules_page,
    workflow_markers,
    workflow_page,
    workflow_page_path,
    workflows_index,
)
from discipline_flow.rules import authority_markdown, default_registry, rules_markdown
from discipline_flow.serialization import WorkflowRegistry


def test_a_workflow_page_holds_both_diagrams_and_the_tables() -> None:
    wf = complaint_workflow()
    page = workflow_page(wf)
    assert page.startswith(
        "# Complaint about discipline (example)\n\n"
        "`example_complaint@1` · *Khiếu nại kỷ luật (ví dụ)*\n"
    )
    assert f"```mermaid\n{to_mermaid(wf)}```" in page
    assert f"```mermaid\n{to_mermaid(wf, DiagramOptions(lang='vi'))}```" in page
    assert to_markdown(wf, DiagramOptions(show_citations=True)) in page
    assert (
        "| `resolve_complaint` | Resolve the complaint | Giải quyết khiếu nại | 90 working days "
        "| entering `ACCEPTED` | QĐ 30-QĐ/TW Điều 32 tiết 5.2.1 | assumed |"
    ) in page
    assert (
        "| `direct_handling` | Direct the follow-up handling | Chỉ đạo xử lý tiếp theo | 5 days "
        "| trigger `RESOLVE` | QĐ 296-QĐ/TW Điều 8 mục 5 | verified |"
    ) in page
    assert "## Legal basis\n\n- Điều lệ Đảng Điều 39 k.7 (verified)\n" in page
    assert "Example workflow" not in page
    assert '!!! note "Example workflow"' in workflow_page(wf, is_example=True)


def test_a_workflow_without_deadlines_says_so() -> None:
    page = workflow_page(inspection_workflow())
    assert "## Deadline rules\n\nThis workflow starts no deadlines.\n" in page
    assert "## Legal basis" not in page


def test_the_index_links_every_page() -> None:
    index = workflows_index([inspection_workflow(), complaint_workflow()], are_examples=False)
    assert (
        "| [Inspection on signs of violation (example)](example_inspection.md) "
        "| `example_inspection@1` | 6 | 5 |"
    ) in index
    assert "| [Complaint about discipline (example)](example_complaint.md) " in index
    assert workflow_page_path(complaint_workflow()) == "workflows/example_complaint.md"
    assert "example workflows instead" in workflows_index([], are_examples=True)


def test_the_rules_page_lists_rulesets_and_deadline_rules_with_status() -> None:
    page = rules_page([complaint_workflow()])
    registry = default_registry()
    for ruleset in registry:
        assert f"### Ruleset `{ruleset.name}` ({ruleset.span})" in page
        assert rules_markdown(ruleset) in page
        if ruleset.authority:
            assert authority_markdown(ruleset) in page
    # newest first
    names = [r.name for r in registry]
    positions = [page.index(f"### Ruleset `{name}`") for name in names]
    assert positions == sorted(positions, reverse=True)
    assert "### [Complaint about discipline (example)](../workflows/example_complaint.md)" in page
    assert "| `resolve_complaint` |" in page


def test_the_error_tree_holds_every_public_error_once() -> None:
    tree = error_tree()
    exceptions = [
        name
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), errors.DisciplineFlowError)
    ]
    for name in exceptions:
        assert tree.count(f"**`{name}`**") == 1, name
    lines = tree.splitlines()
    assert lines[0].startswith("- **`DisciplineFlowError`**")
    assert (
        "    - **`RuntimeFlowError`**: An error raised while cases run (as opposed to while "
        "definitions are built)."
    ) in lines
    assert any(
        line.startswith("        - **`InputError`** (also `ValueError`): ") for line in lines
    )
    assert any(
        line.startswith("        - **`MissingToolError`**: An optional external program")
        for line in lines
    )
    assert ERROR_TREE_MARKER == "<!-- error-tree -->"


def test_docs_draw_the_shipped_workflows_or_else_the_examples() -> None:
    drawn = docs_workflows(WorkflowRegistry())
    assert drawn.are_examples
    assert [wf.key for wf in drawn.workflows] == ["example_inspection@1", "example_complaint@1"]
    newer = attrs.evolve(complaint_workflow(), version="2")
    registry = WorkflowRegistry([complaint_workflow(), inspection_workflow(), newer])
    drawn = docs_workflows(registry)
    assert not drawn.are_examples
    # one page per name, in the registry's order, drawing the latest version
    assert [wf.key for wf in drawn.workflows] == ["example_complaint@2", "example_inspection@1"]
    assert drawn.versions == {"example_complaint": ("1", "2"), "example_inspection": ("1",)}


def test_a_page_names_the_other_shipped_versions() -> None:
    page = workflow_page(complaint_workflow(), versions=("2021", "1", "2026"))
    assert (
        "This page draws version `1`, built from the ruleset of that name. Also shipped: "
        "`2021`, `2026` (one per ruleset; a case keeps the version it was opened under). "
        "Draw one with `discipline-flow diagram example_complaint@VERSION`."
    ) in page
    assert "Also shipped" not in workflow_page(complaint_workflow(), versions=("1",))


def test_a_marker_becomes_the_diagram_and_a_collapsed_table() -> None:
    wf = complaint_workflow()
    text, unknown = fill_workflow_markers(
        "# Complaint\n\nProse.\n\n<!-- workflow: example_complaint -->\n\n## States\n",
        {wf.name: wf},
        page="processes/complaint.md",
    )
    assert unknown == ()
    assert "<!-- workflow:" not in text
    assert text.startswith("# Complaint\n\nProse.\n\n**Complaint about discipline (example)** ")
    assert (
        "(`example_complaint@1`, drawn from the definition when this site was built; "
        "[every table and the Vietnamese diagram](../workflows/example_complaint.md))"
    ) in text
    assert f"```mermaid\n{to_mermaid(wf)}```" in text
    assert '??? info "States and transitions of `example_complaint`"\n\n    | State |' in text
    assert text.endswith("\n\n## States\n")
    # every table line is indented into the collapsed block
    table = to_markdown(wf, DiagramOptions(show_citations=True))
    for line in table.splitlines():
        assert (f"    {line}" if line else "") in text.splitlines()


def test_markers_naming_no_workflow_are_reported_and_kept() -> None:
    text, unknown = fill_workflow_markers(
        "<!-- workflow: nope -->\n<!-- workflow: other -->\nnot a marker: <!-- workflow: x -->\n",
        {},
        page="index.md",
    )
    assert unknown == ("nope", "other")
    assert text.startswith("<!-- workflow: nope -->\n<!-- workflow: other -->\n")
    assert workflow_markers(text) == ("nope", "other")


def test_a_workflow_page_links_the_page_that_explains_it() -> None:
    page = workflow_page(
        complaint_workflow(), explained_in=("Complaint", "../processes/complaint.md")
    )
    assert "The process is explained in [Complaint](../processes/complaint.md)." in page
