"""Generated paths: shortest, covering and simple paths, and the pytest parametrize helpers."""

from __future__ import annotations

import enum
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discipline_flow import Transition, Workflow
from discipline_flow.errors import InputError
from discipline_flow.testing import (
    CaseFactory,
    Path,
    PathStep,
    StepInput,
    covering_paths,
    df_paths,
    paths_parameters,
    paths_to,
    shortest_paths,
    simple_paths,
)
from scenarios.df_example_flows import (
    SUBJECT,
    Complaint,
    complaint_providers,
    complaint_workflow,
)

TZ = "Asia/Ho_Chi_Minh"
WORKFLOW = complaint_workflow()


def test_shortest_paths_of_the_complaint() -> None:
    paths = {state.name: str(path) for state, path in shortest_paths(WORKFLOW).items()}
    assert paths == {
        "ANNOUNCED": "ANNOUNCED",
        "FILED": "ANNOUNCED -FILE_COMPLAINT-> FILED",
        "UNDER_REVIEW": "ANNOUNCED -FILE_COMPLAINT-> FILED -ACCEPT-> UNDER_REVIEW",
        "OVERTURNED": (
            "ANNOUNCED -FILE_COMPLAINT-> FILED -ACCEPT-> UNDER_REVIEW -RESOLVE-> OVERTURNED"
        ),
        "UPHELD": "ANNOUNCED -FILE_COMPLAINT-> FILED -ACCEPT-> UNDER_REVIEW -RESOLVE-> UPHELD",
        "WITHDRAWN": "ANNOUNCED -FILE_COMPLAINT-> FILED -WITHDRAW-> WITHDRAWN",
        "EXPIRED": "ANNOUNCED -EXPIRE-> EXPIRED",
    }


def test_shortest_paths_from_another_start_leave_out_what_it_cannot_reach() -> None:
    paths = shortest_paths(WORKFLOW, start="UNDER_REVIEW")
    assert set(paths) == {
        Complaint.UNDER_REVIEW,
        Complaint.OVERTURNED,
        Complaint.UPHELD,
        Complaint.WITHDRAWN,
    }


def test_covering_paths_end_with_each_transition_once() -> None:
    paths = covering_paths(WORKFLOW)
    assert [p.steps[-1].transition for p in paths] == list(range(8))
    assert [p.id for p in paths] == [
        "ANNOUNCED>FILE_COMPLAINT-FILED",
        "ANNOUNCED>EXPIRE-EXPIRED",
        "ANNOUNCED>FILE_COMPLAINT-FILED>ACCEPT-UNDER_REVIEW",
        "ANNOUNCED>FILE_COMPLAINT-FILED>ACCEPT-UNDER_REVIEW>EXTEND-UNDER_REVIEW",
        "ANNOUNCED>FILE_COMPLAINT-FILED>ACCEPT-UNDER_REVIEW>RESOLVE-OVERTURNED",
        "ANNOUNCED>FILE_COMPLAINT-FILED>ACCEPT-UNDER_REVIEW>RESOLVE-UPHELD",
        "ANNOUNCED>FILE_COMPLAINT-FILED>WITHDRAW-WITHDRAWN",
        "ANNOUNCED>FILE_COMPLAINT-FILED>ACCEPT-UNDER_REVIEW>WITHDRAW-WITHDRAWN",
    ]


def test_simple_paths_up_to_a_bound() -> None:
    two = [str(p) for p in simple_paths(WORKFLOW, max_length=2)]
    assert two == [
        "ANNOUNCED -FILE_COMPLAINT-> FILED",
        "ANNOUNCED -FILE_COMPLAINT-> FILED -ACCEPT-> UNDER_REVIEW",
        "ANNOUNCED -FILE_COMPLAINT-> FILED -WITHDRAW-> WITHDRAWN",
        "ANNOUNCED -EXPIRE-> EXPIRED",
    ]
    # The self-loop EXTEND never appears in a simple path; two RESOLVE branches are two paths.
    to_withdrawn = simple_paths(WORKFLOW, max_length=10, end="WITHDRAWN")
    assert [p.triggers for p in to_withdrawn] == [
        tuple(WORKFLOW.trigger_named(n) for n in ("FILE_COMPLAINT", "ACCEPT", "WITHDRAW")),
        tuple(WORKFLOW.trigger_named(n) for n in ("FILE_COMPLAINT", "WITHDRAW")),
    ]
    # FILE; FILE-ACCEPT; FILE-ACCEPT-RESOLVE (two targets); FILE-ACCEPT-WITHDRAW;
    # FILE-WITHDRAW; EXPIRE.
    assert len(simple_paths(WORKFLOW, max_length=10)) == 7


def test_simple_paths_refuse_a_bad_bound_and_too_many_paths() -> None:
    with pytest.raises(InputError, match="at least 1"):
        simple_paths(WORKFLOW, max_length=0)
    with pytest.raises(InputError, match="more than 3 simple paths"):
        simple_paths(WORKFLOW, max_length=4, limit=3)


def test_paths_to_gives_the_shortest_first() -> None:
    found = list(paths_to(WORKFLOW, "WITHDRAWN"))
    assert [len(p) for p in found] == [2, 3]
    assert list(paths_to(WORKFLOW, "ANNOUNCED")) == [Path(WORKFLOW.key, Complaint.ANNOUNCED)]
    assert len(list(paths_to(WORKFLOW, "WITHDRAWN", limit=1))) == 1


def test_path_values() -> None:
    path = shortest_paths(WORKFLOW)[Complaint.UNDER_REVIEW]
    assert path.end is Complaint.UNDER_REVIEW
    assert path.states == (Complaint.ANNOUNCED, Complaint.FILED, Complaint.UNDER_REVIEW)
    assert len(path) == 2
    step = path.steps[-1]
    assert (step.key, str(step), step.guards) == (
        "ACCEPT->UNDER_REVIEW",
        "#2 FILED -ACCEPT-> UNDER_REVIEW",
        ("competent_body",),
    )
    with pytest.raises(InputError, match="does not leave from UNDER_REVIEW"):
        path.then(path.steps[0])


def test_paths_parameters_give_ids_and_kinds() -> None:
    name, params = paths_parameters(WORKFLOW, kind="transitions", argname="route")
    assert name == "route"
    assert [p.id for p in params] == [p.id for p in covering_paths(WORKFLOW)]
    assert len(paths_parameters(WORKFLOW)[1]) == 7
    assert len(paths_parameters(WORKFLOW, kind="simple", max_length=3)[1]) == 7
    with pytest.raises(InputError, match="simple paths need a bound"):
        paths_parameters(WORKFLOW, kind="simple")
    with pytest.raises(InputError, match="unknown path kind"):
        paths_parameters(WORKFLOW, kind="random")  # type: ignore[arg-type]


@df_paths(WORKFLOW, kind="transitions")
def test_model_based_every_covering_path_replays_through_the_engine(
    path: Path[Complaint, Any],
) -> None:
    # EXPIRE needs the window to have passed: 31 working days after Mon 15/9/2025 is Tue
    # 28/10/2025, the day after the window's last day (QĐ 46 guidance Điều 32 tiết 5.2.1).
    wait = {"EXPIRE": StepInput(wait="31 working days")}
    case = CaseFactory(providers=complaint_providers(), subject=SUBJECT).follow(
        WORKFLOW, path, at=pendulum.datetime(2025, 9, 15, 9, tz=TZ), payloads=wait
    )
    assert case.state is path.end
    assert [s.trigger for s in case.steps[1:]] == list(path.triggers)
    expected_last = (2025, 10, 28) if path.end is Complaint.EXPIRED else (2025, 9, 15)
    assert (case.last_at.year, case.last_at.month, case.last_at.day) == expected_last


# --------------------------------------------------------------------------- invariants


@st.composite
def workflows(draw: st.DrawFn) -> Workflow[Any, Any]:
    """A random valid workflow: a chain S0 → … → S(n-1) (so every state is reachable and none
    is a dead end) plus random extra moves between non-terminal sources and any target."""
    n = draw(st.integers(min_value=2, max_value=7))
    make_enum: Any = enum.Enum
    states: Any = make_enum("States", [f"S{i}" for i in range(n)])
    triggers: Any = make_enum("Triggers", [f"T{i}" for i in range(n + 6)])
    members = list(states)
    moves = [(i, i + 1) for i in range(n - 1)]
    moves += draw(
        st.lists(st.tuples(st.integers(0, n - 2), st.integers(0, n - 1)), max_size=6, unique=True)
    )
    transitions = [
        Transition(list(triggers)[k], members[a], members[b]) for k, (a, b) in enumerate(moves)
    ]
    return Workflow(
        name="random",
        version="1",
        states=states,
        triggers=triggers,
        initial=members[0],
        terminal={members[-1]},
        transitions=transitions,
    )


def _states(workflow: Workflow[Any, Any]) -> list[Any]:
    members: Any = workflow.states
    return list(members)


def _is_walk(workflow: Workflow[Any, Any], path: Path[Any, Any]) -> bool:
    here = path.start
    for step in path.steps:
        compiled = workflow.compiled[step.transition]
        if (compiled.source, compiled.trigger, compiled.target) != (
            here,
            step.trigger,
            step.target,
        ) or step != PathStep.of(compiled):
            return False
        here = step.target
    return True


@settings(max_examples=60, deadline=None)
@given(workflows())
def test_every_generated_path_is_a_walk_of_the_workflow(workflow: Workflow[Any, Any]) -> None:
    bound = len(_states(workflow))
    simple = simple_paths(workflow, max_length=bound)
    shortest = shortest_paths(workflow)
    for path in (*simple, *shortest.values(), *covering_paths(workflow)):
        assert path.start is workflow.initial
        assert _is_walk(workflow, path)
    for path in simple:
        assert len(set(path.states)) == len(path.states), "a simple path repeats no state"
        assert 1 <= len(path) <= bound
    assert len({p.steps for p in simple}) == len(simple), "no path twice"


@settings(max_examples=60, deadline=None)
@given(workflows())
def test_shortest_paths_are_no_longer_than_any_simple_path(workflow: Workflow[Any, Any]) -> None:
    shortest = shortest_paths(workflow)
    assert set(shortest) == set(_states(workflow))
    for path in simple_paths(workflow, max_length=len(_states(workflow))):
        assert len(shortest[path.end]) <= len(path)
    for state, path in shortest.items():
        assert path.end is state
        first = next(iter(paths_to(workflow, state)))
        assert len(first) == len(path)


@settings(max_examples=60, deadline=None)
@given(workflows(), st.integers(min_value=1, max_value=4))
def test_simple_paths_are_closed_under_prefix_and_extension(
    workflow: Workflow[Any, Any], bound: int
) -> None:
    found = {p.steps for p in simple_paths(workflow, max_length=bound)}
    for steps in found:
        if len(steps) > 1:
            assert steps[:-1] in found, "every prefix is a simple path too"
        if len(steps) < bound:
            visited = {workflow.initial, *(s.target for s in steps)}
            for compiled in workflow.compiled:
                if compiled.source is steps[-1].target and compiled.target not in visited:
                    assert (*steps, PathStep.of(compiled)) in found, "every extension is found"
    first_moves = {
        (PathStep.of(c),)
        for c in workflow.compiled
        if c.source is workflow.initial and c.target is not workflow.initial
    }
    assert {s for s in found if len(s) == 1} == first_moves


@settings(max_examples=60, deadline=None)
@given(workflows())
def test_covering_paths_fire_every_transition_after_a_shortest_path(
    workflow: Workflow[Any, Any],
) -> None:
    shortest = shortest_paths(workflow)
    paths = covering_paths(workflow)
    assert len(paths) == len(workflow.compiled)
    for compiled, path in zip(workflow.compiled, paths, strict=True):
        assert path.steps[-1] == PathStep.of(compiled)
        assert path.steps[:-1] == shortest[compiled.source].steps
