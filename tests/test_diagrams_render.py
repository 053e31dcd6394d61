"""Mermaid, DOT and Markdown rendering: escaping, options, languages, and images via Graphviz."""

from __future__ import annotations

import enum
import re
import shutil
import subprocess

import pytest

from discipline_flow import Citation, Guard, Label, RuleStatus, Transition, Workflow
from discipline_flow.diagrams import (
    DiagramOptions,
    ImageFormat,
    build_graph,
    has_graphviz,
    to_dot,
    to_markdown,
    to_mermaid,
    to_png,
    to_svg,
)
from discipline_flow.diagrams._examples import complaint_workflow, inspection_workflow
from discipline_flow.diagrams._images import render_dot_text
from discipline_flow.diagrams.dot import dot_string
from discipline_flow.diagrams.markdown import markdown_cell
from discipline_flow.diagrams.mermaid import mermaid_text
from discipline_flow.errors import DiagramRenderError, InputError, MissingToolError

needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' absent")


class Tricky(enum.Enum):
    START = 1
    MIDDLE = 2
    STOP = 3


class Move(enum.Enum):
    GO = 1
    HALT = 2


BASIS = Citation("QĐ 69-QĐ/TW", "Điều 4", RuleStatus.VERIFIED)


def tricky_workflow() -> Workflow[Tricky, Move]:
    """Labels full of characters the diagram grammars read."""
    guard = Guard("authority_cell", lambda ctx: None, basis=BASIS)
    return Workflow(
        name="tricky",
        version="2",
        states=Tricky,
        triggers=Move,
        initial=Tricky.START,
        terminal={Tricky.STOP},
        transitions=[
            Transition(Move.GO, Tricky.START, Tricky.MIDDLE, guards=(guard,), basis=BASIS),
            Transition(Move.HALT, Tricky.MIDDLE, Tricky.STOP),
        ],
        labels={
            Tricky.START: Label('Say "hi": {a; b} <c> #1 | 50%', 'Nói "chào": {a; b}'),
            Tricky.MIDDLE: Label("Back\\slash\nnew line", "Giữa"),
            Move.GO: Label("Go: now", "Đi: ngay"),
        },
        label=Label('A "tricky" workflow', "Quy trình khó"),
    )


# --------------------------------------------------------------------------- escaping


def test_mermaid_text_encodes_every_character_the_grammar_reads() -> None:
    assert mermaid_text('a"b:c;d#e<f>g{h}i%j|k') == (
        "a#quot;b#58;c#59;d#35;e#lt;f#gt;g#123;h#125;i#37;j#124;k"
    )
    assert mermaid_text("line\nbreak\ttab") == "line break tab"
    assert mermaid_text("Đã kết luận (QĐ 296)") == "Đã kết luận (QĐ 296)"


def test_mermaid_escapes_labels_and_keeps_ids_plain() -> None:
    text = to_mermaid(tricky_workflow())
    assert (
        'state "Say #quot;hi#quot;#58; #123;a#59; b#125; #lt;c#gt; #35;1 #124; 50#37;" as START'
        in text
    )
    assert 'state "Back\\slash new line" as MIDDLE' in text
    assert "START --> MIDDLE : Go#58; now<br/>[authority_cell]" in text
    for line in text.splitlines()[1:]:
        # outside the quoted state names and after the label colon, no raw grammar characters
        if " : " in line:
            label = re.sub(r"#\w+;", "", line.split(" : ", 1)[1])
            assert not any(ch in label for ch in '":;{}|#')


def test_dot_strings_escape_quotes_and_backslashes() -> None:
    assert dot_string('say "hi" \\ bye') == '"say \\"hi\\" \\\\ bye"'
    assert dot_string("two\nlines") == '"two lines"'
    text = to_dot(tricky_workflow())
    assert '"START" [label="Say \\"hi\\": {a; b} <c> #1 | 50%"];' in text
    assert '"MIDDLE" [label="Back\\\\slash new line"];' in text
    assert '"START" -> "MIDDLE" [label="Go: now\\n[authority_cell]"];' in text


def test_markdown_cells_escape_pipes_and_newlines() -> None:
    assert markdown_cell("a | b\nc") == "a \\| b<br>c"
    text = to_markdown(tricky_workflow())
    assert '| `START` | Say "hi": {a; b} <c> #1 \\| 50% | initial |' in text
    assert "| `MIDDLE` | Back\\\\slash<br>new line |" in text


# --------------------------------------------------------------------------- formats


def test_mermaid_of_the_example_complaint() -> None:
    text = to_mermaid(complaint_workflow())
    lines = text.splitlines()
    assert lines[:3] == ["%% example_complaint@1", "stateDiagram-v2", "    direction TB"]
    assert "    [*] --> FILED" in lines
    assert [line for line in lines if line.endswith("--> [*]")] == [
        "    REJECTED --> [*]",
        "    RESOLVED --> [*]",
        "    WITHDRAWN --> [*]",
    ]
    assert "    ACCEPTED : deadline#58; Resolve the complaint, 90 working days" in lines
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_guards_authority_and_citations_follow_the_options() -> None:
    wf = complaint_workflow()
    accept = "FILED --> ACCEPTED"

    def line(options: DiagramOptions) -> str:
        return next(x for x in to_mermaid(wf, options).splitlines() if accept in x)

    assert line(DiagramOptions()).endswith(
        ": Accept<br/>[authority_competent_body, filed_within_window]"
    )
    assert line(DiagramOptions(show_guards=False)).endswith(
        ": Accept<br/>[authority_competent_body]"
    )
    assert line(DiagramOptions(show_guards=False, show_authority=False)).endswith(": Accept")
    cited = line(DiagramOptions(show_guards=False, show_citations=True, layout="full"))
    assert cited.endswith(
        ": Accept<br/>[authority_competent_body (QĐ 296-QĐ/TW Điều 25 k.1, secondary)]"
        "<br/>basis#58; QĐ 296-QĐ/TW Điều 25 k.1 (secondary)"
    )


def test_deadline_citations_show_with_their_status() -> None:
    text = to_mermaid(complaint_workflow(), DiagramOptions(show_citations=True, layout="full"))
    assert (
        "ACCEPTED : deadline#58; Resolve the complaint, 90 working days "
        "[QĐ 30-QĐ/TW Điều 32 tiết 5.2.1 (assumed)]"
    ) in text
    # With the default layout, lines this long go to footnotes: the state says [1].
    compact = to_mermaid(complaint_workflow(), DiagramOptions(show_citations=True))
    assert 'state "Accepted [1]" as ACCEPTED' in compact
    assert (
        "%% [1] deadline: Resolve the complaint, 90 working days "
        "[QĐ 30-QĐ/TW Điều 32 tiết 5.2.1 (assumed)]\n"
    ) in compact


def test_vietnamese_labels_in_every_format() -> None:
    options = DiagramOptions(lang="vi")
    wf = complaint_workflow()
    mermaid = to_mermaid(wf, options)
    assert 'state "Đã thụ lý" as ACCEPTED' in mermaid
    assert "ACCEPTED : thời hạn#58; Giải quyết khiếu nại, 90 ngày làm việc" in mermaid
    assert "FILED --> WITHDRAWN : Rút đơn" in mermaid
    dot = to_dot(wf, options)
    assert (
        '"ACCEPTED" [label="Đã thụ lý\\nthời hạn: Giải quyết khiếu nại, 90 ngày làm việc"];' in dot
    )
    assert 'label="Khiếu nại kỷ luật (ví dụ)\\nexample_complaint@1"' in dot
    markdown = to_markdown(wf, options)
    assert markdown.startswith("| Trạng thái | Nhãn | Loại | Thời hạn bắt đầu |")
    assert "| `FILED` | Đã nộp đơn | bắt đầu |  |" in markdown
    assert "| Từ | Sự kiện | Đến | Điều kiện | Thời hạn bắt đầu |" in markdown


def test_direction_left_to_right() -> None:
    options = DiagramOptions(direction="LR")
    assert "    direction LR" in to_mermaid(inspection_workflow(), options)
    assert "rankdir=LR" in to_dot(inspection_workflow(), options)


def test_markdown_columns_follow_the_options() -> None:
    wf = complaint_workflow()
    bare = DiagramOptions(show_guards=False, show_authority=False, show_deadlines=False)
    assert to_markdown(wf, bare).splitlines()[0] == "| State | Label | Kind |"
    assert "| From | Trigger | To |" in to_markdown(wf, bare)
    cited = to_markdown(wf, DiagramOptions(show_citations=True))
    assert "| From | Trigger | To | Guards | Deadlines started | Basis |" in cited
    assert (
        "| `FILED` | Accept (`ACCEPT`) | `ACCEPTED` | authority_competent_body (QĐ 296-QĐ/TW "
        "Điều 25 k.1, secondary), filed_within_window (Điều lệ Đảng Điều 39 k.7, verified) |  "
        "| QĐ 296-QĐ/TW Điều 25 k.1 (secondary) |"
    ) in cited


def test_dot_marks_the_start_and_terminal_states() -> None:
    text = to_dot(inspection_workflow())
    assert '    "__start__" [shape=point, width=0.15, label=""];' in text
    assert '    "__start__" -> "SIGNS_DETECTED";' in text
    assert '"CLOSED_NO_VIOLATION" [label="Closed: no violation", peripheries=2];' in text
    assert text.startswith('digraph "example_inspection@1" {\n')
    assert text.endswith("}\n")


def test_a_graph_carries_its_options() -> None:
    graph = build_graph(complaint_workflow(), DiagramOptions(lang="vi"))
    assert to_mermaid(graph) == to_mermaid(complaint_workflow(), DiagramOptions(lang="vi"))
    assert to_mermaid(graph, DiagramOptions(lang="vi")) == to_mermaid(graph)
    with pytest.raises(InputError, match="a Graph carries its own options"):
        to_mermaid(graph, DiagramOptions(lang="en"))
    with pytest.raises(InputError, match="expected a Workflow or a Graph, got str"):
        to_dot("example_complaint")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- Graphviz


@needs_graphviz
@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("workflow", [complaint_workflow, inspection_workflow, tricky_workflow])
def test_graphviz_parses_the_dot_text(workflow: object, lang: str) -> None:
    wf = workflow()  # type: ignore[operator]
    text = to_dot(wf, DiagramOptions(lang=lang, show_citations=True))
    done = subprocess.run(
        ["dot", "-Tcanon"], input=text.encode(), capture_output=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""


@needs_graphviz
def test_svg_and_png_images() -> None:
    svg = to_svg(complaint_workflow(), DiagramOptions(lang="vi"))
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    assert "Đã thụ lý" in svg
    png = to_png(complaint_workflow())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert has_graphviz()


@needs_graphviz
def test_a_dot_error_is_reported_with_graphviz_message() -> None:
    with pytest.raises(DiagramRenderError) as info:
        render_dot_text("digraph {", ImageFormat.SVG)
    assert "Graphviz 'dot' could not render the diagram" in str(info.value)
    assert "syntax error" in info.value.problem


def test_an_unknown_image_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="formats: svg, png"):
        render_dot_text("digraph {}", "gif")


def test_without_graphviz_images_say_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert shutil.which("dot") is None
    assert not has_graphviz()
    for render in (to_svg, to_png):
        with pytest.raises(MissingToolError) as info:
            render(complaint_workflow())
        assert info.value.tool == "Graphviz 'dot'"
        assert str(info.value) == (
            "Graphviz 'dot' is not installed; install it: apt-get install graphviz "
            "(Debian/Ubuntu) or brew install graphviz"
        )
