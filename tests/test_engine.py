"""The compiled table agrees with ``transitions``, the engine of record; random walks stay in the
graph and random input raises only documented errors.

The differential tests build a stock ``transitions.Machine`` from the same definition
(``discipline_flow._reference``) and drive both with random workflows, guards, actions and moves.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import hypothesis.strategies as st
from hypothesis import given, settings

from discipline_flow import (
    Action,
    ActionContext,
    Body,
    BodyKind,
    Guard,
    GuardContext,
    Level,
    Transition,
    Workflow,
)
from discipline_flow._reference import MachineError, ReferenceModel, reference_machine
from discipline_flow.errors import ActionFailedError, DisciplineFlowError, TransitionRefused
from discipline_flow.payload import normalize_payload
from discipline_flow.processes import shipped_workflows
from discipline_flow.rules import default_registry
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


def _machine_triggers(wf: Workflow[Any, Any], state: enum.Enum) -> set[str]:
    machine = reference_machine(wf, ReferenceModel(wf.initial.name))
    return set(machine.get_triggers(state.name))


def test_table_and_machine_agree_for_every_state() -> None:
    for wf in [*WORKFLOWS, *shipped_workflows(default_registry().get("2025-07"))]:
        for state in wf.all_states:
            table = {t.name for t in wf.available(state)}
            assert _machine_triggers(wf, state) == table, (wf.key, state)


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
        assert _machine_triggers(wf, state) == {t.name for t in wf.available(state)}


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


# --------------------------------------------------------------------------- differential


def _flag_guard(k: int) -> Guard:
    """Guard ``gk``: passes when the payload's flag ``gk`` is true; guard 0 raises on ``boom``."""

    def check(ctx: GuardContext[Any, Any]) -> str | None:
        if k == 0 and ctx.payload.get("boom"):
            raise RuntimeError("boom")
        return None if ctx.payload.get(f"g{k}") else f"flag g{k} is not set"

    return Guard(f"g{k}", check)


GUARDS = tuple(_flag_guard(k) for k in range(4))


@st.composite
def guarded_workflows(draw: st.DrawFn) -> Workflow[Any, Any]:
    """A random connected chain with guarded, with actions extra transitions; a source and trigger
    may have several candidates told apart by their guards (the last one may be unguarded)."""
    size = draw(st.integers(min_value=2, max_value=6))
    states = enum.Enum("States", [f"S{i}" for i in range(size)])  # type: ignore[misc]
    triggers = enum.Enum("Triggers", ["T0", "T1", "T2"])  # type: ignore[misc]
    members = list(states)
    log_action = Action("log", lambda actx: LOG.append((actx.trigger.name, actx.target.name)))
    fail_action = Action("fail", _fail_if_asked)
    transitions = [Transition(triggers.T0, members[i], members[i + 1]) for i in range(size - 1)]
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        source = draw(st.sampled_from(members[:-1]))
        trigger = draw(st.sampled_from([triggers.T1, triggers.T2]))
        count = draw(st.integers(min_value=1, max_value=3))
        used: set[frozenset[str]] = {
            frozenset(g.name for g in t.guards if isinstance(g, Guard))
            for t in transitions
            if t.trigger is trigger and source in t.sources
        }
        if frozenset() in used:
            continue  # an unguarded candidate is last already
        for n in range(count):
            chosen = draw(st.sets(st.sampled_from(GUARDS), max_size=2))
            names = frozenset(g.name for g in chosen)
            if names in used or (not names and n < count - 1):
                continue
            used.add(names)
            actions = draw(st.sampled_from([(), (log_action,), (log_action, fail_action)]))
            transitions.append(
                Transition(
                    trigger,
                    source,
                    draw(st.sampled_from(members)),
                    guards=sorted(chosen, key=lambda g: g.name),
                    actions=actions,
                )
            )
            if not names:
                break
    return Workflow(
        name="random",
        version="1",
        states=states,
        triggers=triggers,
        initial=members[0],
        terminal={members[-1]},
        transitions=transitions,
    )


LOG: list[tuple[str, str]] = []


def _fail_if_asked(actx: ActionContext[Any, Any]) -> None:
    if actx.payload.get("fail"):
        raise ConnectionError("notifier down")


flags = st.fixed_dictionaries(
    {},
    optional={
        "g0": st.booleans(),
        "g1": st.booleans(),
        "g2": st.booleans(),
        "g3": st.booleans(),
        "boom": st.booleans(),
        "fail": st.booleans(),
    },
)


@settings(max_examples=150, deadline=None)
@given(
    guarded_workflows(),
    st.lists(st.tuples(st.integers(min_value=0, max_value=2), flags), max_size=20),
)
def test_fires_agree_with_stock_transitions(
    wf: Workflow[Any, Any], moves: list[tuple[int, dict[str, bool]]]
) -> None:
    """Every fire moves, refuses or fails as a stock ``transitions`` machine built from the same
    definition does, to the same state, with the same actions run in the same order."""
    case = wf.open(MEMBER, at=at(2025, 1, 1), actor=CELL)
    model = ReferenceModel(case.state.name)
    machine = reference_machine(wf, model)
    triggers = list(wf.all_triggers)
    for n, (choice, payload) in enumerate(moves):
        trigger = triggers[choice]
        when = at(2025, 1, 1).add(days=n + 1)
        context = GuardContext(
            case, trigger, case.state, case.state, when, CELL, normalize_payload(payload)
        )
        LOG.clear()
        try:
            machine_moved: bool | str = (
                trigger.name in machine.events  # a trigger no transition uses has no event
                and machine.dispatch(trigger.name, context=context)
            )
        except MachineError:
            machine_moved = False
        except ConnectionError:
            machine_moved = "action failed"
        machine_log = list(LOG)
        LOG.clear()
        before = (case.state, case.version)
        try:
            case.fire(trigger, at=when, actor=CELL, payload=payload)
        except TransitionRefused:
            ours: bool | str = False
        except ActionFailedError:
            ours = "action failed"
        else:
            ours = True
        assert ours == machine_moved, (trigger.name, payload)
        assert machine_log == LOG
        if ours is True:
            assert case.state.name == model.state
        else:
            # A refused or failed fire leaves the case as it was (transitions moves its model
            # before running ``after`` callbacks, so an action failure is put back here).
            assert (case.state, case.version) == before
            model.state = case.state.name
    case.verify()
