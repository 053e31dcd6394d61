"""The compiled table and the shared transitions machine agree; random walks stay in the graph."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import hypothesis.strategies as st
from hypothesis import given, settings

from discipline_flow import Body, BodyKind, Level, Transition, Workflow
from discipline_flow.errors import DisciplineFlowError, TransitionRefused
from helpers import (
    CELL,
    COMMISSION,
    MEMBER,
    Review,
    ReviewTrigger,
    at,
    lifecycle_workflow,
    review_workflow,
)

WORKFLOWS: list[Workflow[Any, Any]] = [review_workflow(), lifecycle_workflow()]


def test_table_and_machine_agree_for_every_state() -> None:
    for wf in WORKFLOWS:
        for state in wf.all_states:
            table = {t.name for t in wf.available(state)}
            assert wf._engine.machine_allows(state) == table, (wf.key, state)


@st.composite
def random_workflows(draw: st.DrawFn) -> Workflow[Any, Any]:
    """A random connected chain with random extra edges (always valid by construction)."""
    size = draw(st.integers(min_value=2, max_value=7))
    states = enum.Enum("States", [f"S{i}" for i in range(size)])  # type: ignore[misc]
    triggers = enum.Enum("Triggers", ["T0", "T1", "T2"])  # type: ignore[misc]
    members = list(states)
    transitions = [Transition(triggers.T0, members[i], members[i + 1]) for i in range(size - 1)]
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        source = draw(st.sampled_from(members[:-1]))
        target = draw(st.sampled_from(members))
        trigger = draw(st.sampled_from([triggers.T1, triggers.T2]))
        if all(not (t.trigger is trigger and source in t.sources) for t in transitions):
            transitions.append(Transition(trigger, source, target))
    return Workflow(
        name="random",
        version="1",
        states=states,
        triggers=triggers,
        initial=members[0],
        terminal={members[-1]},
        transitions=transitions,
    )


@settings(max_examples=60, deadline=None)
@given(random_workflows())
def test_table_agrees_with_machine_on_random_workflows(wf: Workflow[Any, Any]) -> None:
    for state in wf.all_states:
        assert wf._engine.machine_allows(state) == {t.name for t in wf.available(state)}


@settings(max_examples=60, deadline=None)
@given(random_workflows(), st.lists(st.integers(min_value=0, max_value=2), max_size=25))
def test_random_walks_follow_the_table(wf: Workflow[Any, Any], choices: list[int]) -> None:
    case = wf.open(MEMBER, at=at(2025, 1, 1), actor=CELL)
    triggers = list(wf.all_triggers)
    for n, choice in enumerate(choices):
        trigger = triggers[choice]
        expected = [c.target for c in wf.candidates(case.state, trigger)]
        before = case.state
        try:
            case.fire(trigger, at=at(2025, 1, 1).add(days=n + 1), actor=CELL)
        except TransitionRefused:
            assert not expected
            assert case.state is before
        else:
            assert case.state is expected[0]
        assert case.state in set(wf.all_states)
    case.verify()


actors = st.one_of(
    st.builds(
        Body,
        st.sampled_from(list(BodyKind)),
        st.text(
            alphabet=st.characters(codec="utf-8", blacklist_characters="\x00"),
            min_size=1,
            max_size=5,
        ),
        st.none() | st.sampled_from(list(Level)),
    ),
    st.text(max_size=5),
    st.integers(),
    st.none(),
)
json_leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
payloads = (
    st.none()
    | st.dictionaries(
        st.text(max_size=5) | st.integers(),
        st.recursive(
            json_leaves,
            lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
            max_leaves=5,
        ),
        max_size=3,
    )
    | st.integers()
    | st.text(max_size=3)
)
ZONES: st.SearchStrategy[dt.tzinfo | None] = st.sampled_from(
    [None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=7))]
)
datetimes = st.one_of(
    st.datetimes(
        min_value=dt.datetime(2020, 1, 1),
        max_value=dt.datetime(2030, 1, 1),
        timezones=ZONES,  # type: ignore[arg-type]  # stubs only accept none() here
    ),
    st.dates(),
    st.text(max_size=5),
    st.none(),
)
triggers_any = st.one_of(
    st.sampled_from(list(ReviewTrigger)),
    st.sampled_from([m.name for m in ReviewTrigger]),
    st.text(max_size=8),
    st.sampled_from(list(Review)),
    st.integers(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(triggers_any, datetimes, actors, payloads), max_size=12))
def test_random_input_raises_only_documented_errors(
    moves: list[tuple[Any, Any, Any, Any]],
) -> None:
    case = review_workflow().open(MEMBER, at=at(2020, 1, 1), actor=COMMISSION)
    for trigger, when, actor, payload in moves:
        version = case.version
        state = case.state
        try:
            case.fire(trigger, at=when, actor=actor, payload=payload)
        except DisciplineFlowError:
            assert (case.version, case.state) == (version, state)
        try:
            case.allowed(at=when, actor=actor)
            case.check(trigger, at=when, actor=actor, payload=payload)
        except DisciplineFlowError:
            pass
    case.verify()
