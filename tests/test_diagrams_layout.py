"""Diagrams that read well at any size: self-loops in one note per state, the compact layout with
numbered footnotes, the focus view highlighted, guards labelled in Vietnamese.

The figures "before" are those of the release these tests were written against (issue 15,
item 8). Where Graphviz is needed, its own layout is read back (``dot -Tjson``: each label's
position, width and font size) and the boxes of the labels are compared.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from typing import Any

import pendulum
import pytest

from discipline_flow import Member
from discipline_flow.definition import Guard, Label
from discipline_flow.diagrams import (
    DiagramOptions,
    Layout,
    build_graph,
    diagram_file_name,
    to_dot,
    to_markdown,
    to_mermaid,
    to_png,
    to_svg,
)
from discipline_flow.diagrams._cli import shipped_workflows
from discipline_flow.diagrams._examples import complaint_workflow
from discipline_flow.diagrams._guard_labels import GUARD_LABELS_VI, guard_label
from discipline_flow.diagrams._layout import is_compact, plan
from discipline_flow.diagrams._options import Language
from discipline_flow.diagrams._pages import docs_workflows
from discipline_flow.errors import InputError
from discipline_flow.workflow import Workflow

needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")

#: (owner, text, left, bottom, right, top) in Graphviz points.
Box = tuple[str, str, float, float, float, float]


def member() -> Workflow[Any, Any]:
    return shipped_workflows().get("member_discipline", "2026")


def _layout(dot_text: str) -> dict[str, Any]:
    done = subprocess.run(
        ["dot", "-Tjson"], input=dot_text.encode("utf-8"), capture_output=True, check=True
    )
    layout: dict[str, Any] = json.loads(done.stdout)
    return layout


def _text_boxes(layout: dict[str, Any]) -> list[Box]:
    """Every label line Graphviz placed, as a box: its width as Graphviz measured it, from
    a fifth of the font size below the baseline to three quarters above (lines of one label are
    1.1 font sizes apart, so they never overlap each other)."""
    boxes: list[Box] = []

    def take(owner: str, ops: list[dict[str, Any]] | None) -> None:
        size = 14.0
        for op in ops or []:
            if op["op"] == "F":
                size = op["size"]
            elif op["op"] == "T":
                x, y = op["pt"]
                width = op["width"]
                left = {"c": x - width / 2, "l": x, "r": x - width}[op["align"]]
                boxes.append(
                    (owner, op["text"], left, y - 0.2 * size, left + width, y + 0.75 * size)
                )

    take("graph", layout.get("_ldraw_"))
    for node in layout.get("objects", []):
        take(node["name"], node.get("_ldraw_"))
    for edge in layout.get("edges", []):
        take(f"edge {edge['_gvid']}", edge.get("_ldraw_"))
    return boxes


def _overlap(a: Box, b: Box, margin: float = 1.0) -> bool:
    return (
        a[2] < b[4] - margin
        and b[2] < a[4] - margin
        and a[3] < b[5] - margin
        and b[3] < a[5] - margin
    )


def _overlapping_labels(dot_text: str) -> list[tuple[str, str]]:
    return _overlapping_boxes(_layout(dot_text))


def _overlapping_boxes(layout: dict[str, Any]) -> list[tuple[str, str]]:
    boxes = _text_boxes(layout)
    return [
        (a[1], b[1])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] != b[0] and _overlap(a, b)
    ]


def _bezier(points: list[list[float]], steps: int = 20) -> list[tuple[float, float]]:
    out = []
    for i in range(0, len(points) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[i : i + 4]
        for k in range(steps + 1):
            t = k / steps
            u = 1 - t
            out.append(
                (
                    u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                    u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
                )
            )
    return out


def _labels_crossed_by_loops(dot_text: str) -> list[str]:
    """The label lines an arrow from a state back to itself is drawn through."""
    layout = _layout(dot_text)
    names = {node["_gvid"]: node["name"] for node in layout.get("objects", [])}
    boxes = _text_boxes(layout)
    crossed: set[str] = set()
    for edge in layout.get("edges", []):
        if names[edge["tail"]] != names[edge["head"]]:
            continue
        for op in edge.get("_draw_", []):
            if op["op"] != "b":
                continue
            for x, y in _bezier(op["points"]):
                crossed.update(
                    box[1]
                    for box in boxes
                    if box[2] + 1 < x < box[4] - 1 and box[3] + 1 < y < box[5] - 1
                )
    return sorted(crossed)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _svg_width_px(svg: str) -> float:
    found = re.search(r'<svg width="(\d+)pt"', svg)
    assert found is not None
    return int(found.group(1)) * 4 / 3  # CSS pixels: 96 per inch, 72 points per inch


# --------------------------------------------------------------------------- self-loops


def test_self_loops_are_one_note_per_state() -> None:
    dot = to_dot(member())
    # Before: 10 arrows from a state to itself, their labels stacked on the arrows.
    assert re.findall(r'^    "(\w+)" -> "\1"', dot, re.MULTILINE) == []
    assert (
        '    "DECIDED__loops" [shape=note, fontsize=10, color="#6b7280", '
        'label="↻ Approve the decision [9]\\l↻ Record administrative follow-up [12]\\l"];'
    ) in dot
    assert '    { rank=same; "DECIDED"; "DECIDED__loops"; }' in dot
    assert dot.count('__loops" [shape=note') == 8  # the states with moves that stay
    mermaid = to_mermaid(member())
    assert (
        "    DECIDED : ↻ Approve the decision [9]\n    DECIDED : ↻ Record administrative" in mermaid
    )
    assert "DECIDED --> DECIDED" not in mermaid


def test_a_full_layout_note_keeps_the_details_under_each_move() -> None:
    graph = build_graph(member(), DiagramOptions(layout="full", states=["DECIDED"]))
    assert plan(graph).loops[0][1] == (
        "↻ Approve the decision",
        "    [higher_body]",
        "↻ Record administrative follow-up",
        "    [action_given]",
    )


@needs_graphviz
def test_no_label_is_crossed_by_a_loop_and_the_png_is_narrower() -> None:
    # Before: 3,547 x 1,586 px, 11 label lines drawn through by loops.
    dot = to_dot(member())
    assert _labels_crossed_by_loops(dot) == []
    width, height = _png_size(to_png(member()))
    assert width <= 2000, (width, height)
    assert height <= 2200, (width, height)


# --------------------------------------------------------------------------- compact layout


def test_the_compact_layout_numbers_each_detail_once() -> None:
    drawing = plan(build_graph(member()))
    assert drawing.is_compact
    texts = [" ".join(note.lines) for note in drawing.footnotes]
    assert len(texts) == len(set(texts)) == 24
    assert texts[11] == "if: action_given"  # [12]: recording a follow-up, in five states
    assert sum(" [12]" in line for _, lines in drawing.loops for line in lines) == 6
    dot = to_dot(member())
    assert (
        '"__notes__" [shape=plaintext, fontsize=10, label="Notes\\l[1] deadline: Automatic' in dot
    )
    assert '{ rank=sink; "__notes__"; }' in dot
    assert "%% [12] if: action_given\n" in to_mermaid(member())


def test_auto_is_compact_only_for_a_large_or_wordy_workflow() -> None:
    complaint = complaint_workflow()
    assert not is_compact(build_graph(complaint))  # 5 states, 6 moves, short lines
    assert is_compact(build_graph(complaint, DiagramOptions(show_citations=True)))  # long lines
    assert is_compact(build_graph(member()))  # 17 states, 48 moves
    assert not is_compact(build_graph(member(), DiagramOptions(layout=Layout.FULL)))
    assert is_compact(build_graph(complaint, DiagramOptions(layout="compact")))
    with pytest.raises(InputError, match="'tiny' is not a layout; layouts: auto, full, compact"):
        DiagramOptions(layout="tiny")


@needs_graphviz
def test_left_to_right_with_citations_is_a_third_as_wide() -> None:
    # Before: over 11,000 pt (about 15,000 px): every guard's citation on its arrow. Left to right, the
    # chain of ten states stays long; the details are in the footnotes.
    svg = to_svg(member(), DiagramOptions(direction="LR", show_citations=True))
    assert _svg_width_px(svg) <= 5000
    assert "[QĐ" not in "".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)[:40])


@needs_graphviz
@pytest.mark.parametrize("workflow", docs_workflows().workflows, ids=lambda wf: wf.key)
def test_every_shipped_workflow_fits_2000_px_without_overlapping_labels(
    workflow: Workflow[Any, Any],
) -> None:
    for options in (DiagramOptions(), DiagramOptions(lang="vi")):
        dot = to_dot(workflow, options)
        assert _overlapping_labels(dot) == [], options.lang
        assert _labels_crossed_by_loops(dot) == []
        assert _svg_width_px(to_svg(workflow, options)) <= 2000, options.lang


def test_the_overlap_check_sees_overlapping_labels() -> None:
    def label(x: float, y: float, text: str) -> list[dict[str, Any]]:
        font = {"op": "F", "size": 10.0, "face": "DejaVu Sans"}
        return [font, {"op": "T", "pt": [x, y], "align": "c", "width": 60.0, "text": text}]

    def layout(second_y: float) -> dict[str, Any]:
        return {
            "objects": [{"name": "a", "_ldraw_": label(100, 50, "one")}],
            "edges": [{"_gvid": 0, "_ldraw_": label(130, second_y, "two")}],
        }

    assert _overlapping_boxes(layout(55)) == [("one", "two")]  # 30 pt apart, 5 pt up: overlap
    assert _overlapping_boxes(layout(61)) == []  # a line further up (1.1 font sizes): apart


# --------------------------------------------------------------------------- focus view


def test_the_focus_view_highlights_the_focus_state() -> None:
    # Before: --state VOTED --depth 1 drew the neighbourhood with nothing marked.
    options = DiagramOptions(focus="VOTED", depth=1)
    graph = build_graph(member(), options)
    assert [node.name for node in graph.nodes if node.is_focus] == ["VOTED"]
    dot = to_dot(member(), options)
    assert (
        '"VOTED" [label="Voted", style="rounded,filled,bold", fillcolor="#d1fae5", '
        'color="#047857", penwidth=2.5];'
    ) in dot
    assert dot.count("#d1fae5") == 1
    mermaid = to_mermaid(member(), options)
    assert "    classDef focus fill:#d1fae5,stroke:#047857,stroke-width:3px\n" in mermaid
    assert mermaid.endswith("    class VOTED focus\n") or "    class VOTED focus\n%%" in mermaid
    assert "| `VOTED` | Voted | **focus** |" in to_markdown(member(), options)
    assert "focus" not in to_mermaid(member())


def test_a_current_state_in_focus_keeps_the_current_colour() -> None:
    complaint = complaint_workflow()
    at = pendulum.datetime(2025, 3, 3, 9, tz="Asia/Ho_Chi_Minh")
    case = complaint.open(Member("m-1"), at=at, actor="person:clerk")
    dot = to_dot(complaint, DiagramOptions(highlight=case, focus="FILED"))
    assert 'fillcolor="#fde68a"' in dot
    assert "#d1fae5" not in dot


# --------------------------------------------------------------------------- Vietnamese guards


def test_every_shipped_guard_has_a_vietnamese_label() -> None:
    names = {g.name for wf in shipped_workflows() for ct in wf.compiled for g in ct.guards}
    assert names - set(GUARD_LABELS_VI) == set()
    assert set(GUARD_LABELS_VI) - names == set()  # no label for a guard that is gone


def test_vietnamese_diagrams_name_guards_in_vietnamese() -> None:
    # Before: --lang vi wrote [authority, vote, subject_not_voting].
    options = DiagramOptions(lang="vi", layout="full", states=["SUBJECT_HEARD", "VOTED"])
    mermaid = to_mermaid(member(), options)
    assert (
        "SUBJECT_HEARD --> VOTED : Biểu quyết hình thức kỷ luật<br/>"
        "[đúng thẩm quyền, biểu quyết đạt, người bị xem xét không biểu quyết]"
    ) in mermaid
    text = to_mermaid(member(), DiagramOptions(lang="vi")) + to_dot(
        member(), DiagramOptions(lang="vi")
    )
    for name in ("authority", "subject_not_voting", "action_given", "measure_can_end"):
        assert re.search(rf"\b{name}\b", text) is None, name
    assert "Điều kiện" in to_markdown(member(), DiagramOptions(lang="vi"))
    assert "| đúng thẩm quyền, biểu quyết đạt" in to_markdown(member(), DiagramOptions(lang="vi"))


def test_a_guard_of_ones_own_is_named_by_its_label() -> None:
    labelled = Guard("quorum", lambda ctx: None, label=Label("Quorum present", "Đủ số lượng"))
    assert guard_label(labelled, Language.EN) == "Quorum present"
    assert guard_label(labelled, Language.VI) == "Đủ số lượng"
    bare = Guard("quorum", lambda ctx: None)
    assert guard_label(bare, Language.VI) == "quorum"


# --------------------------------------------------------------------------- file names


def test_diagram_files_are_named_by_the_workflow_key() -> None:
    # Before: --all wrote member_discipline-2022.mmd where the demo wrote member_discipline@2022.mmd.
    workflow = shipped_workflows().get("member_discipline", "2022")
    assert diagram_file_name(workflow, "mmd") == "member_discipline@2022.mmd"
    assert diagram_file_name(workflow, ".svg") == "member_discipline@2022.svg"
