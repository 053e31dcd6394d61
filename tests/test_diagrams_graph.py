"""The graph model diagrams are drawn from: options, subsets, highlight, ids, ordering."""

from __future__ import annotations

import enum
import inspect
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discipline_flow import Body, BodyKind, Label, Member, Transition, Workflow, diagrams
from discipline_flow.diagrams import (
    DiagramOptions,
    Direction,
    Highlight,
    Language,
    build_graph,
    to_dot,
    to_markdown,
    to_mermaid,
)
from discipline_flow.diagrams._examples import (
    Complaint,
    ComplaintTrigger,
    complaint_workflow,
    inspection_workflow,
)
from discipline_flow.diagrams._ids import safe_id
from discipline_flow.errors import InputError

HANOI = "Asia/Ho_Chi_Minh"
COMMISSION = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-1")


def at(day: int, month: int = 3) -> pendulum.DateTime:
    return pendulum.datetime(2025, month, day, 9, tz=HANOI)


# --------------------------------------------------------------------------- options


def test_options_default_to_everything_in_english() -> None:
    options = DiagramOptions()
    assert options.lang is Language.EN
    assert (options.show_guards, options.show_authority, options.show_deadlines) == (
        True,
        True,
        True,
    )
    assert options.show_citations is False
    assert (options.focus, options.states, options.highlight) == (None, None, None)
    assert options.direction is Direction.DOWN


@pytest.mark.parametrize(
    ("given_lang", "expected"),
    [("en", Language.EN), ("VI", Language.VI), (" vi ", Language.VI), (Language.VI, Language.VI)],
)
def test_language_accepts_codes_and_members(given_lang: Any, expected: Language) -> None:
    assert DiagramOptions(lang=given_lang).lang is expected


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"lang": "fr"}, "lang"),
        ({"lang": 3}, "lang"),
        ({"depth": -1}, "depth"),
        ({"depth": True}, "depth"),
        ({"depth": 1.5}, "depth"),
        ({"direction": "up"}, "direction"),
        ({"focus": ""}, "focus"),
        ({"states": []}, "states"),
        ({"states": [3]}, "states"),
        ({"focus": "FILED", "states": ["FILED"]}, "states"),
        ({"highlight": "C-1"}, "highlight"),
    ],
)
def test_bad_options_are_input_errors_naming_the_argument(
    changes: dict[str, Any], argument: str
) -> None:
    with pytest.raises(InputError) as info:
        DiagramOptions(**changes)
    assert info.value.argument == argument
    assert isinstance(info.value, ValueError)


def test_options_take_enum_members_or_names_for_states() -> None:
    by_member = DiagramOptions(states=[Complaint.FILED, Complaint.ACCEPTED], focus=None)
    by_name = DiagramOptions(states=["FILED", "ACCEPTED"])
    assert by_member == by_name
    assert DiagramOptions(states=Complaint.FILED).states == ("FILED",)
    assert DiagramOptions(focus=Complaint.FILED).focus == "FILED"


def test_options_are_frozen_and_hashable() -> None:
    options = DiagramOptions(lang="vi")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        options.lang = Language.EN  # type: ignore[misc]
    assert hash(options) == hash(DiagramOptions(lang=Language.VI))


# --------------------------------------------------------------------------- nodes and edges


def test_nodes_follow_the_state_enum_and_flag_initial_and_terminal() -> None:
    graph = build_graph(complaint_workflow())
    assert [n.name for n in graph.nodes] == [s.name for s in Complaint]
    flags = {n.name: (n.is_initial, n.is_terminal) for n in graph.nodes}
    assert flags == {
        "FILED": (True, False),
        "ACCEPTED": (False, False),
        "REJECTED": (False, True),
        "RESOLVED": (False, True),
        "WITHDRAWN": (False, True),
    }
    assert graph.workflow == "example_complaint@1"
    assert graph.title == "Complaint about discipline (example)"


def test_edges_are_one_per_source_ordered_by_source_then_trigger() -> None:
    graph = build_graph(complaint_workflow())
    assert [(e.source, e.trigger, e.target) for e in graph.edges] == [
        ("FILED", "ACCEPT", "ACCEPTED"),
        ("FILED", "REJECT", "REJECTED"),
        ("FILED", "WITHDRAW", "WITHDRAWN"),
        ("ACCEPTED", "RESOLVE", "RESOLVED"),
        ("ACCEPTED", "WITHDRAW", "WITHDRAWN"),
    ]


def test_edge_order_is_enum_order_not_definition_order() -> None:
    class S(enum.Enum):
        A = 1
        B = 2
        C = 3

    class T(enum.Enum):
        FIRST = 1
        SECOND = 2

    wf: Workflow[S, T] = Workflow(
        name="order",
        version="1",
        states=S,
        triggers=T,
        initial=S.A,
        terminal={S.C},
        transitions=[
            Transition(T.SECOND, S.B, S.C),
            Transition(T.SECOND, S.A, S.C),
            Transition(T.FIRST, S.A, S.B),
        ],
    )
    edges = [(e.source, e.trigger) for e in build_graph(wf).edges]
    assert edges == [("A", "FIRST"), ("A", "SECOND"), ("B", "SECOND")]


def test_labels_come_from_the_workflow_in_the_chosen_language() -> None:
    wf = complaint_workflow()
    english = build_graph(wf)
    vietnamese = build_graph(wf, DiagramOptions(lang="vi"))
    assert english.node("ACCEPTED").label == "Accepted"
    assert vietnamese.node("ACCEPTED").label == "Đã thụ lý"
    assert vietnamese.title == "Khiếu nại kỷ luật (ví dụ)"
    # a transition's own label wins over its trigger's label
    resolve_en = next(e for e in english.edges if e.trigger == "RESOLVE")
    resolve_vi = next(e for e in vietnamese.edges if e.trigger == "RESOLVE")
    assert resolve_en.label == 'Resolve: "upheld" or changed'
    assert resolve_vi.label == 'Giải quyết: "giữ nguyên" hoặc sửa'


def test_unlabelled_members_are_humanized() -> None:
    graph = build_graph(inspection_workflow(), DiagramOptions(lang="vi"))
    decide = next(e for e in graph.edges if e.trigger == "DECIDE_INSPECTION")
    assert decide.label == "Decide inspection"


def test_guards_keep_name_description_basis_and_authority_flag() -> None:
    graph = build_graph(complaint_workflow())
    accept = graph.edges[0]
    assert [(g.name, g.is_authority) for g in accept.guards] == [
        ("authority_competent_body", True),
        ("filed_within_window", False),
    ]
    assert accept.guards[0].basis is not None
    assert accept.guards[0].basis.reference == "QĐ 296-QĐ/TW Điều 25 k.1"
    assert accept.basis == accept.guards[0].basis


def test_deadlines_sit_on_the_state_or_transition_that_starts_them() -> None:
    graph = build_graph(complaint_workflow())
    accepted = graph.node("ACCEPTED")
    assert [(d.rule, d.period) for d in accepted.deadlines] == [
        ("resolve_complaint", "90 working days")
    ]
    resolve = next(e for e in graph.edges if e.trigger == "RESOLVE")
    assert [(d.rule, d.label, d.period) for d in resolve.deadlines] == [
        ("direct_handling", "Direct the follow-up handling", "5 days")
    ]
    assert all(not n.deadlines for n in graph.nodes if n.name != "ACCEPTED")
    vietnamese = build_graph(complaint_workflow(), DiagramOptions(lang="vi"))
    note = vietnamese.node("ACCEPTED").deadlines[0]
    assert (note.label, note.period) == ("Giải quyết khiếu nại", "90 ngày làm việc")


def test_hidden_deadlines_are_not_in_the_graph() -> None:
    graph = build_graph(complaint_workflow(), DiagramOptions(show_deadlines=False))
    assert all(not n.deadlines for n in graph.nodes)
    assert all(not e.deadlines for e in graph.edges)


# --------------------------------------------------------------------------- subsets


def _names(graph: Any) -> list[str]:
    return [n.name for n in graph.nodes]


@pytest.mark.parametrize(
    ("focus", "depth", "expected"),
    [
        ("FILED", 0, ["FILED"]),
        ("FILED", 1, ["FILED", "ACCEPTED", "REJECTED", "WITHDRAWN"]),
        ("FILED", 2, ["FILED", "ACCEPTED", "REJECTED", "RESOLVED", "WITHDRAWN"]),
        # neighbours count both ways: RESOLVED is reached from ACCEPTED only
        ("RESOLVED", 1, ["ACCEPTED", "RESOLVED"]),
        ("RESOLVED", 2, ["FILED", "ACCEPTED", "RESOLVED", "WITHDRAWN"]),
        ("REJECTED", 5, ["FILED", "ACCEPTED", "REJECTED", "RESOLVED", "WITHDRAWN"]),
    ],
)
def test_focus_keeps_a_state_and_its_neighbours(
    focus: str, depth: int, expected: list[str]
) -> None:
    graph = build_graph(complaint_workflow(), DiagramOptions(focus=focus, depth=depth))
    assert _names(graph) == expected


def test_a_subset_keeps_only_edges_between_drawn_states() -> None:
    graph = build_graph(complaint_workflow(), DiagramOptions(states=["ACCEPTED", "RESOLVED"]))
    assert _names(graph) == ["ACCEPTED", "RESOLVED"]
    assert [(e.source, e.target) for e in graph.edges] == [("ACCEPTED", "RESOLVED")]
    assert not any(n.is_initial for n in graph.nodes)
    assert "[*] -->" not in to_mermaid(graph)
    assert "RESOLVED --> [*]" in to_mermaid(graph)


@pytest.mark.parametrize("options", [DiagramOptions(focus="CLOSED"), DiagramOptions(states=["X"])])
def test_a_subset_naming_an_unknown_state_lists_the_states(options: DiagramOptions) -> None:
    with pytest.raises(InputError, match="states: FILED, ACCEPTED, REJECTED, RESOLVED, WITHDRAWN"):
        build_graph(complaint_workflow(), options)


# --------------------------------------------------------------------------- highlight


def _walked_case() -> Any:
    wf = complaint_workflow()
    case = wf.open(Member("m-1"), at=at(3), actor="person:clerk", case_id="K-1")
    case.fire(ComplaintTrigger.ACCEPT, at=at(5), actor=COMMISSION)
    return case


def test_a_case_highlights_its_state_and_path() -> None:
    case = _walked_case()
    graph = build_graph(complaint_workflow(), DiagramOptions(highlight=case))
    assert graph.options.highlight == Highlight(
        "example_complaint@1", "ACCEPTED", (("FILED", "ACCEPT", "ACCEPTED"),)
    )
    marks = {n.name: (n.is_current, n.is_visited) for n in graph.nodes}
    assert marks["ACCEPTED"] == (True, True)
    assert marks["FILED"] == (False, True)
    assert marks["RESOLVED"] == (False, False)
    taken = [(e.source, e.trigger, e.taken) for e in graph.edges if e.is_taken]
    assert taken == [("FILED", "ACCEPT", (1,))]


def test_a_move_taken_twice_lists_both_step_numbers() -> None:
    class S(enum.Enum):
        OPEN = 1
        REVIEW = 2
        DONE = 3

    class T(enum.Enum):
        SEND = 1
        RETURN = 2
        FINISH = 3

    wf: Workflow[S, T] = Workflow(
        name="loop",
        version="1",
        states=S,
        triggers=T,
        initial=S.OPEN,
        terminal={S.DONE},
        transitions=[
            Transition(T.SEND, S.OPEN, S.REVIEW),
            Transition(T.RETURN, S.REVIEW, S.OPEN),
            Transition(T.FINISH, S.REVIEW, S.DONE),
        ],
        labels={T.SEND: Label("Send", "Gửi")},
    )
    case = wf.open(Member("m-1"), at=at(3), actor="person:clerk", case_id="L-1")
    for day, trigger in ((4, T.SEND), (5, T.RETURN), (6, T.SEND)):
        case.fire(trigger, at=at(day), actor="person:clerk")
    graph = build_graph(wf, DiagramOptions(highlight=case))
    assert {e.trigger: e.taken for e in graph.edges} == {
        "SEND": (1, 3),
        "RETURN": (2,),
        "FINISH": (),
    }
    assert "OPEN --> REVIEW : ✓ 1,3 Send" in to_mermaid(graph)
    assert "| `OPEN` | Send (`SEND`) | `REVIEW` |  |  | 1, 3 |" in to_markdown(graph)


def test_highlighting_a_case_of_another_workflow_is_refused() -> None:
    case = _walked_case()
    with pytest.raises(
        InputError, match="belongs to example_complaint@1, not to example_inspection@1"
    ):
        build_graph(inspection_workflow(), DiagramOptions(highlight=case))


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize(
    ("name", "used", "expected"),
    [
        ("CONCLUDED", set(), "CONCLUDED"),
        ("ĐÃ_KẾT_LUẬN", set(), "DA_KET_LUAN"),
        ("đình_chỉ", set(), "dinh_chi"),
        ("end", set(), "end_"),
        ("State", set(), "State_"),
        ("2ND", set(), "s_2ND"),
        ("A-B", {"A_B"}, "A_B_2"),
        ("A-B", {"A_B", "A_B_2"}, "A_B_3"),
        ("***", set(), "___"),
    ],
)
def test_safe_ids(name: str, used: set[str], expected: str) -> None:
    assert safe_id(name, set(used)) == expected


def test_non_ascii_and_reserved_state_names_get_unique_safe_ids() -> None:
    class S(enum.Enum):
        ĐANG_XÉT = 1  # noqa: PLC2401 - a Vietnamese member name on purpose
        DANG_XET = 2
        END = 3

    class T(enum.Enum):
        GO = 1
        STOP = 2

    wf: Workflow[S, T] = Workflow(
        name="ids",
        version="1",
        states=S,
        triggers=T,
        initial=S.ĐANG_XÉT,
        terminal={S.END},
        transitions=[
            Transition(T.GO, S.ĐANG_XÉT, S.DANG_XET),
            Transition(T.STOP, S.DANG_XET, S.END),
        ],
    )
    graph = build_graph(wf)
    assert [n.id for n in graph.nodes] == ["DANG_XET", "DANG_XET_2", "END_"]
    text = to_mermaid(graph)
    assert "DANG_XET --> DANG_XET_2 : Go" in text
    assert "DANG_XET_2 --> END_ : Stop" in text


# --------------------------------------------------------------------------- properties


@st.composite
def diagram_options(draw: st.DrawFn) -> DiagramOptions:
    names = [s.name for s in Complaint]
    subset = draw(st.sampled_from(["all", "focus", "states"]))
    focus = draw(st.sampled_from(names)) if subset == "focus" else None
    states = (
        draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        if subset == "states"
        else None
    )
    return DiagramOptions(
        lang=draw(st.sampled_from(["en", "vi"])),
        show_guards=draw(st.booleans()),
        show_authority=draw(st.booleans()),
        show_deadlines=draw(st.booleans()),
        show_citations=draw(st.booleans()),
        focus=focus,
        depth=draw(st.integers(0, 4)),
        states=states,
        direction=draw(st.sampled_from(list(Direction))),
    )


@settings(max_examples=150, deadline=None)
@given(diagram_options())
def test_any_options_draw_a_consistent_deterministic_graph(options: DiagramOptions) -> None:
    wf = complaint_workflow()
    graph = build_graph(wf, options)
    ids = [n.id for n in graph.nodes]
    assert len(set(ids)) == len(ids)
    assert all(e.source in ids and e.target in ids for e in graph.edges)
    if options.states is not None:
        assert {n.name for n in graph.nodes} == set(options.states)
    if options.focus is not None:
        assert options.focus in {n.name for n in graph.nodes}
    # every drawn pair of states keeps every transition between them
    drawn = {n.name for n in graph.nodes}
    expected = [
        (c.source.name, c.trigger.name, c.target.name)
        for c in wf.compiled
        if c.source.name in drawn and c.target.name in drawn
    ]
    assert sorted((e.source, e.trigger, e.target) for e in graph.edges) == sorted(expected)
    # the same input gives the same bytes, in every format
    for render in (to_mermaid, to_dot, to_markdown):
        assert render(wf, options) == render(build_graph(wf, options))


def test_the_public_surface_of_diagrams() -> None:
    names = diagrams.__all__
    assert names == sorted(names, key=lambda n: (not n[0].isupper(), n))
    for name in names:
        value = getattr(diagrams, name)
        assert inspect.getdoc(value), f"diagrams.{name} has no docstring"
        assert not name.startswith("_")
    # the implementation stays in private modules
    assert {getattr(diagrams, n).__module__.rsplit(".", 1)[-1] for n in names} <= {
        "_graph",
        "_images",
        "_options",
        "dot",
        "markdown",
        "mermaid",
        "timeline",
    }
