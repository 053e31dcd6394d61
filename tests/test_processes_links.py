"""The matter tree: a supervision escalated to an inspection, which proposes discipline, whose
decision is complained about — four linked cases, each opened by the library from its parent —
and one query that returns the whole tree, from memory or from a store.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import pendulum
import pytest

from discipline_flow import Body, BodyKind, Level, Member, Origin, Transition, Workflow
from discipline_flow.case import Case
from discipline_flow.errors import CaseNotFoundError, InputError, MalformedDataError
from discipline_flow.processes import shipped_registry, shipped_workflows
from discipline_flow.processes.discipline import open_complaint
from discipline_flow.processes.inspection import (
    INSPECTION,
    inspection_workflow,
    open_discipline_cases,
    open_inspection,
)
from discipline_flow.processes.links import (
    MatterNode,
    load_matter,
    matter_of,
    matter_tree,
    open_child,
)
from discipline_flow.processes.supervision import regular_supervision_workflow
from discipline_flow.rules import VoteTally, select_ruleset
from discipline_flow.store import MemoryStore, SqliteStore
from helpers import TZ, at

CELL = Body(BodyKind.PARTY_CELL, "cell-7")
UBKT = Body(BodyKind.INSPECTION_COMMISSION, "ubkt-xa", Level.GRASSROOTS)
MEMBER = Member("m-1", cell_id="cell-7")


def the_matter() -> list[Case[Any, Any]]:
    """Supervision → inspection → discipline → complaint, every move fired through the library."""
    rules = select_ruleset(dt.date(2025, 9, 1))
    supervision = regular_supervision_workflow(rules).open(
        MEMBER, at=at(2025, 9, 1), actor=CELL, case_id="GS-1"
    )
    steps: tuple[tuple[str, dict[str, Any]], ...] = (
        ("REQUEST_REPORT", {}),
        ("RECEIVE_REPORT", {}),
        ("START_ASSESSMENT", {}),
        ("CONCLUDE", {"signs_of_violation": True}),
        ("ESCALATE_TO_INSPECTION", {}),
    )
    for trigger, payload in steps:
        supervision.fire(trigger, at=at(2025, 9, 1), actor=CELL, payload=payload)
    inspection = open_inspection(supervision, at=at(2025, 9, 2), actor=UBKT, case_id="KT-1")
    steps = (
        ("DECIDE_INSPECTION", {"plan": "KH-12", "team": ["a", "b"]}),
        ("NOTIFY_SUBJECT", {}),
        ("REQUEST_SELF_REPORT", {}),
        ("RECEIVE_SELF_REPORT", {}),
        ("SUBMIT_DRAFT_REPORT", {}),
        ("HOLD_HEARING", {"attended": True}),
        ("CONCLUDE", {"outcome": "discipline", "measure": "warning", "violation_on": "2025-08-01"}),
    )
    for trigger, payload in steps:
        inspection.fire(trigger, at=at(2025, 9, 3), actor=UBKT, payload=payload)
    [decision] = open_discipline_cases(inspection, at=at(2025, 9, 4), actor=UBKT)
    decision.fire("HEAR_SUBJECT", at=at(2025, 9, 5), actor=CELL)
    vote = VoteTally(9, 7, 2, 0).to_payload()
    decision.fire(
        "HOLD_VOTE", at=at(2025, 9, 8), actor=CELL, payload={"measure": "warning", "vote": vote}
    )
    for trigger in ("DECIDE", "ANNOUNCE_VOTE_RESULT"):
        decision.fire(trigger, at=at(2025, 9, 8), actor=CELL)
    decision.fire("ANNOUNCE_DECISION", at=at(2025, 9, 10), actor=CELL)
    complaint = open_complaint(decision, at=at(2025, 9, 20), case_id="KN-1")
    return [supervision, inspection, decision, complaint]


def test_the_whole_matter_from_any_of_its_cases() -> None:
    cases = the_matter()
    shuffled = [cases[3], cases[1], cases[0], cases[2]]
    expected = (
        "GS-1 regular_supervision@2025-07 ESCALATED_TO_INSPECTION\n"
        "└── KT-1 inspection@2025-07 DISCIPLINE_PROPOSED\n"
        "    └── KT-1/m-1 member_discipline@2025-07 UNDER_COMPLAINT\n"
        "        └── KN-1 complaint@2025-07 FILED"
    )
    for case in cases:
        tree = matter_of(shuffled, case.id)
        assert tree.render() == expected
        assert tree.cases() == tuple(cases)
        assert (tree.size, tree.depth) == (4, 4)
    [only] = matter_tree(shuffled)
    assert only.case is cases[0]
    assert [c.origin.case_id for c in cases[1:] if c.origin] == ["GS-1", "KT-1", "KT-1/m-1"]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_one_query_loads_the_whole_matter_from_a_store(kind: str) -> None:
    cases = the_matter()
    registry = shipped_registry()
    store = MemoryStore(registry) if kind == "memory" else SqliteStore(":memory:", registry)
    with store:
        store.save_many([(case, 0) for case in cases])
        tree = load_matter(store, "KN-1")
        assert [c.id for c in tree.cases()] == ["GS-1", "KT-1", "KT-1/m-1", "KN-1"]
        assert tree.find("KT-1/m-1") is not None
        assert tree.cases()[2].origin == Origin("KT-1", "inspection@2025-07", 7)
        with pytest.raises(CaseNotFoundError):
            load_matter(store, "nope")


# --------------------------------------------------------------------------- the tree itself


class S(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class T(enum.Enum):
    CLOSE = "close"
    NOTE = "note"


TINY = Workflow(
    name="tiny",
    version="1",
    states=S,
    triggers=T,
    initial=S.OPEN,
    terminal={S.CLOSED},
    transitions=[Transition(T.CLOSE, S.OPEN, S.CLOSED), Transition(T.NOTE, S.OPEN, S.OPEN)],
)


def tiny(case_id: str, day: int = 1) -> Case[S, T]:
    return TINY.open(MEMBER, at=at(2025, 9, day), actor=CELL, case_id=case_id)


def test_children_follow_the_steps_that_opened_them() -> None:
    root = tiny("R")
    root.fire(T.NOTE, at=at(2025, 9, 2), actor=CELL)
    early = open_child(root, TINY, at=at(2025, 9, 5), actor=CELL, case_id="B")  # after step 1
    root.fire(T.NOTE, at=at(2025, 9, 6), actor=CELL)
    late = open_child(root, TINY, at=at(2025, 9, 6), actor=CELL, case_id="A")  # after step 2
    grandchild = open_child(early, TINY, at=at(2025, 9, 7), actor=CELL, case_id="B1")
    other = tiny("Q", day=3)
    trees = matter_tree([grandchild, late, other, early, root])
    assert [t.case_id for t in trees] == ["R", "Q"]  # roots, earliest first
    assert [c.case_id for c in trees[0].children] == ["B", "A"]  # by the step that opened them
    assert [n.case_id for n in trees[0].walk()] == ["R", "B", "B1", "A"]
    assert (
        trees[0].render()
        == "R tiny@1 OPEN\n├── B tiny@1 OPEN\n│   └── B1 tiny@1 OPEN\n└── A tiny@1 OPEN"
    )
    assert trees[1].depth == 1
    assert trees[0].find("Q") is None


def test_a_case_whose_parent_is_missing_starts_its_own_tree() -> None:
    root = tiny("R")
    child = open_child(root, TINY, at=at(2025, 9, 2), actor=CELL, case_id="C")
    [tree] = matter_tree([child])
    assert tree.case is child
    assert tree.has_missing_parent
    assert not matter_of([root, child], "C").has_missing_parent


def test_the_same_case_twice_is_one_case_but_two_cases_with_one_id_are_refused() -> None:
    root = tiny("R")
    assert len(matter_tree([root, root])) == 1
    with pytest.raises(InputError, match="share the id 'R'"):
        matter_tree([root, tiny("R")])
    with pytest.raises(InputError, match="expected cases"):
        matter_tree([root, "R"])  # type: ignore[list-item]


def test_origins_that_loop_are_malformed() -> None:
    a, b = tiny("A"), tiny("B")
    a.origin = Origin("B", "tiny@1", 0)
    b.origin = Origin("A", "tiny@1", 0)
    with pytest.raises(MalformedDataError, match="A, B form a loop"):
        matter_tree([a, b, tiny("C")])


def test_matter_of_an_unknown_case() -> None:
    with pytest.raises(CaseNotFoundError, match="no case 'X' among the 1 cases given"):
        matter_of([tiny("R")], "X")


def test_a_node_is_a_value() -> None:
    root = tiny("R")
    assert MatterNode(root) == MatterNode(root)
    assert MatterNode(root).size == 1


# --------------------------------------------------------------------------- opening children


def test_open_child_refuses_a_time_before_the_parent_step() -> None:
    root = tiny("R", day=5)
    with pytest.raises(InputError, match="before the step of case R"):
        open_child(root, TINY, at=at(2025, 9, 4), actor=CELL)
    with pytest.raises(InputError, match="expected the Case"):
        open_child("R", TINY, at=at(2025, 9, 6), actor=CELL)  # type: ignore[arg-type]


def test_open_child_defaults_to_the_parent_subject_and_takes_another() -> None:
    root = tiny("R")
    other = Member("m-2")
    assert open_child(root, TINY, at=at(2025, 9, 1), actor=CELL).subject == MEMBER
    assert open_child(root, TINY, at=at(2025, 9, 1), actor=CELL, subject=other).subject == other


def test_the_inspection_is_the_one_of_the_ruleset_in_force_on_the_day() -> None:
    # An inspection is governed by the rules in force when it is decided (SELECTION_DATE).
    root = tiny("R")
    assert open_inspection(root, at=at(2025, 9, 1), actor=UBKT).workflow.version == "2025-07"
    late = tiny("L", day=1)
    child = open_inspection(late, at=pendulum.datetime(2026, 4, 11, tz=TZ), actor=UBKT)
    assert child.workflow.key == f"{INSPECTION}@2026"
    explicit = open_inspection(root, at=at(2025, 9, 1), actor=UBKT, workflow=TINY)
    assert explicit.workflow is TINY


def test_the_inspection_opened_is_the_shipped_one() -> None:
    rules = select_ruleset(dt.date(2025, 9, 1))
    shipped = next(w for w in shipped_workflows(rules) if w.name == INSPECTION)
    assert inspection_workflow(rules).name == INSPECTION
    assert inspection_workflow(rules) is shipped
    assert open_inspection(tiny("R"), at=at(2025, 9, 1), actor=UBKT).workflow is shipped
